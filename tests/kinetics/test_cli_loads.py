"""`liftrisk loads`: exit codes, messages and the CSV written (CliRunner)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.io import write_keypoints_csv
from liftrisk.kinetics.inverse_dynamics import demo_posture

runner = CliRunner()


def _file(tmp_path):
    m = demo_posture(60)
    t = np.arange(60) / 60.0
    pos = m.positions_m.copy()
    pos[:, :, 2] += 0.02 * np.sin(2 * np.pi * t)[:, None]
    f = tmp_path / "lift.csv"
    write_keypoints_csv(m.replace(positions_m=pos, time_s=t), f)
    return f


def test_loads_writes_csv_and_prints_peaks(tmp_path):
    f = _file(tmp_path)
    out = tmp_path / "out" / "loads.csv"
    r = runner.invoke(app, ["loads", str(f), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male",
                            "--box-kg", "10", "--static", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "peak L5/S1 extension moment" in r.output and "3400 N" in r.output
    df = pd.read_csv(out, index_col="time_s")
    assert len(df) == 60
    # the static 45 deg stoop with 10 kg (hand-checked in test_inverse_dynamics): ~130 N·m
    assert abs(df["l5s1_extension_moment_nm"].iloc[30] - 130.3) < 5.0
    assert {"compression_n", "ap_shear_n", "above_action_limit"} <= set(df.columns)
    r2 = runner.invoke(app, ["loads", str(f), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male",
                             "-o", str(out)])
    assert r2.exit_code == 2 and "overwrite" in r2.output
    r3 = runner.invoke(app, ["loads", str(f), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male",
                             "--box-kg", "10", "--hold-s", "0.5", "0.9", "--static", "-o", str(out), "--overwrite"])
    assert r3.exit_code == 0, r3.output
    held = pd.read_csv(out, index_col="time_s")["l5s1_extension_moment_nm"]
    assert abs(held.iloc[30] - 130.3) < 5.0 and held.iloc[10] < held.iloc[30] - 20.0  # box only from 0.5 s


def test_loads_bad_subject_is_one_line_error(tmp_path):
    f = _file(tmp_path)
    r = runner.invoke(app, ["loads", str(f), "--mass-kg", "80", "--height-m", "178", "--sex", "male"])
    assert r.exit_code == 2
    assert "centimetres" in r.output and "Traceback" not in r.output
