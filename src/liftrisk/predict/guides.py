"""Guide postures of the lifting prediction (Xiang et al. 2021, eq. 18).

The paper constrains the predicted motion to the subject's *measured* joint angles at the
start, the middle and the end of the lift, within 0.1, 0.15 and 0.1 rad
(``|q_i(x, t) - q_i^E(t)| <= eps``, t = 0, T/2, T). Its 2D model uses the mean of the left and
right measured angles (Zaman et al. 2021, sec. 4). Two sources here:

* :func:`guide_postures_from_motion`: the measured postures, from any motion with canonical
  joint centres (a C3D/TRC/video result read by :mod:`liftrisk.io`, or a synthetic lift);
* :func:`guide_postures`: a stand-in when nothing was measured, derived from the box
  positions (static postures nearest a squat or stoop template). The prediction depends
  strongly on this choice (Subject #8: 234 N squat, 441 N stoop, 590 N none, at z = 1.05),
  so the CLI prints every template's result side by side when no motion is given.

Angles are the 2D model's (:mod:`liftrisk.predict.model2d`): spine = trunk flexion relative to
the pelvis, shoulder and elbow flexion, hip flexion, knee flexion, ankle dorsiflexion; all from
segment angles in the worker's sagittal plane.
"""

from __future__ import annotations

import csv

import casadi as ca
import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.predict._nlp import PredictionError
from liftrisk.predict.model2d import (
    DOF_NAMES,
    Model2D,
    _rot,
    forward_kinematics,
    point_kinematics,
)
from liftrisk.predict.segments import DATA_DIR

__all__ = ["GUIDE_JOINTS", "TEMPLATES", "guide_postures", "guide_postures_from_motion", "joint_limits_rad",
           "static_posture"]

#: Joints with guide postures (the 2D model's physical joints without the MTP, which is 0).
GUIDE_JOINTS = ("spine", "shoulder", "elbow", "hip", "knee", "ankle")

#: Reference postures (rad; spine, shoulder, elbow, hip, knee, ankle, mtp) for the derived
#: guide postures and the initial guess: a squat and a stoop grasp, and upright standing.
_SQUAT = np.array([0.5, 0.5, 0.1, 1.6, 1.9, 0.45, 0.0])
_STOOP = np.array([1.0, 0.6, 0.1, 1.3, 0.3, 0.1, 0.0])
_STAND = np.array([0.0, 0.3, 0.3, 0.0, 0.0, 0.0, 0.0])
TEMPLATES = {"squat": _SQUAT, "stoop": _STOOP}

_MOTION_POINTS = ("mid_hip", "l5s1", "neck", "l_hip", "r_hip", "l_shoulder", "r_shoulder", "l_elbow", "r_elbow",
                  "l_wrist", "r_wrist", "l_knee", "r_knee", "l_ankle", "r_ankle")


def joint_limits_rad() -> dict:
    """Joint angle limits (rad) of ``data/predict/joint_limits.csv`` (AAOS 1965 normal ranges).

    Returns
    -------
    dict
        Joint name -> (lower, upper) angle limits (rad).

    Examples
    --------
    >>> lo, hi = joint_limits_rad()["knee"]
    >>> bool(lo < hi)
    True
    """
    out = {}
    with (DATA_DIR / "joint_limits.csv").open() as fh:
        for r in csv.DictReader(fh):
            out[r["joint"]] = (np.deg2rad(float(r["lower_deg"])), np.deg2rad(float(r["upper_deg"])))
    return out


def _sagittal_angles(motion: Motion) -> dict:
    """(T,) model-convention joint angles (rad) of a motion, left and right averaged."""
    missing = [p for p in _MOTION_POINTS if p not in motion]
    if missing:
        raise PredictionError(f"the guide motion lacks the points {missing}; expected canonical joint centres "
                              f"{list(_MOTION_POINTS)} (read the file with liftrisk.io and map it to the canonical "
                              "skeleton)")
    # worker's sagittal plane: forward = (left - right hip) x up, horizontal
    up = np.array([0.0, 0.0, 1.0])
    lr = motion["l_hip"] - motion["r_hip"]
    fwd = np.cross(lr, up)
    fwd /= np.linalg.norm(fwd, axis=1, keepdims=True)

    def up_angle(a, b):      # upward segment a -> b: + when b is forward of a
        v = motion[b] - motion[a] if isinstance(a, str) else b - a
        return np.arctan2(np.sum(v * fwd, axis=1), v[:, 2])

    def down_angle(a, b):    # downward segment a -> b: + when b is forward of a
        v = b - a
        return np.arctan2(np.sum(v * fwd, axis=1), -v[:, 2])

    def mean(name):
        return 0.5 * (motion[f"l_{name}"] + motion[f"r_{name}"])

    pelvis = up_angle("mid_hip", "l5s1")
    torso = up_angle("l5s1", "neck")
    upper_arm = down_angle(mean("shoulder"), mean("elbow"))     # forward swing = +
    forearm = down_angle(mean("elbow"), mean("wrist"))
    thigh = down_angle(mean("hip"), mean("knee"))
    shank = down_angle(mean("knee"), mean("ankle"))             # + when the ankle is ahead of the knee
    # model: torso = pelvis + spine; upper arm (absolute, downward) = torso - shoulder with the
    # model's sign (forward swing of a hanging segment is -phi): see model2d Segment.sign
    return {
        "pelvis": pelvis,
        "spine": torso - pelvis,
        "shoulder": upper_arm + torso,
        "elbow": forearm - upper_arm,
        "hip": thigh + pelvis,
        "knee": thigh - shank,
        "ankle": -shank,   # feet flat on the floor (Xiang et al. 2021, eq. 16): dorsiflexion = shank tilt
    }


