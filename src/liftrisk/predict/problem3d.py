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

import hashlib
import json
import multiprocessing
import os
import sys
import threading
import warnings
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

import casadi as ca
import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.io.cache import cache_entry_path, read_cache_entry, write_cache_entry
from liftrisk.predict import bspline
from liftrisk.predict._nlp import (
    ConstraintSet,
    LastValue,
    PredictionWarning,
    SolverRun,
    normalised_times,
    one_blas_thread,
    run_as_dict,
    run_from_dict,
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
    MaxWeightResult,
    PredictionError,
    _joint_limits_rad,
    _x_of,
    anchors,
    guide_postures,
    prepare_problem,
    solve,
)
from liftrisk.predict.problem2d import _check as _check_2d
from liftrisk.predict.problem2d import _solution as _solution_2d
from liftrisk.predict.strength import joint_stand_in, smooth_joint_strength

__all__ = ["STRENGTH_DOFS", "LiftingProblem3D", "LiftingSolution3D", "MaxWeightResult3D", "anchor_cache_key",
           "initial_guess_from_2d",
           "predict_max_weight_3d", "prepare_problem_3d", "solve_3d", "torque_limits_single"]

_W_SCALE = 100.0
#: Relative change of the effort below which the min-effort anchor stops (5 iterations in a row).
#: The anchor is used only for its effort (the utopia of the normalisation); the weighted weight
#: moves by 0.02 % per 1 % of that value (Subject #8, 50th percentile, measured), so 1e-5 is
#: far inside the 1 % the prediction is checked to.
ANCHOR_EFFORT_CHANGE_TOL = 1e-5
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
    warm_solver : casadi.Function or None
        The same NLP with IPOPT set up to start from a nearby solution (small initial barrier
        parameter, start point not pushed away from its bounds); used by ``solve_3d(...,
        warm_start=True)``.
    min_effort_solver : casadi.Function or None
        The same NLP with the min-effort anchor's stopping rule (the effort settled to
        ``ANCHOR_EFFORT_CHANGE_TOL``); used by ``solve_3d(..., min_effort_anchor=True)``.
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
    warm_solver: ca.Function | None = field(default=None, repr=False)
    min_effort_solver: ca.Function | None = field(default=None, repr=False)


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


