"""Routes: POST /v1/images (multipart `file`, or JSON with base64 `data`), GET /v1/images/{id}."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.errors import InvalidInput
from shopwarden.service import images

router = APIRouter(tags=["images"], responses=ERRORS)
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the image's SHA-256")]

SHOP_ID_DOC = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"}
UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary"}, "shop_id": SHOP_ID_DOC}}},
            "application/json": {"schema": {"type": "object", "required": ["data"], "additionalProperties": False, "properties": {
                "data": {"type": "string", "description": "the image, base64"}, "shop_id": SHOP_ID_DOC}}},
        },
    }
}


async def _payload(request: Request) -> tuple[bytes, str | None]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput.one("file", "is required: a multipart part named 'file' with the image bytes")
        shop = form.get("shop_id")
        return await upload.read(), _shop_id(shop if isinstance(shop, str) and shop else None)
    if kind == "application/json":
        return _from_json(await request.body())
    raise InvalidInput.one("content-type", "must be multipart/form-data (a 'file' part) or application/json (base64 'data')")


def _from_json(body: bytes) -> tuple[bytes, str | None]:
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput.one("body", "is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), str):
        raise InvalidInput.one("data", "is required: the image as a base64 string")
    extra = set(doc) - {"data", "shop_id"}
    if extra:
        raise InvalidInput.one(sorted(extra)[0], "is not a field of an image upload (fields: data, shop_id)")
    try:
        data = base64.b64decode(doc["data"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput.one("data", "is not valid base64") from None
    shop = doc.get("shop_id")
    if shop is not None and not isinstance(shop, str):
        raise InvalidInput.one("shop_id", "must be a string")
    return data, _shop_id(shop or None)


_SHOP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}")


def _shop_id(shop: str | None) -> str | None:
    """A shop id as every other operation takes one (schemas.Id): a longer or stranger one would
    reach the database (a 500 on PostgreSQL for over 64 characters or a NUL)."""
    if shop is not None and not _SHOP_ID.fullmatch(shop):
        raise InvalidInput.one("shop_id", "must be a shop id: 1 to 64 of A-Z a-z 0-9 _ . : - (starting with a letter or digit)")
    return shop


@router.post("/v1/images", status_code=201, summary="Upload an image (stored by SHA-256; size, type and pixel limits)", openapi_extra=UPLOAD_DOC,
             responses={413: {"description": "over the size or pixel limit", "content": {"application/problem+json": {}}}})
async def upload(request: Request, ctx: Ctx, caller: Caller, response: Response) -> dict:
    data, shop_id = await _payload(request)
    out, created = await run_in_threadpool(images.upload, ctx, caller, data, shop_id)
    response.status_code = 201 if created else 200
    return out.as_json()


@router.get("/v1/images/{image_id}", summary="An image's metadata")
def get_image(image_id: Sha, ctx: Ctx, caller: Caller) -> dict:
    return images.get(ctx, caller, image_id).as_json()
