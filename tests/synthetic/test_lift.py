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


def _acc(m):
    """Accelerations (T, K) in m/s^2 of every point (central second differences)."""
    dt = 1.0 / m.rate_hz
    a = np.zeros_like(m.positions_m)
    a[1:-1] = (m.positions_m[2:] - 2 * m.positions_m[1:-1] + m.positions_m[:-2]) / dt ** 2
    return np.linalg.norm(a, axis=2)


DEMO_LIKE = dict(box_mass_kg=10.0, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95), duration_s=10.0,
                 n_lifts=2, still_s=0.5)


def test_box_and_hand_accelerations_are_physical_and_continuous():
    """Floor-to-waist lifts (3 s per handling, as in the demo).

    Bounds: (1) the box follows a minimum-jerk path of d = 0.70 m in T = (move share) x 3 s
    = 1.08 s, whose peak acceleration is 10 / sqrt(3) d / T^2 = 3.46 m/s^2 (Flash & Hogan
    1985); the mean box speed, 0.65 m/s, is that of the "fast" floor-to-waist lifts of
    Greenland et al. (2013) Saf Health Work 4:105-110 (0.34 / 0.44 / 0.64 m/s). (2) While
    holding, the hands move with the box (rigid grip), so they obey the same bound. (3)
    Every body point stays below 20 m/s^2: peak sagittal trunk angular accelerations in
    lifting are 610-700 deg/s^2 = 11-12 rad/s^2 (Ning X, Mirka GA 2010 Appl Ergon
    42:131-137), i.e. 15-18 m/s^2 at the head 1.3-1.5 m from the ankles when the whole body
    unfolds. (4) Continuity: a velocity jump would give an acceleration that grows with the
    sampling rate; the peaks at 60 and 240 Hz agree within 2 %, and no frame stands out of
    its neighbours (a C2 path changes acceleration by at most jerk x dt per frame).
    """
    from liftrisk.synthetic.lift import PHASES

    t_move = dict(PHASES)["move"] * 3.0
    m60 = synthetic_lift(Subject("male", 80.0, 1.78), rate_hz=60.0, **DEMO_LIKE)
    m240 = synthetic_lift(Subject("male", 80.0, 1.78), rate_hz=240.0, **DEMO_LIKE)
    bound_box = 10 / np.sqrt(3) * 0.70 / t_move ** 2
    for m in (m60, m240):
        a = _acc(m)
        box = a[:, m.point_names.index("box")]
        assert box.max() == pytest.approx(bound_box, rel=0.02)
        t = m.time_s
        held = np.zeros(m.n_frames, bool)
        for h in m.meta["handlings"]:
            held |= (t >= h["grasp_s"]) & (t <= h["release_s"])
        for hand in ("l_hand", "r_hand"):
            assert a[held, m.point_names.index(hand)].max() < bound_box * 1.01
        body = [i for i, n in enumerate(m.point_names) if n != "box"]
        assert a[:, body].max() < 20.0
    np.testing.assert_allclose(_acc(m240).max(axis=0), _acc(m60).max(axis=0), rtol=0.02, atol=0.05)
    a = _acc(m240)[2:-2]
    spike = np.abs(a[1:-1] - 0.5 * (a[2:] + a[:-2]))
    assert spike.max() < 0.5  # m/s^2 at 240 Hz (a 1 cm/s velocity step alone would give 1.2)


def test_trunk_angular_acceleration_is_within_measured_range():
    """Peak trunk (vs vertical) flexion acceleration below 15 rad/s^2 (measured 11-12 rad/s^2,
    Ning & Mirka 2010; here 12.6); the old profile joined phases with a kink (> 60 rad/s^2 at
    100 Hz)."""
    m = synthetic_lift(Subject("male", 80.0, 1.78), rate_hz=100.0, **DEMO_LIKE)
    f = joint_angles(m)["trunk_flexion"].to_numpy()
    acc = np.diff(f, 2) * m.rate_hz ** 2
    assert np.abs(acc).max() < 15.0


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


@pytest.mark.parametrize("style,asym", [("stoop", 45.0), ("squat", -60.0)])
def test_turning_lifts_have_no_velocity_jumps(style, asym):
    """With a pelvis yaw the legs leave the sagittal chain; clipping the far leg straight made
    the knee jump (its position goes as the square root of the leg's shortening near full
    extension): 295 m/s^2 at 240 Hz vs 42 at 60 Hz. Now the peaks do not grow with the rate."""
    kw = dict(style=style, asymmetry_deg=asym, origin_m=(0.40, 0.25), destination_m=(0.5, 1.2), n_lifts=2)
    a60 = _acc(synthetic_lift(SUBJ, rate_hz=60.0, **kw)).max(axis=0)
    a240 = _acc(synthetic_lift(SUBJ, rate_hz=240.0, **kw)).max(axis=0)
    assert np.all(a240 < 1.2 * a60 + 0.5)


def test_far_leg_keeps_prescribed_knee_flexion_when_turned():
    """Independent check of the pelvis drop: the leg farther from its ankle keeps the
    prescribed knee angle (law of cosines; up to the smooth maximum of the two legs' drops,
    here 0.30 deg), the other bends more; no drop without yaw."""
    from liftrisk.synthetic import Posture, body_motion

    k = 0.6
    a = joint_angles(body_motion(SUBJ, Posture(knee_flexion=k, ankle_dorsiflexion=0.2, pelvis_yaw=0.5))).iloc[0]
    far = min(a["l_knee_flexion"], a["r_knee_flexion"])
    assert k - 1e-9 < far < k + np.deg2rad(0.5)
    assert max(a["l_knee_flexion"], a["r_knee_flexion"]) > far + 1e-2
    b = joint_angles(body_motion(SUBJ, Posture(knee_flexion=k, ankle_dorsiflexion=0.2))).iloc[0]
    assert b["l_knee_flexion"] == pytest.approx(k, abs=1e-12) and b["r_knee_flexion"] == pytest.approx(k, abs=1e-12)
