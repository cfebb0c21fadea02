"""Lift detection and NIOSH geometry on synthetic bodies placed at known H, V, A, and the
ACGIH TLV zones/limits against the reference table and the zone map of Snyder et al. 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.lift_events import detect_lifts, lift_geometry
from liftrisk.risk import acgih

synthetic = pytest.importorskip("liftrisk.synthetic")
SUBJECT = Subject("male", 75.0, 1.78)


@pytest.mark.parametrize("h, v, a", [(0.30, 0.20, 0.0), (0.45, 0.75, 30.0), (0.55, 1.20, -60.0),
                                     (0.35, 0.60, 90.0)])
def test_geometry_of_a_body_placed_at_known_hvA(h, v, a):
    m = synthetic.place_body(SUBJECT, hands_m=(h, v), asymmetry_deg=a)
    g = lift_geometry(m)
    assert g["h_m"][0] == pytest.approx(h, abs=1e-6)
    assert g["v_m"][0] == pytest.approx(v, abs=1e-6)
    assert g["a_deg"][0] == pytest.approx(abs(a), abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(yaw=st.floats(-180, 180), dx=st.floats(-2, 2), dy=st.floats(-2, 2))
def test_geometry_invariant_to_moving_the_whole_scene(yaw, dx, dy):
    m = synthetic.place_body(SUBJECT, hands_m=(0.45, 0.7), asymmetry_deg=40.0)
    c, s = np.cos(np.radians(yaw)), np.sin(np.radians(yaw))
    moved = m.transformed(np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]]), (dx, dy, 0.0))
    g0, g1 = lift_geometry(m), lift_geometry(moved)
    for k in ("h_m", "v_m", "a_deg"):
        assert g1[k][0] == pytest.approx(g0[k][0], abs=1e-9)


def test_floor_height_is_subtracted():
    m = synthetic.place_body(SUBJECT, hands_m=(0.4, 0.5))
    raised = m.transformed(np.eye(3), (0.0, 0.0, 0.3))
    assert lift_geometry(raised, floor_z_m=0.3)["v_m"][0] == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize("noise_m, tol_m, tol_deg", [(0.0, 0.005, 0.5), (0.005, 0.02, 4.0)])
def test_detects_each_handling_of_a_synthetic_lift(noise_m, tol_m, tol_deg):
    m = synthetic.synthetic_lift(SUBJECT, origin_m=(0.40, 0.25), destination_m=(0.45, 0.95), asymmetry_deg=30.0,
                                 n_lifts=2, noise_m=noise_m)
    truth = m.meta["handlings"]
    lifts = detect_lifts(m)
    assert [lf.kind for lf in lifts] == [h["kind"] for h in truth]
    for lf, h in zip(lifts, truth, strict=True):
        assert lf.grasp_s == pytest.approx(h["grasp_s"], abs=0.15)       # hands arrive at the box
        assert lf.release_s == pytest.approx(h["release_s"], abs=0.15)   # hands leave it
        assert lf.grasp_s <= lf.origin.time_s < lf.destination.time_s <= lf.release_s
        o, d = np.array(h["origin_m"]), np.array(h["destination_m"])
        assert lf.origin.h_m == pytest.approx(np.hypot(o[0], o[1]), abs=tol_m)
        assert lf.origin.v_m == pytest.approx(o[2], abs=tol_m)
        assert lf.destination.v_m == pytest.approx(d[2], abs=tol_m)
        assert lf.d_m == pytest.approx(0.70, abs=2 * tol_m)
        assert lf.destination.a_deg == pytest.approx(np.degrees(np.arctan2(abs(d[1]), d[0])), abs=tol_deg)
        assert lf.origin.a_deg == pytest.approx(np.degrees(np.arctan2(abs(o[1]), o[0])), abs=tol_deg)


def test_given_times_are_used():
    m = synthetic.synthetic_lift(SUBJECT, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95))
    h = m.meta["handlings"][0]
    (lf,) = detect_lifts(m, times_s=[(h["grasp_s"], h["release_s"])])
    assert lf.origin.v_m == pytest.approx(0.25, abs=1e-3) and lf.destination.v_m == pytest.approx(0.95, abs=1e-3)
    with pytest.raises(DataQualityError, match="not increasing"):
        detect_lifts(m, times_s=[(2.0, 1.0)])


def test_no_hands_or_ankles_is_a_clear_error():
    m = Motion.from_points({"neck": np.zeros((10, 3))}, rate_hz=10)
    with pytest.raises(DataQualityError, match="l_hand/r_hand"):
        lift_geometry(m)


def test_still_body_has_no_lift():
    m = synthetic.place_body(SUBJECT, hands_m=(0.4, 0.7), n_frames=120)
    assert detect_lifts(m) == []


# ------------------------------------------------------------------ ACGIH
def test_tlv_table_matches_reference(shared_data):
    p = shared_data / "reference_numbers" / "acgih_lifting_tlv_table1.csv"
    if not p.exists():
        pytest.skip("reference table not available")
    df = pd.read_csv(p)
    tab = acgih.tlv_table()
    rows = {"reach_limit_30cm_above_to_8cm_below_shoulder": "reach_limit",
            "knuckle_height_to_below_shoulder": "knuckle_to_shoulder",
            "middle_shin_to_knuckle_height": "mid_shin_to_knuckle", "floor_to_middle_shin": "floor_to_mid_shin"}
    cols = {"close_lt_30cm_kg": "close", "intermediate_30_60cm_kg": "intermediate",
            "extended_60_80cm_kg": "extended"}
    n = 0
    for r in df.itertuples(index=False):
        for c, hz in cols.items():
            v = getattr(r, c)
            got = tab[(rows[r.vertical_zone], hz)]
            assert np.isnan(got) if str(v) == "NKSL" else got == float(v)
            n += 1
    assert n == 12


def test_zone_numbering_and_snyder_risk_map():
    """Zones 1-12 row by row from the top, close to extended; Snyder et al. 2021, Table 1: low 4, 5;
    medium 6-9; high 1-3, 10-12. Class sizes 2/4/6 zones x 60 trials = 120/240/360 (Snyder et al. 2021, Table 3)."""
    vz = [z for z in acgih.VERTICAL_ZONES for _ in range(3)]
    hz = list(acgih.HORIZONTAL_ZONES) * 4
    zones = acgih.zone_number(vz, hz)
    assert zones.tolist() == list(range(1, 13))
    risk = acgih.zone_risk(zones)
    counts = {k: 60 * int((risk == k).sum()) for k in ("low", "medium", "high")}
    assert counts == {"low": 120, "medium": 240, "high": 360}
    # low = knuckle-shoulder close/intermediate (zone 4 has the highest TLV); high = the whole
    # reach-limit and floor-mid-shin rows, which hold every NKSL zone
    tab = acgih.tlv_table()
    lim = np.array([tab[(v, h)] for v, h in zip(vz, hz, strict=True)])
    assert int(np.nanargmax(lim)) + 1 == 4
    assert {vz[i] for i in np.flatnonzero(risk == "low")} == {"knuckle_to_shoulder"}
    assert {vz[i] for i in np.flatnonzero(risk == "high")} == {"reach_limit", "floor_to_mid_shin"}
    assert all(risk[i] == "high" for i in np.flatnonzero(np.isnan(lim)))


def test_zones_from_landmarks_of_a_synthetic_body():
    still = synthetic.neutral_body(SUBJECT, n_frames=3)     # upright, arms hanging
    lm = acgih.body_landmarks(still)
    assert lm.shoulder_m == pytest.approx(still["r_shoulder"][0, 2], abs=1e-9)
    assert lm.mid_shin_m == pytest.approx(0.5 * (still["r_knee"][0, 2] + still["r_ankle"][0, 2]), abs=1e-9)
    assert lm.knuckle_m == pytest.approx(still["r_hand"][0, 2], abs=0.05)   # hand centre vs knuckles
    assert acgih.vertical_zone([0.05, lm.mid_shin_m + 0.01, lm.knuckle_m + 0.01, lm.shoulder_m, lm.shoulder_m + 0.31],
                               lm).tolist() == ["floor_to_mid_shin", "mid_shin_to_knuckle", "knuckle_to_shoulder",
                                                "reach_limit", ""]
    r = acgih.assess_lift(0.10, 0.50, lm, load_kg=5.0)
    assert (r["zone"], r["risk"], np.isnan(r["tlv_kg"]), r["exceeds_tlv"]) == (11, "high", True, True)
    r = acgih.assess_lift(lm.knuckle_m + 0.1, 0.25, lm, load_kg=20.0)
    assert (r["zone"], r["tlv_kg"], r["exceeds_tlv"]) == (4, 32.0, False)


def test_horizontal_zone_edges():
    assert acgih.horizontal_zone([0.0, 0.299, 0.30, 0.60, 0.61, 0.80, 0.81]).tolist() == [
        "close", "close", "intermediate", "intermediate", "extended", "extended", ""]


def test_acgih_landmarks_from_stature():
    # Drillis & Contini fractions; ACGIH example landmarks for a ~1.78 m man are 0.27/0.76/1.44 m
    from liftrisk.risk.acgih import landmarks_from_stature

    lm = landmarks_from_stature(1.78)
    assert lm.mid_shin_m == pytest.approx(0.288, abs=0.02)
    assert lm.knuckle_m == pytest.approx(0.767, abs=0.02)
    assert lm.shoulder_m == pytest.approx(1.456, abs=0.02)
