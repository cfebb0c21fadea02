"""Inverse kinematics: the model pose that best fits weighted 3D targets, all frames at once.

Problem, per frame t (solved for every frame simultaneously, no per-frame loop)::

    min_{R0, o0, q}  sum_m w_tm |p_m(R0, o0, q) - x_tm|^2  +  lambda^2 |q|^2
    subject to        q_lo - margin <= q <= q_hi + margin

with p_m the model point of target m (marker, keypoint or a virtual prior point), x_tm the
measured position, w_tm its weight (0 where missing), q the joint coordinates and lambda a
small Tikhonov weight (m/rad) that keeps coordinates the targets cannot see (e.g. forearm
pronation without finger points) at their neutral value. Solver: Levenberg-Marquardt
(Levenberg 1944; Marquardt 1963) with Marquardt's diagonal scaling, the analytic Jacobian
of `liftrisk.bodymodel.forward`, a per-frame damping factor (accept a step when the cost
drops, then damping / 3, else damping x 5) and projection onto the joint limits after each
step. The root rotation is updated multiplicatively (``R0 <- exp([dphi]x) R0``), so the
pelvis orientation has no gimbal lock. Segment lengths are constants of the model, so
they are the same in every frame by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.bodymodel.forward import KinematicTree
from liftrisk.bodymodel.model import BodyModel
from liftrisk.errors import DataQualityError

__all__ = ["IKSettings", "IKSolution", "solve_ik", "initial_root"]


@dataclass(frozen=True)
class IKSettings:
    """Settings of the inverse kinematics.

    Attributes
    ----------
    max_iterations : int
        Levenberg-Marquardt iterations at most.
    step_tolerance : float
        A frame has converged when its largest step is below this (rad or m).
    cost_tolerance : float
        A frame has also converged when an accepted step lowers its cost by less than this
        fraction.
    limit_margin_deg : float
        Joint limits are the normal ranges of motion widened by this margin (deg).
    regularisation_m_per_rad : float
        Tikhonov weight lambda on the joint coordinates (m of marker error per rad).
    initial_damping : float
        Starting Levenberg-Marquardt damping (relative to the diagonal).
    restarts : int
        Passes in which frames whose RMS residual exceeds 3 x the median and
        `restart_residual_m` are solved again from a neighbouring frame's pose (kept when
        the cost drops): a local minimum (e.g. an arm fitted the wrong way round) rarely
        survives a start from the previous frame's posture.
    restart_residual_m : float
    """

    max_iterations: int = 60
    step_tolerance: float = 1e-6
    limit_margin_deg: float = 15.0
    regularisation_m_per_rad: float = 2e-3
    initial_damping: float = 1e-2
    cost_tolerance: float = 1e-6
    restarts: int = 3
    restart_residual_m: float = 0.01

    def __post_init__(self):
        if self.max_iterations < 1 or self.step_tolerance <= 0 or self.limit_margin_deg < 0:
            raise DataQualityError(f"IKSettings: max_iterations >= 1, step_tolerance > 0 and limit_margin_deg "
                                   f">= 0 expected; got {self}")


@dataclass
class IKSolution:
    """Fitted poses (all frames) and their per-target residuals.

    Attributes
    ----------
    R0 : (T, 3, 3)
        Pelvis rotation (body axes in the world).
    o0 : (T, 3)
        Pelvis origin (mid-hip), m.
    q : (T, n)
        Joint coordinates, rad (order of ``BodyModel.coordinates``).
    residual_m : (T, M)
        Distance between each fitted model point and its target, m (NaN where missing).
    iterations : int
    converged : (T,) bool
    """

    R0: np.ndarray
    o0: np.ndarray
    q: np.ndarray
    residual_m: np.ndarray
    iterations: int
    converged: np.ndarray


def _rotvec_matrix(v: np.ndarray) -> np.ndarray:
    th = np.linalg.norm(v, axis=-1)
    safe = np.where(th > 1e-12, th, 1.0)
    k = v / safe[..., None]
    K = np.zeros((*v.shape[:-1], 3, 3))
    K[..., 0, 1], K[..., 0, 2], K[..., 1, 2] = -k[..., 2], k[..., 1], -k[..., 0]
    K[..., 1, 0], K[..., 2, 0], K[..., 2, 1] = k[..., 2], -k[..., 1], k[..., 0]
    s, c = np.sin(th)[..., None, None], np.cos(th)[..., None, None]
    return np.eye(3) + s * K + (1.0 - c) * (K @ K)


def initial_root(tree: KinematicTree, targets: np.ndarray, weights: np.ndarray,
                 bodies=None) -> tuple[np.ndarray, np.ndarray]:
    """Pelvis pose per frame from a weighted rigid fit (Kabsch) of the neutral model's points
    on `bodies` to the targets; identity rotation where fewer than 3 such points are seen.

    Default bodies: the pelvis alone when it carries 3 or more points (pelvis markers),
    else the pelvis, thorax and thighs.

    Parameters
    ----------
    tree : KinematicTree
        The model and its points (same order as the target columns).
    targets : array (T, M, 3)
        Measured positions, m, world frame (NaN = missing).
    weights : array (T, M)
        Non-negative weights (dimensionless).
    bodies : sequence of str, optional
        Bodies whose points enter the rigid fit.

    Returns
    -------
    R0 : array (T, 3, 3)
        Pelvis rotation.
    o0 : array (T, 3)
        Pelvis origin, m.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.bodymodel.model import build_model
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> tree = KinematicTree(m, m.landmarks())
    >>> X = tree.points(np.eye(3)[None], np.array([[1.0, 2.0, 0.9]]), np.zeros((1, tree.n_coords)))
    >>> R, o = initial_root(tree, X, np.ones(X.shape[:2]))
    >>> np.round(o[0], 6).tolist(), bool(np.allclose(R[0], np.eye(3)))
    ([1.0, 2.0, 0.9], True)
    """
    T = targets.shape[0]
    q0 = np.zeros((1, tree.n_coords))
    neutral = tree.points(np.eye(3)[None], np.zeros((1, 3)), q0)[0]
    if bodies is None:
        on_pelvis = [i for i, b in enumerate(tree._point_body) if b == "pelvis"]
        bodies = ("pelvis",) if len(on_pelvis) >= 3 else ("pelvis", "torso", "l_thigh", "r_thigh")
    sel = [i for i, b in enumerate(tree._point_body) if b in bodies]
    if len(sel) < 3:
        sel = list(range(len(tree.point_names)))
    P = neutral[sel]
    X = np.nan_to_num(targets[:, sel])
    w = np.where(np.isfinite(targets[:, sel]).all(axis=2), weights[:, sel], 0.0)
    ws = w.sum(axis=1, keepdims=True)
    ok = (w > 0).sum(axis=1) >= 3
    wn = w / np.where(ws > 0, ws, 1.0)
    pm = np.einsum("tk,kj->tj", wn, P)
    xm = np.einsum("tk,tkj->tj", wn, X)
    H = np.einsum("tk,tki,tkj->tij", wn, P[None] - pm[:, None], X - xm[:, None])
    U, _, Vt = np.linalg.svd(H)
    d = np.sign(np.linalg.det(np.einsum("tij,tjk->tik", U, Vt)))
    D = np.tile(np.eye(3), (T, 1, 1))
    D[:, 2, 2] = d
    R = np.einsum("tji,tjk,tlk->til", Vt, D, U)
    R = np.where(ok[:, None, None], R, np.eye(3))
    o = xm - np.einsum("tij,tj->ti", R, pm)
    allw = np.where(np.isfinite(targets).all(axis=2), weights, 0.0)
    cen = np.einsum("tk,tkj->tj", allw, np.nan_to_num(targets)) / np.maximum(allw.sum(1), 1e-12)[:, None]
    o = np.where(ok[:, None], o, cen)
    return R, o


def _cost(tree, R0, o0, q, X, w, lam2):
    pose = tree.pose(R0, o0, q)
    p = tree.points_from_pose(pose)
    r = np.where(w[..., None] > 0, p - X, 0.0)
    return pose, p, r, np.einsum("tm,tmi,tmi->t", w, r, r) + lam2 * np.einsum("tk,tk->t", q, q)


#: Frames solved together by `_lm`: the Jacobian (frames x targets x 3 x coordinates, about
#: 24 kB a frame) of a 30-minute recording would need about 1.3 GB; blocks keep it at about
#: 50 MB. Each frame's iterations are its own, so the blocks give the same poses.
IK_BLOCK_FRAMES = 2048


def _lm(tree, X, w, R0, o0, q, lo, hi, settings):
    """Batched projected Levenberg-Marquardt from the given poses (arrays updated in place),
    `IK_BLOCK_FRAMES` frames at a time."""
    T = X.shape[0]
    if T <= IK_BLOCK_FRAMES:
        return _lm_block(tree, X, w, R0, o0, q, lo, hi, settings)
    r, cost, active, it = np.empty((T, X.shape[1], 3)), np.empty(T), np.empty(T, bool), 0
    for s in range(0, T, IK_BLOCK_FRAMES):
        sl = slice(s, s + IK_BLOCK_FRAMES)
        R0[sl], o0[sl], q[sl], r[sl], cost[sl], active[sl], it_b = _lm_block(tree, X[sl], w[sl], R0[sl], o0[sl],
                                                                             q[sl], lo, hi, settings)
        it = max(it, it_b)
    return R0, o0, q, r, cost, active, it


def _lm_block(tree, X, w, R0, o0, q, lo, hi, settings):
    """Batched projected Levenberg-Marquardt from the given poses (arrays updated in place)."""
    T, M = X.shape[:2]
    n = tree.n_coords
    lam2 = settings.regularisation_m_per_rad ** 2
    pose, p, r, cost = _cost(tree, R0, o0, q, X, w, lam2)
    damping = np.full(T, settings.initial_damping)
    active = np.ones(T, bool)
    sw = np.sqrt(w)
    it = 0
    for it in range(1, settings.max_iterations + 1):  # noqa: B007 (reported)
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        sub_pose = type(pose)({b: v[idx] for b, v in pose.rotation.items()},
                              {b: v[idx] for b, v in pose.origin.items()}, pose.axes[idx], pose.centres[idx])
        J = tree.jacobian(sub_pose, p[idx])
        J *= sw[idx][:, :, None, None]      # in place: J is the largest array of the loop
        J = J.reshape(idx.size, 3 * M, 6 + n)
        rw = (r[idx] * sw[idx][..., None]).reshape(idx.size, 1, 3 * M)
        A = np.matmul(J.transpose(0, 2, 1), J)
        g = np.matmul(rw, J)[:, 0]
        A[:, np.arange(6, 6 + n), np.arange(6, 6 + n)] += lam2
        g[:, 6:] += lam2 * q[idx]
        # active set: coordinates at a limit whose descent direction points outward are held
        qa = q[idx]
        held = ((qa <= lo + 1e-9) & (g[:, 6:] > 0)) | ((qa >= hi - 1e-9) & (g[:, 6:] < 0))
        if held.any():
            hold = np.concatenate([np.zeros((idx.size, 6), bool), held], axis=1)
            A = np.where(hold[:, :, None] | hold[:, None, :], 0.0, A)
            A[:, np.arange(6 + n), np.arange(6 + n)] += hold
            g = np.where(hold, 0.0, g)
        diag = np.arange(6 + n)
        A[:, diag, diag] *= 1.0 + damping[idx, None]  # Marquardt: A + damping diag(A) (+ 1e-9 damping)
        A[:, diag, diag] += 1e-9 * damping[idx, None]
        delta = -np.linalg.solve(A, g[..., None])[..., 0]
        o_new = o0[idx] + delta[:, :3]
        R_new = _rotvec_matrix(delta[:, 3:6]) @ R0[idx]
        q_new = np.clip(q[idx] + delta[:, 6:], lo, hi)
        pose_n, p_n, r_n, cost_n = _cost(tree, R_new, o_new, q_new, X[idx], w[idx], lam2)
        acc = cost_n <= cost[idx]
        flat = acc & (cost[idx] - cost_n <= settings.cost_tolerance * cost[idx] + 1e-16)
        ia = idx[acc]
        o0[ia], R0[ia], q[ia] = o_new[acc], R_new[acc], q_new[acc]
        cost[ia], p[ia], r[ia] = cost_n[acc], p_n[acc], r_n[acc]
        for b in pose.rotation:
            pose.rotation[b][ia] = pose_n.rotation[b][acc]
            pose.origin[b][ia] = pose_n.origin[b][acc]
        pose.axes[ia], pose.centres[ia] = pose_n.axes[acc], pose_n.centres[acc]
        damping[idx] = np.where(acc, np.maximum(damping[idx] / 3.0, 1e-7), np.minimum(damping[idx] * 5.0, 1e7))
        small = np.max(np.abs(delta), axis=1) < settings.step_tolerance
        active[idx[small | flat | (damping[idx] >= 1e7)]] = False
    return R0, o0, q, r, cost, active, it


def _project_rotation(M: np.ndarray) -> np.ndarray:
    """Nearest rotation matrices (polar decomposition) of (T, 3, 3) matrices."""
    U, _, Vt = np.linalg.svd(M)
    d = np.sign(np.linalg.det(U @ Vt))
    U[:, :, 2] *= d[:, None]
    return U @ Vt


def _coarse_to_fine(tree, X, w, R0, o0, q, lo, hi, settings, stride: int = 4):
    """Cold start on every `stride`-th frame, then warm start of the frames in between.

    The frames ``0, stride, 2 stride, ...`` (and the last) are solved from the cold start; every
    other frame starts from the linear interpolation in time of its two solved neighbours
    (coordinates and pelvis origin; pelvis rotation interpolated element-wise and projected
    on SO(3)) and is then solved in one batch. Frames of a motion recording change little
    from one sample to the next, so the warm-started frames need about half the iterations
    (the vectorised counterpart of OpenSim's start from the previous frame's solution).
    """
    T = X.shape[0]
    if T < 3 * stride:
        return _lm(tree, X, w, R0, o0, q, lo, hi, settings)
    key = np.unique(np.r_[np.arange(0, T, stride), T - 1])
    rest = np.setdiff1d(np.arange(T), key)
    Rk, ok_, qk, rk, ck, ak, it1 = _lm(tree, X[key], w[key], R0[key], o0[key], q[key], lo, hi, settings)
    j = np.searchsorted(key, rest)          # key[j - 1] < rest < key[j]
    a, b = key[j - 1], key[j]
    f = ((rest - a) / (b - a))[:, None]
    ia, ib = j - 1, j
    q_in = np.clip((1 - f) * qk[ia] + f * qk[ib], lo, hi)
    o_in = (1 - f) * ok_[ia] + f * ok_[ib]
    R_in = _project_rotation((1 - f)[:, :, None] * Rk[ia] + f[:, :, None] * Rk[ib])
    Rr, orr, qr, rr, cr, ar, it2 = _lm(tree, X[rest], w[rest], R_in, o_in, q_in, lo, hi, settings)
    M = X.shape[1]
    R0, o0, q = np.empty((T, 3, 3)), np.empty((T, 3)), np.empty_like(q)
    r, cost, active = np.empty((T, M, 3)), np.empty(T), np.empty(T, bool)
    for idx, vals in ((key, (Rk, ok_, qk, rk, ck, ak)), (rest, (Rr, orr, qr, rr, cr, ar))):
        R0[idx], o0[idx], q[idx], r[idx], cost[idx], active[idx] = vals
    return R0, o0, q, r, cost, active, max(it1, it2)


def solve_ik(model: BodyModel, points: dict, targets: np.ndarray, weights: np.ndarray,
             settings: IKSettings = IKSettings(), init: IKSolution | None = None) -> IKSolution:
    """Fit the model to targets in every frame (batched Levenberg-Marquardt).

    Parameters
    ----------
    model : BodyModel
    points : dict name -> (body, (3,) local m)
        Model points matched to the target columns (same order).
    targets : array (T, M, 3)
        Measured positions, m, Z-up world frame; NaN = missing.
    weights : array (T, M)
        Non-negative weights (e.g. confidence, 1 / marker variance); 0 ignores a target.
    settings : IKSettings
    init : IKSolution, optional
        Starting poses (default: a rigid fit of the pelvis, joints neutral).

    Returns
    -------
    IKSolution

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.bodymodel.model import build_model
    >>> from liftrisk.bodymodel.forward import KinematicTree
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> pts = m.landmarks()
    >>> tree = KinematicTree(m, pts)
    >>> q = np.zeros((2, tree.n_coords)); q[:, list(m.coordinates).index(m.coordinates[0])] = 0.4
    >>> X = tree.points(np.tile(np.eye(3), (2, 1, 1)), np.zeros((2, 3)), q)
    >>> sol = solve_ik(m, pts, X, np.ones(X.shape[:2]))
    >>> round(float(sol.q[0, 0]), 3), bool(np.nanmax(sol.residual_m) < 1e-4)
    (0.4, True)
    """
    X = np.asarray(targets, float)
    T, M = X.shape[:2]
    if X.shape != (T, len(points), 3):
        raise DataQualityError(f"targets have shape {X.shape}; expected (frames, {len(points)}, 3)")
    w = np.asarray(weights, float)
    if w.shape != (T, M) or np.any(w[np.isfinite(w)] < 0):
        raise DataQualityError(f"weights must be non-negative with shape {(T, M)}; got {w.shape}")
    w = np.where(np.isfinite(X).all(axis=2) & np.isfinite(w), w, 0.0)
    X = np.nan_to_num(X)
    tree = KinematicTree(model, points)
    n = tree.n_coords
    margin = np.deg2rad(settings.limit_margin_deg)
    lo, hi = tree.lower - margin, tree.upper + margin
    if init is None:
        R0, o0 = initial_root(tree, np.where(w[..., None] > 0, X, np.nan), w)
        q = np.clip(np.zeros((T, n)), lo, hi)
        R0, o0, q, r, cost, active, it = _coarse_to_fine(tree, X, w, R0, o0, q, lo, hi, settings)
    else:
        R0, o0, q = init.R0.copy(), init.o0.copy(), np.clip(init.q.copy(), lo, hi)
        R0, o0, q, r, cost, active, it = _lm(tree, X, w, R0, o0, q, lo, hi, settings)
    # frames stuck in a local minimum (arm flipped, ...): restart from a neighbour's pose.
    # Every candidate start of a pass is solved in one batch (one Levenberg-Marquardt call
    # for all of them: the cost of a call is mostly its iterations, not its frames) and each
    # frame keeps its lowest-cost candidate when that beats its current fit.
    def best_of(frames, R_s, o_s, q_s) -> bool:
        Rn, on, qn, rn, cn, an, _ = _lm(tree, X[frames], w[frames], R_s, o_s, np.clip(q_s, lo, hi), lo, hi, settings)
        order = np.lexsort((cn, frames))                 # by frame, then cost: the first of each frame wins
        first = order[np.r_[True, frames[order][1:] != frames[order][:-1]]]
        better = first[cn[first] < cost[frames[first]]]
        k = frames[better]
        R0[k], o0[k], q[k], r[k], cost[k], active[k] = Rn[better], on[better], qn[better], rn[better], \
            cn[better], an[better]
        return bool(better.size)

    for _ in range(settings.restarts):
        rms = np.sqrt(np.sum(r ** 2, axis=(1, 2)) / np.maximum((w > 0).sum(axis=1), 1))
        bad = rms > max(3.0 * float(np.median(rms)), settings.restart_residual_m)
        if not bad.any() or bad.all():
            break
        sels, srcs = [], []
        for shift in (-1, 1):
            src = np.clip(np.arange(T) + shift, 0, T - 1)
            sel = np.flatnonzero(bad & ~bad[src])
            sels.append(sel)
            srcs.append(src[sel])
        sel, s_ = np.concatenate(sels), np.concatenate(srcs)
        if sel.size == 0 or not best_of(sel, R0[s_].copy(), o0[s_].copy(), q[s_].copy()):
            break
    # still stuck: multi-start of the ball joints (shoulders, hips) from a few postures
    rms = np.sqrt(np.sum(r ** 2, axis=(1, 2)) / np.maximum((w > 0).sum(axis=1), 1))
    bad = np.flatnonzero(rms > max(3.0 * float(np.median(rms)), settings.restart_residual_m))
    if bad.size and settings.restarts:
        names = [c.kind for c in tree.model.coordinates]
        cols = {k: [i for i, nm in enumerate(names) if nm == k] for k in
                ("shoulder_flexion", "shoulder_rotation", "elbow_flexion", "hip_rotation")}
        starts = []
        for fl, rot, el in ((0.0, 0.0, 0.3), (1.6, 0.0, 0.3), (0.0, 1.2, 1.2), (0.0, -1.2, 1.2),
                            (1.6, 1.2, 1.2), (1.6, -1.2, 1.2), (2.6, 0.0, 0.3)):
            qs = q[bad].copy()
            qs[:, cols["shoulder_flexion"]] = fl
            qs[:, cols["shoulder_rotation"]] = rot
            qs[:, cols["elbow_flexion"]] = el
            starts.append(qs)
        n_s = len(starts)
        best_of(np.tile(bad, n_s), np.tile(R0[bad], (n_s, 1, 1)), np.tile(o0[bad], (n_s, 1)),
                np.concatenate(starts))
    resid = np.linalg.norm(np.where(w[..., None] > 0, r, np.nan), axis=2)
    return IKSolution(R0=R0, o0=o0, q=q, residual_m=resid, iterations=it, converged=~active)
