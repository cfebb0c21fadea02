"""Fit a subject-scaled body model to a recording: scale, register markers, inverse kinematics.

Steps (`fit_body_model`):

1. **Joint centres of the calibration trial** (the static trial when given, else the
   recording): `liftrisk.kinematics.joint_centres` (keypoints: `canonical_joint_centres`;
   mocap: `joint_centres_from_markers`, Harrington hip, Reed L5/S1, CAST knee/ankle).
2. **Scaling** (`liftrisk.bodymodel.scaling`): the model's lengths are medians over the
   confident frames of that trial.
3. **Calibration fit**: inverse kinematics of the scaled model to those joint centres.
4. **Marker registration** (`liftrisk.bodymodel.markersets`): every registered marker's
   position in its body frame is the median over the calibration frames.
5. **Inverse kinematics** of the recording (`liftrisk.bodymodel.ik`) with per-marker
   weights: the keypoint confidence (video), or 1 (mocap); the caller may pass its own
   weights (e.g. from reprojection errors or marker residual variance).

Keypoints cannot see the pelvis tilt (two hip points); a weak virtual target on the pelvis
axis keeps it at `liftrisk.kinematics.frames.PELVIS_TILT_FRACTION` of the trunk
inclination, the same assumption liftrisk's keypoint pelvis frame makes.

The fitted joint centres (`BodyFit.joint_centres`) are a `Motion` of canonical points
computed from the fitted model, so every segment length is the same in every frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.bodymodel.forward import KinematicTree
from liftrisk.bodymodel.ik import IKSettings, IKSolution, solve_ik
from liftrisk.bodymodel.markersets import joint_centre_markers, nearest_body, role_bodies, role_weights
from liftrisk.bodymodel.model import ROOT_COORDINATES, BodyModel, build_model
from liftrisk.bodymodel.scaling import ScalingReport, scale_geometry
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, MARKER_SETS, Skeleton, detect_skeleton
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.frames import keypoint_pelvis_up
from liftrisk.kinematics.joint_centres import (
    GAIT2354_EXTRA,
    NECK_NEUTRAL_KEY,
    canonical_joint_centres,
    joint_centres_from_markers,
)
from liftrisk.kinematics.rotations import euler_from_matrix, homogeneous

__all__ = ["FitSettings", "BodyFit", "fit_body_model", "fitted_joint_centres", "calibration_joint_centres",
           "arms_down_joint_centres",
           "fitted_marker_joint_centres", "fit_summary", "model_marker_set", "fit_joint_centres", "LinearisedFit",
           "arm_elevation_deg", "EXTRA_LANDMARKS", "ARMS_DOWN_MAX_DEG", "UPPER_LENGTHS", "UPPER_BODIES"]

# Canonical extras that liftrisk's kinematics uses when present (pelvis markers, head sides):
# registered on the model from the calibration joint centres and output with the fit.
EXTRA_LANDMARKS = {"l_asis": "pelvis", "r_asis": "pelvis", "sacrum": "pelvis",
                   "l_head_side": "head", "r_head_side": "head"}
_PRIOR = "_pelvis_axis_prior"
_PRIOR_LEN_M = 0.10


@dataclass(frozen=True)
class FitSettings:
    """Settings of `fit_body_model`.

    Attributes
    ----------
    ik : IKSettings
    min_confidence : float
        Keypoints below this confidence are not used for scaling and registration.
    pelvis_prior_weight : float
        Weight of the virtual pelvis-axis target (keypoints only), relative to a keypoint
        of confidence 1 (dimensionless).
    reweight_iterations : int
        Marker-quality passes: after each fit every marker's weight is multiplied by
        ``(floor / max(rms_m, floor))^2`` (rms_m: its RMS residual over the recording, i.e.
        how far it moves against the rigid model: skin artefact, keypoint noise), and per
        frame by ``min(1, (2.5 rms_m / r_tm)^2)`` (outliers). 0 = one unweighted pass.
    residual_floor_m : float
        Residual below which a marker counts as perfect (weights never exceed 1).
    """

    ik: IKSettings = field(default_factory=IKSettings)
    min_confidence: float = 0.5
    pelvis_prior_weight: float = 0.05
    reweight_iterations: int = 2
    residual_floor_m: float = 0.005


@dataclass
class BodyFit:
    """A body model fitted to a recording.

    Attributes
    ----------
    model : BodyModel
        Scaled model with its registered markers.
    coordinates : pandas.DataFrame
        Per frame (index ``time_s``): ``pelvis_tx/ty/tz`` (m, world) and every rotational
        coordinate (rad).
    joint_centres : Motion
        Canonical joint centres of the fitted model (Z-up world, m).
    segment_frames : dict body -> (T, 4, 4)
        Body frames of the fitted model (world).
    marker_residuals_m : pandas.DataFrame
        Distance of each model marker to its measurement per frame, m (NaN where missing).
    scaling : ScalingReport
    calibration_residuals_m : dict
        RMS distance of each joint centre / marker in the calibration fit, m.
    solution : IKSolution
    marker_weights : pandas.DataFrame or None
        Weight of each model marker in the last inverse-kinematics pass, per frame
        (dimensionless; after the marker-quality passes of `FitSettings`).
    ik_points : dict name -> (body, (3,) local m)
        The points of the last inverse-kinematics pass, in the order of the target columns
        (markers, then virtual targets such as the pelvis-axis prior).
    ik_targets : (T, M, 3) array
        Their targets, m (NaN where missing).
    ik_weights : (T, M) array
        Their weights in the last pass (after the marker-quality reweighting).
    output_points : dict name -> (body, (3,) local m)
        The points of `joint_centres` (model landmarks and registered extras).
    """

    model: BodyModel
    coordinates: pd.DataFrame
    joint_centres: Motion
    segment_frames: dict
    marker_residuals_m: pd.DataFrame
    scaling: ScalingReport
    calibration_residuals_m: dict
    solution: IKSolution
    marker_weights: pd.DataFrame | None = None
    ik_points: dict = field(default_factory=dict)
    ik_targets: np.ndarray | None = None
    ik_weights: np.ndarray | None = None
    output_points: dict = field(default_factory=dict)

    def rms_residual_m(self) -> float:
        """RMS marker residual over all frames and markers, m."""
        r = self.marker_residuals_m.to_numpy()
        return float(np.sqrt(np.nanmean(r ** 2)))


def _kind(motion: Motion) -> tuple[str, Skeleton | str | None]:
    names = set(motion.point_names)
    if motion.meta.get("skeleton") == "canonical" or names <= set(CANONICAL_POINTS) | set(EXTRA_LANDMARKS):
        return "canonical", None
    sk = detect_skeleton(motion.point_names)
    if sk is not None:
        return "keypoints", sk
    best, cov = None, 0.0
    for name, ms in MARKER_SETS.items():
        c = sum(v in names for v in ms.values()) / len(ms)
        if c > cov:
            best, cov = name, c
    if best is None or cov < 0.3:
        raise DataQualityError(f"{motion.source or 'motion'}: its point names match no keypoint skeleton and no "
                               f"marker set ({', '.join(MARKER_SETS)}); convert it to canonical joint centres "
                               "(liftrisk.core.to_canonical) first")
    return "markers", best


def _joint_centres(motion: Motion, kind: str, what, subject: Subject, static: Motion | None,
                   measurements=None) -> Motion:
    if kind == "markers":
        return joint_centres_from_markers(motion, what, static=static, sex=subject.sex, measurements=measurements)
    return canonical_joint_centres(motion, None if kind == "canonical" else what, subject.sex)


def _weights(motion: Motion, names) -> np.ndarray:
    w = np.ones((motion.n_frames, len(names)))
    if motion.confidence is not None:
        w = np.stack([motion.point_confidence(n) for n in names], axis=1)
    return np.clip(np.nan_to_num(w), 0.0, None)


def _pelvis_prior(jc: Motion) -> np.ndarray | None:
    """Target of the virtual pelvis-axis point (keypoint motions), (T, 3)."""
    if not jc.has("l_hip", "r_hip", "neck") or jc.has("l_asis", "r_asis", "sacrum"):
        return None
    mid = 0.5 * (jc["l_hip"] + jc["r_hip"])
    up = keypoint_pelvis_up(jc["l_hip"] - jc["r_hip"], jc["neck"] - mid)
    return mid + _PRIOR_LEN_M * up


def _axis_targets(calib: Motion, marker_set: str, model: BodyModel):
    """Epicondyle / malleolus marker pairs as calibration targets on the knee and ankle axes.

    With a medial and a lateral marker the hinge axis is the line between them (as the
    joint centre is their mid-point): both are targets at +-half their median distance
    along the body's medio-lateral axis through the joint centre, so the calibration pose
    aligns the model's knee and ankle axes with them."""
    roles = {**MARKER_SETS[marker_set]}
    if marker_set == "opensim_gait2354":
        roles.update({k: v for k, v in GAIT2354_EXTRA.items() if isinstance(v, str)})
    g = model.geometry
    pts, xs = {}, []
    for s, sg in (("l", 1.0), ("r", -1.0)):
        for joint, body, z in (("knee", f"{s}_thigh", -g.thigh), ("ankle", f"{s}_shank", -g.shank)):
            lat, med = roles.get(f"{s}_{joint}_lat"), roles.get(f"{s}_{joint}_med")
            if lat is None or med is None or not calib.has(lat, med):
                continue
            width = np.nanmedian(np.linalg.norm(calib[lat] - calib[med], axis=1))
            if not np.isfinite(width):
                continue
            pts[f"_axis_{lat}"] = (body, np.array([0.0, sg * width / 2, z]))
            pts[f"_axis_{med}"] = (body, np.array([0.0, -sg * width / 2, z]))
            xs += [calib[lat], calib[med]]
    X = np.stack(xs, axis=1) if xs else np.zeros((calib.n_frames, 0, 3))
    return pts, X


