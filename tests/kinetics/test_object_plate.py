"""A plate under the lifted object: measured hand load against the object's statics with a known
motion, events at the constructed times, invariance to the plate's zero; a plate under both
feet shared by the lever rule against two explicit plates."""

import numpy as np
import pytest

from liftrisk.core import GroundReaction, Motion, ObjectSupport, Subject
from liftrisk.kinetics import bottom_up
from liftrisk.kinetics.inverse_dynamics import demo_posture
from liftrisk.kinetics.object_plate import (
    hand_load_from_object_plates,
    held_intervals_s,
    measured_hand_load,
    object_handlings,
)

M, G = 15.0, 9.81
T = np.arange(0.0, 4.0, 0.01)


def _scenario(rest_n: float):
    """Box on the plate, grasped at 1.0 s (unloading ramp to 1.2 s), lifted 0.3 m (cosine,
    1.2-1.8 s), lowered back (2.0-2.6 s), set down (loading ramp 2.6-2.8 s), released."""
    share = np.interp(T, [0, 1.0, 1.2, 2.6, 2.8, 4], [0, 0, 1, 1, 0, 0])       # of the weight in the hands
    plate_z = rest_n - share * M * G
    z = np.where(T < 1.2, 0.0, np.where(T < 1.8, 0.15 * (1 - np.cos(np.pi * (T - 1.2) / 0.6)),
                 np.where(T < 2.0, 0.3, np.where(T < 2.6, 0.15 * (1 + np.cos(np.pi * (T - 2.0) / 0.6)), 0.0))))
    az = np.where((T >= 1.2) & (T < 1.8), 0.15 * (np.pi / 0.6) ** 2 * np.cos(np.pi * (T - 1.2) / 0.6),
                  np.where((T >= 2.0) & (T < 2.6), -0.15 * (np.pi / 0.6) ** 2 * np.cos(np.pi * (T - 2.0) / 0.6), 0.0))
    hands = np.column_stack([np.full(T.size, 0.4), np.zeros(T.size), 0.1 + z])
    motion = Motion.from_points({"l_hand": hands + [0, 0.2, 0], "r_hand": hands - [0, 0.2, 0]}, time_s=T)
    force = np.column_stack([np.zeros(T.size), np.zeros(T.size), plate_z])
    plate = ObjectSupport(T, force, np.full((T.size, 3), np.nan), name="box")
    expected = np.column_stack([np.zeros(T.size), np.zeros(T.size), -share * M * G - M * az])
    return plate, motion, expected


@pytest.mark.parametrize("rest_n", [0.0, M * G, 37.0])   # zeroed with the box on, zeroed empty, any offset
def test_hand_load_is_the_object_statics(rest_n):
    """F_hands = (P - P_rest) - m a with a = the hands' acceleration while airborne: matches the
    constructed -share m g - m a_z within 0.5 N (numerical 2nd derivative of a 0.6 s cosine at
    100 Hz: error ~ 0.15 % of m a_max = 0.06 N, plus the kinks at the motion's ends)."""
    plate, motion, expected = _scenario(rest_n)
    (h,) = object_handlings(plate)
    assert h.mass_kg == pytest.approx(M, rel=1e-6)
    # 5 % of the weight from the ends of the 0.2 s ramps (one 0.01 s sample where it falls on a sample)
    assert h.grasp_s == pytest.approx(1.0, abs=0.011) and h.lift_off_s == pytest.approx(1.19, abs=0.011)
    assert h.set_down_s == pytest.approx(2.61, abs=0.011) and h.release_s == pytest.approx(2.79, abs=0.011)
    hl = measured_hand_load(plate, motion)
    smooth = (np.abs(T - 1.2) > 0.02) & (np.abs(T - 1.8) > 0.02) & (np.abs(T - 2.0) > 0.02) & (np.abs(T - 2.6) > 0.02)
    np.testing.assert_allclose(hl.force_n[smooth], expected[smooth], atol=0.5)
    assert np.all(hl.force_n[T < 1.0] == 0.0) and np.all(hl.force_n[T > 2.8] == 0.0)   # not held: nothing


