"""Statements of reasons (DSA Art. 17) recorded with the measure, and their Transparency Database export."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from shopwarden.errors import Forbidden, InvalidInput
from shopwarden.service import shops, statements, violations
from shopwarden.service.auth import Principal
from shopwarden.store import statements as store
from tests.conftest import T0
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)
BASE = T0 - timedelta(days=60)  # 2025-11-02: violations are dated in the past
PERSONAL = ("13800138000", "lin.wei@example.com", "Lin Wei", "Lindenstraße 5")


def _shop(ctx, shop_id: str, policy: str = "tiktok-shop-eu", name: str = "Shop") -> None:
    shops.put_shop(ctx, PLATFORM, shop_id, name, "enterprise", policy)


def _issue(ctx, shop_id: str, severity: str = "general", days: int = 0, **body) -> dict:
    return violations.issue(ctx, PLATFORM, violations.ViolationInput(**{"shop_id": shop_id, "type": "counterfeit", "severity": severity, "issued_at": BASE + timedelta(days=days),
                                            "evidence": [{"kind": "text", "value": f"call {PERSONAL[0]} or mail {PERSONAL[1]}"}],
                                            "note": f"reported by {PERSONAL[2]}, {PERSONAL[3]}"} | body))


def _all(ctx, principal=PLATFORM, **kw) -> list[dict]:
    return statements.search(ctx, principal, statements.Query(limit=500, **kw)).items


def test_a_sanction_is_stated_in_the_transaction_that_starts_it(ctx):
    # DSA Art. 17 / TT-PTS-3: the 12-point crossing starts no_campaigns; its statement is there when the issue returns
    _shop(ctx, "eu1")
    v = _issue(ctx, "eu1")
    items = _all(ctx)
    assert [i["measure"]["kind"] for i in items] == ["sanction.no_campaigns"]
    st = items[0]
    assert st["measure"]["starts_at"] == "2025-11-02T00:00:00Z" and st["measure"]["ends_at"] == "2025-12-02T00:00:00Z"
    assert st["scope"] == ["DE", "ES", "FR", "IE", "IT"]
    assert st["automation"] == {"detection": False, "decision": "partially"}  # a person issued the violation, the ladder applied it
    assert st["redress"]["appeal_days"] == 183 and st["redress"]["out_of_court"] and st["redress"]["court"]  # DSA Art. 20(1)
    assert v.id in st["facts"]["items"][-1][1]
    tdb = st["transparency_database"]
    assert tdb["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION" and tdb["end_date_service_restriction"] == "2025-12-02"
    assert tdb["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"


def test_every_art_17_3_element_is_in_both_texts(ctx):
    _shop(ctx, "eu1")
    _issue(ctx, "eu1")
    text = _all(ctx)[0]["text"]
    for needle in ("Measure:", "territorial scope: DE", "Facts:", "Source: on the platform's own initiative", "Automated detection: no",
                   "Ground: the policy", "Redress: appeal", "183 days", "out-of-court", "courts"):
        assert needle in text["en"], needle
    for needle in ("措施：", "适用地区", "事实：", "来源：平台主动发现", "自动化检测：否", "依据：平台规则", "救济：提出申诉", "183 天", "庭外", "法院"):
        assert needle in text["zh"], needle


def test_stating_is_idempotent_and_the_puid_never_reused(ctx):
    _shop(ctx, "eu1")
    _issue(ctx, "eu1")
    _issue(ctx, "eu1", severity="minor", days=1)  # 16 points: no new crossing
    assert len(_all(ctx)) == 1
    with ctx.db.transaction() as s:
        statements.record_many(s, ctx, statements.shop_sanctions(s, ctx, "eu1"))  # a second pass states nothing new
    rows = _all(ctx)
    assert len(rows) == 1
    with ctx.db.transaction() as s:
        assert store.add(s, {**_row(rows[0])}) is False  # the puid is a unique key


def _row(item: dict) -> dict:
    return {"puid": item["puid"], "measure_kind": item["measure"]["kind"], "measure_id": item["measure_id"], "shop_id": "eu1", "creator_id": None,
            "applied_at": item["applied_at"], "policy_id": "tiktok-shop-eu", "policy_version": "x", "body": {}, "submission": None,
            "recorded_at": item["applied_at"]}


def test_statements_are_append_only(ctx):
    _shop(ctx, "eu1")
    _issue(ctx, "eu1")
    for sql in ("UPDATE statements SET measure_kind = 'x'", "DELETE FROM statements"):
        with pytest.raises(sa.exc.DBAPIError), ctx.db.engine.begin() as c:
            c.exec_driver_sql(sql)


def test_decision_facts_hold_no_personal_data(ctx):
    # DSA Art. 24(5): the Transparency Database is public; evidence and notes may name people
    _shop(ctx, "lin-wei-shop", name=PERSONAL[2])
    _issue(ctx, "lin-wei-shop", severity="critical")
    for item in _all(ctx):
        facts = item["transparency_database"]["decision_facts"]
        for word in (*PERSONAL, "lin-wei-shop"):
            assert word not in facts
        assert "lin-wei-shop" not in str(item["transparency_database"])


def test_a_market_outside_the_eu_is_stated_and_exports_nothing(ctx):
    _shop(ctx, "sea1", policy="tiktok-shop")
    _issue(ctx, "sea1", severity="critical")
    items = _all(ctx)
    assert {i["measure"]["kind"] for i in items} == {"sanction.no_campaigns", "sanction.no_affiliate", "sanction.suspended", "sanction.deactivated"}
    assert all(i["transparency_database"] is None and i["scope"] == [] for i in items)
    assert statements.export(ctx, PLATFORM, None, None).as_json() == {"batches": [], "withheld": [], "next": None}


def test_export_batches_of_at_most_100_each_valid(ctx):
    # 48 points at once cross 12, 24, 36 and 48: seven sanctions per shop
    for n in range(16):
        _shop(ctx, f"eu{n}")
        _issue(ctx, f"eu{n}", severity="critical", days=n)
    out = statements.export(ctx, PLATFORM, None, None)
    sizes = [len(b["statements"]) for b in out.batches]
    assert sizes == [100, 12] and out.withheld == [] and out.next is None
    seen: set[str] = set()
    for b in out.batches:
        assert batch_errors(b, seen) == []


def test_an_empty_range_is_an_empty_valid_answer(ctx):
    _shop(ctx, "eu1")
    _issue(ctx, "eu1")
    out = statements.export(ctx, PLATFORM, BASE + timedelta(days=10), BASE + timedelta(days=20))
    assert out.as_json() == {"batches": [], "withheld": [], "next": None}
    with pytest.raises(InvalidInput):
        statements.export(ctx, PLATFORM, T0 + timedelta(days=2), T0 + timedelta(days=1))


def test_a_seller_reads_its_own_shops_statements_only(ctx):
    for shop_id in ("eu1", "eu2"):
        _shop(ctx, shop_id)
        _issue(ctx, shop_id)
    seller = Principal("k-seller", "seller", "eu1")
    assert {i["measure"]["shop_id"] for i in _all(ctx, seller)} == {"eu1"}
    assert {i["measure"]["shop_id"] for i in _all(ctx, seller, shop_id="eu2")} == {"eu1"}  # its own, whatever it asks
    with pytest.raises(Forbidden):
        statements.export(ctx, seller, None, None)


def test_automation_is_told_per_path(ctx):
    # DSA Art. 17(3)(c): a detector's finding issued by the pack alone is detected and decided by automated means
    _shop(ctx, "auto")
    _issue(ctx, "auto", note="issued automatically from DY-DV-1 (contact_diversion)")
    _shop(ctx, "case")
    _issue(ctx, "case", note="case c1 (DY-DV-1): confirmed by an operator")
    by_shop = {i["measure"]["shop_id"]: i["automation"] for i in _all(ctx)}
    assert by_shop == {"auto": {"detection": True, "decision": "fully"}, "case": {"detection": True, "decision": "partially"}}


def test_imported_history_is_stated_by_backfill_once(ctx):
    # the importer's bulk path notes nothing (its rate); backfill states what it loaded, idempotently
    from shopwarden.store import violations as store_violations

    _shop(ctx, "imp")
    pack = ctx.pack("tiktok-shop-eu")
    row = violations.violation_row(pack, "imp", {"type": "counterfeit", "severity": "general"}, BASE, BASE, "import")
    with ctx.db.transaction() as s:
        store_violations.add_many(s, [row])
    assert _all(ctx) == []
    assert statements.backfill(ctx, PLATFORM) == 1
    assert statements.backfill(ctx, PLATFORM) == 0
    assert [i["measure"]["kind"] for i in _all(ctx)] == ["sanction.no_campaigns"]
