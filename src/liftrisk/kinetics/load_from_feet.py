"""The load in the hands from what the feet measure (pressure insoles or force plates under the feet).

Method (Newton's second law for the whole body; Z-up world frame, SI)
---------------------------------------------------------------------
The body (mass m) is acted on by gravity, the ground (the sum of the insole or plate forces
under both feet, G) and the held object (F, the force of the object on the hands). With a_c
the acceleration of the whole-body centre of mass,

    m a_c = G + F - m g e_z    =>    F(t) = m (a_c(t) + g e_z) - G(t)

The Int J Intell Syst 2023 fuzzy-REBA paper (sec. 3.3) takes the external load as the insole
total force minus the body weight, which is this with a_c = 0; its sec. 5.4 names the
neglected acceleration as a limitation. Here a_c is the second derivative of the de Leva
whole-body centre of mass (`liftrisk.kinetics.centre_of_mass`), low-passed at
``com_cutoff_hz`` (default 6 Hz, the usual cut-off for lifting kinematics), and the summed
ground force G is low-passed with the same filter, so that the two sides of the equation keep
the same frequency content (filtering the forces and the kinematics differently makes
artefacts wherever the force changes fast: Kristianslund et al. 2012); ``dynamic=False``
gives the paper's static form (no filter). Insoles measure no shear (their horizontal force is zero), so
with insoles only the vertical component is returned (horizontal set to 0); with force plates
all three components are.

Body weight: ``m`` is the subject's mass, or, better for insoles whose total-force error is up
to 5 % (the paper, sec. 3.3), the mean vertical ground force over a window of quiet standing
with empty hands (``quiet_window_s``): then the insoles' own gain cancels.

Valid while both feet carry all the support (no leaning, kneeling or sitting: the paper's
sec. 5.4); the result is a `HandLoad` with a per-frame force that REBA/RULA (load score),
NIOSH (load mass while held) and the top-down inverse dynamics take like a box mass.
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.loads import GroundReaction, HandLoad, InsoleForce, InsolePressure
from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.centre_of_mass import centre_of_mass_m
from liftrisk.processing import lowpass

__all__ = ["hand_load_from_feet", "hands_acceleration_z", "held_mass_kg", "hold_intervals_from_mass", "lift_load_kg"]

_G = 9.81


def _summed_ground_force(reactions, time_s: np.ndarray) -> np.ndarray:
    """(T, 3) sum of the reactions' forces resampled (linear) onto ``time_s``; N."""
    total = np.zeros((time_s.size, 3))
    for r in reactions:
        if isinstance(r, InsolePressure | InsoleForce):  # vertical force only, wherever under the foot
            fz = np.asarray(r.vertical_force_n(), float)
            r = GroundReaction(r.time_s, np.column_stack([np.zeros((fz.size, 2)), fz]),
                               np.full((fz.size, 3), np.nan), foot=r.foot, name=f"insole_{r.foot}")
        if not isinstance(r, GroundReaction):
            raise DataQualityError(f"reactions must be GroundReaction objects (insoles: "
                                   f"liftrisk.kinetics.insole_ground_reaction); got {type(r).__name__}")
        t = np.asarray(r.time_s, float)
        if time_s[0] < t[0] - 1e-6 or time_s[-1] > t[-1] + 1e-6:
            raise DataQualityError(f"ground reaction {r.name or r.foot!r} covers {t[0]:.3f}-{t[-1]:.3f} s, the motion "
                                   f"{time_s[0]:.3f}-{time_s[-1]:.3f} s; trim the motion or synchronise the clocks")
        f = np.nan_to_num(np.asarray(r.force_n, float))
        total += np.column_stack([np.interp(time_s, t, f[:, k]) for k in range(3)])
    return total


