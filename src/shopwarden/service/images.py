"""`POST /v1/images`: check, hash and keep an upload; the same bytes twice are one image, owned by
every shop that uploaded it. The server never fetches a URL it is handed: images arrive as bytes
or not at all. An image is read (metadata here, bytes by the pages) by platform and operator keys
and by the sellers of its owners; to any other seller it is 404, as if it did not exist."""

from __future__ import annotations

from shopwarden.core.images.decode import decode
from shopwarden.errors import Forbidden, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import images, subject_locks

CHECK_SIDE = 256


def image_json(row, created: bool | None = None) -> dict:
    out = {"image_id": row.sha256, "media_type": row.media_type, "width": row.width, "height": row.height, "bytes": row.size, "uploaded_at": row.uploaded_at}
    return out if created is None else out | {"created": created}


def upload(ctx: Context, principal: Principal, data: bytes, shop_id: str | None = None) -> tuple[dict, bool]:
    require(principal, "image.upload", shop_id if principal.role == "seller" else None)
    img = decode(data, side=CHECK_SIDE)  # every byte is decoded (truncation is caught); the small copy is dropped
    owner = principal.shop_id if principal.role == "seller" else shop_id
    with ctx.db.transaction() as s:
        subject_locks.hold(s, f"put:image:{img.sha256}")  # the same bytes uploaded at once: one stores, the others read it (200)
        row = images.get(s, img.sha256)
        created = row is None
        if created:
            images.add(s, {"sha256": img.sha256, "media_type": img.media_type, "width": img.width, "height": img.height, "size": img.size,
                           "first_shop_id": owner, "uploaded_at": ctx.clock(), "uploaded_by": principal.key_id}, data)
            row = images.get(s, img.sha256)
        if owner is not None:
            images.add_owner(s, img.sha256, owner)
        return image_json(row, created), created


def readable(session, principal: Principal, image_id: str):
    """The image's row if `principal` may read it. NotFound, not Forbidden, for another seller's:
    a 403 would confirm that these exact bytes were uploaded by some shop (an oracle on content)."""
    row = images.get(session, image_id)
    if row is None:
        raise NotFound.no("image", image_id)
    try:
        require(principal, "image.read", owners=images.owners(session, image_id))
    except Forbidden:
        raise NotFound.no("image", image_id) from None
    return row


def get(ctx: Context, principal: Principal, image_id: str) -> dict:
    require(principal, "image.read")
    with ctx.db.read() as s:
        return image_json(readable(s, principal, image_id))
