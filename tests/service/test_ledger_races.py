"""Ledger writes racing on PostgreSQL (and SQLite, serialised already): violations of one shop issued
at once must start each sanction of the threshold ladder exactly once (its `sanction.started` event and
its statement of reasons), as if they had come one by one."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from shopwarden.core.dsa.statement import puid_of
from shopwarden.core.ledger.standing import fold
from shopwarden.service import violations as violation_service
from shopwarden.service.shops import put_shop
from shopwarden.store import events, statements
from shopwarden.store.outbox import OutboxRow
from tests.store.test_races import burst, principal

ROUNDS = 6


def test_tt_pts_3_concurrent_violations_start_each_sanction_once(ctx):
    """TT-PTS-3 / TT-PTS-5: four 6-point violations of one shop issued at once reach the 12 and 24
    thresholds; each sanction they start is announced and stated once, at the right points."""
    platform = principal(ctx, "platform")
    for r in range(ROUNDS):
        shop = f"race{r}"
        put_shop(ctx, platform, shop, shop, "enterprise", "tiktok-shop")
        body = {"shop_id": shop, "type": "missing_qualifications", "severity": "minor", "evidence": [{"kind": "text", "value": "no licence"}]}
        ok, errors = burst(lambda i, body=body: violation_service.issue(ctx, platform, violation_service.ViolationInput(**dict(body))), n=4)
        assert not errors and len(ok) == 4, errors
        with ctx.db.read() as s:
            policy_id, ledger = events.shop_ledger_in(s, shop)
            standing = fold(ctx.pack(policy_id), ledger, ctx.clock())
            started = Counter(row.payload["id"] for row in s.query(OutboxRow).filter_by(kind="sanction.started", key=shop))
            stated = statements.puids(s, shop_id=shop)
        assert standing.points == 24, standing.points
        expected = {x.id for x in standing.history}
        assert {x.threshold for x in standing.history} == {12, 24}, standing.history
        assert started == Counter(expected), (r, started, expected)  # each once, none missing
        assert stated == {puid_of(f"sanction.{x.kind}", f"{shop}:{x.id}") for x in standing.history}, r


# ---------------------------------------------------------------- DY-QL-4: the order limit


def test_dy_ql_4_n_plus_one_concurrent_orders_admit_exactly_n(ctx):
    """DY-QL-4 (限单): under a limit of N orders a day, N+1 orders posted at once admit exactly N;
    the one refused is a 409 naming DY-QL-4."""
    from datetime import timedelta

    from shopwarden.core.quality.determinations import Measure
    from shopwarden.errors import Conflict
    from shopwarden.service import poor_quality
    from shopwarden.service import reviews as review_service
    from shopwarden.service.products import put as put_product
    from shopwarden.store.reviews import OrderRow

    platform, limit = principal(ctx, "platform"), 3
    put_shop(ctx, platform, "ql", "店铺ql", "enterprise", "douyin")
    put_product(ctx, platform, "qp", {"shop_id": "ql", "title": "陶瓷马克杯 350ml", "category": "家居/杯子", "skus": [{"sku_id": "k", "price": 29.0}]})
    at = ctx.clock()
    with ctx.db.transaction() as s:
        finding = poor_quality.Finding("product:qp", {"indicator": "negative_feedback_rate"}, "poor")
        poor_quality._record(ctx, s, platform, ctx.pack("douyin"), "ql", finding, at, 1, (Measure("order_limit", at, at + timedelta(days=20), limit),))
    ctx.clock.now = at + timedelta(days=ROUNDS + 2)
    for r in range(ROUNDS):
        day = at + timedelta(days=1 + r, hours=1)
        ok, errors = burst(lambda i, r=r, day=day: review_service.post_order(ctx, platform, {
            "order_id": f"o{r}-{i}", "shop_id": "ql", "product_id": "qp", "buyer_id": f"b{i}", "status": "completed",
            "ordered_at": day + timedelta(minutes=i)}), n=limit + 1)
        assert len(ok) == limit and len(errors) == 1, (r, ok, errors)
        assert isinstance(errors[0], Conflict) and errors[0].rule == "DY-QL-4", errors
        with ctx.db.read() as s:
            taken = s.query(OrderRow).filter(OrderRow.shop_id == "ql", OrderRow.ordered_at >= day - timedelta(hours=1),
                                             OrderRow.ordered_at < day + timedelta(hours=23)).count()
        assert taken == limit, (r, taken)


def test_one_order_posted_eight_times_at_once_is_one_201_and_seven_200s(ctx):
    """An order is recorded once (API.md POST /v1/orders: the same order again is 200): eight identical
    posts at once store one row, answer 201 once and 200 seven times, never an integrity error."""
    from shopwarden.service import reviews as review_service
    from shopwarden.service.products import put as put_product
    from shopwarden.store.reviews import OrderRow

    platform = principal(ctx, "platform")
    put_shop(ctx, platform, "os", "店铺os", "enterprise", "douyin")
    put_product(ctx, platform, "op", {"shop_id": "os", "title": "陶瓷马克杯 350ml", "category": "家居/杯子", "skus": [{"sku_id": "k", "price": 29.0}]})
    for r in range(ROUNDS):
        body = {"order_id": f"same{r}", "shop_id": "os", "product_id": "op", "buyer_id": "b", "status": "completed"}
        ok, errors = burst(lambda i, body=body: review_service.post_order(ctx, platform, dict(body)))
        assert not errors and sorted(code for _, code in ok) == [200] * 7 + [201], (r, errors)
        with ctx.db.read() as s:
            assert s.query(OrderRow).filter_by(order_id=f"same{r}").count() == 1


# ---------------------------------------------------------------- DY-LQ-2..4: a ban racing new listings


def test_dy_lq_4_a_listing_put_while_its_twin_is_banned_is_never_left_live(ctx):
    """DY-LQ-3/4: listings of the same product PUT while the original is being banned are each either
    refused at the gate (intercepted) or taken down by the ban's sweep; none stays live beside the ban."""
    from shopwarden.service import bans as ban_service
    from shopwarden.service.products import put as put_product
    from shopwarden.store import products
    from tests.store.test_races import BAN, BEDDING

    platform, operator = principal(ctx, "platform"), principal(ctx, "operator")
    for shop_id in ("d1", "d2"):
        put_shop(ctx, platform, shop_id, f"店铺{shop_id}", "enterprise", "douyin")
    twin = BEDDING | {"shop_id": "d2", "title": "cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase", "description": ""}
    for r in range(ROUNDS):
        put_product(ctx, platform, f"orig{r}", BEDDING | {"shop_id": "d1"})

        def one(i: int, r: int = r):
            if i == 0:
                return ban_service.ban(ctx, operator, f"orig{r}", ban_service.BanInput(**dict(BAN)))
            return put_product(ctx, platform, f"twin{r}-{i}", dict(twin))

        ok, errors = burst(one, n=4)
        assert not errors, errors
        with ctx.db.read() as s:
            live = [p for i in range(1, 4) if (p := products.get(s, f"twin{r}-{i}")).status not in ("rejected", "taken_down", "banned")]
        assert live == [], (r, [(p.product_id, p.status, p.version) for p in live])