def _register(sol: IKSolution, model: BodyModel, targets: dict[str, np.ndarray], bodies: dict[str, str],
              ok: dict[str, np.ndarray]) -> dict[str, tuple[str, np.ndarray]]:
    """Median local position of each target in its body frame over the calibration frames."""
    tree = KinematicTree(model, {})
    pose = tree.pose(sol.R0, sol.o0, sol.q)
    out = {}
    for name, x in targets.items():
        b = bodies[name]
        loc = np.einsum("tji,tj->ti", pose.rotation[b], x - pose.origin[b])
        good = ok[name] & np.isfinite(loc).all(axis=1)
        if good.any():
            out[name] = (b, np.median(loc[good], axis=0))
    return out


def _landmark_positions(sol: IKSolution, model: BodyModel, frame: int | None = None) -> dict[str, np.ndarray]:
    pts = model.landmarks()
    tree = KinematicTree(model, pts)
    p = tree.points(sol.R0, sol.o0, sol.q)
    if frame is None:
        return {n: p[:, i] for i, n in enumerate(tree.point_names)}
    return {n: p[frame, i] for i, n in enumerate(tree.point_names)}


# Shoulder girdle and arms: with the upper arm elevated beyond the "setting phase" (about 30
# deg of abduction, Inman et al. 1944) the scapula elevates and rotates upward with the
# humerus, carrying the acromion markers and the glenohumeral centre with it. The model has
# no scapula (its shoulders are fixed in the thorax), so a static trial with raised arms
# (a T-pose) cannot place them: those lengths and markers are calibrated on the recording's
# frames with both arms down instead (`_arms_down_frames`).
ARMS_DOWN_MAX_DEG = 30.0
UPPER_LENGTHS = ("trunk_length", "neck_forward", "shoulder_width", "shoulder_forward", "shoulder_down",
                 "head_length", "upper_arm", "forearm", "hand")
