"""The liftrisk web app: FastAPI with server-rendered (Jinja2) pages.

Pages: upload form (``/``), an assessment with live progress, its interactive plots and
report (``/assessments/{id}``), the list of past assessments filtered by job/task/worker
(``/assessments``), a before/after comparison (``/compare?a=..&b=..``) and downloads (CSV,
HTML report, JSON summary). JSON API under ``/api``. Uploads are checked (size, extension,
declared MIME type, first bytes, subject data) before anything is stored; assessments run
in the worker pool (`liftrisk.web.pool`), never inside a request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import plotly
from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from liftrisk import __version__
from liftrisk.core.loads import HandLoad
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, LiftriskError, SubjectError, UnknownFormatError
from liftrisk.store.assessments import AssessmentStore, NotFoundError
from liftrisk.store.blobs import UploadTooLarge
from liftrisk.store.models import STATUSES, check_code
from liftrisk.web import plots
from liftrisk.web.jobs import router as jobs_router
from liftrisk.web.middleware import TOKEN_COOKIE, BodySizeLimit, SameOriginPosts, TokenAuth, session_value
from liftrisk.web.pool import JobPool
from liftrisk.web.settings import WebSettings
from liftrisk.web.uploads import ALLOWED_SUFFIXES, check_content, check_name_and_type, probe_video_file

HERE = Path(__file__).resolve().parent
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
HEAD_BYTES = 65536
log = logging.getLogger(__name__)


def _status_of(exc: Exception) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UploadTooLarge):
        return 413
    if isinstance(exc, UnknownFormatError):
        return 415
    if isinstance(exc, SubjectError | DataQualityError):
        return 422
    return 400


def _fmt(value) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings : WebSettings, optional
        Default: from the environment (`WebSettings.from_env`).

    Examples
    --------
    >>> app = create_app(WebSettings.from_env(environ={"LIFTRISK_DATA_DIR": "/tmp/lr-doc"}))
    >>> app.title
    'liftrisk'
    """
    settings = settings or WebSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store = AssessmentStore(settings.store)
        pool = JobPool(settings, store)
        app.state.store, app.state.pool = store, pool
        for aid in store.recover_interrupted():
            pool.submit(aid)
        try:
            yield
        finally:
            pool.shutdown(wait=True)
            store.close()

    # no Swagger/ReDoc pages: they load scripts from a CDN; the schema is at /api/openapi.json
    app = FastAPI(title="liftrisk", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["fmt"] = _fmt
    templates.env.globals.update(version=__version__, allowed=", ".join(ALLOWED_SUFFIXES),
                                 max_mb=f"{settings.max_upload_mb:g}", statuses=STATUSES)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(TokenAuth, token=settings.token)
    app.add_middleware(SameOriginPosts)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.include_router(jobs_router)  # /jobs pages (liftrisk.web.jobs)

    def store_of(request: Request) -> AssessmentStore:
        return request.app.state.store

    def page(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status_code)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", "")

    @app.exception_handler(LiftriskError)
    async def liftrisk_error(request: Request, exc: LiftriskError):
        code = _status_of(exc)
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=code)
        return page(request, "error.html", code, message=str(exc), code=code)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, "error.html", exc.status_code, message=str(exc.detail), code=exc.status_code)

    # ------------------------------------------------------------------ upload
    async def accept_upload(request: Request, file: UploadFile, sex: str, mass_kg: str, height_m: str,
                            age_years: str, handedness: str, box_mass_kg: str, job: str, task: str,
                            worker: str, label: str) -> int:
        """Validate everything, then store the file and queue the assessment; returns its id."""
        name, suffix, kind = check_name_and_type(file.filename or "", file.content_type)
        subject = Subject(sex, _num("mass_kg", mass_kg), _num("height_m", height_m),
                          _num("age_years", age_years, optional=True), handedness or "right")
        box = _num("box_mass_kg", box_mass_kg, optional=True)
        if box is not None:
            HandLoad(box_mass_kg=box)  # validates 0-200 kg
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
        from starlette.concurrency import run_in_threadpool

        def chunks():
            f = file.file
            f.seek(0)
            while chunk := f.read(1 << 20):
                yield chunk

        validate = probe_video_file(name) if kind == "video" else None
        up = await run_in_threadpool(store.add_upload, chunks(), suffix, kind, name, settings.max_upload_bytes,
                                     validate)
        aid = await run_in_threadpool(store.create_assessment, up.sha256, name, subject, box, job or None,
                                      task or None, worker or None, label.strip())
        request.app.state.pool.submit(aid)
        return aid

    form_fields = dict(
        sex=Form("male"), mass_kg=Form(""), height_m=Form(""), age_years=Form(""), handedness=Form("right"),
        box_mass_kg=Form(""), job=Form(""), task=Form(""), worker=Form(""), label=Form(""))

    @app.post("/api/assessments", status_code=201)
    async def api_create(request: Request, file: Annotated[UploadFile, File()],
                         sex: str = form_fields["sex"], mass_kg: str = form_fields["mass_kg"],
                         height_m: str = form_fields["height_m"], age_years: str = form_fields["age_years"],
                         handedness: str = form_fields["handedness"], box_mass_kg: str = form_fields["box_mass_kg"],
                         job: str = form_fields["job"], task: str = form_fields["task"],
                         worker: str = form_fields["worker"], label: str = form_fields["label"]):
        """Upload a recording with subject data; returns the queued assessment."""
        aid = await accept_upload(request, file, sex, mass_kg, height_m, age_years, handedness, box_mass_kg,
                                  job, task, worker, label)
        return {"id": aid, "status": "queued", "status_url": f"/api/assessments/{aid}",
                "page_url": f"/assessments/{aid}"}

    @app.post("/assessments")
    async def form_create(request: Request, file: Annotated[UploadFile, File()],
                          sex: str = form_fields["sex"], mass_kg: str = form_fields["mass_kg"],
                          height_m: str = form_fields["height_m"], age_years: str = form_fields["age_years"],
                          handedness: str = form_fields["handedness"], box_mass_kg: str = form_fields["box_mass_kg"],
                          job: str = form_fields["job"], task: str = form_fields["task"],
                          worker: str = form_fields["worker"], label: str = form_fields["label"]):
        """The HTML upload form: redirect to the new assessment, or show the form with the error."""
        values = dict(sex=sex, mass_kg=mass_kg, height_m=height_m, age_years=age_years, handedness=handedness,
                      box_mass_kg=box_mass_kg, job=job, task=task, worker=worker, label=label)
        try:
            aid = await accept_upload(request, file, **values)
        except LiftriskError as exc:
            return page(request, "index.html", _status_of(exc), error=str(exc), form=values,
                        recent=store_of(request).list_assessments(limit=10))
        return RedirectResponse(f"/assessments/{aid}", status_code=303)

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        return page(request, "index.html", form={}, recent=store_of(request).list_assessments(limit=10))

    @app.get("/assessments", response_class=HTMLResponse)
    async def list_page(request: Request, job: str = "", task: str = "", worker: str = "", status: str = ""):
        store = store_of(request)
        rows = store.list_assessments(job=job or None, task=task or None, worker=worker or None,
                                      status=status or None, limit=500)
        return page(request, "list.html", rows=rows, codes=store.codes(),
                    filters=dict(job=job, task=task, worker=worker, status=status))

    @app.get("/assessments/{aid}", response_class=HTMLResponse)
    async def assessment_page(request: Request, aid: int):
        store = store_of(request)
        a = store.get(aid)
        figures, summary, findings, lifts, warnings = [], {}, [], [], []
        if a.status == "done":
            r = store.get_result(aid)
            rest = dict(r.summary)
            findings = [str(f) for f in rest.pop("findings", []) or []]
            warnings = [str(w) for w in rest.pop("warnings", []) or []]
            lifts = [x for x in rest.pop("lifts", []) or [] if isinstance(x, dict)]
            summary = plots.flatten_summary(rest)
            try:
                figures = plots.timeseries_figures(r.timeseries_csv)
            except (LiftriskError, ValueError) as exc:
                log.warning("assessment %s: time series not plotted: %s", aid, exc)
        return page(request, "assessment.html", a=a, summary=summary, findings=findings, warnings=warnings,
                    lifts=lifts, figures=[_script_json(f) for f in figures])

    @app.get("/compare", response_class=HTMLResponse)
    async def compare_page(request: Request, a: int | None = None, b: int | None = None,
                           pick: Annotated[list[int] | None, Query()] = None):
        if (a is None or b is None) and pick and len(pick) == 2:
            a, b = sorted(pick)  # the older assessment is A ("before")
        if a is None or b is None:
            raise LiftriskError("choose two assessments to compare: /compare?a=ID&b=ID (tick exactly two)")
        store = store_of(request)
        ra, rb = store.get_result(a), store.get_result(b)
        figs = plots.comparison_figures(ra.timeseries_csv, rb.timeseries_csv, f"#{a}", f"#{b}")
        return page(request, "compare.html", a=store.get(a), b=store.get(b),
                    rows=plots.compare_summaries(ra.summary, rb.summary), figures=[_script_json(f) for f in figs],
                    findings_a=[str(f) for f in ra.summary.get("findings", []) or []],
                    findings_b=[str(f) for f in rb.summary.get("findings", []) or []])

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request, next: str = "/", token: str = ""):
        if token:
            return _login(request, token, next)
        return page(request, "login.html", next=_local(next), error="")

    @app.post("/login")
    async def login_post(request: Request, token: str = Form(""), next: str = Form("/")):
        return _login(request, token, next)

    def _login(request: Request, token: str, nxt: str):
        if not settings.token:
            return RedirectResponse(_local(nxt), status_code=303)
        if not secrets.compare_digest(token.encode(), settings.token.encode()):
            return page(request, "login.html", 401, next=_local(nxt), error="wrong token")
        resp = RedirectResponse(_local(nxt), status_code=303)
        resp.set_cookie(TOKEN_COOKIE, session_value(settings.token), httponly=True, samesite="strict")
        return resp

    # ------------------------------------------------------------------ downloads
    def _download(data: str, media: str, filename: str, attach: bool) -> Response:
        disp = "attachment" if attach else "inline"
        return Response(data, media_type=media, headers={"content-disposition": f'{disp}; filename="{filename}"'})

    @app.get("/assessments/{aid}/timeseries.csv")
    async def download_csv(request: Request, aid: int):
        r = store_of(request).get_result(aid)
        return _download(r.timeseries_csv, "text/csv; charset=utf-8", f"liftrisk-{aid}-timeseries.csv", True)

    @app.get("/assessments/{aid}/report.html")
    async def download_report(request: Request, aid: int, download: bool = False):
        r = store_of(request).get_result(aid)
        resp = _download(r.report_html, "text/html; charset=utf-8", f"liftrisk-{aid}-report.html", download)
        # the report runs its own scripts in an isolated origin: it can never reach the session cookie
        resp.headers["content-security-policy"] = "sandbox allow-scripts allow-popups allow-downloads"
        return resp

    @app.get("/assessments/{aid}/summary.json")
    async def download_summary(request: Request, aid: int):
        r = store_of(request).get_result(aid)
        return _download(json.dumps(r.summary, indent=2), "application/json", f"liftrisk-{aid}-summary.json", True)

    # ------------------------------------------------------------------ JSON API
    @app.get("/api/assessments/{aid}")
    async def api_status(request: Request, aid: int):
        """Status and progress of one assessment (poll this)."""
        return _status_json(store_of(request).get(aid))

    @app.get("/api/assessments")
    async def api_list(request: Request, job: str = "", task: str = "", worker: str = "", status: str = "",
                       limit: int = Query(100, ge=1, le=1000)):
        rows = store_of(request).list_assessments(job=job or None, task=task or None, worker=worker or None,
                                                  status=status or None, limit=limit)
        return [_status_json(a) for a in rows]

    @app.get("/api/assessments/{aid}/summary")
    async def api_summary(request: Request, aid: int):
        return store_of(request).get_result(aid).summary

    @app.get("/vendor/plotly.min.js")
    async def plotly_js():
        return FileResponse(PLOTLY_JS, media_type="application/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    @app.get("/healthz")
    async def healthz(request: Request):
        return {"ok": True, "version": __version__, "counts": store_of(request).counts(),
                "pending": request.app.state.pool.pending()}

    return app


def _status_json(a) -> dict:
    return {"id": a.id, "status": a.status, "progress": round(a.progress, 3), "stage": a.stage, "error": a.error,
            "input_name": a.input_name, "label": a.label,
            "job": a.task.job.code if a.task else None, "task": a.task.code if a.task else None,
            "worker": a.worker.code if a.worker else None,
            "created_at": _iso_utc(a.created_at), "finished_at": _iso_utc(a.finished_at)}


def _iso_utc(t) -> str | None:
    """ISO 8601 in UTC (SQLite returns naive datetimes; they were stored as UTC)."""
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).isoformat(timespec="seconds")


def _script_json(text: str) -> str:
    """JSON safe to embed in a <script type="application/json"> element."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _local(path: str) -> str:
    """Only same-site redirect targets ('/...' but not '//host')."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _num(name: str, value: str, optional: bool = False) -> float | None:
    text = (value or "").strip().replace(",", ".")
    if not text:
        if optional:
            return None
        raise SubjectError(f"{name} is missing; expected a number")
    try:
        return float(text)
    except ValueError:
        raise SubjectError(f"{name} is {value!r}; expected a number") from None


__all__ = ["create_app"]
