"""JSON API (status, list, summary), the health check and the bundled Plotly script."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from liftrisk import __version__
from liftrisk.web._common import lab_files_json, lab_options_json, status_json, store_of

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
router = APIRouter()


@router.get("/api/assessments/{aid}")
async def api_status(request: Request, aid: int):
    """Status and progress of one assessment (poll this), with its lab files."""
    a = store_of(request).get(aid)
    return status_json(a) | {"lab_files": lab_files_json(a), "lab_options": lab_options_json(a)}


@router.get("/api/assessments")
async def api_list(request: Request, job: str = "", task: str = "", worker: str = "", status: str = "",
                   limit: int = Query(100, ge=1, le=1000)):
    rows = store_of(request).list_assessments(job=job or None, task=task or None, worker=worker or None,
                                              status=status or None, limit=limit)
    return [status_json(a) for a in rows]


@router.get("/api/assessments/{aid}/summary")
async def api_summary(request: Request, aid: int):
    return store_of(request).get_result(aid).summary


@router.get("/vendor/plotly.min.js")
async def plotly_js():
    return FileResponse(PLOTLY_JS, media_type="application/javascript",
                        headers={"cache-control": "public, max-age=86400"})


@router.get("/healthz")
async def healthz(request: Request):
    return {"ok": True, "version": __version__, "counts": store_of(request).counts(),
            "pending": request.app.state.pool.pending()}
