"""Reliability verdict of each lift, in plain words with the reasons.

Rules (each reason names what it makes unreliable):

* hands missing or low detector confidence (below ``min_confidence`` in more than 20 % of
  the lift's frames, or missing there): H, V, A, D, the lifting index and the hand load's
  moment are unreliable;
* off balance (the centre of pressure implied by the motion outside the feet) in more than
  20 % of the lift's frames: hip, knee and ankle torques and workloads are unreliable;
* joints out of frame or missing (any body point missing in more than 20 % of the lift's
  frames): the loads that need them are unreliable;
* large reprojection error (triangulated video, median above 10 px) or large model
  residuals: all 3D figures are less certain (use with care);
* one camera: depth is estimated, not measured, so the asymmetry angle A, lateral bending
  and twist moments are unreliable (a side view sees no asymmetry);
* a band that straddles a decision limit (LI interval across 1 or 3; compression interval
  across the NIOSH 3400 N action limit): the rating may be either side of the limit.

Verdict: "unreliable" when the lifting index or the back load is unreliable, "use with care"
when only some numbers are, else "reliable".
"""

from __future__ import annotations

import numpy as np

#: Share of a lift's frames above which a problem counts (an assumption of this tool).
SHARE = 0.2
#: Median reprojection error above which triangulated points are called uncertain, px.
REPROJECTION_PX = 10.0
_HANDS = ("l_hand", "r_hand", "l_wrist", "r_wrist")


def _share(mask: np.ndarray) -> float:
    return float(np.mean(mask)) if mask.size else 0.0


def lift_verdicts(windows, raw_points, *, off_balance=None, kind: str = "canonical", n_views: int = 0,
                  min_confidence: float = 0.3, reprojection_px: float | None = None, lift_intervals=None,
                  compression_band=None, action_limit_n: float = 3400.0) -> list[dict]:
    """Verdict and reasons of each lift.

    Parameters
    ----------
    windows : sequence of (first, last)
        Frame range (inclusive) of each lift (grasp to release).
    raw_points : Motion
        Canonical points before filtering (NaN = missing; ``confidence`` when detected).
    off_balance : (T,) bool array, optional
        Frames whose centre of pressure left the feet.
    kind : {"markers", "keypoints", "canonical"}
    n_views : int
        Cameras (0 = not video).
    min_confidence : float
        Detector confidence below which a point counts as unsure (0-1).
    reprojection_px : float, optional
        Median reprojection error of triangulated video, px.
    lift_intervals : DataFrame, optional
        `liftrisk.uncertainty.Uncertainty.lifts` (``li_p05``, ``li_p95`` per lift).
    compression_band : (p05, p95) arrays, optional
        Per-frame compression band, N.
    action_limit_n : float
        NIOSH action limit, N.

    Returns
    -------
    list of dict
        ``verdict`` ("reliable", "use with care", "unreliable"), ``reasons`` (sentences),
        ``unreliable`` (the figures concerned).

    Examples
    --------
    >>> from liftrisk.core.motion import Motion
    >>> pts = {n: np.zeros((10, 3)) for n in ("l_hand", "r_hand", "l_hip")}
    >>> pts["l_hand"][2:8] = np.nan
    >>> v = lift_verdicts([(0, 9)], Motion.from_points(pts, rate_hz=10.0))
    >>> v[0]["verdict"], v[0]["unreliable"]
    ('unreliable', ['H, V, A, D and the lifting index', 'the hand load on the back'])
    """
    pos = np.asarray(raw_points.positions_m)
    conf = raw_points.confidence
    names = list(raw_points.point_names)
    out = []
    for k, (a, b) in enumerate(windows):
        sl = slice(int(a), int(b) + 1)
        reasons, bad = [], []
        hands = [names.index(h) for h in _HANDS if h in names]
        if hands:
            missing = ~np.isfinite(pos[sl][:, hands]).all(axis=2)
            unsure = missing | ((np.asarray(conf)[sl][:, hands] < min_confidence) if conf is not None else False)
            share = _share(unsure.any(axis=1))
            if share > SHARE:
                reasons.append(f"hands occluded or detected with low confidence in {100 * share:.0f} % of the lift")
                bad += ["H, V, A, D and the lifting index", "the hand load on the back"]
        body = ~np.isfinite(pos[sl]).all(axis=2)
        gone = [n for j, n in enumerate(names) if n not in _HANDS and n != "box" and _share(body[:, j]) > SHARE]
        if gone:
            reasons.append(f"joints out of frame or not tracked: {', '.join(gone[:6])}")
            bad.append("the loads that need " + ", ".join(gone[:6]))
        if off_balance is not None and _share(np.asarray(off_balance)[sl]) > SHARE:
            reasons.append(f"off balance in {100 * _share(np.asarray(off_balance)[sl]):.0f} % of the lift (the "
                           "centre of pressure implied by the motion is outside the feet)")
            bad.append("hip, knee and ankle torques and workloads")
        if reprojection_px is not None and np.isfinite(reprojection_px) and reprojection_px > REPROJECTION_PX:
            reasons.append(f"large reprojection error ({reprojection_px:.0f} px median): the cameras disagree")
        if kind == "keypoints" and n_views == 1:
            reasons.append("one camera: depth is estimated, not measured, so the asymmetry angle and the twisting "
                           "and side-bending moments cannot be trusted")
            bad.append("asymmetry angle A, lateral bending and twist moments")
        if lift_intervals is not None and k < len(lift_intervals):
            r = lift_intervals.iloc[k]
            for lim in (1.0, 3.0):
                if r["li_p05"] < lim < r["li_p95"]:
                    reasons.append(f"the lifting index could be either side of {lim:g} "
                                   f"({r['li_p05']:.2f}-{r['li_p95']:.2f})")
        if compression_band is not None:
            lo, hi = (np.asarray(x)[sl] for x in compression_band)
            if np.nanmax(hi) > action_limit_n > np.nanmax(lo):
                reasons.append(f"the peak compression could be either side of the {action_limit_n:.0f} N action "
                               "limit")
        core = any(s.startswith(("H, V", "the hand load")) for s in bad)
        verdict = "unreliable" if core else ("use with care" if reasons else "reliable")
        out.append({"lift": k + 1, "verdict": verdict, "reasons": reasons, "unreliable": bad})
    return out


