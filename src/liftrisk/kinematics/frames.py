"""Segment coordinate frames from canonical joint centres, as (T, 4, 4) homogeneous transforms.

Convention (documented in docs/kinematics.md)
---------------------------------------------
Every segment frame is right-handed with, in the anatomical standing posture,
**X anterior, Y to the worker's left, Z superior (proximal)**, i.e. the ISB axes
(Wu et al. 2002, 2005: X anterior, Y superior, Z right) relabelled so that a body in the
anatomical posture facing +X has every segment frame equal to the world frame (Z up, X
forward, Y left). Joint angles are Cardan angles of the distal frame in the proximal
frame, sequence Y (flexion) - X (lateral bend / abduction) - Z (axial rotation), which
is the ISB order (flexion about the medio-lateral axis first, axial rotation last).

Each frame's Z axis is the segment's long axis (distal -> proximal joint centre); its Y
axis is a medio-lateral reference made perpendicular to Z; X = Y x Z.

=========  =============================  ==========================================================
segment    origin                         axes
=========  =============================  ==========================================================
pelvis     mid_hip                        Y: r_hip -> l_hip. Z: with pelvis markers (``l_asis``,
                                          ``r_asis``, ``sacrum``), perpendicular to the ASIS-sacrum
                                          plane; otherwise (keypoints: pelvic tilt is not observable)
                                          the vertical tilted about Y by `PELVIS_TILT_FRACTION` of the
                                          trunk's (mid_hip -> neck) inclination (see docs).
trunk      l5s1 (mid_hip if absent)       Z: origin -> neck; Y: r_shoulder -> l_shoulder.
head       neck                           Z: neck -> head; Y: ``r_head_side`` -> ``l_head_side`` when
                                          present, else the trunk Y.
upper arm  shoulder                       Z: elbow -> shoulder; Y: normal of the arm plane when the
                                          elbow is bent (> 10 deg), else the trunk Y.
forearm    elbow                          Z: wrist -> elbow; Y: as the upper arm.
hand       wrist                          Z: hand -> wrist; Y: forearm Y.
thigh      hip                            Z: knee -> hip; Y: pelvis Y.
shank      knee                           Z: ankle -> knee; Y: pelvis Y.
foot       ankle                          X: heel -> toe; Y: pelvis Y; Z = X x Y.
=========  =============================  ==========================================================

Frames are NaN in frames where a needed point is missing.
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.rotations import homogeneous, unit

__all__ = ["SEGMENTS", "PELVIS_TILT_FRACTION", "keypoint_pelvis_up", "segment_frames", "frame_from_z_y",
           "frame_from_x_y", "to_local", "to_global", "pelvis_frames_from_markers"]

SEGMENTS = ("pelvis", "trunk", "head",
            "l_upper_arm", "r_upper_arm", "l_forearm", "r_forearm", "l_hand", "r_hand",
            "l_thigh", "r_thigh", "l_shank", "r_shank", "l_foot", "r_foot")

_WORLD_Y = np.array([0.0, 1.0, 0.0])

# Keypoints show the trunk but not the pelvis: the pelvis is assumed to take this share of
# the trunk's forward inclination, the lumbar spine the rest. Assumption: lumbar flexion and
# pelvic rotation contribute roughly equally to forward bending over its range (the
# "lumbo-pelvic rhythm", e.g. Esola MA et al. (1996) Spine 21:71-78); not fitted here.
PELVIS_TILT_FRACTION = 0.5


def keypoint_pelvis_up(hip_y, trunk_axis, fraction: float = PELVIS_TILT_FRACTION) -> np.ndarray:
    """(T, 3) pelvis superior axis when only hips and trunk are known.

    The world vertical and the trunk axis are both made perpendicular to the hip line; the
    pelvis axis is the vertical rotated about the hip line by `fraction` of the angle
    between them (0: pelvis upright, 1: pelvis tilted with the trunk). Frames without a
    trunk axis get the vertical.

    Parameters
    ----------
    hip_y : array_like
        (T, 3) right -> left hip direction (world frame).
    trunk_axis : array_like
        (T, 3) trunk superior direction (world frame; NaN rows allowed).
    fraction : float
        Share of the trunk's tilt given to the pelvis (0-1, dimensionless).

    Returns
    -------
    numpy.ndarray
        (T, 3) unit pelvis superior axes (world frame).

    Examples
    --------
    >>> up = keypoint_pelvis_up([[0, 1.0, 0]], [[1.0, 0, 1.0]], 0.5)   # trunk 45 deg forward
    >>> float(np.round(np.degrees(np.arctan2(up[0, 0], up[0, 2])), 6))
    22.5
    """
    y = unit(np.atleast_2d(np.asarray(hip_y, float)))
    t = np.atleast_2d(np.asarray(trunk_axis, float))
    zw = np.broadcast_to([0.0, 0.0, 1.0], y.shape)
    u = unit(zw - np.sum(zw * y, axis=1, keepdims=True) * y)
    tt = unit(t - np.sum(t * y, axis=1, keepdims=True) * y)
    ang = np.arctan2(np.sum(np.cross(u, tt) * y, axis=1), np.sum(u * tt, axis=1))
    ang = np.where(np.isfinite(ang), ang, 0.0) * fraction
    return np.cos(ang)[:, None] * u + np.sin(ang)[:, None] * np.cross(y, u)


def frame_from_z_y(origin_m, z_dir, y_hint) -> np.ndarray:
    """(T, 4, 4) frames with Z along `z_dir` and Y the part of `y_hint` perpendicular to Z.

    X = Y x Z completes a right-handed frame. All inputs are (T, 3) in the world frame.

    Parameters
    ----------
    origin_m : array_like
        (T, 3) frame origins (m, world frame).
    z_dir : array_like
        (T, 3) direction of the Z axis (any length).
    y_hint : array_like
        (T, 3) approximate Y direction.

    Returns
    -------
    numpy.ndarray
        (T, 4, 4) right-handed homogeneous frames.

    Examples
    --------
    >>> f = frame_from_z_y(np.zeros((1, 3)), [[0, 0, 2.0]], [[0.0, 1.0, 0.5]])
    >>> np.round(f[0, :3, :3], 6).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    z = unit(np.asarray(z_dir, float))
    x = unit(np.cross(np.asarray(y_hint, float), z))
    y = np.cross(z, x)
    return homogeneous(np.stack([x, y, z], axis=-1), np.asarray(origin_m, float))


