"""Component-first (3, T) vector helpers used inside kinetics.

Every vector time series is handled as a (3, T) array inside the hot paths, so each
operation runs on contiguous 1D arrays; public functions take and return (T, 3).
"""

from __future__ import annotations

import numpy as np


def cross3(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Cross product of (3, T) arrays (written into `out` when given)."""
    if out is None:
        out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    np.multiply(a[1], b[2], out=out[0])
    out[0] -= a[2] * b[1]
    np.multiply(a[2], b[0], out=out[1])
    out[1] -= a[0] * b[2]
    np.multiply(a[0], b[1], out=out[2])
    out[2] -= a[1] * b[0]
    return out


def dot3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot product of (3, T) arrays, (T,)."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def unit3(v: np.ndarray) -> np.ndarray:
    """Unit vectors of a (3, T) array (NaN where the length is 0 or NaN)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.sqrt(dot3(v, v))


def local3(axes: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(3, T) world vector expressed in a frame given as axes (3 axes, 3 components, T)."""
    return np.array([dot3(axes[0], v), dot3(axes[1], v), dot3(axes[2], v)])


def world3(axes: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(3, T) local vector to world coordinates: sum_k v_k e_k."""
    return axes[0] * v[0] + axes[1] * v[1] + axes[2] * v[2]
