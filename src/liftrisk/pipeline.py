"""End-to-end assessment: motion (or video) -> joint centres -> kinematics, kinetics, risk.

`assess_motion` takes any Motion (mocap markers, triangulated or monocular keypoints,
canonical joint centres) and returns an `Assessment` holding every time series and per-lift
result; `assess_video` adds the pose stage (MediaPipe 2D keypoints -> monocular metric 3D,
or N calibrated views -> triangulation) in front of it.

Stages and their methods (see each module for equations and sources)

1. Canonical joint centres (`liftrisk.core.skeletons.to_canonical`), gaps up to
   ``max_gap_s`` interpolated, zero-lag Butterworth low-pass at ``cutoff_hz`` (6 Hz by
   default; the Mehrizi seed filters at 8 Hz), then hands and L5/S1 (Reed et al. 1999
   regression, `liftrisk.kinematics.joint_centres`).
2. Joint angles (`liftrisk.kinematics.joint_angles`).
3. Top-down Newton-Euler to L5/S1, shoulders, elbows and wrists with the box in the hands
   (Mehrizi seed eq. 8-9, `liftrisk.kinetics.top_down_l5s1`), disc compression and shear
   with the NIOSH 3400 / 6400 N limits (`liftrisk.kinetics.spine.spine_load`).
4. Lower-limb joint moments bottom-up from the ground reaction implied by whole-body
   dynamics (no force plates from video, `estimate_ground_reaction`): the centre of pressure
   is the floor point where the ground's horizontal moment vanishes (only the vertical free
   moment remains), shared between the feet by the lever rule; a COP outside the heel-toe hull
   is clipped and reported as off balance. Workload ratio = |torque| / capacity (fuzzy-REBA
   seed sec. 3.3) for L5/S1, shoulders, elbows (cited capacities of
   `liftrisk.kinetics.strength`) and hips, knees, ankles (Anderson et al. 2007, at the current
   joint angle), `joint_workload`.
5. REBA, fuzzy REBA, RULA per frame, each scored for both arms and the worse side kept
   (`liftrisk.risk.posture`), the box mass as load.
6. Lifts (grasp -> release from the hands' dwell, `liftrisk.kinematics.lift_events`), NIOSH
   RWL / LI at origin and destination (Waters et al. 1994) and ACGIH TLV zone at the origin,
   with the vertical-zone landmarks from the worker's stature (Drillis & Contini 1966 via
   Winter 2009 Fig. 4.1: mid-shin 0.162 H, knuckle 0.431 H, shoulder 0.818 H).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.core.loads import GroundReaction, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, detect_skeleton, to_canonical
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError

# Drillis & Contini (1966) via Winter (2009) Fig. 4.1: heights as fractions of stature.
MID_SHIN_PER_STATURE = (0.285 + 0.039) / 2  # between knee and ankle joint heights
KNUCKLE_PER_STATURE = (0.485 + 0.377) / 2  # between wrist and fingertip heights, arms hanging
SHOULDER_PER_STATURE = 0.818

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AssessmentSettings:
    """Settings of one assessment (units in the names).

    cutoff_hz : low-pass cut-off for joint centres (Hz).
    max_gap_s : longest gap of a point filled by interpolation (s).
    min_confidence : keypoints below this detector confidence are treated as missing.
    coupling : hand coupling for REBA/RULA/NIOSH ("good", "fair", "poor").
    lifts_per_min, duration_h : NIOSH frequency and work duration.
    reba_activity : REBA activity score 0-3.
    floor_z_m : floor height in the motion's frame (video: 0 after `to_worker_frame`).
    lower_body : also compute hip/knee/ankle moments and workload ratios.
    lift_times_s : known (grasp_s, release_s) of each lift/lowering; empty = detect them from
        the hands' motion.
    monocular_vertical : "balance" (default: vertical from the centre of mass above the
        ankles; 1-4 deg off for a level camera, saves 15-30 deg for a tilted one) or
        "level_camera" (image up is up); a calibration overrides both.
    monocular_depth_cutoff_hz : low-pass cut-off (Hz) of the monocular root depth along the
        camera axis (`liftrisk.pose.lift_monocular`); the joints keep ``cutoff_hz``.
    monocular_com_cutoff_hz : low-pass cut-off (Hz) of the whole-body centre of mass path from
        monocular video (`smooth_centre_of_mass`); 0 = off.
    """

    cutoff_hz: float = 6.0
    max_gap_s: float = 0.25
    min_confidence: float = 0.3
    coupling: str = "fair"
    lifts_per_min: float = 1.0
    duration_h: float = 1.0
    reba_activity: int = 0
    floor_z_m: float = 0.0
    lower_body: bool = True
    lift_times_s: tuple = ()
    monocular_vertical: str = "balance"
    monocular_depth_cutoff_hz: float = 1.0
    monocular_com_cutoff_hz: float = 3.0


@dataclass(frozen=True, eq=False)
class LiftAssessment:
    """One detected lift with its NIOSH and ACGIH results.

    ``niosh_origin`` / ``niosh_destination`` are `liftrisk.risk.niosh.RnleResult` (kg);
    ``li`` is the larger lifting index of the two; ``acgih`` is the dict of
    `liftrisk.risk.acgih.assess_lift` at the origin.
    """

    index: int
    lift: object
    niosh_origin: object
    niosh_destination: object
    li: float
    li_category: str
    acgih: dict

    def row(self) -> dict:
        """One flat table row (SI units, cm only where NIOSH uses it)."""
        o, d = self.lift.origin, self.lift.destination
        g, r = hold_window_s(self.lift)
        kind = getattr(self.lift, "kind", "lift" if d.v_m >= o.v_m else "lower")
        return {"lift": self.index + 1, "kind": kind, "grasp_s": g, "release_s": r, "h_origin_m": o.h_m,
                "v_origin_m": o.v_m, "a_origin_deg": o.a_deg, "h_dest_m": d.h_m, "v_dest_m": d.v_m,
                "a_dest_deg": d.a_deg, "d_m": self.lift.d_m, "rwl_origin_kg": self.niosh_origin.rwl,
                "li_origin": self.niosh_origin.li, "rwl_dest_kg": self.niosh_destination.rwl,
                "li_dest": self.niosh_destination.li, "li": self.li, "li_category": self.li_category,
                "acgih_zone": self.acgih.get("zone"), "acgih_tlv_kg": self.acgih.get("tlv_kg"),
                "acgih_risk": self.acgih.get("risk"), "exceeds_tlv": self.acgih.get("exceeds_tlv")}


@dataclass(frozen=True, eq=False)
class Assessment:
    """Everything an assessment produced (SI units; DataFrames indexed by ``time_s``).

    motion : canonical joint centres used (filtered, incl. l5s1 and hands), Z-up world.
    angles_rad : joint angles (rad).
    kinetics : top-down L5/S1 and arm joint loads (N, N·m).
    spine : compression / shear (N) and NIOSH limit flags.
    lower : bottom-up hip/knee/ankle loads from the estimated ground reaction (or None).
    workload : per-joint workload ratios (or None).
    posture : per-frame REBA (``reba``, ``reba_risk``), RULA (``rula``) and fuzzy REBA
        (``fuzzy_reba``) of the worse arm side (`liftrisk.risk.posture.posture_scores`).
    lifts : list of LiftAssessment.
    summary : headline figures and plain-language findings.
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


