"""3D human model for symmetric lifting, reduced from the 40 DOFs of Zaman et al. 2021 to 29.

Zaman et al. 2021 (2D vs 3D symmetric lifting, sec. 2.1) use 6 global DOFs, a 6-DOF spine and
7-DOF arms and legs. This model keeps the structure with fewer DOFs (stated, not hidden):

* 6 global DOFs: pelvis translation x, y, z (m) and rotations yaw (about Z), tilt (about Y,
  forward positive, as in 2D) and roll (about X);
* spine (one joint at the omphalion, as in 2D): flexion, lateral bend (left positive),
  axial rotation;
* each arm: shoulder flexion, abduction, rotation; elbow flexion (no wrist, hand rigid with
  the forearm);
* each leg: hip flexion, abduction, rotation; knee flexion; ankle dorsiflexion and inversion
  (no MTP joint: the feet are flat and fixed).

Left and right axes are mirrored so that a symmetric posture has equal left and right joint
angles. World frame: X forward, Z up, Y left. Segment parameters: de Leva (1996) per side
(not doubled). Lateral offsets (not in de Leva): shoulder joint centres at +-0.259 H / 2
(Winter 2009, Fig. 4.1 shoulder width 0.259 H) and hip joint centres and ankles at
+-0.191 H / 4 (Winter's hip width 0.191 H; at 1.82 m this is 0.087 m, the same as
0.36 x the 0.245 m inter-ASIS distance of Subject #8 (Zaman et al. 2021, Table 2) by Bell et al.'s 1990 rule).

Dynamics: spatial recursive Newton-Euler (:func:`inverse_dynamics`), checked against an
Euler-Lagrange formulation from CasADi derivatives (:func:`inverse_dynamics_lagrange`). The
ground reaction resultant acts at the ZMP and is split between the feet linearly in the ZMP's
lateral position, which reproduces the resultant force and moment exactly (free moment shared).
"""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np

from liftrisk.core.subject import Subject
from liftrisk.predict.model2d import build_model_2d

G = 9.81
SIDES = ("r", "l")
_SIGN = {"r": -1.0, "l": 1.0}
SHOULDER_WIDTH_FRAC = 0.259 / 2  # Winter 2009 Fig. 4.1
HIP_HALF_WIDTH_FRAC = 0.191 / 4  # Winter 2009 Fig. 4.1 hip width, see module docstring


@dataclass(frozen=True)
class Body:
    """One body of the kinematic tree; massless bodies carry intermediate joint axes.

    Attributes
    ----------
    name : str
        Body name.
    parent : str or None
        Parent body (None for the root).
    dof : int
        Index of its joint coordinate in q.
    kind : str
        ``"rev"`` (revolute, rad) or ``"pri"`` (prismatic, m).
    axis : tuple
        Joint axis in the parent's (and, for "rev", the body's) frame.
    offset : tuple
        Joint position in the parent frame (m).
    mass : float
        Mass (kg).
    com : tuple
        Centre of mass in the body frame (m).
    inertia : tuple
        Principal moments about the CoM along local x, y, z (kg·m²).
    """

    name: str
    parent: str | None
    dof: int
    kind: str            # "rev" or "pri"
    axis: tuple          # joint axis in the parent's (and, for "rev", the body's) frame
    offset: tuple        # joint position in the parent frame (m)
    mass: float = 0.0
    com: tuple = (0.0, 0.0, 0.0)
    inertia: tuple = (0.0, 0.0, 0.0)  # principal moments about the CoM along local x, y, z (kg m²)


