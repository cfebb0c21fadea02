"""Thin adapter from a Motion to the posture methods (REBA, RULA, fuzzy REBA).

Joint angles come from `liftrisk.kinematics.angles.joint_angles` (radians, anatomical
names); this module renames them to the degree columns of the scoring functions, one
table per arm side. Angles the motion cannot give (NaN columns, e.g. wrist deviation or
neck twist without hand/head side points) are taken as neutral (0 deg) and listed in
``attrs["not_measured"]``. Legs: the knee flexion scored is the larger of the two knees.
Each method is scored for both arms and the worse side is kept per frame (``side`` column).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.angles import joint_angles
from liftrisk.kinematics.frames import segment_frames
from liftrisk.processing import peak
from liftrisk.risk.fuzzy_reba import FuzzySettings, fuzzy_reba
from liftrisk.risk.reba import REBA_OPTIONAL, REBA_REQUIRED, RebaSettings, reba, risk_level
from liftrisk.risk.rula import RulaSettings, rula

_COMMON = {"trunk_flexion": "trunk_flexion_deg", "trunk_lateral_bend": "trunk_side_bend_deg",
           "trunk_axial_twist": "trunk_twist_deg", "neck_flexion": "neck_flexion_deg",
           "neck_lateral_bend": "neck_side_bend_deg", "neck_twist": "neck_twist_deg"}
_SIDED = {"shoulder_flexion": "upper_arm_flexion_deg", "shoulder_abduction": "upper_arm_abduction_deg",
          "elbow_flexion": "elbow_flexion_deg", "wrist_flexion": "wrist_flexion_deg",
          "wrist_deviation": "wrist_deviation_deg"}


def angles_from_joint_angles(ja: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per-side degree tables for REBA/RULA from a `joint_angles` DataFrame (radians).

    Parameters
    ----------
    ja : pandas.DataFrame
        Output of `liftrisk.kinematics.joint_angles` (rad).

    Returns
    -------
    dict
        ``{"l": DataFrame, "r": DataFrame}`` of REBA/RULA angle columns (deg).

    Examples
    --------
    >>> ja = pd.DataFrame({"trunk_flexion": [np.pi / 6], "neck_flexion": [0.0], "l_knee_flexion": [0.5],
    ...                    "r_knee_flexion": [1.0], "l_shoulder_flexion": [0.0], "r_shoulder_flexion": [0.0],
    ...                    "l_elbow_flexion": [1.4], "r_elbow_flexion": [1.4]})
    >>> a = angles_from_joint_angles(ja)
    >>> round(float(a["r"]["trunk_flexion_deg"].iloc[0]), 6), round(float(a["l"]["knee_flexion_deg"].iloc[0]), 2)
    (30.0, 57.3)
    """
    out = {}
    knees = [ja[c] for c in ("l_knee_flexion", "r_knee_flexion") if c in ja.columns]
    knee = np.degrees(np.nanmax(np.column_stack(knees), axis=1)) if knees and np.isfinite(
        np.column_stack(knees)).any() else np.full(len(ja), np.nan)
    for s in ("l", "r"):
        d = pd.DataFrame(index=ja.index)
        for src, dst in _COMMON.items():
            d[dst] = np.degrees(ja[src].to_numpy(float)) if src in ja.columns else np.nan
        for src, dst in _SIDED.items():
            c = f"{s}_{src}"
            d[dst] = np.degrees(ja[c].to_numpy(float)) if c in ja.columns else np.nan
        d["knee_flexion_deg"] = knee
        not_measured = [c for c in REBA_OPTIONAL if not np.isfinite(d[c].to_numpy()).any()]
        for c in REBA_OPTIONAL:
            d[c] = d[c].fillna(0.0)
        d.attrs["not_measured"] = not_measured
        d.attrs["required"] = list(REBA_REQUIRED)
        out[s] = d
    return out


def arm_abduction_deg(motion: Motion, side: str, *, trunk_frame: np.ndarray | None = None) -> np.ndarray:
    """Upper-arm abduction for REBA/RULA: angle between the upper arm and the trunk's sagittal
    plane, + away from the body (degrees, -90..90).

    ``joint_angles``' ``*_shoulder_abduction`` is the angle in the frontal projection, which
    becomes +-180 deg when the arm is raised forward above the horizontal (the projection
    degenerates) and would add a false "abducted" +1; this measure is 0 for any purely
    sagittal arm position.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    side : {"l", "r"}
        Arm.
    trunk_frame : numpy.ndarray, optional
        (T, 4, 4) trunk frame of `motion` (``segment_frames(motion, ["trunk"])["trunk"]``),
        when the caller has it already (both arms: computed once).

    Returns
    -------
    numpy.ndarray
        (T,) abduction (deg; NaN where a point is missing).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> round(float(arm_abduction_deg(neutral_body(), "r")[0]), 1) + 0.0   # arms hanging
    0.0
    """
    trunk = segment_frames(motion, ["trunk"])["trunk"] if trunk_frame is None else trunk_frame
    u = motion[f"{side}_elbow"] - motion[f"{side}_shoulder"]
    u = u / np.linalg.norm(u, axis=1, keepdims=True)
    lateral = np.einsum("ti,ti->t", u, trunk[:, :3, 1]) * (1.0 if side == "l" else -1.0)
    return np.degrees(np.arcsin(np.clip(lateral, -1.0, 1.0)))


