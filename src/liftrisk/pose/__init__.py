"""Pose: video -> 2D keypoints -> metric 3D (monocular or multi-view triangulation).

Public API: `detect_video`, `MediaPipePoseDetector`, `PoseDetector`, `Keypoints2D`,
`read_keypoints`/`write_keypoints`, `lift_monocular`, `read_calibration`, `Camera`,
`triangulate_keypoints`, `to_worker_frame`, `estimate_stature_m`, `probe_video`,
`video_stride`, `scaled_size`.
"""

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.pose.calibration import (
           Camera,
           match_cameras,
           read_calibration,
           read_pose2sim_toml,
           read_qca,
           write_pose2sim_toml,
)
from liftrisk.pose.detector import FrameDetection, MediaPipePoseDetector, PoseDetector, detect_video
from liftrisk.pose.frames import estimate_stature_m, to_worker_frame
from liftrisk.pose.monocular import lift_monocular
from liftrisk.pose.precomputed import read_keypoints, write_keypoints
from liftrisk.pose.triangulation import TriangulationResult, triangulate_keypoints, triangulate_points
from liftrisk.pose.video import VideoInfo, iter_frames, probe_video, read_frames, scaled_size, video_stride

__all__ = ["Camera", "match_cameras", "read_calibration", "read_pose2sim_toml", "read_qca", "write_pose2sim_toml",
           "FrameDetection", "MediaPipePoseDetector", "PoseDetector", "detect_video", "estimate_stature_m",
           "to_worker_frame", "Keypoints2D", "lift_monocular", "read_keypoints", "write_keypoints",
           "TriangulationResult", "triangulate_keypoints", "triangulate_points", "VideoInfo", "iter_frames",
           "probe_video", "read_frames", "scaled_size", "video_stride"]
