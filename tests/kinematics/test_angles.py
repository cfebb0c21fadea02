"""Joint angles: known bends of the synthetic body, invariance to rigid motions, frames."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core import Motion, Subject
from liftrisk.kinematics import ANGLE_COLUMNS, joint_angles, segment_frames, to_global, to_local
from liftrisk.kinematics.rotations import rotation_about
from liftrisk.synthetic import Posture, body_motion, neutral_body, synthetic_lift

SUBJ = Subject("male", 78.0, 1.78)
TOL = 1e-9  # rad: the synthetic body is exact, only float round-off remains


def test_neutral_posture_is_all_zero():
    a = joint_angles(neutral_body(SUBJ))
    assert list(a.columns) == list(ANGLE_COLUMNS)
    defined = a.columns[a.notna().all()]
    # the keypoint pelvis takes half the mid_hip -> neck inclination, and the synthetic neck is
    # 1.3 cm behind the hips (above L5/S1): 0.74 deg of pelvis tilt in the upright posture
    soft = ["trunk_flexion_vs_pelvis", "l_hip_flexion", "r_hip_flexion"]
    exact = [c for c in defined if c not in soft]
    assert np.abs(a[exact].to_numpy()).max() < 1e-6
    assert np.abs(a[soft].to_numpy()).max() < np.deg2rad(1.0)
    assert a["neck_twist"].isna().all() and a["l_wrist_deviation"].isna().all()


@pytest.mark.parametrize("deg", [10.0, 35.0, 60.0, 95.0])
def test_known_trunk_flexion(deg):
    th = np.deg2rad(deg)
    a = joint_angles(body_motion(SUBJ, Posture(trunk_flexion=th)))
    assert abs(a["trunk_flexion"].iloc[0] - th) < TOL
    assert abs(a["trunk_lateral_bend"].iloc[0]) < TOL


def test_pelvis_tilt_adds_to_trunk_flexion_from_vertical():
    a = joint_angles(body_motion(SUBJ, Posture(pelvis_tilt=0.3, trunk_flexion=0.4)))
    assert abs(a["trunk_flexion_vs_vertical"].iloc[0] - 0.7) < TOL
    # keypoints: the pelvis is assumed to take half the trunk inclination (mid_hip -> neck
    # line, 1-2 deg off the L5/S1 -> neck line), so half of 0.7 rad is left to the trunk
    assert abs(a["trunk_flexion_vs_pelvis"].iloc[0] - 0.35) < np.deg2rad(3)
    # with pelvis markers the true split is measured (markers placed rigidly on the pelvis)
    m = body_motion(SUBJ, Posture(pelvis_tilt=0.3, trunk_flexion=0.4))
    r = rotation_about("y", 0.3)
    mid = m["mid_hip"][0]
    pts = {n: m[n] for n in m.point_names}
    pts["l_asis"] = (mid + r @ [0.05, 0.12, 0.08])[None]
    pts["r_asis"] = (mid + r @ [0.05, -0.12, 0.08])[None]
    pts["sacrum"] = (mid + r @ [-0.10, 0.0, 0.08])[None]
    a = joint_angles(Motion.from_points(pts, rate_hz=1))
    assert abs(a["trunk_flexion_vs_pelvis"].iloc[0] - 0.4) < TOL


@pytest.mark.parametrize("deg", [5.0, 45.0, 90.0, 120.0])
def test_known_knee_elbow_shoulder(deg):
    th = np.deg2rad(deg)
    p = Posture(knee_flexion=th, ankle_dorsiflexion=th / 3, r_elbow_flexion=th, l_shoulder_abduction=th,
                r_shoulder_flexion=th / 2)
    a = joint_angles(body_motion(SUBJ, p)).iloc[0]
    assert abs(a["l_knee_flexion"] - th) < TOL and abs(a["r_knee_flexion"] - th) < TOL
    assert abs(a["r_elbow_flexion"] - th) < TOL
    # abduction = angle out of the sagittal plane: an arm raised sideways past the horizontal
    # comes back toward the plane (120 deg -> 60 deg); the elevation keeps 120 deg
    assert abs(a["l_shoulder_abduction"] - min(th, np.pi - th)) < TOL
    assert abs(a["l_shoulder_elevation"] - th) < TOL
    if deg > 5.0:  # at 5 deg elevation the plane is at its NaN threshold
        assert abs(a["l_shoulder_plane_of_elevation"] - np.pi / 2) < TOL
    assert abs(a["r_shoulder_flexion"] - th / 2) < TOL
    assert abs(a["l_ankle_dorsiflexion"] - th / 3) < TOL


def test_lateral_bend_and_twist_signs():
    a = joint_angles(body_motion(SUBJ, Posture(trunk_lateral_bend=0.2, trunk_axial_twist=0.3))).iloc[0]
    assert abs(a["trunk_lateral_bend"] - 0.2) < TOL  # + toward the right
    assert abs(a["trunk_axial_twist"] - 0.3) < TOL  # + to the left
    # independent check of the sign: the neck moves to the worker's right (-Y)
    m = body_motion(SUBJ, Posture(trunk_lateral_bend=0.2))
    assert m["neck"][0, 1] < -0.05


rig = st.tuples(st.floats(-np.pi, np.pi), st.floats(-3, 3), st.floats(-3, 3), st.floats(-1, 1))


@settings(max_examples=25, deadline=None)
@given(r=rig, k=st.floats(0.0, 1.5), f=st.floats(-0.3, 1.4), b=st.floats(-0.3, 0.3), tw=st.floats(-0.6, 0.6))
def test_angles_invariant_to_rigid_motion_about_vertical(r, k, f, b, tw):
    p = Posture(knee_flexion=k, ankle_dorsiflexion=k / 3, trunk_flexion=f, trunk_lateral_bend=b, trunk_axial_twist=tw,
                r_elbow_flexion=k, l_shoulder_flexion=f, neck_flexion=b)
    m = body_motion(SUBJ, p)
    moved = m.transformed(rotation_about("z", r[0]), (r[1], r[2], r[3]))
    a0, a1 = joint_angles(m), joint_angles(moved)
    np.testing.assert_allclose(a1.to_numpy(), a0.to_numpy(), atol=1e-9, equal_nan=True)


def test_relative_angles_invariant_to_any_rotation():
    """Joint (relative) angles do not depend on the world orientation at all."""
    m = synthetic_lift(SUBJ, rate_hz=20)
    r = rotation_about("x", 0.7) @ rotation_about("y", -0.4)
    a0, a1 = joint_angles(m), joint_angles(m.transformed(r, (1.0, 2.0, 3.0)))
    for c in ("r_knee_flexion", "l_elbow_flexion", "trunk_axial_twist_vs_pelvis", "neck_flexion",
              "r_shoulder_flexion"):
        np.testing.assert_allclose(a1[c], a0[c], atol=1e-9)


def test_non_canonical_motion_is_refused_with_a_fix():
    from liftrisk.errors import MissingPointError
    with pytest.raises(MissingPointError, match="canonical_joint_centres"):
        joint_angles(Motion.from_points({"LHip": np.zeros((2, 3))}, rate_hz=10))


def test_missing_points_give_nan_columns():
    m = neutral_body(SUBJ).select(["l_hip", "r_hip", "l_knee", "l_ankle"])
    a = joint_angles(m)
    assert a["trunk_flexion"].isna().all() and a["l_knee_flexion"].notna().all()


def test_frames_local_global_round_trip_and_orthonormal():
    m = synthetic_lift(SUBJ, rate_hz=15, asymmetry_deg=40)
    fr = segment_frames(m)
    for name, f in fr.items():
        r = f[:, :3, :3]
        np.testing.assert_allclose(np.swapaxes(r, 1, 2) @ r, np.broadcast_to(np.eye(3), r.shape), atol=1e-9,
                                   err_msg=name)
        np.testing.assert_allclose(np.linalg.det(r), 1.0, atol=1e-9)
    pts = m.points(["r_wrist", "head", "box"])
    np.testing.assert_allclose(to_global(to_local(pts, fr["trunk"]), fr["trunk"]), pts, atol=1e-12)
    # shank long axis is the ankle->knee direction
    shank = fr["r_shank"]
    loc = to_local(m["r_ankle"], shank)
    np.testing.assert_allclose(loc[:, :2], 0.0, atol=1e-9)
    assert np.all(loc[:, 2] < 0)


def test_wrist_signed_with_hand_orientation_points():
    m = neutral_body(SUBJ)
    wr, ha = m["r_wrist"][0], m["r_hand"][0]
    # flex the right hand 30 deg palm-forward (anatomical posture: palms face +X)
    th = np.deg2rad(30)
    d = np.linalg.norm(ha - wr)
    hand = wr + d * np.array([np.sin(th), 0.0, -np.cos(th)])
    pts = {n: m[n] for n in m.point_names}
    pts["r_hand"] = hand[None]
    pts["r_index"] = (hand + [0, -0.02, 0])[None]  # thumb/index lateral (-Y) for the right hand
    pts["r_pinky"] = (hand + [0, 0.02, 0])[None]
    a = joint_angles(Motion.from_points(pts, rate_hz=1)).iloc[0]
    assert abs(a["r_wrist_flexion"] - th) < 1e-9
    assert abs(a["r_wrist_deviation"]) < 1e-9
