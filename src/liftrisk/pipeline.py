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
are separate functions in `liftrisk.assessment.stages` (`canonical_motion`,
`detect_lift_events`, `lower_body_loads`), the result and its headline figures in
`liftrisk.assessment.result` (`Assessment`, `summarise`) and the exports in
`liftrisk.assessment.export`; all are importable from here as before.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.assessment import (
    Assessment,
    StageProgress,
    body_model_fits,
    canonical_motion,
    canonical_points,
    detect_lift_events,
    export_csv,
    export_mot,
    export_trc,
    feet_loads,
    input_kind,
    lift_loads_kg,
    load_per_frame_kg,
    lower_body_loads,
    report_progress,
    summarise,
    uncertainty_summary,
)
from liftrisk.bodymodel.reprojection import ReprojectionSettings, fit_monocular
from liftrisk.core.loads import ForcePlates, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.skeletons import to_canonical
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.io import VIDEO_SUFFIXES, is_video, read_motion
from liftrisk.kinematics.angles import joint_angles
from liftrisk.kinematics.joint_centres import NOTES_KEY, canonical_joint_centres
from liftrisk.kinematics.lift_events import hold_intervals_s, hold_window_s
from liftrisk.kinetics.centre_of_mass import centre_of_mass_m, smooth_centre_of_mass
from liftrisk.kinetics.ground_reaction import (
    GroundReactionEstimate,
    clip_to_support,
    estimate_ground_reaction,
    split_ground_reaction,
)
from liftrisk.kinetics.inverse_dynamics import top_down_l5s1, unavailable_l5s1
from liftrisk.kinetics.object_plate import hand_load_from_object_plates
from liftrisk.kinetics.spine import spine_load
from liftrisk.kinetics.workload import joint_workload
from liftrisk.pose.calibration import match_cameras, read_calibration
from liftrisk.pose.frames import to_worker_frame
from liftrisk.pose.framing import drop_partial_frames, keep_detected_landmarks
from liftrisk.pose.monocular import lift_monocular
from liftrisk.pose.triangulation import apply_frame_offsets, estimate_frame_offsets, triangulate_keypoints
from liftrisk.processing import fill_and_lowpass
from liftrisk.risk.acgih import landmarks_from_stature
from liftrisk.risk.lift_rating import LiftAssessment, rate_lifts
from liftrisk.risk.posture import posture_angles, posture_scores

__all__ = [
    "Assessment", "AssessmentSettings", "LiftAssessment", "StageProgress", "VIDEO_SUFFIXES", "assess_file",
    "assess_keypoints", "assess_motion", "assess_video", "canonical_motion", "detect_lift_events", "export_csv",
    "export_mot", "export_trc", "uncertainty_summary", "canonical_points", "input_kind", "is_video",
    "lower_body_loads", "summarise",
    # moved to lower layers; kept importable from here for existing callers
    "GroundReactionEstimate", "centre_of_mass_m", "clip_to_support", "estimate_ground_reaction", "hold_intervals_s",
    "hold_window_s", "joint_workload", "smooth_centre_of_mass", "split_ground_reaction",
]


