"""Routes: after-sales requests and complaints in, and the shop's experience page (DY-QL-1..5)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, Responses
from shopwarden.api.schemas import Body, Id, Instant
from shopwarden.service import after_sales, experience, poor_quality

router = APIRouter(tags=["experience"], responses=ERRORS)
CONFLICT: Responses = {409: {"description": "the id was recorded with other content", "content": {"application/problem+json": {}}}}


class AfterSaleIn(Body):
    after_sale_id: Id
    order_id: Id = Field(description="a recorded order (else 422)")
    kind: Literal["return", "refund", "exchange"]
    reason: Literal["quality", "not_as_described", "damaged", "no_reason", "other"] = Field(
        description="quality and not_as_described count toward the quality-return rate (品退率, DY-QL-1)")
    filed_at: Instant | None = Field(default=None, description="not before the order; default now")


class ComplaintIn(Body):
    complaint_id: Id
    order_id: Id = Field(description="a recorded order (else 422)")
    kind: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_\-]*$", description="the platform's complaint kind")]
    filed_at: Instant | None = Field(default=None, description="not before the order; default now")


@router.post("/v1/after-sales", status_code=201, responses=CONFLICT, summary="Record an after-sales request (the same again: 200)")
def post_after_sale(body: AfterSaleIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    result, status = after_sales.post_after_sale(ctx, caller, after_sales.AfterSaleInput(**body.model_dump()))
    out = result.as_json()
    response.status_code = status
    return out


@router.post("/v1/complaints", status_code=201, responses=CONFLICT, summary="Record a complaint (the same again: 200)")
def post_complaint(body: ComplaintIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    result, status = after_sales.post_complaint(ctx, caller, after_sales.ComplaintInput(**body.model_dump()))
    out = result.as_json()
    response.status_code = status
    return out


@router.get("/v1/shops/{shop_id}/experience", summary="The experience score (体验分) at `at`: indicators, products, forecast (DY-QL-2..5)")
def get_experience(shop_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller, at: At = None) -> dict:
    return experience.page(ctx, caller, shop_id, at).as_json()


class DetermineIn(Body):
    at: Instant | None = Field(default=None, description="judge as of this instant (a platform may back-date); default now")


@router.post("/v1/shops/{shop_id}/experience/determinations", status_code=201,
             summary="Judge the shop for DY-QL-3 and record each new determination with its DY-QL-4 measures (none new: 200 and [])")
def determine(shop_id: Annotated[Id, Path()], body: DetermineIn, ctx: Ctx, caller: Caller, response: Response) -> list[dict]:
    made, status = poor_quality.determine(ctx, caller, shop_id, body.at)
    response.status_code = status
    return [d.as_json() for d in made]


class FraudIn(Body):
    kind: Literal["intent", "batch_risk"] = Field(description="subjective intent (主观故意) or batch risk (批量性风险), seed 004 场景五")
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    amount_per_order: Annotated[float, Field(gt=0, le=1_000_000, description="compensation to each affected buyer (the operator's decision)")]
    found_at: Instant | None = None
    found_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None


@router.post("/v1/determinations/{determination_id}/fraud", status_code=201, responses=CONFLICT,
             summary="An operator's finding of fraud on a DY-QL-3 determination: compensation to the affected buyers (DY-QL-4)")
def find_fraud(determination_id: Annotated[Id, Path()], body: FraudIn, ctx: Ctx, caller: Caller) -> dict:
    return poor_quality.find_fraud(ctx, caller, determination_id, poor_quality.FraudInput(**body.model_dump())).as_json()
