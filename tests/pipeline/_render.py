"""Render a canonical Motion as MediaPipe-like keypoints seen by pinhole cameras (test helper)."""

from __future__ import annotations

import numpy as np

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import get_skeleton
from liftrisk.pose.calibration import Camera

# canonical point -> MediaPipe landmarks that sit on it
TO_MP = {"l_hip": ("left_hip",), "r_hip": ("right_hip",), "l_knee": ("left_knee",), "r_knee": ("right_knee",),
         "l_ankle": ("left_ankle",), "r_ankle": ("right_ankle",), "l_heel": ("left_heel",),
         "r_heel": ("right_heel",), "l_toe": ("left_foot_index",), "r_toe": ("right_foot_index",),
         "l_shoulder": ("left_shoulder",), "r_shoulder": ("right_shoulder",), "l_elbow": ("left_elbow",),
         "r_elbow": ("right_elbow",), "l_wrist": ("left_wrist",), "r_wrist": ("right_wrist",),
         "l_hand": ("left_index", "left_pinky"), "r_hand": ("right_index", "right_pinky"),
         "head": ("left_ear", "right_ear", "nose")}


def as_mediapipe(motion: Motion) -> Motion:
    """The motion's points under MediaPipe's 33 names (unseen landmarks NaN), same frame."""
    names = get_skeleton("mediapipe33").points
    pos = np.full((motion.n_frames, len(names), 3), np.nan)
    for canon, mps in TO_MP.items():
        for n in mps:
            pos[:, names.index(n)] = motion[canon]
    return Motion(motion.time_s, pos, names, motion.rate_hz, source="rendered", meta={"skeleton": "mediapipe33"})


def look_at(name: str, centre_m, target_m, size=(1280, 720), f_px=1000.0) -> Camera:
    """A level pinhole camera at `centre_m` looking at `target_m` (Z-up world)."""
    c = np.asarray(centre_m, float)
    z = np.asarray(target_m, float) - c
    z /= np.linalg.norm(z)
    x = np.cross(z, [0.0, 0.0, 1.0])
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    r = np.stack([x, y, z])
    k = np.array([[f_px, 0, size[0] / 2], [0, f_px, size[1] / 2], [0, 0, 1.0]])
    return Camera(name, size, k, np.zeros(5), r, -r @ c)


def render(mp_motion: Motion, cam: Camera, generic_scale: float = 1.0) -> Keypoints2D:
    """Pixels as the camera sees them, plus MediaPipe-style world landmarks: camera-aligned
    axes, origin at the hip centre, body scaled by `generic_scale` (MediaPipe's own size)."""
    names = mp_motion.point_names
    xy = cam.project(mp_motion.positions_m)
    cam_pts = mp_motion.positions_m @ cam.rotation.T  # rotate only: camera-aligned axes
    hip = 0.5 * (cam_pts[:, names.index("left_hip")] + cam_pts[:, names.index("right_hip")])
    world = (cam_pts - hip[:, None]) * generic_scale
    conf = np.where(np.isfinite(xy).all(-1), 0.95, 0.0)
    return Keypoints2D(mp_motion.time_s, xy, conf, names, "mediapipe33", cam.image_size_px, world, cam.name,
                       f"rendered {cam.name}")
