"""Routes: GET /v1/shops/{id}/health and /v1/shops/{id}/notices."""

from typing import Annotated

from fastapi import APIRouter, Path

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, FastJSON, Lang
from shopwarden.api.schemas import Id
from shopwarden.service import health

router = APIRouter(prefix="/v1/shops", tags=["health"], responses=ERRORS)
ShopId = Annotated[Id, Path()]


@router.get("/{shop_id}/health", summary="The shop's standing at `at` (a fold over its ledger)", response_class=FastJSON)
def get_health(shop_id: ShopId, ctx: Ctx, caller: Caller, at: At = None) -> FastJSON:
    # The hot path: serialised straight to bytes, skipping the response-model round trip.
    return FastJSON(health.health(ctx, caller, shop_id, at))


@router.get("/{shop_id}/notices", summary="Notices sent up to `at`, oldest first")
def get_notices(shop_id: ShopId, ctx: Ctx, caller: Caller, at: At = None, lang: Lang = "en") -> list[dict]:
    return health.notices(ctx, caller, shop_id, at, lang)
