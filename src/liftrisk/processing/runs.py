"""Time spans and peaks of time series: where a condition holds, and when a series is largest.

Both take a time base in seconds whose first dimension matches the samples; NaN samples
are never a peak.
"""

from __future__ import annotations

import numpy as np

from liftrisk.processing._arrays import runs


def spans_s(mask, time_s) -> list[tuple[float, float]]:
    """(start_s, end_s) of each run of True in a (T,) mask; both ends are sample times, s.

    Parameters
    ----------
    mask : array (T,) of bool
    time_s : array (T,)
        Sample times, s.

    Returns
    -------
    list of (start_s, end_s)
        One pair per run, in time order; a run of one sample has start_s == end_s.

    Examples
    --------
    >>> spans_s(np.array([0, 1, 1, 0, 1], bool), np.arange(5) * 0.5)
    [(0.5, 1.0), (2.0, 2.0)]
    """
    t = np.asarray(time_s, float)
    starts, stops = runs(mask)
    return [(float(t[a]), float(t[b - 1])) for a, b in zip(starts, stops, strict=True)]


def peak(values, time_s) -> tuple[float, float]:
    """(largest value, its time in s) of a (T,) series; (nan, nan) when nothing is finite.

    Parameters
    ----------
    values : array (T,)
        Samples (NaN = missing).
    time_s : array (T,)
        Sample times, s.

    Returns
    -------
    (value, time_s) : tuple of float
        The first maximum wins on ties.

    Examples
    --------
    >>> peak(np.array([1.0, np.nan, 3.0, 3.0]), np.arange(4) * 0.1)
    (3.0, 0.2)
    """
    v = np.asarray(values, float)
    if not np.isfinite(v).any():
        return float("nan"), float("nan")
    i = int(np.nanargmax(v))
    return float(v[i]), float(np.asarray(time_s, float)[i])
