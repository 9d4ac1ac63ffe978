"""The consumer's set-based path (service/consume.py `_group`, `violations.issue_many`): a run of
violations in a micro-batch is claimed in one statement and inserted together, with the same
outcomes, ledger, outbox and statements as the one-by-one path, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from shopwarden.consume import handlers
from shopwarden.service.auth import Principal
from shopwarden.service.consume import Incoming, Outcome, apply_batch
from shopwarden.service.context import Context
from shopwarden.service.shops import put_shop
from shopwarden.store import consumed, outbox

PLATFORM = Principal("k-platform", "platform", None)
ALL = frozenset(handlers.KINDS)


def _v(event_id: str, severity: str = "minor", shop: str = "s1", **extra: Any) -> Incoming:
    body = {"event_id": event_id, "shop_id": shop, "type": "missing_qualifications", "severity": severity} | extra
    import orjson

    return handlers.decode("violation", orjson.dumps(body), ALL)


def _count(ctx: Context, sql: str) -> int:
    with ctx.db.read() as s:
        return int(s.connection().exec_driver_sql(sql).scalar() or 0)


def _state(ctx: Context, shops: tuple[str, str]) -> tuple[int, list[str], int]:
    """What a batch left for two shops: violations, the outbox's kinds, statements of reasons."""
    where = f"IN ('{shops[0]}', '{shops[1]}')"
    with ctx.db.read() as s:
        kinds = sorted(e.kind for e in outbox.after(s, 0, 10_000) if e.key in shops)
    return (_count(ctx, f"SELECT count(*) FROM violations WHERE shop_id {where}"), kinds,
            _count(ctx, f"SELECT count(*) FROM statements WHERE shop_id {where}"))


def _mixed(p: str, a: str, b: str) -> list[Incoming]:
    return [_v(f"{p}1", shop=a), _v(f"{p}1", shop=a), _v(f"{p}2", "catastrophic", shop=a), _v(f"{p}3", shop="nope"),
            handlers.decode("violation", b"[1]", ALL), _v(f"{p}4", "general", shop=a), _v(f"{p}5", shop=b),
            _v(f"{p}6", "general", shop=b), _v(f"{p}7", "general", shop=a)]


def _shops(ctx: Context, *ids: str) -> None:
    for shop in ids or ("s1", "s2"):
        put_shop(ctx, PLATFORM, shop, f"Shop {shop}", "seller", "tiktok-shop")


def _summary(out: list[Outcome]) -> list[tuple[str, int | None]]:
    return [(o.status, (o.problem or {}).get("status")) for o in out]


def test_set_based_batch_matches_the_one_by_one_path(ctx):
    """Exactly-once by `event_id`, dead letters for refusals (a bad severity, an unknown shop), and
    the same ledger, outbox events (TT-PTS-3 sanctions started) and statements (DSA Art. 17) as the
    per-event path applied to the same events for two other shops."""
    _shops(ctx, "s1", "s2", "r1", "r2")
    runs: list[int] = []

    def counted(c: Context, bodies: list[dict[str, Any]]) -> list[Any]:
        runs.append(len(bodies))
        return handlers.MANY["violation"](c, bodies)

    out = apply_batch(ctx, _mixed("e", "s1", "s2"), handlers.handle, handlers.problem_of, {"violation": counted})
    assert runs == [3, 4]  # e1 e1 e2 e3 (e1 once; e2 and e3 refused inside), the unreadable event alone, then e4..e7
    assert _summary(out) == [("applied", None), ("duplicate", None), ("dead", 422), ("dead", 422), ("dead", 422),
                             ("applied", None), ("applied", None), ("applied", None), ("applied", None)]
    assert out[2].problem["errors"][0]["field"] == "severity" and out[3].problem["errors"][0]["field"] == "shop_id"
    with ctx.db.read() as s:
        assert consumed.outcomes(s, ["e2", "e3", "e4"]) == {"e2": ("dead", out[2].problem), "e3": ("dead", out[3].problem), "e4": ("applied", None)}

    per_event = apply_batch(ctx, _mixed("r", "r1", "r2"), handlers.handle, handlers.problem_of)
    assert _summary(per_event) == _summary(out)
    set_based, reference = _state(ctx, ("s1", "s2")), _state(ctx, ("r1", "r2"))
    assert set_based == reference and set_based[0] == 5 and "sanction.started" in set_based[1] and set_based[2] > 0

    again = apply_batch(ctx, [_v("e1"), _v("e2", "catastrophic"), _v("e8")], handlers.handle, handlers.problem_of, handlers.MANY)
    assert [(o.status, o.problem) for o in again] == [("duplicate", None), ("duplicate", out[2].problem), ("applied", None)]
    assert _count(ctx, "SELECT count(*) FROM violations WHERE shop_id = 's1'") == 4


