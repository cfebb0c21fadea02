"""Downloads of a finished assessment: time series CSV, HTML report, summary JSON."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

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
