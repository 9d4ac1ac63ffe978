"""Routes: PUT/GET /v1/shops/{shop_id}."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Id, ShopIn
from shopwarden.service import shops

router = APIRouter(prefix="/v1/shops", tags=["shops"], responses=ERRORS)
ShopId = Annotated[Id, Path(description="the platform's shop id")]


@router.put("/{shop_id}", summary="Create or update a shop (idempotent)")
def put_shop(shop_id: ShopId, body: ShopIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, created = shops.put_shop(ctx, caller, shop_id, body.name, body.kind, body.policy)
    response.status_code = 201 if created else 200
    return out.as_json()


@router.get("/{shop_id}", summary="A shop")
def get_shop(shop_id: ShopId, ctx: Ctx, caller: Caller) -> dict:
    return shops.get_shop(ctx, caller, shop_id).as_json()
