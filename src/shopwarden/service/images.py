"""`POST /v1/images`: check, hash and keep an upload; the same bytes twice are one image.
The server never fetches a URL it is handed: images arrive as bytes or not at all."""

from __future__ import annotations

from shopwarden.core.images.decode import decode
from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import images

CHECK_SIDE = 256


def image_json(row, created: bool | None = None) -> dict:
    out = {"image_id": row.sha256, "media_type": row.media_type, "width": row.width, "height": row.height, "bytes": row.size, "uploaded_at": row.uploaded_at}
    return out if created is None else out | {"created": created}


def upload(ctx: Context, principal: Principal, data: bytes, shop_id: str | None = None) -> tuple[dict, bool]:
    require(principal, "image.upload", shop_id if principal.role == "seller" else None)
    img = decode(data, side=CHECK_SIDE)  # every byte is decoded (truncation is caught); the small copy is dropped
    with ctx.db.transaction() as s:
        row = images.get(s, img.sha256)
        if row is not None:
            return image_json(row, False), False
        images.add(s, {"sha256": img.sha256, "media_type": img.media_type, "width": img.width, "height": img.height, "size": img.size,
                       "first_shop_id": shop_id if principal.role != "seller" else principal.shop_id,
                       "uploaded_at": ctx.clock(), "uploaded_by": principal.key_id}, data)
        return image_json(images.get(s, img.sha256), True), True


def get(ctx: Context, principal: Principal, image_id: str) -> dict:
    require(principal, "image.read")
    with ctx.db.read() as s:
        row = images.get(s, image_id)
        if row is None:
            raise NotFound(f"no image {image_id!r}")
        return image_json(row)
