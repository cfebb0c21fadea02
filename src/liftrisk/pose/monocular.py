"""Monocular metric 3D from a detector's world landmarks (MediaPipe BlazePose GHUM).

MediaPipe's ``pose_world_landmarks`` are metric (m) and camera-aligned, with the origin at
the centre between the hips in *every* frame: x image-right, y image-down (the head has
negative y), z away from the camera (the near hip has the smaller z). Checked on the
Sports2D walking clip (tests/pose/test_mediapipe.py). Two things are therefore missing
for inverse dynamics, and added here:

1. **Scale**: the landmarks have a generic body size. They are scaled by
   ``subject_height_m / estimate_stature_m`` (Drillis & Contini proportions,
   `liftrisk.pose.frames`).
2. **Root translation** (the pelvis moves in the room): solved per frame by linear least
   squares so that the scaled landmarks plus a translation ``t`` project onto the detected
   pixels through a pinhole camera (confidence-weighted; same equations as the DLT):
   ``(X_j + t_x) - x_j (Z_j + t_z) = 0``, ``(Y_j + t_y) - y_j (Z_j + t_z) = 0`` with
   normalised pixel coordinates ``x_j, y_j``. Without a calibration the focal length is
   taken as 0.6 x the image diagonal (a 26 mm-equivalent phone lens: 26 / 43.3 mm). The
   depth ``t_z`` is in effect the metric body size (from the stature) over its size in
   pixels times the focal length, so a few pixels of keypoint jitter on a body ~300 px tall
   move it by centimetres *per frame*; differentiated twice at 30 frames/s, that is metres
   per second squared of whole-body acceleration along the camera axis, which top-down
   inverse dynamics turns into force (before this fix the bundled walking clip had a
   centre-of-mass acceleration of 8.6 m/s2 p95 along the depth; real walking < 1 m/s2).
   Therefore:

   a. **Identity switches / teleports** (the detector jumps to another person): consecutive
      detections whose root moves faster than ``max_root_speed_m_s`` across the image
      (default 5 m/s, above any lifting or walking speed) start a new track; only the
      longest track is kept, the other frames become missing (``meta["warnings"]``).
   b. **Depth** ``t_z``: zero-phase 2nd-order Butterworth at ``depth_cutoff_hz`` (1 Hz by
      default; a person's distance to a fixed camera changes slowly in lifting and walking).
   c. **In-plane** ``t_x, t_y``: re-solved with the smoothed depth (closed form, the same
      weighted equations with ``t_z`` fixed), then low-pass at ``translation_cutoff_hz``
      (3 Hz), so the depth noise does not leak into them through ``x_j t_z``.

   The body's pose relative to the root (the world landmarks) is not filtered here: the
   pipeline low-passes the joint centres at its usual 6 Hz.

The result is in the camera-level Z-up frame (`CAMERA_TO_ZUP`), which assumes the camera
is roughly level; `liftrisk.pose.frames.to_worker_frame` then aligns it with the worker.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, filtfilt

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import to_canonical
from liftrisk.errors import DataQualityError
from liftrisk.pose.frames import CAMERA_TO_ZUP, camera_to_world_from_up, estimate_stature_m, up_from_balance

PHONE_FOCAL_PER_DIAGONAL = 26.0 / 43.27  # 26 mm-equivalent lens over the 36x24 mm diagonal


def default_focal_px(image_size_px: tuple[int, int]) -> float:
    """Focal length (px) of a typical phone main camera for an image size.

    Parameters
    ----------
    image_size_px : (int, int)
        Width and height of the image (px).

    Returns
    -------
    float
        Focal length (px).

    Examples
    --------
    >>> round(default_focal_px((1920, 1080)))
    1324
    """
    w, h = image_size_px
    return PHONE_FOCAL_PER_DIAGONAL * float(np.hypot(w, h))


def root_translation_m(world_m: np.ndarray, xy_px: np.ndarray, confidence: np.ndarray, focal_px: float,
                       principal_px: tuple[float, float], min_confidence: float = 0.5) -> np.ndarray:
    """Per-frame camera-frame translation (T, 3) that best projects `world_m` on `xy_px`.

    Parameters
    ----------
    world_m : numpy.ndarray
        (T, K, 3) camera-aligned metric points relative to the root (m).
    xy_px : numpy.ndarray
        (T, K, 2) detected pixels (px).
    confidence : numpy.ndarray
        (T, K) detector confidence (0-1).
    focal_px : float
        Focal length (px).
    principal_px : (float, float)
        Principal point (cx, cy) (px).
    min_confidence : float
        Points below this confidence (0-1) are not used.

    Returns
    -------
    (T, 3) translation in the camera frame, m (NaN where < 3 confident points).

    Examples
    --------
    >>> P = np.array([[[0., 0, 0], [.3, 0, 0], [0, .5, .1], [-.2, -.4, .05]]])
    >>> t = np.array([.2, -.1, 4.0])
    >>> X = P + t
    >>> uv = 1000 * X[..., :2] / X[..., 2:] + [500, 400]
    >>> root_translation_m(P, uv, np.ones((1, 4)), 1000, (500, 400)).round(6).tolist()
    [[0.2, -0.1, 4.0]]
    """
    w = np.where((confidence >= min_confidence) & np.isfinite(xy_px).all(-1) & np.isfinite(world_m).all(-1),
                 confidence, 0.0)
    x = (np.nan_to_num(xy_px[..., 0]) - principal_px[0]) / focal_px
    y = (np.nan_to_num(xy_px[..., 1]) - principal_px[1]) / focal_px
    p = np.nan_to_num(world_m)
    zero, one = np.zeros_like(x), np.ones_like(x)
    # rows for x and y equations: [1, 0, -x] t = x Z - X ;  [0, 1, -y] t = y Z - Y
    ax = np.stack([one, zero, -x], axis=-1)
    ay = np.stack([zero, one, -y], axis=-1)
    bx = x * p[..., 2] - p[..., 0]
    by = y * p[..., 2] - p[..., 1]
    a = np.concatenate([ax, ay], axis=1) * np.concatenate([w, w], axis=1)[..., None]
    b = np.concatenate([bx, by], axis=1) * np.concatenate([w, w], axis=1)
    ata = np.einsum("tki,tkj->tij", a, a)
    atb = np.einsum("tki,tk->ti", a, b)
    ok = (w > 0).sum(axis=1) >= 3
    out = np.full((x.shape[0], 3), np.nan)
    if ok.any():
        out[ok] = np.linalg.solve(ata[ok], atb[ok][..., None])[..., 0]
    return out


def in_plane_translation_m(world_m: np.ndarray, xy_px: np.ndarray, confidence: np.ndarray, focal_px: float,
                           principal_px: tuple[float, float], depth_m: np.ndarray,
                           min_confidence: float = 0.5) -> np.ndarray:
    """Camera-frame translation (T, 3) with the depth fixed to `depth_m`: ``t_x, t_y`` solve
    the equations of `root_translation_m` in closed form (confidence-weighted means).

    Parameters
    ----------
    world_m, xy_px, confidence, focal_px, principal_px, min_confidence : as `root_translation_m`.
    depth_m : (T,) root depth ``t_z`` along the camera axis, m.

    Returns
    -------
    (T, 3) translation, m (NaN where no confident point or no depth).

    Examples
    --------
    >>> P = np.array([[[0., 0, 0], [.3, 0, 0], [0, .5, .1]]])
    >>> X = P + [.2, -.1, 4.0]
    >>> uv = 1000 * X[..., :2] / X[..., 2:] + [500, 400]
    >>> in_plane_translation_m(P, uv, np.ones((1, 3)), 1000, (500, 400), np.array([4.0])).round(6).tolist()
    [[0.2, -0.1, 4.0]]
    """
    w = np.where((confidence >= min_confidence) & np.isfinite(xy_px).all(-1) & np.isfinite(world_m).all(-1),
                 confidence, 0.0)
    x = (np.nan_to_num(xy_px[..., 0]) - principal_px[0]) / focal_px
    y = (np.nan_to_num(xy_px[..., 1]) - principal_px[1]) / focal_px
    p = np.nan_to_num(world_m)
    zc = p[..., 2] + np.asarray(depth_m, float)[:, None]
    sw = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tx = (w * (x * zc - p[..., 0])).sum(axis=1) / sw
        ty = (w * (y * zc - p[..., 1])).sum(axis=1) / sw
    out = np.column_stack([tx, ty, np.asarray(depth_m, float)])
    out[~(sw > 0) | ~np.isfinite(out).all(axis=1)] = np.nan
    return out


def longest_track(translation_m: np.ndarray, time_s: np.ndarray, max_speed_m_s: float) -> np.ndarray:
    """(T,) mask of the frames of the longest continuous track of the root.

    Consecutive detected frames (gaps allowed) whose in-plane root displacement (x, y) over
    their time difference exceeds `max_speed_m_s` are split into separate tracks (the
    detector switched to another person); the track with the most frames is kept.

    Parameters
    ----------
    translation_m : numpy.ndarray
        (T, 3) root translation (m).
    time_s : numpy.ndarray
        (T,) times (s).
    max_speed_m_s : float
        Faster jumps between detections start a new track (m/s).

    Returns
    -------
    numpy.ndarray
        (T,) bool mask.

    Examples
    --------
    >>> t = np.array([[0., 0, 4], [.02, 0, 4], [1.5, 0, 4], [1.52, 0, 4], [1.54, 0, 4]])
    >>> longest_track(t, np.arange(5) / 30, 5.0).tolist()
    [False, False, True, True, True]
    """
    ok = np.isfinite(translation_m).all(axis=1)
    keep = np.zeros(len(ok), bool)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return keep
    step = np.linalg.norm(np.diff(translation_m[idx, :2], axis=0), axis=1)
    speed = step / np.maximum(np.diff(np.asarray(time_s, float)[idx]), 1e-9)
    track = np.concatenate([[0], np.cumsum(speed > max_speed_m_s)])
    best = np.bincount(track).argmax()
    keep[idx[track == best]] = True
    return keep


def _lowpass(x: np.ndarray, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """Zero-phase 2nd-order Butterworth on finite runs (NaN gaps bridged linearly)."""
    if x.shape[0] < 15 or cutoff_hz >= rate_hz / 2:
        return x
    t = np.arange(x.shape[0])
    out = x.copy()
    for j in range(x.shape[1]):
        ok = np.isfinite(x[:, j])
        if ok.sum() < 15:
            continue
        filled = np.interp(t, t[ok], x[ok, j])
        b, a = butter(2, cutoff_hz / (rate_hz / 2))
        out[:, j] = np.where(ok, filtfilt(b, a, filled), np.nan)
    return out


def lift_monocular(kp: Keypoints2D, subject_height_m: float, *, focal_px: float | None = None,
                   principal_px: tuple[float, float] | None = None, translate: bool = True,
                   translation_cutoff_hz: float | None = 3.0, camera_to_world: np.ndarray | None = None,
                   vertical: str = "level_camera", sex: str = "male", depth_cutoff_hz: float | None = 1.0,
                   max_root_speed_m_s: float | None = 5.0) -> Motion:
    """Metric 3D Motion (Z-up, camera-level frame) from one view's world landmarks.

    Parameters
    ----------
    kp : Keypoints2D with ``world_m`` (e.g. from `MediaPipePoseDetector`).
    subject_height_m : stature of the worker, m (scales the body).
    focal_px, principal_px : camera intrinsics; default: phone lens, image centre.
    translate : recover the root translation from the pixels (else the root stays at 0).
    translation_cutoff_hz : low-pass cut-off for the recovered in-plane translation (x, y), Hz
        (None: no filter).
    depth_cutoff_hz : low-pass cut-off for the recovered root depth along the camera axis, Hz
        (None: no filter, and the in-plane translation is not re-solved).
    max_root_speed_m_s : faster in-plane root jumps between detections start a new track
        (another person); only the longest track is kept (None: keep every frame).
    camera_to_world : (3, 3) rotation, optional
        Camera axes -> world (Z up) from a calibration, ``R.T`` of `Camera.rotation`; it
        replaces the level-camera assumption (`CAMERA_TO_ZUP`) when the camera is tilted.
    vertical : {"level_camera", "balance"}
        Without `camera_to_world`: assume a level camera (up = image up), or take the
        vertical from quasi-static balance (`liftrisk.pose.frames.up_from_balance`), for a
        tilted camera.
    sex : {"male", "female"}
        For the segment masses of the balance vertical.

    Returns
    -------
    Motion
        Detector point names (e.g. MediaPipe's 33), m, frame: X away from the camera,
        Y image-left, Z up (or the calibration's world axes, origin at the camera, with
        `camera_to_world`); ``meta["scale"]`` is the applied scale factor,
        ``meta["focal_px"]``, ``meta["principal_px"]`` the intrinsics used,
        ``meta["camera_to_world"]`` the rotation from camera axes to the returned frame,
        ``meta["warnings"]`` plain-language notes (frames dropped as another person).
    """
    if kp.world_m is None:
        raise DataQualityError(f"{kp.source or 'keypoints'}: no world landmarks; monocular 3D needs a detector that "
                               "gives them (MediaPipe) or two or more calibrated views")
    if not np.isfinite(kp.world_m).any():
        raise DataQualityError(f"{kp.source or 'keypoints'}: nobody was detected in the video; check that the "
                               "whole body is visible and lit")
    raw = Motion(kp.time_s, kp.world_m @ CAMERA_TO_ZUP.T, kp.point_names, kp.rate_hz,
                 confidence=kp.confidence, source=kp.source, meta={"skeleton": kp.skeleton})
    canon = to_canonical(raw, kp.skeleton)
    scale = float(subject_height_m) / estimate_stature_m(canon)
    world = kp.world_m * scale
    warnings: list[str] = []
    if translate:
        f = focal_px or default_focal_px(kp.image_size_px)
        c = principal_px or (kp.image_size_px[0] / 2.0, kp.image_size_px[1] / 2.0)
        t = root_translation_m(world, kp.xy_px, kp.confidence, f, c)
        if max_root_speed_m_s:
            keep = longest_track(t, kp.time_s, max_root_speed_m_s)
            dropped = np.isfinite(t).all(axis=1) & ~keep
            if dropped.any():
                t[dropped] = np.nan
                world = np.where(dropped[:, None, None], np.nan, world)
                warnings.append(
                    f"{kp.source or 'video'}: the detected body jumps faster than {max_root_speed_m_s:g} m/s across "
                    f"the image (the detector switched to another person); {int(dropped.sum())} frames outside "
                    "the longest continuous track were left out")
        if depth_cutoff_hz:
            depth = _lowpass(t[:, 2:], kp.rate_hz, depth_cutoff_hz)[:, 0]
            t = in_plane_translation_m(world, kp.xy_px, kp.confidence, f, c, depth)
        if translation_cutoff_hz:
            t[:, :2] = _lowpass(t[:, :2], kp.rate_hz, translation_cutoff_hz)
        world = world + t[:, None, :]
    if camera_to_world is not None:
        rot = np.asarray(camera_to_world, float)
    elif vertical == "balance":
        cam_motion = Motion(kp.time_s, world, kp.point_names, kp.rate_hz, confidence=kp.confidence,
                            source=kp.source, meta={"skeleton": kp.skeleton})
        rot = camera_to_world_from_up(up_from_balance(to_canonical(cam_motion, kp.skeleton), sex))
    elif vertical == "level_camera":
        rot = CAMERA_TO_ZUP
    else:
        raise DataQualityError(f"vertical is {vertical!r}; expected 'level_camera' or 'balance'")
    return Motion(kp.time_s, world @ rot.T, kp.point_names, kp.rate_hz, confidence=kp.confidence,
                  source=kp.source, meta={"skeleton": kp.skeleton, "scale": scale, "frame": "camera level, Z up",
                                          "focal_px": focal_px or default_focal_px(kp.image_size_px),
                                          "principal_px": principal_px or (kp.image_size_px[0] / 2.0,
                                                                           kp.image_size_px[1] / 2.0),
                                          "camera_to_world": rot.tolist(), "warnings": warnings})
