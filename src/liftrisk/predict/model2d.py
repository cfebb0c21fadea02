"""Planar (sagittal) 10-DOF human model for symmetric lifting (Xiang et al. 2021, Sec. 2.1).

Degrees of freedom ``q`` (SI: m and rad), in this order (:data:`DOF_NAMES`):

====  ===============  ==============================================================
 i    name             meaning (positive direction)
====  ===============  ==============================================================
 0    pelvis_x_m       mid-hip position, forward (world X)
 1    pelvis_z_m       mid-hip position, up (world Z)
 2    pelvis_tilt      pelvis forward tilt (rotation about world +Y)
 3    spine            trunk flexion relative to the pelvis
 4    shoulder         shoulder flexion (arm forward/up)
 5    elbow            elbow flexion
 6    hip              hip flexion
 7    knee             knee flexion
 8    ankle            ankle dorsiflexion
 9    mtp              metatarsophalangeal extension (toes up)
====  ===============  ==============================================================

World frame: X forward, Z up, Y to the worker's left (right-handed); every rotation is about
+Y, so a positive absolute angle tilts an upward segment forward. With all ``q[2:]`` zero the
model stands upright with arms hanging and feet flat. Arms and legs are single segments that
carry the mass and inertia of both sides (Xiang et al. 2021, sec. 2.1: symmetric limbs "doubled").

Segments (de Leva 1996, scaled to the subject, see :mod:`liftrisk.predict.segments`):
pelvis (lower trunk LPT, mid-hip to omphalion), torso (middle + upper trunk + head/neck),
upper arm, forearm + hand (no wrist joint; the grip point is the 3rd metacarpale), thigh,
shank (knee to ankle joint centre), rear foot (whole foot mass), toes (massless).
Foot geometry not in de Leva: ankle height 0.039 x stature (Winter 2009, Biomechanics and
Motor Control of Human Movement, Fig. 4.1); ankle 20 % and metatarsophalangeal joint 73 % of
the foot length in front of the heel (assumed).

Dynamics: a recursive Newton-Euler formulation (:func:`inverse_dynamics`), equivalent to the
recursive Lagrangian of Xiang et al. 2021, eq. 5-9, and an independent Lagrangian
(:func:`inverse_dynamics_lagrange`, energy derivatives by CasADi) used to check it. The ground
reaction of both feet is the one resultant that balances the whole body; it acts at the zero
moment point (ZMP) on the rear foot, so the floating-base residual is zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import casadi as ca
import numpy as np

from liftrisk.core.subject import Subject
from liftrisk.predict.segments import scaled_segment

#: Gravity (m/s²), world -Z.
G = 9.81

DOF_NAMES = ("pelvis_x_m", "pelvis_z_m", "pelvis_tilt", "spine", "shoulder", "elbow", "hip", "knee",
             "ankle", "mtp")
#: The physical joints (those with torque limits and in the effort objective), i = 4..10 of Xiang et al. 2021.
JOINT_NAMES = DOF_NAMES[3:]

#: Ankle height as a fraction of stature (Winter 2009, Fig. 4.1).
ANKLE_HEIGHT_FRAC = 0.039
#: Ankle joint and MTP joint distance in front of the heel, fractions of foot length (assumed).
ANKLE_FROM_HEEL_FRAC = 0.20
MTP_FROM_HEEL_FRAC = 0.73


@dataclass(frozen=True)
class Segment:
    """One rigid planar segment of the tree.

    Attributes
    ----------
    name : str
        Segment name.
    parent : str or None
        Parent segment (None for the pelvis).
    dof : int
        Index of its joint coordinate in q.
    sign : float
        The segment's absolute angle is ``phi_parent + sign * q[dof]`` (+1 or -1).
    joint_xz : (float, float)
        The joint (segment origin) in the parent's frame (m).
    mass : float
        Mass (kg; both sides for the doubled limbs).
    com_xz : (float, float)
        Centre of mass in the segment's own frame (m).
    inertia : float
        Moment of inertia about the centre of mass for rotation about Y (kg·m²).
    """

    name: str
    parent: str | None
    dof: int
    sign: float
    joint_xz: tuple[float, float]
    mass: float
    com_xz: tuple[float, float]
    inertia: float


@dataclass(frozen=True)
class Model2D:
    """The 10-DOF planar lifting model of one subject.

    Build it with :func:`build_model_2d`.

    Attributes
    ----------
    subject : Subject
        The subject it is scaled to.
    segments : tuple of Segment
        The segments, parents first.
    points : dict
        Point name (``hand``, ``heel``, ``toe``, ``mtp``, ``ankle``, ``knee``, ``hip``,
        ``shoulder``, ``elbow``, ``l5s1``...) -> ``(segment, (x, z))`` in that segment's frame (m).
    """

    subject: Subject
    segments: tuple[Segment, ...]
    points: dict = field(hash=False)

    @property
    def total_mass_kg(self) -> float:
        """Sum of segment masses (kg); equals the subject's mass to de Leva's rounding."""
        return float(sum(s.mass for s in self.segments))

    def segment(self, name: str) -> Segment:
        """The segment called ``name``."""
        for s in self.segments:
            if s.name == name:
                return s
        raise KeyError(name)

    def standing_q(self) -> np.ndarray:
        """Upright posture with feet flat and the ankle joint at world X = 0 (m, rad)."""
        thigh = -self.segment("shank").joint_xz[1]
        shank = -self.segment("rear_foot").joint_xz[1]
        ankle_h = -self.points["heel"][1][1]
        return np.array([0.0, thigh + shank + ankle_h] + [0.0] * 8)


def _combine(parts):
    """Mass, CoM (x, z) and CoM inertia of rigidly joined parts [(m, (x, z), I), ...]."""
    m = sum(p[0] for p in parts)
    cx = sum(p[0] * p[1][0] for p in parts) / m
    cz = sum(p[0] * p[1][1] for p in parts) / m
    inertia = sum(p[2] + p[0] * ((p[1][0] - cx) ** 2 + (p[1][1] - cz) ** 2) for p in parts)
    return m, (cx, cz), inertia


def build_model_2d(subject: Subject) -> Model2D:
    """Scale the planar 10-DOF lifting model to a subject (de Leva 1996 parameters).

    Parameters
    ----------
    subject : Subject
        Sex, mass (kg) and stature (m).

    Returns
    -------
    Model2D

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> round(m.total_mass_kg, 1)
    80.0
    >>> round(float(m.standing_q()[1]), 3)   # mid-hip height standing, m
    0.962
    """
    p = {n: scaled_segment(subject, n) for n in (
        "lower_trunk_LPT", "middle_trunk_MPT", "upper_trunk_UPT", "trunk", "trunk_alt_MIDS",
        "trunk_alt_CERV", "head_alt", "upper_arm", "forearm", "hand", "thigh", "shank_alt_AJC", "foot")}
    lpt, mpt, upt = p["lower_trunk_LPT"], p["middle_trunk_MPT"], p["upper_trunk_UPT"]
    # pelvis frame: origin mid-hip; LPT runs from omphalion (proximal, top) to mid-hip.
    pelvis = (lpt.mass_kg, (0.0, lpt.length_m - lpt.com_from_proximal_m), lpt.inertia_sagittal_kgm2)
    # torso frame: origin omphalion (spine joint); MPT from xiphoid (top) down to omphalion,
    # UPT from suprasternale (top) to xiphoid; head+neck above C7.
    z_xyph = mpt.length_m
    z_supr = mpt.length_m + upt.length_m
    z_c7 = z_supr + (p["trunk_alt_CERV"].length_m - p["trunk"].length_m)
    z_shoulder = z_supr - (p["trunk"].length_m - p["trunk_alt_MIDS"].length_m)
    head = p["head_alt"]
    torso = _combine([
        (mpt.mass_kg, (0.0, z_xyph - mpt.com_from_proximal_m), mpt.inertia_sagittal_kgm2),
        (upt.mass_kg, (0.0, z_supr - upt.com_from_proximal_m), upt.inertia_sagittal_kgm2),
        (head.mass_kg, (0.0, z_c7 + head.length_m - head.com_from_proximal_m), head.inertia_sagittal_kgm2),
    ])
    ua, fa, hd = p["upper_arm"], p["forearm"], p["hand"]
    forearm_hand = _combine([
        (fa.mass_kg, (0.0, -fa.com_from_proximal_m), fa.inertia_sagittal_kgm2),
        (hd.mass_kg, (0.0, -fa.length_m - hd.com_from_proximal_m), hd.inertia_sagittal_kgm2),
    ])
    th, sh, ft = p["thigh"], p["shank_alt_AJC"], p["foot"]
    ankle_h = ANKLE_HEIGHT_FRAC * subject.height_m
    heel_x = -ANKLE_FROM_HEEL_FRAC * ft.length_m
    mtp_x = heel_x + MTP_FROM_HEEL_FRAC * ft.length_m
    toe_x = heel_x + ft.length_m
    foot_com = (heel_x + ft.com_from_proximal_m, -ankle_h)

    def seg(name, parent, dof, sign, joint, body, doubled=False):
        k = 2.0 if doubled else 1.0
        return Segment(name, parent, dof, sign, joint, k * body[0], body[1], k * body[2])

    segments = (
        seg("pelvis", None, 2, 1.0, (0.0, 0.0), pelvis),
        seg("torso", "pelvis", 3, 1.0, (0.0, lpt.length_m), torso),
        seg("upper_arm", "torso", 4, -1.0, (0.0, z_shoulder),
            (ua.mass_kg, (0.0, -ua.com_from_proximal_m), ua.inertia_sagittal_kgm2), True),
        seg("forearm_hand", "upper_arm", 5, -1.0, (0.0, -ua.length_m), forearm_hand, True),
        seg("thigh", "pelvis", 6, -1.0, (0.0, 0.0),
            (th.mass_kg, (0.0, -th.com_from_proximal_m), th.inertia_sagittal_kgm2), True),
        seg("shank", "thigh", 7, 1.0, (0.0, -th.length_m),
            (sh.mass_kg, (0.0, -sh.com_from_proximal_m), sh.inertia_sagittal_kgm2), True),
        seg("rear_foot", "shank", 8, -1.0, (0.0, -sh.length_m), (ft.mass_kg, foot_com, ft.inertia_sagittal_kgm2),
            True),
        seg("toes", "rear_foot", 9, -1.0, (mtp_x, -ankle_h), (0.0, (0.0, 0.0), 0.0)),
    )
    points = {
        "hip": ("pelvis", (0.0, 0.0)),
        "l5s1": ("pelvis", (0.0, lpt.length_m)),  # spine joint (omphalion level in this model)
        "shoulder": ("torso", (0.0, z_shoulder)),
        "neck": ("torso", (0.0, z_c7)),
        "elbow": ("upper_arm", (0.0, -ua.length_m)),
        "wrist": ("forearm_hand", (0.0, -fa.length_m)),
        "hand": ("forearm_hand", (0.0, -fa.length_m - hd.length_m)),
        "knee": ("thigh", (0.0, -th.length_m)),
        "ankle": ("shank", (0.0, -sh.length_m)),
        "heel": ("rear_foot", (heel_x, -ankle_h)),
        "mtp": ("rear_foot", (mtp_x, -ankle_h)),
        "toe": ("toes", (toe_x - mtp_x, 0.0)),
    }
    return Model2D(subject, segments, points)


# --------------------------------------------------------------------------- kinematics

def _rot(phi, v):
    """Rotate local (x, z) by phi about +Y (phi > 0 tilts +Z towards +X)."""
    c, s = ca.cos(phi), ca.sin(phi)
    return ca.vertcat(c * v[0] + s * v[1], -s * v[0] + c * v[1])


def _perp(r):
    """omega x r for unit angular velocity about +Y, in (x, z)."""
    return ca.vertcat(r[1], -r[0])


def _cross_y(r, f):
    """Y component of r x f for planar (x, z) vectors."""
    return r[1] * f[0] - r[0] * f[1]


def forward_kinematics(model: Model2D, q, qd=None, qdd=None) -> dict:
    """Recursive planar kinematics of every segment (CasADi expressions or numbers).

    Parameters
    ----------
    model : Model2D
    q, qd, qdd : (10,) array-like or casadi SX/MX
        Generalised positions (m, rad), velocities and accelerations; zeros when omitted.

    Returns
    -------
    dict
        segment name -> dict with ``phi, omega, alpha`` (rad, rad/s, rad/s²) and the origin's
        ``p, v, a`` as (x, z) casadi column vectors (m, m/s, m/s²), world frame.

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> fk = forward_kinematics(m, m.standing_q())
    >>> round(float(fk["rear_foot"]["p"][1]), 3)   # ankle height, m
    0.07
    """
    q = ca.vertcat(*[q[i] for i in range(10)]) if not isinstance(q, (ca.SX, ca.MX)) else q
    qd = ca.DM.zeros(10) if qd is None else qd
    qdd = ca.DM.zeros(10) if qdd is None else qdd
    out = {}
    for s in model.segments:
        if s.parent is None:
            out[s.name] = {"phi": q[2], "omega": qd[2], "alpha": qdd[2],
                           "p": ca.vertcat(q[0], q[1]), "v": ca.vertcat(qd[0], qd[1]),
                           "a": ca.vertcat(qdd[0], qdd[1])}
            continue
        par = out[s.parent]
        r = _rot(par["phi"], s.joint_xz)
        out[s.name] = {
            "phi": par["phi"] + s.sign * q[s.dof],
            "omega": par["omega"] + s.sign * qd[s.dof],
            "alpha": par["alpha"] + s.sign * qdd[s.dof],
            "p": par["p"] + r,
            "v": par["v"] + par["omega"] * _perp(r),
            "a": par["a"] + par["alpha"] * _perp(r) - par["omega"] ** 2 * r,
        }
    return out


def point_kinematics(model: Model2D, fk: dict, name: str, local=None):
    """World position, velocity and acceleration (x, z) of a named model point.

    Parameters
    ----------
    model : Model2D
    fk : dict
        Output of :func:`forward_kinematics`.
    name : str
        A key of ``model.points`` (or a segment name when ``local`` is given).
    local : (2,) optional
        Local (x, z) in segment ``name``'s frame instead of a named point.

    Returns
    -------
    tuple of casadi column vectors (p, v, a)

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> p, v, a = point_kinematics(m, forward_kinematics(m, m.standing_q()), "ankle")
    >>> round(float(p[1]), 3)   # ankle height above the ground (0.039 x stature)
    0.07
    """
    seg, xz = (name, local) if local is not None else model.points[name]
    k = fk[seg]
    r = _rot(k["phi"], xz)
    return (k["p"] + r, k["v"] + k["omega"] * _perp(r),
            k["a"] + k["alpha"] * _perp(r) - k["omega"] ** 2 * r)



def fixed_feet_base(model: Model2D, q_joints, qd_joints=None, qdd_joints=None):
    """Floating-base DOFs (pelvis X, Z, tilt) that keep the foot flat with the ankle joint at
    world (0, ankle height), as functions of the six joint angles (spine..ankle; MTP = 0, toes flat).

    With the feet fixed on level ground (Xiang et al. 2021, eq. 16) the three global DOFs are not free: they
    follow from the leg joint angles. Writing them this way keeps the feet fixed at every
    instant, not only at the constraint instants, and leaves the B-spline control points of the
    joints free (static start and end included).

    Parameters
    ----------
    model : Model2D
    q_joints, qd_joints, qdd_joints : casadi SX (6,)
        Joint angles (rad), velocities and accelerations of spine, shoulder, elbow, hip, knee,
        ankle. ``q_joints`` must be a symbol for the derivatives (chain rule by CasADi).

    Returns
    -------
    (q, qd, qdd) : casadi SX (10,) each
        Full generalised coordinates (m, rad) with MTP = 0.

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> qj = ca.SX.sym("qj", 6)
    >>> q, _, _ = fixed_feet_base(m, qj)
    >>> fk = forward_kinematics(m, q)
    >>> f = ca.Function("f", [qj], [point_kinematics(m, fk, "ankle")[0], fk["rear_foot"]["phi"]])
    >>> ankle, phi = f([0.3, 0.5, 0.2, 1.2, 1.5, 0.4])   # any posture: ankle fixed, foot flat
    >>> np.allclose(np.asarray(ankle).ravel(), [0.0, -m.points["heel"][1][1]]), abs(float(phi)) < 1e-12
    (True, True)
    """
    zero = ca.SX.zeros(1)
    q_rel = ca.vertcat(zero, zero, zero, q_joints, zero)
    tilt = -forward_kinematics(model, q_rel)["rear_foot"]["phi"]  # foot angle is tilt + f(q), f(0..)=phi here
    q_tilt = ca.vertcat(zero, zero, tilt, q_joints, zero)
    ankle = point_kinematics(model, forward_kinematics(model, q_tilt), "ankle")[0]
    ankle_h = -model.points["heel"][1][1]
    base = ca.vertcat(-ankle[0], ankle_h - ankle[1], tilt)
    q = ca.vertcat(base, q_joints, zero)
    if qd_joints is None:
        return q, None, None
    J = ca.jacobian(base, q_joints)
    bd = J @ qd_joints
    qd = ca.vertcat(bd, qd_joints, zero)
    if qdd_joints is None:
        return q, qd, None
    bdd = J @ qdd_joints + ca.jtimes(bd, q_joints, qd_joints)
    return q, qd, ca.vertcat(bdd, qdd_joints, zero)

# --------------------------------------------------------------------------- dynamics

def _box_force(model, fk, box_weight_n):
    """Force (x, z) of a box of weight W (N) held at the grip point, including its inertia."""
    _, _, a_hand = point_kinematics(model, fk, "hand")
    m_box = box_weight_n / G
    return m_box * (ca.vertcat(0.0, -G) - a_hand)


def ground_reaction(model: Model2D, fk: dict, box_weight_n, ground_z_m: float = 0.0):
    """Resultant ground reaction force of both feet and its zero moment point.

    The GRF balances the rate of change of the whole body's momentum, gravity and the box
    force (Newton-Euler on the whole system); the ZMP is where its line of action meets the
    ground (no horizontal moment, no free moment in 2D).

    Parameters
    ----------
    model : Model2D
        The subject's 2D model (m, kg, kg·m²).
    fk : dict
        Output of :func:`forward_kinematics`.
    box_weight_n : float or casadi scalar
        Box weight W (N).
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    grf : casadi (2,) (N), world (x, z)
    zmp_x : casadi scalar (m), world X on the ground plane ``z = ground_z_m``

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> grf, zmp_x = ground_reaction(m, forward_kinematics(m, m.standing_q(), [0] * 10, [0] * 10), 0.0)
    >>> round(float(grf[1]), 1)   # standing still: body weight
    784.8
    """
    g = ca.vertcat(0.0, -G)
    f = ca.DM.zeros(2)
    m_o = 0.0
    for s in model.segments:
        if s.mass == 0.0:
            continue
        k = fk[s.name]
        rc = _rot(k["phi"], s.com_xz)
        ac = k["a"] + k["alpha"] * _perp(rc) - k["omega"] ** 2 * rc
        dyn = s.mass * (ac - g)
        f = f + dyn
        m_o = m_o + s.inertia * k["alpha"] + _cross_y(k["p"] + rc, dyn)
    f_box = _box_force(model, fk, box_weight_n)
    p_hand, _, _ = point_kinematics(model, fk, "hand")
    grf = f - f_box
    m_grf = m_o - _cross_y(p_hand, f_box)
    zmp_x = (ground_z_m * grf[0] - m_grf) / grf[1]
    return grf, zmp_x


def _as_col(v):
    return v if isinstance(v, (ca.SX, ca.MX, ca.DM)) else ca.DM(np.asarray(v, float))


def inverse_dynamics(model: Model2D, q, qd, qdd, box_weight_n, ground_z_m: float = 0.0) -> dict:
    """Recursive Newton-Euler inverse dynamics of the 10-DOF model with a held box.

    Outward pass: :func:`forward_kinematics`. Inward pass from the hand and the feet to the
    pelvis: each segment's proximal joint force and moment balance its own inertia and
    gravity, the external forces on it (box at the grip point; GRF at the ZMP on the rear
    foot) and the loads its children put on it. The generalised force of joint ``dof`` is
    ``sign * moment``; the floating-base residual (pelvis) is zero up to round-off because
    the GRF balances the whole body.

    Parameters
    ----------
    model : Model2D
    q, qd, qdd : (10,) casadi SX/MX/DM or numbers
        Generalised positions (m, rad), velocities, accelerations.
    box_weight_n : float or casadi scalar
        Box weight W (N); its mass W/g moves with the grip point.
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    dict
        ``tau`` (10,) generalised forces (N for 0-1, N·m for 2-9; 0-2 are the floating-base
        residual), ``grf`` (2,) N, ``zmp_x`` (m), ``box_force`` (2,) N on the hand.

    Examples
    --------
    >>> m = build_model_2d(Subject("male", 80.0, 1.80))
    >>> out = inverse_dynamics(m, m.standing_q(), [0] * 10, [0] * 10, 0.0)
    >>> round(float(out["grf"][1]) / 9.81, 1)   # standing still: GRF = body weight
    80.0
    """
    q, qd, qdd = _as_col(q), _as_col(qd), _as_col(qdd)
    fk = forward_kinematics(model, q, qd, qdd)
    grf, zmp_x = ground_reaction(model, fk, box_weight_n, ground_z_m)
    f_box = _box_force(model, fk, box_weight_n)
    ext = {"forearm_hand": [(point_kinematics(model, fk, "hand")[0], f_box)],
           "rear_foot": [(ca.vertcat(zmp_x, ground_z_m), grf)]}
    g = ca.vertcat(0.0, -G)
    force, moment = {}, {}
    tau = [None] * 10
    for s in reversed(model.segments):
        k = fk[s.name]
        rc = _rot(k["phi"], s.com_xz)
        ac = k["a"] + k["alpha"] * _perp(rc) - k["omega"] ** 2 * rc
        dyn = s.mass * (ac - g)
        f = dyn
        m = s.inertia * k["alpha"] + _cross_y(rc, dyn)
        for point, fe in ext.get(s.name, []):
            f = f - fe
            m = m - _cross_y(point - k["p"], fe)
        for c in model.segments:
            if c.parent == s.name:
                f = f + force[c.name]
                m = m + moment[c.name] + _cross_y(fk[c.name]["p"] - k["p"], force[c.name])
        force[s.name], moment[s.name] = f, m
        if s.parent is None:
            tau[0], tau[1], tau[2] = f[0], f[1], m
        else:
            tau[s.dof] = s.sign * m
    return {"tau": ca.vertcat(*tau), "grf": grf, "zmp_x": zmp_x, "box_force": f_box}


def inverse_dynamics_lagrange(model: Model2D, q, qd, qdd, box_weight_n, ground_z_m: float = 0.0):
    """Generalised forces from the Euler-Lagrange equations (independent check).

    ``Q = d/dt(dL/dqd) - dL/dq - sum_k J_k(q)^T F_k`` with ``L = T - V`` built from segment
    centre-of-mass velocities and angular velocities; the derivatives are taken by CasADi's
    automatic differentiation, not by the recursion of :func:`inverse_dynamics`. The external
    forces (box, GRF at the ZMP) are evaluated first and held fixed, as in the Newton-Euler
    version.

    Parameters
    ----------
    model : Model2D
        The subject's 2D model (m, kg, kg·m²).
    q, qd, qdd : array_like or casadi
        Generalised positions (m, rad), velocities (m/s, rad/s) and accelerations (m/s², rad/s²).
    box_weight_n : float or casadi scalar
        Box weight W (N).
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    casadi DM (10,)

    Examples
    --------
    >>> m = build_model_2d(Subject("female", 60.0, 1.65))
    >>> tau = inverse_dynamics_lagrange(m, m.standing_q(), [0] * 10, [0] * 10, 0.0)
    >>> bool(abs(float(tau[1])) < 1e-9)   # floating base balanced by the GRF
    True
    """
    qn, qdn, qddn = (np.asarray(v, float) for v in (q, qd, qdd))
    fk_num = forward_kinematics(model, ca.DM(qn), ca.DM(qdn), ca.DM(qddn))
    grf, zmp_x = ground_reaction(model, fk_num, float(box_weight_n), ground_z_m)
    f_box = _box_force(model, fk_num, float(box_weight_n))
    # local point of the rear foot that is at the ZMP now
    foot = fk_num["rear_foot"]
    c, s = ca.cos(foot["phi"]), ca.sin(foot["phi"])
    d = ca.vertcat(zmp_x, ground_z_m) - foot["p"]
    zmp_local = ca.evalf(ca.vertcat(c * d[0] - s * d[1], s * d[0] + c * d[1]))

    qs, qds, qdds = ca.SX.sym("q", 10), ca.SX.sym("qd", 10), ca.SX.sym("qdd", 10)
    fk = forward_kinematics(model, qs)
    kin, pot = 0.0, 0.0
    for seg in model.segments:
        if seg.mass == 0.0:
            continue
        pc = fk[seg.name]["p"] + _rot(fk[seg.name]["phi"], seg.com_xz)
        vc = ca.jtimes(pc, qs, qds)
        w = ca.jtimes(fk[seg.name]["phi"], qs, qds)
        kin = kin + 0.5 * seg.mass * ca.dot(vc, vc) + 0.5 * seg.inertia * w**2
        pot = pot + seg.mass * G * pc[1]
    lag = kin - pot
    dl_dqd = ca.gradient(lag, qds)
    ddt = ca.jacobian(dl_dqd, qs) @ qds + ca.jacobian(dl_dqd, qds) @ qdds
    q_gen = ddt - ca.gradient(lag, qs)
    p_hand, _, _ = point_kinematics(model, fk, "hand")
    p_zmp, _, _ = point_kinematics(model, fk, "rear_foot", local=[zmp_local[0], zmp_local[1]])
    q_gen = q_gen - ca.jacobian(p_hand, qs).T @ ca.DM(f_box) - ca.jacobian(p_zmp, qs).T @ ca.evalf(grf)
    fn = ca.Function("lagrange", [qs, qds, qdds], [q_gen])
    return fn(qn, qdn, qddn)
