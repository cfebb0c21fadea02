"""Core data model: Subject validation, Motion immutability, access by name, skeletons."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liftrisk.core import Motion, Subject, to_canonical
from liftrisk.core.skeletons import BODY25, MEDIAPIPE33, SKELETONS, detect_skeleton
from liftrisk.errors import DataQualityError, MissingPointError, SubjectError


def test_subject_rejects_implausible_values():
    with pytest.raises(SubjectError, match="centimetres"):
        Subject("male", 80, 178)
    with pytest.raises(SubjectError, match="mass_kg"):
        Subject("female", 500, 1.7)
    with pytest.raises(SubjectError, match="sex"):
        Subject("x", 70, 1.7)
    assert Subject("F", 60, 1.65).sex == "female"


def _motion(n=5):
    rng = np.random.default_rng(0)
    return Motion.from_points({"a": rng.normal(size=(n, 3)), "b": rng.normal(size=(n, 3))},
                              rate_hz=50.0, source="test")


def test_motion_is_immutable_and_copies_input():
    arr = np.zeros((4, 3))
    m = Motion.from_points({"p": arr}, rate_hz=10)
    arr[:] = 1.0
    assert np.all(m["p"] == 0)
    with pytest.raises(ValueError):
        m.positions_m[0, 0, 0] = 5.0
    with pytest.raises(AttributeError):
        m.rate_hz = 3.0


def test_motion_access_by_name_and_errors():
    m = _motion()
    assert m["b"].shape == (5, 3)
    with pytest.raises(MissingPointError, match="has no point 'c'"):
        m["c"]
    with pytest.raises(DataQualityError, match="strictly increasing"):
        Motion(time_s=[0, 1, 1], positions_m=np.zeros((3, 1, 3)), point_names=("a",))
    with pytest.raises(DataQualityError, match="no frames"):
        Motion(time_s=[], positions_m=np.zeros((0, 1, 3)), point_names=("a",))


@given(st.floats(-np.pi, np.pi), st.floats(-2, 2))
def test_rigid_transform_preserves_distances(angle, shift):
    m = _motion()
    c, s = np.cos(angle), np.sin(angle)
    r = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    t = m.transformed(r, (shift, 0, 0))
    d0 = np.linalg.norm(m["a"] - m["b"], axis=1)
    d1 = np.linalg.norm(t["a"] - t["b"], axis=1)
    np.testing.assert_allclose(d0, d1, atol=1e-12)


def test_skeleton_layout_sizes_and_detection():
    assert len(MEDIAPIPE33.points) == 33
    assert len(BODY25.points) == 25
    assert len(SKELETONS["coco17"].points) == 17
    assert MEDIAPIPE33.index("left_shoulder") == 11  # MediaPipe model card index
    assert BODY25.index("MidHip") == 8  # OpenPose BODY_25 index
    assert detect_skeleton(BODY25.points) is BODY25


def test_to_canonical_averages_source_points():
    n = 3
    pts = {p: np.full((n, 3), float(i)) for i, p in enumerate(MEDIAPIPE33.points)}
    m = Motion.from_points(pts, rate_hz=30)
    c = to_canonical(m)
    i_idx, i_pinky = MEDIAPIPE33.index("left_index"), MEDIAPIPE33.index("left_pinky")
    assert c["l_hand"][0, 0] == pytest.approx((i_idx + i_pinky) / 2)
    assert "l5s1" not in c