@dataclass(frozen=True)
class Model3D:
    """The 29-DOF 3D lifting model of one subject (build with :func:`build_model_3d`).

    Attributes
    ----------
    subject : Subject
        The subject it is scaled to.
    bodies : tuple of Body
        The bodies, parents first.
    dof_names : tuple of str
        Name of each generalised coordinate.
    points : dict
        Point name -> (body, local offset in m).
    ankle_height_m, foot_half_width_m, heel_x_m, toe_x_m : float
        Foot geometry (m).
    """

    subject: Subject
    bodies: tuple
    dof_names: tuple
    points: dict
    ankle_height_m: float
    foot_half_width_m: float
    heel_x_m: float
    toe_x_m: float

    @property
    def ndof(self) -> int:
        return len(self.dof_names)

    @property
    def total_mass_kg(self) -> float:
        return float(sum(b.mass for b in self.bodies))

    def index(self, name: str) -> int:
        """Index of a DOF by name."""
        return self.dof_names.index(name)

    def standing_q(self) -> np.ndarray:
        """Upright stance, feet flat under the hips, ankles at X = 0 (m, rad)."""
        q = np.zeros(self.ndof)
        q[2] = self._leg_length
        return q

    @property
    def _leg_length(self) -> float:
        thigh = -self._body("r_knee").offset[2]
        shank = -self._body("r_ankle_flex").offset[2]
        return thigh + shank + self.ankle_height_m

    def _body(self, name):
        for b in self.bodies:
            if b.name == name:
                return b
        raise KeyError(name)


def build_model_3d(subject: Subject) -> Model3D:
    """Scale the 29-DOF 3D model to a subject (de Leva 1996; geometry as the 2D model).

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).

    Returns
    -------
    Model3D
        The scaled model.

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> m.ndof, round(m.total_mass_kg, 1)
    (29, 80.0)
    """
    m2 = build_model_2d(subject)   # same segment lengths, CoMs and foot geometry (halve the limbs)
    seg = {s.name: s for s in m2.segments}
    H = subject.height_m
    names = []
    bodies = []

    def add(name, parent, kind, axis, offset, mass=0.0, com=(0, 0, 0), inertia=(0, 0, 0), dof_name=None):
        names.append(dof_name or name)
        bodies.append(Body(name, parent, len(names) - 1, kind, tuple(axis), tuple(offset), mass, tuple(com),
                           tuple(inertia)))

    def props(s2, halve):
        k = 0.5 if halve else 1.0
        # sagittal inertia from the 2D model; other axes from de Leva radii where cheap, else the same
        return k * s2.mass, (s2.com_xz[0], 0.0, s2.com_xz[1]), (k * s2.inertia, k * s2.inertia, 0.2 * k * s2.inertia)

    add("pelvis_x_m", None, "pri", (1, 0, 0), (0, 0, 0))
    add("pelvis_y_m", "pelvis_x_m", "pri", (0, 1, 0), (0, 0, 0))
    add("pelvis_z_m", "pelvis_y_m", "pri", (0, 0, 1), (0, 0, 0))
    add("pelvis_yaw", "pelvis_z_m", "rev", (0, 0, 1), (0, 0, 0))
    add("pelvis_tilt", "pelvis_yaw", "rev", (0, 1, 0), (0, 0, 0))
    m, c, i = props(seg["pelvis"], False)
    add("pelvis", "pelvis_tilt", "rev", (1, 0, 0), (0, 0, 0), m, c, i, dof_name="pelvis_roll")
    lpt = seg["torso"].joint_xz[1]
    add("spine", "pelvis", "rev", (0, 1, 0), (0, 0, lpt))
    add("spine_lateral", "spine", "rev", (-1, 0, 0), (0, 0, 0))
    m, c, i = props(seg["torso"], False)
    add("torso", "spine_lateral", "rev", (0, 0, 1), (0, 0, 0), m, c, i, dof_name="spine_rotation")
    z_sh = seg["upper_arm"].joint_xz[1]
    for s in SIDES:
        sg = _SIGN[s]
        add(f"{s}_shoulder", "torso", "rev", (0, -1, 0), (0, sg * SHOULDER_WIDTH_FRAC * H, z_sh))
        add(f"{s}_shoulder_abduction", f"{s}_shoulder", "rev", (sg, 0, 0), (0, 0, 0))
        m, c, i = props(seg["upper_arm"], True)
        add(f"{s}_upper_arm", f"{s}_shoulder_abduction", "rev", (0, 0, sg), (0, 0, 0), m, c, i,
            dof_name=f"{s}_shoulder_rotation")
        m, c, i = props(seg["forearm_hand"], True)
        add(f"{s}_elbow", f"{s}_upper_arm", "rev", (0, -1, 0), (0, 0, seg["forearm_hand"].joint_xz[1]), m, c, i)
    for s in SIDES:
        sg = _SIGN[s]
        add(f"{s}_hip", "pelvis", "rev", (0, -1, 0), (0, sg * HIP_HALF_WIDTH_FRAC * H, 0))
        add(f"{s}_hip_abduction", f"{s}_hip", "rev", (sg, 0, 0), (0, 0, 0))
        m, c, i = props(seg["thigh"], True)
        add(f"{s}_thigh", f"{s}_hip_abduction", "rev", (0, 0, sg), (0, 0, 0), m, c, i, dof_name=f"{s}_hip_rotation")
        m, c, i = props(seg["shank"], True)
        add(f"{s}_knee", f"{s}_thigh", "rev", (0, 1, 0), (0, 0, seg["shank"].joint_xz[1]), m, c, i)
        add(f"{s}_ankle_flex", f"{s}_knee", "rev", (0, -1, 0), (0, 0, seg["rear_foot"].joint_xz[1]),
            dof_name=f"{s}_ankle")
        m, c, i = props(seg["rear_foot"], True)
        add(f"{s}_foot", f"{s}_ankle_flex", "rev", (sg, 0, 0), (0, 0, 0), m, c, i, dof_name=f"{s}_ankle_inversion")
    hand_z = m2.points["hand"][1][1]
    heel = m2.points["heel"][1]
    points = {}
    for s in SIDES:
        points[f"{s}_hand"] = (f"{s}_elbow", (0.0, 0.0, hand_z))
        points[f"{s}_ankle"] = (f"{s}_foot", (0.0, 0.0, 0.0))
        points[f"{s}_shoulder"] = (f"{s}_upper_arm", (0.0, 0.0, 0.0))
    toe_x = m2.points["mtp"][1][0] + m2.points["toe"][1][0]
    return Model3D(subject, tuple(bodies), tuple(names), points, -heel[1], HIP_HALF_WIDTH_FRAC * H, heel[0], toe_x)


