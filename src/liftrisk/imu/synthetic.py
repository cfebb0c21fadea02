"""Physically based synthetic lifts with virtual IMUs, for demos and tests.

NOT the data of Snyder et al. 2021: their NIOSH data set (10 subjects, 720 trials) is not public. Every
result obtained on these signals is a result on synthetic data only.

Model (assumptions, see docs/imu.md):

- Body: planar sagittal chain (shank, thigh, trunk, upper arm, forearm+hand; both legs and both
  arms move alike) with segment lengths as fractions of stature (Drillis & Contini 1966, via
  Winter 2009 Fig. 4.1; ``liftrisk/data/imu/body_proportions.csv``) scaled by a subject factor
  of +-3 %. Small out-of-plane trunk twist/side bend and arm asymmetry make the signals 3-D.
  World frame: X forward, Y left, Z up; origin at floor level between the ankles.
- Lift: quiet standing -> reach to the object in the zone -> grasp -> lift to a destination
  at knuckle height + 10 cm, 30 cm in front of the ankles -> release -> return to standing
  -> quiet standing. Each movement follows a minimum-jerk profile (Flash & Hogan 1985) in joint
  space; the trunk lags or leads the knees by a subject-specific delay.
- Posture for a hand target: the knee flexion is set by the subject's technique (0 = stoop,
  1 = squat) and the target height; the trunk flexion is the smallest that brings the shoulder
  within 97 % of the arm's reach; the elbow angle then follows from two-link inverse
  kinematics. Unreachable targets (above-shoulder, extended) are moved onto the reach
  boundary, as Snyder et al. 2021 did for zones 1-3, 4, 7 and 10.
- Zone targets: horizontal distance from the ankle mid-point 0.25 m (close, moved out from
  the zone mid-point 0.15 m to clear the body), 0.45 m, 0.70 m; heights at the mid-point of the
  vertical zone, body-relative: floor-middle shin (shin = half ankle+knee height), middle
  shin-knuckle, knuckle-8 cm below shoulder, 8 cm below-30 cm above shoulder (top row moved
  to shoulder + 5 cm); +-3 cm jitter.
- Virtual IMU: rigid mounting on the segment with a subject-specific misalignment (SD 4 deg
  per axis); accelerometer = specific force R^T (a - g) with g = (0, 0, -9.81) m/s², gyroscope
  = body angular velocity (vee of R^T dR/dt); kinematics at 200 Hz, then sampled at 25 Hz;
  white noise (0.03 m/s², 0.005 rad/s) and a constant bias per trial (SD 0.05 m/s²,
  0.01 rad/s); a 8-12 Hz physiological tremor of the hands (~0.3 mm).
- Subjects: stature N(1.70, 0.074) m and mass N(85.7, 20.2) kg (the sample of Snyder et al. 2021), half male;
  mass is metadata only (the kinematic model has no dynamics). Speed factor log-normal
  (SD 0.2 between subjects, 0.08 between trials), technique uniform 0.1-0.9 per subject
  (+-0.1 per trial), right-handed with probability 0.9.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.errors import LiftriskError
from liftrisk.imu.dataset import ImuDataset
from liftrisk.imu.layout import RATE_HZ, SITES
from liftrisk.imu.zones import DATA_DIR, check_zone, zone_grid_position
from liftrisk.risk.acgih import zone_risk

#: Internal simulation rate (Hz); a multiple of the 25 Hz output rate.
SIM_RATE_HZ = 200.0
ACC_NOISE_MPS2 = 0.03
GYR_NOISE_RADPS = 0.005
ACC_BIAS_SD_MPS2 = 0.05
GYR_BIAS_SD_RADPS = 0.01
MOUNT_SD_RAD = np.deg2rad(4.0)
#: Horizontal target distances from the ankle mid-point (m), close / intermediate / extended.
TARGET_X_M = (0.25, 0.45, 0.70)


def _load_proportions() -> dict[str, float]:
    text = (DATA_DIR / "body_proportions.csv").read_text()
    return {r["quantity"]: float(r["fraction_of_height"]) for r in csv.DictReader(text.splitlines())}


PROPORTIONS: dict[str, float] = _load_proportions()


@dataclass(frozen=True)
class SyntheticSubject:
    """Parameters of one synthetic worker (SI units).

    Attributes
    ----------
    subject_id, sex, handedness : str
        Identifier, ``"male"``/``"female"``, ``"right"``/``"left"``.
    height_m : float
        Stature (m).
    mass_kg : float
        Body mass (kg; metadata only).
    limb_scale : float
        Scale of the arm segments (dimensionless).
    speed : float
        Speed factor of the movements (dimensionless).
    technique : float
        0 = squat ... 1 = stoop (dimensionless).
    trunk_lag_s : float
        Delay of the trunk relative to the knees (s).
    mount_rotvec_rad : numpy.ndarray
        (6, 3) mounting misalignment of each site (rotation vectors, rad).
    """

    subject_id: str
    sex: str
    height_m: float
    mass_kg: float
    handedness: str
    limb_scale: float
    speed: float
    technique: float
    trunk_lag_s: float
    mount_rotvec_rad: np.ndarray   # (6, 3) mounting misalignment per site

    def length(self, name: str) -> float:
        """Body dimension in m (stature x proportion x limb scale for limb segments)."""
        scale = self.limb_scale if name in ("upper_arm_length", "forearm_length", "hand_length") else 1.0
        return self.height_m * PROPORTIONS[name] * scale


def make_subject(rng: np.random.Generator, subject_id: str) -> SyntheticSubject:
    """Draw one synthetic subject (distributions in the module docstring).

    Parameters
    ----------
    rng : numpy.random.Generator
        Random generator.
    subject_id : str
        Identifier.

    Returns
    -------
    SyntheticSubject
        The drawn worker (m, kg, s).

    Examples
    --------
    >>> s = make_subject(np.random.default_rng(0), "s01")
    >>> 1.4 < s.height_m < 2.0 and 0.0 <= s.technique <= 1.0
    True
    """
    return SyntheticSubject(
        subject_id=subject_id,
        sex=str(rng.choice(["male", "female"])),
        height_m=float(np.clip(rng.normal(1.70, 0.074), 1.50, 1.95)),
        mass_kg=float(np.clip(rng.normal(85.7, 20.2), 45.0, 150.0)),
        handedness="right" if rng.random() < 0.9 else "left",
        limb_scale=float(rng.uniform(0.97, 1.03)),
        speed=float(np.exp(rng.normal(0.0, 0.2))),
        technique=float(rng.uniform(0.1, 0.9)),
        trunk_lag_s=float(rng.uniform(-0.1, 0.15)),
        mount_rotvec_rad=rng.normal(0.0, MOUNT_SD_RAD, size=(len(SITES), 3)),
    )


# -- rotations ------------------------------------------------------------------------------
def rot_x(a) -> np.ndarray:
    """Rotation matrices about X for angles ``a`` (rad), shape a.shape + (3, 3).

    Parameters
    ----------
    a : array_like
        Angles (rad).

    Returns
    -------
    numpy.ndarray
        a.shape + (3, 3) rotation matrices.

    Examples
    --------
    >>> np.round(rot_x(np.pi / 2) @ [0, 1.0, 0], 6).tolist()
    [0.0, 0.0, 1.0]
    """
    a = np.asarray(a, dtype=float)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2)


def rot_y(a) -> np.ndarray:
    """Rotation matrices about Y (positive tilts +Z towards +X, i.e. forward).

    Parameters
    ----------
    a : array_like
        Angles (rad).

    Returns
    -------
    numpy.ndarray
        a.shape + (3, 3) rotation matrices.

    Examples
    --------
    >>> np.round(rot_y(np.pi / 2) @ [0, 0, 1.0], 6).tolist()
    [1.0, 0.0, 0.0]
    """
    a = np.asarray(a, dtype=float)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2)


def rot_z(a) -> np.ndarray:
    """Rotation matrices about Z.

    Parameters
    ----------
    a : array_like
        Angles (rad).

    Returns
    -------
    numpy.ndarray
        a.shape + (3, 3) rotation matrices.

    Examples
    --------
    >>> np.round(rot_z(np.pi / 2) @ [1.0, 0, 0], 6).tolist()
    [0.0, 1.0, 0.0]
    """
    a = np.asarray(a, dtype=float)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2)


def rotvec_to_matrix(v) -> np.ndarray:
    """Rodrigues formula for one rotation vector (rad).

    Parameters
    ----------
    v : array_like
        (3,) rotation vector: axis times angle (rad).

    Returns
    -------
    numpy.ndarray
        (3, 3) rotation matrix.

    Examples
    --------
    >>> np.allclose(rotvec_to_matrix([0, 0, np.pi / 2]) @ [1, 0, 0], [0, 1, 0])
    True
    """
    v = np.asarray(v, dtype=float)
    th = np.linalg.norm(v)
    if th < 1e-12:
        return np.eye(3)
    k = v / th
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(th) * kx + (1 - np.cos(th)) * kx @ kx


# -- virtual IMU ----------------------------------------------------------------------------
def virtual_imu(position_m: np.ndarray, rotation: np.ndarray, rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Ideal accelerometer and gyroscope readings of a sensor moving with a rigid body.

    Parameters
    ----------
    position_m : numpy.ndarray, shape (T, 3)
        Sensor position in the world frame (Z up), m.
    rotation : numpy.ndarray, shape (T, 3, 3)
        Sensor-to-world rotation matrices (columns: sensor axes in world coordinates).
    rate_hz : float
        Sampling rate of the inputs, Hz.

    Returns
    -------
    acc_mps2 : numpy.ndarray (T, 3)
        Specific force in the sensor frame, ``R^T (a - g)``, g = (0, 0, -9.81) m/s²: a sensor
        at rest with Z up reads (0, 0, +9.81).
    gyr_radps : numpy.ndarray (T, 3)
        Angular velocity in the sensor frame, the vee of ``R^T dR/dt``, rad/s.

    Examples
    --------
    >>> acc, gyr = virtual_imu(np.zeros((10, 3)), np.tile(np.eye(3), (10, 1, 1)), 100.0)
    >>> acc[0].tolist(), gyr[0].tolist()
    ([0.0, 0.0, 9.81], [0.0, 0.0, 0.0])
    """
    dt = 1.0 / rate_hz
    vel = np.gradient(position_m, dt, axis=0)
    acc_w = np.gradient(vel, dt, axis=0)
    acc_w = acc_w + np.array([0.0, 0.0, GRAVITY_MPS2])
    acc_s = np.einsum("tji,tj->ti", rotation, acc_w)
    rdot = np.gradient(rotation, dt, axis=0)
    omega = np.einsum("tji,tjk->tik", rotation, rdot)      # R^T dR/dt (skew-symmetric)
    gyr = 0.5 * np.stack([omega[:, 2, 1] - omega[:, 1, 2], omega[:, 0, 2] - omega[:, 2, 0],
                          omega[:, 1, 0] - omega[:, 0, 1]], axis=1)
    return acc_s, gyr


# -- posture --------------------------------------------------------------------------------
def zone_target(subject: SyntheticSubject, zone: int, rng: np.random.Generator | None = None) -> tuple[float, float]:
    """Hand (grip) target (x forward, z up) in m for a lift from ``zone``.

    Parameters
    ----------
    subject : SyntheticSubject
        The synthetic worker (m, kg).
    zone : int
        ACGIH zone 1-12.
    rng : numpy.random.Generator, optional
        Draws a small jitter of the target; None = the zone's nominal point.

    Returns
    -------
    (float, float)
        x forward and z up of the grip (m).

    Examples
    --------
    >>> s = make_subject(np.random.default_rng(0), "s")
    >>> x, z = zone_target(s, 10)
    >>> x, round(z / s.height_m, 3)
    (0.25, 0.081)
    """
    row, col = zone_grid_position(zone)
    h = subject.height_m
    shoulder = PROPORTIONS["shoulder_height"] * h
    knuckle = shoulder - subject.length("upper_arm_length") - subject.length("forearm_length") \
        - 0.5 * subject.length("hand_length")
    mid_shin = 0.5 * (PROPORTIONS["ankle_height"] + PROPORTIONS["knee_height"]) * h
    z = [shoulder + 0.05, 0.5 * (knuckle + shoulder - 0.08), 0.5 * (mid_shin + knuckle), 0.5 * mid_shin][row]
    x = TARGET_X_M[col]
    if rng is not None:
        x += rng.uniform(-0.03, 0.03)
        z += rng.uniform(-0.03, 0.03)
    return float(x), float(z)


