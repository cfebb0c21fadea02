"""Preprocessing of Snyder et al. 2021: band-pass, zero-padding, scaling, image/sequence layout.

Pipeline (Snyder et al. 2021, "Feature extraction"), for each trial of shape (T, 36) in the canonical
channel order of :mod:`liftrisk.imu.layout` (first dimension is time, 25 Hz):

1. order-2 Butterworth band-pass 2-12 Hz on each of the 36 channels (``bandpass``);
2. zero-padding to the 30 s window, 750 frames (``pad_window``);
3. min-max scaling to [-1, 1] with limits fitted on the training trials only, then
   standardisation of each of the 12 sensors to mean 0, SD 1 (``ImuScaler``);
4. layout for the models: the 95 x 95 x 3 image (``to_image``) for the 2D CNNs and the MLP,
   or the 750 x 36 sequence for the CNN+LSTM (``to_sequence``).

The image arithmetic: 6 IMUs x 2 sensors x 3 axes x 750 frames = 27,000 values. The three
axes (x, y, z) become the three image channels, so each channel plane holds the 12 sensors x
750 frames = 9,000 values. Stacking the sensors in a 12 x 750 matrix and reading it column by
column (one frame after the other, the 12 sensor values of a frame next to each other) and
line-wrapping that stream at 95 values per row fills 9,000 / 95 = 94.7 rows; the last 25 cells
of the 95 x 95 = 9,025-cell plane are zeros. So 95 x 95 x 3 = 27,075 = 27,000 + 75 padding
cells, and each image row holds ~7.9 consecutive frames, which keeps time locality (the paper's
reason for the layout) and puts the zero-padded end of a short lift at the bottom of the image
(the grey block of the paper's Fig 4). The paper's text says "36 x 750 x 3" and "97x97x3" at one
place each; neither is consistent with 27,000 features and we read both as typos for
12 x 750 x 3 and 95 x 95 x 3.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import signal

from liftrisk.errors import DataQualityError, ModelError
from liftrisk.imu.layout import AXES, N_CHANNELS, N_FRAMES, N_SENSORS, RATE_HZ

#: Band-pass edges (Hz) and order of the Butterworth filter of Snyder et al. 2021.
BAND_HZ: tuple[float, float] = (2.0, 12.0)
FILTER_ORDER: int = 2
#: Side of the square image (pixels) and its number of channels.
IMAGE_SIDE: int = 95
IMAGE_CHANNELS: int = len(AXES)


def bandpass_sos(rate_hz: float = RATE_HZ, band_hz: tuple[float, float] = BAND_HZ,
                 order: int = FILTER_ORDER) -> np.ndarray:
    """Second-order sections of the Butterworth band-pass.

    At 25 Hz the upper edge (12 Hz) is 0.96 of the Nyquist frequency (12.5 Hz); the design is
    done in second-order sections, which stay stable that close to Nyquist (the transfer
    function form loses precision there).

    Parameters
    ----------
    rate_hz : float
        Sampling rate in Hz.
    band_hz : (float, float)
        Lower and upper -3 dB edges in Hz; the upper edge must be below ``rate_hz / 2``.
    order : int
        Butterworth prototype order (a band-pass of order n has 2n poles).

    Returns
    -------
    numpy.ndarray
        (n_sections, 6) array for ``scipy.signal.sosfilt``.

    Examples
    --------
    >>> bandpass_sos().shape
    (2, 6)
    """
    low, high = float(band_hz[0]), float(band_hz[1])
    nyq = rate_hz / 2.0
    if not 0.0 < low < high < nyq:
        raise DataQualityError(f"band-pass edges {band_hz} Hz at {rate_hz} Hz; expected 0 < low < high < "
                               f"Nyquist = {nyq} Hz. Fix: lower the upper edge or resample to a higher rate")
    return signal.butter(order, [low, high], btype="bandpass", fs=rate_hz, output="sos")


def bandpass(x, rate_hz: float = RATE_HZ, band_hz: tuple[float, float] = BAND_HZ,
             order: int = FILTER_ORDER, zero_phase: bool = True) -> np.ndarray:
    """Butterworth band-pass of every channel of a trial (Snyder et al. 2021: order 2, 2-12 Hz).

    Parameters
    ----------
    x : array_like, shape (T, C)
        Signals, first dimension is time.
    rate_hz, band_hz, order
        See ``bandpass_sos``.
    zero_phase : bool
        True (default): forward-backward filtering (``sosfiltfilt``, no delay, squared
        magnitude response); False: causal filtering (``sosfilt``), usable on a live stream.

    Returns
    -------
    numpy.ndarray
        Filtered signals, same shape, float64. A trial too short for the forward-backward
        padding is filtered with the longest padding it allows.

    Examples
    --------
    >>> t = np.arange(250) / 25.0
    >>> y = bandpass(np.c_[np.full(250, 9.81), np.sin(2 * np.pi * 6.0 * t)])
    >>> bool(abs(y[50:-50, 0]).max() < 1e-3), bool(abs(y[50:-50, 1]).max() > 0.9)
    (True, True)
    """
    a = np.asarray(x, dtype=float)
    if a.ndim != 2:
        raise DataQualityError(f"signals have shape {a.shape}; expected (frames, channels)")
    if not np.all(np.isfinite(a)):
        raise DataQualityError("signals contain NaN or infinite values; fill or trim gaps before filtering")
    sos = bandpass_sos(rate_hz, band_hz, order)
    if not zero_phase:
        return signal.sosfilt(sos, a, axis=0)
    if a.shape[0] < 2:
        raise DataQualityError(f"trial has {a.shape[0]} frame(s); expected at least 2")
    default_pad = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
    return signal.sosfiltfilt(sos, a, axis=0, padlen=min(default_pad, a.shape[0] - 1))


def pad_window(x, n_frames: int = N_FRAMES) -> np.ndarray:
    """Zero-pad a trial at its end to ``n_frames`` frames (Snyder et al. 2021: 30 s at 25 Hz = 750).

    Parameters
    ----------
    x : array_like, shape (T, C)
        Trial, T <= n_frames.
    n_frames : int
        Window length in frames.

    Returns
    -------
    numpy.ndarray, shape (n_frames, C)

    Examples
    --------
    >>> pad_window(np.ones((2, 1)), 4).ravel().tolist()
    [1.0, 1.0, 0.0, 0.0]
    """
    a = np.asarray(x, dtype=float)
    if a.shape[0] > n_frames:
        raise DataQualityError(
            f"trial has {a.shape[0]} frames ({a.shape[0] / RATE_HZ:.1f} s at 25 Hz); the window holds "
            f"{n_frames}. Fix: cut the recording to one lift (<= {n_frames / RATE_HZ:.0f} s) first")
    out = np.zeros((n_frames,) + a.shape[1:])
    out[: a.shape[0]] = a
    return out


def filter_and_pad(trials: Sequence[np.ndarray], zero_phase: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Band-pass then zero-pad every trial.

    Parameters
    ----------
    trials : sequence of arrays (T_i, 36)
        Raw trials at 25 Hz in canonical channel order.
    zero_phase : bool
        See ``bandpass``.

    Returns
    -------
    windows : numpy.ndarray, shape (n, 750, 36)
    lengths : numpy.ndarray of int, shape (n,)
        Number of real (unpadded) frames of each trial.

    Examples
    --------
    >>> w, n = filter_and_pad([np.zeros((100, 36))])
    >>> w.shape, n.tolist()
    ((1, 750, 36), [100])
    """
    windows = np.zeros((len(trials), N_FRAMES, N_CHANNELS))
    lengths = np.zeros(len(trials), dtype=np.int64)
    for i, tr in enumerate(trials):
        a = np.asarray(tr, dtype=float)
        if a.ndim != 2 or a.shape[1] != N_CHANNELS:
            raise DataQualityError(f"trial {i} has shape {a.shape}; expected (frames, {N_CHANNELS}) in the "
                                   f"order of liftrisk.imu.layout.channel_names()")
        windows[i] = pad_window(bandpass(a, zero_phase=zero_phase))
        lengths[i] = a.shape[0]
    return windows, lengths


