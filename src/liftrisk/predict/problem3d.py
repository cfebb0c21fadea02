"""Maximum-weight symmetric lifting with the 3D model (Zaman et al. 2021, 2D vs 3D lifting).

Same formulation as :mod:`liftrisk.predict.problem2d` (B-splines with 5 control points per DOF,
box weight as design variables, weighted-sum MOO of effort and log box weight, IPOPT with
exact derivatives) on the 29-DOF model of :mod:`liftrisk.predict.model3d`, with the
additional 3D constraints of Zaman et al. 2021, Table 1:

(6) hand distance: the hands are ``hand_distance_m`` apart along world Y at every constraint
    instant; (7) box parallel to the ground: both hands at the same height and the same X;
(8) weight difference on the hands: ``|W_r - W_l| <= weight_difference_n``; (9) kinematic
symmetry: ``|q_left - q_right| <= symmetry_tolerance_rad`` for every paired DOF.

Design variables: ``P`` (29 x 5) and ``W_r``, ``W_l`` (N, the right and left hand loads).
Torque limits (Anderson 2007 and the cited upper-body values, one side each) apply to the
flexion-extension DOFs; the other DOFs (lateral bend, axial rotation, abduction, rotation,
inversion) have no cited strength: they have no torque limit, and their effort term is
normalised by the flexion-extension strength range of the same joint. The initial guess is
the 2D solution mapped onto both sides (so the 3D solve is warm-started).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import casadi as ca
import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.predict import bspline
from liftrisk.predict._nlp import (
    ConstraintSet,
    PredictionWarning,
    normalised_times,
    run_solver,
    simpson_weights,
    spline_states,
)
from liftrisk.predict._nlp import ipopt_options as _ipopt_options
from liftrisk.predict.model2d import DOF_NAMES as DOF_NAMES_2D
from liftrisk.predict.model2d import build_model_2d
from liftrisk.predict.model3d import (
    SIDES,
    Model3D,
    build_model_3d,
    fixed_right_foot_base,
    forward_kinematics,
    inverse_dynamics,
    point_kinematics,
)
from liftrisk.predict.problem2d import (
    DEFAULT_WEIGHTS,
    LiftTask,
    PredictionError,
    _joint_limits_rad,
    guide_postures,
    predict_max_weight,
)
from liftrisk.predict.strength import joint_stand_in, smooth_joint_strength

__all__ = ["STRENGTH_DOFS", "LiftingProblem3D", "LiftingSolution3D", "MaxWeightResult3D", "initial_guess_from_2d",
           "predict_max_weight_3d", "prepare_problem_3d", "solve_3d", "torque_limits_single"]

_W_SCALE = 100.0
#: Tolerance (N) within which the hand-load difference counts as sitting on its bound.
_SPLIT_BOUND_TOL_N = 0.5
#: DOFs with a strength model (torque limits), one side each.
STRENGTH_DOFS = ("spine",) + tuple(f"{s}_{j}" for s in SIDES for j in ("shoulder", "elbow", "hip", "knee", "ankle"))
#: Secondary DOF -> the joint whose flexion-extension range normalises its effort term.
_SECONDARY = {"spine_lateral": "spine", "spine_rotation": "spine", "shoulder_abduction": "shoulder",
              "shoulder_rotation": "shoulder", "hip_abduction": "hip", "hip_rotation": "hip",
              "ankle_inversion": "ankle"}
_PAIRED = ("shoulder", "shoulder_abduction", "shoulder_rotation", "elbow", "hip", "hip_abduction", "hip_rotation",
           "knee", "ankle", "ankle_inversion")


def _generic(name: str) -> str:
    return name[2:] if name[:2] in ("r_", "l_") else name


@dataclass
class LiftingProblem3D:
    """A prepared 3D NLP (build with :func:`prepare_problem_3d`).

    Attributes
    ----------
    model : Model3D
        The subject's model.
    task : LiftTask
        Box positions (m) and lifting time (s).
    strength_percentile : float
        Strength percentile (0-100).
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
        CasADi functions of the profiles.
    """

    model: Model3D
    task: LiftTask
    strength_percentile: float
    solver: ca.Function
    index: dict
    bounds: dict
    constraint_blocks: dict
    x0: np.ndarray
    n_control: int
    functions: dict = field(repr=False)


@dataclass
class LiftingSolution3D:
    """One 3D solve: loads per hand (N) and profiles.

    Attributes
    ----------
    right_hand_n, left_hand_n : float
        Box load on each hand (N).
    effort : float
        Raw effort term (dimensionless).
    weights : tuple
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
        Largest constraint violation at the solution.
    x : numpy.ndarray
        The NLP solution vector.
    frames : pandas.DataFrame
        Angles (rad), torques (N·m), right/left GRF (N), ZMP (m) and torque/strength ratios of
        the flexion-extension DOFs, indexed by time (s).
    warnings : tuple of str
        What the user must know about this figure.
    split_determined : bool
        Whether the left/right split is an optimum (not set by the assumed bound).
    split_note : str
        Why the split is not reported, when it is not.
    """

    right_hand_n: float
    left_hand_n: float
    effort: float
    weights: tuple
    success: bool
    status: str
    iterations: int
    solve_time_s: float
    max_constraint_violation: float
    x: np.ndarray
    frames: pd.DataFrame
    warnings: tuple[str, ...] = ()
    split_determined: bool = False
    split_note: str = ""

    @property
    def box_weight_n(self) -> float:
        """Total box weight (N)."""
        return self.right_hand_n + self.left_hand_n

    def split_text(self) -> str:
        """The left/right hand loads, or why they are not reported (for reports and the CLI)."""
        if self.split_determined:
            return f"right hand {self.right_hand_n:.1f} N, left hand {self.left_hand_n:.1f} N"
        return f"left/right split not reported: {self.split_note}"

    @property
    def box_mass_kg(self) -> float:
        return self.box_weight_n / 9.81

    @property
    def log_weight(self) -> float:
        return float(np.log(self.box_weight_n + 10.0))

    def peak_strength_ratio(self) -> pd.Series:
        """Peak torque/strength ratio per flexion-extension DOF."""
        return self.frames[[f"ratio_{j}" for j in STRENGTH_DOFS]].max().rename(lambda c: c[6:])


def _dynamics_function(model: Model3D, subject: Subject, percentile: float) -> ca.Function:
    """(q, qd, qdd, w) -> torques, GRFs, ZMP, limits, hands, left foot, full q. The base entries
    of q/qd/qdd are ignored: the base follows from the right leg (right foot fixed)."""
    n = model.ndof
    qs, qds, qdds = ca.SX.sym("q", n), ca.SX.sym("qd", n), ca.SX.sym("qdd", n)
    w = ca.SX.sym("w", 2)
    q, qd, qdd = fixed_right_foot_base(model, qs, qds, qdds)
    out = inverse_dynamics(model, q, qd, qdd, [w[0], w[1]])
    idx = [model.index(d) for d in STRENGTH_DOFS]
    lo, hi = [], []
    for d, i in zip(STRENGTH_DOFS, idx, strict=True):
        j = _generic(d)
        lo_j, hi_j = torque_limits_single(subject, j, q[i], qd[i], percentile)
        lo.append(lo_j)
        hi.append(hi_j)
    fk = forward_kinematics(model, q)
    pts = [point_kinematics(model, fk, f"{s}_hand")[0] for s in SIDES]
    ank = [point_kinematics(model, fk, f"{s}_ankle")[0] for s in SIDES]
    rot = [ca.vertcat(fk[f"{s}_foot"]["R"][0, 1], fk[f"{s}_foot"]["R"][0, 2], fk[f"{s}_foot"]["R"][1, 2])
           for s in SIDES]
    return ca.Function("dyn3d", [qs, qds, qdds, w],
                       [out["tau"], out["grf_r"], out["grf_l"], out["zmp"], ca.vertcat(*lo), ca.vertcat(*hi),
                        pts[0], pts[1], ank[0], ank[1], rot[0], rot[1], q],
                       ["q", "qd", "qdd", "w"],
                       ["tau", "grf_r", "grf_l", "zmp", "tau_lo", "tau_hi", "hand_r", "hand_l", "ankle_r", "ankle_l",
                        "rot_r", "rot_l", "q_full"])


def torque_limits_single(subject: Subject, joint: str, angle, velocity, percentile: float):
    """(lower, upper) torque limit of one joint of one side (N·m), as in the 2D model but
    not doubled.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    joint : str
        ``"spine"``, ``"shoulder"``, ``"elbow"``, ``"hip"``, ``"knee"`` or ``"ankle"``.
    angle : float or casadi
        Joint angle (rad, 2D model convention).
    velocity : float or casadi
        Joint angular velocity (rad/s).
    percentile : float
        Strength percentile (0-100).

    Returns
    -------
    (lower, upper)
        Torque limits (N·m).

    Examples
    --------
    >>> lo, hi = torque_limits_single(Subject("male", 80, 1.8), "elbow", 1.0, 0.0, 50.0)
    >>> round(float(hi), 1)   # Harbo 2012 elbow flexion: -23.8 - 0.13 x 30 + 22 x 1.8 + 0.51 x 80, one arm
    52.7
    """
    lo = -smooth_joint_strength(subject, joint, "extension", angle, velocity, percentile, bilateral=False)
    hi = smooth_joint_strength(subject, joint, "flexion", angle, velocity, percentile, bilateral=False)
    return lo, hi


def prepare_problem_3d(subject: Subject, task: LiftTask | None = None, strength_percentile: float = 50.0,
                       n_control: int = 5, n_between: int = 5, n_quadrature: int = 25, static_ends: bool = True,
                       hand_distance_m: float | None = None, weight_difference_n: float = 20.0,
                       symmetry_tolerance_rad: float = 0.1, ipopt_options: dict | None = None) -> LiftingProblem3D:
    """Build the 3D maximum-weight lifting NLP.

    Parameters
    ----------
    subject, task, strength_percentile, n_control, n_between, n_quadrature, static_ends :
        As :func:`liftrisk.predict.problem2d.prepare_problem`; default 13 constraint instants
        (the quadrature points must include them: n_quadrature = 2 x (instants - 1) + 1). The
        base DOFs follow from the right leg (right foot fixed by construction, their control
        points are fixed at 0); the left foot is constrained at the instants.
    hand_distance_m : float, optional
        Distance between the hands (box width at the grips); default the model's shoulder
        width (0.259 x stature), so that a symmetric sagittal motion is feasible.
    weight_difference_n : float
        Allowed difference between the right and left hand loads (N).
    symmetry_tolerance_rad : float
        Allowed left-right difference of paired joint angles (Zaman et al. 2021, Table 1 item 9: 0.1 rad).
    ipopt_options : dict, optional
        Extra IPOPT options (as :func:`liftrisk.predict.problem2d.prepare_problem`).

    Returns
    -------
    LiftingProblem3D
        ``index["P"]``, ``index["W_r"]``, ``index["W_l"]`` address the variables.

    Examples
    --------
    >>> prob = prepare_problem_3d(Subject("male", 80.0, 1.80), LiftTask(guide_postures_deg=None),
    ...                           n_between=2, n_quadrature=13)   # 7 instants: quick to build
    >>> prob.index["W_r"], prob.index["W_l"]
    (slice(145, 146, None), slice(146, 147, None))
    """
    task = task or LiftTask()
    extra_ipopt = ipopt_options
    if n_quadrature % 2 == 0:
        n_quadrature += 1
    model = build_model_3d(subject)
    dyn = _dynamics_function(model, subject, strength_percentile)
    T = float(task.duration_s)
    n = model.ndof
    x = ca.SX.sym("x", n * n_control + 2)
    P = ca.reshape(x[: n * n_control], n_control, n).T
    w = _W_SCALE * x[-2:]
    par = ca.SX.sym("p", 6)
    u_con = normalised_times(n_control, n_between)
    u_quad = np.linspace(0.0, 1.0, n_quadrature)
    con_idx = [int(np.argmin(np.abs(u_quad - u))) for u in u_con]
    if np.max(np.abs(u_quad[con_idx] - u_con)) > 1e-9:
        raise PredictionError(f"n_quadrature={n_quadrature} must place points on the {len(u_con)} constraint instants "
                              "(use 2 * (number of instants - 1) + 1)")
    t_con = u_con * T

    def states(times):   # times in s (T is fixed in 3D)
        return spline_states(P, n_control, T, np.asarray(times, float) / T)

    sidx = [model.index(d) for d in STRENGTH_DOFS]
    # effort: strength DOFs by their own range; secondary DOFs by the range of their joint
    q_q, qd_q, qdd_q = states(u_quad * T)
    out_q = dyn.map(n_quadrature)(q_q, qd_q, qdd_q, w)
    tau_q, lo_q, hi_q = out_q[0], out_q[4], out_q[5]
    rng_q = hi_q - lo_q
    terms = [(tau_q[sidx, :] / rng_q) ** 2]
    for d in model.dof_names[6:]:
        g = _generic(d)
        if g in _SECONDARY:
            side = d[:2] if d[:2] in ("r_", "l_") else ""
            ref = STRENGTH_DOFS.index(side + _SECONDARY[g]) if side + _SECONDARY[g] in STRENGTH_DOFS else 0
            terms.append((tau_q[model.index(d), :] / rng_q[ref, :]) ** 2)
    integrand = ca.sum1(ca.vertcat(*terms))
    effort = T * (integrand @ ca.DM(simpson_weights(n_quadrature)))
    W = w[0] + w[1]
    logw = ca.log(W + 10.0)
    f = par[0] * (effort - par[2]) / (par[3] - par[2]) - par[1] * (logw - par[4]) / (par[5] - par[4])

    q_c = q_q[:, con_idx]
    n_c = len(t_con)
    (tau_c, grf_r, grf_l, zmp_c, lo_c, hi_c, hand_r, hand_l, ank_r, ank_l, rot_r,
     rot_l, _) = (o[:, con_idx] for o in out_q)
    limits = _joint_limits_rad()
    cons = ConstraintSet()
    add = cons.add

    phys = list(model.dof_names[6:])
    jl = np.array([limits[_generic(d)] for d in phys])
    add("joint_limits", q_c[6:, :], np.repeat(jl[:, :1], n_c, 1).ravel("F"), np.repeat(jl[:, 1:], n_c, 1).ravel("F"))
    add("torque_upper", tau_c[sidx, :] - hi_c, -np.inf, 0.0)
    add("torque_lower", tau_c[sidx, :] - lo_c, 0.0, np.inf)
    hw = model.foot_half_width_m
    add("zmp_in_support", zmp_c, np.tile([model.heel_x_m, -hw], n_c), np.tile([model.toe_x_m, hw], n_c))
    add("grf_compressive", ca.vertcat(grf_r[2, :], grf_l[2, :]), 0.0, np.inf)
    ah = model.ankle_height_m
    # right foot fixed by construction; the left foot closes the loop: within 1 mm and 0.01 rad at
    # the instants (a band, not an equality: with static ends the equalities at 13 instants
    # outnumber the free control points although symmetric motions satisfy them all)
    band = np.tile(np.r_[[1e-3] * 3, [1e-2] * 3], n_c)
    add("feet_fixed", ca.vertcat(ank_l - ca.DM([0.0, hw, ah]), rot_l), -band, band)
    d_hands = (float(hand_distance_m) if hand_distance_m is not None
               else float(2 * abs(model._body("l_shoulder").offset[1])))
    add("hand_distance_box_parallel", hand_l - hand_r - ca.DM([0.0, d_hands, 0.0]), -2e-3, 2e-3)
    q_e, qd_e, _ = states([0.0, T])
    ends = dyn.map(2)(q_e, qd_e, ca.DM.zeros(n, 2), w)
    centre = 0.5 * (ends[6] + ends[7])
    target = ca.DM(np.array([[task.box_start_m[0], 0.0, task.box_start_m[1]],
                             [task.box_end_m[0], 0.0, task.box_end_m[1]]]).T)
    add("hand_at_box", centre - target, 0.0, 0.0)
    if static_ends:
        add("static_ends", qd_e[6:, :], 0.0, 0.0)
    add("weight_difference", w[0] - w[1], -weight_difference_n, weight_difference_n)
    pairs = [(model.index(f"l_{j}"), model.index(f"r_{j}")) for j in _PAIRED]
    add("symmetry", ca.vertcat(*[q_c[a, :] - q_c[b, :] for a, b in pairs]), -symmetry_tolerance_rad,
        symmetry_tolerance_rad)
    guides = task.guide_postures_deg
    if isinstance(guides, str):
        guides = guide_postures(build_model_2d(subject), task, guides)
    if guides:
        q_g, _, _ = states([0.0, T / 2, T])
        rows, ref, tol = [], [], []
        for j, angles in guides.items():
            if j.startswith("_"):
                continue  # e.g. "_duration_s" of a measured lift
            targets = [j] if j == "spine" else [f"{s}_{j}" for s in SIDES if f"{s}_{j}" in model.dof_names]
            for d in targets:
                rows.append(q_g[model.index(d), :].T)
                ref.append(np.deg2rad(np.asarray(angles, float)))
                tol.append(task.posture_tolerance_rad)
        ref, tol = np.concatenate(ref), np.concatenate(tol)
        add("guide_postures", ca.vertcat(*rows), ref - tol, ref + tol)

    nlp = {"x": x, "f": f, "g": cons.g(), "p": par}
    # exact Jacobians; the exact Hessian of the 3D graph is too costly to build (about a
    # minute), so the Hessian is IPOPT's limited-memory quasi-Newton approximation; quasi-Newton
    # stalls on the flat directions of the max-weight anchor (many equally heavy motions), so a
    # point whose objective no longer changes is accepted ("acceptable": reported as a warning)
    opts = _ipopt_options(extra_ipopt, hessian_approximation="limited-memory", acceptable_tol=1e-2,
                         acceptable_iter=10, acceptable_obj_change_tol=1e-6)
    solver = ca.nlpsol("lift3d", "ipopt", nlp, opts)
    x_lb = np.r_[np.full(n * n_control, -10.0), 0.0, 0.0]
    x_ub = np.r_[np.full(n * n_control, 10.0), 500.0 / _W_SCALE, 500.0 / _W_SCALE]
    x_lb[: 6 * n_control] = x_ub[: 6 * n_control] = 0.0  # base: follows from the right leg
    index = {"P": slice(0, n * n_control), "W_r": slice(n * n_control, n * n_control + 1),
             "W_l": slice(n * n_control + 1, n * n_control + 2)}
    fns = {"dyn": dyn, "effort": ca.Function("effort", [x], [effort])}
    x0 = np.r_[np.zeros(n * n_control), 1.0, 1.0]
    g_lb, g_ub = cons.bounds()
    return LiftingProblem3D(model, task, strength_percentile, solver, index,
                            {"x_lb": x_lb, "x_ub": x_ub, "g_lb": g_lb, "g_ub": g_ub},
                            cons.blocks, x0, n_control, fns)


def initial_guess_from_2d(problem: LiftingProblem3D, control_points_2d: np.ndarray, box_weight_n: float) -> np.ndarray:
    """Map a 2D solution (10 x n_control control points) onto both sides of the 3D model.

    Returns the 3D NLP start vector (control points DOF-major, then W_r/100, W_l/100).

    Parameters
    ----------
    problem : LiftingProblem3D
        The prepared 3D problem.
    control_points_2d : numpy.ndarray
        (10, n_control) 2D control points (m, rad).
    box_weight_n : float
        2D box weight (N), shared equally by the hands.

    Returns
    -------
    numpy.ndarray
        The 3D NLP start vector.
    """
    m = problem.model
    P = np.zeros((m.ndof, problem.n_control))
    P[m.index("pelvis_z_m")] = m.standing_q()[2]
    for i, d in enumerate(DOF_NAMES_2D):
        if d == "mtp":
            continue
        for name in ([d] if d in m.dof_names else [f"{s}_{d}" for s in SIDES]):
            P[m.index(name)] = control_points_2d[i]
    P[:6] = 0.0  # the base follows from the right leg
    return np.r_[P.ravel(), 0.5 * box_weight_n / _W_SCALE, 0.5 * box_weight_n / _W_SCALE]


def solve_3d(problem: LiftingProblem3D, weights=DEFAULT_WEIGHTS, normalisation=(0.0, 1.0, 0.0, 1.0),
             x0: np.ndarray | None = None, n_frames: int = 101) -> LiftingSolution3D:
    """Solve a prepared 3D problem for one weight pair and normalisation (see 2D ``solve``).

    The left/right split of the hand loads is marked determined only when the solve converged
    strictly and the hand-load difference is not on its bound (``|W_r - W_l| <=
    weight_difference_n``): on the bound, the split is set by that assumed limit, not by the
    body; the model has no handedness (the paper's Subject #8 was right-hand dominant).

    Parameters
    ----------
    problem : LiftingProblem3D
        The prepared 3D problem.
    weights : (float, float)
        Effort and box-weight weights (w1 + w2 = 1).
    normalisation : tuple
        (effort_utopia, effort_nadir, logw_min, logw_max).
    x0 : numpy.ndarray, optional
        Start vector (default: the problem's).
    n_frames : int
        Samples of the returned profiles.

    Returns
    -------
    LiftingSolution3D
        Hand loads (N), profiles and solver status.
    """
    run = run_solver(problem, np.r_[weights, normalisation], x0)
    x = run.x
    w_r, w_l = float(x[problem.index["W_r"]][0] * _W_SCALE), float(x[problem.index["W_l"]][0] * _W_SCALE)
    blk = problem.constraint_blocks["weight_difference"]
    lim = float(problem.bounds["g_ub"][blk][0])
    notes = list(run.warnings)
    if problem.task.box_collision or problem.task.duration_bounds_s is not None:
        notes.append("the 3D model has no box-collision constraint and a fixed lift time (the task's "
                     "box_collision / duration_bounds_s apply to the 2D model only)")
    frames = _profiles(problem, x, n_frames)
    ratios = frames[[f"ratio_{d}" for d in STRENGTH_DOFS]].max()
    binding = _generic(str(ratios.idxmax())[6:])
    stand_in = joint_stand_in(problem.model.subject, binding)
    if stand_in and ratios.max() > 0.98:
        notes.append(f"the weight is limited by {binding} strength, which uses a stand-in: {stand_in}")
    if not run.success or run.status != "Solve_Succeeded":
        determined, why = False, f"the solver stopped at {run.status}, so the split is not an optimum"
    elif abs(w_r - w_l) >= lim - _SPLIT_BOUND_TOL_N:
        determined, why = False, (f"the hand-load difference sits on its assumed +-{lim:g} N bound (right "
                                  f"{w_r:.1f} N, left {w_l:.1f} N), so the bound, not the body, sets it")
    else:
        determined, why = True, ""
    return LiftingSolution3D(
        right_hand_n=w_r, left_hand_n=w_l,
        effort=float(problem.functions["effort"](x)), weights=tuple(float(v) for v in weights),
        success=run.success, status=run.status, iterations=run.iterations, solve_time_s=run.solve_time_s,
        max_constraint_violation=run.max_constraint_violation, x=x, frames=frames,
        warnings=tuple(notes), split_determined=determined, split_note=why)


def _profiles(problem: LiftingProblem3D, x: np.ndarray, n_frames: int) -> pd.DataFrame:
    m = problem.model
    T = problem.task.duration_s
    t = np.linspace(0.0, T, n_frames)
    P = x[problem.index["P"]].reshape(m.ndof, problem.n_control)
    N, dN, ddN = bspline.basis_matrices(problem.n_control, T, t)
    w = x[-2:] * _W_SCALE
    out = [np.asarray(o) for o in problem.functions["dyn"].map(n_frames)(P @ N.T, P @ dN.T, P @ ddN.T, w)]
    tau, grf_r, grf_l, zmp, lo, hi = out[:6]
    q = out[-1]
    cols = {}
    for i, d in enumerate(m.dof_names):
        cols[f"q_{d}"], cols[f"tau_{d}"] = q[i], tau[i]
    for k, axis in enumerate("xyz"):
        cols[f"grf_r_{axis}_n"], cols[f"grf_l_{axis}_n"] = grf_r[k], grf_l[k]
    cols["zmp_x_m"], cols["zmp_y_m"] = zmp[0], zmp[1]
    for k, d in enumerate(STRENGTH_DOFS):
        i = m.index(d)
        cols[f"tau_lo_{d}"], cols[f"tau_hi_{d}"] = lo[k], hi[k]
        cols[f"ratio_{d}"] = np.where(tau[i] >= 0, tau[i] / hi[k], tau[i] / lo[k])
    return pd.DataFrame(cols, index=pd.Index(t, name="time_s"))


@dataclass
class MaxWeightResult3D:
    """Weighted 3D solution, its anchors, the normalisation and the 2D solution used as guess.

    Attributes
    ----------
    solution : LiftingSolution3D
        The weighted solution.
    min_effort, max_weight : LiftingSolution3D
        The two anchors.
    normalisation : tuple
        (effort_utopia, effort_nadir, logw_min, logw_max).
    solution_2d : MaxWeightResult
        The 2D prediction used as the initial guess.
    """

    solution: LiftingSolution3D
    min_effort: LiftingSolution3D
    max_weight: LiftingSolution3D
    normalisation: tuple
    solution_2d: object


def predict_max_weight_3d(subject: Subject, task: LiftTask | None = None, weights=DEFAULT_WEIGHTS,
                          strength_percentile: float = 50.0, **problem_options) -> MaxWeightResult3D:
    """Predict the maximum box weight with the 3D model (2D solution as the initial guess).

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    task : LiftTask, optional
        Box positions (m) and lifting time (s).
    weights : (float, float)
        Effort and box-weight weights.
    strength_percentile : float
        Strength percentile (0-100).
    **problem_options
        Passed to :func:`prepare_problem_3d`.

    Returns
    -------
    MaxWeightResult3D
        ``solution.right_hand_n``, ``left_hand_n``, ``box_weight_n`` and profiles with left
        and right GRFs.
    """
    task = task or LiftTask()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        res2d = predict_max_weight(subject, task, weights=weights, strength_percentile=strength_percentile)
    prob = prepare_problem_3d(subject, task, strength_percentile, **problem_options)
    x0 = initial_guess_from_2d(prob, res2d.max_weight.control_points, res2d.max_weight.box_weight_n)
    best = solve_3d(prob, weights=(1e-3, 1.0), x0=x0)
    _check(best, "3D max-weight anchor")
    least = solve_3d(prob, weights=(1.0, 0.0), x0=best.x)
    _check(least, "3D min-effort anchor")
    norm = (least.effort, max(best.effort, least.effort + 1e-9), least.log_weight,
            max(best.log_weight, least.log_weight + 1e-9))
    sol = solve_3d(prob, weights=weights, normalisation=norm, x0=best.x)
    _check(sol, f"3D weighted solve {weights}")
    return MaxWeightResult3D(sol, least, best, norm, res2d.solution)


def _check(sol, what):
    if not sol.success:
        raise PredictionError(f"the {what} did not converge (IPOPT: {sol.status}); try the 2D model, other box "
                              "positions or a looser symmetry tolerance")
