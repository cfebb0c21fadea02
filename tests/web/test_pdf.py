"""PDF export: the assessment report and the job summary, downloaded from the app with real
assessments of the bundled demo motion file, parsed and rendered with PDFium (pypdfium2):
fonts embedded, the figures present, the numbers a reader needs in the text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from lr_web_helpers import SUBJECT, make_client, wait_done

DEMO = Path(__file__).resolve().parents[2] / "src" / "liftrisk" / "data" / "demo" / "demo_lift.trc"

pytestmark = [
    pytest.mark.skipif(not DEMO.exists(), reason="bundled demo motion file missing"),
    pytest.mark.skipif(importlib.util.find_spec("pypdfium2") is None, reason="pypdfium2 not installed"),
]


def _pages_text(data: bytes) -> tuple[list[str], list]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    texts = [doc[k].get_textpage().get_text_range() for k in range(len(doc))]
    images = [doc[k].render(scale=0.5).to_pil() for k in range(len(doc))]
    return texts, images


def test_summary_pdf_embeds_its_font_and_prints_every_glyph():
    from liftrisk.report.pdf import summary_pdf

    data = summary_pdf("Étiquetage · 4 °C", sections=[("Notes", "text", "Trunk 44°, moment 219 N·m, LI ≤ 1")])
    texts, images = _pages_text(data)
    assert b"/FontFile2" in data  # a TrueType font program inside the file, not a system font
    assert "Étiquetage · 4 °C" in texts[0] and "Trunk 44°, moment 219 N·m, LI ≤ 1" in texts[0]
    assert images[0].size == (298, 421)  # A4 at 36 dpi


def test_assessment_and_job_pdfs(tmp_path):
    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        r = c.post("/api/assessments", files={"file": (DEMO.name, DEMO.read_bytes(), "text/plain")},
                   data=dict(SUBJECT, box_mass_kg="10", job="Packing line", task="Étiquetage", worker="W017"))
        aid = r.json()["id"]
        assert wait_done(c, aid, timeout_s=240)["status"] == "done"
        summary = c.get(f"/api/assessments/{aid}/summary").json()
        rep = c.get(f"/assessments/{aid}/report.pdf")
        assert rep.status_code == 200 and rep.headers["content-type"] == "application/pdf"
        assert "attachment" in rep.headers["content-disposition"]
        job = c.get("/jobs/Packing%20line/report.pdf")
        assert job.status_code == 200 and job.headers["content-type"] == "application/pdf"
        cli = c.get("/jobs/Packing%20line/job.json").json()["niosh"]["CLI"]
    texts, images = _pages_text(rep.content)
    text = "\n".join(texts)
    assert len(texts) >= 3 and b"/FontFile2" in rep.content
    assert rep.content.count(b"/Subtype /Image") >= 4  # key frames, L5/S1, joints, scores
    # the stored figures, rounded as on the page: peak compression to 10 N, LI to 0.01
    assert f"{round(summary['peak_compression_n'], -1):,.0f} N" in text
    assert f"{summary['max_li']:.2f}" in text and "Étiquetage" in text and "W017" in text
    jtext = "\n".join(_pages_text(job.content)[0])
    assert f"{cli:.2f}" in jtext and "Job risk summary" in jtext and "Packing line" in jtext
    # every page has ink (a page that renders blank would mean a lost figure or font)
    for im in images:
        assert min(im.convert("L").getextrema()) < 128
