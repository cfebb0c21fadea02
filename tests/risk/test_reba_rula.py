"""REBA and RULA body-part scores against the published definitions (Hignett & McAtamney
2000 worksheet; McAtamney & Corlett 1993 Figs 1-2), table look-ups against the table files,
and properties."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.errors import DataQualityError
from liftrisk.risk.tables import read_csv

# the package re-exports the functions reba/rula, which shadow the module attributes
reba_mod = importlib.import_module("liftrisk.risk.reba")
rula_mod = importlib.import_module("liftrisk.risk.rula")

NEUTRAL = {"trunk_flexion_deg": 0.0, "neck_flexion_deg": 10.0, "upper_arm_flexion_deg": 0.0,
           "elbow_flexion_deg": 80.0}


def one(**kw):
    d = dict(NEUTRAL)
    d.update(kw)
    return {k: [v] for k, v in d.items()}


# (column, angle, expected score) from the worksheet definitions in reba_tables_meta.json
REBA_CASES = [
    ("trunk", "trunk_flexion_deg", 0.0, 1), ("trunk", "trunk_flexion_deg", 10.0, 2),
    ("trunk", "trunk_flexion_deg", 20.0, 2), ("trunk", "trunk_flexion_deg", 20.1, 3),
    ("trunk", "trunk_flexion_deg", -15.0, 2), ("trunk", "trunk_flexion_deg", -25.0, 3),
    ("trunk", "trunk_flexion_deg", 60.0, 3), ("trunk", "trunk_flexion_deg", 61.0, 4),
    ("neck", "neck_flexion_deg", 20.0, 1), ("neck", "neck_flexion_deg", 21.0, 2),
    ("neck", "neck_flexion_deg", -10.0, 2),
    ("legs", "knee_flexion_deg", 29.0, 1), ("legs", "knee_flexion_deg", 45.0, 2), ("legs", "knee_flexion_deg", 61.0, 3),
    ("upper_arm", "upper_arm_flexion_deg", 20.0, 1), ("upper_arm", "upper_arm_flexion_deg", -25.0, 2),
    ("upper_arm", "upper_arm_flexion_deg", 45.0, 2), ("upper_arm", "upper_arm_flexion_deg", 46.0, 3),
    ("upper_arm", "upper_arm_flexion_deg", 90.0, 3), ("upper_arm", "upper_arm_flexion_deg", 91.0, 4),
    ("lower_arm", "elbow_flexion_deg", 60.0, 1), ("lower_arm", "elbow_flexion_deg", 100.0, 1),
    ("lower_arm", "elbow_flexion_deg", 59.0, 2), ("lower_arm", "elbow_flexion_deg", 101.0, 2),
    ("wrist", "wrist_flexion_deg", 15.0, 1), ("wrist", "wrist_flexion_deg", -16.0, 2),
]


@pytest.mark.parametrize("part, col, angle, expected", REBA_CASES)
def test_reba_body_part_bands(part, col, angle, expected):
    assert reba_mod.body_part_scores(one(**{col: angle}))[part].iloc[0] == expected


def test_reba_adjustments():
    s = reba_mod.body_part_scores
    assert s(one(trunk_flexion_deg=30.0, trunk_twist_deg=15.0))["trunk"].iloc[0] == 4
    assert s(one(trunk_flexion_deg=30.0, trunk_twist_deg=15.0, trunk_side_bend_deg=-15.0))["trunk"].iloc[0] == 4
    assert s(one(trunk_flexion_deg=70.0, trunk_side_bend_deg=15.0))["trunk"].iloc[0] == 5
    assert s(one(neck_flexion_deg=30.0, neck_twist_deg=-20.0))["neck"].iloc[0] == 3
    assert s(one(knee_flexion_deg=70.0), bilateral_support=False)["legs"].iloc[0] == 4
    assert s(one(upper_arm_flexion_deg=100.0, upper_arm_abduction_deg=30.0), shoulder_raised=True)[
        "upper_arm"].iloc[0] == 6
    assert s(one(upper_arm_flexion_deg=0.0), arm_supported=True)["upper_arm"].iloc[0] == 1   # clipped at 1
    assert s(one(upper_arm_flexion_deg=50.0), arm_supported=True)["upper_arm"].iloc[0] == 2
    assert s(one(wrist_flexion_deg=20.0), wrist_twisted=True)["wrist"].iloc[0] == 3
    assert s(one(wrist_flexion_deg=20.0, wrist_deviation_deg=20.0), wrist_twisted=True)["wrist"].iloc[0] == 3


def test_reba_scores_follow_the_table_files():
    """Score A/B/C of random frames = the table CSV cells (read here independently)."""
    ta = read_csv("reba_table_A.csv").set_index(["trunk", "neck", "legs"])["score_A_posture"]
    tb = read_csv("reba_table_B.csv").set_index(["upper_arm", "lower_arm", "wrist"])["score_B_posture"]
    tc = read_csv("reba_table_C.csv").set_index("score_A")
    rng = np.random.default_rng(1)
    n = 300
    a = {"trunk_flexion_deg": rng.uniform(-40, 100, n), "neck_flexion_deg": rng.uniform(-30, 50, n),
         "upper_arm_flexion_deg": rng.uniform(-50, 150, n), "elbow_flexion_deg": rng.uniform(0, 160, n),
         "knee_flexion_deg": rng.uniform(0, 120, n), "trunk_twist_deg": rng.uniform(-30, 30, n),
         "upper_arm_abduction_deg": rng.uniform(0, 60, n), "wrist_flexion_deg": rng.uniform(-40, 40, n)}
    r = reba_mod.reba(a, load_kg=7.0, coupling="poor", activity=1)
    for row in r.itertuples():
        assert row.table_a == ta[(row.trunk, row.neck, row.legs)]
        assert row.table_b == tb[(row.upper_arm, row.lower_arm, row.wrist)]
        assert row.score_a == row.table_a + 1 and row.score_b == row.table_b + 2
        assert row.reba == tc.loc[row.score_a, f"score_B_{row.score_b}"] + 1


def test_reba_load_coupling_activity_scores():
    assert [reba_mod.load_score(x) for x in (0, 4.99, 5, 10, 10.01)] == [0, 0, 1, 1, 2]
    assert reba_mod.load_score(3, shock=True) == 1
    assert [reba_mod.coupling_score(c) for c in ("good", "fair", "poor", "unacceptable")] == [0, 1, 2, 3]
    assert reba_mod.activity_score(True, True, True) == 3
    with pytest.raises(DataQualityError, match="coupling"):
        reba_mod.coupling_score("excellent")
    with pytest.raises(DataQualityError, match="load_kg"):
        reba_mod.load_score(-1)


def test_reba_risk_levels_and_missing_frames():
    assert list(reba_mod.risk_level([1, 2, 3, 4, 7, 8, 10, 11, 15])) == [
        "negligible", "low", "low", "medium", "medium", "high", "high", "very high", "very high"]
    a = one()
    a["trunk_flexion_deg"] = [np.nan]
    r = reba_mod.reba(a)
    assert r["reba"].iloc[0] == 0 and r["risk_level"].iloc[0] == ""
    with pytest.raises(DataQualityError, match="elbow_flexion_deg"):
        reba_mod.reba({"trunk_flexion_deg": [0.0], "neck_flexion_deg": [0.0], "upper_arm_flexion_deg": [0.0]})


def test_summary_time_at_levels():
    s = reba_mod.summarise_scores(pd.DataFrame({"reba": [1, 1, 4, 4, 9]}), time_s=np.arange(5) * 0.5)
    assert s["time_s_at_level"] == {"negligible": 1.0, "low": 0.0, "medium": 1.0, "high": 0.5, "very high": 0.0}
    assert s["histogram"] == {1: 2, 4: 2, 9: 1}
    assert s["fraction_at_level"]["medium"] == pytest.approx(0.4)


angle = st.floats(-60, 150, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(trunk=angle, neck=angle, ua=angle, el=st.floats(0, 170), load=st.floats(0, 30))
def test_reba_final_in_range_and_monotone_in_load(trunk, neck, ua, el, load):
    a = {"trunk_flexion_deg": [trunk], "neck_flexion_deg": [neck], "upper_arm_flexion_deg": [ua],
         "elbow_flexion_deg": [el]}
    lo = reba_mod.reba(a, load_kg=load)["reba"].iloc[0]
    hi = reba_mod.reba(a, load_kg=load + 6.0, coupling="poor", activity=2)["reba"].iloc[0]
    assert 1 <= lo <= hi <= 15


# ---------------------------------------------------------------- RULA
RULA_CASES = [
    ("upper_arm", "upper_arm_flexion_deg", 15.0, 1), ("upper_arm", "upper_arm_flexion_deg", -30.0, 2),
    ("upper_arm", "upper_arm_flexion_deg", 40.0, 2), ("upper_arm", "upper_arm_flexion_deg", 60.0, 3),
    ("upper_arm", "upper_arm_flexion_deg", 120.0, 4),
    ("lower_arm", "elbow_flexion_deg", 80.0, 1), ("lower_arm", "elbow_flexion_deg", 120.0, 2),
    ("wrist", "wrist_flexion_deg", 0.0, 1), ("wrist", "wrist_flexion_deg", 10.0, 2),
    ("wrist", "wrist_flexion_deg", -20.0, 3),
    ("neck", "neck_flexion_deg", 5.0, 1), ("neck", "neck_flexion_deg", 15.0, 2), ("neck", "neck_flexion_deg", 25.0, 3),
    ("neck", "neck_flexion_deg", -15.0, 4),
    ("trunk", "trunk_flexion_deg", 0.0, 1), ("trunk", "trunk_flexion_deg", 15.0, 2),
    ("trunk", "trunk_flexion_deg", 45.0, 3), ("trunk", "trunk_flexion_deg", 75.0, 4),
]


@pytest.mark.parametrize("part, col, angle, expected", RULA_CASES)
def test_rula_body_part_bands(part, col, angle, expected):
    assert rula_mod.rula(one(**{col: angle}))[part].iloc[0] == expected


def test_rula_adjustments_add_separately():
    r = rula_mod.rula(one(neck_flexion_deg=25.0, neck_twist_deg=20.0, neck_side_bend_deg=20.0,
                          trunk_flexion_deg=75.0, trunk_twist_deg=20.0, trunk_side_bend_deg=20.0,
                          upper_arm_flexion_deg=100.0, upper_arm_abduction_deg=30.0, wrist_flexion_deg=20.0,
                          wrist_deviation_deg=20.0),
                      shoulder_raised=True, across_midline=True, wrist_twist_end_range=True, legs_supported=False)
    row = r.iloc[0]
    assert (row.neck, row.trunk, row.upper_arm, row.lower_arm, row.wrist, row.wrist_twist, row.legs) == (
        5, 6, 6, 2, 4, 2, 2)


def test_rula_scores_follow_the_table_files():
    ta = read_csv("rula_table_A.csv").set_index(["upper_arm", "lower_arm", "wrist", "wrist_twist"])
    tb = read_csv("rula_table_B.csv").set_index(["neck", "trunk", "legs"])
    tc = read_csv("rula_table_C.csv")
    rng = np.random.default_rng(2)
    n = 300
    a = {"trunk_flexion_deg": rng.uniform(-20, 100, n), "neck_flexion_deg": rng.uniform(-30, 50, n),
         "upper_arm_flexion_deg": rng.uniform(-50, 150, n), "elbow_flexion_deg": rng.uniform(0, 160, n),
         "trunk_twist_deg": rng.uniform(-30, 30, n), "neck_side_bend_deg": rng.uniform(-30, 30, n),
         "wrist_flexion_deg": rng.uniform(-40, 40, n)}
    r = rula_mod.rula(a, load_kg=5.0, static_or_repeated=True, muscle_use=True)
    for row in r.itertuples():
        assert row.table_a == ta.loc[(row.upper_arm, row.lower_arm, row.wrist, row.wrist_twist), "score_A_posture"]
        assert row.table_b == tb.loc[(row.neck, row.trunk, row.legs), "score_B_posture"]
        assert row.score_c == row.table_a + 3 and row.score_d == row.table_b + 3
        assert row.grand == tc.iloc[min(row.score_c, 8) - 1, min(row.score_d, 7)]
        assert row.action_level == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4}[row.grand]


def test_rula_force_scores():
    f = rula_mod.force_score
    assert (f(1.9), f(2.0), f(10.0), f(10.0, True), f(10.5), f(1.0, shock=True)) == (0, 1, 1, 2, 3, 3)
