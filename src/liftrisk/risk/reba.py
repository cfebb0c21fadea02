"""REBA (Rapid Entire Body Assessment) per frame, vectorised over frames.

Method: Hignett S, McAtamney L (2000) Rapid Entire Body Assessment (REBA). Applied
Ergonomics 31:201-205. Tables A, B, C in `liftrisk/data/risk/reba_table_*.csv` (see
SOURCE.md there); body-part score definitions and load/coupling/activity scores as on the
REBA Employee Assessment Worksheet (`reba_tables_meta.json`).

Input edge: a table of joint angles in **degrees** (one row per frame) with the columns of
`REBA_ANGLE_COLUMNS`; sign conventions: flexion positive, extension negative; side-bend,
twist, abduction and wrist deviation are scored on their magnitude. Columns that are
absent are taken as neutral (0 deg) except the four required ones. Inputs that a motion
cannot give (load, coupling, activity, shoulder raised, arm supported, wrist twist,
unilateral leg support) are parameters with documented defaults.

REBA gives no angle at which a twist, side-bend, abduction or wrist deviation "counts";
the thresholds are settings (`RebaSettings`) with the defaults stated there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError
from liftrisk.risk.bands import Bands, threshold_bands
from liftrisk.risk.tables import reba_table_a, reba_table_b, reba_table_c

REBA_REQUIRED = ("trunk_flexion_deg", "neck_flexion_deg", "upper_arm_flexion_deg", "elbow_flexion_deg")
REBA_OPTIONAL = ("trunk_side_bend_deg", "trunk_twist_deg", "neck_side_bend_deg", "neck_twist_deg",
                 "knee_flexion_deg", "upper_arm_abduction_deg", "wrist_flexion_deg", "wrist_deviation_deg")
REBA_ANGLE_COLUMNS = REBA_REQUIRED + REBA_OPTIONAL

COUPLING_SCORES = {"good": 0, "fair": 1, "poor": 2, "unacceptable": 3}

#: REBA risk levels (worksheet): (lowest final score, label)
REBA_RISK_LEVELS = ((1, "negligible"), (2, "low"), (4, "medium"), (8, "high"), (11, "very high"))


@dataclass(frozen=True)
class RebaSettings:
    """Angle thresholds that REBA leaves to the observer (degrees).

    Attributes
    ----------
    upright_tolerance_deg : trunk counts as "upright" (score 1) within +-this (default 5).
    neck_extension_tolerance_deg : neck extension beyond this scores 2 (default 5).
    twist_threshold_deg : trunk/neck twist beyond this adds +1 (default 10).
    side_bend_threshold_deg : trunk/neck side-bend beyond this adds +1 (default 10).
    abduction_threshold_deg : upper-arm abduction beyond this adds +1 (default 20).
    wrist_deviation_threshold_deg : radial/ulnar deviation beyond this adds +1 (default 15).
    """

    upright_tolerance_deg: float = 5.0
    neck_extension_tolerance_deg: float = 5.0
    twist_threshold_deg: float = 10.0
    side_bend_threshold_deg: float = 10.0
    abduction_threshold_deg: float = 20.0
    wrist_deviation_threshold_deg: float = 15.0

    def bands(self) -> dict[str, Bands]:
        """Score bands of every REBA angle under these settings."""
        t = self.upright_tolerance_deg
        return {
            "trunk": Bands((-20.0, -t, t, 20.0, 60.0), (3, 2, 1, 2, 3, 4), "trunk flexion"),
            "neck": Bands((-self.neck_extension_tolerance_deg, 20.0), (2, 1, 2), "neck flexion"),
            "knee": Bands((30.0, 60.0), (0, 1, 2), "knee flexion"),
            "upper_arm": Bands((-20.0, 20.0, 45.0, 90.0), (2, 1, 2, 3, 4), "upper arm flexion"),
            "lower_arm": Bands((60.0, 100.0), (2, 1, 2), "elbow flexion"),
            "wrist": Bands((-15.0, 15.0), (2, 1, 2), "wrist flexion"),
            "twist": threshold_bands(self.twist_threshold_deg, "twist"),
            "side_bend": threshold_bands(self.side_bend_threshold_deg, "side bend"),
            "abduction": threshold_bands(self.abduction_threshold_deg, "abduction"),
            "wrist_deviation": threshold_bands(self.wrist_deviation_threshold_deg, "wrist deviation"),
        }


def angle_table(angles_deg, required=REBA_REQUIRED, optional=REBA_OPTIONAL) -> pd.DataFrame:
    """Check and complete an angle table (DataFrame or mapping name -> (T,) array, degrees).

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles (deg), name -> (T,) values.
    required, optional : sequence of str
        Columns that must be present, and columns filled with 0 when absent.

    Returns
    -------
    pandas.DataFrame
        The angles (deg) with every required and optional column.

    Examples
    --------
    >>> t = angle_table({c: [0.0] for c in REBA_REQUIRED})
    >>> set(REBA_REQUIRED) <= set(t.columns)
    True
    """
    if isinstance(angles_deg, pd.DataFrame):
        df = angles_deg
    elif isinstance(angles_deg, Mapping):
        df = pd.DataFrame({k: np.atleast_1d(np.asarray(v, float)) for k, v in angles_deg.items()})
    else:
        raise DataQualityError(f"angles must be a DataFrame or a mapping of column -> array in degrees; "
                               f"got {type(angles_deg).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataQualityError(f"angle table lacks column(s) {missing}; it has {list(df.columns)}. "
                               "Fix: give these angles in degrees (flexion positive)")
    out = pd.DataFrame(index=df.index)
    for c in (*required, *optional):
        out[c] = df[c].to_numpy(float) if c in df.columns else 0.0
    return out


def _flag(value, n: int, name: str) -> np.ndarray:
    v = np.asarray(value)
    if v.ndim == 0:
        return np.full(n, bool(v))
    if v.shape != (n,):
        raise DataQualityError(f"{name} has shape {v.shape}; expected a single bool or one per frame ({n},)")
    return v.astype(bool)


def load_score(load_kg, shock: bool = False):
    """REBA load/force score: 0 (< 5 kg), 1 (5-10 kg), 2 (> 10 kg); +1 for shock/rapid build-up.

    Parameters
    ----------
    load_kg : float or (T,) array
        Load handled (kg); an array gives one score per frame (e.g. a load measured from
        insoles, `liftrisk.kinetics.load_from_feet.held_mass_kg`).
    shock : bool
        Shock or rapid build-up of force.

    Returns
    -------
    int or (T,) int array
        REBA load/force score 0-3.

    Examples
    --------
    >>> load_score(4.9), load_score(5.0), load_score(10.0), load_score(10.5, shock=True)
    (0, 1, 1, 3)
    >>> load_score([0.0, 7.0, 12.0]).tolist()
    [0, 1, 2]
    """
    lk = np.asarray(load_kg, float)
    if not np.all(np.isfinite(lk)) or np.any(lk < 0):
        raise DataQualityError(f"load_kg is {load_kg}; expected a mass >= 0 kg (per frame: finite, >= 0)")
    s = np.where(lk < 5.0, 0, np.where(lk <= 10.0, 1, 2)) + int(bool(shock))
    return int(s) if lk.ndim == 0 else s.astype(np.int64)


def coupling_score(coupling: str | int) -> int:
    """REBA coupling score: good 0, fair 1, poor 2, unacceptable 3.

    Parameters
    ----------
    coupling : {"good", "fair", "poor", "unacceptable"} or 0-3
        Hand coupling.

    Returns
    -------
    int
        REBA coupling score 0-3.

    Examples
    --------
    >>> coupling_score("poor")
    2
    """
    if isinstance(coupling, str):
        key = coupling.strip().lower()
        if key not in COUPLING_SCORES:
            raise DataQualityError(f"coupling is {coupling!r}; expected one of {list(COUPLING_SCORES)}")
        return COUPLING_SCORES[key]
    c = int(coupling)
    if c not in (0, 1, 2, 3):
        raise DataQualityError(f"coupling score is {coupling}; expected 0-3")
    return c


def activity_score(static: bool = False, repeated: bool = False, rapid_change: bool = False) -> int:
    """REBA activity score: +1 each for static > 1 min, repeated > 4/min, rapid large changes.

    Parameters
    ----------
    static : bool
        A body part held for longer than 1 min.
    repeated : bool
        Small-range actions repeated more than 4 times per minute.
    rapid_change : bool
        Rapid large changes in posture or an unstable base.

    Returns
    -------
    int
        REBA activity score 0-3.

    Examples
    --------
    >>> activity_score(static=True, repeated=True)
    2
    """
    return int(bool(static)) + int(bool(repeated)) + int(bool(rapid_change))


def risk_level(score) -> np.ndarray:
    """REBA risk level label of each final score (1 negligible ... 11-15 very high).

    Parameters
    ----------
    score : array_like
        Final REBA scores (1-15; 0 = missing).

    Returns
    -------
    numpy.ndarray
        Risk level labels (str; empty for 0).

    Examples
    --------
    >>> risk_level([1, 3, 7, 8, 12]).tolist()
    ['negligible', 'low', 'medium', 'high', 'very high']
    """
    s = np.asarray(score, float)
    lows = np.array([lo for lo, _ in REBA_RISK_LEVELS], float)
    labels = np.array([lab for _, lab in REBA_RISK_LEVELS] + [""], dtype=object)
    idx = np.searchsorted(lows, np.round(s), side="right") - 1
    idx = np.where(np.isfinite(s) & (idx >= 0), idx, len(REBA_RISK_LEVELS))
    return labels[idx]


def body_part_scores(angles_deg, *, settings: RebaSettings = RebaSettings(), bilateral_support=True,
                     shoulder_raised=False, arm_supported=False, wrist_twisted=False) -> pd.DataFrame:
    """REBA body-part scores of each frame (integers, with all adjustments).

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Columns of `REBA_ANGLE_COLUMNS` in degrees, one row per frame.
    settings : RebaSettings
        Angle thresholds for the adjustments.
    bilateral_support : bool or (T,) bool
        True (default) when the weight is on both feet (legs 1); False = unilateral or unstable (2).
    shoulder_raised, arm_supported, wrist_twisted : bool or (T,) bool
        Upper arm +1 / upper arm -1 / wrist +1 adjustments (default False: not observed).

    Returns
    -------
    DataFrame with columns trunk, neck, legs, upper_arm, lower_arm, wrist (same index).

    Examples
    --------
    >>> s = body_part_scores({"trunk_flexion_deg": [30.0], "neck_flexion_deg": [10.0],
    ...                       "upper_arm_flexion_deg": [50.0], "elbow_flexion_deg": [80.0],
    ...                       "knee_flexion_deg": [45.0]})
    >>> s.iloc[0].tolist()
    [3, 1, 2, 3, 1, 1]
    """
    df = angle_table(angles_deg)
    b = settings.bands()
    n = len(df)
    twist = b["twist"].crisp(df["trunk_twist_deg"]) | b["side_bend"].crisp(df["trunk_side_bend_deg"])
    trunk = b["trunk"].crisp(df["trunk_flexion_deg"]) + twist
    ntw = b["twist"].crisp(df["neck_twist_deg"]) | b["side_bend"].crisp(df["neck_side_bend_deg"])
    neck = b["neck"].crisp(df["neck_flexion_deg"]) + ntw
    legs = np.where(_flag(bilateral_support, n, "bilateral_support"), 1, 2) + b["knee"].crisp(df["knee_flexion_deg"])
    ua = (b["upper_arm"].crisp(df["upper_arm_flexion_deg"]) + b["abduction"].crisp(df["upper_arm_abduction_deg"])
          + _flag(shoulder_raised, n, "shoulder_raised") - _flag(arm_supported, n, "arm_supported"))
    la = b["lower_arm"].crisp(df["elbow_flexion_deg"])
    wr = (b["wrist"].crisp(df["wrist_flexion_deg"])
          + (b["wrist_deviation"].crisp(df["wrist_deviation_deg"]) | _flag(wrist_twisted, n, "wrist_twisted")))
    out = pd.DataFrame({
        "trunk": np.clip(trunk, 1, 5), "neck": np.clip(neck, 1, 3), "legs": np.clip(legs, 1, 4),
        "upper_arm": np.clip(ua, 1, 6), "lower_arm": np.clip(la, 1, 2), "wrist": np.clip(wr, 1, 3),
    }, index=df.index)
    valid = np.isfinite(df[list(REBA_REQUIRED)].to_numpy()).all(axis=1)
    out.loc[~valid, :] = 0
    return out.astype(np.int64)


def reba(angles_deg, *, load_kg: float = 0.0, shock: bool = False, coupling: str | int = "good",
         activity: int = 0, settings: RebaSettings = RebaSettings(), bilateral_support=True,
         shoulder_raised=False, arm_supported=False, wrist_twisted=False) -> pd.DataFrame:
    """REBA score of every frame.

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles in degrees, columns `REBA_ANGLE_COLUMNS` (see module docstring).
    load_kg : float or (T,) array
        Load handled (default 0 kg: no load score); per frame for a measured load.
    shock : bool
        Shock or rapid build-up of force (+1 load score).
    coupling : {"good", "fair", "poor", "unacceptable"} or 0-3
        Hand coupling (default "good").
    activity : int
        Activity score 0-3 (see `activity_score`; default 0).
    settings, bilateral_support, shoulder_raised, arm_supported, wrist_twisted
        See `body_part_scores`.

    Returns
    -------
    DataFrame (same index as the angles) with the body-part scores, table_a, load, score_a,
    table_b, coupling, score_b, table_c, activity, reba (final score) and risk_level.
    Frames with a missing required angle get score 0 and an empty risk level.

    Examples
    --------
    >>> r = reba({"trunk_flexion_deg": [0.0, 70.0], "neck_flexion_deg": [5.0, 30.0],
    ...           "upper_arm_flexion_deg": [0.0, 100.0], "elbow_flexion_deg": [80.0, 30.0]},
    ...          load_kg=12.0, coupling="fair")
    >>> r[["score_a", "score_b", "reba"]].values.tolist()
    [[3, 2, 3], [7, 6, 9]]
    """
    parts = body_part_scores(angles_deg, settings=settings, bilateral_support=bilateral_support,
                             shoulder_raised=shoulder_raised, arm_supported=arm_supported,
                             wrist_twisted=wrist_twisted)
    ls = load_score(load_kg, shock)
    if np.ndim(ls) and len(ls) != len(parts):
        raise DataQualityError(f"load_kg has {len(ls)} values for {len(parts)} frames; give one per frame or a scalar")
    cs = coupling_score(coupling)
    act = int(activity)
    if not 0 <= act <= 3:
        raise DataQualityError(f"activity score is {activity}; expected 0-3 (see activity_score)")
    valid = (parts["trunk"] > 0).to_numpy()
    p = {k: np.maximum(parts[k].to_numpy(), 1) for k in parts.columns}
    ta = reba_table_a()[p["trunk"], p["neck"], p["legs"]]
    tb = reba_table_b()[p["upper_arm"], p["lower_arm"], p["wrist"]]
    sa = np.minimum(ta + ls, 12)
    sb = np.minimum(tb + cs, 12)
    tc = reba_table_c()[sa, sb]
    final = tc + act
    out = parts.copy()
    for name, val in (("table_a", ta), ("load", np.broadcast_to(ls, (len(out),))), ("score_a", sa), ("table_b", tb),
                      ("coupling", np.full(len(out), cs)), ("score_b", sb), ("table_c", tc),
                      ("activity", np.full(len(out), act)), ("reba", final)):
        out[name] = np.where(valid, val, 0)
    out["risk_level"] = np.where(valid, risk_level(final), "")
    return out


def summarise_scores(scores, time_s=None, levels=REBA_RISK_LEVELS, score_column: str = "reba") -> dict:
    """Per-task summary of a score time series: distribution and time at each risk level.

    Parameters
    ----------
    scores : DataFrame or array
        Output of `reba` (column ``score_column``) or a (T,) array of final scores.
    time_s : (T,) array, optional
        Frame times in s; each frame counts for the interval to the next (the last frame
        for the median interval). Without times every frame counts 1 s / rate 1 Hz.
    levels : sequence of (lowest score, label)
        Risk levels to count time in (default REBA's).
    score_column : str
        Column of `scores` that holds the final score when `scores` is a DataFrame.

    Returns
    -------
    dict with n_frames, mean, median, max, p90, histogram {score: frames}, and
    time_s_at_level / fraction_at_level {label: value}.

    Examples
    --------
    >>> s = summarise_scores(np.array([2, 2, 5, 9]), time_s=np.array([0.0, 1.0, 2.0, 3.0]))
    >>> s["time_s_at_level"]["low"], s["max"]
    (2.0, 9.0)
    """
    v = np.asarray(scores[score_column] if isinstance(scores, pd.DataFrame) else scores, float)
    ok = np.isfinite(v) & (v > 0)
    if time_s is None:
        dt = np.ones_like(v)
    else:
        t = np.asarray(time_s, float)
        d = np.diff(t)
        dt = np.append(d, np.median(d) if d.size else 1.0)
    lows = np.array([lo for lo, _ in levels], float)
    idx = np.searchsorted(lows, np.round(v), side="right") - 1
    at_level = {lab: float(dt[ok & (idx == i)].sum()) for i, (_, lab) in enumerate(levels)}
    total = float(dt[ok].sum())
    hist = {int(k): int(c) for k, c in zip(*np.unique(np.round(v[ok]).astype(int), return_counts=True),
                                            strict=True)}
    return {
        "n_frames": int(ok.sum()),
        "mean": float(np.mean(v[ok])) if ok.any() else float("nan"),
        "median": float(np.median(v[ok])) if ok.any() else float("nan"),
        "p90": float(np.percentile(v[ok], 90)) if ok.any() else float("nan"),
        "max": float(np.max(v[ok])) if ok.any() else float("nan"),
        "histogram": hist,
        "time_s_at_level": at_level,
        "fraction_at_level": {k: (x / total if total > 0 else float("nan")) for k, x in at_level.items()},
    }
