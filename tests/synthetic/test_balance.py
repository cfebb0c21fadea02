"""Balance of the synthetic body, checked with whole-body Newton-Euler dynamics.

The reference is independent of the balance constraint in `liftrisk.synthetic`: the single
ground reaction that `liftrisk.kinetics.whole_body_ground_reaction` needs to produce the
motion (de Leva 1996 segments with their accelerations and rotational inertia, plus the box
while it is held). Its physical centre of pressure is the floor point about which the
horizontal moment of the ground reaction vanishes: x = x_P - M_y / F_z, y = y_P + M_x / F_z
for the moment M about the floor point P. A person can only produce this ground reaction
if that point lies within the base of support (heel to toe) and F_z > 0.
"""

import itertools

import numpy as np
import pytest

from liftrisk.core import GroundReaction, HandLoad, Subject
from liftrisk.kinetics import bottom_up, whole_body_ground_reaction
from liftrisk.synthetic import place_body, synthetic_lift
from liftrisk.synthetic.body import BodyDimensions

SUBJ = Subject("male", 80.0, 1.78)  # the demo subject
FLOOR, KNUCKLE = (0.40, 0.20), (0.40, 0.75)


def physical_cop(motion, subject, box_kg, static=False):
    """(T, 3) physical centre of pressure (z = 0), the whole-body ground reaction (T, 3) and
    its moment (T, 3) about the COP (only the vertical free moment is non-zero)."""
    hold = [(h["grasp_s"], h["release_s"]) for h in motion.meta.get("handlings", [])] or None
    hl = HandLoad(box_mass_kg=box_kg) if box_kg else None
    gr = whole_body_ground_reaction(motion, subject, hl, static=static, hold_intervals_s=hold)
    f, m, p = gr.force_n, gr.free_moment_nm, gr.cop_m
    cop = np.stack([p[:, 0] - m[:, 1] / f[:, 2], p[:, 1] + m[:, 0] / f[:, 2], np.zeros(len(f))], axis=1)
    r = cop - p
    m_cop = m - np.cross(r, f)
    return cop, f, m_cop


def foot_range(motion, margin=0.1):
    """Heel-toe range (x, m) shrunk by `margin` x foot length at each end (middle 80 %)."""
    heel, toe = motion["l_heel"][0, 0], motion["l_toe"][0, 0]
    length = toe - heel
    return heel + margin * length, toe - margin * length


def _check_lift(style, asym, box, origin, rate_hz=30.0):
    m = synthetic_lift(SUBJ, box, origin_m=origin, destination_m=(0.45, 1.0), asymmetry_deg=asym, style=style,
                       rate_hz=rate_hz, n_lifts=2, duration_s=9.0)
    cop, f, _ = physical_cop(m, SUBJ, box)
    lo, hi = foot_range(m)
    assert f[:, 2].min() > 0.2 * SUBJ.weight_n, (style, asym, box, origin)  # the feet stay loaded
    assert lo < cop[:, 0].min() and cop[:, 0].max() < hi, (style, asym, box, origin, cop[:, 0].min(),
                                                           cop[:, 0].max(), lo, hi)


@pytest.mark.parametrize("style,asym,box,origin", [("squat", 0.0, 10.0, FLOOR), ("stoop", 45.0, 20.0, FLOOR),
                                                   ("squat", 45.0, 20.0, KNUCKLE), ("stoop", 0.0, 0.0, KNUCKLE)])
def test_dynamic_cop_within_feet(style, asym, box, origin):
    _check_lift(style, asym, box, origin)


@pytest.mark.slow
def test_dynamic_cop_within_feet_grid():
    """Every frame of squat/stoop lifts, asymmetry 0/45 deg, box 0/10/20 kg, floor/knuckle
    origin (3 s per handling, as in the demo): COP in the middle 80 % of the foot."""
    for style, asym, box, origin in itertools.product(("squat", "stoop"), (0.0, 45.0), (0.0, 10.0, 20.0),
                                                      (FLOOR, KNUCKLE)):
        _check_lift(style, asym, box, origin)


def test_demo_lift_cop_and_ankle_moment_are_plantarflexor():
    """The demo's squat with a 10 kg box (3 s handlings, 60 Hz): the COP stays ahead of the
    ankles, so the net ankle moment (bottom-up from that ground reaction, half under each
    foot) is plantarflexor in every frame while the box is held; before the balance fix the
    COP was 19-57 cm behind the ankles when standing up and the ankle moment dorsiflexor."""
    from liftrisk.synthetic.make_demo import DEMO_SETTINGS

    m = synthetic_lift(SUBJ, **{**DEMO_SETTINGS, "noise_m": 0.0})
    cop, f, mz = physical_cop(m, SUBJ, 10.0)
    lo, hi = foot_range(m)
    ankle_x = m["l_ankle"][0, 0]
    assert lo < cop[:, 0].min() and cop[:, 0].max() < hi
    assert cop[:, 0].min() > ankle_x
    grs = [GroundReaction(m.time_s, 0.5 * f, cop * [1, 0, 1] + [0, m[f"{s}_ankle"][0, 1], 0], 0.5 * mz,
                          foot=side) for s, side in (("l", "left"), ("r", "right"))]
    df = bottom_up(m, SUBJ, grs)
    held = np.zeros(m.n_frames, bool)
    for h in m.meta["handlings"]:
        held |= (m.time_s >= h["grasp_s"]) & (m.time_s <= h["release_s"])
    for s in ("l", "r"):
        pf = df[f"{s}_ankle_plantarflexion_moment_nm"].to_numpy()
        assert pf[held].min() > 5.0  # N·m, plantarflexor


@pytest.mark.parametrize("style,hands,asym,box", [
    ("squat", (0.40, 0.25), 0.0, 20.0), ("stoop", (0.45, 0.30), 45.0, 10.0),
    ("squat", (0.60, 1.30), -60.0, 0.0), ("stoop", (0.30, 0.75), 0.0, 0.0)])
def test_static_postures_are_balanced(style, hands, asym, box):
    """place_body: the static COP (= CoM of body and box, from the kinetics' de Leva
    segments) is the balance point, half the foot length ahead of the heel."""
    m = place_body(SUBJ, hands_m=hands, asymmetry_deg=asym, style=style, box_mass_kg=box)
    cop, f, _ = physical_cop(m, SUBJ, box, static=True)
    assert f[0, 2] == pytest.approx(SUBJ.weight_n + 9.81 * box, rel=1e-6)
    heel, toe = m["l_heel"][0, 0], m["l_toe"][0, 0]
    assert cop[0, 0] == pytest.approx(0.5 * (heel + toe), abs=1e-6)
    d = BodyDimensions.from_subject(SUBJ)
    assert toe - heel == pytest.approx(d.foot_length_m)