# ---------------------------------------------------------------------------- helpers
def _progress(cb: Progress | None, stage: str, done: int = 1, total: int = 1) -> None:
    if cb is not None:
        cb(stage, done, total)


def canonical_motion(motion: Motion, subject: Subject, settings: AssessmentSettings = AssessmentSettings()) -> Motion:
    """Canonical joint centres, gap-filled, low-pass filtered, with hands and L5/S1.

    Accepts detector/file point layouts of the skeleton registry, canonical points, or mocap
    marker sets known to `liftrisk.kinematics.joint_centres`.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> m = canonical_motion(demo_posture(20), Subject("male", 80, 1.78))
    >>> "l5s1" in m and m.n_frames
    20
    """
    from liftrisk.kinematics.joint_centres import canonical_joint_centres, joint_centres_from_markers
    from liftrisk.processing import fill_gaps, lowpass

    names = set(motion.point_names)
    if names <= set(CANONICAL_POINTS) | {"box"}:
        canon = motion
    elif detect_skeleton(motion.point_names) is not None:
        canon = to_canonical(motion)
    else:
        try:
            canon = joint_centres_from_markers(motion)
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
    canon = fill_gaps(canon, settings.max_gap_s)
    if settings.cutoff_hz and settings.cutoff_hz < canon.rate_hz / 2:
        canon = _lowpass_with_gaps(canon, settings.cutoff_hz, lowpass)
    return canonical_joint_centres(canon, "canonical", sex=subject.sex)


def _lowpass_with_gaps(m: Motion, cutoff_hz: float, lowpass) -> Motion:
    """Low-pass each point over its finite stretch; NaN (long gaps) stays NaN."""
    pos = m.positions_m
    if np.isfinite(pos).all():
        return lowpass(m, cutoff_hz)
    filled = pos.copy()
    t = np.arange(m.n_frames)
    for k in range(m.n_points):
        for j in range(3):
            ok = np.isfinite(pos[:, k, j])
            if ok.sum() >= 2:
                filled[:, k, j] = np.interp(t, t[ok], pos[ok, k, j])
    smooth = lowpass(m.replace(positions_m=np.nan_to_num(filled)), cutoff_hz).positions_m
    return m.replace(positions_m=np.where(np.isfinite(pos), smooth, np.nan))


def centre_of_mass_m(motion: Motion, subject: Subject) -> np.ndarray:
    """(T, 3) whole-body centre of mass (de Leva segment masses and COM positions), m.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> m = canonical_motion(demo_posture(12), Subject("male", 80, 1.78))
    >>> bool(0.8 < centre_of_mass_m(m, Subject("male", 80, 1.78))[0, 2] < 1.1)
    True
    """
    from liftrisk.kinetics.segments import segment_parameters

    num = np.zeros((motion.n_frames, 3))
    mass = 0.0
    for p in segment_parameters(subject).values():
        if motion.has(p.proximal, p.distal):
            num += p.mass_kg * p.com(motion)
            mass += p.mass_kg
    return num / mass if mass > 0 else np.full((motion.n_frames, 3), np.nan)


def smooth_centre_of_mass(motion: Motion, subject: Subject, cutoff_hz: float) -> Motion:
    """Translate every point so that the whole-body centre of mass follows its own low-pass
    path (zero-phase 2nd-order Butterworth at `cutoff_hz`, Hz); the pose relative to the
    centre of mass is unchanged.

    From one camera the body's position along the camera axis comes from its size in pixels
    and the detector's relative depths jitter by about a centimetre; at 6 Hz that is
    (2 pi 6)^2 x 0.01 m = 14 m/s2 of whole-body acceleration, which top-down and whole-body
    inverse dynamics turn into force (m a). A person's centre of mass moves slowly in lifting
    and walking (its accelerations are a few m/s2, content below ~2 Hz), so its path is
    filtered harder than the joints (6 Hz), as the root translation is in
    `liftrisk.pose.lift_monocular`.

    Parameters
    ----------
    motion : canonical joint centres with L5/S1 (Z-up world, m).
    subject : Subject (segment masses).
    cutoff_hz : cut-off of the centre of mass path, Hz.

    Returns
    -------
    Motion with the same points, translated per frame.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> s = Subject("male", 80, 1.78)
    >>> m = canonical_motion(demo_posture(60), s)
    >>> shaken = m.replace(positions_m=m.positions_m + 0.01 * np.sin(np.arange(60) * 2.5)[:, None, None])
    >>> c = centre_of_mass_m(smooth_centre_of_mass(shaken, s, 1.0), s)
    >>> bool(np.ptp(c[20:40, 0]) < 0.004)
    True
    """
    from liftrisk.processing import lowpass

    if not cutoff_hz or cutoff_hz >= motion.rate_hz / 2 or motion.n_frames < 15:
        return motion
    com = centre_of_mass_m(motion, subject)
    com_m = Motion(motion.time_s, com[:, None, :], ("com",), motion.rate_hz)
    smooth = _lowpass_with_gaps(com_m, cutoff_hz, lowpass).positions_m[:, 0]
    return motion.replace(positions_m=motion.positions_m + np.nan_to_num(smooth - com)[:, None, :])


