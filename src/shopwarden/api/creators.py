"""Routes: creators (CR-5..13) — PUT/GET /v1/creators/{id}, its health and notices, credits."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, Lang
from shopwarden.api.schemas import Body, Id, Instant
from shopwarden.service import creators

router = APIRouter(prefix="/v1/creators", tags=["creators"], responses=ERRORS)
CreatorId = Annotated[Id, Path(description="the platform's creator (account) id")]


class CreatorIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    policy: Id = Field(description="a loaded pack with a creators section (CR-7)")
    shop_id: Id | None = Field(default=None, description="set: the shop's own account (CR-12); null: an affiliate")


class CreditIn(Body):
    kind: Literal["order_content", "quiz"] = Field(description="content with a completed order, or a passed policy quiz (CR-7)")
    ref: Annotated[str, Field(min_length=1, max_length=128)] = Field(description="what was earned (an order id, a quiz id): counted once")
    at: Instant | None = None


@router.put("/{creator_id}", summary="Create or update a creator (idempotent)")
def put_creator(creator_id: CreatorId, body: CreatorIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, created = creators.put(ctx, caller, creator_id, creators.CreatorInput(body.name, body.policy, body.shop_id))
    response.status_code = 201 if created else 200
    return out.as_json()


@router.get("/{creator_id}", summary="A creator")
def get_creator(creator_id: CreatorId, ctx: Ctx, caller: Caller) -> dict:
    return creators.get(ctx, caller, creator_id).as_json()


@router.get("/{creator_id}/health", summary="A creator's standing as of `at`: score and band, or points and level (CR-7..9)")
def creator_health(creator_id: CreatorId, ctx: Ctx, caller: Caller, at: At = None) -> dict:
    return creators.health(ctx, caller, creator_id, at).as_json()


@router.get("/{creator_id}/notices", summary="Notices due to a creator by `at` (CR-4)")
def creator_notices(creator_id: CreatorId, ctx: Ctx, caller: Caller, at: At = None, lang: Lang = "en") -> list[dict]:
    return [n.as_json() for n in creators.notices(ctx, caller, creator_id, at, lang)]


@router.post("/{creator_id}/credits", status_code=201, summary="Record an earned credit (CR-7; capped per day by the pack)")
def add_credit(creator_id: CreatorId, body: CreditIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, created = creators.add_credit(ctx, caller, creator_id, creators.CreditInput(body.kind, body.ref, body.at))
    response.status_code = 201 if created else 200
    return out.as_json()
