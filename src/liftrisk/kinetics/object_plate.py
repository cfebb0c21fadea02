"""A force plate under the lifted object: measured hand load and grasp / lift-off / set-down / release.

Method (statics of the object; Z-up world frame, SI)
---------------------------------------------------
The object (mass m) rests on the plate, which reads P(t) (the force of the plate on the
object, in the plate's own zero). At rest and untouched it reads P_rest. The plate's support
is S(t) = P(t) - P_rest + m g e_z, so Newton's law for the object, m a = S + H - m g e_z (H =
force of the hands on the object), gives the force of the object on the hands

    F_hands(t) = -H = (P(t) - P_rest) - m a(t)

with a = 0 while the object stands on the plate and the object's acceleration (that of the
hands' mid-point, which hold it) between lift-off and set-down. Neither the plate's zero nor
the object's mass need be known: the plate gives both. Two levels of the vertical reading
exist: P_rest (object on the plate) and P_rest - m g (object lifted); the weight m g is their
difference.

Events (liftrisk's definitions; u = (P_rest,z - P_z) / (m g) is the unloaded fraction):

* grasp: start of the unloading that ends in a lift-off: the last sample before lift-off
  with u <= 0.05 (the hands take more than 5 % of the weight from then on);
* lift-off: first sample with u >= 0.95 (the plate carries less than 5 % of the weight);
* set-down: first sample after lift-off with u < 0.95 (the plate takes the object again);
* release: first sample after set-down with u <= 0.05 (the plate carries it all again).

A set-down or release not seen on the plate (the object was put somewhere else, or the
recording ends with it in the hands) is NaN; the pipeline then takes the end of the
recording. The 5 % threshold is a definition, not a fitted value; it puts each event within
about 5 % of the unloading time (a few hundredths of a second) of the start / end of the
change, and keeps plate noise (here below 1 N, i.e. < 1 % of a 15 kg box) from triggering.
Workers often pre-tension the grip: on the VU Amsterdam stoop lifts the hands hold 2-5.5 % of
the box's weight for 0.2-0.5 s before the lift. The grasp is the start of the unloading that
leads to the lift-off (the hands carry more than 5 % from then on); the few newtons of
pre-tension before it are not applied to the hands (about 0.6 m x 8 N = 5 N·m at L5/S1 at most
there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.core.loads import HandLoad, ObjectSupport
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.inverse_dynamics import _deriv2

__all__ = ["EVENT_FRACTION", "MIN_OBJECT_WEIGHT_N", "ObjectHandling", "PlateHandLoad", "object_handlings",
           "measured_hand_load", "hand_load_from_object_plates",
           "held_intervals_s"]

EVENT_FRACTION = 0.05  # share of the object's weight that defines grasp / lift-off / set-down / release
MIN_OBJECT_WEIGHT_N = 5.0  # an unloading smaller than this (0.5 kg) is not a lift (plate noise)


@dataclass(frozen=True)
class ObjectHandling:
    """One handling of the object seen on its plate (times in s; NaN = not seen on the plate).

    Attributes
    ----------
    grasp_s, lift_off_s, set_down_s, release_s : float
    mass_kg : float
        Object mass measured by the plate (unloading step / g).
    rest_force_n : (3,) tuple
        Plate reading with the object resting untouched, N.
    plate : str
        Plate name.
    """

    grasp_s: float
    lift_off_s: float
    set_down_s: float
    release_s: float
    mass_kg: float
    rest_force_n: tuple
    plate: str = ""


def _levels(fz: np.ndarray) -> tuple[float, float]:
    """(rest level, lifted level) of the vertical reading: medians of the samples above / below
    the middle of the 2nd-98th percentile range."""
    lo, hi = np.nanpercentile(fz, [2, 98])
    mid = 0.5 * (lo + hi)
    return float(np.nanmedian(fz[fz >= mid])), float(np.nanmedian(fz[fz < mid])) if (fz < mid).any() else float(lo)


def object_handlings(plate: ObjectSupport) -> list[ObjectHandling]:
    """Every lift of the object off its plate, with the event times and the measured mass.

    Parameters
    ----------
    plate : ObjectSupport
        Force (N) of a plate under the lifted object.

    Returns
    -------
    list of ObjectHandling
        Each lift of the object off the plate: event times (s) and measured mass (kg).

    Examples
    --------
    >>> t = np.arange(0, 3, 0.02)
    >>> fz = np.interp(t, [0, 1.0, 1.2, 3], [0, 0, -147.0, -147.0])   # zeroed with a 15 kg box on it
    >>> f = np.column_stack([0 * t, 0 * t, fz])
    >>> h = object_handlings(ObjectSupport(t, f, np.full_like(f, np.nan), name="box"))[0]
    >>> round(h.grasp_s, 2), round(h.lift_off_s, 2), h.set_down_s, round(h.mass_kg, 1)
    (1.0, 1.2, nan, 15.0)
    """
    fz = plate.force_n[:, 2]
    t = plate.time_s
    rest, lifted = _levels(fz)
    weight = rest - lifted
    if not np.isfinite(weight) or weight < MIN_OBJECT_WEIGHT_N:
        return []
    u = (rest - fz) / weight
    rest_mask = u <= EVENT_FRACTION
    rest_force = np.nanmedian(plate.force_n[rest_mask], axis=0) if rest_mask.any() else np.array([0, 0, rest])
    off = u >= 1.0 - EVENT_FRACTION
    out = []
    i = 0
    n = t.size
    while i < n:
        starts = np.flatnonzero(off[i:])
        if not starts.size:
            break
        k = i + int(starts[0])                           # lift-off
        before = np.flatnonzero(u[:k] <= EVENT_FRACTION)
        g = int(before[-1]) if before.size else None
        back = np.flatnonzero(~off[k:])
        sd = k + int(back[0]) if back.size else None     # set-down
        rel = None
        if sd is not None:
            r = np.flatnonzero(u[sd:] <= EVENT_FRACTION)
            rel = sd + int(r[0]) if r.size else None
        out.append(ObjectHandling(
            grasp_s=float(t[g]) if g is not None else float("nan"), lift_off_s=float(t[k]),
            set_down_s=float(t[sd]) if sd is not None else float("nan"),
            release_s=float(t[rel]) if rel is not None else float("nan"),
            mass_kg=float(weight / GRAVITY_MPS2), rest_force_n=tuple(float(v) for v in rest_force), plate=plate.name))
        if sd is None:
            break
        i = (rel if rel is not None else sd) + 1
    return out


def held_intervals_s(handlings, end_s: float) -> list[tuple[float, float]]:
    """(grasp_s, release_s) of each handling; a release not seen on the plate is `end_s`.

    Parameters
    ----------
    handlings : sequence of ObjectHandling
        From `object_handlings`.
    end_s : float
        End of the recording (s).

    Returns
    -------
    list of (float, float)
        (grasp_s, release_s) of each handling (s).

    Examples
    --------
    >>> held_intervals_s([ObjectHandling(1.0, 1.2, float("nan"), float("nan"), 15.0, (0, 0, 0))], 3.0)
    [(1.0, 3.0)]
    """
    out = []
    for h in handlings:
        g = h.grasp_s if np.isfinite(h.grasp_s) else h.lift_off_s
        r = h.release_s if np.isfinite(h.release_s) else float(end_s)
        out.append((float(g), float(r)))
    return out


def _second_derivative(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(T, 3) acceleration, the same finite difference as the box model of the top-down chain
    (`liftrisk.kinetics.inverse_dynamics`: 3-point second difference), so a measured and a
    modelled box load agree where they should."""
    return _deriv2(np.ascontiguousarray(x.T), t).T


