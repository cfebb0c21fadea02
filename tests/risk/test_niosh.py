"""Revised NIOSH lifting equation against every row of the manual's Tables 1-5 and 7
(shared reference files), the three table-vs-formula exceptions, the limits, and
hand-computed RWL / CLI cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from liftrisk.errors import DataQualityError
from liftrisk.risk import niosh


def ref(shared_data, name):
    p = shared_data / "reference_numbers" / name
    if not p.exists():
        pytest.skip(f"{p} not available")
    return pd.read_csv(p)


def round2(x):
    """The manual's tables round half up to 2 decimals."""
    return np.floor(x * 100 + 0.5 + 1e-9) / 100


def quiet(fn, *a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", niosh.NioshLimitWarning)
        return fn(*a)


@pytest.mark.parametrize("table, fn, col, out", [
    ("niosh_table1_horizontal_multiplier.csv", niosh.horizontal_multiplier, "H", "HM_published"),
    ("niosh_table2_vertical_multiplier.csv", niosh.vertical_multiplier, "V", "VM_published"),
    ("niosh_table3_distance_multiplier.csv", niosh.distance_multiplier, "D", "DM_published"),
])
def test_tables_1_to_3_every_row(shared_data, table, fn, col, out):
    df = ref(shared_data, table)
    for r in df.itertuples():
        rel = getattr(r, f"{col}_relation")
        x = float(getattr(r, col))
        if rel == "gt":
            with pytest.warns(niosh.NioshLimitWarning):
                assert fn(x + 1.0, r.unit) == 0.0
            continue
        xs = [x, x - 3.0, 0.0] if rel == "le" else [x]
        for xi in xs:
            assert round2(quiet(fn, xi, r.unit)) == pytest.approx(getattr(r, out)), (r, xi)


def test_table_4_every_row(shared_data):
    for r in ref(shared_data, "niosh_table4_asymmetric_multiplier.csv").itertuples():
        if r.A_relation == "gt":
            with pytest.warns(niosh.NioshLimitWarning):
                assert niosh.asymmetric_multiplier(r.A_deg + 1) == 0.0
        else:
            assert round2(niosh.asymmetric_multiplier(r.A_deg)) == pytest.approx(r.AM_published)


def test_table_5_every_row(shared_data):
    df = ref(shared_data, "niosh_table5_frequency_multiplier.csv")
    assert len(df) == 18 * 6
    for r in df.itertuples():
        v = 50.0 if r.V_class_at_origin.startswith("V_lt") else 100.0
        hours = {"short_le_1h": 1.0, "moderate_1_to_2h": 2.0, "long_2_to_8h": 8.0}[r.duration_class]
        if r.F_relation == "gt":
            with pytest.warns(niosh.NioshLimitWarning):
                assert niosh.frequency_multiplier(r.F_lifts_per_min + 1, hours, v) == 0.0
            continue
        fs = [r.F_lifts_per_min, 0.1, 0.0] if r.F_relation == "le" else [r.F_lifts_per_min]
        for f in fs:
            assert quiet(niosh.frequency_multiplier, f, hours, v) == pytest.approx(r.FM_published), (r, f)
        # the US form uses V = 30 in as the class limit
        assert quiet(niosh.frequency_multiplier, fs[0], hours, v / 2.54, "in") == pytest.approx(r.FM_published)


def test_table_7_every_row(shared_data):
    for r in ref(shared_data, "niosh_table7_coupling_multiplier.csv").itertuples():
        assert niosh.coupling_multiplier(r.coupling, 74.9) == r.CM_V_lt_30in_75cm
        assert niosh.coupling_multiplier(r.coupling, 75.0) == r.CM_V_ge_30in_75cm
        assert niosh.coupling_multiplier(r.coupling, 29.9, "in") == r.CM_V_lt_30in_75cm


def test_table_vs_formula_exceptions_follow_the_tables():
    """The three rows listed in niosh_rnle_rules_and_examples.json."""
    assert niosh.horizontal_multiplier(22.0, "in") == 0.46     # formula .4545
    assert niosh.horizontal_multiplier(23.0, "in") == 0.44     # formula .4348
    assert niosh.distance_multiplier(130.0, "cm") == 0.86      # formula .8546
    exc = [e for e in niosh.rules()["table_vs_formula_exceptions"] if "table" in e]
    assert len(exc) == 3
    # between tabulated values the formula is used
    assert niosh.horizontal_multiplier(22.5, "in") == pytest.approx(10 / 22.5)


def test_frequency_interpolation_as_in_example_7():
    """F = 2.4/min lies between the 2 and 3 lifts/min rows (manual Example 7 interpolates)."""
    fm = niosh.frequency_multiplier(2.4, 8.0, 100.0)
    assert fm == pytest.approx(0.65 + 0.4 * (0.55 - 0.65))


def test_limits_and_warnings():
    with pytest.warns(niosh.NioshLimitWarning, match="HM = 0"):
        r = niosh.rwl(0.70, 0.75, 0.3, 0, 1, 1, "good", 10)
    assert r.rwl == 0.0 and r.li == float("inf")
    with pytest.warns(niosh.NioshLimitWarning, match="VM = 0"):
        niosh.rwl(0.3, 1.80, 0.3, 0, 1, 1, "good", 10)
    with pytest.warns(niosh.NioshLimitWarning, match="AM = 0"):
        niosh.rwl(0.3, 0.7, 0.3, 140, 1, 1, "good", 10)
    with pytest.warns(niosh.NioshLimitWarning, match="DM = 0"):
        niosh.rwl(0.3, 0.7, 1.8, 0, 1, 1, "good", 10)
    with pytest.warns(niosh.NioshLimitWarning, match="8 h"):
        niosh.duration_class(10.0)
    assert niosh.horizontal_multiplier(10.0) == 1.0 and niosh.distance_multiplier(5.0) == 1.0
    with pytest.raises(DataQualityError, match="metres"):
        niosh.rwl(30.0, 75.0, 25.0, 0, 1, 1, "good", 10)
    with pytest.raises(DataQualityError, match="coupling"):
        niosh.coupling_multiplier("excellent", 50.0)


def test_rwl_hand_computed_metric_and_us():
    # H 40 cm, V 30 cm, D 50 cm, A 30 deg, F 1/min for <= 1 h (V < 75: .94), fair at V < 75 (.95)
    expected = 23 * (25 / 40) * (1 - 0.003 * 45) * (0.82 + 4.5 / 50) * (1 - 0.0032 * 30) * 0.94 * 0.95
    r = niosh.rwl(0.40, 0.30, 0.50, 30.0, 1.0, 1.0, "fair", 11.0)
    assert r.rwl == pytest.approx(expected, rel=1e-12)
    assert r.li == pytest.approx(11.0 / expected)
    # US: H 16 in, V 12 in, D 20 in
    exp_us = 51 * (10 / 16) * (1 - 0.0075 * 18) * (0.82 + 1.8 / 20) * (1 - 0.0032 * 30) * 0.94 * 0.95
    assert niosh.rwl_us(16, 12, 20, 30, 1, 1, "fair", 25).rwl == pytest.approx(exp_us)
    # worksheet rounding: each multiplier to 2 decimals
    rr = niosh.rwl(0.40, 0.30, 0.50, 30.0, 1.0, 1.0, "fair", 11.0, round_multipliers=True)
    assert rr.multipliers == {"HM": 0.63, "VM": 0.87, "DM": 0.91, "AM": 0.9, "FM": 0.94, "CM": 0.95}


def test_destination_uses_origin_v_for_fm_and_point_v_for_cm():
    r = niosh.rwl(0.3, 1.2, 0.9, 0, 4.0, 8.0, "fair", 10, v_origin_m=0.3)
    assert r.multipliers["FM"] == 0.45      # long, F 4, V at origin 30 cm (< 75): Table 5
    assert r.multipliers["CM"] == 1.0       # fair at V 120 cm (>= 75): Table 7


def test_composite_lifting_index_by_hand():
    """Two tasks (manual p. 28 procedure), computed by hand from Table 5 values."""
    t1 = niosh.NioshTask(load_kg=20.0, origin=(0.25, 0.75, 0.0), d_m=0.25, lifts_per_min=1.0)
    t2 = niosh.NioshTask(load_kg=8.0, origin=(0.50, 0.75, 0.0), d_m=0.25, lifts_per_min=2.0)
    res = niosh.composite_lifting_index([t2, t1], 1.0)
    # STLI_1 (task t1) = 20 / (23 * FM(1) = .94) > STLI(t2) = 8 / (23 * .5 * .91); FILI_2 = 8 / (23 * .5)
    stli1 = 20 / (23 * 0.94)
    fili2 = 8 / (23 * 0.5)
    assert res["order"] == [1, 0]
    assert res["CLI"] == pytest.approx(stli1 + fili2 * (1 / 0.88 - 1 / 0.94))
    assert niosh.composite_lifting_index([t1], 1.0)["CLI"] == pytest.approx(stli1)


def test_li_categories():
    assert niosh.li_category(1.0).startswith("design goal")
    assert niosh.li_category(3.0).startswith("increased")
    assert niosh.li_category(3.01).startswith("high")
    assert niosh.li_category(float("inf")).startswith("high")        # RWL = 0 (e.g. H > 63 cm)
    assert niosh.li_category(float("nan")).startswith("not determined")  # was "high risk"
    assert niosh.li_category(None).startswith("not determined")


def test_example_4_origin_package_inspection():
    """Manual Example 4 (Figure 14, p. 46) as quoted in the ErgonomicTool RNLE specification:
    origin RWL = 51 x 1.0 (HM) x .94 (VM, V = 22 in) x .87 (DM, D = 37 in) x 1.0 (AM) x .88 (FM)
    x .95 (CM, fair at V < 30 in) = 34.9 lb with the worksheet's rounded multipliers and 34.8 lb at
    full precision. FM .88 is Table 5's value for 3 lifts/min, <= 1 h at V < 30 in."""
    kw = dict(h_in=10.0, v_in=22.0, d_in=37.0, a_deg=0.0, lifts_per_min=3.0, duration_h=1.0, coupling="fair",
              load_lb=10.0)
    worksheet = niosh.rwl_us(**kw, round_multipliers=True)
    assert worksheet.multipliers == {"HM": 1.0, "VM": 0.94, "DM": 0.87, "AM": 1.0, "FM": 0.88, "CM": 0.95}
    assert round(worksheet.rwl, 1) == 34.9
    assert round(niosh.rwl_us(**kw).rwl, 1) == 34.8
    # destination: V = 59 in (22 + 37) -> CM 1.0 for fair coupling, FM still from V at the origin
    dest = niosh.rwl_us(10.0, 59.0, 37.0, 0.0, 3.0, 1.0, "fair", 10.0, v_origin_in=22.0)
    assert dest.multipliers["CM"] == 1.0 and dest.multipliers["FM"] == 0.88


def test_fili_uses_the_maximum_load():
    t = niosh.NioshTask(load_kg=10.0, max_load_kg=15.0, origin=(0.25, 0.75, 0.0), d_m=0.25, lifts_per_min=1.0)
    ix = niosh.task_indices(t, 1.0)
    assert ix["FILI"] == pytest.approx(15.0 / 23.0) and ix["STLI"] == pytest.approx(10.0 / (23.0 * 0.94))