def guide_postures_from_motion(motion: Motion, start_s: float | None = None, end_s: float | None = None,
                               neutral_s: float | None = None) -> dict:
    """Measured guide postures (deg) at the start, middle and end of a lift (Xiang et al. 2021, eq. 18).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame), e.g. a motion-capture lift of the worker.
        The sagittal plane is the vertical plane normal to the hip axis (per frame), so the
        worker need not face world X.
    start_s, end_s : float, optional
        Lift start (box leaves its origin) and end (box set down), s. Default: the first
        ``meta["handlings"]`` entry of kind "lift" (synthetic lifts, box-plate events) or the
        first and last frame.
    neutral_s : float, optional
        Time of a frame of quiet upright standing. The model's pelvis axis (mid-hip to L5/S1) is
        vertical when upright, but a measured L5/S1 lies behind the hip centres, so that line
        leans back when upright (about 8 deg in the synthetic generator); the pelvis angle at
        ``neutral_s`` is subtracted. Default: no correction.

    Returns
    -------
    dict
        joint -> [start, middle, end] angle in degrees (model convention: spine flexion
        relative to the pelvis, shoulder/elbow/hip/knee flexion, ankle dorsiflexion with the
        foot flat), left and right averaged as in the paper's 2D model; plus
        ``"_duration_s"`` (end - start, the measured lift time T).

    Examples
    --------
    >>> from liftrisk.core.subject import Subject
    >>> from liftrisk.synthetic.lift import synthetic_lift
    >>> m = synthetic_lift(Subject("male", 83.73, 1.82), origin_m=(0.4, 0.15), destination_m=(0.4, 1.0))
    >>> g = guide_postures_from_motion(m)
    >>> g["knee"][0] > 60.0 > g["knee"][2]    # deep knee flexion at the grasp, near straight at the end
    True
    """
    if start_s is None or end_s is None:
        lifts = [h for h in motion.meta.get("handlings", ()) if h.get("kind") == "lift"]
        t0, t1 = ((lifts[0]["grasp_s"], lifts[0]["release_s"]) if lifts
                  else (float(motion.time_s[0]), float(motion.time_s[-1])))
        start_s = t0 if start_s is None else start_s
        end_s = t1 if end_s is None else end_s
    t = motion.time_s
    if not (t[0] - 1e-9 <= start_s < end_s <= t[-1] + 1e-9):
        raise PredictionError(f"lift window {start_s}-{end_s} s; expected start < end within the motion's "
                              f"{t[0]:.3f}-{t[-1]:.3f} s")
    ang = _sagittal_angles(motion)
    if neutral_s is not None:
        off = float(np.interp(neutral_s, t, ang["pelvis"]))
        ang["spine"] = ang["spine"] + off
        ang["hip"] = ang["hip"] - off
    times = [start_s, 0.5 * (start_s + end_s), end_s]
    out = {}
    for j in GUIDE_JOINTS:
        a = ang[j]
        ok = np.isfinite(a)
        if ok.sum() < 2:
            raise PredictionError(f"the guide motion has no valid {j} angle (points missing in every frame)")
        out[j] = np.degrees(np.interp(times, t[ok], a[ok])).tolist()
    out["_duration_s"] = float(end_s - start_s)
    return out


