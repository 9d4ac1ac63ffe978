"""Migration 0015 on SQLite and PostgreSQL: image_owners is filled from images.first_shop_id, so the
images uploaded before it stay readable by their shop's sellers (service/images.readable)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from alembic import command
from PIL import Image

from shopwarden.service import images, shops
from shopwarden.service.auth import Principal
from shopwarden.store import images as image_store
from shopwarden.store.db import alembic_config

PLATFORM = Principal("k-p", "platform", None)


def _png(color) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), color).save(buf, "PNG")
    return buf.getvalue()


def test_migration_0015_records_each_images_first_shop_as_its_owner(ctx):
    shops.put_shop(ctx, PLATFORM, "a", "A", "enterprise", "tiktok-shop")
    owned, _ = images.upload(ctx, Principal("k-a", "seller", "a"), _png((1, 1, 1)))
    nobodys, _ = images.upload(ctx, PLATFORM, _png((2, 2, 2)))
    cfg = alembic_config(ctx.db.engine)
    command.downgrade(cfg, "0015-1")  # the revision before 0015, wherever the chain puts it
    assert "image_owners" not in sa.inspect(ctx.db.engine).get_table_names()
    command.upgrade(cfg, "head")
    with ctx.db.read() as s:
        assert image_store.owners(s, owned.image_id) == {"a"} and image_store.owners(s, nobodys.image_id) == frozenset()
    assert images.get(ctx, Principal("k-a2", "seller", "a"), owned.image_id).width == 20
