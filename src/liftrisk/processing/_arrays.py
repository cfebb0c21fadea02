"""Internal helpers: flatten time series to (T, C) columns and find runs of finite samples."""

from __future__ import annotations

import numpy as np


def as_columns(x: np.ndarray) -> tuple[np.ndarray, tuple]:
    """(T, ...) array -> (T, C) float copy and the original shape."""
    a = np.array(x, dtype=float, copy=True)
    if a.ndim == 0:
        raise ValueError("expected an array whose first dimension is time")
    shape = a.shape
    return a.reshape(shape[0], -1), shape


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop (exclusive) indices of the runs of True in a 1D boolean mask."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.diff(m.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)
