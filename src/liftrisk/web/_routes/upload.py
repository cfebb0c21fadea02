"""Uploading a recording: the JSON API (``POST /api/assessments``) and the HTML form
(``POST /assessments``). Everything is validated before anything is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from liftrisk.batch.manifest import lab_files_problem, lab_options
from liftrisk.core.limits import check
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.io import MOTION_SUFFIXES
from liftrisk.store.blobs import UploadTooLarge
from liftrisk.store.models import check_code
from liftrisk.web._common import page, settings_of, status_of, store_of
from liftrisk.web.task_settings import upload_settings
from liftrisk.web.uploads import (
    LAB_LABELS,
    LAB_OPTION_LABELS,
    check_content,
    check_lab_name_and_type,
    check_lab_spec,
    check_name_and_type,
    probe_video_file,
)

HEAD_BYTES = 65536
router = APIRouter()


def _given(files) -> list[UploadFile]:
    """The files a form field really holds (a browser sends an empty part for an empty field)."""
    out = []
    for f in files or ():
        if isinstance(f, str) or f is None:
            continue
        if not (f.filename or "") and not f.size:
            continue
        out.append(f)
    return out


async def _head_checked(f: UploadFile, name: str, suffix: str, max_bytes: int, max_mb: float) -> None:
    """Size limit and first bytes of one file of the upload (before anything is stored)."""
    head = await f.read(HEAD_BYTES)
    size = f.size if f.size is not None else len(head)
    if size > max_bytes:
        raise UploadTooLarge(name, f"the upload is larger than the limit of {max_mb:g} MB",
                             fix="send a shorter recording")
    check_content(name, suffix, head, size)
    await f.seek(0)


def _chunks(f: UploadFile):
    f.file.seek(0)
    while chunk := f.file.read(1 << 20):
        yield chunk


def check_lab_options(recording: str, options: dict[str, str], plate_table: bool) -> dict:
    """The C3D plate options and Plug-in Gait measurements of the form, checked by the
    manifest's rule (`liftrisk.batch.manifest.lab_options`); only those given."""
    cells = dict(options)
    cells["object_plates"] = str(cells.get("object_plates") or "").replace(",", ";")  # "1, 2" as well as "1;2"
    values, problem = lab_options(cells, recording, plate_table)
    if problem:
        name, text, fix = problem
        raise DataQualityError(f"lab options, field '{name}' ({LAB_OPTION_LABELS[name]}): {text}. Fix: {fix}")
    return {k: v for k, v in values.items() if v not in (False, ())}


async def check_lab_files(recording: str, lab: dict[str, list[UploadFile]], max_bytes: int,
                          max_mb: float) -> list[tuple[str, str, str, UploadFile]]:
    """Check the lab files of an upload before anything is stored: names and types
    (`liftrisk.web.uploads.check_lab_name_and_type`), the set (`liftrisk.batch.manifest.
    lab_files_problem`, as for a manifest row: a table needs its TOML, ...), size and first
    bytes; returns ``(role, safe name, suffix, file)`` in the order of `LAB_LABELS`."""
    given = {role: _given(lab.get(role)) for role in LAB_LABELS}
    checked = [(role, *check_lab_name_and_type(role, f.filename or "", f.content_type), f)
               for role, files in given.items() for f in files]
    problem = lab_files_problem(recording, {role: [name for r, name, _s, _f in checked if r == role]
                                            for role in LAB_LABELS})
    if problem:
        role, text, fix = problem
        raise DataQualityError(f"lab files, field '{role}' ({LAB_LABELS[role]}): {text}. Fix: {fix}")
    for _role, name, suffix, f in checked:
        await _head_checked(f, name, suffix, max_bytes, max_mb)
    return checked


async def accept_upload(request: Request, file: UploadFile, sex: str, mass_kg: str, height_m: str,
                        age_years: str, handedness: str, box_mass_kg: str, job: str, task: str,
                        worker: str, label: str, lab: dict[str, list[UploadFile]] | None = None,
                        options: dict[str, str] | None = None, **task_fields: str) -> int:
    """Validate everything, then store the file and its lab files and queue the assessment
    with its settings (the server's settings file, then the form's NIOSH task fields);
    returns its id."""
    settings = settings_of(request)
    name, suffix, kind = check_name_and_type(file.filename or "", file.content_type)
    run_settings = upload_settings(name, settings.settings_file, **task_fields)
    subject = Subject(sex, check("mass_kg", mass_kg), check("height_m", height_m),
                      check("age_years", age_years, optional=True), handedness or "right")
    box = check("box_mass_kg", box_mass_kg, optional=True)
    for kind_name, code in (("job", job), ("task", task), ("worker", worker)):
        if code:
            check_code(kind_name, code)
    head = await file.read(HEAD_BYTES)
    size = file.size if file.size is not None else len(head)
    if size > settings.max_upload_bytes:
        raise UploadTooLarge(name, f"the upload is larger than the limit of {settings.max_upload_mb:g} MB",
                             fix="send a shorter recording")
    check_content(name, suffix, head, size)
    await file.seek(0)
    lab_checked = await check_lab_files(name, lab or {}, settings.max_upload_bytes, settings.max_upload_mb)
    lab_opts = check_lab_options(name, options or {}, any(c[0] == "plates" for c in lab_checked))
    if lab_opts and Path(name).suffix.lower() not in MOTION_SUFFIXES:
        first = next(iter(lab_opts))
        raise DataQualityError(f"lab options, field '{first}' ({LAB_OPTION_LABELS[first]}): lab inputs go with a "
                               f"motion file, not with the video {name}. Fix: leave the lab fields empty for a video")
    store = store_of(request)
    lab_files = []
    specs_first = sorted(lab_checked, key=lambda c: not c[0].endswith("_spec"))  # (sort is stable)
    for role, lab_name, lab_suffix, f in specs_first:  # a TOML that does not read: refused, nothing stored
        lab_up = await run_in_threadpool(store.add_upload, _chunks(f), lab_suffix, "lab", lab_name,
                                         settings.max_upload_bytes, check_lab_spec(role, lab_name))
        lab_files.append((role, lab_up.sha256, lab_name))
    validate = probe_video_file(name) if kind == "video" else None
    up = await run_in_threadpool(store.add_upload, _chunks(file), suffix, kind, name, settings.max_upload_bytes,
                                 validate)
    aid = await run_in_threadpool(store.create_assessment, up.sha256, name, subject, box, job or None,
                                  task or None, worker or None, label.strip(), run_settings, lab_files, lab_opts)
    request.app.state.pool.submit(aid)
    return aid


