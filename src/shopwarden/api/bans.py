"""Routes: ban a product (DY-LQ-6), a listing's same-product matches, and disputes of a match."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import Field

from shopwarden.api.deps import ERRORS, Caller, Ctx, Responses
from shopwarden.api.schemas import Body, Evidence, Id, ShortText
from shopwarden.service import bans

router = APIRouter(tags=["bans"], responses=ERRORS)


class BanIn(Body):
    reason: Literal["low_positive_rate", "poor_quality", "regulator_notice", "repeated_spot_check_failure",
                    "resale_after_ban", "regulator_assistance"] = Field(description="DY-LQ-5 scenario")
    severity: Literal["minor", "general", "serious", "especially_serious"] = Field(description="DY-LQ-6: points per the pack")
    statement: ShortText


class MatchDisputeIn(Body):
    banned_product_id: Id
    reason: ShortText
    evidence: Annotated[list[Evidence], Field(max_length=50)] = []


CONFLICT: Responses = {409: {"description": "already banned, or a dispute already open", "content": {"application/problem+json": {}}}}


@router.post("/v1/products/{product_id}/ban", status_code=201, responses=CONFLICT,
             summary="Ban a product: takedown, the DY-LQ-6 violation, its fingerprint registered, the live catalogue swept")
def ban_product(product_id: Annotated[Id, Path()], body: BanIn, ctx: Ctx, caller: Caller) -> dict:
    return bans.ban(ctx, caller, product_id, bans.BanInput(**body.model_dump())).as_json()


@router.get("/v1/products/{product_id}/matches", summary="The banned products this listing is the same as, and why")
def product_matches(product_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return bans.matches(ctx, caller, product_id).as_json()


@router.post("/v1/products/{product_id}/match-disputes", status_code=201, responses=CONFLICT,
             summary="Dispute a same-product match: opens an operator case (subject kind match_dispute)")
def dispute_match(product_id: Annotated[Id, Path()], body: MatchDisputeIn, ctx: Ctx, caller: Caller) -> dict:
    return bans.dispute(ctx, caller, product_id, bans.DisputeInput(**body.model_dump())).as_json()
