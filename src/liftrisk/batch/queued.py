"""Run one queued assessment of the database and record its outcome (worker side).

`execute` is what the web app's worker pool runs in a worker process. It takes the job lock
and claims the assessment (queued -> running, so only one worker runs it), calls the runner,
and either saves the result in one transaction or marks the assessment
failed with the error message. It never raises for bad input: a user error (`LiftriskError`)
becomes the assessment's error message, anything else ``internal error (...)``.
"""

from __future__ import annotations

import inspect
import logging
import os
import shutil
import time
import traceback
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from liftrisk.batch.runner import DEFAULT_RUNNER, AssessmentOutput, load_runner
from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import LiftriskError
from liftrisk.io import LabInputs
from liftrisk.store import AssessmentStore, StoreSettings

log = logging.getLogger(__name__)
PROGRESS_INTERVAL_S = 0.5
LEASE_RETRY_S = 1.0


def execute(settings: StoreSettings, assessment_id: int, runner: str = DEFAULT_RUNNER) -> str:
    """Run a queued assessment; returns its final status ('done', 'failed' or 'skipped').

    The runner sees the stored upload under the user's (sanitised) file name, through a
    symbolic link in a temporary folder, so that reports and messages name the user's file;
    the lab files uploaded with it (static trial, force-plate table + TOML, insoles + TOML)
    likewise, each in a folder of its own, and are given to the runner as
    ``lab=liftrisk.io.LabInputs(...)`` (a runner without a ``lab`` parameter then fails the
    assessment with a message saying so).

    Parameters
    ----------
    settings : StoreSettings
        Where the database and uploads are (picklable, for worker processes).
    assessment_id : int
        The queued assessment.
    runner : str
        ``"module:function"`` of the runner (see `liftrisk.batch.runner`).

    Returns
    -------
    str
        ``"done"``, ``"failed"`` or ``"skipped"``.
    """
    store = AssessmentStore(settings, migrate=False)
    try:
        for attempt in range(2):
            with store.job_lease(assessment_id) as mine:
                if mine:
                    return _run_claimed(store, assessment_id, runner) if store.claim(assessment_id) else "skipped"
            if attempt == 0:  # another worker is on it, or a sweep holds the lock for a moment
                time.sleep(LEASE_RETRY_S)
        return "skipped"
    finally:
        store.close()


def _run_claimed(store: AssessmentStore, assessment_id: int, runner: str) -> str:
    """Run a claimed assessment (its job lock held) and record the outcome."""
    a = None
    names: dict[str, str] = {}
    try:
        a = store.get(assessment_id)
        func = load_runner(runner)
        last = [0.0]

        def progress(fraction: float, stage: str = "") -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
                last[0] = now
                try:
                    store.set_progress(assessment_id, fraction, stage)
                except SQLAlchemyError as exc:  # progress is cosmetic: never fail the job for it
                    log.warning("assessment %s: progress not recorded (%s)", assessment_id, exc)

        progress(0.01, "reading input")
        stored = store.upload_path(a.upload)
        names[str(stored)] = a.input_name
        tmp = Path(store.scratch_dir(assessment_id))
        try:
            path = _named_link(stored, tmp, a.input_name)
            names[str(path)] = a.input_name
            extra = {}
            lab = _lab_links(store, a, tmp, names)
            if lab:
                if "lab" not in inspect.signature(func).parameters:
                    raise LiftriskError(f"runner {runner} takes no lab inputs (static trial, plates, insoles); "
                                        "use the default runner or give it a 'lab' parameter")
                extra["lab"] = lab
            out = func(path, store.subject_of(a), hand_load=a.box_mass_kg,
                       settings=AssessmentSettings.from_dict(a.settings or {}), progress=progress, **extra)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if not isinstance(out, AssessmentOutput):
            raise TypeError(f"runner {runner} returned {type(out).__name__}; expected AssessmentOutput")
        if out.media:
            store.save_media(assessment_id, out.media)
        store.save_result(assessment_id, out.summary, out.timeseries_csv, out.report_html)
        return "done"
    except LiftriskError as exc:
        store.mark_failed(assessment_id, _user_message(str(exc), names))
        return "failed"
    except Exception as exc:  # noqa: BLE001 - any crash must leave the job failed, not running
        log.error("assessment %s crashed:\n%s", assessment_id, traceback.format_exc())
        store.mark_failed(assessment_id, _user_message(f"internal error ({type(exc).__name__}: {exc}); "
                                                       "please report it with the input file", names))
        return "failed"


def _named_link(stored: Path, folder: Path, input_name: str) -> Path:
    """`folder/<input_name>` pointing at the stored upload (a copy where links are not allowed)."""
    name = input_name if input_name.lower().endswith(stored.suffix.lower()) else input_name + stored.suffix
    link = folder / Path(name).name
    try:
        os.symlink(stored, link)
    except OSError:
        shutil.copyfile(stored, link)
    return link


def _lab_links(store: AssessmentStore, a, folder: Path, names: dict[str, str]) -> LabInputs:
    """The assessment's lab files as `LabInputs` of links named as the user's files, each in a
    folder of its own (``lab-<role>-<position>``: two files may have the same name), with its
    C3D plate options and Plug-in Gait measurements."""
    files: dict = {}
    for f in a.lab_files:
        sub = folder / f"lab-{f.role}-{f.position}"
        sub.mkdir()
        stored = store.upload_path(f.upload)
        link = _named_link(stored, sub, f.input_name)
        names[str(stored)] = names[str(link)] = f.input_name
        if f.role == "insoles":
            files.setdefault("insoles", []).append(link)
        else:
            files[f.role] = link
    options = dict(a.lab_options or {})
    return LabInputs(**{k: tuple(v) if k == "insoles" else v for k, v in files.items()}, **options)


def _user_message(message: str, names: dict[str, str]) -> str:
    """Name the user's file, not its storage path or temporary link, in an error message."""
    for path in sorted(names, key=len, reverse=True):
        message = message.replace(path, names[path])
    for path, name in names.items():
        message = message.replace(Path(path).name, name) if Path(path).name != name else message
    return message


__all__ = ["execute"]
