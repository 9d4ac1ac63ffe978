"""Routes: GET /v1/shops/{id}/health and /v1/shops/{id}/notices."""

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, FastJSON, Lang, Responses
from shopwarden.api.schemas import Id
from shopwarden.service import health

router = APIRouter(prefix="/v1/shops", tags=["health"], responses=ERRORS)
ShopId = Annotated[Id, Path()]


# FastJSON is not a JSONResponse, so FastAPI would document the answer as a string: say it is an object.
HEALTH_DOC: Responses = {200: {"description": "Successful Response", "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}}}}


@router.get("/{shop_id}/health", summary="The shop's standing at `at` (a fold over its ledger)", response_class=FastJSON, responses=HEALTH_DOC)
async def get_health(shop_id: ShopId, ctx: Ctx, caller: Caller, at: At = None) -> FastJSON:
    # The plain request is answered ahead of this route by api/fast_health.py (same key, roles, `at`,
    # errors and bytes); this route documents the operation and answers what that one hands on.
    # Serialised straight to bytes, skipping the response-model round trip. An embedded SQLite read
    # takes ~100 µs, about what a thread-pool hop costs, so it runs inline; a networked database is
    # read off the event loop.
    if ctx.db.embedded:
        return FastJSON(health.health(ctx, caller, shop_id, at).as_json())
    return FastJSON((await run_in_threadpool(health.health, ctx, caller, shop_id, at)).as_json())


@router.get("/{shop_id}/notices", summary="Notices sent up to `at`, oldest first")
def get_notices(shop_id: ShopId, ctx: Ctx, caller: Caller, at: At = None, lang: Lang = "en") -> list[dict]:
    return [n.as_json() for n in health.notices(ctx, caller, shop_id, at, lang)]