UPPER_BODIES = ("torso", "head", "l_upper_arm", "r_upper_arm", "l_forearm", "r_forearm", "l_hand", "r_hand")
_UPPER_POINTS = {"neck", "head", "l_head_side", "r_head_side"} | {
    f"{s}_{p}" for s in "lr" for p in ("shoulder", "elbow", "wrist", "hand")}
_MIN_ARMS_DOWN_FRAMES = 10


def arm_elevation_deg(jc: Motion) -> np.ndarray:
    """(T, 2) elevation of the left and right upper arm (deg): the angle between shoulder ->
    elbow and the trunk's downward axis (neck -> mid-hip or L5/S1); NaN where unknown.

    Parameters
    ----------
    jc : Motion
        Canonical joint centres (m).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> bool((arm_elevation_deg(neutral_body(n_frames=2)) < 10).all())
    True
    """
    out = np.full((jc.n_frames, 2), np.nan)
    base = "mid_hip" if "mid_hip" in jc else "l5s1"
    if "neck" not in jc or base not in jc:
        return out
    down = jc[base] - jc["neck"]
    for k, s in enumerate("lr"):
        if jc.has(f"{s}_shoulder", f"{s}_elbow"):
            arm = jc[f"{s}_elbow"] - jc[f"{s}_shoulder"]
            out[:, k] = np.degrees(np.arctan2(np.linalg.norm(np.cross(arm, down), axis=1),
                                              np.sum(arm * down, axis=1)))
    return out


def _frames(m: Motion, keep: np.ndarray) -> Motion:
    conf = None if m.confidence is None else m.confidence[keep]
    return m.replace(time_s=m.time_s[keep], positions_m=m.positions_m[keep], confidence=conf)


def _arms_down_frames(jc_static: Motion, jc_rec: Motion) -> np.ndarray | None:
    """Frames of the recording with both upper arms within ``ARMS_DOWN_MAX_DEG`` of the trunk,
    when the static trial's arms are raised beyond it (median, either side) and the recording
    has at least ``_MIN_ARMS_DOWN_FRAMES`` such frames; else None."""
    el = arm_elevation_deg(jc_static)
    if not np.isfinite(el).any() or not (np.nanmedian(el, axis=0) > ARMS_DOWN_MAX_DEG).any():
        return None
    rec = arm_elevation_deg(jc_rec)
    down = np.all(rec <= ARMS_DOWN_MAX_DEG, axis=1)   # NaN compares False
    return down if down.sum() >= _MIN_ARMS_DOWN_FRAMES else None


def _calibration_fit(jc: Motion, model: BodyModel, settings: FitSettings, kind: str, what, markers: Motion,
                     zero: set[str] = frozenset()):
    """IK of the model to a calibration trial's joint centres (+ knee/ankle axis markers);
    targets named in `zero` get no weight. (solution, RMS residual per target)."""
    landmarks = model.landmarks()
    extrapolated = set(jc.meta.get("extrapolated_points", ()))
    names = [n for n in landmarks if n in jc]
    pts = {n: landmarks[n] for n in names}
    X = jc.points(names)
    w = _weights(jc, names) * np.array([0.0 if n in zero else 0.3 if n in extrapolated else 1.0 for n in names])
    prior = _pelvis_prior(jc)
    if prior is not None:
        pts[_PRIOR] = ("pelvis", np.array([0.0, 0.0, _PRIOR_LEN_M]))
        X = np.concatenate([X, prior[:, None]], axis=1)
        w = np.concatenate([w, np.full((jc.n_frames, 1), settings.pelvis_prior_weight)], axis=1)
    if kind == "markers":
        axis_pts, axis_X = _axis_targets(markers, what, model)
        pts.update(axis_pts)
        X = np.concatenate([X, axis_X], axis=1)
        w = np.concatenate([w, np.ones(axis_X.shape[:2])], axis=1)
    sol = solve_ik(model, pts, X, w, settings.ik)
    rms = {n: float(np.sqrt(np.nanmean(sol.residual_m[:, i] ** 2)))
           for i, n in enumerate(pts) if not n.startswith("_") and n not in zero}
    return sol, rms


