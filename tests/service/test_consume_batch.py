"""One micro-batch, one transaction (service/consume.py): each event a savepoint, claimed by its
`event_id`; a refusal undoes its own writes only (its outbox notes included) and is recorded dead."""

from __future__ import annotations

import pytest

from shopwarden.consume import handlers
from shopwarden.service.auth import Principal
from shopwarden.service.consume import Incoming, apply_batch
from shopwarden.service.shops import put_shop
from shopwarden.store import consumed, outbox

PLATFORM = Principal("k-platform", "platform", None)
ALL = frozenset(handlers.KINDS)


def _v(event_id: str, severity: str = "minor", shop: str = "s1") -> Incoming:
    return handlers.decode("violation", f'{{"event_id": "{event_id}", "shop_id": "{shop}", "type": "missing_qualifications", "severity": "{severity}"}}'.encode(), ALL)


def _apply(ctx, events):
    return apply_batch(ctx, events, handlers.handle, handlers.problem_of)


def _count(ctx, sql: str) -> int:
    with ctx.db.read() as s:
        return s.connection().exec_driver_sql(sql).scalar()


def test_batch_applies_once_and_dead_letters_refusals(ctx):
    put_shop(ctx, PLATFORM, "s1", "Shop", "seller", "tiktok-shop")
    events = [_v("e1"), _v("e1"), _v("e2", "catastrophic"), _v("e3", shop="nope"), handlers.decode("violation", b"[1]", ALL), _v("e4", "general")]
    out = _apply(ctx, events)
    assert [o.status for o in out] == ["applied", "duplicate", "dead", "dead", "dead", "applied"]
    assert out[2].problem["errors"][0]["field"] == "severity" and out[3].problem["status"] == 422
    assert _count(ctx, "SELECT count(*) FROM violations") == 2
    with ctx.db.read() as s:
        kinds = [e.kind for e in outbox.after(s, 0, 100)]
        assert consumed.outcomes(s, ["e1", "e2", "e3", "e4"]) == {
            "e1": ("applied", None), "e2": ("dead", out[2].problem), "e3": ("dead", out[3].problem), "e4": ("applied", None)}
    assert kinds.count("violation.issued") == 2 and "sanction.started" in kinds  # minor (6) + general (12) pass 12 points: TT-PTS-3
    again = _apply(ctx, [_v("e1"), _v("e2", "catastrophic")])  # a redelivery after a crash: nothing applied, the dead one's problem kept
    assert [(o.status, o.problem) for o in again] == [("duplicate", None), ("duplicate", out[2].problem)]
    assert _count(ctx, "SELECT count(*) FROM violations") == 2


def test_a_failure_outside_refusals_fails_the_whole_batch(ctx):
    put_shop(ctx, PLATFORM, "s1", "Shop", "seller", "tiktok-shop")

    def broken(c, e):
        if e.event_id == "e2":
            raise ConnectionError("database went away")  # not a DBAPIError: a defect, dead-lettered alone
        return handlers.handle(c, e)

    out = apply_batch(ctx, [_v("e1"), _v("e2")], broken, handlers.problem_of)
    assert [o.status for o in out] == ["applied", "dead"] and out[1].problem["status"] == 500

    from sqlalchemy.exc import OperationalError

    def gone(c, e):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    with pytest.raises(OperationalError):
        apply_batch(ctx, [_v("e3")], gone, handlers.problem_of)
    with ctx.db.read() as s:
        assert consumed.outcomes(s, ["e3"]) == {}  # nothing committed: the batch comes again


def test_one_event_id_in_two_concurrent_batches_is_applied_once(ctx):
    """API.md "Events in": an event's `event_id` is its idempotency key. Two consumers applying the
    same events at once (a redelivery racing the first delivery) apply each once: of the two batches,
    one outcome per event is `applied` and the other `duplicate`; the ledger holds one violation each
    and each sanction the batch starts (TT-PTS-3) starts once."""
    from tests.store.test_races import burst

    for r in range(4):
        shop = f"cb{r}"
        put_shop(ctx, PLATFORM, shop, "Shop", "seller", "tiktok-shop")
        events = [_v(f"{shop}-e{i}", shop=shop) for i in range(4)]
        ok, errors = burst(lambda i, events=events: _apply(ctx, events), n=2)
        assert not errors, errors
        assert [sorted(pair) for pair in zip(*[[o.status for o in out] for out in ok])] == [["applied", "duplicate"]] * 4, ok
        assert _count(ctx, f"SELECT count(*) FROM violations WHERE shop_id = '{shop}'") == 4
        started = _count(ctx, f"SELECT count(*) FROM outbox WHERE kind = 'sanction.started' AND key = '{shop}'")
        with ctx.db.read() as s:
            rows = [(e.id, e.payload["id"]) for e in outbox.after(s, 0, 10_000) if e.kind == "sanction.started" and e.key == shop]
        assert started == 3, (r, rows, ok)  # 24 points: 12's no_campaigns, 24's no_affiliate and no_campaigns, each once
