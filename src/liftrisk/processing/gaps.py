"""Explicit gap filling: interpolate missing samples only across gaps up to a stated length.

A gap is a run of missing (NaN) samples with measured samples on both sides; its length is
``n_missing / rate`` seconds. Gaps longer than ``max_gap_s`` and missing samples at the start
or end of a recording (nothing to interpolate from on one side) stay NaN: liftrisk never
extrapolates.

Methods: ``"cubic"`` is a not-a-knot cubic spline through all measured samples of a
coordinate (`scipy.interpolate.CubicSpline`; it reproduces any cubic polynomial exactly),
``"linear"`` joins the samples on both sides of the gap.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import CubicSpline

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.processing._arrays import as_columns, mask_groups, runs

METHODS = ("cubic", "linear")


def fill_gaps_array(time_s, x, max_gap_s: float, method: str = "cubic") -> np.ndarray:
    """Fill gaps of a (T, ...) array along time (axis 0); see the module docstring.

    Parameters
    ----------
    time_s : array (T,)
        Strictly increasing times, s.
    x : array (T, ...)
        Samples with NaN for missing values.
    max_gap_s : float
        Longest gap filled, s.
    method : {"cubic", "linear"}

    Returns
    -------
    array, same shape as `x`

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(6) / 10.0
    >>> x = t ** 2; x[2:4] = np.nan
    >>> fill_gaps_array(t, x, 0.2).round(4).tolist()
    [0.0, 0.01, 0.04, 0.09, 0.16, 0.25]
    """
    if method not in METHODS:
        raise DataQualityError(f"method is {method!r}; expected one of {METHODS}")
    if not (np.isfinite(max_gap_s) and max_gap_s >= 0):
        raise DataQualityError(f"max_gap_s is {max_gap_s}; expected a non-negative number of seconds")
    t = np.asarray(time_s, float).reshape(-1)
    cols, shape = as_columns(x)
    if t.size != cols.shape[0]:
        raise DataQualityError(f"{t.size} times but {cols.shape[0]} samples")
    if t.size < 3:
        return cols.reshape(shape)
    dt = float(np.median(np.diff(t)))
    finite = np.isfinite(cols)
    out = cols.copy()
    for pattern, members in mask_groups(finite):
        if pattern.all() or pattern.sum() < 2:
            continue
        starts, stops = runs(~pattern)
        interior = (starts > 0) & (stops < t.size)
        fill = np.zeros(t.size, bool)
        for a, b in zip(starts[interior], stops[interior], strict=True):
            if (t[b] - t[a - 1]) - dt <= max_gap_s + 1e-9 * max(1.0, max_gap_s):
                fill[a:b] = True
        if not fill.any():
            continue
        tv = t[pattern]
        yv = cols[pattern][:, members]
        if method == "cubic" and tv.size >= 4:
            vals = CubicSpline(tv, yv, axis=0)(t[fill])
        else:
            vals = np.column_stack([np.interp(t[fill], tv, yv[:, j]) for j in range(yv.shape[1])])
        out[np.ix_(fill, members)] = vals
    return out.reshape(shape)


def fill_gaps(motion: Motion, max_gap_s: float, method: str = "cubic") -> Motion:
    """A Motion whose gaps up to `max_gap_s` are interpolated (longer gaps stay NaN).

    Filled samples get confidence 0 when the motion has confidences (they were not measured).

    Parameters
    ----------
    motion : Motion
        Motion with NaN gaps (positions in m).
    max_gap_s : float
        Longest gap that is filled (s); longer gaps stay NaN.
    method : {"cubic", "linear"}
        Interpolation used inside the gaps.

    Returns
    -------
    Motion
        A new Motion (the input is not changed).

    Examples
    --------
    >>> import numpy as np
    >>> p = np.tile(np.arange(10.0)[:, None], (1, 3)); p[4] = np.nan
    >>> m = fill_gaps(Motion.from_points({"a": p}, rate_hz=10.0), max_gap_s=0.1)
    >>> float(m["a"][4, 0])
    4.0
    """
    if not isinstance(motion, Motion):
        raise DataQualityError(f"fill_gaps takes a Motion, got {type(motion).__name__}; "
                               "use fill_gaps_array for arrays")
    pos = fill_gaps_array(motion.time_s, motion.positions_m, max_gap_s, method)
    conf = motion.confidence
    if conf is not None:
        was = ~np.isfinite(motion.positions_m).all(axis=2)
        now = np.isfinite(pos).all(axis=2)
        conf = np.where(was & now, 0.0, conf)
    return motion.replace(positions_m=pos, confidence=conf, rate_hz=motion.rate_hz,
                          meta={**motion.meta, "gap_filled_max_s": float(max_gap_s), "gap_fill_method": method})