# ----------------------------------------------------------------------------------- helpers

def _skew(a):
    return ca.vertcat(ca.horzcat(0, -a[2], a[1]), ca.horzcat(a[2], 0, -a[0]), ca.horzcat(-a[1], a[0], 0))


def _axis_rot(axis, q):
    k = _skew(ca.DM(axis))
    return ca.DM.eye(3) + ca.sin(q) * k + (1 - ca.cos(q)) * (k @ k)


def _as_col(v):
    return v if isinstance(v, (ca.SX, ca.MX, ca.DM)) else ca.DM(np.asarray(v, float))


def forward_kinematics(model: Model3D, q, qd=None, qdd=None) -> dict:
    """Recursive spatial kinematics: per body ``R`` (3x3, body to world), origin ``p, v, a``
    (m, m/s, m/s²), ``w, dw`` (rad/s, rad/s²) and world joint axis ``z``; world frame.

    Parameters
    ----------
    model : Model3D
        The subject's 3D model (m, kg, kg·m²).
    q : array_like or casadi
        (29,) generalised positions (m, rad).
    qd, qdd : array_like or casadi, optional
        Velocities and accelerations (m/s, rad/s; m/s², rad/s²).

    Returns
    -------
    dict
        Body name -> ``R`` (3x3), origin ``p, v, a`` (m, m/s, m/s²), angular ``w, dw`` (rad/s,
        rad/s²) in world axes.

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> fk = forward_kinematics(m, m.standing_q())
    >>> np.round(np.asarray(fk["l_foot"]["p"]).ravel(), 3).tolist()   # left ankle, m
    [0.0, 0.086, 0.07]
    """
    q = _as_col(q)
    n = model.ndof
    qd = ca.DM.zeros(n) if qd is None else _as_col(qd)
    qdd = ca.DM.zeros(n) if qdd is None else _as_col(qdd)
    zero = ca.DM.zeros(3)
    out = {}
    for b in model.bodies:
        if b.parent is None:
            R_p, p_p, v_p, a_p, w_p, dw_p = ca.DM.eye(3), zero, zero, zero, zero, zero
        else:
            par = out[b.parent]
            R_p, p_p, v_p, a_p, w_p, dw_p = par["R"], par["p"], par["v"], par["a"], par["w"], par["dw"]
        z = R_p @ ca.DM(b.axis)
        r = R_p @ ca.DM(b.offset)
        qi, qdi, qddi = q[b.dof], qd[b.dof], qdd[b.dof]
        if b.kind == "pri":
            r = r + z * qi
            R = R_p
            w, dw = w_p, dw_p
            v = v_p + ca.cross(w_p, r) + z * qdi
            a = a_p + ca.cross(dw_p, r) + ca.cross(w_p, ca.cross(w_p, r)) + 2 * ca.cross(w_p, z * qdi) + z * qddi
        else:
            R = R_p @ _axis_rot(b.axis, qi)
            w = w_p + z * qdi
            dw = dw_p + ca.cross(w_p, z * qdi) + z * qddi
            v = v_p + ca.cross(w_p, r)
            a = a_p + ca.cross(dw_p, r) + ca.cross(w_p, ca.cross(w_p, r))
        out[b.name] = {"R": R, "p": p_p + r, "v": v, "a": a, "w": w, "dw": dw, "z": z}
    return out


