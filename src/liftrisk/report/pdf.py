"""PDF reports (fpdf2, pure Python): the assessment report and the job summary, for handing to
a manager. A4 portrait; the DejaVu Sans font that ships with matplotlib is embedded (subset),
so every glyph (°, ·, ≤, accents) prints the same everywhere; figures are the report's PNGs.

`summary_pdf` lays out any such document (title, details, cards, paragraphs, tables,
figures); `assessment_pdf` builds one from a stored assessment (its summary dict and report
HTML, `liftrisk.report.digest`).
"""

from __future__ import annotations

import base64
import datetime as _dt
import importlib.util
import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from liftrisk import __version__
from liftrisk.errors import LiftriskError
from liftrisk.report import digest

#: traffic-light colours of the cards (RGB): ok, warn, bad, none
CARD_COLOURS = {"ok": (6, 118, 71), "warn": (220, 104, 3), "bad": (180, 35, 24), "": (200, 205, 212)}
FONT = "DejaVu"
#: relative widths of the lift-table columns in the PDF (others 11)
LIFT_WIDTHS = {"lift": 4, "kind": 8, "grasp_s": 9, "release_s": 11, "a_origin_deg": 14, "d_m": 11.5, "li": 10,
               "li_category": 14, "acgih_zone": 10, "reliability": 13}
MARGIN_MM = 15.0


