"""Routes: GET /v1/policies and /v1/policies/{policy_id}."""

from typing import Annotated

from fastapi import APIRouter, Path

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Id
from shopwarden.core.policy.loader import pack_summary, pack_to_api
from shopwarden.service.auth import require

router = APIRouter(prefix="/v1/policies", tags=["policies"], responses=ERRORS)


@router.get("", summary="The loaded policy packs")
def list_policies(ctx: Ctx, caller: Caller) -> list[dict]:
    require(caller, "policy.read")
    return [pack_summary(p) for p in ctx.packs.values()]


@router.get("/{policy_id}", summary="One policy pack, whole")
def get_policy(policy_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    require(caller, "policy.read")
    return pack_to_api(ctx.pack(policy_id))