def fixed_right_foot_base(model: Model3D, q, qd=None, qdd=None):
    """Replace the six floating-base DOFs by the values that keep the right foot flat
    (foot frame = world frame) with its ankle joint at (0, -hip half width, ankle height).

    With the feet fixed on the floor (Zaman et al. 2021, Table 1, constraint 3) the base is not
    free: it follows from the right leg's joint angles (closed form: pelvis rotation = foot
    rotation transposed, split into the model's yaw-tilt-roll (Z-Y-X) angles; position from the
    ankle). The left foot closes the loop and stays a constraint. Velocities and accelerations by the chain rule.

    Parameters
    ----------
    model : Model3D
    q, qd, qdd : casadi SX (ndof,)
        Generalised coordinates (base entries are ignored); ``q`` must be a symbol for the
        derivatives.

    Returns
    -------
    (q, qd, qdd) with the base replaced (``qd``/``qdd`` None when not given).

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> q = ca.SX.sym("q", m.ndof)
    >>> qf = fixed_right_foot_base(m, q)[0]
    >>> fk = forward_kinematics(m, qf)
    >>> f = ca.Function("f", [q], [fk["r_foot"]["R"], point_kinematics(m, fk, "r_ankle")[0]])
    >>> R, p = f(np.random.default_rng(0).uniform(-0.4, 0.4, m.ndof))
    >>> np.allclose(np.asarray(R), np.eye(3)), np.allclose(np.asarray(p).ravel(), [0, -m.foot_half_width_m, 0.0702])
    (True, True)
    """
    qj = q[6:]
    q0 = ca.vertcat(ca.SX.zeros(6), qj)
    fk0 = forward_kinematics(model, q0)
    R = fk0["r_foot"]["R"].T
    p_a = point_kinematics(model, fk0, "r_ankle")[0]
    target = ca.DM([0.0, -model.foot_half_width_m, model.ankle_height_m])
    pos = target - R @ p_a
    tilt = ca.atan2(-R[2, 0], ca.sqrt(R[2, 1] ** 2 + R[2, 2] ** 2))
    base = ca.vertcat(pos, ca.atan2(R[1, 0], R[0, 0]), tilt, ca.atan2(R[2, 1], R[2, 2]))
    q_out = ca.vertcat(base, qj)
    if qd is None:
        return q_out, None, None
    J = ca.jacobian(base, q)
    bd = J @ qd
    qd_out = ca.vertcat(bd, qd[6:])
    if qdd is None:
        return q_out, qd_out, None
    bdd = J @ qdd + ca.jtimes(bd, q, qd)
    return q_out, qd_out, ca.vertcat(bdd, qdd[6:])


