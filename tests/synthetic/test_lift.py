"""Synthetic body and lifts: rigid segment lengths, fixed feet, hands on the box, known H/V/A."""

import numpy as np
import pytest

from liftrisk.core import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics import joint_angles
from liftrisk.synthetic import BodyDimensions, minimum_jerk, neutral_body, place_body, synthetic_lift
from liftrisk.synthetic.body import DRILLIS_CONTINI_1966

SUBJ = Subject("female", 64.0, 1.66)


def test_drillis_contini_proportions_are_consistent():
    """Winter (2009) Fig. 4.1: the drawn levels equal the sums of the drawn segment lengths."""
    f = DRILLIS_CONTINI_1966
    assert f["ankle_height"] + f["shank"] + f["thigh"] == pytest.approx(f["hip_height"], abs=1e-9)
    assert f["knee_height"] - f["ankle_height"] == pytest.approx(f["shank"], abs=1e-3)
    d = BodyDimensions.from_subject(Subject("male", 80.0, 1.80))
    # de Leva (1996) reference male (1.741 m): thigh 0.4222 m, shank 0.4340 m; scaled to
    # 1.80 m these are 0.437 / 0.449 m; Drillis & Contini must agree within 3 cm.
    assert d.thigh_m == pytest.approx(0.4222 * 1.80 / 1.741, abs=0.03)
    assert d.shank_m == pytest.approx(0.4340 * 1.80 / 1.741, abs=0.03)


def test_neutral_standing_heights():
    m = neutral_body(SUBJ)
    h = SUBJ.height_m
    assert m["l_hip"][0, 2] == pytest.approx(0.530 * h)
    assert m["l_shoulder"][0, 2] == pytest.approx(0.818 * h)
    assert m["head"][0, 2] == pytest.approx(0.936 * h)
    # finger tip would be at 0.377 H; the hand point (MET3) is above it
    assert 0.377 * h < m["r_hand"][0, 2] < 0.485 * h


@pytest.fixture(scope="module")
def lift():
    return synthetic_lift(SUBJ, box_mass_kg=12.0, n_lifts=2, asymmetry_deg=45, rate_hz=50, noise_m=0.0)


def test_segment_lengths_constant_and_feet_fixed(lift):
    pairs = [("l_hip", "l_knee"), ("r_knee", "r_ankle"), ("l_shoulder", "l_elbow"), ("r_elbow", "r_wrist"),
             ("r_wrist", "r_hand"), ("l5s1", "neck"), ("neck", "head"), ("l_shoulder", "r_shoulder")]
    for a, b in pairs:
        d = np.linalg.norm(lift[a] - lift[b], axis=1)
        assert np.ptp(d) < 1e-9, (a, b, np.ptp(d))
    for p in ("l_ankle", "r_ankle", "l_heel", "r_toe"):
        assert np.ptp(lift[p], axis=0).max() < 1e-12


def test_hands_on_box_between_grasp_and_release(lift):
    t = lift.time_s
    mid = 0.5 * (lift["l_hand"] + lift["r_hand"])
    for h in lift.meta["handlings"]:
        held = (t >= h["grasp_s"] + 1e-9) & (t <= h["release_s"] - 1e-9)
        err = np.linalg.norm(mid[held] - lift["box"][held], axis=1)
        assert err.max() < 0.005  # m
        sep = np.linalg.norm(lift["l_hand"][held] - lift["r_hand"][held], axis=1)
        np.testing.assert_allclose(sep, 0.35, atol=0.005)
    first = lift.meta["handlings"][0]
    i0 = np.searchsorted(t, first["grasp_s"])
    np.testing.assert_allclose(lift["box"][i0], first["origin_m"], atol=1e-6)
    assert [h["kind"] for h in lift.meta["handlings"]] == ["lift", "lower", "lift"]


def test_destination_at_asymmetry_angle(lift):
    h = lift.meta["handlings"][0]
    dst = np.array(h["destination_m"])
    assert np.degrees(np.arctan2(dst[1], dst[0])) == pytest.approx(45.0)
    i1 = np.searchsorted(lift.time_s, h["release_s"]) - 1
    np.testing.assert_allclose(lift["box"][i1], dst, atol=2e-3)


def test_lift_is_smooth_and_realistic(lift):
    a = joint_angles(lift)
    assert np.degrees(a["trunk_flexion"].max()) > 30  # bends to reach a 0.25 m handle height
    assert np.degrees(a["r_knee_flexion"].max()) > 60  # squat
    assert 10 < np.degrees(a["trunk_axial_twist"].max()) < 45  # turns toward a 45 deg destination
    dt = 1 / lift.rate_hz
    acc = np.diff(lift["box"], 2, axis=0) / dt ** 2
    assert np.abs(acc).max() < 15.0  # m/s^2: no jumps in the box path


def test_stoop_flexes_trunk_more_than_squat():
    sq = joint_angles(synthetic_lift(SUBJ, style="squat", rate_hz=20))
    so = joint_angles(synthetic_lift(SUBJ, style="stoop", rate_hz=20))
    assert so["trunk_flexion"].max() > sq["trunk_flexion"].max() + np.deg2rad(15)
    assert so["r_knee_flexion"].max() < sq["r_knee_flexion"].max() - np.deg2rad(30)


@pytest.mark.parametrize("h,v,a", [(0.25, 0.75, 0.0), (0.45, 0.40, 30.0), (0.35, 1.30, -60.0)])
def test_place_body_known_hands(h, v, a):
    m = place_body(Subject("male", 85.0, 1.82), hands_m=(h, v), asymmetry_deg=a, style="squat")
    mid = 0.5 * (m["l_hand"][0] + m["r_hand"][0])
    ankles = 0.5 * (m["l_ankle"][0] + m["r_ankle"][0])
    rel = mid - ankles
    assert np.hypot(rel[0], rel[1]) == pytest.approx(h, abs=1e-6)
    assert mid[2] == pytest.approx(v, abs=1e-6)
    assert np.degrees(np.arctan2(rel[1], rel[0])) == pytest.approx(a, abs=1e-6)


def test_minimum_jerk_boundary_conditions():
    u = np.linspace(0, 1, 2001)
    s = minimum_jerk(u)
    ds = np.gradient(s, u)
    d2 = np.gradient(ds, u)
    assert s[0] == 0 and s[-1] == 1 and abs(ds[0]) < 1e-3 and abs(ds[-1]) < 1e-3
    assert abs(d2[1]) < 0.05 and abs(d2[-2]) < 0.05
    assert ds.max() == pytest.approx(1.875, abs=1e-3)  # Flash & Hogan peak velocity 15/8


def test_bad_inputs():
    with pytest.raises(DataQualityError, match="out of reach"):
        synthetic_lift(SUBJ, origin_m=(1.2, 0.1))
    with pytest.raises(DataQualityError, match="centimetres"):
        synthetic_lift(SUBJ, origin_m=(40, 25))
    with pytest.raises(DataQualityError, match="style"):
        synthetic_lift(SUBJ, style="jump")


def test_noise_is_seeded():
    a = synthetic_lift(SUBJ, rate_hz=20, noise_m=0.01, seed=3)
    b = synthetic_lift(SUBJ, rate_hz=20, noise_m=0.01, seed=3)
    c = synthetic_lift(SUBJ, rate_hz=20, noise_m=0.0)
    np.testing.assert_array_equal(a.positions_m, b.positions_m)
    assert 0.005 < np.std(a["head"] - c["head"]) < 0.015