def test_release_not_seen_is_held_to_the_end_and_noted():
    t = np.arange(0, 3, 0.02)
    fz = np.interp(t, [0, 1.0, 1.2, 3], [0, 0, -M * G, -M * G])
    plate = ObjectSupport(t, np.column_stack([0 * t, 0 * t, fz]), np.full((t.size, 3), np.nan), name="box")
    hands = {"l_hand": np.tile([0.4, 0.2, 0.1], (t.size, 1)), "r_hand": np.tile([0.4, -0.2, 0.1], (t.size, 1))}
    r = hand_load_from_object_plates([plate], Motion.from_points(hands, time_s=t), box_mass_kg=20.0)
    assert r.holds_s == [(1.0, float(t[-1]))] and held_intervals_s(r.handlings, 9.0) == [(1.0, 9.0)]
    assert any("not put back" in n for n in r.notes) and any("measures 15.0 kg but 20 kg" in n for n in r.notes)
    assert r.hand_load.box_mass_kg == 20.0                       # the given mass for NIOSH / REBA
    assert r.hand_load.force_n[-1, 2] == pytest.approx(-M * G)   # the measured force for the loads


def test_two_lifts_and_no_lift():
    t = np.arange(0, 6, 0.02)
    fz = np.interp(t, [0, 1, 1.2, 2, 2.2, 3, 3.2, 4, 4.2, 6], [0, 0, -100, -100, 0, 0, -100, -100, 0, 0])
    plate = ObjectSupport(t, np.column_stack([0 * t, 0 * t, fz]), np.full((t.size, 3), np.nan))
    hs = object_handlings(plate)
    assert [round(h.grasp_s, 2) for h in hs] == [1.0, 3.0]
    assert [round(h.release_s, 2) for h in hs] == [2.2, 4.2]
    still = ObjectSupport(t, np.column_stack([0 * t, 0 * t, 0.5 * np.sin(t * 7)]), np.full((t.size, 3), np.nan))
    assert object_handlings(still) == []


def _plate(m, foot, cop_xy, force=(20.0, -10.0, 700.0), tz=3.0, share=1.0):
    n = m.n_frames
    cop = np.tile([cop_xy[0], cop_xy[1], 0.0], (n, 1))
    return GroundReaction(m.time_s, np.tile(np.asarray(force) * share, (n, 1)), cop,
                          np.tile([0.0, 0.0, tz * share], (n, 1)), foot=foot)


def test_plate_under_both_feet_is_shared_by_the_lever_rule():
    """COP 30 % of the way from the right to the left foot's heel-toe mid-point, 2 cm ahead of
    that line: the shared plate gives each leg exactly what two plates give with 30 % / 70 % of
    the force and free moment under each foot's mid-point (+ the same 2 cm), and the L5/S1 load
    equals that of the unassigned plate (the total wrench is unchanged)."""
    m = demo_posture(3)
    s = Subject("male", 80, 1.78)
    mid = {k: 0.5 * (m[f"{k}_heel"][0, :2] + m[f"{k}_toe"][0, :2]) for k in ("l", "r")}
    off = np.array([0.02, 0.0])
    cop = mid["r"] + 0.3 * (mid["l"] - mid["r"]) + off
    shared = bottom_up(m, s, [_plate(m, "both", cop)], static=True)
    two = bottom_up(m, s, [_plate(m, "left", mid["l"] + off, share=0.3),
                           _plate(m, "right", mid["r"] + off, share=0.7)], static=True)
    cols = [c for c in shared.columns if c[:2] in ("l_", "r_")]
    np.testing.assert_allclose(shared[cols].to_numpy(), two[cols].to_numpy(), atol=1e-9)
    whole = bottom_up(m, s, [_plate(m, "", cop)], static=True)
    l5 = [c for c in shared.columns if c.startswith("l5s1")]
    np.testing.assert_allclose(shared[l5].to_numpy(), whole[l5].to_numpy(), atol=1e-9)
