"""The consumer's de-duplication keys: one row per incoming `event_id`, written in the same transaction
as the event's effect, so the same event twice is applied once (a unique key, not a lookup race)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, bindparam, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, table_of
from shopwarden.store.db import insert_once, insert_rows


class ConsumedEvent(Base):
    __tablename__ = "consumed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # applied | dead
    consumed_at: Mapped[datetime]
    problem: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # a dead one's problem document, re-sent on redelivery


def claim(session: Session, event_id: str, kind: str, outcome: str, at: datetime, problem: dict | None = None) -> bool:
    """True when this transaction is the first to consume `event_id`; False: it was already consumed
    (or a concurrent transaction holds it: on PostgreSQL this waits for that one's commit)."""
    return insert_once(session, ConsumedEvent, {"event_id": event_id, "kind": kind, "outcome": outcome, "consumed_at": at, "problem": problem})


def claim_many(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """`claim` for many events in one statement: the event ids this transaction is the first to
    consume (each row: event_id, kind, outcome, consumed_at, problem). The unique key decides, as
    for one; on PostgreSQL a row a concurrent transaction holds waits for that one's commit."""
    if not rows:
        return set()
    return set(insert_rows(session, table_of(ConsumedEvent), rows, skip_existing=True, returning="event_id"))


def mark_dead(session: Session, dead: dict[str, dict[str, Any]]) -> None:
    """Events claimed as applied in this transaction whose use case refused them: dead, with the problem."""
    if dead:
        c = table_of(ConsumedEvent).c
        session.execute(update(table_of(ConsumedEvent)).where(c.event_id == bindparam("eid")).values(outcome="dead", problem=bindparam("problem")),
                        [{"eid": k, "problem": v} for k, v in dead.items()])


def outcomes(session: Session, event_ids: list[str]) -> dict[str, tuple[str, dict | None]]:
    """Those of `event_ids` already consumed, with their outcome and problem (a batch's fast path;
    `claim` still decides a race)."""
    if not event_ids:
        return {}
    c = table_of(ConsumedEvent).c
    return {r.event_id: (r.outcome, r.problem) for r in session.execute(select(c.event_id, c.outcome, c.problem).where(c.event_id.in_(event_ids)))}
