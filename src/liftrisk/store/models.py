"""SQLAlchemy 2 models of the assessment database.

Tables: ``jobs`` (a workplace job), ``tasks`` (a task of a job), ``workers``
(pseudonymous codes only: the database never holds a worker's name), ``uploads``
(recordings stored under their SHA-256), ``assessments`` (one run of the pipeline on one
upload, with the subject data it used and its status) and ``results`` (summary JSON,
time-series CSV and HTML report of a finished assessment, written in one transaction).

The schema is created and changed only by the Alembic migrations in
``liftrisk/store/migrations`` (``liftrisk db upgrade``); a test checks that the
migrations produce exactly these models.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from liftrisk.errors import LiftriskError

STATUSES = ("queued", "running", "done", "failed")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
#: job and task names are ordinary words ("Packing line", "Étiquetage"): jobs and tasks are
#: not people; only the worker field must stay a pseudonymous code (`CODE_PATTERN`)
NAME_PATTERN = re.compile(r"^[^\W_][\w .,&()'+\-]{0,39}$")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Current time, timezone-aware UTC.

    Returns
    -------
    datetime.datetime
        Now, with ``tzinfo=UTC``.
    """
    return dt.datetime.now(dt.UTC)


def check_code(kind: str, code: str) -> str:
    """Validate a job/task name or a worker code.

    A worker code is letters, digits, ``_ . -`` (no spaces, so no names: workers stay
    pseudonymous); a job or task name may be ordinary words with spaces and accents
    (1-40 characters, starting with a letter or digit).

    Parameters
    ----------
    kind : str
        What the code names (``"job"``, ``"task"``, ``"worker"``), for the message.
    code : str
        The code or name.

    Returns
    -------
    str
        The code, stripped; an invalid one raises a clear error.

    Examples
    --------
    >>> check_code("worker", "W-017"), check_code("job", " Packing line "), check_code("task", "Étiquetage")
    ('W-017', 'Packing line', 'Étiquetage')
    """
    code = str(code).strip()
    if kind in ("job", "task"):
        if not NAME_PATTERN.match(code):
            raise LiftriskError(
                f"{kind} name {code!r} is not valid; expected 1-40 letters, digits, spaces or . , & ( ) ' + - "
                f"starting with a letter or digit")
        return code
    if not CODE_PATTERN.match(code):
        raise LiftriskError(
            f"{kind} code {code!r} is not valid; expected 1-40 letters, digits, '_', '.' or '-' "
            f"starting with a letter or digit (use a pseudonymous code such as 'W017', never a name)")
    return code


class Base(DeclarativeBase):
    """Declarative base with a naming convention (stable constraint names for migrations)."""

    metadata = MetaData(naming_convention=NAMING)


class Job(Base):
    """A workplace job (e.g. 'warehouse-picking')."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tasks: Mapped[list[Task]] = relationship(back_populates="job")


class Task(Base):
    """A task within a job (e.g. 'pallet-to-shelf')."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("job_id", "code", name="uq_tasks_job_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    job: Mapped[Job] = relationship(back_populates="tasks")


class Worker(Base):
    """A worker, identified by a pseudonymous code only (no name, no contact data)."""

    __tablename__ = "workers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Upload(Base):
    """A recording stored in the upload folder under its SHA-256 (never overwritten)."""

    __tablename__ = "uploads"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    suffix: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AssessmentRecord(Base):
    """One run of the assessment pipeline on one upload.

    Subject data are stored as given (SI units): sex, body mass (kg), height (m), age
    (years), handedness, and the mass of the box in the hands (kg); ``settings`` holds the
    assessment settings it is run with (NIOSH task, filter cut-off, ...).
    """

    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True, nullable=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), index=True, nullable=True)
    upload_sha256: Mapped[str] = mapped_column(ForeignKey("uploads.sha256"), index=True)
    input_name: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str] = mapped_column(String(200), default="queued")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sex: Mapped[str] = mapped_column(String(8))
    mass_kg: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    handedness: Mapped[str] = mapped_column(String(8), default="right")
    box_mass_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: identity of the work when recorded by `liftrisk batch --db` (file content + parameters)
    source_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)
    #: `liftrisk.core.settings.AssessmentSettings` of the run, as a dict (None: made before 0003)
    settings: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: C3D plate options and Plug-in Gait measurements (mm) given with the upload
    #: (`liftrisk.io.LabInputs` keywords; None: none given, or made before 0005)
    lab_options: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    task: Mapped[Task | None] = relationship()
    worker: Mapped[Worker | None] = relationship()
    upload: Mapped[Upload] = relationship()
    result: Mapped[Result | None] = relationship(back_populates="assessment", uselist=False)
    lab_files: Mapped[list[LabFile]] = relationship(order_by="(LabFile.role, LabFile.position)")


#: the roles of an assessment's lab files (`liftrisk.io.LAB_FILES`)
LAB_ROLES = ("static", "plates", "plates_spec", "insoles", "insole_spec")


class LabFile(Base):
    """A lab file uploaded with a recording (static trial, force-plate CSV or its TOML,
    insole CSV or its TOML), stored like the recording under its SHA-256 (`Upload`); the
    user's (sanitised) file name is kept as its label. ``position`` orders the insole CSVs
    (0 left or both feet, 1 right); every other role has one file at position 0."""

    __tablename__ = "assessment_lab_files"
    __table_args__ = (UniqueConstraint("assessment_id", "role", "position", name="uq_lab_files_role"),
                      CheckConstraint("role IN ('static', 'plates', 'plates_spec', 'insoles', 'insole_spec')",
                                      name="role"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    upload_sha256: Mapped[str] = mapped_column(ForeignKey("uploads.sha256"), index=True)
    input_name: Mapped[str] = mapped_column(String(200))
    upload: Mapped[Upload] = relationship()


class Result(Base):
    """Outputs of a finished assessment (present only when its status is 'done')."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    summary: Mapped[dict] = mapped_column(JSON)
    timeseries_csv: Mapped[str] = mapped_column(Text)
    report_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assessment: Mapped[AssessmentRecord] = relationship(back_populates="result")


__all__ = ["Base", "Job", "Task", "Worker", "Upload", "AssessmentRecord", "Result", "LabFile", "LAB_ROLES", "STATUSES",
           "check_code", "utcnow"]
