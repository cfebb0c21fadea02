"""Maximum-weight lifting prediction with the 2D 10-DOF model (Xiang et al. 2021).

Design variables (addressed by name, bioptim style): ``P`` (10 x 5 B-spline control points,
m or rad) and ``W`` (box weight, N; stored as W/100 inside the NLP). Objective (Xiang et al. 2021, eq. 12)::

    f = w1 * N[ int_0^T sum_i (tau_i / (tau_i^U - tau_i^L))^2 dt ] - w2 * N[ log(W + 10) ]

N[.] is the weighted-sum normalisation of Marler & Arora (2004): (f - f_utopia) /
(f_nadir - f_utopia), with the utopia/nadir values from the two anchor solutions (min effort,
max weight), so both terms lie in [0, 1] (Xiang et al. 2021, sec. 2.2 and 3.1). Constraints, at the knots and
``n_between`` instants between adjacent knots unless said otherwise: joint limits (Eq. 13),
dynamic torque limits (Eq. 14), ZMP inside the foot support region and a compressive GRF
(Eq. 15), fixed flat feet (Eq. 16), hands at the box at 0 and T (Eq. 17), optional guide
postures at 0, T/2, T within 0.1/0.15/0.1 rad (Eq. 18), and static start and end (zero joint
velocity at 0 and T; Zaman et al. 2021, Table 1, item 11). Solved by IPOPT through CasADi
with exact first and second derivatives. :func:`prepare_problem` builds the NLP once (weights
and normalisation are NLP parameters); :func:`solve` runs it; :func:`predict_max_weight`
chains the anchors and the weighted solve; :func:`pareto_front` sweeps the 21 weight pairs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import casadi as ca
import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.errors import LiftriskError
from liftrisk.predict import bspline
from liftrisk.predict.model2d import (
    DOF_NAMES,
    G,
    Model2D,
    _rot,
    build_model_2d,
    fixed_feet_base,
    forward_kinematics,
    inverse_dynamics,
    point_kinematics,
)
from liftrisk.predict.segments import DATA_DIR
from liftrisk.predict.strength import STRENGTH_JOINTS, torque_limits

#: Best weighting pair (w1 effort, w2 box weight), Xiang et al. 2021, sec. 3.2.
DEFAULT_WEIGHTS = (0.15, 0.85)
_W_SCALE = 100.0  # N per NLP unit of the box-weight variable
_STRENGTH_IDX = [DOF_NAMES.index(j) for j in STRENGTH_JOINTS]
#: Design DOFs: the six joints spine..ankle. The pelvis X, Z, tilt follow from them with the
#: feet fixed (:func:`liftrisk.predict.model2d.fixed_feet_base`); MTP = 0 (toes flat).
DESIGN_DOFS = STRENGTH_JOINTS
_DESIGN_IDX = [DOF_NAMES.index(j) for j in DESIGN_DOFS]


class PredictionError(LiftriskError):
    """The lifting optimisation did not converge or its inputs are infeasible."""


@dataclass(frozen=True)
class LiftTask:
    """What is lifted, from where to where (world frame, X from the ankle joint, Z from the floor).

    Parameters
    ----------
    box_start_m, box_end_m : (x, z)
        Grip (hand) position at t = 0 and t = T (m).
    duration_s : float
        Lifting time T (s); Subject #8 of Zaman et al. 2021 (sec. 3) lifted in 1.44 s.
    guide_postures_deg : dict, "squat", "stoop" or None
        joint name -> three angles (deg) at 0, T/2, T (Xiang et al. 2021, eq. 18, e.g. measured postures);
        ``"squat"`` / ``"stoop"`` (default ``"squat"``) derive them from the box positions
        with :func:`guide_postures` (static postures nearest a squat or stoop template);
        ``None`` imposes no posture.
    posture_tolerance_rad : (3,)
        Allowed deviation at 0, T/2, T (Xiang et al. 2021: 0.1, 0.15, 0.1 rad).
    """

    box_start_m: tuple[float, float] = (0.40, 0.15)
    box_end_m: tuple[float, float] = (0.40, 1.00)
    duration_s: float = 1.44
    guide_postures_deg: dict | str | None = "squat"
    posture_tolerance_rad: tuple[float, float, float] = (0.1, 0.15, 0.1)

    def __post_init__(self):
        for name in ("box_start_m", "box_end_m"):
            v = np.asarray(getattr(self, name), float)
            if v.shape != (2,) or not np.all(np.isfinite(v)):
                raise PredictionError(f"{name} is {getattr(self, name)!r}; expected two numbers (x_m, z_m)")
            if not (-1.0 < v[0] < 1.5 and 0.0 <= v[1] < 2.2):
                raise PredictionError(f"{name} is {tuple(v)}; expected x in (-1, 1.5) m in front of the ankle and "
                                      "z in [0, 2.2) m above the floor (are the values in cm?)")
        if isinstance(self.guide_postures_deg, str) and self.guide_postures_deg not in _TEMPLATES:
            raise PredictionError(f"guide_postures_deg is {self.guide_postures_deg!r}; expected a dict, None or one "
                                  f"of {sorted(_TEMPLATES)}")
        if not 0.3 <= self.duration_s <= 5.0:
            raise PredictionError(f"duration_s is {self.duration_s}; expected 0.3-5 s")


@dataclass
class LiftingProblem:
    """A prepared NLP (build with :func:`prepare_problem`)."""

    model: Model2D
    task: LiftTask
    strength_percentile: float
    solver: ca.Function
    index: dict            # variable name -> slice of x
    bounds: dict           # "x_lb", "x_ub", "g_lb", "g_ub"
    constraint_blocks: dict  # block name -> slice of g
    x0: np.ndarray
    n_control: int
    functions: dict = field(repr=False)


@dataclass
class LiftingSolution:
    """Result of one NLP solve, with profiles on a uniform time grid.

    ``frames`` is a DataFrame indexed by time (s) with joint angles (rad), velocities,
    torques (N·m; floating-base residual N / N·m), GRF (N), ZMP (m), torque limits (N·m) and
    the torque/strength ratio (dimensionless; 1 = at the strength limit).
    """

    box_weight_n: float
    effort: float
    log_weight: float
    weights: tuple[float, float]
    success: bool
    status: str
    iterations: int
    solve_time_s: float
    max_constraint_violation: float
    control_points: np.ndarray
    frames: pd.DataFrame

    @property
    def box_mass_kg(self) -> float:
        """Predicted box mass (kg)."""
        return self.box_weight_n / G

    def peak_strength_ratio(self) -> pd.Series:
        """Peak torque/strength ratio per joint over the lift."""
        return self.frames[[f"ratio_{j}" for j in STRENGTH_JOINTS]].max().rename(lambda c: c[6:])


def _joint_limits_rad() -> dict:
    out = {}
    with (DATA_DIR / "joint_limits.csv").open() as fh:
        import csv

        for r in csv.DictReader(fh):
            out[r["joint"]] = (np.deg2rad(float(r["lower_deg"])), np.deg2rad(float(r["upper_deg"])))
    return out


def _dynamics_function(model: Model2D, subject: Subject, percentile: float) -> ca.Function:
    """Joint states (6 design DOFs) and W -> torques, GRF, ZMP, strength limits, hand, full q/qd."""
    nj = len(_DESIGN_IDX)
    qj, qdj, qddj, w = ca.SX.sym("qj", nj), ca.SX.sym("qdj", nj), ca.SX.sym("qddj", nj), ca.SX.sym("W")
    q, qd, qdd = fixed_feet_base(model, qj, qdj, qddj)
    out = inverse_dynamics(model, q, qd, qdd, w)
    lo, hi = torque_limits(subject, [q[i] for i in _STRENGTH_IDX], [qd[i] for i in _STRENGTH_IDX], percentile)
    lo, hi = ca.vertcat(*lo), ca.vertcat(*hi)
    fk = forward_kinematics(model, q)
    p_hand = point_kinematics(model, fk, "hand")[0]
    return ca.Function("dyn", [qj, qdj, qddj, w],
                       [out["tau"], out["grf"], out["zmp_x"], lo, hi, p_hand, q, qd],
                       ["qj", "qdj", "qddj", "W"],
                       ["tau", "grf", "zmp_x", "tau_lo", "tau_hi", "hand", "q", "qd"])


def prepare_problem(subject: Subject, task: LiftTask | None = None, strength_percentile: float = 50.0,
                    n_control: int = 5, n_between: int = 11, n_quadrature: int = 13, static_ends: bool = True,
                    ipopt_options: dict | None = None) -> LiftingProblem:
    """Build the maximum-weight lifting NLP (CasADi SX, IPOPT, exact Hessian).

    Parameters
    ----------
    subject : Subject
    task : LiftTask, optional
        Box start/end positions, duration and guide postures (defaults: floor to 1 m table).
    strength_percentile : float
        Population percentile of the worker's joint strength (50 = mean).
    n_control : int
        Control points per DOF (Xiang et al. 2021: 5).
    n_between : int
        Constraint instants between adjacent knots. Xiang et al. 2021 used 2 (7 instants in all); with
        so few the torques exceeded strength by up to 6-10 % between the instants, so the
        default is 11 (25 instants, every 60 ms for T = 1.44 s).
    n_quadrature : int
        Points of the composite Simpson rule for the effort integral (odd).
    static_ends : bool
        Zero joint velocities at 0 and T (Zaman et al. 2021, Table 1, item 11, for both models:
        the box rests on the floor at 0 and on the table at T). Without it the optimum starts
        the lift at up to 3.6 rad/s and uses that momentum, which inflated the weight.
    ipopt_options : dict, optional
        Extra IPOPT options (``{"max_iter": 500}``...).

    Returns
    -------
    LiftingProblem
        ``problem.index["P"]`` and ``problem.index["W"]`` address the variables.

    Examples
    --------
    >>> prob = prepare_problem(Subject("male", 80.0, 1.80), n_between=2)   # 7 instants: quick to build
    >>> prob.index["P"], prob.index["W"]   # 6 joints x 5 control points, then W
    (slice(0, 30, None), slice(30, 31, None))
    """
    task = task or LiftTask()
    if n_quadrature % 2 == 0:
        n_quadrature += 1
    model = build_model_2d(subject)
    dyn = _dynamics_function(model, subject, strength_percentile)
    T = float(task.duration_s)
    ndof = len(DESIGN_DOFS)
    x = ca.SX.sym("x", ndof * n_control + 1)
    P = ca.reshape(x[: ndof * n_control], n_control, ndof).T  # (6, n_control), row = joint
    W = _W_SCALE * x[-1]
    par = ca.SX.sym("p", 6)  # w1, w2, effort_utopia, effort_nadir, logw_utopia(min), logw_max
    t_con = bspline.collocation_times(n_control, T, n_between)
    t_quad = np.linspace(0.0, T, n_quadrature)

    def states(times):
        N, dN, ddN = bspline.basis_matrices(n_control, T, times)
        return P @ N.T, P @ dN.T, P @ ddN.T  # (ndof, n)

    # effort integral (Simpson)
    q_q, qd_q, qdd_q = states(t_quad)
    dyn_q = dyn.map(n_quadrature)(q_q, qd_q, qdd_q, W)
    tau_q, lo_q, hi_q = dyn_q[0], dyn_q[3], dyn_q[4]
    integrand = ca.sum1((tau_q[_STRENGTH_IDX, :] / (hi_q - lo_q)) ** 2)
    h = T / (n_quadrature - 1)
    simpson = np.ones(n_quadrature)
    simpson[1:-1:2], simpson[2:-1:2] = 4.0, 2.0
    effort = integrand @ ca.DM(simpson * h / 3.0)
    logw = ca.log(W + 10.0)
    f = (par[0] * (effort - par[2]) / (par[3] - par[2])
         - par[1] * (logw - par[4]) / (par[5] - par[4]))

    # time-dependent constraints
    q_c, qd_c, qdd_c = states(t_con)
    n_c = len(t_con)
    tau_c, grf_c, zmp_c, lo_c, hi_c = dyn.map(n_c)(q_c, qd_c, qdd_c, W)[:5]
    limits = _joint_limits_rad()
    foot = model.points
    heel_x, toe_x = foot["heel"][1][0], foot["mtp"][1][0] + foot["toe"][1][0]
    blocks, g, glb, gub = {}, [], [], []

    def add(name, expr, lb, ub):
        expr = ca.vec(expr)
        n = expr.shape[0]
        start = sum(e.shape[0] for e in g)
        g.append(expr)
        glb.append(np.broadcast_to(np.asarray(lb, float), (n,)).copy() if np.ndim(lb) == 0 else np.ravel(lb))
        gub.append(np.broadcast_to(np.asarray(ub, float), (n,)).copy() if np.ndim(ub) == 0 else np.ravel(ub))
        blocks[name] = slice(start, start + n)

    jl = np.array([limits[j] for j in DESIGN_DOFS])
    add("joint_limits", q_c, np.repeat(jl[:, :1], n_c, 1).ravel("F"), np.repeat(jl[:, 1:], n_c, 1).ravel("F"))
    add("torque_upper", tau_c[_STRENGTH_IDX, :] - hi_c, -np.inf, 0.0)
    add("torque_lower", tau_c[_STRENGTH_IDX, :] - lo_c, 0.0, np.inf)
    add("zmp_in_support", zmp_c, heel_x, toe_x)
    add("grf_compressive", grf_c[1, :], 0.0, np.inf)
    q_e, qd_e, _ = states([0.0, T])
    hands = dyn.map(2)(q_e, qd_e, ca.DM.zeros(ndof, 2), W)[5]
    add("hand_at_box", hands - ca.DM(np.c_[task.box_start_m, task.box_end_m]), 0.0, 0.0)
    if static_ends:
        add("static_ends", qd_e, 0.0, 0.0)
    guides = task.guide_postures_deg
    if isinstance(guides, str):
        guides = guide_postures(model, task, guides)
    if guides:
        q_g, _, _ = states([0.0, T / 2, T])
        rows, ref, tol = [], [], []
        for j, angles in guides.items():
            if j == "mtp":
                continue  # toes are flat on the floor (feet fixed), MTP = 0 throughout
            if j not in DESIGN_DOFS:
                raise PredictionError(f"guide_postures_deg has joint {j!r}; expected one of {DESIGN_DOFS}")
            rows.append(q_g[DESIGN_DOFS.index(j), :].T)
            ref.append(np.deg2rad(np.asarray(angles, float)))
            tol.append(task.posture_tolerance_rad)
        ref, tol = np.concatenate(ref), np.concatenate(tol)
        add("guide_postures", ca.vertcat(*rows), ref - tol, ref + tol)

    nlp = {"x": x, "f": f, "g": ca.vertcat(*g), "p": par}
    opts = {"ipopt.print_level": 0, "print_time": False, "ipopt.sb": "yes", "ipopt.max_iter": 1000,
            "ipopt.tol": 1e-6, "ipopt.mu_strategy": "adaptive"}
    opts.update({f"ipopt.{k}": v for k, v in (ipopt_options or {}).items()})
    solver = ca.nlpsol("lift2d", "ipopt", nlp, opts)
    x_lb = np.r_[np.full(ndof * n_control, -10.0), 0.0]
    x_ub = np.r_[np.full(ndof * n_control, 10.0), 1000.0 / _W_SCALE]
    x0 = _initial_guess(model, task, n_control, guides)
    index = {"P": slice(0, ndof * n_control), "W": slice(ndof * n_control, ndof * n_control + 1)}
    fns = {"dyn": dyn, "effort": ca.Function("effort", [x], [effort]), "g": ca.Function("g", [x], [ca.vertcat(*g)])}
    return LiftingProblem(model, task, strength_percentile, solver, index,
                          {"x_lb": x_lb, "x_ub": x_ub, "g_lb": np.concatenate(glb), "g_ub": np.concatenate(gub)},
                          blocks, x0, n_control, fns)


#: Reference postures (rad) for the initial guess: a squat grasp and upright standing
#: (spine, shoulder, elbow, hip, knee, ankle, mtp). Only the start point of IPOPT, not a constraint.
_SQUAT_GUESS = np.array([0.5, 0.5, 0.1, 1.6, 1.9, 0.45, 0.0])
_STOOP_GUESS = np.array([1.0, 0.6, 0.1, 1.3, 0.3, 0.1, 0.0])
_STAND_GUESS = np.array([0.0, 0.3, 0.3, 0.0, 0.0, 0.0, 0.0])
_TEMPLATES = {"squat": _SQUAT_GUESS, "stoop": _STOOP_GUESS}


def guide_postures(model: Model2D, task: LiftTask, style: str = "squat") -> dict:
    """Guide postures (deg) at 0, T/2, T derived from the box positions.

    Start: the static posture nearest a squat (or stoop) template with the hand at the box;
    end: nearest upright standing with the hand at the destination; middle: nearest the mean
    of the two templates with the hand half-way. These stand in for the measured postures
    of Xiang et al. 2021, eq. 18, when none are given.

    Returns
    -------
    dict
        joint name -> [start, middle, end] angles in degrees.
    """
    ref0 = _TEMPLATES[style]
    mid = 0.5 * (np.asarray(task.box_start_m) + np.asarray(task.box_end_m))
    qs = [static_posture(model, task.box_start_m, ref0),
          static_posture(model, mid, 0.5 * (ref0 + _STAND_GUESS)),
          static_posture(model, task.box_end_m, _STAND_GUESS)]
    return {j: np.degrees([q[DOF_NAMES.index(j)] for q in qs]).tolist() for j in DOF_NAMES[3:]}


def static_posture(model: Model2D, hand_m, reference) -> np.ndarray:
    """Posture (10,) closest to ``reference`` (7 joint angles, rad) with flat, fixed feet, the
    hand at ``hand_m`` (x, z) and the body's centre of mass over the middle half of the foot
    between heel and metatarsophalangeal joint (static balance; small IPOPT least-squares IK).

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> q = static_posture(m, (0.4, 0.9), np.zeros(7))
    >>> fk = forward_kinematics(m, q)
    >>> np.round(np.asarray(point_kinematics(m, fk, "hand")[0]).ravel(), 3).tolist()
    [0.4, 0.9]
    """
    q = ca.SX.sym("q", 10)
    fk = forward_kinematics(model, q)
    hand = point_kinematics(model, fk, "hand")[0]
    ankle = point_kinematics(model, fk, "ankle")[0]
    ankle_h = -model.points["heel"][1][1]
    com_x = sum(sg.mass * (fk[sg.name]["p"] + _rot(fk[sg.name]["phi"], sg.com_xz))[0] for sg in model.segments)
    com_x = com_x / model.total_mass_kg
    g = ca.vertcat(hand - ca.DM(hand_m), ankle[0], ankle[1] - ankle_h, fk["rear_foot"]["phi"], fk["toes"]["phi"],
                   com_x)
    heel_x, toe_x = model.points["heel"][1][0], model.points["mtp"][1][0]
    f = ca.sumsqr(q[3:] - ca.DM(reference))
    solver = ca.nlpsol("ik", "ipopt", {"x": q, "f": f, "g": g},
                       {"ipopt.print_level": 0, "print_time": False, "ipopt.sb": "yes"})
    lim = _joint_limits_rad()
    lbx = np.r_[-10, -10, -10, [lim[j][0] for j in DOF_NAMES[3:]]]
    ubx = np.r_[10, 10, 10, [lim[j][1] for j in DOF_NAMES[3:]]]
    x0 = model.standing_q()
    x0[3:] = np.clip(reference, lbx[3:], ubx[3:])
    lbg = np.r_[np.zeros(6), heel_x + 0.25 * (toe_x - heel_x)]
    ubg = np.r_[np.zeros(6), toe_x - 0.25 * (toe_x - heel_x)]
    res = solver(x0=x0, lbx=lbx, ubx=ubx, lbg=lbg, ubg=ubg)
    if not solver.stats()["success"]:
        raise PredictionError(f"the hand cannot reach {tuple(hand_m)} m with the feet fixed (IK failed: "
                              f"{solver.stats()['return_status']}); move the box closer to the worker")
    return np.asarray(res["x"]).ravel()


def _initial_guess(model: Model2D, task: LiftTask, n_control: int, guides: dict | None) -> np.ndarray:
    """B-spline through static start and end postures (flat ends); W = 200 N.

    W = 200 N is the initial guess of Xiang et al. 2021, sec. 2.2.
    """
    if guides:
        ref0 = np.deg2rad([guides.get(j, [0.0])[0] for j in DOF_NAMES[3:]])
        ref1 = np.deg2rad([guides.get(j, [0.0])[-1] for j in DOF_NAMES[3:]])
    else:
        ref0, ref1 = _SQUAT_GUESS, _STAND_GUESS
    q0 = static_posture(model, task.box_start_m, ref0)
    q1 = static_posture(model, task.box_end_m, ref1)
    s = np.clip((np.linspace(0.0, 1.0, n_control) - 0.25) / 0.5, 0.0, 1.0)
    P = q0[:, None] + (q1 - q0)[:, None] * s[None, :]
    return np.r_[P[_DESIGN_IDX].ravel(), 200.0 / _W_SCALE]  # joint-major: x[j * n_control + k]


def solve(problem: LiftingProblem, weights=DEFAULT_WEIGHTS, normalisation=(0.0, 1.0, 0.0, 1.0),
          x0: np.ndarray | None = None, n_frames: int = 101) -> LiftingSolution:
    """Solve a prepared problem for one weight pair and normalisation.

    Parameters
    ----------
    problem : LiftingProblem
    weights : (w1, w2)
        Effort and box-weight weights (w1 + w2 = 1 in Xiang et al. 2021).
    normalisation : (effort_utopia, effort_nadir, logw_min, logw_max)
        N[.] reference values; the default leaves both terms unnormalised.
    x0 : array, optional
        Start point (default: the problem's standing guess).
    n_frames : int
        Frames of the output profiles.

    Returns
    -------
    LiftingSolution
    """
    p = np.r_[weights, normalisation]
    start = time.perf_counter()
    res = problem.solver(x0=problem.x0 if x0 is None else x0, p=p, lbx=problem.bounds["x_lb"],
                         ubx=problem.bounds["x_ub"], lbg=problem.bounds["g_lb"], ubg=problem.bounds["g_ub"])
    elapsed = time.perf_counter() - start
    stats = problem.solver.stats()
    x = np.asarray(res["x"]).ravel()
    g = np.asarray(res["g"]).ravel()
    viol = float(np.max(np.r_[0.0, problem.bounds["g_lb"] - g, g - problem.bounds["g_ub"]]))
    W = float(x[problem.index["W"]][0] * _W_SCALE)
    frames = _profiles(problem, x, n_frames)
    return LiftingSolution(
        box_weight_n=W, effort=float(problem.functions["effort"](x)), log_weight=float(np.log(W + 10.0)),
        weights=tuple(float(w) for w in weights), success=bool(stats["success"]), status=str(stats["return_status"]),
        iterations=int(stats["iter_count"]), solve_time_s=elapsed, max_constraint_violation=viol,
        control_points=_full_control_points(problem, x, frames), frames=frames)


def _full_control_points(problem: LiftingProblem, x: np.ndarray, frames: pd.DataFrame) -> np.ndarray:
    """(10, n_control) control points of all DOFs: the joints' own; for the pelvis DOFs (which
    follow from the joints) a least-squares B-spline fit of their trajectories (for initial guesses)."""
    P = np.zeros((len(DOF_NAMES), problem.n_control))
    P[_DESIGN_IDX] = x[problem.index["P"]].reshape(len(DESIGN_DOFS), problem.n_control)
    N = bspline.basis_matrices(problem.n_control, problem.task.duration_s, frames.index.to_numpy())[0]
    for i in range(3):
        P[i] = np.linalg.lstsq(N, frames[f"q_{DOF_NAMES[i]}"].to_numpy(), rcond=None)[0]
    return P


def _profiles(problem: LiftingProblem, x: np.ndarray, n_frames: int) -> pd.DataFrame:
    T = problem.task.duration_s
    t = np.linspace(0.0, T, n_frames)
    P = x[problem.index["P"]].reshape(len(DESIGN_DOFS), problem.n_control)
    N, dN, ddN = bspline.basis_matrices(problem.n_control, T, t)
    W = x[problem.index["W"]][0] * _W_SCALE
    out = problem.functions["dyn"].map(n_frames)(P @ N.T, P @ dN.T, P @ ddN.T, W)
    tau, grf, zmp, lo, hi, _, q, qd = (np.asarray(o) for o in out)
    cols = {}
    for i, name in enumerate(DOF_NAMES):
        cols[f"q_{name}"] = q[i]
        cols[f"qd_{name}"] = qd[i]
        cols[f"tau_{name}"] = tau[i]
    cols["grf_x_n"], cols["grf_z_n"], cols["zmp_x_m"] = grf[0], grf[1], zmp[0]
    for k, (j, i) in enumerate(zip(STRENGTH_JOINTS, _STRENGTH_IDX, strict=True)):
        cols[f"tau_lo_{j}"], cols[f"tau_hi_{j}"] = lo[k], hi[k]
        cols[f"ratio_{j}"] = np.where(tau[i] >= 0, tau[i] / hi[k], tau[i] / lo[k])
    return pd.DataFrame(cols, index=pd.Index(t, name="time_s"))


@dataclass
class MaxWeightResult:
    """Weighted-sum solution plus the two anchors that define the normalisation."""

    solution: LiftingSolution
    min_effort: LiftingSolution
    max_weight: LiftingSolution
    normalisation: tuple[float, float, float, float]

    def normalised(self, sol: LiftingSolution) -> tuple[float, float]:
        """(N[effort], N[-log(W+10)]) of a solution, both in [0, 1] on the Pareto front."""
        e0, e1, l0, l1 = self.normalisation
        return (sol.effort - e0) / (e1 - e0), (l1 - sol.log_weight) / (l1 - l0)


def anchors(problem: LiftingProblem) -> tuple[LiftingSolution, LiftingSolution, tuple]:
    """Solve the two single-objective anchors and return the normalisation tuple.

    The min-effort anchor is w = (1, 0); the max-weight anchor is w = (1e-3, 1) on the raw
    terms (a small effort term picks a regular motion among the equally heavy ones).
    """
    best_w = solve(problem, weights=(1e-3, 1.0))
    _check(best_w, "max-weight anchor")
    least_e = solve(problem, weights=(1.0, 0.0), x0=_x_of(problem, best_w))
    _check(least_e, "min-effort anchor")
    norm = (least_e.effort, max(best_w.effort, least_e.effort + 1e-9), least_e.log_weight,
            max(best_w.log_weight, least_e.log_weight + 1e-9))
    return least_e, best_w, norm


def _x_of(problem: LiftingProblem, sol: LiftingSolution) -> np.ndarray:
    return np.r_[sol.control_points[_DESIGN_IDX].ravel(), sol.box_weight_n / _W_SCALE]


def _check(sol: LiftingSolution, what: str) -> None:
    if not sol.success:
        raise PredictionError(f"the {what} did not converge (IPOPT: {sol.status}); check that the box positions "
                              "are reachable from the fixed feet, or give guide postures")


def predict_max_weight(subject: Subject, task: LiftTask | None = None, weights=DEFAULT_WEIGHTS,
                       strength_percentile: float = 50.0, problem: LiftingProblem | None = None) -> MaxWeightResult:
    """Predict the maximum box weight and lifting motion (anchors + weighted-sum MOO).

    Parameters
    ----------
    subject : Subject
    task : LiftTask, optional
    weights : (w1, w2)
        Default (0.15, 0.85), the best pair of Xiang et al. 2021, sec. 3.2.
    strength_percentile : float
    problem : LiftingProblem, optional
        Reuse a prepared problem (its task and percentile win).

    Returns
    -------
    MaxWeightResult

    Examples
    --------
    >>> worker = Subject("female", 60.0, 1.62)
    >>> res = predict_max_weight(worker, problem=prepare_problem(worker, n_between=2))
    >>> res.solution.success, res.solution.box_weight_n > 20.0
    (True, True)
    """
    problem = problem or prepare_problem(subject, task, strength_percentile)
    least_e, best_w, norm = anchors(problem)
    sol = solve(problem, weights=weights, normalisation=norm, x0=_x_of(problem, best_w))
    _check(sol, f"weighted solve {weights}")
    return MaxWeightResult(sol, least_e, best_w, norm)


def pareto_front(subject: Subject, task: LiftTask | None = None, n_pairs: int = 21,
                 strength_percentile: float = 50.0, problem: LiftingProblem | None = None) -> pd.DataFrame:
    """Sweep w1 = 0, 0.05, ..., 1 (w2 = 1 - w1), the 21 Pareto cases of Xiang et al. 2021, sec. 2.4.

    Returns
    -------
    DataFrame
        One row per case: ``case, w1, w2, box_weight_n, effort, log_weight, n_effort,
        n_neg_log_weight, success, iterations, solve_time_s``.
    """
    problem = problem or prepare_problem(subject, task, strength_percentile)
    least_e, best_w, norm = anchors(problem)
    ref = MaxWeightResult(best_w, least_e, best_w, norm)
    rows = []
    x0 = _x_of(problem, best_w)
    for case, w1 in enumerate(np.linspace(0.0, 1.0, n_pairs)):
        sol = solve(problem, weights=(w1, 1.0 - w1), normalisation=norm, x0=x0)
        if sol.success:
            x0 = _x_of(problem, sol)
        ne, nw = ref.normalised(sol)
        rows.append({"case": case, "w1": w1, "w2": 1.0 - w1, "box_weight_n": sol.box_weight_n, "effort": sol.effort,
                     "log_weight": sol.log_weight, "n_effort": ne, "n_neg_log_weight": nw, "success": sol.success,
                     "iterations": sol.iterations, "solve_time_s": sol.solve_time_s})
    return pd.DataFrame(rows)
