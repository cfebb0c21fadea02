"""Test helper: joint centres of the scaled OpenSim gait2354 model placed on the lab markers.

Used only by the validation tests, to separate joint-centre *definition* differences
(Harrington/CAST vs the scaled model) from the inverse dynamics itself. Reads
subject01_simbody.osim (marker locations in body frames, the hip and back joint offsets in
the pelvis frame, the knee translation splines of the femur->tibia CustomJoint) and fits each
body frame to its markers frame by frame (least-squares rigid fit, Soderkvist & Wedin 1993).
The knee translation is evaluated by linear interpolation of the spline knots (the knots are
dense; the error is below 1 mm) at the IK knee angle of subject01_walk1_ik.mot.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np

from liftrisk.io import Y_UP_TO_Z_UP

R_ZUP = np.asarray(Y_UP_TO_Z_UP, float)


def _vec(text: str) -> np.ndarray:
    return np.array([float(v) for v in text.split()])


def read_model(osim_path) -> dict:
    root = ET.parse(osim_path).getroot()
    markers = {}
    for mk in root.iter("Marker"):
        parent = mk.findtext("socket_parent_frame").split("/")[-1]
        markers[mk.get("name")] = (parent, _vec(mk.findtext("location")))
    joints = {}
    for j in root.iter("CustomJoint"):
        frames = {f.get("name"): _vec(f.findtext("translation")) for f in j.iter("PhysicalOffsetFrame")}
        spl = {}
        for ax in j.iter("TransformAxis"):
            if ax.get("name", "").startswith("translation") and ax.find(".//SimmSpline") is not None:
                s = ax.find(".//SimmSpline")
                scale = float(ax.findtext(".//scale") or 1.0)
                spl[ax.get("name")] = (_vec(s.findtext("x")), _vec(s.findtext("y")) * scale)
        joints[j.get("name")] = {"frames": frames, "splines": spl}
    return {"markers": markers, "joints": joints}


def fit_body(motion, model: dict, body: str):
    """Per-frame rotation (T, 3, 3) and origin (T, 3) of an OpenSim body in the Z-up lab."""
    names = [n for n, (p, _) in model["markers"].items() if p == body and n in motion]
    P = np.array([model["markers"][n][1] for n in names]) @ R_ZUP.T
    Q = motion.points(names)
    pm, qm = P.mean(0), Q.mean(1)
    H = np.einsum("ki,tkj->tij", P - pm, Q - qm[:, None])
    U, _, Vt = np.linalg.svd(H)
    d = np.sign(np.linalg.det(U @ Vt))
    D = np.zeros_like(U)
    D[:, 0, 0] = D[:, 1, 1] = 1.0
    D[:, 2, 2] = d
    R = np.einsum("tji,tjk,tlk->til", Vt, D, U)
    origin = qm - np.einsum("tij,j->ti", R, pm)
    return R @ R_ZUP, origin  # rotation from the OpenSim body frame (Y-up) to the lab


def model_joint_centres(motion, model: dict, knee_angle_rad: dict) -> dict[str, np.ndarray]:
    """r/l hip, knee, ankle and the back (lumbar) joint of the scaled model, lab frame, m."""
    out = {}
    Rp, op = fit_body(motion, model, "pelvis")
    for s in ("r", "l"):
        hip_local = model["joints"][f"hip_{s}"]["frames"]["pelvis_offset"]
        out[f"{s}_hip"] = op + np.einsum("tij,j->ti", Rp, hip_local)
        Rf, of = fit_body(motion, model, f"femur_{s}")
        spl = model["joints"][f"knee_{s}"]["splines"]
        q = knee_angle_rad[s]
        loc = np.stack([np.interp(q, *spl["translation1"]), np.interp(q, *spl["translation2"]),
                        np.zeros_like(q)], axis=1)
        out[f"{s}_knee"] = of + np.einsum("tij,tj->ti", Rf, loc)
        Rt, ot = fit_body(motion, model, f"tibia_{s}")
        ankle_local = model["joints"][f"ankle_{s}"]["frames"][f"tibia_{s}_offset"]
        out[f"{s}_ankle"] = ot + np.einsum("tij,j->ti", Rt, ankle_local)
    out["l5s1"] = op + np.einsum("tij,j->ti", Rp, model["joints"]["back"]["frames"]["pelvis_offset"])
    out["mid_hip"] = 0.5 * (out["r_hip"] + out["l_hip"])
    return out


# ----------------------------------------------------------------------------- forward kinematics
# The scaled gait2354 model posed by OpenSim's own IK coordinates, to check liftrisk's
# Newton-Euler sums against OpenSim's inverse dynamics with the same kinematics and the same
# segment parameters (an algorithm check, separate from joint-centre/segment-model choices).
# CustomJoint: child origin = parent origin + R_parent (offset + t(q)), t along the parent
# frame's axes; R_child = R_parent R(a1, q1) R(a2, q2) R(a3, q3) (body-fixed sequence, each
# axis expressed in the frame rotated by the previous rotations; all offset-frame
# orientations of this model are zero, and child offsets are at the body origins).
_CHAIN = ("pelvis", "torso", "femur_r", "tibia_r", "talus_r", "calcn_r", "toes_r",
          "femur_l", "tibia_l", "talus_l", "calcn_l", "toes_l")


def read_model_dynamics(osim_path) -> dict:
    """Bodies (mass kg, CoM m, principal inertia kg·m² in the body frame) and joints
    (parent, child, offset, rotation axes with their coordinates, translation splines)."""
    root = ET.parse(osim_path).getroot()
    bodies = {}
    for b in root.iter("Body"):
        inertia = _vec(b.findtext("inertia"))
        assert np.allclose(inertia[3:], 0.0), "products of inertia are not handled"
        bodies[b.get("name")] = {"mass": float(b.findtext("mass")), "com": _vec(b.findtext("mass_center")),
                                 "inertia": inertia[:3]}
    joints = {}
    for j in root.iter("CustomJoint"):
        frames = {f.get("name"): (f.findtext("socket_parent").split("/")[-1], _vec(f.findtext("translation")))
                  for f in j.iter("PhysicalOffsetFrame")}
        parent = frames[j.findtext("socket_parent_frame")]
        child = frames[j.findtext("socket_child_frame")]
        assert np.allclose(child[1], 0.0)
        rot, trans = [], []
        for ax in j.iter("TransformAxis"):
            name, coord = ax.get("name"), (ax.findtext("coordinates") or "").strip()
            axis = _vec(ax.findtext("axis"))
            spline = ax.find(".//SimmSpline")
            if name.startswith("rotation"):
                rot.append((coord, axis / np.linalg.norm(axis)))
            elif coord and spline is not None:
                scale = float(ax.findtext(".//scale") or 1.0)
                trans.append((coord, axis, (_vec(spline.findtext("x")), _vec(spline.findtext("y")) * scale)))
            elif coord:
                trans.append((coord, axis, None))
        joints[child[0]] = {"name": j.get("name"), "parent": parent[0], "offset": parent[1], "rot": rot,
                            "trans": trans}
    return {"bodies": bodies, "joints": joints}


def _axis_angle(axis: np.ndarray, q: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations by angles q (rad) about a fixed unit axis (Rodrigues)."""
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    s, c = np.sin(q)[:, None, None], np.cos(q)[:, None, None]
    return np.eye(3) + s * k + (1 - c) * (k @ k)


