"""Fuzzy REBA: the vectorised NumPy version against the scikit-fuzzy reference, membership
properties from Int J Intell Syst 2023 (0.5 at band edges), continuity, agreement with crisp REBA away
from band edges, and the fuzzy-vs-crisp Spearman over a synthetic lifting recording."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import skfuzzy as fuzz
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from liftrisk.risk.fuzzy_reba import FuzzySettings, centroid, fuzzy_reba, fuzzy_reba_reference
from liftrisk.risk.posture import posture_scores

reba_mod = importlib.import_module("liftrisk.risk.reba")


def random_angles(n, seed):
    rng = np.random.default_rng(seed)
    return {"trunk_flexion_deg": rng.uniform(-35, 95, n), "neck_flexion_deg": rng.uniform(-25, 45, n),
            "upper_arm_flexion_deg": rng.uniform(-45, 140, n), "elbow_flexion_deg": rng.uniform(0, 160, n),
            "knee_flexion_deg": rng.uniform(0, 110, n), "trunk_twist_deg": rng.uniform(-25, 25, n),
            "trunk_side_bend_deg": rng.uniform(-25, 25, n), "neck_side_bend_deg": rng.uniform(-25, 25, n),
            "upper_arm_abduction_deg": rng.uniform(0, 45, n), "wrist_flexion_deg": rng.uniform(-35, 35, n),
            "wrist_deviation_deg": rng.uniform(-30, 30, n)}


@pytest.mark.parametrize("kw", [dict(), dict(load_kg=12.0, coupling="poor", activity=2),
                                dict(load_kg=6.0, bilateral_support=False, shoulder_raised=True,
                                     arm_supported=True, wrist_twisted=True)])
def test_vectorised_equals_scikit_fuzzy_reference(kw):
    a = random_angles(40, seed=len(kw))
    fast = fuzzy_reba(a, fuzzy=FuzzySettings(chunk_frames=7), **kw)
    ref = fuzzy_reba_reference(a, **kw)
    # same universe and centroid formula; differences are float rounding only
    np.testing.assert_allclose(fast.to_numpy(), ref.to_numpy(), atol=1e-9, rtol=0)


def test_centroid_equals_skfuzzy_defuzz():
    x = np.linspace(0, 13, 261)
    rng = np.random.default_rng(3)
    mu = np.clip(rng.uniform(-0.5, 1, (20, x.size)), 0, 1)
    ours = centroid(x, mu)
    theirs = [fuzz.defuzz(x, m, "centroid") for m in mu]
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_trapezoids_cross_at_half_on_every_edge():
    """Int J Intell Syst 2023, sec. 3.2: adjacent joint-angle membership functions overlap at 0.5 (on the band edge)."""
    for name, b in reba_mod.RebaSettings().bands().items():
        for e in b.edges:
            mu = b.memberships([e], 5.0)[0]
            assert np.sort(mu)[-2:] == pytest.approx([0.5, 0.5]), (name, e, mu)
        grid = np.linspace(-150, 200, 3501)
        np.testing.assert_allclose(b.memberships(grid, 5.0).sum(axis=1), 1.0, atol=1e-12)
        # same trapezoids through skfuzzy.trapmf
        for score, abcd in b.trapezoids(5.0):
            assert np.all(fuzz.trapmf(grid, abcd) <= b.memberships(grid, 5.0)[:, score] + 1e-12)


@pytest.mark.parametrize("col, edge", [("trunk_flexion_deg", 20.0), ("trunk_flexion_deg", 60.0),
                                       ("neck_flexion_deg", 20.0), ("upper_arm_flexion_deg", 45.0),
                                       ("upper_arm_flexion_deg", 90.0), ("elbow_flexion_deg", 100.0),
                                       ("knee_flexion_deg", 60.0)])
def test_continuous_where_crisp_reba_jumps(col, edge):
    base = {"trunk_flexion_deg": 40.0, "neck_flexion_deg": 10.0, "upper_arm_flexion_deg": 60.0,
            "elbow_flexion_deg": 80.0, "knee_flexion_deg": 40.0}
    sweep = np.arange(edge - 10.0, edge + 10.0 + 1e-9, 0.1)
    a = {k: np.full(sweep.size, v) for k, v in base.items()}
    a[col] = sweep
    crisp = reba_mod.reba(a, load_kg=6.0)["reba"].to_numpy()
    fz = fuzzy_reba(a, load_kg=6.0)["fuzzy_reba"].to_numpy()
    assert np.abs(np.diff(fz)).max() < 0.1          # a 0.1 deg step moves it < 0.1 score
    if np.ptp(crisp) > 0:
        assert np.abs(np.diff(crisp)).max() >= 1    # while the crisp score jumps


@settings(max_examples=40, deadline=None)
@given(st.floats(-30, 90), st.floats(-20, 40), st.floats(-40, 130), st.floats(0, 160))
def test_small_angle_change_small_score_change(trunk, neck, ua, el):
    a = {"trunk_flexion_deg": [trunk, trunk + 0.1], "neck_flexion_deg": [neck, neck + 0.1],
         "upper_arm_flexion_deg": [ua, ua + 0.1], "elbow_flexion_deg": [el, el + 0.1]}
    fz = fuzzy_reba(a)["fuzzy_reba"].to_numpy()
    assert abs(fz[1] - fz[0]) < 0.2


def test_agrees_with_crisp_reba_away_from_band_edges():
    """More than the transition half-width from every edge, fuzzy REBA = crisp REBA."""
    w = 5.0
    s = reba_mod.RebaSettings()
    bands = s.bands()
    rng = np.random.default_rng(7)
    n = 4000
    a = random_angles(n, seed=11)
    a.update(trunk_twist_deg=rng.uniform(-3, 3, n), trunk_side_bend_deg=rng.uniform(-3, 3, n),
             neck_side_bend_deg=rng.uniform(-3, 3, n), upper_arm_abduction_deg=rng.uniform(0, 10, n),
             wrist_deviation_deg=rng.uniform(-8, 8, n))
    far = np.ones(n, bool)
    for col, key in (("trunk_flexion_deg", "trunk"), ("neck_flexion_deg", "neck"), ("knee_flexion_deg", "knee"),
                     ("upper_arm_flexion_deg", "upper_arm"), ("elbow_flexion_deg", "lower_arm"),
                     ("wrist_flexion_deg", "wrist")):
        d = np.min(np.abs(np.asarray(a[col])[:, None] - np.asarray(bands[key].edges)[None, :]), axis=1)
        far &= d >= w
    assert far.sum() > 50
    sub = {k: np.asarray(v)[far] for k, v in a.items()}
    crisp = reba_mod.reba(sub, load_kg=7.0, coupling="fair", activity=1)["reba"].to_numpy()
    fz = fuzzy_reba(sub, load_kg=7.0, coupling="fair", activity=1)["fuzzy_reba"].to_numpy()
    np.testing.assert_allclose(fz, crisp, atol=1e-9)


def test_missing_angles_give_nan():
    a = random_angles(3, seed=0)
    a["trunk_flexion_deg"][1] = np.nan
    out = fuzzy_reba(a)["fuzzy_reba"].to_numpy()
    assert np.isnan(out[1]) and np.isfinite(out[[0, 2]]).all()


def test_spearman_fuzzy_vs_crisp_over_a_lifting_recording(lift_cycle):
    """Int J Intell Syst 2023 reports 0.817 (Table 5, 6 postures). Over the synthetic two-cycle lifting
    recording (600 frames) the rank agreement must be at least that."""
    _, ang = lift_cycle
    angles = {"trunk_flexion_deg": ang["trunk_deg"], "neck_flexion_deg": ang["neck_deg"],
              "upper_arm_flexion_deg": ang["shoulder_deg"], "elbow_flexion_deg": ang["elbow_deg"],
              "knee_flexion_deg": ang["knee_deg"]}
    import pandas as pd
    s = posture_scores({"r": pd.DataFrame(angles)}, load_kg=10.0, coupling="fair")
    rho = spearmanr(s["reba"], s["fuzzy_reba"]).statistic
    assert rho > 0.817


def test_table_a_stage_equals_scikit_fuzzy_control_system():
    """Score A stage (trunk, neck, knee angles -> Table A rule base, 60 rules) through
    scikit-fuzzy's own Mamdani engine (`skfuzzy.control`) equals the vectorised version.

    Tolerance 2e-3 score units: skfuzzy.control inserts the exact points where each output
    set is clipped before taking the centroid, the vectorised version samples the clipped
    sets on the 0.05-step universe; the resulting centroid difference is of order 1e-4."""
    from skfuzzy import control as ctrl

    bands = reba_mod.RebaSettings().bands()
    w = 5.0
    table = reba_mod.reba_table_a()
    ant = {}
    for name, key, lo, hi in (("trunk", "trunk", -60.0, 120.0), ("neck", "neck", -40.0, 60.0),
                              ("knee", "knee", 0.0, 150.0)):
        a = ctrl.Antecedent(np.round(np.arange(lo, hi + 1e-9, 0.1), 6), name)
        for score, abcd in bands[key].trapezoids(w, lo=lo - 1, hi=hi + 1):
            term = f"s{score}"
            mf = fuzz.trapmf(a.universe, abcd)
            a[term] = np.fmax(a[term].mf, mf) if term in a.terms else mf
        ant[name] = a
    out = ctrl.Consequent(FuzzySettings().universe(), "score_a", defuzzify_method="centroid")
    for k in range(1, 13):
        out[f"a{k}"] = fuzz.trimf(out.universe, [k - 1.0, float(k), k + 1.0])
    rules = []
    for t in range(1, 6):
        for n in range(1, 4):
            for knee_adj in range(0, 3):                # legs = 1 (bilateral support) + knee adjustment
                if f"s{t}" in ant["trunk"].terms and f"s{n}" in ant["neck"].terms:
                    rules.append(ctrl.Rule(ant["trunk"][f"s{t}"] & ant["neck"][f"s{n}"] & ant["knee"][f"s{knee_adj}"],
                                           out[f"a{table[t, n, 1 + knee_adj]}"]))
    sim = ctrl.ControlSystemSimulation(ctrl.ControlSystem(rules))
    rng = np.random.default_rng(5)
    trunk = np.round(rng.uniform(-30, 90, 15), 1)
    neck = np.round(rng.uniform(-20, 40, 15), 1)
    knee = np.round(rng.uniform(0, 100, 15), 1)
    ours = fuzzy_reba({"trunk_flexion_deg": trunk, "neck_flexion_deg": neck, "knee_flexion_deg": knee,
                       "upper_arm_flexion_deg": np.zeros(15), "elbow_flexion_deg": np.full(15, 80.0)})["fuzzy_a"]
    for i in range(15):
        sim.input["trunk"], sim.input["neck"], sim.input["knee"] = trunk[i], neck[i], knee[i]
        sim.compute()
        assert sim.output["score_a"] == pytest.approx(ours.iloc[i], abs=2e-3), (trunk[i], neck[i], knee[i])
