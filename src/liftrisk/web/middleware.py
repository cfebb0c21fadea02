"""ASGI middleware of the web app: upload size limit, access token, same-origin POSTs.

Pure ASGI (no BaseHTTPMiddleware) so that a too-large body is refused while it streams in,
before Starlette has spooled it to disk.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from html import escape
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.datastructures import Headers

TOKEN_COOKIE = "liftrisk_session"
FORM_OVERHEAD_BYTES = 1_000_000  # room for the multipart headers and the subject fields
OPEN_PATHS = ("/healthz", "/login", "/static/", "/vendor/")


class BodyTooLarge(HTTPException):
    """Raised while reading a request body that exceeds the limit (413)."""

    def __init__(self, limit_bytes: int):
        super().__init__(413, f"the upload is larger than the limit of {limit_bytes / 1e6:g} MB. Fix: send a "
                              "shorter recording (or ask the administrator to raise LIFTRISK_MAX_UPLOAD_MB)")


async def _send_json(send, status: int, detail: str, headers: list | None = None, html: bool = False) -> None:
    """Send ``{"detail": ...}`` (or, for a browser, a minimal HTML page with the message)."""
    if html:
        body = (f"<!doctype html><meta charset=utf-8><title>liftrisk: error {status}</title>"
                f"<h1>Error {status}</h1><p id=error>{escape(detail)}</p><p><a href='/'>Back</a></p>").encode()
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


def session_value(token: str) -> str:
    """Cookie value proving knowledge of the token (HMAC, so the token itself is not stored).

    Examples
    --------
    >>> len(session_value("a-long-secret-token"))
    64
    """
    return hmac.new(token.encode(), b"liftrisk-session", hashlib.sha256).hexdigest()


class TokenAuth:
    """Require the access token (``Authorization: Bearer``, or the cookie set by /login)."""

    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token

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
            ok = hmac.compare_digest(cookies.get(TOKEN_COOKIE, "").encode(), session_value(self.token).encode())
        if ok:
            return await self.app(scope, receive, send)
        if "text/html" in headers.get("accept", "") and scope["method"] == "GET":
            nxt = scope["path"]
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", f"/login?next={nxt}".encode()), (b"content-length", b"0")]})
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
