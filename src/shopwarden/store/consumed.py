"""The consumer's de-duplication keys: one row per incoming `event_id`, written in the same transaction
as the event's effect, so the same event twice is applied once (a unique key, not a lookup race)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once


class ConsumedEvent(Base):
    __tablename__ = "consumed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # applied | dead
    consumed_at: Mapped[datetime]


def claim(session: Session, event_id: str, kind: str, outcome: str, at: datetime) -> bool:
    """True when this transaction is the first to consume `event_id`; False: it was already consumed
    (or a concurrent transaction holds it: on PostgreSQL this waits for that one's commit)."""
    return insert_once(session, ConsumedEvent, {"event_id": event_id, "kind": kind, "outcome": outcome, "consumed_at": at})


def seen(session: Session, event_ids: list[str]) -> set[str]:
    """Those of `event_ids` already consumed (a batch's fast path; `claim` still decides)."""
    if not event_ids:
        return set()
    c = ConsumedEvent.__table__.c
    return set(session.scalars(select(c.event_id).where(c.event_id.in_(event_ids))))
