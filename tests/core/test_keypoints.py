"""`Keypoints2D`: the one 2D keypoint container shared by io and pose."""

import json

import numpy as np
import pytest

import liftrisk.io
import liftrisk.pose
from liftrisk.core import Keypoints2D
from liftrisk.errors import DataQualityError
from liftrisk.io import read_keypoints_json, read_mediapipe_json


def test_one_class_for_io_and_pose():
    assert liftrisk.io.Keypoints2D is Keypoints2D and liftrisk.pose.Keypoints2D is Keypoints2D


def test_io_reader_returns_core_container_with_world_landmarks(tmp_path):
    lms = [{"x": 0.5, "y": 0.25, "z": 0.0, "visibility": 0.9}] * 33
    world = [{"x": 0.1, "y": -0.5, "z": 0.2}] * 33
    f = tmp_path / "camA.json"
    f.write_text(json.dumps({"rate_hz": 25, "image_size": [640, 480],
                             "frames": [{"landmarks": lms, "world_landmarks": world}] * 3}))
    k = read_keypoints_json(f)
    assert type(k) is Keypoints2D and k.camera == "camA" and k.image_size_px == (640, 480)
    assert k.rate_hz == pytest.approx(25.0)  # from the frame times 0, 1/25, 2/25
    np.testing.assert_allclose(k["nose"], [[320.0, 120.0]] * 3)
    np.testing.assert_allclose(k.world_m[:, 0], [[0.1, -0.5, 0.2]] * 3)  # MediaPipe's own frame, unchanged


def test_mediapipe_rate_argument_used_when_file_has_no_times(tmp_path):
    lms = [{"x": 0.5, "y": 0.25, "z": 0.0}] * 33
    f = tmp_path / "mp.json"
    f.write_text(json.dumps({"frames": [{"landmarks": lms}] * 4}))
    assert read_mediapipe_json(f, rate_hz=50.0).time_s[-1] == pytest.approx(3 / 50)


def test_unknown_image_size_and_bad_shapes():
    k = Keypoints2D([0.0, 0.1], np.zeros((2, 1, 2)), np.ones((2, 1)), ("nose",), "coco17", None)
    assert k.image_size_px == (0, 0)
    with pytest.raises(DataQualityError, match="expected"):
        Keypoints2D([0.0], np.zeros((2, 1, 2)), np.ones((2, 1)), ("nose",), "coco17")
    with pytest.raises(DataQualityError, match="no point 'neck'"):
        k["neck"]