# ---------------------------------------------------------------------------- main API
def assess_motion(motion: Motion, subject: Subject, hand_load: HandLoad | float | None = None,
                  settings: AssessmentSettings = AssessmentSettings(), progress: StageProgress | None = None,
                  keypoints: Sequence = (), video_paths: Sequence = (), *, force_plates: ForcePlates | None = None,
                  static: Motion | None = None, measurements=None, insoles: Sequence = ()) -> Assessment:
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
    insoles : sequence of InsolePressure or InsoleForce
        Both pressure insoles (`liftrisk.io.read_insoles`, same clock as the motion): with
        ``settings.hand_load_from_feet``, or without a given load, the per-frame hand load from
        the feet (`liftrisk.assessment.feet_loads`) replaces the box mass in the kinetics,
        REBA/RULA (per frame) and NIOSH (per lift); with a centre of pressure under both feet
        they also give the bottom-up moments.

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
    load_given = hand_load is not None and (load_kg > 0 or hand_load.force_n is not None)

    plates = force_plates if force_plates is not None else ForcePlates()
    report_progress(progress, "joint centres")
    raw = canonical_points(motion, subject, settings, static, measurements)
    canon = canonical_joint_centres(fill_and_lowpass(raw, settings.max_gap_s, settings.cutoff_hz), "canonical",
                                    sex=subject.sex)
    fit = body_fit = None
    if settings.body_model:
        report_progress(progress, "body model")
        canon, fit, body_fit = body_model_fits(motion, canon, subject, settings, static, measurements)
        rms = canon.meta.get("body_model", {}).get("rms_residual_m")
        if rms is not None:  # the fit's residual is a noise input of the bands
            raw = raw.replace(meta={**raw.meta, "model_rms_residual_m": float(rms)})
    warnings: list[str] = list(canon.meta.get(NOTES_KEY, ()))
    # a lower-body-only file: one note says what is and is not computed (no follow-up notes)
    lower_only = not any(n in canon for n in ("neck", "l_shoulder", "r_shoulder")) and canon.has("l_hip", "r_hip")
    if lower_only:
        warnings = [w for w in warnings if not w.startswith("no upper-body joint centres")]
        warnings.append("lower body only (no C7 or shoulder markers): hip, knee and ankle angles and the bottom-up "
                        "loads are computed" + (" from the force plates under the feet (L5/S1 included)"
                                                if plates.ground else "")
                        + "; trunk, neck and arm angles, the top-down loads, REBA/RULA and the lifts (they need "
                          "the hands) are not")
    report_progress(progress, "kinematics")
    angles = joint_angles(canon)
    report_progress(progress, "lifts")
    plate_holds = None
    if plates.objects and not lower_only:
        measured = hand_load_from_object_plates(plates.objects, canon, load_kg or None,
                                                hand_load.split if hand_load is not None else 0.5)
        warnings += measured.notes
        if measured.hand_load is not None:
            hand_load, plate_holds = measured.hand_load, measured.holds_s
            load_kg = hand_load.box_mass_kg
    feet = feet_loads(canon, subject, settings, plates.ground, insoles, load_given,
                      hand_load.split if hand_load is not None else 0.5, measured_elsewhere=bool(plate_holds))
    warnings += feet.notes
    from_feet = feet.hand_load is not None
    if from_feet:  # the feet also say when the load is held (like a plate under the object)
        hand_load, load_kg, plate_holds = feet.hand_load, 0.0, feet.holds_s or None
    detected, lift_warnings = ([], []) if lower_only else detect_lift_events(canon, settings, plate_holds)
    warnings += lift_warnings
    holds = plate_holds or hold_intervals_s(detected)  # the box pushes on the hands only while held
    if hand_load is not None and load_kg > 0 and not detected and not plate_holds and not lower_only:
        warnings.append(f"no lift detected: the {load_kg:g} kg load is assumed to be in the hands throughout")
    report_progress(progress, "kinetics")
    lower, lower_warnings = lower_body_loads(canon, subject, hand_load, settings, holds, feet.ground)
    warnings += lower_warnings
    try:
        kin = top_down_l5s1(canon, subject, hand_load, hold_intervals_s=holds)
    except LiftriskError as exc:  # no upper body: the plates' bottom-up L5/S1 (if any) stands in
        kin = unavailable_l5s1(canon.time_s, lower)
        if not lower_only:
            warnings.append(f"top-down loads not computed ({exc})"
                            + ("; the L5/S1 loads are the bottom-up ones from the force plates" if lower is not None
                               and feet.ground else ""))
    spine = spine_load(kin)
    work = joint_workload(kin, lower, angles, subject)
    report_progress(progress, "risk scores")
    frame_kg = load_per_frame_kg(hand_load, canon, holds) if from_feet else load_kg
    try:
        posture = posture_scores(posture_angles(canon), coupling=settings.coupling, load_kg=frame_kg,
                                 activity=settings.reba_activity)
    except LiftriskError as exc:  # e.g. a lower-body-only marker set: no trunk, neck or arms
        posture = pd.DataFrame({"reba": 0, "reba_risk": "", "rula": 0, "fuzzy_reba": np.nan}, index=angles.index)
        if not lower_only:
            warnings.append(f"REBA, RULA and fuzzy REBA not scored ({exc})")
    posture.index = angles.index
    if from_feet:
        posture["load_kg"] = frame_kg  # the per-frame load the scores used
    per_lift = lift_loads_kg(hand_load, canon, detected) if from_feet else None
    lifts, lift_warnings = rate_lifts(detected, load_kg if per_lift is None else per_lift,
                                      landmarks_from_stature(subject.height_m),
                                      lifts_per_min=settings.lifts_per_min, duration_h=settings.duration_h,
                                      coupling=settings.coupling)
    warnings += lift_warnings
    a = Assessment(subject, hand_load, settings, canon, angles, kin, spine, lower, work, posture, lifts, {}, warnings,
                   motion.source, list(keypoints), [str(p) for p in video_paths], raw, input_kind(motion),
                   None if holds is None else [tuple(map(float, h)) for h in holds],
                   None if fit is None else fit.marker_residuals_m, body_fit)
    if feet.ground:
        a.summary["ground_reaction"] = "force plates" if plates.ground else "insoles"
    if plates.objects:
        a.summary["hand_load"] = "object plate" if plate_holds else "given mass"
    if from_feet:
        a.summary["hand_load"] = feet.source
        a.summary["lift_loads_kg"] = per_lift
    a.summary.update(summarise(a))
    report_progress(progress, "done")
    return a