def fit_body_model(motion: Motion, subject: Subject, *, static: Motion | None = None,
                   weights: dict[str, np.ndarray] | None = None,
                   settings: FitSettings = FitSettings(), measurements=None) -> BodyFit:
    """Scale the body model to a subject and fit it to every frame of a recording.

    Parameters
    ----------
    motion : Motion
        Keypoints of a registered skeleton (MediaPipe 33, COCO 17, Body25, Halpe 26, Pose2Sim),
        mocap markers (Plug-in Gait, the gait2354 set), or canonical joint centres; m, Z-up
        world frame.
    subject : Subject
    static : Motion, optional
        Static calibration trial (same markers); scaling and marker registration use it.
    weights : dict name -> (T,) array, optional
        Per-frame weights of some points (replace the confidence-based ones).
    settings : FitSettings
    measurements : dict or PlugInGaitMeasurements, optional
        Plug-in Gait subject measurements (mm: leg length, knee and ankle widths) for the
        joint centres of the calibration trial (`joint_centres_from_markers`).

    Returns
    -------
    BodyFit

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> fit = fit_body_model(neutral_body(n_frames=3), Subject("male", 80.0, 1.78))
    >>> fit.rms_residual_m() < 0.01, fit.joint_centres.n_frames
    (True, 3)
    """
    kind, what = _kind(motion)
    calib = static if static is not None else motion
    jc_cal = _joint_centres(calib, kind, what, subject, None, measurements)
    label = "static trial" if static is not None else "recording"
    report = scale_geometry(jc_cal, subject, min_confidence=settings.min_confidence, calibration=label)
    # a static trial with raised arms: shoulder girdle and arms from the recording's arms-down frames
    up_markers = jc_up = None
    if static is not None and kind == "markers":
        jc_rec = _joint_centres(motion, kind, what, subject, static, measurements)
        down = _arms_down_frames(jc_cal, jc_rec)
        if down is not None:
            up_markers, jc_up = _frames(motion, down), _frames(jc_rec, down)
            up = scale_geometry(jc_up, subject, min_confidence=settings.min_confidence)
            merged = {**report.geometry.as_dict(), **{k: v for k, v in up.geometry.as_dict().items()
                                                       if k in UPPER_LENGTHS}}
            g_dict = build_model(subject).geometry.as_dict()
            factors = {k: (merged[k] / g_dict[k] if g_dict[k] != 0 else 1.0) for k in g_dict}
            measured = {**report.measured, **{k: v for k, v in up.measured.items() if k in UPPER_LENGTHS}}
            geometry = type(report.geometry)(**merged, unscaled=tuple(k for k in g_dict if k not in measured))
            report = ScalingReport(geometry=geometry, measured=measured, scale_factors=factors,
                                   calibration=f"static trial (shoulder girdle and arms: {int(down.sum())} "
                                               "arms-down frames of the recording; the static trial's arms "
                                               "are raised)")
    model = build_model(subject, report.geometry)
    landmarks = model.landmarks()

    # 3. calibration fit to the joint centres
    cal_sol, cal_rms = _calibration_fit(jc_cal, model, settings, kind, what, calib,
                                        _UPPER_POINTS if jc_up is not None else frozenset())
    up_sol = None
    if jc_up is not None:
        up_sol, up_rms = _calibration_fit(jc_up, model, settings, kind, what, up_markers)
        cal_rms.update({n: v for n, v in up_rms.items() if n in _UPPER_POINTS})

    # 4. markers: fixed joint-centre markers and registered ones
    fixed: dict[str, str] = {}
    bodies: dict[str, str] = {}
    if kind == "canonical":
        fixed = {n: n for n in motion.point_names if n in landmarks}
    elif kind == "keypoints":
        fixed = {k: v for k, v in joint_centre_markers(what).items() if k in motion}
        for canon, srcs in what.to_canonical.items():
            for s in srcs:
                if s in motion and s not in fixed and canon in landmarks:
                    bodies.setdefault(s, landmarks[canon][0])
    else:
        bodies.update({k: v for k, v in role_bodies(what).items() if k in motion})
    to_register = [n for n in motion.point_names if n not in fixed and n in calib
                   and (kind != "canonical" or n in CANONICAL_POINTS)]  # not the lifted object ("box")
    # (the static calibration's upper body is not fitted when its arms are raised: vote on the arms-down frames)
    vote_m, vote_sol = (calib, cal_sol) if up_sol is None else (up_markers, up_sol)
    lm0 = _landmark_positions(vote_sol, model)
    unknown = [n for n in to_register if n not in bodies]
    if unknown:
        # nearest segment, voted over the calibration frames where the marker is seen
        votes: dict[str, dict[str, int]] = {n: {} for n in unknown}
        for t in np.linspace(0, vote_m.n_frames - 1, min(vote_m.n_frames, 15)).astype(int):
            seen = [n for n in unknown if n in vote_m and np.isfinite(vote_m[n][t]).all()]
            if seen:
                for n, b in zip(seen, nearest_body(vote_m.points(seen)[t], {k: v[t] for k, v in lm0.items()}),
                                strict=True):
                    votes[n][b] = votes[n].get(b, 0) + 1
        bodies.update({n: max(v, key=v.get) for n, v in votes.items() if v})
    to_register = [n for n in to_register if n in bodies]
    upper = {n for n in to_register if up_sol is not None and bodies[n] in UPPER_BODIES and n in up_markers}
    lower = [n for n in to_register if n not in upper]
    conf_ok = {n: (calib.point_confidence(n) >= settings.min_confidence) for n in lower}
    registered = _register(cal_sol, model, {n: calib[n] for n in lower}, bodies, conf_ok)
    extras = {n: b for n, b in EXTRA_LANDMARKS.items() if n in jc_cal}
    extra_lm = _register(cal_sol, model, {n: jc_cal[n] for n in extras if n not in _UPPER_POINTS or up_sol is None},
                         extras, {n: np.ones(calib.n_frames, bool) for n in extras})
    if up_sol is not None:  # shoulder girdle and arms: on the recording's arms-down frames
        registered.update(_register(up_sol, model, {n: up_markers[n] for n in upper}, bodies,
                                    {n: up_markers.point_confidence(n) >= settings.min_confidence for n in upper}))
        extra_lm.update(_register(up_sol, model, {n: jc_up[n] for n in extras if n in _UPPER_POINTS and n in jc_up},
                                  extras, {n: np.ones(jc_up.n_frames, bool) for n in extras}))
    markers = {**{k: landmarks[v] for k, v in fixed.items()}, **registered}
    if not markers:
        raise DataQualityError(f"{motion.source or 'motion'}: no point of the recording could be attached to the "
                               "body model")
    model = model.with_markers(markers, "canonical" if kind == "canonical" else getattr(what, "name", what))

    # 5. inverse kinematics of the recording
    names = list(markers)
    pts = dict(markers)
    X = motion.points(names)
    W = _weights(motion, names)
    if kind == "markers":
        rw = role_weights(what)
        W = W * np.array([rw.get(n, 1.0) for n in names])[None, :]
    if weights:
        for n, wv in weights.items():
            if n in names:
                W[:, names.index(n)] = np.asarray(wv, float)
    if kind != "markers":
        jc_m = jc_cal if static is None else _joint_centres(motion, kind, what, subject, None)
        prior = _pelvis_prior(jc_m)
        if prior is not None:
            pts[_PRIOR] = ("pelvis", np.array([0.0, 0.0, _PRIOR_LEN_M]))
            X = np.concatenate([X, prior[:, None]], axis=1)
            W = np.concatenate([W, np.full((motion.n_frames, 1), settings.pelvis_prior_weight)], axis=1)
    init = cal_sol if static is None else None
    sol = solve_ik(model, pts, X, W, settings.ik, init=init)
    nm = len(names)
    W_last = W
    for _ in range(settings.reweight_iterations):
        r = sol.residual_m[:, :nm]
        rms = np.sqrt(np.nanmean(np.where(W[:, :nm] > 0, r, np.nan) ** 2, axis=0))
        rms = np.maximum(np.nan_to_num(rms, nan=settings.residual_floor_m), settings.residual_floor_m)
        quality = (settings.residual_floor_m / rms) ** 2
        outlier = np.minimum(1.0, (2.5 * rms / np.maximum(np.nan_to_num(r), 1e-9)) ** 2)
        W2 = W.copy()
        W2[:, :nm] = W[:, :nm] * quality[None, :] * outlier
        if nm < W.shape[1]:  # the virtual pelvis prior keeps its weight relative to a good marker
            W2[:, nm:] = W[:, nm:] * float(np.max(quality))
        sol = solve_ik(model, pts, X, W2, settings.ik, init=sol)
        W_last = W2
    seen = (np.where(np.isfinite(X).all(axis=2), W, 0.0) > 0).sum(axis=1) >= 3
    fit = _result(model, motion, sol, seen, names, report, cal_rms, extra_lm, jc_cal.meta)
    fit.marker_weights = pd.DataFrame(W_last[:, :nm], index=fit.marker_residuals_m.index, columns=names)
    fit.ik_points, fit.ik_targets, fit.ik_weights = pts, X, W_last
    return fit


