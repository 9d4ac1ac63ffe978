"""Routes: POST /v1/scan (stateless), PUT/GET /v1/products/{id}, POST /v1/messages."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from shopwarden.api.deps import ERRORS, Caller, Ctx, Lang
from shopwarden.api.schemas import Id, ListingScan, MessageIn, MessageScan, ProductIn, ReviewScan
from shopwarden.service import analysis, messages, products, scanning

router = APIRouter(tags=["scanning"], responses=ERRORS | {413: {"description": "a text field over the pack's limit", "content": {"application/problem+json": {}}}})
ScanIn = Annotated[ListingScan | MessageScan | ReviewScan, Body(discriminator="kind")]


@router.post("/v1/scan", summary="Scan a listing, message or review; nothing is stored")
def scan(body: ScanIn, ctx: Ctx, caller: Caller, lang: Lang = "en") -> dict:
    return scanning.scan(ctx, caller, body.model_dump(mode="python"), lang).as_json()


@router.put("/v1/products/{product_id}", summary="Store a listing version, scan it: published, pending_review or rejected")
def put_product(product_id: Annotated[Id, Path()], body: ProductIn, ctx: Ctx, caller: Caller, lang: Lang = "en",
                wait: Annotated[float, Query(ge=0, le=analysis.MAX_WAIT, description=(
                    "seconds the answer may wait for the listing's images to be read (QR, OCR) and matched; 0: answered from the "
                    "fast detectors, `pending_review` with what is `pending` until the analysis workers finish"))] = 0) -> dict:
    return products.put(ctx, caller, product_id, body.model_dump(mode="python"), lang, wait=wait).as_json()


@router.get("/v1/products/{product_id}", summary="A listing's latest version with its findings")
def get_product(product_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return products.get(ctx, caller, product_id).as_json()


@router.post("/v1/messages", status_code=201, summary="Scan a chat message and keep it with its decision")
def post_message(body: MessageIn, ctx: Ctx, caller: Caller, lang: Lang = "en") -> dict:
    return messages.post(ctx, caller, messages.MessageInput(**body.model_dump(mode="python")), lang).as_json()
