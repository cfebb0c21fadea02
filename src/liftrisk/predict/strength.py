"""Dynamic joint strength: torque limits as functions of angle, velocity and percentile.

Hip, knee and ankle use the torque-angle-velocity surfaces of Anderson, Madigan & Nussbaum
(2007, J Biomech 40:3105, Table 3; coefficients and age groups from
`liftrisk.kinetics.strength_table`, the table the numeric capacities use too)::

    T = c1 * BW * H * A(theta) * V(omega)
    A = cos(c2 * (theta - c3))
    V = (2 c4 c5 + omega (c5 - 3 c4)) / (2 c4 c5 + omega (2 c5 - 4 c4))                 omega >= 0
    V = (2 c4 c5 - omega (c5 - 3 c4)) / (2 c4 c5 - omega (2 c5 - 4 c4)) * (1 - c6 omega)  omega < 0

with BW the body weight (N), H the stature (m), theta the joint angle (rad, flexion /
dorsiflexion positive, 0 = anatomical) and omega the velocity in the direction of the torque
(positive = concentric). c4 and c5 are the velocities at which V = 0.75 and 0.5. The eccentric
branch is written as recalled from the paper; it was not checked against the paper itself.
Spine, shoulder and elbow: the isometric capacity of `liftrisk.kinetics.strength.upper_body_strength`
(one value per joint, shared with the workload ratios: Rantanen et al. 1994 trunk, Harbo et al.
2012 elbow and shoulder; stand-ins named by `joint_stand_in`) times linear angle and velocity
factors (``data/predict/upper_body_strength.csv``; sources and assumptions in its SOURCE.md).
A and V are floored smoothly at 0.1 so that the limits stay positive and differentiable, and
the two velocity branches are blended over +-0.05 rad/s (tanh) for the same reason.

Strength percentile: the peak (c1, or the upper-body peak) is shifted by z standard
deviations, z = Phi^-1(percentile / 100) (z_score of Xiang et al. 2021, eq. 14, after Xiang et al. 2019).
Bilateral joints (shoulder, elbow, hip, knee, ankle) are doubled for the symmetric 2D model.
The MTP joint has no strength model (its torque is zero in the 2D model, see model2d).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from statistics import NormalDist

import casadi as ca
import numpy as np

from liftrisk.core.subject import Subject
from liftrisk.errors import SubjectError
from liftrisk.kinetics.strength import stand_in_note, upper_body_strength
from liftrisk.kinetics.strength_table import age_group, anderson_table
from liftrisk.predict.segments import DATA_DIR

#: Joints with a strength model, in model order (i = 4..9 of Xiang et al. 2021; MTP excluded).
STRENGTH_JOINTS = ("spine", "shoulder", "elbow", "hip", "knee", "ankle")
BILATERAL = {"shoulder", "elbow", "hip", "knee", "ankle"}
_FLOOR = 0.1
#: predict joint name -> kinetics capacity name
_KINETICS_NAME = {"spine": "l5s1"}
#: Velocity band (rad/s) over which the eccentric and concentric branches are blended.
_BLEND_RAD_S = 0.05


def _smooth_max(x, lo, eps=0.02):
    return 0.5 * (x + lo + ca.sqrt((x - lo) ** 2 + eps**2))


@lru_cache(maxsize=1)
def _upper() -> dict:
    out = {}
    with (DATA_DIR / "upper_body_strength.csv").open() as fh:
        for r in csv.DictReader(fh):
            out[(r["joint"], r["direction"], r["sex"])] = r
    return out


def joint_stand_in(subject: Subject, joint: str) -> str:
    """Stand-ins in a predict joint's strength (both directions), "" when all measured.

    Parameters
    ----------
    subject : Subject
        Selects the sex.
    joint : str
        A predict joint (``"spine"``, ``"shoulder"``, ``"elbow"``, ``"hip"``...).

    Returns
    -------
    str
        What stands in for a missing measurement, or "".

    Examples
    --------
    >>> joint_stand_in(Subject("male", 80.0, 1.8), "knee")
    ''
    >>> "abduction" in joint_stand_in(Subject("female", 60.0, 1.65), "shoulder")
    True
    """
    name = _KINETICS_NAME.get(joint, joint)
    notes = [stand_in_note(subject, name, d) for d in ("extension", "flexion")]
    return "; ".join(dict.fromkeys(n for n in notes if n))


def percentile_to_z(percentile: float) -> float:
    """Standard-normal z score of a strength percentile (0 < percentile < 100).

    Parameters
    ----------
    percentile : float
        Strength percentile (0-100, exclusive).

    Returns
    -------
    float
        z score (standard deviations).

    Examples
    --------
    >>> round(percentile_to_z(84.13), 2)
    1.0
    """
    p = float(percentile)
    if not 0.0 < p < 100.0:
        raise SubjectError(f"strength percentile is {percentile}; expected a value between 0 and 100 "
                           "(exclusive), e.g. 50 for an average worker")
    return NormalDist().inv_cdf(p / 100.0)


def anderson_velocity_factor(omega, c4: float, c5: float, c6: float):
    """Anderson et al. (2007) velocity factor V(omega) (omega > 0 concentric, rad/s).

    Parameters
    ----------
    omega : float, array_like or casadi
        Angular velocity (rad/s; concentric positive).
    c4, c5 : float
        Concentric velocities (rad/s) at 75 % and 50 % of isometric torque.
    c6 : float
        Eccentric multiplier (dimensionless).

    Returns
    -------
    float, numpy.ndarray or casadi
        Velocity factor (dimensionless).

    Examples
    --------
    >>> round(float(anderson_velocity_factor(1.5, 1.5, 3.0, 0.2)), 3)
    0.75
    """
    a = 2.0 * c4 * c5
    conc = (a + omega * (c5 - 3.0 * c4)) / (a + omega * (2.0 * c5 - 4.0 * c4))
    ecc = (a - omega * (c5 - 3.0 * c4)) / (a - omega * (2.0 * c5 - 4.0 * c4)) * (1.0 - c6 * omega)
    return _blend(omega, conc, ecc)


def _blend(omega, conc, ecc, width: float = _BLEND_RAD_S):
    """Smooth switch from the eccentric (omega < 0) to the concentric branch (C-infinity, so
    that IPOPT's Newton steps do not stall at omega = 0, e.g. at a static start)."""
    s = 0.5 * (1.0 + ca.tanh(omega / width))
    return s * conc + (1.0 - s) * ecc


def smooth_joint_strength(subject: Subject, joint: str, direction: str, angle, velocity, percentile: float = 50.0,
                          bilateral: bool = True, z=None):
    """Smoothed maximum voluntary torque of one joint in one direction (N·m, magnitude >= 0).

    The optimiser's version of strength: differentiable (smooth floors and branch blend, see
    the module docstring), shifted to a percentile, doubled for paired joints, and valid on
    casadi expressions. The numeric capacity used to rate measured torques is
    `liftrisk.kinetics.strength.joint_strength`.

    Parameters
    ----------
    subject : Subject
    joint : {"spine", "shoulder", "elbow", "hip", "knee", "ankle"}
    direction : {"flexion", "extension"}
        For the ankle, flexion = dorsiflexion and extension = plantarflexion.
    angle : float or casadi expression
        Joint angle (rad), flexion (ankle: dorsiflexion) positive, 0 = anatomical position.
    velocity : float or casadi expression
        Joint angular velocity dq/dt (rad/s), flexion positive (converted to the
        direction's concentric velocity inside).
    percentile : float
        Strength percentile (50 = mean).
    bilateral : bool
        Double the torque of paired joints (symmetric 2D model).
    z : float or casadi expression, optional
        Strength z-score; overrides ``percentile`` (lets an NLP take it as a parameter).

    Returns
    -------
    casadi DM or SX scalar

    Examples
    --------
    >>> s = Subject("male", 80.0, 1.80, age_years=22)
    >>> t = smooth_joint_strength(s, "knee", "extension", 1.133, 0.0, bilateral=False)
    >>> round(float(t), 1)   # c1 * BW * H at the peak angle, isometric
    230.3
    """
    if direction not in ("flexion", "extension"):
        raise SubjectError(f"direction is {direction!r}; expected 'flexion' or 'extension'")
    z = percentile_to_z(percentile) if z is None else z
    omega = velocity if direction == "flexion" else -velocity
    k = 2.0 if (bilateral and joint in BILATERAL) else 1.0
    if joint in ("hip", "knee", "ankle"):
        grp = age_group(subject.age_years)
        mean = anderson_table("mean")[(joint, direction, subject.sex, grp)]
        sd = anderson_table("sd")[(joint, direction, subject.sex, grp)]
        c1 = mean["c1"] + z * sd["c1"]
        ang = _smooth_max(ca.cos(mean["c2"] * (angle - mean["c3"])), _FLOOR)
        vel = _smooth_max(anderson_velocity_factor(omega, mean["c4"], mean["c5"], mean["c6"]), _FLOOR)
        return k * c1 * subject.weight_n * subject.height_m * ang * vel
    if joint in ("spine", "shoulder", "elbow"):
        r = _upper()[(joint, direction, subject.sex)]
        # one capacity per joint: the isometric value the kinetics use (data/kinetics)
        peak = upper_body_strength(subject, _KINETICS_NAME.get(joint, joint), direction)
        peak *= 1.0 + z * float(r["cv"])
        ang = _smooth_max(1.0 + float(r["angle_slope_frac_per_rad"]) * angle, 0.2)
        vel = _blend(omega, 1.0 - float(r["conc_slope_frac_per_rad_s"]) * omega,
                     1.0 - float(r["ecc_slope_frac_per_rad_s"]) * omega)
        return k * peak * ang * _smooth_max(vel, _FLOOR)
    raise SubjectError(f"joint is {joint!r}; strength is modelled for {STRENGTH_JOINTS}")


def torque_limits(subject: Subject, angles, velocities, percentile: float = 50.0, z=None):
    """Lower and upper torque limits of the six strength joints of the 2D model.

    Parameters
    ----------
    subject : Subject
    angles, velocities : sequence of 6 (rad, rad/s)
        Spine, shoulder, elbow, hip, knee, ankle angles and velocities (model convention).
    percentile : float
    z : float or casadi expression, optional
        Strength z-score (overrides ``percentile``).

    Returns
    -------
    (lower, upper) : lists of 6 casadi scalars (N·m); lower = -extension strength,
        upper = flexion strength (generalised-force sign of :mod:`liftrisk.predict.model2d`).

    Examples
    --------
    >>> lo, hi = torque_limits(Subject("female", 60, 1.65), [0.0] * 6, [0.0] * 6)
    >>> all(float(a) < 0 < float(b) for a, b in zip(lo, hi))
    True
    """
    lower, upper = [], []
    for j, q, qd in zip(STRENGTH_JOINTS, angles, velocities, strict=True):
        lower.append(-smooth_joint_strength(subject, j, "extension", q, qd, percentile, z=z))
        upper.append(smooth_joint_strength(subject, j, "flexion", q, qd, percentile, z=z))
    return lower, upper


def torque_limits_numeric(subject: Subject, angles, velocities, percentile: float = 50.0):
    """:func:`torque_limits` for arrays of frames: (T, 6) in, two (T, 6) numpy arrays out (N·m).

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    angles : array_like
        (T, 6) joint angles (rad).
    velocities : array_like
        (T, 6) joint angular velocities (rad/s).
    percentile : float
        Strength percentile (0-100).

    Returns
    -------
    lower, upper : numpy.ndarray
        (T, 6) torque limits (N·m).

    Examples
    --------
    >>> lo, hi = torque_limits_numeric(Subject("male", 80, 1.8), np.zeros((3, 6)), np.zeros((3, 6)))
    >>> lo.shape
    (3, 6)
    """
    qs, qds = ca.SX.sym("q", 6), ca.SX.sym("qd", 6)
    lo, hi = torque_limits(subject, [qs[i] for i in range(6)], [qds[i] for i in range(6)], percentile)
    fn = ca.Function("limits", [qs, qds], [ca.vertcat(*lo), ca.vertcat(*hi)])
    a, v = np.atleast_2d(np.asarray(angles, float)), np.atleast_2d(np.asarray(velocities, float))
    lo_v, hi_v = fn.map(a.shape[0])(a.T, v.T)
    return np.asarray(lo_v).T, np.asarray(hi_v).T
