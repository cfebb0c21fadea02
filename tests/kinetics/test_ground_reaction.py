"""Ground reaction under each foot from whole-body dynamics, checked against analytic cases:
a static body's centre of pressure lies under its centre of mass (computed here as the
de Leva mass-weighted mean of the segment centres: a second method, not the moment balance);
a box moves it by the lever rule; a body accelerating forward has its COP behind the COM by
h a / g; leaning over one foot puts the whole load on that foot; the hull clip agrees with
scipy's convex hull."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull, Delaunay

from liftrisk.core import HandLoad, Motion, Subject
from liftrisk.kinetics.ground_reaction import (
    clip_to_support,
    estimate_ground_reaction,
    off_balance_frames,
    split_ground_reaction,
)
from liftrisk.kinetics.inverse_dynamics import demo_posture
from liftrisk.kinetics.segments import segment_parameters

SUBJECT = Subject("male", 80.0, 1.78, 40.0)
G = 9.81
FEET = ("l_heel", "l_toe", "r_heel", "r_toe")


def com(m: Motion) -> np.ndarray:
    """(T, 3) whole-body centre of mass: de Leva segment masses at their segment centres."""
    params = segment_parameters(SUBJECT)
    total = sum(p.mass_kg for p in params.values())
    return sum(p.mass_kg * p.com(m) for p in params.values()) / total


def shifted(m: Motion, dxy, keep=FEET + ("l_ankle", "r_ankle")) -> Motion:
    """The body above the ankles moved horizontally by dxy (m); the feet stay put."""
    pos = m.positions_m.copy()
    for k, name in enumerate(m.point_names):
        if name not in keep:
            pos[:, k, :2] += dxy
    return m.replace(positions_m=pos)


def test_static_cop_under_centre_of_mass():
    """Static: the zero-moment point is the COM's floor projection (1 mm: round-off)."""
    m = demo_posture(5)
    est = estimate_ground_reaction(m, SUBJECT)
    np.testing.assert_allclose(est.cop_raw_m[:, :2], com(m)[:, :2], atol=1e-3)
    assert np.all(est.cop_m[:, 2] == 0.0) and est.warnings == []
    f = sum(gr.force_n for gr in est.feet)
    np.testing.assert_allclose(f, np.tile([0, 0, SUBJECT.mass_kg * G], (5, 1)), rtol=1e-9, atol=1e-9)
    for gr in est.feet:  # contact transmits no horizontal moment
        assert np.all(gr.free_moment_nm[:, :2] == 0.0)


def test_box_moves_cop_by_the_lever_rule():
    """A box of m_b at the hands: COP = (M COP_0 + m_b x_hands) / (M + m_b) (statics by hand)."""
    m = demo_posture(5)
    c0 = estimate_ground_reaction(m, SUBJECT).cop_raw_m
    c1 = estimate_ground_reaction(m, SUBJECT, HandLoad(box_mass_kg=10.0)).cop_raw_m
    hands = 0.5 * (m["l_hand"] + m["r_hand"])
    np.testing.assert_allclose(c1[:, :2], (80.0 * c0[:, :2] + 10.0 * hands[:, :2]) / 90.0, atol=1e-9)


def test_forward_acceleration_puts_cop_behind_com():
    """The whole body translating with a_x (no rotation): the ground force passes through the
    COM, so COP_x = COM_x - h a_x / g (central differences are exact for a parabola)."""
    n, rate, a = 21, 100.0, 1.5
    base = demo_posture(n)
    t = np.arange(n) / rate
    m = base.replace(positions_m=base.positions_m + (0.5 * a * t**2)[:, None, None] * np.array([1.0, 0, 0]))
    est = estimate_ground_reaction(m, SUBJECT)
    c = com(m)
    inner = slice(3, -3)
    np.testing.assert_allclose(est.cop_raw_m[inner, 0], c[inner, 0] - c[inner, 2] * a / G, atol=1e-6)


