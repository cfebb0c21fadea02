"""A kinematic full-body model placing the canonical joint centres from joint angles.

Segment lengths scale with stature H using Drillis & Contini's proportions (Drillis R,
Contini R (1966) Body segment parameters. Report 1166-03, Office of Vocational
Rehabilitation, New York University; as drawn in Winter DA (2009) Biomechanics and Motor
Control of Human Movement, 4th ed., Fig. 4.1): ankle height 0.039 H, shank 0.246 H, thigh
0.245 H (hip centre 0.530 H), shoulder 0.818 H, eye (head point) 0.936 H, upper arm
0.186 H, forearm 0.146 H, hand (wrist - finger tip) 0.108 H, foot length 0.152 H,
shoulder width 0.259 H, hip width 0.191 H (see `DRILLIS_CONTINI_1966`).

Assumptions (not from those tables; documented in docs/synthetic.md):
* hip joint centres are 0.5 x hip width apart and shoulder joint centres 0.8 x shoulder
  width apart (the tabulated widths are soft-tissue breadths);
* the hand point (3rd metacarpal head) lies 0.4588 of the wrist-finger-tip length from the
  wrist (de Leva 1996 Table 1: WJC-MET3 86.2 mm / WJC-DAC3 187.9 mm, male);
* L5/S1 sits relative to the hip centres as in Reed et al. (1999) (the same regression as
  `liftrisk.kinematics.add_l5s1`), rigid with the pelvis; neck (C7 level = mid-shoulder
  point) directly above L5/S1 when upright; the ankle is 25 % of the foot length ahead of
  the heel; no humeral axial rotation; both feet flat and fixed.

All angles are in rad with the signs of `liftrisk.kinematics.angles`, all arrays (T,).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from types import MappingProxyType

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.joint_centres import REED_1999
from liftrisk.kinematics.rotations import rotation_about, unit

__all__ = ["DRILLIS_CONTINI_1966", "BodyDimensions", "Posture", "pose_body", "body_motion", "neutral_body",
           "two_link"]

# Segment lengths / heights as fractions of stature (Winter 2009 Fig. 4.1, Drillis & Contini 1966).
DRILLIS_CONTINI_1966 = MappingProxyType({
    "ankle_height": 0.039, "knee_height": 0.285, "hip_height": 0.530, "shoulder_height": 0.818,
    "chin_height": 0.870, "eye_height": 0.936,
    "shank": 0.246, "thigh": 0.245, "upper_arm": 0.186, "forearm": 0.146, "hand": 0.108,
    "foot_length": 0.152, "foot_width": 0.055, "shoulder_width": 0.259, "hip_width": 0.191,
})
HAND_POINT_FRACTION = 86.2 / 187.9  # de Leva 1996 Table 1, male: WJC-MET3 / WJC-DAC3
HIP_CENTRE_WIDTH_FRACTION = 0.5  # assumption: inter-HJC distance / hip breadth
SHOULDER_CENTRE_WIDTH_FRACTION = 0.8  # assumption: inter-GH distance / shoulder breadth
ANKLE_FROM_HEEL_FRACTION = 0.25  # assumption
DROP_SMOOTHING_M = 0.01  # x sin^2(pelvis yaw): smoothing of the larger of the two legs' pelvis drops


@dataclass(frozen=True)
class BodyDimensions:
    """Segment lengths in m of the synthetic body (see module docstring for sources).

    Attributes
    ----------
    height_m : float
        Stature (m).
    sex : {"male", "female"}
        Sex of the subject.
    ankle_height_m, shank_m, thigh_m, hip_separation_m : float
        Leg dimensions (m).
    l5s1_offset_m : tuple
        (x, z) of L5/S1 from the hip-centre mid-point in the pelvis frame (m).
    trunk_m : float
        L5/S1 -> neck (m).
    shoulder_separation_m, head_m : float
        Shoulder width and neck -> head point (m).
    upper_arm_m, forearm_m, hand_point_m : float
        Arm dimensions; hand_point_m is wrist -> 3rd metacarpal head (m).
    foot_length_m : float
        Heel -> toe (m).

    Examples
    --------
    >>> d = BodyDimensions.from_subject(Subject("male", 80.0, 1.80))
    >>> round(d.thigh_m, 3), round(d.hip_height_m, 3)
    (0.441, 0.954)
    """

    height_m: float
    sex: str
    ankle_height_m: float
    shank_m: float
    thigh_m: float
    hip_separation_m: float
    l5s1_offset_m: tuple  # (x, z) of L5/S1 from the hip-centre mid-point, pelvis frame
    trunk_m: float  # L5/S1 -> neck
    shoulder_separation_m: float
    head_m: float  # neck -> head point
    upper_arm_m: float
    forearm_m: float
    hand_point_m: float  # wrist -> hand point (MET3)
    foot_length_m: float

    @classmethod
    def from_subject(cls, subject: Subject) -> BodyDimensions:
        """Scale Drillis & Contini's proportions to the subject's stature."""
        h = subject.height_m
        f = DRILLIS_CONTINI_1966
        hip_sep = HIP_CENTRE_WIDTH_FRACTION * f["hip_width"] * h
        c = REED_1999[subject.sex]
        d_over = hip_sep / (2.0 * c["hip"][1])  # inter-ASIS width PW
        l5_x = (c["l5s1"][0] - c["hip"][0]) * d_over
        l5_z = (c["l5s1"][2] - c["hip"][2]) * d_over
        return cls(
            height_m=h, sex=subject.sex, ankle_height_m=f["ankle_height"] * h, shank_m=f["shank"] * h,
            thigh_m=f["thigh"] * h, hip_separation_m=hip_sep, l5s1_offset_m=(l5_x, l5_z),
            trunk_m=(f["shoulder_height"] - f["hip_height"]) * h - l5_z,
            shoulder_separation_m=SHOULDER_CENTRE_WIDTH_FRACTION * f["shoulder_width"] * h,
            head_m=(f["eye_height"] - f["shoulder_height"]) * h,
            upper_arm_m=f["upper_arm"] * h, forearm_m=f["forearm"] * h,
            hand_point_m=HAND_POINT_FRACTION * f["hand"] * h, foot_length_m=f["foot_length"] * h,
        )

    @property
    def hip_height_m(self) -> float:
        """Standing hip-centre height, m."""
        return self.ankle_height_m + self.shank_m + self.thigh_m

    @property
    def arm_reach_m(self) -> float:
        """Shoulder centre to hand point with a straight arm, m."""
        return self.upper_arm_m + self.forearm_m + self.hand_point_m


@dataclass(frozen=True)
class Posture:
    """Joint angles (rad, arrays (T,) or scalars) of the synthetic body; 0 = anatomical posture.

    Legs are symmetric (both feet flat). ``pelvis_tilt`` is the forward rotation of the
    pelvis, ``pelvis_yaw`` its rotation to the left about the vertical; the trunk angles
    are relative to the pelvis (Cardan Y-X-Z), the neck relative to the trunk, arms relative
    to the trunk (flexion forward, abduction away from the body, elbow and wrist flexion).

    Attributes
    ----------
    ankle_dorsiflexion, knee_flexion : float or numpy.ndarray
        Leg angles (rad).
    pelvis_tilt, pelvis_yaw : float or numpy.ndarray
        Pelvis forward tilt and yaw to the left (rad).
    trunk_flexion, trunk_lateral_bend, trunk_axial_twist : float or numpy.ndarray
        Trunk relative to the pelvis (rad).
    neck_flexion, neck_lateral_bend : float or numpy.ndarray
        Neck relative to the trunk (rad).
    l_shoulder_flexion, r_shoulder_flexion, l_shoulder_abduction, r_shoulder_abduction : float or numpy.ndarray
        Arms relative to the trunk (rad).
    l_elbow_flexion, r_elbow_flexion, l_wrist_flexion, r_wrist_flexion : float or numpy.ndarray
        Elbow and wrist flexion (rad).
    extra : dict
        Further named angles (rad).

    Examples
    --------
    >>> Posture(knee_flexion=0.5).n_frames
    1
    """

    ankle_dorsiflexion: np.ndarray | float = 0.0
    knee_flexion: np.ndarray | float = 0.0
    pelvis_tilt: np.ndarray | float = 0.0
    pelvis_yaw: np.ndarray | float = 0.0
    trunk_flexion: np.ndarray | float = 0.0
    trunk_lateral_bend: np.ndarray | float = 0.0
    trunk_axial_twist: np.ndarray | float = 0.0
    neck_flexion: np.ndarray | float = 0.0
    neck_lateral_bend: np.ndarray | float = 0.0
    l_shoulder_flexion: np.ndarray | float = 0.0
    r_shoulder_flexion: np.ndarray | float = 0.0
    l_shoulder_abduction: np.ndarray | float = 0.0
    r_shoulder_abduction: np.ndarray | float = 0.0
    l_elbow_flexion: np.ndarray | float = 0.0
    r_elbow_flexion: np.ndarray | float = 0.0
    l_wrist_flexion: np.ndarray | float = 0.0
    r_wrist_flexion: np.ndarray | float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        """Number of frames (largest array length; scalars broadcast)."""
        return max([np.size(getattr(self, f.name)) for f in fields(self) if f.name != "extra"] + [1])

    def arrays(self, n: int | None = None) -> dict[str, np.ndarray]:
        """Every angle broadcast to (T,)."""
        n = self.n_frames if n is None else n
        out = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            a = np.asarray(getattr(self, f.name), float).reshape(-1)
            if a.size not in (1, n):
                raise DataQualityError(f"posture angle {f.name} has {a.size} frames; expected 1 or {n}")
            out[f.name] = np.broadcast_to(a, (n,)).copy()
        return out


def two_link(p0, p2, l1: float, l2: float, pole) -> np.ndarray:
    """Middle joint (T, 3) of a two-link chain p0 -l1- p1 -l2- p2 bent toward `pole`.

    The distance |p2 - p0| is clipped to the reachable range (then the chain is straight or
    folded). `pole` (T, 3) is a direction; p1 lies in the plane of (p2 - p0) and `pole`.

    Parameters
    ----------
    p0, p2 : array_like
        (T, 3) end points of the chain (m).
    l1, l2 : float
        Lengths of the two links (m).
    pole : array_like
        (T, 3) or (3,) direction toward which the middle joint bends.

    Returns
    -------
    numpy.ndarray
        (T, 3) middle joint (m); the chain is stretched when the ends are too far apart.

    Examples
    --------
    >>> p1 = two_link([[0, 0, 1.0]], [[0, 0, 0.0]], 0.6, 0.8, [[1.0, 0, 0]])
    >>> np.round(p1, 3).tolist()
    [[0.48, 0.0, 0.64]]
    """
    p0 = np.atleast_2d(np.asarray(p0, float))
    p2 = np.atleast_2d(np.asarray(p2, float))
    pole = np.atleast_2d(np.asarray(pole, float))
    v = p2 - p0
    d = np.linalg.norm(v, axis=1)
    d = np.clip(d, max(abs(l1 - l2), 1e-12), l1 + l2)
    e = unit(v)
    n = pole - np.sum(pole * e, axis=1, keepdims=True) * e
    n = unit(n)
    a = (l1 ** 2 - l2 ** 2 + d ** 2) / (2 * d)
    h = np.sqrt(np.clip(l1 ** 2 - a ** 2, 0.0, None))
    return p0 + a[:, None] * e + h[:, None] * n


def _apply(r: np.ndarray, v) -> np.ndarray:
    return np.einsum("tij,tj->ti", r, np.broadcast_to(np.asarray(v, float), (r.shape[0], 3)))


def pose_body(dims: BodyDimensions, posture: Posture, hand_targets_m=None, base_yaw_rad: float = 0.0,
              n_frames: int | None = None) -> dict[str, np.ndarray]:
    """World positions (T, 3), m, of every canonical joint centre for a posture.

    The mid-point of the ankle centres is above the world origin (x = y = 0) and the body
    faces +X rotated by `base_yaw_rad` about Z; the feet are fixed. With `hand_targets_m`
    = (left (T, 3), right (T, 3)) the arms are placed by two-link inverse kinematics so that
    the hand points reach the targets (arm angles of `posture` are then ignored).

    Parameters
    ----------
    dims : BodyDimensions
        Segment lengths (m).
    posture : Posture
        Joint angles (rad).
    hand_targets_m : (numpy.ndarray, numpy.ndarray), optional
        Left and right (T, 3) hand targets (m, world frame).
    base_yaw_rad : float
        Rotation of the body about Z (rad; 0 = facing +X).
    n_frames : int, optional
        Number of frames (default: that of the posture).

    Returns
    -------
    dict
        Canonical point name -> (T, 3) world positions (m).

    Examples
    --------
    >>> d = BodyDimensions.from_subject(Subject("male", 75.0, 1.75))
    >>> p = pose_body(d, Posture())
    >>> round(float(p["neck"][0, 2]), 3), round(float(p["l_hip"][0, 1]), 4)
    (1.431, 0.0836)
    """
    n = posture.n_frames if n_frames is None else n_frames
    a = posture.arrays(n)
    base = np.broadcast_to(rotation_about("z", base_yaw_rad), (n, 3, 3))
    hw = dims.hip_separation_m / 2
    heel_back = ANKLE_FROM_HEEL_FRACTION * dims.foot_length_m
    pts: dict[str, np.ndarray] = {}
    for s, sy in (("l", 1.0), ("r", -1.0)):
        pts[f"{s}_ankle"] = _apply(base, [0.0, sy * hw, dims.ankle_height_m])
        pts[f"{s}_heel"] = _apply(base, [-heel_back, sy * hw, 0.0])
        pts[f"{s}_toe"] = _apply(base, [dims.foot_length_m - heel_back, sy * hw, 0.0])
    # sagittal leg chain (in the base frame) gives the hip-centre mid-point
    sh_t = a["ankle_dorsiflexion"]
    th_t = sh_t - a["knee_flexion"]
    x = dims.shank_m * np.sin(sh_t) + dims.thigh_m * np.sin(th_t)
    z = dims.ankle_height_m + dims.shank_m * np.cos(sh_t) + dims.thigh_m * np.cos(th_t)
    mid_hip = _apply(base, np.zeros(3)) + np.einsum("tij,tj->ti", base, np.stack([x, 0 * x, z], axis=1))
    r_pel = base @ rotation_about("z", a["pelvis_yaw"]) @ rotation_about("y", a["pelvis_tilt"])
    # a pelvis yaw moves the hips off the sagittal chain: lower the pelvis (closed form) so
    # that the farther leg keeps the prescribed knee flexion (see below); the nearer leg bends a
    # little more. No drop without yaw. (Smooth in time: no straight-leg clipping, whose
    # square-root behaviour near full extension made the knees jump.)
    hips = {s: _apply(r_pel, [0.0, sy * hw, 0.0]) for s, sy in (("l", 1.0), ("r", -1.0))}
    d_knee2 = dims.thigh_m ** 2 + dims.shank_m ** 2 + 2 * dims.thigh_m * dims.shank_m * np.cos(a["knee_flexion"])
    drops = []
    for s in ("l", "r"):
        v = mid_hip + hips[s] - pts[f"{s}_ankle"]
        drops.append(v[:, 2] - np.sqrt(np.clip(d_knee2 - v[:, 0] ** 2 - v[:, 1] ** 2, 0.0, None)))
    # smooth maximum (C-infinity; eps = 1 cm x sin^2(yaw), so exact without yaw and within
    # eps^2 / |difference| of the maximum otherwise): the legs may swap roles while turning
    half = 0.5 * (drops[0] - drops[1])
    eps = DROP_SMOOTHING_M * np.sin(a["pelvis_yaw"]) ** 2
    drop = np.where(np.abs(a["pelvis_yaw"]) > 0, 0.5 * (drops[0] + drops[1]) + np.sqrt(half ** 2 + eps ** 2), 0.0)
    mid_hip = mid_hip - drop[:, None] * np.array([0.0, 0.0, 1.0])
    pts["mid_hip"] = mid_hip
    fwd = r_pel[:, :, 0] * np.array([1.0, 1.0, 0.0])
    for s in ("l", "r"):
        hip = mid_hip + hips[s]
        pts[f"{s}_hip"] = hip
        pts[f"{s}_knee"] = two_link(hip, pts[f"{s}_ankle"], dims.thigh_m, dims.shank_m, fwd)
    l5s1 = mid_hip + _apply(r_pel, [dims.l5s1_offset_m[0], 0.0, dims.l5s1_offset_m[1]])
    pts["l5s1"] = l5s1
    r_tr = (r_pel @ rotation_about("y", a["trunk_flexion"]) @ rotation_about("x", a["trunk_lateral_bend"])
            @ rotation_about("z", a["trunk_axial_twist"]))
    neck = l5s1 + _apply(r_tr, [0.0, 0.0, dims.trunk_m])
    pts["neck"] = neck
    r_head = r_tr @ rotation_about("y", a["neck_flexion"]) @ rotation_about("x", a["neck_lateral_bend"])
    pts["head"] = neck + _apply(r_head, [0.0, 0.0, dims.head_m])
    sw = dims.shoulder_separation_m / 2
    for s, sy in (("l", 1.0), ("r", -1.0)):
        sh = neck + _apply(r_tr, [0.0, sy * sw, 0.0])
        pts[f"{s}_shoulder"] = sh
        if hand_targets_m is None:
            r_ua = r_tr @ rotation_about("y", -a[f"{s}_shoulder_flexion"]) @ rotation_about(
                "x", sy * a[f"{s}_shoulder_abduction"])
            r_fa = r_ua @ rotation_about("y", -a[f"{s}_elbow_flexion"])
            r_ha = r_fa @ rotation_about("y", -a[f"{s}_wrist_flexion"])
            el = sh + _apply(r_ua, [0.0, 0.0, -dims.upper_arm_m])
            wr = el + _apply(r_fa, [0.0, 0.0, -dims.forearm_m])
            ha = wr + _apply(r_ha, [0.0, 0.0, -dims.hand_point_m])
        else:
            target = np.broadcast_to(np.asarray(hand_targets_m[0 if s == "l" else 1], float), (n, 3))
            pole = -r_tr[:, :, 0] + 0.5 * sy * r_tr[:, :, 1]  # elbows back and out
            el = two_link(sh, target, dims.upper_arm_m, dims.forearm_m + dims.hand_point_m, pole)
            ha = el + unit(target - el) * (dims.forearm_m + dims.hand_point_m)
            wr = el + unit(target - el) * dims.forearm_m
        pts[f"{s}_elbow"], pts[f"{s}_wrist"], pts[f"{s}_hand"] = el, wr, ha
    order = ("head", "neck", "l5s1", "mid_hip", "l_shoulder", "r_shoulder", "l_elbow", "r_elbow", "l_wrist",
             "r_wrist", "l_hand", "r_hand", "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l_heel",
             "r_heel", "l_toe", "r_toe")
    return {k: pts[k] for k in order}


def body_motion(subject: Subject, posture: Posture, rate_hz: float = 60.0, **kwargs) -> Motion:
    """A canonical `Motion` (m, Z-up world frame) of the synthetic body in `posture`.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg) and stature (m).
    posture : Posture
        Joint angles (rad).
    rate_hz : float
        Sampling rate of the Motion (Hz).
    **kwargs
        Passed to `pose_body` (``hand_targets_m``, ``base_yaw_rad``, ``n_frames``).

    Returns
    -------
    Motion
        Canonical joint centres (m, Z-up world frame).

    Examples
    --------
    >>> m = body_motion(Subject("female", 60.0, 1.65), Posture(knee_flexion=np.linspace(0, 1, 5)))
    >>> m.n_frames, m.n_points
    (5, 22)
    """
    pts = pose_body(BodyDimensions.from_subject(subject), posture, **kwargs)
    return Motion.from_points(pts, rate_hz=rate_hz, source="synthetic body",
                              meta={"skeleton": "canonical", "synthetic": True, "subject_height_m": subject.height_m,
                                    "subject_sex": subject.sex})


def neutral_body(subject: Subject | None = None, n_frames: int = 1, rate_hz: float = 60.0) -> Motion:
    """The synthetic body in the anatomical posture (all angles 0), facing +X.

    Parameters
    ----------
    subject : Subject, optional
        Default: a 75 kg, 1.75 m man.
    n_frames : int
        Number of identical frames.
    rate_hz : float
        Sampling rate (Hz).

    Returns
    -------
    Motion
        Canonical joint centres (m, Z-up world frame).

    Examples
    --------
    >>> round(float(neutral_body()["head"][0, 2]), 3)
    1.638
    """
    subject = subject or Subject("male", 75.0, 1.75)
    return body_motion(subject, Posture(), rate_hz=rate_hz, n_frames=n_frames)
