"""Pieces shared by the 2D and 3D lifting NLPs (one problem builder, one solve wrapper).

Both formulations (Xiang et al. 2021, eq. 10-18; Zaman et al. 2021, Table 1) parameterise
every joint with a clamped cubic B-spline over a normalised time u = t / T in [0, 1], so that
the lift time T can be a design variable (Zaman et al. (2021) optimises it): with
``q(u) = N(u) P`` the time derivatives are ``dq/dt = N'(u) P / T`` and
``d2q/dt2 = N''(u) P / T^2``. Constraints are collected in named blocks (bioptim style) and
the effort integral uses a composite Simpson rule. :func:`run_solver` runs IPOPT and turns its
return status into a success flag plus user-visible warnings ("Solved_To_Acceptable_Level" is
accepted with a warning, never silently).
"""

from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import casadi as ca
import numpy as np
from threadpoolctl import threadpool_limits

from liftrisk.errors import LiftriskError
from liftrisk.predict import bspline

#: IPOPT statuses that count as converged; the second one with a warning.
_CONVERGED = "Solve_Succeeded"
_ACCEPTABLE = "Solved_To_Acceptable_Level"


class PredictionError(LiftriskError):
    """The lifting optimisation did not converge or its inputs are infeasible."""


class PredictionWarning(UserWarning):
    """A prediction converged only loosely, or a reported figure is not determined by the problem."""


@runtime_checkable
class LiftingModel(Protocol):
    """What the problem builders need from a lifting model (2D :class:`~liftrisk.predict.model2d.Model2D`
    and 3D :class:`~liftrisk.predict.model3d.Model3D` both satisfy it)."""

    subject: object

    @property
    def total_mass_kg(self) -> float:
        """Sum of the segment masses (kg)."""

    def standing_q(self) -> np.ndarray:
        """Upright standing posture (m, rad)."""


@runtime_checkable
class PreparedProblem(Protocol):
    """A built lifting NLP: what :func:`run_solver` and the result tables need."""

    model: LiftingModel
    solver: ca.Function
    index: dict
    bounds: dict
    constraint_blocks: dict
    x0: np.ndarray
    n_control: int


@dataclass
class ConstraintSet:
    """Named constraint blocks ``lb <= g <= ub``; ``blocks[name]`` is the slice of g."""

    exprs: list = field(default_factory=list)
    lower: list = field(default_factory=list)
    upper: list = field(default_factory=list)
    blocks: dict = field(default_factory=dict)
    size: int = 0

    def add(self, name: str, expr, lb, ub) -> None:
        """Append a block; ``lb``/``ub`` are scalars or arrays of the block's length."""
        expr = ca.vec(expr)
        n = int(expr.shape[0])
        self.exprs.append(expr)
        self.lower.append(np.broadcast_to(np.asarray(lb, float), (n,)).copy() if np.ndim(lb) == 0 else
                          np.ravel(np.asarray(lb, float)))
        self.upper.append(np.broadcast_to(np.asarray(ub, float), (n,)).copy() if np.ndim(ub) == 0 else
                          np.ravel(np.asarray(ub, float)))
        self.blocks[name] = slice(self.size, self.size + n)
        self.size += n

    def g(self):
        """All constraint expressions stacked."""
        return ca.vertcat(*self.exprs)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) bound vectors."""
        return np.concatenate(self.lower), np.concatenate(self.upper)


def simpson_weights(n: int) -> np.ndarray:
    """Composite Simpson weights for ``n`` (odd) equally spaced points on [0, 1].

    Examples
    --------
    >>> w = simpson_weights(5)
    >>> round(float(w.sum()), 12), round(float(w @ np.linspace(0, 1, 5) ** 2), 12)   # int 1, int u^2
    (1.0, 0.333333333333)
    """
    if n < 3 or n % 2 == 0:
        raise ValueError(f"Simpson's rule needs an odd number of points >= 3; got {n}")
    w = np.ones(n)
    w[1:-1:2], w[2:-1:2] = 4.0, 2.0
    return w / (3.0 * (n - 1))


def spline_states(P, n_control: int, duration, u):
    """Angles, velocities and accelerations at normalised times ``u`` (0..1) of a B-spline
    with control points ``P`` (rows = DOFs) and duration ``duration`` (s; number or CasADi
    symbol). Returns three (n_dof, len(u)) expressions (rad, rad/s, rad/s^2)."""
    N, dN, ddN = bspline.basis_matrices(n_control, 1.0, u)
    return P @ N.T, P @ dN.T / duration, P @ ddN.T / duration**2


def normalised_times(n_control: int, n_between: int) -> np.ndarray:
    """Constraint instants as fractions of T: the knots plus ``n_between`` between each pair."""
    return bspline.collocation_times(n_control, 1.0, n_between)


def ipopt_options(extra: dict | None = None, **base) -> dict:
    """CasADi/IPOPT options shared by both problems (quiet, adaptive barrier)."""
    opts = {"ipopt.print_level": 0, "print_time": False, "ipopt.sb": "yes", "ipopt.max_iter": 1000,
            "ipopt.tol": 1e-6, "ipopt.mu_strategy": "adaptive"}
    opts.update({f"ipopt.{k}": v for k, v in base.items()})
    opts.update({f"ipopt.{k}": v for k, v in (extra or {}).items()})
    return opts


@contextmanager
def single_threaded_blas():
    """Run IPOPT's linear algebra on one thread inside the block (restored afterwards).

    CasADi's wheel brings its own OpenBLAS, which starts one thread per CPU. On these small KKT
    systems (about 1 100 rows) the threads cost time (3D quasi-Newton iteration: 77 ms with 2
    threads, 59 ms with 1) and change the rounding with the number of CPUs, which changes IPOPT's
    path (one 3D anchor: 73 or 200 iterations). Does nothing where that library is not found.
    """
    lib = _casadi_openblas()
    if lib is None:
        yield
        return
    before = int(lib.openblas_get_num_threads())
    lib.openblas_set_num_threads(1)
    try:
        yield
    finally:
        lib.openblas_set_num_threads(before)


@contextmanager
def one_blas_thread():
    """NumPy's/SciPy's BLAS (threadpoolctl) and CasADi's OpenBLAS on one thread inside the block:
    a whole prediction's small matrices gain nothing from more threads, and the rounding (hence
    IPOPT's path and the predicted weight) then does not depend on the CPU count."""
    with threadpool_limits(limits=1, user_api="blas"), single_threaded_blas():
        yield


