"""Joint angles named by anatomy, in radians, from canonical joint centres.

`joint_angles(motion)` returns a DataFrame indexed by ``time_s`` with the columns of
`ANGLE_COLUMNS`. A column whose points are absent is all NaN. Sign conventions (all angles
0 in the anatomical standing posture; see docs/kinematics.md for figures and limits):

Trunk (two references, named explicitly)
    ``trunk_*_vs_vertical``: trunk frame (l5s1 -> neck axis, shoulder line) relative to a
    gravity-aligned heading frame (world Z up, X = the pelvis' forward direction made
    horizontal). Cardan Y-X-Z: flexion + forward, lateral bend + to the worker's right,
    axial twist + to the left (counter-clockwise seen from above).
    ``trunk_*_vs_pelvis``: the same trunk frame relative to the pelvis frame
    (`liftrisk.kinematics.frames`). With keypoints only the pelvis tilt is not observable and
    the pelvis is assumed to take half of the trunk's inclination
    (`frames.PELVIS_TILT_FRACTION`), so ``trunk_flexion_vs_pelvis`` (and hip flexion) is an
    estimate; it is measured with pelvis markers.
    ``trunk_flexion``, ``trunk_lateral_bend`` are the ``_vs_vertical`` values and
    ``trunk_axial_twist`` the ``_vs_pelvis`` value: the inputs REBA/RULA ask for.
Neck
    head frame relative to the trunk frame, Cardan Y-X-Z, same signs; ``neck_twist`` needs
    head side points (``l_head_side``/``r_head_side``), else NaN. When the point set's neck
    -> head line is not aligned with the trunk in the neutral posture (marker sets without
    C7), ``motion.meta["neck_flexion_neutral_rad"]`` holds the flexion read in the neutral
    posture and is subtracted, so neutral = 0 (see `joint_centres_from_markers`).
Shoulder (upper arm u = shoulder -> elbow, expressed in the trunk frame: x forward, y to
the worker's left, z up along the trunk)
    ``*_shoulder_elevation``: angle between u and the trunk's downward axis, 0..pi (0 arm
    hanging, pi/2 horizontal, pi overhead), whatever the direction.
    ``*_shoulder_abduction``: signed angle between u and the trunk's sagittal (x-z) plane,
    asin(+-u_y / |u|), -pi/2..pi/2, + away from the body for each side (the measure REBA/RULA
    mean by "abducted"). Well defined for every arm position: 0 for any arm in the sagittal
    plane (forward, overhead, backward), pi/2 straight out sideways; an arm raised sideways
    past the horizontal comes back toward 0 (at 170 deg elevation it is 10 deg), so read it
    with the elevation.
    ``*_shoulder_plane_of_elevation``: azimuth of u about the trunk axis, atan2(+-u_y, u_x),
    in [-pi/2, 3pi/2): 0 forward (flexion plane), pi/2 sideways (abduction plane), pi
    backward, negative across the body (horizontal adduction); the cut at -pi/2 (straight
    across the body) is where the trunk stops the arm, so real arm paths never wrap. NaN
    below 5 deg elevation where the plane is undefined. (Elevation, plane of elevation as in
    the ISB shoulder recommendation, Wu et al. 2005 J Biomech 38:981-992, here for the
    upper-arm direction only: no axial rotation without an epicondyle pair.)
    ``*_shoulder_flexion``: angle in the trunk's sagittal projection atan2(u_x, -u_z), +
    forward (arm raised in front, up to pi overhead), - extension (behind the trunk line);
    ill-defined when the arm is near the frontal plane and horizontal (then use the
    elevation).
Elbow, knee
    ``*_elbow_flexion`` = pi - angle(upper arm, forearm); ``*_knee_flexion`` = pi -
    angle(thigh, shank): 0 when straight, + when bent.
Wrist
    ``*_wrist_flexion``: angle between the forearm (elbow -> wrist) and the wrist -> hand
    line; unsigned (flexion and extension alike, as REBA/RULA score them) unless the hand
    has ``l_index``/``l_pinky`` points, in which case it is signed (+ palmar flexion) and
    ``*_wrist_deviation`` (+ radial) is given; otherwise deviation is NaN. When the hand
    point was extrapolated along the forearm (`add_hand_centres`, listed in
    ``motion.meta["extrapolated_points"]``) the wrist flexion is NaN (unknown), not 0.
Hip
    thigh (hip -> knee) in the pelvis frame's sagittal projection, + flexion (thigh forward).
Ankle
    ``*_ankle_dorsiflexion`` = pi/2 - angle(shank knee <- ankle, foot heel -> toe); +
    dorsiflexion (toes up), needs heel and toe points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS
from liftrisk.errors import MissingPointError
from liftrisk.kinematics.frames import frame_from_z_y, segment_frames
from liftrisk.kinematics.rotations import angle_between, euler_from_matrix, relative_rotation, unit

#: Motion.meta key set by `liftrisk.kinematics.joint_centres`: names of points placed by
#: extrapolation (e.g. hands from the forearm); wrist angles of such hands are NaN.
EXTRAPOLATED_KEY = "extrapolated_points"
#: Motion.meta key: neck flexion (rad) of the marker set's neutral head, subtracted from neck flexion.
NECK_NEUTRAL_KEY = "neck_flexion_neutral_rad"

__all__ = ["ANGLE_COLUMNS", "joint_angles", "heading_frames"]

_SIDED = ("shoulder_flexion", "shoulder_abduction", "shoulder_elevation", "shoulder_plane_of_elevation",
          "elbow_flexion", "wrist_flexion", "wrist_deviation", "hip_flexion", "knee_flexion", "ankle_dorsiflexion")
# Below this elevation the plane of elevation is ill-defined (arm along the trunk): NaN.
PLANE_OF_ELEVATION_MIN_RAD = np.deg2rad(5.0)

ANGLE_COLUMNS: tuple[str, ...] = (
    "trunk_flexion", "trunk_lateral_bend", "trunk_axial_twist",
    "trunk_flexion_vs_vertical", "trunk_lateral_bend_vs_vertical", "trunk_axial_twist_vs_vertical",
    "trunk_flexion_vs_pelvis", "trunk_lateral_bend_vs_pelvis", "trunk_axial_twist_vs_pelvis",
    "neck_flexion", "neck_lateral_bend", "neck_twist",
    *(f"{s}_{a}" for a in _SIDED for s in ("l", "r")),
)


def heading_frames(motion: Motion) -> np.ndarray:
    """(T, 3, 3) gravity-aligned heading frames: Z world up, Y the hip line (shoulder line if
    no hips) made horizontal, X = Y x Z (the worker's forward direction).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame) with the hips or the shoulders.

    Returns
    -------
    numpy.ndarray
        (T, 3, 3) rotation matrices (columns X, Y, Z of the heading frame in world axes).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> np.round(heading_frames(neutral_body())[0], 6).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    t = motion.n_frames
    nan = np.full((t, 3), np.nan)
    hip = motion["l_hip"] - motion["r_hip"] if motion.has("l_hip", "r_hip") else nan
    sh = motion["l_shoulder"] - motion["r_shoulder"] if motion.has("l_shoulder", "r_shoulder") else nan
    lat = np.where(np.isfinite(hip).all(axis=1)[:, None], hip, sh)
    lat = lat * np.array([1.0, 1.0, 0.0])
    y = unit(lat)
    z = np.broadcast_to(np.array([0.0, 0.0, 1.0]), (t, 3))
    x = np.cross(y, z)
    return np.stack([x, y, z], axis=-1)


def _plane_of_elevation(lateral: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """Azimuth atan2(lateral, forward) in [-pi/2, 3pi/2): the cut is straight across the body
    (medially), where the trunk stops the arm, so forward/sideways/backward never wrap."""
    az = np.arctan2(lateral, forward)
    return np.where(az < -np.pi / 2, az + 2 * np.pi, az)


def _cardan(parent: np.ndarray, child: np.ndarray) -> np.ndarray:
    return euler_from_matrix(relative_rotation(parent, child), "YXZ")


def joint_angles(motion: Motion) -> pd.DataFrame:
    """Anatomical joint angles (rad) of a canonical motion, indexed by time in s.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres in m, Z-up world frame (use
        `liftrisk.kinematics.canonical_joint_centres` for keypoints or markers first). Works
        with whatever points exist; missing ones give NaN columns.

    Returns
    -------
    pandas.DataFrame
        Index ``time_s``; the columns of `ANGLE_COLUMNS`, radians, signs as in the module
        docstring. ``df.attrs["units"] == "rad"``.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> a = joint_angles(neutral_body())
    >>> float(abs(a["trunk_flexion"]).max()) < 1e-9, float(abs(a["r_knee_flexion"]).max()) < 1e-9
    (True, True)
    """
    if not set(motion.point_names) & set(CANONICAL_POINTS):
        raise MissingPointError(
            f"{motion.source or 'motion'} has no canonical joint centre (it has "
            f"{', '.join(motion.point_names[:12])}{' ...' if motion.n_points > 12 else ''}); convert keypoints or "
            "markers first with liftrisk.kinematics.canonical_joint_centres or joint_centres_from_markers")
    t = motion.n_frames
    cols: dict[str, np.ndarray] = {c: np.full(t, np.nan) for c in ANGLE_COLUMNS}
    fr = segment_frames(motion)
    has = motion.has

    def pt(n):
        return motion[n]

    trunk = fr["trunk"]
    if has("neck") and (has("l5s1") or has("mid_hip") or has("l_hip", "r_hip")):
        head_r = heading_frames(motion)
        v = _cardan(head_r, trunk)
        cols["trunk_flexion_vs_vertical"], cols["trunk_lateral_bend_vs_vertical"], \
            cols["trunk_axial_twist_vs_vertical"] = v.T
        if has("l_hip", "r_hip"):
            p = _cardan(fr["pelvis"], trunk)
            cols["trunk_flexion_vs_pelvis"], cols["trunk_lateral_bend_vs_pelvis"], \
                cols["trunk_axial_twist_vs_pelvis"] = p.T
        cols["trunk_flexion"] = cols["trunk_flexion_vs_vertical"]
        cols["trunk_lateral_bend"] = cols["trunk_lateral_bend_vs_vertical"]
        cols["trunk_axial_twist"] = cols["trunk_axial_twist_vs_pelvis"]
        if has("head"):
            n = _cardan(trunk, fr["head"])
            cols["neck_flexion"] = n[:, 0] - float(motion.meta.get(NECK_NEUTRAL_KEY, 0.0))
            cols["neck_lateral_bend"] = n[:, 1]
            if has("l_head_side", "r_head_side"):
                cols["neck_twist"] = n[:, 2]
    for s, sgn in (("l", 1.0), ("r", -1.0)):
        if has(f"{s}_shoulder", f"{s}_elbow") and has("neck"):
            u = np.einsum("tji,tj->ti", trunk[:, :3, :3], pt(f"{s}_elbow") - pt(f"{s}_shoulder"))
            cols[f"{s}_shoulder_flexion"] = np.arctan2(u[:, 0], -u[:, 2])
            lateral = sgn * u[:, 1] / np.linalg.norm(u, axis=1)
            cols[f"{s}_shoulder_abduction"] = np.arcsin(np.clip(lateral, -1.0, 1.0))
            elev = angle_between(u, np.array([0.0, 0.0, -1.0]))
            cols[f"{s}_shoulder_elevation"] = elev
            cols[f"{s}_shoulder_plane_of_elevation"] = np.where(
                elev >= PLANE_OF_ELEVATION_MIN_RAD, _plane_of_elevation(sgn * u[:, 1], u[:, 0]), np.nan)
        if has(f"{s}_shoulder", f"{s}_elbow", f"{s}_wrist"):
            cols[f"{s}_elbow_flexion"] = np.pi - angle_between(pt(f"{s}_shoulder") - pt(f"{s}_elbow"),
                                                               pt(f"{s}_wrist") - pt(f"{s}_elbow"))
        if has(f"{s}_elbow", f"{s}_wrist", f"{s}_hand"):
            el, wr, ha = pt(f"{s}_elbow"), pt(f"{s}_wrist"), pt(f"{s}_hand")
            if has(f"{s}_index", f"{s}_pinky"):
                radial = pt(f"{s}_index") - pt(f"{s}_pinky")
                y_hint = radial if s == "l" else -radial  # +Y toward the worker's left in anatomy
                fa = frame_from_z_y(wr, el - wr, y_hint)
                hd = frame_from_z_y(wr, wr - ha, y_hint)
                w = _cardan(fa, hd)
                cols[f"{s}_wrist_flexion"] = -w[:, 0]
                cols[f"{s}_wrist_deviation"] = w[:, 1] if s == "l" else -w[:, 1]
            elif f"{s}_hand" not in motion.meta.get(EXTRAPOLATED_KEY, ()):
                cols[f"{s}_wrist_flexion"] = angle_between(wr - el, ha - wr)
            # else: the hand was extrapolated along the forearm, so the angle is unknown (NaN)
        if has(f"{s}_hip", f"{s}_knee") and has("l_hip", "r_hip"):
            th = np.einsum("tji,tj->ti", fr["pelvis"][:, :3, :3], pt(f"{s}_knee") - pt(f"{s}_hip"))
            cols[f"{s}_hip_flexion"] = np.arctan2(th[:, 0], -th[:, 2])
        if has(f"{s}_hip", f"{s}_knee", f"{s}_ankle"):
            cols[f"{s}_knee_flexion"] = np.pi - angle_between(pt(f"{s}_hip") - pt(f"{s}_knee"),
                                                              pt(f"{s}_ankle") - pt(f"{s}_knee"))
        if has(f"{s}_knee", f"{s}_ankle", f"{s}_heel", f"{s}_toe"):
            cols[f"{s}_ankle_dorsiflexion"] = np.pi / 2 - angle_between(pt(f"{s}_knee") - pt(f"{s}_ankle"),
                                                                        pt(f"{s}_toe") - pt(f"{s}_heel"))
    df = pd.DataFrame(cols, index=pd.Index(motion.time_s, name="time_s"))
    df.attrs["units"] = "rad"
    df.attrs["source"] = motion.source
    return df
