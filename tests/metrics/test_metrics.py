"""Metrics: Shrout & Fleiss (1979) worked example, scipy cross-checks, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from liftrisk.errors import DataQualityError
from liftrisk.metrics import (
    compare_series,
    icc,
    normalise_kinetics,
    peak_comparison,
    pearson_r,
    rmse,
    time_normalise,
)

# Shrout & Fleiss (1979) Table 2: 6 targets rated by 4 judges; their Table 4 gives
# ICC(1,1)=.17, ICC(2,1)=.29, ICC(3,1)=.71, ICC(1,4)=.44, ICC(2,4)=.62, ICC(3,4)=.91.
SF_TABLE2 = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)
SF_PUBLISHED = {"1,1": 0.17, "2,1": 0.29, "3,1": 0.71, "1,k": 0.44, "2,k": 0.62, "3,k": 0.91}


@pytest.mark.parametrize("form", sorted(SF_PUBLISHED))
def test_icc_shrout_fleiss_table(form):
    assert icc(SF_TABLE2, form) == pytest.approx(SF_PUBLISHED[form], abs=0.005)  # published to 2 decimals


def test_pearson_and_rmse_vs_scipy_and_hand():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=50), rng.normal(size=50)
    assert pearson_r(a, b) == pytest.approx(stats.pearsonr(a, b)[0], abs=1e-12)
    assert rmse([0, 0, 0, 0], [1, -1, 1, -1]) == 1.0
    assert rmse([1, np.nan, 3], [1, 5, 4]) == pytest.approx(np.sqrt(0.5))  # NaN pair dropped
    with pytest.raises(DataQualityError, match="same number"):
        rmse([1, 2], [1, 2, 3])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=4, max_size=30), st.floats(0.1, 10), st.floats(-50, 50))
def test_pearson_invariant_to_affine_maps(x, scale, shift):
    x = np.array(x)
    y = x + np.sin(np.arange(x.size))
    if np.std(x) < 1e-3 or np.std(y) < 1e-3:
        return
    assert pearson_r(scale * x + shift, y) == pytest.approx(pearson_r(x, y), abs=1e-9)


def test_icc_absolute_agreement_penalises_offset():
    x = np.linspace(0, 10, 20)
    tab = np.stack([x, x + 3.0], axis=1)
    assert icc(tab, "3,1") == pytest.approx(1.0)  # consistency ignores the offset
    assert icc(tab, "2,1") < 0.9


def test_compare_and_peaks():
    c = compare_series([0, 1, 2, 1], [0, 1, 2, 1.2])
    assert c["reference_peak"] == 2.0 and c["rmse"] == pytest.approx(0.1)
    t, s = peak_comparison([[0, -5, 2], [1, 3]], [[0, -4, 2], [1, 3.5]])
    assert t["estimate_peak"].tolist() == [5.0, 3.0]
    assert s["rmse"] == pytest.approx(np.sqrt((1 + 0.25) / 2))


def test_time_normalise_cycle():
    t = np.linspace(0, 2, 201)
    y = np.stack([t, 2 * t], axis=1)
    p, v = time_normalise(t, y, 0.5, 1.5)
    assert p[0] == 0 and p[-1] == 100 and v.shape == (101, 2)
    assert v[50] == pytest.approx([1.0, 2.0])
    with pytest.raises(DataQualityError):
        time_normalise(t, y, 1.5, 3.0)


def test_body_normalisation_round_trip():
    df = pd.DataFrame({"a_force_z_n": [800.0, 400.0], "a_moment_y_nm": [178.0, 89.0], "flag": [1, 0]})
    n = normalise_kinetics(df, 80.0, 1.78)
    assert list(n.columns) == ["a_force_z_n_per_kg", "a_moment_y_nm_per_kgm"]
    assert n.iloc[0].tolist() == pytest.approx([10.0, 1.25])
    back = normalise_kinetics(df, 80.0, 1.78, 80.0, 80.0 * 1.78)
    assert back[["a_force_z_n", "a_moment_y_nm"]].to_numpy() == pytest.approx(df.iloc[:, :2].to_numpy())
