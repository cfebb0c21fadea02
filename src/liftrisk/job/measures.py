"""What the job-level methods need from each detected lift of an assessment.

`lift_measures(assessment)` reads a finished assessment (any object with the attributes of
`liftrisk.pipeline.Assessment`: ``motion``, ``lifts``, ``kinetics``, ``lower``,
``angles_rad``, ``subject``, ``hand_load``) and returns one `LiftMeasure` per lift, all in
SI units: the load, the RNLE origin/destination geometry, the maximum horizontal distance
from L5/S1 to the hands' mid-point while the load is held (LiFFT's lever arm, Gallagher
2017 sec. 2.2), the peak L5/S1 extension moment and peak shoulder moments while held
(inverse dynamics), the maximum horizontal shoulder-to-hand distance of each side (the
Shoulder Tool's lever arm) and the lowest percent capable of each hip, knee and ankle
(`liftrisk.job.capable`). Horizontal = in the world XY plane (Z up).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from liftrisk.job.capable import percent_capable
from liftrisk.kinematics.lift_events import hands_midpoint

__all__ = ["LiftMeasure", "capable_timeseries", "lift_measures"]


@dataclass(frozen=True)
class LiftMeasure:
    """One measured lift (SI; angles in degrees at this edge, as RNLE's A).

    Attributes
    ----------
    recording : str
        The recording it comes from.
    index : int
        Number of the lift in the recording (0-based).
    kind : str
        ``"lift"`` or ``"lower"``.
    grasp_s, release_s : float
        When the hands hold the load (s).
    load_kg : float
        Load (kg).
    origin, destination : tuple
        (h_m, v_m, a_deg) at the origin and destination (m, m, deg).
    d_m : float
        Vertical travel distance (m).
    max_l5s1_to_hands_m : float
        Largest horizontal L5/S1 -> hands distance while held (m).
    peak_l5s1_moment_nm : float
        Peak L5/S1 moment while held (N·m).
    peak_shoulder_moment_nm : dict
        {"left": N·m, "right": N·m}.
    max_shoulder_to_hand_m : dict
        {"left": m, "right": m}.
    min_percent_capable : dict
        Joint -> lowest % of workers capable (0-100).
    max_h_m : float
        Largest horizontal mid-ankles -> hands distance while held (m; LM-MMH H).

    Examples
    --------
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0,
    ...                 min_percent_capable={"r_hip": 80.0, "l_knee": 95.0})
    >>> m.worst_joint, LiftMeasure.from_dict(m.to_dict()) == m
    (('r_hip', 80.0), True)
    """

    recording: str
    index: int
    kind: str
    grasp_s: float
    release_s: float
    load_kg: float
    origin: tuple            # (h_m, v_m, a_deg)
    destination: tuple       # (h_m, v_m, a_deg)
    d_m: float
    max_l5s1_to_hands_m: float
    peak_l5s1_moment_nm: float
    peak_shoulder_moment_nm: dict = field(default_factory=dict)      # {"left": N·m, "right": N·m}
    max_shoulder_to_hand_m: dict = field(default_factory=dict)       # {"left": m, "right": m}
    min_percent_capable: dict = field(default_factory=dict)          # {"r_knee": %, ...}
    max_h_m: float = float("nan")  # largest horizontal mid-ankles -> hands distance while held (LM-MMH H)

    @property
    def lm_mmh_h_m(self) -> float:
        """H for the LM-MMH equations: the largest H while the load is held (Potvin et al. 2021
        allow the mean or the maximum H of a lift), else the larger of origin and destination H."""
        return self.max_h_m if math.isfinite(self.max_h_m) else max(self.origin[0], self.destination[0])

    @property
    def worst_joint(self) -> tuple[str, float]:
        """(joint, percent capable) of the joint with the lowest percent capable, or ("", nan)."""
        vals = {k: v for k, v in self.min_percent_capable.items() if v is not None and math.isfinite(v)}
        if not vals:
            return "", float("nan")
        k = min(vals, key=vals.get)
        return k, vals[k]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["origin"], d["destination"] = list(self.origin), list(self.destination)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> LiftMeasure:
        """Inverse of `to_dict` (e.g. from a stored assessment summary)."""
        d = dict(d)
        d["origin"], d["destination"] = tuple(d["origin"]), tuple(d["destination"])
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


def _window(lift) -> tuple[float, float]:
    g = lift.grasp_s if np.isfinite(lift.grasp_s) else lift.origin.time_s
    r = lift.release_s if np.isfinite(lift.release_s) else lift.destination.time_s
    return float(g), float(r)


def _nanmax(x) -> float:
    x = np.asarray(x, float)
    return float(np.nanmax(x)) if np.isfinite(x).any() else float("nan")


def _nanmin(x) -> float:
    x = np.asarray(x, float)
    return float(np.nanmin(x)) if np.isfinite(x).any() else float("nan")


def capable_timeseries(a) -> pd.DataFrame:
    """Percent capable (0-100) of every hip, knee and ankle at every frame of an assessment.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time_s``; ``<side>_<joint>_percent_capable`` columns (none when the
        assessment has no lower-body moments).

    Parameters
    ----------
    a : Assessment
        A finished assessment (with bottom-up lower-body moments for any column).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> from liftrisk.pipeline import assess_motion
    >>> ts = capable_timeseries(assess_motion(demo_posture(30), Subject("male", 80, 1.78), 10.0))
    >>> ts.index.name
    'time_s'
    """
    out = _capable_table(a)
    out.index = pd.Index(np.asarray(a.motion.time_s, float), name="time_s")
    return out


def _capable_table(a) -> pd.DataFrame:
    lower = getattr(a, "lower", None)
    if lower is None:
        return pd.DataFrame(index=np.asarray(a.motion.time_s, float))
    cols = [c for c in lower.columns if c.endswith(("hip_extension_moment_nm", "knee_extension_moment_nm",
                                                    "ankle_plantarflexion_moment_nm"))]
    ang = {}
    angles = getattr(a, "angles_rad", None)
    if angles is not None:
        ang = {f"{s}_{j}": angles[f"{s}_{c}"].to_numpy() for s in ("l", "r")
               for j, c in (("hip", "hip_flexion"), ("knee", "knee_flexion"), ("ankle", "ankle_dorsiflexion"))
               if f"{s}_{c}" in angles}
    return percent_capable(lower[cols].set_axis(np.asarray(a.motion.time_s)), a.subject, angles_rad=ang)


def lift_measures(a, recording: str = "") -> list[LiftMeasure]:
    """One `LiftMeasure` per rated lift of an assessment (see module docstring).

    Parameters
    ----------
    a : Assessment
        A finished assessment (`liftrisk.pipeline`).
    recording : str
        Name stored with each measure (default: the assessment's source).

    Returns
    -------
    list of LiftMeasure
        One per rated lift, in order.

    Examples
    --------
    >>> from liftrisk.pipeline import assess_motion
    >>> from liftrisk.synthetic import synthetic_lift
    >>> from liftrisk.core import Subject
    >>> s = Subject("male", 80, 1.78)
    >>> a = assess_motion(synthetic_lift(s), s, 10.0)
    >>> m = lift_measures(a)
    >>> len(m) == len(a.lifts), m[0].load_kg
    (True, 10.0)
    """
    t = np.asarray(a.motion.time_s, float)
    hands = hands_midpoint(a.motion)
    l5 = a.motion["l5s1"]
    horiz = np.linalg.norm((hands - l5)[:, :2], axis=1)
    names = set(a.motion.point_names)
    if {"l_ankle", "r_ankle"} <= names:
        h_nio = np.linalg.norm((hands - 0.5 * (a.motion["l_ankle"] + a.motion["r_ankle"]))[:, :2], axis=1)
    else:
        h_nio = np.full(t.size, np.nan)
    sh_reach = {side: np.linalg.norm((a.motion[f"{s}_hand" if f"{s}_hand" in a.motion.point_names
                                                else f"{s}_wrist"] - a.motion[f"{s}_shoulder"])[:, :2], axis=1)
                for side, s in (("left", "l"), ("right", "r"))}
    kin = a.kinetics
    m_l5 = kin["l5s1_extension_moment_nm"].to_numpy(float) if "l5s1_extension_moment_nm" in kin else np.full(t.size,
                                                                                                             np.nan)
    m_sh = {side: (np.abs(kin[f"{s}_shoulder_flexion_moment_nm"].to_numpy(float))
                   if f"{s}_shoulder_flexion_moment_nm" in kin else np.full(t.size, np.nan))
            for side, s in (("left", "l"), ("right", "r"))}
    cap = _capable_table(a)
    load = float(a.hand_load.box_mass_kg) if getattr(a, "hand_load", None) is not None else 0.0
    out = []
    for la in a.lifts:
        lift = la.lift
        g, r = _window(lift)
        w = (t >= g) & (t <= r)
        if not w.any():
            w = np.abs(t - lift.origin.time_s) == np.min(np.abs(t - lift.origin.time_s))
        o, d = lift.origin, lift.destination
        out.append(LiftMeasure(
            recording=recording or str(getattr(a, "source", "")), index=int(la.index), kind=lift.kind,
            grasp_s=g, release_s=r, load_kg=load,
            origin=(float(o.h_m), float(o.v_m), float(o.a_deg)),
            destination=(float(d.h_m), float(d.v_m), float(d.a_deg)), d_m=float(lift.d_m),
            max_l5s1_to_hands_m=_nanmax(horiz[w]), peak_l5s1_moment_nm=_nanmax(m_l5[w]), max_h_m=_nanmax(h_nio[w]),
            peak_shoulder_moment_nm={k: _nanmax(v[w]) for k, v in m_sh.items()},
            max_shoulder_to_hand_m={k: _nanmax(v[w]) for k, v in sh_reach.items()},
            min_percent_capable={c.removesuffix("_percent_capable"): _nanmin(cap[c].to_numpy()[w])
                                 for c in cap.columns}))
    return out
