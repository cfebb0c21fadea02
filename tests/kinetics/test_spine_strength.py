"""Spine compression/shear and Anderson (2007) strength: hand calculations and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core import HandLoad, Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.inverse_dynamics import demo_posture, top_down_l5s1
from liftrisk.kinetics.spine import compression_limits_n, spine_load
from liftrisk.kinetics.strength import joint_strength, velocity_factor, workload_ratio

MALE = Subject("male", 80.0, 1.78, age_years=22)


def test_limits_are_niosh_values():
    # NIOSH (1981) Work Practices Guide: 3400 N action limit, 6400 N maximum permissible limit
    assert compression_limits_n() == {"action_limit": 3400.0, "maximum_permissible": 6400.0}


def test_spine_stooped_posture_hand_calculated():
    """45 deg stoop with a 10 kg box: net extension moment M and axial/anterior forces from
    top_down_l5s1; compression = M / 0.05 m + axial force (Chaffin's 5 cm erector moment arm)."""
    k = top_down_l5s1(demo_posture(), MALE, HandLoad(10.0), static=True)
    s = spine_load(k)
    m = k["l5s1_extension_moment_nm"].iloc[0]
    w = (80 * (0.0694 + 0.1596 + 0.1633 + 2 * (0.0271 + 0.0162 + 0.0061)) + 10) * 9.81
    c45 = math.cos(math.pi / 4)
    assert s["compression_n"].iloc[0] == pytest.approx(m / 0.05 + w * c45, rel=1e-9)
    assert s["ap_shear_n"].iloc[0] == pytest.approx(w * c45, rel=1e-9)  # weight pushes the trunk forward
    assert bool(s["above_action_limit"].iloc[0]) == (m / 0.05 + w * c45 > 3400)
    tilted = spine_load(k, muscle_angle_deg=10)
    assert tilted["ap_shear_n"].iloc[0] < s["ap_shear_n"].iloc[0]


def test_spine_flags_and_errors():
    k = pd.DataFrame({"l5s1_extension_moment_nm": [100.0, 200.0, 400.0], "l5s1_axial_force_n": [500.0] * 3,
                      "l5s1_anterior_force_n": [0.0] * 3})
    s = spine_load(k)
    assert s["compression_n"].tolist() == [2500.0, 4500.0, 8500.0]
    assert s["above_action_limit"].tolist() == [False, True, True]
    assert s["above_maximum_permissible"].tolist() == [False, False, True]
    with pytest.raises(DataQualityError, match="top_down_l5s1"):
        spine_load(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(DataQualityError, match="metres"):
        spine_load(k, moment_arm_m=5.0)


def test_anderson_hand_computed_value():
    """Knee extension, male 18-25 (Table 3: c1 .163, c2 1.258, c3 1.133, c4 1.517, c5 3.952),
    theta = 1.0 rad, omega = 1.0 rad/s concentric, W = 80 x 9.81 N, H = 1.78 m."""
    t0 = 0.163 * 80 * 9.81 * 1.78
    fv = (2 * 1.517 * 3.952 + 1.0 * (3.952 - 3 * 1.517)) / (2 * 1.517 * 3.952 + 1.0 * (2 * 3.952 - 4 * 1.517))
    expected = t0 * math.cos(1.258 * (1.0 - 1.133)) * fv
    assert float(joint_strength(MALE, "knee", "extension", 1.0, 1.0)) == pytest.approx(expected, rel=1e-12)
    # eccentric: hip extension female >65 (c4 1.613, c5 3.256, c6 .36), omega = -0.5 rad/s
    old = Subject("female", 60.0, 1.60, age_years=70)
    t0 = 0.138 * 60 * 9.81 * 1.60
    a = 0.5
    fv = (2 * 1.613 * 3.256 + a * (3.256 - 3 * 1.613)) / (2 * 1.613 * 3.256 + a * (2 * 3.256 - 4 * 1.613))
    fv *= 1 + 0.36 * a
    assert float(joint_strength(old, "hip", "extension", 1.542, -0.5)) == pytest.approx(t0 * fv, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.3, 3.0), st.floats(1.2, 3.0))
def test_velocity_factor_definitions(c4, ratio):
    c5 = c4 * ratio
    assert float(velocity_factor(0.0, c4, c5, 0.3)) == pytest.approx(1.0)
    assert float(velocity_factor(c4, c4, c5, 0.3)) == pytest.approx(0.75)
    assert float(velocity_factor(c5, c4, c5, 0.3)) == pytest.approx(0.5)


def test_strength_peak_monotone_in_angle_and_age():
    s = MALE
    peak = joint_strength(s, "hip", "extension")
    ang = np.linspace(-0.5, 2.0, 50)
    assert np.all(joint_strength(s, "hip", "extension", ang) <= peak + 1e-9)
    with pytest.raises(DataQualityError, match="expected joint"):
        joint_strength(s, "wrist", "flexion")


def test_workload_ratio_capacities():
    k = pd.DataFrame({"r_knee_extension_moment_nm": [0.0, 0.163 * 80 * 9.81 * 1.78],
                      "r_shoulder_flexion_moment_nm": [10.0, 30.0]})
    w = workload_ratio(k, MALE, capacity_nm={"r_shoulder_flexion_moment_nm": 60.0})
    assert w["r_knee_workload_ratio"].tolist() == pytest.approx([0.0, 1.0])
    assert w["r_shoulder_flexion_workload_ratio"].tolist() == pytest.approx([1 / 6, 0.5])
    with pytest.raises(DataQualityError, match="lacks"):
        workload_ratio(k, MALE, capacity_nm={"nope_nm": 1.0})


def test_sagittal_angles_and_dynamic_workload():
    from liftrisk.core import Motion
    from liftrisk.kinetics.strength import sagittal_angles

    t = np.linspace(0, 1, 101)
    q = 0.3 + 0.5 * t  # knee flexion increasing (knee bends) at 0.5 rad/s
    pts = {"l5s1": [0, 0, 1.1], "mid_hip": [0, 0, 1.0], "l_hip": [0, 0.1, 1.0], "r_hip": [0, -0.1, 1.0],
           "l_knee": [0, 0.1, 0.6], "l_ankle": [0, 0.1, 0.2], "l_heel": [-0.05, 0.1, 0.15], "l_toe": [0.2, 0.1, 0.15]}
    arr = {k: np.tile(np.array(v, float), (t.size, 1)) for k, v in pts.items()}
    arr["r_hip"] = np.tile([0, -0.1, 1.0], (t.size, 1))
    arr["r_knee"] = np.tile([0, -0.1, 0.6], (t.size, 1))  # thigh vertical
    arr["r_ankle"] = arr["r_knee"] + 0.4 * np.stack([-np.sin(q), 0 * q, -np.cos(q)], axis=1)
    arr["r_heel"] = arr["r_ankle"] + [-0.05, 0, -0.05]
    arr["r_toe"] = arr["r_heel"] + [0.25, 0, 0]
    m = Motion.from_points(arr, time_s=t)
    ang = sagittal_angles(m)
    assert ang["r_knee"].to_numpy() == pytest.approx(q, abs=1e-9)
    assert ang["r_hip"].to_numpy() == pytest.approx(0.0, abs=1e-9)
    # an extension moment while the knee flexes at 0.5 rad/s is eccentric (omega = -0.5 rad/s):
    # Anderson eq. 9 as evaluated in RBDL, f = (2c4c5 - w(c5 - 3c4))(1 - c6 w) / (2c4c5 - w(2c5 - 4c4))
    k = pd.DataFrame({"r_knee_extension_moment_nm": np.full(t.size, 100.0)}, index=pd.Index(t, name="time_s"))
    iso = workload_ratio(k, MALE, angles_rad=ang)
    dyn = workload_ratio(k, MALE, angles_rad=ang, dynamic=True)
    c = 0.163 * 80 * 9.81 * 1.78 * np.cos(1.258 * (q[50] - 1.133))  # isometric at that angle (hand)
    assert iso["r_knee_workload_ratio"].iloc[50] == pytest.approx(100.0 / c, rel=1e-9)
    w, c4, c5, c6 = -0.5, 1.517, 3.952, 0.095
    f = (2 * c4 * c5 - w * (c5 - 3 * c4)) * (1 - c6 * w) / (2 * c4 * c5 - w * (2 * c5 - 4 * c4))
    assert dyn["r_knee_workload_ratio"].iloc[50] == pytest.approx(100.0 / (c * f), rel=1e-6)


# ----------------------------------------------------------------------------- upper body (L5/S1, shoulder, elbow)
FEMALE = Subject("female", 60.0, 1.65, age_years=30)
MALE30 = Subject("male", 80.0, 1.80, age_years=30)


def test_l5s1_capacity_published_values():
    """Rantanen et al. (1994) abstract: isometric trunk torque of 16 women with the fulcrum at
    the PSIS level, flexion 117.0 N·m and extension 182.2 N·m; men = women / 0.60 (Kamon et
    al. 1978: women about 60 % as strong as men, back extensors of industrial workers)."""
    assert float(joint_strength(FEMALE, "l5s1", "extension")) == pytest.approx(182.2, abs=1e-9)
    assert float(joint_strength(FEMALE, "l5s1", "flexion")) == pytest.approx(117.0, abs=1e-9)
    assert float(joint_strength(MALE30, "l5s1", "extension")) == pytest.approx(182.2 / 0.60, abs=1e-3)
    assert float(joint_strength(MALE30, "l5s1", "flexion")) == pytest.approx(117.0 / 0.60, abs=1e-3)


def test_harbo_regressions_by_hand():
    """Harbo et al. (2012) sex-specific regressions, capacity = I + A age + H height + W mass,
    coefficients as published (men, isometric elbow flexion: -23.8, -0.13, 22, 0.51; women,
    isometric elbow flexion: 6.9, -0.13, 9, 0.18; men, isometric shoulder abduction: -30.8,
    -0.24, 36, 0.49; women, isokinetic 60 deg/s elbow extension: 6.4, -0.10, 5, 0.27)."""
    assert float(joint_strength(MALE30, "elbow", "flexion")) == pytest.approx(
        -23.8 - 0.13 * 30 + 22 * 1.80 + 0.51 * 80, abs=1e-9)  # 52.7 N·m
    assert float(joint_strength(FEMALE, "elbow", "flexion")) == pytest.approx(
        6.9 - 0.13 * 30 + 9 * 1.65 + 0.18 * 60, abs=1e-9)  # 28.65 N·m
    assert float(joint_strength(MALE30, "shoulder", "flexion")) == pytest.approx(
        -30.8 - 0.24 * 30 + 36 * 1.80 + 0.49 * 80, abs=1e-9)  # 66.0 N·m
    assert float(joint_strength(FEMALE, "elbow", "extension")) == pytest.approx(
        6.4 - 0.10 * 30 + 5 * 1.65 + 0.27 * 60, abs=1e-9)
    # unknown age -> 30 years; angle arrays broadcast; no velocity dependence is modelled
    no_age = Subject("male", 80.0, 1.80)
    assert float(joint_strength(no_age, "elbow", "flexion")) == float(joint_strength(MALE30, "elbow", "flexion"))
    assert joint_strength(MALE30, "elbow", "flexion", np.zeros(4)).shape == (4,)
    with pytest.raises(DataQualityError, match="isometric"):
        joint_strength(MALE30, "elbow", "flexion", None, 1.0)
    with pytest.raises(DataQualityError, match="outside the range"):
        joint_strength(Subject("female", 30.0, 1.0, age_years=90), "shoulder", "flexion")


def test_upper_body_capacities_against_other_studies():
    """Cross-source checks (independent studies, so loose bands):
    - male static shoulder FLEXION on a KIN-COM: 89.9 N·m at 0 deg and 68.6 N·m at 45 deg
      ("Dynamic shoulder flexion strength for use in occupational risk analysis and clinical
      assessment", abstract); Harbo's abduction proxy for a 30-year-old 1.80 m 80 kg man must
      lie between 90 % of the 45-deg value and the 0-deg value;
    - women/men ratio of arm-flexor strength "about 60 percent" (Kamon et al. 1978, 463 men,
      139 women): Harbo's elbow flexion ratio for typical body sizes within 0.45-0.75."""
    sh = float(joint_strength(MALE30, "shoulder", "flexion"))
    assert 0.9 * 68.6 <= sh <= 89.9
    ratio = float(joint_strength(FEMALE, "elbow", "flexion")) / float(joint_strength(MALE30, "elbow", "flexion"))
    assert 0.45 <= ratio <= 0.75


def test_workload_ratio_covers_every_major_joint_by_default():
    """Top-down (L5/S1, shoulders, elbows) + bottom-up (hips, knees, ankles) columns all get a
    default capacity; the L5/S1 ratio is the extension moment over Rantanen/Kamon's capacity."""
    from liftrisk.kinetics.inverse_dynamics import bottom_up, static_grf

    m = demo_posture()
    td = top_down_l5s1(m, MALE30, HandLoad(10.0), static=True)
    bu = bottom_up(m, MALE30, static_grf(m, MALE30, box_kg=10.0), static=True)
    both = td.join(bu.drop(columns=[c for c in bu.columns if c.startswith("l5s1")]))
    w = workload_ratio(both, MALE30)
    expected = {"l5s1"} | {f"{s}_{j}" for s in "lr" for j in ("shoulder", "elbow", "hip", "knee", "ankle")}
    assert {c.removesuffix("_workload_ratio") for c in w.columns} == expected
    m_ext = td["l5s1_extension_moment_nm"].iloc[0]  # 130.3 N·m (hand-checked in test_inverse_dynamics)
    assert w["l5s1_workload_ratio"].iloc[0] == pytest.approx(m_ext / (182.2 / 0.60), rel=1e-9)
    el = td["r_elbow_flexion_moment_nm"].iloc[0]
    cap = (-23.8 - 0.13 * 30 + 22 * 1.80 + 0.51 * 80) if el >= 0 else (-4.4 - 0.07 * 30 + 12 * 1.80 + 0.42 * 80)
    assert w["r_elbow_workload_ratio"].iloc[0] == pytest.approx(abs(el) / cap, rel=1e-9)
    # a flexor L5/S1 moment is rated against the flexion capacity
    k = pd.DataFrame({"l5s1_extension_moment_nm": [-39.0]})
    assert workload_ratio(k, MALE30)["l5s1_workload_ratio"].iloc[0] == pytest.approx(39.0 / (117.0 / 0.60))
