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
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from liftrisk import __version__
from liftrisk.errors import DataQualityError
from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job
from liftrisk.report import labels as L
from liftrisk.report.pdf import summary_pdf

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


#: columns the job page ranks assessments by: (summary key, label)
RANK_BY = (("max_li", "Highest NIOSH LI"), ("peak_compression_n", "Peak L5/S1 compression"),
           ("peak_reba", "Worst REBA"), ("peak_l5s1_extension_moment_nm", "Peak L5/S1 moment"),
           ("peak_workload_ratio", "Highest joint workload"))


def _risk_class(key: str, v, summary: dict) -> str:
    if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
        return ""
    if key == "max_li":
        return "bad" if v > 3 else "warn" if v > 1 else "ok"
    if key == "peak_compression_n":
        al, mpl = summary.get("action_limit_n") or 3400.0, summary.get("maximum_permissible_n") or 6400.0
        return "bad" if v > mpl else "warn" if v > al else "ok"
    if key == "peak_reba":
        return "bad" if v >= 8 else "warn" if v >= 4 else "ok"
    if key == "peak_workload_ratio":
        return "bad" if v > 0.5 else "warn" if v > 0.3 else "ok"
    return ""


def ranked_assessments(store, rows, sort: str = "max_li", task: str = "", q: str = "") -> list[dict]:
    """The job's finished assessments as rows of readable figures, filtered by task and a search
    text (file, label, task, worker), riskiest first by ``sort`` (a key of `RANK_BY`)."""
    keys = [k for k, _ in RANK_BY]
    sort = sort if sort in keys else "max_li"
    needle = q.strip().casefold()
    out = []
    for a in rows:
        tname = a.task.code if a.task is not None else ""
        worker = a.worker.code if a.worker is not None else ""
        if task and tname != task:
            continue
        if needle and not any(needle in str(x).casefold() for x in (a.input_name, a.label, tname, worker)):
            continue
        summary = store.get_result(a.id).summary or {}
        cells = [{"text": L.value(k, summary.get(k)), "cls": _risk_class(k, summary.get(k), summary)} for k in keys]
        v = summary.get(sort)
        rank = float(v) if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) else -math.inf
        out.append({"id": a.id, "file": a.input_name, "label": a.label, "task": tname, "worker": worker,
                    "cells": cells, "rank": rank})
    return sorted(out, key=lambda r: -r["rank"])


def _fmt(x, spec: str = ".2f", none: str = "—") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return none
    return format(x, spec)


def _damage(x) -> str:
    """LiFFT / Shoulder Tool cumulative damage (dimensionless) to 3 decimals."""
    if x is None or not math.isfinite(x):
        return "—"
    return "< 0.001" if 0 < x < 0.001 else f"{x:.3f}"


def job_figures(r) -> list[dict]:
    """The job-level figures (label, value, what it means) of a `liftrisk.job.JobResult`."""
    out = [{"label": "NIOSH composite lifting index (CLI)", "value": _fmt(r.niosh.get("CLI"), ".2f", "∞"),
            "note": r.niosh.get("CLI_category", "")},
           {"label": "NIOSH variable lifting index (VLI)", "value": _fmt(r.niosh.get("VLI"), ".2f", "∞"),
            "note": r.niosh.get("VLI_category", "")},
           {"label": "LiFFT cumulative damage per day", "value": _damage(r.lifft.get("cumulative_damage")),
            "note": f"P(high-risk job) {_fmt(100 * r.lifft['probability'], '.0f')} % ({r.lifft.get('band', '')})"
            if r.lifft.get("probability") is not None else ""}]
    if r.lifft_measured:
        out.append({"label": "LiFFT, measured moment", "value":
                    _damage(r.lifft_measured.get("cumulative_damage")),
                    "note": f"P {_fmt(100 * r.lifft_measured['probability'], '.0f')} % (not validated)"
                    if r.lifft_measured.get("probability") is not None else ""})
    if r.shoulder:
        dmg = r.shoulder.get("cumulative_damage", {})
        out.append({"label": "Shoulder Tool cumulative damage",
                    "value": _damage(dmg.get("job") if isinstance(dmg, dict) else dmg),
                    "note": f"P(clinic visit) {_fmt(100 * r.shoulder['probability'], '.0f')} % "
                            f"({r.shoulder.get('band', '')})" if r.shoulder.get("probability") is not None else ""})
    return out


