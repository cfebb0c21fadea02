"""Multi-view triangulation: confidence-weighted DLT from N synchronised calibrated views,
reprojection error per point, and outlier views dropped one at a time.

Method: direct linear transform (Hartley & Zisserman 2004, *Multiple View Geometry*,
sec. 12.2) on undistorted, normalised image coordinates; each view's two equations are
multiplied by the detector confidence, as in Pose2Sim's weighted triangulation (Pagnon et
al. 2021, Sensors 21:6530). A view whose reprojection error exceeds
``max_reprojection_px`` is removed (worst first) and the point re-triangulated, as long as
``min_views`` views remain. Everything is vectorised over frames and points.

Examples
--------
>>> import numpy as np
>>> from liftrisk.pose.calibration import Camera
>>> K = np.array([[800., 0, 320], [0, 800, 240], [0, 0, 1]])
>>> c1 = Camera("a", (640, 480), K, np.zeros(5), np.eye(3), [0., 0., 3.])
>>> c2 = Camera("b", (640, 480), K, np.zeros(5), [0., np.pi / 2, 0.], [0., 0., 3.])
>>> X = np.array([[0.1, -0.2, 0.3]])
>>> uv = np.stack([c1.project(X), c2.project(X)])
>>> triangulate_points(uv, np.ones(uv.shape[:2]), [c1, c2]).round(6).tolist()
[[0.1, -0.2, 0.3]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.pose.calibration import Camera


def triangulate_points(xy_px: np.ndarray, weights: np.ndarray, cameras: Sequence[Camera]) -> np.ndarray:
    """Weighted DLT triangulation.

    Parameters
    ----------
    xy_px : array (V, ..., 2)
        Distorted pixel coordinates of the same points in V views (NaN = not seen).
    weights : array (V, ...)
        Weight of each view's observation (confidence); 0 or NaN drops it.
    cameras : sequence of Camera (V,)

    Returns
    -------
    array (..., 3)
        World points, m; NaN where fewer than two views have a positive weight.
    """
    xy = np.asarray(xy_px, float)
    w = np.nan_to_num(np.asarray(weights, float), nan=0.0)
    v = len(cameras)
    if xy.shape[0] != v or w.shape != xy.shape[:-1]:
        raise DataQualityError(f"triangulation: {v} cameras, pixels {xy.shape}, weights {w.shape}; expected "
                               "(views, ..., 2) and (views, ...)")
    shape = xy.shape[1:-1]
    xy = xy.reshape(v, -1, 2)
    w = w.reshape(v, -1)
    ok = np.isfinite(xy).all(axis=2) & (w > 0)
    w = np.where(ok, w, 0.0)
    rows = []
    for i, cam in enumerate(cameras):
        und = cam.undistort_pixels(np.where(ok[i, :, None], xy[i], 0.0))
        kinv = np.linalg.inv(cam.matrix)
        xn = und @ kinv[:2, :2].T + kinv[:2, 2]
        pn = np.hstack([cam.rotation, cam.translation_m[:, None]])  # normalised projection
        r1 = xn[:, 0:1] * pn[2] - pn[0]
        r2 = xn[:, 1:2] * pn[2] - pn[1]
        rows += [w[i, :, None] * r1, w[i, :, None] * r2]
    a = np.stack(rows, axis=1)  # (N, 2V, 4)
    _, _, vh = np.linalg.svd(a)
    h = vh[:, -1, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        pts = h[:, :3] / h[:, 3:4]
    pts[ok.sum(axis=0) < 2] = np.nan
    return pts.reshape(*shape, 3)


def reprojection_errors(points_m: np.ndarray, xy_px: np.ndarray, cameras: Sequence[Camera]) -> np.ndarray:
    """Pixel distance (V, ...) between each view's observation and the projected point.

    Parameters
    ----------
    points_m : numpy.ndarray
        (..., 3) world points (m).
    xy_px : numpy.ndarray
        (V, ..., 2) observations of each view (px).
    cameras : sequence of Camera
        Calibrated cameras (m, rad, px).

    Returns
    -------
    numpy.ndarray
        (V, ...) reprojection errors (px).
    """
    proj = np.stack([cam.project(points_m) for cam in cameras])
    return np.linalg.norm(proj - np.asarray(xy_px, float), axis=-1)


@dataclass(frozen=True, eq=False)
class TriangulationResult:
    """Triangulated points and their quality.

    Attributes
    ----------
    motion : Motion
        Points in the calibration's world frame (m), named as the detector's skeleton;
        confidence = mean detector confidence of the views used.
    reprojection_px : numpy.ndarray
        (T, K) mean reprojection error over the views used (px; NaN if not triangulated).
    n_views : numpy.ndarray
        (T, K) number of views used.
    used : numpy.ndarray
        (T, K, V) which views were used (bool).
    """

    motion: Motion
    reprojection_px: np.ndarray
    n_views: np.ndarray
    used: np.ndarray

    def median_reprojection_px(self) -> float:
        """Median over all triangulated points and frames, px."""
        e = self.reprojection_px[np.isfinite(self.reprojection_px)]
        return float(np.median(e)) if e.size else float("nan")


def triangulate_keypoints(views: Sequence[Keypoints2D], cameras: Sequence[Camera], *,
                          min_confidence: float = 0.3, max_reprojection_px: float = 15.0,
                          min_views: int = 2) -> TriangulationResult:
    """Triangulate synchronised 2D keypoints of V views into a 3D Motion.

    Views and cameras are paired by order. Frames are paired by index (the videos must be
    synchronised; the shortest sets the length).

    Parameters
    ----------
    views : sequence of Keypoints2D (V >= 2), same skeleton.
    cameras : sequence of Camera (V,).
    min_confidence : float
        Observations below this confidence are ignored.
    max_reprojection_px : float
        A view whose reprojection error exceeds this is dropped (worst first) while more
        than `min_views` remain; points still above it are kept (their error is reported).
    min_views : int
        Least number of views to triangulate a point (>= 2).

    Returns
    -------
    TriangulationResult
        3D motion (m) with reprojection errors (px) and views used.

    Examples
    --------
    >>> K = np.array([[800., 0, 320], [0, 800, 240], [0, 0, 1]])
    >>> cams = [Camera(n, (640, 480), K, np.zeros(5), [0., a, 0.], [0., 0., 3.])
    ...         for n, a in (("a", 0.0), ("b", np.pi / 2), ("c", -np.pi / 2))]
    >>> X = np.array([[[0.1, -0.2, 0.3]]])  # 1 frame, 1 point
    >>> views = [Keypoints2D([0.0], c.project(X), np.ones((1, 1)), ("p",), "coco17", (640, 480)) for c in cams]
    >>> res = triangulate_keypoints(views, cams)
    >>> res.motion["p"].round(6).tolist(), int(res.n_views[0, 0])
    ([[0.1, -0.2, 0.3]], 3)
    """
    if len(views) < 2 or len(views) != len(cameras):
        raise DataQualityError(f"triangulation needs >= 2 views with one camera each; got {len(views)} views "
                               f"and {len(cameras)} cameras")
    names = views[0].point_names
    for kp in views[1:]:
        if kp.point_names != names:
            raise DataQualityError(f"views use different skeletons ({views[0].skeleton} vs {kp.skeleton})")
    t = min(kp.n_frames for kp in views)
    xy = np.stack([kp.xy_px[:t] for kp in views])  # (V, T, K, 2)
    conf = np.stack([kp.confidence[:t] for kp in views])  # (V, T, K)
    w = np.where(conf >= min_confidence, conf, 0.0)
    pts = triangulate_points(xy, w, cameras)
    v = len(cameras)
    for _ in range(max(0, v - min_views)):
        err = reprojection_errors(pts, xy, cameras)
        err = np.where(w > 0, np.nan_to_num(err, nan=np.inf), -np.inf)  # behind a camera: worst
        worst = np.argmax(err, axis=0)  # (T, K)
        worst_err = np.take_along_axis(err, worst[None], axis=0)[0]
        n_used = (w > 0).sum(axis=0)
        redo = (worst_err > max_reprojection_px) & (n_used > min_views)
        if not redo.any():
            break
        drop = (np.arange(v)[:, None, None] == worst[None]) & redo[None]
        w = np.where(drop, 0.0, w)
        sub = triangulate_points(xy[:, redo], w[:, redo], cameras)
        pts[redo] = sub
    used = w > 0
    n_views = used.sum(axis=0)
    pts[n_views < min_views] = np.nan
    err = reprojection_errors(pts, xy, cameras)
    with np.errstate(invalid="ignore"):
        mean_err = np.where(used, err, 0.0).sum(axis=0) / np.where(n_views > 0, n_views, np.nan)
        mean_conf = np.where(used, conf, 0.0).sum(axis=0) / np.where(n_views > 0, n_views, np.nan)
    ok = np.isfinite(pts).all(axis=-1)
    mean_err = np.where(ok, mean_err, np.nan)
    motion = Motion(time_s=views[0].time_s[:t], positions_m=pts, point_names=names, rate_hz=views[0].rate_hz,
                    confidence=np.where(ok, np.nan_to_num(mean_conf), 0.0),
                    source=" + ".join(kp.source or kp.camera for kp in views),
                    meta={"skeleton": views[0].skeleton, "frame": "calibration world",
                          "cameras": [c.name for c in cameras]})
    return TriangulationResult(motion, mean_err, n_views, np.moveaxis(used, 0, -1))


def estimate_frame_offsets(views: Sequence[Keypoints2D], cameras: Sequence[Camera], max_offset_frames: int = 10,
                           min_confidence: float = 0.5) -> list[int]:
    """Frame lag of each view relative to view 0 that best fits the calibration.

    For each view i > 0 and each integer lag, points seen by view 0 and view i (frame
    ``f`` in view 0, ``f + lag`` in view i) are triangulated from the pair and the median
    two-view reprojection error is computed; the lag with the smallest error is kept
    (epipolar consistency as the synchronisation criterion, in the spirit of Pose2Sim's
    keypoint-based synchronisation). Returns lags in frames (view 0 -> 0).

    Parameters
    ----------
    views : sequence of Keypoints2D
        2D keypoints of each view (px).
    cameras : sequence of Camera
        Calibrated cameras (m, rad, px).
    max_offset_frames : int
        Largest lag tried (frames).
    min_confidence : float
        Points below this confidence (0-1) are ignored.

    Returns
    -------
    list of int
        Lag of each view relative to view 0 (frames; 0 for view 0).
    """
    ref = views[0]
    lags = [0]
    for kp, cam in zip(views[1:], cameras[1:], strict=True):
        best, best_err = 0, np.inf
        n = min(ref.n_frames, kp.n_frames)
        for lag in range(-max_offset_frames, max_offset_frames + 1):
            a0, a1 = max(0, -lag), min(n, n - lag)
            if a1 - a0 < 10:
                continue
            xy = np.stack([ref.xy_px[a0:a1], kp.xy_px[a0 + lag:a1 + lag]])
            c = np.stack([ref.confidence[a0:a1], kp.confidence[a0 + lag:a1 + lag]])
            w = np.where(c >= min_confidence, c, 0.0)
            pts = triangulate_points(xy, w, [cameras[0], cam])
            err = reprojection_errors(pts, xy, [cameras[0], cam])
            e = err[:, (w > 0).all(axis=0) & np.isfinite(pts).all(axis=-1)]
            if e.size and np.median(e) < best_err:
                best, best_err = lag, float(np.median(e))
        lags.append(best)
    return lags


def apply_frame_offsets(views: Sequence[Keypoints2D], lags: Sequence[int]) -> list[Keypoints2D]:
    """Trim views so that frame f of view 0 pairs with frame f + lag of view i.

    Times are those of view 0.

    Parameters
    ----------
    views : sequence of Keypoints2D
        2D keypoints of each view.
    lags : sequence of int
        Lag of each view (frames), from `estimate_frame_offsets`.

    Returns
    -------
    list of Keypoints2D
        Trimmed views of equal length.
    """
    lags = list(lags)
    start = max(0, -min(lags))
    n = min(kp.n_frames - (start + lag) for kp, lag in zip(views, lags, strict=True))
    out = []
    for kp, lag in zip(views, lags, strict=True):
        s = kp.slice_frames(start + lag, start + lag + n)
        out.append(Keypoints2D(views[0].time_s[start:start + n], s.xy_px, s.confidence, s.point_names, s.skeleton,
                               s.image_size_px, s.world_m, s.camera, s.source, dict(s.meta)))
    return out