def posture_angles(motion: Motion) -> dict[str, pd.DataFrame]:
    """Per-side degree tables (``{"l": df, "r": df}``) for REBA/RULA from a canonical motion.

    Joint angles from `liftrisk.kinematics.angles.joint_angles`; the upper-arm abduction is
    replaced by `arm_abduction_deg` where the shoulder and elbow exist.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).

    Returns
    -------
    dict
        ``{"l": DataFrame, "r": DataFrame}`` of REBA/RULA angle columns (deg).

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> a = posture_angles(neutral_body())
    >>> round(float(a["r"]["trunk_flexion_deg"].iloc[0]), 1)
    0.0
    """
    out = angles_from_joint_angles(joint_angles(motion))
    trunk = None   # the trunk frame, computed once for both arms
    for s, d in out.items():
        if motion.has(f"{s}_shoulder", f"{s}_elbow", "neck"):
            if trunk is None:
                trunk = segment_frames(motion, ["trunk"])["trunk"]
            abd = arm_abduction_deg(motion, s, trunk_frame=trunk)
            d["upper_arm_abduction_deg"] = np.nan_to_num(abd, nan=0.0)
            if np.isfinite(abd).any() and "upper_arm_abduction_deg" in d.attrs["not_measured"]:
                d.attrs["not_measured"].remove("upper_arm_abduction_deg")
    return out


