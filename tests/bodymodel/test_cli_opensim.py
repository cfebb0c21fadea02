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


def test_opensim_external_loads_and_id_needs_grf(tmp_path):
    """--grf writes the external loads next to the model; --run-id without --grf is one clear error."""
    from liftrisk.core import GroundReaction
    from liftrisk.io import read_opensim_grf, write_external_loads

    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s, duration_s=1.0)
    write_trc(m, tmp_path / "lift.trc")
    t = m.time_s
    g = [GroundReaction(time_s=t, force_n=np.tile([0.0, 0.0, 400.0], (t.size, 1)),
                        cop_m=np.tile([0.05, y, 0.0], (t.size, 1)), foot=f, name=f)
         for f, y in (("right", -0.1), ("left", 0.1))]
    write_external_loads(g, tmp_path / "grf.mot", tmp_path / "grf.xml", {"right": "calcn_r", "left": "calcn_l"})
    base = ["opensim", str(tmp_path / "lift.trc"), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male"]
    res = CliRunner().invoke(app, [*base, "--grf", str(tmp_path / "grf.mot"), "--grf-loads", str(tmp_path / "grf.xml"),
                                   "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    xml = (tmp_path / "out" / "external_loads.xml").read_text()
    assert "<applied_to_body>r_foot</applied_to_body>" in xml and "<applied_to_body>l_foot</applied_to_body>" in xml
    back = read_opensim_grf(tmp_path / "out" / "external_loads.mot", tmp_path / "out" / "external_loads.xml")
    assert {x.foot for x in back} == {"right", "left"}
    np.testing.assert_allclose(back[0].force_n[:, 2], 400.0)
    res = CliRunner().invoke(app, [*base, "--run-id", "-o", str(tmp_path / "out2")])
    assert res.exit_code == 2 and "--grf" in res.output
