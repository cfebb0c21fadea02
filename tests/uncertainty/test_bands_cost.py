"""The savings in the bands' draws change no result: each is compared with the computation it
replaces, on the same inputs (lift detection without H/V/A, segment kinematics reused)."""

import importlib

import numpy as np
import pytest

from liftrisk.core.loads import HandLoad
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.kinematics.joint_centres import canonical_joint_centres
from liftrisk.kinematics.lift_events import detect_lifts, hold_window_s
from liftrisk.kinetics.ground_reaction import estimate_ground_reaction
from liftrisk.kinetics.inverse_dynamics import bottom_up, top_down_l5s1
from liftrisk.pipeline import assess_motion
from liftrisk.processing import fill_and_lowpass
from liftrisk.synthetic import synthetic_lift

SUBJECT = Subject("male", 80.0, 1.78)
prop = importlib.import_module("liftrisk.uncertainty.propagate")   # the module (the package exports the function)


@pytest.fixture(scope="module")
def lifts_motion():
    m = synthetic_lift(SUBJECT, 10.0, noise_m=0.01, rate_hz=60.0, still_s=0.5, seed=5, n_lifts=3)
    return canonical_joint_centres(fill_and_lowpass(m, 0.1, 6.0), "canonical", sex="male")


def test_detection_without_geometry_finds_the_same_lifts(lifts_motion):
    full = detect_lifts(lifts_motion)
    fast = detect_lifts(lifts_motion, measure=False)
    assert len(full) >= 3 and len(fast) == len(full)
    for a, b in zip(full, fast, strict=True):
        assert hold_window_s(a) == hold_window_s(b)
        assert (a.origin.frame, a.destination.frame) == (b.origin.frame, b.destination.frame)
        assert (a.origin.time_s, a.destination.time_s) == (b.origin.time_s, b.destination.time_s)
        assert np.isnan([b.origin.h_m, b.origin.v_m, b.destination.a_deg, b.d_m]).all()
        assert np.isfinite([a.origin.h_m, a.origin.v_m, a.destination.a_deg, a.d_m]).all()
    no_ankles = lifts_motion.select([p for p in lifts_motion.point_names if not p.endswith("ankle")])
    for measure in (True, False):   # the same error without the ankles
        with pytest.raises(Exception, match="no l_ankle/r_ankle"):
            detect_lifts(no_ankles, measure=measure)


def test_shared_segment_kinematics_give_the_same_lower_body(lifts_motion):
    m, load = lifts_motion, HandLoad(10.0)
    ref_est = estimate_ground_reaction(m, SUBJECT, load)
    ref = bottom_up(m, SUBJECT, ref_est.feet)
    cache: dict = {}
    top_down_l5s1(m, SUBJECT, load, kinematics=cache)
    n_top = len(cache)
    est = estimate_ground_reaction(m, SUBJECT, load, kinematics=cache)
    assert len(cache) > n_top          # the lower body's were added
    new = bottom_up(m, SUBJECT, est.feet, kinematics=cache)
    np.testing.assert_array_equal(est.cop_m, ref_est.cop_m)
    np.testing.assert_array_equal(new.to_numpy(), ref.to_numpy())
    # the kinematics of a longer recording, cut to the first frames: the same on all but the
    # last two (central vs one-sided differences at the cut)
    k = m.n_frames - 40
    sub = m.slice_frames(0, k)
    cut = {key: (axes[..., :k].copy(), tuple(r[..., :k].copy() for r in rot)) for key, (axes, rot) in cache.items()}
    a = bottom_up(sub, SUBJECT, estimate_ground_reaction(sub, SUBJECT, load).feet).to_numpy()
    b = bottom_up(sub, SUBJECT, estimate_ground_reaction(sub, SUBJECT, load, kinematics=cut).feet,
                  kinematics=cut).to_numpy()
    np.testing.assert_allclose(b[:-2], a[:-2], rtol=1e-9, atol=1e-9)
    assert not np.allclose(b[-2:], a[-2:], rtol=1e-9, atol=1e-9)   # the test can see a difference


def test_bands_equal_those_computed_without_the_savings(monkeypatch):
    m = synthetic_lift(SUBJECT, 10.0, noise_m=0.01, rate_hz=60.0, still_s=0.5, seed=3)
    st_ = AssessmentSettings(uncertainty_draws=24, uncertainty_seed=11)
    a = assess_motion(m, SUBJECT, 10.0, st_)

    def bands():
        return prop.propagate(a.raw_points, SUBJECT, HandLoad(10.0), st_, holds_s=a.holds_s,
                              lifts=[la.lift for la in a.lifts], detect_holds=True, body_fit=a.body_fit,
                              detail_draws=8, group_size=4)

    new = bands()

    def drop(f, **fixed):
        def g(*args, **kw):
            kw.pop("kinematics", None)
            return f(*args, **{**kw, **fixed})
        return g

    monkeypatch.setattr(prop, "estimate_ground_reaction", drop(estimate_ground_reaction))
    monkeypatch.setattr(prop, "bottom_up", drop(bottom_up))
    monkeypatch.setattr(prop, "detect_lifts", drop(detect_lifts, measure=True))
    old = bands()
    assert list(new.bands.columns) == list(old.bands.columns)
    assert any(c.startswith("l_knee_extension_moment_nm") for c in new.bands.columns)
    np.testing.assert_allclose(new.bands.to_numpy(float), old.bands.to_numpy(float), rtol=1e-9, atol=1e-9,
                               equal_nan=True)
    np.testing.assert_allclose(new.peaks.to_numpy(float), old.peaks.to_numpy(float), rtol=1e-9, atol=1e-9,
                               equal_nan=True)
    np.testing.assert_allclose(new.lifts.to_numpy(float), old.lifts.to_numpy(float), rtol=1e-9, atol=1e-9,
                               equal_nan=True)


def test_arm_abduction_with_the_trunk_frame_given(lifts_motion):
    from liftrisk.kinematics.frames import segment_frames
    from liftrisk.risk.posture import arm_abduction_deg

    trunk = segment_frames(lifts_motion, ["trunk"])["trunk"]
    for s in ("l", "r"):
        ref = arm_abduction_deg(lifts_motion, s)
        assert np.isfinite(ref).all() and np.ptp(ref) > 1.0
        np.testing.assert_array_equal(arm_abduction_deg(lifts_motion, s, trunk_frame=trunk), ref)
