"""Scaling: the model's lengths measured on a calibration trial's joint centres.

The calibration trial is the static trial when there is one (mocap), otherwise the
recording itself. Each length is the **median over confident frames** (both end points
seen with confidence >= ``min_confidence``, or every finite frame when the source gives no
confidence) of a per-frame distance; medians ignore the few frames where a detector swaps
or misplaces a point. Left and right limb lengths are averaged (a symmetric model).
Lengths that the data cannot give keep their generic value times the median scale factor
of the measured longitudinal lengths. Offsets inside the pelvis and thorax (L5/S1, C7 and
shoulder centres) are medians of their coordinates in the pelvis and trunk frames of
`liftrisk.kinematics.frames` (same definitions as the rest of liftrisk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.bodymodel.model import SIGNED_LENGTHS, ModelGeometry, generic_geometry
from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.kinematics.frames import segment_frames
from liftrisk.kinematics.joint_centres import EXTRAPOLATED_KEY

__all__ = ["LengthMeasurement", "ScalingReport", "scale_geometry"]

_LIMBS = {"upper_arm": ("shoulder", "elbow"), "forearm": ("elbow", "wrist"), "hand": ("wrist", "hand"),
          "thigh": ("hip", "knee"), "shank": ("knee", "ankle"), "foot_length": ("heel", "toe")}
_LONGITUDINAL = ("upper_arm", "forearm", "thigh", "shank", "trunk_length", "head_length")


@dataclass(frozen=True)
class LengthMeasurement:
    """A measured model length.

    Attributes
    ----------
    value_m : float
        Median over the frames used, m.
    iqr_m : float
        Inter-quartile range, m.
    n_frames : int
        Frames (times sides) used.
    """

    value_m: float
    iqr_m: float
    n_frames: int


@dataclass(frozen=True)
class ScalingReport:
    """What scaling measured and how the generic model changed.

    Attributes
    ----------
    geometry : ModelGeometry
        The scaled lengths.
    measured : dict name -> LengthMeasurement
    scale_factors : dict name -> float
        Scaled over generic length (1.0 where not measured and not rescaled).
    calibration : str
        ``"static trial"`` or ``"recording"``.
    """

    geometry: ModelGeometry
    measured: dict
    scale_factors: dict
    calibration: str


def _ok(motion: Motion, names, min_conf: float) -> np.ndarray:
    ok = np.ones(motion.n_frames, bool)
    for n in names:
        ok &= np.isfinite(motion[n]).all(axis=1)
        if motion.confidence is not None:
            ok &= motion.point_confidence(n) >= min_conf
    return ok


def _measure(values: list[np.ndarray]) -> LengthMeasurement | None:
    v = np.concatenate([np.asarray(x, float).ravel() for x in values]) if values else np.array([])
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return LengthMeasurement(float(med), float(q3 - q1), int(v.size))


def _local(points: np.ndarray, frames: np.ndarray) -> np.ndarray:
    return np.einsum("tji,tj->ti", frames[:, :3, :3], points - frames[:, :3, 3])


def scale_geometry(joint_centres: Motion, subject: Subject, *, min_confidence: float = 0.5,
                   calibration: str = "recording") -> ScalingReport:
    """Model lengths measured on canonical joint centres.

    Parameters
    ----------
    joint_centres : Motion
        Canonical points (`liftrisk.kinematics.joint_centres`), m, Z-up world frame.
    subject : Subject
        Generic lengths for what the data cannot measure.
    min_confidence : float
        Frames where an end point's confidence is lower are not used.
    calibration : str
        Label of the trial (reported).

    Returns
    -------
    ScalingReport

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> r = scale_geometry(neutral_body(), Subject("male", 80.0, 1.78))
    >>> r.geometry.thigh == r.measured["thigh"].value_m
    True
    """
    jc = joint_centres
    generic = generic_geometry(subject)
    extrapolated = set(jc.meta.get(EXTRAPOLATED_KEY, ()))
    measured: dict[str, LengthMeasurement] = {}

    def dist(a, b):
        if not jc.has(a, b) or a in extrapolated or b in extrapolated:
            return None
        ok = _ok(jc, (a, b), min_confidence)
        return np.linalg.norm(jc[a] - jc[b], axis=1)[ok]

    for name, (a, b) in _LIMBS.items():
        vals = [d for s in ("l", "r") if (d := dist(f"{s}_{a}", f"{s}_{b}")) is not None and d.size]
        if (m := _measure(vals)) is not None:
            measured[name] = m
    if (d := dist("l_hip", "r_hip")) is not None and (m := _measure([d])) is not None:
        measured["hip_width"] = m
    if (d := dist("neck", "head")) is not None and (m := _measure([d])) is not None:
        measured["head_length"] = m
    # foot: ankle relative to the heel -> toe line
    along, up = [], []
    for s in ("l", "r"):
        if jc.has(f"{s}_heel", f"{s}_toe", f"{s}_ankle"):
            ok = _ok(jc, (f"{s}_heel", f"{s}_toe", f"{s}_ankle"), min_confidence)
            x = jc[f"{s}_toe"][ok] - jc[f"{s}_heel"][ok]
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            a = jc[f"{s}_ankle"][ok] - jc[f"{s}_heel"][ok]
            al = np.sum(a * x, axis=1)
            along.append(al)
            up.append(np.linalg.norm(a - al[:, None] * x, axis=1))
    if along and (m := _measure(along)) is not None:
        measured["heel_back"] = m
        measured["ankle_height"] = _measure(up)
    # pelvis and thorax offsets in liftrisk's segment frames
    if jc.has("l_hip", "r_hip", "l5s1", "neck"):
        fr = segment_frames(jc, ["pelvis", "trunk"])
        ok = _ok(jc, ("l_hip", "r_hip", "l5s1", "neck"), min_confidence)
        l5 = _local(jc["l5s1"], fr["pelvis"])[ok]
        measured["l5s1_forward"] = _measure([l5[:, 0]])
        measured["l5s1_up"] = _measure([l5[:, 2]])
        measured["trunk_length"] = _measure([np.linalg.norm(jc["neck"] - jc["l5s1"], axis=1)[ok]])
        measured["neck_forward"] = LengthMeasurement(0.0, 0.0, int(ok.sum()))  # trunk z passes through C7
        if jc.has("l_shoulder", "r_shoulder"):
            ok2 = ok & _ok(jc, ("l_shoulder", "r_shoulder"), min_confidence)
            ls, rs = _local(jc["l_shoulder"], fr["trunk"])[ok2], _local(jc["r_shoulder"], fr["trunk"])[ok2]
            measured["shoulder_width"] = _measure([np.linalg.norm(ls - rs, axis=1)])
            measured["shoulder_forward"] = _measure([0.5 * (ls[:, 0] + rs[:, 0])])
            down = measured["trunk_length"].value_m - 0.5 * (ls[:, 2] + rs[:, 2])
            measured["shoulder_down"] = _measure([down])
    # a non-positive length (points collapsed or swapped in most frames) is not a measurement
    measured = {k: v for k, v in measured.items() if v is not None and (k in SIGNED_LENGTHS or v.value_m > 0)}
    g_dict = generic.as_dict()
    ratios = [measured[k].value_m / g_dict[k] for k in _LONGITUDINAL if k in measured]
    overall = float(np.median(ratios)) if ratios else 1.0
    values = {k: v.value_m for k, v in measured.items()}
    for k, v in g_dict.items():
        if k not in values:
            values[k] = v * overall
    geometry = generic.scaled(**values)
    geometry = ModelGeometry(**{**geometry.as_dict()}, unscaled=tuple(k for k in g_dict if k not in measured))
    factors = {k: (values[k] / g_dict[k] if g_dict[k] != 0 else 1.0) for k in g_dict}
    return ScalingReport(geometry=geometry, measured=measured, scale_factors=factors, calibration=calibration)
