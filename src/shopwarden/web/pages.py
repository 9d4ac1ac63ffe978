"""What every page shares: the route class that checks CSRF and turns errors into pages, the
signed-in caller and language of a request (`Page`), and rendering.

Pages call only `service` functions, which decide permissions through `auth.require`; nothing
here decides who may see what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from shopwarden.errors import Conflict, FieldProblem, InvalidInput, ShopwardenError, Unauthorized
from shopwarden.service import sessions as signin
from shopwarden.service.auth import Principal
from shopwarden.web import i18n, nav, refusals
from shopwarden.web.session import CSRF_FIELD, Session, Sessions, check_csrf

TEMPLATES = Path(__file__).with_name("templates")
MAX_FILES, MAX_FIELDS = 4, 50


class SignInRequired(Exception):
    pass


@dataclass
class Page:
    """One request's caller, language and session, and the texts and formats of that language."""

    request: Request
    principal: Principal | None
    lang: str
    session: Session
    fresh: bool = False  # the session cookie is still to be set

    @property
    def csrf(self) -> str:
        return self.session.csrf

    @property
    def here(self) -> str:
        url = self.request.url
        return url.path + ("?" + url.query if url.query else "")

    @property
    def fmt(self) -> i18n.Formats:
        return i18n.Formats(self.lang)

    def _(self, message: str, **params: Any) -> str:
        text = i18n.translations(self.lang).gettext(message)
        return text % params if params else text

    def pick(self, named: Any) -> str:
        """The text of a pack's bilingual name (`.en`/`.zh`, or a dict with those keys) in this language."""
        if named is None:
            return ""
        key = "zh" if self.lang == "zh-CN" else "en"
        return named.get(key, "") if isinstance(named, dict) else getattr(named, key)

    def name(self, pack: Any, what: str, ident: str) -> str:
        """A pack's name for a level, privilege, sanction kind, point class or violation type (its id if unnamed)."""
        items = {"level": ((x.id, x) for x in pack.levels), "privilege": ((x.id, x) for x in pack.privileges),
                 "sanction": ((x.kind, x) for x in pack.sanction_kinds), "class": ((x.id, x) for x in pack.point_classes),
                 "type": ((x.type, x) for x in pack.violation_types)}[what]
        found = next((x for i, x in items if i == ident), None)
        return self.pick(found.name) if found is not None else ident

    def may(self, action: str) -> bool:
        return self.principal is not None and self.principal.may(action)

    @property
    def caller(self) -> Principal:
        """The signed-in principal of a `SignedIn` route (`signed_in` turned a visitor away before it ran)."""
        if self.principal is None:
            raise SignInRequired()
        return self.principal


def _sessions(request: Request) -> Sessions:
    return request.app.state.web_sessions


def page_of(request: Request, required: bool) -> Page:
    cached = getattr(request.state, "page", None)
    if cached is not None:
        if required and cached.principal is None:
            raise SignInRequired()
        return cached
    session = _sessions(request).read(request)
    fresh = session is None
    if session is None:
        session = Sessions.new(None)
    principal = None
    if session.session_id is not None:
        try:
            principal = signin.resume(request.app.state.ctx, session.session_id, _sessions(request).lifetimes)
        except Unauthorized:  # signed out, idle, expired or its key revoked: a visitor again, with a new token
            session, fresh = Sessions.new(None), True
    lang = i18n.choose(request.cookies.get(i18n.COOKIE), principal.role if principal else None, request.headers.get("accept-language"))
    page = Page(request, principal, lang, session, fresh)
    request.state.page = page
    if required and principal is None:
        raise SignInRequired()
    return page


async def signed_in(request: Request) -> Page:
    return await _page_of(request, True)


async def visitor(request: Request) -> Page:
    return await _page_of(request, False)


async def _page_of(request: Request, required: bool) -> Page:
    """On PostgreSQL the session's row is read over the network: in a worker thread, not on the event loop."""
    if request.app.state.ctx.db.embedded:
        return page_of(request, required)
    return await run_in_threadpool(page_of, request, required)


async def posted(request: Request) -> FormData:
    """The POSTed form, already parsed (and its CSRF token checked) by `PageRoute`."""
    return await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)


SignedIn = Annotated[Page, Depends(signed_in)]
Visitor = Annotated[Page, Depends(visitor)]
Form = Annotated[FormData, Depends(posted)]


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def template_global(fn: Callable) -> Callable:
    _env.globals[fn.__name__] = fn
    return fn


template_global(refusals.say)  # a service's refusal in the page's language

def score_name(page: Page, pack) -> str | None:
    """What the pack calls its experience score (体验分, Shop Performance Score) in the page's language; None: it scores none."""
    return None if pack.experience is None else page.pick(pack.experience.name)


def render(page: Page, template: str, status: int = 200, **values: Any) -> Response:
    """The template with the page, its texts (`_`) and formats (`fmt`), and the tabs of the part
    of the site it belongs to: a shop's (when it shows a `shop`) or the console's."""
    if "tabs" not in values:
        shop = values.get("shop")
        values["tabs"] = nav.shop_tabs(shop.shop_id, score_name(page, shop.pack)) if shop is not None else nav.console_tabs() if template.startswith("console/") else None
    body = _env.get_template(template).render(page=page, _=page._, fmt=page.fmt, **values)
    return finish(page, HTMLResponse(body, status_code=status))  # its security headers: api/security_headers.py


def finish(page: Page, response: Response) -> Response:
    if page.fresh:
        _sessions(page.request).write(response, page.request, page.session)
        page.fresh = False
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target only if it stays on this site (no scheme, no '//host')."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def problems_of(exc: ShopwardenError) -> list[FieldProblem]:
    return list(getattr(exc, "errors", []) or [])


def error_page(request: Request, exc: ShopwardenError) -> Response:
    page = page_of(request, required=False)
    extra = {}
    if isinstance(exc, Conflict):
        extra = {"rule": exc.rule, "until": exc.until}
    return render(page, "error.html", status=exc.status, error=exc, problems=problems_of(exc), **extra)


class CsrfRefused(ShopwardenError):
    status = 403
    title = "Form refused"


class PageRoute(APIRoute):
    """Every page route: a POST without this session's CSRF token is refused before its handler
    runs (nothing changes); errors become pages; a missing sign-in sends the visitor to sign in."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                if request.method == "POST":
                    form = await posted(request)
                    if not check_csrf(_sessions(request).read(request), form.get(CSRF_FIELD)):
                        raise CsrfRefused("this form's security token is missing or out of date; reload the page and try again")
                return await handler(request)
            except SignInRequired:
                return see_other("/signin?next=" + quote(local_path(request.url.path + ("?" + request.url.query if request.url.query else "")), safe="/?=&"))
            except ShopwardenError as exc:
                return error_page(request, exc)
            except RequestValidationError as exc:
                problems = [FieldProblem(".".join(str(p) for p in e.get("loc", ())[1:]) or "request", e.get("msg", "invalid")) for e in exc.errors()]
                return error_page(request, InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems))
            except HTTPException as exc:
                err = ShopwardenError(str(exc.detail))
                err.status, err.title = exc.status_code, str(exc.detail)
                return error_page(request, err)

        return page_handler
