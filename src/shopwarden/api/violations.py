"""Routes: POST /v1/violations, GET /v1/violations/{id}, POST /v1/violations/{id}/appeals."""

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, Responses
from shopwarden.api.schemas import AppealIn, Body, Id, RevocationIn, ShortText, ViolationIn
from shopwarden.service import appeals, joint, violations

router = APIRouter(prefix="/v1/violations", tags=["violations"], responses=ERRORS)
ViolationId = Annotated[Id, Path()]
CONFLICT: Responses = {409: {"description": "a rule forbids it now (window closed, limit reached, appeal pending)", "content": {"application/problem+json": {}}}}


@router.post("", status_code=201, summary="Issue a violation (TT-PTS-1)")
def issue(body: ViolationIn, ctx: Ctx, caller: Caller) -> dict:
    return violations.issue(ctx, caller, violations.ViolationInput(**body.model_dump(exclude_unset=False))).as_json()


@router.get("/{violation_id}", summary="A violation as of `at`, with its appeals")
def get_violation(violation_id: ViolationId, ctx: Ctx, caller: Caller, at: At = None) -> dict:
    return violations.get(ctx, caller, violation_id, at).as_json()


@router.post("/{violation_id}/appeals", status_code=201, summary="Appeal a violation (TT-APL-1..4)", responses=CONFLICT)
def file_appeal(violation_id: ViolationId, body: AppealIn, ctx: Ctx, caller: Caller) -> dict:
    return appeals.file(ctx, caller, violation_id, appeals.AppealInput(**body.model_dump(mode="python"))).as_json()


class ExtensionIn(Body):
    shop_id: Id = Field(description="the shop whose product the content promoted")
    reason: ShortText


@router.post("/{violation_id}/extensions", status_code=201, summary="Extend a creator's violation to a shop (CR-12, operator)", responses=CONFLICT)
def extend(violation_id: ViolationId, body: ExtensionIn, ctx: Ctx, caller: Caller) -> dict:
    return joint.extend(ctx, caller, violation_id, body.shop_id, body.reason).as_json()


@router.post("/{violation_id}/revocations", status_code=201, summary="Revoke a violation outright (platform or operator); sanctions it caused are lifted", responses=CONFLICT)
def revoke(violation_id: ViolationId, body: RevocationIn, ctx: Ctx, caller: Caller) -> dict:
    return violations.revoke(ctx, caller, violation_id, violations.RevocationInput(**body.model_dump(mode="python"))).as_json()
