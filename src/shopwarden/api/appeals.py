"""Routes: GET /v1/appeals (queue), GET /v1/appeals/{id}, POST /v1/appeals/{id}/decision."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import DecisionIn, Id
from shopwarden.api.violations import CONFLICT
from shopwarden.service import appeals

router = APIRouter(prefix="/v1/appeals", tags=["appeals"], responses=ERRORS)
AppealId = Annotated[Id, Path()]


@router.get("", summary="Pending appeals, oldest first (operator queue)")
def queue(ctx: Ctx, caller: Caller, shop_id: Annotated[Id | None, Query()] = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return [a.as_json() for a in appeals.queue(ctx, caller, shop_id, limit)]


@router.get("/{appeal_id}", summary="One appeal")
def get_appeal(appeal_id: AppealId, ctx: Ctx, caller: Caller) -> dict:
    return appeals.get(ctx, caller, appeal_id).as_json()


@router.post("/{appeal_id}/decision", summary="Decide an appeal (TT-APL-5, TT-APL-6)", responses=CONFLICT)
def decide(appeal_id: AppealId, body: DecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return appeals.decide(ctx, caller, appeal_id, appeals.DecisionInput(**body.model_dump(mode="python"))).as_json()
