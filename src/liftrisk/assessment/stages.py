"""The stages of an assessment, each one function over a lower layer's algorithms, called in
order by `liftrisk.pipeline` (see its docstring for the methods and sources of each stage):
canonical joint centres (`canonical_motion`, with the body-model fit), lift events
(`detect_lift_events`), lower-body loads from plates or whole-body dynamics (`lower_body_loads`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from liftrisk.assessment.result import StageProgress
from liftrisk.bodymodel import fitted_joint_centres
from liftrisk.core.loads import HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.skeletons import CANONICAL_POINTS, detect_skeleton, to_canonical
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.kinematics import lift_events
from liftrisk.kinematics.joint_centres import canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinetics.ground_reaction import (
    estimate_ground_reaction,
)
from liftrisk.kinetics.inverse_dynamics import bottom_up
from liftrisk.processing import fill_and_lowpass

__all__ = ["canonical_motion", "canonical_points", "detect_lift_events", "input_kind", "lower_body_loads",
           "report_progress"]


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
    return fitted_joint_centres(canon, subject) if settings.body_model else canon


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