def calibration_joint_centres(motion: Motion, subject: Subject, static: Motion | None = None) -> Motion:
    """The joint centres `fit_body_model` scales the model on (step 1 of the module docstring):
    those of the static trial when given, else of the recording.

    Parameters
    ----------
    motion : Motion
        The recording (keypoints, markers or canonical joint centres; m, Z-up).
    subject : Subject
    static : Motion, optional
        Static calibration trial (same markers).

    Returns
    -------
    Motion
        Canonical joint centres of the calibration trial.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> calibration_joint_centres(neutral_body(n_frames=2), Subject("male", 80.0, 1.78)).has("l_hip", "neck")
    True
    """
    kind, what = _kind(motion)
    return _joint_centres(static if static is not None else motion, kind, what, subject, None)


def arms_down_joint_centres(motion: Motion, subject: Subject, static: Motion | None = None) -> Motion | None:
    """The recording's joint centres at the frames `fit_body_model` calibrates the shoulder
    girdle and arms on (`UPPER_LENGTHS`): the frames with both arms down, when the static
    trial's arms are raised (mocap markers only); else None (everything from the static trial).

    Parameters
    ----------
    motion : Motion
        The recording (markers; m, Z-up).
    subject : Subject
    static : Motion, optional
        Static calibration trial (same markers).

    Returns
    -------
    Motion or None

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> arms_down_joint_centres(neutral_body(n_frames=2), Subject("male", 80.0, 1.78)) is None
    True
    """
    kind, what = _kind(motion)
    if static is None or kind != "markers":
        return None
    jc_cal = _joint_centres(static, kind, what, subject, None)
    jc_rec = _joint_centres(motion, kind, what, subject, static)
    down = _arms_down_frames(jc_cal, jc_rec)
    return None if down is None else _frames(jc_rec, down)


