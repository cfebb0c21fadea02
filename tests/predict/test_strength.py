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


def test_upper_body_published_values():
    # shoulder flexion, men: 89.9 N·m static at 0 deg, 68.6 N·m at 45 deg; 46.9 N·m concentric at
    # 45 deg and 50 deg/s (tolerance 1 N·m: the factors are linear fits of these three numbers)
    s = MALE
    assert float(smooth_joint_strength(s, "shoulder", "flexion", 0.0, 0.0, bilateral=False)) == pytest.approx(
        89.9, abs=0.1)
    assert float(smooth_joint_strength(s, "shoulder", "flexion", np.pi / 4, 0.0, bilateral=False)) == pytest.approx(
        68.6, abs=0.2)
    conc = float(smooth_joint_strength(s, "shoulder", "flexion", np.pi / 4, np.deg2rad(50), bilateral=False))
    assert conc == pytest.approx(46.9, abs=1.0)
    # elbow flexion 78 % of body mass (N·m per kg), Lategan & Kruger 2003
    assert float(smooth_joint_strength(s, "elbow", "flexion", 1.0, 0.0, bilateral=False)) == pytest.approx(0.78 * 80.0,
                                                                                                    rel=1e-3)


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
