"""2D 10-DOF model: segment parameters, kinematics and two independent inverse dynamics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core.subject import Subject
from liftrisk.predict.model2d import (
    DOF_NAMES,
    G,
    build_model_2d,
    forward_kinematics,
    inverse_dynamics,
    inverse_dynamics_lagrange,
    point_kinematics,
)
from liftrisk.predict.segments import de_leva_row, scaled_segment

MALE = Subject("male", 83.73, 1.82, age_years=28)  # Subject #8 of Zaman et al. 2021, Table 2


def test_de_leva_values_match_published_table():
    # de Leva (1996) Table 4, male: thigh 14.16 % of body mass, CoM 40.95 % from the hip;
    # female trunk 42.57 %. Reference lengths 0.4222 m (male thigh).
    assert de_leva_row("thigh", "male")["mass_fraction_of_body"] == pytest.approx(0.1416)
    assert de_leva_row("thigh", "male")["com_fraction_from_proximal"] == pytest.approx(0.4095)
    assert de_leva_row("trunk", "female")["mass_fraction_of_body"] == pytest.approx(0.4257)
    p = scaled_segment(Subject("male", 73.0, 1.741), "thigh")
    assert p.length_m == pytest.approx(0.4222)
    assert p.inertia_sagittal_kgm2 == pytest.approx(0.1416 * 73.0 * (0.329 * 0.4222) ** 2)


@pytest.mark.parametrize("subject", [MALE, Subject("female", 61.9, 1.735)])
def test_model_mass_is_body_mass(subject):
    # de Leva's fractions sum to 1.0000 (male) and 0.9999 (female)
    assert build_model_2d(subject).total_mass_kg == pytest.approx(subject.mass_kg, rel=2e-4)


def test_standing_still_grf_is_body_plus_box_weight_at_com():
    m = build_model_2d(MALE)
    q = m.standing_q()
    out = inverse_dynamics(m, q, np.zeros(10), np.zeros(10), 100.0)
    assert float(out["grf"][1]) == pytest.approx(MALE.mass_kg * G + 100.0, rel=2e-4)
    assert float(out["grf"][0]) == pytest.approx(0.0, abs=1e-9)
    # ZMP of a static body = centre of mass of body + box projected on the ground
    fk = forward_kinematics(m, q)
    mx = sum(s.mass * float((fk[s.name]["p"] + _rot(fk[s.name]["phi"], s.com_xz))[0]) for s in m.segments)
    hand_x = float(point_kinematics(m, fk, "hand")[0][0])
    com_x = (mx + 100.0 / G * hand_x) / (m.total_mass_kg + 100.0 / G)
    assert float(out["zmp_x"]) == pytest.approx(com_x, abs=1e-9)


def _rot(phi, v):
    c, s = np.cos(float(phi)), np.sin(float(phi))
    return np.array([[c * v[0] + s * v[1]], [-s * v[0] + c * v[1]]])


def test_static_shoulder_torque_matches_hand_calculation():
    """Arm held straight forward (shoulder 90 deg flexion): the flexion torque is the sum of
    weight x horizontal lever of upper arm, forearm+hand and box (statics by hand)."""
    m = build_model_2d(MALE)
    q = m.standing_q()
    q[DOF_NAMES.index("shoulder")] = np.pi / 2
    w = 150.0
    tau = np.asarray(inverse_dynamics(m, q, np.zeros(10), np.zeros(10), w)["tau"]).ravel()
    ua, fh = m.segment("upper_arm"), m.segment("forearm_hand")
    l_ua = -fh.joint_xz[1]
    l_hand = -m.points["hand"][1][1]
    expected = G * (ua.mass * -ua.com_xz[1] + fh.mass * (l_ua - fh.com_xz[1])) + w * (l_ua + l_hand)
    assert tau[DOF_NAMES.index("shoulder")] == pytest.approx(expected, rel=1e-9)
    assert tau[DOF_NAMES.index("elbow")] > 0  # elbow flexors hold the forearm up


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), box=st.floats(0.0, 600.0))
def test_newton_euler_equals_lagrange_on_random_states(seed, box):
    """Recursive Newton-Euler and the Euler-Lagrange equations (CasADi derivatives of the
    kinetic and potential energy) give the same generalised forces; tolerance 1e-8 N·m is
    round-off on torques of order 10-1000 N·m."""
    rng = np.random.default_rng(seed)
    m = build_model_2d(MALE)
    q = m.standing_q() + rng.normal(0.0, 0.6, 10)
    qd, qdd = rng.normal(0.0, 2.0, 10), rng.normal(0.0, 8.0, 10)
    ne = np.asarray(inverse_dynamics(m, q, qd, qdd, box)["tau"]).ravel()
    la = np.asarray(inverse_dynamics_lagrange(m, q, qd, qdd, box)).ravel()
    np.testing.assert_allclose(ne, la, atol=1e-8 * max(1.0, np.abs(ne).max()))
    # the ground reaction at the ZMP balances the floating base
    np.testing.assert_allclose(ne[:3], 0.0, atol=1e-8 * max(1.0, np.abs(ne).max()))


def test_point_velocity_is_time_derivative_of_position():
    """Recursive point velocity/acceleration vs central finite differences of positions."""
    m = build_model_2d(MALE)
    rng = np.random.default_rng(3)
    q0, qd, qdd = m.standing_q() + rng.normal(0, 0.4, 10), rng.normal(0, 1, 10), rng.normal(0, 1, 10)
    h = 1e-5

    def pos(t):
        q = q0 + qd * t + 0.5 * qdd * t**2
        return np.asarray(point_kinematics(m, forward_kinematics(m, q), "hand")[0]).ravel()

    p, v, a = (np.asarray(x).ravel() for x in point_kinematics(m, forward_kinematics(m, q0, qd, qdd), "hand"))
    np.testing.assert_allclose(v, (pos(h) - pos(-h)) / (2 * h), atol=1e-6)
    np.testing.assert_allclose(a, (pos(h) - 2 * p + pos(-h)) / h**2, atol=1e-3)


def test_fixed_feet_base_hand_calculation():
    """Ankle dorsiflexion a with all other joints straight tips the whole straight body about the
    ankle joint: pelvis at ankle + (thigh + shank) (sin a, cos a), tilt a; knee flexion k alone
    keeps the shank vertical and swings the thigh back: pelvis x = -thigh sin k."""
    import casadi as ca

    from liftrisk.predict.model2d import fixed_feet_base

    m = build_model_2d(Subject("male", 80.0, 1.80))
    thigh, shank = -m.segment("shank").joint_xz[1], -m.segment("rear_foot").joint_xz[1]
    ankle_h = -m.points["heel"][1][1]
    qj = ca.SX.sym("qj", 6)
    base = ca.Function("b", [qj], [fixed_feet_base(m, qj)[0][:3]])
    a = 0.3
    np.testing.assert_allclose(np.asarray(base([0, 0, 0, 0, 0, a])).ravel(),
                               [(thigh + shank) * np.sin(a), ankle_h + (thigh + shank) * np.cos(a), a], atol=1e-12)
    k = 0.8
    x, z, tilt = np.asarray(base([0, 0, 0, 0, k, 0])).ravel()
    assert abs(x + thigh * np.sin(k)) < 1e-12 and abs(z - ankle_h - shank - thigh * np.cos(k)) < 1e-12
    assert abs(abs(tilt) - k) < 1e-12
    # standing (all joints 0) is the model's upright posture
    np.testing.assert_allclose(np.asarray(base(np.zeros(6))).ravel(), m.standing_q()[:3], atol=1e-12)


def test_fixed_feet_base_velocity_matches_finite_difference():
    """Pelvis velocity and acceleration from the chain rule vs central differences of the position."""
    import casadi as ca

    from liftrisk.predict.model2d import fixed_feet_base

    m = build_model_2d(Subject("female", 62.0, 1.66))
    qj, qdj, qddj = ca.SX.sym("q", 6), ca.SX.sym("qd", 6), ca.SX.sym("qdd", 6)
    q, qd, qdd = fixed_feet_base(m, qj, qdj, qddj)
    f = ca.Function("f", [qj, qdj, qddj], [q, qd, qdd])
    rng = np.random.default_rng(3)
    q0, v, acc = rng.uniform(-0.5, 1.2, 6), rng.uniform(-2, 2, 6), rng.uniform(-5, 5, 6)
    h = 1e-5
    path = [np.asarray(f(q0 + v * t + 0.5 * acc * t * t, v + acc * t, acc)[0]).ravel() for t in (-h, 0.0, h)]
    vel, accel = (np.asarray(o).ravel() for o in f(q0, v, acc)[1:])
    np.testing.assert_allclose(vel, (path[2] - path[0]) / (2 * h), atol=1e-6)
    np.testing.assert_allclose(accel, (path[2] - 2 * path[1] + path[0]) / h**2, atol=2e-3)
