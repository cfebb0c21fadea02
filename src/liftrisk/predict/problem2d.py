"""Maximum-weight lifting prediction with the 2D 10-DOF model (Xiang et al. 2021).

Design variables (addressed by name, bioptim style): ``P`` (6 joints x 5 B-spline control
points, rad; the pelvis DOFs follow from the fixed feet and the MTP is 0, so 30 instead of the
paper's 50), ``W`` (box weight, N; stored as W/100 inside the NLP) and ``T`` (lift time, s;
fixed by equal bounds unless ``LiftTask.duration_bounds_s``): 32 in all, 31 free when T is
fixed (docs/predict.md reconciles them with the paper's 51). Objective (Xiang et al. 2021, eq. 12)::

    f = w1 * N[ int_0^T sum_i (tau_i / (tau_i^U - tau_i^L))^2 dt ] - w2 * N[ log(W + 10) ]

N[.] is the weighted-sum normalisation of Marler & Arora (2004): (f - f_utopia) /
(f_nadir - f_utopia), with the utopia/nadir values from the two anchor solutions (min effort,
max weight), so both terms lie in [0, 1] (Xiang et al. 2021, sec. 2.2 and 3.1). Constraints, at the knots and
``n_between`` instants between adjacent knots unless said otherwise: joint limits (Eq. 13),
dynamic torque limits (Eq. 14), ZMP inside the foot support region and a compressive GRF
(Eq. 15), fixed flat feet (Eq. 16), hands at the box at 0 and T (Eq. 17), optional guide
postures at 0, T/2, T within 0.1/0.15/0.1 rad (Eq. 18), box-collision avoidance (Zaman et al.
2021, Table 1, item 5) and static start and end (zero joint velocity at 0 and T; item 11).
Solved by IPOPT through CasADi with exact first and second derivatives. :func:`prepare_problem`
builds the NLP once (weights, normalisation and strength z are NLP parameters); :func:`solve`
runs it; :func:`predict_max_weight` chains the anchors and the weighted solve;
:func:`pareto_front` sweeps the 21 weight pairs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import casadi as ca
import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.predict import bspline
from liftrisk.predict._nlp import (
    ConstraintSet,
    PredictionError,
    PredictionWarning,
    SolverRun,
    ipopt_options,
    normalised_times,
    one_blas_thread,
    run_solver,
    simpson_weights,
    spline_states,
)
from liftrisk.predict.guides import _STAND, guide_postures, joint_limits_rad, static_posture
from liftrisk.predict.guides import TEMPLATES as _TEMPLATES
from liftrisk.predict.model2d import (
    DOF_NAMES,
    G,
    Model2D,
    build_model_2d,
    fixed_feet_base,
    forward_kinematics,
    inverse_dynamics,
    point_kinematics,
)
from liftrisk.predict.strength import STRENGTH_JOINTS, joint_stand_in, percentile_to_z, torque_limits

__all__ = ["DEFAULT_WEIGHTS", "DESIGN_DOFS", "LiftTask", "LiftingProblem", "LiftingSolution", "MaxWeightResult",
           "PredictionError", "anchors", "guide_postures", "max_weight_table", "pareto_front", "percentile_for_weight",
           "predict_max_weight",
           "prepare_problem", "solve", "static_posture", "with_guide_postures"]

#: Best weighting pair (w1 effort, w2 box weight), Xiang et al. 2021, sec. 3.2.
DEFAULT_WEIGHTS = (0.15, 0.85)
_W_SCALE = 100.0  # N per NLP unit of the box-weight variable
_STRENGTH_IDX = [DOF_NAMES.index(j) for j in STRENGTH_JOINTS]
#: Design DOFs: the six joints spine..ankle. The pelvis X, Z, tilt follow from them with the
#: feet fixed (:func:`liftrisk.predict.model2d.fixed_feet_base`); MTP = 0 (toes flat).
DESIGN_DOFS = STRENGTH_JOINTS
_DESIGN_IDX = [DOF_NAMES.index(j) for j in DESIGN_DOFS]
#: Body points kept out of the box (box collision avoidance, Zaman et al. 2021 Table 1 item 5):
#: (segment, fraction along the segment from its origin) for thigh, shank and torso.
_COLLISION_POINTS = (("thigh", 0.5), ("thigh", 1.0), ("shank", 0.5), ("torso", 0.3), ("torso", 0.7))
#: Smoothing length (m) of the soft maximum in the box-collision constraint.
_COLLISION_SMOOTH_M = 0.01


def _joint_limits_rad() -> dict:
    """Joint limits (rad); see :func:`liftrisk.predict.guides.joint_limits_rad`."""
    return joint_limits_rad()


@dataclass(frozen=True)
class LiftTask:
    """What is lifted, from where to where (world frame, X from the ankle joint, Z from the floor).

    Parameters
    ----------
    box_start_m, box_end_m : (x, z)
        Grip (hand) position at t = 0 and t = T (m).
    duration_s : float
        Lifting time T (s); the papers' Subject #8 lifted in 1.44 s.
    guide_postures_deg : dict, "squat", "stoop" or None
        joint name -> three angles (deg) at 0, T/2, T (Xiang et al. 2021, eq. 18: the subject's measured
        postures, e.g. from :func:`liftrisk.predict.guides.guide_postures_from_motion`);
        ``"squat"`` / ``"stoop"`` (default ``"squat"``) derive them from the box positions
        (a stand-in, not a measurement: the weight depends strongly on it); ``None`` imposes
        no posture.
    posture_tolerance_rad : (3,)
        Allowed deviation at 0, T/2, T (Xiang et al. 2021: 0.1, 0.15, 0.1 rad).
    duration_bounds_s : (lo, hi), optional
        Make T a design variable within these bounds (s), as Zaman et al. (2021) does (its
        optimal T: 1.32 s in 3D, 1.439 s in 2D; its bounds are not given in the text). Default
        ``None``: T fixed at ``duration_s``.
    box_size_m : (depth, height)
        Box extent in the sagittal plane (m): depth along X, height along Z. Default 0.35 x
        0.15 m, the papers' 65 x 35 x 15 cm box with its 65 cm side across the body (assumed).
    grip_in_box_m : (x, z)
        Grip position measured from the box's near, bottom edge (m). Default (0.175, 0): the
        fingers under the box at mid-depth (the papers' box had no handles; assumed).
    box_collision : bool
        Keep the thigh, knee, shank and trunk out of the box at every constraint instant
        (Zaman et al. 2021, Table 1 item 5; its formulation is not given, see docs/predict.md).
    """

    box_start_m: tuple[float, float] = (0.40, 0.15)
    box_end_m: tuple[float, float] = (0.40, 1.00)
    duration_s: float = 1.44
    guide_postures_deg: dict | str | None = "squat"
    posture_tolerance_rad: tuple[float, float, float] = (0.1, 0.15, 0.1)
    duration_bounds_s: tuple[float, float] | None = None
    box_size_m: tuple[float, float] = (0.35, 0.15)
    grip_in_box_m: tuple[float, float] = (0.175, 0.0)
    box_collision: bool = True

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
        if self.duration_bounds_s is not None:
            lo, hi = (float(v) for v in self.duration_bounds_s)
            if not 0.3 <= lo <= hi <= 5.0:
                raise PredictionError(f"duration_bounds_s is {self.duration_bounds_s}; expected 0.3 <= lo <= hi <= 5 s")
        d, h = (float(v) for v in self.box_size_m)
        if not (0.0 < d < 1.5 and 0.0 < h < 1.5):
            raise PredictionError(f"box_size_m is {self.box_size_m}; expected (depth, height) in m, each in (0, 1.5)")

    @property
    def guide_source(self) -> str:
        """Where the guide postures come from, in words (for reports)."""
        g = self.guide_postures_deg
        if g is None:
            return "none"
        if isinstance(g, str):
            return f"template '{g}' (derived from the box positions, not measured)"
        return "given postures (measured)"


@dataclass
class LiftingProblem:
    """A prepared NLP (build with :func:`prepare_problem`; the strength z-score, the weights,
    the normalisation and the guide-posture bounds change between solves without a rebuild).

    Attributes
    ----------
    model : Model2D
        The subject's model.
    task : LiftTask
        Box positions (m) and lifting time (s).
    strength_percentile : float
        Default strength percentile (0-100).
    solver : casadi.Function
        The IPOPT solver.
    index : dict
        Variable name -> slice of x.
    bounds : dict
        ``"x_lb"``, ``"x_ub"``, ``"g_lb"``, ``"g_ub"``.
    constraint_blocks : dict
        Block name -> slice of g.
    x0 : numpy.ndarray
        Default start vector.
    n_control : int
        Control points per DOF.
    functions : dict
        CasADi functions of the profiles (effort, dynamics, ...).
    guides_deg : dict or None
        Guide postures (deg) at 0, T/2, T.
    notes : tuple of str
        What the user should know about the set-up.
    """

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
    guides_deg: dict | None = None
    notes: tuple[str, ...] = ()


@dataclass
class LiftingSolution:
    """Result of one NLP solve, with profiles on a uniform time grid.

    Attributes
    ----------
    box_weight_n : float
        Box weight W (N).
    effort, log_weight : float
        The two raw objective terms (dimensionless).
    weights : (float, float)
        The weight pair used.
    success : bool
        Whether IPOPT converged.
    status : str
        IPOPT's return status.
    iterations : int
        IPOPT iterations.
    solve_time_s : float
        Wall time of the solve (s).
    max_constraint_violation : float
        Largest constraint violation at the solution (units of the constraint).
    control_points : numpy.ndarray
        (10, n_control) control points (m, rad).
    frames : pandas.DataFrame
        Indexed by time (s): joint angles (rad), velocities, torques (N·m; floating-base
        residual N / N·m), GRF (N), ZMP (m), torque limits (N·m) and the torque/strength ratio
        (dimensionless; 1 = at the strength limit).
    duration_s : float
        Lifting time (s).
    strength_percentile : float
        Strength percentile (0-100) of the solve.
    warnings : tuple of str
        What the user must know about this figure (loose convergence, clipped guide postures).
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
    duration_s: float = float("nan")
    strength_percentile: float = 50.0
    warnings: tuple[str, ...] = ()

    @property
    def box_mass_kg(self) -> float:
        """Predicted box mass (kg)."""
        return self.box_weight_n / G

    def peak_strength_ratio(self) -> pd.Series:
        """Peak torque/strength ratio per joint over the lift."""
        return self.frames[[f"ratio_{j}" for j in STRENGTH_JOINTS]].max().rename(lambda c: c[6:])

    def binding_joint(self) -> str:
        """Joint whose torque/strength ratio peaks highest (the strength limit of the weight)."""
        return str(self.peak_strength_ratio().idxmax())


def _dynamics_function(model: Model2D, subject: Subject) -> ca.Function:
    """Joint states (6 design DOFs), W and z -> torques, GRF, ZMP, strength limits, hand, full
    q/qd and the body points kept out of the box."""
    nj = len(_DESIGN_IDX)
    qj, qdj, qddj, w = ca.SX.sym("qj", nj), ca.SX.sym("qdj", nj), ca.SX.sym("qddj", nj), ca.SX.sym("W")
    z = ca.SX.sym("z")
    q, qd, qdd = fixed_feet_base(model, qj, qdj, qddj)
    out = inverse_dynamics(model, q, qd, qdd, w)
    lo, hi = torque_limits(subject, [q[i] for i in _STRENGTH_IDX], [qd[i] for i in _STRENGTH_IDX], z=z)
    lo, hi = ca.vertcat(*lo), ca.vertcat(*hi)
    fk = forward_kinematics(model, q)
    p_hand = point_kinematics(model, fk, "hand")[0]
    ends = {"thigh": (0.0, -model.segment("shank").joint_xz[1]),
            "shank": (0.0, -model.segment("rear_foot").joint_xz[1]),
            "torso": (0.0, model.points["shoulder"][1][1])}
    body = []
    for seg, frac in _COLLISION_POINTS:
        sign = -1.0 if seg in ("thigh", "shank") else 1.0
        body.append(point_kinematics(model, fk, seg, local=(0.0, sign * frac * abs(ends[seg][1])))[0])
    return ca.Function("dyn", [qj, qdj, qddj, w, z],
                       [out["tau"], out["grf"], out["zmp_x"], lo, hi, p_hand, q, qd, ca.horzcat(*body)],
                       ["qj", "qdj", "qddj", "W", "z"],
                       ["tau", "grf", "zmp_x", "tau_lo", "tau_hi", "hand", "q", "qd", "body"])


def _soft_max(values, s: float):
    """Smooth upper bound of max(values): s log sum exp(v / s), within s log(n) of the max."""
    m = ca.mmax(values)
    return m + s * ca.log(ca.sum1(ca.exp((values - m) / s)))


def _box_clearance(task: LiftTask, hand, body, radius_m: float):
    """Clearance (m, > 0 outside) of body points from the box held level at the hand (x, z)."""
    d, h = task.box_size_m
    gx, gz = task.grip_in_box_m
    x_lo, z_lo = hand[0] - gx, hand[1] - gz
    out = []
    for k in range(body.shape[1]):
        p = body[:, k]
        margins = ca.vertcat(x_lo - radius_m - p[0], p[0] - (x_lo + d + radius_m),
                             z_lo - radius_m - p[1], p[1] - (z_lo + h + radius_m))
        out.append(_soft_max(margins, _COLLISION_SMOOTH_M) - _COLLISION_SMOOTH_M * np.log(4.0))
    return ca.vertcat(*out)


def prepare_problem(subject: Subject, task: LiftTask | None = None, strength_percentile: float = 50.0,
                    n_control: int = 5, n_between: int = 11, n_quadrature: int = 13, static_ends: bool = True,
                    ipopt_options: dict | None = None, body_radius_m: float = 0.05) -> LiftingProblem:
    """Build the maximum-weight lifting NLP (CasADi SX, IPOPT, exact Hessian).

    Parameters
    ----------
    subject : Subject
    task : LiftTask, optional
        Box start/end positions, duration and guide postures (defaults: floor to 1 m table).
    strength_percentile : float
        Default population percentile of the worker's joint strength (50 = mean); the z-score
        is an NLP parameter, so :func:`solve` can change it without a rebuild.
    n_control : int
        Control points per DOF (Xiang et al. 2021: 5).
    n_between : int
        Constraint instants between adjacent knots. The paper used 2 (7 instants in all); with
        so few the torques exceeded strength by up to 6-10 % between the instants, so the
        default is 11 (25 instants, every 60 ms for T = 1.44 s).
    n_quadrature : int
        Points of the composite Simpson rule for the effort integral (odd).
    static_ends : bool
        Zero joint velocities at 0 and T (Zaman et al.'s (2021) Table 1, item 11, for both models:
        the box rests on the floor at 0 and on the table at T). Without it the optimum starts
        the lift at up to 3.6 rad/s and uses that momentum, which inflated the weight.
    ipopt_options : dict, optional
        Extra IPOPT options (``{"max_iter": 500}``...).
    body_radius_m : float
        Half-thickness of the thigh, shank and trunk for the box-collision constraint (m;
        assumed, not from the papers).

    Returns
    -------
    LiftingProblem
        ``problem.index["P"]``, ``["W"]`` and ``["T"]`` address the variables.

    Examples
    --------
    >>> prob = prepare_problem(Subject("male", 80.0, 1.80), n_between=2)   # 7 instants: quick to build
    >>> prob.index["P"], prob.index["W"], prob.index["T"]   # 6 joints x 5 control points, W, T
    (slice(0, 30, None), slice(30, 31, None), slice(31, 32, None))
    """
    task = task or LiftTask()
    if n_quadrature % 2 == 0:
        n_quadrature += 1
    model = build_model_2d(subject)
    dyn = _dynamics_function(model, subject)
    ndof = len(DESIGN_DOFS)
    nP = ndof * n_control
    x = ca.SX.sym("x", nP + 2)
    P = ca.reshape(x[:nP], n_control, ndof).T  # (6, n_control), row = joint
    W = _W_SCALE * x[nP]
    T = x[nP + 1]
    par = ca.SX.sym("p", 7)  # w1, w2, effort_utopia, effort_nadir, logw_utopia(min), logw_max, z
    z = par[6]
    u_con = normalised_times(n_control, n_between)
    u_quad = np.linspace(0.0, 1.0, n_quadrature)

    # effort integral (Simpson on u, dt = T du)
    q_q, qd_q, qdd_q = spline_states(P, n_control, T, u_quad)
    dyn_q = dyn.map(n_quadrature)(q_q, qd_q, qdd_q, W, z)
    tau_q, lo_q, hi_q = dyn_q[0], dyn_q[3], dyn_q[4]
    integrand = ca.sum1((tau_q[_STRENGTH_IDX, :] / (hi_q - lo_q)) ** 2)
    effort = T * (integrand @ ca.DM(simpson_weights(n_quadrature)))
    logw = ca.log(W + 10.0)
    f = (par[0] * (effort - par[2]) / (par[3] - par[2])
         - par[1] * (logw - par[4]) / (par[5] - par[4]))

    # time-dependent constraints
    q_c, qd_c, qdd_c = spline_states(P, n_control, T, u_con)
    n_c = len(u_con)
    tau_c, grf_c, zmp_c, lo_c, hi_c, hand_c, _, _, body_c = dyn.map(n_c)(q_c, qd_c, qdd_c, W, z)
    limits = joint_limits_rad()
    foot = model.points
    heel_x, toe_x = foot["heel"][1][0], foot["mtp"][1][0] + foot["toe"][1][0]
    cons = ConstraintSet()
    jl = np.array([limits[j] for j in DESIGN_DOFS])
    cons.add("joint_limits", q_c, np.repeat(jl[:, :1], n_c, 1).ravel("F"), np.repeat(jl[:, 1:], n_c, 1).ravel("F"))
    cons.add("torque_upper", tau_c[_STRENGTH_IDX, :] - hi_c, -np.inf, 0.0)
    cons.add("torque_lower", tau_c[_STRENGTH_IDX, :] - lo_c, 0.0, np.inf)
    cons.add("zmp_in_support", zmp_c, heel_x, toe_x)
    cons.add("grf_compressive", grf_c[1, :], 0.0, np.inf)
    if task.box_collision:
        npts = len(_COLLISION_POINTS)
        clear = ca.vertcat(*[_box_clearance(task, hand_c[:, k], body_c[:, k * npts:(k + 1) * npts], body_radius_m)
                             for k in range(n_c)])
        cons.add("box_collision", clear, 0.0, np.inf)
    q_e, qd_e, _ = spline_states(P, n_control, T, [0.0, 1.0])
    hands = dyn.map(2)(q_e, qd_e, ca.DM.zeros(ndof, 2), W, z)[5]
    cons.add("hand_at_box", hands - ca.DM(np.c_[task.box_start_m, task.box_end_m]), 0.0, 0.0)
    if static_ends:
        cons.add("static_ends", qd_e, 0.0, 0.0)
    q_g, _, _ = spline_states(P, n_control, T, [0.0, 0.5, 1.0])
    cons.add("guide_postures", q_g.T, -np.inf, np.inf)  # rows: joint-major (3 instants each); bounds per solve

    nlp = {"x": x, "f": f, "g": cons.g(), "p": par}
    solver = ca.nlpsol("lift2d", "ipopt", nlp, _ipopt(ipopt_options))
    T_lo, T_hi = task.duration_bounds_s or (task.duration_s, task.duration_s)
    x_lb = np.r_[np.full(nP, -10.0), 0.0, T_lo]
    x_ub = np.r_[np.full(nP, 10.0), 1000.0 / _W_SCALE, T_hi]
    index = {"P": slice(0, nP), "W": slice(nP, nP + 1), "T": slice(nP + 1, nP + 2)}
    fns = {"dyn": dyn, "effort": ca.Function("effort", [x, par], [effort]), "g": ca.Function("g", [x, par], [cons.g()])}
    g_lb, g_ub = cons.bounds()
    prob = LiftingProblem(model, task, strength_percentile, solver, index,
                          {"x_lb": x_lb, "x_ub": x_ub, "g_lb": g_lb, "g_ub": g_ub}, cons.blocks, np.zeros(nP + 2),
                          n_control, fns)
    return with_guide_postures(prob, task.guide_postures_deg)


def _ipopt(extra):
    return ipopt_options(extra)


def _resolve_guides(model: Model2D, task: LiftTask, guides) -> dict | None:
    if isinstance(guides, str):
        return guide_postures(model, task, guides)
    return guides


def with_guide_postures(problem: LiftingProblem, guides) -> LiftingProblem:
    """The same prepared problem with other guide postures (Xiang et al. 2021, eq. 18), no rebuild.

    Parameters
    ----------
    problem : LiftingProblem
    guides : dict, "squat", "stoop" or None
        As ``LiftTask.guide_postures_deg``. Where a measured angle lies outside the tabulated
        joint limit (e.g. the weight-bearing ankle dorsiflexion of a deep squat beyond the AAOS
        20 deg), that joint's limit is widened to the measured angle, with a note in
        :attr:`LiftingProblem.notes` (carried into every solution's ``warnings``).

    Returns
    -------
    LiftingProblem
        A copy with the guide-posture bounds, the initial guess and ``task`` replaced.
    """
    task = replace(problem.task, guide_postures_deg=guides)
    resolved = _resolve_guides(problem.model, task, guides)
    blk = problem.constraint_blocks["guide_postures"]
    jblk = problem.constraint_blocks["joint_limits"]
    g_lb, g_ub = problem.bounds["g_lb"].copy(), problem.bounds["g_ub"].copy()
    g_lb[blk], g_ub[blk] = -np.inf, np.inf
    limits = joint_limits_rad()
    for k, j in enumerate(DESIGN_DOFS):  # reset the joint limits (rows: instant-major)
        g_lb[jblk.start + k: jblk.stop: len(DESIGN_DOFS)] = limits[j][0]
        g_ub[jblk.start + k: jblk.stop: len(DESIGN_DOFS)] = limits[j][1]
    notes = []
    if resolved:
        tol = np.asarray(task.posture_tolerance_rad, float)
        for j, angles in resolved.items():
            if j in ("mtp",) or j.startswith("_"):
                continue  # toes flat on the floor (feet fixed): MTP = 0 throughout
            if j not in DESIGN_DOFS:
                raise PredictionError(f"guide_postures_deg has joint {j!r}; expected one of {DESIGN_DOFS}")
            ref = np.deg2rad(np.asarray(angles, float))
            if ref.shape != (3,) or not np.all(np.isfinite(ref)):
                raise PredictionError(f"guide_postures_deg[{j!r}] is {angles!r}; expected three finite angles (deg) "
                                      "at 0, T/2, T")
            lo, hi = limits[j]
            new_lo, new_hi = min(lo, float(ref.min())), max(hi, float(ref.max()))
            if new_lo < lo - 1e-6 or new_hi > hi + 1e-6:
                # a measured posture beyond the tabulated range (e.g. weight-bearing ankle
                # dorsiflexion in a deep squat beyond AAOS's 20 deg): the measurement wins
                notes.append(f"measured guide posture {j} reaches {np.degrees(ref.min()):.1f} to "
                             f"{np.degrees(ref.max()):.1f} deg, beyond the joint limit ({np.degrees(lo):.0f} to "
                             f"{np.degrees(hi):.0f} deg, AAOS 1965): the limit is widened to the measured angle")
                k = DESIGN_DOFS.index(j)
                g_lb[jblk.start + k: jblk.stop: len(DESIGN_DOFS)] = new_lo
                g_ub[jblk.start + k: jblk.stop: len(DESIGN_DOFS)] = new_hi
            rows = slice(blk.start + 3 * DESIGN_DOFS.index(j), blk.start + 3 * DESIGN_DOFS.index(j) + 3)
            g_lb[rows] = np.maximum(ref - tol, new_lo)
            g_ub[rows] = np.minimum(ref + tol, new_hi)
    bounds = dict(problem.bounds, g_lb=g_lb, g_ub=g_ub)
    x0 = _initial_guess(problem.model, task, problem.n_control, resolved,
                        0.5 * (bounds["x_lb"][-1] + bounds["x_ub"][-1]))
    return replace(problem, task=task, bounds=bounds, x0=x0, guides_deg=resolved, notes=tuple(notes))


def _initial_guess(model: Model2D, task: LiftTask, n_control: int, guides: dict | None, T: float) -> np.ndarray:
    """B-spline through static start and end postures (flat ends); W = 200 N (Xiang et al.'s (2021) guess)."""
    if guides:
        ref0 = np.deg2rad([guides.get(j, [0.0])[0] for j in DOF_NAMES[3:]])
        ref1 = np.deg2rad([guides.get(j, [0.0])[-1] for j in DOF_NAMES[3:]])
    else:
        ref0, ref1 = _TEMPLATES["squat"], _STAND
    q0 = static_posture(model, task.box_start_m, ref0)
    q1 = static_posture(model, task.box_end_m, ref1)
    s = np.clip((np.linspace(0.0, 1.0, n_control) - 0.25) / 0.5, 0.0, 1.0)
    P = q0[:, None] + (q1 - q0)[:, None] * s[None, :]
    return np.r_[P[_DESIGN_IDX].ravel(), 200.0 / _W_SCALE, T]  # joint-major: x[j * n_control + k]


def solve(problem: LiftingProblem, weights=DEFAULT_WEIGHTS, normalisation=(0.0, 1.0, 0.0, 1.0),
          x0: np.ndarray | None = None, n_frames: int = 101, strength_percentile: float | None = None
          ) -> LiftingSolution:
    """Solve a prepared problem for one weight pair and normalisation.

    Parameters
    ----------
    problem : LiftingProblem
    weights : (w1, w2)
        Effort and box-weight weights (w1 + w2 = 1 in Xiang et al. 2021).
    normalisation : (effort_utopia, effort_nadir, logw_min, logw_max)
        N[.] reference values; the default leaves both terms unnormalised.
    x0 : array, optional
        Start point (default: the problem's guess through the guide postures).
    n_frames : int
        Frames of the output profiles.
    strength_percentile : float, optional
        Strength percentile of this solve (default: the problem's).

    Returns
    -------
    LiftingSolution
    """
    pct = problem.strength_percentile if strength_percentile is None else strength_percentile
    p = np.r_[weights, normalisation, percentile_to_z(pct)]
    return _solution(problem, weights, normalisation, pct, run_solver(problem, p, x0), n_frames)


def _solution(problem: LiftingProblem, weights, normalisation, pct: float, run: SolverRun,
              n_frames: int = 101) -> LiftingSolution:
    """The solution of one IPOPT run (``run.x``) with its profiles and notes."""
    p = np.r_[weights, normalisation, percentile_to_z(pct)]
    x = run.x
    W = float(x[problem.index["W"]][0] * _W_SCALE)
    frames = _profiles(problem, x, n_frames, percentile_to_z(pct))
    notes = list(problem.notes) + list(run.warnings)
    ratios = frames[[f"ratio_{j}" for j in STRENGTH_JOINTS]].max()
    binding = str(ratios.idxmax())[6:]
    stand_in = joint_stand_in(problem.model.subject, binding)
    if stand_in and ratios.max() > 0.98:
        notes.append(f"the weight is limited by {binding} strength, which uses a stand-in: {stand_in}")
    return LiftingSolution(
        box_weight_n=W, effort=float(problem.functions["effort"](x, p)), log_weight=float(np.log(W + 10.0)),
        weights=tuple(float(w) for w in weights), success=run.success, status=run.status,
        iterations=run.iterations, solve_time_s=run.solve_time_s, max_constraint_violation=run.max_constraint_violation,
        control_points=_full_control_points(problem, x, frames), frames=frames,
        duration_s=float(x[problem.index["T"]][0]), strength_percentile=float(pct),
        warnings=tuple(notes))


def _full_control_points(problem: LiftingProblem, x: np.ndarray, frames: pd.DataFrame) -> np.ndarray:
    """(10, n_control) control points of all DOFs: the joints' own; for the pelvis DOFs (which
    follow from the joints) a least-squares B-spline fit of their trajectories (for initial guesses)."""
    P = np.zeros((len(DOF_NAMES), problem.n_control))
    P[_DESIGN_IDX] = x[problem.index["P"]].reshape(len(DESIGN_DOFS), problem.n_control)
    T = float(x[problem.index["T"]][0])
    N = bspline.basis_matrices(problem.n_control, T, frames.index.to_numpy())[0]
    for i in range(3):
        P[i] = np.linalg.lstsq(N, frames[f"q_{DOF_NAMES[i]}"].to_numpy(), rcond=None)[0]
    return P


def _profiles(problem: LiftingProblem, x: np.ndarray, n_frames: int, z: float) -> pd.DataFrame:
    T = float(x[problem.index["T"]][0])
    u = np.linspace(0.0, 1.0, n_frames)
    P = x[problem.index["P"]].reshape(len(DESIGN_DOFS), problem.n_control)
    q_, qd_, qdd_ = spline_states(P, problem.n_control, T, u)
    W = x[problem.index["W"]][0] * _W_SCALE
    out = problem.functions["dyn"].map(n_frames)(q_, qd_, qdd_, W, z)
    tau, grf, zmp, lo, hi, _, q, qd = (np.asarray(o) for o in out[:8])
    cols = {}
    for i, name in enumerate(DOF_NAMES):
        cols[f"q_{name}"] = q[i]
        cols[f"qd_{name}"] = qd[i]
        cols[f"tau_{name}"] = tau[i]
    cols["grf_x_n"], cols["grf_z_n"], cols["zmp_x_m"] = grf[0], grf[1], zmp[0]
    for k, (j, i) in enumerate(zip(STRENGTH_JOINTS, _STRENGTH_IDX, strict=True)):
        cols[f"tau_lo_{j}"], cols[f"tau_hi_{j}"] = lo[k], hi[k]
        cols[f"ratio_{j}"] = np.where(tau[i] >= 0, tau[i] / hi[k], tau[i] / lo[k])
    return pd.DataFrame(cols, index=pd.Index(u * T, name="time_s"))


@dataclass
class MaxWeightResult:
    """Weighted-sum solution plus the two anchors that define the normalisation.

    Attributes
    ----------
    solution : LiftingSolution
        The weighted solution.
    min_effort, max_weight : LiftingSolution
        The two anchors.
    normalisation : tuple
        (effort_utopia, effort_nadir, logw_min, logw_max).
    """

    solution: LiftingSolution
    min_effort: LiftingSolution
    max_weight: LiftingSolution
    normalisation: tuple[float, float, float, float]

    def normalised(self, sol: LiftingSolution) -> tuple[float, float]:
        """(N[effort], N[-log(W+10)]) of a solution, both in [0, 1] on the Pareto front."""
        e0, e1, l0, l1 = self.normalisation
        return (sol.effort - e0) / (e1 - e0), (l1 - sol.log_weight) / (l1 - l0)


def anchors(problem: LiftingProblem, strength_percentile: float | None = None, x0: np.ndarray | None = None
            ) -> tuple[LiftingSolution, LiftingSolution, tuple]:
    """Solve the two single-objective anchors and return the normalisation tuple.

    The min-effort anchor is w = (1, 0); the max-weight anchor is w = (1e-3, 1) on the raw
    terms (a small effort term picks a regular motion among the equally heavy ones), started
    from ``x0`` when given (e.g. a weaker worker's solution, feasible for a stronger one).

    Parameters
    ----------
    problem : LiftingProblem
        A prepared problem.
    strength_percentile : float, optional
        Strength percentile (0-100) for these solves (default: the problem's).
    x0 : numpy.ndarray, optional
        Start of the max-weight anchor (design vector; default the problem's guess).

    Returns
    -------
    min_effort, max_weight : LiftingSolution
        The two anchor solutions.
    normalisation : tuple
        (effort_utopia, effort_nadir, logw_min, logw_max) for :func:`solve`.
    """
    best_w = solve(problem, weights=(1e-3, 1.0), strength_percentile=strength_percentile, x0=x0)
    _check(best_w, "max-weight anchor")
    least_e = solve(problem, weights=(1.0, 0.0), x0=_x_of(problem, best_w), strength_percentile=strength_percentile)
    _check(least_e, "min-effort anchor")
    norm = (least_e.effort, max(best_w.effort, least_e.effort + 1e-9), least_e.log_weight,
            max(best_w.log_weight, least_e.log_weight + 1e-9))
    return least_e, best_w, norm


def _x_of(problem: LiftingProblem, sol: LiftingSolution) -> np.ndarray:
    return np.r_[sol.control_points[_DESIGN_IDX].ravel(), sol.box_weight_n / _W_SCALE, sol.duration_s]


def _check(sol: LiftingSolution, what: str) -> None:
    if not sol.success:
        raise PredictionError(f"the {what} did not converge (IPOPT: {sol.status}): at strength percentile "
                              f"{sol.strength_percentile:g} the guided motion may exceed strength even with an "
                              "empty box, or the box positions are not reachable from the fixed feet")


def predict_max_weight(subject: Subject, task: LiftTask | None = None, weights=DEFAULT_WEIGHTS,
                       strength_percentile: float = 50.0, problem: LiftingProblem | None = None,
                       x0: np.ndarray | None = None) -> MaxWeightResult:
    """Predict the maximum box weight and lifting motion (anchors + weighted-sum MOO).

    Parameters
    ----------
    subject : Subject
    task : LiftTask, optional
    weights : (w1, w2)
        Default (0.15, 0.85), Xiang et al.'s (2021) best pair.
    strength_percentile : float
    problem : LiftingProblem, optional
        Reuse a prepared problem (its task wins; ``strength_percentile`` applies).
    x0 : array, optional
        Start of the max-weight anchor (default the problem's guess).

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
    # BLAS on one thread, as in the 3D prediction: the rounding (hence IPOPT's path) then does not
    # depend on the CPU count, and the small matrices gain nothing from more threads
    with one_blas_thread():
        problem = problem or prepare_problem(subject, task, strength_percentile)
        least_e, best_w, norm = anchors(problem, strength_percentile, x0)
        sol = solve(problem, weights=weights, normalisation=norm, x0=_x_of(problem, best_w),
                    strength_percentile=strength_percentile)
    _check(sol, f"weighted solve {weights}")
    return MaxWeightResult(sol, least_e, best_w, norm)


def max_weight_table(subject: Subject, task: LiftTask | None = None, guides: dict | None = None,
                     percentiles=(5.0, 50.0, 95.0), weights=DEFAULT_WEIGHTS,
                     problem: LiftingProblem | None = None) -> pd.DataFrame:
    """Maximum weight for several guide-posture sources and strength percentiles, one build.

    The prediction hinges on two inputs the user rarely has: the guide postures (Xiang et al. 2021
    Eq. 18 uses the subject's measured ones) and the strength percentile (Xiang et al. 2019
    fit it to each subject's measured maximum weight). This puts every choice side by side.

    Parameters
    ----------
    subject : Subject
    task : LiftTask, optional
    guides : dict, optional
        label -> guide postures (a dict of measured angles, "squat", "stoop" or None).
        Default: ``{"squat": "squat", "stoop": "stoop", "none": None}``.
    percentiles : sequence of float
        Strength percentiles (default 5th, 50th, 95th).
    weights : (w1, w2)
    problem : LiftingProblem, optional
        A prepared problem to reuse.

    Returns
    -------
    DataFrame
        One row per (guide, percentile): ``guide, percentile, z, box_weight_n, box_mass_kg,
        duration_s, binding_joint, peak_ratio, status, iterations, warnings``; a row whose
        solve failed has NaN weight and the IPOPT status.
    """
    guides = {"squat": "squat", "stoop": "stoop", "none": None} if guides is None else guides
    base = problem or prepare_problem(subject, task)
    rows = []
    for label, g in guides.items():
        try:
            prob = with_guide_postures(base, g)
        except PredictionError as exc:
            for pct in percentiles:
                rows.append({"guide": label, "percentile": float(pct), "z": percentile_to_z(pct),
                             "box_weight_n": np.nan, "box_mass_kg": np.nan, "duration_s": np.nan,
                             "binding_joint": "", "peak_ratio": np.nan, "status": f"guide failed: {exc}",
                             "iterations": 0, "warnings": ""})
            continue
        x_prev = None
        for pct in sorted(percentiles):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PredictionWarning)  # carried in the row instead
                try:
                    res = predict_max_weight(subject, weights=weights, strength_percentile=pct, problem=prob,
                                             x0=x_prev)
                    x_prev = _x_of(prob, res.max_weight)
                    sol = res.solution
                    rows.append({"guide": label, "percentile": float(pct), "z": percentile_to_z(pct),
                                 "box_weight_n": sol.box_weight_n, "box_mass_kg": sol.box_mass_kg,
                                 "duration_s": sol.duration_s, "binding_joint": sol.binding_joint(),
                                 "peak_ratio": float(sol.peak_strength_ratio().max()), "status": sol.status,
                                 "iterations": sol.iterations, "warnings": "; ".join(sol.warnings)})
                except PredictionError as exc:
                    rows.append({"guide": label, "percentile": float(pct), "z": percentile_to_z(pct),
                                 "box_weight_n": np.nan, "box_mass_kg": np.nan, "duration_s": np.nan,
                                 "binding_joint": "", "peak_ratio": np.nan, "status": str(exc), "iterations": 0,
                                 "warnings": ""})
    return pd.DataFrame(rows)


def percentile_for_weight(subject: Subject, measured_weight_n: float, task: LiftTask | None = None,
                          weights=DEFAULT_WEIGHTS, problem: LiftingProblem | None = None,
                          bounds=(1.0, 99.0), tol_n: float = 1.0) -> float:
    """Strength percentile at which the prediction equals a measured maximum weight.

    Xiang et al. 2021 (sec. 2.3.3) obtained each subject's strength z-score from his measured
    joint angles, box weight and anthropometry "(Xiang et al. 2019)", without describing the
    procedure; this is liftrisk's reading of that idea: bisection on the percentile of the
    weighted prediction (monotone in strength when guide postures are given) until it matches
    the measured weight. Give the worker's measured guide postures in ``task``; the result
    then calibrates later predictions for the same worker (other box positions).

    Parameters
    ----------
    subject : Subject
    measured_weight_n : float
        The worker's measured (safe) maximum box weight (N).
    task : LiftTask, optional
        The measured lift (its box positions, T and guide postures).
    weights : (w1, w2)
        MOO weights (default Xiang et al. 2021's best pair).
    problem : LiftingProblem, optional
        A prepared problem to reuse.
    bounds : (lo, hi)
        Percentile search range.
    tol_n : float
        Stop when the predicted weight is within this of the measured one (N).

    Returns
    -------
    float
        Strength percentile (0-100); z = `percentile_to_z` of it.
    """
    prob = problem or prepare_problem(subject, task)
    lo, hi = (float(b) for b in bounds)

    def weight(pct):  # an infeasible solve (too weak for the guided motion) counts as 0 N
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PredictionWarning)
            try:
                res = predict_max_weight(subject, weights=weights, strength_percentile=pct, problem=prob)
            except PredictionError:
                return 0.0
        return res.solution.box_weight_n

    w_lo, w_hi = weight(lo), weight(hi)
    if not w_lo <= measured_weight_n <= w_hi:
        raise PredictionError(f"measured weight {measured_weight_n:.1f} N is outside the predicted range "
                              f"{w_lo:.1f}-{w_hi:.1f} N for strength percentiles {lo:g}-{hi:g}; check the task "
                              "and the guide postures")
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        w = weight(mid)
        if abs(w - measured_weight_n) <= tol_n:
            return mid
        lo, hi = (mid, hi) if w < measured_weight_n else (lo, mid)
    return 0.5 * (lo + hi)


def pareto_front(subject: Subject, task: LiftTask | None = None, n_pairs: int = 21,
                 strength_percentile: float = 50.0, problem: LiftingProblem | None = None) -> pd.DataFrame:
    """Sweep w1 = 0, 0.05, ..., 1 (w2 = 1 - w1), Xiang et al.'s (2021) 21 Pareto cases.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    task : LiftTask, optional
        Box positions (m) and lifting time (s); default :class:`LiftTask`.
    n_pairs : int
        Number of weight pairs.
    strength_percentile : float
        Strength percentile (0-100).
    problem : LiftingProblem, optional
        A prepared problem to reuse.

    Returns
    -------
    DataFrame
        One row per case: ``case, w1, w2, box_weight_n, effort, log_weight, n_effort,
        n_neg_log_weight, success, iterations, solve_time_s``.
    """
    problem = problem or prepare_problem(subject, task, strength_percentile)
    least_e, best_w, norm = anchors(problem, strength_percentile)
    ref = MaxWeightResult(best_w, least_e, best_w, norm)
    rows = []
    x0 = _x_of(problem, best_w)
    for case, w1 in enumerate(np.linspace(0.0, 1.0, n_pairs)):
        sol = solve(problem, weights=(w1, 1.0 - w1), normalisation=norm, x0=x0,
                    strength_percentile=strength_percentile)
        if sol.success:
            x0 = _x_of(problem, sol)
        ne, nw = ref.normalised(sol)
        rows.append({"case": case, "w1": w1, "w2": 1.0 - w1, "box_weight_n": sol.box_weight_n, "effort": sol.effort,
                     "log_weight": sol.log_weight, "n_effort": ne, "n_neg_log_weight": nw, "success": sol.success,
                     "iterations": sol.iterations, "solve_time_s": sol.solve_time_s})
    return pd.DataFrame(rows)
