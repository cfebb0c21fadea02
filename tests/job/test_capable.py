"""Percent capable per joint (3DSSPP manner) from Anderson et al. (2007) mean and SD."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from liftrisk.core import Subject
from liftrisk.job import capable
from liftrisk.kinetics.strength import joint_strength

SUBJ = Subject("male", 80.0, 1.78, age_years=22)


def test_half_the_population_at_the_mean_strength():
    """At the population mean strength exactly half is capable; one SD below, Phi(1)."""
    peak = float(joint_strength(SUBJ, "knee", "extension"))
    cv = capable.strength_cv("knee", "extension", SUBJ)
    k = pd.DataFrame({"r_knee_extension_moment_nm": [peak, peak * (1 - cv), 0.0]})
    pc = capable.percent_capable(k, SUBJ)["r_knee_percent_capable"].to_numpy()
    assert pc == pytest.approx([50.0, 100 * norm.cdf(1.0), 100 * norm.cdf(1 / cv)], abs=1e-6)


def test_direction_follows_the_moment_sign():
    """A flexion (negative) knee moment is rated against knee flexion strength and its SD."""
    flex = float(joint_strength(SUBJ, "knee", "flexion"))
    k = pd.DataFrame({"r_knee_extension_moment_nm": [-flex]})
    assert float(capable.percent_capable(k, SUBJ)["r_knee_percent_capable"].iloc[0]) == pytest.approx(50.0)


def test_joints_without_sd_are_not_rated():
    k = pd.DataFrame({"l5s1_extension_moment_nm": [100.0], "r_shoulder_flexion_moment_nm": [20.0]})
    assert capable.percent_capable(k, SUBJ).shape[1] == 0
    with pytest.raises(Exception, match="strength SD"):
        capable.strength_cv("l5s1", "extension", SUBJ)


@given(st.floats(0, 400), st.floats(0, 400))
def test_heavier_moment_never_raises_percent_capable(m1, m2):
    lo, hi = sorted((m1, m2))
    k = pd.DataFrame({"l_hip_extension_moment_nm": [lo, hi]})
    pc = capable.percent_capable(k, SUBJ)["l_hip_percent_capable"].to_numpy()
    assert pc[1] <= pc[0] + 1e-12


def test_angle_dependent_strength():
    """Away from the angle of peak torque the strength, hence the % capable, falls."""
    k = pd.DataFrame({"r_knee_extension_moment_nm": [150.0, 150.0]})
    pc = capable.percent_capable(k, SUBJ, angles_rad={"r_knee": np.array([1.0, 0.1])})["r_knee_percent_capable"]
    assert pc.iloc[1] < pc.iloc[0]