# ---------------------------------------------------------------------------- video
def assess_video(paths: str | os.PathLike | Sequence[str | os.PathLike], subject: Subject,
                 calib: str | os.PathLike | None = None, hand_load: HandLoad | float | None = None, *,
                 settings: AssessmentSettings = AssessmentSettings(), detector=None, rotate_deg: int | None = None,
                 max_frames: int | None = None, sync: bool = True, max_rate_hz: float | None = None,
                 progress: StageProgress | None = None, camera_names: Sequence[str] = (),
                 views: Sequence | None = None) -> Assessment:
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
    max_rate_hz : analyse at most this many frames per second (a 60 fps video at 30 Hz is read
        every 2nd frame; lifting has no content above ~6 Hz, Mehrizi et al. 2019 used 15 fps);
        0: every frame; None (default): ``settings.video_rate_hz``.
    progress : callable(stage, done, total).
    camera_names : sequence of str
        The calibration's camera name of each video (the CLI's ``--camera``).
    views : sequence of Keypoints2D, optional
        The videos' keypoints when already detected with these settings
        (`liftrisk.pose.detect_videos`; ``liftrisk assess`` starts it before importing the
        analysis, so detection and imports overlap); default: detected here.

    Returns
    -------
    Assessment
        Everything the assessment produced (SI units).
    """
    from liftrisk.pose.detector import detect_videos  # OpenCV, MediaPipe: when used

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
    if views is None:
        views = detect_videos(paths, detector, rotate_deg=rotate_deg, max_frames=max_frames,
                              rate_hz=settings.video_rate_hz if max_rate_hz is None else max_rate_hz,
                              max_side_px=settings.video_max_side_px or None,
                              detect_every=settings.video_detect_every,
                              fill_tolerance=settings.video_fill_tolerance,
                              progress=progress)
    elif len(views) != len(paths):
        raise DataQualityError(f"{len(views)} keypoint views for {len(paths)} videos")
    return assess_keypoints(views, subject, cams, hand_load, settings=settings, sync=sync, progress=progress,
                            video_paths=paths)


def monocular_3d(view, subject: Subject, camera, settings: AssessmentSettings) -> tuple[Motion, dict, list[str]]:
    """Metric 3D points of one view (`liftrisk.pose.lift_monocular`), detected landmarks kept
    and frames with the body partly outside the image dropped (`liftrisk.pose.framing`);
    (motion, method metadata, warnings)."""

    f = c = rot = None
    if camera is not None:  # a calibrated single camera: its intrinsics, and its tilt (world assumed Z up)
        f, c = float(camera.matrix[0, 0]), (float(camera.matrix[0, 2]), float(camera.matrix[1, 2]))
        rot = camera.rotation.T
    # the root's pinhole solve needs ideal pixels: the calibration's lens distortion removed first
    ideal = view if camera is None or not np.any(camera.distortion) else \
        replace(view, xy_px=camera.undistort_pixels(view.xy_px))
    raw = lift_monocular(ideal, subject.height_m, focal_px=f, principal_px=c, camera_to_world=rot,
                         vertical=settings.monocular_vertical, sex=subject.sex,
                         depth_cutoff_hz=settings.monocular_depth_cutoff_hz or None)
    warnings = list(raw.meta.get("warnings", []))
    raw = drop_partial_frames(keep_detected_landmarks(raw, settings.min_confidence), view.xy_px, view.image_size_px)
    method = "monocular (MediaPipe world landmarks scaled to the stature, root from the pixels)"
    return raw, {"method": method}, warnings


def monocular_ik(world: Motion, raw: Motion, view, camera, subject: Subject, prior_weight: float = 0.04,
                 depth_cutoff_hz: float = 1.0) -> Motion:
    """The body model fitted to one view's 2D keypoints (`liftrisk.bodymodel.reprojection.fit_monocular`),
    started from and weakly held to the monocular 3D.

    Parameters
    ----------
    world : Motion
        Canonical points of the monocular 3D in the worker frame (`to_worker_frame`).
    raw : Motion
        The monocular 3D before it (`lift_monocular`: its camera rotation and intrinsics in ``meta``).
    view : Keypoints2D
        The detected keypoints (px).
    camera : Camera or None
        The view's calibration (undistortion), if any.
    subject : Subject
    prior_weight : float
        Weight of a monocular 3D point relative to a 2D keypoint of confidence 1.
    depth_cutoff_hz : float
        The pelvis depth along the camera axis is held to its low-pass at this cut-off, Hz.

    Returns
    -------
    Motion
        `world` with the fitted model's joint centres.
    """
    # camera pose in the worker frame: world = raw @ H.T - shift, raw = x_cam @ C.T
    H = np.asarray(world.meta.get("heading_rotation", np.eye(3)), float)
    C = np.asarray(raw.meta["camera_to_world"], float)
    canon_raw = to_canonical(raw, view.skeleton)
    both = np.isfinite(canon_raw.positions_m).all(-1) & np.isfinite(world.positions_m).all(-1)
    if not both.any():
        return world
    t, k = np.argwhere(both)[0]
    shift = canon_raw.positions_m[t, k] @ H.T - world.positions_m[t, k]
    R_wc = C.T @ H.T
    t_wc = R_wc @ shift
    xy = view.xy_px if camera is None else camera.undistort_pixels(view.xy_px)
    f, c = float(raw.meta["focal_px"]), np.asarray(raw.meta["principal_px"], float)
    if camera is not None:
        f, c = np.array([camera.matrix[0, 0], camera.matrix[1, 1]]), camera.matrix[:2, 2]
    flat = Motion(view.time_s, np.concatenate([(xy - c) / f, np.zeros(xy.shape[:2] + (1,))], axis=-1),
                  view.point_names, view.rate_hz, confidence=view.confidence, meta={"skeleton": view.skeleton})
    canon_xy = to_canonical(flat, view.skeleton)
    names = world.point_names
    xy_n = np.stack([canon_xy[n][:, :2] if n in canon_xy else np.full((world.n_frames, 2), np.nan)
                     for n in names], axis=1)
    conf = np.stack([canon_xy.point_confidence(n) if n in canon_xy else np.zeros(world.n_frames) for n in names],
                    axis=1)
    return fit_monocular(world, xy_n, np.nan_to_num(conf), R_wc, t_wc, subject,
                         ReprojectionSettings(prior_weight=prior_weight, depth_cutoff_hz=depth_cutoff_hz))


def multiview_3d(views: Sequence, cameras: Sequence, settings: AssessmentSettings, sync: bool = True
                 ) -> tuple[Motion, dict]:
    """Triangulated 3D points of N calibrated views (`liftrisk.pose.triangulate_keypoints`),
    after the frame lags between views (`estimate_frame_offsets`) when `sync`; (motion, metadata)."""

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

    views = list(views)
    for kp in views:
        if kp.detected_fraction() < 0.2:
            raise DataQualityError(f"{kp.source or kp.camera}: a person was found in only "
                                   f"{100 * kp.detected_fraction():.0f}% of the frames; film the whole body, well "
                                   "lit, one person in view")
    report_progress(progress, "3D pose")
    if len(views) == 1:
        raw, meta, meta_warnings = monocular_3d(views[0], subject, cameras[0] if cameras else None, settings)
    else:
        (raw, meta), meta_warnings = multiview_3d(views, cameras, settings, sync), []
    world = to_worker_frame(to_canonical(raw, views[0].skeleton))
    if len(views) == 1 and settings.monocular_ik:
        world = monocular_ik(world, raw, views[0], cameras[0] if cameras else None, subject,
                             settings.monocular_ik_prior_weight, settings.monocular_depth_cutoff_hz)
        meta["method"] += "; body model fitted to the 2D keypoints (reprojection IK)"
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
