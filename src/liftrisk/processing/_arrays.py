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


def mask_groups(finite: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Group the columns of a (T, C) boolean mask by identical pattern.

    Returns a list of (pattern (T,), member column indices). Columns are hashed by their
    packed bits, so the cost is O(T·C) (numpy's ``unique(axis=0)`` is far slower on long masks).
    """
    packed = np.packbits(np.asarray(finite, bool), axis=0)
    groups: dict[bytes, list[int]] = {}
    for j in range(packed.shape[1]):
        groups.setdefault(packed[:, j].tobytes(), []).append(j)
    return [(np.asarray(finite[:, m[0]], bool), np.asarray(m)) for m in groups.values()]
