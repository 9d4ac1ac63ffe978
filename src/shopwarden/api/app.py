"""The FastAPI application: routers, problem+json errors, a body-size limit, /healthz."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Receive, Scope, Send

from shopwarden import __version__, web
from shopwarden.api import appeals, bans, brands, cases, experience, health, images, policies, problems, protected_images, reviews, scanning, shops, violations
from shopwarden.api.fast_health import FastHealth
from shopwarden.api.problems import problem
from shopwarden.service.context import Context

MAX_BODY = 1 << 20  # 1 MiB of JSON
UPLOAD_BODY = 12 << 20  # an 8 MiB image, base64-encoded, with room for the envelope


class BodyLimit:
    """413 for a declared or streamed body over its limit (MAX_BODY; UPLOAD_BODY for image uploads),
    before any handler reads it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, uploads: int = UPLOAD_BODY):
        self.app, self.default, self.uploads = app, limit, uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.uploads if _is_upload(scope.get("path") or "") else self.default
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await problem(413, "Too large", f"request bodies are limited to {limit} bytes")(scope, receive, send)
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await problem(413, "Too large", f"request bodies are limited to {limit} bytes")(scope, receive, send)


def _is_upload(path: str) -> bool:
    """Image uploads: the API's, and the seller centre's appeal, review-report and dispute forms with evidence images."""
    return path == "/v1/images" or (path.startswith("/shop/") and path.endswith(("/appeal", "/report", "/dispute")))


class _TooLarge(Exception):
    pass


def create_app(ctx: Context) -> FastAPI:
    app = FastAPI(
        title="shopwarden",
        version=__version__,
        description="Marketplace governance engine: policy packs, the enforcement ledger, appeals. See API.md.",
    )
    app.state.ctx = ctx
    problems.install(app)
    @app.get("/healthz", tags=["meta"], summary="Liveness: no key needed")
    async def healthz() -> dict:
        return {"status": "ok"}

    # Routes are matched in order: the hot read (health) first.
    for module in (health, shops, policies, violations, appeals, scanning, cases, brands, images, protected_images, bans, reviews, experience):
        app.include_router(module.router)
    web.mount(app)  # the seller centre and operator console (pages, not in the OpenAPI)

    app.add_middleware(FastHealth)  # the hot read ahead of the routing; inside BodyLimit (api/fast_health.py)
    app.add_middleware(BodyLimit)
    app.openapi = lambda: _openapi_with_bearer(app)
    return app


def settle(app: FastAPI) -> FastAPI:
    """Once the app is built, move everything alive (packs, templates, models, libraries: about
    180k objects) out of the garbage collector's reach, so a full collection no longer walks them
    in the middle of a request (bench/RESULTS.md, Pages: p99 of the console queues 189 → 82 ms)."""
    gc.collect()
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """The app on SHOPWARDEN_DATABASE_URL, for `shopwarden serve --workers N` (uvicorn's factory;
    the command has migrated the database once before starting the workers)."""
    import os

    from shopwarden.service.context import open_context

    return settle(create_app(open_context(os.environ.get("SHOPWARDEN_DATABASE_URL") or None, migrate=False)))


def _openapi_with_bearer(app: FastAPI) -> dict:
    """The bearer scheme on every /v1 operation (keys are read in `deps.principal`, not by a dependency)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "a key from `shopwarden keys create`"}
        }
        for path, ops in schema["paths"].items():
            if path.startswith("/v1/"):
                for op in ops.values():
                    op["security"] = [{"bearer": []}]
        app.openapi_schema = schema
    return app.openapi_schema
