"""Precomputed keypoints: round trips and the OpenPose folder layout."""

from __future__ import annotations

import json

import numpy as np
import pytest

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.skeletons import get_skeleton
from liftrisk.errors import InputFileError, UnknownFormatError
from liftrisk.pose.precomputed import read_keypoints, write_keypoints


def _kp(world=True):
    rng = np.random.default_rng(0)
    names = get_skeleton("coco17").points
    xy = rng.uniform(0, 500, (6, 17, 2))
    xy[2, 3] = np.nan
    conf = rng.uniform(0, 1, (6, 17))
    w = rng.normal(0, 0.3, (6, 17, 3)) if world else None
    return Keypoints2D(np.arange(6) / 30, xy, conf, names, "coco17", (640, 480), w, "camA", "x")


@pytest.mark.parametrize("ext", [".json", ".csv"])
def test_round_trip(tmp_path, ext):
    kp = _kp()
    back = read_keypoints(write_keypoints(kp, tmp_path / f"k{ext}"))
    np.testing.assert_allclose(back.xy_px, kp.xy_px)
    np.testing.assert_allclose(back.confidence, kp.confidence)
    assert back.confidence[2, 3] == 0.0 and np.isnan(back.xy_px[2, 3]).all()
    assert (back.skeleton, back.camera, back.image_size_px) == ("coco17", "camA", (640, 480))
    if ext == ".json":
        np.testing.assert_allclose(back.world_m, kp.world_m)


def test_openpose_folder(tmp_path):
    names = get_skeleton("body25").points
    for i in range(3):
        kps = np.zeros((25, 3))
        kps[:, 0], kps[:, 1], kps[:, 2] = 10 + i, 20, 0.9
        kps[4, 2] = 0.0  # not detected
        doc = {"people": [{"pose_keypoints_2d": kps.ravel().tolist()}]} if i != 1 else {"people": []}
        (tmp_path / f"f_{i:04d}.json").write_text(json.dumps(doc))
    kp = read_keypoints(tmp_path, skeleton="body25", rate_hz=60.0)
    assert kp.point_names == names and kp.n_frames == 3
    assert kp.xy_px[2, 0, 0] == 12 and np.isnan(kp.xy_px[1]).all() and np.isnan(kp.xy_px[0, 4]).all()
    with pytest.raises(InputFileError, match="rate"):
        read_keypoints(tmp_path)  # OpenPose files carry no frame rate


def test_mediapipe_json_keeps_world_frame(tmp_path):
    lms = [{"x": 0.5, "y": 0.25, "z": 0.0, "visibility": 0.9}] * 33
    world = [{"x": 0.1, "y": -0.5, "z": 0.2, "visibility": 0.9}] * 33
    f = tmp_path / "mp.json"
    f.write_text(json.dumps({"rate_hz": 30, "image_size": [640, 480],
                             "frames": [{"time_s": 0.0, "landmarks": lms, "world_landmarks": world}]}))
    kp = read_keypoints(f)
    assert kp.skeleton == "mediapipe33" and kp.image_size_px == (640, 480)
    np.testing.assert_allclose(kp.xy_px[0, 0], [320, 120])
    np.testing.assert_allclose(kp.world_m[0, 0], [0.1, -0.5, 0.2])  # MediaPipe's own frame


def test_bad_files(tmp_path):
    (tmp_path / "a.json").write_text('{"x": 1}')  # no known layout
    with pytest.raises(UnknownFormatError):
        read_keypoints(tmp_path / "a.json")
    (tmp_path / "b.csv").write_text("t,a\n1,2\n")
    with pytest.raises(InputFileError, match="header"):
        read_keypoints(tmp_path / "b.csv")
    with pytest.raises(InputFileError, match="not found"):
        read_keypoints(tmp_path / "c.csv")
