"""Browser test (slow): Playwright drives Debian's headless Chromium against a real
uvicorn server with the real pipeline: upload the bundled demo video with subject data,
follow the progress page until the report is there, check the interactive plots and the
report, then compare two assessments. A screenshot is written to
``$LIFTRISK_SCREENSHOT_DIR`` (default: the test's tmp folder) for a person to look at.

Never downloads a browser: it uses /usr/bin/chromium (``apt-get install chromium``) and the
``playwright`` Python package only as the driver.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DEMO = Path(__file__).resolve().parents[2] / "src" / "liftrisk" / "data" / "demo_video" / "sports2d_demo4_walk.mp4"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None, reason="playwright (python) not installed"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(not DEMO.exists(), reason="bundled demo video missing"),
    pytest.mark.skipif(importlib.util.find_spec("liftrisk.pipeline") is None, reason="liftrisk.pipeline missing"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from liftrisk.store import StoreSettings
    from liftrisk.web.app import create_app
    from liftrisk.web.settings import WebSettings

    settings = WebSettings(store=StoreSettings.at(tmp_path / "data"), workers=2, executor="process")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    t0 = time.monotonic()
    while not srv.started:
        assert time.monotonic() - t0 < 30, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(timeout=60)


def _upload(page, base, label):
    page.goto(base + "/")
    page.set_input_files("#file", str(DEMO))
    page.fill("#mass_kg", "75")
    page.fill("#height_m", "1.75")
    page.fill("input[name=worker]", "W001")
    page.fill("input[name=job]", "demo")
    page.fill("input[name=label]", label)
    page.click("#submit")
    page.wait_for_url("**/assessments/*", timeout=60_000)
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def _wait_done(page, base, aid, timeout_s=600):
    """Poll the API (so a failure shows the job's own error message)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        s = page.request.get(f"{base}/api/assessments/{aid}").json()
        if s["status"] in ("done", "failed"):
            assert s["status"] == "done", s
            return s
        time.sleep(0.5)
    raise AssertionError(f"assessment {aid} not finished after {timeout_s} s: {s}")


def test_upload_form_fields_are_labelled(server):
    """Every visible form field of the upload form has a label (accessibility basics)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(server + "/")
            unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select')]
                .filter(e => e.type !== 'hidden' && !e.closest('label') && !e.getAttribute('aria-label'))
                .map(e => e.name)""")
            assert unlabelled == []
        finally:
            browser.close()


def test_browser_upload_progress_report_plots_compare(server, tmp_path):
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("LIFTRISK_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1800})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            a = _upload(page, server, "before")
            _wait_done(page, server, a)
            # the progress page polls and reloads itself when the job is done
            page.wait_for_selector("#plots .plot .main-svg", timeout=60_000)
            assert page.inner_text("#status") == "done"
            n_plots = page.locator("#plots .plot .main-svg").count()
            assert n_plots >= 3, n_plots  # angles, forces, moments, scores ...
            assert page.locator("#plots .plot .scatterlayer .trace").count() >= 3  # visible traces drawn
            summary = page.inner_text("#summary")
            assert "Peak L5/S1 compression" in summary and "Frames" in summary and "_" not in summary
            # the overlay video plays in the browser and a key moment seeks it there
            page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=30_000)
            assert page.evaluate("document.getElementById('video').duration") > 1.0
            moment = page.locator("button.moment").first
            t = float(moment.get_attribute("data-t"))
            moment.focus()
            page.keyboard.press("Enter")  # keyboard works as well as the mouse
            page.wait_for_function(f"Math.abs(document.getElementById('video').currentTime - {t}) < 0.1")
            assert page.locator("#upload-form").count() == 0
            page.screenshot(path=str(shots / "assessment-video.png"), full_page=False)
            frame = page.frame_locator("#report")
            frame.locator("body").wait_for(timeout=30_000)
            assert frame.locator("img").count() >= 1  # the report's figures
            page.screenshot(path=str(shots / "assessment.png"), full_page=True)
            page.locator("#report").scroll_into_view_if_needed()
            page.locator("#report").screenshot(path=str(shots / "report-frame.png"))
            csv = page.request.get(f"{server}/assessments/{a}/timeseries.csv")
            assert csv.ok and csv.text().startswith("time_s,")
            b = _upload(page, server, "after")
            _wait_done(page, server, b)
            page.wait_for_selector("#plots .plot .main-svg", timeout=60_000)
            page.goto(f"{server}/assessments?worker=W001")
            page.check(f"input[name=pick][value='{a}']")
            page.check(f"input[name=pick][value='{b}']")
            page.click("#compare")
            page.wait_for_selector("#plots .plot .main-svg", timeout=60_000)
            assert page.inner_text("h1") == f"Compare #{a} and #{b}"  # older one first (A = before)
            # the same video twice: every numeric difference is zero
            deltas = page.locator("#comparison tr td:nth-child(4)").all_inner_texts()
            numeric = [d for d in deltas if d not in ("—", "")]
            assert numeric and all(float(d) == 0.0 for d in numeric)
            page.screenshot(path=str(shots / "compare.png"), full_page=False)
            assert page.inner_text("#verdict").startswith(("The peak", "After the change"))
            page.goto(f"{server}/jobs/demo")
            page.wait_for_selector("#ranked")
            assert page.locator("#ranked tbody tr").count() == 2
            page.screenshot(path=str(shots / "job.png"), full_page=True)
            with page.expect_download() as dl:
                page.goto(f"{server}/assessments/{a}")
                page.click("#dl-pdf")
            pdf = Path(dl.value.path()).read_bytes()
            assert pdf.startswith(b"%PDF-") and b"/FontFile2" in pdf
            assert not errors, errors
        finally:
            browser.close()
