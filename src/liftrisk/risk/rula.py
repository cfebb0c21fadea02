"""RULA (Rapid Upper Limb Assessment) per frame, vectorised over frames.

Method: McAtamney L, Corlett EN (1993) RULA: a survey method for the investigation of
work-related upper limb disorders. Applied Ergonomics 24(2):91-99. Tables A (paper's
Table 1), B (Table 2) and C (Table 3, grand score) in `liftrisk/data/risk/rula_table_*.csv`;
how they were verified is in SOURCE.md there.

Body-part scores (paper's Figures 1-2):
upper arm 1: 20 deg extension to 20 deg flexion, 2: > 20 deg extension or 20-45 deg flexion,
3: 45-90 deg, 4: > 90 deg; +1 shoulder raised, +1 abducted, -1 supported (1-6).
Lower arm 1: 60-100 deg flexion, 2: < 60 or > 100 deg; +1 working across the midline or
out to the side (1-3). Wrist 1: neutral, 2: 0-15 deg flexion/extension, 3: > 15 deg;
+1 deviated (1-4). Wrist twist 1: mid-range, 2: at or near the end of range.
Neck 1: 0-10 deg flexion, 2: 10-20 deg, 3: > 20 deg, 4: in extension; +1 twisted, +1 side-bent
(1-6). Trunk 1: upright / well supported seated, 2: 0-20 deg flexion, 3: 20-60 deg,
4: > 60 deg; +1 twisted, +1 side-bent (1-6); trunk extension beyond the upright tolerance is
scored 2 (RULA does not draw extension; this follows common worksheet practice).
Legs 1: supported and balanced, 2: not. Muscle use +1 (static > 1 min or repeated > 4/min);
force/load 0 (< 2 kg intermittent), 1 (2-10 kg intermittent), 2 (2-10 kg static or
repeated), 3 (> 10 kg static/repeated, or shock). Score C = Table A + muscle + force,
score D = Table B + muscle + force, grand score = Table C (C capped at 8, D at 7).
Action levels: 1 (grand 1-2), 2 (3-4), 3 (5-6), 4 (7).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError
from liftrisk.risk.bands import Bands, threshold_bands
from liftrisk.risk.reba import _flag, angle_table
from liftrisk.risk.tables import rula_table_a, rula_table_b, rula_table_c

RULA_REQUIRED = ("trunk_flexion_deg", "neck_flexion_deg", "upper_arm_flexion_deg", "elbow_flexion_deg")
RULA_OPTIONAL = ("trunk_side_bend_deg", "trunk_twist_deg", "neck_side_bend_deg", "neck_twist_deg",
                 "upper_arm_abduction_deg", "wrist_flexion_deg", "wrist_deviation_deg")

#: RULA action levels: (lowest grand score, action level)
RULA_ACTION_LEVELS = ((1, 1), (3, 2), (5, 3), (7, 4))


@dataclass(frozen=True)
class RulaSettings:
    """Angle thresholds that RULA leaves to the observer (degrees).

    Attributes
    ----------
    upright_tolerance_deg : trunk "upright" within +-this (default 5).
    neck_extension_tolerance_deg : neck extension beyond this scores 4 (default 5).
    wrist_neutral_tolerance_deg : wrist "neutral" within +-this (default 5).
    twist_threshold_deg, side_bend_threshold_deg : +1 each beyond these (default 10).
    abduction_threshold_deg : upper-arm abduction beyond this adds +1 (default 20).
    wrist_deviation_threshold_deg : wrist deviation beyond this adds +1 (default 15).
    """

    upright_tolerance_deg: float = 5.0
    neck_extension_tolerance_deg: float = 5.0
    wrist_neutral_tolerance_deg: float = 5.0
    twist_threshold_deg: float = 10.0
    side_bend_threshold_deg: float = 10.0
    abduction_threshold_deg: float = 20.0
    wrist_deviation_threshold_deg: float = 15.0

    def bands(self) -> dict[str, Bands]:
        """Score bands of every RULA angle under these settings."""
        t = self.upright_tolerance_deg
        w = self.wrist_neutral_tolerance_deg
        return {
            "upper_arm": Bands((-20.0, 20.0, 45.0, 90.0), (2, 1, 2, 3, 4), "upper arm flexion"),
            "lower_arm": Bands((60.0, 100.0), (2, 1, 2), "elbow flexion"),
            "wrist": Bands((-15.0, -w, w, 15.0), (3, 2, 1, 2, 3), "wrist flexion"),
            "neck": Bands((-self.neck_extension_tolerance_deg, 10.0, 20.0), (4, 1, 2, 3), "neck flexion"),
            "trunk": Bands((-t, t, 20.0, 60.0), (2, 1, 2, 3, 4), "trunk flexion"),
            "twist": threshold_bands(self.twist_threshold_deg, "twist"),
            "side_bend": threshold_bands(self.side_bend_threshold_deg, "side bend"),
            "abduction": threshold_bands(self.abduction_threshold_deg, "abduction"),
            "wrist_deviation": threshold_bands(self.wrist_deviation_threshold_deg, "wrist deviation"),
        }


def force_score(load_kg, static_or_repeated: bool = False, shock: bool = False):
    """RULA muscle force/load score 0-3.

    Parameters
    ----------
    load_kg : float or (T,) array
        Load or force (kg); an array gives one score per frame.
    static_or_repeated : bool
        Static load or repeated (4/min or more) handling.
    shock : bool
        Shock or rapid build-up of force.

    Returns
    -------
    int or (T,) int array
        RULA force/load score 0-3.

    Examples
    --------
    >>> force_score(1.0), force_score(5.0), force_score(5.0, static_or_repeated=True), force_score(12.0)
    (0, 1, 2, 3)
    >>> force_score([1.0, 5.0, 12.0]).tolist()
    [0, 1, 3]
    """
    lk = np.asarray(load_kg, float)
    if not np.all(np.isfinite(lk)) or np.any(lk < 0):
        raise DataQualityError(f"load_kg is {load_kg}; expected a mass >= 0 kg (per frame: finite, >= 0)")
    s = np.where(shock | (lk > 10.0), 3, np.where(lk < 2.0, 0, 2 if static_or_repeated else 1))
    return int(s) if lk.ndim == 0 else s.astype(np.int64)


def action_level(grand) -> np.ndarray:
    """RULA action level 1-4 of each grand score (0 where the score is missing).

    Parameters
    ----------
    grand : array_like
        RULA grand scores (1-7; 0 = missing).

    Returns
    -------
    numpy.ndarray
        Action levels 1-4 (int; 0 where missing).

    Examples
    --------
    >>> action_level([1, 2, 3, 5, 7]).tolist()
    [1, 1, 2, 3, 4]
    """
    g = np.asarray(grand, float)
    lows = np.array([lo for lo, _ in RULA_ACTION_LEVELS], float)
    idx = np.searchsorted(lows, np.nan_to_num(g), side="right") - 1
    return np.where(np.isfinite(g) & (idx >= 0), idx + 1, 0)


def rula(angles_deg, *, load_kg: float = 0.0, static_or_repeated: bool = False, shock: bool = False,
         muscle_use: bool = False, settings: RulaSettings = RulaSettings(), legs_supported=True,
         shoulder_raised=False, arm_supported=False, across_midline=False, wrist_twist_end_range=False
         ) -> pd.DataFrame:
    """RULA grand score of every frame.

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles in degrees (columns as for REBA, see `RULA_REQUIRED` / `RULA_OPTIONAL`).
    load_kg, static_or_repeated, shock
        Load handled and how (see `force_score`; default no load); ``load_kg`` may be (T,),
        one value per frame (a measured load).
    muscle_use : bool
        Posture mainly static (> 1 min) or repeated > 4 times/min (+1 to C and D).
    settings : RulaSettings
        Angle thresholds.
    legs_supported, shoulder_raised, arm_supported, across_midline, wrist_twist_end_range : bool or (T,) bool
        Observations a motion cannot give (defaults: legs supported and balanced, shoulder
        not raised, arm not supported, not across the midline, wrist twist in mid-range).

    Returns
    -------
    DataFrame with upper_arm, lower_arm, wrist, wrist_twist, neck, trunk, legs, table_a,
    table_b, score_c, score_d, grand (grand score) and action_level.

    Examples
    --------
    >>> r = rula({"trunk_flexion_deg": [0.0, 70.0], "neck_flexion_deg": [5.0, 30.0],
    ...           "upper_arm_flexion_deg": [0.0, 100.0], "elbow_flexion_deg": [80.0, 30.0]})
    >>> r[["table_a", "table_b", "grand", "action_level"]].values.tolist()
    [[1, 1, 1, 1], [4, 5, 5, 3]]
    """
    df = angle_table(angles_deg, RULA_REQUIRED, RULA_OPTIONAL)
    b = settings.bands()
    n = len(df)
    ua = (b["upper_arm"].crisp(df["upper_arm_flexion_deg"]) + b["abduction"].crisp(df["upper_arm_abduction_deg"])
          + _flag(shoulder_raised, n, "shoulder_raised") - _flag(arm_supported, n, "arm_supported"))
    la = b["lower_arm"].crisp(df["elbow_flexion_deg"]) + _flag(across_midline, n, "across_midline")
    wr = b["wrist"].crisp(df["wrist_flexion_deg"]) + b["wrist_deviation"].crisp(df["wrist_deviation_deg"])
    wt = np.where(_flag(wrist_twist_end_range, n, "wrist_twist_end_range"), 2, 1)
    neck = (b["neck"].crisp(df["neck_flexion_deg"]) + b["twist"].crisp(df["neck_twist_deg"])
            + b["side_bend"].crisp(df["neck_side_bend_deg"]))
    trunk = (b["trunk"].crisp(df["trunk_flexion_deg"]) + b["twist"].crisp(df["trunk_twist_deg"])
             + b["side_bend"].crisp(df["trunk_side_bend_deg"]))
    legs = np.where(_flag(legs_supported, n, "legs_supported"), 1, 2)
    p = {"upper_arm": np.clip(ua, 1, 6), "lower_arm": np.clip(la, 1, 3), "wrist": np.clip(wr, 1, 4),
         "wrist_twist": wt, "neck": np.clip(neck, 1, 6), "trunk": np.clip(trunk, 1, 6), "legs": legs}
    fs = force_score(load_kg, static_or_repeated, shock)
    if np.ndim(fs) and len(fs) != n:
        raise DataQualityError(f"load_kg has {len(fs)} values for {n} frames; give one per frame or a scalar")
    extra = int(bool(muscle_use)) + fs
    ta = rula_table_a()[p["upper_arm"], p["lower_arm"], p["wrist"], p["wrist_twist"]]
    tb = rula_table_b()[p["neck"], p["trunk"], p["legs"]]
    sc = ta + extra
    sd = tb + extra
    grand = rula_table_c()[np.minimum(sc, 8), np.minimum(sd, 7)]
    valid = np.isfinite(df[list(RULA_REQUIRED)].to_numpy()).all(axis=1)
    out = pd.DataFrame(p, index=df.index)
    for name, val in (("table_a", ta), ("table_b", tb), ("score_c", sc), ("score_d", sd), ("grand", grand)):
        out[name] = val
    out.loc[~valid, :] = 0
    out = out.astype(np.int64)
    out["action_level"] = np.where(valid, action_level(grand), 0)
    return out
