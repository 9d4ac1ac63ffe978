"""A shop's ledger as core events: the one read the fold needs, in one round trip (the health hot path)."""

from __future__ import annotations

from sqlalchemy import Integer, String, text
from sqlalchemy.engine import Connection

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued
from shopwarden.store.base import UtcDateTime

# One UNION ALL over the shop row and the three ledger tables, each branch on its shop_id index.
_LEDGER = text(
    """
    SELECT 0 AS k, policy_id AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS n, NULL AS e, NULL AS t1, NULL AS t2
      FROM shops WHERE shop_id = :shop
    UNION ALL
    SELECT 1, violation_id, type, severity, point_class, points, NULL, issued_at, expires_at
      FROM violations WHERE shop_id = :shop
    UNION ALL
    SELECT 2, appeal_id, violation_id, NULL, NULL, number, NULL, filed_at, NULL
      FROM appeals WHERE shop_id = :shop
    UNION ALL
    SELECT 3, appeal_id, violation_id, outcome, decided_by, NULL, reason, decided_at, NULL
      FROM appeal_decisions WHERE shop_id = :shop
    """
).columns(k=Integer, a=String, b=String, c=String, d=String, n=Integer, e=String, t1=UtcDateTime, t2=UtcDateTime)


def shop_ledger(conn: Connection, shop_id: str) -> tuple[str | None, list[Event]]:
    """The shop's policy id (None: no such shop) and its ledger events, in any order."""
    policy: str | None = None
    out: list[Event] = []
    for k, a, b, c, d, n, e, t1, t2 in conn.execute(_LEDGER, {"shop": shop_id}):
        if k == 1:
            out.append(ViolationIssued(a, t1, b, c, n, d, t2))
        elif k == 2:
            out.append(AppealFiled(a, b, n, t1))
        elif k == 3:
            out.append(AppealDecided(a, b, c, t1, e, d))
        else:
            policy = a
    return policy, out


def of_shop(conn: Connection, shop_id: str) -> list[Event]:
    return shop_ledger(conn, shop_id)[1]
