"""Request dependencies: the service context and the caller's key."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from shopwarden.api.schemas import Instant
from shopwarden.service.auth import Principal, authenticate
from shopwarden.service.context import Context


# Both dependencies are `async def`: a sync dependency costs a thread-pool hop per request. The key
# check is immediate (`auth.authenticate`): on SQLite a `PRAGMA data_version` read while nothing has
# been committed, else one primary-key read of the key's row.
async def context(request: Request) -> Context:
    return request.app.state.ctx


async def principal(request: Request) -> Principal:
    """The caller's key from `Authorization: Bearer …`; the scheme is declared in the OpenAPI by `app.py`.
    On PostgreSQL the key's row is read over the network: in a worker thread, not on the event loop."""
    ctx: Context = request.app.state.ctx
    token = bearer(request.headers.get("authorization"))
    return authenticate(ctx, token) if ctx.db.embedded else await run_in_threadpool(authenticate, ctx, token)


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value (None: no header, another scheme)."""
    scheme, _, token = (header or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


Ctx = Annotated[Context, Depends(context)]
Caller = Annotated[Principal, Depends(principal)]
At = Annotated[Instant | None, Query(description="the instant to evaluate at (ISO 8601 with a zone); default now")]
Lang = Annotated[str, Query(pattern="^(en|zh)$", description="language of texts: en or zh")]

class FastJSON(Response):
    """JSON bytes by orjson, times as `…Z`, for hot paths."""

    media_type = "application/json"

    def render(self, content) -> bytes:
        return dumps(content)


def dumps(content) -> bytes:
    """FastJSON's encoding, for the fast health route (api/fast_health.py) to compose answers from."""
    return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


Responses = dict[int | str, dict[str, Any]]  # FastAPI's `responses=`: extra answers an operation documents
ERRORS: Responses = {
    s: {"model": None, "description": d, "content": {"application/problem+json": {}}}
    for s, d in {401: "no or bad key", 403: "wrong role or another shop", 404: "unknown id", 422: "malformed input"}.items()
}