def frame_from_x_y(origin_m, x_dir, y_hint) -> np.ndarray:
    """(T, 4, 4) frames with X along `x_dir` and Y the part of `y_hint` perpendicular to X.

    Parameters
    ----------
    origin_m : array_like
        (T, 3) frame origins (m, world frame).
    x_dir : array_like
        (T, 3) direction of the X axis (any length).
    y_hint : array_like
        (T, 3) approximate Y direction.

    Returns
    -------
    numpy.ndarray
        (T, 4, 4) right-handed homogeneous frames.

    Examples
    --------
    >>> f = frame_from_x_y(np.zeros((1, 3)), [[1.0, 0, 0]], [[0, 1.0, 0]])
    >>> f[0, :3, 2].tolist()
    [0.0, 0.0, 1.0]
    """
    x = unit(np.asarray(x_dir, float))
    z = unit(np.cross(x, np.asarray(y_hint, float)))
    y = np.cross(z, x)
    return homogeneous(np.stack([x, y, z], axis=-1), np.asarray(origin_m, float))


def _get(motion: Motion, name: str) -> np.ndarray | None:
    return np.asarray(motion[name]) if name in motion else None


def _nan(t: int) -> np.ndarray:
    return np.full((t, 3), np.nan)


def _prefer(primary: np.ndarray, fallback: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok[:, None], primary, fallback)


