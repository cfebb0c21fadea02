"""Position noise of every point and frame (m, one standard deviation).

The largest of the measured sources below and the ``floor_m`` of the settings
(``position_noise_m``), scaled up where the detector was less confident than usual:

1. The data's own jitter: the residual ``r = x - lowpass(x)`` of each point holds the noise
   above the cut-off. For white noise of SD sigma sampled at f_s and a zero-lag low-pass
   of cut-off f_c, the residual keeps the fraction ``1 - 2 f_c / f_s`` of the variance, so
   ``sigma = MAD(r) / 0.6745 / sqrt(1 - 2 f_c / f_s)`` (MAD: median absolute deviation,
   robust to the odd outlier; pooled over the three coordinates).
2. Reprojection error (triangulated keypoints): the median reprojection error in pixels
   times the depth over the focal length (``meta["median_reprojection_px"]``, ``meta["m_per_px"]``,
   about 3 mm per pixel for a camera 3 m away with a 1000 px focal length when not given).
3. Model residuals: per-frame marker residuals of a body-model fit, m, in
   ``meta["marker_residuals_m"]`` ((T, P) array or DataFrame with the motion's point names),
   e.g. the inverse-kinematics residuals of `liftrisk.bodymodel` when it is used, or
   their RMS over all points and frames (``meta["model_rms_residual_m"]``, m), which the
   pipeline sets from the body-model fit.

Detector confidence (keypoints) then scales each point's SD by its median confidence over
its confidence in that frame (1 to 5 times).
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.processing import fill_and_lowpass

#: Metres per pixel assumed when the calibration does not give the depth (3 m / 1000 px).
DEFAULT_M_PER_PX = 0.003


def _jitter_m(raw: Motion, filtered: Motion, cutoff_hz: float) -> np.ndarray:
    """(P,) white-noise SD from the high-pass residual of each point, m."""
    r = raw.positions_m - filtered.positions_m
    mad = np.nanmedian(np.abs(r - np.nanmedian(r, axis=0)), axis=(0, 2)) if np.isfinite(r).any() else np.zeros(
        raw.n_points)
    kept = 1.0 - 2.0 * cutoff_hz / raw.rate_hz if 0 < cutoff_hz < 0.5 * raw.rate_hz else 0.0
    if kept <= 0.05:
        return np.zeros(raw.n_points)
    return np.nan_to_num(mad / 0.6745 / np.sqrt(kept))


def position_noise_m(raw: Motion, *, cutoff_hz: float, max_gap_s: float, floor_m: float = 0.0,
                     confidence: np.ndarray | None = None) -> np.ndarray:
    """(T, P) position noise SD of every point and frame, m.

    Parameters
    ----------
    raw : Motion
        Points before low-pass filtering (m; NaN where missing).
    cutoff_hz, max_gap_s : float
        The assessment's filter cut-off (Hz) and gap policy (s).
    floor_m : float
        Smallest SD of any point, m.
    confidence : (T, P) array, optional
        Detector confidence 0-1 (default ``raw.confidence``).

    Returns
    -------
    numpy.ndarray (T, P)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(600) / 60.0
    >>> x = np.column_stack([np.sin(t), np.cos(t), t]) + 0.01 * rng.standard_normal((600, 3))
    >>> s = position_noise_m(Motion.from_points({"a": x}, rate_hz=60.0), cutoff_hz=6.0, max_gap_s=0.2)
    >>> bool(0.008 < s.mean() < 0.012)
    True
    """
    filtered = fill_and_lowpass(raw, max_gap_s, cutoff_hz)
    sigma = np.broadcast_to(np.maximum(_jitter_m(raw, filtered, cutoff_hz), floor_m),
                            (raw.n_frames, raw.n_points)).copy()
    px = raw.meta.get("median_reprojection_px")
    if px is not None and np.isfinite(px):
        sigma = np.maximum(sigma, float(px) * float(raw.meta.get("m_per_px", DEFAULT_M_PER_PX)))
    conf = raw.confidence if confidence is None else confidence
    if conf is not None:
        c = np.asarray(conf, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.nanmedian(np.where(c > 0, c, np.nan), axis=0) / c
        sigma *= np.clip(np.nan_to_num(ratio, nan=1.0, posinf=5.0), 1.0, 5.0)
    rms = raw.meta.get("model_rms_residual_m")
    if rms is not None and np.isfinite(rms):
        sigma = np.maximum(sigma, float(rms))
    res = raw.meta.get("marker_residuals_m")
    if res is not None:
        names = list(getattr(res, "columns", raw.point_names))
        arr = np.abs(np.asarray(res, float))
        for j, n in enumerate(names):
            if n in raw.point_names and arr.shape[0] == raw.n_frames:
                k = raw.index(n)
                sigma[:, k] = np.maximum(sigma[:, k], np.nan_to_num(arr[:, j]))
    return sigma
