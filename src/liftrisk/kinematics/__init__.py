"""Kinematics: rotations, joint centres (keypoints and markers, L5/S1, hands), segment frames,
anatomical joint angles, and segment velocities/accelerations. All SI, Z-up world frame."""

from liftrisk.kinematics.angles import ANGLE_COLUMNS, heading_frames, joint_angles
from liftrisk.kinematics.derivatives import (
    angular_acceleration,
    angular_velocity,
    point_kinematics,
    segment_kinematics,
    time_derivative,
)
from liftrisk.kinematics.frames import SEGMENTS, segment_frames, to_global, to_local
from liftrisk.kinematics.joint_centres import (
    add_hand_centres,
    add_l5s1,
    canonical_joint_centres,
    hip_joint_centres_harrington,
    joint_centres_from_markers,
    l5s1_from_pelvis_markers,
)
from liftrisk.kinematics.rotations import (
    angle_between,
    axis_angle_from_matrix,
    euler_from_matrix,
    matrix_from_axis_angle,
    matrix_from_euler,
)

__all__ = [
    "ANGLE_COLUMNS", "SEGMENTS", "joint_angles", "heading_frames", "segment_frames", "to_local", "to_global",
    "add_l5s1", "add_hand_centres", "canonical_joint_centres", "hip_joint_centres_harrington",
    "joint_centres_from_markers", "l5s1_from_pelvis_markers", "matrix_from_euler", "euler_from_matrix",
    "matrix_from_axis_angle", "axis_angle_from_matrix", "angle_between", "time_derivative", "point_kinematics",
    "angular_velocity", "angular_acceleration", "segment_kinematics",
]
