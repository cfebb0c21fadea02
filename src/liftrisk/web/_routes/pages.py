"""HTML pages: the upload form, the list of assessments, one assessment, a comparison."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from liftrisk.errors import LiftriskError
from liftrisk.report import digest
from liftrisk.web import _plots as plots
from liftrisk.web import _views as views
from liftrisk.web._common import page, script_json, store_of

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def index(request: Request):
    return page(request, "index.html", form={}, recent=store_of(request).list_assessments(limit=10))


@router.get("/assessments", response_class=HTMLResponse)
async def list_page(request: Request, job: str = "", task: str = "", worker: str = "", status: str = ""):
    store = store_of(request)
    rows = store.list_assessments(job=job or None, task=task or None, worker=worker or None,
                                  status=status or None, limit=500)
    return page(request, "list.html", rows=rows, codes=store.codes(),
                filters=dict(job=job, task=task, worker=worker, status=status))


@router.get("/assessments/{aid}", response_class=HTMLResponse)
async def assessment_page(request: Request, aid: int):
    store = store_of(request)
    a = store.get(aid)
    ctx = dict(figures=[], cards=[], sections=[], findings=[], warnings=[], lift_head=[], lift_rows=[],
               report_figures=[], moments=[], video=False, stick=None)
    if a.status == "done":
        r = store.get_result(aid)
        summary = dict(r.summary)
        lifts = [x for x in summary.get("lifts", []) or [] if isinstance(x, dict)]
        ctx["lift_head"], ctx["lift_rows"] = digest.lift_table(lifts)
        ctx.update(cards=digest.cards(summary), sections=digest.summary_sections(summary),
                   findings=[str(f) for f in summary.get("findings", []) or []],
                   warnings=[str(w) for w in summary.get("warnings", []) or []],
                   report_figures=digest.report_figures(r.report_html), moments=digest.key_moments(summary))
        ctx["video"] = store.media_path(aid, "overlay.webm") is not None
        stick = store.media_path(aid, "stick3d.json")
        ctx["stick"] = script_json(stick.read_text()) if stick is not None else None
        try:
            ctx["figures"] = [script_json(f) for f in plots.timeseries_figures(r.timeseries_csv)]
        except (LiftriskError, ValueError) as exc:
            log.warning("assessment %s: time series not plotted: %s", aid, exc)
    return page(request, "assessment.html", a=a, **ctx)


@router.get("/compare", response_class=HTMLResponse)
async def compare_page(request: Request, a: int | None = None, b: int | None = None,
                       pick: Annotated[list[int] | None, Query()] = None):
    if (a is None or b is None) and pick and len(pick) == 2:
        a, b = sorted(pick)  # the older assessment is A ("before")
    if a is None or b is None:
        raise LiftriskError("choose two assessments to compare: /compare?a=ID&b=ID (tick exactly two)")
    store = store_of(request)
    ra, rb = store.get_result(a), store.get_result(b)
    sa, sb = dict(ra.summary), dict(rb.summary)
    figs = plots.comparison_figures(ra.timeseries_csv, rb.timeseries_csv, f"#{a}", f"#{b}")
    lifts_a = [x for x in sa.get("lifts", []) or [] if isinstance(x, dict)]
    lifts_b = [x for x in sb.get("lifts", []) or [] if isinstance(x, dict)]
    try:
        cycle = plots.lift_cycle_figures(ra.timeseries_csv, lifts_a, rb.timeseries_csv, lifts_b, f"#{a}", f"#{b}")
    except (LiftriskError, ValueError) as exc:
        log.warning("compare %s/%s: lift cycle not plotted: %s", a, b, exc)
        cycle = []
    return page(request, "compare.html", a=store.get(a), b=store.get(b),
                rows=views.compare_rows(sa, sb), verdict=views.verdict(sa, sb),
                figures=[script_json(f) for f in figs], cycle_figures=[script_json(f) for f in cycle],
                findings_a=[str(f) for f in sa.get("findings", []) or []],
                findings_b=[str(f) for f in sb.get("findings", []) or []])
