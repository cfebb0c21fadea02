"""The pipeline with measured plates on a synthetic lift (no shared data needed): a feet plate
built from whole-body dynamics with the box in the hands from lift-off, and a box plate that
drops by the box's weight at that instant. Top-down (hands + plate-measured box load) and
bottom-up (feet plate) L5/S1 must then agree to round-off, the lift times must come from the
plate, and partial marker sets must give notes, not errors."""

from dataclasses import replace

import numpy as np
import pytest

from liftrisk.core import ForcePlates, HandLoad, ObjectSupport, Subject
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.pipeline import AssessmentSettings, assess_motion, canonical_motion
from liftrisk.synthetic.lift import synthetic_lift

BOX = 10.0


@pytest.fixture(scope="module")
def lift():
    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s, BOX, rate_hz=60.0)
    m = m.select([n for n in m.point_names if n != "box"])
    canon = canonical_motion(m, s, AssessmentSettings())
    t = canon.time_s
    g = m.meta["handlings"][0]["grasp_s"]
    k = int(np.searchsorted(t, g + 0.2))                     # the box leaves the plate 0.2 s after the grasp
    feet = whole_body_ground_reaction(canon, s, HandLoad(box_mass_kg=BOX), hold_intervals_s=[(t[k], t[-1])])
    feet = replace(feet, foot="both", name="floor")
    fz = np.where(np.arange(t.size) >= k, -BOX * 9.81, 0.0)
    box = ObjectSupport(t, np.column_stack([0 * t, 0 * t, fz]), np.full((t.size, 3), np.nan), name="box")
    return s, m, ForcePlates((feet,), (box,)), t, k


def test_top_down_equals_bottom_up_with_plates(lift):
    s, m, plates, t, k = lift
    a = assess_motion(m, s, BOX, force_plates=plates)
    assert a.summary["ground_reaction"] == "force plates" and a.summary["hand_load"] == "object plate"
    assert a.summary["l5s1_extension_rms_difference_nm"] < 1e-6
    assert len(a.lifts) == 1
    assert a.lifts[0].lift.grasp_s == pytest.approx(t[k - 1])   # the plate's, not the hands' dwell
    assert np.all(a.hand_load.force_n[: k - 1] == 0.0)
    assert a.hand_load.force_n[k, 2] == pytest.approx(-BOX * 9.81, rel=0.2)
    no_plate = assess_motion(m, s, BOX)
    assert abs(no_plate.lifts[0].lift.grasp_s - t[k - 1]) > 0.05    # detection from the hands differs


def test_partial_marker_sets_give_notes(lift):
    s, m, plates, t, k = lift
    lower = m.select(["mid_hip", "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l_heel", "r_heel",
                      "l_toe", "r_toe", "l5s1"])
    a = assess_motion(lower, s, BOX, force_plates=ForcePlates(plates.ground))
    assert np.isfinite(a.kinetics["l5s1_extension_moment_nm"]).all()     # bottom-up L5/S1 stands in
    # one note says what a lower-body-only file gives and what it does not (top-down loads, REBA, lifts)
    notes = [w for w in a.warnings if "top-down" in w or "REBA" in w or "upper-body" in w or "no lift" in w]
    assert len(notes) == 1 and notes[0].startswith("lower body only") and "the top-down loads" in notes[0]
    upper = m.select(["head", "neck", "l5s1", "l_shoulder", "r_shoulder", "l_elbow", "r_elbow", "l_wrist",
                      "r_wrist", "l_hand", "r_hand"])
    b = assess_motion(upper, s, BOX)
    assert np.isfinite(b.kinetics["l5s1_extension_moment_nm"]).all() and b.lower is None
