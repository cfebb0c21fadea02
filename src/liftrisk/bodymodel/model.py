"""The full-body rigid-segment model: bodies, joints, coordinates, limits and inertia.

Frames: in the model's neutral posture (every coordinate 0: standing upright, arms hanging
with the palms forward, feet flat) every body frame equals the world frame: **X forward,
Y to the subject's left, Z up** (liftrisk's world convention). A body's origin is its
proximal joint centre. Each joint turns its child about axes fixed in the parent frame in
a body-fixed (intrinsic) sequence: ``R_child = R_parent R(a1, q1) R(a2, q2) R(a3, q3)``,
child origin ``o_child = o_parent + R_parent offset``. Coordinates are positive in the
anatomical direction named in ``data/bodymodel/joint_limits.csv`` for both sides (the
right side's ab/adduction and rotation axes are mirrored).

Bodies (parent -> child, joint, coordinates):

==========  =========  ==========  ===============================================================
body        parent     joint at    coordinates
==========  =========  ==========  ===============================================================
pelvis      ground     mid-hip     free: pelvis_tx/ty/tz (m), pelvis_rotation (z), pelvis_tilt (y),
                                   pelvis_list (x) (intrinsic Z-Y-X)
torso       pelvis     L5/S1       lumbar_flexion, lumbar_bending, lumbar_rotation
head        torso      C7 (neck)   neck_flexion, neck_bending, neck_rotation
upper_arm   torso      shoulder    shoulder_flexion, shoulder_abduction, shoulder_rotation
forearm     upper_arm  elbow       elbow_flexion, forearm_pronation
hand        forearm    wrist       wrist_flexion, wrist_deviation
thigh       pelvis     hip         hip_flexion, hip_adduction, hip_rotation
shank       thigh      knee        knee_flexion
foot        shank      ankle       ankle_dorsiflexion, subtalar_inversion
==========  =========  ==========  ===============================================================

Limb bodies are prefixed ``l_``/``r_``, so are their coordinates: 6 root + 32 joint coordinates.

Lengths (`ModelGeometry`, m): segment lengths from de Leva (1996) Table 1 reference lengths
(via the Table 4 rows of ``data/kinetics/de_leva_1996_table4.csv``) scaled by stature
(de Leva's reference statures 1.741 m male, 1.735 m female: the mean statures of
Zatsiorsky's samples that his lengths describe); widths, foot heights and the shoulder and
L5/S1 offsets are not in de Leva: the generic model carries placeholder values for them
(flagged in `ModelGeometry.unscaled`) that `liftrisk.bodymodel.scaling` replaces with
values measured on the recording.

Inertia: every body carries de Leva's mass, centre of mass and principal moments of the
segment(s) it stands for (`liftrisk.kinetics.segments`), so that the model, its .osim
export and liftrisk's Newton-Euler use the same parameters; the thorax is de Leva's upper
+ middle trunk (combined with the parallel-axis theorem), the pelvis de Leva's lower trunk.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import SIDES
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.segments import de_leva_table, principal_axes, segment_parameters

__all__ = ["Coordinate", "Joint", "Body", "ModelGeometry", "BodyModel", "build_model", "joint_limits_deg",
           "generic_geometry", "LANDMARKS", "ROOT_COORDINATES"]

# de Leva 1996: mean statures of the samples his Table 1 lengths describe (m).
DE_LEVA_STATURE_M = MappingProxyType({"male": 1.741, "female": 1.735})
ROOT_COORDINATES = ("pelvis_tx", "pelvis_ty", "pelvis_tz", "pelvis_rotation", "pelvis_tilt", "pelvis_list")
_X, _Y, _Z = np.eye(3)


@lru_cache(maxsize=1)
def joint_limits_deg() -> MappingProxyType:
    """Normal range of motion per coordinate kind, degrees (38 CFR 4.71a; see the data file).

    Returns
    -------
    mapping
        ``kind -> (lower_deg, upper_deg)``, kinds without the side prefix
        (``"hip_flexion"``).

    Examples
    --------
    >>> joint_limits_deg()["knee_flexion"]
    (0.0, 140.0)
    """
    path = resources.files("liftrisk") / "data" / "bodymodel" / "joint_limits.csv"
    with path.open("r", encoding="utf-8") as fh:
        return MappingProxyType({r["coordinate"]: (float(r["lower_deg"]), float(r["upper_deg"]))
                                 for r in csv.DictReader(fh)})


@dataclass(frozen=True)
class Coordinate:
    """One rotational degree of freedom of a joint.

    Attributes
    ----------
    name : str
        ``"l_hip_flexion"``, ``"lumbar_flexion"``, ...
    kind : str
        The name without side prefix (key of `joint_limits_deg`).
    axis : array (3,)
        Unit axis in the frame rotated by the joint's previous coordinates (parent frame
        for the first one).
    lower_rad, upper_rad : float
        Normal range of motion, rad.
    """

    name: str
    kind: str
    axis: tuple
    lower_rad: float
    upper_rad: float


@dataclass(frozen=True)
class Joint:
    """A joint: the child body turns about its coordinates at ``offset_m`` in the parent frame.

    Attributes
    ----------
    name, parent, child : str
        Joint, parent body and child body names.
    offset_m : tuple (3,)
        Joint centre in the parent frame, m.
    coordinates : tuple of Coordinate
        Rotations in body-fixed order.
    """

    name: str
    parent: str
    child: str
    offset_m: tuple
    coordinates: tuple


@dataclass(frozen=True)
class Body:
    """A rigid body with de Leva inertia.

    Attributes
    ----------
    name : str
    mass_kg : float
    com_m : tuple (3,)
        Centre of mass in the body frame, m.
    inertia_kgm2 : tuple (3, 3)
        Inertia tensor about the CoM in the body frame, kg m^2.
    segments : tuple of str
        de Leva segments it stands for (`liftrisk.kinetics.segments` names).
    """

    name: str
    mass_kg: float
    com_m: tuple
    inertia_kgm2: tuple  # (3, 3) nested tuple about the CoM, body frame
    segments: tuple  # de Leva segments it stands for (liftrisk.kinetics.segments names)


@dataclass(frozen=True)
class ModelGeometry:
    """Lengths that define the skeleton, m (see the module docstring).

    Attributes
    ----------
    hip_width, l5s1_up, l5s1_forward, trunk_length, neck_forward, shoulder_width, shoulder_down, \
