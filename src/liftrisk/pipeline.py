"""End-to-end assessment: motion (or video) -> joint centres -> kinematics, kinetics, risk.

`assess_motion` takes any Motion (mocap markers, triangulated or monocular keypoints,
canonical joint centres) and returns an `Assessment` holding every time series and per-lift
result; `assess_video` adds the pose stage (MediaPipe 2D keypoints -> monocular metric 3D,
or N calibrated views -> triangulation) in front of it.

Stages and their methods (see each module for equations and sources)

1. Canonical joint centres (`liftrisk.core.skeletons.to_canonical`), gaps up to
   ``max_gap_s`` interpolated and each run of samples low-pass filtered at ``cutoff_hz`` (6 Hz
   by default; Mehrizi et al. 2019 filter at 8 Hz) by the one gap policy
   `liftrisk.processing.fill_and_lowpass`, then hands and L5/S1 (Reed et al. 1999
   regression, `liftrisk.kinematics.joint_centres`); then (``settings.body_model``, default on)
   liftrisk's body model scaled to the subject and fitted by inverse kinematics
   (`liftrisk.bodymodel.fitted_joint_centres`): every later stage uses the fitted model's
   joint centres, whose segment lengths are the same in every frame.
2. Joint angles (`liftrisk.kinematics.joint_angles`).
3. Top-down Newton-Euler to L5/S1, shoulders, elbows and wrists with the box in the hands
   (Mehrizi et al. 2019, eq. 8-9, `liftrisk.kinetics.top_down_l5s1`), disc compression and shear
   with the NIOSH 3400 / 6400 N limits (`liftrisk.kinetics.spine.spine_load`).
4. Lower-limb joint moments bottom-up from the ground reaction implied by whole-body
   dynamics (no force plates from video, `liftrisk.kinetics.ground_reaction`): the centre of pressure
   is the floor point where the ground's horizontal moment vanishes (only the vertical free
   moment remains), shared between the feet by the lever rule; a COP outside the heel-toe hull
   is clipped and reported as off balance. Workload ratio = |torque| / capacity
   (Int J Intell Syst 2023, sec. 3.3) for L5/S1, shoulders, elbows (cited capacities of
   `liftrisk.kinetics.strength`) and hips, knees, ankles (Anderson et al. 2007, at the current
   joint angle), `liftrisk.kinetics.workload`.
5. REBA, fuzzy REBA, RULA per frame, each scored for both arms and the worse side kept
   (`liftrisk.risk.posture`), the box mass as load.
6. Lifts (grasp -> release from the hands' dwell, `liftrisk.kinematics.lift_events`), NIOSH
   RWL / LI at origin and destination (Waters et al. 1994) and ACGIH TLV zone at the origin,
   with the vertical-zone landmarks from the worker's stature (Drillis & Contini 1966 via
   Winter 2009 Fig. 4.1: mid-shin 0.162 H, knuckle 0.431 H, shoulder 0.818 H;
   `liftrisk.risk.lift_rating`).
7. Headline figures (`summarise`); the plain-language findings are written by
   `liftrisk.report.findings`.

This module orchestrates: each stage is one function of a lower layer, called in order by
`assess_motion` (3D motion) and `assess_keypoints` / `assess_video` (pose first). The stages
are separate functions here (`canonical_motion`, `detect_lift_events`, `lower_body_loads`,
`summarise`) so that new inputs (a body model, measured plate loads) slot in between them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.bodymodel import fitted_joint_centres
from liftrisk.core.loads import ForcePlates, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.skeletons import CANONICAL_POINTS, detect_skeleton, to_canonical
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.io import VIDEO_SUFFIXES, is_video, read_motion, write_mot, write_result_csv, write_trc
from liftrisk.kinematics import lift_events
from liftrisk.kinematics.angles import joint_angles
from liftrisk.kinematics.joint_centres import NOTES_KEY, canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinematics.lift_events import hold_intervals_s, hold_window_s
from liftrisk.kinetics.centre_of_mass import centre_of_mass_m, smooth_centre_of_mass
from liftrisk.kinetics.ground_reaction import (
    GroundReactionEstimate,
    clip_to_support,
    estimate_ground_reaction,
    off_balance_frames,
    split_ground_reaction,
)
from liftrisk.kinetics.inverse_dynamics import bottom_up, compare_l5s1, top_down_l5s1, unavailable_l5s1
from liftrisk.kinetics.object_plate import hand_load_from_object_plates
from liftrisk.kinetics.spine import compression_exposure, spine_load
from liftrisk.kinetics.workload import joint_workload, peak_workload
from liftrisk.processing import fill_and_lowpass, peak
from liftrisk.risk.acgih import landmarks_from_stature
from liftrisk.risk.lift_rating import LiftAssessment, rate_lifts
from liftrisk.risk.posture import posture_angles, posture_peaks, posture_scores
from liftrisk.uncertainty import propagate
from liftrisk.uncertainty.reliability import lift_verdicts

__all__ = [
    "Assessment", "AssessmentSettings", "LiftAssessment", "StageProgress", "VIDEO_SUFFIXES", "assess_file",
    "assess_keypoints", "assess_motion", "assess_video", "canonical_motion", "detect_lift_events", "export_csv",
    "export_mot", "export_trc", "uncertainty_summary", "canonical_points", "input_kind", "is_video",
    "lower_body_loads", "summarise",
    # moved to lower layers; kept importable from here for existing callers
    "GroundReactionEstimate", "centre_of_mass_m", "clip_to_support", "estimate_ground_reaction", "hold_intervals_s",
    "hold_window_s", "joint_workload", "smooth_centre_of_mass", "split_ground_reaction",
]

#: progress callback of an assessment: ``progress(stage_name, done, total)``
StageProgress = Callable[[str, int, int], None]


@dataclass(frozen=True, eq=False)
class Assessment:
    """Everything an assessment produced (SI units; DataFrames indexed by ``time_s``).

    Attributes
    ----------
    subject : Subject
        The worker (kg, m, years).
    hand_load : HandLoad or None
        The load in the hands (kg or N).
    settings : AssessmentSettings
        The settings used.
    motion : Motion
        Canonical joint centres used (filtered, incl. l5s1 and hands; m, Z-up world).
    angles_rad : pandas.DataFrame
        Joint angles (rad).
    kinetics : pandas.DataFrame
        Top-down L5/S1 and arm joint loads (N, N·m).
    spine : pandas.DataFrame
        Compression / shear (N) and NIOSH limit flags.
    lower : pandas.DataFrame or None
        Bottom-up hip/knee/ankle loads (N, N·m) from the measured or estimated ground reaction.
    workload : pandas.DataFrame or None
        Per-joint workload ratios (dimensionless).
    posture : pandas.DataFrame
        Per-frame REBA (``reba``, ``reba_risk``), RULA (``rula``) and fuzzy REBA
        (``fuzzy_reba``) of the worse arm side (`liftrisk.risk.posture.posture_scores`).
    lifts : list of LiftAssessment
        `liftrisk.risk.lift_rating.LiftAssessment` of each lift (kg, m, deg).
    summary : dict
        Headline figures (`summarise`; units in the key names); the sentences are
        `liftrisk.report.findings`.
    warnings : list of str
        What the user must know about the figures.
    source : str
        The input file(s).
    keypoints : list
        The 2D keypoints of each view (video input).
    video_paths : list
        The videos (video input).
    raw_points : Motion or None
        Canonical points before gap filling and filtering (m), from which
        `Assessment.uncertainty` redraws.
    input_kind : str
        ``"canonical"``, ``"keypoints"`` or ``"markers"`` (`input_kind`).
    holds_s : list of (start_s, end_s) or None
        When the hands held the load (None: throughout).
    """

    subject: Subject
    hand_load: HandLoad | None
    settings: AssessmentSettings
    motion: Motion
    angles_rad: pd.DataFrame
    kinetics: pd.DataFrame
    spine: pd.DataFrame
    lower: pd.DataFrame | None
    workload: pd.DataFrame | None
    posture: pd.DataFrame
    lifts: list
    summary: dict
    warnings: list = field(default_factory=list)
    source: str = ""
    keypoints: list = field(default_factory=list)
    video_paths: list = field(default_factory=list)
    raw_points: Motion | None = None
    input_kind: str = "canonical"
    holds_s: list | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def uncertainty(self):
        """Monte Carlo bands of this assessment (`liftrisk.uncertainty.propagate`, computed on
        first use and kept; None when ``settings.uncertainty_draws`` is 0 or the points before
        filtering are not known)."""
        if "uncertainty" not in self._cache:
            u = None
            if self.raw_points is not None and self.settings.uncertainty_draws > 0:
                u = propagate(self.raw_points, self.subject, self.hand_load, self.settings, kind=self.input_kind,
                              holds_s=self.holds_s, lifts=[la.lift for la in self.lifts])
            self._cache["uncertainty"] = u
        return self._cache["uncertainty"]

    def reliability(self) -> list[dict]:
        """Verdict of each lift in plain words with its reasons
        (`liftrisk.uncertainty.reliability.lift_verdicts`; uses the bands when computed).

        Returns
        -------
        list of dict
            ``lift``, ``verdict``, ``reasons``, ``unreliable`` per lift (empty without points).
        """
        if self.raw_points is None or not self.lifts:
            return []
        t = self.raw_points.time_s
        windows = [(int(np.argmin(np.abs(t - g))), int(np.argmin(np.abs(t - r))))
                   for g, r in (hold_window_s(la.lift) for la in self.lifts)]
        u = self.uncertainty
        band = None
        if u is not None and "compression_n_p05" in u.bands:
            band = (u.bands["compression_n_p05"].to_numpy(), u.bands["compression_n_p95"].to_numpy())
        return lift_verdicts(windows, self.raw_points, off_balance=self.off_balance_frames(), kind=self.input_kind,
                             n_views=len(self.keypoints), min_confidence=self.settings.min_confidence,
                             reprojection_px=self.summary.get("median_reprojection_px"),
                             lift_intervals=None if u is None else u.lifts, compression_band=band,
                             action_limit_n=self.summary.get("action_limit_n", 3400.0))

    def reliability_table(self) -> pd.DataFrame:
        """One row per lift: LI and its 90 % interval, P(LI > 1), P(LI > 3), the verdict and
        its reasons (``; ``-joined).

        Returns
        -------
        pandas.DataFrame
        """
        u = self.uncertainty
        rows = []
        for k, (la, v) in enumerate(zip(self.lifts, self.reliability(), strict=True)):
            r = {"lift": la.index + 1, "li": la.li}
            if u is not None and k < len(u.lifts):
                r.update({c: float(u.lifts.iloc[k][c]) for c in ("li_p05", "li_p95", "p_li_gt_1", "p_li_gt_3")})
            r.update(reliability=v["verdict"], reasons="; ".join(v["reasons"]),
                     unreliable_figures="; ".join(v["unreliable"]))
            rows.append(r)
        return pd.DataFrame(rows)

    def timeseries(self) -> pd.DataFrame:
        """One table of the main time series (angles in degrees, loads in N / N·m)."""
        ang = np.degrees(self.angles_rad).add_suffix("_deg")
        ang.columns = [c.replace("_deg_deg", "_deg") for c in ang.columns]
        parts = [ang, self.kinetics, self.spine.astype({c: float for c in self.spine.columns
                                                        if self.spine[c].dtype == bool})]
        if self.lower is not None:
            parts.append(self.lower[[c for c in self.lower.columns if not c.startswith("l5s1")]])
        if self.workload is not None:
            parts.append(self.workload)
        parts.append(self.posture[["reba", "fuzzy_reba", "rula"]].astype(float))
        df = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        df.index = pd.Index(self.motion.time_s, name="time_s")
        return df

    def lifts_table(self) -> pd.DataFrame:
        """One row per lift (NIOSH and ACGIH results)."""
        return pd.DataFrame([la.row() for la in self.lifts])

    def mot_table(self) -> pd.DataFrame:
        """Joint angles (deg), L5/S1 loads (N, N·m), compression and shear (N), indexed by time."""
        ang = np.degrees(self.angles_rad).add_suffix("_deg")
        return pd.concat([ang, self.kinetics.filter(like="l5s1_"), self.spine[["compression_n", "ap_shear_n"]]],
                         axis=1)

    def off_balance_frames(self) -> np.ndarray:
        """(T,) frames whose centre of pressure left the feet (widened by the filter's
        transition; `liftrisk.kinetics.ground_reaction.off_balance_frames`)."""
        off = off_balance_frames(self.lower, self.motion.rate_hz)
        return np.zeros(self.motion.n_frames, bool) if off is None else off


def _progress(cb: StageProgress | None, stage: str, done: int = 1, total: int = 1) -> None:
    if cb is not None:
        cb(stage, done, total)


# ---------------------------------------------------------------------------- stages
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


def summarise(a: Assessment) -> dict:
    """Headline figures of an assessment (SI units; names carry their units).

    Peak L5/S1 compression and time above the NIOSH limits
    (`liftrisk.kinetics.spine.compression_exposure`), peak extension moment, worst REBA and
    fuzzy REBA (`liftrisk.risk.posture.posture_peaks`), lifts and the largest lifting index,
    and the most loaded joint (`liftrisk.kinetics.workload.peak_workload`, off-balance frames
    left out for the legs).

    Parameters
    ----------
    a : Assessment
        An assessment.

    Returns
    -------
    dict
        Headline figures; every name carries its unit (``peak_compression_n``, ``max_li``, ...).
    """
    t = a.motion.time_s
    exp = compression_exposure(a.spine["compression_n"].to_numpy(float), t)
    peak_m, t_m = peak(a.kinetics["l5s1_extension_moment_nm"].to_numpy(float), t)
    post = posture_peaks(a.posture, t)
    s = {"duration_s": float(t[-1] - t[0]), "n_frames": int(t.size), "rate_hz": float(a.motion.rate_hz),
         "box_kg": a.hand_load.box_mass_kg if a.hand_load else 0.0,
         **{k: exp[k] for k in ("peak_compression_n", "peak_compression_time_s", "time_above_action_limit_s",
                                "time_above_max_permissible_s")},
         "peak_l5s1_extension_moment_nm": peak_m, "peak_l5s1_moment_time_s": t_m, **post,
         "n_lifts": len(a.lifts), "max_li": max((la.li for la in a.lifts), default=float("nan")),
         "action_limit_n": exp["action_limit_n"], "maximum_permissible_n": exp["maximum_permissible_n"]}
    off = a.off_balance_frames()
    if off.size and off.mean() > 0.5:  # mostly off balance: no leg figure is reported
        off = np.ones_like(off)
    top = peak_workload(a.workload, off)
    if top is not None:
        s["peak_workload_joint"], s["peak_workload_ratio"] = top
    if a.lower is not None and a.summary.get("ground_reaction") == "force plates":
        s.update(compare_l5s1(a.kinetics, a.lower))
    return s


# ---------------------------------------------------------------------------- main API
def assess_motion(motion: Motion, subject: Subject, hand_load: HandLoad | float | None = None,
                  settings: AssessmentSettings = AssessmentSettings(), progress: StageProgress | None = None,
                  keypoints: Sequence = (), video_paths: Sequence = (), *, force_plates: ForcePlates | None = None,
                  static: Motion | None = None, measurements=None) -> Assessment:
    """Full assessment of one recording.

    Parameters
    ----------
    motion : Motion
        Points in m, Z-up world frame (keypoint layout, canonical joint centres or markers).
    subject : Subject
    hand_load : HandLoad or float, optional
        The load in the hands (a float is a box mass in kg).
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    progress : callable(stage, done, total), optional
        Called as each stage finishes.
    keypoints : sequence of Keypoints2D
        The 2D keypoints the motion came from (video input), kept for the report.
    video_paths : sequence of path
        The videos, kept for the report's key frames.
    force_plates : ForcePlates, optional
        Measured plates (same clock as the motion): plates under the feet replace the estimated
        ground reaction (bottom-up loads, and the L5/S1 comparison in the summary); a plate
        under the object gives the measured hand load and the grasp / release times, which
        override detection from the hands (`liftrisk.kinetics.object_plate`).
    static : Motion, optional
        Static trial (marker sets: knee/ankle calibration, Plug-in Gait leg length / widths).
    measurements : dict, optional
        Plug-in Gait subject measurements in mm (``leg_length_mm``, ``knee_width_mm``, ...).

    Returns
    -------
    Assessment

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> a = assess_motion(demo_posture(30), Subject("male", 80, 1.78), 10.0)
    >>> round(float(a.kinetics["l5s1_extension_moment_nm"].iloc[15]))
    130
    """
    if not isinstance(subject, Subject):
        raise DataQualityError(f"subject must be a liftrisk Subject, got {type(subject).__name__}")
    if not isinstance(settings, AssessmentSettings):
        raise DataQualityError(f"settings must be AssessmentSettings, got {type(settings).__name__}")
    if hand_load is not None and not isinstance(hand_load, HandLoad):
        hand_load = HandLoad(box_mass_kg=float(hand_load))
    load_kg = hand_load.box_mass_kg if hand_load is not None else 0.0

    plates = force_plates if force_plates is not None else ForcePlates()
    _progress(progress, "joint centres")
    raw = canonical_points(motion, subject, settings, static, measurements)
    canon = canonical_joint_centres(fill_and_lowpass(raw, settings.max_gap_s, settings.cutoff_hz), "canonical",
                                    sex=subject.sex)
    if settings.body_model:
        _progress(progress, "body model")
        canon = fitted_joint_centres(canon, subject)
        rms = canon.meta.get("body_model", {}).get("rms_residual_m")
        if rms is not None:  # the fit's residual is a noise input of the bands
            raw = raw.replace(meta={**raw.meta, "model_rms_residual_m": float(rms)})
    warnings: list[str] = list(canon.meta.get(NOTES_KEY, ()))
    _progress(progress, "kinematics")
    angles = joint_angles(canon)
    _progress(progress, "lifts")
    plate_holds = None
    if plates.objects:
        measured = hand_load_from_object_plates(plates.objects, canon, load_kg or None,
                                                hand_load.split if hand_load is not None else 0.5)
        warnings += measured.notes
        if measured.hand_load is not None:
            hand_load, plate_holds = measured.hand_load, measured.holds_s
            load_kg = hand_load.box_mass_kg
    detected, lift_warnings = detect_lift_events(canon, settings, plate_holds)
    warnings += lift_warnings
    holds = plate_holds or hold_intervals_s(detected)  # the box pushes on the hands only while held
    if hand_load is not None and load_kg > 0 and not detected and not plate_holds:
        warnings.append(f"no lift detected: the {load_kg:g} kg load is assumed to be in the hands throughout")
    _progress(progress, "kinetics")
    lower, lower_warnings = lower_body_loads(canon, subject, hand_load, settings, holds, plates.ground)
    warnings += lower_warnings
    try:
        kin = top_down_l5s1(canon, subject, hand_load, hold_intervals_s=holds)
    except LiftriskError as exc:  # no upper body: the plates' bottom-up L5/S1 (if any) stands in
        kin = unavailable_l5s1(canon.time_s, lower)
        warnings.append(f"top-down loads not computed ({exc})"
                        + ("; the L5/S1 loads are the bottom-up ones from the force plates" if lower is not None
                           and plates.ground else ""))
    spine = spine_load(kin)
    work = joint_workload(kin, lower, angles, subject)
    _progress(progress, "risk scores")
    try:
        posture = posture_scores(posture_angles(canon), load_kg=load_kg, coupling=settings.coupling,
                                 activity=settings.reba_activity)
    except LiftriskError as exc:  # e.g. a lower-body-only marker set: no trunk, neck or arms
        posture = pd.DataFrame({"reba": 0, "reba_risk": "", "rula": 0, "fuzzy_reba": np.nan}, index=angles.index)
        warnings.append(f"REBA, RULA and fuzzy REBA not scored ({exc})")
    posture.index = angles.index
    lifts, lift_warnings = rate_lifts(detected, load_kg, landmarks_from_stature(subject.height_m),
                                      lifts_per_min=settings.lifts_per_min, duration_h=settings.duration_h,
                                      coupling=settings.coupling)
    warnings += lift_warnings
    a = Assessment(subject, hand_load, settings, canon, angles, kin, spine, lower, work, posture, lifts, {}, warnings,
                   motion.source, list(keypoints), [str(p) for p in video_paths], raw, input_kind(motion),
                   None if holds is None else [tuple(map(float, h)) for h in holds])
    if plates.ground:
        a.summary["ground_reaction"] = "force plates"
    if plates.objects:
        a.summary["hand_load"] = "object plate" if plate_holds else "given mass"
    a.summary.update(summarise(a))
    _progress(progress, "done")
    return a


# ---------------------------------------------------------------------------- video
def assess_video(paths: str | os.PathLike | Sequence[str | os.PathLike], subject: Subject,
                 calib: str | os.PathLike | None = None, hand_load: HandLoad | float | None = None, *,
                 settings: AssessmentSettings = AssessmentSettings(), detector=None, rotate_deg: int | None = None,
                 max_frames: int | None = None, sync: bool = True, max_rate_hz: float | None = 30.0,
                 progress: StageProgress | None = None, camera_names: Sequence[str] = ()) -> Assessment:
    """Assess a lift filmed by one phone (monocular) or N calibrated synchronised cameras.

    Parameters
    ----------
    paths : one video or a list (one per camera; paired with the calibration's cameras by
        `liftrisk.pose.calibration.match_cameras`: `camera_names`, else the file names, else
        the order when there are as many videos as cameras).
    subject : Subject (its stature scales monocular 3D).
    calib : calibration file (Pose2Sim TOML / Qualisys QCA) - required for >= 2 videos;
        with one video its camera's intrinsics are used for the monocular root translation
        (a calibration of several cameras needs `camera_names` or a file-name match, else
        a `DataQualityError`).
    hand_load : box mass (kg) or HandLoad.
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    detector : a `liftrisk.pose.PoseDetector` (default MediaPipe, model_complexity=1).
    rotate_deg : override the videos' rotation tag.
    max_frames : analyse only the first frames.
    sync : multi-view only: estimate frame lags between views from the calibration.
    max_rate_hz : analyse at most this many frames per second (a 60 fps video is read every
        2nd frame; lifting has no content above ~6 Hz, Mehrizi et al. 2019 used 15 fps). None:
        every frame.
    progress : callable(stage, done, total).
    camera_names : sequence of str
        The calibration's camera name of each video (the CLI's ``--camera``).

    Returns
    -------
    Assessment
        Everything the assessment produced (SI units).
    """
    from liftrisk.pose import detect_video, probe_video, read_calibration  # OpenCV: imported when used
    from liftrisk.pose.calibration import match_cameras

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise DataQualityError("no video given")
    cams = read_calibration(calib) if calib is not None else None
    if len(paths) > 1 and cams is None:
        raise DataQualityError(f"{len(paths)} videos but no calibration; give --calib (Pose2Sim TOML or Qualisys "
                               "QCA) or assess one video at a time (monocular)")
    if cams is not None and len(cams) < len(paths):
        raise DataQualityError(f"{len(paths)} videos but the calibration has {len(cams)} cameras")
    if cams is not None:  # explicit names, else file names, else the order (as many videos as cameras)
        cams = match_cameras(paths, cams, camera_names or None, Path(calib).name)
    views = []
    for i, p in enumerate(paths):
        def cb(done, total, _i=i, _p=p):
            _progress(progress, f"pose {_p.name}", done, total)
        rate = probe_video(p, rotate_deg).rate_hz
        stride = max(1, int(round(rate / max_rate_hz))) if max_rate_hz else 1
        views.append(detect_video(p, detector, rotate_deg=rotate_deg, max_frames=max_frames, stride=stride,
                                  progress=cb))
    return assess_keypoints(views, subject, cams, hand_load, settings=settings, sync=sync, progress=progress,
                            video_paths=paths)


def monocular_3d(view, subject: Subject, camera, settings: AssessmentSettings) -> tuple[Motion, dict, list[str]]:
    """Metric 3D points of one view (`liftrisk.pose.lift_monocular`), detected landmarks kept
    and frames with the body partly outside the image dropped (`liftrisk.pose.framing`);
    (motion, method metadata, warnings)."""
    from liftrisk.pose import lift_monocular
    from liftrisk.pose.framing import drop_partial_frames, keep_detected_landmarks

    f = c = rot = None
    if camera is not None:  # a calibrated single camera: its intrinsics, and its tilt (world assumed Z up)
        f, c = float(camera.matrix[0, 0]), (float(camera.matrix[0, 2]), float(camera.matrix[1, 2]))
        rot = camera.rotation.T
    raw = lift_monocular(view, subject.height_m, focal_px=f, principal_px=c, camera_to_world=rot,
                         vertical=settings.monocular_vertical, sex=subject.sex,
                         depth_cutoff_hz=settings.monocular_depth_cutoff_hz or None)
    warnings = list(raw.meta.get("warnings", []))
    raw = drop_partial_frames(keep_detected_landmarks(raw, settings.min_confidence), view.xy_px, view.image_size_px)
    method = "monocular (MediaPipe world landmarks scaled to the stature, root from the pixels)"
    return raw, {"method": method}, warnings


def multiview_3d(views: Sequence, cameras: Sequence, settings: AssessmentSettings, sync: bool = True
                 ) -> tuple[Motion, dict]:
    """Triangulated 3D points of N calibrated views (`liftrisk.pose.triangulate_keypoints`),
    after the frame lags between views (`estimate_frame_offsets`) when `sync`; (motion, metadata)."""
    from liftrisk.pose import triangulate_keypoints
    from liftrisk.pose.triangulation import apply_frame_offsets, estimate_frame_offsets

    if cameras is None or len(cameras) < len(views):
        raise DataQualityError(f"{len(views)} views need as many calibrated cameras")
    cams = list(cameras[:len(views)])
    meta = {}
    if sync:
        lags = estimate_frame_offsets(views, cams)
        views = apply_frame_offsets(views, lags)
        meta["frame_lags"] = lags
    tri = triangulate_keypoints(views, cams, min_confidence=settings.min_confidence)
    meta["method"] = f"{len(views)}-view triangulation (confidence-weighted DLT)"
    meta["median_reprojection_px"] = tri.median_reprojection_px()
    return tri.motion, meta


def assess_keypoints(views: Sequence, subject: Subject, cameras: Sequence | None = None,
                     hand_load: HandLoad | float | None = None, *, settings: AssessmentSettings = AssessmentSettings(),
                     sync: bool = True, progress: StageProgress | None = None,
                     video_paths: Sequence = ()) -> Assessment:
    """Assess from 2D keypoints: one view with world landmarks (monocular) or N calibrated views.

    Parameters
    ----------
    views : sequence of `liftrisk.pose.Keypoints2D` (from `detect_video` or `read_keypoints`).
    cameras : sequence of `liftrisk.pose.Camera`, paired with the views by order (required
        for >= 2 views; optional for one view, whose intrinsics then set the focal length).
    subject : Subject
        The worker (its stature scales monocular 3D).
    hand_load : HandLoad or float, optional
        Box mass (kg) or HandLoad.
    settings : AssessmentSettings
        Filter cut-off (Hz), gap length (s), NIOSH task, ... (units in the names).
    sync : bool
        Multi-view only: estimate frame lags between views from the calibration.
    progress : callable(stage, done, total), optional
        Called as each stage finishes.
    video_paths : sequence of path
        The videos the keypoints came from, kept for the report.

    Returns
    -------
    Assessment
        Everything the assessment produced (SI units).
    """
    from liftrisk.pose import to_worker_frame

    views = list(views)
    for kp in views:
        if kp.detected_fraction() < 0.2:
            raise DataQualityError(f"{kp.source or kp.camera}: a person was found in only "
                                   f"{100 * kp.detected_fraction():.0f}% of the frames; film the whole body, well "
                                   "lit, one person in view")
    _progress(progress, "3D pose")
    if len(views) == 1:
        raw, meta, meta_warnings = monocular_3d(views[0], subject, cameras[0] if cameras else None, settings)
    else:
        (raw, meta), meta_warnings = multiview_3d(views, cameras, settings, sync), []
    world = to_worker_frame(to_canonical(raw, views[0].skeleton))
    world = world.replace(meta={**world.meta, **meta, "input_kind": "keypoints"},
                          source=", ".join(str(p) for p in video_paths) or " + ".join(kp.source for kp in views))
    if len(views) == 1 and settings.monocular_com_cutoff_hz:
        # joints filtered once at cutoff_hz here, then the body's centre of mass path harder
        raw = canonical_points(world, subject, settings)
        world = smooth_centre_of_mass(canonical_joint_centres(
            fill_and_lowpass(raw, settings.max_gap_s, settings.cutoff_hz), "canonical", sex=subject.sex),
            subject, settings.monocular_com_cutoff_hz)
        a = assess_motion(world, subject, hand_load, replace(settings, cutoff_hz=0.0), progress, keypoints=views,
                          video_paths=video_paths)
        object.__setattr__(a, "settings", settings)
        object.__setattr__(a, "raw_points", raw)  # the bands redraw from the points before filtering
    else:
        a = assess_motion(world, subject, hand_load, settings, progress, keypoints=views, video_paths=video_paths)
    a.summary.update({k: v for k, v in meta.items() if k != "frame_lags"})
    a.warnings[:0] = meta_warnings
    return a


def assess_file(path: str | os.PathLike, subject: Subject, hand_load: HandLoad | float | None = None, **kw
                ) -> Assessment:
    """Assess a motion file (TRC, C3D, keypoint CSV/JSON) read with `liftrisk.io.read_motion`.

    Parameters
    ----------
    path : str or os.PathLike
        Motion file.
    subject : Subject
        Sex, body mass (kg), stature (m) and age (years).
    hand_load : HandLoad or float, optional
        Box mass (kg) or HandLoad.
    **kw
        Passed to `assess_motion` (``settings``, ``force_plates``, ...).

    Returns
    -------
    Assessment
        Everything the assessment produced (SI units).
    """
    motion = read_motion(path)
    settings = kw.pop("settings", AssessmentSettings())
    return assess_motion(motion, subject, hand_load, settings, **kw)




# ---------------------------------------------------------------------------- exports
def export_csv(a: Assessment, folder: str | os.PathLike, stem: str = "assessment") -> list[Path]:
    """Write the time series and the lifts table as CSV (`liftrisk.io.write_result_csv`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    folder : str or os.PathLike
        Output folder (created).
    stem : str
        File name stem.

    Returns
    -------
    list of pathlib.Path
        ``<stem>_timeseries.csv`` and, with lifts, ``<stem>_lifts.csv`` and
        ``<stem>_reliability.csv`` (verdict and reasons per lift); with uncertainty
        bands (``settings.uncertainty_draws`` > 0) also ``<stem>_bands.csv`` (5/50/95 % of
        every redrawn quantity per frame), ``<stem>_lift_intervals.csv`` (H, V, A, D, RWL, LI
        intervals, P(LI > 1), P(LI > 3)) and ``<stem>_uncertainty.json`` (peaks with their
        90 % intervals, draws, position noise, notes).
    """
    paths = write_result_csv(folder, stem, a.timeseries(), a.lifts_table())
    if a.lifts and a.raw_points is not None:
        paths.append(Path(folder) / f"{stem}_reliability.csv")
        a.reliability_table().to_csv(paths[-1], index=False)
    u = a.uncertainty
    if u is None:
        return paths
    folder = Path(folder)
    paths.append(folder / f"{stem}_bands.csv")
    u.bands.to_csv(paths[-1])
    if len(u.lifts):
        paths.append(folder / f"{stem}_lift_intervals.csv")
        u.lifts.to_csv(paths[-1], index=False)
    paths.append(folder / f"{stem}_uncertainty.json")
    paths[-1].write_text(json.dumps(uncertainty_summary(a), indent=1, allow_nan=False), encoding="utf-8")
    return paths


def uncertainty_summary(a: Assessment) -> dict:
    """The uncertainty of an assessment as plain JSON-able values (None for unknown numbers).

    Parameters
    ----------
    a : Assessment

    Returns
    -------
    dict
        ``n_draws``, ``detail_draws``, ``seed``; ``peaks``: quantity -> ``{"value", "p05",
        "p95"}`` (the peak and its 90 % interval, `liftrisk.uncertainty.Uncertainty.interval`);
        ``lifts``: rows of the lift intervals; ``position_noise_m``; ``notes``. Empty when
        there are no bands.
    """
    u = a.uncertainty
    if u is None:
        return {}

    def num(x):
        x = float(x)
        return x if np.isfinite(x) else None

    nominal = {"compression_n": a.summary.get("peak_compression_n"),
               "l5s1_extension_moment_nm": a.summary.get("peak_l5s1_extension_moment_nm")}
    peaks = {}
    for q in u.peaks.index:
        v = nominal.get(q)
        lo, hi = u.interval(q, v)
        peaks[q] = {"value": None if v is None else num(v), "p05": num(lo), "p95": num(hi)}
    lifts = [{k: (num(v) if isinstance(v, float | int | np.floating | np.integer) else v) for k, v in r.items()}
             for r in u.lifts.to_dict("records")]
    return {"n_draws": u.n_draws, "detail_draws": u.detail_draws, "seed": a.settings.uncertainty_seed,
            "peaks": peaks, "lifts": lifts, "position_noise_m": {k: num(v) for k, v in u.noise_m.items()},
            "notes": list(u.notes)}


def export_trc(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write the canonical joint centres as TRC (mm, OpenSim Y-up; `liftrisk.io.write_trc`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    path : str or os.PathLike
        Output TRC file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    write_trc(a.motion, path, overwrite=overwrite)
    return Path(path)


def export_mot(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write joint angles (deg) and L5/S1 loads as an OpenSim-style .mot table (`liftrisk.io.write_mot`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    path : str or os.PathLike
        Output .mot file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    write_mot(a.mot_table(), path, in_degrees=True, overwrite=overwrite,
              description="angles in degrees; forces N; moments N.m")
    return Path(path)
