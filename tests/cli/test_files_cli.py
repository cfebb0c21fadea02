"""`liftrisk info` and `liftrisk angles`: exit codes and messages (never a traceback).

The angle check writes a synthetic body in a known posture (trunk flexed 30°, knees 20°)
as an OpenSim-style TRC (mm, Y-up) and expects those angles back in degrees: it exercises
the reader's unit and frame conversion end to end.
"""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.core import Motion, Subject
from liftrisk.io import write_keypoints_csv, write_trc
from liftrisk.synthetic import Posture, body_motion

runner = CliRunner()


def _run(*args):
    res = runner.invoke(app, list(map(str, args)))
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    return res


@pytest.fixture()
def posture_trc(tmp_path):
    n = 40
    m = body_motion(Subject("male", 75.0, 1.75), Posture(trunk_flexion=np.full(n, np.radians(30.0)),
                                                         knee_flexion=np.full(n, np.radians(20.0))), rate_hz=50.0)
    f = tmp_path / "bent.trc"
    write_trc(m, f, units="mm", frame="y_up")
    return f


def test_info_trc(posture_trc):
    res = _run("info", posture_trc)
    assert res.exit_code == 0
    for text in ("format:     trc", "frames:     40 at 50 Hz", "file mm -> liftrisk m", "file y_up",
                 "missing:    0.0 %", "points:     22"):
        assert text in res.output


def test_angles_recovers_known_posture(posture_trc, tmp_path):
    out = tmp_path / "angles.csv"
    res = _run("angles", posture_trc, "-o", out, "--cutoff-hz", "6")
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output
    df = pd.read_csv(out, index_col="time_s")
    assert len(df) == 40 and all(c.endswith("_deg") for c in df.columns)
    assert np.allclose(df["trunk_flexion_deg"], 30.0, atol=0.5)
    assert np.allclose(df[["l_knee_flexion_deg", "r_knee_flexion_deg"]], 20.0, atol=0.5)
    again = _run("angles", posture_trc, "-o", out)
    assert again.exit_code == 2 and "already exists" in again.output and "overwrite" in again.output
    assert _run("angles", posture_trc, "-o", out, "--overwrite").exit_code == 0


def test_clear_errors(tmp_path):
    res = _run("info", tmp_path / "nope.trc")
    assert res.exit_code == 2 and "nope.trc: file not found" in res.output
    empty = tmp_path / "empty.c3d"
    empty.write_text("")
    res = _run("info", empty)
    assert res.exit_code == 2 and "empty" in res.output and "Fix:" in res.output
    odd = tmp_path / "clip.xyz"
    odd.write_text("some text")
    res = _run("angles", odd, "-o", tmp_path / "o.csv")
    assert res.exit_code == 2 and "unknown format" in res.output and "clip.xyz" in res.output
    nan = tmp_path / "nan.csv"
    nan.write_text("time_s,neck_x_m,neck_y_m,neck_z_m\n0,,,\n0.1,,,\n")
    res = _run("info", nan)
    assert res.exit_code == 2 and "missing (NaN)" in res.output
    mm = tmp_path / "mm_as_m.csv"
    pts = {"neck": np.tile([0.0, 0.0, 1500.0], (3, 1)), "l_ankle": np.tile([0.0, 100.0, 80.0], (3, 1))}
    m = Motion.from_points(pts, rate_hz=30.0)
    write_keypoints_csv(m, mm)
    res = _run("angles", mm, "-o", tmp_path / "o.csv")
    assert res.exit_code == 2 and "millimetres" in res.output and "mm_as_m.csv" in res.output


def test_info_on_real_files(shared_data, tmp_path):
    trc = shared_data / "opensim_gait2354" / "subject01_walk1.trc"
    c3d = shared_data / "kineticstoolkit" / "c3dorg_sample01_Eb015pr.c3d"
    grf = shared_data / "opensim_gait2354" / "subject01_walk1_grf.mot"
    if not (trc.exists() and c3d.exists() and grf.exists()):
        pytest.skip("shared files missing")
    res = _run("info", trc)
    assert res.exit_code == 0 and "frames:     151 at 60 Hz" in res.output and "points:     41" in res.output
    res = _run("info", c3d)
    assert res.exit_code == 0 and "force plates: 2" in res.output and "frames:     450 at 50 Hz" in res.output
    res = _run("info", grf)
    assert res.exit_code == 0 and "rows:       1501 at 600 Hz" in res.output
    # the c3d.org sample has only segment-cluster markers: a clear message, not a traceback
    res = _run("angles", c3d, "-o", tmp_path / "never_written.csv")
    assert res.exit_code == 2 and "cannot build joint centres" in res.output and "Fix:" in res.output


def test_info_warns_about_a_likely_wrong_frame(tmp_path):
    m = body_motion(Subject("female", 60.0, 1.65), Posture(), rate_hz=30.0, n_frames=3)
    f = tmp_path / "zup.trc"
    write_trc(m, f, frame="z_up")
    res = _run("info", f)
    assert res.exit_code == 0 and "warning:" in res.output and "--frame z_up" in res.output
    res = _run("info", f, "--frame", "z_up")
    assert res.exit_code == 0 and "warning:" not in res.output and "file z_up" in res.output