def _hands_function(model: Model3D) -> ca.Function:
    """(q, qd, qdd, w) -> right and left hand positions (m): what the constraints need at 0 and T
    (the inputs of the dynamics function, so that both go through the same chain rule)."""
    n = model.ndof
    qs, qds, qdds = ca.SX.sym("q", n), ca.SX.sym("qd", n), ca.SX.sym("qdd", n)
    w = ca.SX.sym("w", 2)
    q = fixed_right_foot_base(model, qs, qds, qdds)[0]
    fk = forward_kinematics(model, q)
    pts = [point_kinematics(model, fk, f"{s}_hand")[0] for s in SIDES]
    return ca.Function("hands3d", [qs, qds, qdds, w], pts, ["q", "qd", "qdd", "w"], ["hand_r", "hand_l"])


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
    hands = _hands_function(model)   # at 0 and T only the hands are constrained
    T = float(task.duration_s)
    n = model.ndof
    nx = n * n_control + 2
    u_con = normalised_times(n_control, n_between)
    u_quad = np.linspace(0.0, 1.0, n_quadrature)
    con_idx = [int(np.argmin(np.abs(u_quad - u))) for u in u_con]
    if np.max(np.abs(u_quad[con_idx] - u_con)) > 1e-9:
        raise PredictionError(f"n_quadrature={n_quadrature} must place points on the {len(u_con)} constraint instants "
                              "(use 2 * (number of instants - 1) + 1)")
    n_c = len(u_con)

    def design(xv):  # (P, w) of a design vector (SX or MX): P row = DOF, w = (W_r, W_l) in N
        return ca.reshape(xv[: n * n_control], n_control, n).T, _W_SCALE * xv[-2:]

    def instants(xv):  # dyn inputs at the constraint instants and at 0, T (zero acceleration there)
        P, w = design(xv)
        q_e, qd_e, _ = spline_states(P, n_control, T, [0.0, 1.0])
        return (*spline_states(P, n_control, T, u_con), w), (q_e, qd_e, ca.DM.zeros(n, 2), w)

    x = ca.MX.sym("x", nx)
    par = ca.MX.sym("p", 6)
    P, w = design(x)
    # effort: strength DOFs by their own range; secondary DOFs by the range of their joint
    out_q = dyn.map(n_quadrature)(*spline_states(P, n_control, T, u_quad), w)
    effort = _effort(model, out_q, T, n_quadrature)
    W = w[0] + w[1]
    logw = ca.log(W + 10.0)
    f = par[0] * (effort - par[2]) / (par[3] - par[2]) - par[1] * (logw - par[4]) / (par[5] - par[4])

    guide_rows = _guide_rows(model, subject, task)
    d_hands = (float(hand_distance_m) if hand_distance_m is not None
               else float(2 * abs(model._body("l_shoulder").offset[1])))

    def constraint_set(xv, out_c, out_e) -> ConstraintSet:
        """The constraints from the design vector and the dynamics outputs at the instants."""
        Pv, wv = design(xv)
        q_c = spline_states(Pv, n_control, T, u_con)[0]
        q_e, qd_e, _ = spline_states(Pv, n_control, T, [0.0, 1.0])
        tau_c, grf_r, grf_l, zmp_c, lo_c, hi_c, hand_r, hand_l, ank_r, ank_l, rot_r, rot_l, _ = out_c
        cons = ConstraintSet()
        add = cons.add
        limits = _joint_limits_rad()
        jl = np.array([limits[_generic(d)] for d in model.dof_names[6:]])
        add("joint_limits", q_c[6:, :], np.repeat(jl[:, :1], n_c, 1).ravel("F"),
            np.repeat(jl[:, 1:], n_c, 1).ravel("F"))
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
        add("hand_distance_box_parallel", hand_l - hand_r - ca.DM([0.0, d_hands, 0.0]), -2e-3, 2e-3)
        centre = 0.5 * (out_e[0] + out_e[1])
        target = ca.DM(np.array([[task.box_start_m[0], 0.0, task.box_start_m[1]],
                                 [task.box_end_m[0], 0.0, task.box_end_m[1]]]).T)
        add("hand_at_box", centre - target, 0.0, 0.0)
        if static_ends:
            add("static_ends", qd_e[6:, :], 0.0, 0.0)
        add("weight_difference", wv[0] - wv[1], -weight_difference_n, weight_difference_n)
        pairs = [(model.index(f"l_{j}"), model.index(f"r_{j}")) for j in _PAIRED]
        add("symmetry", ca.vertcat(*[q_c[a, :] - q_c[b, :] for a, b in pairs]), -symmetry_tolerance_rad,
            symmetry_tolerance_rad)
        if guide_rows:
            q_g = spline_states(Pv, n_control, T, [0.0, 0.5, 1.0])[0]
            rows, ref, tol = guide_rows
            add("guide_postures", ca.vertcat(*[q_g[i, :].T for i in rows]), ref - tol, ref + tol)
        return cons

    sidx = [model.index(d) for d in STRENGTH_DOFS]
    args_c, args_e = instants(x)
    y_c, y_e = dyn.map(n_c)(*args_c), hands.map(2)(*args_e)
    cons = constraint_set(x, y_c, y_e)
    g = cons.g()
    jac = _constraint_jacobian(x, (dyn, hands), (y_c, y_e), instants, constraint_set)
    jac_g = ca.Function("jac_g", [x, par], [g, jac],
                        ["x", "p"], ["g", "jac_g_x"])
    nlp = {"x": x, "f": f, "g": g, "p": par}
    # exact first derivatives; the constraint Jacobian is assembled from the Jacobian of one
    # instant's dynamics (see _constraint_jacobian): the same values as CasADi's AD of the whole
    # graph (tested), built in a fraction of the time. The exact Hessian costs more than it saves
    # here (SX graph: 36 s to build, 0.3 s per iteration, and about as many iterations as the
    # quasi-Newton one, docs/predict.md), so IPOPT's limited-memory Hessian is used, with 20 pairs
    # of history instead of IPOPT's 6 (fewer iterations); quasi-Newton stalls on the flat directions
    # of the max-weight anchor (many equally heavy motions), so a point whose objective no longer
    # changes is accepted ("acceptable": reported as a warning)
    opts = _ipopt_options(extra_ipopt, hessian_approximation="limited-memory", limited_memory_max_history=20,
                          acceptable_tol=1e-2, acceptable_iter=10, acceptable_obj_change_tol=1e-6)
    opts["jac_g"] = jac_g
    # the objective gradient once per iterate (CasADi asks for it twice; see LastValue)
    grad_f = LastValue("grad_f_once", ca.Function("grad_f", [x, par], [f, ca.gradient(f, x)]))
    opts["grad_f"] = grad_f
    solver = ca.nlpsol("lift3d", "ipopt", nlp, opts)
    # warm starts (the weighted solve from the max-weight anchor): a small initial barrier
    # parameter and no push away from the bounds keep IPOPT near the start (about half the
    # iterations, same optimum within 0.1 %, tested)
    warm = dict(opts, **{"ipopt.warm_start_init_point": "yes", "ipopt.mu_init": 1e-4,
                         "ipopt.warm_start_bound_push": 1e-6, "ipopt.warm_start_mult_bound_push": 1e-6})
    warm.update({f"ipopt.{k}": v for k, v in (extra_ipopt or {}).items()})
    warm_solver = ca.nlpsol("lift3d_warm", "ipopt", nlp, warm)
    # the min-effort anchor enters the prediction only through its effort (the normalisation's
    # utopia) and its log weight (log 10, W on its bound): it stops once the effort has settled,
    # changing by less than 1e-5 relative over 5 acceptable iterations (strict: 1e-6 over 10, on
    # which the quasi-Newton crawl took 73 to 454 iterations for the same effort to 1e-5)
    least = dict(opts, **{"ipopt.acceptable_obj_change_tol": ANCHOR_EFFORT_CHANGE_TOL, "ipopt.acceptable_iter": 5})
    least.update({f"ipopt.{k}": v for k, v in (extra_ipopt or {}).items()})
    min_effort_solver = ca.nlpsol("lift3d_min_effort", "ipopt", nlp, least)
    x_lb = np.r_[np.full(n * n_control, -10.0), 0.0, 0.0]
    x_ub = np.r_[np.full(n * n_control, 10.0), 500.0 / _W_SCALE, 500.0 / _W_SCALE]
    x_lb[: 6 * n_control] = x_ub[: 6 * n_control] = 0.0  # base: follows from the right leg
    index = {"P": slice(0, n * n_control), "W_r": slice(n * n_control, n * n_control + 1),
             "W_l": slice(n * n_control + 1, n * n_control + 2)}
    fns = {"dyn": dyn, "effort": ca.Function("effort", [x], [effort]), "jac_g": jac_g, "grad_f": grad_f}
    x0 = np.r_[np.zeros(n * n_control), 1.0, 1.0]
    g_lb, g_ub = cons.bounds()
    return LiftingProblem3D(model, task, strength_percentile, solver, index,
                            {"x_lb": x_lb, "x_ub": x_ub, "g_lb": g_lb, "g_ub": g_ub},
                            cons.blocks, x0, n_control, fns, warm_solver, min_effort_solver)


