"""Camera model and calibration I/O: OpenCV as the independent reference, Pose2Sim's own
TOML conversion of the Qualisys QCA file as the reference for the QCA reader."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.errors import InputFileError
from liftrisk.pose.calibration import (
    Camera,
    matrix_to_rodrigues,
    read_calibration,
    read_pose2sim_toml,
    read_qca,
    rodrigues_to_matrix,
    write_pose2sim_toml,
)
from tests.conftest import need


def _cam(dist=(0.0, 0.0, 0.0, 0.0, 0.0)):
    k = np.array([[900.0, 0, 330], [0, 905, 250], [0, 0, 1]])
    return Camera("c", (640, 480), k, np.array(dist), np.array([0.2, -0.4, 0.1]), np.array([0.1, -0.2, 3.0]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_rodrigues_matches_opencv_and_round_trips(r):
    r = np.array(r)
    m = rodrigues_to_matrix(r)
    # OpenCV's Rodrigues is the independent reference (float64 round-off only)
    np.testing.assert_allclose(m, cv2.Rodrigues(r)[0], atol=1e-9)
    np.testing.assert_allclose(rodrigues_to_matrix(matrix_to_rodrigues(m)), m, atol=1e-8)


def test_projection_matches_opencv_with_distortion():
    dist = (-0.05, 0.14, 0.0006, 0.0007, 0.01)
    cam = _cam(dist)
    pts = np.random.default_rng(0).uniform(-0.8, 0.8, (200, 3))
    ref, _ = cv2.projectPoints(pts, matrix_to_rodrigues(cam.rotation), cam.translation_m, cam.matrix, np.array(dist))
    np.testing.assert_allclose(cam.project(pts), ref[:, 0], atol=1e-6)  # px


def test_undistort_inverts_distort_and_matches_opencv():
    dist = (-0.05, 0.14, 0.0006, 0.0007, 0.0)
    cam = _cam(dist)
    px = np.random.default_rng(1).uniform([20, 20], [620, 460], (100, 2))
    und = cam.undistort_pixels(px)
    ref = cv2.undistortPoints(px[:, None], cam.matrix, np.array(dist), P=cam.matrix)[:, 0]
    np.testing.assert_allclose(und, ref, atol=1e-3)  # px; OpenCV iterates 5 times only


def test_toml_round_trip(tmp_path):
    cam = _cam((-0.05, 0.14, 0.0006, 0.0007))
    back = read_pose2sim_toml(write_pose2sim_toml([cam], tmp_path / "c.toml"))[0]
    np.testing.assert_allclose(back.rotation, cam.rotation, atol=1e-12)
    np.testing.assert_allclose(back.translation_m, cam.translation_m)
    np.testing.assert_allclose(back.distortion, cam.distortion)
    assert back.image_size_px == (640, 480)


def test_bad_calibration_files(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_calibration(tmp_path / "nope.toml")
    f = tmp_path / "mm.toml"
    f.write_text('[c]\nsize=[640.0,480.0]\nmatrix=[[500.0,0.0,320.0],[0.0,500.0,240.0],[0.0,0.0,1.0]]\n'
                 'distortions=[0.0,0.0,0.0,0.0]\nrotation=[0.0,0.0,0.0]\ntranslation=[0.0,0.0,3000.0]\n')
    with pytest.raises(InputFileError, match="mm"):
        read_calibration(f)
    g = tmp_path / "bad.qca.txt"
    g.write_text("<calibration><cameras><camera serial='a'/></cameras></calibration>")
    with pytest.raises(InputFileError, match="lacks"):
        read_calibration(g)


def test_qca_matches_pose2sim_conversion(shared_data):
    """Pose2Sim's TOML is its own conversion of the same QCA file: rotation and translation
    must agree to the TOML's printed precision (1e-6), intrinsics to 1/64 px rounding."""
    d = shared_data / "pose2sim_demo" / "calibration"
    qca = read_qca(need(d / "Calib.qca.txt"))
    toml = read_calibration(need(d / "Calib_qualisys_converted_by_pose2sim.toml"))
    assert len(qca) == len(toml) == 4
    for a, b in zip(qca, toml, strict=True):
        np.testing.assert_allclose(a.rotation, b.rotation, atol=1e-6)
        np.testing.assert_allclose(a.translation_m, b.translation_m, atol=1e-6)
        np.testing.assert_allclose(a.matrix, b.matrix, atol=1e-3)
        assert a.image_size_px == b.image_size_px == (1088, 1920)
        # the TOML's distortion is the QCA value / 64 (conversion quirk, see SOURCE.md)
        np.testing.assert_allclose(b.distortion[:4] * 64, a.distortion[:4], rtol=1e-3, atol=1e-6)
    # cameras ~2-4.5 m from the lab origin, ~1.7-2.1 m high (QCA positions are mm)
    for cam in qca:
        assert 1.5 < cam.centre_m[2] < 2.2
        assert 2.0 < np.linalg.norm(cam.centre_m[:2]) < 4.5
