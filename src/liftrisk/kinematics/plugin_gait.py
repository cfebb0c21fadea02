"""Plug-in Gait joint centres (hip, knee, ankle) as Vicon defines them, without a model file.

Methods and sources (equations, checks and limits in docs/kinematics.md)
------------------------------------------------------------------------
* Hip joint centre: Davis RB, Ounpuu S, Tyburski D, Gage JR (1991) A gait analysis data
  collection and reduction technique. Hum Mov Sci 10:575-587 (the Newington / Helen Hayes
  pelvis regression from leg length, inter-ASIS distance and ASIS-trochanter distance), with
  the constants of Vicon's Plug-in Gait (theta = 0.5 rad, beta = 0.314 rad, and the
  ASIS-trochanter distance 0.1288 LegLength - 48.56 mm when it was not measured), as
  reproduced by the open Plug-in Gait clones: pyCGM2's CGM1 `davisRegression`
  (Leboeuf F et al. (2019) The conventional gait model, an open-source implementation that
  reproduces the past but prepares for the future. Gait Posture 69:235-241) and the Visual3D
  Plug-In Gait tutorial (C-Motion / HAS-Motion wiki, "Helen Hayes Davis pelvis").
* Knee and ankle joint centres: the "chord function" of Plug-in Gait (Vicon Clinical
  Manager; Kadaba MP, Ramakrishnan HK, Wootten ME (1990) Measurement of lower extremity
  kinematics during level walking. J Orthop Res 8:383-392): the joint centre J lies in the
  plane of the wand marker, the proximal joint centre and the lateral joint marker, at the
  distance ``delta = width / 2 + marker diameter / 2`` from the lateral marker, with the
  lateral marker -> J line perpendicular to J -> proximal joint centre.

Subject measurements (mm, as Vicon stores them) come, in this order, from what the caller
gives, the C3D's PROCESSING group (``LLegLength``, ``RKneeWidth``, ...), a static trial
(leg length from its markers, knee / ankle widths from medial markers when it has them), or
the stated defaults below; every value records where it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.frames import pelvis_frames_from_markers, to_global
from liftrisk.kinematics.rotations import unit

__all__ = [
    "DAVIS_1991_PIG", "PIG_DEFAULTS_MM", "PROCESSING_KEY", "PIG_MEASUREMENT_NAMES", "PlugInGaitMeasurements",
    "plugin_gait_measurements", "davis_hip_centres", "chord_joint_centre", "plugin_gait_leg_centres",
]

# Davis et al. 1991 hip regression with Vicon Plug-in Gait's constants (see module docstring):
# C = c_slope * LegLength + c_offset_mm; X_dis = asis_troch_slope * LegLength + asis_troch_offset_mm
# (when not measured); angles in rad. Hip centre in the pelvis frame (x anterior, y left, z up):
#   x = C cos(theta) sin(beta) - (X_dis + r) cos(beta)
#   y = +-(aa - C sin(theta))            (+ left, - right; aa = inter-ASIS distance / 2)
#   z = -C cos(theta) cos(beta) - (X_dis + r) sin(beta)       r = marker radius
DAVIS_1991_PIG = MappingProxyType({
    "c_slope": 0.115, "c_offset_mm": -15.3, "theta_rad": 0.5, "beta_rad": 0.314,
    "asis_troch_slope": 0.1288, "asis_troch_offset_mm": -48.56,
})

# Defaults when nothing was measured. The marker diameter is Vicon's default (14 mm). The knee
# and ankle widths are liftrisk's ASSUMPTION (typical adult sizes, not a published value):
# every millimetre of width error moves the knee / ankle centre 0.5 mm medio-laterally.
# Measure them (calipers, or medial markers in the static trial) and pass them.
PIG_DEFAULTS_MM = MappingProxyType({"marker_diameter": 14.0, "knee_width": 100.0, "ankle_width": 70.0})

# Motion.meta key where `liftrisk.io.read_c3d` stores the C3D's PROCESSING group (name -> number).
PROCESSING_KEY = "processing"

# Vicon subject-measurement names (C3D PROCESSING group) per liftrisk quantity and side.
PIG_MEASUREMENT_NAMES = MappingProxyType({
    "leg_length": {"l": ("LLegLength", "LeftLegLength"), "r": ("RLegLength", "RightLegLength")},
    "knee_width": {"l": ("LKneeWidth", "LeftKneeWidth"), "r": ("RKneeWidth", "RightKneeWidth")},
    "ankle_width": {"l": ("LAnkleWidth", "LeftAnkleWidth"), "r": ("RAnkleWidth", "RightAnkleWidth")},
    "asis_trochanter": {"l": ("LAsisTrocanterDistance", "LeftAsisTrocanterDistance"),
                        "r": ("RAsisTrocanterDistance", "RightAsisTrocanterDistance")},
    "inter_asis": {"": ("InterAsisDistance",)},
    "marker_diameter": {"": ("MarkerDiameter",)},
})

# Marker names of a Plug-in Gait file (Vicon's labels) used here, and common medial-marker labels
# (not part of Plug-in Gait; used only to measure widths in a static trial when present).
_PIG = {"asis": "{S}ASI", "psis": "{S}PSI", "sacr": "SACR", "knee": "{S}KNE", "ankle": "{S}ANK",
        "thigh": "{S}THI", "tibia": "{S}TIB"}
_MEDIAL = {"knee": ("{S}KNM", "{S}MKNE", "{S}KNEM", "{S}MFC", "{S}MEPI"),
           "ankle": ("{S}MED", "{S}MMA", "{S}ANKM", "{S}MMAL", "{S}MANK")}


def _name(pattern: str, side: str) -> str:
    return pattern.replace("{S}", side.upper())


@dataclass(frozen=True)
class PlugInGaitMeasurements:
    """Subject measurements of Plug-in Gait, mm (Vicon's unit), per side ``"l"`` / ``"r"``.

    Attributes
    ----------
    leg_length_mm, knee_width_mm, ankle_width_mm : dict side -> float
    asis_trochanter_mm : dict side -> float or None (None: from the leg length, see
        `DAVIS_1991_PIG`)
    inter_asis_mm : float or None (None: measured on the markers in every frame)
    marker_diameter_mm : float
    sources : dict quantity -> where the value came from ("given", "C3D PROCESSING",
        "static trial", "dynamic trial", "default")

    Examples
    --------
    >>> m = PlugInGaitMeasurements({"l": 900.0, "r": 900.0}, {"l": 100.0, "r": 100.0}, {"l": 70.0, "r": 70.0})
    >>> m.marker_diameter_mm
    14.0
    """

    leg_length_mm: Mapping
    knee_width_mm: Mapping
    ankle_width_mm: Mapping
    asis_trochanter_mm: Mapping = field(default_factory=lambda: {"l": None, "r": None})
    inter_asis_mm: float | None = None
    marker_diameter_mm: float = PIG_DEFAULTS_MM["marker_diameter"]
    sources: Mapping = field(default_factory=dict)

    def notes(self) -> list[str]:
        """One plain-language note on the measurements that were not given (empty when all were).

        Examples
        --------
        >>> n = PlugInGaitMeasurements({"l": 900.0, "r": 900.0}, {"l": 100.0, "r": 100.0}, {"l": 70.0, "r": 70.0},
        ...                            sources={"knee_width": "default"}).notes()
        >>> n[0][:80]
        'Plug-in Gait subject measurements not given: knee width 100/100 mm assumed (lift'

        """
        parts = []
        for q in ("leg_length", "knee_width", "ankle_width"):
            src = self.sources.get(q, "")
            vals = getattr(self, f"{q}_mm")
            v = "/".join(f"{vals[s]:.0f}" for s in ("l", "r") if vals.get(s) is not None)
            if "default" in src:
                parts.append(f"{q.replace('_', ' ')} {v} mm assumed (liftrisk default)")
            elif "dynamic trial" in src:
                parts.append(f"{q.replace('_', ' ')} {v} mm (left/right) measured on the recording's markers "
                             "(ASIS -> knee -> ankle marker path)")
        if not parts:
            return []
        return ["Plug-in Gait subject measurements not given: " + "; ".join(parts) + "; pass the measured values "
                "(--knee-width-mm, --ankle-width-mm, --leg-length-mm) or a static trial"]


def _processing_value(processing: Mapping, names) -> float | None:
    low = {str(k).lower(): v for k, v in processing.items()}
    for n in names:
        v = low.get(n.lower())
        try:
            v = float(np.asarray(v, float).reshape(-1)[0])
        except (TypeError, ValueError, IndexError):
            continue
        if np.isfinite(v) and v > 0:  # Vicon stores 0 for "not measured"
            return v
    return None


def _median_distance(motion: Motion, a: str, b: str) -> float | None:
    if not motion.has(a, b):
        return None
    d = np.linalg.norm(motion[a] - motion[b], axis=1)
    d = d[np.isfinite(d)]
    return float(np.median(d)) * 1000.0 if d.size else None


def _leg_length_from_markers(motion: Motion, side: str) -> float | None:
    asi, kne, ank = (_name(_PIG[k], side) for k in ("asis", "knee", "ankle"))
    a, b = _median_distance(motion, asi, kne), _median_distance(motion, kne, ank)
    return a + b if a is not None and b is not None else None


def _width_from_medial(static: Motion, joint: str, side: str, marker_d: float) -> float | None:
    lat = _name(_PIG[joint], side)
    for med in _MEDIAL[joint]:
        d = _median_distance(static, lat, _name(med, side))
        if d is not None:
            return d - marker_d  # distance between marker centres = bony width + one marker diameter
    return None


def plugin_gait_measurements(motion: Motion, static: Motion | None = None, **given) -> PlugInGaitMeasurements:
    """Plug-in Gait subject measurements for a recording, each with its source.

    Order of precedence: `given` (``leg_length_mm``, ``knee_width_mm``, ``ankle_width_mm``,
    ``asis_trochanter_mm`` as a number or a ``{"l": .., "r": ..}`` dict, ``inter_asis_mm``,
    ``marker_diameter_mm``), the C3D PROCESSING group of `motion` then of `static`
    (``meta["processing"]``), the static trial's markers (leg length = median ASI -> KNE +
    KNE -> ANK distance; knee / ankle width = lateral - medial marker distance minus one
    marker diameter when the static trial has medial markers), the recording's own markers
    (leg length only), and `PIG_DEFAULTS_MM`.

    Parameters
    ----------
    motion : Motion
        Plug-in Gait markers (m, Z-up world frame).
    static : Motion, optional
        Static trial of the same subject.
    **given : float or dict
        Measured values in mm.

    Returns
    -------
    PlugInGaitMeasurements

    Examples
    --------
    >>> pts = {"LASI": [[0, .12, 1.0]], "LKNE": [[0, .1, .55]], "LANK": [[0, .1, .1]]}
    >>> m = Motion.from_points({k: np.array(v, float) for k, v in pts.items()}, rate_hz=1,
    ...                        meta={"processing": {"RLegLength": 880.0}})
    >>> pg = plugin_gait_measurements(m, knee_width_mm=105)
    >>> round(pg.leg_length_mm["l"]), pg.leg_length_mm["r"], pg.knee_width_mm["r"], pg.sources["leg_length"]
    (900, 880.0, 105.0, 'dynamic trial, C3D PROCESSING')
    """
    unknown = set(given) - {"leg_length_mm", "knee_width_mm", "ankle_width_mm", "asis_trochanter_mm",
                            "inter_asis_mm", "marker_diameter_mm"}
    if unknown:
        raise DataQualityError(f"unknown Plug-in Gait measurement(s) {sorted(unknown)}; expected leg_length_mm, "
                               "knee_width_mm, ankle_width_mm, asis_trochanter_mm, inter_asis_mm, marker_diameter_mm")
    procs = [dict(motion.meta.get(PROCESSING_KEY, {}) or {})]
    if static is not None:
        procs.append(dict(static.meta.get(PROCESSING_KEY, {}) or {}))
    sources: dict[str, list] = {}

    def note(q, s):
        sources.setdefault(q, [])
        if s not in sources[q]:
            sources[q].append(s)

    def from_processing(q, side):
        for p in procs:
            v = _processing_value(p, PIG_MEASUREMENT_NAMES[q][side])
            if v is not None:
                return v
        return None

    def one(q, v, side):
        if isinstance(v, Mapping):
            v = v.get(side)
        if v is None:
            return None
        v = float(v)
        if not np.isfinite(v) or v <= 0:
            raise DataQualityError(f"Plug-in Gait {q} is {v} mm; expected a positive length in mm")
        return v

    md = one("marker_diameter", given.get("marker_diameter_mm"), "")
    if md is not None:
        note("marker_diameter", "given")
    else:
        md = from_processing("marker_diameter", "")
        if md is not None:
            note("marker_diameter", "C3D PROCESSING")
        else:
            md = PIG_DEFAULTS_MM["marker_diameter"]
            note("marker_diameter", "default")
    out = {}
    for q in ("leg_length", "knee_width", "ankle_width", "asis_trochanter"):
        out[q] = {}
        for side in ("l", "r"):
            v = one(q, given.get(f"{q}_mm"), side)
            src = "given"
            if v is None:
                v, src = from_processing(q, side), "C3D PROCESSING"
            if v is None and static is not None:
                if q == "leg_length":
                    v = _leg_length_from_markers(static, side)
                elif q in ("knee_width", "ankle_width"):
                    v = _width_from_medial(static, q.split("_")[0], side, md)
                src = "static trial"
            if v is None and q == "leg_length":
                v, src = _leg_length_from_markers(motion, side), "dynamic trial"
            if v is None and q in ("knee_width", "ankle_width"):
                v, src = PIG_DEFAULTS_MM[q], "default"
            if v is None and q != "asis_trochanter":
                names = ", ".join(_name(_PIG[k], side) for k in ("asis", "knee", "ankle"))
                raise DataQualityError(f"{motion.source or 'motion'}: Plug-in Gait {q.replace('_', ' ')} ({side}) is "
                                       f"unknown and the markers {names} are missing; pass leg_length_mm")
            if v is not None:
                note(q, src)
            out[q][side] = v
    ia = one("inter_asis", given.get("inter_asis_mm"), "")
    if ia is not None:
        note("inter_asis", "given")
    else:
        ia = from_processing("inter_asis", "")
        if ia is not None:
            note("inter_asis", "C3D PROCESSING")
    return PlugInGaitMeasurements(out["leg_length"], out["knee_width"], out["ankle_width"], out["asis_trochanter"],
                                  ia, md, {q: ", ".join(s) for q, s in sources.items()})


def _pelvis_frames(r_asis, l_asis, sacrum) -> np.ndarray:
    """(T, 4, 4) Plug-in Gait pelvis frames: origin mid-ASIS, y right -> left ASIS, z normal to the
    ASIS-sacrum plane (up), x = y x z (anterior)."""
    return pelvis_frames_from_markers(r_asis, l_asis, sacrum)


def davis_hip_centres(r_asis, l_asis, sacrum, measurements: PlugInGaitMeasurements) -> tuple[np.ndarray, np.ndarray]:
    """Right and left hip joint centres (T, 3), m, by Davis et al. (1991) as in Plug-in Gait.

    Parameters
    ----------
    r_asis, l_asis, sacrum : (T, 3) arrays
        RASI, LASI and SACR (or the PSIS mid-point), m, world frame.
    measurements : PlugInGaitMeasurements
        Leg length (mm, mean of both sides, as Plug-in Gait), ASIS-trochanter distance
        (measured or 0.1288 LL - 48.56 mm), inter-ASIS distance (measured, or from the
        markers frame by frame), marker diameter.

    Returns
    -------
    right, left : (T, 3) arrays, m

    Examples
    --------
    >>> pg = PlugInGaitMeasurements({"l": 900.0, "r": 900.0}, {"l": 100.0, "r": 100.0}, {"l": 70.0, "r": 70.0})
    >>> r, l = davis_hip_centres([[0, -0.125, 1.0]], [[0, 0.125, 1.0]], [[-0.16, 0, 1.0]], pg)
    >>> np.round(l[0] * 1000, 1).tolist()  # mm: 46.8 back, 82.7 left, 96.6 down (by hand in docs)
    [-46.8, 82.7, 903.4]
    """
    ra, la, sa = (np.atleast_2d(np.asarray(a, float)) for a in (r_asis, l_asis, sacrum))
    k = DAVIS_1991_PIG
    frames = _pelvis_frames(ra, la, sa)
    ll = 0.5 * (measurements.leg_length_mm["l"] + measurements.leg_length_mm["r"])
    c = k["c_slope"] * ll + k["c_offset_mm"]
    aa = (0.5 * measurements.inter_asis_mm if measurements.inter_asis_mm is not None
          else 0.5 * np.linalg.norm(la - ra, axis=1) * 1000.0)
    r = 0.5 * measurements.marker_diameter_mm
    th, be = k["theta_rad"], k["beta_rad"]
    out = []
    for side, sign in (("r", -1.0), ("l", 1.0)):
        xdis = measurements.asis_trochanter_mm.get(side)
        if xdis is None:
            xdis = k["asis_troch_slope"] * measurements.leg_length_mm[side] + k["asis_troch_offset_mm"]
        x = c * np.cos(th) * np.sin(be) - (xdis + r) * np.cos(be)
        y = sign * (aa - c * np.sin(th))
        z = -c * np.cos(th) * np.cos(be) - (xdis + r) * np.sin(be)
        local = np.stack(np.broadcast_arrays(x, y, z), axis=-1).reshape(-1, 3) / 1000.0
        out.append(to_global(np.broadcast_to(local, (len(ra), 3)), frames))
    return out[0], out[1]


def chord_joint_centre(wand, proximal_centre, marker, delta_m) -> np.ndarray:
    """Plug-in Gait's chord function: joint centre J (T, 3), m.

    J lies in the plane of `wand`, `proximal_centre` and `marker`, on the side of the
    proximal-centre -> marker line away from the wand, at distance `delta_m` from `marker`,
    with (J - marker) perpendicular to (proximal_centre - J):
    ``J = c + delta (cos a e + sin a p)``, ``cos a = delta / |b - c|``, where c = marker,
    b = proximal centre, e = unit(b - c), p = unit(n x e), n = unit((wand - c) x (b - c)).

    Parameters
    ----------
    wand : (T, 3) array
        THI (knee) or TIB (ankle) marker, m.
    proximal_centre : (T, 3) array
        Hip (knee) or knee (ankle) joint centre, m.
    marker : (T, 3) array
        KNE or ANK marker, m.
    delta_m : float or (T,) array
        Joint width / 2 + marker diameter / 2, m.

    Returns
    -------
    numpy.ndarray
        (T, 3) joint centre (m, world frame).

    Examples
    --------
    >>> j = chord_joint_centre([[0.0, -0.1, 0.75]], [[0.0, 0.0, 1.0]], [[0.0, -0.05, 0.5]], 0.05)
    >>> np.round(j[0], 4).tolist()   # 5 cm medial of the marker, on a vertical thigh
    [0.0, 0.0, 0.5]
    """
    a, b, c = (np.atleast_2d(np.asarray(v, float)) for v in (wand, proximal_centre, marker))
    d = np.asarray(delta_m, float)
    bc = b - c
    length = np.linalg.norm(bc, axis=-1)
    e = unit(bc)
    n = unit(np.cross(a - c, bc))
    p = np.cross(n, e)
    with np.errstate(invalid="ignore"):
        cos_a = d / length
        sin_a = np.sqrt(1.0 - cos_a ** 2)
    return c + (d * cos_a)[..., None] * e + (d * sin_a)[..., None] * p


def plugin_gait_leg_centres(motion: Motion, measurements: PlugInGaitMeasurements) -> dict[str, np.ndarray]:
    """Hip, knee and ankle joint centres of a Plug-in Gait marker motion (m, world frame).

    Hips by `davis_hip_centres` (needs RASI, LASI and SACR or RPSI+LPSI); knees by the chord
    function of THI, hip centre and KNE with delta = knee width / 2 + marker radius; ankles of
    TIB, knee centre and ANK with the ankle width. Joints whose markers are missing are left
    out (the caller reports them).

    Parameters
    ----------
    motion : Motion
        Plug-in Gait marker trajectories (m, Z-up world frame).
    measurements : PlugInGaitMeasurements
        Leg lengths and knee / ankle widths of the subject (mm).

    Returns
    -------
    dict
        Any of ``r_hip``, ``l_hip``, ``r_knee``, ``l_knee``, ``r_ankle``, ``l_ankle`` -> (T, 3).

    Examples
    --------
    >>> pg = PlugInGaitMeasurements({"l": 900.0, "r": 900.0}, {"l": 100.0, "r": 100.0}, {"l": 70.0, "r": 70.0})
    >>> m = Motion.from_points({"RASI": np.array([[0, -0.125, 1.0]]), "LASI": np.array([[0, 0.125, 1.0]]),
    ...                         "SACR": np.array([[-0.16, 0, 1.0]])}, rate_hz=1)
    >>> sorted(plugin_gait_leg_centres(m, pg))
    ['l_hip', 'r_hip']
    """
    out: dict[str, np.ndarray] = {}
    sac = motion["SACR"] if "SACR" in motion else None
    if sac is None and motion.has("RPSI", "LPSI"):
        sac = 0.5 * (motion["RPSI"] + motion["LPSI"])
    if motion.has("RASI", "LASI") and sac is not None:
        out["r_hip"], out["l_hip"] = davis_hip_centres(motion["RASI"], motion["LASI"], sac, measurements)
    r = 0.5 * measurements.marker_diameter_mm
    for s in ("l", "r"):
        thi, kne, tib, ank = (_name(_PIG[k], s) for k in ("thigh", "knee", "tibia", "ankle"))
        if f"{s}_hip" in out and motion.has(thi, kne):
            delta = (0.5 * measurements.knee_width_mm[s] + r) / 1000.0
            out[f"{s}_knee"] = chord_joint_centre(motion[thi], out[f"{s}_hip"], motion[kne], delta)
        if f"{s}_knee" in out and motion.has(tib, ank):
            delta = (0.5 * measurements.ankle_width_mm[s] + r) / 1000.0
            out[f"{s}_ankle"] = chord_joint_centre(motion[tib], out[f"{s}_knee"], motion[ank], delta)
    return out