def _effort(model: Model3D, out_q, T: float, n_quadrature: int):
    """Effort integral (Simpson) from the dynamics outputs at the quadrature points: strength
    DOFs by their own strength range, secondary DOFs by the range of their joint."""
    tau_q, lo_q, hi_q = out_q[0], out_q[4], out_q[5]
    rng_q = hi_q - lo_q
    sidx = [model.index(d) for d in STRENGTH_DOFS]
    terms = [(tau_q[sidx, :] / rng_q) ** 2]
    for d in model.dof_names[6:]:
        g = _generic(d)
        if g in _SECONDARY:
            side = d[:2] if d[:2] in ("r_", "l_") else ""
            ref = STRENGTH_DOFS.index(side + _SECONDARY[g]) if side + _SECONDARY[g] in STRENGTH_DOFS else 0
            terms.append((tau_q[model.index(d), :] / rng_q[ref, :]) ** 2)
    integrand = ca.sum1(ca.vertcat(*terms))
    return T * (integrand @ ca.DM(simpson_weights(n_quadrature)))


def _guide_rows(model: Model3D, subject: Subject, task: LiftTask):
    """(DOF rows, reference angles (rad), tolerances (rad)) of the guide postures at 0, T/2, T, or None."""
    guides = task.guide_postures_deg
    if isinstance(guides, str):
        guides = guide_postures(build_model_2d(subject), task, guides)
    if not guides:
        return None
    rows, ref, tol = [], [], []
    for j, angles in guides.items():
        if j.startswith("_"):
            continue  # e.g. "_duration_s" of a measured lift
        targets = [j] if j == "spine" else [f"{s}_{j}" for s in SIDES if f"{s}_{j}" in model.dof_names]
        for d in targets:
            rows.append(model.index(d))
            ref.append(np.deg2rad(np.asarray(angles, float)))
            tol.append(task.posture_tolerance_rad)
    return rows, np.concatenate(ref), np.concatenate(tol)