def test_a_failing_set_based_run_falls_back_to_one_by_one(ctx):
    """A defect in the set-based use case undoes its savepoint (nothing half-written, no claim kept)
    and the group is applied event by event, with the same outcomes."""
    _shops(ctx)

    def broken(c: Context, bodies: list[dict[str, Any]]) -> list[Any]:
        handlers.MANY["violation"](c, bodies)
        raise RuntimeError("a defect after writing")

    out = apply_batch(ctx, [_v("f1"), _v("f2", shop="nope"), _v("f3")], handlers.handle, handlers.problem_of, {"violation": broken})
    assert _summary(out) == [("applied", None), ("dead", 422), ("applied", None)]
    assert _count(ctx, "SELECT count(*) FROM violations") == 2
    assert _count(ctx, "SELECT count(*) FROM consumed_events") == 3


def test_the_database_failing_in_a_set_based_run_fails_the_batch(ctx):
    """Not a refusal: the whole batch is undone (nothing claimed) and raised for the caller to retry."""
    _shops(ctx)

    def gone(c: Context, bodies: list[dict[str, Any]]) -> list[Any]:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    with pytest.raises(OperationalError):
        apply_batch(ctx, [_v("g1"), _v("g2")], handlers.handle, handlers.problem_of, {"violation": gone})
    assert _count(ctx, "SELECT count(*) FROM consumed_events") == 0
    assert _count(ctx, "SELECT count(*) FROM violations") == 0


def test_concurrent_set_based_batches_apply_each_event_once(ctx):
    """Two consumers applying the same events at once (a redelivery racing the first delivery): the
    unique key decides, one `applied` and one `duplicate` per event, each sanction started once (TT-PTS-3)."""
    from tests.store.test_races import burst

    for r in range(3):
        shop = f"sb{r}"
        put_shop(ctx, PLATFORM, shop, "Shop", "seller", "tiktok-shop")
        events = [_v(f"{shop}-e{i}", shop=shop) for i in range(4)]
        ok, errors = burst(lambda i, events=events: apply_batch(ctx, events, handlers.handle, handlers.problem_of, handlers.MANY), n=2)
        assert not errors, errors
        assert [sorted(pair) for pair in zip(*[[o.status for o in out] for out in ok])] == [["applied", "duplicate"]] * 4, ok
        assert _count(ctx, f"SELECT count(*) FROM violations WHERE shop_id = '{shop}'") == 4
        assert _count(ctx, f"SELECT count(*) FROM outbox WHERE kind = 'sanction.started' AND key = '{shop}'") == 3


def test_the_route_and_the_set_based_use_case_are_one(ctx):
    """`violations.issue` (the HTTP route's call) is `issue_many` with one body: the same refusal."""
    from shopwarden.errors import InvalidInput
    from shopwarden.service import violations

    _shops(ctx)
    with pytest.raises(InvalidInput) as e:
        violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="nope", type="missing_qualifications", severity="minor"))
    assert "unknown shop" in str(e.value)
    many = violations.issue_many(ctx, PLATFORM, [violations.ViolationInput(shop_id="nope", type="missing_qualifications", severity="minor"),
                                                 violations.ViolationInput(shop_id="s1", type="missing_qualifications", severity="minor")])
    assert isinstance(many[0], InvalidInput) and isinstance(many[1], violations.ShopViolation)
    assert many[1].shop_id == "s1" and many[1].points > 0
