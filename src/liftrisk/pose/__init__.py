"""Pose: video -> 2D keypoints -> metric 3D (monocular or multi-view triangulation).

Public API: `detect_video`, `detect_videos`, `MediaPipePoseDetector`, `PoseDetector`,
`Keypoints2D`, `read_keypoints`/`write_keypoints`, `lift_monocular`, `read_calibration`,
`Camera`, `triangulate_keypoints`, `to_worker_frame`, `estimate_stature_m`, `probe_video`,
`video_stride`, `scaled_size`.

The names are loaded on first use (PEP 562): ``liftrisk.pose.detector`` needs OpenCV and
MediaPipe only, while the 3D modules pull in SciPy; ``liftrisk assess VIDEO`` starts
detecting before those are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names for type checkers and readers; at run time they load on first use
    from liftrisk.core.keypoints import Keypoints2D
    from liftrisk.pose.calibration import (
        Camera,
        match_cameras,
        read_calibration,
        read_pose2sim_toml,
        read_qca,
        write_pose2sim_toml,
    )
    from liftrisk.pose.detector import FrameDetection, MediaPipePoseDetector, PoseDetector, detect_video, detect_videos
    from liftrisk.pose.frames import estimate_stature_m, to_worker_frame
    from liftrisk.pose.monocular import lift_monocular
    from liftrisk.pose.precomputed import read_keypoints, write_keypoints
    from liftrisk.pose.triangulation import TriangulationResult, triangulate_keypoints, triangulate_points
    from liftrisk.pose.video import VideoInfo, iter_frames, probe_video, read_frames, scaled_size, video_stride

_WHERE = {
    "Keypoints2D": "liftrisk.core.keypoints",
    **dict.fromkeys(("Camera", "match_cameras", "read_calibration", "read_pose2sim_toml", "read_qca",
                     "write_pose2sim_toml"), "liftrisk.pose.calibration"),
    **dict.fromkeys(("FrameDetection", "MediaPipePoseDetector", "PoseDetector", "detect_video", "detect_videos"),
                    "liftrisk.pose.detector"),
    **dict.fromkeys(("estimate_stature_m", "to_worker_frame"), "liftrisk.pose.frames"),
    "lift_monocular": "liftrisk.pose.monocular",
    **dict.fromkeys(("read_keypoints", "write_keypoints"), "liftrisk.pose.precomputed"),
    **dict.fromkeys(("TriangulationResult", "triangulate_keypoints", "triangulate_points"),
                    "liftrisk.pose.triangulation"),
    **dict.fromkeys(("VideoInfo", "iter_frames", "probe_video", "read_frames", "scaled_size", "video_stride"),
                    "liftrisk.pose.video"),
}

__all__ = ["Camera", "match_cameras", "read_calibration", "read_pose2sim_toml", "read_qca", "write_pose2sim_toml",
           "FrameDetection", "MediaPipePoseDetector", "PoseDetector", "detect_video", "detect_videos",
           "estimate_stature_m", "to_worker_frame", "Keypoints2D", "lift_monocular", "read_keypoints",
           "write_keypoints", "TriangulationResult", "triangulate_keypoints", "triangulate_points", "VideoInfo",
           "iter_frames", "probe_video", "read_frames", "scaled_size", "video_stride"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'liftrisk.pose' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