def fitted_joint_centres(canon: Motion, subject: Subject) -> Motion:
    """The joint centres of liftrisk's body model scaled to the subject and fitted to `canon`
    by inverse kinematics (`liftrisk.bodymodel.fit_body_model`): every segment length is the
    same in every frame. Points the model does not carry (e.g. ``box``) are kept as they are;
    the fit's RMS residual (m) and scale factors go to ``meta["body_model"]``.

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m, Z-up world frame), e.g. after gap filling and filtering.
    subject : Subject

    Returns
    -------
    Motion
        The fitted model's canonical joint centres (and the other points of `canon`).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> m = fitted_joint_centres(neutral_body(n_frames=5), Subject("male", 80, 1.78))
    >>> m.meta["body_model"]["rms_residual_m"] < 0.01
    True
    """
    return fit_joint_centres(canon, subject)[0]


def fit_joint_centres(canon: Motion, subject: Subject) -> tuple[Motion, LinearisedFit]:
    """`fitted_joint_centres` and the fit linearised at its solution (`LinearisedFit`), which
    moves the fitted joint centres with perturbed targets (the Monte Carlo draws of
    `liftrisk.uncertainty`).

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m, Z-up world frame), e.g. after gap filling and filtering.
    subject : Subject

    Returns
    -------
    (Motion, LinearisedFit)

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> canon = neutral_body(n_frames=5)
    >>> m, lin = fit_joint_centres(canon, Subject("male", 80, 1.78))
    >>> same = lin.joint_centres(canon, np.arange(5))  # the targets as fitted: the fitted points
    >>> bool(np.allclose(same.points(m.point_names), m.positions_m, atol=1e-12, equal_nan=True))
    True
    """
    known = [n for n in canon.point_names if n in CANONICAL_POINTS or n in EXTRA_LANDMARKS]
    fit = fit_body_model(canon.select(known), subject)
    out = fit.joint_centres.select([n for n in fit.joint_centres.point_names if n in canon])
    rest = {n: canon[n] for n in canon.point_names if n not in out}
    if rest:
        out = out.with_points(rest)
    out = out.replace(meta={**canon.meta, "body_model": fit_summary(fit, "joint centres")}, source=canon.source)
    return out, LinearisedFit(fit, [n for n in fit.joint_centres.point_names if n in canon])


