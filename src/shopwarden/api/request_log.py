"""Every request once: its id (`X-Request-ID`), its metrics (by route template) and its log line.

The outermost middleware, so everything inside it — the body limit's 413, the fast health answer,
the problem documents — runs with the request id set (`logs.request_id`), and every answer carries
the id in `X-Request-ID`. An incoming id is kept when it is sane (1-128 characters of letters,
digits and `._:-`: it ends up in log lines and headers), else a new one is made.

Metrics are labelled by the route's template (`/v1/shops/{shop_id}/health`), never the raw path,
so their series stay as many as the routes; a path that matched no route counts as `unmatched`.
The line logged names the method, template, status and time — never the path, query, headers or
body, where keys, secrets and personal data travel. An answer that is a problem (4xx) is logged at
INFO, a 5xx at ERROR with its traceback, a success at DEBUG (SHOPWARDEN_LOG_LEVEL=DEBUG for every
request): so every problem document's request id leads to a line, and the success path does not
pay for formatting and writing a line (bench/RESULTS.md, Operating it: ~40 µs a request).

An id made here is this process's random prefix and a counter (32 hex digits, unique across
processes, ~0.2 µs, where uuid4 costs ~2 µs).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from time import perf_counter

from prometheus_client import Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopwarden import metrics
from shopwarden.api.logs import request_id
from shopwarden.api.problems import on_unexpected

log = logging.getLogger("shopwarden.access")
_SANE = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
FAST_HEALTH = "/v1/shops/{shop_id}/health"  # answered ahead of the routing (api/fast_health.py)
UNMATCHED = "unmatched"


_FIRST = 1 << 60  # so every count has 16 hex digits


_prefix, _counter = os.urandom(8).hex(), itertools.count(_FIRST)


def _reseed() -> None:
    global _prefix, _counter
    _prefix, _counter = os.urandom(8).hex(), itertools.count(_FIRST)


os.register_at_fork(after_in_child=_reseed)  # forked workers must not repeat the parent's ids


def new_id() -> str:
    return _prefix + hex(next(_counter))[2:]  # a third of an f-string's format spec


def incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id":
            return value.decode("ascii") if _SANE.fullmatch(value) else new_id()
    return new_id()


def route_of(scope: Scope) -> str:
    route = scope.get("route")
    if route is not None:
        return getattr(route, "path_format", None) or str(getattr(route, "path", UNMATCHED))
    if scope.get("path", "").startswith("/v1/shops/") and scope.get("path", "").endswith("/health"):
        return FAST_HEALTH
    return UNMATCHED


class RequestLog:
    """A pure ASGI middleware that wraps only `send` (to add the id header and see the status); per
    request it makes the id, one closure and one headers list, and records one histogram
    observation (its `_count` is the request count) on a labelled child looked up once per
    (route, method, status): `labels()` costs a lock and a dict walk on every call."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.series: dict[tuple[object, str, int], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = incoming_id(scope)
        request_id.set(rid)  # each request runs in its own task, so its own copy of the context
        header = (b"x-request-id", rid.encode())
        status = 0  # not answered yet
        started = perf_counter()

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]  # a new list: the response may keep its own
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        except Exception:
            # Answered here rather than by Starlette's outer ServerErrorMiddleware, so a 500 keeps
            # its request id (header and problem document) and is counted like any other answer.
            if status:
                raise
            await (await on_unexpected(Request(scope), None))(scope, receive, with_id)
        finally:
            self._record(scope, status or 500, perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        self._observe(scope, status, seconds)
        self._log(scope, status, seconds)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        """What `/metrics` costs a request: one observation on the series' histogram."""
        # keyed by the matched route object's id (routes live as long as the app; as many series
        # as routes), so the template is read once per series, not per request; no route: the fast
        # health answer or unmatched
        route = scope.get("route")
        key = (id(route) if route is not None else route_of(scope), scope["method"], status)
        child = self.series.get(key)
        if child is None:
            child = self.series[key] = metrics.HTTP_SECONDS.labels(route_of(scope), scope["method"], str(status))
        child.observe(seconds)

    def _log(self, scope: Scope, status: int, seconds: float) -> None:
        level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.ERROR
        if log.isEnabledFor(level):
            method, template = scope["method"], route_of(scope)
            log.log(level, "%s %s %d", method, template, status,
                    extra={"method": method, "route": template, "status": status, "duration_ms": round(seconds * 1000, 3)})