def rank_lifts(table, windows, compression=None, compression_band=None):
    """Lifts ranked by risk, worst first: by the lifting index (NIOSH; a lift without one
    last), then by the peak L5/S1 compression between grasp and release.

    Parameters
    ----------
    table : DataFrame
        One row per lift with ``lift`` and ``li`` (and, when known, ``li_p05``, ``li_p95``,
        ``p_li_gt_1``, ``p_li_gt_3``, ``reliability``, ``reasons``), e.g.
        `liftrisk.assessment.Assessment.reliability_table`.
    windows : sequence of (first, last)
        Frame range (inclusive) of each lift, grasp to release.
    compression : (T,) array, optional
        L5/S1 compression, N.
    compression_band : (p05, p95) arrays, optional
        Its 90 % band per frame, N.

    Returns
    -------
    DataFrame
        ``rank`` (1 = worst) first, then the columns of `table`, ``peak_compression_n`` and
        its band ``compression_p05_n`` / ``compression_p95_n`` at that frame.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"lift": [1, 2, 3], "li": [0.8, 2.1, np.nan]})
    >>> rank_lifts(t, [(0, 1), (2, 3), (4, 5)], np.array([1, 2, 3, 4, 9, 9.0]))[["rank", "lift"]].values.tolist()
    [[1, 2], [2, 1], [3, 3]]
    """
    import pandas as pd

    out = table.copy().reset_index(drop=True)
    peak = np.full(len(out), np.nan)
    lo, hi = peak.copy(), peak.copy()
    if compression is not None:
        c = np.asarray(compression, float)
        for k, (a, b) in enumerate(windows[:len(out)]):
            seg = c[int(a):int(b) + 1]
            if np.isfinite(seg).any():
                i = int(a) + int(np.nanargmax(seg))
                peak[k] = c[i]
                if compression_band is not None:
                    lo[k], hi[k] = (float(np.asarray(x, float)[i]) for x in compression_band)
    out["peak_compression_n"] = peak
    if compression_band is not None:
        out["compression_p05_n"], out["compression_p95_n"] = lo, hi
    li = out["li"].to_numpy(float)
    order = np.lexsort((-np.nan_to_num(peak, nan=-np.inf), -np.nan_to_num(li, nan=-np.inf)))
    out = out.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return pd.DataFrame(out)


__all__ = ["lift_verdicts", "rank_lifts"]
