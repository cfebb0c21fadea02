"""Mehrizi et al. 2019-style comparison of two load series: analytic cases and the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.metrics import compare_lifts

T = np.linspace(0.0, 10.0, 1001)  # 100 Hz


def _tables():
    """Reference: a 2 s lift (grasp 1 s) with a sine sagittal moment and vertical force; outside
    the cycle the estimate is wildly wrong, which must not count."""
    u = np.clip((T - 1.0) / 2.0, 0, 1)
    ref = pd.DataFrame({"l5s1_extension_moment_nm": 150 * np.sin(np.pi * u),
                        "l5s1_lateral_bending_left_moment_nm": 10 * np.sin(2 * np.pi * u),
                        "l5s1_axial_force_n": 400 + 300 * np.sin(np.pi * u)}, index=pd.Index(T, name="time_s"))
    est = ref.copy()
    est["l5s1_extension_moment_nm"] *= 1.1
    est.loc[T > 3.5, :] = 1e4
    return est, ref


def test_scaled_sagittal_moment_gives_analytic_rmse_and_total_error():
    """Estimate = 1.1 x reference in the sagittal plane only: RMSE = 0.1 x RMS of the reference over
    the normalised cycle (u = 0..1 on 101 samples), r = 1; the other planes agree exactly."""
    est, ref = _tables()
    c = compare_lifts(est, ref, [(1.0, 3.0)])
    u = np.linspace(0, 1, 101)
    expect = 0.1 * np.sqrt(np.mean((150 * np.sin(np.pi * u)) ** 2))
    assert c.planes.loc["l5s1_extension_moment_nm", "rmse_mean"] == pytest.approx(expect, rel=1e-3)
    assert c.planes.loc["l5s1_extension_moment_nm", "r_mean"] == pytest.approx(1.0, abs=1e-9)
    assert c.planes.loc["l5s1_lateral_bending_left_moment_nm", "rmse_mean"] == pytest.approx(0.0, abs=1e-9)
    tot_ref = np.hypot(150 * np.sin(np.pi * u), 10 * np.sin(2 * np.pi * u))
    tot_est = np.hypot(165 * np.sin(np.pi * u), 10 * np.sin(2 * np.pi * u))
    m, s = c.total_error["moment"]
    assert m == pytest.approx(np.mean(np.abs(tot_est - tot_ref)), rel=1e-3)
    assert s == pytest.approx(np.std(np.abs(tot_est - tot_ref), ddof=1), rel=1e-3)
    assert c.total_error["force"] == pytest.approx((0.0, 0.0), abs=1e-9)
    assert c.per_lift.query("component == 'l5s1_extension_moment_nm'").peak_a.iloc[0] == pytest.approx(165, rel=1e-3)


def test_constant_offset_lowers_the_absolute_agreement_icc():
    """ICC(2,1) is absolute agreement: the same peaks plus 30 N·m agree less than identical ones."""
    est, ref = _tables()
    same = compare_lifts(ref, ref, [(1.0, 3.0)])
    off = compare_lifts(ref + 30.0, ref, [(1.0, 3.0)])
    assert same.peak_icc["moment"][0] == pytest.approx(1.0)
    assert off.peak_icc["moment"][0] < same.peak_icc["moment"][0]


def test_compare_cli_with_prefixes(tmp_path):
    est, ref = _tables()
    table = pd.concat([ref, est.add_prefix("bottom_up_")], axis=1)
    path = tmp_path / "loads.csv"
    table.to_csv(path)
    out = tmp_path / "per_lift.csv"
    res = CliRunner().invoke(app, ["compare", str(path), "--b-prefix", "bottom_up_", "--lift", "1.0-3.0",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    for word in ("sagittal moment", "ICC(2,1)", "total moment absolute error", "vertical force"):
        assert word in res.output
    assert len(pd.read_csv(out)) == 5   # 2 moment planes + total, 1 force plane + total
    bad = CliRunner().invoke(app, ["compare", str(path), "--b-prefix", "nope_"])
    assert bad.exit_code == 2