def _spline(q, knots):
    """The knee translation spline, evaluated with a cubic spline through its knots."""
    from scipy.interpolate import CubicSpline

    cs = CubicSpline(*knots)
    return cs(q), cs(q, 1)


def model_forward_kinematics(model: dict, coords: dict[str, np.ndarray]) -> dict:
    """Pose of every body (Z-up lab): ``R`` (T, 3, 3) body axes, ``origin`` (T, 3), and per
    joint the generalised-force directions: ``axes`` {coordinate: (T, 3) world unit axis} and
    ``dtrans`` {coordinate: (T, 3) d(origin)/dq, m/rad}. Coordinates in rad and m."""
    T = next(iter(coords.values())).size
    out = {}
    for body in _CHAIN:
        j = model["joints"][body]
        if j["parent"] == "ground":
            Rp, op = np.tile(np.eye(3), (T, 1, 1)), np.zeros((T, 3))
        else:
            Rp, op = out[j["parent"]]["R_y"], out[j["parent"]]["o_y"]
        R, axes = Rp.copy(), {}
        for coord, axis in j["rot"]:
            if coord:
                axes[coord] = np.einsum("tij,j->ti", R, axis)
                R = R @ _axis_angle(axis, coords[coord])
        t, dtrans = np.tile(j["offset"], (T, 1)), {}
        for coord, axis, knots in j["trans"]:
            if knots is None:
                t = t + coords[coord][:, None] * axis
            else:
                v, dv = _spline(coords[coord], knots)
                t = t + v[:, None] * axis
                dtrans[coord] = np.einsum("tij,tj->ti", Rp, dv[:, None] * axis) @ R_ZUP.T
        o = op + np.einsum("tij,tj->ti", Rp, t)
        out[body] = {"R_y": R, "o_y": o, "R": R_ZUP @ R, "origin": o @ R_ZUP.T,
                     "axes": {c: a @ R_ZUP.T for c, a in axes.items()}, "dtrans": dtrans}
    return out


def model_posed_points(model: dict, osim_markers: dict, fk: dict) -> dict[str, np.ndarray]:
    """Canonical points of the IK-posed model (Z-up lab, m): hips = femur origins, knees =
    tibia origins, ankles = talus origins, l5s1 = torso origin (back joint), heel and toe =
    the model's R/L.Heel and R/L.Toe.Tip markers, shoulders = the acromion markers."""
    def marker(name):
        body, loc = osim_markers[name]
        return fk[body]["origin"] + np.einsum("tij,j->ti", fk[body]["R"], loc)

    pts = {}
    for s, S in (("r", "R"), ("l", "L")):
        pts[f"{s}_hip"] = fk[f"femur_{s}"]["origin"]
        pts[f"{s}_knee"] = fk[f"tibia_{s}"]["origin"]
        pts[f"{s}_ankle"] = fk[f"talus_{s}"]["origin"]
        pts[f"{s}_heel"] = marker(f"{S}.Heel")
        pts[f"{s}_toe"] = marker(f"{S}.Toe.Tip")
        pts[f"{s}_shoulder"] = marker(f"{S}.Acromium")
    pts["l5s1"] = fk["torso"]["origin"]
    pts["mid_hip"] = 0.5 * (pts["r_hip"] + pts["l_hip"])
    return pts
