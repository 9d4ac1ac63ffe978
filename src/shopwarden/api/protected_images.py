"""Routes: POST /v1/protected-images (a rights owner's image for the copied-image index, DY-IP),
GET /v1/protected-images/{image_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Body, Id
from shopwarden.service import image_index

router = APIRouter(tags=["images"], responses=ERRORS)
Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="an image's SHA-256, as POST /v1/images returned it")]


class ProtectedImageIn(Body):
    image_id: Sha
    owner: Annotated[Id, Field(description="the rights owner (a shop id when the owner sells here)")]
    note: Annotated[str, Field(max_length=500)] | None = None


@router.post("/v1/protected-images", status_code=201, summary="Register a rights owner's image; listings that copy it are DY-IP")
async def register(body: ProtectedImageIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, created = await run_in_threadpool(image_index.register_protected, ctx, caller, image_index.ProtectedInput(body.image_id, body.owner, body.note))
    response.status_code = 201 if created else 200
    return out.as_json()


@router.get("/v1/protected-images/{image_id}", summary="Who registered an image as protected")
def registrations(image_id: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")], ctx: Ctx, caller: Caller) -> list[dict]:
    return [e.as_json() for e in image_index.protected_of(ctx, caller, image_id)]
