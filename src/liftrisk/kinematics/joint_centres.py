"""Canonical joint centres from keypoint motions and from mocap marker sets, L5/S1 and hands.

Methods and sources (details, equations and limitations in docs/kinematics.md)
-----------------------------------------------------------------------------
* Keypoint sets: `liftrisk.core.skeletons.to_canonical` (mean of the source points).
* Hip joint centre from pelvis markers: Harrington ME, Zavatsky AB, Lawson SEM, Yuan Z,
  Theologis TN (2007) Prediction of the hip joint centre in adults, children, and patients
  with cerebral palsy based on magnetic resonance imaging. J Biomech 40:595-602
  (the pelvic-width / pelvic-depth equations, `HARRINGTON_2007`).
* L5/S1 (lumbosacral joint centre): Reed MP, Manary MA, Schneider LW (1999) Methods for
  measuring and representing automobile occupant posture. SAE 1999-01-0959; the pelvis
  regression (L5/S1 and hip centres as fractions of the inter-ASIS width in a pelvis
  frame at the ASIS mid-point), values as tabulated in Kinetics Toolkit
  (Chenier F., kineticstoolkit.anthropometrics, Apache-2.0). `REED_1999`.
  Without ASIS markers (keypoints) the same regression is expressed relative to the hip
  joint centres (see `add_l5s1`).
* Knee / ankle / elbow / wrist centres from markers: mid-point of medial and lateral
  markers; when the dynamic trial lacks them (OpenSim gait2354 walk), they are rebuilt as
  virtual markers in thigh/shank cluster technical frames calibrated on the static trial
  (Cappozzo A, Catani F, Della Croce U, Leardini A (1995) Position and orientation in space
  of bones during movement: anatomical frame definition and determination. Clin Biomech
  10:171-178, the CAST method).
* Shoulder (gleno-humeral) centre from an acromion marker: 17 % of the bi-acromial distance
  below the acromion along the trunk axis (Rab G, Petuskey K, Bagley A (2002) A method for
  determination of upper extremity kinematics. Gait Posture 15:113-119; value as reported
  in that method description, see docs).
* Hand centre (3rd metacarpal head, de Leva's MET3) when only wrists exist: the wrist plus
  the elbow->wrist vector times de Leva's hand/forearm length ratio (de Leva P (1996)
  Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters. J Biomech 29:1223-1230,
  Table 1: hand WJC-MET3 86.2 / 78.0 mm, forearm EJC-WJC 268.9 / 264.3 mm, male / female).
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

import numpy as np

from liftrisk.core.frames import Y_UP_TO_Z_UP
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, MARKER_SETS, to_canonical
from liftrisk.errors import DataQualityError, MissingPointError
from liftrisk.kinematics.angles import EXTRAPOLATED_KEY, NECK_NEUTRAL_KEY, joint_angles
from liftrisk.kinematics.frames import (
    PELVIS_TILT_FRACTION,
    frame_from_x_y,
    pelvis_frames_from_markers,
    segment_frames,
    to_global,
    to_local,
)
from liftrisk.kinematics.plugin_gait import (
    PlugInGaitMeasurements,
    plugin_gait_leg_centres,
    plugin_gait_measurements,
)
from liftrisk.kinematics.rotations import homogeneous, unit

__all__ = [
    "EXTRAPOLATED_KEY", "NECK_NEUTRAL_KEY", "GAIT2354_NEUTRAL_MARKERS", "neutral_neck_flexion_gait2354",
    "HARRINGTON_2007", "REED_1999", "DE_LEVA_HAND_FOREARM_RATIO", "RAB_2002_SHOULDER_DROP",
    "canonical_joint_centres", "add_l5s1", "add_hand_centres", "hip_joint_centres_harrington",
    "pelvis_frames_from_markers", "l5s1_from_pelvis_markers", "joint_centres_from_markers",
    "calibrate_cluster", "reconstruct_from_cluster", "NOTES_KEY", "DE_LEVA_TRUNK_LENGTHS_M",
    "l5s1_from_thorax_markers",
]

# EXTRAPOLATED_KEY (Motion.meta: points extrapolated, not measured, e.g. hands from the forearm)
# and NECK_NEUTRAL_KEY are defined in angles.py, which reads them.

# Harrington et al. 2007, Table 3 (PW, PD regression): HJC in a pelvis frame with origin at
# the ASIS mid-point, x anterior, y superior, z lateral; PW = inter-ASIS distance, PD = ASIS
# mid-point to PSIS mid-point distance; all in mm: x = -0.24 PD - 9.9,
# y = -0.30 PW - 10.9, z = 0.33 PW + 7.3.
HARRINGTON_2007 = MappingProxyType({
    "anterior": (-0.24, "PD", -9.9), "superior": (-0.30, "PW", -10.9), "lateral": (0.33, "PW", 7.3),
})

# Reed et al. 1999 pelvis regression: positions as fractions of the inter-ASIS width PW in a
# frame at the ASIS mid-point, x anterior (normal to the ASIS-pubic symphysis plane),
# y left, z superior (in that plane). Values (x, |y|, z) per sex, as in Kinetics Toolkit's
# tabulation of Reed et al. (1999).
REED_1999 = MappingProxyType({
    "male": MappingProxyType({"l5s1": (-0.264, 0.0, 0.126), "hip": (-0.208, 0.361, -0.278)}),
    "female": MappingProxyType({"l5s1": (-0.289, 0.0, 0.172), "hip": (-0.197, 0.372, -0.270)}),
})

# de Leva 1996 Table 1: hand (WJC -> MET3) over forearm (EJC -> WJC) length.
DE_LEVA_HAND_FOREARM_RATIO = MappingProxyType({"male": 86.2 / 268.9, "female": 78.0 / 264.3})

# Rab et al. 2002: gleno-humeral centre 17 % of the bi-acromial distance below the acromion.
RAB_2002_SHOULDER_DROP = 0.17

# Extra marker roles of the OpenSim gait2354 tutorial data that core.skeletons.MARKER_SETS
# does not list (checked in subject01_static.trc / subject01_walk1.trc): medial knee and the
# malleoli exist only in the static trial; the thigh/shank clusters exist in both.
GAIT2354_EXTRA = MappingProxyType({
    "r_knee_med": "R.Knee.Med", "l_knee_med": "L.Knee.Med",
    "r_ankle_lat": "R.Ankle.Lat", "r_ankle_med": "R.Ankle.Med",
    "l_ankle_lat": "L.Ankle.Lat", "l_ankle_med": "L.Ankle.Med",
    "r_thigh_cluster": ("R.Thigh.Upper", "R.Thigh.Front", "R.Thigh.Rear"),
    "l_thigh_cluster": ("L.Thigh.Upper", "L.Thigh.Front", "L.Thigh.Rear"),
    "r_shank_cluster": ("R.Shank.Upper", "R.Shank.Front", "R.Shank.Rear"),
    "l_shank_cluster": ("L.Shank.Upper", "L.Shank.Front", "L.Shank.Rear"),
})

# Neutral head geometry of the gait2354 marker set without C7 (neck = acromion mid-point, head
# = Top.Head at the vertex): the generic marker positions of the OpenSim gait2354 model
# (m, OpenSim body frames: X anterior, Y superior, Z right), scaled to subject01 but before
# OpenSim's marker placement moved them onto the static trial, from opensim-org/opensim-models
# Pipelines/Gait2354_Simbody/OutputReference/subject01_scaledOnly.osim (commit 805c558, CC BY
# 3.0; Delp et al. 1990, Anderson & Pandy 1999), and the back joint (lumbar) offset of the
# pelvis -> torso joint in the pelvis frame. In the model's default pose (all coordinates 0:
# the anatomical posture, head rigid on the torso) the acromion mid-point -> vertex line leans
# forward of the L5/S1 -> acromion line by `neutral_neck_flexion_gait2354()` (18.3 deg); the
# neck flexion is reported relative to that neutral head orientation.
GAIT2354_NEUTRAL_MARKERS = MappingProxyType({
    "torso": MappingProxyType({"R.Acromium": (-0.0323916, 0.475077, 0.161958),
                               "L.Acromium": (-0.0323916, 0.475077, -0.161958),
                               "Top.Head": (0.000906965, 0.709376, 0.0)}),
    "pelvis": MappingProxyType({"R.ASIS": (0.0204915, 0.0307373, 0.131146),
                                "L.ASIS": (0.0204915, 0.0307373, -0.131146),
                                "V.Sacral": (-0.163932, 0.0409831, 0.0)}),
    "back_joint_in_pelvis": (-0.103175, 0.083503, 0.0),
})


def neutral_neck_flexion_gait2354(sex: str = "male") -> float:
    """Neck flexion (rad) that the acromion mid-point -> vertex geometry of the gait2354 marker
    set reads in the OpenSim model's neutral posture (`GAIT2354_NEUTRAL_MARKERS`).

    Parameters
    ----------
    sex : {"male", "female"}
        Selects the model's neutral marker positions.

    Returns
    -------
    float
        Neck flexion of the neutral posture (rad).

    Examples
    --------
    >>> round(float(np.degrees(neutral_neck_flexion_gait2354())), 1)
    18.3
    """
    r = np.asarray(Y_UP_TO_Z_UP, float)
    back = np.asarray(GAIT2354_NEUTRAL_MARKERS["back_joint_in_pelvis"], float)
    pts = {k: (r @ (np.asarray(v, float) + back))[None] for k, v in GAIT2354_NEUTRAL_MARKERS["torso"].items()}
    pts.update({k: (r @ np.asarray(v, float))[None] for k, v in GAIT2354_NEUTRAL_MARKERS["pelvis"].items()})
    return _neutral_neck(tuple((k, tuple(v[0])) for k, v in sorted(pts.items())), _sex(sex))


@lru_cache(maxsize=8)
def _neutral_neck(pts: tuple, sex: str) -> float:
    points = {k: np.array([v]) for k, v in pts}
    head = points.pop("Top.Head")  # without head markers: no recursion into this function
    jc = joint_centres_from_markers(Motion.from_points(points, rate_hz=1.0), "opensim_gait2354", sex=sex)
    return float(joint_angles(jc.with_points({"head": head}))["neck_flexion"].iloc[0])


# Motion.meta key: plain-language notes on what the joint-centre stage assumed or could not build.
NOTES_KEY = "notes"

# de Leva 1996 Table 4 reference lengths (m): upper trunk CERV -> XYPH ("UPT alt") and middle
# trunk XYPH -> OMPH ("MPT"), male / female. With the omphalion taken at L5/S1 (as the segment
# model of liftrisk.kinetics.segments does), L5/S1 lies (UPT_alt + MPT) / UPT_alt times the
# C7 -> xiphoid (STRN) height below C7 along the thorax axis.
DE_LEVA_TRUNK_LENGTHS_M = MappingProxyType({"male": MappingProxyType({"upt_alt": 0.2421, "mpt": 0.2155}),
                                            "female": MappingProxyType({"upt_alt": 0.2280, "mpt": 0.2053})})


def l5s1_from_thorax_markers(c7, clav, strn, t10, sex: str = "male") -> np.ndarray:
    """L5/S1 (T, 3), m, from the Plug-in Gait thorax markers when there are no pelvis markers.

    The thorax long axis u points from mid(C7, CLAV) to mid(T10, STRN) (Plug-in Gait's thorax
    Z axis, reversed); h = (STRN - C7) . u is the C7 -> xiphoid height along it (de Leva's
    CERV -> XYPH "upper trunk" length); L5/S1 = C7 + h (L_UPT,alt + L_MPT) / L_UPT,alt u with
    de Leva's reference lengths (`DE_LEVA_TRUNK_LENGTHS_M`; 1.890 male, 1.900 female), i.e.
    the omphalion is taken at L5/S1 as in the segment model. The point lies on the line
    through the C7 skin marker, so it is posterior of the L5/S1 disc by roughly the depth of
    the spine below the skin (a few cm): an estimate for upper-body-only files, not a
    replacement for pelvis markers.

    Parameters
    ----------
    c7, clav, strn, t10 : array_like
        (T, 3) C7, CLAV, STRN and T10 marker positions (m, world frame).
    sex : {"male", "female"}
        Selects de Leva's reference trunk lengths.

    Returns
    -------
    numpy.ndarray
        (T, 3) L5/S1 estimate (m, world frame).

    Examples
    --------
    >>> p = l5s1_from_thorax_markers([[-0.05, 0, 1.50]], [[0.10, 0, 1.43]], [[0.12, 0, 1.26]], [[-0.08, 0, 1.26]])
    >>> np.round(p[0], 3).tolist()
    [-0.061, 0.0, 1.054]
    """
    c7, clav, strn, t10 = (np.atleast_2d(np.asarray(a, float)) for a in (c7, clav, strn, t10))
    u = unit(0.5 * (t10 + strn) - 0.5 * (c7 + clav))
    h = np.sum((strn - c7) * u, axis=1, keepdims=True)
    L = DE_LEVA_TRUNK_LENGTHS_M[_sex(sex)]
    return c7 + h * (L["upt_alt"] + L["mpt"]) / L["upt_alt"] * u


_PARTS = (("lower body (hips, knees, ankles)", ("l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle"),
           "no lower-body joint centres (pelvis and leg markers missing): hip, knee and ankle angles and the "
           "bottom-up loads are not available"),
          ("upper body", ("neck", "l_shoulder", "r_shoulder"),
           "no upper-body joint centres (C7 / shoulder markers missing): trunk, arm and neck angles and the top-down "
           "loads are not available"))


def _missing_parts(out: dict) -> list[str]:
    """One sentence per body part that has no joint centre at all."""
    notes = []
    for _, names, text in _PARTS:
        if not any(n in out for n in names):
            notes.append(text)
    for s, side in (("l", "left"), ("r", "right")):
        for j in ("knee", "ankle"):
            if f"{s}_hip" in out and f"{s}_{j}" not in out:
                notes.append(f"no {side} {j} joint centre (its markers are missing)")
    return notes


def _sex(sex: str) -> str:
    s = {"m": "male", "f": "female"}.get(str(sex).strip().lower(), str(sex).strip().lower())
    if s not in ("male", "female"):
        raise DataQualityError(f"sex is {sex!r}; expected 'male' or 'female'")
    return s


def _require(motion: Motion, names, what: str) -> None:
    missing = [n for n in names if n not in motion]
    if missing:
        raise MissingPointError(
            f"{motion.source or 'motion'}: {what} needs point(s) {', '.join(missing)}; it has "
            f"{', '.join(motion.point_names[:30])}{' ...' if motion.n_points > 30 else ''}. "
            "Convert keypoints with liftrisk.kinematics.canonical_joint_centres first")


# ------------------------------------------------------------------------- L5/S1 and hands
def add_l5s1(motion: Motion, sex: str = "male", overwrite: bool = False,
             pelvis_tilt_fraction: float | None = None) -> Motion:
    """Add the L5/S1 joint centre ``l5s1`` estimated from the hip centres and trunk (Reed 1999).

    Reed et al.'s pelvis regression places L5/S1 and both hip centres at fixed fractions of
    the inter-ASIS width PW in a pelvis frame. Subtracting the hip centres' mean gives L5/S1
    relative to the hip-centre mid-point, with PW = hip-centre distance / (2 |y_hip|):

    * male:   l5s1 = mid_hip + d * (-0.0776 X + 0.5596 Z)
    * female: l5s1 = mid_hip + d * (-0.1237 X + 0.5941 Z)

    where d is the hip-centre distance (m), Y the r_hip -> l_hip axis, Z the pelvis superior
    axis and X = Y x Z anterior. The pelvis frame is `liftrisk.kinematics.frames`' pelvis:
    from ASIS/sacrum markers when the motion has ``l_asis``, ``r_asis``, ``sacrum``;
    otherwise (keypoints cannot see pelvic tilt) the pelvis is assumed to take
    `pelvis_tilt_fraction` (default `frames.PELVIS_TILT_FRACTION` = 0.5) of the trunk's
    (mid_hip -> neck) forward inclination. An error e in that tilt moves L5/S1 by about
    2 sin(e/2) x 9.5 cm (1.6 cm at 10 deg, 4.9 cm at 30 deg); see docs/kinematics.md.

    Parameters
    ----------
    motion : Motion
        Canonical points with at least ``l_hip``, ``r_hip`` and ``neck`` (or pelvis markers).
    sex : {"male", "female"}
        Selects Reed's sex-specific coefficients.
    overwrite : bool
        Replace an existing ``l5s1`` point (default: keep it and return the motion as is).
    pelvis_tilt_fraction : float, optional
        Keypoints only: share of the trunk inclination taken by the pelvis.

    Returns
    -------
    Motion
        A new motion with ``l5s1`` (and ``mid_hip`` if it was absent), m, world frame.

    Examples
    --------
    >>> import numpy as np
    >>> pts = {"l_hip": [[0, 0.09, 0.9]], "r_hip": [[0, -0.09, 0.9]], "neck": [[0, 0, 1.4]]}
    >>> m = add_l5s1(Motion.from_points({k: np.array(v) for k, v in pts.items()}, rate_hz=1))
    >>> np.round(m["l5s1"][0], 4).tolist()
    [-0.014, 0.0, 1.0007]
    """
    if "l5s1" in motion and not overwrite:
        return motion
    _require(motion, ("l_hip", "r_hip"), "add_l5s1")
    has_pelvis_markers = motion.has("l_asis", "r_asis", "sacrum")
    if not has_pelvis_markers:
        _require(motion, ("neck",), "add_l5s1 (without pelvis markers)")
    coef = REED_1999[_sex(sex)]
    hip_y = coef["hip"][1]
    rel_x = coef["l5s1"][0] - coef["hip"][0]
    rel_z = coef["l5s1"][2] - coef["hip"][2]
    lh, rh = motion["l_hip"], motion["r_hip"]
    mid = 0.5 * (lh + rh)
    pw = np.linalg.norm(lh - rh, axis=1) / (2.0 * hip_y)
    base = motion if "mid_hip" in motion else motion.with_points({"mid_hip": mid})
    # the pelvis frame must not see an old l5s1 (it is not used by the pelvis frame anyway)
    frac = PELVIS_TILT_FRACTION if pelvis_tilt_fraction is None else float(pelvis_tilt_fraction)
    pel = segment_frames(base, ["pelvis"], pelvis_tilt_fraction=frac)["pelvis"]
    local = np.stack([rel_x * pw, np.zeros_like(pw), rel_z * pw], axis=1)
    frame_at_mid = homogeneous(pel[:, :3, :3], mid)
    l5s1 = to_global(local, frame_at_mid)
    return base.with_points({"l5s1": l5s1})


def add_hand_centres(motion: Motion, sex: str = "male", overwrite: bool = False) -> Motion:
    """Add ``l_hand`` / ``r_hand`` (3rd metacarpal head) by extrapolating the forearm.

    hand = wrist + k (wrist - elbow), k = de Leva's hand (WJC-MET3) / forearm (EJC-WJC)
    length ratio: 0.3206 (male), 0.2951 (female). Assumes a straight wrist (no flexion or
    deviation); the error is about k * forearm length * angle (e.g. 2.3 cm at 15 deg).
    The added names are listed in ``meta["extrapolated_points"]`` (`EXTRAPOLATED_KEY`):
    `joint_angles` then gives NaN (unknown) wrist angles for that side instead of a false 0.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with elbows and wrists (m).
    sex : {"male", "female"}
        Selects de Leva's hand/forearm length ratio.
    overwrite : bool
        Replace hand points that are already there.

    Returns
    -------
    Motion
        A new Motion with ``l_hand`` / ``r_hand`` added (m).

    Examples
    --------
    >>> import numpy as np
    >>> m = Motion.from_points({"r_elbow": np.array([[0, 0, 1.0]]), "r_wrist": np.array([[0, 0, 0.7]])},
    ...                        rate_hz=1)
    >>> np.round(add_hand_centres(m)["r_hand"][0], 4).tolist()
    [0.0, 0.0, 0.6038]
    """
    k = DE_LEVA_HAND_FOREARM_RATIO[_sex(sex)]
    new = {}
    for s in ("l", "r"):
        if f"{s}_hand" in motion and not overwrite:
            continue
        if motion.has(f"{s}_wrist", f"{s}_elbow"):
            w, e = motion[f"{s}_wrist"], motion[f"{s}_elbow"]
            new[f"{s}_hand"] = w + k * (w - e)
    if not new:
        return motion
    out = motion.with_points(new)
    flagged = list(dict.fromkeys([*motion.meta.get(EXTRAPOLATED_KEY, ()), *new]))
    return out.replace(meta={**out.meta, EXTRAPOLATED_KEY: flagged})


def canonical_joint_centres(motion: Motion, skeleton=None, sex: str = "male") -> Motion:
    """Canonical joint centres (with ``l5s1`` and hands) from a keypoint or canonical motion.

    Runs `liftrisk.core.skeletons.to_canonical` (unless the motion is already canonical),
    then `add_hand_centres` where hands are missing and `add_l5s1`.

    Parameters
    ----------
    motion : Motion
        Keypoints of a registered skeleton (MediaPipe 33, COCO 17, BODY_25, Halpe 26,
        Pose2Sim) or canonical points, m, world frame.
    skeleton : str or Skeleton, optional
        Skeleton name; detected from the point names when omitted.
    sex : {"male", "female"}
        For the L5/S1 and hand regressions.

    Returns
    -------
    Motion
        Canonical joint centres (m, world frame) with ``l5s1`` and the hands.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> m = canonical_joint_centres(neutral_body().select(["l_hip", "r_hip", "neck", "l_elbow", "l_wrist"]))
    >>> sorted(m.point_names)[:3]
    ['l5s1', 'l_elbow', 'l_hand']
    """
    canon = motion
    if motion.meta.get("skeleton") != "canonical" and skeleton != "canonical":
        if not set(motion.point_names) <= set(CANONICAL_POINTS) | {"box"}:
            canon = to_canonical(motion, skeleton)
    canon = add_hand_centres(canon, sex)
    if canon.has("l_hip", "r_hip") and ("neck" in canon or canon.has("l_asis", "r_asis", "sacrum")):
        canon = add_l5s1(canon, sex)
    return canon


# ------------------------------------------------------------------------- markers
def hip_joint_centres_harrington(r_asis, l_asis, sacrum) -> tuple[np.ndarray, np.ndarray]:
    """Right and left hip joint centres (T, 3), m, with Harrington et al. (2007).

    PW = inter-ASIS distance, PD = distance from the ASIS mid-point to the sacrum marker
    (PSIS mid-point), both per frame; offsets in the `pelvis_frames_from_markers` frame:
    anterior -0.24 PD - 9.9 mm, superior -0.30 PW - 10.9 mm, lateral 0.33 PW + 7.3 mm.

    Parameters
    ----------
    r_asis, l_asis, sacrum : array_like
        (T, 3) right and left ASIS and sacrum (or PSIS mid-point) markers (m, world frame).

    Returns
    -------
    r_hip, l_hip : numpy.ndarray
        (T, 3) right and left hip joint centres (m, world frame).

    Examples
    --------
    >>> r, l = hip_joint_centres_harrington([[0, -0.125, 1.0]], [[0, 0.125, 1.0]], [[-0.16, 0, 1.0]])
    >>> np.round(r[0], 4).tolist()   # 48.3 mm back, 85.9 mm down, 89.8 mm right
    [-0.0483, -0.0898, 0.9141]
    """
    ra, la, sa = (np.atleast_2d(np.asarray(a, float)) for a in (r_asis, l_asis, sacrum))
    frames = pelvis_frames_from_markers(ra, la, sa)
    pw_mm = np.linalg.norm(la - ra, axis=1) * 1000.0
    pd_mm = np.linalg.norm(0.5 * (ra + la) - sa, axis=1) * 1000.0
    vals = {"PW": pw_mm, "PD": pd_mm}
    ax = HARRINGTON_2007
    x = (ax["anterior"][0] * vals[ax["anterior"][1]] + ax["anterior"][2]) / 1000.0
    z = (ax["superior"][0] * vals[ax["superior"][1]] + ax["superior"][2]) / 1000.0
    lat = (ax["lateral"][0] * vals[ax["lateral"][1]] + ax["lateral"][2]) / 1000.0
    right = to_global(np.stack([x, -lat, z], axis=1), frames)
    left = to_global(np.stack([x, lat, z], axis=1), frames)
    return right, left


def l5s1_from_pelvis_markers(r_asis, l_asis, sacrum, sex: str = "male") -> np.ndarray:
    """L5/S1 (T, 3), m, from ASIS and sacrum markers with Reed et al. (1999).

    Reed's frame is normal to the ASIS-pubic-symphysis plane; without a pubic marker the
    ASIS-sacrum frame of `pelvis_frames_from_markers` is used instead (its X axis is tilted
    from Reed's by the angle between the two planes, roughly 10-20 deg; about 1 cm here).

    Parameters
    ----------
    r_asis, l_asis, sacrum : array_like
        (T, 3) right and left ASIS and sacrum (or PSIS mid-point) markers (m, world frame).
    sex : {"male", "female"}
        Selects Reed's coefficients.

    Returns
    -------
    numpy.ndarray
        (T, 3) L5/S1 joint centre (m, world frame).

    Examples
    --------
    >>> p = l5s1_from_pelvis_markers([[0, -0.125, 1.0]], [[0, 0.125, 1.0]], [[-0.16, 0, 1.0]])
    >>> np.round(p[0], 3).tolist()
    [-0.066, 0.0, 1.032]
    """
    ra, la, sa = (np.atleast_2d(np.asarray(a, float)) for a in (r_asis, l_asis, sacrum))
    frames = pelvis_frames_from_markers(ra, la, sa)
    pw = np.linalg.norm(la - ra, axis=1)
    c = REED_1999[_sex(sex)]["l5s1"]
    return to_global(np.stack([c[0] * pw, c[1] * pw, c[2] * pw], axis=1), frames)


def _cluster_frames(motion: Motion, names) -> np.ndarray:
    a, b, c = (motion[n] for n in names)
    return frame_from_x_y(a, b - a, c - a)


def calibrate_cluster(static: Motion, cluster, targets) -> dict[str, np.ndarray]:
    """Mean local coordinates (m) of `targets` in the technical frame of a 3-marker cluster.

    The technical frame has its origin at the first marker, X toward the second, Y toward
    the third made perpendicular (CAST, Cappozzo et al. 1995). Use a static trial.

    Parameters
    ----------
    static : Motion
        Static trial with the cluster and target markers (m).
    cluster : sequence of 3 str
        Names of the three cluster markers (origin, X, Y-hint).
    targets : sequence of str
        Names of the markers to express in the cluster frame.

    Returns
    -------
    dict
        Target name -> (3,) mean local coordinates (m).

    Examples
    --------
    >>> import numpy as np
    >>> pts = {"a": [[0, 0, 0.]], "b": [[1, 0, 0.]], "c": [[0, 1, 0.]], "k": [[0.5, 0.5, 0.2]]}
    >>> st = Motion.from_points({k: np.array(v) for k, v in pts.items()}, rate_hz=1)
    >>> calibrate_cluster(st, ("a", "b", "c"), ["k"])["k"].tolist()
    [0.5, 0.5, 0.2]
    """
    _require(static, list(cluster) + list(targets), "cluster calibration")
    f = _cluster_frames(static, cluster)
    out = {}
    for t in targets:
        loc = to_local(static[t], f)
        ok = np.isfinite(loc).all(axis=1)
        if not ok.any():
            raise DataQualityError(f"{static.source or 'static trial'}: marker {t!r} or its cluster "
                                   f"{cluster} is never visible; cannot calibrate it")
        out[t] = loc[ok].mean(axis=0)
    return out


def reconstruct_from_cluster(motion: Motion, cluster, local: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """World trajectories (T, 3) of calibrated virtual markers (see `calibrate_cluster`).

    Parameters
    ----------
    motion : Motion
        Trial with the three cluster markers (m, world frame).
    cluster : sequence of 3 str
        The cluster used in `calibrate_cluster`.
    local : dict
        Virtual marker name -> (3,) local coordinates from `calibrate_cluster` (m).

    Returns
    -------
    dict
        Virtual marker name -> (T, 3) world trajectory (m).

    Examples
    --------
    >>> import numpy as np
    >>> pts = {"a": [[0, 0, 0.]], "b": [[1, 0, 0.]], "c": [[0, 1, 0.]]}
    >>> m = Motion.from_points({k: np.array(v) + [2.0, 0, 0] for k, v in pts.items()}, rate_hz=1)
    >>> reconstruct_from_cluster(m, ("a", "b", "c"), {"k": np.array([0.5, 0.5, 0.2])})["k"].tolist()
    [[2.5, 0.5, 0.2]]
    """
    _require(motion, cluster, "cluster reconstruction")
    f = _cluster_frames(motion, cluster)
    return {name: to_global(np.broadcast_to(v, (motion.n_frames, 3)), f) for name, v in local.items()}


def joint_centres_from_markers(motion: Motion, marker_set: str | None = None, static: Motion | None = None,
                               sex: str = "male", measurements=None) -> Motion:
    """Canonical joint centres from an OpenSim gait2354 or Plug-in Gait marker motion.

    Hip centres: Harrington 2007 from ASIS + sacrum (or PSIS mid-point). L5/S1: Reed 1999
    from the same markers. Knee / ankle / wrist: medial-lateral mid-points; when the motion
    lacks the medial/lateral markers (gait2354 walking trial) and `static` is given, they
    are reconstructed from thigh/shank clusters calibrated on `static` (CAST). Elbow: the
    lateral epicondyle marker (no medial marker in either set; bias about half the elbow
    width, ~3-4 cm medially). Shoulder: Rab 2002 drop from the acromion. Neck: C7 when
    present, else the acromion mid-point; head: mean of the head markers, except gait2354
    without C7: the vertex (Top.Head), and ``meta["neck_flexion_neutral_rad"]`` set to the
    neck flexion this geometry reads in the OpenSim model's neutral posture
    (`neutral_neck_flexion_gait2354`), which `joint_angles` subtracts (NaN, i.e. neck
    flexion unknown, when Top.Head is missing too). Hand: the finger
    marker (Plug-in Gait) or `add_hand_centres`. Heel/toe: the heel and toe markers.

    The pelvis markers are kept as ``l_asis``, ``r_asis``, ``sacrum`` (the pelvis frame
    uses them), and the temples / front-head markers as ``l_head_side``/``r_head_side``.

    Parameters
    ----------
    motion : Motion
        Marker trajectories (m, Z-up world frame: the io readers convert).
    marker_set : {"opensim_gait2354", "plugin_gait"}, optional
        Detected from the marker names when omitted.
    static : Motion, optional
        Static calibration trial of the same subject (same marker names).
    sex : {"male", "female"}
    measurements : PlugInGaitMeasurements or dict, optional
        Plug-in Gait only: subject measurements in mm (``leg_length_mm``, ``knee_width_mm``,
        ``ankle_width_mm``, ...; see `liftrisk.kinematics.plugin_gait.plugin_gait_measurements`);
        missing ones come from the C3D PROCESSING group, the static trial or the defaults.

    Plug-in Gait files use Vicon's own joint centres (`liftrisk.kinematics.plugin_gait`): hips
    by Davis et al. (1991), knees and ankles by the chord function. A file with only the
    lower-body markers gives the legs and pelvis; one with only the upper-body markers (C7,
    CLAV, STRN, T10, shoulders, arms) gives the upper body and an L5/S1 estimated from the
    thorax (`l5s1_from_thorax_markers`). What could not be built is listed, one plain sentence
    per missing part, in ``meta["notes"]`` (`NOTES_KEY`).

    Returns
    -------
    Motion
        Canonical joint centres (m, Z-up world frame); ``meta["notes"]`` lists missing parts.

    Examples
    --------
    >>> import numpy as np
    >>> pts = {"R.ASIS": [[0.1, -0.12, 1.0]], "L.ASIS": [[0.1, 0.12, 1.0]], "V.Sacral": [[-0.06, 0, 1.02]]}
    >>> m = Motion.from_points({k: np.array(v) for k, v in pts.items()}, rate_hz=1)
    >>> sorted(joint_centres_from_markers(m).point_names)
    ['l5s1', 'l_asis', 'l_hip', 'mid_hip', 'r_asis', 'r_hip', 'sacrum']
    """
    if marker_set is None:
        best, cov = None, 0.0
        for name, ms in MARKER_SETS.items():
            c = sum(v in motion for v in ms.values()) / len(ms)
            if c > cov:
                best, cov = name, c
        if best is None or cov == 0.0:
            raise DataQualityError(f"{motion.source or 'motion'}: marker names match no known marker set "
                                   f"({', '.join(MARKER_SETS)}); pass marker_set=")
        marker_set = best
    if marker_set not in MARKER_SETS:
        raise DataQualityError(f"unknown marker_set {marker_set!r}; expected one of {', '.join(MARKER_SETS)}")
    ms = dict(MARKER_SETS[marker_set])
    if marker_set == "opensim_gait2354":
        ms.update({k: v for k, v in GAIT2354_EXTRA.items() if isinstance(v, str)})

    def get(role):
        name = ms.get(role)
        return motion[name] if name is not None and name in motion else None

    out: dict[str, np.ndarray] = {}
    ra, la = get("r_asis"), get("l_asis")
    sac = get("sacrum")
    if sac is None and get("r_psis") is not None and get("l_psis") is not None:
        sac = 0.5 * (get("r_psis") + get("l_psis"))
    if ra is not None and la is not None and sac is not None:
        rh, lh = hip_joint_centres_harrington(ra, la, sac)
        out.update(r_hip=rh, l_hip=lh, mid_hip=0.5 * (rh + lh), r_asis=ra, l_asis=la, sacrum=sac,
                   l5s1=l5s1_from_pelvis_markers(ra, la, sac, sex))
    notes: list[str] = list(motion.meta.get(NOTES_KEY, ()))
    if marker_set == "plugin_gait":
        has_legs = any(n in motion for n in ("RKNE", "LKNE", "RANK", "LANK", "RASI", "LASI"))
        pig = None
        if has_legs:
            try:
                pig = (measurements if isinstance(measurements, PlugInGaitMeasurements)
                       else plugin_gait_measurements(motion, static, **dict(measurements or {})))
            except DataQualityError as exc:
                if measurements:  # the user's own values are wrong: say so
                    raise
                notes.append(f"{exc}; the hip centres are Harrington's (pelvis markers only) instead of Plug-in "
                             "Gait's, and there are no knee or ankle centres")
        if pig is not None:
            legs = plugin_gait_leg_centres(motion, pig)
            out.update(legs)
            if "r_hip" in legs and "l_hip" in legs:
                out["mid_hip"] = 0.5 * (legs["r_hip"] + legs["l_hip"])
            notes.extend(pig.notes())
    # static-calibrated virtual markers (CAST) for the knee / ankle when missing in motion
    virtual: dict[str, np.ndarray] = {}
    if marker_set == "opensim_gait2354" and static is not None:
        for s in ("l", "r"):
            for seg, pair in (("thigh", ("knee_lat", "knee_med")), ("shank", ("ankle_lat", "ankle_med"))):
                cl = GAIT2354_EXTRA[f"{s}_{seg}_cluster"]
                names = [ms[f"{s}_{p}"] for p in pair]
                if all(n not in motion for n in names) and static.has(*cl, *names) and motion.has(*cl):
                    virtual.update(reconstruct_from_cluster(motion, cl, calibrate_cluster(static, cl, names)))

    def mk(role):
        name = ms.get(role)
        if name is None:
            return None
        if name in motion:
            return motion[name]
        return virtual.get(name)

    for s in ("l", "r"):
        for joint, lat, med in (("knee", "knee_lat", "knee_med"), ("ankle", "ankle_lat", "ankle_med"),
                                ("wrist", "wrist_lat", "wrist_med")):
            a, b = mk(f"{s}_{lat}"), mk(f"{s}_{med}")
            if a is not None and b is not None:
                out[f"{s}_{joint}"] = 0.5 * (a + b)
        for role, canon in (("elbow_lat", "elbow"), ("heel", "heel"), ("toe", "toe"), ("finger", "hand")):
            v = mk(f"{s}_{role}")
            if v is not None:
                out[f"{s}_{canon}"] = v
    lac, rac = get("l_acromion"), get("r_acromion")
    c7 = get("c7")
    if lac is not None and rac is not None:
        neck = c7 if c7 is not None else 0.5 * (lac + rac)
        out["neck"] = neck
        down = -unit(neck - out["mid_hip"]) if "mid_hip" in out else np.array([0.0, 0.0, -1.0])
        drop = RAB_2002_SHOULDER_DROP * np.linalg.norm(lac - rac, axis=1, keepdims=True)
        out["l_shoulder"] = lac + drop * down
        out["r_shoulder"] = rac + drop * down
    head_roles = [r for r in ("r_temple", "l_temple", "head_top", "r_front_head", "l_front_head",
                              "r_back_head", "l_back_head") if get(r) is not None]
    neutral = {}
    if head_roles:
        side = [r for r in head_roles if r != "head_top"]
        out["head"] = np.mean([get(r) for r in (side or head_roles)], axis=0)
        if marker_set == "opensim_gait2354" and c7 is None:
            # no C7: neck = acromion mid-point, whose line to the temples leans ~50 deg forward
            # in upright standing; use the vertex and the model's neutral head orientation
            if get("head_top") is not None:
                out["head"] = get("head_top")
                neutral[NECK_NEUTRAL_KEY] = neutral_neck_flexion_gait2354(sex)
            else:
                neutral[NECK_NEUTRAL_KEY] = float("nan")  # no neutral known: neck flexion unknown
        for s in ("l", "r"):
            sides = [get(r) for r in (f"{s}_temple", f"{s}_front_head") if get(r) is not None]
            if sides:
                out[f"{s}_head_side"] = np.mean(sides, axis=0)
    if "l5s1" not in out and marker_set == "plugin_gait" and all(get(r) is not None for r in
                                                                 ("c7", "clav", "strn", "t10")):
        out["l5s1"] = l5s1_from_thorax_markers(get("c7"), get("clav"), get("strn"), get("t10"), sex)
        notes.append("no pelvis markers: L5/S1 estimated from the thorax markers (C7, CLAV, STRN, T10; de Leva "
                     "trunk proportions), so only the top-down loads at L5/S1 are available")
    if not out:
        raise DataQualityError(f"{motion.source or 'motion'}: no joint centre could be built from marker set "
                               f"{marker_set!r}")
    notes.extend(_missing_parts(out))
    res = Motion.from_points(out, time_s=motion.time_s, rate_hz=motion.rate_hz, source=motion.source,
                             meta={**motion.meta, "skeleton": "canonical", "from_marker_set": marker_set, **neutral,
                                   NOTES_KEY: list(dict.fromkeys(notes))})
    return add_hand_centres(res, sex)

