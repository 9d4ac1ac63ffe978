"""The hot read, `GET /v1/shops/{id}/health`, answered ahead of FastAPI's routing and dependencies.

Why: the health read is the one integrators poll, and it must keep at least half the throughput of a
trivial endpoint. On a kept answer
(service/health.py `HealthCache`) the read is a few µs, and FastAPI's routing, dependency solving
and validation would cost several times that. So this ASGI middleware answers the plain request
itself and hands everything else on unchanged to the app, where the FastAPI route stays declared:
it documents the operation in the OpenAPI and answers every request this one does not take.

What it keeps identical:
- it takes only a GET of exactly `/v1/shops/{id}/health` with an id that `schemas.Id` accepts and
  an `at`, if any, that `deps.At` accepts (read as FastAPI reads query parameters); a malformed id
  or `at`, another method or path goes on to the route, which gives its usual 422/405/404;
- the key is read as `deps.principal` reads it (`bearer`, `authenticate`), and roles are enforced
  by `require` inside the service, on kept answers too;
- errors are rendered by the app's own problem+json handler (`problems.on_shopwarden`); anything
  unexpected propagates to the same ServerErrorMiddleware (a 500 problem);
- the body is `FastJSON`'s bytes (`deps.dumps`), composed from a kept rendering and this request's
  `at` (tests/api/test_health_fast.py compares both paths byte for byte);
- it sits inside `BodyLimit`, so an oversized declared body is still a 413.
`SHOPWARDEN_HEALTH_CACHE=off` (read when the app is built) turns the cache off: every request then
reads and folds, as for a shop never seen before; the benchmark measures both.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from shopwarden.api.deps import At, bearer, dumps
from shopwarden.api.problems import on_shopwarden
from shopwarden.errors import ShopwardenError
from shopwarden.service.auth import authenticate
from shopwarden.service.context import Context
from shopwarden.service.health import HealthCache

# `schemas.Id` inside the route's path: 1-64 characters, the first a letter or digit.
_PATH = re.compile(r"/v1/shops/([A-Za-z0-9][A-Za-z0-9_.:\-]{0,63})/health")
_AT = TypeAdapter(At)
_JSON = [(b"content-type", b"application/json")]

Parts = tuple[bytes, bytes]  # a health document's JSON before and after the value of "at"


def parts(doc: dict) -> Parts:
    """`dumps(doc)` split around the value of "at", the second key (`health_json`'s order)."""
    rest = dict(doc)
    head = b'{"shop_id":' + dumps(rest.pop("shop_id")) + b',"at":'
    del rest["at"]
    return head, b"," + dumps(rest)[1:]


def body(rendered: Parts, at: datetime) -> bytes:
    return rendered[0] + dumps(at) + rendered[1]


class _Route:
    """What the routing would have put in the scope: the request log reads the route's template
    from it (one series per template) as for any routed request."""

    path_format = "/v1/shops/{shop_id}/health"


_ROUTE = _Route()


class FastHealth:
    """ASGI middleware: the plain health GET here, everything else to `app`."""

    def __init__(self, app: ASGIApp, cache: bool | None = None):
        self.app = app
        self.cache_on = os.environ.get("SHOPWARDEN_HEALTH_CACHE", "on").lower() not in ("off", "0", "false") if cache is None else cache
        self._ctx: Context | None = None
        self.cache: HealthCache[Parts] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            return await self.app(scope, receive, send)
        m = _PATH.fullmatch(scope["path"])
        if m is None:
            return await self.app(scope, receive, send)
        at = None
        if scope["query_string"]:
            try:
                at = _AT.validate_python(QueryParams(scope["query_string"]).get("at"))
            except ValidationError:
                return await self.app(scope, receive, send)  # the route gives the 422
        ctx: Context = scope["app"].state.ctx
        scope["route"] = _ROUTE
        try:
            out = self._answer(ctx, scope, m.group(1), at) if ctx.db.embedded else await run_in_threadpool(self._answer, ctx, scope, m.group(1), at)
        except ShopwardenError as exc:
            return await (await on_shopwarden(Request(scope), exc))(scope, receive, send)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(out)).encode()), *_JSON]})
        await send({"type": "http.response.body", "body": out})

    def _answer(self, ctx: Context, scope: Scope, shop_id: str, at: datetime | None) -> bytes:
        header = None
        for name, value in scope["headers"]:
            if name == b"authorization":  # the first one, as Starlette's Headers.get
                header = value.decode("latin-1")
                break
        caller = authenticate(ctx, bearer(header))
        rendered, at = self._cache(ctx).get(caller, shop_id, at)
        return body(rendered, at)

    def _cache(self, ctx: Context) -> HealthCache[Parts]:
        if ctx is not self._ctx:  # one cache per service context (tests swap databases)
            if self.cache is not None:
                self.cache.close()
            self.cache, self._ctx = HealthCache(ctx, parts, enabled=self.cache_on), ctx
        assert self.cache is not None  # set above for this context
        return self.cache