def posture_for_target(subject: SyntheticSubject, target, technique: float) -> np.ndarray:
    """Joint angles (rad) that put the grip at ``target`` = (x, z) m.

    Returns ``[shank, thigh, trunk, upper_arm, forearm]`` absolute sagittal angles: shank and
    trunk tilt forward from vertical, thigh tilts backward from vertical (knee flexion =
    shank + thigh), upper arm and forearm are measured from hanging down, forward positive.

    Parameters
    ----------
    subject : SyntheticSubject
        The synthetic worker (m, kg).
    target : (float, float)
        Grip position (x, z) (m).
    technique : float
        0 = squat ... 1 = stoop (dimensionless).

    Returns
    -------
    numpy.ndarray
        (5,) absolute sagittal angles (rad).

    Examples
    --------
    >>> s = make_subject(np.random.default_rng(0), "s")
    >>> q = posture_for_target(s, zone_target(s, 11), 0.0)
    >>> bool(np.allclose(grip_position(s, q), zone_target(s, 11), atol=0.02))
    True
    """
    xg, zg = float(target[0]), float(target[1])
    h = subject.height_m
    knuckle = PROPORTIONS["shoulder_height"] * h - subject.length("upper_arm_length") \
        - subject.length("forearm_length") - 0.5 * subject.length("hand_length")
    depth = np.clip((knuckle - zg) / (knuckle - 0.05 * h), 0.0, 1.0)
    l_trunk = (PROPORTIONS["shoulder_height"] - PROPORTIONS["hip_height"]) * h
    l1 = subject.length("upper_arm_length")
    l2 = subject.length("forearm_length") + 0.5 * subject.length("hand_length")
    reach = 0.97 * (l1 + l2)
    trunk_grid = np.linspace(0.0, 1.7, 341)
    # knee flexion from the technique; bent further (0.05 rad steps) while the target is out of reach
    for knee in 0.1 + technique * 1.9 * depth + np.arange(0.0, 2.0, 0.05):
        shank, thigh = 0.45 * knee, 0.55 * knee
        hip = _hip(subject, shank, thigh)
        sh = hip[None, :] + l_trunk * np.c_[np.sin(trunk_grid), np.cos(trunk_grid)]
        dist = np.hypot(xg - sh[:, 0], zg - sh[:, 1])
        ok = np.flatnonzero(dist <= reach)
        if ok.size:
            break
    i = ok[0] if ok.size else int(np.argmin(dist))
    trunk = trunk_grid[i]
    s = sh[i]
    d = np.clip(dist[i], abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6)
    # direction shoulder -> target as an angle from hanging down, forward positive
    phi = np.arctan2(xg - s[0], -(zg - s[1]))
    elbow = np.arccos(np.clip((l1**2 + l2**2 - d**2) / (2 * l1 * l2), -1, 1))   # interior angle
    alpha = np.arcsin(np.clip(l2 * np.sin(elbow) / d, -1, 1))
    upper = phi - alpha          # elbow below the shoulder-target line
    fore = upper + (np.pi - elbow)
    return np.array([shank, thigh, trunk, upper, fore])


