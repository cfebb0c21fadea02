"""`butter_lowpass` without missing samples takes one filter call; it must give what the
per-pattern loop gives (forced here by one extra column with a gap)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.processing import butter_lowpass


@given(st.integers(2, 120), st.integers(1, 6), st.integers(0, 2 ** 31 - 1))
@settings(max_examples=40, deadline=None)
def test_finite_data_filter_equals_the_gap_aware_loop(n, m, seed):
    x = np.random.default_rng(seed).normal(size=(n, m))
    with_gap = np.concatenate([x, np.ones((n, 1))], axis=1)
    with_gap[n // 2, -1] = np.nan
    np.testing.assert_array_equal(butter_lowpass(x, 60.0, 6.0), butter_lowpass(with_gap, 60.0, 6.0)[:, :m])
