"""`liftrisk opensim`: writes model.osim, ik.mot and markers.trc; refuses to overwrite."""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.core import Subject
from liftrisk.io import read_mot, read_trc, write_trc
from liftrisk.synthetic import synthetic_lift


def test_opensim_files_round_trip(tmp_path):
    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s, duration_s=2.0)
    write_trc(m, tmp_path / "lift.trc")
    args = ["opensim", str(tmp_path / "lift.trc"), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male",
            "-o", str(tmp_path / "out")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    assert "OpenSimDocument" in (out / "model.osim").read_text()
    mot, _ = read_mot(out / "ik.mot")
    assert {"l_knee_flexion", "lumbar_flexion", "pelvis_tx"} <= set(mot.columns)
    # the stooped/squat lift flexes the knees by tens of degrees (the file is in degrees)
    assert 20.0 < np.nanmax(mot["r_knee_flexion"]) < 160.0
    assert read_trc(out / "markers.trc").n_frames == m.n_frames
    again = CliRunner().invoke(app, args)
    assert again.exit_code != 0 and "overwrite" in again.output.lower()
