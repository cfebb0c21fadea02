"""Lift events and NIOSH lift geometry from a motion.

A lift moves the hands from an ORIGIN (grasp) to a DESTINATION (release). Without force
data, grasp and release are found from the hands' speed: the hands dwell (speed below
``speed_threshold_m_s`` for at least ``min_dwell_s``) when they grasp and when they
release the object; in between they move. In a typical cycle (stand - reach - grasp -
carry - release - return - stand) the dwells at rest are near the rest position of the
hands (their position in the first dwell); a lift is a movement between two dwells away
from the rest position ("task dwells") whose vertical travel is at least
``min_travel_m``. When the recording has no rest dwells, every movement between dwells with
enough vertical travel is a lift. Grasp/release times can also be given.

Geometry at origin and destination (Revised NIOSH Lifting Equation, Waters et al. 1994,
Applications Manual sections 1.3.1-1.3.4), Z-up world frame, floor at ``floor_z_m``:

* H: horizontal distance (XY plane) from the mid-point of the ankles (the manual's "inner
  ankle bones") to the mid-point of the hands;
* V: height of the hands' mid-point above the floor;
* D: |V_destination - V_origin|;
* A: angle between the asymmetry line (mid-ankles -> hands, on the floor) and the
  sagittal line (the feet's forward direction: perpendicular to the ankle line, pointing
  to the toes, or to the pelvis' forward side when there are no toe points), 0-180 deg.

Hands mid-point: ``l_hand``/``r_hand`` when present (the grasp point), else the wrists.
For detected lifts, the geometry of the origin/destination is the median over the grasp /
release dwell (the hands are still there), which makes it robust to point noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError

__all__ = ["LiftPoint", "Lift", "hands_midpoint", "lift_geometry", "detect_lifts", "hold_window_s", "hold_intervals_s"]


@dataclass(frozen=True)
class LiftPoint:
    """NIOSH geometry of the hands at one instant (SI units, degrees for A).

    Attributes
    ----------
    time_s, frame : when.
    h_m : horizontal distance mid-ankles -> hands mid-point, m.
    v_m : hands' height above the floor, m.
    a_deg : asymmetry angle, degrees (0-180).
    hands_m : (3,) hands mid-point, world frame, m.
    """

    time_s: float
    frame: int
    h_m: float
    v_m: float
    a_deg: float
    hands_m: tuple


@dataclass(frozen=True)
class Lift:
    """One detected lift: origin, destination and vertical travel distance D (m).

    Attributes
    ----------
    origin : LiftPoint
        The hands when they leave the grasp dwell (lift-off; ``origin.time_s`` in s).
    destination : LiftPoint
        The hands when they come to rest at the destination.
    grasp_s : float
        When the hands arrived at the object (start of the grasp dwell, s; NaN = unknown).
    release_s : float
        When they leave it at the destination (end of the release dwell, s). With given
        times, grasp_s and release_s are those times.
    """

    origin: LiftPoint
    destination: LiftPoint
    grasp_s: float = float("nan")
    release_s: float = float("nan")

    @property
    def d_m(self) -> float:
        """Vertical travel distance D = |V_destination - V_origin|, m."""
        return abs(self.destination.v_m - self.origin.v_m)

    @property
    def kind(self) -> str:
        """"lift" when the destination is higher than the origin, else "lower" (a lowering task)."""
        return "lift" if self.destination.v_m >= self.origin.v_m else "lower"

    @property
    def duration_s(self) -> float:
        """Time from grasp to release, s."""
        return self.destination.time_s - self.origin.time_s


def hands_midpoint(motion: Motion) -> np.ndarray:
    """(T, 3) mid-point of the hands (``l_hand``/``r_hand``, else the wrists), m.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with hands or wrists (m).

    Returns
    -------
    numpy.ndarray
        (T, 3) mid-point of the hands (m, world frame).

    Examples
    --------
    >>> m = Motion.from_points({"l_wrist": np.ones((2, 3)), "r_wrist": np.zeros((2, 3))}, rate_hz=10)
    >>> hands_midpoint(m)[0].tolist()
    [0.5, 0.5, 0.5]
    """
    for a, b in (("l_hand", "r_hand"), ("l_wrist", "r_wrist")):
        if motion.has(a, b):
            return 0.5 * (motion[a] + motion[b])
    raise DataQualityError(f"{motion.source or 'motion'} has neither l_hand/r_hand nor l_wrist/r_wrist; "
                           "the hands' position is needed for lift geometry. Fix: map the file's points "
                           "to canonical names (liftrisk.kinematics.canonical_joint_centres)")


def _forward_direction(motion: Motion) -> np.ndarray:
    """(T, 2) unit forward direction of the feet on the floor."""
    if not motion.has("l_ankle", "r_ankle"):
        raise DataQualityError(f"{motion.source or 'motion'} has no l_ankle/r_ankle; the mid-ankle point "
                               "is needed for H and A")
    lat = (motion["l_ankle"] - motion["r_ankle"])[:, :2]
    fwd = np.stack([lat[:, 1], -lat[:, 0]], axis=1)        # lateral (Y-left) rotated -90 deg -> forward
    ref = None
    if motion.has("l_toe", "r_toe"):
        ref = (0.5 * (motion["l_toe"] + motion["r_toe"]) - 0.5 * (motion["l_ankle"] + motion["r_ankle"]))[:, :2]
    elif motion.has("l_hip", "r_hip"):
        hl = (motion["l_hip"] - motion["r_hip"])[:, :2]
        ref = np.stack([hl[:, 1], -hl[:, 0]], axis=1)
    if ref is not None:
        sign = np.sign(np.einsum("ti,ti->t", fwd, ref))
        fwd = fwd * np.where(sign == 0, 1.0, sign)[:, None]
    n = np.linalg.norm(fwd, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return fwd / n


def lift_geometry(motion: Motion, floor_z_m: float = 0.0) -> dict[str, np.ndarray]:
    """Per-frame NIOSH geometry: H, V (m), A (deg) and the hands' mid-point.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with ankles and hands (or wrists) (m, Z-up world frame).
    floor_z_m : float
        Height of the floor in the motion's frame (m).

    Returns
    -------
    dict with ``h_m``, ``v_m``, ``a_deg`` (T,) and ``hands_m`` (T, 3).

    Examples
    --------
    >>> pts = {"l_ankle": [[0, 0.1, 0.08]], "r_ankle": [[0, -0.1, 0.08]],
    ...        "l_hand": [[0.4, 0.3, 0.75]], "r_hand": [[0.4, 0.1, 0.75]]}
    >>> g = lift_geometry(Motion.from_points({k: np.array(v, float) for k, v in pts.items()}, rate_hz=1))
    >>> round(float(g["h_m"][0]), 4), round(float(g["v_m"][0]), 2), round(float(g["a_deg"][0]), 2)
    (0.4472, 0.75, 26.57)
    """
    hands = hands_midpoint(motion)
    mid_ankle = 0.5 * (motion["l_ankle"] + motion["r_ankle"]) if motion.has("l_ankle", "r_ankle") else None
    if mid_ankle is None:
        raise DataQualityError(f"{motion.source or 'motion'} has no l_ankle/r_ankle; H and A need the ankles")
    rel = (hands - mid_ankle)[:, :2]
    h = np.linalg.norm(rel, axis=1)
    fwd = _forward_direction(motion)
    cos = np.einsum("ti,ti->t", rel, fwd)
    sin = rel[:, 0] * fwd[:, 1] - rel[:, 1] * fwd[:, 0]
    a = np.degrees(np.abs(np.arctan2(sin, cos)))
    return {"h_m": h, "v_m": hands[:, 2] - floor_z_m, "a_deg": a, "hands_m": hands}


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs of a boolean array."""
    m = np.concatenate([[False], mask, [False]]).astype(int)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