def valid_mask(lengths, n_frames: int = N_FRAMES) -> np.ndarray:
    """Boolean (n, n_frames) mask, True on real frames and False on zero-padding.

    Parameters
    ----------
    lengths : array_like of int
        Number of real frames of each trial.
    n_frames : int
        Window length (frames).

    Returns
    -------
    numpy.ndarray
        (n, n_frames) bool.

    Examples
    --------
    >>> valid_mask([1, 3], 3).astype(int).tolist()
    [[1, 0, 0], [1, 1, 1]]
    """
    return np.arange(n_frames)[None, :] < np.asarray(lengths)[:, None]


class ImuScaler:
    """Min-max scaling to [-1, 1] per channel, then standardisation per sensor (Snyder et al. 2021).

    Both steps are fitted on the real (unpadded) frames of the training trials only and
    applied unchanged to any other trial; the zero-padding stays exactly zero. Min-max limits
    are per channel (36 = 12 sensors x 3 axes, over frames and trials); the standardisation
    uses one mean and SD per sensor (12: each IMU's accelerometer and gyroscope, pooled over
    its 3 axes), the paper's "standardized for each sensor".

    Attributes (after ``fit``)
    --------------------------
    data_min_, data_max_ : numpy.ndarray, shape (36,)
        Channel limits on the training data (m/s² or rad/s, after band-pass).
    mean_, scale_ : numpy.ndarray, shape (12,)
        Per-sensor mean and SD of the min-max scaled training data.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> w = rng.normal(size=(4, 750, 36)); n = np.full(4, 750)
    >>> z = ImuScaler().fit(w, n).transform(w, n)
    >>> bool(abs(z.mean()) < 1e-9), bool(abs(z.std() - 1) < 1e-9)
    (True, True)
    """

    def fit(self, windows: np.ndarray, lengths) -> ImuScaler:
        """Learn the limits and per-sensor statistics from training windows (n, 750, 36)."""
        w = np.asarray(windows, dtype=float)
        mask = valid_mask(lengths, w.shape[1])
        if not mask.any():
            raise DataQualityError("no training frames to fit the scaler; give at least one non-empty trial")
        real = w[mask]                                   # (frames, 36)
        self.data_min_ = real.min(axis=0)
        self.data_max_ = real.max(axis=0)
        scaled = self._minmax(real)
        per_sensor = scaled.reshape(-1, N_SENSORS, len(AXES)).transpose(1, 0, 2).reshape(N_SENSORS, -1)
        self.mean_ = per_sensor.mean(axis=1)
        sd = per_sensor.std(axis=1)
        self.scale_ = np.where(sd > 0, sd, 1.0)
        return self

    def _minmax(self, a: np.ndarray) -> np.ndarray:
        span = self.data_max_ - self.data_min_
        span = np.where(span > 0, span, 1.0)
        return 2.0 * (a - self.data_min_) / span - 1.0

    def transform(self, windows: np.ndarray, lengths) -> np.ndarray:
        """Scale windows (n, 750, 36); padding frames are set to 0."""
        if not hasattr(self, "mean_"):
            raise ModelError("ImuScaler is not fitted; call fit() on the training windows first")
        w = np.asarray(windows, dtype=float)
        z = self._minmax(w)
        z = (z - np.repeat(self.mean_, len(AXES))) / np.repeat(self.scale_, len(AXES))
        z[~valid_mask(lengths, w.shape[1])] = 0.0
        return z

    def to_dict(self) -> dict:
        """Learned state as plain lists (for saving)."""
        return {k: getattr(self, k).tolist() for k in ("data_min_", "data_max_", "mean_", "scale_")}

    @classmethod
    def from_dict(cls, state: dict) -> ImuScaler:
        """Rebuild a fitted scaler from ``to_dict`` output."""
        obj = cls()
        for k, v in state.items():
            setattr(obj, k, np.asarray(v, dtype=float))
        return obj


