"""liftrisk.report: self-contained HTML report of an assessment (see docs/report.md)."""

from liftrisk.report.findings import findings
from liftrisk.report.html import render_html, warm_up, write_report

__all__ = ["findings", "render_html", "warm_up", "write_report"]
