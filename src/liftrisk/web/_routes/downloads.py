"""Downloads of a finished assessment: time series CSV, HTML and PDF report, summary JSON."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from liftrisk.report.digest import key_moments
from liftrisk.report.pdf import assessment_pdf
from liftrisk.store import NotFoundError
from liftrisk.web._common import store_of

router = APIRouter()


def _download(data: str, media: str, filename: str, attach: bool) -> Response:
    disp = "attachment" if attach else "inline"
    return Response(data, media_type=media, headers={"content-disposition": f'{disp}; filename="{filename}"'})


@router.get("/assessments/{aid}/timeseries.csv")
async def download_csv(request: Request, aid: int):
    r = store_of(request).get_result(aid)
    return _download(r.timeseries_csv, "text/csv; charset=utf-8", f"liftrisk-{aid}-timeseries.csv", True)


@router.get("/assessments/{aid}/report.html")
async def download_report(request: Request, aid: int, download: bool = False):
    r = store_of(request).get_result(aid)
    resp = _download(r.report_html, "text/html; charset=utf-8", f"liftrisk-{aid}-report.html", download)
    # the report runs its own scripts in an isolated origin: it can never reach the session cookie
    resp.headers["content-security-policy"] = "sandbox allow-scripts allow-popups allow-downloads"
    return resp


@router.get("/assessments/{aid}/summary.json")
async def download_summary(request: Request, aid: int):
    r = store_of(request).get_result(aid)
    return _download(json.dumps(r.summary, indent=2), "application/json", f"liftrisk-{aid}-summary.json", True)


def assessment_details(a) -> list[tuple[str, str]]:
    """The rows under the title of an assessment's PDF: job, task, worker, label, subject."""
    rows = []
    if a.task is not None:
        rows += [("Job", a.task.job.code), ("Task", a.task.code)]
    if a.worker is not None:
        rows.append(("Worker", a.worker.code))
    if a.label:
        rows.append(("Label", a.label))
    subject = f"{a.sex}, {a.mass_kg:.1f} kg, {a.height_m:.2f} m"
    if a.age_years:
        subject += f", {a.age_years:.0f} years"
    load = f"{a.box_mass_kg:.1f} kg" if a.box_mass_kg is not None else "none given"
    rows += [("Worker data", subject + f"; load in the hands {load}"), ("Assessment", f"#{a.id}")]
    return rows


@router.get("/assessments/{aid}/report.pdf")
async def download_pdf(request: Request, aid: int):
    store = store_of(request)
    a, r = store.get(aid), store.get_result(aid)
    data = await run_in_threadpool(assessment_pdf, r.summary, r.report_html, a.input_name, assessment_details(a))
    return Response(data, media_type="application/pdf",
                    headers={"content-disposition": f'attachment; filename="liftrisk-{aid}-report.pdf"'})


@router.get("/assessments/{aid}/overlay.webm")
async def overlay_video(request: Request, aid: int):
    """The skeleton-overlay video (WebM, VP8; range requests for seeking)."""
    path = store_of(request).media_path(aid, "overlay.webm")
    if path is None:
        raise NotFoundError(f"assessment {aid} has no overlay video (only video uploads have one)")
    return FileResponse(path, media_type="video/webm")


def chapters_vtt(moments: list[dict], end_s: float) -> str:
    """WebVTT chapters of the key moments (each until the next one, the last one second long).

    Parameters
    ----------
    moments : list of dict
        ``{"t", "label"}``, time-ordered (`liftrisk.report.digest.key_moments`).
    end_s : float
        The recording's length (s).

    Returns
    -------
    str
        The WebVTT text.

    Examples
    --------
    >>> print(chapters_vtt([{"t": 1.0, "label": "Worst posture"}, {"t": 61.5, "label": "Lift 1"}], 62.0))
    WEBVTT
    <BLANKLINE>
    00:00:01.000 --> 00:01:01.500
    Worst posture
    <BLANKLINE>
    00:01:01.500 --> 00:01:02.000
    Lift 1
    <BLANKLINE>
    """
    def ts(t: float) -> str:
        ms = int(round(max(t, 0.0) * 1000))
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    out = ["WEBVTT", ""]
    for k, m in enumerate(moments):
        end = moments[k + 1]["t"] if k + 1 < len(moments) and moments[k + 1]["t"] > m["t"] else m["t"] + 1.0
        end = min(end, end_s) if end_s > m["t"] else end
        out += [f"{ts(m['t'])} --> {ts(end)}", m["label"].replace("-->", "->"), ""]
    return "\n".join(out)


@router.get("/assessments/{aid}/chapters.vtt")
async def chapters(request: Request, aid: int):
    """The key moments as WebVTT chapters of the overlay video."""
    summary = store_of(request).get_result(aid).summary
    end = summary.get("duration_s")
    text = chapters_vtt(key_moments(summary), float(end) if isinstance(end, int | float) else 1e9)
    return Response(text, media_type="text/vtt; charset=utf-8")
