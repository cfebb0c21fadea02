"""The body model as an OpenSim model document (.osim XML, written by liftrisk; no OpenSim needed).

Frames: OpenSim is Y-up (X forward, Y up, Z right); liftrisk is Z-up (X forward, Y left,
Z up). Every vector maps as ``v_osim = C v`` with ``C = [[1, 0, 0], [0, 0, 1], [0, -1, 0]]``
(x, y, z) -> (x, z, -y); inertia tensors as ``C I C^T``. Body frames are liftrisk's body
frames re-expressed this way, so every joint axis maps the same way and every coordinate
keeps its value and sign: a liftrisk IK result is an OpenSim .mot without conversion
(rotations in degrees at the file edge). Joints are OpenSim ``CustomJoint``s whose
``SpatialTransform`` rotations are body-fixed in order (as liftrisk's) with unused axes
completing an orthonormal basis; the pelvis is a 6-DOF ``CustomJoint`` to ground.
The format follows OpenSim 4 model files (Delp et al. 2007; Seth et al. 2018).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from liftrisk.bodymodel.model import BodyModel, build_model, generic_geometry
from liftrisk.core.loads import GroundReaction, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.joint_centres import EXTRAPOLATED_KEY
from liftrisk.kinetics.inverse_dynamics import ground_reactions_per_foot, hand_loads

__all__ = ["Y_UP_FROM_Z_UP", "to_osim_xml", "SCALE_MEASUREMENTS", "SCALE_MARKER_PREFIX", "scaling_model",
           "scale_spec", "measurement_joint_centres", "FOOT_BODIES", "HAND_BODIES", "opensim_loads"]

# OpenSim scaling that measures what liftrisk's scaling measures (`liftrisk.bodymodel.scaling`):
# liftrisk length -> (pairs of canonical points, bodies it scales along X, Y and Z).
# The points are the calibration trial's joint centres, written as virtual markers
# ``JC_<point>`` beside the measured markers; left and right pairs are averaged as liftrisk does.
SCALE_MEASUREMENTS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "hip_width": ((("l_hip", "r_hip"),), ("pelvis",)),
    "trunk_length": ((("l5s1", "neck"),), ("torso",)),
    "head_length": ((("neck", "head"),), ("head",)),
    **{name: (tuple((f"{s}_{a}", f"{s}_{b}") for s in ("l", "r")), (f"l_{body}", f"r_{body}"))
       for name, (a, b, body) in {"upper_arm": ("shoulder", "elbow", "upper_arm"),
                                  "forearm": ("elbow", "wrist", "forearm"), "hand": ("wrist", "hand", "hand"),
                                  "thigh": ("hip", "knee", "thigh"), "shank": ("knee", "ankle", "shank"),
                                  "foot_length": ("heel", "toe", "foot")}.items()},
}
SCALE_MARKER_PREFIX = "JC_"
FOOT_BODIES = {"right": "r_foot", "left": "l_foot"}
HAND_BODIES = {"right": "r_hand", "left": "l_hand"}

Y_UP_FROM_Z_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])


def _v(x) -> str:
    return " ".join(f"{float(a):.10g}" for a in np.asarray(x, float).ravel())


def _os(v) -> np.ndarray:
    return Y_UP_FROM_Z_UP @ np.asarray(v, float)


def _complete(axes: list[np.ndarray]) -> list[np.ndarray]:
    """Three linearly independent axes starting with the given ones."""
    out = [np.asarray(a, float) for a in axes]
    for e in np.eye(3):
        if len(out) == 3:
            break
        m = np.array(out + [e])
        if np.linalg.matrix_rank(m, tol=1e-6) == len(out) + 1:
            out.append(e)
    return out


def _transform_axis(name: str, coord: str, axis) -> str:
    fn = ('<LinearFunction name="function"><coefficients>1 0</coefficients></LinearFunction>' if coord
          else '<Constant name="function"><value>0</value></Constant>')
    return (f'<TransformAxis name="{name}"><coordinates>{coord}</coordinates><axis>{_v(axis)}</axis>'
            f"{fn}</TransformAxis>")


def _coordinate(name: str, lo: float, hi: float) -> str:
    return (f'<Coordinate name="{name}"><default_value>0</default_value><range>{lo:.10g} {hi:.10g}</range>'
            "<clamped>false</clamped><locked>false</locked></Coordinate>")


def _joint(name: str, parent: str, child: str, offset, rot: list[tuple[str, np.ndarray]],
           trans: list[tuple[str, np.ndarray]], coords: list[str]) -> str:
    ppath = "/ground" if parent == "ground" else f"/bodyset/{parent}"
    raxes = _complete([a for _, a in rot])
    rnames = [c for c, _ in rot] + [""] * (3 - len(rot))
    taxes = [a for _, a in trans] or list(np.eye(3))
    tnames = [c for c, _ in trans] + [""] * (3 - len(trans))
    st = "".join(_transform_axis(f"rotation{i + 1}", rnames[i], raxes[i]) for i in range(3))
    st += "".join(_transform_axis(f"translation{i + 1}", tnames[i], taxes[i]) for i in range(3))
    return (f'<CustomJoint name="{name}"><socket_parent_frame>{parent}_offset</socket_parent_frame>'
            f"<socket_child_frame>{child}_offset</socket_child_frame>"
            f"<coordinates>{''.join(coords)}</coordinates><frames>"
            f'<PhysicalOffsetFrame name="{parent}_offset"><socket_parent>{ppath}</socket_parent>'
            f"<translation>{_v(offset)}</translation><orientation>0 0 0</orientation></PhysicalOffsetFrame>"
            f'<PhysicalOffsetFrame name="{child}_offset"><socket_parent>/bodyset/{child}</socket_parent>'
            "<translation>0 0 0</translation><orientation>0 0 0</orientation></PhysicalOffsetFrame>"
            f"</frames><SpatialTransform>{st}</SpatialTransform></CustomJoint>")


def to_osim_xml(model: BodyModel, name: str = "liftrisk_body_model", fixed: Collection[str] = ()) -> str:
    """The model (bodies, joints, coordinates with limits, markers) as OpenSim 4 XML text.

    Parameters
    ----------
    model : BodyModel
        A scaled model with its markers.
    name : str
        Model name in the document.
    fixed : collection of str
        Markers written ``<fixed>true</fixed>`` (OpenSim's MarkerPlacer does not move them).

    Returns
    -------
    str
        The .osim document (write it with `liftrisk.io`); lengths in m, masses in kg,
        coordinate ranges in rad.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.bodymodel.model import build_model
    >>> xml = to_osim_xml(build_model(Subject("male", 80.0, 1.78)))
    >>> xml.count("<Body name="), xml.count("<CustomJoint name=")
    (15, 15)
    """
    bodies = []
    for b in model.body_names:
        body = model.bodies[b]
        inertia = Y_UP_FROM_Z_UP @ np.array(body.inertia_kgm2) @ Y_UP_FROM_Z_UP.T
        six = [inertia[0, 0], inertia[1, 1], inertia[2, 2], inertia[0, 1], inertia[0, 2], inertia[1, 2]]
        bodies.append(f'<Body name="{b}"><mass>{body.mass_kg:.10g}</mass><mass_center>{_v(_os(body.com_m))}'
                      f"</mass_center><inertia>{_v(six)}</inertia></Body>")
    root_rot = [("pelvis_rotation", _os([0, 0, 1.0])), ("pelvis_tilt", _os([0, 1.0, 0])),
                ("pelvis_list", _os([1.0, 0, 0]))]
    root_trans = [("pelvis_tx", _os([1.0, 0, 0])), ("pelvis_ty", _os([0, 1.0, 0])), ("pelvis_tz", _os([0, 0, 1.0]))]
    big = 2 * np.pi
    joints = [_joint("ground_pelvis", "ground", "pelvis", np.zeros(3), root_rot, root_trans,
                     [_coordinate(c, -big, big) for c, _ in root_rot] +
                     [_coordinate(c, -100.0, 100.0) for c, _ in root_trans])]
    for j in model.joints:
        rot = [(c.name, _os(c.axis)) for c in j.coordinates]
        joints.append(_joint(j.name, j.parent, j.child, _os(j.offset_m), rot, [],
                             [_coordinate(c.name, c.lower_rad, c.upper_rad) for c in j.coordinates]))
    markers = "".join(f'<Marker name="{n}"><socket_parent_frame>/bodyset/{b}</socket_parent_frame>'
                      f"<location>{_v(_os(loc))}</location><fixed>{'true' if n in fixed else 'false'}</fixed></Marker>"
                      for n, (b, loc) in model.markers.items())
    s = model.subject
    return ('<?xml version="1.0" encoding="UTF-8" ?>\n<OpenSimDocument Version="40000">'
            f'<Model name="{name}"><credits>liftrisk body model: de Leva (1996) segments, subject {s.sex}, '
            f"{s.mass_kg:g} kg, {s.height_m:g} m</credits><gravity>0 -9.80665 0</gravity>"
            "<length_units>meters</length_units><force_units>N</force_units>"
            '<Ground name="ground"/>'
            f'<BodySet name="bodyset"><objects>{"".join(bodies)}</objects></BodySet>'
            f'<JointSet name="jointset"><objects>{"".join(joints)}</objects></JointSet>'
            f'<MarkerSet name="markerset"><objects>{markers}</objects></MarkerSet>'
            "</Model></OpenSimDocument>\n")


def _body_factors(model: BodyModel, factors: dict[str, float]) -> dict[str, float]:
    """liftrisk's scale factor of each body (the length that `SCALE_MEASUREMENTS` gives it)."""
    out = {b: 1.0 for b in model.body_names}
    for length, (_, bodies) in SCALE_MEASUREMENTS.items():
        for b in bodies:
            out[b] = float(factors.get(length, 1.0))
    return out


# The lengths inside each body that OpenSim's uniform scale of that body scales along with its
# measured length (the key of SCALE_MEASUREMENTS that scales the body comes first).
_BODY_LENGTHS = {"pelvis": ("hip_width", "l5s1_up", "l5s1_forward"),
                 "torso": ("trunk_length", "neck_forward", "shoulder_width", "shoulder_down", "shoulder_forward"),
                 "head": ("head_length",), "upper_arm": ("upper_arm",), "forearm": ("forearm",), "hand": ("hand",),
                 "thigh": ("thigh",), "shank": ("shank",), "foot": ("foot_length", "ankle_height", "heel_back")}


def scaling_model(model: BodyModel, scale_factors: dict[str, float], keep_proportions: bool = False) -> BodyModel:
    """The generic (unscaled) model that OpenSim's ScaleTool starts from.

    liftrisk's generic geometry for the subject (`generic_geometry`; with `keep_proportions`,
    the scaled model's geometry with every length inside a body divided by that body's scale
    factor, so that OpenSim's uniform scaling of the bodies gives liftrisk's model back),
    carrying (a) every
    landmark of `SCALE_MEASUREMENTS` as a virtual marker ``JC_<point>`` at its generic place
    and (b) the measured markers of `model` (the scaled, registered model) at their
    body-frame position divided by their body's liftrisk scale factor (a first guess that
    OpenSim's MarkerPlacer replaces by the static-trial position).

    Parameters
    ----------
    model : BodyModel
        liftrisk's scaled model with its registered markers.
    scale_factors : dict
        liftrisk's scale factors by length name (`ScalingReport.scale_factors`).
    keep_proportions : bool
        Give the generic model the subject's proportions (see above) instead of de Leva's
        with liftrisk's placeholder offsets.

    Returns
    -------
    BodyModel

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> g = scaling_model(m.with_markers({"RKNE": ("r_thigh", np.array([0.0, -0.05, -0.4]))}), {"thigh": 1.1})
    >>> np.round(g.markers["RKNE"][1], 4).tolist(), "JC_r_knee" in g.markers
    ([0.0, -0.0455, -0.3636], True)
    """
    if keep_proportions:
        g = model.geometry
        vals = {n: getattr(g, n) / float(scale_factors.get(lengths[0], 1.0))
                for lengths in _BODY_LENGTHS.values() for n in lengths}
        generic = build_model(model.subject, g.scaled(**vals))
    else:
        generic = build_model(model.subject, generic_geometry(model.subject))
    lm = generic.landmarks()
    per_body = _body_factors(model, scale_factors)
    markers = {n: (b, np.asarray(loc, float) / per_body[b]) for n, (b, loc) in model.markers.items()}
    for pairs, _ in SCALE_MEASUREMENTS.values():
        for pair in pairs:
            for p in pair:
                markers[SCALE_MARKER_PREFIX + p] = lm[p]
    return generic.with_markers(markers, model.marker_set)


def measurement_joint_centres(jc: Motion, arms_down: Motion | None = None,
                              upper_lengths: Collection[str] = ()) -> Motion:
    """The joint centres OpenSim's scaling measures on, as liftrisk's scaling does: the points of
    the lengths in `upper_lengths` (`liftrisk.bodymodel.fit.UPPER_LENGTHS`) from `arms_down`
    (the recording's arms-down frames, when the static trial's arms are raised), the others
    from `jc` (the static trial). Each pair's two points come from one trial, so each row
    mixes the two trials but every measured distance is one trial's; the shorter trial is
    repeated to the longer one's number of rows (OpenSim averages each distance over the rows).

    Parameters
    ----------
    jc : Motion
        Canonical joint centres of the calibration (static) trial.
    arms_down : Motion, optional
        Canonical joint centres of the arms-down frames (None: everything from `jc`).
    upper_lengths : collection of str
        Lengths (keys of `SCALE_MEASUREMENTS`) measured on `arms_down`.

    Returns
    -------
    Motion

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> m = measurement_joint_centres(neutral_body(n_frames=2), neutral_body(n_frames=5), ["upper_arm"])
    >>> m.n_frames, "l_elbow" in m and "l_knee" in m
    (5, True)
    """
    if arms_down is None:
        return jc
    upper = {p for k in upper_lengths if k in SCALE_MEASUREMENTS for pair in SCALE_MEASUREMENTS[k][0] for p in pair}
    n = max(jc.n_frames, arms_down.n_frames)
    pts, extrapolated = {}, []
    for src, names in ((jc, [p for p in jc.point_names if p not in upper]),
                       (arms_down, [p for p in arms_down.point_names if p in upper])):
        for p in names:
            pts[p] = np.resize(src[p], (n, 3))
        extrapolated += [p for p in src.meta.get(EXTRAPOLATED_KEY, ()) if p in names]
    rate = jc.rate_hz or arms_down.rate_hz or 100.0
    return Motion.from_points(pts, time_s=float(jc.time_s[0]) + np.arange(n) / rate, rate_hz=rate).replace(
        meta={EXTRAPOLATED_KEY: tuple(extrapolated)})


def scale_spec(joint_centres: Motion, model_markers: Collection[str]) -> tuple[list[dict], dict[str, float]]:
    """Measurements and static-pose marker weights of OpenSim's ScaleTool (`SCALE_MEASUREMENTS`).

    Parameters
    ----------
    joint_centres : Motion
        The calibration trial's canonical joint centres (the points liftrisk scales on).
        Points listed as extrapolated in its ``meta`` are not measured (as in liftrisk's scaling).
    model_markers : collection of str
        The measured markers of the model.

    Returns
    -------
    measurements : list of dict
        ``{"name", "pairs", "bodies"}`` for every length whose points the trial has.
    ik_weights : dict
        Marker -> weight of the MarkerPlacer's static pose: 1 for every joint-centre marker
        and every measured marker.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> meas, w = scale_spec(neutral_body(), [])
    >>> [m["name"] for m in meas][:3], w["JC_l_hip"]
    (['hip_width', 'trunk_length', 'head_length'], 1.0)
    """
    extrapolated = set(joint_centres.meta.get(EXTRAPOLATED_KEY, ()))

    def usable(p: str) -> bool:
        return p in joint_centres and p not in extrapolated and bool(np.isfinite(joint_centres[p]).all(axis=1).any())

    measurements = []
    for name, (pairs, bodies) in SCALE_MEASUREMENTS.items():
        ok = [(SCALE_MARKER_PREFIX + a, SCALE_MARKER_PREFIX + b) for a, b in pairs if usable(a) and usable(b)]
        if ok:
            measurements.append({"name": name, "pairs": [list(p) for p in ok], "bodies": list(bodies)})
    points = {p for pairs, _ in SCALE_MEASUREMENTS.values() for pair in pairs for p in pair}
    weights = {SCALE_MARKER_PREFIX + p: 1.0 for p in joint_centres.point_names if p in points and usable(p)}
    weights.update({n: 1.0 for n in model_markers if not n.startswith(SCALE_MARKER_PREFIX)})
    return measurements, weights


def opensim_loads(joint_centres: Motion, ground_reactions: Sequence[GroundReaction] = (),
                  hand_load: HandLoad | None = None, hold_intervals_s=None,
                  feet_from_motion: bool | None = None) -> tuple[list[GroundReaction], list[str]]:
    """External loads for OpenSim: each force on one body of liftrisk's model.

    Plates under the feet: a plate already assigned to one foot stays on that foot's body
    (``r_foot``/``l_foot``) on its own time base; plates without a foot, or under both feet,
    are split per foot frame by frame exactly as liftrisk's bottom-up dynamics splits them
    (`liftrisk.kinetics.inverse_dynamics.ground_reactions_per_foot`). The load of the lifted
    object (`hand_load`, e.g. measured by a plate under it) is split between the hands by
    ``HandLoad.split`` and applied at the fitted hand points (``r_hand``/``l_hand`` of
    `joint_centres`) on the hand bodies, zero outside `hold_intervals_s`
    (`liftrisk.kinetics.inverse_dynamics.hand_loads`).

    Parameters
    ----------
    joint_centres : Motion
        The fitted model's canonical joint centres (m, Z-up world frame).
    ground_reactions : sequence of GroundReaction
    hand_load : HandLoad, optional
    hold_intervals_s : sequence of (float, float), optional
        When the object is in the hands (s); None = throughout.
    feet_from_motion : bool, optional
        Force the per-frame split (True) or keep the plates as given (False); default: split
        when a plate has no single foot.

    Returns
    -------
    loads : list of GroundReaction
        Forces in liftrisk's frame (the hand loads with ``foot=""``).
    bodies : list of str
        The model body each load is applied to.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> m = demo_posture(3)
    >>> loads, bodies = opensim_loads(m, hand_load=HandLoad(box_mass_kg=10.0))
    >>> bodies, round(float(loads[0].force_n[0, 2]), 2)
    (['r_hand', 'l_hand'], -49.05)
    """
    grfs = list(ground_reactions)
    split = any(g.foot not in ("left", "right") for g in grfs) if feet_from_motion is None else feet_from_motion
    if split and grfs:
        grfs = ground_reactions_per_foot(joint_centres, grfs)
    loads, bodies = [], []
    for g in grfs:
        if g.foot not in FOOT_BODIES:
            raise DataQualityError(f"ground reaction {g.name or 'unnamed'} is under foot {g.foot!r}; expected "
                                   "'left' or 'right'")
        loads.append(g)
        bodies.append(FOOT_BODIES[g.foot])
    if hand_load is not None:
        hl = hand_loads(joint_centres, hand_load, hold_intervals_s=hold_intervals_s)
        for side, pl in zip(("right", "left"), hl, strict=True):  # hand_loads gives the right hand first
            loads.append(GroundReaction(time_s=joint_centres.time_s, force_n=pl.force_n, cop_m=pl.point_m,
                                        free_moment_nm=pl.moment_nm, name=f"{side}_hand_load"))
            bodies.append(HAND_BODIES[side])
    return loads, bodies
