"""Ledger writes racing on PostgreSQL (and SQLite, serialised already): violations of one shop issued
at once must start each sanction of the threshold ladder exactly once (its `sanction.started` event and
its statement of reasons), as if they had come one by one."""

from __future__ import annotations

from collections import Counter

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
        ok, errors = burst(lambda i: violation_service.issue(ctx, platform, dict(body)), n=4)
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
