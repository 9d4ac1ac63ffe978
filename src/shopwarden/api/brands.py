"""Routes: the brand registry and brand qualifications (DY-BR, DY-BQ-1)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import BrandIn, Id, QualificationIn, QualificationReviewIn
from shopwarden.service import brands

router = APIRouter(tags=["brands"], responses=ERRORS)


@router.put("/v1/brands/{brand_id}", summary="Register or update a brand (names and aliases in zh, en, pinyin)")
def put_brand(brand_id: Annotated[Id, Path()], body: BrandIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, created = brands.put_brand(ctx, caller, brand_id, brands.BrandInput(**body.model_dump()))
    response.status_code = 201 if created else 200
    return out.as_json()


@router.get("/v1/brands", summary="The brand registry")
def list_brands(ctx: Ctx, caller: Caller) -> list[dict]:
    return [b.as_json() for b in brands.list_brands(ctx, caller)]


@router.post("/v1/shops/{shop_id}/brand-qualifications", status_code=201, summary="File a brand qualification (reviewed in 1–3 working days)")
def file_qualification(shop_id: Annotated[Id, Path()], body: QualificationIn, ctx: Ctx, caller: Caller) -> dict:
    return brands.file(ctx, caller, shop_id, brands.QualificationInput(**body.model_dump(mode="python"))).as_json()


@router.get("/v1/shops/{shop_id}/brand-qualifications", summary="A shop's brand qualifications")
def shop_qualifications(shop_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> list[dict]:
    return [q.as_json() for q in brands.list_(ctx, caller, shop_id, False)]


@router.get("/v1/brand-qualifications", summary="Qualifications to review (operators)")
def qualification_queue(ctx: Ctx, caller: Caller, pending: Annotated[bool, Query()] = True) -> list[dict]:
    return [q.as_json() for q in brands.list_(ctx, caller, None, pending)]


@router.post("/v1/brand-qualifications/{qualification_id}/review", summary="Approve, reject or revoke a qualification, with reasons")
def review_qualification(qualification_id: Annotated[Id, Path()], body: QualificationReviewIn, ctx: Ctx, caller: Caller) -> dict:
    return brands.review(ctx, caller, qualification_id, brands.QualificationReviewInput(**body.model_dump())).as_json()
