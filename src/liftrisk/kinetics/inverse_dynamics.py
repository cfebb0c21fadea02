"""Newton-Euler inverse dynamics: top-down (hands + load) and bottom-up (ground reactions).

Method (Mehrizi et al. 2019, eq. 8-9, Hof 1992 for the gyroscopic term). For a set S of rigid
segments cut free at a joint point P, with external loads (force F_e at point r_e, free
moment M_e), the load that the rest of the body applies to S through the joint is

    F_P = sum_i m_i (a_i - g) - sum_e F_e
    M_P = sum_i [ (c_i - P) x m_i (a_i - g) + I_i alpha_i + omega_i x (I_i omega_i) ]
          - sum_e [ (r_e - P) x F_e + M_e ]

with c_i, a_i the CoM position and acceleration, I_i the world-frame inertia tensor about the
CoM, omega_i, alpha_i the angular velocity and acceleration (all world frame, SI). This is
Mehrizi et al.'s "global equation of motion" with the full Euler term added. It is evaluated for
all frames at once (no per-frame loops); derivatives are central differences on the given
samples (`numpy.gradient`, second order at the ends), so low-pass filter the motion first
(e.g. 6 Hz as OpenSim's gait example, 8 Hz as Mehrizi et al. 2019, sec. II.B).

Sign convention of every joint load: the force and moment that the PROXIMAL side applies to
the DISTAL side (the free-body set S), world frame, N and N·m. At L5/S1 the free body is
always the upper body: top-down gives it directly, bottom-up gives minus the load on the
lower body, so both read the same.

Anatomical components at L5/S1, in the trunk frame (x anterior, y left, z along the trunk
from L5/S1 to C7; see `segments`), or the pelvis frame when ``frame="pelvis"``:
``l5s1_extension_moment_nm`` = -M_y (positive = extensor moment, what holding a load in
front needs), ``l5s1_lateral_bending_left_moment_nm`` = -M_x (positive = bends the trunk to
the left), ``l5s1_axial_twist_left_moment_nm`` = M_z (positive = turns the front of the
trunk to the left), ``l5s1_axial_force_n`` = F_z (positive = the pelvis pushes the trunk
up along its axis), ``l5s1_anterior_force_n`` = F_x, ``l5s1_left_force_n`` = F_y.

Sagittal joint moments (distal segment frame): ``*_hip_extension_moment_nm`` = +M_y(thigh),
``*_knee_extension_moment_nm`` = -M_y(shank), ``*_ankle_plantarflexion_moment_nm`` =
+M_y(foot), ``*_shoulder_flexion_moment_nm`` = -M_y(upper arm), ``*_elbow_flexion_moment_nm``
= -M_y(forearm). OpenSim's gait2354 names map as hip_flexion = -hip_extension,
knee_angle = knee_extension, ankle_angle = -ankle_plantarflexion.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liftrisk.core.loads import GroundReaction, HandLoad, InsolePressure
from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics._vec3 import cross3, dot3, local3, world3
from liftrisk.kinetics.segments import (
    G_VECTOR,
    LOWER_BODY,
    SIDES,
    UPPER_BODY,
    SegmentParams,
    check_points,
    frame_axes3,
    ml_reference3,
    required_points,
    segment_parameters,
)


# ----------------------------------------------------------------------------- helpers
# Internally every vector time series is stored "component first", (3, T), so each
# operation runs on contiguous 1D arrays (several times faster than (T, 3) reductions).
# Public functions take and return (T, 3) / (T, 3, 3) arrays (first dimension = time).
def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product of (T, 3) arrays."""
    return cross3(a.T, b.T).T


_G3 = G_VECTOR[:, None]


_STEP_CACHE: list = [None, None]  # [weakref to a read-only time array, its _uniform_step]


def _uniform_step(t: np.ndarray) -> float | None:
    """The sampling step when `t` is uniform (to 1e-6 relative), else None. Memoised for the
    last read-only array (a Motion's time base), which every derivative of one call shares."""
    ref = _STEP_CACHE[0]
    if ref is not None and ref() is t:
        return _STEP_CACHE[1]
    dt = np.diff(t)
    h = None if np.ptp(dt) > 1e-6 * dt.mean() else float(dt.mean())
    if not t.flags.writeable:
        try:
            _STEP_CACHE[:] = [weakref.ref(t), h]
        except TypeError:  # arrays that do not support weak references
            pass
    return h


