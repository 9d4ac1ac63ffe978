"""DSA Art. 23 for complainants: internal complaints (Art. 20) a person finds manifestly unfounded count toward the
complainant's warning, then suspension, each with its statement of reasons; a suspended complainant's new complaint
is refused with a stable code naming until when; the transparency report (Art. 24) counts both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.errors import Code, Conflict, InvalidInput
from shopwarden.service import internal_complaints, misuse, notices, products, shops, statements, transparency
from shopwarden.service.auth import Principal
from shopwarden.service.decision_notices import decision_notices
from tests.conftest import T0
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
SELLER = Principal("k-seller", "seller", "eu1")
EU = "tiktok-shop-eu"


def _acted_notice(ctx, n: int) -> str:
    """A notice on the shop's listing, decided `action` by a person (a measure the seller may complain of)."""
    nid = notices.file(ctx, PLATFORM, notices.NoticeInput(
        "acme-legal", "rights_owner", "listing", "p1", "counterfeit", "Acme GmbH legal", "legal@acme.example",
        f"https://shop.example/p/p1?{n}", "The listing sells shoes bearing our registered mark; not ours.", True))["id"]
    notices.decide(ctx, OPERATOR, nid, notices.Decision("action", "judged on the photos and the mark register"))
    return nid


def _complain_and_decide(ctx, n: int, outcome: str) -> internal_complaints.Complaint:
    ctx.clock.now += timedelta(hours=1)
    c = internal_complaints.on_notice(ctx, SELLER, _acted_notice(ctx, n), internal_complaints.ComplaintInput("the shoes are genuine, trust me"))
    return internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput(outcome, "no evidence at all, the same text again", "agent-7"))


@pytest.fixture
def eu_listing(ctx):
    shops.put_shop(ctx, PLATFORM, "eu1", "Shop", "enterprise", EU)
    products.put(ctx, PLATFORM, "p1", {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})


def test_a_complaint_found_manifestly_unfounded_is_rejected_with_that_finding(ctx, eu_listing):
    # DSA Art. 20(4), 23(1): rejected, the finding kept on the decision and told to the complainant in zh and en
    out = _complain_and_decide(ctx, 0, "manifestly_unfounded")
    assert out.status == "rejected" and out.decision is not None and out.decision.outcome == "rejected" and out.decision.manifestly_unfounded
    assert out.as_json()["decision"]["manifestly_unfounded"] is True
    assert internal_complaints.get(ctx, SELLER, out.id).decision.manifestly_unfounded is True
    [told] = [x for x in decision_notices(ctx, "eu1", ctx.clock.now, ctx.pack(EU), "zh") if x["kind"] == "complaint_decision"]
    assert "明显无根据" in told["title"] and "DSA Art. 23" in told["i18n"]["en"]["body"]
    with pytest.raises(InvalidInput) as e:
        internal_complaints.decide(ctx, OPERATOR, out.id, internal_complaints.DecisionInput("unfounded", "a typo of an outcome", "agent-7"))
    assert e.value.errors[0].field == "outcome" and "manifestly_unfounded" in e.value.errors[0].message


