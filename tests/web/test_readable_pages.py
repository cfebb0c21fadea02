"""Every HTML page of the web app, with real assessments (the pipeline on the bundled demo
motion file), is scanned for raw machine names (``peak_compression_n``) and unrounded floats
(``0.3998``) in what a reader sees: text, alt/title/aria-label/placeholder attributes, and
the trace names and axis titles of the plots. Raw names belong only in CSV/JSON.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from lr_web_helpers import SUBJECT, make_client, wait_done

DEMO = Path(__file__).resolve().parents[2] / "src" / "liftrisk" / "data" / "demo" / "demo_lift.trc"
HTML = {"accept": "text/html"}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
LONG_FLOAT = re.compile(r"(?<![\w.])\d+\.\d{4,}\b")
FIGURE = re.compile(r'<script type="application/json" class="figure"[^>]*>(.*?)</script>', re.S)

pytestmark = pytest.mark.skipif(not DEMO.exists(), reason="bundled demo motion file missing")


def visible_text(page: str) -> str:
    """Text a reader sees: tags, scripts and styles removed; labelling attributes kept."""
    attrs = " ".join(m.group(2) for m in re.finditer(r'\b(alt|title|aria-label|placeholder)="([^"]*)"', page))
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body + " " + attrs)


def figure_text(page: str) -> str:
    """Trace names, titles and axis titles of the page's plotly figures."""
    out = []
    for raw in FIGURE.findall(page):
        fig = json.loads(raw.replace("<\\/", "</"))
        out += [str(t.get("name", "")) for t in fig["data"]]
        lay = fig["layout"]
        for k, v in lay.items():
            if k == "title" or k.startswith(("xaxis", "yaxis")):
                title = v.get("text") if k == "title" else (v.get("title") or {}).get("text")
                out.append(str(title or ""))
    return " ".join(out)


def problems(page: str, allowed: tuple[str, ...]) -> list[str]:
    text = visible_text(page) + " " + figure_text(page)
    for word in allowed:  # names the user gave (file names) are shown as given
        text = text.replace(word, " ")
    return sorted(set(SNAKE.findall(text))) + sorted(set(LONG_FLOAT.findall(text)))


def test_scanner_finds_raw_names_and_floats():
    bad = '<table><tr><th>h_origin_m</th><td>0.3998</td></tr></table><img alt="peak_reba">'
    assert problems(bad, ()) == ["h_origin_m", "peak_reba", "0.3998"]
    assert problems("<p>Peak L5/S1 compression 4,790 N, LI 1.04, P = 0.05</p><script>a_b=0.12345</script>", ()) == []


def test_no_raw_names_or_unrounded_floats_on_any_page(tmp_path):
    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        ids = []
        for box, label in (("10", "before"), ("6", "after")):
            r = c.post("/api/assessments", files={"file": (DEMO.name, DEMO.read_bytes(), "text/plain")},
                       data=dict(SUBJECT, box_mass_kg=box, job="Packing line", task="Étiquetage palettes",
                                 worker="W017", label=label))
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        for aid in ids:
            s = wait_done(c, aid, timeout_s=240)
            assert s["status"] == "done", s
        a, b = ids
        job = "/jobs/Packing%20line"
        pages = ["/", "/assessments", f"/assessments/{a}", f"/compare?a={a}&b={b}", "/jobs", job,
                 job + "?sort=peak_compression_n&q=demo", "/assessments/999"]
        allowed = (DEMO.name, DEMO.stem)
        for url in pages:
            r = c.get(url, headers=HTML)
            assert r.status_code in (200, 404), (url, r.status_code)
            assert problems(r.text, allowed) == [], url
        page = c.get(f"/assessments/{a}", headers=HTML).text
        # the demo lift: hands 40 cm out, 25 cm high at the grasp (demo_lift.trc is built so)
        assert "<td>40</td><td>25</td>" in page
        assert "Peak L5/S1 compression" in page and 'class="card' in page
        cmp = c.get(f"/compare?a={a}&b={b}", headers=HTML).text
        # NIOSH LI = load / RWL with the same geometry: a 6 kg box instead of 10 kg gives 0.6 x the LI;
        # the row is marked better and the verdict calls it an improvement
        row = re.search(r'<tr class="(\w+)" data-key="max_li"><th scope="row">[^<]*</th><td>([\d.]+)</td>'
                        r'<td>([\d.]+)</td>', cmp)
        assert row and row.group(1) == "better"
        assert float(row.group(3)) == pytest.approx(0.6 * float(row.group(2)), abs=0.011)
        assert "Overall: an improvement." in cmp
