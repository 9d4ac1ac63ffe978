"""DSA Art. 23: frequent manifestly unfounded notices or complaints: a warning, then a suspension, each stated."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.errors import Conflict
from shopwarden.service import appeals, misuse, notices, products, shops, statements, violations
from shopwarden.service.auth import Principal
from tests.conftest import T0
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
EVIDENCE = [{"kind": "text", "value": "the invoice"}]


def _file(ctx, n: int) -> dict:
    return notices.file(ctx, PLATFORM, notices.NoticeInput(
        "troll", "individual", "listing", "p1", "counterfeit", "A. Troll", "troll@example.com", f"https://shop.example/p/p1?{n}",
        "These sneakers are surely fake, I just know it.", True))


def _unfounded(ctx, count: int) -> None:
    for i in range(count):
        ctx.clock.now += timedelta(hours=1)
        notices.decide(ctx, OPERATOR, _file(ctx, i)["id"], notices.Decision("manifestly_unfounded", "the listing is the brand's own shop"))


def test_a_notifier_is_warned_then_suspended_with_statements(ctx):
    # DSA Art. 23(1)-(3); pack tiktok-shop(-eu) notices.misuse: 5 unfounded making half of the decided, 30 days
    shops.put_shop(ctx, PLATFORM, "eu1", "Shop", "enterprise", "tiktok-shop-eu")
    products.put(ctx, PLATFORM, "p1", {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})
    _unfounded(ctx, 4)
    assert misuse.history(ctx, "notifier", "troll") == []
    _unfounded(ctx, 1)
    [warning] = misuse.history(ctx, "notifier", "troll")
    assert warning.action == "warning" and warning.figures["unfounded"] == 5
    _file(ctx, 99)  # a warning does not stop notices
    _unfounded(ctx, 5)  # counted after the warning
    history = misuse.history(ctx, "notifier", "troll")
    assert [h.action for h in history] == ["warning", "suspension"]
    assert history[1].until == history[1].at + timedelta(days=30)
    with pytest.raises(Conflict) as e:
        _file(ctx, 100)
    assert e.value.rule == "DSA Art. 23" and e.value.until == history[1].until
    by_kind = {i["measure"]["kind"]: i for i in statements.search(ctx, PLATFORM, statements.Query(limit=100)).items}
    assert by_kind["misuse.notices_warning"]["transparency_database"] is None  # a warning is not a restriction
    tdb = by_kind["misuse.notices_suspended"]["transparency_database"]
    assert tdb["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION" and tdb["end_date_service_restriction"]
    assert "troll" not in tdb["decision_facts"] and batch_errors({"statements": [tdb]}, set()) == []


def test_a_complainant_is_warned_then_suspended(ctx, clock):
    # DSA Art. 23(2): complaints (appeals) a person rejects and marks manifestly unfounded
    shops.put_shop(ctx, PLATFORM, "eu2", "Shop", "enterprise", "tiktok-shop-eu")

    def appeal_and_reject() -> dict:
        v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="eu2", type="knockoff", severity="minor", issued_at=T0 - timedelta(days=1), evidence=EVIDENCE))
        a = appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="no", evidence=EVIDENCE))
        return appeals.decide(ctx, OPERATOR, a.id, appeals.DecisionInput(outcome="rejected", reason="nothing new", manifestly_unfounded=True))

    for _ in range(10):
        clock.now += timedelta(hours=1)
        appeal_and_reject()
    assert [h.action for h in misuse.history(ctx, "complainant", "shop:eu2")] == ["warning", "suspension"]
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="eu2", type="knockoff", severity="minor", evidence=EVIDENCE))
    with pytest.raises(Conflict) as e:
        appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="again", evidence=EVIDENCE))
    assert e.value.rule == "DSA Art. 23"
    kinds = {i["measure"]["kind"] for i in statements.search(ctx, Principal("k-s", "seller", "eu2"), statements.Query(limit=100)).items}
    assert {"misuse.complaints_warning", "misuse.complaints_suspended"} <= kinds  # the shop reads its own
