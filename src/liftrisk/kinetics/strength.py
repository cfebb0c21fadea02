"""Joint torque capacity (Anderson et al. 2007) and the per-joint workload ratio.

Strength model: Anderson DE, Madigan ML, Nussbaum MA (2007) Maximum voluntary joint torque
as a function of joint angle and angular velocity: model development and application to the
lower limb. J Biomech 40:3105-3113, Table 3 coefficients (package data
``data/kinetics/anderson2007_torque_surface_coefficients.csv``; hip, knee, ankle; extension
and flexion; male/female; ages 18-25, 55-65, >65). Maximum voluntary active torque

    T(theta, omega) = c1 W H cos(c2 (theta - c3)) f(omega)
    f(omega) = (2 c4 c5 + omega (c5 - 3 c4)) / (2 c4 c5 + omega (2 c5 - 4 c4))            omega >= 0
    f(omega) = (2 c4 c5 - omega (c5 - 3 c4)) / (2 c4 c5 - omega (2 c5 - 4 c4)) (1 - c6 omega)   omega < 0

with W the body weight (N), H the height (m), theta the joint angle (rad) and omega the
angular velocity (rad/s), positive when concentric (the joint moves in the direction of the
torque). f(c4) = 0.75 and f(c5) = 0.5 by construction (the meaning of c4, c5). The
eccentric branch is Anderson's eq. 9 as evaluated in RBDL's
``SmoothSegmentedFunctionFactory::createAnderson2007ActiveTorqueVelocityCurve`` (which notes
that the paper's eccentric curve falls at higher eccentric speeds, where no data were taken;
Anderson measured eccentric torque only at 60 deg/s). The cosine
and f are clipped at zero. Passive torque (Anderson eq. 1) = W H (b1 exp(k1 theta) +
b2 exp(k2 theta)). Angle conventions are the paper's: hip and knee angles are flexion
(0 = anatomical position, positive = flexed), the ankle angle is dorsiflexion-positive.

Isometric capacity by sex, age, height and mass = T(theta, 0) (its peak is c1 W H at
theta = c3). The coefficients and the mapping of an age to Anderson's age groups (18-25,
55-65, >65; ages in between take the nearest group, 40 the older one) are in
`liftrisk.kinetics.strength_table`, shared with `liftrisk.predict`.

Upper body (``data/kinetics/isometric_strength_upper_body.csv``, see its SOURCE.md):
capacity = b0 + b_age age + b_h height + b_m mass (N·m), angle- and velocity-independent.
L5/S1 extension 182.2 N·m and flexion 117.0 N·m for women (Rantanen et al. 1994, isometric,
fulcrum at the PSIS level), men = women / 0.60 (Kamon et al. 1978); elbow flexion
(isometric), elbow extension (isokinetic 60 deg/s, no isometric equation exists) and
shoulder (isometric abduction, used for the sagittal shoulder moment in both directions)
from the regressions of Harbo, Brincks & Andersen (2012, Eur J Appl Physiol 112:267-275).
Unknown age uses 30 years for these regressions.

Workload ratio (Int J Intell Syst 2023, sec. 3.3): ratio_j(t) = |tau_j(t)| / tau_max,j, the
joint torque over the joint's maximum capacity. That paper takes tau_max from the NIMSD MVIC
regression (not available here), so liftrisk uses Anderson's capacities for hip, knee and
ankle and the upper-body table for L5/S1, shoulders and elbows; `capacity_nm` overrides
any of them or rates other torque columns.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.segments import check_points
from liftrisk.kinetics.strength_table import age_group, anderson_table

JOINTS = ("hip", "knee", "ankle")
UPPER_JOINTS = ("l5s1", "shoulder", "elbow")
DIRECTIONS = ("extension", "flexion")
UNKNOWN_AGE_YEARS = 30.0  # age used by the Harbo (2012) regressions when Subject.age_years is None
#: bottom_up / top_down column -> (joint, direction when the moment is positive, direction when negative)
SAGITTAL_COLUMNS = {
    "hip_extension_moment_nm": ("hip", "extension", "flexion"),
    "knee_extension_moment_nm": ("knee", "extension", "flexion"),
    "ankle_plantarflexion_moment_nm": ("ankle", "extension", "flexion"),
    "shoulder_flexion_moment_nm": ("shoulder", "flexion", "extension"),
    "elbow_flexion_moment_nm": ("elbow", "flexion", "extension"),
}
#: unilateral L5/S1 column of top_down_l5s1 / bottom_up
L5S1_COLUMN = "l5s1_extension_moment_nm"


@lru_cache(maxsize=1)
def upper_body_table() -> MappingProxyType:
    """Isometric capacity regressions for L5/S1, shoulder and elbow keyed by (joint, direction, sex).

    Values: ``intercept_nm``, ``age_nm_per_year``, ``height_nm_per_m``, ``mass_nm_per_kg``
    (floats), ``measure``, ``source`` and ``stand_in`` (empty, or what stands in for a missing
    measurement; see ``data/kinetics/SOURCE.md``).

    Returns
    -------
    MappingProxyType
        (joint, direction, sex) -> regression coefficients (N·m, N·m/year, N·m/m, N·m/kg).

    Examples
    --------
    >>> upper_body_table()[("l5s1", "extension", "female")]["intercept_nm"]
    182.2
    """
    path = resources.files("liftrisk") / "data" / "kinetics" / "isometric_strength_upper_body.csv"
    out = {}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rec = {k: (v if k in ("joint", "direction", "sex", "measure", "source", "stand_in") else float(v))
                   for k, v in row.items()}
            out[(row["joint"], row["direction"], row["sex"])] = MappingProxyType(rec)
    return MappingProxyType(out)


def stand_in_note(subject: Subject, joint: str, direction: str) -> str:
    """What stands in for a missing measurement in a joint's capacity ("" when measured).

    Reports print it next to any figure that uses that capacity (workload ratio, predicted
    maximum weight limited by that joint).

    Parameters
    ----------
    subject : Subject
        Selects the sex.
    joint : str
        ``"l5s1"``, ``"shoulder"``, ``"elbow"`` (the Anderson 2007 joints are all measured).
    direction : str
        ``"extension"`` or ``"flexion"``.

    Returns
    -------
    str
        The stand-in, or an empty string.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> stand_in_note(Subject("female", 60.0, 1.65), "l5s1", "extension")
    ''
    >>> stand_in_note(Subject("male", 80.0, 1.80), "shoulder", "flexion")[:28]
    'isometric shoulder abduction'
    """
    if joint not in UPPER_JOINTS:
        return ""
    return str(upper_body_table()[(joint, direction, subject.sex)].get("stand_in", ""))


def upper_body_strength(subject: Subject, joint: str, direction: str) -> float:
    """Isometric torque capacity (N·m) of L5/S1, a shoulder or an elbow (module docstring).

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg) and stature (m) and age (years).
    joint : {"l5s1", "shoulder", "elbow"}
        Joint.
    direction : str
        Torque direction, e.g. ``"extension"`` or ``"flexion"``.

    Returns
    -------
    float
        Isometric capacity (N·m).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> round(upper_body_strength(Subject("female", 60.0, 1.65), "l5s1", "extension"), 1)
    182.2
    >>> round(upper_body_strength(Subject("male", 80.0, 1.80, age_years=30), "elbow", "flexion"), 1)
    52.7
    """
    if joint not in UPPER_JOINTS or direction not in DIRECTIONS:
        raise DataQualityError(f"joint/direction {joint!r}/{direction!r}; expected joint in {UPPER_JOINTS} and "
                               f"direction in {DIRECTIONS}")
    c = upper_body_table()[(joint, direction, subject.sex)]
    age = UNKNOWN_AGE_YEARS if subject.age_years is None else float(subject.age_years)
    cap = (c["intercept_nm"] + c["age_nm_per_year"] * age + c["height_nm_per_m"] * subject.height_m
           + c["mass_nm_per_kg"] * subject.mass_kg)
    if not cap > 0:
        raise DataQualityError(f"{joint} {direction} capacity is {cap:.1f} N·m for a {subject.sex} of {age:g} years, "
                               f"{subject.height_m} m, {subject.mass_kg} kg: outside the range of {c['source']}; "
                               "pass capacity_nm explicitly")
    return float(cap)


def velocity_factor(omega_rad_s, c4: float, c5: float, c6: float) -> np.ndarray:
    """Anderson (2007) torque-velocity multiplier f(omega) (concentric positive), >= 0.

    Parameters
    ----------
    omega_rad_s : array_like
        Joint angular velocity (rad/s; concentric positive).
    c4, c5 : float
        Concentric velocities (rad/s) at which the torque is 75 % and 50 % of isometric.
    c6 : float
        Eccentric slope multiplier (dimensionless).

    Returns
    -------
    numpy.ndarray
        Torque multiplier (dimensionless, >= 0; 1 at omega = 0).

    Examples
    --------
    >>> float(velocity_factor(1.5, 1.5, 3.0, 0.2)), float(velocity_factor(3.0, 1.5, 3.0, 0.2))
    (0.75, 0.5)
    """
    w = np.asarray(omega_rad_s, float)
    a = np.abs(w)
    f = (2 * c4 * c5 + a * (c5 - 3 * c4)) / (2 * c4 * c5 + a * (2 * c5 - 4 * c4))
    f = np.where(w < 0, f * (1.0 - c6 * w), f)
    return np.maximum(f, 0.0)


def joint_strength(subject: Subject, joint: str, direction: str, angle_rad=None, velocity_rad_s=0.0,
                   *, passive: bool = False) -> np.ndarray:
    """Maximum voluntary joint torque (N·m) of the Anderson et al. (2007) surface.

    For ``joint`` in {"l5s1", "shoulder", "elbow"} the capacity is the isometric value of
    `upper_body_strength` (no angle or velocity dependence; `velocity_rad_s` must be 0 and
    `passive` False), broadcast to the shape of `angle_rad`.

    Parameters
    ----------
    subject : Subject
        Sex, mass, height and age select and scale the coefficients.
    joint : {"hip", "knee", "ankle", "l5s1", "shoulder", "elbow"}
    direction : {"extension", "flexion"}
        Torque direction (ankle extension = plantarflexion).
    angle_rad : float or array, optional
        Joint angle in the paper's convention (hip/knee flexion, ankle dorsiflexion
        positive). Default: the angle of peak torque c3 (the isometric peak).
    velocity_rad_s : float or array
        Angular velocity, positive = concentric. 0 = isometric.
    passive : bool
        Also add the passive torque of Anderson's eq. 1.

    Returns
    -------
    numpy.ndarray
        Torque capacity, N·m (shape of the broadcast inputs).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> s = Subject("male", 80.0, 1.78, age_years=22)
    >>> round(float(joint_strength(s, "knee", "extension")), 1)  # 0.163 x 784.8 N x 1.78 m
    227.7
    """
    if joint in UPPER_JOINTS:
        if passive or np.any(np.asarray(velocity_rad_s, float) != 0.0):
            raise DataQualityError(f"{joint}: only isometric capacity is modelled (velocity_rad_s=0, passive=False)")
        cap = upper_body_strength(subject, joint, direction)
        return np.full(np.shape(0.0 if angle_rad is None else angle_rad), cap)
    if joint not in JOINTS or direction not in DIRECTIONS:
        raise DataQualityError(f"joint/direction {joint!r}/{direction!r}; expected joint in {JOINTS + UPPER_JOINTS} "
                               f"and direction in {DIRECTIONS}")
    c = anderson_table()[(joint, direction, subject.sex, age_group(subject.age_years))]
    scale = subject.weight_n * subject.height_m
    theta = np.asarray(c["c3"] if angle_rad is None else angle_rad, float)
    active = c["c1"] * scale * np.maximum(np.cos(c["c2"] * (theta - c["c3"])), 0.0)
    active = active * velocity_factor(velocity_rad_s, c["c4"], c["c5"], c["c6"])
    if passive:
        active = active + scale * (c["b1"] * np.exp(c["k1"] * theta) + c["b2"] * np.exp(c["k2"] * theta))
    return active


def sagittal_angles(motion) -> pd.DataFrame:
    """Hip and knee flexion and ankle dorsiflexion (rad) in Anderson et al.'s convention.

    From canonical joint centres (Z-up world frame): hip flexion = angle of the thigh
    (hip -> knee) from the pelvis's downward axis, signed positive forward, in the pelvis
    sagittal plane (pelvis frame of `liftrisk.kinetics.segments`: z = mid_hip -> l5s1,
    y = left minus right hip); knee flexion = pi - the 3D angle hip-knee-ankle; ankle
    dorsiflexion = pi/2 - the 3D angle between the shank (ankle -> knee) and the foot
    (heel -> toe), so 0 = foot perpendicular to the shank.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with pelvis, legs, heels and toes (m, Z-up world frame).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time_s``; columns ``r_hip``, ``r_knee``, ``r_ankle``, ``l_hip``, ...

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> pts = {"l5s1": [0, 0, 1.1], "mid_hip": [0, 0, 1.0], "l_hip": [0, 0.1, 1.0], "r_hip": [0, -0.1, 1.0],
    ...        "r_knee": [0.4, -0.1, 1.0], "r_ankle": [0.4, -0.1, 0.6], "r_heel": [0.35, -0.1, 0.55],
    ...        "r_toe": [0.6, -0.1, 0.55], "l_knee": [0, 0.1, 0.6], "l_ankle": [0, 0.1, 0.2],
    ...        "l_heel": [-0.05, 0.1, 0.15], "l_toe": [0.2, 0.1, 0.15]}
    >>> m = Motion.from_points({k: np.array([v], float) for k, v in pts.items()}, rate_hz=1)
    >>> np.round(np.rad2deg(sagittal_angles(m).iloc[0]), 1).tolist()
    [90.0, 90.0, 0.0, 0.0, 0.0, 0.0]
    """
    names = ["l5s1", "mid_hip"] + [f"{s}_{j}" for s in ("l", "r") for j in ("hip", "knee", "ankle", "heel", "toe")]
    check_points(motion, names)

    def unit(v):
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def angle(a, b):
        return np.arccos(np.clip(np.sum(unit(a) * unit(b), axis=1), -1.0, 1.0))

    z = unit(motion["l5s1"] - motion["mid_hip"])
    ml = motion["l_hip"] - motion["r_hip"]
    y = unit(ml - np.sum(ml * z, axis=1, keepdims=True) * z)
    x = np.cross(y, z)
    out = {}
    for s in ("r", "l"):
        hip, knee, ankle = motion[f"{s}_hip"], motion[f"{s}_knee"], motion[f"{s}_ankle"]
        thigh = knee - hip
        out[f"{s}_hip"] = np.arctan2(np.sum(thigh * x, axis=1), -np.sum(thigh * z, axis=1))
        out[f"{s}_knee"] = np.pi - angle(hip - knee, ankle - knee)
        out[f"{s}_ankle"] = np.pi / 2 - angle(knee - ankle, motion[f"{s}_toe"] - motion[f"{s}_heel"])
    return pd.DataFrame(out, index=pd.Index(motion.time_s, name="time_s"))


def workload_ratio(kinetics: pd.DataFrame, subject: Subject, *, angles_rad: Mapping | None = None,
                   capacity_nm: Mapping | None = None, dynamic: bool = False) -> pd.DataFrame:
    """Per-joint workload ratio |tau(t)| / tau_max over time (Int J Intell Syst 2023, sec. 3.3).

    Parameters
    ----------
    kinetics : pandas.DataFrame
        Output of `bottom_up` (columns ``{l,r}_hip_extension_moment_nm``,
        ``{l,r}_knee_extension_moment_nm``, ``{l,r}_ankle_plantarflexion_moment_nm``) and/or
        `top_down_l5s1` (``l5s1_extension_moment_nm``, ``{l,r}_shoulder_flexion_moment_nm``,
        ``{l,r}_elbow_flexion_moment_nm``; capacities of `upper_body_strength` in the
        direction of the moment's sign), and/or any other ``*_nm`` torque columns named in
        `capacity_nm`. Other columns are ignored.
    subject : Subject
    angles_rad : mapping or DataFrame, optional
        ``"r_knee" -> (T,) angle`` in Anderson's convention (e.g. `sagittal_angles`),
        making the capacity angle-dependent; joints without an angle use the isometric
        peak c1 W H.
    dynamic : bool
        Also apply Anderson's torque-velocity factor, with the angular velocity from the
        angles (central differences on the kinetics index, s): concentric for an extension
        torque when the flexion angle decreases, and vice versa.
    capacity_nm : mapping, optional
        ``column name -> capacity (N·m, scalar or (T,))`` for other joints or to override
        the default capacity of a column.

    Returns
    -------
    pandas.DataFrame
        Same index; one ``<joint>_workload_ratio`` column per torque used (dimensionless,
        1.0 = the joint's maximum voluntary capacity).

    Examples
    --------
    >>> import pandas as pd
    >>> from liftrisk.core import Subject
    >>> k = pd.DataFrame({"r_knee_extension_moment_nm": [113.85, -10.0]})
    >>> workload_ratio(k, Subject("male", 80.0, 1.78, age_years=22)).round(3)["r_knee_workload_ratio"].tolist()
    [0.5, 0.082]
    """
    angles_rad = {} if angles_rad is None else {k: angles_rad[k] for k in angles_rad.keys()}
    capacity_nm = dict(capacity_nm or {})
    out = {}
    for col in kinetics.columns:
        tau = kinetics[col].to_numpy(dtype=float)
        if col in capacity_nm:
            cap = np.asarray(capacity_nm[col], float)
            name = col.removesuffix("_nm").removesuffix("_moment")
        elif col == L5S1_COLUMN:
            cap = np.where(tau >= 0, upper_body_strength(subject, "l5s1", "extension"),
                           upper_body_strength(subject, "l5s1", "flexion"))
            name = "l5s1"
        else:
            hit = [(k, v) for k, v in SAGITTAL_COLUMNS.items() if col.endswith(k) and col[:2] in ("l_", "r_")
                   and col[2:] == k]
            if not hit:
                continue
            key, (joint, pos_dir, neg_dir) = hit[0]
            side_joint = f"{col[0]}_{joint}"
            ang = angles_rad.get(side_joint) if joint in JOINTS else None
            vel_pos = vel_neg = 0.0
            if ang is not None:
                ang = np.asarray(ang, float)
                if dynamic:
                    rate = np.gradient(ang, kinetics.index.to_numpy(dtype=float))
                    vel_pos, vel_neg = -rate, rate  # extension torque: concentric when flexion decreases
            cap_pos = joint_strength(subject, joint, pos_dir, ang, vel_pos)
            cap_neg = joint_strength(subject, joint, neg_dir, ang, vel_neg)
            cap = np.where(tau >= 0, cap_pos, cap_neg)
            name = side_joint
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{name}_workload_ratio"] = np.where(cap > 0, np.abs(tau) / cap, np.inf)
    missing = [c for c in capacity_nm if c not in kinetics.columns]
    if missing:
        raise DataQualityError(f"capacity_nm names columns {missing} that the kinetics table lacks")
    if not out:
        raise DataQualityError("no torque column to rate: pass bottom_up / top_down_l5s1 output (sagittal "
                               "moments) or name the torque columns in capacity_nm")
    return pd.DataFrame(out, index=kinetics.index)
