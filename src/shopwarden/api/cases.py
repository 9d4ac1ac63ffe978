"""Routes: review cases, rectification tasks, contact declarations."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from shopwarden.api.deps import ERRORS, At, Caller, Ctx
from shopwarden.api.schemas import CaseDecisionIn, DeclarationIn, Id
from shopwarden.api.violations import CONFLICT
from shopwarden.service import cases, declarations, rectification

router = APIRouter(tags=["cases"], responses=ERRORS)


@router.get("/v1/cases", summary="Review cases (operators' queue), oldest first")
def list_cases(ctx: Ctx, caller: Caller, status: Annotated[Literal["open", "decided"] | None, Query()] = None,
               rule: Annotated[Id | None, Query()] = None, shop_id: Annotated[Id | None, Query()] = None,
               subject_kind: Annotated[Literal["listing", "message", "shop", "match_dispute"] | None, Query()] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return [c.as_json() for c in cases.search(ctx, caller, status, rule, shop_id, limit, subject_kind)]


@router.get("/v1/cases/{case_id}", summary="One case with its finding and evidence")
def get_case(case_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return cases.get(ctx, caller, case_id).as_json()


@router.post("/v1/cases/{case_id}/decision", summary="Decide a case: issue a violation or dismiss, with a reason the seller sees", responses=CONFLICT)
def decide_case(case_id: Annotated[Id, Path()], body: CaseDecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return cases.decide(ctx, caller, case_id, cases.CaseDecisionInput(**body.model_dump(mode="python"))).as_json()


@router.get("/v1/shops/{shop_id}/rectification-tasks", summary="A shop's rectification tasks (DY-FLOW)")
def list_tasks(shop_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller, at: At = None) -> list[dict]:
    return [t.as_json() for t in rectification.tasks_of(ctx, caller, shop_id, at)]


@router.post("/v1/rectification/sweep", summary="Escalate rectification tasks past their deadline")
def sweep(ctx: Ctx, caller: Caller, at: At = None) -> list[dict]:
    return [e.as_json() for e in rectification.sweep(ctx, caller, at)]


@router.post("/v1/shops/{shop_id}/contact-declarations", status_code=201, summary="File an after-sales contact (DY-DV exception)")
def declare(shop_id: Annotated[Id, Path()], body: DeclarationIn, ctx: Ctx, caller: Caller) -> dict:
    return declarations.file(ctx, caller, shop_id, declarations.DeclarationInput(**body.model_dump())).as_json()


@router.get("/v1/shops/{shop_id}/contact-declarations", summary="A shop's filed contacts")
def list_declarations(shop_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> list[dict]:
    return [d.as_json() for d in declarations.list_(ctx, caller, shop_id)]