def _hip(subject: SyntheticSubject, shank, thigh) -> np.ndarray:
    h = subject.height_m
    ls = (PROPORTIONS["knee_height"] - PROPORTIONS["ankle_height"]) * h
    lt = (PROPORTIONS["hip_height"] - PROPORTIONS["knee_height"]) * h
    x = ls * np.sin(shank) - lt * np.sin(thigh)
    z = PROPORTIONS["ankle_height"] * h + ls * np.cos(shank) + lt * np.cos(thigh)
    return np.stack([x, z], -1)


def grip_position(subject: SyntheticSubject, q) -> np.ndarray:
    """Sagittal (x, z) of the grip for joint angles ``q`` (see ``posture_for_target``).

    Parameters
    ----------
    subject : SyntheticSubject
        The synthetic worker (m, kg).
    q : array_like
        (5,) angles from `posture_for_target` (rad).

    Returns
    -------
    numpy.ndarray
        (2,) grip (x, z) (m).

    Examples
    --------
    >>> s = make_subject(np.random.default_rng(0), "s")
    >>> bool(grip_position(s, np.zeros(5))[1] > 0.5)   # standing, arms hanging: grip at hip level
    True
    """
    q = np.asarray(q, dtype=float)
    h = subject.height_m
    hip = _hip(subject, q[..., 0], q[..., 1])
    l_trunk = (PROPORTIONS["shoulder_height"] - PROPORTIONS["hip_height"]) * h
    l1 = subject.length("upper_arm_length")
    l2 = subject.length("forearm_length") + 0.5 * subject.length("hand_length")
    x = hip[..., 0] + l_trunk * np.sin(q[..., 2]) + l1 * np.sin(q[..., 3]) + l2 * np.sin(q[..., 4])
    z = hip[..., 1] + l_trunk * np.cos(q[..., 2]) - l1 * np.cos(q[..., 3]) - l2 * np.cos(q[..., 4])
    return np.stack([x, z], -1)


