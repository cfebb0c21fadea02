"""The narrow interface between the assessment pipeline and the web app / batch runner.

A *runner* is a function ``runner(path, subject, hand_load=None, settings=None, progress=None)
-> AssessmentOutput`` that assesses one recording file with the given `AssessmentSettings`
and returns plain data: a JSON-able summary dict (with the settings used), the time series
as CSV text, and the self-contained HTML report. The web app
and `liftrisk batch` only ever call a runner (named by a ``"module:function"`` string so
that it can be sent to worker processes); `run_recording` is the default one and calls
`liftrisk.pipeline`.
"""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from liftrisk import pipeline
from liftrisk.core.limits import check_file_size
from liftrisk.core.loads import HandLoad
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.io import LabInputs, read_lab_inputs, read_motion
from liftrisk.io.dispatch import MOTION_SUFFIXES, VIDEO_SUFFIXES
from liftrisk.job.measures import lift_measures
from liftrisk.report import findings, render_html
from liftrisk.report.media import recording_media

log = logging.getLogger(__name__)
RECORDING_SUFFIXES = VIDEO_SUFFIXES + MOTION_SUFFIXES
DEFAULT_RUNNER = "liftrisk.batch.runner:run_recording"

#: progress callback of a runner: ``progress(fraction_done_0_to_1, stage_name)``
FractionProgress = Callable[[float, str], None]


@dataclass(frozen=True)
class AssessmentOutput:
    """What a runner returns for one recording.

    Attributes
    ----------
    summary : dict
        JSON-able key figures (SI units, names carry units: ``peak_l5s1_compression_n``).
    timeseries_csv : str
        Time series as CSV text; first column time in s.
    report_html : str
        Self-contained HTML report.
    media : dict
        Files for the web page (name -> bytes): ``overlay.webm`` (skeleton-overlay video) or
        ``stick3d.json`` (3D stick figure), `liftrisk.report.media.recording_media`.
    """

    summary: dict = field(default_factory=dict)
    timeseries_csv: str = ""
    report_html: str = ""
    media: dict = field(default_factory=dict)


def recording_kind(path) -> str:
    """'video' or 'motion' from the file suffix.

    Parameters
    ----------
    path : str or os.PathLike
        Recording file.

    Returns
    -------
    str
        ``"video"`` or ``"motion"``; another suffix raises a clear error.

    Examples
    --------
    >>> recording_kind("lift.MP4"), recording_kind("trial.c3d")
    ('video', 'motion')
    """
    suffix = Path(path).suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    if suffix in MOTION_SUFFIXES:
        return "motion"
    raise LiftriskError(f"{Path(path).name}: unsupported file type {suffix or '(none)'!r}; expected a video "
                        f"({', '.join(VIDEO_SUFFIXES)}) or a motion file ({', '.join(MOTION_SUFFIXES)})")


