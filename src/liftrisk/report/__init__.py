"""liftrisk.report: self-contained HTML report of an assessment (see docs/report.md)."""

from liftrisk.report.html import render_html, warm_up, write_report

__all__ = ["render_html", "warm_up", "write_report"]
