"""`POST /v1/images`: check, hash and keep an upload; the same bytes twice are one image, owned by
every shop that uploaded it. The server never fetches a URL it is handed: images arrive as bytes
or not at all. An image is read (metadata here, bytes by the pages) by platform and operator keys
and by the sellers of its owners; to any other seller it is 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.images.decode import decode
from shopwarden.errors import Forbidden, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.store import images, subject_locks
from shopwarden.store.images import ImageRow

CHECK_SIDE = 256


@dataclass(frozen=True, slots=True)
class Image(Result):
    """An image's metadata; `created` (an upload's answer only): whether these bytes were new."""

    image_id: str  # its SHA-256
    media_type: str
    width: int
    height: int
    bytes: int
    uploaded_at: datetime
    created: bool | None = None

    def as_json(self) -> dict[str, Any]:
        out = Result.as_json(self)
        if self.created is None:
            del out["created"]
        return out


def image_json(row: ImageRow, created: bool | None = None) -> Image:
    return Image(row.sha256, row.media_type, row.width, row.height, row.size, row.uploaded_at, created)


def upload(ctx: Context, principal: Principal, data: bytes, shop_id: str | None = None) -> tuple[Image, bool]:
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
        if row is None:  # written just above, in this transaction
            raise NotFound.no("image", img.sha256)
        if owner is not None:
            images.add_owner(s, img.sha256, owner)
        return image_json(row, created), created


def readable(session: Session, principal: Principal, image_id: str) -> ImageRow:
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


def get(ctx: Context, principal: Principal, image_id: str) -> Image:
    require(principal, "image.read")
    with ctx.db.read() as s:
        return image_json(readable(s, principal, image_id))