def _deriv(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """First time derivative along the LAST axis (central differences, second-order ends)."""
    if t.size < 3:
        raise DataQualityError(f"inverse dynamics needs at least 3 frames for derivatives; got {t.size}. "
                               "Use static=True for single postures")
    h = _uniform_step(t)
    if h is None:
        return np.gradient(x, t, axis=-1, edge_order=2)
    d = np.empty_like(x)
    d[..., 1:-1] = (x[..., 2:] - x[..., :-2]) * (0.5 / h)
    d[..., 0] = (-3.0 * x[..., 0] + 4.0 * x[..., 1] - x[..., 2]) * (0.5 / h)
    d[..., -1] = (3.0 * x[..., -1] - 4.0 * x[..., -2] + x[..., -3]) * (0.5 / h)
    return d


def _deriv2(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Second time derivative along the last axis: (x[i+1] - 2 x[i] + x[i-1]) / h^2 for
    uniform sampling (second-order one-sided ends); the first derivative twice otherwise."""
    h = _uniform_step(t) if t.size >= 4 else None
    if h is None:
        return _deriv(_deriv(x, t), t)
    k = 1.0 / (h * h)
    d = np.empty_like(x)
    d[..., 1:-1] = (x[..., 2:] - 2.0 * x[..., 1:-1] + x[..., :-2]) * k
    d[..., 0] = (2.0 * x[..., 0] - 5.0 * x[..., 1] + 4.0 * x[..., 2] - x[..., 3]) * k
    d[..., -1] = (2.0 * x[..., -1] - 5.0 * x[..., -2] + 4.0 * x[..., -3] - x[..., -4]) * k
    return d


def _axes_from_frames(frames: np.ndarray) -> np.ndarray:
    """(T, 3, 3) frames -> (3 axes, 3 components, T) contiguous."""
    return np.ascontiguousarray(np.transpose(frames, (2, 1, 0)))


def _angular_velocity3(axes: np.ndarray, t: np.ndarray) -> np.ndarray:
    """omega = 1/2 sum_k e_k x de_k/dt (orthonormal frame, since de_k/dt = omega x e_k)."""
    d = _deriv(axes, t)
    return 0.5 * (cross3(axes[0], d[0]) + cross3(axes[1], d[1]) + cross3(axes[2], d[2]))


@dataclass(frozen=True)
class SegmentState:
    """Kinematics and inertia of one segment over time (world frame, SI).

    Stored component-first; properties give the usual (T, 3) / (T, 3, 3) views.

    Attributes
    ----------
    params : SegmentParams
        The segment's de Leva parameters.
    com : numpy.ndarray
        (3, T) centre of mass (m, world frame).
    acc : numpy.ndarray
        (3, T) CoM acceleration (m/s², world frame).
    axes : numpy.ndarray
        (3, 3, T) the segment's local x, y, z axes in world coordinates.
    omega : numpy.ndarray
        (3, T) angular velocity (rad/s, world frame).
    alpha : numpy.ndarray
        (3, T) angular acceleration (rad/s², world frame).
    euler : numpy.ndarray
        (3, T) ``I alpha + omega x (I omega)`` (N·m, world frame).
    net_force : numpy.ndarray, optional
        (3, T) m (a - g) (N).
    net_moment_origin : numpy.ndarray, optional
        (3, T) c x m (a - g) + euler, about the world origin (N·m).
    inertia_local_kgm2 : numpy.ndarray
        (3,) principal moments of inertia about the CoM (kg·m²).
    """

    params: SegmentParams
    com: np.ndarray
    acc: np.ndarray
    axes: np.ndarray
    omega: np.ndarray
    alpha: np.ndarray
    inertia_local_kgm2: np.ndarray
    euler: np.ndarray
    net_force: np.ndarray | None = None
    net_moment_origin: np.ndarray | None = None

    @property
    def com_m(self) -> np.ndarray:
        """(T, 3) CoM position, m."""
        return self.com.T

    @property
    def acc_m_s2(self) -> np.ndarray:
        """(T, 3) CoM acceleration, m/s²."""
        return self.acc.T

    @property
    def omega_rad_s(self) -> np.ndarray:
        """(T, 3) angular velocity, rad/s."""
        return self.omega.T

    @property
    def alpha_rad_s2(self) -> np.ndarray:
        """(T, 3) angular acceleration, rad/s²."""
        return self.alpha.T

    @property
    def euler_moment_nm(self) -> np.ndarray:
        """(T, 3) I alpha + omega x (I omega), N·m."""
        return self.euler.T

    @property
    def frame(self) -> np.ndarray:
        """(T, 3, 3) rotation matrices (columns = local axes in world)."""
        return np.transpose(self.axes, (2, 1, 0))

    @property
    def inertia_kgm2(self) -> np.ndarray:
        """(T, 3, 3) inertia tensor about the CoM in the world frame, kg·m²."""
        R = self.frame
        return np.einsum("tij,j,tkj->tik", R, self.inertia_local_kgm2, R)


def segment_states(motion: Motion, params: dict[str, SegmentParams], names: Sequence[str],
                   static: bool = False, *, kinematics: dict | None = None) -> dict[str, SegmentState]:
    """CoM, accelerations, frames, angular velocity/acceleration and inertia per segment.

    With ``static=True`` all accelerations and angular velocities are zero (static
    equilibrium, as in Int J Intell Syst 2023, sec. 3.3). The Euler term
    ``I alpha + omega x (I omega)`` is evaluated in the segment frame, where I is diagonal,
    and rotated to the world frame. Frames follow `liftrisk.kinetics.segments`.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    params : dict
        Segment name -> `SegmentParams` (from `liftrisk.kinetics.segments.segment_parameters`).
    names : sequence of str
        Segments to compute.
    static : bool
        Zero accelerations and angular velocities (static equilibrium).
    kinematics : dict, optional
        Cache of the segments' frames and angular kinematics (which depend on the points
        only, not on the segment parameters): the entries found in it are used, the others
        are computed and added. Pass one dict to the calls on the same points (e.g.
        `estimate_ground_reaction` then `bottom_up`) to compute them once.

    Returns
    -------
    dict
        Segment name -> `SegmentState` (world frame, SI).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.segments import segment_parameters
    >>> st = segment_states(demo_posture(3), segment_parameters(Subject("male", 80.0, 1.80)), ["head_neck"])
    >>> st["head_neck"].com.shape, bool(abs(st["head_neck"].acc).max() < 1e-9)   # a still posture
    ((3, 3), True)
    """
    need = required_points(params, names)
    check_points(motion, need)
    return _segment_states3(_points3(motion, need), motion.time_s, params, names, static, kinematics)


def _points3(motion: Motion, names: Sequence[str], block: int = 1024) -> dict[str, np.ndarray]:
    """Contiguous (3, T) arrays of the named points: one cache-blocked gather + transpose of
    the (T, K, 3) positions (about 5x faster than transposing each point separately)."""
    names = list(dict.fromkeys(names))
    pos = motion.positions_m
    n_t, n_k = pos.shape[0], pos.shape[1]
    cols = np.array([3 * motion.index(n) + k for n in names for k in range(3)], dtype=np.intp)
    flat = pos.reshape(n_t, 3 * n_k)
    out = np.empty((cols.size, n_t))
    for t0 in range(0, n_t, block):
        out[:, t0:t0 + block] = flat[t0:t0 + block].take(cols, axis=1).T
    out = out.reshape(len(names), 3, n_t)
    return {n: out[i] for i, n in enumerate(names)}


def _segment_states3(pts: dict[str, np.ndarray], t: np.ndarray, params: dict[str, SegmentParams],
                     names: Sequence[str], static: bool, kinematics: dict | None = None) -> dict[str, SegmentState]:
    """`segment_states` on (3, T) point arrays. Segments on the same carrier line with the
    same medio-lateral reference (upper and middle trunk) share one frame, angular velocity
    and angular acceleration; `kinematics`: a cache of them shared between calls on the same
    points (see `segment_states`)."""
    refs: dict[str, np.ndarray] = {}
    kin: dict[tuple, tuple] = {} if kinematics is None else kinematics
    out = {}
    for n in names:
        p = params[n]
        key = (p.proximal, p.distal, p.ml_reference, p.is_foot, bool(static))
        if key not in kin:
            if p.ml_reference not in refs:
                refs[p.ml_reference] = ml_reference3(pts, p.ml_reference)
            axes = frame_axes3(p, pts, refs[p.ml_reference])
            kin[key] = (axes, None if static else _rotation_kinematics3(axes, t))
        axes, rot = kin[key]
        a, b = p.endpoints(pts)
        seg = b - a
        com = a + p.com_fraction * seg
        step = max(1, seg.shape[1] // 4096)  # the median of a regular subsample is enough
        sub = seg[:, ::step]
        ln = np.sqrt(dot3(sub, sub))
        ln = ln[np.isfinite(ln)]
        if ln.size == 0:
            raise DataQualityError(f"segment {n}: {p.proximal}/{p.distal} are missing in every frame")
        diag = np.diag(p.inertia_local(float(np.median(ln)))).copy()
        out[n] = _state3(p, p.mass_kg, com, axes, diag, t, static, rot)
    return out


def _rotation_kinematics3(axes: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """World angular velocity and acceleration and their segment-frame components, (3, T) each."""
    om = _angular_velocity3(axes, t)
    al = _deriv(om, t)
    return om, al, local3(axes, om), local3(axes, al)


def _state3(params, mass_kg: float, com: np.ndarray, axes: np.ndarray, diag: np.ndarray, t: np.ndarray,
            static: bool, rot: tuple | None = None) -> SegmentState:
    """SegmentState from (3, T) CoM and (3, 3, T) axes (Newton-Euler terms of one body);
    `rot` = precomputed `_rotation_kinematics3(axes, t)`."""
    if static:
        z0 = np.zeros_like(com)
        acc, om, al, euler = z0, z0, z0, z0
    else:
        acc = _deriv2(com, t)
        om, al, om_l, al_l = _rotation_kinematics3(axes, t) if rot is None else rot
        d = diag[:, None]
        euler = world3(axes, d * al_l + cross3(om_l, d * om_l))
    lin = mass_kg * (acc - _G3)
    ang = cross3(com, lin)
    ang += euler
    return SegmentState(params, com, acc, axes, om, al, diag, euler, lin, ang)


def rigid_body_state(mass_kg: float, com_m: np.ndarray, frames: np.ndarray, inertia_kgm2, time_s,
                     static: bool = False, name: str = "body") -> SegmentState:
    """Newton-Euler state of any rigid body given its CoM path and orientation.

    For bodies not built from de Leva parameters (e.g. a musculoskeletal model's bodies
    posed by its own kinematics), so `cut_load` can combine them with the same equations.

    Parameters
    ----------
    mass_kg : float
        Body mass, kg.
    com_m : (T, 3) array
        Centre of mass, m, world frame.
    frames : (T, 3, 3) array
        Rotation matrices (columns = body axes in world).
    inertia_kgm2 : (3,) or (3, 3) array
        Inertia about the CoM in the body frame, kg·m² (products of inertia must be zero,
        i.e. the body axes are principal axes).
    time_s : (T,) array
    static : bool
        Zero accelerations and angular velocities.
    name : str
        Label only.

    Returns
    -------
    SegmentState
        ``params`` is None; use with `cut_load`.

    Examples
    --------
    >>> t = np.linspace(0.0, 1.0, 11)
    >>> st = rigid_body_state(2.0, np.zeros((11, 3)), np.tile(np.eye(3), (11, 1, 1)), [0.1, 0.1, 0.1], t)
    >>> f, m = cut_load({"b": st}, ["b"], np.zeros((11, 3)))
    >>> f[0].round(6).tolist()
    [0.0, 0.0, 19.62]
    """
    inertia = np.asarray(inertia_kgm2, float)
    if inertia.shape == (3, 3):
        if np.abs(inertia - np.diag(np.diag(inertia))).max() > 1e-12 * max(np.abs(inertia).max(), 1.0):
            raise DataQualityError(f"rigid body {name!r}: the inertia has products of inertia; give it in principal "
                                   "axes (rotate `frames` by its eigenvectors)")
        inertia = np.diag(inertia)
    if inertia.shape != (3,):
        raise DataQualityError(f"rigid body {name!r}: inertia_kgm2 has shape {inertia.shape}; expected (3,) or (3, 3)")
    com = np.ascontiguousarray(np.asarray(com_m, float).T)
    axes = _axes_from_frames(np.asarray(frames, float))
    t = np.asarray(time_s, float)
    return _state3(None, float(mass_kg), com, axes, inertia.copy(), t, static)


@dataclass(frozen=True)
class PointLoad:
    """An external load on the body.

    Attributes
    ----------
    force_n : numpy.ndarray
        (T, 3) force on the body (N, world frame).
    point_m : numpy.ndarray
        (T, 3) point of application (m, world frame).
    moment_nm : numpy.ndarray
        (T, 3) free moment (N·m, world frame).
    """

    force_n: np.ndarray
    point_m: np.ndarray
    moment_nm: np.ndarray


def _cut_load3(states: dict[str, SegmentState], names: Sequence[str], point: np.ndarray,
               external: Sequence[PointLoad] = ()) -> tuple[np.ndarray, np.ndarray]:
    """`cut_load` on (3, T) arrays."""
    f = np.zeros_like(point)
    mc = np.zeros_like(point)  # sum of c_i x m_i (a_i - g) and Euler terms
    for n in names:
        f += states[n].net_force
        mc += states[n].net_moment_origin
    for e in external:
        fe = e.force_n.T
        f -= fe
        mc -= cross3(e.point_m.T, fe) + e.moment_nm.T
    # moment about the point: sum (c - P) x F = sum c x F - P x sum F
    return f, mc - cross3(point, f)


def cut_load(states: dict[str, SegmentState], names: Sequence[str], point_m: np.ndarray,
             external: Sequence[PointLoad] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Force and moment (world, about `point_m`) the rest of the body applies to `names`.

    Implements the module's Newton-Euler sum (Mehrizi et al. 2019, eq. 8-9, with omega x I omega).

    Parameters
    ----------
    states : dict
        From `segment_states`.
    names : sequence of str
        The free-body segments.
    point_m : (T, 3) array
        The joint centre, m, world frame.
    external : sequence of PointLoad
        External loads on the free body.

    Returns
    -------
    force_n, moment_nm : (T, 3) arrays

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.segments import segment_parameters
    >>> m = demo_posture(3)
    >>> params = segment_parameters(Subject("male", 80.0, 1.80))
    >>> up = ["head_neck", "upper_trunk", "l_upper_arm", "r_upper_arm", "l_forearm", "r_forearm", "l_hand", "r_hand"]
    >>> st = segment_states(m, params, [n for n in up if n in params], static=True)
    >>> f, mom = cut_load(st, list(st), m["l5s1"])
    >>> weight_n = sum(s.params.mass_kg for s in st.values()) * 9.81   # static: it carries their weight
    >>> bool(abs(f[0, 2] - weight_n) < 1e-6)
    True
    """
    f, m = _cut_load3(states, names, np.ascontiguousarray(np.asarray(point_m, float).T), external)
    return f.T, m.T


# ----------------------------------------------------------------------------- external loads
def hand_loads(motion: Motion, hand_load: HandLoad | None, static: bool = False,
               hold_intervals_s=None) -> list[PointLoad]:
    """External loads on the hands (world frame), one `PointLoad` per hand.

    A box of mass m (``HandLoad.box_mass_kg``) is centred midway between ``l_hand`` and
    ``r_hand``; its acceleration a is that of the midpoint, so it pushes on the hands with
    ``m (g - a)``. A measured force (``HandLoad.force_n``, the force of the load on the
    body) is linearly interpolated to the motion's times. Split rule: the right hand carries
    ``HandLoad.split`` (0.5 = equal shares, the default for a symmetric two-handed lift),
    the left hand the rest; each share acts at that hand's point with no free moment.
    ``hold_intervals_s`` (sequence of (start, end) in s, e.g. grasp -> release) limits the
    box to those times; None = held throughout.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with ``l_hand`` and ``r_hand`` (m, Z-up world frame).
    hand_load : HandLoad or None
        What the hands hold (box mass in kg or measured force in N); None = nothing.
    static : bool
        Ignore the box's acceleration (static equilibrium).
    hold_intervals_s : sequence of (float, float), optional
        (start, end) times (s) when the box is held; None = held throughout.

    Returns
    -------
    list of PointLoad
        [right, left] loads on the hands (N at m, world frame; right first, carrying ``split``);
        empty without a load.

    Examples
    --------
    >>> from liftrisk.core import HandLoad
    >>> loads = hand_loads(demo_posture(2), HandLoad(box_mass_kg=10.0), static=True)
    >>> [round(float(p.force_n[0, 2]), 3) for p in loads]
    [-49.05, -49.05]
    >>> right, left = hand_loads(demo_posture(2), HandLoad(box_mass_kg=10.0, split=0.7), static=True)
    >>> round(float(right.force_n[0, 2]), 3), round(float(left.force_n[0, 2]), 3)
    (-68.67, -29.43)
    """
    if hand_load is None or (hand_load.box_mass_kg == 0 and hand_load.force_n is None):
        return []
    check_points(motion, ("l_hand", "r_hand"))
    return _hand_loads3(_points3(motion, ("l_hand", "r_hand")), motion.time_s, hand_load, static, hold_intervals_s)


def _hand_loads3(pts: dict[str, np.ndarray], t: np.ndarray, hand_load: HandLoad | None, static: bool,
                 hold_intervals_s) -> list[PointLoad]:
    """`hand_loads` from (3, T) hand points; the PointLoad arrays are transposed views of
    contiguous (3, T) arrays, so `_cut_load3` works on them without copies."""
    if hand_load is None or (hand_load.box_mass_kg == 0 and hand_load.force_n is None):
        return []
    lh, rh = pts["l_hand"], pts["r_hand"]
    if hand_load.force_n is not None:
        tf = np.asarray(hand_load.time_s, float)
        force = np.array([np.interp(t, tf, hand_load.force_n[:, k]) for k in range(3)])
    else:
        acc = np.zeros_like(lh) if static else _deriv2(0.5 * (lh + rh), t)
        force = hand_load.box_mass_kg * (_G3 - acc)
    if hold_intervals_s is not None:
        held = np.zeros(t.size, bool)
        for start, end in hold_intervals_s:
            if not end > start:
                raise DataQualityError(f"hold interval ({start}, {end}) s: the end must be after the start")
            held |= (t >= start) & (t <= end)
        force = force * held
    zero = np.zeros_like(force)
    s = float(hand_load.split)
    return [PointLoad((s * force).T, rh.T, zero.T), PointLoad(((1.0 - s) * force).T, lh.T, zero.T)]


def insole_ground_reaction(insole: InsolePressure, motion: Motion) -> GroundReaction:
    """Ground reaction of one pressure insole, placed under that foot in the world frame.

    Vertical force = sum(pressure x sensor area) (Int J Intell Syst 2023, eq. 6); the centre of
    pressure from the insole frame (x forward from the heel, y left) is mapped to the world
    with the foot's heel point and heel->toe direction (horizontal projection), at the
    heel's height. Insoles measure no shear: the horizontal force is zero.

    Parameters
    ----------
    insole : InsolePressure
        Pressures (Pa), sensor areas (m²) and positions (m) of one insole.
    motion : Motion
        Canonical joint centres with that foot's heel and toe (m, world frame).

    Returns
    -------
    GroundReaction
        Vertical force (N) at the centre of pressure (m) under that foot.

    Examples
    --------
    >>> from liftrisk.core import InsolePressure
    >>> ins = InsolePressure(np.array([0.0, 0.1]), np.full((2, 2), 1e5), np.full(2, 2e-3),
    ...                      np.array([[0.05, 0.0], [0.15, 0.0]]), "right")
    >>> m = Motion.from_points({"r_heel": np.zeros((2, 3)), "r_toe": np.tile([0.25, 0.0, 0.0], (2, 1))},
    ...                        time_s=[0.0, 0.1])
    >>> gr = insole_ground_reaction(ins, m)
    >>> gr.force_n[0].tolist(), gr.cop_m[0].round(3).tolist()
    ([0.0, 0.0, 400.0], [0.1, 0.0, 0.0])
    """
    side = insole.foot[0]
    check_points(motion, (f"{side}_heel", f"{side}_toe"))
    t = motion.time_s
    fz = np.interp(t, insole.time_s, insole.vertical_force_n())
    cop_xy = insole.cop_xy_m()
    cx = np.interp(t, insole.time_s, np.nan_to_num(cop_xy[:, 0]))
    cy = np.interp(t, insole.time_s, np.nan_to_num(cop_xy[:, 1]))
    heel, toe = motion[f"{side}_heel"], motion[f"{side}_toe"]
    fwd = toe - heel
    fwd[:, 2] = 0.0
    fwd /= np.linalg.norm(fwd, axis=1, keepdims=True)
    left = np.stack([-fwd[:, 1], fwd[:, 0], np.zeros(t.size)], axis=1)  # Z x forward
    cop = heel + cx[:, None] * fwd + cy[:, None] * left
    force = np.zeros((t.size, 3))
    force[:, 2] = fz
    return GroundReaction(time_s=t, force_n=force, cop_m=cop, foot=insole.foot, name=f"insole_{insole.foot}")


def _resample_grf(gr: GroundReaction, t: np.ndarray, min_force_n: float) -> PointLoad:
    """Interpolate a ground reaction to the motion's times; unloaded frames carry no load.
    The PointLoad arrays are transposed views of contiguous (3, T) arrays."""
    if gr.time_s.size == t.size and np.allclose(gr.time_s, t):
        f, c, fm = (a.T.copy() for a in (gr.force_n, gr.cop_m, gr.free_moment_nm))  # writable (3, T) copies
    else:
        def interp(a):
            return np.array([np.interp(t, gr.time_s, a[:, k]) for k in range(3)])
        f = interp(gr.force_n)
        c = interp(np.nan_to_num(gr.cop_m))
        fm = interp(gr.free_moment_nm)
    unloaded = ~np.isfinite(c).all(axis=0) | (np.sqrt(dot3(f, f)) < min_force_n)
    if unloaded.any():
        f[:, unloaded] = 0.0
        fm[:, unloaded] = 0.0
        c[:, unloaded] = 0.0
    return PointLoad(f.T, c.T, fm.T)


def _assign_feet(loads: list[PointLoad], grfs: Sequence[GroundReaction], pts: dict[str, np.ndarray]
                 ) -> dict[str, list[PointLoad]]:
    """Per-side external loads. Plates without ``foot`` go, frame by frame, to the foot whose
    heel-toe midpoint is nearest (horizontally) to the centre of pressure ((3, T) points).

    A plate under both feet (``foot="both"``) is shared by the lever rule, as the estimated
    ground reaction is (`liftrisk.kinetics.ground_reaction.estimate_ground_reaction`): with c_l,
    c_r the feet's heel-toe mid-points and u = c_l - c_r, the left share is
    s = clip((COP - c_r).u / |u|^2, 0, 1); each foot takes its share of the force and free
    moment at its own point c + (COP - (c_r + s u)), so that the two shares reproduce the
    plate's total force and moment about any point (the split that keeps each foot's load
    under that foot in static equilibrium; which foot pushes how much within a shared plate
    is not measured)."""
    per = {s: [] for s in SIDES}
    mids = {s: 0.5 * (pts[f"{s}_heel"][:2] + pts[f"{s}_toe"][:2]) for s in SIDES}
    for pl, gr in zip(loads, grfs, strict=True):
        if gr.foot == "both":
            cop3 = pl.point_m.T
            u = mids["l"] - mids["r"]
            uu = np.sum(u * u, axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(uu > 1e-6, np.sum((cop3[:2] - mids["r"]) * u, axis=0) / uu, 0.5)
            share = np.clip(np.nan_to_num(share, nan=0.5), 0.0, 1.0)
            offset = cop3[:2] - (mids["r"] + share * u)
            f3, m3 = pl.force_n.T, pl.moment_nm.T
            for s, w in (("l", share), ("r", 1.0 - share)):
                point = cop3.copy()
                point[:2] = mids[s] + offset
                per[s].append(PointLoad(np.ascontiguousarray(f3 * w).T, np.ascontiguousarray(point).T,
                                        np.ascontiguousarray(m3 * w).T))
            continue
        if gr.foot:
            per[gr.foot[0]].append(pl)
            continue
        cop = pl.point_m.T[:2]
        d = {s: np.sum((cop - mids[s]) ** 2, axis=0) for s in SIDES}
        is_l = d["l"] < d["r"]
        f3, m3 = pl.force_n.T, pl.moment_nm.T
        per["l"].append(PointLoad((f3 * is_l).T, pl.point_m, (m3 * is_l).T))
        per["r"].append(PointLoad((f3 * ~is_l).T, pl.point_m, (m3 * ~is_l).T))
    return per


def ground_reactions_per_foot(motion: Motion, ground_reactions: Sequence[GroundReaction],
                              min_force_n: float = 20.0) -> list[GroundReaction]:
    """The plates' loads per foot, on the motion's times, exactly as `bottom_up` assigns them.

    Plates with ``foot`` "left"/"right" stay whole; a plate with ``foot=""`` goes frame by
    frame to the foot whose heel-toe midpoint is nearer (horizontally) to its centre of
    pressure; a plate under both feet (``foot="both"``) is shared by the lever rule (see
    `bottom_up`). Each returned reaction carries one foot's share of one plate (e.g. for a
    simulator that applies each force to one foot body, such as OpenSim's ExternalLoads).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with ``l_heel``, ``l_toe``, ``r_heel``, ``r_toe`` (m, Z-up).
    ground_reactions : sequence of GroundReaction
    min_force_n : float
        Plate frames with less force (or no centre of pressure) carry no load (force 0,
        centre of pressure NaN).

    Returns
    -------
    list of GroundReaction
        One per plate and foot that it loads, ``foot`` "left" or "right", on ``motion.time_s``.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from liftrisk.core import Subject
    >>> m = demo_posture(3)
    >>> both = [replace(g, foot="both") for g in static_grf(m, Subject("male", 80, 1.78))[:1]]
    >>> [g.foot for g in ground_reactions_per_foot(m, both)]
    ['left', 'right']
    """
    grfs = list(ground_reactions)
    for g in grfs:
        if not isinstance(g, GroundReaction):
            raise DataQualityError(f"ground_reactions must be GroundReaction; got {type(g).__name__}")
    names = [f"{s}_{p}" for s in SIDES for p in ("heel", "toe")]
    check_points(motion, names)
    pts = _points3(motion, names)
    loads = [_resample_grf(g, motion.time_s, min_force_n) for g in grfs]
    per = _assign_feet(loads, grfs, pts)
    out = []
    for s, foot in (("l", "left"), ("r", "right")):
        # _assign_feet keeps the plates' order within each side; map each share back to its plate
        k = 0
        for g in grfs:
            if g.foot in ("left", "right") and g.foot != foot:
                continue
            share = per[s][k]
            k += 1
            f = np.ascontiguousarray(share.force_n)
            if not np.any(np.abs(f) > 0):
                continue
            cop = np.where((np.linalg.norm(f, axis=1) > 0)[:, None], share.point_m, np.nan)
            out.append(GroundReaction(time_s=motion.time_s, force_n=f, cop_m=cop,
                                      free_moment_nm=np.ascontiguousarray(share.moment_nm), foot=foot,
                                      name=f"{g.name or 'plate'}_{foot}"))
    return out


# ----------------------------------------------------------------------------- outputs
def _xyz_columns(prefix: str, f: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
    """Columns from (3, T) force and moment."""
    cols = {}
    for k, ax in enumerate("xyz"):
        cols[f"{prefix}_force_{ax}_n"] = f[k]
    for k, ax in enumerate("xyz"):
        cols[f"{prefix}_moment_{ax}_nm"] = m[k]
    cols[f"{prefix}_moment_magnitude_nm"] = np.sqrt(dot3(m, m))
    return cols


def _l5s1_columns(f: np.ndarray, m: np.ndarray, axes: np.ndarray) -> dict[str, np.ndarray]:
    fl, ml = local3(axes, f), local3(axes, m)
    cols = _xyz_columns("l5s1", f, m)
    cols.update({
        "l5s1_extension_moment_nm": -ml[1],
        "l5s1_lateral_bending_left_moment_nm": -ml[0],
        "l5s1_axial_twist_left_moment_nm": ml[2],
        "l5s1_axial_force_n": fl[2],
        "l5s1_anterior_force_n": fl[0],
        "l5s1_left_force_n": fl[1],
    })
    return cols


_FRAME_SEGMENT = {"trunk": "middle_trunk", "pelvis": "lower_trunk"}


def _prepare(motion: Motion, subject: Subject, params) -> dict[str, SegmentParams]:
    if not isinstance(motion, Motion):
        raise DataQualityError(f"expected a liftrisk Motion; got {type(motion).__name__}")
    return segment_parameters(subject) if params is None else params


def _frame_states(motion, params, names, static, frame, extra_points=(), kinematics=None):
    """Segment states for `names`, the (3, 3, T) axes of the trunk or pelvis segment that
    defines `frame` (only its frame is computed when it is not in `names`), and the (3, T)
    points (incl. `extra_points`); `kinematics`: see `segment_states`."""
    key = _FRAME_SEGMENT.get(frame)
    if key is None:
        raise DataQualityError(f"frame is {frame!r}; expected 'trunk' or 'pelvis'")
    need = required_points(params, [*names, key])
    check_points(motion, [*need, *extra_points])
    pts = _points3(motion, [*need, *extra_points])
    states = _segment_states3(pts, motion.time_s, params, names, static, kinematics)
    if key in states:
        axes = states[key].axes
    else:
        p = params[key]
        axes = frame_axes3(p, pts, ml_reference3(pts, p.ml_reference))
    return states, axes, pts


# ----------------------------------------------------------------------------- public API
def top_down_l5s1(motion: Motion, subject: Subject, hand_load: HandLoad | None = None, *,
                  static: bool = False, frame: str = "trunk", params: dict | None = None,
                  joints: bool = True, hold_intervals_s=None, kinematics: dict | None = None) -> pd.DataFrame:
    """Top-down Newton-Euler net force and moment at L5/S1 (and shoulders, elbows, wrists).

    Free body: head_neck, upper and middle trunk, both upper arms, forearms and hands (de
    Leva), loaded by the hand load. Sign convention and column meanings: module docstring.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres incl. ``l5s1`` (Z-up world frame, m), low-pass filtered.
    subject : Subject
    hand_load : HandLoad, optional
        Box mass (acceleration from the hands' midpoint) or measured force; split between
        hands by ``HandLoad.split`` (right-hand share, 0.5 default).
    static : bool
        Ignore accelerations (static equilibrium).
    frame : {"trunk", "pelvis"}
        Frame of the anatomical L5/S1 components.
    params : dict, optional
        Segment parameters (default `segment_parameters(subject)`).
    joints : bool
        Also return wrist, elbow and shoulder loads (load on the distal arm part).
    hold_intervals_s : sequence of (start_s, end_s), optional
        When the box is in the hands (grasp -> release); default: the whole recording.
    kinematics : dict, optional
        Cache of the segments' frames and angular kinematics, used and filled (see
        `segment_states`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time_s``; ``l5s1_force_{x,y,z}_n``, ``l5s1_moment_{x,y,z}_nm`` (world,
        load of the pelvis on the upper body), anatomical ``l5s1_*`` columns, and per side
        ``{l,r}_{wrist,elbow,shoulder}_force/moment_*`` plus sagittal components.

    Examples
    --------
    >>> from liftrisk.core import Subject, HandLoad
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> df = top_down_l5s1(demo_posture(), Subject("male", 80, 1.78), HandLoad(10.0), static=True)
    >>> round(float(df["l5s1_extension_moment_nm"].iloc[0]), 1)
    130.3
    """
    params = _prepare(motion, subject, params)
    has_load = hand_load is not None and (hand_load.box_mass_kg != 0 or hand_load.force_n is not None)
    states, frame_axes, pts = _frame_states(motion, params, UPPER_BODY, static, frame,
                                            ("l5s1", "l_hand", "r_hand") if has_load else ("l5s1",), kinematics)
    ext = _hand_loads3(pts, motion.time_s, hand_load, static, hold_intervals_s) if has_load else []
    f, m = _cut_load3(states, UPPER_BODY, pts["l5s1"], ext)
    cols = _l5s1_columns(f, m, frame_axes)
    if joints:
        hand_ext = {"r": ext[:1], "l": ext[1:]} if ext else {"r": [], "l": []}
        for s in SIDES:
            chain = [f"{s}_hand", f"{s}_forearm", f"{s}_upper_arm"]
            for j, joint in enumerate(("wrist", "elbow", "shoulder")):
                fj, mj = _cut_load3(states, chain[: j + 1], pts[f"{s}_{joint}"], hand_ext[s])
                cols.update(_xyz_columns(f"{s}_{joint}", fj, mj))
                if joint in ("elbow", "shoulder"):
                    cols[f"{s}_{joint}_flexion_moment_nm"] = -dot3(states[chain[j]].axes[1], mj)
    return pd.DataFrame(cols, index=pd.Index(motion.time_s, name="time_s"))


def bottom_up(motion: Motion, subject: Subject, ground_reactions: Sequence[GroundReaction | InsolePressure], *,
              static: bool = False, frame: str = "trunk", params: dict | None = None,
              min_force_n: float = 10.0, kinematics: dict | None = None) -> pd.DataFrame:
    """Bottom-up Newton-Euler loads at ankles, knees, hips and L5/S1 from ground reactions.

    Free bodies: foot (ankle), foot + shank (knee), foot + shank + thigh (hip), both legs +
    pelvis (= de Leva lower trunk) for L5/S1, with that side's ground reactions. L5/S1 is
    reported as the load of the pelvis on the upper body (minus the load on the lower body),
    so it compares directly with `top_down_l5s1`.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres incl. ``l5s1``, heels and toes (Z-up world frame, m).
    subject : Subject
    ground_reactions : sequence of GroundReaction or InsolePressure
        Force plates (world frame; resampled to the motion's times by linear interpolation)
        or insoles (converted with `insole_ground_reaction`). Plates with ``foot=""`` are
        assigned frame by frame to the nearest foot.
    static : bool
        Static equilibrium (no inertial terms).
    frame : {"trunk", "pelvis", "auto"}
        Frame of the anatomical L5/S1 components ("auto": the trunk when the motion has the
        neck and shoulders, else the pelvis, e.g. for a lower-body-only marker set).
    params : dict, optional
        Segment parameters (default `segment_parameters(subject)`).
    min_force_n : float
        Plate frames with less force (or no centre of pressure) carry no load.
    kinematics : dict, optional
        Cache of the segments' frames and angular kinematics, used and filled (see
        `segment_states`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time_s``: ``{l,r}_{ankle,knee,hip}_force/moment_{x,y,z}`` (world, load
        of the proximal on the distal segment), ``{l,r}_hip_extension_moment_nm``,
        ``{l,r}_knee_extension_moment_nm``, ``{l,r}_ankle_plantarflexion_moment_nm``,
        ``*_moment_magnitude_nm`` and the ``l5s1_*`` columns of `top_down_l5s1`.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture, static_grf
    >>> m, s = demo_posture(), Subject("male", 80, 1.78)
    >>> df = bottom_up(m, s, static_grf(m, s, box_kg=10.0), static=True)
    >>> round(float(df["l5s1_extension_moment_nm"].iloc[0]), 1)
    130.3
    """
    params = _prepare(motion, subject, params)
    if not ground_reactions:
        raise DataQualityError("bottom_up needs at least one ground reaction (force plate or insole)")
    if frame == "auto":
        frame = "trunk" if motion.has("neck", "l_shoulder", "r_shoulder") else "pelvis"
    grfs = [insole_ground_reaction(g, motion) if isinstance(g, InsolePressure) else g for g in ground_reactions]
    for g in grfs:
        if not isinstance(g, GroundReaction):
            raise DataQualityError(f"ground_reactions must be GroundReaction or InsolePressure; got {type(g).__name__}")
    states, frame_axes, pts = _frame_states(motion, params, LOWER_BODY, static, frame, ("l5s1",), kinematics)
    loads = [_resample_grf(g, motion.time_s, min_force_n) for g in grfs]
    per = _assign_feet(loads, grfs, pts)
    cols: dict[str, np.ndarray] = {}
    for s in SIDES:
        chain = [f"{s}_foot", f"{s}_shank", f"{s}_thigh"]
        for j, (joint, name, sign, seg) in enumerate((("ankle", "plantarflexion", 1.0, 0),
                                                       ("knee", "extension", -1.0, 1), ("hip", "extension", 1.0, 2))):
            fj, mj = _cut_load3(states, chain[: j + 1], pts[f"{s}_{joint}"], per[s])
            cols.update(_xyz_columns(f"{s}_{joint}", fj, mj))
            cols[f"{s}_{joint}_{name}_moment_nm"] = sign * dot3(states[chain[seg]].axes[1], mj)
    f, m = _cut_load3(states, LOWER_BODY, pts["l5s1"], loads)
    f *= -1.0
    m *= -1.0
    cols.update(_l5s1_columns(f, m, frame_axes))
    return pd.DataFrame(cols, index=pd.Index(motion.time_s, name="time_s"))


def whole_body_ground_reaction(motion: Motion, subject: Subject, hand_load: HandLoad | None = None, *,
                               static: bool = False, params: dict | None = None,
                               cop_m: np.ndarray | None = None, hold_intervals_s=None,
                               kinematics: dict | None = None) -> GroundReaction:
    """The single ground reaction consistent with the motion (whole-body Newton-Euler).

    Force = sum m_i (a_i - g) - hand loads; the moment about `cop_m` (default: midpoint of
    the ankles at floor height z = 0) is returned as a 3D free moment. Used to build
    consistent test data (top-down and bottom-up then agree to round-off).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    subject : Subject
        Sex, body mass (kg) and stature (m) for the segment parameters.
    hand_load : HandLoad or None
        What the hands hold (box mass in kg or measured force in N); None = nothing.
    static : bool
        Static equilibrium (no inertial terms).
    params : dict, optional
        Segment parameters (default: de Leva for the subject).
    cop_m : numpy.ndarray, optional
        (T, 3) point about which the free moment is given (m); default the ankles' mid-point
        on the floor.
    hold_intervals_s : sequence of (float, float), optional
        (start, end) times (s) when the box is held; None = held throughout.
    kinematics : dict, optional
        Cache of the segments' frames and angular kinematics, used and filled (see
        `segment_states`).

    Returns
    -------
    GroundReaction
        The total ground reaction (N) at `cop_m` (m) with its 3D free moment (N·m).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> gr = whole_body_ground_reaction(demo_posture(), Subject("male", 80, 1.78), static=True)
    >>> round(float(gr.force_n[0, 2]), 1)
    784.8
    """
    params = _prepare(motion, subject, params)
    names = list(params)
    states = segment_states(motion, params, names, static, kinematics=kinematics)
    if cop_m is None:
        cop_m = 0.5 * (motion["l_ankle"] + motion["r_ankle"])
        cop_m = cop_m * np.array([1.0, 1.0, 0.0])
    f, m = cut_load(states, names, cop_m, hand_loads(motion, hand_load, static, hold_intervals_s))
    return GroundReaction(time_s=motion.time_s, force_n=f, cop_m=cop_m, free_moment_nm=m, name="whole_body")


def static_grf(motion: Motion, subject: Subject, box_kg: float = 0.0) -> list[GroundReaction]:
    """Static ground reaction (weight + box) as one plate under the ankles (for examples/tests).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    subject : Subject
        Sex, body mass (kg) and stature (m) for the segment parameters.
    box_kg : float
        Mass of a box held (kg).

    Returns
    -------
    list of GroundReaction
        One plate under the ankles' mid-point carrying (body + box) x g (N).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> g = static_grf(demo_posture(2), Subject("male", 80.0, 1.80), box_kg=10.0)
    >>> round(float(g[0].force_n[0, 2]), 2)
    882.9
    """
    hl = HandLoad(box_mass_kg=box_kg) if box_kg else None
    return [whole_body_ground_reaction(motion, subject, hl, static=True)]


def demo_posture(n_frames: int = 1) -> Motion:
    """A stooped posture holding a box in front (canonical points, Z-up world, m).

    Trunk flexed 45 deg about L5/S1 (at 1.0 m), arms hanging vertically; built for examples.

    Parameters
    ----------
    n_frames : int
        Number of identical frames.

    Returns
    -------
    Motion
        Canonical joint centres (m, Z-up world frame) at 100 Hz.

    Examples
    --------
    >>> demo_posture().n_points
    22
    """
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    l5 = np.array([0.0, 0.0, 1.0])
    neck = l5 + 0.50 * np.array([s, 0.0, c])
    head = neck + 0.25 * np.array([s, 0.0, c])
    pts = {"head": head, "neck": neck, "l5s1": l5, "mid_hip": np.array([-0.02, 0.0, 0.92])}
    for side, y in (("l", 0.18), ("r", -0.18)):
        sh = neck + np.array([0.0, y, -0.03])
        pts[f"{side}_shoulder"] = sh
        pts[f"{side}_elbow"] = sh + [0, 0, -0.29]
        pts[f"{side}_wrist"] = sh + [0, 0, -0.56]
        pts[f"{side}_hand"] = sh + [0, 0, -0.65]
        hy = 0.09 if side == "l" else -0.09
        pts[f"{side}_hip"] = np.array([-0.02, hy, 0.92])
        pts[f"{side}_knee"] = np.array([0.0, hy, 0.50])
        pts[f"{side}_ankle"] = np.array([-0.04, hy, 0.08])
        pts[f"{side}_heel"] = np.array([-0.09, hy, 0.02])
        pts[f"{side}_toe"] = np.array([0.16, hy, 0.02])
    return Motion.from_points({k: np.tile(np.asarray(v, float), (n_frames, 1)) for k, v in pts.items()},
                              rate_hz=100.0, source="demo_posture")


def unavailable_l5s1(time_s: np.ndarray, bottom_up_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The L5/S1 table when the top-down chain cannot run (no upper body): the bottom-up L5/S1
    columns when a bottom-up table is given (same definitions, `bottom_up`), else the same
    columns all NaN (unknown). ``attrs["source"]`` says which ("bottom_up" or "none").

    Parameters
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s).
    bottom_up_table : pandas.DataFrame, optional
        Output of `bottom_up` (forces N, moments N·m).

    Returns
    -------
    pandas.DataFrame
        The L5/S1 columns of `top_down_l5s1` (N, N·m) from the bottom-up chain, or NaN.

    Examples
    --------
    >>> df = unavailable_l5s1(np.arange(3) * 0.1)
    >>> df.attrs["source"], bool(df["l5s1_extension_moment_nm"].isna().all())
    ('none', True)
    """
    t = np.asarray(time_s, float)
    nan = np.full((3, t.size), np.nan)
    cols = list(_l5s1_columns(nan, nan, np.full((3, 3, t.size), np.nan)))
    if bottom_up_table is not None and all(c in bottom_up_table for c in cols):
        df = bottom_up_table[cols].copy()
        df.index = pd.Index(t, name="time_s")
        df.attrs["source"] = "bottom_up"
        return df
    df = pd.DataFrame({c: np.full(t.size, np.nan) for c in cols}, index=pd.Index(t, name="time_s"))
    df.attrs["source"] = "none"
    return df


def compare_l5s1(top_down_table: pd.DataFrame, bottom_up_table: pd.DataFrame,
                 column: str = "l5s1_extension_moment_nm") -> dict:
    """Top-down (hands + load) against bottom-up (force plates) L5/S1: the RMS difference over
    the frames where both are known and the peak of each (N·m). Two independent chains meet at
    L5/S1, so their agreement checks the segment model, the joint centres and the loads.

    Parameters
    ----------
    top_down_table, bottom_up_table : pandas.DataFrame
        Outputs of `top_down_l5s1` and `bottom_up` (moments N·m), indexed by time (s).
    column : str
        The moment column compared (N·m).

    Returns
    -------
    dict
        ``l5s1_extension_rms_difference_nm``, ``peak_l5s1_extension_top_down_nm``,
        ``peak_l5s1_extension_bottom_up_nm``, ``l5s1_comparison_frames``; empty when either
        table lacks the column or the top-down table is itself the bottom-up one.

    Examples
    --------
    >>> a = pd.DataFrame({"l5s1_extension_moment_nm": [100.0, 120.0]})
    >>> b = pd.DataFrame({"l5s1_extension_moment_nm": [110.0, 110.0]})
    >>> compare_l5s1(a, b)["l5s1_extension_rms_difference_nm"]
    10.0
    """
    if (column not in top_down_table or column not in bottom_up_table
            or top_down_table.attrs.get("source") in ("bottom_up", "none")):
        return {}
    td = top_down_table[column].to_numpy(float)
    bu = bottom_up_table[column].to_numpy(float)
    ok = np.isfinite(td) & np.isfinite(bu)
    if not ok.any():
        return {}
    name = column.removesuffix("_moment_nm")
    return {f"{name}_rms_difference_nm": float(np.sqrt(np.mean((td[ok] - bu[ok]) ** 2))),
            f"peak_{name}_top_down_nm": float(np.max(td[ok])), f"peak_{name}_bottom_up_nm": float(np.max(bu[ok])),
            "l5s1_comparison_frames": int(ok.sum())}