@dataclass(frozen=True, eq=False)
class GroundReactionEstimate:
    """Ground reaction per foot estimated from whole-body dynamics (no force plates).

    feet : [left, right] `GroundReaction` (world frame, Z-up; force of the ground on the foot,
        N; centre of pressure on the floor, m; free moment about the vertical only, N·m).
    cop_m : (T, 3) whole-body centre of pressure used (clipped to the base of support), m.
    cop_raw_m : (T, 3) the centre of pressure implied by the motion before clipping, m.
    left_share : (T,) fraction of the ground reaction carried by the left foot (0-1).
    outside_m : (T,) distance of ``cop_raw_m`` outside the base of support, m (0 inside).
    warnings : plain-language warnings (off-balance spans, no support force).
    """

    feet: list
    cop_m: np.ndarray
    cop_raw_m: np.ndarray
    left_share: np.ndarray
    outside_m: np.ndarray
    warnings: list

    def table(self, time_s: np.ndarray) -> pd.DataFrame:
        """COP, left share and off-balance distance as a DataFrame indexed by time (m)."""
        return pd.DataFrame({"cop_x_m": self.cop_m[:, 0], "cop_y_m": self.cop_m[:, 1],
                             "cop_outside_support_m": self.outside_m, "left_foot_share": self.left_share},
                            index=pd.Index(np.asarray(time_s, float), name="time_s"))


