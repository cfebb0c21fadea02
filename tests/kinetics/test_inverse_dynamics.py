"""Newton-Euler inverse dynamics: analytic cases, a second formulation, and consistency."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core import GroundReaction, HandLoad, InsolePressure, Motion, Subject
from liftrisk.kinetics.inverse_dynamics import (
    bottom_up,
    cut_load,
    demo_posture,
    segment_states,
    top_down_l5s1,
    whole_body_ground_reaction,
)
from liftrisk.kinetics.segments import segment_parameters

G = 9.81
MALE = Subject("male", 80.0, 1.78)


def _upright_reaching(n=1, reach_m=0.55):
    """Upright trunk (L5/S1 at 1.0 m, neck at 1.5 m), both arms straight forward, horizontal."""
    pts = {"l5s1": [0, 0, 1.0], "neck": [0, 0, 1.5], "head": [0, 0, 1.75], "mid_hip": [0, 0, 0.92]}
    for s, y in (("l", 0.18), ("r", -0.18)):
        pts.update({f"{s}_shoulder": [0, y, 1.47], f"{s}_elbow": [0.30, y, 1.47], f"{s}_wrist": [0.56, y, 1.47],
                    f"{s}_hand": [0.64, y, 1.47]})
        hy = y / 2
        pts.update({f"{s}_hip": [0, hy, 0.92], f"{s}_knee": [0, hy, 0.5], f"{s}_ankle": [0, hy, 0.08],
                    f"{s}_heel": [-0.05, hy, 0.02], f"{s}_toe": [0.2, hy, 0.02]})
    return Motion.from_points({k: np.tile(np.array(v, float), (n, 1)) for k, v in pts.items()}, rate_hz=100)


def test_static_upright_holding_box_hand_calculated():
    """Hand calculation with de Leva (1996) male fractions typed here: trunk and head are
    vertical above L5/S1 (no moment); each arm: upper arm 0.0271 M with CoM 0.5772 x 0.30 m
    forward, forearm 0.0162 M at 0.30 + 0.4574 x 0.26, hand 0.0061 M at 0.56 + 0.79 x 0.08;
    box 10 kg at the hands (0.64 m)."""
    m = _upright_reaching()
    df = top_down_l5s1(m, MALE, HandLoad(10.0), static=True)
    arms = 2 * 80 * G * (0.0271 * 0.5772 * 0.30 + 0.0162 * (0.30 + 0.4574 * 0.26) + 0.0061 * (0.56 + 0.79 * 0.08))
    expected = arms + 10 * G * 0.64
    assert df["l5s1_extension_moment_nm"].iloc[0] == pytest.approx(expected, rel=1e-9)
    assert df["l5s1_moment_y_nm"].iloc[0] == pytest.approx(-expected, rel=1e-9)  # world: -Y = extension
    upper = 80 * (0.0694 + 0.1596 + 0.1633 + 2 * (0.0271 + 0.0162 + 0.0061))
    assert df["l5s1_axial_force_n"].iloc[0] == pytest.approx((upper + 10) * G, rel=1e-9)
    # shoulder: moment of arm + half box about the shoulder; flexion moment needed to hold it
    sh = 80 * G * (0.0271 * 0.5772 * 0.30 + 0.0162 * (0.30 + 0.4574 * 0.26) + 0.0061 * (0.56 + 0.79 * 0.08)) \
        + 5 * G * 0.64
    assert df["r_shoulder_flexion_moment_nm"].iloc[0] == pytest.approx(sh, rel=1e-9)
    # the same posture bottom-up with the consistent static ground reaction
    gr = whole_body_ground_reaction(m, MALE, HandLoad(10.0), static=True)
    bu = bottom_up(m, MALE, [gr], static=True)
    assert bu["l5s1_extension_moment_nm"].iloc[0] == pytest.approx(expected, rel=1e-9)


def test_split_rule_moves_load_to_one_hand():
    m = _upright_reaching()
    df = top_down_l5s1(m, MALE, HandLoad(10.0, split=1.0), static=True)
    # all the box on the right hand (y = -0.18): it bends the trunk to the right -> a left
    # lateral-bending moment of 10 g x 0.18 resists it
    assert df["l5s1_lateral_bending_left_moment_nm"].iloc[0] == pytest.approx(10 * G * 0.18, rel=1e-9)
    assert df["l_shoulder_flexion_moment_nm"].iloc[0] < df["r_shoulder_flexion_moment_nm"].iloc[0]


def test_free_fall_zero_joint_loads():
    t = np.linspace(0, 0.5, 51)
    base = _upright_reaching(51)
    drop = np.stack([0.3 * t, 0.1 * t, -0.5 * G * t**2], axis=1)  # ballistic: a = g exactly
    m = base.replace(positions_m=base.positions_m + drop[:, None, :], time_s=t)
    td = top_down_l5s1(m, MALE)
    zero_plate = GroundReaction(t, np.zeros((51, 3)), np.full((51, 3), np.nan), foot="right")
    bu = bottom_up(m, MALE, [zero_plate])
    load_cols = [c for c in td if "_force_" in c or "_moment_" in c]
    assert np.abs(td[load_cols].to_numpy()).max() < 1e-8
    load_cols = [c for c in bu if "_force_" in c or "_moment_" in c]
    assert np.abs(bu[load_cols].to_numpy()).max() < 1e-8


def test_gyroscopic_precessing_thigh_matches_angular_momentum_about_pivot():
    """Conical motion of a thigh about a fixed hip at constant rate W about world Z. Second
    formulation: M_hip = W z x (I_hip w) - (c - P) x m g, with I_hip the inertia about the
    hip (parallel axis), i.e. the rate of change of angular momentum about a fixed pivot.
    Tolerance 0.1 %: central differences at 2 kHz on a 1.5 Hz motion."""
    W, phi, L = 2 * np.pi * 1.5, np.deg2rad(40), 0.43
    t = np.arange(0, 1.0, 0.0005)
    hip = np.tile([0.0, -0.09, 0.9], (t.size, 1))
    c, s = np.cos(W * t), np.sin(W * t)
    knee = hip + L * np.stack([np.sin(phi) * c, np.sin(phi) * s, -np.full_like(t, np.cos(phi))], axis=1)
    lhip = hip + 0.18 * np.stack([-s, c, np.zeros_like(t)], axis=1)
    m = Motion.from_points({"r_hip": hip, "r_knee": knee, "l_hip": lhip}, time_s=t)
    p = segment_parameters(MALE)
    st_ = segment_states(m, p, ["r_thigh"])
    f, mom = cut_load(st_, ["r_thigh"], hip)
    th = p["r_thigh"]
    k = slice(200, -200)
    R = st_["r_thigh"].frame[k]
    d = th.com_fraction * L
    I_loc = np.diag([th.mass_kg * ((0.329 * L) ** 2 + d**2), th.mass_kg * ((0.329 * L) ** 2 + d**2),
                     th.mass_kg * (0.149 * L) ** 2])
    I_w = np.einsum("tij,jk,tlk->til", R, I_loc, R)
    w = np.array([0.0, 0.0, W])
    H = I_w @ w
    expected = np.cross(w, H) - np.cross(th.com(m)[k] - hip[k], th.mass_kg * np.array([0, 0, -G]))
    assert np.abs(mom[k] - expected).max() < 1e-3 * np.abs(expected).max()
    assert np.abs(np.cross(w, H)).max() > 1.0  # the gyroscopic part is not negligible here


def _moving_lift(n=201, rate=100.0):
    """Noise-free 3D motion: trunk flexes and twists about L5/S1, arms swing, knees bend."""
    t = np.arange(n) / rate
    base = demo_posture(n)
    pos = base.positions_m.copy()
    names = base.point_names
    th = 0.5 * np.sin(2 * np.pi * 0.7 * t)        # sagittal rotation about L5/S1
    tw = 0.3 * np.sin(2 * np.pi * 0.4 * t + 0.5)  # axial twist
    l5 = base["l5s1"][0]
    upper = [i for i, nm in enumerate(names) if nm in (
        "head", "neck") or any(nm.endswith(x) for x in ("shoulder", "elbow", "wrist", "hand"))]
    for i in upper:
        v = pos[:, i] - l5
        x = np.cos(th) * v[:, 0] + np.sin(th) * v[:, 2]
        z = -np.sin(th) * v[:, 0] + np.cos(th) * v[:, 2]
        y = v[:, 1]
        pos[:, i] = l5 + np.stack([np.cos(tw) * x - np.sin(tw) * y, np.sin(tw) * x + np.cos(tw) * y, z], 1)
    for i, nm in enumerate(names):
        if nm.endswith("hand") or nm.endswith("wrist"):
            pos[:, i, 0] += 0.1 * np.sin(2 * np.pi * 1.1 * t)
        if nm.endswith("knee"):
            pos[:, i, 0] += 0.08 * np.sin(2 * np.pi * 0.9 * t) ** 2
    return base.replace(positions_m=pos, time_s=t)


def test_top_down_equals_bottom_up_with_consistent_grf():
    m = _moving_lift()
    hl = HandLoad(12.0, split=0.6)
    gr = whole_body_ground_reaction(m, MALE, hl)
    plate = GroundReaction(gr.time_s, gr.force_n, gr.cop_m, gr.free_moment_nm, foot="")  # nearest-foot rule
    td = top_down_l5s1(m, MALE, hl)
    bu = bottom_up(m, MALE, [plate], min_force_n=0.0)
    cols = [c for c in td if c.startswith("l5s1")]
    scale = np.abs(td[cols].to_numpy()).max()
    assert np.abs(td[cols].to_numpy() - bu[cols].to_numpy()).max() < 1e-9 * scale
    # and dynamics matter here: static and dynamic results differ
    st_ = top_down_l5s1(m, MALE, hl, static=True)
    assert np.abs(st_["l5s1_extension_moment_nm"] - td["l5s1_extension_moment_nm"]).max() > 1.0


@settings(max_examples=15, deadline=None)
@given(st.floats(-np.pi, np.pi), st.floats(-2, 2), st.floats(-2, 2))
def test_extension_moment_invariant_to_heading_and_position(yaw, dx, dy):
    m = demo_posture()
    c, s = np.cos(yaw), np.sin(yaw)
    R = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    m2 = m.transformed(R, (dx, dy, 0.0))
    a = top_down_l5s1(m, MALE, HandLoad(8.0), static=True)
    b = top_down_l5s1(m2, MALE, HandLoad(8.0), static=True)
    for col in ("l5s1_extension_moment_nm", "l5s1_axial_force_n", "r_shoulder_flexion_moment_nm"):
        assert b[col].iloc[0] == pytest.approx(a[col].iloc[0], rel=1e-9, abs=1e-9)


def test_insoles_static_body_weight():
    """Insoles carrying exactly the body weight with the CoP under the whole-body CoM give the
    same L5/S1 load as the consistent plate (fuzzy-REBA eq. 6: F = sum p A)."""
    m = _upright_reaching(3)
    gr = whole_body_ground_reaction(m, MALE, static=True)
    cop_x = -gr.free_moment_nm[0, 1] / gr.force_n[0, 2]  # x where the moment vanishes (the CoM)
    heel_x = m["r_heel"][0, 0]
    half = gr.force_n[0, 2] / 2
    area = np.full(2, 0.004)
    p = np.full((3, 2), half / 0.008)
    xy = np.array([[cop_x - heel_x, 0.0], [cop_x - heel_x, 0.0]])
    ins = [InsolePressure(m.time_s, p, area, xy, "right"), InsolePressure(m.time_s, p, area, xy, "left")]
    bu = bottom_up(m, MALE, ins, static=True)
    td = top_down_l5s1(m, MALE, static=True)
    assert bu["l5s1_extension_moment_nm"].to_numpy() == pytest.approx(td["l5s1_extension_moment_nm"].to_numpy(),
                                                                      abs=1e-6)
    assert bu["l5s1_axial_force_n"].to_numpy() == pytest.approx(td["l5s1_axial_force_n"].to_numpy(), rel=1e-9)


@pytest.mark.parametrize("style", ["stoop", "squat"])
def test_synthetic_lift_top_down_equals_bottom_up(style):
    """The synthetic lift model of liftrisk.synthetic (30 deg asymmetric), its consistent
    whole-body ground reaction split to the nearest foot: L5/S1 agrees to round-off."""
    synth = pytest.importorskip("liftrisk.synthetic.lift")
    m = synth.synthetic_lift(MALE, 10.0, style=style, asymmetry_deg=30, rate_hz=60)
    hl = HandLoad(10.0)
    gr = whole_body_ground_reaction(m, MALE, hl)
    td = top_down_l5s1(m, MALE, hl, joints=False)
    bu = bottom_up(m, MALE, [GroundReaction(gr.time_s, gr.force_n, gr.cop_m, gr.free_moment_nm)], min_force_n=0)
    cols = [c for c in td if c.startswith("l5s1")]
    assert np.abs(td[cols].to_numpy() - bu[cols].to_numpy()).max() < 1e-9
    # static: net extension moment during the lift in a plausible range for 10 kg (N·m)
    st_ = top_down_l5s1(m, MALE, hl, static=True, joints=False)
    assert 60 < st_["l5s1_extension_moment_nm"].max() < 300


def test_hold_interval_limits_the_box_to_grasp_release():
    synth = pytest.importorskip("liftrisk.synthetic.lift")
    m = synth.synthetic_lift(MALE, 10.0, style="stoop", rate_hz=60)
    h = m.meta["handlings"][0]
    hold = [(h["grasp_s"], h["release_s"])]
    with_box = top_down_l5s1(m, MALE, HandLoad(10.0), hold_intervals_s=hold, joints=False)
    no_box = top_down_l5s1(m, MALE, None, joints=False)
    t = m.time_s
    out = (t < h["grasp_s"]) | (t > h["release_s"])
    inside = ~out
    col = "l5s1_extension_moment_nm"
    assert np.allclose(with_box[col].to_numpy()[out], no_box[col].to_numpy()[out])
    assert np.all(with_box[col].to_numpy()[inside] > no_box[col].to_numpy()[inside])
    # consistency still holds with the interval (whole-body GRF built with the same interval)
    gr = whole_body_ground_reaction(m, MALE, HandLoad(10.0), hold_intervals_s=hold)
    bu = bottom_up(m, MALE, [gr], min_force_n=0.0)
    assert np.abs(bu[col].to_numpy() - with_box[col].to_numpy()).max() < 1e-9


def test_rigid_body_state_torque_free_spin_and_tilted_spin():
    """A free-standing body spinning at constant rate about a principal axis through its CoM
    needs no moment (Euler's equations: omega x I omega = 0 when omega is an eigenvector),
    only the force m g up. Spinning about a tilted axis (omega not principal) needs the
    gyroscopic moment omega x (I omega) (hand-computed in the world frame)."""
    from liftrisk.kinetics.inverse_dynamics import rigid_body_state

    W, m = 3.0, 5.0
    t = np.arange(0.0, 2.0, 1e-3)
    c, s = np.cos(W * t), np.sin(W * t)
    R = np.zeros((t.size, 3, 3))
    R[:, 0, 0], R[:, 0, 1], R[:, 1, 0], R[:, 1, 1], R[:, 2, 2] = c, -s, s, c, 1.0  # spin about world z
    inertia = np.array([0.2, 0.3, 0.1])
    com = np.tile([0.1, 0.2, 1.0], (t.size, 1))
    f, mom = cut_load({"b": rigid_body_state(m, com, R, inertia, t)}, ["b"], com)
    k = slice(5, -5)
    assert np.allclose(f[k], [0.0, 0.0, m * G], atol=1e-9)
    assert np.abs(mom[k]).max() < 1e-5
    # tilt the body by 30 deg about its own x axis: body axes R @ Rx, omega still along world z
    a = np.deg2rad(30.0)
    Rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    Rt = R @ Rx
    f, mom = cut_load({"b": rigid_body_state(m, com, Rt, np.diag(inertia), t)}, ["b"], com)
    w = np.array([0.0, 0.0, W])
    I_w = np.einsum("tij,j,tkj->tik", Rt, inertia, Rt)
    expected = np.cross(w, I_w @ w)
    assert np.abs(mom[k] - expected[k]).max() < 1e-4 * np.abs(expected).max()
    assert np.abs(expected).max() > 0.1


def test_rigid_body_state_matches_segment_states():
    """Second path to the same numbers: a de Leva thigh built by hand with rigid_body_state
    (CoM on the hip-knee line, frame from principal_axes, principal inertia) equals the
    segment_states thigh."""
    from liftrisk.kinetics.inverse_dynamics import rigid_body_state
    from liftrisk.kinetics.segments import principal_axes

    t = np.arange(0.0, 1.0, 0.01)
    hip = np.stack([0.1 * t, -0.09 + 0 * t, 0.9 + 0.02 * np.sin(3 * t)], axis=1)
    knee = hip + 0.43 * np.stack([np.sin(1.5 * t), 0.1 * np.sin(t), -np.cos(1.5 * t)], axis=1)
    lhip = hip + [0.0, 0.18, 0.0]
    m = Motion.from_points({"r_hip": hip, "r_knee": knee, "l_hip": lhip}, time_s=t)
    p = segment_parameters(MALE)
    th = p["r_thigh"]
    ref = cut_load(segment_states(m, p, ["r_thigh"]), ["r_thigh"], hip)
    length = float(np.median(np.linalg.norm(knee - hip, axis=1)))
    st_ = rigid_body_state(th.mass_kg, th.com(m), principal_axes(m, p, ["r_thigh"])["r_thigh"],
                           np.diag(th.inertia_local(length)), t)
    f, mom = cut_load({"x": st_}, ["x"], hip)
    assert np.allclose(f, ref[0], rtol=1e-12, atol=1e-9)
    assert np.allclose(mom, ref[1], rtol=1e-12, atol=1e-9)
    from liftrisk.errors import DataQualityError

    with pytest.raises(DataQualityError, match="products of inertia"):
        rigid_body_state(1.0, hip, principal_axes(m, p, ["r_thigh"])["r_thigh"], np.ones((3, 3)), t)


def test_ground_reaction_layout_and_missing_frames():
    """Plates on the motion's own time base, stored C- or Fortran-ordered, with unloaded and
    missing (NaN centre of pressure) frames: the same loads, and the read-only input arrays
    are never written to (regression: an F-ordered plate used to give a read-only view)."""
    m = demo_posture(20)
    gr = whole_body_ground_reaction(m, MALE, static=True)
    f = np.array(gr.force_n)
    f[3] = 0.0  # unloaded frame
    cop = np.array(gr.cop_m)
    cop[5] = np.nan  # no centre of pressure
    plates = [GroundReaction(m.time_s, np.asfortranarray(a), np.asfortranarray(c), foot="")
              for a, c in ((f, cop),)]
    plates_c = [GroundReaction(m.time_s, np.ascontiguousarray(f), np.ascontiguousarray(cop), foot="")]
    a = bottom_up(m, MALE, plates, static=True)
    b = bottom_up(m, MALE, plates_c, static=True)
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(a, b)
    assert np.isfinite(a.to_numpy()).all()
    assert not plates[0].force_n.flags.writeable and np.isnan(plates[0].cop_m[5]).all()
