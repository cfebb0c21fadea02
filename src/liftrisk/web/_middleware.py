"""ASGI middleware of the web app: security headers, Host allow-list, upload size limit,
access token (header or session cookie), same-origin POSTs.

Pure ASGI (no BaseHTTPMiddleware) so that a too-large body is refused while it streams in,
before Starlette has spooled it to disk, and so that the headers are added to every
response, including the refusals sent by the other middleware.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from html import escape
from urllib.parse import quote, urlsplit

from fastapi import HTTPException
from starlette.datastructures import Headers

TOKEN_COOKIE = "liftrisk_session"
FORM_OVERHEAD_BYTES = 1_000_000  # room for the multipart headers and the subject fields
OPEN_PATHS = ("/healthz", "/login", "/static/", "/vendor/")
#: pages: only this origin's scripts/styles (Plotly adds inline styles), never framed by another site
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-src 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                    (b"cross-origin-opener-policy", b"same-origin"))


class BodyTooLarge(HTTPException):
    """Raised while reading a request body that exceeds the limit (413)."""

    def __init__(self, limit_bytes: int):
        super().__init__(413, f"the upload is larger than the limit of {limit_bytes / 1e6:g} MB. Fix: send a "
                              "shorter recording (or ask the administrator to raise LIFTRISK_MAX_UPLOAD_MB)")


async def _send_json(send, status: int, detail: str, headers: list | None = None, html: bool = False) -> None:
    """Send ``{"detail": ...}`` (or, for a browser, a minimal HTML page with the message)."""
    if html:
        body = (f"<!doctype html><meta charset=utf-8><title>liftrisk: error {status}</title>"
                f"<link rel=stylesheet href=/static/app.css><main>"
                f"<h1>Error {status}</h1><p id=error>{escape(detail)}</p><p><a href='/'>Back</a></p></main>").encode()
        ctype = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": detail}).encode()
        ctype = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


def _wants_html(headers: Headers, path: str) -> bool:
    return "text/html" in headers.get("accept", "") and not path.startswith("/api/")


class BodySizeLimit:
    """Refuse request bodies above `max_bytes` (+ form overhead) with 413, early when the
    Content-Length says so, otherwise as soon as the streamed body passes the limit."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = int(max_bytes)
        self.limit = int(max_bytes) + FORM_OVERHEAD_BYTES

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _send_json(send, 413, BodyTooLarge(self.max_bytes).detail, [(b"connection", b"close")],
                                    html=_wants_html(headers, scope["path"]))
        seen = 0

        async def limited_receive():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.max_bytes)
            return msg

        return await self.app(scope, limited_receive, send)


def session_value(token: str, now: float | None = None) -> str:
    """A new session cookie value: issue time, a random nonce and an HMAC keyed by the token
    (so the token itself is never stored in the browser, and every login gets a new value).

    Parameters
    ----------
    token : str
        The server's access token (the HMAC key).
    now : float, optional
        Issue time, s since the epoch (default: now).

    Examples
    --------
    >>> v = session_value("a-long-secret-token", now=1000.0)
    >>> v.split(".")[0], session_valid(v, "a-long-secret-token", max_age_s=60, now=1030.0)
    ('1000', True)
    >>> session_valid(v, "a-long-secret-token", max_age_s=60, now=1061.0)  # expired
    False
    """
    issued = str(int(time.time() if now is None else now))
    nonce = secrets.token_urlsafe(16)
    return f"{issued}.{nonce}.{_mac(token, issued, nonce)}"


def _mac(token: str, issued: str, nonce: str) -> str:
    return hmac.new(token.encode(), f"liftrisk-session|{issued}|{nonce}".encode(), hashlib.sha256).hexdigest()


def session_valid(value: str, token: str, max_age_s: float, now: float | None = None) -> bool:
    """True when `value` was issued by `session_value` with this token less than `max_age_s` ago."""
    issued, _, rest = value.partition(".")
    nonce, _, mac = rest.partition(".")
    if not (issued.isdigit() and nonce and mac):
        return False
    age = (time.time() if now is None else now) - int(issued)
    return 0 <= age <= max_age_s and hmac.compare_digest(mac.encode(), _mac(token, issued, nonce).encode())


