"""The FastAPI application: routers, problem+json errors, a body-size limit, request ids and metrics,
/healthz, /readyz and /metrics."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopwarden import __version__, web
from shopwarden.api import (
    appeals,
    bans,
    brands,
    cases,
    content,
    creators,
    experience,
    health,
    images,
    links,
    metrics,
    notices,
    policies,
    problems,
    protected_images,
    reviews,
    scanning,
    shadows,
    shops,
    statements,
    transparency,
    violations,
    webhooks,
)
from shopwarden.api.fast_health import FastHealth
from shopwarden.api.problems import problem
from shopwarden.api.request_log import RequestLog
from shopwarden.api.security_headers import SecurityHeaders
from shopwarden.errors import Code
from shopwarden.service.context import Context

MAX_BODY = 1 << 20  # 1 MiB of JSON
UPLOAD_BODY = 12 << 20  # an 8 MiB image, base64-encoded, with room for the envelope


class BodyLimit:
    """413 for a declared or streamed body over its limit (MAX_BODY; UPLOAD_BODY for image uploads):
    a Content-Length over it before any handler reads the body; a chunked body (no Content-Length)
    when it runs over, whatever the handler or its parser then makes of the cut-off body."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, uploads: int = UPLOAD_BODY):
        self.app, self.default, self.uploads = app, limit, uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.uploads if _is_upload(scope.get("path") or "") else self.default
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await _over(limit)(scope, receive, send)
        seen, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                over = True
                raise _TooLarge()
            return message

        async def guarded(message: Message) -> None:
            # Once the body ran over, whatever the app answers (FastAPI's 400 "error parsing the body",
            # a multipart parser's 400) is dropped: the client gets the 413 below.
            nonlocal started
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        if over and not started:
            await _over(limit)(scope, receive, send)


def _over(limit: int):
    return problem(413, "Too large", f"request bodies are limited to {limit} bytes", code=Code.BODY_TOO_LARGE, params={"max": limit})


def _is_upload(path: str) -> bool:
    """Image uploads: the API's, and the seller centre's appeal, review-report and dispute forms with evidence images."""
    return path == "/v1/images" or (path.startswith("/shop/") and path.endswith(("/appeal", "/report", "/dispute")))


class _TooLarge(Exception):
    pass


def create_app(ctx: Context) -> FastAPI:
    dispatching = webhooks.Dispatching()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        dispatching.on_start(app.state.ctx)  # webhook deliveries, on a thread of their own (api/webhooks.py)
        yield
        dispatching.stop()

    app = FastAPI(
        title="shopwarden",
        version=__version__,
        description="Marketplace governance engine: policy packs, the enforcement ledger, appeals. See API.md.",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.webhook_dispatcher = dispatching
    problems.install(app)
    @app.get("/healthz", tags=["meta"], summary="Liveness: no key needed")
    async def healthz() -> dict:
        return {"status": "ok"}

    # Routes are matched in order: the hot read (health) first.
    for module in (health, shops, policies, violations, appeals, scanning, cases, brands, images, protected_images, bans, reviews, creators, content, experience, statements, transparency, notices, webhooks, shadows):
        app.include_router(module.router)
    app.include_router(metrics.router)  # /metrics and /readyz
    web.mount(app)  # the seller centre and operator console (pages, not in the OpenAPI)

    app.add_middleware(FastHealth)  # the hot read ahead of the routing; inside BodyLimit (api/fast_health.py)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # so a 413 and the fast health answer carry them too
    app.add_middleware(RequestLog)  # outermost: the request id, metrics and log line of every answer (api/request_log.py)
    app.openapi = lambda: _openapi_with_bearer(app)  # type: ignore[method-assign]  # FastAPI documents replacing it
    return app


def settle(app: FastAPI) -> FastAPI:
    """Once the app is built, move everything alive (packs, templates, models, libraries: about
    180k objects) out of the garbage collector's reach, so a full collection no longer walks them
    in the middle of a request (bench/RESULTS.md, Pages: p99 of the console queues 189 → 82 ms)."""
    gc.collect()
    gc.freeze()
    _return_large_buffers()
    return app


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def _return_large_buffers(threshold: int = 4 << 20) -> None:
    """Large allocations (a decoded upload: Pillow's 16 MiB blocks, 144 MB for a 6000 px PNG)
    go back to the system when freed. Left alone, glibc raises its mmap threshold to the first
    such block freed and keeps every later one in a heap it seldom shrinks: three 6000 px images
    read in one process left 563 MB resident, 261 MB with this (core/images/decode.py); the probe's
    7 x 6000 px listing peaked at 620 MB served (VmHWM), 803 MB with malloc_trim after each image
    instead. The price: 800 px image analysis spends 10-15% more CPU (fresh pages for buffers over
    the threshold, in an A/B)."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_MMAP_THRESHOLD, threshold)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def app_from_environment() -> FastAPI:
    """The app on SHOPWARDEN_DATABASE_URL, for `shopwarden serve --workers N` (uvicorn's factory;
    the command has migrated the database once before starting the workers)."""
    import os

    from shopwarden.api.logs import configure
    from shopwarden.service import analysis
    from shopwarden.service.context import open_context

    configure()
    ctx = open_context(os.environ.get("SHOPWARDEN_DATABASE_URL") or None, migrate=False)
    analysis.notify(ctx)  # work a restart left undone is taken up at once (with SHOPWARDEN_WORK=nats: the workers do it)
    return settle(create_app(ctx))


def _openapi_with_bearer(app: FastAPI) -> dict:
    """The bearer scheme on every /v1 operation (keys are read in `deps.principal`, not by a dependency),
    and the links between operations (api/links.py)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "a key from `shopwarden keys create`"}
        }
        for path, ops in schema["paths"].items():
            if path.startswith("/v1/"):
                for op in ops.values():
                    op["security"] = [{"bearer": []}]
        app.openapi_schema = links.add_links(schema)
    return app.openapi_schema
