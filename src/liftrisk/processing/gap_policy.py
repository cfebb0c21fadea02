"""liftrisk's one policy for missing samples before kinematics: *fill short, filter runs*.

1. Gaps up to ``max_gap_s`` (a run of missing samples with measured samples on both sides)
   are interpolated (`liftrisk.processing.gaps.fill_gaps`, not-a-knot cubic spline).
2. Longer gaps stay missing (NaN) and every remaining run of measured samples is low-pass
   filtered on its own (`liftrisk.processing.filters.lowpass`, zero-lag Butterworth): no
   sample is invented across a long gap and no filter runs through one.

A cut-off of 0, or one at or above half the sampling rate, leaves the samples unfiltered
(after step 1).
"""

from __future__ import annotations

from liftrisk.core.motion import Motion
from liftrisk.processing.filters import lowpass
from liftrisk.processing.gaps import fill_gaps


def fill_and_lowpass(motion: Motion, max_gap_s: float, cutoff_hz: float, order: int = 2) -> Motion:
    """Apply the gap policy of the module docstring to every point of a Motion.

    Parameters
    ----------
    motion : Motion
        Points (m) with NaN where missing.
    max_gap_s : float
        Longest gap filled by interpolation, s.
    cutoff_hz : float
        Low-pass cut-off of one pass, Hz (0 = no filter).
    order : int
        Per-pass Butterworth order (the zero-lag filter has twice this order).

    Returns
    -------
    Motion
        A new Motion (the input is unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> p = np.column_stack([np.sin(np.arange(100) / 10.0)] * 3); p[50] = np.nan; p[70:90] = np.nan
    >>> m = fill_and_lowpass(Motion.from_points({"a": p}, rate_hz=50.0), 0.05, 6.0)
    >>> bool(np.isfinite(m["a"][50]).all()), bool(np.isnan(m["a"][75]).all())
    (True, True)
    """
    out = fill_gaps(motion, max_gap_s)
    if cutoff_hz and cutoff_hz < out.rate_hz / 2:
        out = lowpass(out, cutoff_hz, order)
    return out
