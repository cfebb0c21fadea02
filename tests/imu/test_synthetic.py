"""Virtual IMU physics (analytic cases) and the synthetic lift generator."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.imu.layout import channel_names
from liftrisk.imu.synthetic import (
    generate_dataset,
    grip_position,
    make_subject,
    posture_for_target,
    rot_x,
    rot_y,
    rot_z,
    rotvec_to_matrix,
    simulate_lift,
    virtual_imu,
    zone_target,
)

RATE = 200.0


def test_static_tilted_sensor_reads_gravity_components():
    """Sensor pitched forward by theta about Y: specific force = g (-sin theta, 0, cos theta)."""
    th = np.deg2rad(30.0)
    acc, gyr = virtual_imu(np.zeros((20, 3)), np.tile(rot_y(th), (20, 1, 1)), RATE)
    np.testing.assert_allclose(acc, np.tile(GRAVITY_MPS2 * np.array([-np.sin(th), 0, np.cos(th)]), (20, 1)),
                               atol=1e-12)
    np.testing.assert_allclose(gyr, 0.0, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=3))
def test_static_sensor_any_orientation_reads_one_g(v):
    acc, _ = virtual_imu(np.ones((5, 3)), np.tile(rotvec_to_matrix(v), (5, 1, 1)), RATE)
    np.testing.assert_allclose(np.linalg.norm(acc, axis=1), GRAVITY_MPS2, atol=1e-9)


def test_turntable_centripetal_and_rate():
    """Sensor at radius r on a table turning at omega about Z, x axis radial:
    accelerometer (-r omega^2, 0, g) (centripetal towards the centre), gyroscope (0, 0, omega)."""
    r, w = 0.5, 2.0
    t = np.arange(400) / RATE
    ang = w * t
    pos = np.c_[r * np.cos(ang), r * np.sin(ang), np.zeros_like(t)]
    acc, gyr = virtual_imu(pos, rot_z(ang), RATE)
    mid = slice(5, -5)
    # tolerance: central differences at 200 Hz, error ~ (w dt)^2 / 6 relative = 1.7e-5
    np.testing.assert_allclose(acc[mid], np.tile([-r * w**2, 0.0, GRAVITY_MPS2], (390, 1)), atol=1e-3)
    np.testing.assert_allclose(gyr[mid], np.tile([0.0, 0.0, w], (390, 1)), atol=1e-3)


def test_free_fall_reads_zero():
    t = np.arange(100) / RATE
    pos = np.c_[np.zeros_like(t), np.zeros_like(t), -0.5 * GRAVITY_MPS2 * t**2]
    acc, _ = virtual_imu(pos, np.tile(rot_x(0.3), (100, 1, 1)), RATE)
    np.testing.assert_allclose(acc[2:-2], 0.0, atol=1e-9)


def test_gyro_in_sensor_frame_for_tilted_spin():
    """Spin about world Z at w of a sensor pitched by theta: body rate = R^T (0,0,w)."""
    th, w = 0.4, 1.5
    t = np.arange(300) / RATE
    rot = rot_z(w * t) @ rot_y(th)
    _, gyr = virtual_imu(np.zeros((300, 3)), rot, RATE)
    expect = rot_y(th).T @ np.array([0.0, 0.0, w])
    np.testing.assert_allclose(gyr[5:-5], np.tile(expect, (290, 1)), atol=1e-3)


@pytest.mark.parametrize("zone", range(1, 13))
@pytest.mark.parametrize("technique", [0.0, 0.5, 1.0])
def test_posture_reaches_zone_targets(zone, technique):
    """Inverse kinematics checked by forward kinematics: grip within 1 cm of the target."""
    s = make_subject(np.random.default_rng(zone), "s")
    target = zone_target(s, zone)
    q = posture_for_target(s, target, technique)
    assert np.linalg.norm(grip_position(s, q) - target) < 0.01


def test_zone_targets_in_acgih_bands():
    s = make_subject(np.random.default_rng(1), "s")
    for zone in range(1, 13):
        x, z = zone_target(s, zone)
        lo, hi = [(0.0, 0.30), (0.30, 0.60), (0.60, 0.80)][(zone - 1) % 3]
        assert lo <= x <= hi
    # floor row below the middle shin, top row above shoulder - 8 cm
    assert zone_target(s, 11)[1] < 0.5 * (0.039 + 0.285) * s.height_m
    assert zone_target(s, 2)[1] > 0.818 * s.height_m - 0.08


def test_squat_bends_knees_more_and_trunk_less():
    s = make_subject(np.random.default_rng(2), "s")
    target = zone_target(s, 11)
    stoop = posture_for_target(s, target, 0.0)
    squat = posture_for_target(s, target, 1.0)
    assert squat[0] + squat[1] > stoop[0] + stoop[1] and squat[2] < stoop[2]


def test_simulated_lift_physics():
    rng = np.random.default_rng(0)
    s = make_subject(rng, "s")
    data, info = simulate_lift(s, 11, rng)
    assert data.shape[1] == len(channel_names()) and 6.0 < info["duration_s"] < 30.0
    # quiet standing in the first second: every accelerometer reads ~1 g (noise 0.03, bias 0.05 m/s^2)
    for k in range(6):
        acc = data[:25, 6 * k: 6 * k + 3]
        assert np.linalg.norm(acc, axis=1).mean() == pytest.approx(GRAVITY_MPS2, abs=0.3)
    # the back sensor turns most (trunk flexion ~90 deg) during a floor lift: peak pitch rate > 0.5 rad/s
    assert np.abs(data[:, 3:6]).max() > 0.5


def test_floor_lifts_move_the_trunk_more_than_knuckle_lifts():
    ds = generate_dataset(n_subjects=1, trials_per_zone=2, seed=3, zones=(5, 11))
    peak = [np.abs(t[:, 3:6]).max() for t in ds.trials]
    z = ds.labels["zone"].to_numpy()
    assert np.mean([p for p, zz in zip(peak, z, strict=True) if zz == 11]) > \
        np.mean([p for p, zz in zip(peak, z, strict=True) if zz == 5])


def test_dataset_layout_and_reproducibility():
    a = generate_dataset(n_subjects=1, trials_per_zone=1, seed=9)
    b = generate_dataset(n_subjects=1, trials_per_zone=1, seed=9)
    assert len(a) == 12 and a.labels["risk"].value_counts().to_dict() == {"high": 6, "medium": 4, "low": 2}
    assert all(np.array_equal(x, y) for x, y in zip(a.trials, b.trials, strict=True))
    assert sorted(a.labels["zone"]) == list(range(1, 13))
    assert {"trial", "subject", "zone", "risk", "height_m", "technique"} <= set(a.labels.columns)
