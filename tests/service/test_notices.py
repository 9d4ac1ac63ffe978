"""Notice and action (DSA Art. 16), trusted flaggers first (Art. 22), counter-notices (E-Commerce Law art. 43)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.errors import AlreadyDecided, Conflict, Forbidden, InvalidInput
from shopwarden.service import notices, products, shops, statements
from shopwarden.service.auth import Principal
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
SELLER = Principal("k-seller", "seller", "eu1")


def _listing(ctx, shop_id: str = "eu1", policy: str = "tiktok-shop-eu", product_id: str = "p1") -> None:
    shops.put_shop(ctx, PLATFORM, shop_id, "Shop", "enterprise", policy)
    products.put(ctx, PLATFORM, product_id, {"shop_id": shop_id, "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})


def _notice(kind: str = "rights_owner", notifier: str = "acme-legal", ground: str = "counterfeit", target: str = "p1", **kw) -> notices.NoticeInput:
    base = dict(notifier_id=notifier, notifier_kind=kind, target_kind="listing", target_id=target, ground=ground, notifier_name="Acme GmbH legal",
                notifier_email="legal@acme.example", location=f"https://shop.example/p/{target}",
                explanation="The listing sells shoes bearing our registered Acme mark; they are not ours.", good_faith=True)
    return notices.NoticeInput(**(base | kw))


def test_a_notice_without_the_art_16_2_elements_is_refused_naming_each(ctx):
    # DSA Art. 16(2): explanation, exact location, identity, good faith; nothing is stored
    _listing(ctx)
    with pytest.raises(InvalidInput) as e:
        notices.file(ctx, PLATFORM, _notice(explanation="fake", location="shop p1", notifier_name=None, notifier_email="nobody", good_faith=None))
    assert [p.field for p in e.value.errors] == ["explanation", "location", "notifier.name", "notifier.email", "good_faith"]
    assert all("Art. 16(2)" in p.message for p in e.value.errors)
    assert notices.search(ctx, PLATFORM) == []
    with pytest.raises(InvalidInput) as e:
        notices.file(ctx, PLATFORM, _notice(target="nope"))
    assert e.value.errors[0].field == "target_id"
    with pytest.raises(InvalidInput) as e:
        notices.file(ctx, PLATFORM, _notice(ground="bad_vibes"))
    assert e.value.errors[0].field == "ground" and "counterfeit" in e.value.errors[0].message


def test_trusted_flaggers_come_first_in_the_queue(ctx):
    # DSA Art. 22(1): a trusted flagger's notice is decided with priority; an unregistered claim of the status is refused
    _listing(ctx)
    with pytest.raises(InvalidInput) as e:
        notices.file(ctx, PLATFORM, _notice(kind="trusted_flagger", notifier="tf-1"))
    assert e.value.errors[0].field == "notifier.kind"
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur (DE DSC)")
    first = notices.file(ctx, PLATFORM, _notice())
    second = notices.file(ctx, PLATFORM, _notice(kind="trusted_flagger", notifier="tf-1", notifier_name="Consumer Watch"))
    assert [n["id"] for n in notices.search(ctx, OPERATOR, pending=True)] == [second["id"], first["id"]]


def test_the_decision_is_told_to_both_sides_and_a_measure_carries_a_statement(ctx):
    # DSA Art. 16(5), 17: the notifier and the seller are told; a measure's statement says it came from a notice
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    out = notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "the mark is Acme's, the goods are not"))
    assert out["status"] == "action" and "decided by a person" in out["told"]["notifier"]["en"] and "人工" in out["told"]["seller"]["zh"]
    assert out["measure"]["kind"] == "notice.listing_disabled" and out["measure"]["status"] == "in_force"
    [st] = statements.search(ctx, PLATFORM, statements.Query(kind="notice.listing_disabled")).items
    assert st["source"] == "notice" and st["automation"] == {"detection": False, "decision": "not"}
    tdb = st["transparency_database"]
    assert tdb["source_type"] == "SOURCE_ARTICLE_16" and tdb["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert tdb["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS" and "legal@acme.example" not in str(st)
    assert batch_errors({"statements": [tdb]}, set()) == []
    seen = notices.get(ctx, SELLER, n["id"])
    assert "email" not in seen["notifier"] and seen["told"]["seller"]["en"].startswith("A notice on your listing p1")
    with pytest.raises(AlreadyDecided):
        notices.decide(ctx, OPERATOR, n["id"], notices.Decision("no_action", "again"))


def test_a_trusted_flaggers_measure_is_exported_as_such(ctx):
    _listing(ctx)
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur (DE DSC)")
    n = notices.file(ctx, PLATFORM, _notice(kind="trusted_flagger", notifier="tf-1", ground="prohibited_products"))
    notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "a banned product"))
    [st] = statements.search(ctx, PLATFORM, statements.Query(kind="notice.listing_disabled")).items
    assert st["transparency_database"]["source_type"] == "SOURCE_TRUSTED_FLAGGER" and st["redress"]["route"] == "none"


def test_a_counter_notice_ends_an_ip_measure_unless_proceedings_are_shown(ctx, clock):
    # E-Commerce Law art. 43 (pack: notices.counter_notice_days = 15): the measure ends 15 days after the
    # counter-notice unless the rights owner shows a lawsuit or a complaint to the authority by then
    _listing(ctx)
    _listing(ctx, product_id="p2")
    a = notices.file(ctx, PLATFORM, _notice())
    b = notices.file(ctx, PLATFORM, _notice(target="p2"))
    for n in (a, b):
        notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "counterfeit"))
        out = notices.counter_notice(ctx, SELLER, n["id"], "our invoice from Acme's distributor is attached")
        assert out["measure"]["status"] == "counter_noticed" and out["measure"]["proceedings_due_by"] == out["counter_notice"]["filed_at"] + timedelta(days=15)
    assert products.get(ctx, PLATFORM, "p1").status == "taken_down" and products.get(ctx, PLATFORM, "p2").status == "taken_down"
    notices.proceedings(ctx, PLATFORM, a["id"], "court", "LG München I 33 O 1234/26")
    assert notices.sweep(ctx, OPERATOR) == []  # the period runs yet
    clock.now += timedelta(days=15)
    assert notices.get(ctx, SELLER, a["id"])["measure"]["status"] == "upheld"
    ended = notices.get(ctx, SELLER, b["id"])["measure"]
    assert ended["status"] == "ended" and ended["ends_at"] is not None
    assert notices.sweep(ctx, OPERATOR) == [b["id"]] and notices.sweep(ctx, OPERATOR) == []  # once
    assert products.get(ctx, PLATFORM, "p1").status == "taken_down" and products.get(ctx, PLATFORM, "p2").status == "published"
    with pytest.raises(Conflict):
        notices.proceedings(ctx, PLATFORM, b["id"], "court", "too late")


def test_no_counter_notice_on_other_grounds_or_other_shops(ctx):
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice(ground="prohibited_products"))
    with pytest.raises(Conflict):
        notices.counter_notice(ctx, SELLER, n["id"], "no decision yet, nothing to counter")
    notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "a banned product"))
    with pytest.raises(Conflict) as e:
        notices.counter_notice(ctx, SELLER, n["id"], "it is not prohibited at all")
    assert e.value.rule == "E-Commerce Law art. 43"
    with pytest.raises(Forbidden):
        notices.counter_notice(ctx, Principal("k-other", "seller", "other"), n["id"], "not my shop but still")


def test_the_seller_finds_the_decision_among_its_notices(ctx):
    # DSA Art. 17(1): the seller is told, in its notices, in zh and en
    from shopwarden.service.decision_notices import decision_notices

    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "the mark is Acme's, the goods are not"))
    [told] = decision_notices(ctx, "eu1", ctx.clock(), ctx.pack("tiktok-shop-eu"), "zh")
    assert told["kind"] == "notice_decision" and "人工" in told["body"] and "the goods are not" in told["i18n"]["en"]["body"]