def segment_frames(motion: Motion, segments=None,
                   pelvis_tilt_fraction: float = PELVIS_TILT_FRACTION) -> dict[str, np.ndarray]:
    """Segment coordinate frames (T, 4, 4) in the world frame from canonical joint centres.

    Parameters
    ----------
    motion : Motion
        Canonical points (see `liftrisk.kinematics.joint_centres`), in m, world frame.
    segments : iterable of str, optional
        Subset of `SEGMENTS` (default all). Segments whose points are absent are NaN.
    pelvis_tilt_fraction : float
        Without pelvis markers, the share of the trunk's inclination given to the pelvis
        (see `keypoint_pelvis_up`).

    Returns
    -------
    dict of str -> array (T, 4, 4)
        Rotation (columns = segment X, Y, Z axes in world coordinates) and origin (m).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> f = segment_frames(neutral_body(), ["trunk"])["trunk"]
    >>> np.round(f[0, :3, :3], 6).tolist()   # anatomical posture: trunk frame = world
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    want = tuple(SEGMENTS if segments is None else segments)
    bad = [s for s in want if s not in SEGMENTS]
    if bad:
        raise DataQualityError(f"unknown segment(s) {bad}; expected some of {', '.join(SEGMENTS)}")
    t = motion.n_frames
    p = {n: _get(motion, n) for n in (
        "mid_hip", "l5s1", "neck", "head", "l_hip", "r_hip", "l_shoulder", "r_shoulder",
        "l_asis", "r_asis", "sacrum", "l_head_side", "r_head_side")}
    for s in ("l", "r"):
        for j in ("elbow", "wrist", "hand", "knee", "ankle", "heel", "toe", "shoulder", "hip"):
            p[f"{s}_{j}"] = _get(motion, f"{s}_{j}")
    miss = _nan(t)

    def g(name):
        v = p.get(name)
        return miss if v is None else v

    mid_hip = p["mid_hip"] if p["mid_hip"] is not None else 0.5 * (g("l_hip") + g("r_hip"))
    hip_y = g("l_hip") - g("r_hip")
    sh_y = g("l_shoulder") - g("r_shoulder")
    trunk_y = _prefer(sh_y, hip_y, np.isfinite(sh_y).all(axis=1))
    trunk_origin = p["l5s1"] if p["l5s1"] is not None else mid_hip
    trunk_axis = g("neck") - trunk_origin

    out: dict[str, np.ndarray] = {}
    # pelvis
    if p["l_asis"] is not None and p["r_asis"] is not None and p["sacrum"] is not None:
        ant = 0.5 * (p["l_asis"] + p["r_asis"]) - p["sacrum"]
        pel = homogeneous(_reorthonormal_y_first(hip_y, ant), mid_hip)
    else:
        neck_axis = g("neck") - mid_hip
        pel = frame_from_z_y(mid_hip, keypoint_pelvis_up(hip_y, neck_axis, pelvis_tilt_fraction), hip_y)
    out["pelvis"] = pel
    pel_y = pel[:, :3, 1]
    trunk = frame_from_z_y(trunk_origin, trunk_axis, trunk_y)
    out["trunk"] = trunk
    head_y = trunk[:, :3, 1]
    if p["l_head_side"] is not None and p["r_head_side"] is not None:
        head_y = p["l_head_side"] - p["r_head_side"]
    out["head"] = frame_from_z_y(g("neck"), g("head") - g("neck"), head_y)
    for s in ("l", "r"):
        sh, el, wr, ha = g(f"{s}_shoulder"), g(f"{s}_elbow"), g(f"{s}_wrist"), g(f"{s}_hand")
        upper = sh - el
        fore = el - wr
        # arm-plane normal: points left for both arms when the elbow flexes forward
        n = np.cross(fore, upper)
        bent = np.linalg.norm(unit(n), axis=1) > 0  # finite
        sin_e = np.linalg.norm(np.cross(unit(fore), unit(upper)), axis=1)
        use_n = bent & (sin_e > np.sin(np.deg2rad(10.0)))
        arm_y = _prefer(n, trunk[:, :3, 1], use_n)
        out[f"{s}_upper_arm"] = frame_from_z_y(sh, upper, arm_y)
        fa = frame_from_z_y(el, fore, arm_y)
        out[f"{s}_forearm"] = fa
        out[f"{s}_hand"] = frame_from_z_y(wr, wr - ha, fa[:, :3, 1])
        hip, knee, ank = g(f"{s}_hip"), g(f"{s}_knee"), g(f"{s}_ankle")
        out[f"{s}_thigh"] = frame_from_z_y(hip, hip - knee, pel_y)
        out[f"{s}_shank"] = frame_from_z_y(knee, knee - ank, pel_y)
        out[f"{s}_foot"] = frame_from_x_y(ank, g(f"{s}_toe") - g(f"{s}_heel"), pel_y)
    return {k: out[k] for k in want}


def _proj(v: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.sum(v * u, axis=-1, keepdims=True) * u


def _reorthonormal_y_first(y_dir: np.ndarray, x_hint: np.ndarray) -> np.ndarray:
    """Rotation with Y exactly along y_dir and X the part of x_hint perpendicular to Y."""
    y = unit(y_dir)
    x = unit(x_hint - _proj(x_hint, y))
    z = np.cross(x, y)
    return np.stack([x, y, z], axis=-1)


def _check_frames(frames: np.ndarray) -> np.ndarray:
    f = np.asarray(frames, dtype=float)
    if f.shape[-2:] != (4, 4):
        raise DataQualityError(f"frames have shape {f.shape}; expected (T, 4, 4) homogeneous transforms")
    return f


def to_local(points_m, frames) -> np.ndarray:
    """Express world points in segment frames: p_local = R^T (p - o).

    Parameters
    ----------
    points_m : array (T, 3) or (T, N, 3)
        Points in the world frame, m.
    frames : array (T, 4, 4)
        Segment frames (from `segment_frames`).

    Returns
    -------
    array, same shape as `points_m`
        Coordinates in each frame's axes, m.

    Examples
    --------
    >>> from liftrisk.kinematics.rotations import homogeneous, rotation_about
    >>> f = homogeneous(rotation_about("z", [np.pi / 2]), [[1.0, 0, 0]])
    >>> np.round(to_local([[1.0, 1.0, 0]], f), 6).tolist()
    [[1.0, 0.0, 0.0]]
    """
    f = _check_frames(frames)
    p = np.asarray(points_m, dtype=float)
    r, o = f[..., :3, :3], f[..., :3, 3]
    if p.ndim == 3:
        return np.einsum("tji,tnj->tni", r, p - o[:, None, :])
    return np.einsum("...ji,...j->...i", r, p - o)


def to_global(points_local_m, frames) -> np.ndarray:
    """Inverse of `to_local`: p = R p_local + o.

    Parameters
    ----------
    points_local_m : array_like
        (T, 3) points in the segment frames (m).
    frames : array_like
        (T, 4, 4) segment frames in the world frame (m).

    Returns
    -------
    numpy.ndarray
        (T, 3) the points in the world frame (m).

    Examples
    --------
    >>> from liftrisk.kinematics.rotations import homogeneous, rotation_about
    >>> f = homogeneous(rotation_about("z", [np.pi / 2]), [[1.0, 0, 0]])
    >>> np.round(to_global([[1.0, 0, 0]], f), 6).tolist()
    [[1.0, 1.0, 0.0]]
    """
    f = _check_frames(frames)
    p = np.asarray(points_local_m, dtype=float)
    r, o = f[..., :3, :3], f[..., :3, 3]
    if p.ndim == 3:
        return np.einsum("tij,tnj->tni", r, p) + o[:, None, :]
    return np.einsum("...ij,...j->...i", r, p) + o


def pelvis_frames_from_markers(r_asis, l_asis, sacrum) -> np.ndarray:
    """(T, 4, 4) pelvis frames at the ASIS mid-point: Y r->l ASIS, X anterior, Z superior.

    X is the sacrum (or PSIS mid-point) -> ASIS mid-point vector made perpendicular to Y.

    Parameters
    ----------
    r_asis, l_asis, sacrum : array_like
        (T, 3) right and left ASIS and sacrum (or PSIS mid-point) markers (m, world frame).

    Returns
    -------
    numpy.ndarray
        (T, 4, 4) pelvis frames (origin in m).

    Examples
    --------
    >>> f = pelvis_frames_from_markers([[0, -0.12, 1.0]], [[0, 0.12, 1.0]], [[-0.15, 0, 1.0]])
    >>> np.round(f[0, :3, :3], 6).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    ra, la, sa = (np.atleast_2d(np.asarray(a, float)) for a in (r_asis, l_asis, sacrum))
    mid = 0.5 * (ra + la)
    y = unit(la - ra)
    ant = mid - sa
    x = unit(ant - np.sum(ant * y, axis=1, keepdims=True) * y)
    z = np.cross(x, y)
    return homogeneous(np.stack([x, y, z], axis=-1), mid)
