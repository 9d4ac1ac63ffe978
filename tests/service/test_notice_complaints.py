"""Notices' outbox events, internal complaints (DSA Art. 20) against a notice's decision or an Art. 23
suspension, decided by a person only, and the revocation of a trusted flagger's status (Art. 22(6)-(7))."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

import shopwarden
from shopwarden.errors import AlreadyDecided, AppealWindowClosed, Conflict, Forbidden, InvalidInput
from shopwarden.service import internal_complaints, misuse, notices, products, shops, statements, webhooks
from shopwarden.service.auth import Principal
from shopwarden.service.decision_notices import decision_notices
from shopwarden.store import outbox

PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
SELLER = Principal("k-seller", "seller", "eu1")
EU = "tiktok-shop-eu"


def _listing(ctx, product_id: str = "p1") -> None:
    shops.put_shop(ctx, PLATFORM, "eu1", "Shop", "enterprise", EU)
    products.put(ctx, PLATFORM, product_id, {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})


def _notice(notifier: str = "acme-legal", kind: str = "rights_owner", target: str = "p1", n: int = 0) -> notices.NoticeInput:
    return notices.NoticeInput(notifier, kind, "listing", target, "counterfeit", "Acme GmbH legal", "legal@acme.example",
                               f"https://shop.example/p/{target}?{n}", "The listing sells shoes bearing our registered mark; not ours.", True)


def _decide(ctx, notice_id: str, outcome: str) -> dict:
    return notices.decide(ctx, OPERATOR, notice_id, notices.Decision(outcome, "judged on the photos and the mark register"))


def _events(ctx, prefix: tuple[str, ...]) -> list[outbox.Entry]:
    with ctx.db.read() as s:
        return [e for e in outbox.after(s, 0, 10_000) if e.kind.startswith(prefix) and e.kind != "notice.sent"]


def test_every_step_of_a_notice_goes_out_through_the_outbox(ctx):
    # API.md "Events in and decisions out": a notice's filing, decision, counter-notice and proceedings are
    # published (NATS shopwarden.out.notice.*, webhooks), each the notice as the platform's GET shows it
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    _decide(ctx, n["id"], "action")
    notices.counter_notice(ctx, SELLER, n["id"], "our invoice from Acme's distributor is attached")
    notices.proceedings(ctx, PLATFORM, n["id"], "court", "LG München I 33 O 1234/26")
    sent = _events(ctx, ("notice.",))
    assert [e.kind for e in sent] == ["notice.filed", "notice.decided", "notice.counter_noticed", "notice.proceedings_shown"]
    assert {e.key for e in sent} == {"eu1"} and all(e.payload["id"] == n["id"] for e in sent)
    decided = sent[1].payload
    assert decided["status"] == "action" and decided["measure"]["kind"] == "notice.listing_disabled"
    assert decided["notifier"]["email"] == "legal@acme.example" and decided["told"]["seller"]["en"].startswith("A notice on your listing p1")
    assert sent[3].payload["proceedings"]["reference"] == "LG München I 33 O 1234/26"
    hook = webhooks.register(ctx, PLATFORM, webhooks.Registration("http://hooks.example/in", ("notice.decided", "notice.measure_lifted",
                                                                                            "internal_complaint.decided", "trusted_flagger.revoked"),
                                                                  "x" * 40), frozenset({"hooks.example"}))
    assert sorted(hook.events) == ["internal_complaint.decided", "notice.decided", "notice.measure_lifted", "trusted_flagger.revoked"]


def test_the_affected_seller_complains_and_a_granted_complaint_lifts_the_measure(ctx, clock):
    # DSA Art. 20(1), (4): a complaint against the notice's measure; granted by a person, the listing comes back
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    _decide(ctx, n["id"], "action")
    with pytest.raises(Forbidden):
        internal_complaints.on_notice(ctx, Principal("k-other", "seller", "other"), n["id"], internal_complaints.ComplaintInput("not my shop but still"))
    with pytest.raises(Forbidden):  # the notifier's side is relayed by the platform
        internal_complaints.on_notice(ctx, SELLER, n["id"], internal_complaints.ComplaintInput("they should act more", side="notifier"))
    c = internal_complaints.on_notice(ctx, SELLER, n["id"], internal_complaints.ComplaintInput("the shoes are genuine Acme stock, see invoice",
                                                                                             evidence=({"kind": "document", "value": "invoice.pdf"},)))
    assert c.status == "pending" and c.side == "affected" and c.window_days >= 183
    with pytest.raises(AlreadyDecided):
        internal_complaints.on_notice(ctx, SELLER, n["id"], internal_complaints.ComplaintInput("and once more, the same complaint"))
    assert [x.id for x in internal_complaints.search(ctx, OPERATOR, pending=True)] == [c.id]
    clock.now += timedelta(days=2)
    out = internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput("granted", "the invoice is Acme's", "agent-7"))
    assert out.as_json()["decision"] == {"outcome": "granted", "reason": "the invoice is Acme's", "decided_at": clock.now, "decided_by": "agent-7", "by_a_person": True,
                               "manifestly_unfounded": False}
    assert products.get(ctx, PLATFORM, "p1").status == "published"
    seen = notices.get(ctx, SELLER, n["id"])
    assert seen["measure"]["status"] == "lifted" and seen["measure"]["ends_at"] == clock.now and seen["complaints"][0]["status"] == "granted"
    assert products.put(ctx, PLATFORM, "p1", {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})
    assert [e.kind for e in _events(ctx, ("internal_complaint.", "notice.measure_lifted"))] == [
        "internal_complaint.filed", "notice.measure_lifted", "internal_complaint.decided"]
    with pytest.raises(AlreadyDecided):
        internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput("rejected", "changed my mind"))
    # Art. 20(5): the seller is told in its notices, in zh and en
    [told] = [x for x in decision_notices(ctx, "eu1", clock.now, ctx.pack(EU), "zh") if x["kind"] == "complaint_decision"]
    assert "申诉成立" in told["title"] and "agent-7" in told["body"] and "the invoice is Acme's" in told["i18n"]["en"]["body"]


def test_a_notifiers_granted_complaint_applies_the_measure_it_asked_for(ctx):
    # DSA Art. 20(1)(a): the notifier against no action; granted: the measure and its statement follow (Art. 17)
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    _decide(ctx, n["id"], "no_action")
    with pytest.raises(Conflict):  # nothing restricts the seller
        internal_complaints.on_notice(ctx, SELLER, n["id"], internal_complaints.ComplaintInput("nothing was done, but I complain"))
    c = internal_complaints.on_notice(ctx, PLATFORM, n["id"], internal_complaints.ComplaintInput("the mark register shows it is ours", side="notifier"))
    assert c.complainant == "notifier:acme-legal" and c.shop_id is None
    assert [x.id for x in internal_complaints.search(ctx, SELLER)] == []  # the notifier's complaint is the platform's side
    internal_complaints.decide(ctx, PLATFORM, c.id, internal_complaints.DecisionInput("granted", "the register says so", decided_by="agent-7"))
    assert products.get(ctx, PLATFORM, "p1").status == "taken_down"
    seen = notices.get(ctx, PLATFORM, n["id"])
    assert seen["status"] == "action" and seen["reversed"]["complaint_id"] == c.id and seen["measure"]["status"] == "in_force"
    [st] = statements.search(ctx, PLATFORM, statements.Query(kind="notice.listing_disabled")).items
    assert st["measure"]["id"] == n["id"]


def test_the_complaint_window_is_the_eu_packs_six_months(ctx, clock):
    # DSA Art. 20(1): at least six months after the decision (EU pack); a market outside the EU keeps its own window
    assert internal_complaints.window_days(ctx.pack(EU), False) >= 183 and internal_complaints.window_days(ctx.pack(EU), True) >= 183
    _listing(ctx)
    _listing(ctx, "p2")
    a, b = (notices.file(ctx, PLATFORM, _notice(target=t)) for t in ("p1", "p2"))
    for x in (a, b):
        _decide(ctx, x["id"], "action")
    clock.now += timedelta(days=182)
    assert internal_complaints.on_notice(ctx, SELLER, a["id"], internal_complaints.ComplaintInput("late, but within six months")).status == "pending"
    clock.now += timedelta(days=2)
    with pytest.raises(AppealWindowClosed) as e:
        internal_complaints.on_notice(ctx, SELLER, b["id"], internal_complaints.ComplaintInput("past six months now, too late"))
    assert e.value.rule == "DSA Art. 20" and e.value.params["days"] >= 183


def test_a_complaint_is_decided_by_a_person_only(ctx):
    # DSA Art. 20(6), by construction: the platform must name the person who decided; and nothing in the engine but
    # the operators' routes (the API's and the console's) calls `decide` (no detector, consumer, sweep or timer can)
    _listing(ctx)
    n = notices.file(ctx, PLATFORM, _notice())
    _decide(ctx, n["id"], "action")
    c = internal_complaints.on_notice(ctx, SELLER, n["id"], internal_complaints.ComplaintInput("the shoes are genuine, see the invoice"))
    for outcome in ("rejected", "granted"):
        with pytest.raises(InvalidInput) as e:
            internal_complaints.decide(ctx, PLATFORM, c.id, internal_complaints.DecisionInput(outcome, "automatic"))
        assert e.value.errors[0].field == "decided_by"
    with pytest.raises(Forbidden):
        internal_complaints.decide(ctx, SELLER, c.id, internal_complaints.DecisionInput("granted", "I grant my own", "me"))
    root = Path(shopwarden.__file__).parent
    callers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "decide" and \
                    isinstance(node.value, ast.Name) and node.value.id == "internal_complaints":  # called or handed on
                callers.add(path.relative_to(root).as_posix())
            if isinstance(node, ast.ImportFrom) and node.module == "shopwarden.service.internal_complaints" and \
                    any(a.name == "decide" for a in node.names):
                callers.add(path.relative_to(root).as_posix())
    assert callers == {"api/notices.py", "web/console.py"}, callers


def test_a_suspension_for_misuse_is_open_to_complaint_and_granted_ends_it(ctx, clock):
    # DSA Art. 20 with Art. 23: the suspended notifier (through the platform) complains; granted, its notices are processed again
    _listing(ctx)
    for i in range(10):  # tiktok-shop's notices.misuse: 5 unfounded -> warning, 5 more -> suspension
        clock.now += timedelta(hours=1)
        _decide(ctx, notices.file(ctx, PLATFORM, _notice("troll", "individual", n=i))["id"], "manifestly_unfounded")
    warning, suspension = misuse.actions(ctx, OPERATOR, "notifier", "troll")
    assert suspension.action == "suspension"
    with pytest.raises(Conflict):
        notices.file(ctx, PLATFORM, _notice("troll", "individual", n=99))
    with pytest.raises(Conflict):  # a warning restricts nothing
        internal_complaints.on_misuse(ctx, PLATFORM, warning.id, internal_complaints.ComplaintInput("I was not warned fairly at all"))
    with pytest.raises(Forbidden):
        internal_complaints.on_misuse(ctx, SELLER, suspension.id, internal_complaints.ComplaintInput("not mine to complain of"))
    c = internal_complaints.on_misuse(ctx, PLATFORM, suspension.id, internal_complaints.ComplaintInput("my notices were about real fakes"))
    assert (c.subject_kind, c.subject_id) == ("misuse", suspension.id) and c.window_days >= 183
    clock.now += timedelta(days=1)
    internal_complaints.decide(ctx, OPERATOR, c.id, internal_complaints.DecisionInput("granted", "two of the ten were well-founded"))
    assert [a.action for a in misuse.actions(ctx, OPERATOR, "notifier", "troll")] == ["warning", "suspension", "lifted"]
    assert notices.file(ctx, PLATFORM, _notice("troll", "individual", n=100))["status"] == "pending"


def test_a_revoked_trusted_flagger_is_no_longer_prioritised(ctx, clock):
    # DSA Art. 22(6)-(7): an operator records the revocation with its reason; the flagger's notices lose their
    # priority in the queue, it cannot file as a trusted flagger again, and the revocation is shown
    _listing(ctx)
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur (DE DSC)")
    first = notices.file(ctx, PLATFORM, _notice())
    clock.now += timedelta(minutes=5)
    flagged = notices.file(ctx, PLATFORM, _notice("tf-1", "trusted_flagger"))
    assert [n["id"] for n in notices.search(ctx, OPERATOR, pending=True)] == [flagged["id"], first["id"]]
    with pytest.raises(Forbidden):
        notices.revoke_trust(ctx, SELLER, "tf-1", "a seller cannot revoke this status")
    with pytest.raises(InvalidInput):
        notices.revoke_trust(ctx, OPERATOR, "tf-1", "")
    out = notices.revoke_trust(ctx, OPERATOR, "tf-1", "Bundesnetzagentur revoked the status: imprecise notices", "Bundesnetzagentur")
    assert out["status"] == "revoked" and out["revocation"]["revoked_by"] == "Bundesnetzagentur"
    with pytest.raises(AlreadyDecided):
        notices.revoke_trust(ctx, OPERATOR, "tf-1", "Bundesnetzagentur revoked the status twice")
    assert [n["id"] for n in notices.search(ctx, OPERATOR, pending=True)] == [first["id"], flagged["id"]]
    with pytest.raises(InvalidInput) as e:
        notices.file(ctx, PLATFORM, _notice("tf-1", "trusted_flagger", n=2))
    assert e.value.errors[0].field == "notifier.kind" and "revoked" in e.value.errors[0].message
    assert notices.get(ctx, OPERATOR, flagged["id"])["trusted_flagger_revoked"]["reason"].startswith("Bundesnetzagentur revoked")
    assert [t["status"] for t in notices.trusted_flaggers(ctx, OPERATOR)] == ["revoked"]
    assert [e.kind for e in _events(ctx, ("trusted_flagger.",))] == ["trusted_flagger.revoked"]
