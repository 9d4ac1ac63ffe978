"""The transactional outbox: what the engine decided, written in the same transaction as its cause, and
the relays' cursors over it (API.md "Events in and decisions out").

`id` is the relay's order: rows are published in id order and a cursor keeps the last id a relay
has had acknowledged. `event_id` is the message's identity downstream (NATS `Nats-Msg-Id`, the
webhook delivery id): a row re-published after a crash keeps it, so consumers de-duplicate by it.
Rows are never updated; a cursor is the one mutable row per relay.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, table_of
from shopwarden.store.db import insert_rows

# Every kind the engine publishes, and the one place that writes each (service/outbox_events.py
# says how the ledger-derived ones are found).
KINDS: tuple[str, ...] = (
    "violation.issued",  # a violation entered a shop's or creator's ledger (any path: API, scan, ban, import of one)
    "violation.revoked",  # revoked outright (TT-APL-5), or a joint share revoked with it (CR-12)
    "appeal.decided",  # an operator's decision on an appeal (TT-APL-6)
    "sanction.started",  # a sanction of the threshold ladder began (TT-PTS), derived by the fold
    "sanction.lifted",  # a sanction in force ended early (a granted appeal, a revocation)
    "notice.sent",  # a notice the fold owes the seller became due (violation, warning, sanction)
    "listing.decided",  # PUT /v1/products answered: published / pending_review / rejected
    "content.decided",  # a creator's content judged (CR-*), automatically or by an operator
    "determination.made",  # a poor-quality determination with its measures (DY-QL-3/4)
    # DSA notices (service/notices.py), complaints (service/internal_complaints.py), trusted flaggers: the notice,
    # complaint or status as its GET shows it to the platform
    "notice.filed",  # a notice (Art. 16) came in
    "notice.decided",  # a person decided it: action (its measure applied), no_action or manifestly_unfounded
    "notice.counter_noticed",  # the seller declared no infringement (E-Commerce Law art. 43)
    "notice.proceedings_shown",  # the rights owner showed a lawsuit or complaint in time: the measure stays
    "notice.measure_lifted",  # the measure ended: the counter-notice period ran out, or a complaint was granted
    "internal_complaint.filed",  # a complaint (Art. 20) against a notice decision or an Art. 23 suspension
    "internal_complaint.decided",  # a person decided it (Art. 20(6))
    "trusted_flagger.revoked",  # a trusted flagger's status revoked (Art. 22(6)-(7))
)
# Work the engine hands itself (service/analysis.py): written like the others, in the transaction that
# asked for it, so a crash after the commit never loses it; never published as a decision nor offered
# to webhooks — the relay puts it on `<prefix>.work.<what>` (NATS) or the in-process runner reads it.
WORK_KINDS: tuple[str, ...] = (
    "work.listing",  # a listing version answered from the fast detectors, its images still to analyse
    "work.review",  # a review answered from the fast signals, the sentence encoder's (RV-K-5/6) still owed
)


class OutboxRow(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(64))  # the shop or creator: the ordering key downstream
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]

    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: a relay's cursor only moves on


class OutboxCursor(Base):
    __tablename__ = "outbox_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True, slots=True)
class Entry:
    """One outbox row as a relay reads it."""

    id: int
    event_id: str
    kind: str
    key: str
    payload: dict[str, Any]
    created_at: datetime

    def message(self) -> dict[str, Any]:
        """The outgoing message (API.md): the entry's id, kind, instant and the resource."""
        return {"id": self.event_id, "kind": self.kind, "at": self.created_at, "data": self.payload}


def add(session: Session, kind: str, key: str, payload: dict[str, Any], at: datetime | None = None) -> str:
    """Write one event in the caller's transaction; its `event_id` (uuid4 hex)."""
    return add_many(session, [(kind, key, payload)], at)[0]


def add_many(session: Session, rows: list[tuple[str, str, dict[str, Any]]], at: datetime | None = None) -> list[str]:
    """Write (kind, key, payload) events in the caller's transaction, in order, in one statement; their `event_id`s."""
    if not rows:
        return []
    for kind, _, _ in rows:
        if kind not in KINDS and kind not in WORK_KINDS:
            raise ValueError(f"unknown outbox kind {kind!r}; allowed: {', '.join(KINDS + WORK_KINDS)}")
    at = at or datetime.now(UTC)
    ids = [uuid.uuid4().hex for _ in rows]
    insert_rows(session, table_of(OutboxRow), [
        {"event_id": event_id, "kind": kind, "key": key, "payload": payload, "created_at": at} for event_id, (kind, key, payload) in zip(ids, rows)
    ])
    return ids


def after(session: Session, last_id: int, limit: int) -> list[Entry]:
    """The rows with id > `last_id`, in id order, at most `limit`."""
    c = table_of(OutboxRow).c
    q = select(c.id, c.event_id, c.kind, c.key, c.payload, c.created_at).where(c.id > last_id).order_by(c.id).limit(limit)
    return [Entry(*r) for r in session.execute(q)]


def with_ids(session: Session, ids: list[int]) -> list[Entry]:
    """Those of rows `ids` that exist now, in id order (a relay looking at holes it passed)."""
    c = table_of(OutboxRow).c
    q = select(c.id, c.event_id, c.kind, c.key, c.payload, c.created_at).where(c.id.in_(ids)).order_by(c.id)
    return [Entry(*r) for r in session.execute(q)]


def cursor(session: Session, name: str) -> int:
    """The last id relay `name` has had acknowledged (0: none yet)."""
    row = session.get(OutboxCursor, name)
    return 0 if row is None else row.last_id


def advance(session: Session, name: str, last_id: int) -> None:
    """Move relay `name`'s cursor to `last_id` (never backwards: two relays racing keep the larger)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OutboxCursor).values(name=name, last_id=last_id)
    table = OutboxCursor.__table__
    session.execute(stmt.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"last_id": stmt.excluded.last_id},
        where=table.c.last_id < stmt.excluded.last_id,
    ))


def note(session: Session, what: str, row: dict[str, Any]) -> None:
    """A ledger row this transaction wrote (`violation`, `revocation`, `decision`): the service's
    commit hook turns them into events (service/outbox_events.py). Only the ledger's writers call it."""
    session.info.setdefault("ledger_writes", []).append((what, row))


def noted(session: Session) -> list[tuple[str, dict[str, Any]]]:
    """And takes them back, once."""
    return session.info.pop("ledger_writes", [])
