"""The assessment's body model on mocap markers: inverse kinematics of the raw markers
(`liftrisk.assessment.stages.body_model_stage`), scaled on the static trial.

References: an analytic invariant (a rigid motion of the whole marker cloud moves the fitted
joint centres by the same rigid motion) and a second method (the frame-by-frame joint
centres of `liftrisk.kinematics.joint_centres_from_markers`: Harrington hip, Plug-in Gait
chord knee and ankle). Real data: the VU Amsterdam static trial (../shared, skipped when
absent).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from liftrisk.assessment import body_model_stage, canonical_motion
from liftrisk.core import Subject
from liftrisk.core.settings import AssessmentSettings
from liftrisk.io import read_motion

SUBJECT = Subject("male", 81.7, 1.73)
OFF = AssessmentSettings(body_model=False)
CENTRES = ("l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l_shoulder", "r_shoulder", "l_elbow",
           "r_elbow", "l_wrist", "r_wrist", "neck", "l5s1")


@pytest.fixture(scope="module")
def static(shared_data):
    f = shared_data / "vua_stoop_lifts" / "3D" / "neu_t169_f250f350.c3d"
    if not f.exists():
        pytest.skip("vua_stoop_lifts not available")
    return read_motion(f)


def _moved(static, rotvec, shift):
    """The static trial turned and shifted, a different rigid motion per frame."""
    n = static.n_frames
    u = np.linspace(0.0, 1.0, n)[:, None]
    rot = Rotation.from_rotvec(u * np.asarray(rotvec))
    p = np.array(static.positions_m)
    moved = np.stack([rot[t].apply(p[t]) for t in range(n)]) + u[:, None, :] * np.asarray(shift)
    return static.replace(positions_m=moved), rot, u * np.asarray(shift)


def test_rigid_motion_moves_the_fitted_centres_rigidly(static):
    """Whole body turned up to 90 deg about the vertical and 20 deg about a horizontal axis
    and shifted 1.5 m: the raw-marker fit (scaled on the unmoved static trial) gives the same
    joint centres, moved, within 2 mm; the markers fit as well as on the static trial."""
    rotvec, shift = np.radians([0.0, 20.0, 90.0]), np.array([1.5, -0.5, 0.1])
    moved, rot, trans = _moved(static, rotvec, shift)
    canon0 = canonical_motion(static, SUBJECT, OFF, static)
    canon1 = canonical_motion(moved, SUBJECT, OFF, static)
    fit0, f0 = body_model_stage(static, canon0, SUBJECT, AssessmentSettings(cutoff_hz=0.0), static)
    fit1, f1 = body_model_stage(moved, canon1, SUBJECT, AssessmentSettings(cutoff_hz=0.0), static)
    assert f0 is not None and fit1.meta["body_model"]["route"] == "raw markers"
    assert fit1.meta["body_model"]["calibration"] == "static trial"
    for n in CENTRES:
        expect = np.stack([rot[t].apply(np.array(fit0[n][t])) for t in range(static.n_frames)]) + trans
        assert np.nanmax(np.linalg.norm(fit1[n] - expect, axis=1)) < 0.002, n
    assert f1.rms_residual_m() == pytest.approx(f0.rms_residual_m(), abs=0.002)
    # per-frame residuals of every marker are kept (the uncertainty work reads them)
    assert f1.marker_residuals_m.shape == (static.n_frames, len(static.point_names))


def test_fitted_centres_agree_with_the_frame_by_frame_markers_method(static):
    """Second method: on the static trial the fitted hips, knees, ankles, shoulders, elbows
    and wrists lie within 1.5 cm (median) of the frame-by-frame joint centres, and every
    segment length is constant."""
    canon = canonical_motion(static, SUBJECT, OFF, static)
    fit, _ = body_model_stage(static, canon, SUBJECT, AssessmentSettings(), static)
    for n in CENTRES:
        d = np.linalg.norm(fit[n] - canon[n], axis=1)
        assert np.nanmedian(d) < 0.015, (n, np.nanmedian(d))
    for a, b in (("l_hip", "l_knee"), ("r_knee", "r_ankle"), ("l_shoulder", "l_elbow"), ("r_elbow", "r_wrist")):
        assert np.nanstd(np.linalg.norm(fit[a] - fit[b], axis=1)) < 1e-9


def test_keypoints_and_canonical_points_keep_the_joint_centre_route():
    from liftrisk.synthetic import neutral_body

    body = neutral_body(SUBJECT, n_frames=12)
    canon = canonical_motion(body, SUBJECT, OFF)
    fit, f = body_model_stage(body, canon, SUBJECT, AssessmentSettings())
    assert f is None and fit.meta["body_model"]["route"] == "joint centres"


@settings(max_examples=40, deadline=None)
@given(theta=st.floats(0.0, 180.0), rotvec=st.tuples(*[st.floats(-3.0, 3.0)] * 3))
def test_arm_elevation_of_a_constructed_arm(theta, rotvec):
    """Analytic: an upper arm built at `theta` from the trunk's downward axis, in any
    orientation of the whole body, reads `theta` (the right arm, left unset, is NaN)."""
    from liftrisk.bodymodel.fit import arm_elevation_deg
    from liftrisk.core import Motion

    th = np.radians(theta)
    pts = {"neck": [0.0, 0.0, 1.5], "mid_hip": [0.0, 0.0, 1.0], "l_shoulder": [0.0, 0.2, 1.45],
           "l_elbow": [0.3 * np.sin(th) * 0.6, 0.2 + 0.3 * np.sin(th) * 0.8, 1.45 - 0.3 * np.cos(th)]}
    rot = Rotation.from_rotvec(rotvec)
    m = Motion.from_points({k: rot.apply(np.array(v))[None, :] for k, v in pts.items()}, rate_hz=1.0)
    el = arm_elevation_deg(m)
    assert el[0, 0] == pytest.approx(theta, abs=1e-6)
    assert np.isnan(el[0, 1])
