"""One video with a calibration of several cameras: --camera or a file-name match, else a clear error
(issue 12: `assess cam02.mp4 --calib` used to take camera 1 silently)."""

from pathlib import Path

import pytest

from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.pipeline import assess_video

CAM = ('[{n}]\nname="{n}"\nsize=[640.0,480.0]\nmatrix=[[500.0,0.0,320.0],[0.0,500.0,240.0],[0.0,0.0,1.0]]\n'
       'distortions=[0.0,0.0,0.0,0.0]\nrotation=[0.0,0.0,0.0]\ntranslation=[{x},0.0,3.0]\nfisheye=false\n')


@pytest.fixture()
def calib(tmp_path) -> Path:
    p = tmp_path / "Calib.toml"
    p.write_text(CAM.format(n="cam01", x=0.0) + CAM.format(n="cam02", x=0.5))
    return p


def test_one_video_without_a_camera_name_stops_with_a_clear_error(calib, tmp_path):
    with pytest.raises(DataQualityError, match="--camera"):
        assess_video(tmp_path / "front.mp4", Subject("male", 80, 1.78), calib)


@pytest.mark.parametrize("video,names", [("cam02.mp4", ()), ("front.mp4", ("cam02",))])
def test_a_named_or_matching_camera_gets_past_the_camera_check(calib, tmp_path, video, names):
    # the (missing) video is the next thing read: the camera choice itself was accepted
    with pytest.raises(LiftriskError) as err:
        assess_video(tmp_path / video, Subject("male", 80, 1.78), calib, camera_names=names)
    assert "--camera" not in str(err.value)


def test_cli_has_a_repeatable_camera_option(calib, tmp_path):
    from typer.testing import CliRunner

    from liftrisk.cli.main import app

    res = CliRunner().invoke(app, ["assess", str(tmp_path / "front.mp4"), "--calib", str(calib), "--mass-kg", "80",
                                   "--height-m", "1.78", "--sex", "male", "-o", str(tmp_path / "r.html")])
    assert res.exit_code != 0 and "--camera" in res.output