STANDING = np.array([0.0, 0.0, 0.0, 0.0, 0.0])


def min_jerk(tau) -> np.ndarray:
    """Minimum-jerk position profile 10 tau^3 - 15 tau^4 + 6 tau^5 on [0, 1] (Flash & Hogan 1985).

    Parameters
    ----------
    tau : array_like
        Normalised time (dimensionless, 0-1).

    Returns
    -------
    numpy.ndarray
        Normalised position (dimensionless, 0-1).

    Examples
    --------
    >>> min_jerk([0.0, 0.5, 1.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    t = np.clip(np.asarray(tau, dtype=float), 0.0, 1.0)
    return t**3 * (10 - 15 * t + 6 * t**2)


def _movement_time(q0, q1, speed: float) -> float:
    return (0.7 + 0.5 * float(np.max(np.abs(np.asarray(q1) - q0)))) / speed


def simulate_lift(subject: SyntheticSubject, zone: int, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """One synthetic lift from ``zone``: raw IMU signals at 25 Hz and its description.

    Parameters
    ----------
    subject : SyntheticSubject
        The synthetic worker (m, kg).
    zone : int
        ACGIH zone 1-12 of the lift origin.
    rng : numpy.random.Generator
        Random generator (timing, noise, jitter).

    Returns
    -------
    data : numpy.ndarray, shape (T, 36)
        Channels in ``liftrisk.imu.layout.channel_names()`` order.
    info : dict
        Zone, risk, technique, speed, duration and target of the trial.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> data, info = simulate_lift(make_subject(rng, "s"), 10, rng)
    >>> data.shape[1], info["risk"], 6.0 < info["duration_s"] < 30.0
    (36, 'high', True)
    """
    risk = zone_risk(check_zone(zone))
    technique = float(np.clip(subject.technique + rng.normal(0, 0.1), 0.0, 1.0))
    speed = subject.speed * float(np.exp(rng.normal(0, 0.08)))
    target = zone_target(subject, zone, rng)
    h = subject.height_m
    knuckle = PROPORTIONS["shoulder_height"] * h - subject.length("upper_arm_length") \
        - subject.length("forearm_length") - 0.5 * subject.length("hand_length")
    q_origin = posture_for_target(subject, target, technique)
    q_dest = posture_for_target(subject, (0.30, knuckle + 0.10), technique)
    # phases: (duration, start posture, end posture)
    t_pre, t_post = rng.uniform(2.0, 4.0), rng.uniform(2.0, 4.0)
    phases = [(t_pre, STANDING, STANDING),
              (_movement_time(STANDING, q_origin, speed), STANDING, q_origin),
              (rng.uniform(0.3, 0.7) / speed, q_origin, q_origin),
              (_movement_time(q_origin, q_dest, speed), q_origin, q_dest),
              (rng.uniform(0.3, 0.6) / speed, q_dest, q_dest),
              (_movement_time(q_dest, STANDING, speed), q_dest, STANDING),
              (t_post, STANDING, STANDING)]
    total = sum(p[0] for p in phases)
    n_out = int(np.floor(total * RATE_HZ))
    step = int(round(SIM_RATE_HZ / RATE_HZ))
    n_sim = n_out * step
    t = np.arange(n_sim) / SIM_RATE_HZ
    q = np.zeros((n_sim, 5))
    start = 0.0
    lag = np.array([0.0, 0.0, subject.trunk_lag_s, 0.5 * subject.trunk_lag_s, 0.5 * subject.trunk_lag_s])
    for dur, qa, qb in phases:
        tau = (t[:, None] - start - lag[None, :]) / dur
        inside = (tau > 0)
        q += np.where(inside, (np.asarray(qb) - np.asarray(qa))[None, :] * min_jerk(tau), 0.0)
        start += dur
    # out-of-plane: trunk twist and side bend, arm asymmetry, rising with the trunk flexion
    bend = np.clip(q[:, 2] / 1.2, 0, 1)
    twist = rng.normal(0, np.deg2rad(4)) * bend
    side = rng.normal(0, np.deg2rad(3)) * bend
    arm_asym = rng.normal(0, np.deg2rad(3)) * np.clip(np.abs(q[:, 3]) / 1.2, 0, 1)
    # body sway (sub-Hz) and hand tremor (8-12 Hz, ~0.3 mm)
    sway = sum(rng.normal(0, np.deg2rad(0.4)) * np.sin(2 * np.pi * rng.uniform(0.1, 0.6) * t + rng.uniform(0, 6.3))
               for _ in range(3))
    tremor_hz = rng.uniform(8.0, 12.0)
    tremor = 0.0003 * np.sin(2 * np.pi * tremor_hz * t + rng.uniform(0, 6.3))[:, None] * rng.normal(size=3)
    data = _sensors(subject, q, twist, side, arm_asym, sway, tremor)
    data = data[::step]
    bias = np.concatenate([np.concatenate([rng.normal(0, ACC_BIAS_SD_MPS2, 3), rng.normal(0, GYR_BIAS_SD_RADPS, 3)])
                           for _ in SITES])
    noise_sd = np.tile(np.r_[np.full(3, ACC_NOISE_MPS2), np.full(3, GYR_NOISE_RADPS)], len(SITES))
    data = data + bias[None, :] + rng.normal(size=data.shape) * noise_sd[None, :]
    info = {"zone": int(zone), "risk": risk, "technique": technique, "speed": speed,
            "duration_s": data.shape[0] / RATE_HZ, "target_x_m": target[0], "target_z_m": target[1]}
    return data, info


def _sensors(subject: SyntheticSubject, q, twist, side, arm_asym, sway, tremor) -> np.ndarray:
    """Virtual IMU channels (T, 36) at the simulation rate for joint-angle trajectories q."""
    h = subject.height_m
    n = q.shape[0]
    dom = 1.0 if subject.handedness == "left" else -1.0      # +Y is the worker's left
    ls = (PROPORTIONS["knee_height"] - PROPORTIONS["ankle_height"]) * h
    lt = (PROPORTIONS["hip_height"] - PROPORTIONS["knee_height"]) * h
    l_trunk = (PROPORTIONS["shoulder_height"] - PROPORTIONS["hip_height"]) * h
    l1 = subject.length("upper_arm_length")
    l2 = subject.length("forearm_length")
    half_sw = 0.5 * PROPORTIONS["shoulder_width"] * h
    half_hw = 0.5 * PROPORTIONS["hip_width"] * h
    ankle = np.tile([0.0, 0.0, PROPORTIONS["ankle_height"] * h], (n, 1))
    r_shank = rot_y(q[:, 0])
    knee = ankle + r_shank @ np.array([0.0, 0.0, ls])
    r_thigh = rot_y(-q[:, 1])
    hip = knee + r_thigh @ np.array([0.0, 0.0, lt])
    r_trunk = rot_z(twist) @ rot_x(side) @ rot_y(q[:, 2] + sway)
    r_pelvis = rot_z(0.5 * twist) @ rot_y(0.45 * q[:, 2] + sway)
    shoulder_c = hip + r_trunk @ np.array([0.0, 0.0, l_trunk])
    out = {}
    # back (T12): on the back surface, 40 % of the way hip -> shoulder
    out["back"] = (hip + r_trunk @ np.array([-0.10, 0.0, 0.4 * l_trunk]), r_trunk)
    # waist: side of the pelvis, dominant side, 10 cm above the hip joint line
    out["waist"] = (hip + r_pelvis @ np.array([0.0, dom * (half_hw + 0.03), 0.10]), r_pelvis)
    # thigh: front of the dominant thigh, mid-length
    out["thigh"] = (knee + r_thigh @ np.array([0.08, dom * 0.5 * half_hw, 0.5 * lt]), r_thigh)
    for side_name, sgn in (("l", 1.0), ("r", -1.0)):
        asym = sgn * 0.5 * arm_asym
        r_ua = rot_z(twist) @ rot_x(side) @ rot_y(-(q[:, 3] + asym))
        r_fa = rot_z(twist) @ rot_x(side) @ rot_y(-(q[:, 4] + asym))
        sh = shoulder_c + r_trunk @ np.array([0.0, sgn * half_sw, 0.0])
        elbow = sh + r_ua @ np.array([0.0, 0.0, -l1])
        wrist = elbow + r_fa @ np.array([0.0, 0.0, -l2]) + tremor
        out[f"{side_name}_wrist"] = (wrist + r_fa @ np.array([0.0, sgn * 0.02, 0.02]), r_fa)
        if (sgn > 0) == (dom > 0):
            out["upper_arm"] = (sh + r_ua @ np.array([0.0, sgn * 0.05, -0.5 * l1]), r_ua)
    cols = []
    for k, site in enumerate(SITES):
        pos, rot = out[site]
        rot = rot @ rotvec_to_matrix(subject.mount_rotvec_rad[k])
        acc, gyr = virtual_imu(pos, rot, SIM_RATE_HZ)
        cols += [acc, gyr]
    return np.concatenate(cols, axis=1)


def generate_dataset(n_subjects: int = 10, trials_per_zone: int = 6, seed: int = 0,
                     zones=tuple(range(1, 13))) -> ImuDataset:
    """Synthetic dataset in the layout of Snyder et al. 2021 (10 subjects x 12 zones x 6 = 720 trials).

    Parameters
    ----------
    n_subjects : int
        Number of synthetic workers.
    trials_per_zone : int
        Repetitions of each zone per subject (Snyder et al. 2021: 6).
    seed : int
        Random seed (the same seed gives the same data set).
    zones : sequence of int
        ACGIH zones to include; the zone order of each subject is randomised as in Snyder et al. 2021.

    Returns
    -------
    ImuDataset
        Labels hold trial, subject, zone, risk and the subject's sex, height_m, mass_kg,
        handedness, plus per-trial technique, speed and duration_s.

    Examples
    --------
    >>> ds = generate_dataset(n_subjects=1, trials_per_zone=1, zones=(4, 8))
    >>> len(ds), sorted(ds.labels["risk"])
    (2, ['low', 'medium'])
    """
    if n_subjects < 1 or trials_per_zone < 1:
        raise LiftriskError(f"n_subjects={n_subjects}, trials_per_zone={trials_per_zone}; expected >= 1 each")
    rng = np.random.default_rng(seed)
    trials, rows = [], []
    for si in range(n_subjects):
        subj = make_subject(rng, f"S{si + 1:02d}")
        order = rng.permutation(np.repeat(np.asarray(zones, dtype=int), trials_per_zone))
        for rep, zone in enumerate(order):
            data, info = simulate_lift(subj, int(zone), rng)
            trials.append(data)
            rows.append({"trial": f"trials/{subj.subject_id}_{rep + 1:03d}_z{int(zone):02d}.csv",
                         "subject": subj.subject_id, "zone": int(zone), "risk": info["risk"], "sex": subj.sex,
                         "height_m": round(subj.height_m, 4), "mass_kg": round(subj.mass_kg, 2),
                         "handedness": subj.handedness, "technique": round(info["technique"], 4),
                         "speed": round(info["speed"], 4), "duration_s": info["duration_s"]})
    return ImuDataset(trials, pd.DataFrame(rows))
