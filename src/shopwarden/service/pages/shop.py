"""The shop a page shows (its name, kind and pack), its ledger, and the images a caller may see:
what the seller centre's and the console's pages share."""

from __future__ import annotations

from dataclasses import dataclass

from shopwarden.core.ledger.events import Event
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import NotFound
from shopwarden.service import images as images_service
from shopwarden.service import shops
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import events, images


@dataclass(frozen=True)
class ShopView:
    shop_id: str
    name: str
    kind: str
    pack: PolicyPack

    @property
    def timezone(self) -> str:
        return self.pack.calendar.timezone


def shop(ctx: Context, principal: Principal, shop_id: str) -> ShopView:
    info = shops.get_shop(ctx, principal, shop_id).as_json()
    return ShopView(info["shop_id"], info["name"], info["kind"], ctx.pack(info["policy"]))


def ledger_of(ctx: Context, principal: Principal, shop_id: str) -> tuple[PolicyPack, list[Event]]:
    """The shop's pack and its whole ledger, from one read; 404 for an unknown shop."""
    require(principal, "violation.read", shop_id)
    policy_id, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    if policy_id is None:
        raise NotFound.no("shop", shop_id)
    return ctx.pack(policy_id), ledger


def image_sizes(ctx: Context, ids: list[str]) -> dict[str, tuple[int, int]]:
    with ctx.db.read() as s:
        rows = [images.get(s, i) for i in ids]
    return {r.sha256: (r.width, r.height) for r in rows if r is not None}


def image(ctx: Context, principal: Principal, image_id: str) -> tuple[bytes, str]:
    """An image's bytes and type, to whom `images.readable` allows (`GET /v1/images/{id}`'s rule):
    a seller sees only images its own shop uploaded; anyone else's is 404, as if it did not exist."""
    require(principal, "image.read")
    with ctx.db.read() as s:
        row = images_service.readable(s, principal, image_id)
        data = images.data(s, image_id)
        if data is None:  # its row without its bytes: as good as not there
            raise NotFound.no("image", image_id)
        return data, row.media_type
