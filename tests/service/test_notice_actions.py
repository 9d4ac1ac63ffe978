"""Notice and action on every target kind (DSA Art. 16, 17): a listing, an image, content and a shop each get
their measure with a statement of reasons, and a counter-notice (E-Commerce Law art. 43) lifts it; a listing
taken down on a notice does not come back by being resubmitted while the measure stands."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from shopwarden.errors import Code, Conflict
from shopwarden.service import content, creators, health, images, notices, products, shops, statements
from shopwarden.service.auth import Principal
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
SELLER = Principal("k-seller", "seller", "eu1")
CREATOR = Principal("k-creator", "creator", None, "c1")
EU = "tiktok-shop-eu"


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (shade, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _shop(ctx, shop_id: str = "eu1") -> None:
    shops.put_shop(ctx, PLATFORM, shop_id, "Shop", "enterprise", EU)


def _list(ctx, product_id: str, title: str, shop_id: str = "eu1", image: str | None = None, description: str = "") -> dict:
    body = {"shop_id": shop_id, "title": title, "description": description, "skus": [{"sku_id": "k", "price": 19.0}]}
    if image is not None:
        body["images"] = [image]
    return products.put(ctx, PLATFORM, product_id, body).as_json()


def _notice(target_kind: str, target_id: str, ground: str = "counterfeit", shop_id: str | None = None) -> notices.NoticeInput:
    return notices.NoticeInput(notifier_id="acme-legal", notifier_kind="rights_owner", target_kind=target_kind, target_id=target_id, ground=ground,
                               notifier_name="Acme GmbH legal", notifier_email="legal@acme.example", location=f"https://shop.example/{target_id}",
                               explanation="The item uses our registered Acme mark and photos; it is not ours.", good_faith=True, shop_id=shop_id)


def _act(ctx, n: notices.NoticeInput) -> dict:
    filed = notices.file(ctx, PLATFORM, n)
    return notices.decide(ctx, OPERATOR, filed["id"], notices.Decision("action", "the mark and the photos are Acme's"))


def _statement(ctx, kind: str, notice_id: str) -> dict:
    [st] = statements.search(ctx, PLATFORM, statements.Query(kind=kind, measure_id=notice_id)).items
    assert batch_errors({"statements": [st["transparency_database"]]}, set()) == []  # DSA Art. 24(5): a valid submission
    return st


def _lift_by_counter_notice(ctx, clock, notice_id: str, who: Principal = SELLER) -> None:
    notices.counter_notice(ctx, who, notice_id, "we bought these from Acme's own distributor; invoice attached")
    clock.now += timedelta(days=15)
    assert notices.sweep(ctx, OPERATOR) == [notice_id]


def test_an_image_notice_takes_down_the_shops_listings_showing_it_and_blocks_its_reuse(ctx, clock):
    # DSA Art. 16, 17 on an image: the shop's live listings that show it are taken down, the image is refused in
    # its new listings while the measure stands; another shop's use of the same bytes is not this notice's
    _shop(ctx)
    _shop(ctx, "eu2")
    image, _ = images.upload(ctx, PLATFORM, _png(7), "eu1")
    images.upload(ctx, PLATFORM, _png(7), "eu2")
    sha = image.image_id
    _list(ctx, "p1", "Running shoes", image=sha)
    _list(ctx, "p2", "Trail shoes", image=sha)
    _list(ctx, "p3", "Socks")
    other = _list(ctx, "q1", "Shoes of the other shop", shop_id="eu2", image=sha)  # (its own scan judges the copied image)
    out = _act(ctx, _notice("image", sha, shop_id="eu1"))
    assert out["measure"]["kind"] == "notice.image_disabled" and out["measure"]["listings"] == ["p1", "p2"]
    assert [products.get(ctx, PLATFORM, p).status for p in ("p1", "p2", "p3")] == ["taken_down", "taken_down", "published"]
    assert products.get(ctx, PLATFORM, "q1").version == other["version"]  # untouched
    st = _statement(ctx, "notice.image_disabled", out["id"])
    assert ["listings_taken_down", 2] in st["facts"]["items"] and st["automation"] == {"detection": False, "decision": "not"}
    assert st["transparency_database"]["content_type"] == ["CONTENT_TYPE_IMAGE"]
    with pytest.raises(Conflict) as e:
        _list(ctx, "p4", "Running shoes, new photo set", image=sha)
    assert e.value.code == Code.NOTICE_IMAGE_BLOCKED and e.value.params == {"id": sha, "notice": out["id"]}
    assert _list(ctx, "q2", "More shoes of the other shop", shop_id="eu2", image=sha)["version"] == 1  # not refused
    _lift_by_counter_notice(ctx, clock, out["id"])  # E-Commerce Law art. 43: the measure ends; the listings come back
    assert [products.get(ctx, PLATFORM, p).status for p in ("p1", "p2")] == ["published", "published"]
    assert _list(ctx, "p4", "Running shoes, new photo set", image=sha)["status"] == "published"


def test_a_content_notice_removes_the_content_as_cr_9_does_with_one_statement(ctx, clock):
    # DSA Art. 16 on creator content: removed (a LIVE cut off), CR-9's own measure; stated once, as the notice's
    creators.put(ctx, PLATFORM, "c1", creators.CreatorInput("Lin's picks", EU, None))
    content.put(ctx, PLATFORM, "v1", content.ContentInput("c1", "video", title="Unboxing my new sneakers", description="a look at the sole"))
    content.put(ctx, PLATFORM, "l1", content.ContentInput("c1", "live", title="Sneaker sale tonight"))
    video = _act(ctx, _notice("content", "v1", ground="ip_infringement"))
    live = _act(ctx, _notice("content", "l1", ground="ip_infringement"))
    assert video["measure"]["content_measure"] == "content_removed" and live["measure"]["content_measure"] == "content_blocked"
    assert content.get(ctx, PLATFORM, "v1").status == "removed" and content.get(ctx, PLATFORM, "l1").status == "cut"
    st = _statement(ctx, "notice.content_disabled", video["id"])
    assert st["measure"]["creator_id"] == "c1" and st["source"] == "notice"
    assert statements.search(ctx, PLATFORM, statements.Query(kind="creator.content_removed")).items == []  # not stated twice
    _lift_by_counter_notice(ctx, clock, video["id"], CREATOR)
    assert content.get(ctx, PLATFORM, "v1").status == "published" and content.get(ctx, PLATFORM, "l1").status == "cut"
    assert notices.get(ctx, CREATOR, video["id"])["measure"]["status"] == "ended"


def test_a_shop_notice_applies_the_packs_shop_measure_for_its_days(ctx, clock):
    # DSA Art. 16 on a shop: the pack's notices.shop_measure (tiktok-shop's: suspended, 30 days) in the shop's
    # health with its statement, taking the sanction's privileges; it ends on its own after the pack's days
    _shop(ctx)
    pack = ctx.pack(EU)
    days = pack.notices.shop_measure.days
    out = _act(ctx, _notice("shop", "eu1"))
    assert out["measure"]["kind"] == "notice.shop_restricted" and out["measure"]["sanction"] == pack.notices.shop_measure.sanction
    h = health.health(ctx, SELLER, "eu1", None).as_json()
    [m] = [x for x in h["sanctions"] if x.get("notice_id") == out["id"]]
    assert m["kind"] == pack.notices.shop_measure.sanction and m["ends_at"] == m["starts_at"] + timedelta(days=days)
    removed = pack.sanction_removes[m["kind"]]
    assert removed and not any(h["privileges"][p] for p in removed)
    st = _statement(ctx, "notice.shop_restricted", out["id"])
    tdb = st["transparency_database"]
    assert tdb["end_date_account_restriction"] == tdb["end_date_service_restriction"] == (m["ends_at"]).date().isoformat()
    later = health.health(ctx, SELLER, "eu1", clock.now + timedelta(days=days)).as_json()
    assert not [x for x in later["sanctions"] if x.get("notice_id")] and all(later["privileges"][p] for p in removed)
    assert notices.get(ctx, SELLER, out["id"])["measure"]["ends_at"] == m["ends_at"]


def test_a_listing_taken_down_on_a_notice_is_not_listed_again_while_the_measure_stands(ctx, clock):
    # DSA Art. 16: resubmitting the same id, or the same product under another id, is refused (409, coded);
    # another product is not; once the counter-notice ends the measure the listing may come back
    _shop(ctx)
    title, description = "Acme Air Runner 2 running shoes, breathable mesh, size 42", "Lightweight road running shoe with a cushioned sole."
    _list(ctx, "p1", title, description=description)
    out = _act(ctx, _notice("listing", "p1"))
    with pytest.raises(Conflict) as e:
        _list(ctx, "p1", title, description=description)
    assert e.value.code == Code.NOTICE_MEASURE_IN_FORCE and e.value.params == {"id": "p1", "notice": out["id"]} and e.value.rule == "DSA Art. 16"
    assert products.get(ctx, PLATFORM, "p1").status == "taken_down"
    with pytest.raises(Conflict) as e:
        _list(ctx, "p1-again", title, description=description)  # the same product under a new id
    assert e.value.code == Code.NOTICE_MEASURE_IN_FORCE and e.value.params["id"] == "p1"
    assert _list(ctx, "p9", "Ceramic coffee mug 350 ml, white", description="Dishwasher safe stoneware mug.")["status"] == "published"
    _lift_by_counter_notice(ctx, clock, out["id"])
    assert _list(ctx, "p1", title, description=description)["status"] == "published"