def point_kinematics(model: Model3D, fk: dict, name: str, local=None):
    """World position, velocity, acceleration (3,) of a named point (or body + local offset).

    Parameters
    ----------
    model : Model3D
        The subject's 3D model (m, kg, kg·m²).
    fk : dict
        Output of :func:`forward_kinematics`.
    name : str
        A key of ``model.points`` (or a body name when ``local`` is given).
    local : (3,) array_like, optional
        Offset in that body's frame (m).

    Returns
    -------
    (p, v, a)
        World position (m), velocity (m/s) and acceleration (m/s²), each (3,).

    Examples
    --------
    >>> m = build_model_3d(Subject("female", 60.0, 1.65))
    >>> p, v, a = point_kinematics(m, forward_kinematics(m, m.standing_q()), "r_hand")
    >>> float(p[1]) < 0   # the right hand is on the right (-Y)
    True
    """
    body, off = (name, local) if local is not None else model.points[name]
    k = fk[body]
    r = k["R"] @ ca.DM(off) if not isinstance(off, (ca.SX, ca.MX)) else k["R"] @ off
    return (k["p"] + r, k["v"] + ca.cross(k["w"], r),
            k["a"] + ca.cross(k["dw"], r) + ca.cross(k["w"], ca.cross(k["w"], r)))


def _body_dynamics(b, k):
    """m (a_c - g), CoM offset, and the body's angular momentum rate about its CoM."""
    g = ca.DM([0.0, 0.0, -G])
    rc = k["R"] @ ca.DM(b.com)
    ac = k["a"] + ca.cross(k["dw"], rc) + ca.cross(k["w"], ca.cross(k["w"], rc))
    Iw = k["R"] @ ca.diag(ca.DM(b.inertia)) @ k["R"].T
    return b.mass * (ac - g), rc, Iw @ k["dw"] + ca.cross(k["w"], Iw @ k["w"])


def ground_reactions(model: Model3D, fk: dict, hand_weights_n, ground_z_m: float = 0.0) -> dict:
    """Whole-body GRF resultant, ZMP (x, y) and its split into right and left foot forces.

    Parameters
    ----------
    model : Model3D
        The subject's 3D model (m, kg, kg·m²).
    fk : dict
        Output of :func:`forward_kinematics` (with velocities and accelerations).
    hand_weights_n : (2,) array_like or casadi
        Right and left box load (N), each moving with its hand.
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    dict with ``grf`` (3,), ``zmp`` (2,), ``free_moment`` (scalar N·m), ``grf_r``, ``grf_l``
    (3,), ``share_l`` (left share of the resultant), ``box_r``, ``box_l`` (3,) hand forces.

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> fk = forward_kinematics(m, m.standing_q(), np.zeros(m.ndof), np.zeros(m.ndof))
    >>> g = ground_reactions(m, fk, [0.0, 0.0])
    >>> round(float(g["grf"][2]), 1)   # standing still: body weight
    784.8
    """
    f = ca.DM.zeros(3)
    m_o = ca.DM.zeros(3)
    for b in model.bodies:
        if b.mass == 0.0:
            continue
        k = fk[b.name]
        dyn, rc, hdot = _body_dynamics(b, k)
        f = f + dyn
        m_o = m_o + hdot + ca.cross(k["p"] + rc, dyn)
    box = {}
    for s, w in zip(SIDES, (hand_weights_n[0], hand_weights_n[1]), strict=True):
        p, _, a = point_kinematics(model, fk, f"{s}_hand")
        box[s] = (w / G) * (ca.DM([0.0, 0.0, -G]) - a)
        f = f - box[s]
        m_o = m_o - ca.cross(p, box[s])
    # moment about the ground-plane origin
    m_g = m_o - ca.cross(ca.DM([0.0, 0.0, ground_z_m]), f)
    y = m_g[0] / f[2]
    x = -m_g[1] / f[2]
    tz = m_g[2] - (x * f[1] - y * f[0])
    yl, yr = model.foot_half_width_m, -model.foot_half_width_m
    s_l = (y - yr) / (yl - yr)
    return {"grf": f, "zmp": ca.vertcat(x, y), "free_moment": tz, "grf_l": s_l * f, "grf_r": (1 - s_l) * f,
            "share_l": s_l, "box_r": box["r"], "box_l": box["l"]}


