"""Settings of one assessment: one frozen dataclass, its values checked when it is made.

Every entry point (``liftrisk assess``, ``liftrisk batch``, the web app) builds one
`AssessmentSettings` from, in increasing priority, the defaults below, a project settings
file, a recording's overrides and the command line or form (`liftrisk.io.settings`
reads and writes the TOML files). Units are in the field names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from liftrisk.core.limits import LIMITS  # the ranges shared with the CLI, batch and web edges
from liftrisk.errors import SettingsError

COUPLINGS = ("good", "fair", "poor")
MONOCULAR_VERTICALS = ("balance", "level_camera")

#: one-line help of every field (CLI options, settings-file comments, the web form)
FIELD_HELP = {
    "cutoff_hz": "Low-pass cut-off of the joint centres, Hz (0 = no filter).",
    "max_gap_s": "Longest gap of a point filled by interpolation, s.",
    "min_confidence": "Keypoints below this detector confidence (0-1) are treated as missing.",
    "coupling": "Hand coupling for REBA, RULA and NIOSH: good, fair or poor.",
    "lifts_per_min": "NIOSH lifting frequency, lifts per minute.",
    "duration_h": "NIOSH work duration, hours (Table 5 goes to 8 h).",
    "reba_activity": "REBA activity score, 0-3.",
    "floor_z_m": "Floor height in the motion's frame, m.",
    "lower_body": "Also compute hip, knee and ankle moments and workloads.",
    "body_model": "Fit the subject-scaled body model by inverse kinematics (constant segment lengths).",
    "lift_times_s": "Known (grasp_s, release_s) of each lift; empty = detect them.",
    "hand_load_from_feet": ("Hand load per frame from what the feet measure (insoles or floor force plates): "
                            "vertical force minus body weight, with the centre of mass dynamics."),
    "quiet_standing_s": ("Start-end (s) of quiet standing with empty hands: the body weight is the feet's force "
                         "there (calibrates insoles); empty = body mass x g."),
    "monocular_vertical": "One camera: vertical from the balance of the body (balance) or image up (level_camera).",
    "monocular_depth_cutoff_hz": "One camera: low-pass cut-off of the body's depth along the camera axis, Hz.",
    "monocular_com_cutoff_hz": "One camera: low-pass cut-off of the whole-body centre of mass path, Hz (0 = off).",
    "monocular_ik": ("One camera: fit the body model to the 2D keypoints (reprojection), the detector's 3D only "
                     "as start and weak prior."),
    "monocular_ik_prior_weight": ("One camera: weight of the detector's 3D points relative to a 2D keypoint "
                                  "(both in m at the body)."),
    "uncertainty_draws": "Monte Carlo draws of the uncertainty bands (0 = no bands).",
    "uncertainty_seed": "Seed of the uncertainty draws (same seed, same bands).",
    "mass_tolerance_kg": "Tolerance of the body mass as entered, kg (one standard deviation).",
    "stature_tolerance_m": "Tolerance of the stature as entered, m (one standard deviation).",
    "hand_load_tolerance": "Tolerance of the hand load as a fraction of it (one standard deviation).",
    "position_noise_m": "Smallest white position noise of a point, m (one SD; the data's jitter can show more).",
    "cutoff_tolerance_hz": "Spread of the low-pass cut-off across draws, Hz (uniform +- this).",
    "video_rate_hz": "Video: analyse at most this many frames per second, Hz (0 = every frame).",
    "video_max_side_px": "Video: longest side of the frames the pose detector sees, px (0 = full size).",
    "video_detect_every": ("Video: run the pose detector on every n-th analysed frame where the motion is calm and "
                           "fill the frames between by interpolation (1 = detect every frame)."),
    "video_fill_tolerance": ("Video: largest estimated interpolation error where frames are filled, as a fraction of "
                             "the body size."),
}


def _number(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
            strict_min: bool = False, unit: str = "") -> float:
    if isinstance(value, bool):
        raise SettingsError(name, f"is {value!r}; expected a number{' in ' + unit if unit else ''}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SettingsError(name, f"is {value!r}; expected a number{' in ' + unit if unit else ''}") from None
    if not math.isfinite(v):
        raise SettingsError(name, f"is {value!r}; expected a finite number")
    lo_bad = minimum is not None and (v <= minimum if strict_min else v < minimum)
    if lo_bad or (maximum is not None and v > maximum):
        rng = (f"{'>' if strict_min else '>='} {minimum:g}" if maximum is None else
               f"{'above' if strict_min else 'from'} {minimum:g} to {maximum:g}")
        raise SettingsError(name, f"is {v:g}; expected {rng}{' ' + unit if unit else ''}")
    return v


def _choice(name: str, value, choices: tuple[str, ...]) -> str:
    v = str(value).strip().lower()
    if v not in choices:
        raise SettingsError(name, f"is {value!r}; expected one of {', '.join(choices)}")
    return v


def _lift_times(value) -> tuple:
    out = []
    for k, pair in enumerate(value or ()):
        try:
            g, r = (float(x) for x in pair)
        except (TypeError, ValueError):
            raise SettingsError("lift_times_s", f"entry {k + 1} is {pair!r}; expected a pair [grasp_s, release_s]"
                                ) from None
        if not (math.isfinite(g) and math.isfinite(r) and 0 <= g < r):
            raise SettingsError("lift_times_s", f"entry {k + 1} is {pair!r}; expected 0 <= grasp_s < release_s")
        out.append((g, r))
    return tuple(out)


def _window(name: str, value) -> tuple:
    """() or (start_s, end_s) with 0 <= start < end; also from the text "start-end"."""
    if value is None or (isinstance(value, str) and not value.strip()) or (not isinstance(value, str) and
                                                                             len(value) == 0):
        return ()
    pair = value
    if isinstance(value, str):
        pair = value.replace(",", "-").split("-")
    try:
        a, b = (float(x) for x in pair)
    except (TypeError, ValueError):
        raise SettingsError(name, f"is {value!r}; expected a pair [start_s, end_s] (text: start-end, e.g. 0-1.5)"
                            ) from None
    if not (math.isfinite(a) and math.isfinite(b) and 0 <= a < b):
        raise SettingsError(name, f"is {value!r}; expected 0 <= start_s < end_s")
    return (a, b)


def _bool(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise SettingsError(name, f"is {value!r}; expected true or false")


@dataclass(frozen=True)
class AssessmentSettings:
    """Settings of one assessment (units in the names); checked when made.

    Attributes
    ----------
    cutoff_hz : low-pass cut-off for joint centres (Hz; 0 = no filter).
    max_gap_s : longest gap of a point filled by interpolation (s).
    min_confidence : keypoints below this detector confidence are treated as missing.
    coupling : hand coupling for REBA/RULA/NIOSH ("good", "fair", "poor").
    lifts_per_min, duration_h : NIOSH frequency (lifts/min) and work duration (h; NIOSH Table 5 goes to 8 h).
    reba_activity : REBA activity score 0-3.
    floor_z_m : floor height in the motion's frame (video: 0 after `to_worker_frame`).
    lower_body : also compute hip/knee/ankle moments and workload ratios.
    body_model : fit liftrisk's subject-scaled body model to the joint centres by inverse
        kinematics (`liftrisk.bodymodel`); downstream joint centres, frames and angles then
        come from the fitted model (constant segment lengths). False = joint centres frame by frame.
    lift_times_s : known (grasp_s, release_s) of each lift/lowering; empty = detect them from
        the hands' motion.
    hand_load_from_feet : take the load in the hands, frame by frame, from the measured
        ground reactions under the feet (pressure insoles or floor force plates;
        `liftrisk.kinetics.load_from_feet`) instead of the given box mass; it then drives the
        top-down kinetics, REBA/RULA (per frame) and NIOSH (per lift). Insoles given without a
        box mass turn it on.
    quiet_standing_s : (start_s, end_s) of quiet standing with empty hands in the recording:
        the body weight in the hand load from the feet is then the mean measured vertical force
        there (cancels an insole's or plate's gain and zero error and a wrong body mass);
        empty = the subject's mass x g.
    monocular_vertical : "balance" (default: vertical from the centre of mass above the
        ankles; 1-4 deg off for a level camera, saves 15-30 deg for a tilted one) or
        "level_camera" (image up is up); a calibration overrides both.
    monocular_depth_cutoff_hz : low-pass cut-off (Hz) of the monocular root depth along the
        camera axis (`liftrisk.pose.lift_monocular`); the joints keep ``cutoff_hz``.
    monocular_com_cutoff_hz : low-pass cut-off (Hz) of the whole-body centre of mass path from
        monocular video (`liftrisk.kinetics.centre_of_mass.smooth_centre_of_mass`); 0 = off.
    monocular_ik : one camera: fit the body model to the 2D keypoints by reprojection
        (`liftrisk.bodymodel.reprojection`), the detector's 3D only as the start and a weak
        prior (docs/bodymodel.md, "One camera"; off: not better on the Pose2Sim check).
    monocular_ik_prior_weight : with `monocular_ik`, weight of a detector 3D point relative
        to a 2D keypoint of confidence 1 (both residuals in m at the body).
    uncertainty_draws, uncertainty_seed : Monte Carlo draws (0 = no bands) and their seed
        (`liftrisk.uncertainty`).
    mass_tolerance_kg, stature_tolerance_m : one standard deviation of the body mass (kg) and
        stature (m) as entered.
    hand_load_tolerance : one standard deviation of the hand load, as a fraction of it.
    position_noise_m : smallest white (frame-to-frame) position noise of every point (m, one
        standard deviation; default 1 mm, the resolution of optical motion capture); the data's
        own jitter, detector confidence and reprojection error can raise it
        (`liftrisk.uncertainty.noise`).
    cutoff_tolerance_hz : the low-pass cut-off of each draw is uniform in ``cutoff_hz`` +- this.
    video_rate_hz : video: analyse at most this many frames per second (every n-th frame,
        n = ceil(video rate / this); 0 = every frame). Speed and accuracy cost of each rate:
        docs/pose.md, "Speed".
    video_max_side_px : video: the frames are shrunk so their longest side is at most this
        (px) before pose detection (0 = full size); keypoints are given back in the video's pixels.
    video_detect_every : video: where the motion is calm the pose detector runs on every n-th
        analysed frame only and the frames between are filled by linear interpolation; where it
        is fast every frame is detected (`liftrisk.pose.detect_video`, ``detect_every``; 1 =
        every frame, the default). Speed and accuracy cost: docs/pose.md, "Speed".
    video_fill_tolerance : video: with ``video_detect_every`` > 1, the largest interpolation
        error (estimated from the detections' acceleration) allowed where frames are filled, as
        a fraction of the body size (dimensionless).

    Examples
    --------
    >>> AssessmentSettings(lifts_per_min=4, coupling="Poor").coupling
    'poor'
    >>> AssessmentSettings(duration_h=-1)
    Traceback (most recent call last):
    ...
    liftrisk.errors.SettingsError: setting duration_h is -1; expected above 0 to 24 h
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
    body_model: bool = True
    lift_times_s: tuple = ()
    hand_load_from_feet: bool = False
    quiet_standing_s: tuple = ()
    monocular_vertical: str = "balance"
    monocular_depth_cutoff_hz: float = 1.0
    monocular_com_cutoff_hz: float = 3.0
    monocular_ik: bool = False
    monocular_ik_prior_weight: float = 0.04
    uncertainty_draws: int = 200
    uncertainty_seed: int = 0
    mass_tolerance_kg: float = 2.0
    stature_tolerance_m: float = 0.02
    hand_load_tolerance: float = 0.05
    position_noise_m: float = 0.001
    cutoff_tolerance_hz: float = 1.0
    video_rate_hz: float = 30.0
    video_max_side_px: int = 0
    video_detect_every: int = 1
    video_fill_tolerance: float = 0.02

    def __post_init__(self) -> None:
        checked = {
            "cutoff_hz": _number("cutoff_hz", self.cutoff_hz, minimum=0, unit="Hz"),
            "max_gap_s": _number("max_gap_s", self.max_gap_s, minimum=0, unit="s"),
            "min_confidence": _number("min_confidence", self.min_confidence, minimum=0, maximum=1),
            "coupling": _choice("coupling", self.coupling, COUPLINGS),
            # NIOSH Table 5 runs to 15 lifts/min (FM = 0 beyond)
            "lifts_per_min": _number("lifts_per_min", self.lifts_per_min, minimum=LIMITS["lifts_per_min"].lo,
                                     maximum=LIMITS["lifts_per_min"].hi, unit="lifts/min"),
            "duration_h": _number("duration_h", self.duration_h, minimum=LIMITS["duration_h"].lo,
                                  maximum=LIMITS["duration_h"].hi, strict_min=True, unit="h"),
            "floor_z_m": _number("floor_z_m", self.floor_z_m, unit="m"),
            "lower_body": _bool("lower_body", self.lower_body),
            "body_model": _bool("body_model", self.body_model),
            "lift_times_s": _lift_times(self.lift_times_s),
            "hand_load_from_feet": _bool("hand_load_from_feet", self.hand_load_from_feet),
            "quiet_standing_s": _window("quiet_standing_s", self.quiet_standing_s),
            "monocular_vertical": _choice("monocular_vertical", self.monocular_vertical, MONOCULAR_VERTICALS),
            "monocular_depth_cutoff_hz": _number("monocular_depth_cutoff_hz", self.monocular_depth_cutoff_hz,
                                                 minimum=0, unit="Hz"),
            "monocular_com_cutoff_hz": _number("monocular_com_cutoff_hz", self.monocular_com_cutoff_hz, minimum=0,
                                               unit="Hz"),
            "monocular_ik": _bool("monocular_ik", self.monocular_ik),
            "monocular_ik_prior_weight": _number("monocular_ik_prior_weight", self.monocular_ik_prior_weight,
                                                 minimum=0, maximum=100),
        }
        for name, lo, hi, unit in (("mass_tolerance_kg", 0, 50, "kg"), ("stature_tolerance_m", 0, 0.3, "m"),
                                   ("hand_load_tolerance", 0, 1, ""), ("position_noise_m", 0, 0.5, "m"),
                                   ("cutoff_tolerance_hz", 0, 50, "Hz")):
            checked[name] = _number(name, getattr(self, name), minimum=lo, maximum=hi, unit=unit)
        checked["video_rate_hz"] = _number("video_rate_hz", self.video_rate_hz, minimum=0, maximum=1000, unit="Hz")
        checked["video_fill_tolerance"] = _number("video_fill_tolerance", self.video_fill_tolerance, minimum=0,
                                                  maximum=1)
        every = _number("video_detect_every", self.video_detect_every, minimum=1, maximum=30)
        if every != int(every):
            raise SettingsError("video_detect_every", f"is {self.video_detect_every!r}; expected a whole number 1-30")
        checked["video_detect_every"] = int(every)
        for name, hi in (("uncertainty_draws", 100_000), ("uncertainty_seed", 2**63 - 1),
                         ("video_max_side_px", 100_000)):
            v = _number(name, getattr(self, name), minimum=0, maximum=hi)
            if v != int(v):
                raise SettingsError(name, f"is {getattr(self, name)!r}; expected a whole number >= 0")
            checked[name] = int(v)
        act = _number("reba_activity", self.reba_activity, minimum=0, maximum=3)
        if act != int(act):
            raise SettingsError("reba_activity", f"is {self.reba_activity!r}; expected a whole number 0-3")
        checked["reba_activity"] = int(act)
        for k, v in checked.items():
            object.__setattr__(self, k, v)

    def to_dict(self) -> dict:
        """The settings as plain TOML/JSON-able values (lift times as lists).

        Examples
        --------
        >>> AssessmentSettings(lift_times_s=((1, 2),)).to_dict()["lift_times_s"]
        [[1.0, 2.0]]
        """
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["lift_times_s"] = [list(p) for p in self.lift_times_s]
        d["quiet_standing_s"] = list(self.quiet_standing_s)
        return d

    @classmethod
    def from_dict(cls, values: dict, source: str = "") -> AssessmentSettings:
        """Settings from a mapping of field names (unknown keys are an error naming them).

        Parameters
        ----------
        values : dict
            Field name -> value (e.g. a parsed settings file).
        source : str
            Where the values come from, for error messages.

        Examples
        --------
        >>> AssessmentSettings.from_dict({"lifts_per_min": 2}).lifts_per_min
        2.0
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(", ".join(unknown),
                                f"is not a known setting; expected some of {', '.join(sorted(known))}", source)
        try:
            return cls(**values)
        except SettingsError as exc:
            if source and not exc.source:
                raise SettingsError(exc.field, exc.problem, source) from None
            raise