@lru_cache(maxsize=1)
def _casadi_openblas():
    """The OpenBLAS shipped in CasADi's wheel (a ctypes handle), or None."""
    import ctypes

    folder = Path(ca.__file__).parent
    for path in sorted(folder.glob("libcasadi-tp-openblas*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        if hasattr(lib, "openblas_set_num_threads") and hasattr(lib, "openblas_get_num_threads"):
            return lib
    return None


class LastValue(ca.Callback):
    """A CasADi function that returns its last result again when called with the same inputs.

    CasADi's IPOPT interface evaluates the objective gradient twice at every iterate (3D
    max-weight anchor, Subject #8: 132 calls at 65 distinct points for 64 iterations, each
    about 5 ms); passed as the solver's ``grad_f`` this one computes it once. The values are
    those of ``function`` (bit for bit). One entry: IPOPT moves on and never comes back.
    """

    def __init__(self, name: str, function: ca.Function):
        ca.Callback.__init__(self)
        self._function = function
        self._last: tuple[bytes, list] | None = None
        self.construct(name, {})

    def get_n_in(self):
        return self._function.n_in()

    def get_n_out(self):
        return self._function.n_out()

    def get_sparsity_in(self, i):
        return self._function.sparsity_in(i)

    def get_sparsity_out(self, i):
        return self._function.sparsity_out(i)

    def eval(self, arg):
        key = b"".join(np.asarray(a, float).tobytes() for a in arg)
        if self._last is None or self._last[0] != key:
            self._last = (key, self._function.call(arg))
        return self._last[1]


@dataclass(frozen=True)
class SolverRun:
    """Raw outcome of one IPOPT run."""

    x: np.ndarray
    g: np.ndarray
    success: bool
    status: str
    iterations: int
    solve_time_s: float
    max_constraint_violation: float
    warnings: tuple[str, ...]


def run_as_dict(run: SolverRun) -> dict:
    """A :class:`SolverRun` as plain JSON values (arrays as lists; floats round-trip exactly)."""
    return {"x": run.x.tolist(), "g": run.g.tolist(), "success": run.success, "status": run.status,
            "iterations": run.iterations, "solve_time_s": run.solve_time_s,
            "max_constraint_violation": run.max_constraint_violation, "warnings": list(run.warnings)}


def run_from_dict(d: dict, n_x: int, n_g: int) -> SolverRun:
    """The :class:`SolverRun` stored by :func:`run_as_dict`; ValueError when a field is missing,
    of another type, or an array has not ``n_x`` / ``n_g`` finite values."""
    try:
        x, g = np.asarray(d["x"], float), np.asarray(d["g"], float)
        run = SolverRun(x, g, bool(d["success"]), str(d["status"]), int(d["iterations"]), float(d["solve_time_s"]),
                        float(d["max_constraint_violation"]), tuple(str(w) for w in d["warnings"]))
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"stored solver run: {type(err).__name__}: {err}") from None
    if x.shape != (n_x,) or g.shape != (n_g,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(g))):
        raise ValueError(f"stored solver run: x has shape {x.shape}, g {g.shape}; expected ({n_x},) and ({n_g},), "
                         "finite")
    return run


def run_solver(problem: PreparedProblem, p, x0=None, bounds: dict | None = None,
               solver: ca.Function | None = None) -> SolverRun:
    """Run the problem's IPOPT solver (or ``solver``, e.g. one set up for warm starts) with
    parameters ``p``; success only for a converged status. "Solved_To_Acceptable_Level" counts
    as converged but adds a warning (shown by the CLI and raised as :class:`PredictionWarning`)."""
    b = bounds or problem.bounds
    solver = problem.solver if solver is None else solver
    start = time.perf_counter()
    with single_threaded_blas():
        res = solver(x0=problem.x0 if x0 is None else x0, p=p, lbx=b["x_lb"], ubx=b["x_ub"], lbg=b["g_lb"],
                     ubg=b["g_ub"])
    elapsed = time.perf_counter() - start
    stats = solver.stats()
    x = np.asarray(res["x"]).ravel()
    g = np.asarray(res["g"]).ravel()
    viol = float(np.max(np.r_[0.0, b["g_lb"] - g, g - b["g_ub"]]))
    status = str(stats["return_status"])
    notes = []
    if status == _ACCEPTABLE:
        notes.append(f"IPOPT stopped at its 'acceptable' tolerance, not the strict one (status {status}, "
                     f"max constraint violation {viol:.1e}): the optimum is approximate")
        warnings.warn(notes[-1], PredictionWarning, stacklevel=3)
    success = status in (_CONVERGED, _ACCEPTABLE)
    return SolverRun(x, g, success, status, int(stats["iter_count"]), elapsed, viol, tuple(notes))


def active_fraction(run: SolverRun, lb: np.ndarray, ub: np.ndarray, block: slice, tol: float) -> bool:
    """True if any constraint of ``block`` lies within ``tol`` of one of its bounds."""
    g = run.g[block]
    return bool(np.any((g - lb[block] < tol) | (ub[block] - g < tol)))
