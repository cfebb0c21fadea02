"""The liftrisk web app: FastAPI with server-rendered (Jinja2) pages.

Pages: upload form (``/``), an assessment with live progress, its interactive plots and
report (``/assessments/{id}``), the list of past assessments filtered by job/task/worker
(``/assessments``), a before/after comparison (``/compare?a=..&b=..``) and downloads (CSV,
HTML report, JSON summary). JSON API under ``/api``. Uploads are checked (size, extension,
declared MIME type, first bytes, subject data) before anything is stored; assessments run
in the worker pool (`liftrisk.web._pool`), never inside a request.

The routes live in ``liftrisk/web/_routes`` (one router per area); this module assembles
them with the middleware (security headers, Host allow-list, body size limit, same-origin
posts, access token) and the error pages.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from liftrisk import __version__
from liftrisk.errors import LiftriskError
from liftrisk.store import AssessmentStore
from liftrisk.web._common import HERE, make_templates, page, status_of, wants_json
from liftrisk.web._middleware import BodySizeLimit, HostAllowList, SameOriginPosts, SecurityHeaders, TokenAuth
from liftrisk.web._pool import JobPool
from liftrisk.web._routes import api, auth, downloads, pages, upload
from liftrisk.web.jobs import router as jobs_router
from liftrisk.web.settings import WebSettings


@asynccontextmanager
async def _lifespan(app: FastAPI):
    settings: WebSettings = app.state.settings
    store = AssessmentStore(settings.store)
    pool = JobPool(settings, store)
    app.state.store, app.state.pool = store, pool
    try:
        pool.start()  # clean leftovers, reconcile interrupted jobs, resubmit queued ones
        yield
    finally:
        pool.shutdown(wait=True)
        store.close()


async def _liftrisk_error(request: Request, exc: LiftriskError):
    code = status_of(exc)
    if wants_json(request):
        return JSONResponse({"detail": str(exc)}, status_code=code)
    return page(request, "error.html", code, message=str(exc), code=code)


async def _http_error(request: Request, exc: StarletteHTTPException):
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return page(request, "error.html", exc.status_code, message=str(exc.detail), code=exc.status_code)


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
    # no Swagger/ReDoc pages: they load scripts from a CDN; the schema is at /api/openapi.json
    app = FastAPI(title="liftrisk", version=__version__, lifespan=_lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.templates = make_templates(settings)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # the last added is the outermost: headers on every response, then the Host check first
    app.add_middleware(TokenAuth, token=settings.token, max_age_s=settings.session_max_age_s)
    app.add_middleware(SameOriginPosts)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(HostAllowList, hosts=settings.hosts)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(LiftriskError, _liftrisk_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for module in (upload, pages, auth, downloads, api):
        app.include_router(module.router)
    app.include_router(jobs_router)  # /jobs pages (liftrisk.web.jobs)
    return app


__all__ = ["create_app"]