class UploadForm:
    """The subject and task fields of an upload (form fields, all text; checked by `accept_upload`).
    The NIOSH task fields (``lifts_per_min``, ``duration_h``, ``coupling``) and ``cutoff_hz``
    override the server's settings file when not empty (`liftrisk.web.task_settings`)."""

    def __init__(self, sex: str = Form("male"), mass_kg: str = Form(""), height_m: str = Form(""),
                 age_years: str = Form(""), handedness: str = Form("right"), box_mass_kg: str = Form(""),
                 job: str = Form(""), task: str = Form(""), worker: str = Form(""), label: str = Form(""),
                 lifts_per_min: str = Form(""), duration_h: str = Form(""), coupling: str = Form(""),
                 cutoff_hz: str = Form("")):
        self.values = dict(sex=sex, mass_kg=mass_kg, height_m=height_m, age_years=age_years,
                           handedness=handedness, box_mass_kg=box_mass_kg, job=job, task=task, worker=worker,
                           label=label, lifts_per_min=lifts_per_min, duration_h=duration_h, coupling=coupling,
                           cutoff_hz=cutoff_hz)


class LabOptions:
    """The C3D plate options and Plug-in Gait measurements of an upload (form fields, text):
    ``plates_under_both_feet`` (``true`` or empty), ``object_plates`` (``2`` or ``1;2``),
    ``leg_length_mm``, ``knee_width_mm``, ``ankle_width_mm``."""

    def __init__(self, plates_under_both_feet: str = Form(""), object_plates: str = Form(""),
                 leg_length_mm: str = Form(""), knee_width_mm: str = Form(""), ankle_width_mm: str = Form("")):
        self.values = dict(plates_under_both_feet=plates_under_both_feet, object_plates=object_plates,
                           leg_length_mm=leg_length_mm, knee_width_mm=knee_width_mm, ankle_width_mm=ankle_width_mm)


class LabFiles:
    """The optional lab files of an upload (multipart file fields; `liftrisk.io.LabInputs`):
    ``static`` (static trial), ``plates`` + ``plates_spec`` (force-plate table and its TOML),
    ``insoles`` (one table with both feet, or two: left then right) + ``insole_spec``."""

    def __init__(self, static: Annotated[list[UploadFile | str] | None, File()] = None,
                 plates: Annotated[list[UploadFile | str] | None, File()] = None,
                 plates_spec: Annotated[list[UploadFile | str] | None, File()] = None,
                 insoles: Annotated[list[UploadFile | str] | None, File()] = None,
                 insole_spec: Annotated[list[UploadFile | str] | None, File()] = None):
        self.files = dict(static=static or [], plates=plates or [], plates_spec=plates_spec or [],
                          insoles=insoles or [], insole_spec=insole_spec or [])


@router.post("/api/assessments", status_code=201)
async def api_create(request: Request, file: Annotated[UploadFile, File()], form: Annotated[UploadForm, Depends()],
                     lab: Annotated[LabFiles, Depends()], options: Annotated[LabOptions, Depends()]):
    """Upload a recording with subject data and its optional lab files and options; returns
    the queued assessment."""
    aid = await accept_upload(request, file, lab=lab.files, options=options.values, **form.values)
    return {"id": aid, "status": "queued", "status_url": f"/api/assessments/{aid}", "page_url": f"/assessments/{aid}"}


@router.post("/assessments")
async def form_create(request: Request, file: Annotated[UploadFile, File()],
                      form: Annotated[UploadForm, Depends()], lab: Annotated[LabFiles, Depends()],
                      options: Annotated[LabOptions, Depends()]):
    """The HTML upload form: redirect to the new assessment, or show the form with the error."""
    try:
        aid = await accept_upload(request, file, lab=lab.files, options=options.values, **form.values)
    except LiftriskError as exc:
        return page(request, "index.html", status_of(exc), error=str(exc), form=form.values | options.values,
                    recent=store_of(request).list_assessments(limit=10))
    return RedirectResponse(f"/assessments/{aid}", status_code=303)