def login_redirect(path: str, query_string: bytes = b"") -> bytes:
    r"""``Location`` of the sign-in page that returns to `path` (and its query) afterwards,
    percent-encoded so that no byte of the request can break the header.

    Examples
    --------
    >>> login_redirect("/assessments", b"worker=W1&job=J")
    b'/login?next=/assessments%3Fworker%3DW1%26job%3DJ'
    >>> login_redirect("/a\r\nSet-Cookie: x=1")
    b'/login?next=/a%0D%0ASet-Cookie%3A%20x%3D1'
    """
    target = path + ("?" + query_string.decode("latin-1") if query_string else "")
    return ("/login?next=" + quote(target, safe="/")).encode("ascii")


class TokenAuth:
    """Require the access token (``Authorization: Bearer``, or the cookie set by /login)."""

    def __init__(self, app, token: str | None, max_age_s: float = 12 * 3600):
        self.app = app
        self.token = token
        self.max_age_s = max_age_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.token or scope["path"].startswith(OPEN_PATHS) \
                or scope["path"] == "/favicon.ico":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        auth = headers.get("authorization", "")
        ok = auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip().encode(), self.token.encode())
        if not ok:
            cookies = {}
            for part in headers.get("cookie", "").split(";"):
                k, _, v = part.strip().partition("=")
                cookies[k] = v
            ok = session_valid(cookies.get(TOKEN_COOKIE, ""), self.token, self.max_age_s)
        if ok:
            return await self.app(scope, receive, send)
        if "text/html" in headers.get("accept", "") and scope["method"] == "GET":
            location = login_redirect(scope["path"], scope.get("query_string", b""))
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location), (b"content-length", b"0")]})
            return await send({"type": "http.response.body", "body": b""})
        return await _send_json(send, 401, "this liftrisk server needs an access token: send 'Authorization: "
                                           "Bearer <token>' or sign in at /login", [(b"www-authenticate", b"Bearer")])


class SameOriginPosts:
    """Refuse state-changing requests whose Origin is another site (cross-site form posts)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin and (origin == "null" or urlsplit(origin).netloc != headers.get("host", "")):
                return await _send_json(send, 403, f"cross-site request from {origin} refused",
                                        html=_wants_html(headers, scope["path"]))
        return await self.app(scope, receive, send)


def host_name(host_header: str) -> str:
    """The name part of a Host header, lower-case, without port or IPv6 brackets.

    Examples
    --------
    >>> host_name("[::1]:8000"), host_name("LocalHost:80"), host_name("127.0.0.1")
    ('::1', 'localhost', '127.0.0.1')
    """
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:].partition("]")[0]
    return h.rpartition(":")[0] if h.count(":") == 1 else h


class HostAllowList:
    """Refuse requests whose Host is not one of the allowed names (421): a page whose DNS
    name was rebound to 127.0.0.1 sends its own name and is refused."""

    def __init__(self, app, hosts):
        self.app = app
        self.hosts = frozenset(host_name(h) for h in hosts if h)

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers = Headers(scope=scope)
            name = host_name(headers.get("host", ""))
            if name not in self.hosts:
                return await _send_json(send, 421, f"this liftrisk server does not answer to the host name "
                                                   f"{name[:100]!r}; open it as http://127.0.0.1 (or ask the "
                                                   "administrator to add the name to LIFTRISK_ALLOWED_HOSTS)",
                                        html=_wants_html(headers, scope.get("path", "")))
        return await self.app(scope, receive, send)


class SecurityHeaders:
    """Add nosniff, Referrer-Policy, a Content-Security-Policy (with frame-ancestors) and
    X-Frame-Options to every response. A response that sets its own CSP (the sandboxed
    report) keeps it, with ``frame-ancestors 'self'`` added so only this app can frame it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                headers = [(k, v) for k, v in msg.get("headers", []) if k.lower() != b"x-frame-options"]
                own = [v for k, v in headers if k.lower() == b"content-security-policy"]
                if own:
                    headers = [(k, v + b"; frame-ancestors 'self'") if k.lower() == b"content-security-policy"
                               else (k, v) for k, v in headers]
                    headers.append((b"x-frame-options", b"SAMEORIGIN"))
                else:
                    headers += [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY")]
                msg = dict(msg, headers=headers + [h for h in SECURITY_HEADERS
                                                   if h[0] not in {k.lower() for k, _ in headers}])
            await send(msg)

        return await self.app(scope, receive, send_with_headers)