def _constraint_jacobian(x: ca.MX, functions: tuple, outputs: tuple, instants, constraint_set) -> ca.MX:
    """Exact Jacobian of the constraints, assembled by the chain rule.

    ``g = G(x, Y_c, Y_e)`` where ``Y_c`` are the outputs of the dynamics function at the
    constraint instants and ``Y_e`` those of the hands function at 0 and T (``functions``, with
    the same inputs; ``outputs``: their values, already in the graph of g), and the inputs there
    are linear in ``x`` (B-splines: ``s = A x``). So ``dg/dx = G_x + G_Y blockdiag(J_k) A`` with
    ``J_k`` the Jacobian of one instant's function (one SX function of 89 inputs, mapped over the
    instants). CasADi's AD of the whole graph gives the same matrix but builds a
    5.7-million-instruction function (about 3 s) that is slower to evaluate.
    """
    xs = ca.SX.sym("x", x.shape[0])
    sym_args = instants(xs)

    def stacked(args, n_k):  # function inputs of every instant, instant-major, as in vec(y)
        return ca.vec(ca.vertcat(*[ca.repmat(a, 1, n_k) if a.shape[1] == 1 else a for a in args]))

    placeholders, splits = [], []
    for fn, args in zip(functions, sym_args, strict=True):
        sizes = [fn.nnz_out(i) for i in range(fn.n_out())]
        cut = np.r_[0, np.cumsum(sizes)].tolist()
        y = ca.SX.sym("y", sum(sizes), args[0].shape[1])
        placeholders.append((y, [y[cut[i]:cut[i + 1], :] for i in range(len(sizes))]))
        splits.append(cut)
    (yc, out_c), (ye, out_e) = placeholders
    gs = constraint_set(xs, out_c, out_e).g()
    parts = ca.Function("g_parts", [xs, yc, ye], [ca.jacobian(gs, xs), ca.jacobian(gs, ca.vec(yc)),
                                                   ca.jacobian(gs, ca.vec(ye))])
    g_x, g_yc, g_ye = parts(x, *(ca.vertcat(*out) for out in outputs))
    jac = g_x
    for fn, g_y, args, s_args in zip(functions, (g_yc, g_ye), instants(x), sym_args, strict=True):
        ins = [fn.sx_in(i) for i in range(fn.n_in())]
        s_all = ca.vertcat(*ins)
        jac_fn = ca.Function(f"jac_{fn.name()}", ins, [ca.jacobian(ca.vertcat(*fn.call(ins)), s_all)])
        n_k = args[0].shape[1]
        a = ca.evalf(ca.jacobian(stacked(s_args, n_k), xs))   # constant: the B-spline maps
        blocks = ca.horzsplit(jac_fn.map(n_k)(*args), s_all.shape[0])
        jac = jac + ca.mtimes(g_y, ca.mtimes(ca.diagcat(*blocks), ca.DM(a)))
    return jac


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
             x0: np.ndarray | None = None, n_frames: int = 101, warm_start: bool = False,
             min_effort_anchor: bool = False) -> LiftingSolution3D:
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
    warm_start : bool
        ``x0`` is a nearby solution (e.g. an anchor): use ``problem.warm_solver``.
    min_effort_anchor : bool
        This is the min-effort anchor (``weights = (1, 0)``), needed only for its effort: use
        ``problem.min_effort_solver``, which stops once the effort has settled.

    Returns
    -------
    LiftingSolution3D
        Hand loads (N), profiles and solver status.
    """
    solver = problem.warm_solver if warm_start and x0 is not None else None
    if min_effort_anchor:
        if tuple(weights) != (1.0, 0.0) or warm_start:
            raise ValueError(f"min_effort_anchor=True solves weights (1, 0) from a cold start; got weights {weights} "
                             f"and warm_start={warm_start}")
        solver = problem.min_effort_solver
    return _solution_3d(problem, weights, run_solver(problem, np.r_[weights, normalisation], x0, solver=solver),
                        n_frames)


def _solution_3d(problem: LiftingProblem3D, weights, run: SolverRun, n_frames: int = 101) -> LiftingSolution3D:
    """The solution of one IPOPT run (``run.x``): hand loads, profiles, notes, split status."""
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
    anchor_source : str
        Where the anchors came from: ``"solved"``, kept in memory, or the anchor cache file
        (the CLI prints it when they were not solved in this call).
    """

    solution: LiftingSolution3D
    min_effort: LiftingSolution3D
    max_weight: LiftingSolution3D
    normalisation: tuple
    solution_2d: object
    anchor_source: str = "solved"