# ---------------------------------------------------------------- CR-7/CR-9: creator measures


def test_cr_9_concurrent_creator_violations_state_each_measure_once(ctx):
    """CR-7 / CR-9: four 6-point violations of one creator issued at once reach the 12 and 24 lines;
    every measure their fold starts has its statement of reasons, once."""
    from shopwarden.core.ledger.creator_score import creator_fold
    from shopwarden.service import creators

    platform = principal(ctx, "platform")
    for r in range(ROUNDS):
        cid = f"cr{r}"
        creators.put(ctx, platform, cid, creators.CreatorInput(cid, "tiktok-shop"))
        body = {"creator_id": cid, "type": "spam_fraud", "severity": "general", "evidence": [{"kind": "text", "value": "fake giveaway"}]}
        ok, errors = burst(lambda i, body=body: violation_service.issue(ctx, platform, violation_service.ViolationInput(**dict(body))), n=4)
        assert not errors and len(ok) == 4, errors
        with ctx.db.read() as s:
            ledger_events, credits = creators.ledger(s, cid)
            history = creator_fold(creators.rules_of(ctx.pack("tiktok-shop")), ledger_events, ctx.clock(), credits).history
            stated = statements.puids(s, creator_id=cid)
        assert len(history) >= 2, history
        assert stated == {puid_of(f"creator.{m.kind}", f"{cid}:{m.id}") for m in history}, (r, stated, history)


# ---------------------------------------------------------------- webhook deliveries (API.md "Webhooks")


def test_each_due_webhook_delivery_is_claimed_by_one_sender(ctx):
    """API.md webhooks, at-least-once without needless repeats: eight senders claiming due deliveries
    at once take every due delivery, each once between them (the lease moves in a statement that re-checks it is due)."""
    from datetime import timedelta

    from shopwarden.store import webhooks as store

    now = ctx.clock()
    with ctx.db.transaction() as s:
        store.add(s, store.WebhookRow(webhook_id="wh1", url="http://127.0.0.1:9/", events=["violation.issued"], secret="s" * 32, after_id=0,
                                      created_at=now, created_by="k", deleted_at=None))
    for r in range(ROUNDS):
        with ctx.db.transaction() as s:
            store.add_deliveries(s, [{"delivery_id": f"d{r}-{i}", "webhook_id": "wh1", "event_id": f"e{r}-{i}", "event": "violation.issued",
                                      "body": "{}", "status": store.PENDING, "attempts": 0, "next_at": now, "last_status": None,
                                      "last_error": None, "created_at": now, "delivered_at": None} for i in range(40)])

        def claim(i: int, now: datetime = now) -> list[str]:
            mine: list[str] = []
            while True:  # as a dispatcher's round: until a claim comes back empty (the others took the rest)
                with ctx.db.transaction() as s:
                    got = [d.delivery_id for d in store.claim_due(s, now, now + timedelta(days=1), 10)]
                if not got:
                    return mine
                mine += got

        ok, errors = burst(claim)
        taken = [d for got in ok for d in got]
        assert not errors and len(taken) == len(set(taken)) == 40, (r, len(taken), len(set(taken)), errors)
        ctx.clock.now = now = now + timedelta(minutes=1)  # the leases taken stay held (a day)
