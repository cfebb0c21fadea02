"""Rotations: round trips (property tests) and comparison with analytic elementary rotations."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.kinematics.rotations import (
    angle_between,
    axis_angle_from_matrix,
    euler_from_matrix,
    homogeneous,
    invert_transform,
    is_rotation_matrix,
    matrix_from_axis_angle,
    matrix_from_euler,
    rotation_about,
)

angle = st.floats(-np.pi + 1e-3, np.pi - 1e-3)
mid = st.floats(-np.pi / 2 + 1e-2, np.pi / 2 - 1e-2)  # away from gimbal lock


@settings(max_examples=60, deadline=None)
@given(a=angle, b=mid, c=angle, seq=st.sampled_from(["YXZ", "ZXY", "XYZ", "zyx", "xzy"]))
def test_euler_round_trip(a, b, c, seq):
    m = matrix_from_euler([a, b, c], seq)
    assert is_rotation_matrix(m)
    np.testing.assert_allclose(euler_from_matrix(m, seq), [a, b, c], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(x=st.floats(-1, 1), y=st.floats(-1, 1), z=st.floats(-1, 1), ang=st.floats(1e-3, np.pi - 1e-3))
def test_axis_angle_round_trip(x, y, z, ang):
    axis = np.array([x, y, z])
    if np.linalg.norm(axis) < 1e-2:
        axis = np.array([0.0, 0.0, 1.0])
    v = axis / np.linalg.norm(axis) * ang
    np.testing.assert_allclose(axis_angle_from_matrix(matrix_from_axis_angle(v)), v, atol=1e-9)


def test_intrinsic_yxz_equals_product_of_elementary_rotations():
    """Independent reference: intrinsic Y-X-Z = Ry(a) Rx(b) Rz(c) written out by hand."""
    a, b, c = 0.4, -0.3, 1.1
    ref = rotation_about("y", a) @ rotation_about("x", b) @ rotation_about("z", c)
    np.testing.assert_allclose(matrix_from_euler([a, b, c], "YXZ"), ref, atol=1e-12)
    cy, sy = np.cos(a), np.sin(a)
    np.testing.assert_allclose(rotation_about("y", a), [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]], atol=1e-15)


def test_vectorised_and_nan_frames():
    ang = np.array([[0.1, 0.2, 0.3], [np.nan, 0, 0], [0.5, -0.1, 0.0]])
    m = matrix_from_euler(ang, "YXZ")
    assert m.shape == (3, 3, 3) and np.isnan(m[1]).all()
    back = euler_from_matrix(m, "YXZ")
    np.testing.assert_allclose(back[[0, 2]], ang[[0, 2]], atol=1e-12)
    assert np.isnan(back[1]).all()


def test_transform_inverse_and_angle_between():
    t = homogeneous(matrix_from_euler(np.array([[0.3, 0.2, -0.4]]), "ZYX"), [[1.0, -2.0, 0.5]])
    np.testing.assert_allclose(invert_transform(t) @ t, np.eye(4)[None], atol=1e-12)
    assert abs(angle_between([1.0, 0, 0], [1.0, 1e-9, 0])) < 1e-8  # arctan2 form stays accurate
    np.testing.assert_allclose(angle_between([1.0, 0, 0], [-1.0, 0, 0]), np.pi)
