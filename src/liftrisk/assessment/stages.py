"""The stages of an assessment, each one function over a lower layer's algorithms, called in
order by `liftrisk.pipeline` (see its docstring for the methods and sources of each stage):
canonical joint centres (`canonical_motion`, with the body-model fit), lift events
(`detect_lift_events`), the ground reactions of pressure insoles (`insole_reactions`), the
hand load measured from the feet (`feet_loads`), lower-body loads from plates or
whole-body dynamics (`lower_body_loads`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from liftrisk.assessment.result import StageProgress
from liftrisk.bodymodel import BodyFit, LinearisedFit, fit_joint_centres
from liftrisk.bodymodel.fit import fitted_marker_joint_centres, model_marker_set
from liftrisk.core.loads import GroundReaction, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.skeletons import CANONICAL_POINTS, detect_skeleton, to_canonical
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.kinematics import lift_events
from liftrisk.kinematics.joint_centres import NOTES_KEY, canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinetics.ground_reaction import (
    estimate_ground_reaction,
)
from liftrisk.kinetics.inverse_dynamics import bottom_up, insole_ground_reaction
from liftrisk.kinetics.load_from_feet import (
    hand_load_from_feet,
    hands_acceleration_z,
    held_mass_kg,
    hold_intervals_from_mass,
    lift_load_kg,
)
from liftrisk.processing import fill_and_lowpass, lowpass

__all__ = ["FeetLoads", "body_model_fits", "body_model_stage", "canonical_motion", "canonical_points",
           "detect_lift_events", "feet_loads", "input_kind", "insole_reactions", "lift_loads_kg",
           "load_per_frame_kg", "lower_body_loads", "report_progress"]


def report_progress(cb: StageProgress | None, stage: str, done: int = 1, total: int = 1) -> None:
    """Call the progress callback `cb` (if any) with (stage, done, total).

    Parameters
    ----------
    cb : callable(stage, done, total) or None
        The caller's progress callback.
    stage : str
        Name of the stage.
    done, total : int
        Units of work done so far and in all.
    """
    if cb is not None:
        cb(stage, done, total)


def canonical_motion(motion: Motion, subject: Subject, settings: AssessmentSettings = AssessmentSettings(),
                     static: Motion | None = None, measurements=None) -> Motion:
    """Canonical joint centres, gap-filled, low-pass filtered, with hands and L5/S1.

    Accepts detector/file point layouts of the skeleton registry, canonical points, or mocap
    marker sets known to `liftrisk.kinematics.joint_centres` (with the `static` trial and the
    Plug-in Gait subject `measurements`, mm, when given). Points below
    ``settings.min_confidence`` are missing; the gap policy is
    `liftrisk.processing.fill_and_lowpass` (``max_gap_s``, ``cutoff_hz``). What the joint-centre
    stage assumed or could not build is in ``meta["notes"]``.

    Parameters
    ----------
    motion : Motion
        Keypoints, canonical points or markers (m, Z-up world frame).
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    static : Motion, optional
        Static trial of the same marker set.
    measurements : dict, optional
        Plug-in Gait subject measurements (mm).

    Returns
    -------
    Motion
        Canonical joint centres (m, Z-up world frame), filtered.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> m = canonical_motion(demo_posture(20), Subject("male", 80, 1.78))
    >>> "l5s1" in m and m.n_frames
    20
    """
    canon = canonical_points(motion, subject, settings, static, measurements)
    canon = fill_and_lowpass(canon, settings.max_gap_s, settings.cutoff_hz)
    canon = canonical_joint_centres(canon, "canonical", sex=subject.sex)
    return body_model_stage(motion, canon, subject, settings, static, measurements)[0] if settings.body_model \
        else canon


def body_model_fits(motion: Motion, canon: Motion, subject: Subject, settings: AssessmentSettings,
                    static: Motion | None = None, measurements=None
                    ) -> tuple[Motion, BodyFit | None, LinearisedFit]:
    """The joint centres of liftrisk's body model fitted to the recording (`liftrisk.bodymodel`).

    Mocap markers of a set the model carries (Plug-in Gait, gait2354): inverse kinematics of
    the raw markers, gap-filled and low-pass filtered by the same policy as the joint centres
    (``max_gap_s``, ``cutoff_hz``), the model scaled on the `static` trial when given, else on
    the recording (`liftrisk.bodymodel.fit.fitted_marker_joint_centres`); only the points
    the frame-by-frame joint centres `canon` have are returned (a lower-body-only file keeps
    no arms). Anything else (keypoints, canonical points, other markers): the model fitted to
    `canon` (`liftrisk.bodymodel.fitted_joint_centres`). Points the model does not carry
    (``box``) and ``canon``'s notes are kept; ``meta["body_model"]`` says which route ran.

    Parameters
    ----------
    motion : Motion
        The points as read (markers, keypoints or canonical points; m, Z-up world frame).
    canon : Motion
        Its canonical joint centres, filtered (`canonical_motion` without the body model).
    subject : Subject
        Sex, body mass (kg), stature (m).
    settings : AssessmentSettings
        ``max_gap_s``, ``cutoff_hz`` (the markers' filter).
    static : Motion, optional
        Static trial of the same marker set.
    measurements : dict, optional
        Plug-in Gait subject measurements (mm).

    Returns
    -------
    joint_centres : Motion
        The fitted model's canonical joint centres (m).
    fit : BodyFit or None
        The raw-marker fit (per-frame marker residuals, coordinates, scaling), None on the
        joint-centre route.
    linearised : LinearisedFit
        The fit linearised at its solution (`liftrisk.uncertainty.propagate` moves it with
        each draw's points): with the draws' joint centres on the joint-centre route, with the
        draws' raw markers (its ``raw_targets``: the markers before filtering, with the fit's
        per-marker residuals) on the marker route.
    """
    if model_marker_set(motion) is not None:
        markers = fill_and_lowpass(motion, settings.max_gap_s, settings.cutoff_hz)
        try:
            fitted, fit = fitted_marker_joint_centres(markers, subject, canon.point_names, static=static,
                                                      measurements=measurements)
        except LiftriskError as exc:  # e.g. too few markers to scale: the joint-centre route below
            notes = [*canon.meta.get(NOTES_KEY, ()), f"body model not fitted to the raw markers ({exc}); fitted to "
                     "the joint centres instead"]
            canon = canon.replace(meta={**canon.meta, NOTES_KEY: notes})
        else:
            rest = {n: canon[n] for n in canon.point_names if n not in fitted}
            if rest:
                fitted = fitted.with_points(rest)
            fitted = fitted.select([n for n in canon.point_names if n in fitted])
            raw = motion.select([n for n in fit.ik_points if n in motion])
            raw = raw.replace(meta={**raw.meta, "marker_residuals_m": fit.marker_residuals_m})
            linearised = LinearisedFit(fit, [n for n in fit.joint_centres.point_names if n in canon.point_names],
                                       raw_targets=raw)
            return fitted.replace(meta={**canon.meta, **fitted.meta}, source=canon.source), fit, linearised
    fitted, linearised = fit_joint_centres(canon, subject)
    return fitted, None, linearised


def body_model_stage(motion: Motion, canon: Motion, subject: Subject, settings: AssessmentSettings,
                     static: Motion | None = None, measurements=None) -> tuple[Motion, BodyFit | None]:
    """`body_model_fits` without the linearised fit: (joint centres, raw-marker fit or None).

    Parameters
    ----------
    motion, canon, subject, settings, static, measurements
        As `body_model_fits`.

    Returns
    -------
    (Motion, BodyFit or None)
    """
    return body_model_fits(motion, canon, subject, settings, static, measurements)[:2]


def input_kind(motion: Motion) -> str:
    """``"canonical"`` (joint-centre names), ``"keypoints"`` (a detector's skeleton) or
    ``"markers"`` (a mocap marker set): what the points of `motion` are.

    Parameters
    ----------
    motion : Motion
        Points as read (``meta["input_kind"]`` overrides "canonical", e.g. for video).

    Returns
    -------
    str

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> input_kind(demo_posture(2))
    'canonical'
    """
    if set(motion.point_names) <= set(CANONICAL_POINTS) | {"box"}:
        return str(motion.meta.get("input_kind", "canonical"))
    return "keypoints" if detect_skeleton(motion.point_names) is not None else "markers"


def canonical_points(motion: Motion, subject: Subject, settings: AssessmentSettings = AssessmentSettings(),
                     static: Motion | None = None, measurements=None) -> Motion:
    """Canonical joint centres before gap filling and filtering (points below
    ``settings.min_confidence`` set missing); the first half of `canonical_motion`.

    Parameters
    ----------
    motion, subject, settings, static, measurements
        As `canonical_motion`.

    Returns
    -------
    Motion
        Canonical points (m, NaN where missing), without hands and L5/S1 unless given.
    """
    names = set(motion.point_names)
    if names <= set(CANONICAL_POINTS) | {"box"}:
        canon = motion
    elif detect_skeleton(motion.point_names) is not None:
        canon = to_canonical(motion)
    else:
        try:
            canon = joint_centres_from_markers(motion, static=static, sex=subject.sex, measurements=measurements)
        except LiftriskError as exc:
            raise DataQualityError(f"{motion.source or 'motion'}: its points match no keypoint skeleton and no "
                                   f"known marker set ({exc}); rename them to canonical joint-centre names") from None
    if canon.confidence is not None:
        low = canon.confidence < settings.min_confidence
        if low.any():
            pos = canon.positions_m.copy()
            pos[low] = np.nan
            canon = canon.replace(positions_m=pos)
    if canon.n_frames < 10:
        raise DataQualityError(f"{motion.source or 'motion'}: {canon.n_frames} frames; an assessment needs at least "
                               "10 (about 0.3 s of video)")
    return canon


def detect_lift_events(canon: Motion, settings: AssessmentSettings, plate_holds_s: list | None = None
                       ) -> tuple[list, list[str]]:
    """Lifts of the recording: the known ``settings.lift_times_s``, else the grasp -> release
    times measured by a plate under the object (`plate_holds_s`), else those detected from the
    hands' motion (`liftrisk.kinematics.lift_events.detect_lifts`); (lifts, warnings).

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m).
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    plate_holds_s : list of (float, float), optional
        Grasp -> release times (s) measured by a plate under the object.

    Returns
    -------
    lifts : list of Lift
        The lifts (times s, geometry m and deg).
    warnings : list of str
        Plain-language notes.
    """
    try:
        times = [tuple(map(float, p)) for p in settings.lift_times_s] or plate_holds_s or None
        return lift_events.detect_lifts(canon, times_s=times, floor_z_m=settings.floor_z_m), []
    except LiftriskError as exc:
        return [], [f"lift detection failed: {exc}"]


def lower_body_loads(canon: Motion, subject: Subject, hand_load: HandLoad | None, settings: AssessmentSettings,
                     holds: list | None, ground: Sequence = ()) -> tuple[pd.DataFrame | None, list[str]]:
    """Bottom-up hip, knee, ankle and L5/S1 loads from the measured ground reactions (force
    plates under the feet, `ground`) or, without them, from the ground reaction estimated from
    whole-body dynamics with its centre of pressure columns; (table or None, warnings).

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m).
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    hand_load : HandLoad or None
        The load in the hands (kg or N).
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    holds : list of (float, float) or None
        When the box is held (s); None = throughout.
    ground : sequence of GroundReaction
        Measured plates under the feet (N, m, N·m); empty = estimate the ground reaction.

    Returns
    -------
    table : pandas.DataFrame or None
        Bottom-up loads (N, N·m) and centre-of-pressure columns (m).
    warnings : list of str
        Plain-language notes.
    """
    if (not settings.lower_body and not ground) or not canon.has("l_ankle", "r_ankle"):
        return None, []  # no legs: the joint-centre stage's note says so
    if ground:
        try:
            return bottom_up(canon, subject, list(ground), frame="auto"), []
        except LiftriskError as exc:
            return None, [f"bottom-up loads from the force plates not computed: {exc}"]
    try:
        est = estimate_ground_reaction(canon, subject, hand_load, settings.floor_z_m, holds)
        lower = bottom_up(canon, subject, est.feet)
        return pd.concat([lower, est.table(canon.time_s).set_axis(lower.index)], axis=1), list(est.warnings)
    except LiftriskError as exc:
        return None, [f"lower-body moments not computed: {exc}"]


def insole_reactions(canon: Motion, insoles: Sequence) -> tuple[list, list, list[str]]:
    """Ground reactions of the insoles: (every insole's reaction, those placed under the foot
    with a centre of pressure, notes).

    An insole with a centre of pressure (per-sensor pressures, or a force export with COP
    columns) is placed under its foot with the motion's heel and toe
    (`liftrisk.kinetics.insole_ground_reaction`); an export of the total force only, or a
    motion without that foot's heel and toe, gives the vertical force alone (centre of
    pressure unknown): enough for the hand load, not for the joint moments.

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m, world frame).
    insoles : sequence of InsolePressure or InsoleForce
        Left and right (`liftrisk.io.read_insoles`).

    Returns
    -------
    all_feet : list of GroundReaction
        One per insole, on the motion's times (N; COP m, NaN when unknown).
    placed : list of GroundReaction
        Those with a centre of pressure under the foot (the bottom-up inputs).
    notes : list of str
        Plain-language notes.
    """
    feet, placed, notes = [], [], []
    t = canon.time_s
    for ins in insoles:
        side = ins.foot[0]
        has_cop = getattr(ins, "has_cop", True)
        if has_cop and canon.has(f"{side}_heel", f"{side}_toe"):
            gr = insole_ground_reaction(ins, canon)
            placed.append(gr)
        else:
            why = "the export has no centre of pressure" if not has_cop else f"the motion has no {ins.foot} heel/toe"
            notes.append(f"{ins.foot} insole: vertical force only ({why}); it gives the hand load, not the "
                         "lower-body moments")
            fz = np.interp(t, ins.time_s, ins.vertical_force_n())
            gr = GroundReaction(t, np.column_stack([np.zeros((t.size, 2)), fz]), np.full((t.size, 3), np.nan),
                                foot=ins.foot, name=f"insole_{ins.foot}")
        feet.append(gr)
    return feet, placed, notes


@dataclass(frozen=True)
class FeetLoads:
    """What the feet measured, for the later stages (`feet_loads`).

    Attributes
    ----------
    hand_load : HandLoad or None
        The per-frame hand load from the feet (``force_n``, N; ``box_mass_kg`` the median held
        mass over the holds), or None when not asked for or not computable.
    ground : tuple of GroundReaction
        The ground reactions for the bottom-up moments: the floor plates, else both insoles
        when each has a centre of pressure under its foot, else none.
    notes : list of str
        Plain-language notes.
    source : str
        Where the hand load came from ("insoles", "force plates under the feet") or "".
    holds_s : list of (float, float)
        When the measured load is in the hands
        (`liftrisk.kinetics.load_from_feet.hold_intervals_from_mass`), s.
    """

    hand_load: HandLoad | None
    ground: tuple
    notes: list
    source: str = ""
    holds_s: list = field(default_factory=list)


def feet_loads(canon: Motion, subject: Subject, settings: AssessmentSettings, plates_ground: Sequence = (),
               insoles: Sequence = (), load_given: bool = False, split: float = 0.5, measured_elsewhere: bool = False
               ) -> FeetLoads:
    """The ground reactions under the feet and, when asked for (``settings.hand_load_from_feet``,
    or insoles given without a load), the per-frame load in the hands from them
    (`liftrisk.kinetics.load_from_feet.hand_load_from_feet`: total vertical force minus body
    weight, with the centre-of-mass dynamics).

    Parameters
    ----------
    canon : Motion
        Canonical joint centres (m).
    subject : Subject
        Body mass (kg) and sex (segment masses).
    settings : AssessmentSettings
        ``hand_load_from_feet``.
    plates_ground : sequence of GroundReaction
        Force plates under the feet (N, m).
    insoles : sequence of InsolePressure or InsoleForce
        Both insoles (`liftrisk.io.read_insoles`); they win over the plates for the hand load
        (they are under the feet by construction).
    load_given : bool
        Whether the user gave a load (a box mass): insoles then measure the load only with
        ``settings.hand_load_from_feet``.
    split : float
        Share carried by the right hand.
    measured_elsewhere : bool
        A plate under the object measured the hand load (it wins: a more direct measurement).

    Returns
    -------
    FeetLoads
        Hand load (N) or None, the ground reactions for the bottom-up moments, notes, source,
        and when the load is held
        (`liftrisk.kinetics.load_from_feet.hold_intervals_from_mass`).
    """
    notes: list[str] = []
    feet, placed = list(plates_ground), []
    if insoles:
        feet, placed, notes = insole_reactions(canon, insoles)
    ground = tuple(plates_ground) or (tuple(placed) if len(placed) == 2 else ())
    source = "insoles" if insoles else "force plates under the feet"
    if measured_elsewhere:
        return FeetLoads(None, ground, notes + (["a plate under the object measured the hand load; the feet's "
                                                 "measurement is not used for it"]
                                                if settings.hand_load_from_feet or insoles else []))
    if not (settings.hand_load_from_feet or (insoles and not load_given)):
        if insoles:
            notes.append("insoles given with a box mass: the box mass is the hand load; hand_load_from_feet = true "
                         "(--hand-load-from-feet) takes it from the insoles instead")
        return FeetLoads(None, ground, notes)
    if not feet:
        return FeetLoads(None, ground, notes + [
            "hand_load_from_feet is on, but nothing under the feet was measured (give --insoles or force plates "
            "under the feet); the given box mass is used"])
    if 0 < settings.cutoff_hz:  # the ground forces get the joint centres' filter too (Kristianslund et al. 2012)
        feet = [lowpass(g, settings.cutoff_hz) if g.time_s.size > 12 and settings.cutoff_hz < 0.5 * g.rate_hz else g
                for g in feet]
    try:
        load = hand_load_from_feet(feet, canon, subject, dynamic=True, split=split,
                                   quiet_window_s=settings.quiet_standing_s or None)
    except LiftriskError as exc:
        return FeetLoads(None, ground, notes + [f"hand load from the {source} not computed ({exc}); the given box "
                                                "mass is used"])
    weight = (f"the mean force under the feet over quiet standing {settings.quiet_standing_s[0]:g}-"
              f"{settings.quiet_standing_s[1]:g} s" if settings.quiet_standing_s else
              "the body mass as entered x g (quiet_standing_s calibrates it on the measured force)")
    notes.append(f"hand load measured from the {source} frame by frame: total vertical force under the feet minus "
                 f"body weight ({weight}), corrected for the acceleration of the body's centre of mass; valid while "
                 "the feet carry all the support (no leaning or kneeling)")
    t = canon.time_s
    mass = held_mass_kg(load, _hands_acc(canon, 6.0))
    holds = hold_intervals_from_mass(t, mass)
    held = np.zeros(t.size, bool)
    for a, b in holds:
        held |= (t >= a) & (t <= b)
    # the typical held mass as the load's scalar (as a plate under the object gives it): what the
    # one-number consumers (uncertainty bands, job measures, the report's headline) read
    typical = float(np.median(mass[held])) if held.any() else 0.0
    load = replace(load, box_mass_kg=min(typical, 200.0))
    return FeetLoads(load, ground, notes, source, holds)


def load_per_frame_kg(load: HandLoad, canon: Motion, holds: list | None, cutoff_hz: float = 6.0) -> np.ndarray:
    """(T,) held mass (kg) on the motion's times for the per-frame load scores (REBA, RULA):
    the measured force over g plus the hands' vertical acceleration (the object's mass, its
    inertia taken out: `liftrisk.kinetics.load_from_feet.held_mass_kg`), 0 outside the hold
    intervals when they are known.

    Parameters
    ----------
    load : HandLoad
        A measured load (``force_n``, N) on the motion's times.
    canon : Motion
        Canonical joint centres (m): the hands' acceleration.
    holds : list of (float, float) or None
        When the load is held (s); None = throughout.
    cutoff_hz : float
        Low-pass cut-off of the hands' path before differentiation (Hz).

    Returns
    -------
    numpy.ndarray
        (T,) kg, >= 0.

    Examples
    --------
    >>> from liftrisk.synthetic.body import neutral_body
    >>> body = neutral_body(n_frames=3, rate_hz=1.0)
    >>> f = np.zeros((3, 3)); f[:, 2] = -98.1
    >>> load_per_frame_kg(HandLoad(force_n=f, time_s=body.time_s), body, [(0.5, 1.5)]).round(6).tolist()
    [0.0, 10.0, 0.0]
    """
    t = canon.time_s
    kg = held_mass_kg(_on_times(load, t), _hands_acc(canon, cutoff_hz))
    if holds:
        held = np.zeros(t.size, bool)
        for a, b in holds:
            held |= (t >= a) & (t <= b)
        kg = np.where(held, kg, 0.0)
    return kg


def _on_times(load: HandLoad, t: np.ndarray) -> HandLoad:
    if load.time_s.size == t.size and np.allclose(load.time_s, t):
        return load
    f = np.column_stack([np.interp(t, load.time_s, load.force_n[:, k]) for k in range(3)])
    return HandLoad(force_n=f, time_s=t, split=load.split)


def _hands_acc(canon: Motion, cutoff_hz: float) -> np.ndarray | None:
    try:
        return hands_acceleration_z(canon, cutoff_hz)
    except LiftriskError:  # no hands: weight plus inertia, over g
        return None


def lift_loads_kg(load: HandLoad, canon: Motion, lifts: Sequence, cutoff_hz: float = 6.0) -> list[float]:
    """One load per lift (kg) for NIOSH and the TLV: the median held mass (inertia taken out,
    as `load_per_frame_kg`) from lift-off to set-down
    (`liftrisk.kinetics.load_from_feet.lift_load_kg`).

    Parameters
    ----------
    load : HandLoad
        A measured load (``force_n``, N).
    canon : Motion
        Canonical joint centres (m): the hands' acceleration.
    lifts : sequence of Lift
        The lifts (origin and destination times, s).
    cutoff_hz : float
        Low-pass cut-off of the hands' path before differentiation (Hz).

    Returns
    -------
    list of float
        kg, one per lift.
    """
    on = _on_times(load, canon.time_s)
    acc = _hands_acc(canon, cutoff_hz)
    return [lift_load_kg(on, float(lf.origin.time_s), float(lf.destination.time_s), acc) for lf in lifts]
