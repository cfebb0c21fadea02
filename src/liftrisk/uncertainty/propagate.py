"""Monte Carlo propagation of input uncertainty through the assessment (vectorised, streamed).

Each draw perturbs the inputs of `liftrisk.uncertainty.sources` (point positions per frame,
joint-centre offsets, body mass and stature, de Leva segment parameters, hand load, filter
cut-off, erector moment arm) and repeats the kinetics and risk stages. The draws are not
looped over: a group of draws is laid end to end along the time axis as one long recording
and every stage runs once on it.

* Streaming: the recording is processed in chunks of frames (``chunk_frames``, about
  250,000 / draws; each with a margin of at least 2 s of frames on both sides that is
  computed and thrown away, so the filter and the derivatives see the same neighbourhood as
  in one piece; chunk boundaries never cut a lift). Only per-frame quantiles, each draw's
  running peak and the lifts' rows are kept, so the memory of the bands does not grow with
  draws x frames. The position noise of draw d at frame t is a function of (seed, group,
  block of frames) only, so the bands do not depend on the chunking beyond the filter's
  edge effects in the margins.
* Filtering: the draws are first set side by side as the points of one wide recording, so
  the one gap policy (`liftrisk.processing.fill_and_lowpass`) fills and filters each draw on
  its own - exactly as the assessment filters the recording.
* Body model: with the assessment's fit (``body_fit``, `liftrisk.bodymodel.LinearisedFit`)
  each draw's joint centres are the fitted model's moved by the linearised fit (one
  Gauss-Newton step from the fit's solution per frame), so the bands are centred on the
  assessment's own figures. The fit's targets are what the draws perturb: the joint
  centres, or for a fit to raw mocap markers the markers themselves.
* Derivatives: each draw is then padded with two frames at each end extrapolated by the
  cubic through its first (last) four samples, so the central differences of the inverse
  dynamics at a draw's ends equal the one-sided second-order ends of a single recording
  (``2 x0 - 5 x1 + 4 x2 - x3`` for the second derivative).
* Scalar inputs (mass, stature, segment parameters, load, cut-off, moment arm) are drawn
  once per group of ``group_size`` draws; positions and joint-centre offsets once per draw.
* The lower body (ground reaction, hip/knee/ankle), joint angles and the REBA, RULA and
  fuzzy REBA scores run on ``detail_draws`` of the draws (spread over the groups): they cost
  more per frame than the top-down chain (fuzzy REBA's defuzzification above all).

Outputs (`Uncertainty`): per-frame 5 / 50 / 95 % quantiles of every load, torque, workload
ratio and posture score; each peak's interval; per lift the intervals of H, V, A, D, RWL
and LI with P(LI > 1) and P(LI > 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.bodymodel import fitted_joint_centres
from liftrisk.core.loads import HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.kinematics.angles import joint_angles
from liftrisk.kinematics.frames import segment_frames
from liftrisk.kinematics.joint_centres import canonical_joint_centres
from liftrisk.kinematics.lift_events import detect_lifts, hold_window_s, lift_geometry
from liftrisk.kinetics.ground_reaction import estimate_ground_reaction
from liftrisk.kinetics.inverse_dynamics import bottom_up, top_down_l5s1
from liftrisk.kinetics.spine import spine_load
from liftrisk.kinetics.workload import joint_workload
from liftrisk.processing import butter_lowpass, fill_and_lowpass
from liftrisk.risk.niosh import rwl
from liftrisk.risk.posture import angles_from_joint_angles, arm_abduction_deg, posture_scores
from liftrisk.uncertainty.noise import correlated_noise_m, filter_noise_fractions, position_noise_m
from liftrisk.uncertainty.sources import draw_group_inputs, joint_centre_offsets

QUANTILES = (5.0, 50.0, 95.0)
PAD = 2  # extrapolated frames at each end of a draw
_L5S1 = ("l5s1_extension_moment_nm", "l5s1_lateral_bending_left_moment_nm", "l5s1_axial_twist_left_moment_nm",
         "l5s1_moment_magnitude_nm", "l5s1_axial_force_n", "l5s1_anterior_force_n")
_UPPER_JOINTS = ("shoulder_flexion_moment_nm", "elbow_flexion_moment_nm")
_LOWER_JOINTS = ("hip_extension_moment_nm", "knee_extension_moment_nm", "ankle_plantarflexion_moment_nm")
_LIFT_COLUMNS = ("h_origin_m", "v_origin_m", "a_origin_deg", "h_dest_m", "v_dest_m", "a_dest_deg", "d_m",
                 "rwl_origin_kg", "rwl_dest_kg", "li")
#: REBA 8+ is "high risk" (Hignett & McAtamney 2000); RULA 5+ is action level 3 or 4 (McAtamney & Corlett 1993)
REBA_HIGH, RULA_ACTION3 = 8, 5
#: The inputs `propagate` can vary (see `liftrisk.uncertainty.sources`).
SOURCES = frozenset({"positions", "joint_centres", "mass", "stature", "segments", "hand_load", "cutoff",
                     "moment_arm", "holds"})


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """Result of `propagate` (SI units; quantiles in percent).

    Attributes
    ----------
    bands : DataFrame indexed by ``time_s``; for every quantity ``q`` the columns ``q_p05``,
        ``q_p50``, ``q_p95`` (and ``reba_p_high``, ``rula_p_action3``: share of draws with
        REBA >= 8 / RULA >= 5).
    peaks : DataFrame indexed by quantity: the peak over the recording of each draw, its
        ``p05``, ``p50``, ``p95``.
    lifts : DataFrame, one row per lift (``lift`` numbered from 1): ``<x>_p05/_p50/_p95`` of
        H, V, A, D, RWL and LI, ``p_li_gt_1``, ``p_li_gt_3``.
    noise_m : dict point -> median white position noise SD used (per axis), m.
    n_draws, detail_draws : draws of the top-down chain / of the lower body and posture.
    notes : what could not be redrawn.
    correlated_noise_m : dict point -> SD of the slow (correlated) position error drawn, m
        (`liftrisk.uncertainty.noise.correlated_noise_m`).
    """

    bands: pd.DataFrame
    peaks: pd.DataFrame
    lifts: pd.DataFrame
    noise_m: dict
    n_draws: int
    detail_draws: int
    notes: list = field(default_factory=list)
    correlated_noise_m: dict = field(default_factory=dict)

    def interval(self, quantity: str, nominal: float | None = None) -> tuple[float, float]:
        """90 % interval (low, high) of the peak of `quantity` over the recording.

        Without `nominal`: the 5 and 95 % quantiles of the draws' peaks. With the assessment's
        own peak `nominal`: the hull of that percentile interval and the basic (reflected)
        bootstrap interval ``(2 nominal - p95, 2 nominal - p05)`` (Davison & Hinkley 1997,
        eq. 5.6). The peak of noisy data is biased upwards and noise added to it raises it
        again; the reflected interval corrects that bias, the hull keeps both readings, so the
        interval always contains the assessment's own peak. (nan, nan) when the quantity was
        not redrawn.

        Examples
        --------
        >>> import pandas as pd
        >>> u = Uncertainty(pd.DataFrame(), pd.DataFrame({"p05": [90.0], "p50": [100.0], "p95": [120.0]},
        ...                 index=["x"]), pd.DataFrame(), {}, 10, 2)
        >>> u.interval("x"), u.interval("x", 95.0)
        ((90.0, 120.0), (70.0, 120.0))
        """
        if quantity not in self.peaks.index:
            return float("nan"), float("nan")
        r = self.peaks.loc[quantity]
        if nominal is None or not np.isfinite(nominal):
            return float(r["p05"]), float(r["p95"])
        lo, hi = float(2 * nominal - r["p95"]), float(2 * nominal - r["p05"])
        return min(lo, float(r["p05"])), max(hi, float(r["p95"]))


def _cubic_pad(arr: np.ndarray, k: int = PAD) -> np.ndarray:
    """(D, T, P, 3) -> (D, T + 2k, P, 3), k frames at each end extrapolated by the cubic
    through the 4 end samples (x_-1 = 4 x0 - 6 x1 + 4 x2 - x3, then recursively)."""
    d, t = arr.shape[:2]
    out = np.empty((d, t + 2 * k, *arr.shape[2:]))
    out[:, k:k + t] = arr
    for j in range(k - 1, -1, -1):
        a = out[:, j + 1:j + 5]
        out[:, j] = 4 * a[:, 0] - 6 * a[:, 1] + 4 * a[:, 2] - a[:, 3]
        b = out[:, k + t + (k - 1 - j) - 4:k + t + (k - 1 - j)]
        out[:, k + t + (k - 1 - j)] = 4 * b[:, 3] - 6 * b[:, 2] + 4 * b[:, 1] - b[:, 0]
    return out


def _filtered_stack(pos: np.ndarray, raw: Motion, settings: AssessmentSettings, cutoff_hz: float) -> Motion:
    """Gap-fill and filter the (D, T, P, 3) draws side by side (one wide recording of D P
    points, so each draw is filtered on its own by the one gap policy) and lay them end to end
    (D T frames, no padding)."""
    n_d, n_t, n_p = pos.shape[:3]
    rate = raw.rate_hz
    wide = Motion(raw.time_s, pos.transpose(1, 0, 2, 3).reshape(n_t, n_d * n_p, 3),
                  [f"{d}:{p}" for d in range(n_d) for p in raw.point_names], rate, source=raw.source)
    wide = fill_and_lowpass(wide, settings.max_gap_s, cutoff_hz)
    flat = np.asarray(wide.positions_m).reshape(n_t, n_d, n_p, 3).transpose(1, 0, 2, 3).reshape(n_d * n_t, n_p, 3)
    return Motion(raw.time_s[0] + np.arange(flat.shape[0]) / rate, flat, raw.point_names, rate, source=raw.source)


def _stacked_draws(pos: np.ndarray, raw: Motion, settings: AssessmentSettings, cutoff_hz: float,
                   subject: Subject, body_model: bool = False, body_fit=None, frames=None, gain=None,
                   markers: tuple | None = None) -> Motion:
    """Gap-fill and filter the (D, T, P, 3) draws (`_filtered_stack`), add hands and L5/S1,
    move the body model with them (`body_fit`: the assessment's fit linearised at its
    solution, `liftrisk.bodymodel.LinearisedFit`, over the fit's `frames`; `body_model`: a new
    fit of the D T frames at once, `liftrisk.bodymodel.fitted_joint_centres`), pad and lay the
    draws end to end: a Motion of D (T + 2 PAD) frames.

    `markers` (a fit to raw mocap markers): ``(marker_pos, marker_raw, offsets)``, the (D, T, M, 3)
    drawn markers, their Motion (the chunk's frames) and the (D, P, 3) joint-centre offsets of
    the draws: the markers are filtered as the fit's were and the fitted joint centres moved
    with them, then offset (the joint-centre method's offsets, as `pos` carries them for the
    frame-by-frame points)."""
    n_d, n_t = pos.shape[:2]
    rate = raw.rate_hz
    m = canonical_joint_centres(_filtered_stack(pos, raw, settings, cutoff_hz), "canonical", sex=subject.sex)
    fit_frames = np.arange(n_t) if frames is None else frames
    if body_model:
        m = fitted_joint_centres(m, subject)
    elif body_fit is not None and markers is not None:
        mpos, mraw, offsets = markers
        moved = body_fit.joint_centres(_filtered_stack(mpos, mraw, settings, cutoff_hz), fit_frames, gain)
        out = {}
        for n in body_fit.output_tree.point_names:
            if n in m:
                p = moved[n]
                if n in raw:
                    p = p + np.repeat(offsets[:, raw.index(n)], n_t, axis=0)
                out[n] = p
        m = m.with_points(out)
    elif body_fit is not None:
        m = body_fit.joint_centres(m, fit_frames, gain)
    arr = np.asarray(m.positions_m).reshape(n_d, n_t, m.n_points, 3)
    padded = _cubic_pad(arr).reshape(n_d * (n_t + 2 * PAD), m.n_points, 3)
    t = raw.time_s[0] + (np.arange(padded.shape[0]) - PAD) / rate
    return Motion(t, padded, m.point_names, rate, source=raw.source)


def _unstack(values: np.ndarray, n_d: int, n_t: int) -> np.ndarray:
    """(D (T + 2 PAD),) -> (D, T) without the padding."""
    return np.asarray(values, float).reshape(n_d, n_t + 2 * PAD)[:, PAD:PAD + n_t]


def _shift(intervals, n_d: int, n_t: int, rate: float, first: int = 0) -> list[tuple[float, float]]:
    """Copy (start_s, end_s) intervals into draws ``first`` .. ``first + n_d - 1`` of a stack."""
    step = (n_t + 2 * PAD) / rate
    eps = 1e-6 / rate  # the stack's time stamps are rounded differently from the recording's
    return [(a + d * step - eps, b + d * step + eps) for d in range(first, first + n_d) for a, b in intervals]


#: Largest shift of a grasp or release time a draw's detector may find (s; a larger one is
#: another event, e.g. a chunk that starts between two lifts changes which dwells are "rest").
HOLD_TOLERANCE_S = 0.5


def _detected_holds(stack: Motion, n_d: int, n_t: int, settings: AssessmentSettings, holds_s,
                    n_detect: int | None = None) -> list[tuple[float, float]] | None:
    """Grasp -> release of each draw of a stack, detected from the draw's own hands
    (`liftrisk.kinematics.lift_events.detect_lifts` on each draw: the detector looks at the
    whole draw, so it cannot run on the stack). Each of the assessment's holds `holds_s`
    (recording time; those of the stack's frames) takes the times of the one hold the draw's
    detector finds overlapping it with grasp and release each within `HOLD_TOLERANCE_S` (and
    half the hold) of the assessment's; a hold with none or several, or whose detected hold
    matches another of the assessment's too, keeps the assessment's times: the draws carry
    the timing of grasp and release, the decision whether there was a lift stays the
    assessment's (noise added to noisy data fails the detector more often than the data
    themselves do, so a redrawn decision would overstate it). None: held throughout.

    The detector runs on the first `n_detect` draws of the stack (default all); draw ``d`` after
    them takes the times of draw ``d % n_detect`` (the draws of a group are exchangeable, so
    the timings keep their distribution; about 2 ms per detection is the cost saved)."""
    if holds_s is None:
        return None
    if not holds_s:
        return []
    step = n_t + 2 * PAD
    t = np.asarray(stack.time_s)
    pos = np.asarray(stack.positions_m)
    n_detect = n_d if n_detect is None else int(np.clip(n_detect, 1, n_d))
    own = [(g - t[0], r - t[0]) for g, r in holds_s]        # from the draw's first (padded) frame, s
    offsets: list[list[tuple[float, float]]] = []
    for d in range(n_detect):
        sl = slice(d * step + PAD, d * step + PAD + n_t)
        try:
            found = detect_lifts(Motion(t[sl], pos[sl], stack.point_names, stack.rate_hz, source=stack.source),
                                 floor_z_m=settings.floor_z_m, measure=False)
        except LiftriskError:
            found = []
        windows = [(g - t[d * step], r - t[d * step]) for g, r in (hold_window_s(lift) for lift in found)
                   if np.isfinite([g, r]).all()]
        hits = [[j for j, (g, r) in enumerate(windows) if g < b and r > a
                 and max(abs(g - a), abs(r - b)) <= min(HOLD_TOLERANCE_S, 0.5 * (b - a))] for a, b in own]
        used = [j for h in hits for j in h]
        offsets.append([windows[h[0]] if len(h) == 1 and used.count(h[0]) == 1 else w
                        for h, w in zip(hits, own, strict=True)])
    out: list[tuple[float, float]] = []
    for d in range(n_d):
        out += [(t[d * step] + g, t[d * step] + r) for g, r in offsets[d % n_detect]]
    return out


def _scaled_load(hand_load: HandLoad | None, factor: float, stack: Motion, raw: Motion, n_d: int
                 ) -> HandLoad | None:
    if hand_load is None:
        return None
    if hand_load.force_n is None:
        return HandLoad(box_mass_kg=hand_load.box_mass_kg * factor, split=hand_load.split)
    t_orig = np.tile(raw.time_s[0] + (np.arange(raw.n_frames + 2 * PAD) - PAD) / raw.rate_hz, n_d)
    f = np.column_stack([np.interp(t_orig, hand_load.time_s, hand_load.force_n[:, k]) for k in range(3)])
    return HandLoad(force_n=factor * f, time_s=stack.time_s, split=hand_load.split)


def _collect(store: dict, df: pd.DataFrame | None, columns, n_d: int, n_t: int, core: slice) -> None:
    """Keep the `core` frames of each draw of `columns` of a stacked result (float32)."""
    if df is None:
        return
    for c in columns:
        if c in df.columns:
            store.setdefault(c, []).append(_unstack(df[c].to_numpy(float), n_d, n_t)[:, core].astype(np.float32))


def lift_windows(lifts, time_s: np.ndarray) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Frame windows (first, last; inclusive) over which each lift's origin and destination
    geometry is the median: grasp -> lift-off and set-down -> release, as
    `liftrisk.kinematics.lift_events.detect_lifts` measures them (one frame each when the
    lift times were given).

    Parameters
    ----------
    lifts : sequence of `liftrisk.kinematics.lift_events.Lift`
    time_s : (T,) array
        The recording's times, s.

    Returns
    -------
    list of ((first, last), (first, last)) frame indices of the origin and destination.

    Examples
    --------
    >>> from liftrisk.kinematics.lift_events import Lift, LiftPoint
    >>> o = LiftPoint(0.5, 5, 0.3, 0.2, 0.0, (0.3, 0.0, 0.2))
    >>> d = LiftPoint(1.5, 15, 0.3, 1.0, 0.0, (0.3, 0.0, 1.0))
    >>> lift_windows([Lift(o, d, grasp_s=0.3, release_s=1.8)], np.arange(20) / 10)
    [((3, 5), (15, 18))]
    """
    t = np.asarray(time_s, float)

    def idx(x):
        return int(np.argmin(np.abs(t - x)))

    out = []
    for lift in lifts:
        o, d = lift.origin.frame, lift.destination.frame
        g = idx(lift.grasp_s) if np.isfinite(lift.grasp_s) else o
        r = idx(lift.release_s) if np.isfinite(lift.release_s) else d
        out.append(((min(g, o), max(g, o)), (min(d, r), max(d, r))))
    return out


class _LiftGeometry:
    """H, V, A, D (the medians of `liftrisk.kinematics.lift_events.lift_geometry` over each
    lift's origin and destination frame windows), RWL and LI (`liftrisk.risk.niosh.rwl`, each
    group with its drawn load) of the lifts of one chunk, for every draw: the geometry is
    computed on the windows' frames only, group by group; the medians and ratings once."""

    def __init__(self, windows, ids, n_t: int, floor_z_m: float) -> None:
        self.windows, self.ids, self.n_t, self.floor_z_m = windows, ids, n_t, floor_z_m
        self.frames = np.unique(np.concatenate([np.arange(a, b + 1) for w in windows for a, b in w])) if windows \
            else np.zeros(0, int)
        self.parts: list[dict] = []
        self.loads: list[np.ndarray] = []

    def add(self, stack: Motion, load_kg: float) -> None:
        """Take the lifts' frames of every draw of a stack (`load_kg`: the group's drawn load)."""
        if not self.windows:
            return
        n_d = stack.n_frames // (self.n_t + 2 * PAD)
        rows = (np.arange(n_d)[:, None] * (self.n_t + 2 * PAD) + PAD + self.frames[None]).ravel()
        sub = Motion(np.arange(rows.size) / stack.rate_hz, np.asarray(stack.positions_m)[rows], stack.point_names,
                     stack.rate_hz, source=stack.source)
        try:
            geo = lift_geometry(sub, self.floor_z_m)
        except LiftriskError:
            return
        self.parts.append({q: geo[q].reshape(n_d, self.frames.size) for q in ("h_m", "v_m", "a_deg")})
        self.loads.append(np.full(n_d, load_kg))

    def rows(self, settings: AssessmentSettings) -> list[dict]:
        """One row per lift and draw."""
        if not self.parts:
            return []
        g = {q: np.concatenate([p[q] for p in self.parts], axis=0) for q in ("h_m", "v_m", "a_deg")}
        loads = np.concatenate(self.loads)
        out = []
        with _quiet():
            for k, ((o0, o1), (d0, d1)) in enumerate(self.windows):
                oc = np.searchsorted(self.frames, np.arange(o0, o1 + 1))
                dc = np.searchsorted(self.frames, np.arange(d0, d1 + 1))
                o = {q: np.nanmedian(g[q][:, oc], axis=1) for q in g}
                d = {q: np.nanmedian(g[q][:, dc], axis=1) for q in g}
                for i in range(loads.size):
                    r = {"lift": self.ids[k] + 1, "h_origin_m": o["h_m"][i], "v_origin_m": o["v_m"][i],
                         "a_origin_deg": o["a_deg"][i], "h_dest_m": d["h_m"][i], "v_dest_m": d["v_m"][i],
                         "a_dest_deg": d["a_deg"][i], "d_m": abs(d["v_m"][i] - o["v_m"][i])}
                    r.update(_rated(r, float(loads[i]), settings))
                    out.append(r)
        return out


def _rated(r: dict, load_kg: float, settings: AssessmentSettings) -> dict:
    if not np.isfinite([r["h_origin_m"], r["v_origin_m"], r["h_dest_m"], r["v_dest_m"]]).all():
        return {"rwl_origin_kg": np.nan, "rwl_dest_kg": np.nan, "li": np.nan}
    try:
        no = rwl(r["h_origin_m"], r["v_origin_m"], r["d_m"], r["a_origin_deg"], settings.lifts_per_min,
                 settings.duration_h, settings.coupling, load_kg)
        nd = rwl(r["h_dest_m"], r["v_dest_m"], r["d_m"], r["a_dest_deg"], settings.lifts_per_min,
                 settings.duration_h, settings.coupling, load_kg, v_origin_m=r["v_origin_m"])
    except LiftriskError:
        return {"rwl_origin_kg": np.nan, "rwl_dest_kg": np.nan, "li": np.nan}
    return {"rwl_origin_kg": no.rwl, "rwl_dest_kg": nd.rwl, "li": float(np.nanmax([no.li, nd.li]))}


def nanquantiles(x: np.ndarray, q=QUANTILES) -> np.ndarray:
    """Quantiles (percent) along axis 0 ignoring NaN, linear interpolation as `numpy.nanpercentile`
    (one sort of the whole array instead of a 1-D call per column).

    Parameters
    ----------
    x : (N, M) array
        N samples of M quantities; NaN = missing.
    q : sequence of float
        Quantiles, percent.

    Returns
    -------
    (len(q), M) array (NaN where a column has no finite sample).

    Examples
    --------
    >>> x = np.array([[1.0, np.nan], [3.0, 2.0], [2.0, 4.0], [np.nan, np.nan]])
    >>> nanquantiles(x, (50.0,)).tolist() == np.nanpercentile(x, [50.0], axis=0).tolist()
    True
    """
    s = np.sort(x, axis=0)  # NaN last
    n = np.isfinite(x).sum(axis=0)
    out = np.full((len(q), *x.shape[1:]), np.nan)
    cols = np.arange(x.shape[1])
    ok = n > 0
    for i, qq in enumerate(q):
        pos = qq / 100.0 * np.maximum(n - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        w = pos - lo
        v = s[lo, cols] * (1.0 - w) + s[hi, cols] * w
        out[i] = np.where(ok, np.where(w > 0, v, s[lo, cols]), np.nan)
    return out


class _Bands:
    """What the bands keep of the draws, chunk by chunk: per-frame quantiles, the share of
    draws at REBA >= 8 / RULA >= 5, and each draw's running peak (nothing of size draws x frames)."""

    def __init__(self, time_s: np.ndarray) -> None:
        self.time_s = np.asarray(time_s, float)
        self.quantiles: dict[str, np.ndarray] = {}
        self.shares: dict[str, np.ndarray] = {}
        self.peaks: dict[str, np.ndarray] = {}

    def add(self, store: dict, a: int, b: int) -> None:
        """Take the draws' values of frames a:b (`store`: quantity -> list of (draws, b - a))."""
        n_t = self.time_s.size
        with np.errstate(invalid="ignore"), _quiet():
            for name, parts in store.items():
                x = np.concatenate(parts, axis=0)
                self.quantiles.setdefault(name, np.full((len(QUANTILES), n_t), np.nan))[:, a:b] = nanquantiles(x)
                for key, thr, col in (("reba", REBA_HIGH, "reba_p_high"), ("rula", RULA_ACTION3, "rula_p_action3")):
                    if name == key:
                        self.shares.setdefault(col, np.full(n_t, np.nan))[a:b] = np.mean(x >= thr, axis=0)
                if name.endswith(("_force_n", "_moment_nm")) and name != "l5s1_extension_moment_nm":
                    x = np.abs(x)
                per_draw = np.max(np.where(np.isfinite(x), x, -np.inf), axis=1).astype(float)
                old = self.peaks.get(name)
                self.peaks[name] = per_draw if old is None or old.shape != per_draw.shape else np.maximum(old,
                                                                                                         per_draw)

    def table(self) -> pd.DataFrame:
        """Per-frame ``<q>_p05/_p50/_p95`` and the shares, indexed by ``time_s``."""
        cols = {}
        for name, q in self.quantiles.items():
            for k, v in zip(("p05", "p50", "p95"), q, strict=True):
                cols[f"{name}_{k}"] = v
        cols.update(self.shares)
        return pd.DataFrame(cols, index=pd.Index(self.time_s, name="time_s"))

    def peak_table(self) -> pd.DataFrame:
        """The quantiles of the draws' peaks over the recording."""
        rows = {}
        for name, per_draw in self.peaks.items():
            per_draw = per_draw[np.isfinite(per_draw)]
            if per_draw.size:
                rows[name] = dict(zip(("p05", "p50", "p95"), np.percentile(per_draw, QUANTILES), strict=True))
        return pd.DataFrame.from_dict(rows, orient="index", columns=["p05", "p50", "p95"])


def chunks(n_t: int, core_frames: int, margin_frames: int, busy: np.ndarray | None = None
           ) -> list[tuple[int, int, int, int]]:
    """Frame chunks of a recording: (first, core start, core end, end) of each, the core
    ranges tiling 0..n_t and each chunk reaching `margin_frames` beyond its core (within the
    recording). A core is about `core_frames` long; its end is moved later past frames where
    `busy` is true (a boundary there would cut a lift), and the last core takes the rest
    when that is shorter than a margin.

    Parameters
    ----------
    n_t, core_frames, margin_frames : int
    busy : (n_t,) bool array, optional
        ``busy[b]``: no core may start at frame b.

    Returns
    -------
    list of (int, int, int, int)

    Examples
    --------
    >>> chunks(10, 20, 3)
    [(0, 0, 10, 10)]
    >>> busy = np.zeros(25, bool); busy[7:10] = True  # a lift over frames 7-9: no core starts there
    >>> chunks(25, 8, 2, busy)
    [(0, 0, 10, 12), (8, 10, 18, 20), (16, 18, 25, 25)]
    """
    core_frames = max(1, int(core_frames))
    bounds = [0]
    while n_t - bounds[-1] > core_frames + margin_frames:
        b = bounds[-1] + core_frames
        while busy is not None and b < n_t and busy[b]:
            b += 1
        if b >= n_t - margin_frames:
            break
        bounds.append(b)
    bounds.append(n_t)
    return [(max(0, a - margin_frames), a, b, min(n_t, b + margin_frames))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


class _quiet:
    """Silence numpy's all-NaN slice warnings (a point missing in every draw gives NaN)."""

    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def _lift_table(rows: list[dict], n_lifts: int = 0) -> pd.DataFrame:
    """One row per lift (1..`n_lifts`; a lift no chunk could redraw gets NaN and ``n_draws`` 0,
    so row k stays lift k + 1); empty without any row."""
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows)
    groups = dict(iter(df.groupby("lift")))
    out = []
    for lift in range(1, max(n_lifts, int(df["lift"].max())) + 1):
        g = groups.get(lift)
        r = {"lift": lift, "n_draws": 0 if g is None else len(g)}
        for c in _LIFT_COLUMNS:
            q = np.full(3, np.nan) if g is None else np.nanpercentile(g[c].to_numpy(float), QUANTILES)
            r.update({f"{c}_p05": q[0], f"{c}_p50": q[1], f"{c}_p95": q[2]})
        li = np.full(0, np.nan) if g is None else g["li"].to_numpy(float)
        r["p_li_gt_1"] = float(np.mean(li > 1.0)) if li.size else np.nan
        r["p_li_gt_3"] = float(np.mean(li > 3.0)) if li.size else np.nan
        out.append(r)
    return pd.DataFrame(out)


def propagate(raw: Motion, subject: Subject, hand_load: HandLoad | None, settings: AssessmentSettings, *,
              kind: str = "canonical", holds_s=None, lifts=(), group_size: int = 10,
              detail_draws: int = 40, vary: frozenset = SOURCES, detect_holds: bool = False,
              body_model_draws: bool = False, body_fit=None, chunk_frames: int | None = None) -> Uncertainty | None:
    """Monte Carlo bands of an assessment (see the module docstring).

    Parameters
    ----------
    raw : Motion
        Canonical points before filtering (m, Z-up world, NaN where missing), as the
        assessment's joint-centre stage made them (without hands and L5/S1 is fine).
    subject : Subject
        As entered.
    hand_load : HandLoad, optional
    settings : AssessmentSettings
        ``uncertainty_draws`` (0: returns None), ``uncertainty_seed`` and the tolerances.
    kind : {"markers", "keypoints", "canonical"}
        Input kind (sets the joint-centre method offset).
    holds_s : list of (start_s, end_s), optional
        When the hands hold the load (None: throughout).
    lifts : sequence of `liftrisk.kinematics.lift_events.Lift`
        The assessment's lifts; their H, V, A, D, RWL and LI are redrawn over the same frames.
    group_size : int
        Draws sharing one draw of the scalar inputs.
    detail_draws : int
        Draws that also get the lower body, joint angles and posture scores.
    vary : set of str
        The inputs that are drawn (default all of `SOURCES`); the others stay as entered.
    detect_holds : bool
        The assessment detected grasp and release from the hands: detect them again in every
        draw (with ``"holds"`` in `vary`), so the bands carry the timing uncertainty of when the
        load is in the hands. False: every draw uses `holds_s` (known lift times, a plate
        under the object).
    body_model_draws : bool
        Fit the body model anew to every draw (`liftrisk.bodymodel.fitted_joint_centres`,
        batched inverse kinematics over all frames of a group of draws): the brute-force
        route, hundreds of times an assessment; kept as the second method `body_fit` is
        checked against (docs/uncertainty.md).
    body_fit : `liftrisk.bodymodel.LinearisedFit`, optional
        The assessment's body-model fit (of `raw`'s frames): every draw's joint centres are
        the fitted model's moved by the linearised fit, as the assessment's are the fit's.
        A fit to raw mocap markers (its ``raw_targets``): the draws perturb those markers
        (white noise from their own jitter, slow noise from the fit's per-marker residuals,
        `liftrisk.uncertainty.noise`), filter them as the fit's targets were, and move the
        fitted joint centres with them; the joint-centre method's offsets are added to the
        moved joint centres.
    chunk_frames : int, optional
        Frames per chunk (default ``max(4 margin, 250_000 // draws)``; the margin is at least
        2 s, twice the longest filled gap and 4 periods of the lowest drawn cut-off).

    Returns
    -------
    Uncertainty or None

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> u = propagate(demo_posture(40), Subject("male", 80, 1.78), HandLoad(10.0),
    ...               AssessmentSettings(uncertainty_draws=20), detail_draws=4)
    >>> lo, hi = u.interval("compression_n")
    >>> bool(lo < hi)
    True
    """
    n = int(settings.uncertainty_draws)
    if n <= 0:
        return None
    rng = np.random.default_rng(settings.uncertainty_seed)
    body = raw.select([p for p in raw.point_names if p != "box"]) if "box" in raw.point_names else raw
    unknown = set(vary) - SOURCES
    if unknown:
        raise DataQualityError(f"vary has {sorted(unknown)}; expected some of {sorted(SOURCES)}")
    notes: list[str] = []
    n_t, rate = body.n_frames, body.rate_hz
    if body_fit is not None and body_fit.n_frames != n_t:
        notes.append(f"body model not in the draws (its fit has {body_fit.n_frames} frames, the points {n_t})")
        body_fit = None
    markers = None if body_fit is None or body_model_draws else getattr(body_fit, "raw_targets", None)
    if markers is not None and markers.n_frames != n_t:
        notes.append(f"body model not in the draws (its markers have {markers.n_frames} frames, the points {n_t})")
        body_fit = markers = None
    sigma = position_noise_m(body, cutoff_hz=settings.cutoff_hz, max_gap_s=settings.max_gap_s,
                             floor_m=settings.position_noise_m, per_axis=True)
    slow = correlated_noise_m(body, sigma, settings.cutoff_hz)
    if "positions" not in vary:
        sigma, slow = np.zeros_like(sigma), np.zeros_like(slow)
    if markers is not None:  # the draws perturb the raw markers the model was fitted to (same noise model)
        m_sigma = position_noise_m(markers, cutoff_hz=settings.cutoff_hz, max_gap_s=settings.max_gap_s,
                                   floor_m=settings.position_noise_m, per_axis=True)
        m_slow = correlated_noise_m(markers, m_sigma, settings.cutoff_hz)
        if "positions" not in vary:
            m_sigma, m_slow = np.zeros_like(m_sigma), np.zeros_like(m_slow)
        m_all = np.asarray(markers.positions_m)
    offsets = joint_centre_offsets(kind, body.point_names, n, rng)
    if "joint_centres" not in vary:
        offsets[:] = 0.0
    starts = list(range(0, n, group_size))
    inputs = [draw_group_inputs(subject, settings, rng, vary) for _ in starts]
    noise_seed = int(rng.integers(2 ** 62))
    detail_total = min(n, max(0, detail_draws))
    windows = lift_windows(lifts, body.time_s)
    pos_all = np.asarray(body.positions_m)
    result = _Bands(body.time_s)
    lift_rows: list[dict] = []
    for lo, a, b, hi in _chunks_of(body, settings, windows, holds_s, n, chunk_frames):
        part = body.slice_frames(lo, hi)
        n_tc, core = hi - lo, slice(a - lo, b - lo)
        tol = 1e-6 / rate
        span = (part.time_s[0] - PAD / rate + tol, part.time_s[-1] + PAD / rate - tol)
        chunk_holds = None if holds_s is None else [
            (max(g, span[0]), min(r, span[1])) for g, r in holds_s if r > span[0] and g < span[1]]
        ids = [k for k, ((o0, _o1), _d) in enumerate(windows) if a <= o0 < b]
        chunk_windows = [((o0 - lo, o1 - lo), (d0 - lo, d1 - lo)) for (o0, o1), (d0, d1) in
                         (windows[k] for k in ids)]
        store: dict = {}
        detail = _Detail()
        geometry = _LiftGeometry(chunk_windows, ids, n_tc, settings.floor_z_m)
        gain = None if body_fit is None or body_model_draws else body_fit.gain(np.arange(lo, hi))
        for g, start in enumerate(starts):
            n_d = min(group_size, n - start)
            n_detail = detail_total * (start + n_d) // n - detail_total * start // n
            inp = inputs[g]
            pos = (pos_all[None, lo:hi] + offsets[start:start + n_d, None]
                   + sigma[None, lo:hi] * _normals(noise_seed, 0, g, n_d, lo, hi, body.n_points))
            if slow.any():
                pos += slow[None, None, :, None] * _slow_noise(_normals(noise_seed, 1, g, n_d, lo, hi, body.n_points),
                                                              rate, settings.cutoff_hz)
            drawn = None
            if markers is not None:
                mpos = m_all[None, lo:hi] + m_sigma[None, lo:hi] * _normals(noise_seed, 2, g, n_d, lo, hi,
                                                                            markers.n_points)
                if m_slow.any():
                    mpos += m_slow[None, None, :, None] * _slow_noise(
                        _normals(noise_seed, 3, g, n_d, lo, hi, markers.n_points), rate, settings.cutoff_hz)
                drawn = (mpos, markers.slice_frames(lo, hi), offsets[start:start + n_d])
            stack = _stacked_draws(pos, part, settings, inp.cutoff_hz, inp.subject, body_model_draws, body_fit,
                                   np.arange(lo, hi), gain, drawn)
            del pos, drawn
            load = _scaled_load(hand_load, inp.load_factor, stack, part, n_d)
            if detect_holds and "holds" in vary:
                holds = _detected_holds(stack, n_d, n_tc, settings, chunk_holds, max(1, n_detail))
            else:
                holds = None if chunk_holds is None else _shift(chunk_holds, n_d, n_tc, rate)
            try:
                frames_cache: dict = {}   # segment frames of the stack, for the detail draws' lower body
                kin = top_down_l5s1(stack, inp.subject, load, params=inp.params, hold_intervals_s=holds,
                                    kinematics=frames_cache)
            except LiftriskError as exc:
                notes.append(f"top-down loads not redrawn ({exc})")
                break
            spine = spine_load(kin, moment_arm_m=inp.moment_arm_m)
            _collect(store, kin, [*_L5S1, *[c for c in kin.columns if c.endswith(_UPPER_JOINTS)]], n_d, n_tc, core)
            _collect(store, spine, ("compression_n", "ap_shear_n"), n_d, n_tc, core)
            work = joint_workload(kin, None, pd.DataFrame(index=kin.index), inp.subject)
            _collect(store, work, [] if work is None else list(work.columns), n_d, n_tc, core)
            kg = hand_load.box_mass_kg * inp.load_factor if hand_load is not None else 0.0
            geometry.add(stack, kg)
            if n_detail:
                detail.add(stack, kin, n_detail, n_tc, inp, load, holds, settings, notes, frames_cache)
        lift_rows += geometry.rows(settings)
        detail.finish(store, n_tc, core, subject, hand_load, settings, notes)
        result.add(store, a, b)
        del store, detail, gain, geometry
    noise = {p: float(np.median(np.sqrt(np.mean(sigma[:, j] ** 2, axis=1)))) for j, p in enumerate(body.point_names)}
    return Uncertainty(result.table(), result.peak_table(), _lift_table(lift_rows, len(windows)), noise, n,
                       detail_total, list(dict.fromkeys(notes)),
                       dict(zip(body.point_names, map(float, slow), strict=True)))


#: Frames of position noise drawn from one seed (the noise of a frame does not depend on the chunking).
NOISE_BLOCK = 256


def _normals(seed: int, stream: int, group: int, n_d: int, lo: int, hi: int, n_p: int) -> np.ndarray:
    """(n_d, hi - lo, n_p, 3) standard normal numbers of frames lo:hi of a group of draws: the
    same numbers for a frame whatever chunk asks for it (one generator per block of frames)."""
    b0, b1 = lo // NOISE_BLOCK, (hi - 1) // NOISE_BLOCK + 1
    parts = [np.random.default_rng([seed, stream, group, blk]).standard_normal((n_d, NOISE_BLOCK, n_p, 3))
             for blk in range(b0, b1)]
    out = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    return out[:, lo - b0 * NOISE_BLOCK:hi - b0 * NOISE_BLOCK]


def _chunks_of(body: Motion, settings: AssessmentSettings, windows, holds_s, n_draws: int,
               chunk_frames: int | None) -> list[tuple[int, int, int, int]]:
    """`chunks` of a recording for `propagate`: the margin covers the filter's settling (4
    periods of the lowest drawn cut-off), twice the longest filled gap and at least 2 s;
    no core boundary within 0.5 s of a lift's windows or a hold."""
    rate, n_t = body.rate_hz, body.n_frames
    fc = settings.cutoff_hz
    low = max(0.5 * fc, fc - settings.cutoff_tolerance_hz) if fc > 0 else 0.0
    margin = int(np.ceil(rate * max(2.0, 2.0 * settings.max_gap_s, 4.0 / low if low > 0 else 0.0)))
    core = int(chunk_frames) if chunk_frames else max(4 * margin, 250_000 // max(n_draws, 1))
    busy = np.zeros(n_t + 1, bool)
    buf = int(np.ceil(0.5 * rate))
    spans = [(min(o0, d0), max(o1, d1)) for (o0, o1), (d0, d1) in windows]
    t = body.time_s
    spans += [(int(np.searchsorted(t, g)), int(np.searchsorted(t, r))) for g, r in (holds_s or [])]
    for s0, s1 in spans:
        busy[max(0, s0 - buf + 1):min(n_t, s1 + buf + 1)] = True
    return chunks(n_t, core, margin, busy)


def _slow_noise(white: np.ndarray, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """(D, T, P, 3) Gaussian noise of unit SD band-limited by the assessment's own low-pass
    (the white noise `white` filtered by it and scaled back to unit variance): an error the
    filter keeps."""
    n_d, n_t = white.shape[:2]
    if not 0 < cutoff_hz < 0.5 * rate_hz or n_t < 16:
        return np.broadcast_to(white[:, :1], white.shape).copy()
    passed = filter_noise_fractions(rate_hz, cutoff_hz)[0]
    slow = butter_lowpass(white.transpose(1, 0, 2, 3).reshape(n_t, -1), rate_hz, cutoff_hz) / np.sqrt(passed)
    return slow.reshape(n_t, n_d, *white.shape[2:]).transpose(1, 0, 2, 3)


class _Detail:
    """Lower body per group (it needs the group's mass and segment parameters); joint angles,
    leg workloads and posture scores once over the detail draws of all groups."""

    def __init__(self) -> None:
        self.pos: list = []
        self.kin: list = []
        self.lower: list = []
        self.template: Motion | None = None

    def add(self, stack: Motion, kin: pd.DataFrame, n_detail: int, n_t: int, inp, load, holds,
            settings: AssessmentSettings, notes: list, frames_cache: dict | None = None) -> None:
        """`holds`: the stack's hold intervals (stack time, s) or None (throughout);
        `frames_cache`: the top-down pass's segment frames and angular kinematics of the stack
        (`liftrisk.kinetics.inverse_dynamics.segment_states`), reused for the first draws'."""
        k = n_detail * (n_t + 2 * PAD)
        # copies: a view would keep the whole group's stack and loads alive until the chunk ends
        sub = Motion(stack.time_s[:k].copy(), np.asarray(stack.positions_m)[:k].copy(), stack.point_names,
                     stack.rate_hz, source=stack.source)
        self.template = sub
        self.pos.append(np.asarray(sub.positions_m))
        self.kin.append(kin.iloc[:k].reset_index(drop=True).copy())
        if not (settings.lower_body and sub.has("l_ankle", "r_ankle")):
            return
        sub_load = None if load is None else (load if load.force_n is None else HandLoad(
            force_n=load.force_n[:k], time_s=sub.time_s, split=load.split))
        if holds is not None:
            end = sub.time_s[-1] + 1e-6 / stack.rate_hz
            holds = [(a, b) for a, b in holds if a <= end]
        # the stack's frames of the first k frames: the same numbers on every frame but the last
        # two (central differences there, one-sided in `sub`): padding frames, not kept
        cache = {key: (np.ascontiguousarray(axes[..., :k]), None if rot is None else
                       tuple(np.ascontiguousarray(r[..., :k]) for r in rot))
                 for key, (axes, rot) in (frames_cache or {}).items()}
        try:
            est = estimate_ground_reaction(sub, inp.subject, sub_load, settings.floor_z_m, holds, kinematics=cache)
            self.lower.append(bottom_up(sub, inp.subject, est.feet, params=inp.params,
                                        kinematics=cache).reset_index(drop=True))
        except LiftriskError as exc:
            notes.append(f"lower-body loads not redrawn ({exc})")

    def finish(self, store: dict, n_t: int, core: slice, subject: Subject, hand_load: HandLoad | None,
               settings: AssessmentSettings, notes: list) -> None:
        """Joint angles, leg workloads and posture scores of the detail draws, `DETAIL_BATCH`
        draws (whole groups) at a time: their per-frame tables are the largest of a chunk."""
        if not self.pos:
            return
        batches, cur, size = [], [], 0
        for i, p in enumerate(self.pos):
            n_d = p.shape[0] // (n_t + 2 * PAD)
            if cur and size + n_d > DETAIL_BATCH:
                batches.append(cur)
                cur, size = [], 0
            cur.append(i)
            size += n_d
        batches.append(cur)
        lower_ok = len(self.lower) == len(self.pos)
        for b in batches:
            self._finish([self.pos[i] for i in b], [self.kin[i] for i in b],
                         [self.lower[i] for i in b] if lower_ok else None, store, n_t, core, subject, hand_load,
                         settings, notes)

    def _finish(self, pos_parts, kin_parts, lower_parts, store: dict, n_t: int, core: slice, subject: Subject,
                hand_load: HandLoad | None, settings: AssessmentSettings, notes: list) -> None:
        pos = np.concatenate(pos_parts, axis=0)
        n_d = pos.shape[0] // (n_t + 2 * PAD)
        rate = self.template.rate_hz
        m = Motion(self.template.time_s[0] + np.arange(pos.shape[0]) / rate, pos, self.template.point_names, rate,
                   source=self.template.source)
        kin = pd.concat(kin_parts, ignore_index=True)
        lower = pd.concat(lower_parts, ignore_index=True) if lower_parts else None
        if lower is not None:
            _collect(store, lower, [c for c in lower.columns if c.endswith(_LOWER_JOINTS)], n_d, n_t, core)
        try:
            angles = joint_angles(m)
        except LiftriskError as exc:
            notes.append(f"joint angles not redrawn ({exc})")
            return
        work = joint_workload(kin.set_axis(angles.index), lower, angles, subject)
        if work is not None:
            _collect(store, work, [c for c in work.columns if c.endswith(
                ("hip_workload_ratio", "knee_workload_ratio", "ankle_workload_ratio"))], n_d, n_t, core)
        try:
            post = posture_scores(_posture_angles(m, angles), coupling=settings.coupling,
                                  load_kg=hand_load.box_mass_kg if hand_load is not None else 0.0,
                                  activity=settings.reba_activity)
        except LiftriskError as exc:
            notes.append(f"posture scores not redrawn ({exc})")
            return
        _collect(store, post, ("reba", "rula", "fuzzy_reba"), n_d, n_t, core)


#: Detail draws whose joint angles and posture scores are computed together (memory of a chunk).
DETAIL_BATCH = 20


def _posture_angles(motion: Motion, angles: pd.DataFrame) -> dict:
    """`liftrisk.risk.posture.posture_angles` from joint angles already computed."""
    out = angles_from_joint_angles(angles)
    trunk = None   # the trunk frame, computed once for both arms
    for s, d in out.items():
        if motion.has(f"{s}_shoulder", f"{s}_elbow", "neck"):
            if trunk is None:
                trunk = segment_frames(motion, ["trunk"])["trunk"]
            abd = arm_abduction_deg(motion, s, trunk_frame=trunk)
            d["upper_arm_abduction_deg"] = np.nan_to_num(abd, nan=0.0)
            if np.isfinite(abd).any() and "upper_arm_abduction_deg" in d.attrs.get("not_measured", []):
                d.attrs["not_measured"].remove("upper_arm_abduction_deg")
    return out


__all__ = ["QUANTILES", "SOURCES", "Uncertainty", "chunks", "lift_windows", "nanquantiles", "propagate"]
