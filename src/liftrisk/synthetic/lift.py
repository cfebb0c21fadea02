"""Synthetic two-handed box lifts and static postures with known hand positions.

`synthetic_lift` animates the body of `liftrisk.synthetic.body` through n lifts (and the
lowerings that bring the box back between them): stand -> reach to the box -> grasp ->
move the box -> release -> stand up. Whole-body "crouch" (knee, ankle, pelvis and trunk
flexion, set by the lifting style) follows minimum-jerk profiles (Flash T, Hogan N (1985)
The coordination of arm movements. J Neurosci 5:1688-1703: s(u) = 10u^3 - 15u^4 + 6u^5)
between key postures, the box follows the same profile in height, horizontal distance
and yaw, and the arms are placed by two-link inverse kinematics so that the hand points
are on the box handles from grasp to release. The feet never move.

Geometry (matches the NIOSH lifting equation's definitions): the mid-point of the ankle
centres is at x = y = 0 and the worker faces +X. ``origin_m = (H, V)``: H is the
horizontal distance (m) of the hands' mid-point ahead of the ankle mid-point, V its height
above the floor; the destination is rotated by ``asymmetry_deg`` about the vertical
through the ankle mid-point (+ to the worker's left). The ``box`` point is the box centre,
which is the hands' mid-point (handles at mid-height of the box sides).

Key postures are chosen by solving for the smallest crouch c in [0, 1] at which both hand
points are within `reach_fraction` of the straight-arm reach; the style maps c to joint
angles (`STYLES`, assumptions documented in docs/synthetic.md). Every posture is balanced
(`Balance`): an ankle dorsiflexion offset rotates the legs about the ankles so that the
whole-body centre of mass (de Leva 1996 segments) is above mid-foot (in a squat the knees
go forward over the toes; in a stoop the hips go back), so the ground reaction the motion
needs has its centre of pressure inside the feet.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.frames import frame_from_z_y
from liftrisk.kinematics.rotations import rotation_about
from liftrisk.kinetics.segments import segment_parameters
from liftrisk.synthetic.body import ANKLE_FROM_HEEL_FRACTION, BodyDimensions, Posture, pose_body

__all__ = ["STYLES", "BALANCE_FOOT_FRACTION", "Balance", "minimum_jerk", "synthetic_lift", "place_body",
           "solve_crouch"]

# Joint angles (rad) at full crouch c = 1 (assumptions: squat = knees and hips flexed with a
# fairly upright trunk, stoop = nearly straight knees and a flexed trunk; cf. the postures
# in Xiang et al.'s lifting predictions and typical laboratory squat/stoop lifts).
STYLES = MappingProxyType({
    "squat": MappingProxyType({"knee_flexion": 2.0, "ankle_dorsiflexion": 0.5, "pelvis_tilt": 0.7,
                               "trunk_flexion": 0.45, "neck_flexion": 0.25}),
    "stoop": MappingProxyType({"knee_flexion": 0.7, "ankle_dorsiflexion": 0.15, "pelvis_tilt": 1.2,
                               "trunk_flexion": 0.65, "neck_flexion": 0.25}),
})
PELVIS_YAW_SHARE = 0.35  # share of a turn taken by the pelvis (rest = trunk twist), assumption
# relaxed stance (assumption): knees never straight, so that the leg chain stays smooth when the
# balance shifts the hips ahead of the ankles and the pelvis turns
KNEE_FLEXION_STANDING = 0.1
KNEE_FLEXION_WHEN_TURNED = 0.15  # rad x sin^2(turn): unlocked knees in a turned stance, assumption
# Fractions of each handling. Grasp and release holds are long enough for dwell-based event
# detection (0.19 s each at the default 2.4 s per handling, plus the slow ends of the
# neighbouring minimum-jerk phases). Reach, move and return (whole-body crouch changes) get
# similar shares, the move (the loaded phase) the largest; the box's peak acceleration is
# 5.77 d / T^2 for a minimum-jerk move of length d in T s.
PHASES = (("stand", 0.02), ("reach", 0.23), ("grasp", 0.08), ("move", 0.36), ("release", 0.08),
          ("return", 0.23))


# Balance (assumption, see docs/synthetic.md): the body's centre of mass (de Leva 1996
# segments, plus the box where stated) is kept above this fraction of the foot length from
# the heel, i.e. 0.20 foot lengths (5.4 cm for 1.78 m) ahead of the ankles, by rotating
# both legs about the ankles (ankle dorsiflexion offset; knee flexion, pelvis and trunk
# orientation unchanged: squatters bring the knees forward, stoopers shift the hips back).
BALANCE_FOOT_FRACTION = 0.50


class Balance:
    """Static balance constraint: the whole-body CoM above a point of the feet.

    The offset d (rad, (T,)) added to the ankle dorsiflexion rotates shanks and thighs
    about the ankles (knee flexion and pelvis / trunk orientation unchanged) so that
    the CoM of the de Leva (1996) segments (`liftrisk.kinetics.segment_parameters`) plus
    an optional box at the hands' mid-point is ``target_m`` ahead of the ankle mid-point.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg) and stature (m).
    foot_fraction : float
        Balance point as a fraction (0-1) of the foot length ahead of the heel.

    Examples
    --------
    >>> b = Balance(Subject("male", 80.0, 1.78))
    >>> round(b.target_m, 4)
    0.0676
    """

    def __init__(self, subject: Subject, foot_fraction: float = BALANCE_FOOT_FRACTION):
        dims = BodyDimensions.from_subject(subject)
        self.params = tuple(segment_parameters(subject).values())
        self.body_kg = float(sum(p.mass_kg for p in self.params))
        self.target_m = (foot_fraction - ANKLE_FROM_HEEL_FRACTION) * dims.foot_length_m

    def com_x(self, points: dict, box_m=None, box_kg=0.0) -> np.ndarray:
        """(T,) fore-aft position (m) of the CoM of body (and box at `box_m` (T, 3), `box_kg` (T,))."""
        x = sum(p.mass_kg * p.com(points)[:, 0] for p in self.params)
        if box_m is None:
            return x / self.body_kg
        box_kg = np.broadcast_to(np.asarray(box_kg, float), x.shape)
        return (x + box_kg * box_m[:, 0]) / (self.body_kg + box_kg)

    def offset(self, dims: BodyDimensions, posture: Posture, n: int, hand_targets_m=None, box_m=None,
               box_kg=0.0, tol_m: float = 1e-9, guess=None) -> np.ndarray:
        """Ankle dorsiflexion offset (T,), rad, putting the CoM on the target (secant method
        from `guess`, default 0)."""
        base = posture.arrays(n)["ankle_dorsiflexion"]

        def err(d):
            p = pose_body(dims, replace(posture, ankle_dorsiflexion=base + d), hand_targets_m=hand_targets_m,
                          n_frames=n)
            return self.com_x(p, box_m, box_kg) - self.target_m

        d0 = np.zeros(n) if guess is None else np.broadcast_to(np.asarray(guess, float), (n,)).copy()
        d1 = d0 + 0.01
        e0, e1 = err(d0), err(d1)
        for _ in range(25):
            if np.max(np.abs(e1)) < tol_m:
                break
            step = d1 - d0
            de = e1 - e0
            ok = (np.abs(step) > 0) & (np.abs(de) > 0)
            slope = np.where(ok, de / np.where(ok, step, 1.0), 0.5)
            slope = np.where(np.abs(slope) < 0.05, 0.05, slope)
            d2 = np.where(np.abs(e1) < tol_m, d1, np.clip(d1 - e1 / slope, -1.0, 1.0))
            d0, e0 = d1, e1
            d1 = d2
            e1 = err(d1)
        if np.max(np.abs(e1)) > 1e-6:  # the arm IK near full reach leaves ~1e-9 m of round-off
            raise DataQualityError(f"balance: no ankle angle puts the centre of mass above the feet "
                                   f"(residual {np.max(np.abs(e1)):.3f} m); bring the hands closer")
        return d1

    def posture(self, dims: BodyDimensions, posture: Posture, n: int, hand_targets_m=None, box_m=None,
                box_kg=0.0, guess=None) -> Posture:
        """`posture` with the balancing ankle dorsiflexion."""
        d = self.offset(dims, posture, n, hand_targets_m, box_m, box_kg, guess=guess)
        return replace(posture, ankle_dorsiflexion=posture.arrays(n)["ankle_dorsiflexion"] + d)


def minimum_jerk(u) -> np.ndarray:
    """Minimum-jerk position profile s(u) = 10u^3 - 15u^4 + 6u^5 for u in [0, 1] (clipped).

    Parameters
    ----------
    u : array_like
        Normalised time (dimensionless, 0-1).

    Returns
    -------
    numpy.ndarray
        Normalised position s(u) (dimensionless, 0-1).

    Examples
    --------
    >>> minimum_jerk([0.0, 0.5, 1.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    u = np.clip(np.asarray(u, float), 0.0, 1.0)
    return u ** 3 * (10 - 15 * u + 6 * u ** 2)


def _style(style: str) -> MappingProxyType:
    if style not in STYLES:
        raise DataQualityError(f"style is {style!r}; expected one of {', '.join(STYLES)}")
    return STYLES[style]


def _posture(c: np.ndarray, yaw: np.ndarray, style: str) -> Posture:
    st = _style(style)
    # turned stance: the knees unlock (KNEE_FLEXION_WHEN_TURNED), so that no leg is ever
    # straight while the pelvis is turned (a straight leg off the sagittal chain makes the
    # knee move as the square root of the leg's shortening: infinite acceleration)
    turned = KNEE_FLEXION_WHEN_TURNED * np.sin(yaw) ** 2
    knee = KNEE_FLEXION_STANDING + c * (st["knee_flexion"] - KNEE_FLEXION_STANDING)
    return Posture(knee_flexion=knee + turned, ankle_dorsiflexion=c * st["ankle_dorsiflexion"],
                   pelvis_tilt=c * st["pelvis_tilt"], trunk_flexion=c * st["trunk_flexion"],
                   neck_flexion=c * st["neck_flexion"], pelvis_yaw=PELVIS_YAW_SHARE * yaw,
                   trunk_axial_twist=(1 - PELVIS_YAW_SHARE) * yaw,
                   l_shoulder_flexion=0.1, r_shoulder_flexion=0.1, l_elbow_flexion=0.2, r_elbow_flexion=0.2)


def _hand_targets(centre: np.ndarray, yaw: np.ndarray, separation_m: float) -> tuple[np.ndarray, np.ndarray]:
    lat = np.einsum("tij,j->ti", rotation_about("z", yaw), np.array([0.0, separation_m / 2, 0.0]))
    return centre + lat, centre - lat


def solve_crouch(dims: BodyDimensions, style: str, hands_mid_m, yaw_rad, hand_separation_m: float = 0.35,
                 reach_fraction: float = 0.95, balance: Balance | None = None, box_kg=0.0) -> np.ndarray:
    """Smallest crouch c (T,) in [0, 1] putting both hand targets within reach (bisection).

    With `balance`, each trial posture is first balanced (`Balance.posture`, the box of
    `box_kg` at the hands' mid-point counted). Raises `DataQualityError` when a target
    cannot be reached even at c = 1.

    Parameters
    ----------
    dims : BodyDimensions
        Segment lengths (m).
    style : {"squat", "stoop"}
        How the body lowers.
    hands_mid_m : array_like
        (T, 3) target of the hands' mid-point (m, world frame).
    yaw_rad : array_like
        (T,) direction of the hands from the feet (rad, about Z).
    hand_separation_m : float
        Distance between the hands (m).
    reach_fraction : float
        Share of the full arm length used (dimensionless).
    balance : Balance, optional
        Balance each trial posture.
    box_kg : float or array_like
        Box at the hands' mid-point (kg), counted in the balance.

    Returns
    -------
    numpy.ndarray
        (T,) crouch fraction (dimensionless, 0-1).

    Examples
    --------
    >>> d = BodyDimensions.from_subject(Subject("male", 75.0, 1.75))
    >>> float(solve_crouch(d, "squat", [[0.4, 0.0, 1.0]], [0.0])[0])
    0.0
    """
    mid = np.atleast_2d(np.asarray(hands_mid_m, float))
    yaw = np.broadcast_to(np.asarray(yaw_rad, float).reshape(-1), (mid.shape[0],))
    tl, tr = _hand_targets(mid, yaw, hand_separation_m)
    reach = reach_fraction * dims.arm_reach_m

    n = mid.shape[0]
    last = {}

    def excess(c):
        post = _posture(c, yaw, style)
        if balance is not None:
            base = post.arrays(n)["ankle_dorsiflexion"]
            post = balance.posture(dims, post, n, (tl, tr), mid, box_kg, guess=last.get("d"))
            last["d"] = post.arrays(n)["ankle_dorsiflexion"] - base  # warm start of the next trial
        p = pose_body(dims, post, n_frames=n)
        dl = np.linalg.norm(p["l_shoulder"] - tl, axis=1)
        return np.maximum(dl, np.linalg.norm(p["r_shoulder"] - tr, axis=1)) - reach

    lo = np.zeros(mid.shape[0])
    hi = np.ones(mid.shape[0])
    done = excess(lo) <= 0
    e_hi = np.where(done, 0.0, excess(hi))
    if np.any(e_hi > 0):
        i = int(np.argmax(e_hi))
        raise DataQualityError(
            f"hands target {np.round(mid[i], 3).tolist()} m is out of reach for a {dims.height_m:.2f} m subject "
            f"lifting in {style!r} style (short by {e_hi[i]:.2f} m); bring it closer (smaller H) or higher (larger V)")
    for _ in range(40):
        c = 0.5 * (lo + hi)
        ok = excess(c) <= 0
        hi = np.where(ok, c, hi)
        lo = np.where(ok, lo, c)
    return np.where(done, 0.0, hi)


def _c2_bump(u: np.ndarray) -> np.ndarray:
    """64 u^3 (1 - u)^3: 1 at u = 0.5, 0 with zero first and second derivatives at u = 0, 1."""
    u = np.clip(u, 0.0, 1.0)
    return 64.0 * u ** 3 * (1.0 - u) ** 3


def _arm_frames(points: dict) -> np.ndarray:
    """(T, 3, 3) trunk orientation (Z neck - L5/S1, Y right -> left shoulder)."""
    return frame_from_z_y(points["neck"], points["neck"] - points["l5s1"],
                          points["l_shoulder"] - points["r_shoulder"])[:, :3, :3]


def _arm_vectors(dims: BodyDimensions, posture: Posture, target_l, target_r, n: int):
    """Shoulder -> hand-target vectors (left, right), each (T, 3), in the trunk frame of `posture`."""
    p = pose_body(dims, posture, n_frames=n)
    r = _arm_frames(p)
    return tuple(np.einsum("tji,tj->ti", r, np.broadcast_to(tg, (n, 3)) - p[f"{s}_shoulder"])
                 for s, tg in (("l", target_l), ("r", target_r)))


def _rest_hands(dims: BodyDimensions, posture: Posture, n: int):
    p = pose_body(dims, posture, n_frames=n)
    return p["l_hand"], p["r_hand"]


def _nlerp(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Vectors (T, 3) going from `a` to `b` with weight `w` (T,): length and direction blended."""
    la, lb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    w = w[:, None]
    d = (1 - w) * a / la[:, None] + w * b / lb[:, None]
    return d / np.linalg.norm(d, axis=1, keepdims=True) * ((1 - w[:, 0]) * la + w[:, 0] * lb)[:, None]


def _check_point(name: str, value) -> tuple[float, float]:
    v = np.asarray(value, float).reshape(-1)
    if v.size != 2 or not np.all(np.isfinite(v)):
        raise DataQualityError(f"{name} is {value!r}; expected (H, V) in m: horizontal distance ahead of the "
                               "ankles and height above the floor")
    if v[1] < 0 or v[1] > 2.5 or abs(v[0]) > 1.5:
        raise DataQualityError(f"{name} = {tuple(v)} m is implausible; expected H within 1.5 m and V 0-2.5 m "
                               "(give metres, not centimetres)")
    return float(v[0]), float(v[1])


def synthetic_lift(subject: Subject, box_mass_kg: float = 10.0, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95),
                   asymmetry_deg: float = 0.0, style: str = "squat", duration_s: float | None = None,
                   rate_hz: float = 60.0, n_lifts: int = 1, noise_m: float = 0.0, hand_separation_m: float = 0.35,
                   reach_fraction: float = 0.95, seed: int = 0, still_s: float = 0.0) -> Motion:
    """A realistic two-handed box lift (or several) as a canonical `Motion` plus ``box``.

    Parameters
    ----------
    subject : Subject
        Sets the segment lengths (stature) and the L5/S1 regression (sex).
    box_mass_kg : float
        Recorded in ``meta["box_mass_kg"]`` (the kinematics do not depend on it).
    origin_m, destination_m : (H, V) in m
        Hands' mid-point at grasp and release: H ahead of the ankle mid-point, V above the
        floor (NIOSH definitions).
    asymmetry_deg : float
        Destination rotated about the vertical through the ankles, + to the worker's left.
    style : {"squat", "stoop"}
    duration_s : float, optional
        Total duration, including `still_s` of quiet standing at the start and at the end;
        default 2.4 s per handling. With n lifts the box is lowered back between lifts, so
        there are 2n - 1 handlings of equal duration.
    rate_hz : float
        Sampling rate, Hz.
    n_lifts : int
        Number of lifts (origin -> destination).
    noise_m : float
        Standard deviation of Gaussian noise added to every body point (not the box), m.
    hand_separation_m : float
        Distance between the two hand points (box width at the handles), m.
    reach_fraction : float
        Arm extension at the key postures (fraction of the straight-arm reach).
    seed : int
        Seed of the noise generator.
    still_s : float
        Quiet standing before the first and after the last handling, s (the demo uses 0.5 s
        so that the hands' rest position is seen first, as in a real recording).

    Returns
    -------
    Motion
        22 canonical points and ``box``, m, Z-up world frame; ``meta["handlings"]`` lists
        each handling (kind "lift" or "lower", grasp_s, release_s, origin/destination hands
        mid-point in m), ``meta["box_mass_kg"]``, ``meta["style"]``.

    Examples
    --------
    >>> m = synthetic_lift(Subject("male", 75.0, 1.75), rate_hz=30)
    >>> m.n_frames, "box" in m, m.meta["handlings"][0]["kind"]
    (73, True, 'lift')
    """
    _style(style)
    ho, vo = _check_point("origin_m", origin_m)
    hd, vd = _check_point("destination_m", destination_m)
    if int(n_lifts) < 1:
        raise DataQualityError(f"n_lifts is {n_lifts}; expected 1 or more")
    if rate_hz <= 0:
        raise DataQualityError(f"rate_hz is {rate_hz}; expected a positive rate in Hz")
    if noise_m < 0:
        raise DataQualityError(f"noise_m is {noise_m}; expected >= 0 m")
    n_handlings = 2 * int(n_lifts) - 1
    if still_s < 0:
        raise DataQualityError(f"still_s is {still_s}; expected >= 0 s")
    if duration_s is None:
        duration_s = 2.4 * n_handlings + 2 * still_s
    per = (float(duration_s) - 2 * still_s) / n_handlings
    if per < 0.8:
        raise DataQualityError(f"duration_s = {duration_s} s leaves {per:.2f} s per handling; expected >= 0.8 s")
    dims = BodyDimensions.from_subject(subject)
    yaw_d = np.deg2rad(asymmetry_deg)
    a_pt = np.array([ho, 0.0, vo])
    b_pt = rotation_about("z", yaw_d) @ np.array([hd, 0.0, vd])
    bal = Balance(subject)
    c_a = float(solve_crouch(dims, style, a_pt, 0.0, hand_separation_m, reach_fraction, balance=bal)[0])
    c_b = float(solve_crouch(dims, style, b_pt, yaw_d, hand_separation_m, reach_fraction, balance=bal)[0])
    n = int(round(duration_s * rate_hz)) + 1
    t = np.arange(n) / rate_hz
    tt = t - still_s
    k = np.clip(np.floor(tt / per).astype(int), 0, n_handlings - 1)
    u = np.clip((tt - k * per) / per, 0.0, 1.0)
    bounds = np.cumsum([0.0] + [f for _, f in PHASES])
    # per handling: start (c, yaw, point) and end
    lift = (k % 2) == 0
    c0, c1 = np.where(lift, c_a, c_b), np.where(lift, c_b, c_a)
    y0, y1 = np.where(lift, 0.0, yaw_d), np.where(lift, yaw_d, 0.0)
    p0 = np.where(lift[:, None], a_pt, b_pt)
    p1 = np.where(lift[:, None], b_pt, a_pt)
    r0, r1 = np.hypot(p0[:, 0], p0[:, 1]), np.hypot(p1[:, 0], p1[:, 1])

    def phase(i):
        return minimum_jerk((u - bounds[i]) / (bounds[i + 1] - bounds[i]))

    s_reach, s_move, s_ret = phase(1), phase(3), phase(5)
    in_reach = u < bounds[2]
    in_hold = (u >= bounds[2]) & (u < bounds[5])
    yaw = np.where(in_reach, s_reach * y0, np.where(in_hold, y0 + s_move * (y1 - y0), (1 - s_ret) * y1))
    box_yaw = y0 + s_move * (y1 - y0)
    box_r = r0 + s_move * (r1 - r0)
    box_z = p0[:, 2] + s_move * (p1[:, 2] - p0[:, 2])
    box = np.stack([box_r * np.cos(box_yaw), box_r * np.sin(box_yaw), box_z], axis=1)
    c = np.where(in_reach, s_reach * c0, np.where(in_hold, c0 + s_move * (c1 - c0), (1 - s_ret) * c1))
    # while the box moves, add a C2 bump (zero value, slope and curvature at both ends of the
    # move) just large enough that the arms reach the box all along its path; the bump's
    # size is set with a reach fraction halfway between `reach_fraction` and a straight arm,
    # so it stays finite near the key postures (which have `reach_fraction` exactly)
    u_move = np.clip((u - bounds[3]) / (bounds[4] - bounds[3]), 0.0, 1.0)
    moving = (u > bounds[3]) & (u < bounds[4])
    bump = _c2_bump(u_move)
    if moving.any():
        need = solve_crouch(dims, style, box[moving], box_yaw[moving], hand_separation_m,
                            0.5 * (1.0 + reach_fraction), balance=bal)
        short = (need - c[moving]) / np.maximum(bump[moving], 1e-3)
        lift_amp = float(np.max(np.where(lift[moving], short, 0.0), initial=0.0))
        lower_amp = float(np.max(np.where(~lift[moving], short, 0.0), initial=0.0))
        c = np.minimum(c + np.where(lift, lift_amp, lower_amp) * bump * moving, 1.0)
    grasp_l, grasp_r = _hand_targets(box, box_yaw, hand_separation_m)
    unbalanced = _posture(c, yaw, style)
    # Reaching and returning: each hand moves in the trunk frame, from its rest position to
    # where the handle is in the trunk frame at the grasp (key) posture, and back from the
    # release posture (length and direction interpolated separately, so the hand never goes
    # beyond `reach_fraction` of the reach). The body is at rest, with zero acceleration, at
    # grasp and release, so the world paths join the hold (hands on the box) with continuous
    # velocity and acceleration.
    # Balance: every posture (key postures included) gets the ankle dorsiflexion offset that
    # keeps the body's CoM above the target point of the feet (`Balance`); the box is not
    # counted (its weight moves the centre of pressure forward while it is held).
    keys = []
    for cc, yy, pp in ((c0, y0, p0), (c1, y1, p1)):
        hands = _hand_targets(pp, yy, hand_separation_m)
        keys.append(_arm_vectors(dims, bal.posture(dims, _posture(cc, yy, style), n, hands), *hands, n))
    key_grasp, key_release = keys
    posture = bal.posture(dims, unbalanced, n)
    rest_local = _arm_vectors(dims, posture, *_rest_hands(dims, posture, n), n)  # constant in the trunk frame
    tl = tr = None
    for _ in range(20):  # the hand targets depend on the balanced shoulders and vice versa (arms ~10 % of M)
        rest = pose_body(dims, posture, n_frames=n)
        now = _arm_frames(rest)
        targets = []
        for i, (s, g) in enumerate((("l", grasp_l), ("r", grasp_r))):
            v_reach = _nlerp(rest_local[i], key_grasp[i], s_reach)
            v_ret = _nlerp(key_release[i], rest_local[i], s_ret)
            v = np.where(in_reach[:, None], v_reach, v_ret)
            free = rest[f"{s}_shoulder"] + np.einsum("tij,tj->ti", now, v)
            targets.append(np.where(in_hold[:, None], g, free))
        change = np.inf if tl is None else max(np.abs(targets[0] - tl).max(), np.abs(targets[1] - tr).max())
        tl, tr = targets
        if change < 1e-10:
            break
        posture = bal.posture(dims, unbalanced, n, (tl, tr))
    pts = pose_body(dims, posture, hand_targets_m=(tl, tr), n_frames=n)
    held = in_hold
    err = max(float(np.max(np.linalg.norm(pts["l_hand"] - tl, axis=1)[held], initial=0.0)),
              float(np.max(np.linalg.norm(pts["r_hand"] - tr, axis=1)[held], initial=0.0)))
    if noise_m > 0:
        rng = np.random.default_rng(seed)
        pts = {name: v + rng.normal(0.0, noise_m, v.shape) for name, v in pts.items()}
    pts["box"] = box
    handlings = []
    for i in range(n_handlings):
        is_lift = i % 2 == 0
        handlings.append({
            "kind": "lift" if is_lift else "lower",
            "grasp_s": round(still_s + (i + bounds[2]) * per, 6),
            "release_s": round(still_s + (i + bounds[5]) * per, 6),
            "origin_m": (a_pt if is_lift else b_pt).round(6).tolist(),
            "destination_m": (b_pt if is_lift else a_pt).round(6).tolist(),
        })
    meta = {"skeleton": "canonical", "synthetic": True, "box_mass_kg": float(box_mass_kg), "style": style,
            "asymmetry_deg": float(asymmetry_deg), "handlings": handlings, "max_hand_to_handle_error_m": err,
            "subject": {"sex": subject.sex, "mass_kg": subject.mass_kg, "height_m": subject.height_m},
            "noise_m": float(noise_m)}
    return Motion.from_points(pts, time_s=t, rate_hz=rate_hz, source="synthetic lift", meta=meta)


def place_body(subject: Subject, hands_m=(0.4, 0.75), asymmetry_deg: float = 0.0, style: str = "squat",
               n_frames: int = 1, rate_hz: float = 60.0, hand_separation_m: float = 0.35,
               reach_fraction: float = 0.95, box_mass_kg: float = 0.0) -> Motion:
    """A static body whose hands' mid-point is at a known NIOSH position (H, V, A).

    Parameters
    ----------
    subject : Subject
    hands_m : (H, V) in m
        Horizontal distance of the hands' mid-point ahead of the ankle mid-point, and its
        height above the floor.
    asymmetry_deg : float
        Angle of the hands' mid-point from the mid-sagittal plane of the feet, + left.
    style : {"squat", "stoop"}
        How the body lowers.
    n_frames : int
        Number of identical frames.
    rate_hz : float
        Sampling rate (Hz).
    hand_separation_m : float
        Distance between the hands (m).
    reach_fraction : float
        Share of the full arm length used (dimensionless).
    box_mass_kg : float
        Box held at the hands' mid-point, counted in the balance: the CoM of body and box
        is above the balance point of the feet (`Balance`).

    Returns
    -------
    Motion
        22 canonical points, m, Z-up world frame; ``meta["hands_mid_m"]`` is the target,
        ``meta["box_mass_kg"]`` the box counted in the balance.

    Examples
    --------
    >>> m = place_body(Subject("female", 62.0, 1.65), hands_m=(0.35, 0.60), asymmetry_deg=30)
    >>> mid = 0.5 * (m["l_hand"][0] + m["r_hand"][0])
    >>> np.round([np.hypot(mid[0], mid[1]), mid[2], np.degrees(np.arctan2(mid[1], mid[0]))], 3).tolist()
    [0.35, 0.6, 30.0]
    """
    h, v = _check_point("hands_m", hands_m)
    dims = BodyDimensions.from_subject(subject)
    yaw = np.deg2rad(asymmetry_deg)
    mid = rotation_about("z", yaw) @ np.array([h, 0.0, v])
    if box_mass_kg < 0:
        raise DataQualityError(f"box_mass_kg is {box_mass_kg}; expected >= 0 kg")
    bal = Balance(subject)
    c = solve_crouch(dims, style, mid, yaw, hand_separation_m, reach_fraction, balance=bal, box_kg=box_mass_kg)
    cc = np.full(n_frames, c[0])
    yy = np.full(n_frames, yaw)
    mids = np.ascontiguousarray(np.broadcast_to(mid, (n_frames, 3)))
    tl, tr = _hand_targets(mids, yy, hand_separation_m)
    post = bal.posture(dims, _posture(cc, yy, style), n_frames, (tl, tr), mids, box_mass_kg)
    pts = pose_body(dims, post, hand_targets_m=(tl, tr), n_frames=n_frames)
    return Motion.from_points(pts, rate_hz=rate_hz, source="synthetic posture",
                              meta={"skeleton": "canonical", "synthetic": True, "hands_mid_m": mid.tolist(),
                                    "style": style, "crouch": float(c[0]), "box_mass_kg": float(box_mass_kg)})
