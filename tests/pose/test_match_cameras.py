"""Videos are paired with the camera that filmed them, or the run stops with a clear error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from liftrisk.errors import DataQualityError
from liftrisk.pose.calibration import Camera, match_cameras, read_calibration

K = np.array([[500.0, 0, 320], [0, 500, 240], [0, 0, 1]])


def _cams(*names: str) -> list[Camera]:
    return [Camera(n, (640, 480), K, np.zeros(5), np.eye(3), np.array([0.1 * i, 0.0, 2.0]))
            for i, n in enumerate(names)]


def _names(cams):
    return [c.name for c in cams]


def test_one_video_with_many_cameras_and_no_name_is_refused():
    """Used to take camera 1 silently for cam02.mp4 when the calibration's names were not
    compared (single-video runs)."""
    with pytest.raises(DataQualityError, match=r"--camera"):
        match_cameras(["front.mp4"], _cams("cam01", "cam02", "cam03"), calib_label="Calib.qca.txt")


@pytest.mark.parametrize("video,expected", [
    ("cam02.mp4", "cam02"), ("CAM_02.MP4", "cam02"), ("cam-02_lift.mp4", "cam02"), ("lift_cam03.mov", "cam03"),
])
def test_one_video_matched_by_file_name(video, expected):
    assert _names(match_cameras([video], _cams("cam01", "cam02", "cam03"))) == [expected]


def test_explicit_camera_names_win_and_unknown_names_are_refused():
    cams = _cams("cam01", "cam02")
    assert _names(match_cameras(["cam01.mp4"], cams, camera_names=["cam_02"])) == ["cam02"]
    with pytest.raises(DataQualityError, match="cam09.*cam01, cam02"):
        match_cameras(["x.mp4"], cams, camera_names=["cam09"])
    with pytest.raises(DataQualityError, match="one --camera per video"):
        match_cameras(["a.mp4", "b.mp4"], cams, camera_names=["cam01"])


def test_several_videos_by_name_in_any_order():
    cams = _cams("cam01", "cam02", "cam03")
    assert _names(match_cameras(["cam03.mp4", "cam01.mp4"], cams)) == ["cam03", "cam01"]


def test_calibration_order_only_when_counts_match_and_no_name_matches():
    cams = _cams("left", "right")
    assert _names(match_cameras(["a.mp4", "b.mp4"], cams)) == ["left", "right"]
    with pytest.raises(DataQualityError, match="no camera name matches"):
        match_cameras(["a.mp4", "b.mp4"], _cams("left", "right", "top"))


def test_longest_name_wins_and_duplicates_are_refused():
    cams = _cams("cam1", "cam10")
    assert _names(match_cameras(["cam10.mp4"], cams)) == ["cam10"]
    with pytest.raises(DataQualityError, match="same camera"):
        match_cameras(["cam10.mp4", "cam10_b.mp4"], cams)


def test_single_camera_calibration_needs_no_name():
    assert _names(match_cameras(["anything.mp4"], _cams("demo"))) == ["demo"]


def test_pose2sim_calibration_files(shared_data):
    """The Pose2Sim demo's QCA names its cameras cam01..cam04 and the videos are cam01..cam04.mp4."""
    calib = shared_data / "pose2sim_demo" / "calibration" / "Calib.qca.txt"
    if not calib.is_file():
        pytest.skip("pose2sim demo calibration not present")
    cams = read_calibration(calib)
    assert _names(match_cameras([Path("videos_balancing/cam02.mp4")], cams)) == ["cam02"]
    with pytest.raises(DataQualityError):
        match_cameras([Path("my_clip.mp4")], cams)