def to_image(windows: np.ndarray) -> np.ndarray:
    """Line-wrap windows (n, 750, 36) into the images of Snyder et al. 2021, channels first (n, 3, 95, 95).

    Channel c of the image is axis c (x, y, z); inside a plane, values run frame by frame with
    the 12 sensors of a frame adjacent, wrapped every 95 values; the last 25 cells are zero.

    Parameters
    ----------
    windows : numpy.ndarray
        (n, 750, 36) scaled windows.

    Returns
    -------
    numpy.ndarray
        (n, 3, 95, 95) float32 images.

    Examples
    --------
    >>> w = np.arange(750 * 36, dtype=float).reshape(1, 750, 36)
    >>> img = to_image(w)
    >>> img.shape, img[0, 1, 0, :2].tolist(), float(img[0, 0, 0, 12])
    ((1, 3, 95, 95), [1.0, 4.0], 36.0)
    """
    w = np.asarray(windows)
    n = w.shape[0]
    planes = w.reshape(n, N_FRAMES, N_SENSORS, len(AXES)).transpose(0, 3, 1, 2).reshape(n, len(AXES), -1)
    flat = np.zeros((n, len(AXES), IMAGE_SIDE * IMAGE_SIDE), dtype=w.dtype)
    flat[:, :, : planes.shape[2]] = planes
    return flat.reshape(n, len(AXES), IMAGE_SIDE, IMAGE_SIDE)


def image_to_windows(images: np.ndarray) -> np.ndarray:
    """Inverse of ``to_image``: images (n, 3, 95, 95) -> windows (n, 750, 36).

    Parameters
    ----------
    images : numpy.ndarray
        (n, 3, 95, 95) images from `to_image`.

    Returns
    -------
    numpy.ndarray
        (n, 750, 36) windows.

    Examples
    --------
    >>> w = np.random.default_rng(1).normal(size=(2, 750, 36))
    >>> bool(np.array_equal(image_to_windows(to_image(w)), w))
    True
    """
    im = np.asarray(images)
    n = im.shape[0]
    planes = im.reshape(n, len(AXES), -1)[:, :, : N_FRAMES * N_SENSORS]
    return planes.reshape(n, len(AXES), N_FRAMES, N_SENSORS).transpose(0, 2, 3, 1).reshape(n, N_FRAMES, -1)


def to_sequence(windows: np.ndarray) -> np.ndarray:
    """Sequence layout of the CNN+LSTM: (n, 750 frames, 36 features), float32.

    The 12 x 750 x 3 matrix of Snyder et al. 2021 read one 12 x 1 x 3 column (one frame, all sensors and
    axes) at a time; features are in the canonical channel order.

    Parameters
    ----------
    windows : numpy.ndarray
        (n, 750, 36) scaled windows.

    Returns
    -------
    numpy.ndarray
        (n, 750, 36) float32.

    Examples
    --------
    >>> to_sequence(np.zeros((2, 750, 36))).shape
    (2, 750, 36)
    """
    w = np.asarray(windows)
    if w.shape[1:] != (N_FRAMES, N_CHANNELS):
        raise DataQualityError(f"windows have shape {w.shape}; expected (n, {N_FRAMES}, {N_CHANNELS})")
    return np.ascontiguousarray(w, dtype=np.float32)