shoulder_forward, head_length, upper_arm, forearm, hand, thigh, shank, ankle_height, heel_back, foot_length : float
        Lengths and offsets in m (comments beside the fields say where each is measured).
    unscaled : tuple of str
        The fields still at their generic (placeholder or de Leva) value.
    """

    hip_width: float
    l5s1_up: float        # L5/S1 above the mid-hip, pelvis frame z
    l5s1_forward: float   # L5/S1 ahead of the mid-hip, pelvis frame x (negative: behind)
    trunk_length: float   # L5/S1 -> C7 (neck), torso z
    neck_forward: float   # C7 ahead of L5/S1, torso x
    shoulder_width: float
    shoulder_down: float  # shoulder centres below C7, torso z
    shoulder_forward: float  # shoulder centres ahead of C7, torso x
    head_length: float    # C7 -> vertex
    upper_arm: float
    forearm: float
    hand: float           # wrist -> 3rd metacarpal head
    thigh: float
    shank: float          # knee -> ankle centre
    ankle_height: float   # ankle centre above the sole (heel and toe points)
    heel_back: float      # heel point behind the ankle
    foot_length: float    # heel -> toe tip
    unscaled: tuple = ()

    def scaled(self, **values: float) -> ModelGeometry:
        """A copy with some lengths replaced (removed from ``unscaled``)."""
        bad = [k for k, v in values.items() if not (np.isfinite(v) and (v > 0 or k in SIGNED_LENGTHS))]
        if bad:
            raise DataQualityError(f"model lengths {bad} must be finite and positive; got "
                                   f"{ {k: values[k] for k in bad} }")
        return replace(self, **values, unscaled=tuple(u for u in self.unscaled if u not in values))

    def as_dict(self) -> dict[str, float]:
        """Lengths by name, m."""
        return {k: float(getattr(self, k)) for k in _LENGTHS}


SIGNED_LENGTHS = ("l5s1_forward", "neck_forward", "shoulder_forward", "shoulder_down", "heel_back")
_LENGTHS = tuple(f for f in ModelGeometry.__dataclass_fields__ if f != "unscaled")
# de Leva rows for the longitudinal lengths (Table 4 reference lengths = Table 1)
_DE_LEVA_LENGTHS = {
    "head_length": ("head_alt",), "trunk_length": ("upper_trunk_UPT_alt", "middle_trunk_MPT"),
    "l5s1_up": ("lower_trunk_LPT",), "upper_arm": ("upper_arm",), "forearm": ("forearm",), "hand": ("hand",),
    "thigh": ("thigh",), "shank": ("shank_alt_AJC",), "foot_length": ("foot",),
}
# Placeholders (fractions of stature) for what de Leva does not give; scaling replaces them.
# NOT literature values: round figures of an adult so that an unscaled model looks human.
_PLACEHOLDER_FRACTION_OF_STATURE = {
    "hip_width": 0.10, "l5s1_forward": -0.02, "neck_forward": -0.03, "shoulder_width": 0.20,
    "shoulder_down": 0.03, "shoulder_forward": 0.03, "ankle_height": 0.045, "heel_back": 0.03,
}


def generic_geometry(subject: Subject) -> ModelGeometry:
    """Generic lengths for a subject's sex and stature (before scaling to data).

    Parameters
    ----------
    subject : Subject
        Sex and stature (m).

    Returns
    -------
    ModelGeometry
        de Leva lengths scaled by stature; placeholders listed in ``unscaled``.

    Examples
    --------
    >>> g = generic_geometry(Subject("male", 80.0, 1.741))
    >>> round(g.thigh, 4), "hip_width" in g.unscaled
    (0.4222, True)
    """
    tab = de_leva_table()
    k = subject.height_m / DE_LEVA_STATURE_M[subject.sex]
    vals = {name: k * sum(tab[(r, subject.sex)]["ref_segment_length_m"] for r in rows)
            for name, rows in _DE_LEVA_LENGTHS.items()}
    vals.update({name: f * subject.height_m for name, f in _PLACEHOLDER_FRACTION_OF_STATURE.items()})
    return ModelGeometry(**vals, unscaled=_LENGTHS)


# Landmarks: named points fixed in a body, as functions of the geometry (body frame, m).
# Canonical liftrisk joint-centre names plus the body origins.
def _landmarks(g: ModelGeometry) -> dict[str, tuple[str, np.ndarray]]:
    out = {
        "mid_hip": ("pelvis", np.zeros(3)),
        "l5s1": ("torso", np.zeros(3)),
        "neck": ("head", np.zeros(3)),
        "head": ("head", np.array([0.0, 0.0, g.head_length])),
    }
    for s in SIDES:
        out[f"{s}_shoulder"] = (f"{s}_upper_arm", np.zeros(3))
        out[f"{s}_elbow"] = (f"{s}_forearm", np.zeros(3))
        out[f"{s}_wrist"] = (f"{s}_hand", np.zeros(3))
        out[f"{s}_hand"] = (f"{s}_hand", np.array([0.0, 0.0, -g.hand]))
        out[f"{s}_hip"] = (f"{s}_thigh", np.zeros(3))
        out[f"{s}_knee"] = (f"{s}_shank", np.zeros(3))
        out[f"{s}_ankle"] = (f"{s}_foot", np.zeros(3))
        out[f"{s}_heel"] = (f"{s}_foot", np.array([-g.heel_back, 0.0, -g.ankle_height]))
        out[f"{s}_toe"] = (f"{s}_foot", np.array([g.foot_length - g.heel_back, 0.0, -g.ankle_height]))
    return out


LANDMARKS = ("head", "neck", "l5s1", "mid_hip", *(f"{s}_{p}" for p in (
    "shoulder", "elbow", "wrist", "hand", "hip", "knee", "ankle", "heel", "toe") for s in SIDES))


def _coord(side: str, kind: str, axis: np.ndarray) -> Coordinate:
    lo, hi = joint_limits_deg()[kind]
    name = f"{side}_{kind}" if side else kind
    return Coordinate(name, kind, tuple(float(a) for a in axis), float(np.deg2rad(lo)), float(np.deg2rad(hi)))


def _joints(g: ModelGeometry) -> tuple[Joint, ...]:
    js = [
        Joint("lumbar", "pelvis", "torso", (g.l5s1_forward, 0.0, g.l5s1_up),
              (_coord("", "lumbar_flexion", _Y), _coord("", "lumbar_bending", -_X), _coord("", "lumbar_rotation", _Z))),
        Joint("neck", "torso", "head", (g.neck_forward, 0.0, g.trunk_length),
              (_coord("", "neck_flexion", _Y), _coord("", "neck_bending", -_X), _coord("", "neck_rotation", _Z))),
    ]
    for s, sg in (("l", 1.0), ("r", -1.0)):
        js += [
            Joint(f"{s}_shoulder", "torso", f"{s}_upper_arm",
                  (g.neck_forward + g.shoulder_forward, sg * g.shoulder_width / 2, g.trunk_length - g.shoulder_down),
                  (_coord(s, "shoulder_flexion", -_Y), _coord(s, "shoulder_abduction", sg * _X),
                   _coord(s, "shoulder_rotation", -sg * _Z))),
            Joint(f"{s}_elbow", f"{s}_upper_arm", f"{s}_forearm", (0.0, 0.0, -g.upper_arm),
                  (_coord(s, "elbow_flexion", -_Y), _coord(s, "forearm_pronation", -sg * _Z))),
            Joint(f"{s}_wrist", f"{s}_forearm", f"{s}_hand", (0.0, 0.0, -g.forearm),
                  (_coord(s, "wrist_flexion", -_Y), _coord(s, "wrist_deviation", sg * _X))),
            Joint(f"{s}_hip", "pelvis", f"{s}_thigh", (0.0, sg * g.hip_width / 2, 0.0),
                  (_coord(s, "hip_flexion", -_Y), _coord(s, "hip_adduction", -sg * _X),
                   _coord(s, "hip_rotation", -sg * _Z))),
            Joint(f"{s}_knee", f"{s}_thigh", f"{s}_shank", (0.0, 0.0, -g.thigh), (_coord(s, "knee_flexion", _Y),)),
            Joint(f"{s}_ankle", f"{s}_shank", f"{s}_foot", (0.0, 0.0, -g.shank),
                  (_coord(s, "ankle_dorsiflexion", -_Y), _coord(s, "subtalar_inversion", -sg * _X))),
        ]
    return tuple(js)


@dataclass(frozen=True)
class BodyModel:
    """A subject's full-body model (see the module docstring for frames and coordinates).

    Attributes
    ----------
    subject : Subject
    geometry : ModelGeometry
    joints : tuple of Joint
        In topological order (parents before children); the pelvis is the root.
    bodies : mapping
        Body name -> `Body` (de Leva inertia).
    markers : mapping
        Marker name -> (body, (3,) local position in m).
    marker_set : str
        Name of the skeleton / marker set whose markers the model carries.
    """

    subject: Subject
    geometry: ModelGeometry
    joints: tuple
    bodies: MappingProxyType
    markers: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    marker_set: str = ""

    @property
    def body_names(self) -> tuple[str, ...]:
        """Bodies, root first, parents before children."""
        return ("pelvis", *(j.child for j in self.joints))

    @property
    def coordinates(self) -> tuple[Coordinate, ...]:
        """Joint coordinates (the root's six are `ROOT_COORDINATES`, not in this tuple)."""
        return tuple(c for j in self.joints for c in j.coordinates)

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        """Root coordinates first, then every joint coordinate."""
        return (*ROOT_COORDINATES, *(c.name for c in self.coordinates))

    def landmarks(self) -> dict[str, tuple[str, np.ndarray]]:
        """Canonical joint centres as (body, local position m) - the points liftrisk's
        kinematics and kinetics use downstream."""
        return _landmarks(self.geometry)

    def with_markers(self, markers: dict, marker_set: str | None = None) -> BodyModel:
        """A copy carrying the given markers (name -> (body, (3,) local m))."""
        for name, (body, loc) in markers.items():
            if body not in self.body_names:
                raise DataQualityError(f"marker {name!r} is on unknown body {body!r}; expected one of "
                                       f"{', '.join(self.body_names)}")
            if np.shape(loc) != (3,):
                raise DataQualityError(f"marker {name!r}: local position has shape {np.shape(loc)}; expected (3,)")
        frozen = {n: (b, tuple(float(v) for v in loc)) for n, (b, loc) in markers.items()}
        return replace(self, markers=MappingProxyType(frozen),
                       marker_set=self.marker_set if marker_set is None else marker_set)

    def rescaled(self, geometry: ModelGeometry) -> BodyModel:
        """The same model with new lengths: joints and inertia rebuilt, markers kept."""
        new = build_model(self.subject, geometry)
        return new.with_markers(dict(self.markers), self.marker_set)


def _inertia_bodies(subject: Subject, g: ModelGeometry, joints: tuple[Joint, ...]) -> dict[str, Body]:
    """de Leva masses/CoMs/inertias placed on the neutral model, in each body's frame."""
    # neutral-posture landmark positions in the world (= every body frame orientation)
    origin = {"pelvis": np.zeros(3)}
    for j in joints:
        origin[j.child] = origin[j.parent] + np.asarray(j.offset_m)
    lm = {n: origin[b] + loc for n, (b, loc) in _landmarks(g).items()}
    motion = Motion.from_points({k: v[None, :] for k, v in lm.items()}, rate_hz=1.0, source="neutral model")
    params = segment_parameters(subject)
    frames = principal_axes(motion, params)
    owner = {"head_neck": "head", "upper_trunk": "torso", "middle_trunk": "torso", "lower_trunk": "pelvis"}
    for s in SIDES:
        for n in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot"):
            owner[f"{s}_{n}"] = f"{s}_{n}"
    parts: dict[str, list] = {}
    for seg, p in params.items():
        length = p.length_m(motion)
        com = p.com(motion)[0]
        rot = frames[seg][0]
        inertia = rot @ p.inertia_local(length) @ rot.T
        parts.setdefault(owner[seg], []).append((seg, p.mass_kg, com, inertia))
    bodies = {}
    for body, items in parts.items():
        m = sum(i[1] for i in items)
        com = sum(i[1] * i[2] for i in items) / m
        inertia = np.zeros((3, 3))
        for _, mi, ci, ii in items:
            d = ci - com
            inertia += ii + mi * (np.dot(d, d) * np.eye(3) - np.outer(d, d))
        bodies[body] = Body(body, float(m), tuple(float(v) for v in com - origin[body]),
                            tuple(tuple(float(v) for v in row) for row in inertia),
                            tuple(i[0] for i in items))
    return bodies


def build_model(subject: Subject, geometry: ModelGeometry | None = None) -> BodyModel:
    """The full-body model of a subject (generic lengths unless `geometry` is given).

    Parameters
    ----------
    subject : Subject
        Sex, mass and stature (de Leva masses; generic lengths).
    geometry : ModelGeometry, optional
        Lengths measured on the subject (`liftrisk.bodymodel.scaling`).

    Returns
    -------
    BodyModel
        Without markers; add them with `liftrisk.bodymodel.markersets.attach_markers`.

    Examples
    --------
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> len(m.coordinate_names), round(sum(b.mass_kg for b in m.bodies.values()), 6)
    (38, 80.0)
    """
    if not isinstance(subject, Subject):
        raise DataQualityError(f"build_model needs a liftrisk Subject; got {type(subject).__name__}")
    g = geometry if geometry is not None else generic_geometry(subject)
    joints = _joints(g)
    return BodyModel(subject=subject, geometry=g, joints=joints,
                     bodies=MappingProxyType(_inertia_bodies(subject, g, joints)))