def inverse_dynamics(model: Model3D, q, qd, qdd, hand_weights_n, ground_z_m: float = 0.0) -> dict:
    """Spatial recursive Newton-Euler inverse dynamics with box loads at both hands.

    Parameters
    ----------
    model : Model3D
        The subject's 3D model (m, kg, kg·m²).
    q, qd, qdd : array_like or casadi
        Generalised positions (m, rad), velocities (m/s, rad/s) and accelerations (m/s², rad/s²).
    hand_weights_n : (2,) array_like or casadi
        Box load on the right and left hand (N).
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    dict
        ``tau`` (ndof,) generalised forces (N for prismatic, N·m for revolute DOFs; the first
        six are the floating-base residual, zero up to round-off), plus the entries of
        :func:`ground_reactions`.

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> out = inverse_dynamics(m, m.standing_q(), [0] * 29, [0] * 29, [50.0, 50.0])
    >>> round(float(out["grf_l"][2]), 1) == round(float(out["grf_r"][2]), 1)
    True
    """
    q, qd, qdd = _as_col(q), _as_col(qd), _as_col(qdd)
    fk = forward_kinematics(model, q, qd, qdd)
    gr = ground_reactions(model, fk, hand_weights_n, ground_z_m)
    x = gr["zmp"][0]
    ext = {}
    for s in SIDES:
        hand_body = model.points[f"{s}_hand"][0]
        ext.setdefault(hand_body, []).append((point_kinematics(model, fk, f"{s}_hand")[0], gr[f"box_{s}"], 0.0))
        foot_y = model.foot_half_width_m * _SIGN[s]
        ext.setdefault(f"{s}_foot", []).append((ca.vertcat(x, foot_y, ground_z_m), gr[f"grf_{s}"],
                                               0.5 * gr["free_moment"]))
    children = {}
    for b in model.bodies:
        children.setdefault(b.parent, []).append(b)
    force, moment = {}, {}
    tau = [None] * model.ndof
    for b in reversed(model.bodies):
        k = fk[b.name]
        if b.mass > 0.0:
            dyn, rc, hdot = _body_dynamics(b, k)
            f = dyn
            mo = hdot + ca.cross(rc, dyn)
        else:
            f, mo = ca.DM.zeros(3), ca.DM.zeros(3)
        for point, fe, tz in ext.get(b.name, []):
            f = f - fe
            mo = mo - ca.cross(point - k["p"], fe) - ca.vertcat(0, 0, tz)
        for c in children.get(b.name, []):
            f = f + force[c.name]
            mo = mo + moment[c.name] + ca.cross(fk[c.name]["p"] - k["p"], force[c.name])
        force[b.name], moment[b.name] = f, mo
        tau[b.dof] = ca.dot(k["z"], f) if b.kind == "pri" else ca.dot(k["z"], mo)
    out = dict(gr)
    out["tau"] = ca.vertcat(*tau)
    return out


