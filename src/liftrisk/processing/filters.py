"""Zero-lag Butterworth low-pass filter, NaN-gap aware, vectorised over points and frames.

The filter is scipy's digital Butterworth design (bilinear transform with pre-warping,
`scipy.signal.butter`, second-order sections) run forward and backward
(`scipy.signal.sosfiltfilt`), so the phase lag is zero and the magnitude response is the
square of the single-pass one (Winter 2009, *Biomechanics and Motor Control of Human
Movement*, 4th ed., section 2.2.4.4):

    |H(f)|² = 1 / (1 + (tan(π f / fs) / tan(π fc / fs))^(2 n))   (single pass)
    gain of the zero-lag filter = |H(f)|²

with ``fc`` the cut-off (``cutoff_hz``), ``fs`` the sampling rate and ``n`` the per-pass
order (``order``; the zero-lag filter has order 2 n). At ``fc`` the zero-lag gain is 0.5.

Missing samples (NaN) are never invented: each run of finite samples is filtered on its
own and NaN stays where data are missing (fill short gaps first with
`liftrisk.processing.gaps.fill_gaps` when wanted).
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from liftrisk.core.loads import GroundReaction
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.processing._arrays import as_columns, mask_groups, runs


def butterworth_gain(freq_hz, rate_hz: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Amplitude gain of the zero-lag filter at `freq_hz` (the formula in the module docstring).

    Parameters
    ----------
    freq_hz : float or array_like
        Frequencies at which to evaluate the gain (Hz).
    rate_hz : float
        Sampling rate (Hz).
    cutoff_hz : float
        Cut-off frequency of the zero-lag filter (Hz; gain 0.5 there).
    order : int
        Order of the single-pass Butterworth design (the zero-lag filter runs it twice).

    Returns
    -------
    numpy.ndarray
        Amplitude gain (dimensionless, 0-1) at each frequency.

    Examples
    --------
    >>> round(float(butterworth_gain(6.0, 100.0, 6.0)), 3)
    0.5
    """
    f = np.asarray(freq_hz, float)
    ratio = np.tan(np.pi * f / rate_hz) / np.tan(np.pi * cutoff_hz / rate_hz)
    return 1.0 / (1.0 + ratio ** (2 * order))


def _check(rate_hz: float, cutoff_hz: float, order: int, what: str = "data") -> None:
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise DataQualityError(f"{what}: sampling rate is {rate_hz}; expected a positive rate in Hz")
    if not (0 < cutoff_hz < rate_hz / 2):
        raise DataQualityError(f"{what}: cutoff_hz is {cutoff_hz}; expected 0 < cutoff < {rate_hz / 2:g} Hz "
                               f"(half the {rate_hz:g} Hz sampling rate). Fix: choose a lower cut-off "
                               "(6 Hz is usual for body kinematics)")
    if int(order) != order or order < 1 or order > 8:
        raise DataQualityError(f"order is {order}; expected an integer 1-8 (per pass)")


def butter_lowpass(x, rate_hz: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-lag Butterworth low-pass of a (T, ...) array along time (axis 0).

    Parameters
    ----------
    x : array (T, ...)
        Samples; the first dimension is time. NaN marks missing samples.
    rate_hz : float
        Sampling rate, Hz (samples must be evenly spaced).
    cutoff_hz : float
        Cut-off frequency of one pass, Hz (0 < cutoff < rate/2).
    order : int
        Order of one pass (the zero-lag filter has twice this order). Default 2 gives the
        4th-order zero-lag filter usual in biomechanics (Winter 2009).

    Returns
    -------
    array, same shape as `x`
        Filtered samples; NaN where `x` is NaN. Runs of finite samples shorter than the
        padding (about three cut-off periods) are filtered with shorter padding; single
        samples are kept.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0, 2, 0.01)
    >>> y = butter_lowpass(np.sin(2 * np.pi * 1.0 * t), 100.0, 6.0)
    >>> float(np.max(np.abs(y[50:150] - np.sin(2 * np.pi * t[50:150])))) < 0.01
    True
    """
    _check(rate_hz, cutoff_hz, order)
    cols, shape = as_columns(x)
    sos = signal.butter(int(order), cutoff_hz, btype="low", fs=rate_hz, output="sos")
    # odd-extension padding of about three cut-off periods (scipy's default of 3 filter lengths is
    # too short for low cut-offs: the start-up transient of a ramp would remain at the edges)
    default_pad = max(3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())),
                      int(np.ceil(3.0 * rate_hz / cutoff_hz)))
    out = np.full_like(cols, np.nan)
    finite = np.isfinite(cols)
    if cols.shape[0] == 0 or cols.shape[1] == 0:
        return out.reshape(shape)
    if cols.shape[0] >= 2 and finite.all():  # nothing missing: one block, one run (what the loop below does)
        return signal.sosfiltfilt(sos, cols, axis=0, padlen=min(default_pad, cols.shape[0] - 1)).reshape(shape)
    # group columns that share the same missing-data pattern: each group is filtered as one block
    for pattern, members in mask_groups(finite):
        starts, stops = runs(pattern)
        for a, b in zip(starts, stops, strict=True):
            block = cols[a:b][:, members]
            n = b - a
            if n < 2:
                out[a:b, members] = block
                continue
            out[a:b, members] = signal.sosfiltfilt(sos, block, axis=0, padlen=min(default_pad, n - 1))
    return out.reshape(shape)


def _uniform_rate(time_s: np.ndarray, what: str) -> float:
    dt = np.diff(time_s)
    if dt.size == 0:
        raise DataQualityError(f"{what}: one frame only; a filter needs several frames")
    med = float(np.median(dt))
    if np.max(np.abs(dt - med)) > 0.01 * med + 1e-9:
        raise DataQualityError(f"{what}: samples are not evenly spaced (steps {dt.min():.4g}-{dt.max():.4g} s). "
                               "Fix: resample to a common rate first (liftrisk.processing.resample)")
    return 1.0 / med


def lowpass(data, cutoff_hz: float, order: int = 2, rate_hz: float | None = None):
    """Zero-lag Butterworth low-pass of a Motion, a GroundReaction or an array.

    Parameters
    ----------
    data : Motion, GroundReaction or array (T, ...)
        For a Motion every point coordinate is filtered; for a GroundReaction the force,
        free moment and centre of pressure (NaN runs kept) are filtered.
    cutoff_hz : float
        Cut-off frequency of one pass, Hz.
    order : int
        Per-pass order (see `butter_lowpass`).
    rate_hz : float, optional
        Sampling rate; required for arrays, taken from the time base otherwise.

    Returns
    -------
    Same type as `data` (a new object; the input is unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> m = Motion.from_points({"p": np.random.default_rng(0).normal(size=(200, 3))}, rate_hz=100.0)
    >>> float(np.std(lowpass(m, 6.0)["p"])) < float(np.std(m["p"]))
    True
    """
    if isinstance(data, Motion):
        rate = _uniform_rate(data.time_s, data.source or "motion") if data.n_frames > 1 else data.rate_hz
        pos = butter_lowpass(data.positions_m, rate, cutoff_hz, order)
        return data.replace(positions_m=pos, rate_hz=data.rate_hz,
                            meta={**data.meta, "lowpass_cutoff_hz": float(cutoff_hz), "lowpass_order": int(order)})
    if isinstance(data, GroundReaction):
        rate = _uniform_rate(data.time_s, data.name or "ground reaction")
        stacked = np.stack([data.force_n, data.free_moment_nm, data.cop_m], axis=1)
        f = butter_lowpass(stacked, rate, cutoff_hz, order)
        return GroundReaction(time_s=data.time_s, force_n=f[:, 0], free_moment_nm=f[:, 1], cop_m=f[:, 2],
                              foot=data.foot, name=data.name)
    if rate_hz is None:
        raise DataQualityError("lowpass of an array needs rate_hz (the sampling rate in Hz)")
    return butter_lowpass(data, rate_hz, cutoff_hz, order)