def font_files() -> tuple[Path, Path]:
    """The DejaVu Sans regular and bold TTF files of the installed matplotlib (not imported).

    Returns
    -------
    (Path, Path)
        Regular and bold TTF files.

    Examples
    --------
    >>> [p.name for p in font_files()]
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise LiftriskError("the PDF report needs matplotlib's DejaVu fonts; install matplotlib")
    ttf = Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"
    files = (ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise LiftriskError(f"font file missing: {', '.join(missing)}; reinstall matplotlib")
    return files


class _Doc(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 5)
        self._footer_text = footer_text
        self.set_font(FONT, size=10)

    def footer(self):
        self.set_y(-MARGIN_MM)
        self.set_font(FONT, size=7.5)
        self.set_text_color(110, 118, 130)
        self.cell(0, 5, f"{self._footer_text} · page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin


def _heading(pdf: _Doc, text: str) -> None:
    if pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12.5)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _cards(pdf: _Doc, cards: Sequence[dict]) -> None:
    if not cards:
        return
    per_row = min(len(cards), 5)
    gap = 3.0
    w = (pdf.width - gap * (per_row - 1)) / per_row
    h = 24.0
    for start in range(0, len(cards), per_row):
        y = pdf.get_y()
        if y + h > pdf.h - MARGIN_MM - 5:
            pdf.add_page()
            y = pdf.get_y()
        for k, card in enumerate(cards[start:start + per_row]):
            x = pdf.l_margin + k * (w + gap)
            pdf.set_draw_color(217, 222, 229)
            pdf.rect(x, y, w, h)
            pdf.set_fill_color(*CARD_COLOURS.get(card.get("cls", ""), CARD_COLOURS[""]))
            pdf.rect(x, y, 1.8, h, style="F")
            pdf.set_xy(x + 3.5, y + 1.5)
            pdf.set_font(FONT, "", 7.5)
            pdf.set_text_color(91, 102, 118)
            pdf.multi_cell(w - 5, 3.4, card["label"], align="L", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(x + 3.5, y + 9.5)
            pdf.set_font(FONT, "B", 14)
            pdf.set_text_color(29, 36, 48)
            pdf.cell(w - 5, 7, card["value"])
            if card.get("note"):
                pdf.set_xy(x + 3.5, y + 17)
                pdf.set_font(FONT, "", 7)
                pdf.set_text_color(91, 102, 118)
                pdf.multi_cell(w - 5, 3.1, card["note"], align="L")
            pdf.set_text_color(0, 0, 0)
        pdf.set_xy(pdf.l_margin, y + h + gap)
    pdf.set_font(FONT, "", 10)
    pdf.set_fill_color(255, 255, 255)


def _bullets(pdf: _Doc, items: Sequence[str]) -> None:
    pdf.set_font(FONT, "", 9.5)
    for item in items:
        pdf.set_x(pdf.l_margin)
        pdf.cell(5, 5, "•")
        pdf.multi_cell(pdf.width - 5, 5, item, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    pdf.set_font(FONT, "", 10)


def _table(pdf: _Doc, headers: Sequence[str] | None, rows: Sequence[Sequence[str]], widths=None,
           font_size: float = 8.5) -> None:
    pdf.set_font(FONT, "", font_size)
    pdf.set_draw_color(217, 222, 229)
    heading = FontFace(emphasis="BOLD", fill_color=(238, 242, 246))
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(col_widths=widths, headings_style=heading, first_row_as_headings=headers is not None,
                   line_height=font_size * 0.5, padding=1.2, text_align="LEFT", width=pdf.width,
                   cell_fill_mode="NONE") as table:
        for row in ([headers] if headers is not None else []) + [list(r) for r in rows]:
            r = table.row()
            for value in row:
                r.cell(str(value))
    pdf.set_font(FONT, "", 10)
    pdf.ln(2)


def _figure(pdf: _Doc, png: bytes, caption: str) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        w_px, h_px = im.size
    w = pdf.width
    h = w * h_px / w_px
    if h > pdf.h - 2 * MARGIN_MM - 20:  # a tall figure: fit the page height
        h = pdf.h - 2 * MARGIN_MM - 20
        w = h * w_px / h_px
    if pdf.get_y() + h + 8 > pdf.h - MARGIN_MM - 5:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.width - w) / 2, w=w, h=h)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(91, 102, 118)
    pdf.multi_cell(0, 4, caption, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 10)
    pdf.ln(2)


def summary_pdf(title: str, subtitle: str = "", details: Sequence[tuple[str, str]] = (),
                cards: Sequence[dict] = (), sections: Sequence[tuple] = ()) -> bytes:
    """A PDF document: title, details, cards, then sections.

    Parameters
    ----------
    title, subtitle : str
        Shown at the top of the first page.
    details : sequence of (label, value)
        A two-column table under the title (job, worker, subject ...).
    cards : sequence of dict
        ``{"label", "value", "cls" ("ok"/"warn"/"bad"/""), "note"}`` boxes.
    sections : sequence of tuples
        ``(heading, kind, content)`` with kind ``"bullets"`` (list of str), ``"text"`` (str),
        ``"table"`` (``(headers or None, rows[, relative column widths])``), ``"pairs"`` (list of (label, value)) or
        ``"figure"`` (``(png_bytes, caption)``).

    Returns
    -------
    bytes
        The PDF file.

    Examples
    --------
    >>> pdf = summary_pdf("Job Packing line", details=[("Worker", "W017")],
    ...                   cards=[{"label": "CLI", "value": "1.20", "cls": "warn", "note": "increased risk"}],
    ...                   sections=[("Notes", "text", "Lifts at 25 cm, 95 cm; 4 °C.")])
    >>> pdf[:5], b"/FontFile2" in pdf
    (b'%PDF-', True)
    """
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    pdf = _Doc(f"liftrisk {__version__} · {title} · {stamp}")
    pdf.set_title(title)
    pdf.set_creator(f"liftrisk {__version__}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font(FONT, "", 10)
        pdf.set_text_color(91, 102, 118)
        pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    if details:
        _table(pdf, None, details, widths=(1, 3), font_size=9)
    _cards(pdf, cards)
    for heading, kind, content in sections:
        if heading:
            _heading(pdf, heading)
        if kind == "bullets":
            _bullets(pdf, content)
        elif kind == "text":
            pdf.set_font(FONT, "", 9.5)
            pdf.multi_cell(0, 5, content, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 10)
        elif kind == "table":
            headers, rows, *widths = content
            _table(pdf, headers, rows, widths=widths[0] if widths else None,
                   font_size=7 if headers and len(headers) > 8 else 8.5)
        elif kind == "pairs":
            _table(pdf, None, content, widths=(3, 2), font_size=8.5)
        elif kind == "figure":
            _figure(pdf, *content)
        else:
            raise LiftriskError(f"PDF section kind {kind!r} is not one of bullets, text, table, pairs, figure")
    return bytes(pdf.output())


def assessment_pdf(summary: dict, report_html: str = "", title: str = "assessment",
                   details: Sequence[tuple[str, str]] = ()) -> bytes:
    """The PDF report of a stored assessment: key figures, findings, lifts, the report's
    figures and the summary sections.

    Parameters
    ----------
    summary : dict
        The stored summary (`liftrisk.batch.runner.AssessmentOutput.summary`).
    report_html : str, optional
        The HTML report; its figures (PNG) are placed in the PDF.
    title : str
        The recording's name.
    details : sequence of (label, value)
        Job, task, worker, subject ... shown under the title.

    Returns
    -------
    bytes
        The PDF file.
    """
    lifts = [x for x in summary.get("lifts", []) or [] if isinstance(x, dict)]
    sections: list[tuple] = []
    findings = [str(f) for f in summary.get("findings", []) or []]
    if findings:
        sections.append(("Findings", "bullets", findings))
    if lifts:
        head, rows = digest.lift_table(lifts)
        widths = [LIFT_WIDTHS.get(c, 11) for c in digest.lift_columns(lifts)]
        sections.append(("Lifts (NIOSH lifting equation, ACGIH TLV)", "table", (head, rows, widths)))
    warnings = [str(w) for w in summary.get("warnings", []) or []]
    if warnings:
        sections.append(("Notes", "bullets", warnings))
    for k, fig in enumerate(digest.report_figures(report_html)):
        heading = "Figures" if k == 0 else ""
        caption = fig["alt"][:1].upper() + fig["alt"][1:]
        sections.append((heading, "figure", (base64.b64decode(fig["png_b64"]), caption)))
    for heading, rows in digest.summary_sections(summary):
        sections.append((heading, "pairs", rows))
    return summary_pdf("Lifting risk assessment", title, details, digest.cards(summary), sections)