def test_unfounded_complaints_warn_then_suspend_the_complainant_with_statements(ctx, eu_listing):
    # DSA Art. 23(1)-(3); tiktok-shop-eu notices.misuse: 5 manifestly unfounded making half of those decided in 30 days
    # warn; 5 more after the warning suspend for 30 days. A plain rejection counts as decided, not as unfounded.
    _complain_and_decide(ctx, 0, "rejected")
    for i in range(1, 5):
        _complain_and_decide(ctx, i, "manifestly_unfounded")
    assert misuse.history(ctx, "complainant", "shop:eu1") == []  # 4 unfounded: not yet
    _complain_and_decide(ctx, 5, "manifestly_unfounded")
    [warning] = misuse.history(ctx, "complainant", "shop:eu1")
    assert warning.action == "warning" and warning.figures["unfounded"] == 5 and warning.figures["decided"] == 6
    for i in range(6, 11):
        _complain_and_decide(ctx, i, "manifestly_unfounded")
    warning, suspension = misuse.history(ctx, "complainant", "shop:eu1")
    assert suspension.action == "suspension" and suspension.until == suspension.at + timedelta(days=30)
    mine = {i["measure"]["kind"]: i for i in statements.search(ctx, SELLER, statements.Query(limit=100)).items}
    assert mine["misuse.complaints_warning"]["transparency_database"] is None  # a warning restricts nothing: not exported
    tdb = mine["misuse.complaints_suspended"]["transparency_database"]
    assert tdb["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION" and batch_errors({"statements": [tdb]}, set()) == []

    # Art. 23(2): the suspended complainant's next complaint is refused, with its code and until when
    nid = _acted_notice(ctx, 99)
    with pytest.raises(Conflict) as e:
        internal_complaints.on_notice(ctx, SELLER, nid, internal_complaints.ComplaintInput("and yet another complaint"))
    assert e.value.code == Code.COMPLAINTS_SUSPENDED and e.value.rule == "DSA Art. 23"
    assert e.value.until == suspension.until and e.value.params == {"party": "shop:eu1", "until": suspension.until}
    # Art. 20(1): the suspension itself stays open to complaint
    assert internal_complaints.on_misuse(ctx, SELLER, suspension.id, internal_complaints.ComplaintInput("two of them were well-founded")).status == "pending"
    # after the suspension the complainant is heard again
    ctx.clock.now = suspension.until
    assert internal_complaints.on_notice(ctx, SELLER, nid, internal_complaints.ComplaintInput("heard again after the suspension")).status == "pending"


def test_the_report_counts_unfounded_complaints_and_complainants_suspensions(ctx, eu_listing):
    # DSA Art. 24(1)(a)-(b), Art. 15(1)(d): complaint outcomes with those found manifestly unfounded; Art. 23 suspensions
    _complain_and_decide(ctx, 10, "granted")
    for i in range(10):
        _complain_and_decide(ctx, i, "manifestly_unfounded")
    r = transparency.report(ctx, PLATFORM, T0 - timedelta(days=1), T0 + timedelta(days=2)).as_json()
    c = r["complaints"]
    assert c["by_outcome"] == {"granted": 1, "rejected": 10, "pending": 0} and c["by_subject"]["notice"] == 11
    assert c["manifestly_unfounded"] == {"total": 10, "by_subject": {"violation": 0, "notice": 10, "misuse": 0}}
    assert r["misuse"]["warnings"] == {"notifier": 0, "complainant": 1} and r["misuse"]["suspensions"] == {"notifier": 0, "complainant": 1}


def test_a_notifiers_unfounded_complaints_count_apart_from_its_notices(ctx, eu_listing):
    # DSA Art. 23(2): a notifier's complaints (against no action) are judged as complaints; its notices' count is its own
    for i in range(5):
        ctx.clock.now += timedelta(hours=1)
        nid = notices.file(ctx, PLATFORM, notices.NoticeInput(
            "acme-legal", "rights_owner", "listing", "p1", "counterfeit", "Acme GmbH legal", "legal@acme.example",
            f"https://shop.example/p/p1?{i}", "The listing sells shoes bearing our registered mark; not ours.", True))["id"]
        notices.decide(ctx, OPERATOR, nid, notices.Decision("no_action", "the mark register shows the seller's licence"))
        c = internal_complaints.on_notice(ctx, PLATFORM, nid, internal_complaints.ComplaintInput("we never licensed them", side="notifier"))
        internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput("manifestly_unfounded", "the licence is on file"))
    assert [a.action for a in misuse.history(ctx, "complainant", "notifier:acme-legal")] == ["warning"]
    assert misuse.history(ctx, "notifier", "acme-legal") == []
