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