def measured_hand_load(plate: ObjectSupport, motion: Motion, handlings=None, split: float = 0.5) -> HandLoad:
    """The force of the object on the hands, per motion frame, from the plate under it.

    ``F_hands = (P - P_rest) - m a`` (module docstring) between grasp and release, zero
    outside; a = second derivative of the hands' mid-point (``l_hand``/``r_hand``, else the
    wrists) between lift-off and set-down, 0 while the object stands on the plate. The plate
    is interpolated to the motion's times. Low-pass filter the motion first (the acceleration
    is taken from it).

    Parameters
    ----------
    plate : ObjectSupport
    motion : Motion
        Canonical joint centres with hands or wrists (m, Z-up world frame).
    handlings : list of ObjectHandling, optional
        From `object_handlings` (computed when omitted).
    split : float
        Right-hand share of the load (0.5 = symmetric two-handed lift).

    Returns
    -------
    HandLoad
        ``force_n`` (T, 3) on the motion's ``time_s``; ``box_mass_kg`` = the measured mass.

    Examples
    --------
    >>> t = np.arange(0, 3, 0.02)
    >>> fz = np.interp(t, [0, 1.0, 1.2, 3], [0, 0, -147.0, -147.0])
    >>> plate = ObjectSupport(t, np.column_stack([0 * t, 0 * t, fz]), np.full((t.size, 3), np.nan))
    >>> hands = {"l_hand": np.tile([0.4, 0.2, 0.1], (t.size, 1)), "r_hand": np.tile([0.4, -0.2, 0.1], (t.size, 1))}
    >>> hl = measured_hand_load(plate, Motion.from_points(hands, time_s=t))
    >>> hl.force_n[[0, 55, 100], 2].round(1).tolist()   # before the grasp, unloading, held still
    [0.0, -73.5, -147.0]
    """
    if not isinstance(plate, ObjectSupport):
        raise DataQualityError(f"expected an ObjectSupport (plate under the object); got {type(plate).__name__}")
    hs = object_handlings(plate) if handlings is None else list(handlings)
    t = motion.time_s
    p = np.column_stack([np.interp(t, plate.time_s, plate.force_n[:, k]) for k in range(3)])
    force = np.zeros((t.size, 3))
    if not hs:
        return HandLoad(box_mass_kg=0.0, force_n=force, time_s=t, split=split)
    hands = None
    for a, b in (("l_hand", "r_hand"), ("l_wrist", "r_wrist")):
        if motion.has(a, b):
            hands = 0.5 * (motion[a] + motion[b])
            break
    acc = np.zeros((t.size, 3))
    if hands is not None and t.size >= 4:
        acc = np.nan_to_num(_second_derivative(hands, t))
    elif any(np.isfinite(h.lift_off_s) for h in hs):
        raise DataQualityError(f"{motion.source or 'motion'} has no hands or wrists: the object's acceleration "
                               "while it is lifted cannot be measured")
    for h, (g, r) in zip(hs, held_intervals_s(hs, float(t[-1])), strict=True):
        held = (t >= g) & (t <= r)
        airborne = (t >= h.lift_off_s) & (t < (h.set_down_s if np.isfinite(h.set_down_s) else np.inf))
        f = p - np.asarray(h.rest_force_n) - h.mass_kg * np.where(airborne[:, None], acc, 0.0)
        force[held] = f[held]
    mass = float(np.median([h.mass_kg for h in hs]))
    return HandLoad(box_mass_kg=min(mass, 200.0), force_n=force, time_s=t, split=split)


