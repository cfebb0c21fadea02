"""Shoulder elevation / abduction / plane of elevation for every arm direction, and wrist
angles that are unknown (NaN) when the hand point was extrapolated along the forearm."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core import Motion, Subject
from liftrisk.kinematics import canonical_joint_centres, joint_angles, segment_frames
from liftrisk.kinematics.joint_centres import EXTRAPOLATED_KEY
from liftrisk.synthetic import Posture, body_motion, neutral_body, synthetic_lift

SUBJ = Subject("male", 78.0, 1.78)
TOL = 1e-9  # rad: exact geometry, float round-off only


def _arm(motion: Motion, side: str, elevation: float, plane: float) -> Motion:
    """Put the elbow at the given elevation (from the trunk's downward axis) and plane of
    elevation (0 forward, +pi/2 away from the body, pi backward) in the trunk frame."""
    sgn = 1.0 if side == "l" else -1.0
    r = segment_frames(motion, ["trunk"])["trunk"][:, :3, :3]
    u = np.array([np.sin(elevation) * np.cos(plane), sgn * np.sin(elevation) * np.sin(plane), -np.cos(elevation)])
    sh = motion[f"{side}_shoulder"]
    length = np.linalg.norm(motion[f"{side}_elbow"] - sh, axis=1, keepdims=True)
    elbow = sh + length * np.einsum("tij,j->ti", r, u)
    return motion.with_points({f"{side}_elbow": elbow})


@pytest.mark.parametrize("side", ["l", "r"])
def test_arm_forward_sideways_backward(side):
    base = neutral_body(SUBJ)
    fwd = joint_angles(_arm(base, side, np.deg2rad(170), 0.0)).iloc[0]
    assert abs(fwd[f"{side}_shoulder_abduction"]) < TOL  # was +-180 deg with the frontal projection
    assert abs(fwd[f"{side}_shoulder_flexion"] - np.deg2rad(170)) < TOL
    assert abs(fwd[f"{side}_shoulder_elevation"] - np.deg2rad(170)) < TOL
    assert abs(fwd[f"{side}_shoulder_plane_of_elevation"]) < TOL
    out = joint_angles(_arm(base, side, np.deg2rad(90), np.pi / 2)).iloc[0]
    assert abs(out[f"{side}_shoulder_abduction"] - np.pi / 2) < TOL
    up = joint_angles(_arm(base, side, np.deg2rad(170), np.pi / 2)).iloc[0]
    assert abs(up[f"{side}_shoulder_abduction"] - np.deg2rad(10)) < TOL  # 10 deg out of the sagittal plane
    assert abs(up[f"{side}_shoulder_elevation"] - np.deg2rad(170)) < TOL
    back = joint_angles(_arm(base, side, np.deg2rad(60), np.pi)).iloc[0]
    assert abs(back[f"{side}_shoulder_abduction"]) < TOL
    assert abs(back[f"{side}_shoulder_flexion"] + np.deg2rad(60)) < TOL
    assert abs(back[f"{side}_shoulder_plane_of_elevation"] - np.pi) < TOL  # no wrap to -pi
    across = joint_angles(_arm(base, side, np.deg2rad(80), -np.deg2rad(40))).iloc[0]
    assert across[f"{side}_shoulder_abduction"] < 0  # across the body = adduction, negative
    assert abs(across[f"{side}_shoulder_plane_of_elevation"] + np.deg2rad(40)) < TOL


@settings(max_examples=40, deadline=None)
@given(elev=st.floats(0.0, np.deg2rad(178)), plane=st.floats(-np.pi + 1e-3, np.pi - 1e-3),
       f=st.floats(-0.3, 1.3), b=st.floats(-0.4, 0.4), tw=st.floats(-0.8, 0.8), side=st.sampled_from("lr"))
def test_shoulder_angles_for_any_arm_direction_and_trunk_posture(elev, plane, f, b, tw, side):
    """Elevation, abduction = asin(sin(elevation) sin(plane)) and the plane of elevation are
    recovered for any arm direction, whatever the trunk does (they are trunk-relative)."""
    m = _arm(body_motion(SUBJ, Posture(trunk_flexion=f, trunk_lateral_bend=b, trunk_axial_twist=tw,
                                       pelvis_tilt=f / 3)), side, elev, plane)
    a = joint_angles(m).iloc[0]
    assert abs(a[f"{side}_shoulder_elevation"] - elev) < 1e-7
    assert abs(a[f"{side}_shoulder_abduction"] - np.arcsin(np.sin(elev) * np.sin(plane))) < 1e-7
    assert abs(a[f"{side}_shoulder_abduction"]) <= np.pi / 2 + 1e-12
    if elev >= np.deg2rad(5.0):
        d = np.angle(np.exp(1j * (a[f"{side}_shoulder_plane_of_elevation"] - plane)))
        assert abs(d) < 1e-6 / max(np.sin(elev), 1e-3)
    else:
        assert np.isnan(a[f"{side}_shoulder_plane_of_elevation"])


def test_abduction_agrees_with_risk_area_measure():
    """Second implementation: liftrisk.risk.posture.arm_abduction_deg (trunk Y axis dot product)."""
    from liftrisk.risk.posture import arm_abduction_deg
    m = synthetic_lift(SUBJ, rate_hz=15, asymmetry_deg=40)
    a = joint_angles(m)
    for s in ("l", "r"):
        np.testing.assert_allclose(np.degrees(a[f"{s}_shoulder_abduction"]), arm_abduction_deg(m, s), atol=1e-9)


def test_extrapolated_hand_gives_unknown_wrist_not_zero():
    """Wrist + elbow only: the hand is put on the forearm line, so the wrist angle would be
    identically 0 by construction; it is reported as NaN (unknown) instead."""
    full = neutral_body(SUBJ)
    m = canonical_joint_centres(full.select([n for n in full.point_names if not n.endswith("_hand")]))
    assert set(m.meta[EXTRAPOLATED_KEY]) == {"l_hand", "r_hand"}
    a = joint_angles(m)
    assert a["l_wrist_flexion"].isna().all() and a["r_wrist_flexion"].isna().all()
    assert a["r_elbow_flexion"].notna().all()
    # a measured hand point (the synthetic body's own) keeps a measured wrist angle
    bent = body_motion(SUBJ, Posture(r_wrist_flexion=0.4))
    assert abs(joint_angles(bent)["r_wrist_flexion"].iloc[0] - 0.4) < TOL
    # only the missing side is extrapolated
    one = canonical_joint_centres(full.select([n for n in full.point_names if n != "l_hand"]))
    assert one.meta[EXTRAPOLATED_KEY] == ["l_hand"]
    b = joint_angles(one)
    assert b["l_wrist_flexion"].isna().all() and b["r_wrist_flexion"].notna().all()


def test_posture_scoring_treats_unknown_wrist_as_neutral():
    """The risk adapter (read-only use) fills NaN wrist angles with 0 deg and says so."""
    from liftrisk.risk.posture import posture_angles, posture_from_motion
    full = synthetic_lift(SUBJ, rate_hz=10)
    m = canonical_joint_centres(full.select([n for n in full.point_names if not n.endswith("_hand")]))
    ang = posture_angles(m)
    for s in ("l", "r"):
        assert (ang[s]["wrist_flexion_deg"] == 0.0).all()
        assert "wrist_flexion_deg" in ang[s].attrs["not_measured"]
    scores = posture_from_motion(m, load_kg=10.0)
    assert (scores["reba_wrist"] == 1).all() and scores["reba"].notna().all()
