"""`AssessmentStore`: the one place that reads and writes the assessment database.

Life of an assessment: ``queued`` (upload stored, row created) -> ``running`` (claimed by
exactly one worker) -> ``done`` (result row and status written in ONE transaction) or
``failed`` (error message kept; no result row). A crash at any point leaves either the
previous state or ``failed``: never a ``done`` assessment without its result, never a
result of a failed one.

A worker holds the assessment's job lock (`job_lease`) from before it claims it until its
outcome is written, so one assessment never runs twice at the same time, and
`recover_interrupted` marks failed exactly the ``running`` assessments whose worker is gone
(its lock is free), never one that a live worker is still computing.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.errors import LiftriskError
from liftrisk.store import _locks, blobs
from liftrisk.store.db import make_engine, upgrade
from liftrisk.store.models import (
    LAB_ROLES,
    AssessmentRecord,
    Job,
    LabFile,
    Result,
    Task,
    Upload,
    Worker,
    check_code,
    utcnow,
)
from liftrisk.store.settings import StoreSettings

MAX_ERROR_CHARS = 4000
#: largest assessment id (SQLite and PostgreSQL integers are signed 64-bit): larger ids do not exist
MAX_ID = 2**63 - 1
INTERRUPTED = "interrupted: the server stopped while this assessment was running; upload it again"


class NotFoundError(LiftriskError):
    """No assessment (or result) with that id."""


def jsonable(obj: Any) -> Any:
    """A copy of `obj` that any SQL JSON column accepts: NumPy scalars/arrays become Python
    numbers/lists, NaN and inf become None (PostgreSQL's JSON has no NaN).

    Parameters
    ----------
    obj : Any
        Nested dicts, lists, NumPy values, ...

    Returns
    -------
    Any
        The same structure with plain Python values (the input is not changed).

    Examples
    --------
    >>> import numpy as np
    >>> jsonable({"a": np.float64(1.5), "b": [float("nan"), np.int64(2)]})
    {'a': 1.5, 'b': [None, 2]}
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    return str(obj)


def _check_id(assessment_id: int) -> None:
    """Ids outside the database's integer range cannot exist (and would overflow the driver)."""
    if not 0 < int(assessment_id) <= MAX_ID:
        raise NotFoundError(f"no assessment {assessment_id}")


class AssessmentStore:
    """Assessment database plus content-addressed upload folder.

    Parameters
    ----------
    settings : StoreSettings, optional
        Database URL and data folder (default: from the environment).
    migrate : bool
        Run the Alembic migrations to the newest revision on opening (default True).

    Examples
    --------
    >>> import tempfile
    >>> from liftrisk.core import Subject
    >>> st = AssessmentStore(StoreSettings.at(tempfile.mkdtemp()))
    >>> up = st.add_upload([b"time_s,x\\n0,1\\n"], ".csv", kind="table")
    >>> aid = st.create_assessment(up.sha256, "lift.csv", Subject("male", 80, 1.78), worker="W01")
    >>> st.get(aid).status, st.get(aid).worker.code
    ('queued', 'W01')
    """

    def __init__(self, settings: StoreSettings | None = None, migrate: bool = True):
        self.settings = settings or StoreSettings.from_env()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        if migrate:
            upgrade(self.settings.database_url)
        self.engine = make_engine(self.settings.database_url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    def session(self) -> Session:
        """A new ORM session (use as a context manager)."""
        return self.sessionmaker()

    # ------------------------------------------------------------------ uploads
    def add_upload(self, chunks: Iterable[bytes], suffix: str, kind: str, name: str = "upload",
                   max_bytes: int | None = None, validate=None) -> Upload:
        """Store bytes under their SHA-256 and record the upload (idempotent, race-safe).

        `validate(path)` may check the complete file before it is stored (see `blobs.put_chunks`).
        """
        blob = blobs.put_chunks(self.settings.uploads_dir, chunks, suffix, name=name, max_bytes=max_bytes,
                                validate=validate)
        return self._record_upload(blob, suffix.lower(), kind)

    def add_upload_file(self, path, kind: str, max_bytes: int | None = None) -> Upload:
        """Store a copy of a file and record it."""
        p = Path(path)
        blob = blobs.put_file(self.settings.uploads_dir, p, max_bytes=max_bytes)
        return self._record_upload(blob, p.suffix.lower(), kind)

    def _record_upload(self, blob: blobs.StoredBlob, suffix: str, kind: str) -> Upload:
        for _ in range(3):
            with self.session() as s:
                found = s.get(Upload, blob.sha256)
                if found is not None:
                    return found
                up = Upload(sha256=blob.sha256, size_bytes=blob.size_bytes, suffix=suffix, kind=kind)
                s.add(up)
                try:
                    s.commit()
                    return up
                except IntegrityError:  # a concurrent upload of the same bytes won the race
                    s.rollback()
        raise LiftriskError(f"could not record upload {blob.sha256}")

    def upload_path(self, upload: Upload) -> Path:
        """Path of a stored upload."""
        return blobs.blob_path(self.settings.uploads_dir, upload.sha256, upload.suffix)

    # ------------------------------------------------------------------ codes
    @staticmethod
    def _get_or_create(s: Session, model, **keys):
        obj = s.scalars(select(model).filter_by(**keys)).first()
        if obj is None:
            obj = model(**keys)
            try:
                with s.begin_nested():
                    s.add(obj)
            except IntegrityError:
                obj = s.scalars(select(model).filter_by(**keys)).one()
        return obj

    def _resolve(self, s: Session, job: str | None, task: str | None, worker: str | None):
        task_obj = worker_obj = None
        if task and not job:
            job = "default"
        if job:
            job_obj = self._get_or_create(s, Job, code=check_code("job", job))
            task_obj = self._get_or_create(s, Task, job_id=job_obj.id, code=check_code("task", task or "default"))
        if worker:
            worker_obj = self._get_or_create(s, Worker, code=check_code("worker", worker))
        return task_obj, worker_obj

    # ------------------------------------------------------------------ life cycle
    def create_assessment(self, upload_sha256: str, input_name: str, subject: Subject,
                          box_mass_kg: float | None = None, job: str | None = None,
                          task: str | None = None, worker: str | None = None, label: str = "",
                          settings: AssessmentSettings | None = None,
                          lab_files: Iterable[tuple[str, str, str]] = (), lab_options: dict | None = None) -> int:
        """Queue an assessment of a stored upload with its settings (default
        `AssessmentSettings()`) and its lab files; returns its id.

        `lab_files` are ``(role, upload_sha256, input_name)`` of stored uploads, role one of
        `LAB_ROLES`; the insole CSVs in their order (left or both feet, then right). They are
        recorded with the assessment in the same transaction; `lab_options` (the C3D plate
        options and Plug-in Gait measurements, `liftrisk.io.LabInputs` keywords) with it.
        """
        if not isinstance(subject, Subject):
            raise LiftriskError(f"subject is {type(subject).__name__}; expected liftrisk.core.Subject")
        lab_rows, positions = [], {}
        for role, sha, name in lab_files:
            if role not in LAB_ROLES:
                raise LiftriskError(f"lab file role {role!r} is not one of {', '.join(LAB_ROLES)}")
            positions[role] = positions.get(role, -1) + 1
            lab_rows.append((role, positions[role], sha, str(name)[:200]))
        with self.session() as s, s.begin():
            for sha in {upload_sha256} | {row[2] for row in lab_rows}:
                if s.get(Upload, sha) is None:
                    raise NotFoundError(f"no stored upload {sha}; upload the file first")
            task_obj, worker_obj = self._resolve(s, job, task, worker)
            a = AssessmentRecord(upload_sha256=upload_sha256, input_name=input_name[:200], label=label[:200],
                           status="queued", progress=0.0, stage="queued", sex=subject.sex,
                           mass_kg=subject.mass_kg, height_m=subject.height_m, age_years=subject.age_years,
                           handedness=subject.handedness,
                           box_mass_kg=None if box_mass_kg is None else float(box_mass_kg),
                           settings=(settings or AssessmentSettings()).to_dict(),
                           lab_options=jsonable(lab_options) if lab_options else None,
                           task=task_obj, worker=worker_obj)
            s.add(a)
            s.flush()
            for role, position, sha, name in lab_rows:
                s.add(LabFile(assessment_id=a.id, role=role, position=position, upload_sha256=sha, input_name=name))
            return a.id

    def add_finished(self, upload_sha256: str, input_name: str, subject: Subject, summary: dict,
                     timeseries_csv: str, report_html: str, *, source_key: str, box_mass_kg: float | None = None,
                     job: str | None = None, task: str | None = None, worker: str | None = None,
                     label: str = "", settings: AssessmentSettings | None = None) -> int:
        """Record an assessment computed elsewhere (``liftrisk batch --db``) as done, with its
        result and settings, in ONE transaction; idempotent per `source_key`.

        The row is never ``queued``, so a crash can leave no stray queued row for a server to
        run again, and recording the same `source_key` twice (a batch resumed after a crash)
        returns the existing id.

        Returns
        -------
        int
            The assessment id.
        """
        if not isinstance(subject, Subject):
            raise LiftriskError(f"subject is {type(subject).__name__}; expected liftrisk.core.Subject")
        clean = jsonable(summary)
        json.dumps(clean, allow_nan=False)
        for _ in range(3):
            try:
                with self.session() as s, s.begin():
                    found = s.scalars(select(AssessmentRecord.id)
                                      .where(AssessmentRecord.source_key == source_key)).first()
                    if found is not None:
                        return found
                    if s.get(Upload, upload_sha256) is None:
                        raise NotFoundError(f"no stored upload {upload_sha256}; upload the file first")
                    task_obj, worker_obj = self._resolve(s, job, task, worker)
                    now = utcnow()
                    a = AssessmentRecord(
                        upload_sha256=upload_sha256, input_name=input_name[:200], label=label[:200],
                        status="done", progress=1.0, stage="done", sex=subject.sex, mass_kg=subject.mass_kg,
                        height_m=subject.height_m, age_years=subject.age_years, handedness=subject.handedness,
                        box_mass_kg=None if box_mass_kg is None else float(box_mass_kg), task=task_obj,
                        worker=worker_obj, source_key=source_key, started_at=now, finished_at=now,
                        settings=(settings or AssessmentSettings()).to_dict())
                    s.add(a)
                    s.flush()
                    s.add(Result(assessment_id=a.id, summary=clean, timeseries_csv=timeseries_csv,
                                 report_html=report_html))
                    return a.id
            except IntegrityError:  # recorded concurrently under the same key: find it on the next pass
                continue
        raise LiftriskError(f"could not record the batch item {source_key}")

    def claim(self, assessment_id: int) -> bool:
        """Move a queued assessment to running; False when it is not queued (so only one
        worker ever runs it)."""
        with self.session() as s, s.begin():
            res = s.execute(update(AssessmentRecord)
                            .where(AssessmentRecord.id == assessment_id, AssessmentRecord.status == "queued")
                            .values(status="running", started_at=utcnow(), stage="starting", progress=0.0))
            return res.rowcount == 1

    def set_progress(self, assessment_id: int, fraction: float, stage: str = "") -> None:
        """Record progress (0-1) and the current stage of a running assessment."""
        frac = min(max(float(fraction), 0.0), 1.0) if math.isfinite(fraction) else 0.0
        with self.session() as s, s.begin():
            s.execute(update(AssessmentRecord)
                      .where(AssessmentRecord.id == assessment_id, AssessmentRecord.status == "running")
                      .values(progress=frac, stage=stage[:200]))

    #: media file names an assessment may have (`save_media`)
    MEDIA_NAMES = ("overlay.webm", "stick3d.json")

    def save_media(self, assessment_id: int, files: dict) -> list[Path]:
        """Write an assessment's media files (name -> bytes; names from `MEDIA_NAMES`), each
        atomically (a temporary file, then a rename), before its result is saved.

        Parameters
        ----------
        assessment_id : int
            The assessment.
        files : dict
            File name -> content.

        Returns
        -------
        list of Path
            The files written.
        """
        unknown = sorted(set(files) - set(self.MEDIA_NAMES))
        if unknown:
            raise LiftriskError(f"media {', '.join(unknown)} not one of {', '.join(self.MEDIA_NAMES)}")
        folder = self.settings.media_dir / str(int(assessment_id))
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for name, data in files.items():
            tmp = folder / f".{name}.tmp"
            tmp.write_bytes(bytes(data))
            os.replace(tmp, folder / name)
            out.append(folder / name)
        return out

    def media_path(self, assessment_id: int, name: str) -> Path | None:
        """The stored media file of an assessment, or None.

        Parameters
        ----------
        assessment_id : int
            The assessment.
        name : str
            One of `MEDIA_NAMES`.

        Returns
        -------
        Path or None
        """
        if name not in self.MEDIA_NAMES:
            return None
        p = self.settings.media_dir / str(int(assessment_id)) / name
        return p if p.is_file() else None

    def save_result(self, assessment_id: int, summary: dict, timeseries_csv: str, report_html: str) -> None:
        """Write the outputs and mark the assessment done, in ONE transaction.

        Raises
        ------
        LiftriskError
            When the assessment is not running (e.g. already failed) or an output has the
            wrong type; nothing is written then.
        """
        if not isinstance(summary, dict):
            raise LiftriskError(f"summary is {type(summary).__name__}; expected a dict")
        if not isinstance(timeseries_csv, str) or not isinstance(report_html, str):
            raise LiftriskError("timeseries_csv and report_html must be text")
        clean = jsonable(summary)
        json.dumps(clean, allow_nan=False)
        with self.session() as s, s.begin():
            a = s.scalars(select(AssessmentRecord).where(AssessmentRecord.id == assessment_id)
                          .with_for_update()).first()
            if a is None:
                raise NotFoundError(f"no assessment {assessment_id}")
            if a.status != "running":
                raise LiftriskError(f"assessment {assessment_id} is {a.status}, not running; result not saved")
            s.add(Result(assessment_id=a.id, summary=clean, timeseries_csv=timeseries_csv, report_html=report_html))
            a.status, a.progress, a.stage, a.finished_at, a.error = "done", 1.0, "done", utcnow(), None

    def mark_failed(self, assessment_id: int, message: str, only_running: bool = False) -> bool:
        """Mark a queued or running assessment failed with a message (done ones are kept)."""
        states = ("running",) if only_running else ("queued", "running")
        with self.session() as s, s.begin():
            res = s.execute(update(AssessmentRecord)
                            .where(AssessmentRecord.id == assessment_id, AssessmentRecord.status.in_(states))
                            .values(status="failed", error=str(message)[:MAX_ERROR_CHARS], stage="failed",
                                    finished_at=utcnow()))
            return res.rowcount == 1

    def _lock_path(self, assessment_id: int):
        return self.settings.work_dir / f"job-{int(assessment_id)}.lock"

    @contextmanager
    def job_lease(self, assessment_id: int) -> Iterator[bool]:
        """Hold the job lock of an assessment while its worker runs it.

        Yields True when this process now holds it (no other worker does), False otherwise.
        The lock is released, and its file removed, on leaving the block or when the process
        dies.
        """
        self.settings.work_dir.mkdir(parents=True, exist_ok=True)
        path = self._lock_path(assessment_id)
        fd = _locks.try_lock(path)
        try:
            yield fd is not None
        finally:
            _locks.release(fd, unlink=path)

    def scratch_dir(self, assessment_id: int):
        """A new scratch folder for a running job (removed by the job, or by `sweep` if the job died)."""
        self.settings.work_dir.mkdir(parents=True, exist_ok=True)
        return tempfile.mkdtemp(prefix=f"job-{int(assessment_id)}-", dir=self.settings.work_dir)

    def recover_interrupted(self, wait_s: float = 0.0) -> list[int]:
        """Reconcile after a (re)start: mark failed the ``running`` assessments whose worker is
        gone; return the queued ids (to be submitted again).

        Parameters
        ----------
        wait_s : float
            How long to wait for workers of a killed server to notice and exit (they check
            for their parent twice a second) before leaving their assessments running.
        """
        deadline = time.monotonic() + wait_s
        while True:
            with self.session() as s:
                running = list(s.scalars(select(AssessmentRecord.id).where(AssessmentRecord.status == "running")))
            alive = [aid for aid in running if not self._reconcile_one(aid)]
            if not alive or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        self.sweep()
        with self.session() as s:
            return list(s.scalars(select(AssessmentRecord.id).where(AssessmentRecord.status == "queued")
                                  .order_by(AssessmentRecord.id)))

    def _reconcile_one(self, assessment_id: int) -> bool:
        """Mark a running assessment failed if its worker is gone; False while a worker holds it."""
        with self.job_lease(assessment_id) as mine:
            if not mine:
                return False
            self.mark_failed(assessment_id, INTERRUPTED, only_running=True)
            return True

    def sweep(self) -> list:
        """Remove what killed processes left: ``.incoming-*`` upload files and the scratch
        folders of jobs that no worker holds; returns the removed paths."""
        removed = list(blobs.sweep_incoming(self.settings.uploads_dir))
        work = self.settings.work_dir
        if work.is_dir():
            for d in sorted(work.glob("job-*-*")):
                aid = d.name.split("-")[1]
                if d.is_dir() and aid.isdigit():
                    with self.job_lease(int(aid)) as mine:
                        if mine:
                            shutil.rmtree(d, ignore_errors=True)
                            removed.append(d)
        return removed

    # ------------------------------------------------------------------ queries
    def get(self, assessment_id: int) -> AssessmentRecord:
        """An assessment with its task, job, worker and upload loaded."""
        _check_id(assessment_id)
        with self.session() as s:
            a = s.scalars(select(AssessmentRecord).where(AssessmentRecord.id == assessment_id)
                          .options(selectinload(AssessmentRecord.task).selectinload(Task.job),
                                   selectinload(AssessmentRecord.worker),
                                   selectinload(AssessmentRecord.upload),
                                   selectinload(AssessmentRecord.lab_files).selectinload(LabFile.upload))).first()
            if a is None:
                raise NotFoundError(f"no assessment {assessment_id}")
            return a

    def get_result(self, assessment_id: int) -> Result:
        """The result of a done assessment."""
        _check_id(assessment_id)
        with self.session() as s:
            r = s.scalars(select(Result).where(Result.assessment_id == assessment_id)).first()
            if r is None:
                raise NotFoundError(f"assessment {assessment_id} has no result (not finished, or failed)")
            return r

    def subject_of(self, a: AssessmentRecord) -> Subject:
        """The Subject an assessment was queued with."""
        return Subject(a.sex, a.mass_kg, a.height_m, a.age_years, a.handedness)

    def list_assessments(self, job: str | None = None, task: str | None = None, worker: str | None = None,
                         status: str | None = None, limit: int = 200) -> list[AssessmentRecord]:
        """Assessments, newest first, filtered by job/task/worker code and status."""
        q = (select(AssessmentRecord).outerjoin(AssessmentRecord.task).outerjoin(Task.job)
             .outerjoin(AssessmentRecord.worker)
             .options(selectinload(AssessmentRecord.task).selectinload(Task.job), selectinload(AssessmentRecord.worker))
             .order_by(AssessmentRecord.id.desc()).limit(limit))
        if job:
            q = q.where(Job.code == job)
        if task:
            q = q.where(Task.code == task)
        if worker:
            q = q.where(Worker.code == worker)
        if status:
            q = q.where(AssessmentRecord.status == status)
        with self.session() as s:
            return list(s.scalars(q))

    def codes(self) -> dict[str, list[str]]:
        """Known job, task and worker codes (for filter menus)."""
        with self.session() as s:
            return {"job": list(s.scalars(select(Job.code).order_by(Job.code))),
                    "task": sorted(set(s.scalars(select(Task.code)))),
                    "worker": list(s.scalars(select(Worker.code).order_by(Worker.code)))}

    def counts(self) -> dict[str, int]:
        """Number of assessments per status."""
        with self.session() as s:
            rows = s.execute(select(AssessmentRecord.status, func.count()).group_by(AssessmentRecord.status)).all()
        return {st: 0 for st in ("queued", "running", "done", "failed")} | {k: int(v) for k, v in rows}


__all__ = ["AssessmentStore", "NotFoundError", "jsonable", "MAX_ID"]