@dataclass(frozen=True, eq=False)
class PlateHandLoad:
    """What the plate(s) under the lifted object say (`hand_load_from_object_plates`).

    Attributes
    ----------
    hand_load : HandLoad or None
        The measured force per motion frame (N); None when no lift was seen.
    holds_s : list of (float, float)
        (grasp_s, release_s): when the object is in the hands (s).
    handlings : list of ObjectHandling
        All plates, in time order.
    notes : list of str
        Plain-language notes (measured vs given mass, release not seen, no lift seen).
    """

    hand_load: HandLoad | None
    holds_s: list
    handlings: list
    notes: list


def hand_load_from_object_plates(plates, motion: Motion, box_mass_kg: float | None = None,
                                 split: float = 0.5) -> PlateHandLoad:
    """Measured hand load and hold times from the plates under the lifted object.

    Parameters
    ----------
    plates : sequence of ObjectSupport
    motion : Motion
        Canonical joint centres (filtered), m, Z-up world frame.
    box_mass_kg : float, optional
        The object's mass as the user gave it: kept as ``HandLoad.box_mass_kg`` (the load
        constant of NIOSH, REBA and RULA); the per-frame force is always the plate's. A note
        is added when the plate's mass differs by more than 10 %.
    split : right-hand share of the load.

    Returns
    -------
    PlateHandLoad
        Measured hand load (N per frame), hold times (s), handlings and notes.

    Examples
    --------
    >>> t = np.arange(0, 3, 0.02)
    >>> fz = np.interp(t, [0, 1.0, 1.2, 3], [0, 0, -147.0, -147.0])
    >>> plate = ObjectSupport(t, np.column_stack([0 * t, 0 * t, fz]), np.full((t.size, 3), np.nan), name="box")
    >>> hands = {"l_hand": np.tile([0.4, 0.2, 0.1], (t.size, 1)), "r_hand": np.tile([0.4, -0.2, 0.1], (t.size, 1))}
    >>> r = hand_load_from_object_plates([plate], Motion.from_points(hands, time_s=t))
    >>> [tuple(round(v, 2) for v in h) for h in r.holds_s], round(r.hand_load.box_mass_kg, 1)
    ([(1.0, 2.98)], 15.0)
    """
    t = motion.time_s
    handlings, notes, forces = [], [], []
    for plate in plates:
        hs = object_handlings(plate)
        if not hs:
            notes.append(f"object plate {plate.name!r}: no lift seen (its vertical force never changes by more than "
                         f"{MIN_OBJECT_WEIGHT_N:g} N)")
            continue
        handlings += hs
        forces.append(measured_hand_load(plate, motion, hs, split).force_n)
        for h in hs:
            if not np.isfinite(h.release_s):
                notes.append(f"object plate {plate.name!r}: the object was lifted at {h.lift_off_s:.2f} s and not "
                             f"put back on the plate; it is taken as held until the end of the recording "
                             f"({t[-1]:.2f} s)")
    if not handlings:
        return PlateHandLoad(None, [], [], notes)
    handlings.sort(key=lambda h: h.lift_off_s)
    measured = float(np.median([h.mass_kg for h in handlings]))
    mass = measured if box_mass_kg is None or box_mass_kg <= 0 else float(box_mass_kg)
    if box_mass_kg and abs(measured - box_mass_kg) > 0.1 * box_mass_kg:
        notes.append(f"the object plate measures {measured:.1f} kg but {box_mass_kg:g} kg was given; the measured "
                     "force is used for the loads, the given mass for NIOSH/REBA/RULA")
    hl = HandLoad(box_mass_kg=min(mass, 200.0), force_n=np.sum(forces, axis=0), time_s=t, split=split)
    return PlateHandLoad(hl, held_intervals_s(handlings, float(t[-1])), handlings, notes)