def load_runner(spec: str) -> Callable[..., AssessmentOutput]:
    """Import a runner named ``"package.module:function"``.

    Parameters
    ----------
    spec : str
        ``"package.module:function"``.

    Returns
    -------
    callable
        The runner; a bad spec raises a clear error.

    Examples
    --------
    >>> load_runner(DEFAULT_RUNNER).__name__
    'run_recording'
    """
    mod_name, _, func_name = str(spec).partition(":")
    if not mod_name or not func_name:
        raise LiftriskError(f"runner {spec!r} is not of the form 'package.module:function'")
    try:
        func = getattr(importlib.import_module(mod_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise LiftriskError(f"cannot load runner {spec!r}: {exc}") from None
    if not callable(func):
        raise LiftriskError(f"runner {spec!r} is not callable")
    return func


def _noop(_fraction: float, _stage: str) -> None:
    return None


#: fraction of the work done when the pipeline reports a stage (video: pose detection before)
STAGE_FRACTION = {"3D pose": 0.80, "joint centres": 0.82, "kinematics": 0.85, "kinetics": 0.88,
                  "risk scores": 0.92, "lifts": 0.94, "done": 0.95}


def _title(path: Path, lab: LabInputs) -> str:
    """The report's title: the recording and the lab files it was assessed with."""
    used = [f"{role} " + (", ".join(p.name for p in v) if isinstance(v, tuple) else v.name)
            for role, v in lab.files().items() if v and not role.endswith("_spec")]
    return path.name + (f" (with {'; '.join(used)})" if used else "")


def run_recording(path, subject: Subject, hand_load: HandLoad | float | None = None,
                  settings: AssessmentSettings | None = None,
                  progress: FractionProgress | None = None, lab: LabInputs | None = None) -> AssessmentOutput:
    """Assess one recording with `liftrisk.pipeline` (the default runner).

    Videos go through `liftrisk.pipeline.assess_video` (monocular), motion files through
    `liftrisk.pipeline.assess_motion` with their lab inputs read as ``liftrisk assess`` reads
    them (`liftrisk.io.read_lab_inputs`: static trial, force-plate CSV or the C3D's own
    platforms, insoles); the report is `liftrisk.report.render_html`.

    Parameters
    ----------
    path : path
        A video, or a motion file that `liftrisk.io.read_motion` reads.
    subject : Subject
        The worker's anthropometry.
    hand_load : HandLoad or float, optional
        The load in the hands (a float is a box mass, kg).
    settings : AssessmentSettings, optional
        Filter, NIOSH task and other settings (default: `AssessmentSettings()`).
    progress : callable(fraction, stage), optional
        Called with the fraction done (0-1) and a short stage name.
    lab : LabInputs, optional
        Static trial, force-plate CSV, insoles and their descriptions (motion files only).

    Returns
    -------
    AssessmentOutput
        ``summary`` = the pipeline's summary plus ``findings`` (sentences), ``lifts`` (one
        dict per lift), ``warnings`` and ``settings`` (the `AssessmentSettings` used, as a dict),
        ``timeseries_csv`` = `Assessment.timeseries` (time in s, angles in deg, loads in N
        and N·m), ``report_html`` = the self-contained report.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from liftrisk.io import write_trc
    >>> from liftrisk.synthetic.lift import synthetic_lift
    >>> subj = Subject("male", 80, 1.78)
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "lift.trc"
    >>> write_trc(synthetic_lift(subj, 10.0), f)
    >>> out = run_recording(f, subj, 10.0, AssessmentSettings(lifts_per_min=2.0))
    >>> out.summary["n_lifts"], out.summary["settings"]["lifts_per_min"], out.timeseries_csv.startswith("time_s,")
    (1, 2.0, True)
    """
    report = progress or _noop
    path = Path(path)
    kind = recording_kind(path)
    check_file_size(path)  # empty or over the size limit of liftrisk.core.limits: a clear error
    settings = AssessmentSettings() if settings is None else settings
    if hand_load is not None and not isinstance(hand_load, HandLoad):
        hand_load = float(hand_load)

    def on_stage(stage: str, done: int = 1, total: int = 1) -> None:
        if stage.startswith("pose"):
            frac = 0.02 + 0.76 * done / max(total, 1)
        else:
            frac = STAGE_FRACTION.get(stage, 0.5)
            if kind == "motion":
                frac = 0.1 + (frac - 0.8) / 0.15 * 0.85 if frac >= 0.8 else 0.1
        report(frac, stage)

    report(0.02, "reading " + kind)
    lab = lab or LabInputs()
    if kind == "video":
        if lab:
            raise DataQualityError(f"{path.name}: lab inputs ({', '.join(lab.to_dict())}) go with a motion file "
                                   "(TRC, C3D, ...), not with a video")
        a = pipeline.assess_video([path], subject, hand_load=hand_load, settings=settings, progress=on_stage)
    else:
        motion = read_motion(path)
        a = pipeline.assess_motion(motion, subject, hand_load, settings, progress=on_stage,
                                   **read_lab_inputs(path, motion, lab))
    report(0.96, "writing report")
    summary = dict(a.summary)
    summary["findings"] = findings(a)
    summary["lifts"] = a.lifts_table().to_dict("records")
    for row, rel in zip(summary["lifts"], a.reliability_table().to_dict("records"), strict=False):
        row.update({k: v for k, v in rel.items() if k not in ("lift", "li")})  # interval, P(LI>1), verdict
    for q, key in (("compression_n", "peak_compression_n"),
                   ("l5s1_extension_moment_nm", "peak_l5s1_extension_moment_nm")):
        peak = pipeline.uncertainty_summary(a).get("peaks", {}).get(q)
        if peak:
            summary[f"{key}_p05"], summary[f"{key}_p95"] = peak["p05"], peak["p95"]
    summary["warnings"] = list(a.warnings)
    summary["lift_measures"] = [m.to_dict() for m in lift_measures(a, recording=path.name)]  # for job views
    summary["settings"] = a.settings.to_dict()
    csv_text = a.timeseries().to_csv(float_format="%.6g")
    html = render_html(a, title=_title(path, lab))
    report(0.98, "recording for the web page")
    try:
        with tempfile.TemporaryDirectory(prefix="liftrisk-media-") as tmp:
            media = recording_media(a, tmp)
    except (LiftriskError, OSError, ValueError) as exc:  # the page then shows no video; the result stands
        log.warning("%s: no overlay video / stick figure: %s", path.name, exc)
        media = {}
    return AssessmentOutput(summary=summary, timeseries_csv=csv_text, report_html=html, media=media)


__all__ = ["AssessmentOutput", "FractionProgress", "run_recording", "load_runner", "recording_kind",
           "DEFAULT_RUNNER", "RECORDING_SUFFIXES"]