def guide_postures(model: Model2D, task, style: str = "squat") -> dict:
    """Guide postures (deg) at 0, T/2, T derived from the box positions (a stand-in for Xiang et al. 2021, eq. 18).

    Start: the static posture nearest a squat (or stoop) template with the hand at the box;
    end: nearest upright standing with the hand at the destination; middle: nearest the mean
    of the two templates with the hand half-way. Not measured: the result depends on the
    template (see the module docstring).

    Parameters
    ----------
    model : Model2D
        The subject's 2D model (m, kg).
    task : LiftTask
        Box start and end positions (m) and lifting time (s).
    style : {"squat", "stoop"}
        Template of the start posture.

    Returns
    -------
    dict
        joint name -> [start, middle, end] angles in degrees.

    Examples
    --------
    >>> from liftrisk.core.subject import Subject
    >>> from liftrisk.predict.model2d import build_model_2d
    >>> from liftrisk.predict.problem2d import LiftTask
    >>> g = guide_postures(build_model_2d(Subject("male", 80.0, 1.80)), LiftTask())
    >>> sorted(g)[:2], len(g["knee"])
    (['ankle', 'elbow'], 3)
    """
    if style not in TEMPLATES:
        raise PredictionError(f"guide template is {style!r}; expected one of {sorted(TEMPLATES)}")
    ref0 = TEMPLATES[style]
    mid = 0.5 * (np.asarray(task.box_start_m) + np.asarray(task.box_end_m))
    qs = [static_posture(model, task.box_start_m, ref0),
          static_posture(model, mid, 0.5 * (ref0 + _STAND)),
          static_posture(model, task.box_end_m, _STAND)]
    return {j: np.degrees([q[DOF_NAMES.index(j)] for q in qs]).tolist() for j in DOF_NAMES[3:]}


def static_posture(model: Model2D, hand_m, reference) -> np.ndarray:
    """Posture (10,) closest to ``reference`` (7 joint angles, rad) with flat, fixed feet, the
    hand at ``hand_m`` (x, z) and the body's centre of mass over the middle half of the foot
    between heel and metatarsophalangeal joint (static balance; small IPOPT least-squares IK).

    Parameters
    ----------
    model : Model2D
        The subject's 2D model (m, kg).
    hand_m : (float, float)
        Hand (grip) position x forward, z up (m).
    reference : array_like
        (7,) joint angles (rad) the posture should stay close to.

    Returns
    -------
    numpy.ndarray
        (10,) generalised coordinates: pelvis x, z (m) and tilt, then the 7 joint angles (rad).

    Examples
    --------
    >>> from liftrisk.core.subject import Subject
    >>> from liftrisk.predict.model2d import build_model_2d
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> q = static_posture(m, (0.4, 0.9), np.zeros(7))
    >>> fk = forward_kinematics(m, q)
    >>> np.round(np.asarray(point_kinematics(m, fk, "hand")[0]).ravel(), 3).tolist()
    [0.4, 0.9]
    """
    q = ca.SX.sym("q", 10)
    fk = forward_kinematics(model, q)
    hand = point_kinematics(model, fk, "hand")[0]
    ankle = point_kinematics(model, fk, "ankle")[0]
    ankle_h = -model.points["heel"][1][1]
    com_x = sum(sg.mass * (fk[sg.name]["p"] + _rot(fk[sg.name]["phi"], sg.com_xz))[0] for sg in model.segments)
    com_x = com_x / model.total_mass_kg
    g = ca.vertcat(hand - ca.DM(hand_m), ankle[0], ankle[1] - ankle_h, fk["rear_foot"]["phi"], fk["toes"]["phi"],
                   com_x)
    heel_x, toe_x = model.points["heel"][1][0], model.points["mtp"][1][0]
    f = ca.sumsqr(q[3:] - ca.DM(reference))
    solver = ca.nlpsol("ik", "ipopt", {"x": q, "f": f, "g": g},
                       {"ipopt.print_level": 0, "print_time": False, "ipopt.sb": "yes"})
    lim = joint_limits_rad()
    lbx = np.r_[-10, -10, -10, [lim[j][0] for j in DOF_NAMES[3:]]]
    ubx = np.r_[10, 10, 10, [lim[j][1] for j in DOF_NAMES[3:]]]
    x0 = model.standing_q()
    x0[3:] = np.clip(reference, lbx[3:], ubx[3:])
    lbg = np.r_[np.zeros(6), heel_x + 0.25 * (toe_x - heel_x)]
    ubg = np.r_[np.zeros(6), toe_x - 0.25 * (toe_x - heel_x)]
    res = solver(x0=x0, lbx=lbx, ubx=ubx, lbg=lbg, ubg=ubg)
    if not solver.stats()["success"]:
        raise PredictionError(f"the hand cannot reach {tuple(hand_m)} m with the feet fixed (IK failed: "
                              f"{solver.stats()['return_status']}); move the box closer to the worker")
    return np.asarray(res["x"]).ravel()
