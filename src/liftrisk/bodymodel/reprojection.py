"""One camera: inverse kinematics of the body model against the 2D keypoints (reprojection).

A detector's monocular 3D (MediaPipe's world landmarks) flattens the flexion that lies along
the camera's depth (docs/bodymodel.md, "One camera"). The 2D keypoints do not have that bias,
and a model with constant segment lengths fixes the depth of every segment from its projected
length up to a sign (Taylor 2000): this module fits the scaled body model to the pixels,
with the monocular 3D only as the starting pose and a weak prior (it picks the sign).

Per frame t, for all frames at once::

    min  sum_m c_tm d_t^2 |pi(R p_m + t) - x_tm|^2          (2D keypoints, normalised image coords)
       + beta sum_m |p_m - X_tm|^2                          (weak prior: the monocular 3D points)
       + lambda^2 |q|^2 + gamma^2 (|q - qbar_t|^2 + |o0 - obar_t|^2 / 1 m/rad)   (Tikhonov, smoothness)
       + kappa^2 (a . (o0 - zbar_t))^2                      (pelvis depth along the camera axis a)
    subject to  joint limits

with c_tm the keypoint confidence, d_t the depth of the pelvis along the camera axis in the
starting pose (so the 2D term is in metres at the body, comparable with the 3D terms), pi the
pinhole projection, X_tm the monocular 3D point, zbar_t the pelvis of the previous pass with its
depth along the camera axis low-passed at `depth_cutoff_hz` (1 Hz, as `liftrisk.pose.lift_monocular`
does: the depth comes from the body's size in pixels, whose jitter would otherwise become
whole-body acceleration along the camera axis), and qbar, obar the joint coordinates and pelvis
path of the previous pass low-passed in time (zero-phase Butterworth): the smoothness term
couples the frames through a few passes of the batched per-frame solve (block Jacobi), so no
frame is solved alone. Solver: the projected Levenberg-Marquardt of `liftrisk.bodymodel.ik`
with the projection's chain rule ``d pi/d p = [[1, 0, -x], [0, 1, -y]] R / z_c``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, filtfilt

from liftrisk.bodymodel.fit import _PRIOR, _PRIOR_LEN_M, FitSettings, _pelvis_prior, fit_body_model
from liftrisk.bodymodel.forward import KinematicTree
from liftrisk.bodymodel.ik import IKSettings, IKSolution, _rotvec_matrix
from liftrisk.bodymodel.model import BodyModel, ModelGeometry
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.joint_centres import canonical_joint_centres

__all__ = ["ReprojectionSettings", "fit_monocular", "pixel_lengths", "solve_reprojection_ik"]


@dataclass(frozen=True)
class ReprojectionSettings:
    """Settings of the one-camera inverse kinematics.

    Attributes
    ----------
    prior_weight : float
        beta: weight of a monocular 3D point relative to a 2D keypoint of confidence 1
        (both residuals in m at the body; 0.04 = a 3D point 5x less trusted than a pixel).
    smoothing_m_per_rad : float
        gamma: weight of the pull towards the low-passed coordinates (m of keypoint error per
        rad; the pelvis path: per m).
    smoothing_cutoff_hz : float
        Cut-off of the low-pass that gives the smoothness targets, Hz.
    smoothing_passes : int
        Solves with updated smoothness targets after the first (0 = no smoothness term).
    max_iterations : int
        Levenberg-Marquardt iterations per pass at most.
    lengths_from_pixels : bool
        Measure the limb lengths and the hip width on the pixel rays (`pixel_lengths`)
        instead of on the detector's 3D points.
    max_depth_fraction : float
        `pixel_lengths` uses the frames where the segment's direction has at most this
        component along the camera ray (0.5: within 30 deg of the image plane).
    depth_cutoff_hz : float
        In the smoothness passes the pelvis depth along the camera axis is held to its
        low-pass at this cut-off, Hz (0 = not held).
    depth_weight : float
        kappa: weight of that hold (m of keypoint error per m; 10 = held all but fixed).
    """

    prior_weight: float = 0.04
    smoothing_m_per_rad: float = 0.02
    smoothing_cutoff_hz: float = 6.0
    smoothing_passes: int = 1
    max_iterations: int = 40
    lengths_from_pixels: bool = False
    max_depth_fraction: float = 0.5
    depth_cutoff_hz: float = 1.0
    depth_weight: float = 10.0

    def __post_init__(self):
        if (self.prior_weight < 0 or self.smoothing_m_per_rad < 0 or self.smoothing_cutoff_hz <= 0
                or self.depth_cutoff_hz < 0 or self.depth_weight < 0
                or self.smoothing_passes < 0 or self.max_iterations < 1):
            raise DataQualityError(f"ReprojectionSettings: non-negative weights, a positive cut-off and at least "
                                   f"one iteration expected; got {self}")


def _lowpass(x: np.ndarray, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """Zero-phase 2nd-order Butterworth along axis 0 (unchanged when too short)."""
    if x.shape[0] < 15 or cutoff_hz >= rate_hz / 2:
        return x.copy()
    b, a = butter(2, cutoff_hz / (rate_hz / 2))
    return filtfilt(b, a, x, axis=0)


class _Problem:
    """Residuals and Jacobians of the one-camera cost for a subset of frames."""

    def __init__(self, tree, xy, c2d, X, w3d, R_wc, t_wc, depth, lam2, gam2, qbar, obar, kap2=0.0, zbar=None):
        self.tree, self.xy, self.c2d, self.X, self.w3d = tree, xy, c2d, X, w3d
        self.R_wc, self.t_wc, self.depth = R_wc, t_wc, depth
        self.lam2, self.gam2, self.qbar, self.obar = lam2, gam2, qbar, obar
        self.kap2, self.zbar, self.axis = kap2, (obar if zbar is None else zbar), R_wc[2]

    def sub(self, idx):
        return _Problem(self.tree, self.xy[idx], self.c2d[idx], self.X[idx], self.w3d[idx], self.R_wc, self.t_wc,
                        self.depth[idx], self.lam2, self.gam2, self.qbar[idx], self.obar[idx], self.kap2,
                        self.zbar[idx])

    def evaluate(self, R0, o0, q):
        pose = self.tree.pose(R0, o0, q)
        p = self.tree.points_from_pose(pose)
        cam = p @ self.R_wc.T + self.t_wc
        z = np.maximum(cam[..., 2], 1e-3)
        proj = cam[..., :2] / z[..., None]
        r2 = np.where(self.c2d[..., None] > 0, proj - self.xy, 0.0) * self.depth[:, None, None]
        r3 = np.where(self.w3d[..., None] > 0, p - self.X, 0.0)
        dq, do = q - self.qbar, o0 - self.obar
        cost = (np.einsum("tm,tmi,tmi->t", self.c2d, r2, r2) + np.einsum("tm,tmi,tmi->t", self.w3d, r3, r3)
                + self.lam2 * np.einsum("tk,tk->t", q, q)
                + self.gam2 * (np.einsum("tk,tk->t", dq, dq) + np.einsum("tk,tk->t", do, do))
                + self.kap2 * ((o0 - self.zbar) @ self.axis) ** 2)
        return pose, p, (proj, z, r2, r3), cost

    def normal_equations(self, pose, p, parts, q, o0):
        proj, z, r2, r3 = parts
        T, M = p.shape[:2]
        J = self.tree.jacobian(pose, p)                       # (T, M, 3, K)
        K = J.shape[-1]
        # d(normalised projection)/d(world point) = [[1, 0, -x], [0, 1, -y]] R_wc / z, times the depth scale
        D = np.zeros((T, M, 2, 3))
        D[..., 0, 0] = D[..., 1, 1] = 1.0
        D[..., 0, 2], D[..., 1, 2] = -proj[..., 0], -proj[..., 1]
        D = D @ self.R_wc * (self.depth[:, None] / z)[..., None, None]
        J2 = np.matmul(D, J) * np.sqrt(self.c2d)[..., None, None]
        s3 = np.sqrt(self.w3d)[..., None, None]
        J3 = J * s3
        J2f, J3f = J2.reshape(T, 2 * M, K), J3.reshape(T, 3 * M, K)
        A = np.matmul(J2f.transpose(0, 2, 1), J2f) + np.matmul(J3f.transpose(0, 2, 1), J3f)
        g = (np.matmul((r2 * np.sqrt(self.c2d)[..., None]).reshape(T, 1, 2 * M), J2f)[:, 0]
             + np.matmul((r3 * s3[..., 0]).reshape(T, 1, 3 * M), J3f)[:, 0])
        n = q.shape[1]
        ic = np.arange(6, 6 + n)
        A[:, ic, ic] += self.lam2 + self.gam2
        g[:, 6:] += self.lam2 * q + self.gam2 * (q - self.qbar)
        A[:, np.arange(3), np.arange(3)] += self.gam2
        g[:, :3] += self.gam2 * (o0 - self.obar)
        A[:, :3, :3] += self.kap2 * np.outer(self.axis, self.axis)
        g[:, :3] += self.kap2 * ((o0 - self.zbar) @ self.axis)[:, None] * self.axis
        return A, g


def _lm(prob: _Problem, R0, o0, q, lo, hi, max_iterations: int, ik: IKSettings):
    """Batched projected Levenberg-Marquardt (as `liftrisk.bodymodel.ik`), arrays updated in place."""
    T = q.shape[0]
    n = q.shape[1]
    pose, p, parts, cost = prob.evaluate(R0, o0, q)
    damping = np.full(T, ik.initial_damping)
    active = np.ones(T, bool)
    diag = np.arange(6 + n)
    for _ in range(max_iterations):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        sp = prob.sub(idx)
        sub_pose = type(pose)({b: v[idx] for b, v in pose.rotation.items()},
                              {b: v[idx] for b, v in pose.origin.items()}, pose.axes[idx], pose.centres[idx])
        A, g = sp.normal_equations(sub_pose, p[idx], tuple(x[idx] for x in parts), q[idx], o0[idx])
        qa = q[idx]
        held = ((qa <= lo + 1e-9) & (g[:, 6:] > 0)) | ((qa >= hi - 1e-9) & (g[:, 6:] < 0))
        if held.any():
            hold = np.concatenate([np.zeros((idx.size, 6), bool), held], axis=1)
            A = np.where(hold[:, :, None] | hold[:, None, :], 0.0, A)
            A[:, diag, diag] += hold
            g = np.where(hold, 0.0, g)
        A[:, diag, diag] *= 1.0 + damping[idx, None]
        A[:, diag, diag] += 1e-9 * damping[idx, None]
        delta = -np.linalg.solve(A, g[..., None])[..., 0]
        o_new = o0[idx] + delta[:, :3]
        R_new = _rotvec_matrix(delta[:, 3:6]) @ R0[idx]
        q_new = np.clip(q[idx] + delta[:, 6:], lo, hi)
        pose_n, p_n, parts_n, cost_n = sp.evaluate(R_new, o_new, q_new)
        acc = cost_n <= cost[idx]
        flat = acc & (cost[idx] - cost_n <= ik.cost_tolerance * cost[idx] + 1e-16)
        ia = idx[acc]
        o0[ia], R0[ia], q[ia], cost[ia], p[ia] = o_new[acc], R_new[acc], q_new[acc], cost_n[acc], p_n[acc]
        for x, xn in zip(parts, parts_n, strict=True):
            x[ia] = xn[acc]
        for b in pose.rotation:
            pose.rotation[b][ia] = pose_n.rotation[b][acc]
            pose.origin[b][ia] = pose_n.origin[b][acc]
        pose.axes[ia], pose.centres[ia] = pose_n.axes[acc], pose_n.centres[acc]
        damping[idx] = np.where(acc, np.maximum(damping[idx] / 3.0, 1e-7), np.minimum(damping[idx] * 5.0, 1e7))
        small = np.max(np.abs(delta), axis=1) < ik.step_tolerance
        active[idx[small | flat | (damping[idx] >= 1e7)]] = False
    return p, parts


def solve_reprojection_ik(model: BodyModel, points: dict, xy_norm: np.ndarray, confidence: np.ndarray,
                          camera_rotation: np.ndarray, camera_translation_m: np.ndarray, init: IKSolution,
                          prior_m: np.ndarray | None = None, prior_weights: np.ndarray | None = None,
                          rate_hz: float = 30.0, settings: ReprojectionSettings = ReprojectionSettings(),
                          ik: IKSettings = IKSettings()) -> tuple[IKSolution, np.ndarray]:
    """Fit the model to one camera's 2D keypoints in every frame (batched, no per-frame loop).

    Parameters
    ----------
    model : BodyModel
    points : dict name -> (body, (3,) local m)
        Model points of the keypoint columns (same order).
    xy_norm : array (T, M, 2)
        Undistorted normalised image coordinates ``((u - cx) / fx, (v - cy) / fy)``; NaN = missing.
    confidence : array (T, M)
        Keypoint weights (detector confidence, 0-1).
    camera_rotation, camera_translation_m : (3, 3), (3,)
        World -> camera: ``x_c = R x + t`` (OpenCV axes: x right, y down, z forward), m.
    init : IKSolution
        Starting poses (e.g. the 3D fit to the monocular 3D points).
    prior_m : array (T, P, 3), optional
        Weak 3D targets of the first P points (world, m; NaN = none), e.g. the monocular 3D.
    prior_weights : array (T, P), optional
        Their weights relative to `settings.prior_weight` (default 1 where given).
    rate_hz : float
        Frame rate (Hz) of the smoothness low-pass.
    settings : ReprojectionSettings
    ik : IKSettings
        Limit margin, Tikhonov weight and tolerances (as the 3D IK).

    Returns
    -------
    (IKSolution, reprojection)
        The fitted poses (``residual_m``: 3D distance to the prior points, NaN without one)
        and the reprojection error of every keypoint in normalised image units (T, M).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.bodymodel.model import build_model
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> pts = m.landmarks()
    >>> tree = KinematicTree(m, pts)
    >>> names = [c.name for c in m.coordinates]
    >>> q = np.zeros((3, tree.n_coords)); q[:, names.index("l_knee_flexion")] = 0.8
    >>> R0, o0 = np.tile(np.eye(3), (3, 1, 1)), np.zeros((3, 3)) + [0, 0, 1.0]
    >>> Rc = np.array([[-0.7071, 0.7071, 0], [0, 0, -1], [-0.7071, -0.7071, 0]])  # at (3, 3, 1), facing the body
    >>> tc = -Rc @ np.array([3.0, 3.0, 1.0])
    >>> cam = tree.points(R0, o0, q) @ Rc.T + tc
    >>> xy = cam[..., :2] / cam[..., 2:]
    >>> start = IKSolution(R0.copy(), o0 + 0.05, np.full_like(q, 0.1), np.zeros((3, len(pts))), 0, np.ones(3, bool))
    >>> sol, rep = solve_reprojection_ik(m, pts, xy, np.ones(xy.shape[:2]), Rc, tc, start)
    >>> round(float(sol.q[0, names.index("l_knee_flexion")]), 2), bool(np.nanmax(rep) < 1e-4)
    (0.8, True)
    """
    xy = np.asarray(xy_norm, float)
    T, M = xy.shape[:2]
    if xy.shape != (T, len(points), 2) or np.shape(confidence) != (T, M):
        raise DataQualityError(f"xy_norm has shape {xy.shape} and confidence {np.shape(confidence)}; expected "
                               f"({T}, {len(points)}, 2) and ({T}, {len(points)})")
    c2d = np.where(np.isfinite(xy).all(axis=2), np.nan_to_num(np.asarray(confidence, float)), 0.0)
    c2d = np.clip(c2d, 0.0, None)
    xy = np.nan_to_num(xy)
    X = np.zeros((T, M, 3))
    w3d = np.zeros((T, M))
    if prior_m is not None:
        P = np.asarray(prior_m, float)
        k = P.shape[1]
        pw = np.ones((T, k)) if prior_weights is None else np.asarray(prior_weights, float)
        ok = np.isfinite(P).all(axis=2) & np.isfinite(pw)
        X[:, :k] = np.nan_to_num(P)
        w3d[:, :k] = np.where(ok, settings.prior_weight * np.clip(np.nan_to_num(pw), 0, None), 0.0)
    tree = KinematicTree(model, points)
    margin = np.deg2rad(ik.limit_margin_deg)
    lo, hi = tree.lower - margin, tree.upper + margin
    R_wc = np.asarray(camera_rotation, float)
    t_wc = np.asarray(camera_translation_m, float)
    R0, o0, q = init.R0.copy(), init.o0.copy(), np.clip(init.q.copy(), lo, hi)
    depth = np.maximum((o0 @ R_wc.T + t_wc)[:, 2], 0.1)
    lam2 = ik.regularisation_m_per_rad ** 2
    qbar, obar, zbar = q.copy(), o0.copy(), o0.copy()
    passes = 1 + settings.smoothing_passes
    for k in range(passes):
        gam2 = settings.smoothing_m_per_rad ** 2 if k else 0.0
        kap2 = settings.depth_weight ** 2 if k and settings.depth_cutoff_hz > 0 else 0.0
        prob = _Problem(tree, xy, c2d, X, w3d, R_wc, t_wc, depth, lam2, gam2, qbar, obar, kap2, zbar)
        p, parts = _lm(prob, R0, o0, q, lo, hi, settings.max_iterations, ik)
        if k + 1 < passes:
            qbar = _lowpass(q, rate_hz, settings.smoothing_cutoff_hz)
            obar = _lowpass(o0, rate_hz, settings.smoothing_cutoff_hz)
            if settings.depth_cutoff_hz > 0:
                a = R_wc[2]
                z = o0 @ a
                zbar = o0 + (_lowpass(z[:, None], rate_hz, settings.depth_cutoff_hz)[:, 0] - z)[:, None] * a
    proj = parts[0]
    rep = np.where(c2d > 0, np.linalg.norm(proj - xy, axis=2), np.nan)
    res = np.where(w3d > 0, np.linalg.norm(p - X, axis=2), np.nan)
    return IKSolution(R0=R0, o0=o0, q=q, residual_m=res, iterations=0, converged=np.ones(T, bool)), rep


_SEGMENTS = {"thigh": ("hip", "knee"), "shank": ("knee", "ankle"), "upper_arm": ("shoulder", "elbow"),
             "forearm": ("elbow", "wrist")}


def pixel_lengths(points: Motion, xy_norm: np.ndarray, confidence: np.ndarray, camera_rotation: np.ndarray,
                  camera_translation_m: np.ndarray, max_depth_fraction: float = 0.5, min_confidence: float = 0.5,
                  min_frames: int = 10) -> dict[str, float]:
    """Limb lengths and hip width measured on the pixel rays, m.

    Each keypoint is put on its pixel ray at the depth of its monocular 3D point; a segment's
    length is the median over the frames where its direction (from the 3D points) has at
    most `max_depth_fraction` along the camera ray - where it lies across the line of sight,
    so the detector's depth error changes the length least (a depth error e on a segment at
    angle a to the image plane changes the length by about e sin a) - and both ends have
    at least `min_confidence`. Left and right are pooled. A segment seen so in fewer than
    `min_frames` frames is left out.

    Parameters
    ----------
    points : Motion
        Canonical points of the monocular 3D (world, m).
    xy_norm, confidence, camera_rotation, camera_translation_m : as `fit_monocular`.
    max_depth_fraction : float
        Largest |cos| between the segment and the camera ray (0-1).
    min_confidence : float
    min_frames : int

    Returns
    -------
    dict
        ``thigh``, ``shank``, ``upper_arm``, ``forearm``, ``hip_width`` (those measured), m.

    Examples
    --------
    >>> R, t = np.eye(3), np.array([0.0, 0.0, 4.0])       # camera 4 m in front, looking along +z
    >>> X = np.zeros((12, 2, 3)); X[:, 1, 1] = 0.42         # a 0.42 m segment across the ray
    >>> m = Motion.from_points({"l_hip": X[:, 0], "l_knee": X[:, 1]}, rate_hz=30)
    >>> xy = (X + t)[..., :2] / (X + t)[..., 2:]
    >>> round(pixel_lengths(m, xy, np.ones((12, 2)), R, t)["thigh"], 3)
    0.42
    """
    R, t = np.asarray(camera_rotation, float), np.asarray(camera_translation_m, float)
    xy = np.asarray(xy_norm, float)
    conf = np.nan_to_num(np.asarray(confidence, float))
    cam = points.positions_m @ R.T + t
    ray = np.concatenate([xy, np.ones(xy.shape[:2] + (1,))], axis=-1) * cam[..., 2:3]

    def lengths(a, b):
        if a not in points or b not in points:
            return np.zeros(0)
        ia, ib = points.index(a), points.index(b)
        d = cam[:, ib] - cam[:, ia]
        mid = 0.5 * (cam[:, ia] + cam[:, ib])
        with np.errstate(invalid="ignore", divide="ignore"):
            along = np.abs(np.sum(d * mid, axis=1)) / np.linalg.norm(d, axis=1) / np.linalg.norm(mid, axis=1)
            L = np.linalg.norm(ray[:, ib] - ray[:, ia], axis=1)
        ok = (along <= max_depth_fraction) & (conf[:, ia] >= min_confidence) & (conf[:, ib] >= min_confidence)
        return L[ok & np.isfinite(L)]

    out = {}
    pairs = {k: [(f"{s}_{a}", f"{s}_{b}") for s in ("l", "r")] for k, (a, b) in _SEGMENTS.items()}
    pairs["hip_width"] = [("l_hip", "r_hip")]
    for name, pp in pairs.items():
        vals = np.concatenate([lengths(a, b) for a, b in pp])
        if vals.size >= min_frames:
            out[name] = float(np.median(vals))
    return out


def fit_monocular(points: Motion, xy_norm: np.ndarray, confidence: np.ndarray, camera_rotation: np.ndarray,
                  camera_translation_m: np.ndarray, subject: Subject,
                  settings: ReprojectionSettings = ReprojectionSettings(),
                  fit_settings: FitSettings = FitSettings(), geometry: ModelGeometry | None = None) -> Motion:
    """One camera: the body model scaled and fitted to the monocular 3D points, then refined
    against the 2D keypoints (`solve_reprojection_ik`); the fitted joint centres.

    Parameters
    ----------
    points : Motion
        Canonical joint centres from one camera (a detector's monocular 3D), m, world frame.
    xy_norm : array (T, N, 2)
        The same points in undistorted normalised image coordinates (column order of
        ``points.point_names``; NaN = missing).
    confidence : array (T, N)
        Their detector confidences (0-1).
    camera_rotation, camera_translation_m : (3, 3), (3,)
        World -> camera of `points`' frame (``x_c = R x + t``, OpenCV axes), m.
    subject : Subject
    settings : ReprojectionSettings
    fit_settings : FitSettings
        Of the 3D fit that scales the model and gives the starting poses.
    geometry : ModelGeometry, optional
        Segment lengths to use instead of those measured on `points` (e.g. from anthropometry).

    Returns
    -------
    Motion
        The fitted model's joint centres (the points of `points` the model carries; the
        others unchanged); ``meta["monocular_ik"]``: median reprojection error (normalised
        image units), the RMS distance to the monocular 3D points (m) and the model lengths (m).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> m = neutral_body(n_frames=12)
    >>> R = np.array([[0.0, -1, 0], [0, 0, -1], [1, 0, 0]])  # at (-4, 0, 1) m, looking along +X
    >>> t = -R @ np.array([-4.0, 0.0, 1.0])
    >>> cam = m.positions_m @ R.T + t
    >>> out = fit_monocular(m, cam[..., :2] / cam[..., 2:], np.ones(cam.shape[:2]), R, t, Subject("male", 80, 1.78))
    >>> out.meta["monocular_ik"]["median_reprojection"] < 1e-3, out.n_frames
    (True, 12)
    """
    known = [n for n in points.point_names if n in CANONICAL_POINTS]
    sub = points.select(known)
    fit = fit_body_model(sub, subject, settings=fit_settings)
    if geometry is None and settings.lengths_from_pixels:
        measured = pixel_lengths(points, xy_norm, confidence, camera_rotation, camera_translation_m,
                                 settings.max_depth_fraction, fit_settings.min_confidence)
        geometry = fit.model.geometry.scaled(**measured) if measured else None
    model = fit.model if geometry is None else fit.model.rescaled(geometry)
    names = [n for n in fit.model.markers if n in known]
    pts = {n: model.landmarks()[n] for n in names}
    col = [points.point_names.index(n) for n in names]
    xy = np.asarray(xy_norm, float)[:, col]
    conf = np.asarray(confidence, float)[:, col]
    X = points.points(names)
    pw = np.ones(X.shape[:2])
    prior = _pelvis_prior(canonical_joint_centres(sub, None, subject.sex))
    if prior is not None:  # pelvis tilt: unseen by keypoints, 2D or 3D (as `fit_body_model`)
        pts[_PRIOR] = ("pelvis", np.array([0.0, 0.0, _PRIOR_LEN_M]))
        xy = np.concatenate([xy, np.full((len(xy), 1, 2), np.nan)], axis=1)
        conf = np.concatenate([conf, np.zeros((len(xy), 1))], axis=1)
        X = np.concatenate([X, prior[:, None]], axis=1)
        w = fit_settings.pelvis_prior_weight / max(settings.prior_weight, 1e-12)
        pw = np.concatenate([pw, np.full((len(xy), 1), w)], axis=1)
    seen = np.isfinite(X[:, :len(names)]).all(axis=2).sum(axis=1) >= 3
    conf = np.where(seen[:, None], conf, 0.0)
    sol, rep = solve_reprojection_ik(model, pts, xy, conf, camera_rotation, camera_translation_m, fit.solution,
                                     prior_m=X, prior_weights=pw, rate_hz=points.rate_hz, settings=settings,
                                     ik=fit_settings.ik)
    lm = model.landmarks()
    out_names = [n for n in lm if n in known]
    tree = KinematicTree(model, {n: lm[n] for n in out_names})
    P = tree.points(sol.R0, sol.o0, sol.q)
    P[~seen] = np.nan
    pos = points.positions_m.copy()
    for i, n in enumerate(out_names):
        pos[:, points.index(n)] = P[:, i]
    info = {"median_reprojection": float(np.nanmedian(rep[:, :len(names)])),
            "rms_to_monocular_3d_m": _rms(sol.residual_m[:, :len(names)]),
            "lengths_m": model.geometry.as_dict()}
    return points.replace(positions_m=pos, meta={**points.meta, "monocular_ik": info})


def _rms(x: np.ndarray) -> float:
    """RMS of the finite values (NaN when there are none)."""
    f = x[np.isfinite(x)]
    return float(np.sqrt(np.mean(f ** 2))) if f.size else float("nan")
