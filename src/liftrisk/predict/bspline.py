"""Clamped cubic B-spline time parameterisation of joint trajectories (Xiang et al. 2021, eq. 10).

``q_i(t) = sum_j N_j(t) P_ij``: with a fixed knot vector the basis values and their time
derivatives at chosen instants are constant matrices, so ``q, dq/dt, d²q/dt²`` are linear in
the control points ``P``.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import BSpline

DEGREE = 3


def knot_vector(n_control: int, duration_s: float) -> np.ndarray:
    """Clamped, uniform knot vector (s) for ``n_control`` cubic control points on [0, T].

    Parameters
    ----------
    n_control : int
        Number of control points (at least 4).
    duration_s : float
        Lifting time T (s).

    Returns
    -------
    numpy.ndarray
        (n_control + 4,) knots (s).

    Examples
    --------
    >>> knot_vector(5, 1.0).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0]
    """
    if n_control < DEGREE + 1:
        raise ValueError(f"n_control is {n_control}; a cubic B-spline needs at least {DEGREE + 1}")
    interior = np.linspace(0.0, duration_s, n_control - DEGREE + 1)
    return np.concatenate([[0.0] * DEGREE, interior, [duration_s] * DEGREE])


def basis_matrices(n_control: int, duration_s: float, times_s) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Basis values and first/second time derivatives at ``times_s``.

    Parameters
    ----------
    n_control : int
        Number of control points.
    duration_s : float
        Lifting time T (s).
    times_s : array_like
        Evaluation times (s) in [0, T].

    Returns
    -------
    N, dN, ddN : (len(times), n_control) arrays (1, 1/s, 1/s²)
        ``q(times) = N @ P``, ``dq/dt = dN @ P``, ``d²q/dt² = ddN @ P``.

    Examples
    --------
    >>> N, dN, ddN = basis_matrices(5, 2.0, [0.0, 1.0, 2.0])
    >>> np.allclose(N.sum(axis=1), 1.0), np.allclose(dN.sum(axis=1), 0.0)   # partition of unity
    (True, True)
    """
    t = np.clip(np.asarray(times_s, float), 0.0, duration_s)
    spl = BSpline(knot_vector(n_control, duration_s), np.eye(n_control), DEGREE, extrapolate=False)
    out = []
    for d in range(3):
        f = spl if d == 0 else spl.derivative(d)
        vals = f(t)
        # the right end of a clamped spline is closed: evaluate just inside it
        end = t >= duration_s
        if np.any(end):
            vals[end] = f(np.full(end.sum(), duration_s * (1 - 1e-12)))
        out.append(np.asarray(vals, float))
    return out[0], out[1], out[2]


def collocation_times(n_control: int, duration_s: float, n_between: int = 2) -> np.ndarray:
    """Distinct knots plus ``n_between`` evenly spaced instants between adjacent knots (s).

    Xiang et al. 2021 evaluate their time-dependent constraints there (sec. 2.2).

    Parameters
    ----------
    n_control : int
        Number of control points.
    duration_s : float
        Lifting time T (s).
    n_between : int
        Instants between adjacent distinct knots.

    Returns
    -------
    numpy.ndarray
        Increasing times (s) from 0 to T.

    Examples
    --------
    >>> collocation_times(5, 1.2).round(2).tolist()
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2]
    """
    knots = np.unique(knot_vector(n_control, duration_s))
    pts = [knots[0]]
    for a, b in zip(knots[:-1], knots[1:], strict=True):
        pts.extend(np.linspace(a, b, n_between + 2)[1:])
    return np.asarray(pts)
