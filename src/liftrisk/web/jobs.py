"""Job pages of the web app: ``/jobs`` (the database's jobs) and ``/jobs/{code}`` (the job's
finished assessments grouped by task, with the job-level figures of `liftrisk.job`), plus
the standalone job report (``/jobs/{code}/report.html``) and JSON (``/jobs/{code}/job.json``).

Each assessment stores its lifts' measures (``summary["lift_measures"]``, written by
`liftrisk.batch.runner.run_recording`); the task frequency (lifts/min) and time per shift are
query parameters (``f.<task>``, ``h.<task>``; defaults 1/min and the job's ``duration_h``,
default 8 h), so nothing is re-computed from the recordings.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from liftrisk import __version__
from liftrisk.errors import DataQualityError
from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job

router = APIRouter()
_templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
_templates.env.globals.update(version=__version__)


def _float(params, key: str, default: float, lo: float, hi: float) -> float:
    raw = params.get(key)
    if raw in (None, ""):
        return default
    try:
        v = float(raw)
    except ValueError:
        raise DataQualityError(f"{key} is {raw!r}; expected a number") from None
    if not (lo <= v <= hi) or not math.isfinite(v):
        raise DataQualityError(f"{key} is {v:g}; expected {lo:g}-{hi:g}")
    return v


def _job_inputs(request: Request, code: str):
    """Group the job's finished assessments by task and build the JobSpec and measures."""
    store = request.app.state.store
    rows = [a for a in store.list_assessments(job=code, status="done", limit=1000)]
    if not rows and not store.list_assessments(job=code, limit=1):
        raise DataQualityError(f"job {code!r} has no assessments; upload recordings with job code {code!r}")
    params = request.query_params
    duration = _float(params, "duration_h", 8.0, 0.01, 24.0)
    by_task: dict[str, list] = {}
    stale = []
    for a in sorted(rows, key=lambda x: x.id):
        task = a.task.code if a.task is not None else "(no task)"
        summary = store.get_result(a.id).summary or {}
        if "lift_measures" not in summary:
            stale.append(a.id)
            continue
        by_task.setdefault(task, []).append((a, [LiftMeasure.from_dict(m) for m in summary["lift_measures"]]))
    tasks, measures, worker = [], {}, None
    for name, items in by_task.items():
        worker = worker or store.subject_of(items[0][0])
        loads = [a.box_mass_kg or 0.0 for a, _ in items]
        tasks.append(TaskSpec(name, tuple(a.input_name for a, _ in items), max(loads),
                              _float(params, f"f.{name}", 1.0, 0.0, 30.0),
                              _float(params, f"h.{name}", duration, 0.0, 24.0)))
        measures[name] = [m for _, ms in items for m in ms]
    return rows, tasks, measures, worker, duration, stale


def _evaluate(request: Request, code: str):
    rows, tasks, measures, worker, duration, stale = _job_inputs(request, code)
    if not tasks or not any(measures.values()):
        return rows, tasks, None, stale, duration
    return rows, tasks, evaluate_job(JobSpec(code, duration, worker, tuple(tasks)), measures), stale, duration


@router.get("/jobs", response_class=HTMLResponse)
async def jobs_page(request: Request):
    """HTML list of the jobs in the database."""
    store = request.app.state.store
    jobs = []
    for code in store.codes()["job"]:
        rows = store.list_assessments(job=code, limit=1000)
        jobs.append({"code": code, "n": len(rows), "done": sum(a.status == "done" for a in rows),
                     "tasks": sorted({a.task.code for a in rows if a.task is not None})})
    return _templates.TemplateResponse(request, "jobs.html", {"jobs": jobs})


@router.get("/jobs/{code}", response_class=HTMLResponse)
async def job_page(request: Request, code: str):
    """HTML page of one job: its tasks and job-level figures."""
    rows, tasks, result, stale, duration = _evaluate(request, code)
    query = urlencode(list(request.query_params.multi_items()))
    return _templates.TemplateResponse(request, "job.html", {
        "code": code, "rows": rows, "tasks": tasks, "r": result, "stale": stale, "duration_h": duration,
        "query": ("?" + query) if query else ""})


@router.get("/jobs/{code}/report.html", response_class=HTMLResponse)
async def job_report(request: Request, code: str):
    """The job report (self-contained HTML)."""
    from liftrisk.report.job import render_job_html

    _, _, result, _, _ = _evaluate(request, code)
    if result is None:
        raise DataQualityError(f"job {code!r} has no finished assessment with lift measures yet")
    return HTMLResponse(render_job_html(result, title=f"job {code}"))


@router.get("/jobs/{code}/job.json")
async def job_json(request: Request, code: str):
    """The job's figures as JSON."""
    from liftrisk.store.assessments import jsonable

    _, _, result, stale, _ = _evaluate(request, code)
    if result is None:
        raise DataQualityError(f"job {code!r} has no finished assessment with lift measures yet")
    return JSONResponse(jsonable(result.to_dict() | {"assessments_without_measures": stale}))
