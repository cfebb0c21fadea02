"""One calibrated camera with lens distortion: the monocular root is found from ideal pixels."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core import Subject
from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.skeletons import get_skeleton
from liftrisk.pipeline import monocular_3d
from liftrisk.pose.calibration import Camera
from liftrisk.pose.frames import CAMERA_TO_ZUP

# standing body for stature 1 (Z up, facing +X), Drillis & Contini proportions
BODY_H1 = {"left_hip": (0, 0.09, 0.530), "right_hip": (0, -0.09, 0.530),
           "left_knee": (0, 0.09, 0.285), "right_knee": (0, -0.09, 0.285),
           "left_ankle": (0, 0.09, 0.039), "right_ankle": (0, -0.09, 0.039),
           "left_heel": (-0.03, 0.09, 0.0), "right_heel": (-0.03, -0.09, 0.0),
           "left_foot_index": (0.12, 0.09, 0.0), "right_foot_index": (0.12, -0.09, 0.0),
           "left_shoulder": (0, 0.13, 0.818), "right_shoulder": (0, -0.13, 0.818),
           "left_elbow": (0.05, 0.15, 0.63), "right_elbow": (0.05, -0.15, 0.63),
           "left_wrist": (0.2, 0.15, 0.55), "right_wrist": (0.2, -0.15, 0.55), "nose": (0.08, 0, 0.93)}


def _scene(k1: float, n: int = 30):
    """A 1.80 m worker 3.2 m in front of a camera (camera frame = world frame), seen through a
    lens with radial distortion k1; the detector's world landmarks are exact."""
    names = get_skeleton("mediapipe33").points
    zup = np.full((33, 3), np.nan)
    for k, v in BODY_H1.items():
        zup[names.index(k)] = np.array(v) * 1.80
    zup = zup @ np.diag([-1.0, -1.0, 1.0]).T            # facing the camera
    cam = zup @ CAMERA_TO_ZUP                             # Z-up -> camera axes (x right, y down, z ahead)
    hip = (cam[names.index("left_hip")] + cam[names.index("right_hip")]) / 2
    world = np.repeat((cam - hip)[None], n, axis=0)
    true = world + np.array([0.45, 0.1, 3.2])             # constant root: the low-pass filters keep it
    camera = Camera("c1", (1920, 1080), np.array([[1400.0, 0, 960], [0, 1400.0, 540], [0, 0, 1]]),
                    np.array([k1, 0.0, 0.0, 0.0]), np.eye(3), np.zeros(3))
    xy = camera.project(true)
    conf = np.where(np.isfinite(xy).all(-1), 0.9, 0.0)
    kp = Keypoints2D(np.arange(n) / 30.0, xy, conf, names, "mediapipe33", (1920, 1080), world)
    return kp, camera, true


def _root_error_m(kp, camera, true) -> float:
    m, _, _ = monocular_3d(kp, Subject("male", 80.0, 1.80), camera, AssessmentSettings())
    names = list(kp.point_names)
    hips = [names.index("left_hip"), names.index("right_hip")]
    got = m.positions_m[:, [m.point_names.index("left_hip"), m.point_names.index("right_hip")]].mean(axis=1)
    return float(np.nanmax(np.linalg.norm(got - true[:, hips].mean(axis=1), axis=1)))


def test_distorted_pixels_give_the_true_root():
    kp, camera, true = _scene(-0.25)
    assert _root_error_m(kp, camera, true) < 0.005


def test_the_distortion_would_matter():
    """The same distorted pixels read as ideal ones put the root centimetres off (so the test above
    can fail): a pinhole camera with the distorted image."""
    kp, camera, true = _scene(-0.25)
    pinhole = Camera("c1", camera.image_size_px, camera.matrix, np.zeros(4), camera.rotation, camera.translation_m)
    assert _root_error_m(kp, pinhole, true) > 0.02
    assert _root_error_m(*_scene(0.0)[:1], pinhole, _scene(0.0)[2]) == pytest.approx(0.0, abs=0.005)