class LinearisedFit:
    """A body-model fit linearised at its solution: the fitted joint centres of perturbed
    targets (Monte Carlo draws) to first order, without a new fit.

    At the fit's solution the gradient of its cost ``sum_m w_m |p_m - x_m|^2 + lambda^2 |q|^2``
    vanishes, so for targets ``x + dx`` the first-order change of the pose (pelvis origin,
    pelvis rotation vector, joint coordinates) is the Gauss-Newton step
    ``dq = (J^T W J + lambda^2 I_q)^-1 J^T W dx`` (J the analytic marker Jacobian of
    `liftrisk.bodymodel.forward` at the solution, W the weights of the fit's last pass), and
    the joint centres move by ``J_c dq`` (J_c: their Jacobian). The gain
    ``G = J_c (J^T W J + lambda^2 I_q)^-1 J^T W`` is computed once per frame and shared by all
    draws, so a draw costs one small matrix-vector product per frame. The moved points are
    the model's to first order: segment lengths change only to second order in the
    perturbation (sub-millimetre for the noise of the bands; measured in
    tests/bodymodel/test_linearised_fit.py, which also checks the points against a full
    refit of perturbed targets).

    Parameters
    ----------
    fit : BodyFit
        A fit of `fit_body_model` (with its ``ik_*`` fields).
    output : sequence of str
        The fitted joint centres to return (model points).
    settings : IKSettings
        The fit's inverse-kinematics settings (its regularisation).
    raw_targets : Motion, optional
        A fit to mocap markers (`fitted_marker_joint_centres`): the markers before gap filling
        and filtering (m), with the fit's per-marker residuals in ``meta["marker_residuals_m"]``.
        The Monte Carlo draws perturb these and filter them as the fit's targets were
        (`liftrisk.uncertainty.propagate`); None for a fit to joint centres.
    """

    def __init__(self, fit: BodyFit, output, settings: IKSettings = IKSettings(), raw_targets: Motion | None = None):
        if fit.ik_targets is None or fit.ik_weights is None:
            raise DataQualityError("LinearisedFit needs a BodyFit from fit_body_model (ik_targets, ik_weights)")
        # only what the step needs is kept (not the fit's per-frame body frames and residuals)
        self.solution = IKSolution(fit.solution.R0, fit.solution.o0, fit.solution.q, np.empty((0, 0)), 0,
                                   np.empty(0, bool))
        self.targets, self.weights = fit.ik_targets, fit.ik_weights
        self.model, self.points = fit.model, dict(fit.ik_points)
        self.target_tree = KinematicTree(fit.model, fit.ik_points)
        self.output_tree = KinematicTree(fit.model, {n: fit.output_points[n] for n in output})
        self.names = [n for n in fit.ik_points if not n.startswith("_")]
        self.lam2 = settings.regularisation_m_per_rad ** 2
        self.seen = np.isfinite(fit.joint_centres.positions_m).all(axis=(1, 2))
        self.raw_targets = raw_targets

    @property
    def n_frames(self) -> int:
        """Frames of the fit."""
        return int(self.targets.shape[0])

    def gain(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The joint centres at the fit's `frames` (F, P, 3) and their gain G (F, 3 P, 3 M):
        the first-order change of the fitted points per change of the targets.

        Parameters
        ----------
        frames : (F,) int array
            Frames of the fit.

        Returns
        -------
        (p0, G) : (F, P, 3) m and (F, 3 P, 3 M) dimensionless
        """
        frames = np.asarray(frames, int)
        parts = [self._gain_block(frames[s:s + 256]) for s in range(0, max(frames.size, 1), 256)]
        return np.concatenate([p for p, _ in parts]), np.concatenate([g for _, g in parts])

    def _gain_block(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`gain` of up to a few hundred frames (the Jacobians are the large temporaries)."""
        sol, tree = self.solution, self.target_tree
        pose = tree.pose(sol.R0[frames], sol.o0[frames], sol.q[frames])
        J = tree.jacobian(pose, tree.points_from_pose(pose))          # (F, M, 3, 6 + n)
        w = np.where(np.isfinite(self.targets[frames]).all(axis=2), self.weights[frames], 0.0)
        F, M, _, nc = J.shape
        JtW = (J * w[:, :, None, None]).reshape(F, 3 * M, nc).transpose(0, 2, 1)
        A = JtW @ J.reshape(F, 3 * M, nc)
        diag = np.arange(6, nc)
        A[:, diag, diag] += self.lam2
        A[:, np.arange(nc), np.arange(nc)] += 1e-12
        p0 = self.output_tree.points_from_pose(pose)
        Jc = self.output_tree.jacobian(pose, p0).reshape(F, -1, nc)    # (F, 3 P, 6 + n)
        return p0, Jc @ np.linalg.solve(A, JtW)

    def targets_of(self, motion: Motion) -> np.ndarray:
        """(T, M, 3) targets of the fit's points (`points`, same order) in a canonical motion, m:
        its joint centres and, for keypoint motions, the virtual pelvis-axis target (NaN where
        missing).

        Parameters
        ----------
        motion : Motion
            Canonical joint centres (m, Z-up world frame).

        Returns
        -------
        numpy.ndarray (T, M, 3)
        """
        nan = np.full((motion.n_frames, 3), np.nan)
        cols = [motion[n] if n in motion else nan for n in self.names]
        if len(self.names) < len(self.points):  # the virtual pelvis-axis target (keypoint motions)
            prior = _pelvis_prior(motion)
            cols.append(prior if prior is not None else nan)
        return np.stack(cols, axis=1)

    def joint_centres(self, draws: Motion, frames: np.ndarray, gain: tuple | None = None) -> Motion:
        """The fitted joint centres of perturbed targets (first order, class docstring).

        Parameters
        ----------
        draws : Motion
            Canonical points of D draws laid end to end (D x len(frames) frames, m); draw
            ``d``, frame ``i`` perturbs the targets of the fit's frame ``frames[i]``.
        frames : (F,) int array
            Frames of the fit the draws cover.
        gain : tuple, optional
            ``gain(frames)`` when already computed (it is the same for every draw).

        Returns
        -------
        Motion
            `draws` with the model's points replaced by the moved model's (NaN where the fit
            had fewer than 3 targets).
        """
        frames = np.asarray(frames, int)
        F = frames.size
        n_d = draws.n_frames // max(F, 1)
        if n_d * F != draws.n_frames:
            raise DataQualityError(f"{draws.n_frames} draw frames are not a multiple of {F} fit frames")
        X0 = self.targets[frames]
        dx = np.nan_to_num(self.targets_of(draws).reshape(n_d, F, *X0.shape[1:]) - X0[None])  # missing: not moved
        p0, G = self.gain(frames) if gain is None else gain
        p = p0[None] + (G[None] @ dx.reshape(n_d, F, -1, 1)).reshape(n_d, F, -1, 3)
        p = p.reshape(n_d * F, -1, 3)
        p[~np.tile(self.seen[frames], n_d)] = np.nan
        return draws.with_points({n: p[:, i] for i, n in enumerate(self.output_tree.point_names)})


def model_marker_set(motion: Motion) -> str | None:
    """The mocap marker set of `motion` that the body model carries virtual markers for
    (``"plugin_gait"``, ``"opensim_gait2354"``), or None (keypoints, canonical joint centres,
    unknown markers).

    Parameters
    ----------
    motion : Motion
        Points as read.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> model_marker_set(neutral_body(n_frames=2)) is None
    True
    """
    try:
        kind, what = _kind(motion)
    except DataQualityError:
        return None
    return what if kind == "markers" else None


def fit_summary(fit: BodyFit, route: str) -> dict:
    """What a fit reports (the assessment's ``meta["body_model"]``, the HTML report):
    the route, the calibration trial, the RMS residual (m), the scale factors, the scaled
    lengths (m) and each marker's RMS residual over the recording (m).

    Parameters
    ----------
    fit : BodyFit
    route : str
        How the model was fitted (e.g. ``"raw markers"``, ``"joint centres"``).

    Returns
    -------
    dict

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> info = fit_summary(fit_body_model(neutral_body(n_frames=3), Subject("male", 80, 1.78)), "joint centres")
    >>> info["calibration"], info["rms_residual_m"] < 0.01
    ('recording', True)
    """
    r = fit.marker_residuals_m
    per_marker = np.sqrt(np.nanmean(r.to_numpy() ** 2, axis=0)) if r.size and np.isfinite(r.to_numpy()).any() \
        else np.full(r.shape[1], np.nan)
    return {"route": route, "calibration": fit.scaling.calibration, "marker_set": fit.model.marker_set,
            "rms_residual_m": fit.rms_residual_m(), "scale_factors": dict(fit.scaling.scale_factors),
            "lengths_m": fit.model.geometry.as_dict(),
            "marker_rms_m": {n: float(v) for n, v in zip(r.columns, per_marker, strict=True)}}


def fitted_marker_joint_centres(markers: Motion, subject: Subject, keep, *, static: Motion | None = None,
                                measurements=None, settings: FitSettings = FitSettings()
                                ) -> tuple[Motion, BodyFit]:
    """Joint centres of liftrisk's body model fitted by inverse kinematics to the *raw
    markers* of a mocap recording (`fit_body_model`: scaled on the static trial when given,
    else on the recording's robust lengths; per-marker weights from marker quality; joint
    limits), for the points `keep` only (what the markers define: a lower-body-only file
    gives no arm or trunk points even though the model has them).

    Parameters
    ----------
    markers : Motion
        Marker trajectories of a marker set the model supports (`model_marker_set`), m,
        Z-up world frame; gap-filled and filtered as the caller wants them.
    subject : Subject
    keep : iterable of str
        Canonical point names to return (e.g. those the frame-by-frame joint centres have).
    static : Motion, optional
        Static trial (same markers): scaling and marker registration.
    measurements : dict, optional
        Plug-in Gait subject measurements (mm).
    settings : FitSettings

    Returns
    -------
    motion : Motion
        The fitted model's canonical joint centres among `keep` (m); ``meta["body_model"]``
        is `fit_summary`.
    fit : BodyFit
        The whole fit (per-frame marker residuals, coordinates, segment frames).
    """
    fit = fit_body_model(markers, subject, static=static, settings=settings, measurements=measurements)
    keep = set(keep)
    out = fit.joint_centres.select([n for n in fit.joint_centres.point_names if n in keep])
    meta = {**out.meta, "body_model": fit_summary(fit, "raw markers")}
    return out.replace(meta=meta, source=markers.source), fit


def _result(model, motion, sol, seen, names, report, cal_rms, extra_lm, jc_meta) -> BodyFit:
    t = motion.time_s
    nan = ~seen
    lm = {**model.landmarks(), **extra_lm}
    tree = KinematicTree(model, lm)
    pose = tree.pose(sol.R0, sol.o0, sol.q)
    p = tree.points_from_pose(pose)
    p[nan] = np.nan
    meta = {"skeleton": "canonical", "from_body_model": model.marker_set, "source_skeleton": model.marker_set}
    if NECK_NEUTRAL_KEY in jc_meta:
        meta[NECK_NEUTRAL_KEY] = jc_meta[NECK_NEUTRAL_KEY]
    jc = Motion(time_s=t, positions_m=p, point_names=tree.point_names, rate_hz=motion.rate_hz,
                source=motion.source, meta=meta)
    euler = euler_from_matrix(sol.R0, "ZYX")
    cols = {"pelvis_tx": sol.o0[:, 0], "pelvis_ty": sol.o0[:, 1], "pelvis_tz": sol.o0[:, 2],
            "pelvis_rotation": euler[:, 0], "pelvis_tilt": euler[:, 1], "pelvis_list": euler[:, 2]}
    for i, c in enumerate(model.coordinates):
        cols[c.name] = sol.q[:, i]
    coords = pd.DataFrame(cols, index=pd.Index(t, name="time_s"))[list(ROOT_COORDINATES) + [c.name for c in
                                                                                            model.coordinates]]
    coords[nan] = np.nan
    frames = {b: homogeneous(pose.rotation[b], pose.origin[b]) for b in model.body_names}
    for f in frames.values():
        f[nan] = np.nan
    res = pd.DataFrame(sol.residual_m[:, :len(names)], index=pd.Index(t, name="time_s"), columns=names)
    return BodyFit(model=model, coordinates=coords, joint_centres=jc, segment_frames=frames,
                   marker_residuals_m=res, scaling=report, calibration_residuals_m=cal_rms, solution=sol,
                   output_points=lm)