def _inside_triangle(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(T,) True where 2D point p lies in triangle abc (inclusive; degenerate triangles: False)."""
    def cross(u, v, w):
        return (v[:, 0] - u[:, 0]) * (w[:, 1] - u[:, 1]) - (v[:, 1] - u[:, 1]) * (w[:, 0] - u[:, 0])
    area = cross(a, b, c)
    d1, d2, d3 = cross(a, b, p), cross(b, c, p), cross(c, a, p)
    ok = np.abs(area) > 1e-12
    same = ((d1 >= 0) & (d2 >= 0) & (d3 >= 0)) | ((d1 <= 0) & (d2 <= 0) & (d3 <= 0))
    return ok & same


def clip_to_support(point_xy: np.ndarray, corners_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clip points to the convex hull of a few support points, frame by frame (vectorised).

    The hull of n points is the union of the triangles of any three of them (Carathéodory),
    and a point outside it is nearest to one of the hull's edges, which are among the
    segments joining two points; so inside = in any triangle, and the clipped point is the
    nearest point over all segments.

    Parameters
    ----------
    point_xy : (T, 2) array, m
    corners_xy : (T, n, 2) array, m (e.g. heels and toes on the floor, n = 4)

    Returns
    -------
    clipped_xy : (T, 2) array, m
    outside_m : (T,) array, distance outside the hull (0 inside), m

    Examples
    --------
    >>> sq = np.array([[[0, 0], [1, 0], [1, 1], [0, 1.0]]] * 2)
    >>> xy, d = clip_to_support(np.array([[0.5, 0.5], [1.5, 0.5]]), sq)
    >>> xy.tolist(), d.tolist()
    ([[0.5, 0.5], [1.0, 0.5]], [0.0, 0.5])
    """
    from itertools import combinations

    p = np.asarray(point_xy, float)
    c = np.asarray(corners_xy, float)
    n = c.shape[1]
    inside = np.zeros(len(p), bool)
    for i, j, k in combinations(range(n), 3):
        inside |= _inside_triangle(p, c[:, i], c[:, j], c[:, k])
    best = np.full(len(p), np.inf)
    near = p.copy()
    for i, j in combinations(range(n), 2):
        a, b = c[:, i], c[:, j]
        ab = b - a
        den = np.einsum("ti,ti->t", ab, ab)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.clip(np.where(den > 0, np.einsum("ti,ti->t", p - a, ab) / den, 0.0), 0.0, 1.0)
        q = a + s[:, None] * ab
        d = np.linalg.norm(p - q, axis=1)
        better = d < best
        best = np.where(better, d, best)
        near = np.where(better[:, None], q, near)
    ok = inside | ~np.isfinite(best)
    return np.where(ok[:, None], p, near), np.where(ok, 0.0, best)


def _spans(mask: np.ndarray, time_s: np.ndarray) -> list[tuple[float, float]]:
    """(start_s, end_s) of each run of True in mask."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1
    return [(float(time_s[a]), float(time_s[b])) for a, b in zip(starts, ends, strict=True)]


def estimate_ground_reaction(motion: Motion, subject: Subject, hand_load: HandLoad | None = None,
                             floor_z_m: float = 0.0, hold_intervals_s=None, *,
                             off_balance_tolerance_m: float = 0.02) -> GroundReactionEstimate:
    """Ground reaction under each foot from whole-body dynamics (video / mocap without plates).

    1. Whole-body Newton-Euler (`liftrisk.kinetics.inverse_dynamics.whole_body_ground_reaction`)
       gives the ground force F and its moment M about a floor point P (mid-feet).
    2. The centre of pressure is the floor point where the horizontal moment of the ground
       reaction vanishes (the zero-moment point; Dijkstra & Gutierrez-Farewik 2015,
       J Biomech 48:3776): ``COP = P + (-M_y / F_z, M_x / F_z, 0)``; only the vertical
       free moment ``T_z = M_z - (d_x F_y - d_y F_x)`` remains (ground contact transmits no
       horizontal moment).
    3. Base of support = convex hull of the heels and toes on the floor. A COP outside it
       means the recorded posture is not in balance (pose / 3D / segment-mass error, or an
       unmodelled support such as a hand on a table): it is clipped to the hull (then the
       whole-body equilibrium no longer holds exactly) and a warning gives the time spans.
    4. Distribution between the feet (double support, both feet flat - lifting): each foot's
       contact point c_l, c_r = mid heel-toe; the left share is the lever rule
       ``s = (COP - c_r)·u / |u|²`` with ``u = c_l - c_r`` (clipped to 0-1): the unique split
       that keeps each foot's force under its own foot and reproduces the COP in static
       equilibrium. Both feet's COPs move by the COP's offset from the line c_r-c_l, so
       ``s COP_l + (1 - s) COP_r = COP`` and the total wrench is exact. F and T_z are shared
       in the same proportion. This is the distance-based rule of kinematics-only GRF
       estimation in double support; Ren, Jones & Howard (2008, J Biomech 41:2750) and
       Karatsidis et al. (2017, Sensors 17:75) use a time-based smooth-transition function
       instead, which needs gait events that lifting does not have.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (Z-up world, m) with ankles, ideally heels and toes.
    subject : Subject
    hand_load : HandLoad, optional
    floor_z_m : float
        Floor height, m.
    hold_intervals_s : sequence of (grasp_s, release_s), optional
        When the hands hold the load (None: throughout).
    off_balance_tolerance_m : float
        COP distance outside the heel-toe hull (m) above which a frame is reported as off
        balance (the hull of four points is slightly smaller than the real foot outline).

    Returns
    -------
    GroundReactionEstimate

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> est = estimate_ground_reaction(demo_posture(3), Subject("male", 80, 1.78))
    >>> round(float(est.left_share[0]), 2), est.warnings
    (0.5, [])
    """
    from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction

    t = motion.time_s
    feet_pts, centres = {}, {}
    for s in ("l", "r"):
        if motion.has(f"{s}_heel", f"{s}_toe"):
            pts = [motion[f"{s}_heel"], motion[f"{s}_toe"]]
        else:
            pts = [motion[f"{s}_ankle"]]
        feet_pts[s] = [p[:, :2] for p in pts]
        centres[s] = np.mean(pts, axis=0) * [1.0, 1.0, 0.0] + [0.0, 0.0, floor_z_m]
    mid = 0.5 * (centres["l"] + centres["r"])
    whole = whole_body_ground_reaction(motion, subject, hand_load, cop_m=mid, hold_intervals_s=hold_intervals_s)
    f, m = whole.force_n, whole.free_moment_nm
    warnings = []
    fz_min = 0.1 * subject.mass_kg * 9.81
    support = f[:, 2] > fz_min
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(support[:, None], np.column_stack([-m[:, 1], m[:, 0]]) / f[:, 2:3], 0.0)
    raw = mid.copy()
    raw[:, :2] += d
    corners = np.stack(feet_pts["l"] + feet_pts["r"], axis=1)
    clipped_xy, outside = clip_to_support(raw[:, :2], corners)
    cop = raw.copy()
    cop[:, :2] = clipped_xy
    dxy = cop[:, :2] - mid[:, :2]
    tz = np.where(support, m[:, 2] - (dxy[:, 0] * f[:, 1] - dxy[:, 1] * f[:, 0]), 0.0)
    if (~support & np.isfinite(f[:, 2])).any():
        spans = _spans(~support & np.isfinite(f[:, 2]), t)
        warnings.append(f"the vertical ground reaction implied by the motion is below 10 % of body weight at "
                        f"{_span_text(spans)} (a jump, or accelerations from noisy positions); the feet share it "
                        "equally there, under the mid-feet")
    off = outside > off_balance_tolerance_m
    if off.any():
        spans = _spans(off, t)
        total = float(np.sum(np.gradient(t)[off])) if t.size > 1 else 0.0
        warnings.append(
            f"off balance: the centre of pressure implied by the motion falls outside the feet (base of support) by "
            f"{_cm_text(float(np.nanmax(outside)))} at {_span_text(spans)} ({total:.2f} s in all). A person "
            "standing on the floor cannot do that, so the 3D posture (pose estimate, depth, body proportions) is off "
            "there, or something else supports the body; the centre of pressure was clipped to the edge of the feet "
            "and the hip, knee and ankle moments and workloads at those times are unreliable.")
    u = centres["l"][:, :2] - centres["r"][:, :2]
    uu = np.einsum("ti,ti->t", u, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(uu > 1e-6, np.einsum("ti,ti->t", cop[:, :2] - centres["r"][:, :2], u) / uu, 0.5)
    share = np.clip(np.nan_to_num(share, nan=0.5), 0.0, 1.0)
    offset = cop[:, :2] - (centres["r"][:, :2] + share[:, None] * u)
    feet = []
    for s, w in (("l", share), ("r", 1.0 - share)):
        p = centres[s].copy()
        p[:, :2] += offset
        free = np.zeros_like(f)
        free[:, 2] = w * tz
        # C-ordered arrays (kinetics' _resample_grf writes into a transposed view of its inputs)
        feet.append(GroundReaction(t, np.ascontiguousarray(w[:, None] * f), np.ascontiguousarray(p),
                                   np.ascontiguousarray(free), foot={"l": "left", "r": "right"}[s],
                                   name=f"estimated_{s}"))
    return GroundReactionEstimate(feet, cop, raw, share, outside, warnings)


def _cm_text(d_m: float) -> str:
    return f"up to {100 * d_m:.0f} cm" if d_m < 1.0 else "more than 1 m"


def _span_text(spans: list[tuple[float, float]], n_max: int = 4) -> str:
    txt = ", ".join(f"{a:.2f} s" if b - a < 1e-9 else f"{a:.2f}-{b:.2f} s" for a, b in spans[:n_max])
    return txt + (f" and {len(spans) - n_max} more spans" if len(spans) > n_max else "")


def split_ground_reaction(motion: Motion, subject: Subject, hand_load: HandLoad | None,
                          floor_z_m: float = 0.0, hold_intervals_s=None) -> list[GroundReaction]:
    """[left, right] ground reactions estimated from whole-body dynamics (see
    `estimate_ground_reaction`, which also returns the COP and the off-balance warnings)."""
    return estimate_ground_reaction(motion, subject, hand_load, floor_z_m, hold_intervals_s).feet


def hold_window_s(lift) -> tuple[float, float]:
    """(grasp_s, release_s) of a lift: when the hands hold the object (falls back to the
    lift-off and set-down times when the detector gives no grasp/release times)."""
    g = getattr(lift, "grasp_s", float("nan"))
    r = getattr(lift, "release_s", float("nan"))
    g = g if np.isfinite(g) else lift.origin.time_s
    r = r if np.isfinite(r) and r > g else lift.destination.time_s
    return float(g), float(r)


def hold_intervals_s(lifts: Sequence) -> list[tuple[float, float]] | None:
    """(grasp_s, release_s) of every lift, for the kinetics' ``hold_intervals_s``; None
    (= load held throughout) when there is no lift.

    Examples
    --------
    >>> class L:  # a lift held from 0.1 s to 0.3 s
    ...     grasp_s, release_s = 0.1, 0.3
    >>> hold_intervals_s([L]), hold_intervals_s([])
    ([(0.1, 0.3)], None)
    """
    return [hold_window_s(lift) for lift in lifts] or None


def body_landmarks(subject: Subject):
    """ACGIH vertical-zone landmarks (m above the floor) from the worker's stature."""
    from liftrisk.risk.acgih import BodyLandmarks

    h = subject.height_m
    return BodyLandmarks(MID_SHIN_PER_STATURE * h, KNUCKLE_PER_STATURE * h, SHOULDER_PER_STATURE * h)


def joint_workload(kinetics: pd.DataFrame, lower: pd.DataFrame | None, angles_rad: pd.DataFrame,
                   subject: Subject) -> pd.DataFrame | None:
    """Workload ratio |tau| / tau_max of every major joint (fuzzy-REBA seed sec. 3.3).

    L5/S1, shoulders and elbows from the top-down table, hips, knees and ankles from the
    bottom-up table (joined on time), rated by `liftrisk.kinetics.strength.workload_ratio`:
    L5/S1 capacities of Rantanen et al. (1994) / Kamon (1978), shoulder and elbow of Harbo et
    al. (2012), hip, knee and ankle of Anderson et al. (2007) at the current joint angle.

    Parameters
    ----------
    kinetics : top-down table (`top_down_l5s1`), N·m.
    lower : bottom-up table (`bottom_up`) or None.
    angles_rad : joint angles (`liftrisk.kinematics.joint_angles`), rad.
    subject : Subject

    Returns
    -------
    pandas.DataFrame or None
        ``<joint>_workload_ratio`` columns (1.0 = maximum voluntary torque), index of
        `kinetics`; None when no torque column is known.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"l5s1_extension_moment_nm": [100.0]})
    >>> w = joint_workload(k, None, pd.DataFrame(index=k.index), Subject("male", 80, 1.78))
    >>> list(w.columns)
    ['l5s1_workload_ratio']
    """
    from liftrisk.kinetics.strength import workload_ratio

    up = [c for c in kinetics.columns if c == "l5s1_extension_moment_nm"
          or c.endswith(("shoulder_flexion_moment_nm", "elbow_flexion_moment_nm"))]
    parts = [kinetics[up]]
    if lower is not None:
        cols = [c for c in lower.columns if c.endswith(("hip_extension_moment_nm", "knee_extension_moment_nm",
                                                        "ankle_plantarflexion_moment_nm"))]
        parts.append(lower[cols].set_axis(kinetics.index))
    torques = pd.concat(parts, axis=1)
    if not torques.shape[1]:
        return None
    ang = {f"{s}_{j}": angles_rad[f"{s}_{c}"].to_numpy() for s in ("l", "r")
           for j, c in (("hip", "hip_flexion"), ("knee", "knee_flexion"), ("ankle", "ankle_dorsiflexion"))
           if f"{s}_{c}" in angles_rad}
    try:
        return workload_ratio(torques, subject, angles_rad=ang)
    except LiftriskError:
        return None


# ---------------------------------------------------------------------------- main API
def assess_motion(motion: Motion, subject: Subject, hand_load: HandLoad | float | None = None,
                  settings: AssessmentSettings = AssessmentSettings(), progress: Progress | None = None,
                  keypoints: Sequence = (), video_paths: Sequence = ()) -> Assessment:
    """Full assessment of one recording.

    Parameters
    ----------
    motion : Motion
        Points in m, Z-up world frame (keypoint layout, canonical joint centres or markers).
    subject : Subject
    hand_load : HandLoad or float, optional
        The load in the hands (a float is a box mass in kg).
    settings : AssessmentSettings
    progress : callable(stage, done, total), optional

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
    from liftrisk.kinematics import lift_events
    from liftrisk.kinematics.angles import joint_angles
    from liftrisk.kinetics.inverse_dynamics import bottom_up, top_down_l5s1
    from liftrisk.kinetics.spine import spine_load
    from liftrisk.risk.acgih import assess_lift
    from liftrisk.risk.niosh import li_category, rwl
    from liftrisk.risk.posture import posture_angles, posture_scores

    if not isinstance(subject, Subject):
        raise DataQualityError(f"subject must be a liftrisk Subject, got {type(subject).__name__}")
    if hand_load is not None and not isinstance(hand_load, HandLoad):
        hand_load = HandLoad(box_mass_kg=float(hand_load))
    load_kg = hand_load.box_mass_kg if hand_load is not None else 0.0
    warnings: list[str] = []

    _progress(progress, "joint centres")
    canon = canonical_motion(motion, subject, settings)
    _progress(progress, "kinematics")
    angles = joint_angles(canon)
    _progress(progress, "lifts")
    try:
        times = [tuple(map(float, p)) for p in settings.lift_times_s] or None
        detected = lift_events.detect_lifts(canon, times_s=times, floor_z_m=settings.floor_z_m)
    except LiftriskError as exc:
        detected = []
        warnings.append(f"lift detection failed: {exc}")
    holds = hold_intervals_s(detected)  # the box pushes on the hands only while held
    if hand_load is not None and load_kg > 0 and not detected:
        warnings.append(f"no lift detected: the {load_kg:g} kg load is assumed to be in the hands throughout")
    _progress(progress, "kinetics")
    kin = top_down_l5s1(canon, subject, hand_load, hold_intervals_s=holds)
    spine = spine_load(kin)
    lower = None
    if settings.lower_body:
        try:
            est = estimate_ground_reaction(canon, subject, hand_load, settings.floor_z_m, holds)
            warnings.extend(est.warnings)
            lower = bottom_up(canon, subject, est.feet)
            lower = pd.concat([lower, est.table(canon.time_s).set_axis(lower.index)], axis=1)
        except LiftriskError as exc:
            warnings.append(f"lower-body moments not computed: {exc}")
    work = joint_workload(kin, lower, angles, subject)
    _progress(progress, "risk scores")
    posture = posture_scores(posture_angles(canon), load_kg=load_kg, coupling=settings.coupling,
                             activity=settings.reba_activity)
    posture.index = angles.index
    lifts = []
    marks = body_landmarks(subject)
    for i, lift in enumerate(detected):
        o, d = lift.origin, lift.destination
        if not np.isfinite([o.h_m, o.v_m, d.h_m, d.v_m]).all():
            warnings.append(f"lift {i + 1}: the hands' position at the grasp or release is unknown (hands or feet "
                            "not tracked there), so NIOSH and ACGIH are not rated for it")
            continue
        try:
            no = rwl(o.h_m, o.v_m, lift.d_m, o.a_deg, settings.lifts_per_min, settings.duration_h,
                     settings.coupling, load_kg)
            nd = rwl(d.h_m, d.v_m, lift.d_m, d.a_deg, settings.lifts_per_min, settings.duration_h,
                     settings.coupling, load_kg, v_origin_m=o.v_m)
        except LiftriskError as exc:
            warnings.append(f"lift {i + 1}: NIOSH not computed ({exc})")
            continue
        li = float(np.nanmax([no.li, nd.li]))
        lifts.append(LiftAssessment(i, lift, no, nd, li, li_category(li),
                                    assess_lift(o.v_m, o.h_m, marks, load_kg if load_kg else None)))
    a = Assessment(subject, hand_load, settings, canon, angles, kin, spine, lower, work, posture, lifts, {}, warnings,
                   motion.source, list(keypoints), [str(p) for p in video_paths])
    object.__setattr__(a, "summary", summarise(a))
    _progress(progress, "done")
    return a


def _peak(series: pd.Series) -> tuple[float, float]:
    v = series.to_numpy(float)
    if not np.isfinite(v).any():
        return float("nan"), float("nan")
    i = int(np.nanargmax(v))
    return float(v[i]), float(series.index[i])


def off_balance_mask(a: Assessment, tolerance_m: float = 0.02, margin_s: float = 0.1) -> np.ndarray:
    """(T,) frames whose whole-body centre of pressure fell outside the feet by more than
    ``tolerance_m`` (m), widened by ``margin_s`` (s) on each side (the low-pass filter's
    transition): their hip, knee and ankle loads rest on a clipped COP."""
    n = a.motion.n_frames
    if a.lower is None or "cop_outside_support_m" not in a.lower:
        return np.zeros(n, bool)
    off = a.lower["cop_outside_support_m"].to_numpy(float) > tolerance_m
    if not off.any():
        return off
    k = int(round(margin_s * a.motion.rate_hz))
    return np.convolve(off.astype(float), np.ones(2 * k + 1), mode="same") > 0 if k else off


def summarise(a: Assessment) -> dict:
    """Headline figures and plain-language findings of an assessment."""
    from liftrisk.kinetics.spine import compression_limits_n
    from liftrisk.risk.reba import risk_level

    lim = compression_limits_n()
    t = a.motion.time_s
    dt = np.gradient(t) if t.size > 1 else np.ones(1)
    comp = a.spine["compression_n"]
    peak_c, t_c = _peak(comp)
    peak_m, t_m = _peak(a.kinetics["l5s1_extension_moment_nm"])
    reba_v = a.posture["reba"].where(a.posture["reba"] > 0).astype(float)
    peak_r, t_r = _peak(reba_v)
    peak_f, t_f = _peak(a.posture["fuzzy_reba"])
    above_al = float(np.sum(dt[(comp > lim["action_limit"]).to_numpy()]))
    above_mpl = float(np.sum(dt[(comp > lim["maximum_permissible"]).to_numpy()]))
    s = {
        "duration_s": float(t[-1] - t[0]), "n_frames": int(t.size), "rate_hz": float(a.motion.rate_hz),
        "box_kg": a.hand_load.box_mass_kg if a.hand_load else 0.0,
        "peak_compression_n": peak_c, "peak_compression_time_s": t_c,
        "time_above_action_limit_s": above_al, "time_above_max_permissible_s": above_mpl,
        "peak_l5s1_extension_moment_nm": peak_m, "peak_l5s1_moment_time_s": t_m,
        "peak_reba": peak_r, "peak_reba_time_s": t_r,
        "peak_reba_level": str(risk_level(np.array([peak_r]))[0]) if np.isfinite(peak_r) else "",
        "peak_fuzzy_reba": peak_f, "peak_fuzzy_reba_time_s": t_f,
        "n_lifts": len(a.lifts), "max_li": max((la.li for la in a.lifts), default=float("nan")),
        "action_limit_n": lim["action_limit"], "maximum_permissible_n": lim["maximum_permissible"],
    }
    if a.workload is not None and a.workload.shape[1]:
        wl = a.workload.copy()
        off = off_balance_mask(a)
        if off.any():  # hip/knee/ankle loads there come from a clipped, inconsistent COP
            legs = [c for c in wl.columns if c[2:].startswith(("hip", "knee", "ankle"))]
            wl.loc[off, legs] = np.nan
        w = wl.max()
        s["peak_workload_joint"] = str(w.idxmax()).removesuffix("_workload_ratio") if w.notna().any() else ""
        s["peak_workload_ratio"] = float(w.max()) if w.notna().any() else float("nan")
    s["findings"] = findings(a, s)
    return s


def findings(a: Assessment, s: dict) -> list[str]:
    """Plain-language sentences about the highest-risk moments, most severe first."""
    out = []
    c = s["peak_compression_n"]
    if np.isfinite(c):
        if c > s["maximum_permissible_n"]:
            level = "above the NIOSH maximum permissible limit (6400 N): the lift should be redesigned"
        elif c > s["action_limit_n"]:
            level = "above the NIOSH action limit (3400 N): the lift puts some workers at risk of back injury"
        else:
            level = "below the NIOSH action limit (3400 N)"
        out.append(f"Highest low-back compression: {c:,.0f} N at {s['peak_compression_time_s']:.2f} s, {level}.")
        if s["time_above_action_limit_s"] > 0:
            out.append(f"The compression stays above 3400 N for {s['time_above_action_limit_s']:.2f} s in total.")
    if np.isfinite(s["peak_l5s1_extension_moment_nm"]):
        out.append(f"Largest L5/S1 extension moment: {s['peak_l5s1_extension_moment_nm']:.0f} N·m at "
                   f"{s['peak_l5s1_moment_time_s']:.2f} s.")
    if np.isfinite(s["peak_reba"]):
        i = int(np.argmin(np.abs(a.motion.time_s - s["peak_reba_time_s"])))
        tf = a.angles_rad["trunk_flexion"].iloc[i]
        trunk = f" with the trunk flexed {np.degrees(tf):.0f}°" if np.isfinite(tf) else ""
        out.append(f"Worst posture (REBA {s['peak_reba']:.0f}, {s['peak_reba_level']} risk) at "
                   f"{s['peak_reba_time_s']:.2f} s{trunk}; fuzzy REBA peaks at {s['peak_fuzzy_reba']:.1f}.")
    for la in a.lifts:
        o = la.lift.origin
        tlv = la.acgih.get("tlv_kg")
        tlv_txt = (f"; ACGIH zone {la.acgih.get('zone')} ({la.acgih.get('risk')} risk, TLV "
                   f"{tlv:.0f} kg)" if tlv is not None and np.isfinite(tlv) else
                   f"; ACGIH zone {la.acgih.get('zone')}: no lifting is recommended there")
        g, r = hold_window_s(la.lift)
        kind = "Lowering" if getattr(la.lift, "kind", "lift") == "lower" else "Lift"
        out.append(f"{kind} {la.index + 1} ({g:.2f}-{r:.2f} s, hands "
                   f"{o.h_m * 100:.0f} cm out and {o.v_m * 100:.0f} cm high at the grasp): NIOSH LI {la.li:.2f}, "
                   f"{la.li_category}{tlv_txt}.")
    if not a.lifts:
        out.append("No lift (grasp -> release with vertical travel) was detected, so NIOSH and ACGIH are not rated.")
    if "peak_workload_ratio" in s and np.isfinite(s["peak_workload_ratio"]):
        off = " (off-balance frames left out for hips, knees and ankles)" if off_balance_mask(a).any() else ""
        out.append(f"Highest joint workload: {s['peak_workload_joint'].replace('_', ' ')} at "
                   f"{100 * s['peak_workload_ratio']:.0f}% of its estimated maximum strength{off}.")
    return out


# ---------------------------------------------------------------------------- video
def assess_video(paths: str | os.PathLike | Sequence[str | os.PathLike], subject: Subject,
                 calib: str | os.PathLike | None = None, hand_load: HandLoad | float | None = None, *,
                 settings: AssessmentSettings = AssessmentSettings(), detector=None, rotate_deg: int | None = None,
                 max_frames: int | None = None, sync: bool = True, max_rate_hz: float | None = 30.0,
                 progress: Progress | None = None) -> Assessment:
    """Assess a lift filmed by one phone (monocular) or N calibrated synchronised cameras.

    Parameters
    ----------
    paths : one video or a list (one per camera, in the calibration's camera order unless
        the video names match the camera names).
    subject : Subject (its stature scales monocular 3D).
    calib : calibration file (Pose2Sim TOML / Qualisys QCA) - required for >= 2 videos;
        with one video its intrinsics are used for the monocular root translation.
    hand_load : box mass (kg) or HandLoad.
    detector : a `liftrisk.pose.PoseDetector` (default MediaPipe, model_complexity=1).
    rotate_deg : override the videos' rotation tag.
    max_frames : analyse only the first frames.
    sync : multi-view only: estimate frame lags between views from the calibration.
    max_rate_hz : analyse at most this many frames per second (a 60 fps video is read every
        2nd frame; lifting has no content above ~6 Hz, the Mehrizi seed used 15 fps). None:
        every frame.
    progress : callable(stage, done, total).
    """
    from liftrisk.pose import detect_video, probe_video, read_calibration

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
    if cams is not None and len(paths) > 1:
        by_name = {c.name.lower().replace("_", ""): c for c in cams}
        stems = [p.stem.lower().replace("_", "") for p in paths]
        cams = [by_name[s] for s in stems] if all(s in by_name for s in stems) else list(cams[:len(paths)])
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


def assess_keypoints(views: Sequence, subject: Subject, cameras: Sequence | None = None,
                     hand_load: HandLoad | float | None = None, *, settings: AssessmentSettings = AssessmentSettings(),
                     sync: bool = True, progress: Progress | None = None, video_paths: Sequence = ()) -> Assessment:
    """Assess from 2D keypoints: one view with world landmarks (monocular) or N calibrated views.

    Parameters
    ----------
    views : sequence of `liftrisk.pose.Keypoints2D` (from `detect_video` or `read_keypoints`).
    cameras : sequence of `liftrisk.pose.Camera`, paired with the views by order (required
        for >= 2 views; optional for one view, whose intrinsics then set the focal length).
    Other parameters as `assess_video`.
    """
    from liftrisk.pose import lift_monocular, to_worker_frame, triangulate_keypoints
    from liftrisk.pose.triangulation import apply_frame_offsets, estimate_frame_offsets

    views = list(views)
    for kp in views:
        if kp.detected_fraction() < 0.2:
            raise DataQualityError(f"{kp.source or kp.camera}: a person was found in only "
                                   f"{100 * kp.detected_fraction():.0f}% of the frames; film the whole body, well "
                                   "lit, one person in view")
    _progress(progress, "3D pose")
    meta = {}
    meta_warnings: list[str] = []
    if len(views) == 1:
        f = c = rot = None
        if cameras:  # a calibrated single camera: its intrinsics, and its tilt (world assumed Z up)
            cam = cameras[0]
            f, c = float(cam.matrix[0, 0]), (float(cam.matrix[0, 2]), float(cam.matrix[1, 2]))
            rot = cam.rotation.T
        kp0 = views[0]
        raw = lift_monocular(kp0, subject.height_m, focal_px=f, principal_px=c, camera_to_world=rot,
                             vertical=settings.monocular_vertical, sex=subject.sex,
                             depth_cutoff_hz=settings.monocular_depth_cutoff_hz or None)
        meta_warnings = list(raw.meta.get("warnings", []))
        # MediaPipe regresses every landmark, including the self-occluded side (low visibility):
        # keep them (the model's best guess) wherever the person was detected.
        seen = np.isfinite(raw.positions_m).all(axis=2)
        raw = raw.replace(confidence=np.where(seen, np.maximum(raw.confidence, settings.min_confidence), 0.0))
        # frames where the body is partly outside the image (walking in or out) are unreliable
        w, h = kp0.image_size_px
        with np.errstate(invalid="ignore"):
            inside = ((kp0.xy_px[..., 0] >= 0) & (kp0.xy_px[..., 0] <= w) & (kp0.xy_px[..., 1] >= 0)
                      & (kp0.xy_px[..., 1] <= h))
        n_found = np.isfinite(kp0.xy_px).all(-1).sum(axis=1)
        frac = inside.sum(axis=1) / np.maximum(n_found, 1)
        partial = (n_found > 0) & (frac < 0.9) if w > 0 and h > 0 else np.zeros(len(inside), bool)
        if partial.any():
            pos = raw.positions_m.copy()
            pos[partial] = np.nan
            raw = raw.replace(positions_m=pos)
        meta["method"] = "monocular (MediaPipe world landmarks scaled to the stature, root from the pixels)"
    else:
        if cameras is None or len(cameras) < len(views):
            raise DataQualityError(f"{len(views)} views need as many calibrated cameras")
        cams = list(cameras[:len(views)])
        if sync:
            lags = estimate_frame_offsets(views, cams)
            views_s = apply_frame_offsets(views, lags)
            meta["frame_lags"] = lags
        else:
            views_s = views
        tri = triangulate_keypoints(views_s, cams, min_confidence=settings.min_confidence)
        raw = tri.motion
        meta["method"] = f"{len(views)}-view triangulation (confidence-weighted DLT)"
        meta["median_reprojection_px"] = tri.median_reprojection_px()
    canon = to_canonical(raw, views[0].skeleton)
    world = to_worker_frame(canon)
    world = world.replace(meta={**world.meta, **meta},
                          source=", ".join(str(p) for p in video_paths) or " + ".join(kp.source for kp in views))
    if len(views) == 1 and settings.monocular_com_cutoff_hz:
        # joints filtered once at cutoff_hz here, then the body's centre of mass path harder
        world = smooth_centre_of_mass(canonical_motion(world, subject, settings), subject,
                                      settings.monocular_com_cutoff_hz)
        a = assess_motion(world, subject, hand_load, replace(settings, cutoff_hz=0.0), progress, keypoints=views,
                          video_paths=video_paths)
        object.__setattr__(a, "settings", settings)
    else:
        a = assess_motion(world, subject, hand_load, settings, progress, keypoints=views, video_paths=video_paths)
    a.summary.update({k: v for k, v in meta.items() if k != "frame_lags"})
    a.warnings[:0] = meta_warnings
    return a


def assess_file(path: str | os.PathLike, subject: Subject, hand_load: HandLoad | float | None = None, **kw
                ) -> Assessment:
    """Assess a motion file (TRC, C3D, keypoint CSV/JSON) read with `liftrisk.io.read_motion`."""
    from liftrisk.io import read_motion

    motion = read_motion(path)
    settings = kw.pop("settings", AssessmentSettings())
    return assess_motion(motion, subject, hand_load, settings, **kw)


VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".3gp")


def is_video(path: str | os.PathLike) -> bool:
    """True when the file name has a video extension.

    Examples
    --------
    >>> is_video("lift.MOV"), is_video("lift.trc")
    (True, False)
    """
    return Path(path).suffix.lower() in VIDEO_SUFFIXES


# ---------------------------------------------------------------------------- exports
def export_csv(a: Assessment, folder: str | os.PathLike, stem: str = "assessment") -> list[Path]:
    """Write the time series and the lifts table as CSV; returns the paths."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    ts = d / f"{stem}_timeseries.csv"
    a.timeseries().to_csv(ts, float_format="%.6g")
    out = [ts]
    lt = a.lifts_table()
    if len(lt):
        p = d / f"{stem}_lifts.csv"
        lt.to_csv(p, index=False, float_format="%.6g")
        out.append(p)
    return out


def export_trc(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write the canonical joint centres as TRC (mm, OpenSim Y-up)."""
    from liftrisk.io import write_trc

    write_trc(a.motion, path, overwrite=overwrite)
    return Path(path)


def export_mot(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write joint angles (deg) and L5/S1 loads as an OpenSim-style .mot table."""
    from liftrisk.io import write_mot

    ang = np.degrees(a.angles_rad).add_suffix("_deg")
    tab = pd.concat([ang, a.kinetics.filter(like="l5s1_"), a.spine[["compression_n", "ap_shear_n"]]], axis=1)
    write_mot(tab, path, in_degrees=True, overwrite=overwrite, description="angles in degrees; forces N; moments N.m")
    return Path(path)
