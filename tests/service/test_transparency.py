"""The transparency report (DSA Art. 24) counted from the ledger for a period."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.errors import Forbidden, InvalidInput
from shopwarden.service import appeals, internal_complaints, notices, products, shops, transparency, violations
from shopwarden.service.auth import Principal
from tests.conftest import T0

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
EVIDENCE = [{"kind": "text", "value": "the listing"}]


def _seed(ctx, clock) -> None:
    shops.put_shop(ctx, PLATFORM, "eu1", "Shop", "enterprise", "tiktok-shop-eu")
    products.put(ctx, PLATFORM, "p1", {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="eu1", type="counterfeit", severity="general", evidence=EVIDENCE, note="issued automatically from DY-IP-1"))  # 12 points: no_campaigns, automated
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch", "DE DSC")
    for notifier, kind in (("acme", "rights_owner"), ("tf-1", "trusted_flagger")):
        n = notices.file(ctx, PLATFORM, notices.NoticeInput(notifier, kind, "listing", "p1", "counterfeit", "N", "n@example.com",
                                                            "https://shop.example/p/p1", "Goods bearing a mark that are not the brand's.", True))
        clock.now += timedelta(hours=2 if kind == "rights_owner" else 4)
        notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action" if kind == "trusted_flagger" else "no_action", "checked"))
    a = appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="genuine", evidence=EVIDENCE))
    clock.now += timedelta(hours=10)
    appeals.decide(ctx, OPERATOR, a.id, appeals.DecisionInput(outcome="granted", reason="invoice checks out"))


def test_the_report_counts_measures_notices_and_complaints(ctx, clock):
    # DSA Art. 24(1), Art. 15(1): by kind, ground and source; automated shares; notices by type and outcome with
    # the trusted flaggers' share and median times; complaints, outcomes and median decision time; Art. 23
    _seed(ctx, clock)
    r = transparency.report(ctx, PLATFORM, T0 - timedelta(days=1), T0 + timedelta(days=1)).as_json()
    m = r["measures"]
    assert m["by_kind"] == {"notice.listing_disabled": 1, "sanction.no_campaigns": 1} and m["total"] == m["exported"] == 2
    assert m["by_ground"] == {"counterfeit": 2} and m["by_source"] == {"own_initiative": 1, "trusted_flagger": 1}
    assert m["automated_detection_share"] == 0.5 and m["automated_decision"] == {"fully": 1, "partially": 0, "not": 1}
    assert m["by_category"] == {"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": 2}
    n = r["notices"]
    assert n["by_type"] == {"rights_owner": 1, "trusted_flagger": 1} and n["by_outcome"] == {"action": 1, "no_action": 1}
    assert n["trusted_flagger_share"] == 0.5 and n["median_hours_to_decision"] == 3.0 and n["median_hours_to_action"] == 4.0
    c = r["complaints"]
    assert c["by_outcome"] == {"granted": 1, "rejected": 0, "pending": 0} and c["reversed_share"] == 1.0 and c["median_hours_to_decision"] == 10.0
    assert r["misuse"] == {"warnings": {"notifier": 0, "complainant": 0}, "suspensions": {"notifier": 0, "complainant": 0},
                           "lifted_on_complaint": {"notifier": 0, "complainant": 0}}


def test_the_report_counts_complaints_against_notice_decisions_too(ctx, clock):
    # DSA Art. 15(1)(d), 24(1): internal complaints (Art. 20) against notice decisions beside the appeals of violations
    _seed(ctx, clock)
    [acted] = [n for n in notices.search(ctx, OPERATOR) if n["status"] == "action"]
    c = internal_complaints.on_notice(ctx, Principal("k-s", "seller", "eu1"), acted["id"], internal_complaints.ComplaintInput("the goods are genuine"))
    clock.now += timedelta(hours=6)
    internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput("rejected", "the mark register says otherwise"))
    r = transparency.report(ctx, PLATFORM, T0 - timedelta(days=1), T0 + timedelta(days=1)).as_json()["complaints"]
    assert r["by_subject"] == {"violation": 1, "notice": 1, "misuse": 0} and r["by_outcome"] == {"granted": 1, "rejected": 1, "pending": 0}
    assert r["reversed_share"] == 0.5 and r["median_hours_to_decision"] == 8.0


def test_an_empty_period_is_an_empty_report_and_a_reversed_one_a_422(ctx, clock):
    _seed(ctx, clock)
    r = transparency.report(ctx, PLATFORM, T0 + timedelta(days=5), T0 + timedelta(days=6)).as_json()
    assert r["measures"]["total"] == r["notices"]["total"] == r["complaints"]["total"] == 0 and r["notices"]["median_hours_to_decision"] is None
    with pytest.raises(InvalidInput) as e:
        transparency.report(ctx, PLATFORM, T0, T0)
    assert e.value.errors[0].field == "to"
    with pytest.raises(Forbidden):
        transparency.report(ctx, Principal("k-s", "seller", "eu1"), T0, T0 + timedelta(days=1))
