"""Fixtures of the risk tests: a sagittal-plane stick body doing floor-to-shelf lifts with
known joint angles (forward kinematics, so every angle and hand position is known
exactly), and writers of small motion files for the CLI tests."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core.motion import Motion

SHANK, THIGH, TRUNK, HEAD, UPPER_ARM, FOREARM, HAND = 0.42, 0.42, 0.50, 0.25, 0.30, 0.27, 0.08
ANKLE_Z = 0.08


def _profile(t, keys_t, keys_v):
    """Smooth (cosine-blended) piecewise profile through key values; flat between holds."""
    out = np.empty_like(t)
    for i in range(len(keys_t) - 1):
        m = (t >= keys_t[i]) & (t <= keys_t[i + 1])
        s = (t[m] - keys_t[i]) / (keys_t[i + 1] - keys_t[i])
        out[m] = keys_v[i] + (keys_v[i + 1] - keys_v[i]) * 0.5 * (1 - np.cos(np.pi * s))
    out[t > keys_t[-1]] = keys_v[-1]
    return out


def body_from_angles(trunk_deg, knee_deg, shoulder_deg, elbow_deg, neck_deg, yaw_deg=0.0, time_s=None,
                     rate_hz=50.0) -> Motion:
    """Canonical points of a symmetric stick body from sagittal joint angles (degrees, per frame).

    Feet fixed, ankles at (0, +-0.1, 0.08); the whole body is turned by ``yaw_deg`` about Z.
    """
    phi, kap, sig, eps, nu = (np.radians(np.atleast_1d(np.asarray(a, float)))
                              for a in (trunk_deg, knee_deg, shoulder_deg, elbow_deg, neck_deg))
    n = phi.size
    pts = {}
    for side, y in (("l", 0.1), ("r", -0.1)):
        ankle = np.tile([0.0, y, ANKLE_Z], (n, 1))
        a = kap / 2
        knee = ankle + SHANK * np.stack([np.sin(a), 0 * a, np.cos(a)], 1)
        hip = knee + THIGH * np.stack([-np.sin(a), 0 * a, np.cos(a)], 1)
        pts[f"{side}_ankle"], pts[f"{side}_knee"], pts[f"{side}_hip"] = ankle, knee, hip
        pts[f"{side}_heel"] = np.tile([-0.05, y, 0.02], (n, 1))
        pts[f"{side}_toe"] = np.tile([0.15, y, 0.02], (n, 1))
    mid_hip = 0.5 * (pts["l_hip"] + pts["r_hip"])
    up = np.stack([np.sin(phi), 0 * phi, np.cos(phi)], 1)
    fwd = np.stack([np.cos(phi), 0 * phi, -np.sin(phi)], 1)
    neck = mid_hip + TRUNK * up
    pts["mid_hip"], pts["neck"] = mid_hip, neck
    pts["head"] = neck + HEAD * np.stack([np.sin(phi + nu), 0 * phi, np.cos(phi + nu)], 1)
    for side, y in (("l", 0.18), ("r", -0.18)):
        sh = neck + np.array([0.0, y, 0.0])
        u = -np.cos(sig)[:, None] * up + np.sin(sig)[:, None] * fwd
        fa = -np.cos(sig + eps)[:, None] * up + np.sin(sig + eps)[:, None] * fwd
        el = sh + UPPER_ARM * u
        wr = el + FOREARM * fa
        pts[f"{side}_shoulder"], pts[f"{side}_elbow"], pts[f"{side}_wrist"] = sh, el, wr
        pts[f"{side}_hand"] = wr + HAND * fa
    c, s = np.cos(np.radians(yaw_deg)), np.sin(np.radians(yaw_deg))
    rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])
    pts = {k: v @ rot.T for k, v in pts.items()}
    if time_s is None:
        time_s = np.arange(n) / rate_hz
    return Motion.from_points(pts, time_s=time_s, source="synthetic lifting body", meta={"skeleton": "canonical"})


#: key times (s) and angles (deg) of one floor-to-shelf lift cycle: stand, bend, grasp (hold),
#: lift, place at shoulder height (hold), return, stand
CYCLE_T = [0.0, 1.0, 2.0, 2.6, 3.6, 4.2, 5.2, 6.0]
CYCLE = {
    "trunk_deg": [0, 0, 70, 70, 5, 5, 0, 0],
    "knee_deg": [0, 0, 50, 50, 0, 0, 0, 0],
    "shoulder_deg": [0, 0, 25, 25, 80, 80, 0, 0],
    "elbow_deg": [10, 10, 15, 15, 30, 30, 10, 10],
    "neck_deg": [5, 5, 25, 25, 0, 0, 5, 5],
}


def lifting_motion(cycles: int = 1, rate_hz: float = 50.0, yaw_deg: float = 0.0) -> tuple[Motion, dict]:
    """Motion of `cycles` lift cycles and the per-frame angle profiles (deg)."""
    period = CYCLE_T[-1]
    t = np.arange(0, cycles * period, 1.0 / rate_hz)
    tc = np.mod(t, period)
    ang = {k: _profile(tc, CYCLE_T, v) for k, v in CYCLE.items()}
    return body_from_angles(**ang, yaw_deg=yaw_deg, time_s=t), ang


@pytest.fixture(scope="session")
def lift_cycle():
    """(motion, angles) of two lift cycles at 50 Hz."""
    return lifting_motion(cycles=2)