def predict_max_weight_3d(subject: Subject, task: LiftTask | None = None, weights=DEFAULT_WEIGHTS,
                          strength_percentile: float = 50.0, reuse_anchors: bool = True,
                          parallel: bool | None = None, anchor_cache: str | os.PathLike | None = None,
                          **problem_options) -> MaxWeightResult3D:
    """Predict the maximum box weight with the 3D model (2D solution as the initial guess).

    Each anchor (the normalisation of the weighted sum) starts from the 2D anchor of the same
    objective mapped onto both sides; the weighted solve starts from the max-weight anchor. The built
    problems and the anchors depend on the subject, the task, the strength percentile and the
    problem options but not on the weights: they are kept in memory for this process (the last
    4 keys of :func:`anchor_cache_key`), so a second call with other weights solves only the two
    weighted problems. With ``anchor_cache`` the anchors are also stored on disk (one JSON file
    per key) and read back by later processes; a stored entry is used only if its anchors give
    the same constraint values and efforts in the problems built now (so a changed model or
    formulation is never served stale anchors), and ``result.anchor_source`` says where they came
    from.

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
    reuse_anchors : bool
        Use the anchors of an earlier call with the same key (default), kept in memory or stored
        in ``anchor_cache``; ``False`` solves them again (and replaces the kept and stored ones).
    parallel : bool, optional
        Solve the two 3D anchors at the same time, the min-effort one in a forked process
        (they are independent). Default: where it is safe and pays: on Linux, when this process
        runs one Python thread, may use at least 2 CPUs and a CPU is free (1-minute load average
        below the CPU count minus 1).
    anchor_cache : path, optional
        Folder of the on-disk anchor cache (e.g. ``liftrisk.io.cache.default_cache_dir()``, which
        the CLI uses unless ``--no-anchor-cache``); default None: memory only, no file written.
    **problem_options
        Passed to :func:`prepare_problem_3d`.

    Returns
    -------
    MaxWeightResult3D
        ``solution.right_hand_n``, ``left_hand_n``, ``box_weight_n`` and profiles with left
        and right GRFs; ``anchor_source``.
    """
    # NumPy's and CasADi's OpenBLAS on one thread for the whole call: the matrices are small (the
    # threads only spin: 0.7 s of extra CPU in 9.5 s), and the rounding, hence IPOPT's path, then
    # does not depend on the CPU count (IPOPT's own solves are single-threaded already)
    with one_blas_thread():
        return _predict_max_weight_3d(subject, task or LiftTask(), weights, strength_percentile, reuse_anchors,
                                      parallel, anchor_cache, problem_options)


