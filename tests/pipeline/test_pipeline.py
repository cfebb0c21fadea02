"""End-to-end assessment checked against independent references: hand statics, the NIOSH
equation evaluated by hand from the manual's tables, the generator's lift geometry, and the
3D truth a rendered monocular / multi-view recording was made from."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core import HandLoad, Motion, Subject
from liftrisk.kinetics.inverse_dynamics import demo_posture
from liftrisk.pipeline import (
    AssessmentSettings,
    assess_keypoints,
    assess_motion,
    canonical_motion,
)
from liftrisk.report import findings
from liftrisk.synthetic.lift import synthetic_lift
from tests.pipeline._render import as_mediapipe, look_at, render

SUBJECT = Subject("male", 80.0, 1.78, 40.0)


@pytest.fixture(scope="module")
def lift():
    # slow symmetric floor-to-waist lift, 10 kg, origin H 0.40 m / V 0.25 m, destination V 0.95 m
    m = synthetic_lift(SUBJECT, 10.0, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95), duration_s=3.0,
                       rate_hz=60.0)
    return m, assess_motion(m, SUBJECT, 10.0)


def test_box_moment_adds_m_g_lever_in_static_hold():
    """Held still, the box adds exactly m g d to the L5/S1 extension moment, d = horizontal
    distance L5/S1 -> hands' mid-point (statics by hand)."""
    m = demo_posture(40)
    s = AssessmentSettings(cutoff_hz=0, lower_body=False)
    with_box = assess_motion(m, SUBJECT, 10.0, s)
    without = assess_motion(m, SUBJECT, None, s)
    c = with_box.motion
    d = np.linalg.norm((0.5 * (c["l_hand"] + c["r_hand"]) - c["l5s1"])[:, :2], axis=1)
    # the demo trunk is tilted, so the moment is about the trunk's medio-lateral axis (horizontal here)
    added = (with_box.kinetics["l5s1_extension_moment_nm"] - without.kinetics["l5s1_extension_moment_nm"]).to_numpy()
    np.testing.assert_allclose(added, 10.0 * 9.81 * d, rtol=1e-6)
    assert any("assumed to be in the hands throughout" in w for w in with_box.warnings)


def test_lift_detected_where_generated(lift):
    m, a = lift
    truth = [h for h in m.meta["handlings"] if h["kind"] == "lift"][0]
    assert len(a.lifts) == 1
    la = a.lifts[0]
    # grasp/release from the hands' dwell: within 0.2 s of the generator's times
    assert abs(la.lift.grasp_s - truth["grasp_s"]) < 0.2
    assert abs(la.lift.release_s - truth["release_s"]) < 0.2
    # NIOSH geometry within 3 cm of the generator's hand positions (after 6 Hz filtering)
    assert abs(la.lift.origin.h_m - 0.40) < 0.03 and abs(la.lift.origin.v_m - 0.25) < 0.03
    assert abs(la.lift.destination.v_m - 0.95) < 0.03


def test_niosh_against_hand_calculation(lift):
    """RWL by hand (Waters et al. 1994, metric): LC 23 kg, HM 25/H, VM 1 - 0.003|V - 75|,
    DM 0.82 + 4.5/D, AM 1 - 0.0032 A, FM 0.94 (1 lift/min, <= 1 h, V < 75 cm: Table 5),
    CM 0.95 (fair, V < 75 cm: Table 7); H, V, D, A in cm/deg from the detected geometry.
    Tolerance 1.5 %: the manual's Tables 1-4 print multipliers to 2 decimals (HM(40 cm) =
    0.63 vs 25/40 = 0.625) and liftrisk uses the tables where the manual gives them."""
    _, a = lift
    la = a.lifts[0]
    o = la.lift.origin
    h, v, d = 100 * o.h_m, 100 * o.v_m, 100 * la.lift.d_m
    rwl = 23 * (25 / h) * (1 - 0.003 * abs(v - 75)) * (0.82 + 4.5 / d) * (1 - 0.0032 * o.a_deg) * 0.94 * 0.95
    assert la.niosh_origin.rwl == pytest.approx(rwl, rel=0.015)
    assert la.niosh_origin.li == pytest.approx(10.0 / rwl, rel=0.015)
    assert la.li >= la.niosh_origin.li


def test_box_only_counts_while_held(lift):
    m, a = lift
    empty = assess_motion(m, SUBJECT, None)
    t = a.motion.time_s
    la = a.lifts[0]
    before = t < la.lift.grasp_s - 0.05
    during = (t > la.lift.grasp_s + 0.1) & (t < la.lift.release_s - 0.1)
    k, k0 = a.kinetics["l5s1_extension_moment_nm"].to_numpy(), empty.kinetics["l5s1_extension_moment_nm"].to_numpy()
    np.testing.assert_allclose(k[before], k0[before], atol=1e-9)
    assert np.all(k[during] > k0[during] + 10)  # a 10 kg box 0.3-0.5 m ahead adds > 10 N·m


def test_summary_and_exports(lift, tmp_path):
    from liftrisk.io import read_mot, read_motion
    from liftrisk.pipeline import export_csv, export_mot, export_trc

    _, a = lift
    s = a.summary
    assert s["n_lifts"] == 1 and s["max_li"] == pytest.approx(a.lifts[0].li)
    assert s["peak_compression_n"] == pytest.approx(a.spine["compression_n"].max())
    assert any("NIOSH LI" in f for f in findings(a))
    paths = export_csv(a, tmp_path)
    assert [p.name for p in paths][:2] == ["assessment_timeseries.csv", "assessment_lifts.csv"]
    # with bands (the default 200 draws): the verdicts, the bands and the intervals too (issue 12)
    assert [p.name for p in paths][2:] == ["assessment_reliability.csv", "assessment_lift_ranking.csv",
                                           "assessment_bands.csv",
                                           "assessment_lift_intervals.csv", "assessment_uncertainty.json"]
    back = read_motion(export_trc(a, tmp_path / "j.trc"))
    np.testing.assert_allclose(back["l5s1"], a.motion["l5s1"], atol=1e-5)  # m; TRC written in mm, 6 decimals
    table, _ = read_mot(export_mot(a, tmp_path / "a.mot"))
    np.testing.assert_allclose(table["compression_n"].to_numpy(), a.spine["compression_n"].to_numpy(), rtol=1e-5)


def test_short_or_unknown_motion_is_rejected():
    from liftrisk.errors import DataQualityError

    with pytest.raises(DataQualityError, match="at least 10"):
        canonical_motion(demo_posture(5), SUBJECT)
    bad = Motion.from_points({"foo": np.zeros((20, 3)), "bar": np.ones((20, 3))}, rate_hz=30)
    with pytest.raises(DataQualityError):
        assess_motion(bad, SUBJECT)


@pytest.fixture(scope="module")
def rendered(lift):
    m, a = lift
    truth = as_mediapipe(m.select([p for p in m.point_names if p != "box"]))
    return truth, assess_motion(truth, SUBJECT, 10.0)


def test_monocular_keypoints_reproduce_3d_assessment(rendered):
    """One side camera (3 m to the worker's right, level) and MediaPipe-like world landmarks
    of a generic size: scale from the stature (Drillis-Contini proportions, ~2 % off on this
    body), root from the pixels, heading and floor re-estimated. Peaks agree within 12 %."""
    truth, ref = rendered
    cam = look_at("side", (0.3, -3.0, 1.1), (0.3, 0.0, 0.9))
    kp = render(truth, cam, generic_scale=0.93)
    a = assess_keypoints([kp], SUBJECT, [cam], 10.0)
    for key in ("peak_compression_n", "peak_l5s1_extension_moment_nm"):
        assert a.summary[key] == pytest.approx(ref.summary[key], rel=0.12), key
    assert abs(a.summary["peak_reba"] - ref.summary["peak_reba"]) <= 1
    assert len(a.lifts) == len(ref.lifts) == 1
    assert a.lifts[0].lift.origin.v_m == pytest.approx(ref.lifts[0].lift.origin.v_m, abs=0.05)
    assert a.summary["method"].startswith("monocular")


def test_multiview_keypoints_reproduce_3d_assessment(rendered):
    """Three calibrated views, noise-free pixels: triangulation is exact, so the assessment
    equals the 3D one up to the worker-frame alignment (floor at the heels' 5th percentile)."""
    truth, ref = rendered
    cams = [look_at(f"c{i}", (3.0 * np.cos(a), 3.0 * np.sin(a), 1.4), (0.2, 0.0, 0.9))
            for i, a in enumerate((-1.2, -0.2, 0.9))]
    views = [render(truth, c) for c in cams]
    a = assess_keypoints(views, SUBJECT, cams, 10.0)
    assert a.summary["median_reprojection_px"] < 1e-3
    for key in ("peak_compression_n", "peak_l5s1_extension_moment_nm", "peak_reba"):
        assert a.summary[key] == pytest.approx(ref.summary[key], rel=0.02), key
    assert a.lifts[0].li == pytest.approx(ref.lifts[0].li, rel=0.05)
    assert isinstance(a.hand_load, HandLoad)


def test_tilted_camera_vertical_from_balance(rendered):
    """A side camera 2.2 m high pitched ~25 deg down: assuming it level tilts the whole body by
    the pitch (sideways for a side view); the vertical from balance (CoM above the ankles)
    recovers the trunk's inclination from the vertical."""
    truth, ref = rendered
    cam = look_at("high", (0.3, -3.0, 2.2), (0.3, 0.0, 0.8))
    kp = render(truth, cam, generic_scale=0.93)
    level = assess_keypoints([kp], SUBJECT, None, 10.0, settings=AssessmentSettings(monocular_vertical="level_camera"))
    bal = assess_keypoints([kp], SUBJECT, None, 10.0)  # default: vertical from balance

    def inclination(m):
        v = m["neck"] - m["l5s1"]
        return np.degrees(np.arccos(v[:, 2] / np.linalg.norm(v, axis=1)))

    def trunk_err_deg(a):
        return float(np.nanmedian(np.abs(inclination(a.motion) - inclination(ref.motion))))

    assert trunk_err_deg(level) > 10.0
    # "CoM above the ankles" is exact only for a COP under the ankles; the COP may lie anywhere
    # between heel and toe (±0.13 m at a CoM height of ~0.95 m: up to atan(0.13/0.95) = 7.8 deg),
    # and with the box in front the body's own CoM sits behind the ankles: the method's own bound.
    assert trunk_err_deg(bal) < 7.5


def test_frames_without_a_person_stay_missing(lift):
    """A long gap (person out of view) is not invented: those frames give NaN loads, the rest
    is assessed as without the gap."""
    m, a = lift
    pos = m.positions_m.copy()
    pos[20:50] = np.nan  # 0.5 s without anybody (longer than max_gap_s)
    gap = assess_motion(m.replace(positions_m=pos), SUBJECT, 10.0)
    comp = gap.spine["compression_n"].to_numpy()
    assert np.isnan(comp[25:45]).all()
    late = slice(120, 170)
    np.testing.assert_allclose(comp[late], a.spine["compression_n"].to_numpy()[late], rtol=0.05)



def _noisy_far_view(truth, seed):
    """The lift seen from 5 m (body ~335 px tall, as in a phone clip), analysed at 30 frames/s,
    with MediaPipe-like noise: 2 px per keypoint, a 1 % per-frame zoom jitter about the body
    (the detector's crop; it moves the pixel scale and so the recovered depth) and 1 cm on the
    world landmarks."""
    from liftrisk.core.keypoints import Keypoints2D

    cam = look_at("far", (0.3, -5.0, 1.1), (0.3, 0.0, 0.9))
    kp = render(truth, cam, generic_scale=0.93)
    rng = np.random.default_rng(seed)
    xy, world = kp.xy_px[::2], kp.world_m[::2]
    centre = np.nanmean(xy, axis=1, keepdims=True)
    xy = centre + (xy - centre) * (1 + rng.normal(0, 0.01, (len(xy), 1, 1))) + rng.normal(0, 2.0, xy.shape)
    noisy = Keypoints2D(kp.time_s[::2], xy, kp.confidence[::2], kp.point_names, kp.skeleton, kp.image_size_px,
                        world + rng.normal(0, 0.01, world.shape), kp.camera, kp.source)
    return noisy, cam


def _com_acc_p95(a):
    """95th percentile of the whole-body centre of mass acceleration magnitude, m/s2, from
    whole-body Newton-Euler (F = sum m_i (a_i - g) = M (a_com - g))."""
    from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction

    acc = whole_body_ground_reaction(a.motion, SUBJECT).force_n / SUBJECT.mass_kg + [0.0, 0.0, -9.81]
    return float(np.nanpercentile(np.linalg.norm(acc, axis=1), 95))


def test_monocular_pixel_noise_keeps_l5s1_peak(rendered):
    """Noisy far monocular view (`_noisy_far_view`): with the root depth filtered at 1 Hz and
    the centre of mass path at 3 Hz (the defaults) the L5/S1 compression and moment peaks stay
    within 12 % of the noise-free 3D assessment (seeds 1-3 measured: -3 % to +8 %) and the
    centre of mass acceleration within 1.3x of the noise-free one; without these two filters
    the same keypoints give peaks 35-55 % too high and 6-8x the acceleration."""
    from dataclasses import replace as dc_replace

    truth, ref = rendered
    noisy, cam = _noisy_far_view(truth, seed=1)
    a = assess_keypoints([noisy], SUBJECT, [cam], 10.0)
    raw_settings = dc_replace(AssessmentSettings(), monocular_depth_cutoff_hz=0.0, monocular_com_cutoff_hz=0.0)
    unfiltered = assess_keypoints([noisy], SUBJECT, [cam], 10.0, settings=raw_settings)
    for key in ("peak_compression_n", "peak_l5s1_extension_moment_nm"):
        assert a.summary[key] == pytest.approx(ref.summary[key], rel=0.12), key
        assert unfiltered.summary[key] > 1.25 * ref.summary[key], key  # the noise does matter here
    assert _com_acc_p95(a) < 1.3 * _com_acc_p95(ref)
    assert _com_acc_p95(unfiltered) > 3 * _com_acc_p95(ref)
