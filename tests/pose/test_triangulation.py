"""Triangulation on synthetic cameras: project known 3D points, triangulate back."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.pose.calibration import Camera
from liftrisk.pose.triangulation import triangulate_keypoints, triangulate_points


def ring_cameras(n=4, radius_m=3.5, height_m=1.5, dist=(-0.04, 0.12, 0.0005, -0.0004, 0.0)):
    """n cameras on a circle around the origin, looking at (0, 0, 1) m (Z-up world)."""
    cams = []
    k = np.array([[1500.0, 0, 540], [0, 1500, 960], [0, 0, 1]])
    for i in range(n):
        a = 2 * np.pi * i / n + 0.3
        c = np.array([radius_m * np.cos(a), radius_m * np.sin(a), height_m])
        z = np.array([0, 0, 1.0]) - c
        z /= np.linalg.norm(z)
        x = np.cross(z, [0, 0, 1.0])
        x /= np.linalg.norm(x)
        y = np.cross(z, x)
        r = np.stack([x, y, z])  # rows: camera axes in world
        cams.append(Camera(f"cam{i + 1}", (1080, 1920), k, np.array(dist), r, -r @ c))
    return cams


def test_exact_recovery_with_distortion():
    cams = ring_cameras()
    pts = np.random.default_rng(0).uniform([-0.5, -0.5, 0.0], [0.5, 0.5, 2.0], (50, 3))
    uv = np.stack([c.project(pts) for c in cams])
    got = triangulate_points(uv, np.ones(uv.shape[:2]), cams)
    np.testing.assert_allclose(got, pts, atol=1e-6)  # m; exact up to undistortion iterations


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-0.8, 0.8), min_size=3, max_size=3),
       st.lists(st.floats(0.1, 1.0), min_size=4, max_size=4))
def test_weights_do_not_bias_exact_data(p, w):
    cams = ring_cameras()
    pt = np.array([p]) + [0, 0, 1.0]
    uv = np.stack([c.project(pt) for c in cams])
    got = triangulate_points(uv, np.array(w)[:, None], cams)
    np.testing.assert_allclose(got, pt, atol=1e-6)


def _views(cams, pts_t, conf=None):
    t = pts_t.shape[0]
    names = tuple(f"p{i}" for i in range(pts_t.shape[1]))
    out = []
    for i, c in enumerate(cams):
        cf = np.ones(pts_t.shape[:2]) if conf is None else conf[i]
        out.append(Keypoints2D(np.arange(t) / 60, c.project(pts_t), cf, names, "coco17", c.image_size_px,
                               camera=c.name))
    return out


def test_outlier_view_is_dropped_and_error_reported():
    cams = ring_cameras()
    rng = np.random.default_rng(2)
    pts = rng.uniform([-0.4, -0.4, 0.2], [0.4, 0.4, 1.8], (20, 5, 3))
    views = _views(cams, pts)
    bad = views[2].xy_px.copy()
    bad[:, 1] += 80.0  # point p1 wrong by 80 px in camera 3 (e.g. a left/right swap)
    noisy = [views[0], views[1], Keypoints2D(views[2].time_s, bad, views[2].confidence, views[2].point_names,
                                             "coco17", (1080, 1920), camera="cam3"), views[3]]
    res = triangulate_keypoints(noisy, cams, max_reprojection_px=10.0)
    np.testing.assert_allclose(res.motion.positions_m, pts, atol=1e-5)
    assert np.all(res.n_views[:, 1] == 3) and np.all(res.n_views[:, [0, 2, 3, 4]] == 4)
    assert not res.used[:, 1, 2].any()
    assert res.median_reprojection_px() < 1e-3
    # without dropping, the bad view pulls p1 off by centimetres
    res_all = triangulate_keypoints(noisy, cams, max_reprojection_px=1e9)
    assert np.nanmax(np.linalg.norm(res_all.motion["p1"] - pts[:, 1], axis=1)) > 0.005


def test_low_confidence_and_single_view_give_nan():
    cams = ring_cameras(2)
    pts = np.random.default_rng(3).uniform([-0.4, -0.4, 0.2], [0.4, 0.4, 1.8], (4, 3, 3))
    conf = np.ones((2, 4, 3))
    conf[0, :, 0] = 0.1  # below min_confidence in view 1 -> one view left -> NaN
    res = triangulate_keypoints(_views(cams, pts, conf), cams, min_confidence=0.3)
    assert np.isnan(res.motion["p0"]).all()
    assert np.isnan(res.reprojection_px[:, 0]).all()
    np.testing.assert_allclose(res.motion["p2"], pts[:, 2], atol=1e-6)


def test_noise_gives_subpixel_scale_error():
    cams = ring_cameras()
    rng = np.random.default_rng(4)
    pts = rng.uniform([-0.4, -0.4, 0.2], [0.4, 0.4, 1.8], (50, 4, 3))
    views = _views(cams, pts)
    noisy = [Keypoints2D(v.time_s, v.xy_px + rng.normal(0, 1.0, v.xy_px.shape), v.confidence, v.point_names,
                         "coco17", v.image_size_px) for v in views]
    res = triangulate_keypoints(noisy, cams)
    err_mm = 1000 * np.linalg.norm(res.motion.positions_m - pts, axis=-1)
    # 1 px noise at f = 1500 px and 3.5 m gives ~2.3 mm per view; 4 views: a few mm
    assert np.median(err_mm) < 4.0
    assert 0.3 < res.median_reprojection_px() < 1.5