def inverse_dynamics_lagrange(model: Model3D, q, qd, qdd, hand_weights_n, ground_z_m: float = 0.0):
    """Generalised forces from the Euler-Lagrange equations (CasADi derivatives of the kinetic
    and potential energy), external forces (box, both feet at the ZMP split, free moments)
    evaluated first and applied through point Jacobians; an independent check of
    :func:`inverse_dynamics`.

    Parameters
    ----------
    model : Model3D
        The subject's 3D model (m, kg, kg·m²).
    q, qd, qdd : array_like or casadi
        Generalised positions (m, rad), velocities (m/s, rad/s) and accelerations (m/s², rad/s²).
    hand_weights_n : (2,) array_like or casadi
        Box load on the right and left hand (N).
    ground_z_m : float
        Height of the ground plane (m).

    Returns
    -------
    casadi.DM
        (29,) generalised forces (N for translations, N·m for rotations).

    Examples
    --------
    >>> m = build_model_3d(Subject("male", 80.0, 1.80))
    >>> tau = inverse_dynamics_lagrange(m, m.standing_q(), np.zeros(29), np.zeros(29), [0.0, 0.0])
    >>> bool(abs(float(tau[2])) < 1e-8)   # vertical floating-base residual
    True
    """
    qn, qdn, qddn = (np.asarray(v, float) for v in (q, qd, qdd))
    n = model.ndof
    fk_num = forward_kinematics(model, ca.DM(qn), ca.DM(qdn), ca.DM(qddn))
    gr = ground_reactions(model, fk_num, [float(w) for w in hand_weights_n], ground_z_m)
    gr = {k: ca.evalf(v) for k, v in gr.items()}
    qs, qds, qdds = ca.SX.sym("q", n), ca.SX.sym("qd", n), ca.SX.sym("qdd", n)
    fk = forward_kinematics(model, qs, qds)
    kin, pot = 0.0, 0.0
    for b in model.bodies:
        if b.mass == 0.0:
            continue
        k = fk[b.name]
        pc = k["p"] + k["R"] @ ca.DM(b.com)
        vc = ca.jtimes(pc, qs, qds)
        w = k["w"]
        Iw = k["R"] @ ca.diag(ca.DM(b.inertia)) @ k["R"].T
        kin = kin + 0.5 * b.mass * ca.dot(vc, vc) + 0.5 * ca.dot(w, Iw @ w)
        pot = pot + b.mass * G * pc[2]
    lag = kin - pot
    dl = ca.gradient(lag, qds)
    qgen = ca.jacobian(dl, qs) @ qds + ca.jacobian(dl, qds) @ qdds - ca.gradient(lag, qs)
    for s in SIDES:
        p_hand = point_kinematics(model, fk, f"{s}_hand")[0]
        qgen = qgen - ca.jacobian(p_hand, qs).T @ gr[f"box_{s}"]
        foot = fk_num[f"{s}_foot"]
        point = ca.vertcat(gr["zmp"][0], model.foot_half_width_m * _SIGN[s], ground_z_m)
        local = ca.evalf(foot["R"].T @ (point - foot["p"]))
        p_c = point_kinematics(model, fk, f"{s}_foot", local=local)[0]
        qgen = qgen - ca.jacobian(p_c, qs).T @ gr[f"grf_{s}"]
        # free moment: virtual work through the foot's angular velocity Jacobian
        jw = ca.jacobian(fk[f"{s}_foot"]["w"], qds)
        qgen = qgen - jw.T @ ca.vertcat(0, 0, 0.5 * gr["free_moment"])
    fn = ca.Function("lag3d", [qs, qds, qdds], [qgen])
    return fn(qn, qdn, qddn)
