"""Filtering, gap filling and resampling against analytic references.

References: the Butterworth magnitude formula (written out here) and scipy's frequency
response of the same design (second method); exact polynomials for gap filling;
band-limited signals for resampling.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from liftrisk.core import GroundReaction, Motion
from liftrisk.errors import DataQualityError
from liftrisk.processing import (
    butter_lowpass,
    fill_gaps,
    fill_gaps_array,
    lowpass,
    resample,
    resample_array,
)

FS = 200.0


def _sine(freq, n_s=10.0, fs=FS, phase=0.3):
    t = np.arange(0, n_s, 1 / fs)
    return t, np.sin(2 * np.pi * freq * t + phase)


def _amp_phase(t, y, freq):
    """Least-squares amplitude and phase of a sine of known frequency."""
    a = np.column_stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)])
    (s, c), *_ = np.linalg.lstsq(a, y, rcond=None)
    return np.hypot(s, c), np.arctan2(c, s)


def test_sine_below_cutoff_passes_without_lag():
    t, x = _sine(1.0)
    y = butter_lowpass(x, FS, cutoff_hz=6.0, order=2)
    mid = slice(200, -200)  # away from the ends (edge transients)
    amp, ph = _amp_phase(t[mid], y[mid], 1.0)
    amp0, ph0 = _amp_phase(t[mid], x[mid], 1.0)
    assert abs(amp / amp0 - 1) < 0.01           # < 1 % amplitude error
    assert abs(ph - ph0) < 1e-3                  # zero phase lag (rad)
    lag = np.argmax(np.correlate(y[mid] - y[mid].mean(), x[mid] - x[mid].mean(), "full")) - (len(x[mid]) - 1)
    assert lag == 0


@pytest.mark.parametrize(("freq", "cutoff", "order"), [(12.0, 6.0, 2), (20.0, 6.0, 2), (9.0, 6.0, 4), (6.0, 6.0, 2)])
def test_sine_above_cutoff_attenuated_per_butterworth_formula(freq, cutoff, order):
    t, x = _sine(freq)
    y = butter_lowpass(x, FS, cutoff_hz=cutoff, order=order)
    mid = slice(400, -400)
    amp, ph = _amp_phase(t[mid], y[mid], freq)
    # digital Butterworth (bilinear, pre-warped), run twice: |H|^2 = 1 / (1 + (tan(pi f/fs)/tan(pi fc/fs))^(2n))
    expected = 1.0 / (1.0 + (np.tan(np.pi * freq / FS) / np.tan(np.pi * cutoff / FS)) ** (2 * order))
    # second method: scipy's frequency response of the same single-pass design, squared
    sos = signal.butter(order, cutoff, fs=FS, output="sos")
    _, h = signal.sosfreqz(sos, worN=[freq], fs=FS)
    assert expected == pytest.approx(abs(h[0]) ** 2, rel=1e-6)
    assert amp == pytest.approx(expected, rel=0.01, abs=1e-4)
    assert abs(ph - 0.3) < 0.01 or expected < 0.01  # still no phase shift


def test_nan_gaps_are_kept_and_runs_filtered_separately():
    t, x = _sine(1.0, n_s=4)
    x = np.column_stack([x, 2 * x])
    x[300:320] = np.nan
    y = butter_lowpass(x, FS, 6.0)
    assert np.array_equal(np.isnan(y), np.isnan(x))
    assert np.allclose(y[:300], butter_lowpass(x[:300], FS, 6.0))
    assert np.allclose(y[320:, 1], butter_lowpass(x[320:, 1], FS, 6.0))


def test_filter_rejects_bad_cutoff():
    with pytest.raises(DataQualityError, match="cutoff_hz"):
        butter_lowpass(np.zeros(50), 60.0, 40.0)
    m = Motion.from_points({"p": np.zeros((10, 3))}, time_s=np.r_[0:0.05:0.01, 0.1:0.15:0.01])
    with pytest.raises(DataQualityError, match="evenly spaced"):
        lowpass(m, 6.0)


@settings(max_examples=30, deadline=None)
@given(st.floats(-100, 100), st.floats(-10, 10), st.integers(20, 300), st.floats(2.0, 20.0))
def test_filter_keeps_constants_and_lines(c, slope, n, cutoff):
    """DC gain 1: a constant passes unchanged; with the odd-extension padding a straight line
    also passes (up to the start-up transient, negligible once the record spans >= 6 cut-off periods)."""
    t = np.arange(n) / 100.0
    x = np.stack([np.full(n, c), c + slope * t], axis=1)
    y = butter_lowpass(x, 100.0, cutoff)
    assert np.allclose(y[:, 0], c, atol=1e-9 * (1 + abs(c)))
    if n >= 6 * 100.0 / cutoff:
        assert np.allclose(y[:, 1], x[:, 1], atol=1e-4 * (1 + abs(slope)))


def test_lowpass_motion_and_ground_reaction_vectorised():
    rng = np.random.default_rng(1)
    t, x = _sine(1.0, n_s=3)
    pts = {f"p{i}": np.column_stack([x, x, x]) + 0.05 * rng.normal(size=(len(t), 3)) for i in range(5)}
    m = Motion.from_points(pts, time_s=t)
    f = lowpass(m, 6.0)
    assert np.std(f["p0"][:, 0] - x) < 0.5 * np.std(m["p0"][:, 0] - x)
    assert f.meta["lowpass_cutoff_hz"] == 6.0 and m.positions_m is not f.positions_m
    g = GroundReaction(time_s=t, force_n=np.tile([0, 0, 700.0], (len(t), 1)), cop_m=np.zeros((len(t), 3)))
    assert np.allclose(lowpass(g, 20.0).force_n[:, 2], 700.0)


# ------------------------------------------------------------------ gaps
def test_fill_gaps_recovers_cubic_polynomial():
    t = np.arange(0, 2, 0.01)
    poly = 0.3 + 1.2 * t - 2.0 * t**2 + 0.7 * t**3
    x = poly.copy()
    x[50:60] = np.nan    # 0.10 s gap: filled
    x[120:160] = np.nan  # 0.40 s gap: too long, stays NaN
    x[:3] = np.nan       # leading gap: no extrapolation
    y = fill_gaps_array(t, x, max_gap_s=0.1, method="cubic")
    assert np.allclose(y[50:60], poly[50:60], atol=1e-9)
    assert np.isnan(y[120:160]).all() and np.isnan(y[:3]).all()
    lin = fill_gaps_array(t, 2.0 - 3.0 * t + np.where((t > 1) & (t < 1.05), np.nan, 0), 0.1, method="linear")
    assert np.allclose(lin, 2.0 - 3.0 * t)


def test_fill_gaps_motion_sets_confidence_zero():
    t = np.arange(20) / 10.0
    p = np.column_stack([t, t**2, t**3])
    q = p.copy()
    q[5:7] = np.nan
    m = Motion.from_points({"a": q, "b": p}, time_s=t).replace(confidence=np.ones((20, 2)))
    f = fill_gaps(m, max_gap_s=0.2)
    assert np.allclose(f["a"], p) and f.confidence[5, 0] == 0 and f.confidence[5, 1] == 1
    assert np.isnan(fill_gaps(m, max_gap_s=0.1)["a"][5:7]).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=5, max_size=60), st.floats(0.0, 0.5), st.sampled_from(["cubic", "linear"]))
def test_fill_gaps_never_changes_measured_samples(missing, max_gap_s, method):
    t = np.arange(len(missing)) / 20.0
    x = np.sin(3 * t)
    x[np.array(missing)] = np.nan
    y = fill_gaps_array(t, x, max_gap_s, method)
    ok = np.isfinite(x)
    assert np.array_equal(y[ok], x[ok])
    assert np.all(np.isfinite(y) | np.isnan(x))


# ------------------------------------------------------------------ resampling
def test_resample_round_trip_band_limited():
    t = np.arange(0, 4, 1 / 100.0)
    x = np.sin(2 * np.pi * 1.5 * t) + 0.5 * np.cos(2 * np.pi * 3.0 * t)
    m = Motion.from_points({"p": np.column_stack([x, 2 * x, -x])}, time_s=t)
    up = resample(m, rate_hz=250.0, method="cubic")
    back = resample(up, time_s=t, method="cubic")
    assert up.rate_hz == 250.0 and np.allclose(up.time_s[:3], [0, 0.004, 0.008])
    err = np.abs(back["p"] - m["p"]) / np.abs(m["p"]).max(axis=0)
    assert np.isnan(err[-1]).all() and np.isfinite(err[:-1]).all()  # 3.99 s is past the 250 Hz grid's end
    assert err[5:-6].max() < 1e-4 and err[:-1].max() < 1e-3  # cubic spline: tiny inside, small at the ends


def test_resample_grf_600_to_60_hz():
    t = np.arange(0, 2.0 + 1e-9, 1 / 600.0)
    fz = 700 + 100 * np.sin(2 * np.pi * 1.0 * t)
    g = GroundReaction(time_s=t, force_n=np.column_stack([0 * t, 0 * t, fz]), cop_m=np.zeros((t.size, 3)))
    m_t = np.arange(0, 2.0 + 1e-9, 1 / 60.0)
    g60 = resample(g, time_s=m_t)
    assert g60.force_n.shape == (m_t.size, 3) and g60.rate_hz == pytest.approx(60.0)
    inner = slice(10, -10)
    assert np.allclose(g60.force_n[inner, 2], (700 + 100 * np.sin(2 * np.pi * m_t))[inner], atol=1.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 50), st.sampled_from(["linear", "cubic"]))
def test_resample_at_own_times_is_identity(n, method):
    rng = np.random.default_rng(n)
    t = np.cumsum(rng.uniform(0.01, 0.02, n))
    x = rng.normal(size=(n, 2, 3))
    x[n // 2, 1] = np.nan
    y = resample_array(t, x, t, method)
    assert np.allclose(y, x, equal_nan=True)


def test_resample_never_extrapolates_and_respects_gaps():
    y = resample_array([0.0, 1.0, 2.0, 3.0], np.array([0.0, np.nan, 2.0, 3.0]), [-1.0, 0.5, 2.5, 4.0])
    assert np.isnan(y[[0, 1, 3]]).all() and y[2] == pytest.approx(2.5)
    with pytest.raises(DataQualityError, match="exactly one"):
        resample(Motion.from_points({"p": np.zeros((3, 3))}, rate_hz=10.0))


def test_gap_policy_fills_short_gaps_and_filters_runs_separately():
    """fill_and_lowpass = fill_gaps then lowpass (one policy): a short gap is filled, a long
    one stays missing, and each side of the long gap equals the same signal filtered alone
    (no filter runs through the gap)."""
    from liftrisk.processing import fill_and_lowpass, fill_gaps

    rng = np.random.default_rng(7)
    x = np.cumsum(rng.normal(size=(400, 3)), axis=0) * 1e-3
    x[100:103] = np.nan  # 0.03 s: filled
    x[250:300] = np.nan  # 0.5 s: kept missing
    m = Motion.from_points({"p": x}, rate_hz=FS)
    got = fill_and_lowpass(m, 0.1, 6.0)["p"]
    assert np.isfinite(got[100:103]).all() and np.isnan(got[250:300]).all()
    filled = fill_gaps(m, 0.1)["p"]
    np.testing.assert_allclose(got[:250], butter_lowpass(filled[:250], FS, 6.0), atol=1e-12)
    np.testing.assert_allclose(got[300:], butter_lowpass(filled[300:], FS, 6.0), atol=1e-12)
    assert np.array_equal(fill_and_lowpass(m, 0.1, 0.0)["p"], filled, equal_nan=True)  # 0 Hz: no filter


def test_spans_and_peak():
    from liftrisk.processing import peak, spans_s

    t = np.arange(8) * 0.25
    assert spans_s(np.array([1, 1, 0, 0, 1, 0, 1, 1], bool), t) == [(0.0, 0.25), (1.0, 1.0), (1.5, 1.75)]
    assert spans_s(np.zeros(8, bool), t) == []
    assert peak(np.array([np.nan, 2.0, 5.0, 5.0]), t[:4]) == (5.0, 0.5)
    v, ts = peak(np.full(3, np.nan), t[:3])
    assert np.isnan(v) and np.isnan(ts)
