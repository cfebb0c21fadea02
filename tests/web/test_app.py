"""Web app through FastAPI's TestClient: upload, progress, report, browse, compare,
downloads, access token, worker pool (threads and processes)."""

from __future__ import annotations

import json
import re
import time

import pytest
from lr_web_helpers import CSV_A, CSV_B, SUBJECT, make_client, upload, wait_done

HTML = {"accept": "text/html"}


def test_upload_runs_in_pool_and_shows_results(client):
    r = upload(client, job="warehouse", task="pallet", worker="W017", label="before")
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    s = wait_done(client, aid)
    assert s["status"] == "done" and s["progress"] == 1.0 and s["created_at"].endswith("+00:00")
    assert (s["job"], s["task"], s["worker"], s["label"]) == ("warehouse", "pallet", "W017", "before")
    summary = client.get(f"/api/assessments/{aid}/summary").json()
    # independent numbers from CSV_A: 3 frames over 0.02 s, peak |value| 3.5, body mass 80 kg
    assert (summary["n_frames"], summary["peak_abs_value_n"], summary["mass_kg"]) == (3, 3.5, 80.0)
    assert summary["duration_s"] == pytest.approx(0.02)
    page = client.get(f"/assessments/{aid}", headers=HTML)
    assert page.status_code == 200
    figs = re.findall(r'<script type="application/json" class="figure"[^>]*>(.*?)</script>', page.text, re.S)
    assert len(figs) == 1  # one unit group (force, N)
    fig = json.loads(figs[0])
    assert [t["name"] for t in fig["data"]] == ["Value", "Double value"]  # labels; raw names only in the CSV
    assert fig["layout"]["yaxis"]["title"]["text"] == "force (N)"
    assert '<script src="/vendor/plotly.min.js">' in page.text and 'id="report"' in page.text
    csv = client.get(f"/assessments/{aid}/timeseries.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    assert csv.text.splitlines()[2] == "0.01,-3.5,-7"
    rep = client.get(f"/assessments/{aid}/report.html")
    assert rep.status_code == 200 and "<h1>report</h1>" in rep.text
    assert rep.headers["content-security-policy"].startswith("sandbox")
    assert "attachment" in client.get(f"/assessments/{aid}/report.html?download=1").headers["content-disposition"]
    assert json.loads(client.get(f"/assessments/{aid}/summary.json").text)["n_frames"] == 3
    js = client.get("/vendor/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000 and b"plotly" in js.content[:2000].lower()


def test_html_form_redirects_to_page_and_shows_errors(client):
    r = client.post("/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=SUBJECT, headers=HTML,
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/assessments/")
    bad = dict(SUBJECT, height_m="178")
    r = client.post("/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=bad, headers=HTML)
    assert r.status_code == 422
    assert "looks like centimetres" in r.text and 'value="178"' in r.text  # form kept, message shown


def test_failed_assessment_shows_error_not_result(tmp_path):
    with make_client(tmp_path, runner="lr_test_runners:user_error_runner") as c:
        aid = upload(c).json()["id"]
        s = wait_done(c, aid)
        assert s["status"] == "failed" and "every keypoint is NaN" in s["error"]
        page = c.get(f"/assessments/{aid}", headers=HTML)
        assert "every keypoint is NaN" in page.text and "report.html" not in page.text
        r = c.get(f"/assessments/{aid}/timeseries.csv")
        assert r.status_code == 404 and "no result" in r.json()["detail"]


def test_browse_filter_and_compare(client):
    a = upload(client, job="J1", task="T1", worker="W1", label="before").json()["id"]
    b = upload(client, content=CSV_B, name="after.csv", job="J1", task="T1", worker="W1", label="after").json()["id"]
    c = upload(client, job="J2", task="T9", worker="W2").json()["id"]
    for i in (a, b, c):
        assert wait_done(client, i)["status"] == "done"
    ids = lambda q: [x["id"] for x in client.get("/api/assessments" + q).json()]  # noqa: E731
    assert ids("?worker=W1") == [b, a] and ids("?job=J2") == [c] and ids("?task=T1&status=done") == [b, a]
    page = client.get("/assessments?worker=W1", headers=HTML)
    assert page.status_code == 200 and "after.csv" in page.text and f'/assessments/{c}"' not in page.text
    cmp = client.get(f"/compare?a={a}&b={b}", headers=HTML)
    assert cmp.status_code == 200
    # peak |value| 3.5 -> 9 N (forces shown to 1 N below 100 N): B - A = 5.5 -> "+6 N"; a figure whose
    # meaning (better/worse) is unknown gets no judgement and no relative change
    row = re.search(r'<tr class="(\w+)" data-key="peak_abs_value_n"><th scope="row">(.*?)</th><td>(.*?)</td>'
                    r'<td>(.*?)</td><td class="\w+">(.*?)</td>\s*<td class="\w+">(.*?)</td>', cmp.text)
    assert row.groups() == ("neutral", "Peak abs value", "4 N", "9 N", "+6 N", "")
    figs = re.findall(r'class="figure"[^>]*>(.*?)</script>', cmp.text, re.S)
    names = [t["name"] for t in json.loads(figs[0])["data"]]
    assert names == [f"Value (#{a})", f"Value (#{b})", f"Double value (#{a})", f"Double value (#{b})"]
    assert client.get(f"/compare?pick={a}&pick={b}", headers=HTML).status_code == 200
    assert client.get(f"/compare?a={a}", headers=HTML).status_code == 400


def test_not_found_and_bad_ids(client):
    assert client.get("/api/assessments/999").status_code == 404
    assert client.get("/assessments/999", headers=HTML).status_code == 404
    assert client.get("/api/assessments/abc").status_code == 422


def test_cross_site_post_refused(client):
    r = client.post("/api/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=SUBJECT,
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and "cross-site" in r.json()["detail"]
    assert client.get("/api/assessments").json() == []
    r = client.post("/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=SUBJECT,
                    headers={"origin": "http://evil.example", "accept": "text/html"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html") and "cross-site" in r.text


def test_token_required_when_set(tmp_path):
    token = "s3cret-token-for-tests"
    with make_client(tmp_path, token=token) as c:
        r = c.get("/api/assessments")
        assert r.status_code == 401 and "access token" in r.json()["detail"]
        assert upload(c).status_code == 401
        assert c.get("/", headers=HTML, follow_redirects=False).headers["location"] == "/login?next=/"
        assert c.get("/healthz").status_code == 200
        bearer = {"authorization": f"Bearer {token}"}
        assert c.get("/api/assessments", headers=bearer).status_code == 200
        assert c.get("/api/assessments", headers={"authorization": "Bearer wrong-token-xx"}).status_code == 401
        r = c.post("/login", data={"token": "wrong", "next": "/"}, follow_redirects=False)
        assert r.status_code == 401 and "liftrisk_session" not in r.headers.get("set-cookie", "")
        r = c.post("/login", data={"token": token, "next": "//evil.example/"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"  # no open redirect
        assert token not in r.headers["set-cookie"]  # the cookie holds an HMAC, not the token
        assert c.get("/api/assessments").status_code == 200  # cookie now set
        aid = upload(c).json()["id"]
        assert wait_done(c, aid)["status"] == "done"


def test_short_token_and_public_bind_refused(tmp_path, capsys, monkeypatch):
    from liftrisk.cli.main import main
    from liftrisk.errors import LiftriskError
    from liftrisk.web.settings import WebSettings

    with pytest.raises(LiftriskError, match="shorter than 8"):
        WebSettings(token="abc")
    monkeypatch.delenv("LIFTRISK_TOKEN", raising=False)
    monkeypatch.setenv("LIFTRISK_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--host", "0.0.0.0"])
    assert exc.value.code == 2
    assert "refusing to serve on 0.0.0.0 without a token" in capsys.readouterr().err


def test_process_pool_runs_several_uploads_at_once(tmp_path):
    """Spawned worker processes: four uploads queued at once all finish; progress is visible."""
    with make_client(tmp_path, runner="lr_test_runners:slow_runner", executor="process", workers=2) as c:
        ids = [upload(c, content=CSV_A + f"0.0{3 + i},{i}\n".encode()).json()["id"] for i in range(4)]
        seen_running = False
        for aid in ids:
            s = c.get(f"/api/assessments/{aid}").json()
            seen_running |= s["status"] in ("queued", "running")
        results = [wait_done(c, aid, timeout_s=120) for aid in ids]
        assert seen_running
        assert [r["status"] for r in results] == ["done"] * 4
        assert [c.get(f"/api/assessments/{i}/summary").json()["n_frames"] for i in ids] == [4] * 4


def test_dead_worker_process_marks_failed_and_pool_recovers(tmp_path):
    with make_client(tmp_path, runner="lr_test_runners:exit_runner", executor="process", workers=1) as c:
        aid = upload(c).json()["id"]
        s = wait_done(c, aid, timeout_s=120)
        assert s["status"] == "failed" and "stopped unexpectedly" in s["error"]
        c.app.state.settings  # noqa: B018 - the app is still serving
        assert c.get("/healthz").json()["counts"]["failed"] == 1


def test_restart_marks_interrupted_and_resumes_queued(tmp_path):
    from liftrisk.core import Subject
    from liftrisk.store import AssessmentStore, StoreSettings

    st = AssessmentStore(StoreSettings.at(tmp_path / "data"))
    up = st.add_upload([CSV_A], ".csv", kind="motion")
    running = st.create_assessment(up.sha256, "a.csv", Subject("male", 80, 1.8))
    queued = st.create_assessment(up.sha256, "b.csv", Subject("male", 80, 1.8))
    st.claim(running)  # as if the server died while running it
    st.close()
    with make_client(tmp_path) as c:
        assert "interrupted" in c.get(f"/api/assessments/{running}").json()["error"]
        assert wait_done(c, queued)["status"] == "done"


@pytest.mark.postgres
def test_web_app_on_postgresql(tmp_path):
    """The same flow with the database on PostgreSQL (LIFTRISK_TEST_PG_URL) and process workers."""
    from lr_pg import fresh_pg_database

    from liftrisk.store import StoreSettings

    with fresh_pg_database() as url:
        store = StoreSettings(data_dir=tmp_path / "data", database_url=url)
        with make_client(tmp_path, executor="process", store=store) as c:
            ids = [upload(c, content=CSV_A + f"0.03,{i}\n".encode(), worker="W5").json()["id"] for i in range(3)]
            assert [wait_done(c, i, timeout_s=120)["status"] for i in ids] == ["done"] * 3
            assert [x["id"] for x in c.get("/api/assessments?worker=W5").json()] == ids[::-1]
            assert c.get(f"/api/assessments/{ids[0]}/summary").json()["n_frames"] == 4


def test_pages_load_nothing_from_other_sites(client):
    """Every script and stylesheet is served by the app itself (works offline, no CDN)."""
    aid = upload(client).json()["id"]
    wait_done(client, aid)
    for url in ("/", "/assessments", f"/assessments/{aid}", f"/compare?a={aid}&b={aid}", "/login"):
        html = client.get(url, headers=HTML).text
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert refs and all(r.startswith("/") for r in refs), (url, refs)
    assert client.get("/api/docs").status_code == 404
    assert client.get("/api/openapi.json").json()["info"]["title"] == "liftrisk"


def test_serve_binds_localhost_by_default(tmp_path, monkeypatch):
    import uvicorn

    from liftrisk.cli.main import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.setenv("LIFTRISK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LIFTRISK_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exc:
        main(["serve"])
    assert exc.value.code == 0
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    assert seen["app"].state.settings.token is None
    monkeypatch.setenv("LIFTRISK_TOKEN", "a-long-enough-token")
    with pytest.raises(SystemExit):
        main(["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3"])
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 9000)
    assert seen["app"].state.settings.token == "a-long-enough-token" and seen["app"].state.settings.workers == 3


def test_progress_is_visible_while_running(tmp_path):
    with make_client(tmp_path, runner="lr_test_runners:slow_runner") as c:
        aid = upload(c).json()["id"]
        stages = set()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30:
            s = c.get(f"/api/assessments/{aid}").json()
            stages.add((s["status"], s["stage"]))
            if s["status"] == "done":
                break
            time.sleep(0.02)
        assert ("done", "done") in stages
        assert any(st == "running" and stage.startswith(("step", "reading")) for st, stage in stages), stages
        page = c.get(f"/assessments/{aid}", headers=HTML).text
        assert 'id="progress"' not in page  # finished: results, not the progress bar