def _predict_max_weight_3d(subject: Subject, task: LiftTask, weights, strength_percentile: float,
                           reuse_anchors: bool, parallel: bool | None, anchor_cache, problem_options: dict
                           ) -> MaxWeightResult3D:
    key = anchor_cache_key(subject, task, strength_percentile, **problem_options)
    kept = _ANCHORS.get(key) if reuse_anchors else None
    source, sol2d = "kept in memory (solved earlier in this process)", None

    def build_2d():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PredictionWarning)
            return prepare_problem(subject, task, strength_percentile)

    if kept is None:
        prob = prepare_problem_3d(subject, task, strength_percentile, **problem_options)
        stored, why, prob2d = None, "", None
        if anchor_cache is not None and reuse_anchors:
            payload, why = read_cache_entry(anchor_cache, _CACHE_KIND, key)
            why = "" if why == "no entry" else why
            if payload is not None:
                prob2d = build_2d()
                stored, why = _anchors_from_payload(payload, _anchor_file(anchor_cache, key), prob2d, prob,
                                                    strength_percentile)
        if why:
            warnings.warn(f"stored 3D anchors not used, solved again: {why}", PredictionWarning, stacklevel=3)
        if stored is not None:
            kept, source = stored, f"read from the anchor cache {_anchor_file(anchor_cache, key)}"
        else:
            kept, sol2d = _solve_all_anchors(prob2d or build_2d, prob, strength_percentile, parallel, weights)
            source = f"solved again (the stored entry was not used: {why})" if why else "solved"
            if anchor_cache is not None:
                try:
                    source += f" and stored in the anchor cache {_write_anchors(anchor_cache, key, kept)}"
                except OSError as err:   # a cache that cannot be written never costs the prediction
                    source += f"; not stored ({type(err).__name__}: {err})"
                    warnings.warn(f"3D anchors not stored in the anchor cache: {err}", PredictionWarning,
                                  stacklevel=3)
        _ANCHORS[key] = kept
        while len(_ANCHORS) > _ANCHORS_KEPT:
            _ANCHORS.popitem(last=False)
    _ANCHORS.move_to_end(key)
    if sol2d is None:
        sol2d = _weighted_2d(kept.problem_2d, kept.max_weight_2d, kept.normalisation_2d, weights,
                             strength_percentile)
    _check_2d(sol2d, f"weighted solve {weights}")
    res2d = MaxWeightResult(sol2d, kept.min_effort_2d, kept.max_weight_2d, kept.normalisation_2d)
    least, best = kept.min_effort, kept.max_weight
    norm = (least.effort, max(best.effort, least.effort + 1e-9), least.log_weight,
            max(best.log_weight, least.log_weight + 1e-9))
    sol = solve_3d(kept.problem, weights=weights, normalisation=norm, x0=best.x, warm_start=True)
    _check(sol, f"3D weighted solve {weights}")
    return MaxWeightResult3D(sol, least, best, norm, res2d.solution, source)