def _worse(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    lv = left[key].to_numpy(float)
    rv = right[key].to_numpy(float)
    use_left = np.nan_to_num(lv, nan=-1) > np.nan_to_num(rv, nan=-1)
    out = pd.DataFrame({c: np.where(use_left, left[c].to_numpy(), right[c].to_numpy()) for c in right.columns},
                       index=right.index)
    out["side"] = np.where(use_left, "l", "r")
    return out


#: the points each REBA angle needs (for the message when none can be measured)
_NEEDS = {"trunk_flexion_deg": "hips (or L5/S1) and shoulders", "neck_flexion_deg": "neck/head and shoulders",
          "upper_arm_flexion_deg": "shoulders, elbows and hips", "elbow_flexion_deg": "shoulders, elbows and wrists"}


def _require_scorable(angles: dict[str, pd.DataFrame]) -> None:
    """Refuse a motion on which no frame can be scored (REBA's minimum is 1; a table of
    zeros would read as "no risk")."""
    missing = [c for c in REBA_REQUIRED
               if not any(c in a.columns and np.isfinite(a[c].to_numpy(float)).any() for a in angles.values())]
    if missing:
        needs = "; ".join(f"{c} needs the {_NEEDS[c]}" for c in missing)
        raise DataQualityError(f"REBA/RULA cannot be scored: {', '.join(missing)} cannot be measured on any frame "
                               f"({needs}). Fix: give a motion with these points (e.g. a full-body marker set)")


def posture_scores(angles: dict[str, pd.DataFrame], *, load_kg: float = 0.0, coupling: str = "good",
                   activity: int = 0, reba_settings: RebaSettings = RebaSettings(),
                   rula_settings: RulaSettings = RulaSettings(), fuzzy: FuzzySettings = FuzzySettings(),
                   rula_static_or_repeated: bool = False, rula_muscle_use: bool = False) -> pd.DataFrame:
    """REBA, RULA and fuzzy REBA of every frame, worse arm side per method.

    Parameters
    ----------
    angles : dict side -> DataFrame
        Output of `posture_angles` (or any per-side degree tables).
    load_kg, coupling, activity
        REBA task inputs: load (kg), hand coupling, activity score 0-3 (RULA uses the
        load for its force/load score).
    reba_settings, rula_settings : RebaSettings, RulaSettings
        Angle thresholds of the body-part scores.
    fuzzy : FuzzySettings
        Fuzzy band edges of fuzzy REBA.
    rula_static_or_repeated : bool
        RULA: static load or repeated (4/min or more) handling.
    rula_muscle_use : bool
        RULA: muscle use score +1 (mainly static posture or repeated action).

    Returns
    -------
    DataFrame with columns reba, reba_risk, reba_side, rula, rula_action_level, rula_side,
    fuzzy_reba, fuzzy_side, and the REBA body-part scores of the REBA side.

    Examples
    --------
    >>> a = pd.DataFrame({"trunk_flexion_deg": [30.0], "neck_flexion_deg": [10.0],
    ...                   "upper_arm_flexion_deg": [50.0], "elbow_flexion_deg": [80.0]})
    >>> s = posture_scores({"l": a, "r": a})
    >>> s[["reba", "rula"]].iloc[0].tolist()
    [2, 3]
    """
    _require_scorable(angles)
    rb = {s: reba(a, load_kg=load_kg, coupling=coupling, activity=activity, settings=reba_settings)
          for s, a in angles.items()}
    ru = {s: rula(a, load_kg=load_kg, settings=rula_settings, static_or_repeated=rula_static_or_repeated,
                  muscle_use=rula_muscle_use) for s, a in angles.items()}
    fz = {s: fuzzy_reba(a, load_kg=load_kg, coupling=coupling, activity=activity, settings=reba_settings,
                        fuzzy=fuzzy) for s, a in angles.items()}
    sides = list(angles)
    if len(sides) == 1:
        s0 = sides[0]
        rbw, ruw, fzw = (d[s0].assign(side=s0) for d in (rb, ru, fz))
    else:
        rbw, ruw, fzw = (_worse(rb["l"], rb["r"], "reba"), _worse(ru["l"], ru["r"], "grand"),
                         _worse(fz["l"], fz["r"], "fuzzy_reba"))
    out = pd.DataFrame(index=next(iter(angles.values())).index)
    for c in ("trunk", "neck", "legs", "upper_arm", "lower_arm", "wrist", "score_a", "score_b"):
        out[f"reba_{c}"] = rbw[c].to_numpy()
    out["reba"] = rbw["reba"].to_numpy()
    out["reba_risk"] = rbw["risk_level"].to_numpy()
    out["reba_side"] = rbw["side"].to_numpy()
    out["rula"] = ruw["grand"].to_numpy()
    out["rula_action_level"] = ruw["action_level"].to_numpy()
    out["rula_side"] = ruw["side"].to_numpy()
    out["fuzzy_reba"] = fzw["fuzzy_reba"].to_numpy(float)
    out["fuzzy_side"] = fzw["side"].to_numpy()
    return out


def posture_from_motion(motion: Motion, **kwargs) -> pd.DataFrame:
    """`posture_scores` of a canonical motion (joint angles from `liftrisk.kinematics`).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    **kwargs
        Passed to `posture_scores` (``load_kg``, ``coupling``, ...).

    Returns
    -------
    pandas.DataFrame
        The columns of `posture_scores`, one row per frame.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> int(posture_from_motion(neutral_body())["reba"].iloc[0])
    1
    """
    return posture_scores(posture_angles(motion), **kwargs)


def posture_peaks(posture: pd.DataFrame, time_s) -> dict:
    """Worst REBA and fuzzy REBA of a recording and when they occur.

    Parameters
    ----------
    posture : pandas.DataFrame
        `posture_scores` output (``reba`` 0 = not scored, ``fuzzy_reba``).
    time_s : array (T,)
        Frame times, s.

    Returns
    -------
    dict
        ``peak_reba``, ``peak_reba_time_s``, ``peak_reba_level`` (REBA risk level, "" when
        no frame was scored), ``peak_fuzzy_reba``, ``peak_fuzzy_reba_time_s``.

    Examples
    --------
    >>> p = pd.DataFrame({"reba": [0, 5, 9], "fuzzy_reba": [1.0, 5.2, 8.7]})
    >>> d = posture_peaks(p, [0.0, 0.1, 0.2])
    >>> d["peak_reba"], d["peak_reba_time_s"], d["peak_reba_level"]
    (9.0, 0.2, 'high')
    """
    reba_v = posture["reba"].where(posture["reba"] > 0).to_numpy(float)
    peak_r, t_r = peak(reba_v, time_s)
    peak_f, t_f = peak(posture["fuzzy_reba"].to_numpy(float), time_s)
    return {"peak_reba": peak_r, "peak_reba_time_s": t_r,
            "peak_reba_level": str(risk_level(np.array([peak_r]))[0]) if np.isfinite(peak_r) else "",
            "peak_fuzzy_reba": peak_f, "peak_fuzzy_reba_time_s": t_f}
