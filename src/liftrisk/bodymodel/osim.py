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

import numpy as np

from liftrisk.bodymodel.model import BodyModel

__all__ = ["Y_UP_FROM_Z_UP", "to_osim_xml"]

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


def to_osim_xml(model: BodyModel, name: str = "liftrisk_body_model") -> str:
    """The model (bodies, joints, coordinates with limits, markers) as OpenSim 4 XML text.

    Parameters
    ----------
    model : BodyModel
        A scaled model with its markers.
    name : str
        Model name in the document.

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
                      f"<location>{_v(_os(loc))}</location><fixed>false</fixed></Marker>"
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
