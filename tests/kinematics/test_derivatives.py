"""Derivatives against analytic motions: projectile, constant and uniformly accelerated rotation."""

import numpy as np
import pytest

from liftrisk.core import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics import angular_acceleration, angular_velocity, point_kinematics, segment_kinematics
from liftrisk.kinematics.rotations import matrix_from_axis_angle, rotation_about, unit

G = 9.81


@pytest.mark.parametrize("method", ["savgol", "central"])
def test_projectile(method):
    """p = p0 + v0 t - g t^2 / 2: both differentiators are exact for quadratics (1e-9 m/s^2
    covers float round-off at 200 Hz)."""
    t = np.arange(0, 1.2, 1 / 200)
    v0 = np.array([3.0, -1.0, 4.0])
    p = np.array([0.1, 0.2, 1.0]) + v0 * t[:, None] + 0.5 * np.array([0, 0, -G]) * t[:, None] ** 2
    v, a = point_kinematics(Motion.from_points({"ball": p}, rate_hz=200.0), method=method)
    np.testing.assert_allclose(a["ball"], np.broadcast_to([0, 0, -G], p.shape), atol=1e-6)
    np.testing.assert_allclose(v["ball"], v0 + np.array([0, 0, -G]) * t[:, None], atol=1e-7)


@pytest.mark.parametrize("method", ["savgol", "central"])
def test_constant_rotation_about_oblique_axis(method):
    """R(t) = exp([w]x t) R0: omega_world = w; omega_local = R^T w. Interior frames (the
    edges use one-sided fits): the central difference of R has relative error
    (|w| dt)^2 / 6 = 1.5e-4 at 3 rad/s and 100 Hz, i.e. 4.5e-4 rad/s; the cubic
    Savitzky-Golay fit over 0.11 s is more accurate."""
    w = 3.0 * unit(np.array([0.3, -0.5, 0.8]))
    t = np.arange(0, 2, 0.01)
    r0 = rotation_about("x", 0.4)
    r = matrix_from_axis_angle(w * t[:, None]) @ r0
    wl = angular_velocity(r, 100.0, method=method)[6:-6]
    np.testing.assert_allclose(wl, np.broadcast_to(w, wl.shape), atol=6e-4)
    loc = angular_velocity(r, 100.0, expressed_in="local", method=method)[6:-6]
    np.testing.assert_allclose(loc, np.einsum("tji,j->ti", r[6:-6], w), atol=6e-4)
    np.testing.assert_allclose(angular_acceleration(r, 100.0, method=method)[12:-12], 0.0, atol=5e-3)


def test_uniform_angular_acceleration_about_fixed_axis():
    t = np.arange(0, 1.5, 0.005)
    r = rotation_about("y", 0.5 * 4.0 * t ** 2)  # alpha = 4 rad/s^2, omega = 4 t
    np.testing.assert_allclose(angular_velocity(r, 200.0)[12:-12, 1], 4.0 * t[12:-12], atol=1e-4)
    np.testing.assert_allclose(angular_acceleration(r, 200.0)[24:-24, 1], 4.0, atol=1e-3)


def test_segment_kinematics_of_a_rigidly_spinning_body():
    """A whole body spinning at 1 rad/s about Z: every segment has omega = (0, 0, 1)."""
    from liftrisk.synthetic import neutral_body
    m0 = neutral_body(n_frames=1)
    t = np.arange(0, 1, 0.01)
    pos = np.einsum("tij,kj->tki", rotation_about("z", t), m0.positions_m[0])
    m = Motion(time_s=t, positions_m=pos, point_names=m0.point_names)
    k = segment_kinematics(m, ["trunk", "l_thigh", "r_forearm"])
    for seg in k.values():
        np.testing.assert_allclose(seg["angular_velocity"], np.broadcast_to([0, 0, 1.0], (t.size, 3)), atol=1e-4)
        speed = np.linalg.norm(seg["origin_velocity"], axis=1)
        radius = np.linalg.norm(seg["frames"][:, :2, 3], axis=1)
        np.testing.assert_allclose(speed, radius, atol=1e-4)  # v = omega r


def test_bad_arguments():
    with pytest.raises(DataQualityError, match="too few"):
        angular_velocity(np.broadcast_to(np.eye(3), (2, 3, 3)), 100.0)
    with pytest.raises(DataQualityError, match="method"):
        point_kinematics(Motion.from_points({"a": np.zeros((10, 3))}, rate_hz=10), method="spline")
