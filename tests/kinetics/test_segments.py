"""de Leva (1996) segment parameters: published values, mass balance, geometry."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core import Motion, Subject
from liftrisk.errors import MissingPointError
from liftrisk.kinetics.segments import (
    LOWER_BODY,
    SEGMENT_NAMES,
    UPPER_BODY,
    de_leva_table,
    estimate_l5s1,
    principal_axes,
    segment_parameters,
)

# Values typed from de Leva (1996) J Biomech 29:1223, Table 4 (independent of the CSV):
# (segment, sex) -> (mass fraction, CoM from proximal, r_sag, r_trans, r_long)
DE_LEVA_PUBLISHED = {
    ("thigh", "male"): (0.1416, 0.4095, 0.329, 0.329, 0.149),
    ("thigh", "female"): (0.1478, 0.3612, 0.369, 0.364, 0.162),
    ("trunk", "male"): (0.4346, 0.4486, 0.372, 0.347, 0.191),
    ("trunk", "female"): (0.4257, 0.4151, 0.357, 0.339, 0.171),
    ("hand", "male"): (0.0061, 0.7900, 0.628, 0.513, 0.401),
    ("upper_arm", "female"): (0.0255, 0.5754, 0.278, 0.260, 0.148),
    ("head", "male"): (0.0694, 0.5976, 0.362, 0.376, 0.312),
    ("foot", "female"): (0.0129, 0.4014, 0.299, 0.279, 0.139),
}


@pytest.mark.parametrize("key", sorted(DE_LEVA_PUBLISHED))
def test_table_matches_published(key):
    row = de_leva_table()[key]
    got = (row["mass_fraction_of_body"], row["com_fraction_from_proximal"], row["r_gyr_sagittal_frac"],
           row["r_gyr_transverse_frac"], row["r_gyr_longitudinal_frac"])
    assert got == pytest.approx(DE_LEVA_PUBLISHED[key], abs=1e-9)


@pytest.mark.parametrize("sex", ["male", "female"])
def test_masses_sum_to_body_mass(sex):
    p = segment_parameters(Subject(sex, 72.0, 1.70))
    assert set(p) == set(SEGMENT_NAMES) == set(UPPER_BODY) | set(LOWER_BODY)
    total = sum(s.mass_kg for s in p.values())
    # published female fractions sum to 0.9999 (rounding in de Leva's table)
    assert total == pytest.approx(72.0, abs=72.0 * 2e-4)
    assert sum(p[n].mass_fraction for n in ("upper_trunk", "middle_trunk", "lower_trunk")) == pytest.approx(
        DE_LEVA_PUBLISHED[("trunk", sex)][0], abs=1e-4)


def _standing():
    pts = {
        "head": [0.0, 0.0, 1.70], "neck": [0.0, 0.0, 1.45], "l5s1": [0.0, 0.0, 1.05], "mid_hip": [0.0, 0.0, 0.95],
        "l_shoulder": [0, 0.2, 1.42], "r_shoulder": [0, -0.2, 1.42], "l_elbow": [0, 0.2, 1.12],
        "r_elbow": [0, -0.2, 1.12], "l_wrist": [0, 0.2, 0.86], "r_wrist": [0, -0.2, 0.86],
        "l_hand": [0, 0.2, 0.78], "r_hand": [0, -0.2, 0.78], "l_hip": [0, 0.09, 0.95], "r_hip": [0, -0.09, 0.95],
        "l_knee": [0, 0.09, 0.52], "r_knee": [0, -0.09, 0.52], "l_ankle": [0, 0.09, 0.08],
        "r_ankle": [0, -0.09, 0.08], "l_heel": [-0.05, 0.09, 0.02], "r_heel": [-0.05, -0.09, 0.02],
        "l_toe": [0.2, 0.09, 0.02], "r_toe": [0.2, -0.09, 0.02],
    }
    return Motion.from_points({k: np.array([v], float) for k, v in pts.items()}, rate_hz=100)


def test_com_and_inertia_hand_computed():
    m = _standing()
    p = segment_parameters(Subject("male", 80.0, 1.78))
    th = p["r_thigh"]
    # thigh 0.43 m long, CoM 0.4095 of the way from the hip (de Leva): z = 0.95 - 0.4095*0.43
    assert th.com(m)[0] == pytest.approx([0, -0.09, 0.95 - 0.4095 * 0.43])
    L = th.length_m(m)
    assert L == pytest.approx(0.43)
    I_ = th.inertia_local(L)
    mt = 0.1416 * 80
    assert np.diag(I_) == pytest.approx([mt * (0.329 * 0.43) ** 2, mt * (0.329 * 0.43) ** 2, mt * (0.149 * 0.43) ** 2])
    # head: CoM 0.5002 of VERT->CERV from the vertex
    assert p["head_neck"].com(m)[0, 2] == pytest.approx(1.70 - 0.5002 * 0.25)
    # trunk split at the xiphoid: f = 0.2421 / (0.2421 + 0.2155) of neck->l5s1
    f = 0.2421 / (0.2421 + 0.2155)
    assert p["upper_trunk"].com(m)[0, 2] == pytest.approx(1.45 - 0.5066 * f * 0.40)
    assert p["middle_trunk"].com(m)[0, 2] == pytest.approx(1.45 - (f + 0.4502 * (1 - f)) * 0.40)
    # foot: longitudinal radius acts about the heel-toe axis (local x)
    ft = p["r_foot"]
    assert np.diag(ft.inertia_local(0.25))[0] == pytest.approx(0.0137 * 80 * (0.124 * 0.25) ** 2)


def test_frames_upright_are_identity():
    m = _standing()
    p = segment_parameters(Subject("female", 60.0, 1.65))
    fr = principal_axes(m, p)
    for n in ("r_thigh", "l_shank", "middle_trunk", "lower_trunk", "r_foot", "l_upper_arm"):
        assert fr[n][0] == pytest.approx(np.eye(3), abs=1e-12), n


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=9, max_size=9))
def test_frames_orthonormal_right_handed(v):
    v = np.array(v).reshape(3, 3)
    pts = {"r_hip": v[0], "r_knee": v[0] + v[1] + np.array([0, 0, -0.4]), "l_hip": v[0] + v[2] + [0.01, 0.2, 0]}
    pts["r_hip"], pts["l_hip"] = pts["r_hip"], pts["l_hip"]
    m = Motion.from_points({k: np.asarray(x, float)[None] for k, x in pts.items()}, rate_hz=1)
    R = principal_axes(m, segment_parameters(Subject("male", 80, 1.8)), ["r_thigh"])["r_thigh"][0]
    if np.all(np.isfinite(R)):
        assert R.T @ R == pytest.approx(np.eye(3), abs=1e-9)
        assert np.linalg.det(R) == pytest.approx(1.0, abs=1e-9)


def test_estimate_l5s1_and_missing_point_message():
    m = _standing().select([n for n in _standing().point_names if n != "l5s1"])
    with pytest.raises(MissingPointError, match="l5s1"):
        principal_axes(m, segment_parameters(Subject("male", 80, 1.8)))
    m2 = estimate_l5s1(m, Subject("male", 80, 1.8))
    # OMPH level: 1 - L_LPT / (L_UPTalt + L_MPT + L_LPT) with de Leva male lengths
    f = 1 - 0.1457 / (0.2421 + 0.2155 + 0.1457)
    assert m2["l5s1"][0, 2] == pytest.approx(1.45 - f * 0.50)