def test_leaning_over_the_left_foot_loads_only_the_left_foot():
    """Body shifted so its COM is over the left foot's mid heel-toe: left share 1, the right
    foot carries nothing; shifted 25 cm further, the COP leaves the base of support: clipped
    to the edge and a warning names the time span."""
    m = demo_posture(4)
    foot_l = 0.5 * (m["l_heel"] + m["l_toe"])
    for _ in range(4):  # the feet do not move with the body: converge the COM onto the left foot
        m = shifted(m, (foot_l - com(m))[:, :2] * [0.0, 1.0])
    est = estimate_ground_reaction(m, SUBJECT)
    np.testing.assert_allclose(est.left_share, 1.0, atol=1e-3)
    assert np.abs(est.feet[1].force_n).max() < 1.0 and est.warnings == []
    far = shifted(m, [0.0, 0.25])
    est = estimate_ground_reaction(far, SUBJECT)
    y_edge = far["l_heel"][0, 1]  # the hull's left edge (heel-toe line of the left foot)
    np.testing.assert_allclose(est.cop_m[:, 1], y_edge, atol=1e-9)
    np.testing.assert_allclose(est.outside_m, est.cop_raw_m[:, 1] - y_edge, atol=1e-9)
    assert len(est.warnings) == 1 and "off balance" in est.warnings[0] and "0.00-0.03 s" in est.warnings[0]
    assert np.all(est.left_share == 1.0)


def test_feet_wrench_sums_to_the_whole_body_wrench():
    """Inside the base of support the two feet together apply exactly the whole-body wrench
    (force, and zero horizontal moment about the whole-body COP)."""
    m = demo_posture(60)
    t = m.time_s[:, None, None]
    sway = 0.02 * np.sin(2 * np.pi * 0.8 * t) * np.array([1.0, 0.6, 0.1])  # whole body, 2 cm at 0.8 Hz
    m = m.replace(positions_m=m.positions_m + sway)
    est = estimate_ground_reaction(m, SUBJECT)
    assert est.warnings == []
    f = sum(gr.force_n for gr in est.feet)
    mom = sum(np.cross(gr.cop_m - est.cop_m, gr.force_n) + gr.free_moment_nm for gr in est.feet)
    np.testing.assert_allclose(mom[:, :2], 0.0, atol=1e-9)
    assert np.isfinite(f).all() and np.all(f[:, 2] > 0)
    assert split_ground_reaction(m, SUBJECT, None)[0].foot == "left"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)), min_size=4, max_size=4),
       st.tuples(st.floats(-1, 1), st.floats(-1, 1)))
@example(corners=[(0.25, 0.0), (0.25, 0.0), (0.25, 0.001953125), (-0.1875, 0.5)], p=(0.25, 0.0))  # p on a corner
def test_clip_matches_scipy_convex_hull(corners, p):
    """Inside/outside agrees with scipy's hull; the clipped point lies on the hull boundary at
    the reported distance, and no hull vertex is closer."""
    c = np.array(corners)
    p = np.array(p)
    try:
        hull = ConvexHull(c)
    except Exception:  # degenerate (collinear) corners: scipy has no 2D hull to compare with
        return
    xy, d = clip_to_support(p[None], c[None])
    inside = Delaunay(c[hull.vertices]).find_simplex(p) >= 0
    on_boundary = np.max(hull.equations[:, :2] @ p + hull.equations[:, 2]) <= 1e-12  # e.g. p is a corner
    if inside or on_boundary:  # (points on an edge may land 1e-16 m either side)
        assert d[0] < 1e-12 and np.allclose(xy[0], p)
    else:
        assert d[0] > 0 and np.isclose(np.linalg.norm(xy[0] - p), d[0])
        eq = hull.equations  # every hull facet: n·x + b <= 0 inside
        assert np.all(eq[:, :2] @ xy[0] + eq[:, 2] <= 1e-9)
        assert d[0] <= np.linalg.norm(c - p, axis=1).min() + 1e-12


def test_off_balance_frames_widened_by_the_margin():
    """Off-balance frames grow by margin_s x rate on each side; no column means no estimate."""
    import pandas as pd

    out = np.zeros(50)
    out[20:23] = 0.05
    low = pd.DataFrame({"cop_outside_support_m": out})
    off = off_balance_frames(low, 100.0, margin_s=0.05)
    assert np.flatnonzero(off).tolist() == list(range(15, 28))
    assert off_balance_frames(None, 100.0) is None
    assert not off_balance_frames(low.assign(cop_outside_support_m=0.01), 100.0).any()  # within 2 cm
