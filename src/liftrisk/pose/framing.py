"""Which frames of one camera's view can be trusted for 3D: the person detected, and the
whole body inside the image.

MediaPipe regresses every landmark, including the self-occluded side (low visibility), so
wherever the person was detected its landmarks are kept as the model's best guess
(`keep_detected_landmarks`). A body partly outside the image (walking in or out of view)
gives unreliable 3D for the whole frame (`drop_partial_frames`).
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion

#: a frame whose detected keypoints lie inside the image less often than this is dropped
MIN_INSIDE_FRACTION = 0.9


def keep_detected_landmarks(motion: Motion, min_confidence: float) -> Motion:
    """Raise the confidence of every finite point to at least `min_confidence`; 0 elsewhere.

    Parameters
    ----------
    motion : Motion
        Monocular 3D landmarks with detector confidences (0-1).
    min_confidence : float
        The confidence below which a later stage treats a point as missing.

    Returns
    -------
    Motion

    Examples
    --------
    >>> p = np.zeros((2, 1, 3)); p[1] = np.nan
    >>> m = Motion.from_points({"a": p[:, 0]}, rate_hz=30.0).replace(confidence=np.array([[0.1], [0.9]]))
    >>> keep_detected_landmarks(m, 0.3).confidence[:, 0].tolist()
    [0.3, 0.0]
    """
    seen = np.isfinite(motion.positions_m).all(axis=2)
    conf = motion.confidence if motion.confidence is not None else np.ones(seen.shape)
    return motion.replace(confidence=np.where(seen, np.maximum(conf, min_confidence), 0.0))


def partial_frames(xy_px: np.ndarray, image_size_px: tuple[int, int],
                   min_inside: float = MIN_INSIDE_FRACTION) -> np.ndarray:
    """(T,) frames with a person found whose detected keypoints lie inside the image less
    than `min_inside` of the time (body partly out of view); all False without an image size.

    Parameters
    ----------
    xy_px : array (T, K, 2)
        Pixel coordinates (NaN where not detected).
    image_size_px : (width, height)
    min_inside : float
        Fraction of the detected keypoints that must lie inside the image.

    Returns
    -------
    numpy.ndarray of bool (T,)

    Examples
    --------
    >>> xy = np.array([[[10.0, 10.0], [20.0, 20.0]], [[10.0, 10.0], [700.0, 20.0]]])
    >>> partial_frames(xy, (640, 480)).tolist()
    [False, True]
    """
    w, h = image_size_px
    xy = np.asarray(xy_px, float)
    with np.errstate(invalid="ignore"):
        inside = (xy[..., 0] >= 0) & (xy[..., 0] <= w) & (xy[..., 1] >= 0) & (xy[..., 1] <= h)
    n_found = np.isfinite(xy).all(-1).sum(axis=1)
    frac = inside.sum(axis=1) / np.maximum(n_found, 1)
    if not (w > 0 and h > 0):
        return np.zeros(len(inside), bool)
    return (n_found > 0) & (frac < min_inside)


def drop_partial_frames(motion: Motion, xy_px: np.ndarray, image_size_px: tuple[int, int]) -> Motion:
    """`motion` with every point set missing (NaN) in the `partial_frames` of its view.

    Parameters
    ----------
    motion : Motion
        Points of one view (m).
    xy_px : numpy.ndarray
        (T, K, 2) detected pixels of that view (px).
    image_size_px : (int, int)
        Width and height of the image (px).

    Returns
    -------
    Motion
        A new Motion with the partial frames set to NaN.

    Examples
    --------
    >>> xy = np.array([[[10.0, 10.0]], [[700.0, 20.0]]])
    >>> m = Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=30.0)
    >>> np.isnan(drop_partial_frames(m, xy, (640, 480))["a"][:, 0]).tolist()
    [False, True]
    """
    partial = partial_frames(xy_px, image_size_px)
    if not partial.any():
        return motion
    pos = motion.positions_m.copy()
    pos[partial] = np.nan
    return motion.replace(positions_m=pos)