def _smooth(x: np.ndarray, n: int) -> np.ndarray:
    if n <= 1:
        return x
    k = np.ones(n) / n
    pad = np.pad(x, ((n // 2, n - 1 - n // 2), (0, 0)), mode="edge")
    return np.stack([np.convolve(pad[:, j], k, mode="valid") for j in range(x.shape[1])], axis=1)


def _point(motion: Motion, geo: dict, i: int, frames: slice | None = None) -> LiftPoint:
    """Geometry at frame i, or the median over the frames of a dwell (robust to noise); nan
    geometry when `geo` has the hands only (``detect_lifts(measure=False)``)."""
    if "h_m" not in geo:
        nan = float("nan")
        return LiftPoint(time_s=float(motion.time_s[i]), frame=int(i), h_m=nan, v_m=nan, a_deg=nan,
                         hands_m=(nan, nan, nan))
    sl = slice(i, i + 1) if frames is None else frames

    def med(x):
        return np.nanmedian(x[sl], axis=0)

    return LiftPoint(time_s=float(motion.time_s[i]), frame=int(i), h_m=float(med(geo["h_m"])),
                     v_m=float(med(geo["v_m"])), a_deg=float(med(geo["a_deg"])),
                     hands_m=tuple(float(c) for c in med(geo["hands_m"])))


def detect_lifts(motion: Motion, *, times_s: list[tuple[float, float]] | None = None,
                 speed_threshold_m_s: float = 0.10, min_dwell_s: float = 0.10, min_travel_m: float = 0.10,
                 rest_radius_m: float = 0.15, smooth_s: float = 0.10, floor_z_m: float = 0.0,
                 measure: bool = True) -> list[Lift]:
    """Detect each lift's origin (grasp) and destination (release) and measure its geometry.

    Parameters
    ----------
    motion : Motion
        Canonical points (hands or wrists, ankles; toes or hips for the sagittal line), m,
        Z-up world frame with the floor at ``floor_z_m``.
    times_s : list of (grasp_s, release_s), optional
        Given grasp/release times; detection is skipped and the nearest frames are used.
    speed_threshold_m_s : float
        Hands' speed below which they dwell (default 0.10 m/s).
    min_dwell_s : float
        Shortest dwell that counts as a grasp or release (default 0.10 s); movements shorter
        than this between two dwells (noise) are merged into the dwell.
    min_travel_m : float
        Smallest vertical travel of a lift (default 0.10 m).
    rest_radius_m : float
        Dwells within this distance of the first dwell's position are "rest" dwells.
    smooth_s : float
        Moving-average window applied to the hands' path; the speed is the central
        difference over the same window (robust to a few mm of marker/keypoint noise).
    floor_z_m : float
        Floor height in the world frame.
    measure : bool
        Measure H, V, A and the hands' position of each origin and destination (the median
        over its dwell). False: only the times and frames (grasp, release, lift-off,
        set-down) are found, the same as with True, and H, V, A and ``hands_m`` are nan
        (``Lift.d_m`` too); for callers that need only when the load is held (the
        uncertainty draws), about half the cost.

    Returns
    -------
    list of Lift, in time order (lowerings included: ``Lift.kind == "lower"``).

    Examples
    --------
    >>> t = np.arange(0, 6, 0.01)
    >>> z = np.interp(t, [0, 1, 1.5, 2, 3, 3.5, 4, 5, 6], [0.8, 0.8, 0.2, 0.2, 1.2, 1.2, 0.8, 0.8, 0.8])
    >>> hand = np.stack([0.3 + 0 * t, 0 * t, z], axis=1)
    >>> pts = {"l_hand": hand + [0, 0.15, 0], "r_hand": hand - [0, 0.15, 0],
    ...        "l_ankle": np.tile([0, 0.1, 0.08], (t.size, 1)), "r_ankle": np.tile([0, -0.1, 0.08], (t.size, 1))}
    >>> lifts = detect_lifts(Motion.from_points(pts, time_s=t))
    >>> len(lifts), round(lifts[0].origin.v_m, 2), round(lifts[0].destination.v_m, 2), round(lifts[0].d_m, 2)
    (1, 0.2, 1.2, 1.0)
    """
    if measure:
        geo = lift_geometry(motion, floor_z_m)
    else:   # the hands only, with the same checks as `lift_geometry`
        geo = {"hands_m": hands_midpoint(motion)}
        if not motion.has("l_ankle", "r_ankle"):
            raise DataQualityError(f"{motion.source or 'motion'} has no l_ankle/r_ankle; H and A need the ankles")
    t = motion.time_s
    if times_s is not None:
        out = []
        for g, r in times_s:
            if not (t[0] - 1e-9 <= g < r <= t[-1] + 1e-9):
                raise DataQualityError(f"lift times ({g}, {r}) s are not increasing inside the recording "
                                       f"({t[0]:.3f}-{t[-1]:.3f} s)")
            out.append(Lift(_point(motion, geo, int(np.argmin(np.abs(t - g)))),
                            _point(motion, geo, int(np.argmin(np.abs(t - r)))), grasp_s=float(g), release_s=float(r)))
        return out
    if motion.n_frames < 5:
        raise DataQualityError(f"{motion.source or 'motion'} has {motion.n_frames} frames; lift detection "
                               "needs a recording of the whole lift")
    hands = geo["hands_m"]
    ok = np.isfinite(hands).all(axis=1)
    if ok.sum() < 5:
        raise DataQualityError(f"{motion.source or 'motion'}: the hands are missing in almost every frame")
    idx = np.arange(len(t))
    filled = np.stack([np.interp(idx, idx[ok], hands[ok, j]) for j in range(3)], axis=1)
    rate = motion.rate_hz
    w = max(1, int(round(smooth_s * rate)))
    p = _smooth(filled, w)
    k = max(1, w // 2)
    lo, hi = np.clip(idx - k, 0, len(t) - 1), np.clip(idx + k, 0, len(t) - 1)
    speed = np.linalg.norm(p[hi] - p[lo], axis=1) / (t[hi] - t[lo])   # central difference over the window
    still = speed < speed_threshold_m_s
    for a, b in _runs(~still):                      # merge brief movements (noise) into the dwell
        if a > 0 and b < len(t) and t[b - 1] - t[a] < min_dwell_s:
            still[a:b] = True
    dwells = [(a, b) for a, b in _runs(still) if t[b - 1] - t[a] >= min_dwell_s - 1e-9]
    if len(dwells) < 2:
        return []
    pos = [np.median(p[a:b], axis=0) for a, b in dwells]
    rest = np.array([np.linalg.norm(q - pos[0]) <= rest_radius_m for q in pos])
    lifts = []
    has_rest_cycle = rest.sum() >= 2 or (rest[0] and (~rest).sum() >= 2)
    for k in range(1, len(dwells)):
        if has_rest_cycle and (rest[k - 1] or rest[k]):
            continue
        i0 = dwells[k - 1][1] - 1          # last dwell frame before moving: grasp
        i1 = dwells[k][0]                  # first dwell frame after moving: release
        if abs(p[i1, 2] - p[i0, 2]) < min_travel_m:
            continue
        lifts.append(Lift(_point(motion, geo, i0, slice(*dwells[k - 1])), _point(motion, geo, i1, slice(*dwells[k])),
                          grasp_s=float(t[dwells[k - 1][0]]), release_s=float(t[dwells[k][1] - 1])))
    return lifts


def hold_window_s(lift: Lift) -> tuple[float, float]:
    """(grasp_s, release_s) of a lift: when the hands hold the object, s.

    Falls back to the lift-off and set-down times when the lift has no grasp/release times.

    Parameters
    ----------
    lift : Lift
        A detected or given lift.

    Returns
    -------
    (float, float)
        Grasp and release times (s).

    Examples
    --------
    >>> o = LiftPoint(0.5, 30, 0.3, 0.2, 0.0, (0.3, 0.0, 0.2))
    >>> d = LiftPoint(1.5, 90, 0.3, 1.0, 0.0, (0.3, 0.0, 1.0))
    >>> hold_window_s(Lift(o, d)), hold_window_s(Lift(o, d, grasp_s=0.2, release_s=1.8))
    ((0.5, 1.5), (0.2, 1.8))
    """
    g = getattr(lift, "grasp_s", float("nan"))
    r = getattr(lift, "release_s", float("nan"))
    g = g if np.isfinite(g) else lift.origin.time_s
    r = r if np.isfinite(r) and r > g else lift.destination.time_s
    return float(g), float(r)


def hold_intervals_s(lifts) -> list[tuple[float, float]] | None:
    """(grasp_s, release_s) of every lift, for the kinetics' ``hold_intervals_s``; None
    (= load held throughout) when there is no lift.

    Parameters
    ----------
    lifts : sequence of Lift
        Lifts (anything with ``grasp_s`` and ``release_s`` in s).

    Returns
    -------
    list of (float, float) or None
        (grasp_s, release_s) of each lift (s), or None when there is none.

    Examples
    --------
    >>> class L:  # a lift held from 0.1 s to 0.3 s
    ...     grasp_s, release_s = 0.1, 0.3
    >>> hold_intervals_s([L]), hold_intervals_s([])
    ([(0.1, 0.3)], None)
    """
    return [hold_window_s(lift) for lift in lifts] or None
