"""Security fixes of the web app, through the real app (TestClient: every middleware, router
and error handler runs): Host allow-list (DNS rebinding), security headers on every
response, the token never in a URL, an expiring session cookie that rotates on sign-in, a
safe login redirect, huge ids, non-ASCII file names."""

from __future__ import annotations

import time

import pytest
from lr_web_helpers import CSV_A, SUBJECT, make_client, upload, wait_done

HTML = {"accept": "text/html"}
TOKEN = "s3cret-token-for-tests"


def _headers_ok(r, framed_by_self: bool = False) -> None:
    assert r.headers["x-content-type-options"] == "nosniff", r.url
    assert r.headers["referrer-policy"] == "same-origin", r.url  # no-referrer made Chromium post Origin: null
    csp = r.headers["content-security-policy"]
    if framed_by_self:
        assert "frame-ancestors 'self'" in csp and r.headers["x-frame-options"] == "SAMEORIGIN"
    else:
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "script-src 'self'" in csp
        assert r.headers["x-frame-options"] == "DENY"


def test_dns_rebinding_host_refused(tmp_path):
    """Before: `Host: rebind.example` with a matching Origin got 201 (job posted) and 200 (list)."""
    with make_client(tmp_path) as c:
        evil = {"host": "rebind.example", "origin": "http://rebind.example"}
        r = c.post("/api/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=SUBJECT, headers=evil)
        assert r.status_code == 421 and "rebind.example" in r.json()["detail"]
        assert c.get("/api/assessments", headers=evil).status_code == 421
        assert c.get("/", headers=dict(evil, accept="text/html")).status_code == 421
        assert c.get("/healthz", headers={"host": "rebind.example"}).status_code == 421
        for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"):
            assert c.get("/api/assessments", headers={"host": host}).status_code == 200, host
        assert c.get("/api/assessments").json() == []  # nothing was queued by the refused post


def test_configured_host_allowed(tmp_path, monkeypatch):
    with make_client(tmp_path, allowed_hosts=("lift-server.example",)) as c:
        assert c.get("/api/assessments", headers={"host": "lift-server.example:8000"}).status_code == 200
        assert c.get("/api/assessments", headers={"host": "other.example"}).status_code == 421
    from liftrisk.web.settings import WebSettings

    monkeypatch.setenv("LIFTRISK_ALLOWED_HOSTS", "a.example, b.example")
    assert set(WebSettings.from_env().hosts) >= {"a.example", "b.example", "127.0.0.1", "localhost", "::1"}


def test_security_headers_on_every_response(tmp_path):
    """Before: no CSP (except the report), no nosniff, no frame-ancestors, no Referrer-Policy."""
    with make_client(tmp_path, token=TOKEN, max_upload_mb=0.001) as c:
        bearer = {"authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/assessments", files={"file": ("a.csv", CSV_A, "text/csv")}, data=SUBJECT, headers=bearer)
        aid = r.json()["id"]
        wait_done(c, aid, headers=bearer)
        responses = [
            c.get("/", headers=dict(bearer, **HTML)), c.get("/api/assessments", headers=bearer),
            c.get("/api/assessments/999", headers=bearer),  # 404 from the error handler
            c.get("/api/assessments"),  # 401 from the token middleware
            c.get("/", headers=HTML, follow_redirects=False),  # 303 to /login
            c.get("/login"), c.get("/static/app.css"), c.get("/healthz"),
            c.get("/api/assessments", headers={"host": "evil.example"}),  # 421 from the Host check
            c.post("/api/assessments", content=b"x" * 2_000_000, headers=dict(bearer, **{
                "content-type": "multipart/form-data; boundary=x"})),  # 413 from the size limit
            c.get(f"/assessments/{aid}", headers=dict(bearer, **HTML)),
        ]
        assert [r.status_code for r in responses] == [200, 200, 404, 401, 303, 200, 200, 200, 421, 413, 200]
        for r in responses:
            _headers_ok(r)
        rep = c.get(f"/assessments/{aid}/report.html", headers=bearer)
        assert rep.headers["content-security-policy"].startswith("sandbox allow-scripts")
        _headers_ok(rep, framed_by_self=True)  # the assessment page frames it; no other site can


def test_token_never_accepted_in_url(tmp_path):
    """Before: /login?token=... signed in (the token ended up in history and logs)."""
    with make_client(tmp_path, token=TOKEN) as c:
        r = c.get(f"/login?token={TOKEN}&next=/", follow_redirects=False)
        assert r.status_code == 400 and "not accepted in the address" in r.text
        assert "liftrisk_session" not in r.headers.get("set-cookie", "")
        assert c.get("/api/assessments").status_code == 401
        assert c.get(f"/api/assessments?token={TOKEN}").status_code == 401


def test_session_cookie_expires_and_rotates(tmp_path):
    """Before: the cookie was a fixed HMAC of the token: no expiry, the same value for ever."""
    from liftrisk.web._middleware import TOKEN_COOKIE, session_value

    with make_client(tmp_path, token=TOKEN, session_max_age_s=60) as c:
        values = []
        for _ in range(2):
            r = c.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
            assert r.status_code == 303
            cookie = r.headers["set-cookie"]
            assert "Max-Age=60" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
            values.append(r.cookies[TOKEN_COOKIE])
        assert values[0] != values[1] and TOKEN not in values[0]
        c.cookies.clear()
        old = session_value(TOKEN, now=time.time() - 61)  # issued 61 s ago: expired
        assert c.get("/api/assessments", cookies={TOKEN_COOKIE: old}).status_code == 401
        fresh = session_value(TOKEN)
        assert c.get("/api/assessments", cookies={TOKEN_COOKIE: fresh}).status_code == 200
        forged = fresh.rsplit(".", 1)[0] + "." + "0" * 64
        assert c.get("/api/assessments", cookies={TOKEN_COOKIE: forged}).status_code == 401


def test_login_redirect_is_encoded_and_keeps_the_query(tmp_path):
    """Before: `Location: /login?next=<decoded path>`: CR/LF in the path broke the response
    (connection dropped, traceback) and the query string was lost."""
    with make_client(tmp_path, token=TOKEN) as c:
        r = c.get("/assessments?worker=W1&job=J", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/assessments%3Fworker%3DW1%26job%3DJ"
        r = c.get("/a%0D%0ASet-Cookie:%20x=1", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and "set-cookie" not in r.headers
        assert r.headers["location"] == "/login?next=/a%0D%0ASet-Cookie%3A%20x%3D1"
        page = c.get(r.headers["location"]).text
        assert 'name="next" value="/"' in page  # a target with control characters is not kept
        r = c.post("/login", data={"token": TOKEN, "next": "/assessments?worker=W1&job=J"}, follow_redirects=False)
        assert r.headers["location"] == "/assessments?worker=W1&job=J"


@pytest.mark.parametrize("big", [2**63, 2**64, 10**30])
def test_huge_ids_are_404_not_500(client, big):
    """Before: OverflowError from SQLite -> HTTP 500."""
    for url in (f"/api/assessments/{big}", f"/assessments/{big}", f"/api/assessments/{big}/summary",
                f"/assessments/{big}/timeseries.csv", f"/assessments/{big}/report.html",
                f"/compare?a={big}&b=1", f"/compare?pick={big}&pick={big}"):
        r = client.get(url)
        assert r.status_code == 404, (url, r.status_code, r.text[:200])
    assert client.get(f"/api/assessments/{2**63 - 1}").status_code == 404


def test_non_ascii_file_names_kept(client):
    """Before: `lîft_日本.csv` was stored as `l_ft___.csv`."""
    aid = upload(client, name="lîft_日本 (1).csv").json()["id"]
    s = wait_done(client, aid)
    assert s["status"] == "done" and s["input_name"] == "lîft_日本 (1).csv"
    assert "lîft_日本 (1).csv" in client.get(f"/assessments/{aid}", headers=HTML).text
    bidi = upload(client, name="evil\u202ecod.exe.csv").json()["id"]  # right-to-left override removed
    assert client.get(f"/api/assessments/{bidi}").json()["input_name"] == "evil_cod.exe.csv"
