"""Reference frames for pose output: camera-aligned -> liftrisk world (Z up, X forward,
Y to the worker's left), floor height, and stature from joint centres.

Camera frame (OpenCV and MediaPipe world landmarks): x image-right, y image-down, z away
from the camera. With a level camera, the liftrisk axes are X0 = z (away from the camera),
Y0 = -x, Z0 = -y (up); `CAMERA_TO_ZUP` is that proper rotation. `to_worker_frame` then
turns the motion about Z so X points where the worker faces (median over the recording of
left-to-right hip and shoulder axes) and puts Z = 0 on the floor (low percentile of the
feet's height).

Stature from joint centres uses the segment-length proportions of Drillis & Contini
(1966), as tabulated in Winter (2009) *Biomechanics and Motor Control of Human Movement*,
4th ed., Fig. 4.1: thigh (hip-knee) 0.245 H, shank (knee-ankle) 0.246 H, hip (greater
trochanter) to shoulder 0.818 H - 0.530 H = 0.288 H.
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.joint_centres import canonical_joint_centres
from liftrisk.kinetics.segments import segment_parameters

CAMERA_TO_ZUP = np.array([[0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])

# Drillis & Contini (1966) via Winter (2009) Fig. 4.1, fractions of stature H.
THIGH_PER_STATURE = 0.530 - 0.285
SHANK_PER_STATURE = 0.285 - 0.039
HIP_TO_SHOULDER_PER_STATURE = 0.818 - 0.530


def estimate_stature_m(motion: Motion, min_confidence: float = 0.5) -> float:
    """Stature implied by a motion's leg and trunk lengths (canonical names), m.

    ``H = (thigh + shank + hip-to-shoulder) / (0.245 + 0.246 + 0.288)`` with each length
    the median over frames (both sides averaged); frames where a point's confidence is
    below `min_confidence` are skipped.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m).
    min_confidence : float
        Points below this confidence (0-1) are ignored.

    Returns
    -------
    float
        Stature estimate (m); a clear error when the legs or trunk are never seen.

    Examples
    --------
    >>> pts = {"l_hip": [0, .1, .936], "r_hip": [0, -.1, .936], "l_knee": [0, .1, .503],
    ...        "r_knee": [0, -.1, .503], "l_ankle": [0, .1, .069], "r_ankle": [0, -.1, .069],
    ...        "l_shoulder": [0, .2, 1.445], "r_shoulder": [0, -.2, 1.445]}
    >>> m = Motion.from_points({k: np.array([v, v], float) for k, v in pts.items()}, rate_hz=1)
    >>> round(estimate_stature_m(m), 2)
    1.77
    """
    need = ("l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l_shoulder", "r_shoulder")
    missing = [n for n in need if n not in motion]
    if missing:
        raise DataQualityError(f"{motion.source or 'motion'}: cannot estimate stature without {missing}")

    def seg(a, b):
        d = np.linalg.norm(motion[a] - motion[b], axis=1)
        ok = (motion.point_confidence(a) >= min_confidence) & (motion.point_confidence(b) >= min_confidence)
        d = d[ok & np.isfinite(d)]
        return float(np.median(d)) if d.size else np.nan

    thigh = np.nanmean([seg("l_hip", "l_knee"), seg("r_hip", "r_knee")])
    shank = np.nanmean([seg("l_knee", "l_ankle"), seg("r_knee", "r_ankle")])
    mid_hip = (motion["l_hip"] + motion["r_hip"]) / 2
    mid_sh = (motion["l_shoulder"] + motion["r_shoulder"]) / 2
    conf = np.min(np.stack([motion.point_confidence(n) for n in need]), axis=0)
    trunk_d = np.linalg.norm(mid_sh - mid_hip, axis=1)
    trunk_d = trunk_d[(conf >= min_confidence) & np.isfinite(trunk_d)]
    trunk = float(np.median(trunk_d)) if trunk_d.size else np.nan
    h = (thigh + shank + trunk) / (THIGH_PER_STATURE + SHANK_PER_STATURE + HIP_TO_SHOULDER_PER_STATURE)
    if not np.isfinite(h) or h <= 0:
        raise DataQualityError(f"{motion.source or 'motion'}: hips, knees, ankles and shoulders are never seen "
                               "together with enough confidence to estimate the stature; film the whole body")
    return float(h)


def heading_rad(motion: Motion) -> float:
    """Direction the worker faces, angle about Z from +X (rad), median over frames.

    Forward = left x up, with left = (l_hip - r_hip) + (l_shoulder - r_shoulder) in the
    horizontal plane.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with hips or shoulders (m, Z-up).

    Returns
    -------
    float
        Heading angle about Z from +X (rad).
    """
    left = np.zeros((motion.n_frames, 3))
    n = 0
    for a, b in (("l_hip", "r_hip"), ("l_shoulder", "r_shoulder")):
        if a in motion and b in motion:
            left = left + (motion[a] - motion[b])
            n += 1
    if n == 0:
        raise DataQualityError(f"{motion.source or 'motion'}: needs l/r hips or shoulders to find the heading")
    fwd = np.cross(left, [0.0, 0.0, 1.0])
    ang = np.arctan2(fwd[:, 1], fwd[:, 0])
    ang = ang[np.isfinite(ang)]
    if ang.size == 0:
        raise DataQualityError(f"{motion.source or 'motion'}: hips/shoulders never seen; cannot find the heading")
    # circular median: rotate to the circular mean, take the median of the residuals
    mean = np.arctan2(np.sin(ang).mean(), np.cos(ang).mean())
    return float(mean + np.median(np.angle(np.exp(1j * (ang - mean)))))


def floor_height_m(motion: Motion, percentile: float = 5.0) -> float:
    """Floor height: a low percentile of the feet's lowest point over the recording, m.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with feet (m, Z-up).
    percentile : float
        Percentile (0-100) of the feet's lowest point.

    Returns
    -------
    float
        Floor height (m).
    """
    feet = [n for n in ("l_heel", "r_heel", "l_toe", "r_toe", "l_ankle", "r_ankle") if n in motion]
    if not feet:
        raise DataQualityError(f"{motion.source or 'motion'}: no foot points to find the floor")
    zf = motion.points(feet)[:, :, 2]
    seen = np.isfinite(zf).any(axis=1)
    z = np.nanmin(zf[seen], axis=1) if seen.any() else np.zeros(0)
    if z.size == 0:
        raise DataQualityError(f"{motion.source or 'motion'}: the feet are never seen; cannot find the floor")
    low = float(np.percentile(z, percentile))
    if not any(n.endswith(("heel", "toe")) for n in feet):
        low -= 0.08  # ankle centre is ~8 cm above the floor (0.039 H x 1.75 m, Drillis & Contini)
    return low


def to_worker_frame(motion: Motion, heading: bool = True, floor: bool = True) -> Motion:
    """Rotate about Z so +X is where the worker faces, and shift Z = 0 to the floor.

    The horizontal origin is the mid-hip position in the first frame where it is seen.
    The input must already be Z up (canonical point names).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up).
    heading : bool
        Rotate about Z so that +X is the worker's heading.
    floor : bool
        Shift Z so that the floor is at 0.

    Returns
    -------
    Motion
        A new Motion in the worker frame (m).

    Examples
    --------
    >>> pts = {"l_hip": [1, 0, 1.0], "r_hip": [-1, 0, 1.0], "l_heel": [0, 0, 0.2], "r_heel": [0, 0, 0.2]}
    >>> m = Motion.from_points({k: np.array([v], float) for k, v in pts.items()}, rate_hz=1)
    >>> w = to_worker_frame(m)     # left is +X, so the worker faces -Y; after: left is +Y
    >>> w["l_hip"].round(6).tolist(), float(w["l_heel"][0, 2])
    ([[0.0, 1.0, 0.8]], 0.0)
    """
    rot = np.eye(3)
    if heading:
        a = heading_rad(motion)
        c, s = np.cos(-a), np.sin(-a)
        rot = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    pos = motion.positions_m @ rot.T
    shift = np.zeros(3)
    if "l_hip" in motion and "r_hip" in motion:
        mid = (pos[:, motion.index("l_hip")] + pos[:, motion.index("r_hip")]) / 2
        ok = np.flatnonzero(np.isfinite(mid).all(axis=1))
        if ok.size:
            shift[:2] = mid[ok[0], :2]
    new = motion.replace(positions_m=pos - shift)
    if floor:
        new = new.replace(positions_m=new.positions_m - [0.0, 0.0, floor_height_m(new)])
    return new.replace(meta={**motion.meta, "frame": "worker (Z up, X forward, Y left)",
                             "heading_rotation": rot.tolist()})


def up_from_balance(motion: Motion, sex: str = "male") -> np.ndarray:
    """Vertical direction from quasi-static balance: median unit vector mid-ankles -> whole-body
    centre of mass, in the motion's own axes (canonical points).

    In standing and lifting with both feet down the centre of mass stays above the base of
    support, so this vector is vertical within about half a foot length over the CoM height
    (~6 deg); in quiet standing the CoM is a few cm in front of the ankles (~3 deg). de Leva
    (1996) segment masses and CoM positions (`liftrisk.kinetics.segments`) give the CoM. Used
    for monocular video when the camera may be tilted and no calibration is given.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres in camera axes (m).
    sex : {"male", "female"}
        For de Leva's segment masses.

    Returns
    -------
    numpy.ndarray
        (3,) unit vertical in the motion's axes.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> up = up_from_balance(neutral_body())   # standing upright in a Z-up frame
    >>> bool(np.degrees(np.arccos(up[2])) < 2.0)
    True
    """
    canon = canonical_joint_centres(motion, "canonical", sex=sex)
    params = segment_parameters(Subject(sex, 70.0, 1.75))  # relative masses only
    mass = sum(p.mass_kg for p in params.values())
    com = sum(p.mass_kg * p.com(canon) for p in params.values()) / mass
    base = 0.5 * (canon["l_ankle"] + canon["r_ankle"])
    v = com - base
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    up = np.nanmedian(v, axis=0)
    n = np.linalg.norm(up)
    if not np.isfinite(n) or n == 0:
        raise DataQualityError(f"{motion.source or 'motion'}: the body is never seen whole; cannot find the vertical")
    return up / n


def camera_to_world_from_up(up_cam) -> np.ndarray:
    """Rotation (3, 3) from camera axes to a Z-up frame whose Z is `up_cam` (camera axes) and
    whose X is the camera's viewing direction made horizontal (as `CAMERA_TO_ZUP` for a level
    camera).

    Parameters
    ----------
    up_cam : array_like
        (3,) vertical direction in camera axes.

    Returns
    -------
    numpy.ndarray
        (3, 3) rotation from camera axes to the Z-up frame.

    Examples
    --------
    >>> np.allclose(camera_to_world_from_up([0.0, -1.0, 0.0]), CAMERA_TO_ZUP)
    True
    """
    z = np.asarray(up_cam, float)
    z = z / np.linalg.norm(z)
    x = np.array([0.0, 0.0, 1.0]) - z[2] * z  # viewing direction, horizontal part
    x = x / np.linalg.norm(x)
    y = np.cross(z, x)
    return np.stack([x, y, z])
