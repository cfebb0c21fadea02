"""liftrisk.report: self-contained HTML report of an assessment (see docs/report.md)."""

from liftrisk.report.html import render_html, write_report

__all__ = ["render_html", "write_report"]