def task_rows(r) -> list[dict]:
    """The tasks of a `JobResult` as readable rows, highest single-task lifting index first."""
    def pc(t, sex):
        v = ((t.get("lm_mmh") or {}).get(sex) or {}).get("percent_capable")
        return "not rated" if v is None else f"{v:.0f} %"

    rows = []
    for t in r.tasks:
        stli = (t.get("niosh") or {}).get("STLI")
        wj = t.get("worst_joint") or (None, None)
        rows.append({"name": t["name"], "n_lifts": t.get("n_lifts", 0),
                     "per_day": _fmt(t.get("repetitions_per_day"), ",.0f"), "load": _fmt(t.get("load_kg"), ".1f"),
                     "stli": _fmt(stli, ".2f", "∞"), "stli_v": stli if stli is not None else math.inf,
                     "lifft": _damage(t.get("lifft_damage")), "female": pc(t, "female"), "male": pc(t, "male"),
                     "joint": (L.text(wj[0]) + (f" {wj[1]:.0f} %" if wj[1] is not None else "")) if wj[0] else "—"})
    return sorted(rows, key=lambda x: -x["stli_v"])


@router.get("/jobs/{code}", response_class=HTMLResponse)
async def job_page(request: Request, code: str, sort: str = "max_li", task: str = "", q: str = ""):
    """HTML page of one job: its job-level figures, its tasks and its assessments ranked by risk."""
    rows, tasks, result, stale, duration = _evaluate(request, code)
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "task", "q")]
    query = urlencode(params)
    store = request.app.state.store
    task_names = sorted({a.task.code for a in rows if a.task is not None})
    return _templates.TemplateResponse(request, "job.html", {
        "code": code, "rows": rows, "tasks": tasks, "r": result, "stale": stale, "duration_h": duration,
        "figures": job_figures(result) if result else [], "task_rows": task_rows(result) if result else [],
        "ranked": ranked_assessments(store, rows, sort, task, q), "rank_by": RANK_BY, "sort": sort,
        "task_filter": task, "q": q, "task_names": task_names, "query": ("?" + query) if query else ""})


@router.get("/jobs/{code}/report.html", response_class=HTMLResponse)
async def job_report(request: Request, code: str):
    """The job report (self-contained HTML)."""
    from liftrisk.report.job import render_job_html

    _, _, result, _, _ = _evaluate(request, code)
    if result is None:
        raise DataQualityError(f"job {code!r} has no finished assessment with lift measures yet")
    return HTMLResponse(render_job_html(result, title=f"job {code}"))


@router.get("/jobs/{code}/report.pdf")
async def job_pdf(request: Request, code: str, sort: str = "max_li", task: str = "", q: str = ""):
    """The job summary as PDF: job figures, tasks, assessments ranked by risk (same parameters as the page)."""
    rows, _tasks, result, _stale, duration = _evaluate(request, code)
    if result is None:
        raise DataQualityError(f"job {code!r} has no finished assessment with lift measures yet")
    store = request.app.state.store
    ranked = ranked_assessments(store, rows, sort, task, q)
    tasks = task_rows(result)
    label = dict(RANK_BY)[sort if sort in dict(RANK_BY) else "max_li"]
    sections = [
        ("Tasks, highest single-task lifting index first", "table",
         (["Task", "Lifts measured", "Lifts per day", "Load (kg)", "Single-task LI", "LiFFT damage",
           "Women capable", "Men capable", "Most loaded joint"],
          [[t["name"], t["n_lifts"], t["per_day"], t["load"], t["stli"], t["lifft"], t["female"], t["male"],
            t["joint"]] for t in tasks])),
        (f"Assessments, riskiest first (by {label})", "table",
         (["#", "Recording", "Task", "Worker"] + [lab for _, lab in RANK_BY],
          [[x["id"], x["file"] + (f" ({x['label']})" if x["label"] else ""), x["task"], x["worker"]]
           + [c["text"] for c in x["cells"]] for x in ranked], [4, 16, 13, 8] + [12] * len(RANK_BY))),
    ]
    if result.notes:
        sections.append(("Notes", "bullets", [str(n) for n in result.notes]))
    details = [("Job", code), ("Tasks", ", ".join(t["name"] for t in tasks)),
               ("Lifting duration", f"{duration:g} h per shift"), ("Assessments", str(len(rows)))]
    data = await run_in_threadpool(summary_pdf, "Job risk summary", code, details, job_figures(result), sections)
    return Response(data, media_type="application/pdf",
                    headers={"content-disposition": 'attachment; filename="liftrisk-job-summary.pdf"'})


@router.get("/jobs/{code}/job.json")
async def job_json(request: Request, code: str):
    """The job's figures as JSON."""
    from liftrisk.store.assessments import jsonable

    _, _, result, stale, _ = _evaluate(request, code)
    if result is None:
        raise DataQualityError(f"job {code!r} has no finished assessment with lift measures yet")
    return JSONResponse(jsonable(result.to_dict() | {"assessments_without_measures": stale}))
