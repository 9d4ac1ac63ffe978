"""The transactional outbox (0020): events written in their cause's transaction, in id order, with
cursors that only move on; sanctions derived by folding the ledger before and after the write."""

from __future__ import annotations

import pytest

from shopwarden.errors import InvalidInput
from shopwarden.service import appeals, violations
from shopwarden.service.auth import Principal
from shopwarden.service.shops import put_shop
from shopwarden.store import outbox

PLATFORM = Principal("k-platform", "platform", None)


def _kinds(ctx) -> list[str]:
    with ctx.db.read() as s:
        return [e.kind for e in outbox.after(s, 0, 1000)]


def _shop(ctx, shop_id="s1"):
    put_shop(ctx, PLATFORM, shop_id, "Shop", "seller", "tiktok-shop")


def test_add_after_cursor_advance(ctx):
    with ctx.db.transaction() as s:
        ids = [outbox.add(s, "listing.decided", "s1", {"n": n}) for n in range(3)]
    assert len(set(ids)) == 3 and all(len(i) == 32 for i in ids)
    with ctx.db.read() as s:
        rows = outbox.after(s, 0, 2)
        assert [r.payload["n"] for r in rows] == [0, 1]
        assert [r.event_id for r in outbox.after(s, rows[-1].id, 10)] == ids[2:]
        assert outbox.cursor(s, "nats") == 0
    with ctx.db.transaction() as s:
        outbox.advance(s, "nats", rows[-1].id)
    with ctx.db.transaction() as s:
        outbox.advance(s, "nats", rows[0].id)  # a slower relay never moves it back
    with ctx.db.read() as s:
        assert outbox.cursor(s, "nats") == rows[-1].id
    assert rows[0].message()["id"] == ids[0]


def test_unknown_kind_is_refused(ctx):
    with pytest.raises(ValueError, match="unknown outbox kind"), ctx.db.transaction() as s:
        outbox.add(s, "shop.exploded", "s1", {})


def test_nothing_published_that_did_not_commit(ctx):
    _shop(ctx)
    before = _kinds(ctx)
    with pytest.raises(InvalidInput):
        violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="missing_qualifications", severity="nonsense"))
    with pytest.raises(RuntimeError), ctx.db.transaction() as s:
        outbox.add(s, "listing.decided", "s1", {})
        raise RuntimeError("the cause rolled back")
    assert _kinds(ctx) == before


def test_violation_starts_a_sanction_and_a_granted_appeal_lifts_it(ctx, clock):
    # TT-PTS-3: 12 points start no_campaigns; TT-APL-5: a granted appeal lifts what it caused.
    _shop(ctx)
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="missing_qualifications", severity="general"))
    kinds = _kinds(ctx)
    assert kinds[:2] == ["violation.issued", "sanction.started"] and "notice.sent" in kinds
    with ctx.db.read() as s:
        started = [e for e in outbox.after(s, 0, 100) if e.kind == "sanction.started"]
    assert started[0].key == "s1" and started[0].payload["kind"] == "no_campaigns"
    a = appeals.file(ctx, Principal("k-seller", "seller", "s1"), v.id, appeals.AppealInput(reason="the licence was uploaded on time", evidence=[{"kind": "text", "value": "licence scan"}]))
    appeals.decide(ctx, PLATFORM, a.id, appeals.DecisionInput(outcome="granted", reason="licence valid"))
    kinds = _kinds(ctx)
    assert "appeal.decided" in kinds and "sanction.lifted" in kinds
    with ctx.db.read() as s:
        lifted = [e for e in outbox.after(s, 0, 100) if e.kind == "sanction.lifted"]
    assert lifted[0].payload["id"] == started[0].payload["id"]


def test_second_violation_below_next_threshold_starts_nothing(ctx):
    _shop(ctx)
    violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="missing_qualifications", severity="minor"))
    assert "sanction.started" not in _kinds(ctx)
