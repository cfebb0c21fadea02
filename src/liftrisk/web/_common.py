"""Helpers shared by the routers of the web app: the store and templates of the running
app, HTML pages, error status codes, number parsing and safe redirect targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from liftrisk import __version__
from liftrisk.errors import DataQualityError, SubjectError, UnknownFormatError
from liftrisk.store import AssessmentStore, NotFoundError
from liftrisk.store.blobs import UploadTooLarge
from liftrisk.store.models import STATUSES
from liftrisk.web.settings import WebSettings
from liftrisk.web.uploads import ALLOWED_SUFFIXES, LAB_LABELS, LAB_OPTION_LABELS, LAB_SUFFIXES

HERE = Path(__file__).resolve().parent


def make_templates(settings: WebSettings) -> Jinja2Templates:
    """The Jinja2 templates with the app's filters and globals."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["fmt"] = fmt
    templates.env.globals.update(version=__version__, allowed=", ".join(ALLOWED_SUFFIXES),
                                 max_mb=f"{settings.max_upload_mb:g}", statuses=STATUSES, lab_labels=LAB_LABELS,
                                 lab_option_labels=LAB_OPTION_LABELS,
                                 lab_accept={k: ", ".join(v) for k, v in LAB_SUFFIXES.items()})
    return templates


def store_of(request: Request) -> AssessmentStore:
    """The assessment store of the running app."""
    return request.app.state.store


def settings_of(request: Request) -> WebSettings:
    """The settings of the running app."""
    return request.app.state.settings


def page(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
    """Render a template."""
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status_code)


def wants_json(request: Request) -> bool:
    """API paths and clients that do not ask for HTML get JSON errors."""
    return request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "")


def status_of(exc: Exception) -> int:
    """HTTP status of a liftrisk error."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UploadTooLarge):
        return 413
    if isinstance(exc, UnknownFormatError):
        return 415
    if isinstance(exc, SubjectError | DataQualityError):
        return 422
    return 400


def fmt(value) -> str:
    """A value for a table cell (floats to 4 significant digits, None as a dash)."""
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def iso_utc(t) -> str | None:
    """ISO 8601 in UTC (SQLite returns naive datetimes; they were stored as UTC)."""
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).isoformat(timespec="seconds")


def script_json(text: str) -> str:
    """JSON safe to embed in a <script type="application/json"> element."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def local_target(path: str) -> str:
    """Only same-site redirect targets ('/...' but not '//host', no backslash or control
    characters).

    Examples
    --------
    >>> local_target("/assessments?worker=W1"), local_target("//evil.example/"), local_target("/a\\r\\nb")
    ('/assessments?worker=W1', '/', '/')
    """
    ok = (path.startswith("/") and not path.startswith("//") and "\\" not in path
          and not any(ord(c) < 32 or ord(c) == 127 for c in path))
    return path if ok else "/"


def lab_files_json(a) -> list[dict]:
    """The lab files of an assessment (loaded by `AssessmentStore.get`): role, the user's
    file name, SHA-256 and size (bytes)."""
    return [{"role": f.role, "name": f.input_name, "sha256": f.upload_sha256, "size_bytes": f.upload.size_bytes}
            for f in a.lab_files]


def lab_options_json(a) -> dict:
    """The C3D plate options and Plug-in Gait measurements (mm) given with an assessment."""
    return dict(a.lab_options or {})


def status_json(a) -> dict:
    """The JSON status of an assessment row."""
    return {"id": a.id, "status": a.status, "progress": round(a.progress, 3), "stage": a.stage, "error": a.error,
            "input_name": a.input_name, "label": a.label,
            "job": a.task.job.code if a.task else None, "task": a.task.code if a.task else None,
            "worker": a.worker.code if a.worker else None,
            "created_at": iso_utc(a.created_at), "finished_at": iso_utc(a.finished_at)}