def hand_load_from_feet(reactions, motion: Motion, subject: Subject, *, dynamic: bool = True,
                        com_cutoff_hz: float = 6.0, quiet_window_s: tuple[float, float] | None = None,
                        split: float = 0.5) -> HandLoad:
    """Per-frame force of the held object on the hands from the ground reactions under the feet.

    Parameters
    ----------
    reactions : sequence of GroundReaction, InsolePressure or InsoleForce
        Every support under the feet: both insoles (as read, or placed with
        `liftrisk.kinetics.insole_ground_reaction`) or the plates under the feet (not a plate
        under the object). N, world frame.
    motion : Motion
        Canonical joint centres (m, Z-up world frame) for the centre of mass; its times are the
        output's.
    subject : Subject
        Body mass (kg) and sex (de Leva segment masses).
    dynamic : bool
        Include the centre-of-mass acceleration (default). ``False``: total force minus body
        weight, the fuzzy-REBA paper's static form (Int J Intell Syst 2023, sec. 3.3).
    com_cutoff_hz : float
        Low-pass cut-off of the centre-of-mass path before differentiation, and of the summed
        ground force (Hz).
    quiet_window_s : (start, end), optional
        Quiet standing with empty hands: the body weight is the mean vertical ground force there
        (calibrates the insoles' gain); default the subject's mass x g.
    split : float
        Share carried by the right hand (0.5 for a two-handed symmetric lift).

    Returns
    -------
    HandLoad
        ``force_n`` (T, 3), the force of the load on the body (N, world frame; vertical part
        negative while something is held), ``time_s`` the motion's times.

    Examples
    --------
    >>> from liftrisk.synthetic.body import neutral_body
    >>> body = neutral_body(Subject("male", 80.0, 1.80), n_frames=50, rate_hz=50.0)
    >>> t = body.time_s
    >>> feet = [GroundReaction(t, np.tile([0.0, 0.0, 0.5 * (80 + 10) * 9.81], (50, 1)), np.zeros((50, 3)),
    ...                        foot=f) for f in ("right", "left")]
    >>> load = hand_load_from_feet(feet, body, Subject("male", 80.0, 1.80))
    >>> round(float(held_mass_kg(load)[25]), 2)   # a 10 kg box held still
    10.0
    """
    reactions = list(reactions)
    if not reactions:
        raise DataQualityError("hand_load_from_feet needs the ground reactions under both feet (insoles or plates)")
    t = np.asarray(motion.time_s, float)
    ground = _summed_ground_force(reactions, t)
    shear = bool(np.any(np.abs(ground[:, :2]) > 1e-9))
    if quiet_window_s is not None:
        a, b = quiet_window_s
        sel = (t >= a) & (t <= b)
        if sel.sum() < 2:
            raise DataQualityError(f"quiet_window_s {quiet_window_s} holds {int(sel.sum())} motion frames; expected a "
                                   "span of quiet standing with empty hands inside the recording")
        weight = float(np.mean(ground[sel, 2]))
        mass = weight / _G
    else:
        mass = float(subject.mass_kg)
    acc = np.zeros((t.size, 3))
    if dynamic:
        if motion.rate_hz <= 0 or t.size < 4:
            raise DataQualityError("dynamic=True needs a uniformly sampled motion of 4 frames or more (rate_hz > 0)")
        com = centre_of_mass_m(motion, subject)
        if np.isnan(com).any():
            raise DataQualityError("the centre of mass is missing in some frames (gaps in the joint centres): fill the "
                                   "gaps first, or use dynamic=False")
        if com_cutoff_hz < 0.5 * motion.rate_hz:  # the same filter on both sides (Kristianslund et al. 2012)
            com = lowpass(com, com_cutoff_hz, rate_hz=motion.rate_hz)
            ground = lowpass(ground, com_cutoff_hz, rate_hz=motion.rate_hz)
        acc = np.gradient(np.gradient(com, t, axis=0), t, axis=0)
    force = mass * (acc + np.array([0.0, 0.0, _G])) - ground
    if not shear:
        force[:, :2] = 0.0  # insoles measure no shear: only the vertical load is known
    return HandLoad(force_n=force, time_s=t, split=split)


def hands_acceleration_z(motion: Motion, cutoff_hz: float = 6.0) -> np.ndarray:
    """(T,) vertical acceleration of the hands' mid-point (m/s²; the wrists' when the motion has
    no hand points), low-passed at `cutoff_hz` before differentiation: the acceleration of a
    held object, for `held_mass_kg`.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m).
    cutoff_hz : float
        Low-pass cut-off (Hz); no filter at or above half the sampling rate.

    Returns
    -------
    numpy.ndarray
        (T,) m/s², Z up; NaN where the hands are missing.

    Examples
    --------
    >>> from liftrisk.synthetic.body import neutral_body
    >>> bool(np.abs(hands_acceleration_z(neutral_body(n_frames=20))).max() < 1e-9)   # standing still
    True
    """
    names = ("l_hand", "r_hand") if motion.has("l_hand", "r_hand") else ("l_wrist", "r_wrist")
    if not motion.has(*names):
        raise DataQualityError("the motion has no hands or wrists: the held object's acceleration is unknown")
    t = np.asarray(motion.time_s, float)
    z = 0.5 * (motion[names[0]][:, 2] + motion[names[1]][:, 2])
    if t.size >= 4 and motion.rate_hz > 0 and cutoff_hz < 0.5 * motion.rate_hz and np.isfinite(z).all():
        z = lowpass(z, cutoff_hz, rate_hz=motion.rate_hz)
    if t.size < 3:
        return np.zeros(t.size)
    return np.gradient(np.gradient(z, t), t)


