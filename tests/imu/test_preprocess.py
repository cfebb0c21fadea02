"""Preprocessing: Butterworth band-pass, padding, scaling, image layout arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from liftrisk.errors import DataQualityError, ModelError
from liftrisk.imu.layout import N_CHANNELS, N_FEATURES, N_FRAMES, channel_names, sensor_names
from liftrisk.imu.preprocess import (
    IMAGE_SIDE,
    ImuScaler,
    bandpass,
    bandpass_sos,
    filter_and_pad,
    image_to_windows,
    pad_window,
    to_image,
    to_sequence,
)


def test_paper_feature_arithmetic():
    # Snyder et al. 2021, Eq 1: 6 IMUs x 2 sensors x 3 axes x 30 s x 25 frames/s = 27,000
    assert N_FEATURES == 6 * 2 * 3 * 30 * 25 == 27000
    assert N_FRAMES == 750 and N_CHANNELS == 36 and len(sensor_names()) == 12
    # 95 x 95 x 3 = 27,075 cells: 75 of them (25 per channel plane) are padding
    assert IMAGE_SIDE**2 * 3 - N_FEATURES == 75


def test_band_edges_are_minus_3db():
    """Butterworth property: |H| = 1/sqrt(2) at both edges, also at 12 Hz near Nyquist (12.5 Hz)."""
    sos = bandpass_sos()
    _, h = signal.sosfreqz(sos, worN=[2.0, 12.0], fs=25.0)
    np.testing.assert_allclose(np.abs(h), 1 / np.sqrt(2), atol=1e-9)
    # centre of the band (geometric mean of the pre-warped edges) has unit gain
    w1, w2 = (np.tan(np.pi * f / 25.0) for f in (2.0, 12.0))
    f0 = 25.0 / np.pi * np.arctan(np.sqrt(w1 * w2))
    _, h0 = signal.sosfreqz(sos, worN=[f0], fs=25.0)
    assert abs(h0[0]) == pytest.approx(1.0, abs=1e-9)
    # stable: all poles inside the unit circle
    _, poles, _ = signal.sos2zpk(sos)
    assert np.all(np.abs(poles) < 1.0)


def test_second_order_prototype_gives_fourth_order_bandpass():
    # an order-2 band-pass has 4 poles: -40 dB/decade below the band -> gain ~ (f/f_low)^2 far below
    _, h = signal.sosfreqz(bandpass_sos(), worN=[0.05], fs=25.0)
    assert abs(h[0]) == pytest.approx((0.05 / 2.0) ** 2 * (2.0 * 12.0 / (12.0 - 2.0)) * (1 / 2.4), rel=0.2)


def test_bandpass_removes_gravity_keeps_band():
    t = np.arange(500) / 25.0
    x = np.c_[np.full(500, 9.81), np.sin(2 * np.pi * 6.0 * t), np.sin(2 * np.pi * 0.1 * t)]
    y = bandpass(x)
    mid = slice(100, 400)
    assert np.abs(y[mid, 0]).max() < 1e-3                       # DC (gravity) removed
    assert np.abs(y[mid, 1]).max() == pytest.approx(1.0, abs=0.02)  # 6 Hz in the pass band
    assert np.abs(y[mid, 2]).max() < 0.01                       # 0.1 Hz drift suppressed


def test_causal_filter_equals_transfer_function_form():
    """Second method: sosfilt vs lfilter on the (b, a) form of the same design."""
    x = np.random.default_rng(0).normal(size=(300, 2))
    b, a = signal.butter(2, [2.0, 12.0], btype="bandpass", fs=25.0)
    np.testing.assert_allclose(bandpass(x, zero_phase=False), signal.lfilter(b, a, x, axis=0), atol=1e-8)


def test_bandpass_errors():
    with pytest.raises(DataQualityError, match="Nyquist"):
        bandpass(np.zeros((50, 1)), band_hz=(2.0, 13.0))
    with pytest.raises(DataQualityError, match="NaN"):
        bandpass(np.full((50, 1), np.nan))


def test_short_trial_is_filtered():
    assert bandpass(np.ones((5, 2))).shape == (5, 2)


def test_pad_window():
    w = pad_window(np.ones((100, 3)))
    assert w.shape == (750, 3) and w[:100].sum() == 300 and not w[100:].any()
    with pytest.raises(DataQualityError, match="window"):
        pad_window(np.ones((751, 3)))


def test_image_layout_positions():
    """Hand-built: value of (frame f, sensor s, axis a) sits in plane a at flat index 12 f + s."""
    w = np.zeros((1, 750, 36))
    f, s, a = 100, 7, 2                         # frame 100, sensor 7 (upper_arm_gyr), axis z
    w[0, f, 3 * s + a] = 1.0
    img = to_image(w)
    flat = 12 * f + s                           # 1207 -> row 12, column 67
    assert img[0, a, flat // 95, flat % 95] == 1.0 and img.sum() == 1.0
    assert channel_names()[3 * s + a] == "upper_arm_gyr_z_radps"


def test_padding_lands_at_bottom_of_image():
    w = np.ones((1, 750, 36))
    w[0, 375:] = 0.0                            # 15 s lift: frames 375+ are padding
    img = to_image(w)
    rows = img[0, 0].any(axis=1)
    assert rows[:47].all() and not rows[48:].any()   # 375 x 12 = 4500 values = 47.4 rows


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_image_round_trip(seed):
    w = np.random.default_rng(seed).normal(size=(2, 750, 36))
    np.testing.assert_array_equal(image_to_windows(to_image(w)), w)


def test_sequence_layout():
    s = to_sequence(np.zeros((3, 750, 36)))
    assert s.shape == (3, 750, 36) and s.dtype == np.float32
    with pytest.raises(DataQualityError):
        to_sequence(np.zeros((3, 36, 750)))


def _windows(seed=0, n=5):
    rng = np.random.default_rng(seed)
    trials = [rng.normal(size=(rng.integers(200, 400), 36)) * np.linspace(1, 3, 36) for _ in range(n)]
    return filter_and_pad(trials)


def test_scaler_fitted_on_training_only():
    wtr, ntr = _windows(0)
    wte, nte = _windows(1)
    sc = ImuScaler().fit(wtr, ntr)
    before = {k: v.copy() for k, v in sc.to_dict().items()}
    sc.transform(wte, nte)
    assert sc.to_dict() == before
    # training data: per sensor mean 0 / SD 1 on the real frames, padding exactly zero
    z = sc.transform(wtr, ntr)
    mask = np.arange(750)[None, :] < ntr[:, None]
    real = z[mask].reshape(-1, 12, 3)
    np.testing.assert_allclose(real.mean(axis=(0, 2)), 0.0, atol=1e-9)
    np.testing.assert_allclose(real.std(axis=(0, 2)), 1.0, atol=1e-9)
    assert not z[~mask].any()


def test_minmax_step_maps_training_range_to_unit_interval():
    wtr, ntr = _windows(2)
    sc = ImuScaler().fit(wtr, ntr)
    mm = sc._minmax(wtr[np.arange(750)[None, :] < ntr[:, None]])
    np.testing.assert_allclose(mm.min(axis=0), -1.0)
    np.testing.assert_allclose(mm.max(axis=0), 1.0)


def test_scaler_state_round_trip_and_unfitted():
    w, n = _windows(3)
    sc = ImuScaler().fit(w, n)
    np.testing.assert_array_equal(ImuScaler.from_dict(sc.to_dict()).transform(w, n), sc.transform(w, n))
    with pytest.raises(ModelError, match="not fitted"):
        ImuScaler().transform(w, n)


def test_filter_and_pad_checks_channels():
    with pytest.raises(DataQualityError, match="36"):
        filter_and_pad([np.zeros((100, 35))])
