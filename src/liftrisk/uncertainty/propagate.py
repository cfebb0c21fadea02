"""Monte Carlo propagation of input uncertainty through the assessment (vectorised).

Each draw perturbs the inputs of `liftrisk.uncertainty.sources` (point positions per frame,
joint-centre offsets, body mass and stature, de Leva segment parameters, hand load, filter
cut-off, erector moment arm) and repeats the kinetics and risk stages. The draws are not
looped over: a group of draws is laid end to end along the time axis as one long recording
and every stage runs once on it.

* Filtering: the draws are first set side by side as the points of one wide recording, so
  the one gap policy (`liftrisk.processing.fill_and_lowpass`) fills and filters each draw on
  its own - exactly as the assessment filters the recording.
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


def _stacked_draws(pos: np.ndarray, raw: Motion, settings: AssessmentSettings, cutoff_hz: float,
                   subject: Subject, body_model: bool = False) -> Motion:
    """Gap-fill and filter the (D, T, P, 3) draws side by side (one wide recording of D P
    points, so each draw is filtered on its own by the one gap policy), add hands and L5/S1,
    (`body_model`: fit liftrisk's body model to the D T frames at once, batched inverse
    kinematics, `liftrisk.bodymodel.fitted_joint_centres`), pad and lay the draws end to end:
    a Motion of D (T + 2 PAD) frames."""
    sex = subject.sex
    n_d, n_t, n_p = pos.shape[:3]
    rate = raw.rate_hz
    wide = Motion(raw.time_s, pos.transpose(1, 0, 2, 3).reshape(n_t, n_d * n_p, 3),
                  [f"{d}:{p}" for d in range(n_d) for p in raw.point_names], rate, source=raw.source)
    wide = fill_and_lowpass(wide, settings.max_gap_s, cutoff_hz)
    flat = np.asarray(wide.positions_m).reshape(n_t, n_d, n_p, 3).transpose(1, 0, 2, 3).reshape(n_d * n_t, n_p, 3)
    m = Motion(raw.time_s[0] + np.arange(flat.shape[0]) / rate, flat, raw.point_names, rate, source=raw.source)
    m = canonical_joint_centres(m, "canonical", sex=sex)
    if body_model:
        m = fitted_joint_centres(m, subject)
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


def _detected_holds(stack: Motion, n_d: int, n_t: int, settings: AssessmentSettings, holds_s,
                    n_detect: int | None = None) -> list[tuple[float, float]]:
    """Grasp -> release of each draw of a stack, detected from the draw's own hands
    (`liftrisk.kinematics.lift_events.detect_lifts` on each draw: the detector looks at the
    whole recording, so it cannot run on the stack). A draw where the detector finds a
    different number of lifts than the assessment keeps the assessment's `holds_s`: the draws
    carry the timing of grasp and release, the decision whether there was a lift stays the
    assessment's (noise added to noisy data fails the detector more often than the data
    themselves do, so a redrawn decision would overstate it).

    The detector runs on the first `n_detect` draws of the stack (default all); draw ``d`` after
    them takes the times of draw ``d % n_detect`` (the draws of a group are exchangeable, so
    the timings keep their distribution; about 2 ms per detection is the cost saved)."""
    step = n_t + 2 * PAD
    t = np.asarray(stack.time_s)
    pos = np.asarray(stack.positions_m)
    want = 0 if holds_s is None else len(holds_s)
    n_detect = n_d if n_detect is None else int(np.clip(n_detect, 1, n_d))
    offsets: list[list[tuple[float, float]]] = []  # per detected draw: times from the draw's start, s
    for d in range(n_detect):
        sl = slice(d * step + PAD, d * step + PAD + n_t)
        found = []
        if want:
            try:
                found = detect_lifts(Motion(t[sl], pos[sl], stack.point_names, stack.rate_hz, source=stack.source),
                                     floor_z_m=settings.floor_z_m)
            except LiftriskError:
                found = []
        windows = [hold_window_s(lift) for lift in found]
        if want and len(windows) == want and np.isfinite(windows).all():
            offsets.append([(float(g) - t[d * step], float(r) - t[d * step]) for g, r in windows])
        else:
            offsets.append([])
    out: list[tuple[float, float]] = []
    eps = 1e-6 / stack.rate_hz
    for d in range(n_d):
        own = offsets[d % n_detect]
        if own:
            out += [(t[d * step] + g, t[d * step] + r) for g, r in own]
        elif holds_s is None:
            out.append((t[d * step] - eps, t[(d + 1) * step - 1] + eps))
        else:
            out += _shift(holds_s, 1, n_t, stack.rate_hz, first=d)
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


def _collect(store: dict, df: pd.DataFrame | None, columns, n_d: int, n_t: int) -> None:
    if df is None:
        return
    for c in columns:
        if c in df.columns:
            store.setdefault(c, []).append(_unstack(df[c].to_numpy(float), n_d, n_t))


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


def _lift_rows(stacks: list, windows, n_t: int, settings: AssessmentSettings) -> list[dict]:
    """H, V, A, D (the medians of `liftrisk.kinematics.lift_events.lift_geometry` over each
    lift's windows), RWL and LI (`liftrisk.risk.niosh.rwl`, each group with its drawn load) of
    every lift of every draw."""
    if not windows or not stacks:
        return []
    first = stacks[0][0]
    pos = np.concatenate([np.asarray(st.positions_m) for st, _ in stacks], axis=0)
    n_all = pos.shape[0] // (n_t + 2 * PAD)
    joined = Motion(first.time_s[0] + np.arange(pos.shape[0]) / first.rate_hz, pos, first.point_names,
                    first.rate_hz, source=first.source)
    loads = np.concatenate([np.full(st.n_frames // (n_t + 2 * PAD), kg) for st, kg in stacks])
    try:
        geo = lift_geometry(joined, settings.floor_z_m)
    except LiftriskError:
        return []
    g = {k: _unstack(geo[k], n_all, n_t) for k in ("h_m", "v_m", "a_deg")}
    rows = []
    with _quiet():
        for k, ((o0, o1), (d0, d1)) in enumerate(windows):
            o = {q: np.nanmedian(g[q][:, o0:o1 + 1], axis=1) for q in g}
            d = {q: np.nanmedian(g[q][:, d0:d1 + 1], axis=1) for q in g}
            for i in range(n_all):
                r = {"lift": k + 1, "h_origin_m": o["h_m"][i], "v_origin_m": o["v_m"][i], "a_origin_deg": o["a_deg"][i],
                     "h_dest_m": d["h_m"][i], "v_dest_m": d["v_m"][i], "a_dest_deg": d["a_deg"][i],
                     "d_m": abs(d["v_m"][i] - o["v_m"][i])}
                r.update(_rated(r, float(loads[i]), settings))
                rows.append(r)
    return rows


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


def _quantile_table(store: dict, time_s: np.ndarray) -> pd.DataFrame:
    cols = {}
    with np.errstate(invalid="ignore"), _quiet():
        for name, parts in store.items():
            x = np.concatenate(parts, axis=0)
            q = nanquantiles(x)
            for k, p in zip(("p05", "p50", "p95"), q, strict=True):
                cols[f"{name}_{k}"] = p
    return pd.DataFrame(cols, index=pd.Index(time_s, name="time_s"))


def _peak_table(store: dict) -> pd.DataFrame:
    rows = {}
    with np.errstate(invalid="ignore"), _quiet():
        for name, parts in store.items():
            x = np.concatenate(parts, axis=0)
            if name.endswith(("_force_n", "_moment_nm")) and name not in ("l5s1_extension_moment_nm",):
                x = np.abs(x)
            per_draw = np.nanmax(np.where(np.isfinite(x), x, -np.inf), axis=1)
            per_draw = per_draw[np.isfinite(per_draw)]
            if per_draw.size:
                rows[name] = dict(zip(("p05", "p50", "p95"), np.percentile(per_draw, QUANTILES), strict=True))
    return pd.DataFrame.from_dict(rows, orient="index", columns=["p05", "p50", "p95"])


class _quiet:
    """Silence numpy's all-NaN slice warnings (a point missing in every draw gives NaN)."""

    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def _lift_table(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows)
    out = []
    for lift, g in df.groupby("lift"):
        r = {"lift": int(lift), "n_draws": len(g)}
        for c in _LIFT_COLUMNS:
            q = np.nanpercentile(g[c].to_numpy(float), QUANTILES)
            r.update({f"{c}_p05": q[0], f"{c}_p50": q[1], f"{c}_p95": q[2]})
        li = g["li"].to_numpy(float)
        r["p_li_gt_1"] = float(np.mean(li > 1.0))
        r["p_li_gt_3"] = float(np.mean(li > 3.0))
        out.append(r)
    return pd.DataFrame(out)


def propagate(raw: Motion, subject: Subject, hand_load: HandLoad | None, settings: AssessmentSettings, *,
              kind: str = "canonical", holds_s=None, lifts=(), group_size: int = 10,
              detail_draws: int = 40, vary: frozenset = SOURCES, detect_holds: bool = False,
              body_model_draws: bool = False) -> Uncertainty | None:
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
        Fit the body model (`liftrisk.bodymodel.fitted_joint_centres`, batched inverse
        kinematics over all frames of a group of draws) to every draw, as the assessment does
        with ``settings.body_model``. Off by default: it costs about 8 times a whole assessment
        (docs/uncertainty.md gives the cost and its effect on the coverage).

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
    sigma = position_noise_m(body, cutoff_hz=settings.cutoff_hz, max_gap_s=settings.max_gap_s,
                             floor_m=settings.position_noise_m, per_axis=True)
    slow = correlated_noise_m(body, sigma, settings.cutoff_hz)
    if "positions" not in vary:
        sigma, slow = np.zeros_like(sigma), np.zeros_like(slow)
    offsets = joint_centre_offsets(kind, body.point_names, n, rng)
    if "joint_centres" not in vary:
        offsets[:] = 0.0
    n_t = body.n_frames
    starts = list(range(0, n, group_size))
    detail_total = min(n, max(0, detail_draws))
    store: dict = {}
    notes: list[str] = []
    detail = _Detail()
    stacks = []
    for start in starts:
        n_d = min(group_size, n - start)
        n_detail = detail_total * (start + n_d) // n - detail_total * start // n
        inp = draw_group_inputs(subject, settings, rng, vary)
        pos = (np.asarray(body.positions_m)[None] + offsets[start:start + n_d, None]
               + sigma[None] * rng.standard_normal((n_d, n_t, body.n_points, 3)))
        if slow.any():
            pos += slow[None, None, :, None] * _slow_noise(rng, pos.shape, body.rate_hz, settings.cutoff_hz)
        stack = _stacked_draws(pos, body, settings, inp.cutoff_hz, inp.subject, body_model_draws)
        load = _scaled_load(hand_load, inp.load_factor, stack, body, n_d)
        if detect_holds and "holds" in vary:
            holds = _detected_holds(stack, n_d, n_t, settings, holds_s, max(1, n_detail))
        else:
            holds = None if holds_s is None else _shift(holds_s, n_d, n_t, stack.rate_hz)
        try:
            kin = top_down_l5s1(stack, inp.subject, load, params=inp.params, hold_intervals_s=holds)
        except LiftriskError as exc:
            notes.append(f"top-down loads not redrawn ({exc})")
            break
        spine = spine_load(kin, moment_arm_m=inp.moment_arm_m)
        _collect(store, kin, [*_L5S1, *[c for c in kin.columns if c.endswith(_UPPER_JOINTS)]], n_d, n_t)
        _collect(store, spine, ("compression_n", "ap_shear_n"), n_d, n_t)
        work = joint_workload(kin, None, pd.DataFrame(index=kin.index), inp.subject)
        _collect(store, work, [] if work is None else list(work.columns), n_d, n_t)
        stacks.append((stack, hand_load.box_mass_kg * inp.load_factor if hand_load is not None else 0.0))
        if n_detail:
            detail.add(stack, kin, n_detail, n_t, inp, load, holds, settings, notes)
    lift_rows = _lift_rows(stacks, lift_windows(lifts, body.time_s), n_t, settings)
    detail.finish(store, n_t, subject, hand_load, settings, notes)
    time_s = body.time_s
    bands = _quantile_table(store, time_s)
    for name, thr, col in (("reba", REBA_HIGH, "reba_p_high"), ("rula", RULA_ACTION3, "rula_p_action3")):
        if name in store:
            x = np.concatenate(store[name], axis=0)
            bands[col] = np.mean(x >= thr, axis=0)
    noise = {p: float(np.median(np.sqrt(np.mean(sigma[:, j] ** 2, axis=1)))) for j, p in enumerate(body.point_names)}
    return Uncertainty(bands, _peak_table(store), _lift_table(lift_rows), noise, n, detail_total,
                       list(dict.fromkeys(notes)), dict(zip(body.point_names, map(float, slow), strict=True)))


def _slow_noise(rng: np.random.Generator, shape: tuple, rate_hz: float, cutoff_hz: float) -> np.ndarray:
    """(D, T, P, 3) Gaussian noise of unit SD band-limited by the assessment's own low-pass
    (white noise filtered by it and scaled back to unit variance): an error the filter keeps."""
    n_d, n_t = shape[:2]
    passed = filter_noise_fractions(rate_hz, cutoff_hz)[0]
    white = rng.standard_normal((n_t, n_d * int(np.prod(shape[2:]))))
    if not 0 < cutoff_hz < 0.5 * rate_hz or n_t < 16:
        return np.broadcast_to(white[:1].reshape(1, n_d, *shape[2:]).transpose(1, 0, 2, 3), shape).copy()
    slow = butter_lowpass(white, rate_hz, cutoff_hz) / np.sqrt(passed)
    return slow.reshape(n_t, n_d, *shape[2:]).transpose(1, 0, 2, 3)


class _Detail:
    """Lower body per group (it needs the group's mass and segment parameters); joint angles,
    leg workloads and posture scores once over the detail draws of all groups."""

    def __init__(self) -> None:
        self.pos: list = []
        self.kin: list = []
        self.lower: list = []
        self.template: Motion | None = None

    def add(self, stack: Motion, kin: pd.DataFrame, n_detail: int, n_t: int, inp, load, holds,
            settings: AssessmentSettings, notes: list) -> None:
        """`holds`: the stack's hold intervals (stack time, s) or None (throughout)."""
        k = n_detail * (n_t + 2 * PAD)
        sub = Motion(stack.time_s[:k], np.asarray(stack.positions_m)[:k], stack.point_names, stack.rate_hz,
                     source=stack.source)
        self.template = sub
        self.pos.append(np.asarray(sub.positions_m))
        self.kin.append(kin.iloc[:k].reset_index(drop=True))
        if not (settings.lower_body and sub.has("l_ankle", "r_ankle")):
            return
        sub_load = None if load is None else (load if load.force_n is None else HandLoad(
            force_n=load.force_n[:k], time_s=sub.time_s, split=load.split))
        if holds is not None:
            end = sub.time_s[-1] + 1e-6 / stack.rate_hz
            holds = [(a, b) for a, b in holds if a <= end]
        try:
            est = estimate_ground_reaction(sub, inp.subject, sub_load, settings.floor_z_m, holds)
            self.lower.append(bottom_up(sub, inp.subject, est.feet, params=inp.params).reset_index(drop=True))
        except LiftriskError as exc:
            notes.append(f"lower-body loads not redrawn ({exc})")

    def finish(self, store: dict, n_t: int, subject: Subject, hand_load: HandLoad | None,
               settings: AssessmentSettings, notes: list) -> None:
        if not self.pos:
            return
        pos = np.concatenate(self.pos, axis=0)
        n_d = pos.shape[0] // (n_t + 2 * PAD)
        rate = self.template.rate_hz
        m = Motion(self.template.time_s[0] + np.arange(pos.shape[0]) / rate, pos, self.template.point_names, rate,
                   source=self.template.source)
        kin = pd.concat(self.kin, ignore_index=True)
        lower = pd.concat(self.lower, ignore_index=True) if len(self.lower) == len(self.pos) else None
        if lower is not None:
            _collect(store, lower, [c for c in lower.columns if c.endswith(_LOWER_JOINTS)], n_d, n_t)
        try:
            angles = joint_angles(m)
        except LiftriskError as exc:
            notes.append(f"joint angles not redrawn ({exc})")
            return
        work = joint_workload(kin.set_axis(angles.index), lower, angles, subject)
        if work is not None:
            _collect(store, work, [c for c in work.columns if c.endswith(
                ("hip_workload_ratio", "knee_workload_ratio", "ankle_workload_ratio"))], n_d, n_t)
        try:
            post = posture_scores(_posture_angles(m, angles), coupling=settings.coupling,
                                  load_kg=hand_load.box_mass_kg if hand_load is not None else 0.0,
                                  activity=settings.reba_activity)
        except LiftriskError as exc:
            notes.append(f"posture scores not redrawn ({exc})")
            return
        _collect(store, post, ("reba", "rula", "fuzzy_reba"), n_d, n_t)


def _posture_angles(motion: Motion, angles: pd.DataFrame) -> dict:
    """`liftrisk.risk.posture.posture_angles` from joint angles already computed."""
    out = angles_from_joint_angles(angles)
    for s, d in out.items():
        if motion.has(f"{s}_shoulder", f"{s}_elbow", "neck"):
            abd = arm_abduction_deg(motion, s)
            d["upper_arm_abduction_deg"] = np.nan_to_num(abd, nan=0.0)
            if np.isfinite(abd).any() and "upper_arm_abduction_deg" in d.attrs.get("not_measured", []):
                d.attrs["not_measured"].remove("upper_arm_abduction_deg")
    return out


__all__ = ["QUANTILES", "SOURCES", "Uncertainty", "lift_windows", "nanquantiles", "propagate"]