def _weighted_2d(prob2d, best2d, norm2d, weights, strength_percentile: float):
    """The 2D weighted solve, started from the 2D max-weight anchor."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        return solve(prob2d, weights=weights, normalisation=norm2d, x0=_x_of(prob2d, best2d),
                     strength_percentile=strength_percentile)


def _solve_all_anchors(prob2d, prob: LiftingProblem3D, strength_percentile: float, parallel: bool | None,
                       weights) -> tuple[_Anchors, object]:
    """The 2D anchors, then the 3D anchors started from them; and the 2D weighted solve.

    ``prob2d`` is the built 2D problem or a function that builds it. With ``parallel`` (None:
    :func:`_fork_is_safe`) the min-effort 3D anchor is solved in a process forked before the 2D
    problem is built (it inherits the built 3D problem and waits for its start, the 2D min-effort
    anchor), so that the 2D build runs beside nothing else but the max-weight anchor and the 2D
    weighted solve run beside it. Returns the anchors and the 2D weighted solution.
    """
    helper = _MinEffortProcess(prob) if (_fork_is_safe() if parallel is None else parallel) else None
    try:
        if callable(prob2d):
            prob2d = prob2d()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PredictionWarning)
            least2d, best2d, norm2d = anchors(prob2d, strength_percentile)
        # each anchor from the 2D anchor of the same objective: from the max-weight solutions the
        # min-effort iterations wander (Subject #8, z = 1.05: 414 quasi-Newton iterations instead of 72)
        x_best = initial_guess_from_2d(prob, best2d.control_points, best2d.box_weight_n)
        x_least = initial_guess_from_2d(prob, least2d.control_points, least2d.box_weight_n)
        if helper is not None:
            helper.start(x_least)
        sol2d = _weighted_2d(prob2d, best2d, norm2d, weights, strength_percentile)
        best = solve_3d(prob, weights=(1e-3, 1.0), x0=x_best)
        least = (helper.result() if helper is not None else
                 solve_3d(prob, weights=(1.0, 0.0), x0=x_least, min_effort_anchor=True))
    finally:
        if helper is not None:
            helper.close()
    _check(best, "3D max-weight anchor")
    _check(least, "3D min-effort anchor")
    return _Anchors(prob2d, least2d, best2d, norm2d, prob, least, best), sol2d


class _MinEffortProcess:
    """The 3D min-effort anchor in a forked process: forked at construction (it inherits the
    built problem, nothing is rebuilt), it waits for its start (:meth:`start`) and sends back its
    solution (:meth:`result`); its 'acceptable level' warning is raised again in this process."""

    def __init__(self, prob: LiftingProblem3D):
        ctx = multiprocessing.get_context("fork")
        self._to_child, child_end = ctx.Pipe()

        def child():
            try:
                x0 = child_end.recv()
            except EOFError:
                return   # the parent stopped before the start (e.g. the 2D anchors failed)
            if x0 is None:
                return
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", PredictionWarning)
                    answer = solve_3d(prob, weights=(1.0, 0.0), x0=x0, min_effort_anchor=True)
            except BaseException as err:  # noqa: BLE001 - any failure goes back to the parent as text
                answer = f"{type(err).__name__}: {err}"
            try:
                child_end.send(answer)
            except OSError:
                pass   # the parent stopped waiting (it failed itself)

        self._proc = ctx.Process(target=child, daemon=True)
        self._proc.start()
        child_end.close()

    def start(self, x0: np.ndarray) -> None:
        self._to_child.send(np.asarray(x0, float))

    def result(self) -> LiftingSolution3D:
        try:
            least = self._to_child.recv()
        except EOFError:
            self._proc.join()
            least = f"the process solving it ended without an answer (exit code {self._proc.exitcode})"
        if isinstance(least, str):
            raise PredictionError(f"the 3D min-effort anchor failed: {least}")
        for note in least.warnings:
            if note.startswith("IPOPT stopped at its 'acceptable' tolerance"):
                warnings.warn(note, PredictionWarning, stacklevel=3)
        return least

    def close(self) -> None:
        """Stop the process if it still waits for its start, and reap it."""
        try:
            self._to_child.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._to_child.close()
        self._proc.join()


#: Sub-folder of the cache folder holding the 3D anchors.
_CACHE_KIND = "predict3d_anchors"
#: (weights, normalisation) of the four anchor solves (2D min-effort, 2D max-weight, 3D min-effort, 3D max-weight).
_RAW = (0.0, 1.0, 0.0, 1.0)
_ANCHOR_SOLVES = {"min_effort_2d": ((1.0, 0.0), _RAW), "max_weight_2d": ((1e-3, 1.0), _RAW),
                  "min_effort": ((1.0, 0.0), _RAW), "max_weight": ((1e-3, 1.0), _RAW)}


def _anchor_file(folder, key: str):
    return cache_entry_path(folder, _CACHE_KIND, key)


def _write_anchors(folder, key: str, kept: _Anchors):
    """Store the four anchor runs (design vector, constraints, status) and the efforts."""
    payload = {"formulation": _FORMULATION, "casadi": ca.__version__}
    for name in _ANCHOR_SOLVES:
        sol = getattr(kept, name)
        run = SolverRun(sol.x if hasattr(sol, "right_hand_n") else _x_of(kept.problem_2d, sol),
                        np.zeros(0), sol.success, sol.status, sol.iterations, sol.solve_time_s,
                        sol.max_constraint_violation, tuple(w for w in sol.warnings if w.startswith("IPOPT")))
        payload[name] = dict(run_as_dict(run), effort=sol.effort)
    return write_cache_entry(folder, _CACHE_KIND, key, payload)


def _anchors_from_payload(payload: dict, path, prob2d, prob: LiftingProblem3D, strength_percentile: float
                          ) -> tuple[_Anchors | None, str]:
    """The stored anchors (an entry of the anchor cache, from ``path``) rebuilt on the problems
    built now, or None and why not. An entry is used only if each anchor's effort, recomputed
    from its design vector in the problem built now, equals the stored one (1e-9 relative): a
    model or formulation changed since it was stored gives other efforts."""
    sols = {}
    try:
        for name, (weights, norm) in _ANCHOR_SOLVES.items():
            d = payload[name]
            three_d = not name.endswith("_2d")
            p = prob if three_d else prob2d
            run = run_from_dict(dict(d, g=[]), p.x0.size, 0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PredictionWarning)
                sol = (_solution_3d(prob, weights, run) if three_d else
                       _solution_2d(prob2d, weights, norm, strength_percentile, run))
            if not np.isclose(sol.effort, float(d["effort"]), rtol=1e-9, atol=1e-12):
                return None, (f"{path}: the {name.replace('_', ' ')} anchor's effort is {sol.effort:.9g} in the "
                              f"problem built now, {float(d['effort']):.9g} when stored (the model or formulation "
                              "changed)")
            sols[name] = sol
    except (KeyError, TypeError, ValueError) as err:
        return None, f"{path}: {err}"
    least2d, best2d = sols["min_effort_2d"], sols["max_weight_2d"]
    norm2d = (least2d.effort, max(best2d.effort, least2d.effort + 1e-9), least2d.log_weight,
              max(best2d.log_weight, least2d.log_weight + 1e-9))
    return _Anchors(prob2d, least2d, best2d, norm2d, prob, sols["min_effort"], sols["max_weight"]), ""


def _fork_is_safe() -> bool:
    """Forking pays and is safe: Linux, this process runs one Python thread (forking a threaded
    process can deadlock the child), may use at least 2 CPUs, and a CPU is free: the 1-minute
    load average is below the CPU count minus 1 (on a busy machine the forked anchor competes
    with other work and the parent waits for it: Subject #8 on the shared 2-core machine at load
    4.7, 15.6 s wall side by side against 13.3 s one after the other)."""
    if not sys.platform.startswith("linux"):
        return False  # macOS: system libraries are not fork-safe (Python's default there is spawn)
    cpus = len(os.sched_getaffinity(0))
    free = os.getloadavg()[0] < min(cpus, os.cpu_count() or cpus) - 1
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 and cpus >= 2
            and free)


@dataclass(frozen=True)
class _Anchors:
    """Built problems and anchors of one :func:`anchor_cache_key` (not of the weights)."""

    problem_2d: object
    min_effort_2d: object
    max_weight_2d: object
    normalisation_2d: tuple
    problem: LiftingProblem3D
    min_effort: LiftingSolution3D
    max_weight: LiftingSolution3D


_ANCHORS: OrderedDict[str, _Anchors] = OrderedDict()
_ANCHORS_KEPT = 4
#: Changes whenever the formulation changes what the anchors are (part of every key).
_FORMULATION = "liftrisk-3d-anchors-2"


def anchor_cache_key(subject: Subject, task: LiftTask, strength_percentile: float = 50.0, **problem_options) -> str:
    """Hex SHA-256 of everything the 3D anchors depend on: the subject, the task, the strength
    percentile, the options of :func:`prepare_problem_3d` and the formulation's version.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m), age (years), handedness.
    task : LiftTask
        Box positions (m), lifting time (s), guide postures, box and collision settings.
    strength_percentile : float
        Strength percentile (0-100).
    **problem_options
        As :func:`prepare_problem_3d`.

    Returns
    -------
    str
        64 hexadecimal characters.

    Examples
    --------
    >>> a = anchor_cache_key(Subject("male", 80.0, 1.8), LiftTask())
    >>> a == anchor_cache_key(Subject("male", 80.0, 1.8), LiftTask())
    True
    >>> a == anchor_cache_key(Subject("male", 81.0, 1.8), LiftTask())
    False
    """
    payload = {"formulation": _FORMULATION, "subject": asdict(subject), "task": asdict(task),
               "strength_percentile": float(strength_percentile), "options": problem_options}
    text = json.dumps(payload, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    """JSON form of the values json does not know (numpy arrays and numbers)."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} in a 3D prediction setting cannot be keyed; expected numbers, "
                    "strings, lists or dicts")


def _check(sol, what):
    if not sol.success:
        raise PredictionError(f"the {what} did not converge (IPOPT: {sol.status}); try the 2D model, other box "
                              "positions or a looser symmetry tolerance")
