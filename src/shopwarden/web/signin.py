"""Signing in with a key, signing out, the language switch, and `/` sending each caller home."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from shopwarden.errors import Unauthorized
from shopwarden.service import sessions as signin
from shopwarden.web import i18n
from shopwarden.web.pages import Form, Page, PageRoute, Visitor, finish, local_path, render, see_other
from shopwarden.web.session import Sessions

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def home_of(page: Page) -> str:
    p = page.principal
    if p is None:
        return "/signin"
    if p.role == "seller":
        return f"/shop/{p.shop_id}"
    if p.role == "creator":
        return f"/creator/{p.creator_id}"
    return "/console"


@router.get("/")
def root(page: Visitor) -> Response:
    return finish(page, see_other(home_of(page)))


@router.get("/signin")
def signin_form(page: Visitor, next: str | None = None) -> Response:
    return render(page, "signin.html", next=local_path(next, ""))


@router.post("/signin")
def signin_post(page: Visitor, form: Form) -> Response:
    pasted = form.get("key")
    after = form.get("next")
    target = local_path(after if isinstance(after, str) else None, "")
    try:
        done = signin.sign_in(page.request.app.state.ctx, pasted if isinstance(pasted, str) else "", page.session.session_id)
    except Unauthorized as exc:
        return render(page, "signin.html", status=401, next=target, failed=exc.detail)
    page.principal, page.session, page.fresh = done.principal, Sessions.new(done.session_id), True
    return finish(page, see_other(target or home_of(page)))


@router.post("/signout")
def signout(page: Visitor, form: Form) -> Response:
    """Ends the session on the server, so a copy of its cookie is worth nothing afterwards."""
    if page.session.session_id is not None:
        signin.sign_out(page.request.app.state.ctx, page.session.session_id)
    page.principal, page.session, page.fresh = None, Sessions.new(None), True
    return finish(page, see_other("/signin"))


@router.get("/lang/{code}")
def switch_language(code: str, page: Visitor, next: str | None = None) -> Response:
    response = see_other(local_path(next))
    if code in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, httponly=True, samesite="lax", path="/", secure=page.request.url.scheme == "https")
    return finish(page, response)
