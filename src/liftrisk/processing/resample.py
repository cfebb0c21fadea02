"""Resampling to a common time base (e.g. 600 Hz force plates onto 60 Hz markers).

Interpolation never extrapolates: target times outside the source span are NaN, and a
target time between a measured and a missing sample is NaN. When the target rate is lower
than the source rate and ``antialias`` is on, the source is first low-passed with the
zero-lag Butterworth filter at 0.4 × the target rate (below the target's Nyquist
frequency, 0.5 × rate), so that content the new rate cannot represent does not alias.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from liftrisk.core.loads import GroundReaction
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.processing._arrays import as_columns, mask_groups
from liftrisk.processing.filters import butter_lowpass

ANTIALIAS_FRACTION = 0.4  # cut-off as a fraction of the target rate (Nyquist is 0.5)


def time_base(t0_s: float, t1_s: float, rate_hz: float) -> np.ndarray:
    """Times t0, t0 + 1/rate, ... not after t1 (s).

    Parameters
    ----------
    t0_s, t1_s : float
        First and last allowed time (s).
    rate_hz : float
        Sampling rate (Hz).

    Returns
    -------
    numpy.ndarray
        (N,) times (s), spaced 1/rate_hz, from t0_s up to t1_s.

    Examples
    --------
    >>> time_base(0.0, 0.05, 50.0).tolist()
    [0.0, 0.02, 0.04]
    """
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise DataQualityError(f"rate_hz is {rate_hz}; expected a positive rate in Hz")
    n = int(np.floor((t1_s - t0_s) * rate_hz + 1e-9)) + 1
    return t0_s + np.arange(max(n, 1)) / rate_hz


def resample_array(time_s, x, new_time_s, method: str = "linear") -> np.ndarray:
    """Interpolate a (T, ...) array sampled at `time_s` onto `new_time_s`.

    Parameters
    ----------
    time_s : array (T,)
        Increasing source times, s.
    x : array (T, ...)
        Source samples (NaN = missing).
    new_time_s : array (N,)
        Target times, s.
    method : {"linear", "cubic"}
        Linear interpolation, or a not-a-knot cubic spline through the finite samples
        (target times next to a missing sample are NaN in both cases).

    Returns
    -------
    array (N, ...)

    Examples
    --------
    >>> import numpy as np
    >>> resample_array([0.0, 1.0, 2.0], np.array([0.0, 10.0, 20.0]), [0.5, 1.5, 3.0]).tolist()
    [5.0, 15.0, nan]
    """
    t = np.asarray(time_s, float).reshape(-1)
    tn = np.asarray(new_time_s, float).reshape(-1)
    cols, shape = as_columns(x)
    if t.size != cols.shape[0]:
        raise DataQualityError(f"{t.size} times but {cols.shape[0]} samples")
    if method not in ("linear", "cubic"):
        raise DataQualityError(f"method is {method!r}; expected 'linear' or 'cubic'")
    out = np.full((tn.size, cols.shape[1]), np.nan)
    if t.size == 0:
        return out.reshape((tn.size, *shape[1:]))
    i1 = np.clip(np.searchsorted(t, tn, side="left"), 0, t.size - 1)
    i0 = np.clip(i1 - 1, 0, t.size - 1)
    exact = t[i1] == tn
    i0 = np.where(exact, i1, i0)
    span = t[i1] - t[i0]
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(span > 0, (tn - t[i0]) / span, 0.0)
    inside = (tn >= t[0] - 1e-12) & (tn <= t[-1] + 1e-12)
    x0, x1 = cols[i0], cols[i1]
    w2 = w[:, None]
    lin = np.where(w2 == 0, x0, np.where(w2 == 1, x1, (1 - w2) * x0 + w2 * x1))
    lin[~inside] = np.nan
    if method == "linear" or t.size < 4:
        out = lin
    else:
        finite = np.isfinite(cols)
        for pattern, members in mask_groups(finite):
            if pattern.sum() < 4:
                out[:, members] = lin[:, members]
                continue
            spl = CubicSpline(t[pattern], cols[pattern][:, members], axis=0)(tn)
            out[:, members] = np.where(np.isfinite(lin[:, members]), spl, np.nan)
    return out.reshape((tn.size, *shape[1:]))


def _antialiased(time_s, x, new_rate_hz: float, antialias: bool) -> np.ndarray:
    t = np.asarray(time_s, float)
    if not antialias or t.size < 2:
        return np.asarray(x, float)
    src_rate = 1.0 / float(np.median(np.diff(t)))
    if new_rate_hz >= src_rate * 0.999:
        return np.asarray(x, float)
    return butter_lowpass(x, src_rate, ANTIALIAS_FRACTION * new_rate_hz, order=2)


def resample(data, rate_hz: float | None = None, time_s=None, method: str = "linear", antialias: bool = True):
    """Resample a Motion, a GroundReaction or a (time_s, array) pair to a rate or onto given times.

    Parameters
    ----------
    data : Motion, GroundReaction or (time_s, array) pair
        An array pair returns ``(new_time_s, resampled_array)``.
    rate_hz : float, optional
        New rate; the time base starts at the first source time.
    time_s : array, optional
        Target times (e.g. ``motion.time_s`` to bring 600 Hz GRF onto 60 Hz markers).
        Exactly one of `rate_hz` and `time_s` must be given.
    method : {"linear", "cubic"}
    antialias : bool
        Low-pass before down-sampling (see the module docstring).

    Returns
    -------
    Same type as `data`.

    Examples
    --------
    >>> import numpy as np
    >>> m = Motion.from_points({"p": np.zeros((101, 3))}, rate_hz=100.0)
    >>> resample(m, rate_hz=50.0).n_frames
    51
    >>> t, y = resample((np.arange(5) / 10.0, np.arange(5.0)), rate_hz=20.0, antialias=False)
    >>> y.round(6).tolist()
    [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
    """
    if (rate_hz is None) == (time_s is None):
        raise DataQualityError("give exactly one of rate_hz (new rate, Hz) and time_s (target times, s)")
    if isinstance(data, Motion | GroundReaction):
        src_t = data.time_s
    elif isinstance(data, tuple) and len(data) == 2:
        src_t = np.asarray(data[0], float).reshape(-1)
    else:
        raise DataQualityError(f"resample takes a Motion, a GroundReaction or a (time_s, array) pair, got "
                               f"{type(data).__name__}")
    new_t = time_base(src_t[0], src_t[-1], rate_hz) if time_s is None else np.asarray(time_s, float).reshape(-1)
    new_rate = rate_hz if rate_hz is not None else (1.0 / float(np.median(np.diff(new_t))) if new_t.size > 1 else 0.0)
    if isinstance(data, tuple):
        return new_t, resample_array(src_t, _antialiased(src_t, data[1], new_rate, antialias), new_t, method)
    if isinstance(data, Motion):
        pos = resample_array(src_t, _antialiased(src_t, data.positions_m, new_rate, antialias), new_t, method)
        conf = None if data.confidence is None else resample_array(src_t, data.confidence, new_t, "linear")
        return data.replace(time_s=new_t, positions_m=pos, confidence=conf, rate_hz=new_rate or 0.0,
                            meta={**data.meta, "resampled_from_hz": float(data.rate_hz)})
    stacked = np.stack([data.force_n, data.free_moment_nm, data.cop_m], axis=1)
    r = resample_array(src_t, _antialiased(src_t, stacked, new_rate, antialias), new_t, method)
    return GroundReaction(time_s=new_t, force_n=r[:, 0], free_moment_nm=r[:, 1], cop_m=r[:, 2],
                          foot=data.foot, name=data.name)
