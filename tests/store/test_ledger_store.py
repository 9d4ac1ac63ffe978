"""The store contract, on SQLite and PostgreSQL: the ledger is append-only and reads back as events."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, ViolationIssued
from shopwarden.store import appeals, events, shops, violations
from tests.conftest import T0


def _violation(vid: str, at) -> dict:
    return {"violation_id": vid, "shop_id": "s1", "type": "knockoff", "severity": "minor", "points": 2, "point_class": "default",
            "issued_at": at, "expires_at": at + timedelta(days=180), "policy_id": "tiktok-shop", "policy_version": "1",
            "evidence": [{"kind": "text", "value": "x"}], "note": None, "created_at": at, "created_by": "k"}


@pytest.fixture
def seeded(database):
    with database.transaction() as s:
        shops.upsert(s, "s1", "Shop", "enterprise", "tiktok-shop", T0)
        violations.add(s, _violation("v1", T0))
        appeals.add(s, {"appeal_id": "a1", "violation_id": "v1", "shop_id": "s1", "number": 1, "filed_at": T0 + timedelta(days=1),
                        "reason": "r", "evidence": [], "deadline": None, "created_at": T0, "filed_by": "k"})
        appeals.add_decision(s, {"appeal_id": "a1", "violation_id": "v1", "shop_id": "s1", "outcome": "granted", "reason": "ok",
                                 "decided_at": T0 + timedelta(days=2), "decided_by": "op", "created_at": T0, "key_id": "k"})
    return database


def test_events_round_trip_with_aware_utc_times(seeded):
    policy, evs = events.shop_ledger(seeded.engine, "s1")
    assert policy == "tiktok-shop"
    assert events.shop_ledger(seeded.engine, "nope") == (None, [])
    kinds = sorted(type(e).__name__ for e in evs)
    assert kinds == ["AppealDecided", "AppealFiled", "ViolationIssued"]
    issued = next(e for e in evs if isinstance(e, ViolationIssued))
    assert issued.at == T0 and issued.at.tzinfo is not None
    assert next(e for e in evs if isinstance(e, AppealDecided)).outcome == "granted"
    assert next(e for e in evs if isinstance(e, AppealFiled)).number == 1


@pytest.mark.parametrize("statement", [
    "UPDATE violations SET points = 0",
    "DELETE FROM violations",
    "UPDATE appeals SET reason = 'changed'",
    "DELETE FROM appeal_decisions",
])
def test_ledger_tables_refuse_update_and_delete(seeded, statement):
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), seeded.transaction() as s:
        s.execute(sa.text(statement))
    with seeded.read() as s:
        assert violations.get(s, "v1").points == 2
        assert appeals.decision(s, "a1").reason == "ok"


def test_a_failed_transaction_writes_nothing(database):
    with pytest.raises(RuntimeError), database.transaction() as s:
        shops.upsert(s, "s9", "Shop", "enterprise", "tiktok-shop", T0)
        raise RuntimeError("boom")
    with database.read() as s:
        assert shops.get(s, "s9") is None
