"""Position noise of every point and frame (m, one standard deviation), in two parts.

**White noise** (independent from frame to frame; drawn as such, so the low-pass filter
removes most of it, as it does from the data): the largest of

1. the data's own jitter: the residual ``r = x - lowpass(x)`` of each point holds the noise
   above the cut-off. For white noise of SD sigma through the zero-lag Butterworth filter of
   gain ``G(f)`` (`liftrisk.processing.butterworth_gain`), the residual keeps the fraction
   ``k = mean over 0 < f < f_s / 2 of (1 - G(f))^2`` of the variance, so
   ``sigma = MAD(r) / 0.6745 / sqrt(k)`` (MAD: median absolute deviation, robust to the odd
   outlier; per world axis, as the error of triangulated points is larger along the cameras'
   depth than across it). The ideal-filter value ``1 - 2 f_c / f_s``
   (0.60 at 6 Hz / 30 Hz) overstates ``k`` (0.52) and so understated the noise by 7 %;
2. the pixel noise of triangulated keypoints seen in the reprojection error
   (``meta["median_reprojection_px"]`` over ``n`` views, ``n = len(meta["cameras"])``): the
   median 2D residual of a least-squares point seen by ``n`` views is about
   ``1.1774 sigma_px sqrt(1 - 3 / (2 n))`` (2 n observations, 3 unknowns), and the point's
   error per axis about ``sigma_px m_per_px sqrt(3 / (2 n))`` (``meta["m_per_px"]``, about 3 mm
   per pixel for a camera 3 m away with a 1000 px focal length when not given). It measures
   the same pixel noise as the jitter; it matters where the jitter cannot be seen (short or
   gappy clips);
3. ``floor_m`` (setting ``position_noise_m``, default 1 mm: the resolution of optical motion
   capture; the slower errors of real data are in the joint-centre offsets of
   `liftrisk.uncertainty.sources` and in the correlated part below);

scaled up where the detector was less confident than usual (each point's SD times its
median confidence over its confidence in that frame, 1 to 5 times).

**Correlated noise** (slower than the cut-off, so the filter keeps it): the part of a body-model
fit's residual that the filtered white noise does not explain. The fit's RMS residual
(``meta["model_rms_residual_m"]``, 3D, m; or per point and frame ``meta["marker_residuals_m"]``)
is measured on the filtered points, which still hold the share ``p = mean G(f)^2`` of the
white variance; so per axis ``sigma_c^2 = max(0, rms^2 / 3 - p sigma_white^2)``. Counting the
whole residual as white noise (before) counted the filtered white noise twice and drew the
misfit as noise the filter then removed.
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.processing import butterworth_gain, fill_and_lowpass

#: Metres per pixel assumed when the calibration does not give the depth (3 m / 1000 px).
DEFAULT_M_PER_PX = 0.003


def filter_noise_fractions(rate_hz: float, cutoff_hz: float, order: int = 2) -> tuple[float, float]:
    """Shares of the variance of white noise that the zero-lag low-pass filter keeps
    (``mean G(f)^2``) and that its residual ``x - lowpass(x)`` keeps (``mean (1 - G(f))^2``),
    averaged over 0 < f < rate_hz / 2 (white noise has a flat spectrum there).

    Parameters
    ----------
    rate_hz, cutoff_hz : float
        Sampling rate and cut-off of the filter, Hz.
    order : int
        Per-pass Butterworth order (`liftrisk.processing.fill_and_lowpass` uses 2).

    Returns
    -------
    (passed, residual) : tuple of float, each 0-1.

    Examples
    --------
    >>> passed, residual = filter_noise_fractions(30.0, 6.0)
    >>> round(passed, 2), round(residual, 2)
    (0.34, 0.52)
    """
    if not 0 < cutoff_hz < 0.5 * rate_hz:
        return 1.0, 0.0
    f = (np.arange(4096) + 0.5) / 4096 * 0.5 * rate_hz
    g = butterworth_gain(f, rate_hz, cutoff_hz, order)
    return float(np.mean(g ** 2)), float(np.mean((1.0 - g) ** 2))


def _jitter_m(raw: Motion, filtered: Motion, cutoff_hz: float) -> np.ndarray:
    """(P, 3) white-noise SD from the high-pass residual of each point and world axis, m."""
    r = raw.positions_m - filtered.positions_m
    mad = np.nanmedian(np.abs(r - np.nanmedian(r, axis=0)), axis=0) if np.isfinite(r).any() else np.zeros(
        (raw.n_points, 3))
    kept = filter_noise_fractions(raw.rate_hz, cutoff_hz)[1]
    if kept <= 0.05:
        return np.zeros((raw.n_points, 3))
    return np.nan_to_num(mad / 0.6745 / np.sqrt(kept))


def position_noise_m(raw: Motion, *, cutoff_hz: float, max_gap_s: float, floor_m: float = 0.0,
                     confidence: np.ndarray | None = None, per_axis: bool = False) -> np.ndarray:
    """(T, P) white position noise SD of every point and frame, m (see the module docstring):
    the RMS over the three world axes, or with `per_axis` (T, P, 3) the SD along each.

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
    per_axis : bool
        Return the SD along each world axis.

    Returns
    -------
    numpy.ndarray (T, P) or (T, P, 3)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(600) / 60.0
    >>> x = np.column_stack([np.sin(t), np.cos(t), t]) + 0.01 * rng.standard_normal((600, 3))
    >>> s = position_noise_m(Motion.from_points({"a": x}, rate_hz=60.0), cutoff_hz=6.0, max_gap_s=0.2)
    >>> bool(0.009 < s.mean() < 0.011)
    True
    """
    filtered = fill_and_lowpass(raw, max_gap_s, cutoff_hz)
    sigma = np.broadcast_to(np.maximum(_jitter_m(raw, filtered, cutoff_hz), floor_m),
                            (raw.n_frames, raw.n_points, 3)).copy()
    px = raw.meta.get("median_reprojection_px")
    if px is not None and np.isfinite(px):
        sigma = np.maximum(sigma, reprojection_noise_m(float(px), len(raw.meta.get("cameras") or ()),
                                                       float(raw.meta.get("m_per_px", DEFAULT_M_PER_PX))))
    conf = raw.confidence if confidence is None else confidence
    if conf is not None:
        c = np.asarray(conf, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.nanmedian(np.where(c > 0, c, np.nan), axis=0) / c
        sigma *= np.clip(np.nan_to_num(ratio, nan=1.0, posinf=5.0), 1.0, 5.0)[:, :, None]
    return sigma if per_axis else np.sqrt(np.mean(sigma ** 2, axis=2))


def reprojection_noise_m(median_px: float, n_views: int, m_per_px: float = DEFAULT_M_PER_PX) -> float:
    """Per-axis SD of a triangulated point from the median reprojection error (m; the module
    docstring). Fewer than 2 views known: ``median_px * m_per_px`` (one pixel, one view).

    Parameters
    ----------
    median_px : float
        Median reprojection error, px.
    n_views : int
        Cameras that saw the point.
    m_per_px : float
        Metres per pixel at the subject's depth.

    Returns
    -------
    float, m

    Examples
    --------
    >>> round(reprojection_noise_m(1.4, 4) * 1000, 1)  # 1.5 px of pixel noise, 4 views
    2.8
    """
    if n_views < 2:
        return median_px * m_per_px
    sigma_px = median_px / (1.1774 * np.sqrt(1.0 - 3.0 / (2 * n_views)))
    return float(sigma_px * m_per_px * np.sqrt(3.0 / (2 * n_views)))


def correlated_noise_m(raw: Motion, white_m: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """(P,) per-axis SD of the slow (correlated) position error, m: the part of the body-model
    fit's residual the filtered white noise does not explain (module docstring); zeros without
    a fit.

    Parameters
    ----------
    raw : Motion
        Points before filtering; ``meta["model_rms_residual_m"]`` (m) and / or
        ``meta["marker_residuals_m"]`` ((T, P) array or DataFrame of the motion's points, m).
    white_m : (T, P) or (T, P, 3) array
        White noise SD (`position_noise_m`), m.
    cutoff_hz : float
        Low-pass cut-off, Hz.

    Returns
    -------
    numpy.ndarray (P,)

    Examples
    --------
    >>> m = Motion(np.arange(10) / 30.0, np.zeros((10, 1, 3)), ("a",), 30.0, meta={"model_rms_residual_m": 0.02})
    >>> round(float(correlated_noise_m(m, np.full((10, 1), 0.01), 6.0)[0]) * 1000, 1)
    10.0
    """
    passed = filter_noise_fractions(raw.rate_hz, cutoff_hz)[0]
    w = np.asarray(white_m, float)
    w = np.sqrt(np.mean(w ** 2, axis=2)) if w.ndim == 3 else w
    white2 = passed * np.nanmedian(w, axis=0) ** 2
    rms2 = np.zeros(raw.n_points)
    rms = raw.meta.get("model_rms_residual_m")
    if rms is not None and np.isfinite(rms):
        rms2[:] = float(rms) ** 2
    res = raw.meta.get("marker_residuals_m")
    if res is not None:
        names = list(getattr(res, "columns", raw.point_names))
        arr = np.asarray(res, float)
        for j, n in enumerate(names):
            if n in raw.point_names and np.isfinite(arr[:, j]).any():
                k = raw.index(n)
                rms2[k] = max(rms2[k], float(np.nanmean(arr[:, j] ** 2)))
    return np.sqrt(np.maximum(0.0, rms2 / 3.0 - white2))