def held_mass_kg(load: HandLoad, hands_acc_z_ms2=None) -> np.ndarray:
    """(T,) held mass (kg) frame by frame, for the scalar-load methods (REBA/RULA load score,
    NIOSH load weight); clipped at 0.

    The measured vertical force of the load on the hands, -F_z, is the object's weight plus its
    inertia: m (g + a_z). Without the object's acceleration the result is -F_z / g (the
    "equivalent mass", weight plus inertia); with the hands' vertical acceleration
    (`hands_acceleration_z`: a held object moves with the hands) it is the object's mass
    -F_z / (g + a_z), with g + a_z kept >= g / 2 (a lift never approaches free fall).

    Parameters
    ----------
    load : HandLoad
        A measured load (``force_n``, N) or a box (``box_mass_kg``).
    hands_acc_z_ms2 : array_like, optional
        (T,) vertical acceleration of the hands on the load's times (m/s²).

    Returns
    -------
    numpy.ndarray
        (T,) held mass in kg (one value for a box).

    Examples
    --------
    >>> held_mass_kg(HandLoad(force_n=[[0.0, 0.0, -98.1]], time_s=[0.0])).round(6).tolist()
    [10.0]
    >>> held_mass_kg(HandLoad(force_n=[[0.0, 0.0, -118.1]], time_s=[0.0]), [2.0]).round(6).tolist()
    [10.0]
    """
    if load.force_n is None:
        return np.full(1, float(load.box_mass_kg))
    down = -np.asarray(load.force_n)[:, 2]
    if hands_acc_z_ms2 is None:
        return np.clip(down / _G, 0.0, None)
    acc = np.nan_to_num(np.asarray(hands_acc_z_ms2, float).reshape(-1))
    if acc.size != down.size:
        raise DataQualityError(f"hands_acc_z_ms2 has {acc.size} values for {down.size} load samples")
    return np.clip(down / np.maximum(_G + acc, 0.5 * _G), 0.0, None)


def lift_load_kg(load: HandLoad, start_s: float, end_s: float, hands_acc_z_ms2=None) -> float:
    """One load mass for a lift (kg): the median held mass between grasp and release, for the
    methods that take one load per lift (NIOSH RNLE, ACGIH TLV, the crisp REBA load score).

    Parameters
    ----------
    load : HandLoad
        A per-frame load (``force_n``, ``time_s``), e.g. from `hand_load_from_feet`.
    start_s, end_s : float
        Grasp and release times of the lift (s).
    hands_acc_z_ms2 : array_like, optional
        (T,) vertical acceleration of the hands (m/s²): the object's inertia is then taken out
        (`held_mass_kg`).

    Returns
    -------
    float
        Median equivalent held mass over the lift (kg); the box mass for a box load.

    Examples
    --------
    >>> f = np.zeros((5, 3)); f[1:4, 2] = -98.1
    >>> round(lift_load_kg(HandLoad(force_n=f, time_s=[0, 1, 2, 3, 4]), 1.0, 3.0), 6)
    10.0
    """
    if load.force_n is None:
        return float(load.box_mass_kg)
    t = np.asarray(load.time_s, float)
    sel = (t >= start_s) & (t <= end_s)
    if not sel.any():
        raise DataQualityError(f"no load sample between {start_s} and {end_s} s (load covers {t[0]:.3f}-{t[-1]:.3f} s)")
    return float(np.median(held_mass_kg(load, hands_acc_z_ms2)[sel]))


#: a load is "held" above max(HELD_MIN_KG, HELD_SHARE x its 99th percentile) for HELD_MIN_S or longer;
#: dips shorter than HELD_GAP_S are bridged (the measured load's noise outside the holds is < 0.2 kg
#: at the 95th percentile on the synthetic and the VU Amsterdam lifts: docs/kinetics.md)
HELD_MIN_KG, HELD_SHARE, HELD_MIN_S, HELD_GAP_S = 1.0, 0.3, 0.3, 0.25


def hold_intervals_from_mass(time_s: np.ndarray, mass_kg: np.ndarray) -> list[tuple[float, float]]:
    """When a measured load is in the hands: the runs where its held mass exceeds
    max(1 kg, 30 % of its 99th percentile), dips under 0.25 s bridged, runs under 0.3 s dropped.

    Parameters
    ----------
    time_s : numpy.ndarray
        (T,) times (s).
    mass_kg : numpy.ndarray
        (T,) held mass (kg; `liftrisk.kinetics.load_from_feet.held_mass_kg`).

    Returns
    -------
    list of (float, float)
        (start_s, end_s) of each hold.

    Examples
    --------
    >>> t = np.arange(0, 3, 0.01); kg = np.where((t > 1) & (t < 2), 12.0, 0.1)
    >>> [(round(a, 2), round(b, 2)) for a, b in hold_intervals_from_mass(t, kg)]
    [(1.01, 1.99)]
    """
    t = np.asarray(time_s, float)
    kg = np.nan_to_num(np.asarray(mass_kg, float))
    if t.size < 2:
        return []
    on = kg > max(HELD_MIN_KG, HELD_SHARE * float(np.percentile(kg, 99)))
    edges = np.flatnonzero(np.diff(np.r_[0, on.astype(int), 0]))
    runs = [[t[a], t[b - 1]] for a, b in zip(edges[::2], edges[1::2], strict=True)]
    merged: list[list[float]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < HELD_GAP_S:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return [(float(a), float(b)) for a, b in merged if b - a >= HELD_MIN_S]
