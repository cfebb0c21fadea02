"""Dynamic joint strength against the published coefficients and values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core.subject import Subject
from liftrisk.predict.strength import (
    STRENGTH_JOINTS,
    anderson_velocity_factor,
    percentile_to_z,
    smooth_joint_strength,
    torque_limits_numeric,
)

MALE = Subject("male", 80.0, 1.80, age_years=22)


@pytest.mark.parametrize("c4,c5,c6", [(1.578, 3.19, 0.242), (1.517, 3.952, 0.095), (0.987, 3.558, 0.295)])
def test_anderson_velocity_factor_definition(c4, c5, c6):
    # Anderson 2007: c4 and c5 are the concentric velocities at 75 % and 50 % of isometric torque
    assert float(anderson_velocity_factor(0.0, c4, c5, c6)) == pytest.approx(1.0, abs=1e-12)
    assert float(anderson_velocity_factor(c4, c4, c5, c6)) == pytest.approx(0.75, abs=1e-3)
    assert float(anderson_velocity_factor(c5, c4, c5, c6)) == pytest.approx(0.50, abs=1e-3)


def test_anderson_peak_isometric_torque_is_c1_bw_h():
    # Table 3, male 18-25: hip extension c1 = 0.161, c3 = 0.932 rad; knee extension c1 = 0.163
    bw_h = 80.0 * 9.81 * 1.80
    assert float(smooth_joint_strength(MALE, "hip", "extension", 0.932, 0.0, bilateral=False)) == pytest.approx(
        0.161 * bw_h, rel=2e-3)
    assert float(smooth_joint_strength(MALE, "knee", "extension", 1.133, 0.0, bilateral=True)) == pytest.approx(
        2 * 0.163 * bw_h, rel=2e-3)


def test_upper_body_one_capacity_per_joint_with_published_shape():
    """One capacity per joint, shared with the kinetics: Harbo et al. 2012 regressions (shoulder:
    the isometric abduction equation, male -30.8 - 0.24 age + 36 H + 0.49 m; elbow flexion
    -23.8 - 0.13 age + 22 H + 0.51 m), Rantanen et al. 1994 trunk (women 182.2 / 117.0 N·m).
    The shoulder's angle and velocity factors keep the KIN-COM study's ratios: 68.6/89.9 at 45
    vs 0 deg, and 46.9/68.6 concentric at 50 deg/s (tolerance 1.5 %: linear fits of 3 numbers)."""
    s = MALE
    harbo_sh = -30.8 - 0.24 * 22 + 36 * 1.80 + 0.49 * 80.0
    sh0 = float(smooth_joint_strength(s, "shoulder", "flexion", 0.0, 0.0, bilateral=False))
    assert sh0 == pytest.approx(harbo_sh, rel=1e-3)
    sh45 = float(smooth_joint_strength(s, "shoulder", "flexion", np.pi / 4, 0.0, bilateral=False))
    assert sh45 / sh0 == pytest.approx(68.6 / 89.9, rel=0.015)
    conc = float(smooth_joint_strength(s, "shoulder", "flexion", np.pi / 4, np.deg2rad(50), bilateral=False))
    assert conc / sh45 == pytest.approx(46.9 / 68.6, rel=0.015)
    assert float(smooth_joint_strength(s, "elbow", "flexion", 1.0, 0.0, bilateral=False)) == pytest.approx(
        -23.8 - 0.13 * 22 + 22 * 1.80 + 0.51 * 80.0, rel=1e-3)
    woman = Subject("female", 60.0, 1.65)
    assert float(smooth_joint_strength(woman, "spine", "extension", 0.0, 0.0)) == pytest.approx(182.2, rel=1e-3)
    assert float(smooth_joint_strength(woman, "spine", "flexion", 0.0, 0.0)) == pytest.approx(117.0, rel=1e-3)


def test_predict_and_kinetics_share_upper_body_capacity():
    from liftrisk.kinetics.strength import upper_body_strength

    for sub in (MALE, Subject("female", 58.0, 1.60, age_years=45)):
        for j, k in (("spine", "l5s1"), ("shoulder", "shoulder"), ("elbow", "elbow")):
            for d in ("flexion", "extension"):
                assert float(smooth_joint_strength(sub, j, d, 0.0, 0.0, bilateral=False)) == pytest.approx(
                    upper_body_strength(sub, k, d), rel=1e-3)


def test_stand_ins_are_named():
    from liftrisk.predict.strength import joint_stand_in

    assert joint_stand_in(MALE, "hip") == "" and joint_stand_in(Subject("female", 60, 1.6), "spine") == ""
    assert "0.60" in joint_stand_in(MALE, "spine") and "abduction" in joint_stand_in(MALE, "shoulder")


def test_percentile_z():
    assert percentile_to_z(50) == pytest.approx(0.0)
    assert percentile_to_z(97.5) == pytest.approx(1.95996, abs=1e-4)


@settings(max_examples=30, deadline=None)
@given(p_lo=st.floats(1.0, 98.0), dp=st.floats(0.5, 20.0), angle=st.floats(-0.3, 1.8), vel=st.floats(-3.0, 3.0),
       joint=st.sampled_from(STRENGTH_JOINTS), direction=st.sampled_from(["flexion", "extension"]))
def test_strength_grows_with_percentile_and_stays_positive(p_lo, dp, angle, vel, joint, direction):
    p_hi = min(p_lo + dp, 99.0)
    lo = float(smooth_joint_strength(MALE, joint, direction, angle, vel, p_lo))
    hi = float(smooth_joint_strength(MALE, joint, direction, angle, vel, p_hi))
    assert 0.0 < lo <= hi + 1e-9


def test_limits_bracket_zero_and_shape():
    lo, hi = torque_limits_numeric(Subject("female", 60, 1.65), np.zeros((4, 6)), np.zeros((4, 6)), 50)
    assert lo.shape == hi.shape == (4, 6)
    assert np.all(lo < 0) and np.all(hi > 0)
