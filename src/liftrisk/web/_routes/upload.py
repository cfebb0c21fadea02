"""Uploading a recording: the JSON API (``POST /api/assessments``) and the HTML form
(``POST /assessments``). Everything is validated before anything is stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from liftrisk.core.limits import check
from liftrisk.core.subject import Subject
from liftrisk.errors import LiftriskError
from liftrisk.store.blobs import UploadTooLarge
from liftrisk.store.models import check_code
from liftrisk.web._common import page, settings_of, status_of, store_of
from liftrisk.web.task_settings import upload_settings
from liftrisk.web.uploads import check_content, check_name_and_type, probe_video_file

HEAD_BYTES = 65536
router = APIRouter()


async def accept_upload(request: Request, file: UploadFile, sex: str, mass_kg: str, height_m: str,
                        age_years: str, handedness: str, box_mass_kg: str, job: str, task: str,
                        worker: str, label: str, **task_fields: str) -> int:
    """Validate everything, then store the file and queue the assessment with its settings
    (the server's settings file, then the form's NIOSH task fields); returns its id."""
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
    store = store_of(request)

    def chunks():
        f = file.file
        f.seek(0)
        while chunk := f.read(1 << 20):
            yield chunk

    validate = probe_video_file(name) if kind == "video" else None
    up = await run_in_threadpool(store.add_upload, chunks(), suffix, kind, name, settings.max_upload_bytes, validate)
    aid = await run_in_threadpool(store.create_assessment, up.sha256, name, subject, box, job or None,
                                  task or None, worker or None, label.strip(), run_settings)
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


@router.post("/api/assessments", status_code=201)
async def api_create(request: Request, file: Annotated[UploadFile, File()], form: Annotated[UploadForm, Depends()]):
    """Upload a recording with subject data; returns the queued assessment."""
    aid = await accept_upload(request, file, **form.values)
    return {"id": aid, "status": "queued", "status_url": f"/api/assessments/{aid}", "page_url": f"/assessments/{aid}"}


@router.post("/assessments")
async def form_create(request: Request, file: Annotated[UploadFile, File()],
                      form: Annotated[UploadForm, Depends()]):
    """The HTML upload form: redirect to the new assessment, or show the form with the error."""
    try:
        aid = await accept_upload(request, file, **form.values)
    except LiftriskError as exc:
        return page(request, "index.html", status_of(exc), error=str(exc), form=form.values,
                    recent=store_of(request).list_assessments(limit=10))
    return RedirectResponse(f"/assessments/{aid}", status_code=303)
