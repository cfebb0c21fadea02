"""Sign-in: the token is accepted in a form post (or an Authorization header, checked by
the middleware), never in the URL; each sign-in issues a new session cookie that expires."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from liftrisk.web._common import local_target, page, settings_of
from liftrisk.web._middleware import TOKEN_COOKIE, session_value

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/"):
    if "token" in request.query_params:
        # a token in the URL ends up in the browser history, proxy logs and Referer headers
        return page(request, "login.html", 400, next=local_target(next),
                    error="the token is not accepted in the address; type it into this form")
    return page(request, "login.html", next=local_target(next), error="")


@router.post("/login")
async def login_post(request: Request, token: str = Form(""), next: str = Form("/")):
    settings = settings_of(request)
    target = local_target(next)
    if not settings.token:
        return RedirectResponse(target, status_code=303)
    if not secrets.compare_digest(token.encode(), settings.token.encode()):
        return page(request, "login.html", 401, next=target, error="wrong token")
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(TOKEN_COOKIE, session_value(settings.token), max_age=int(settings.session_max_age_s),
                    httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp
