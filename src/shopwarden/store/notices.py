"""Notices (DSA Art. 16), what happens to them, trusted flaggers (Art. 22) and Art. 23 misuse actions (0023).

All append-only: a notice is filed once; its decision, the seller's counter-notice and the rights owner's
proof of proceedings are one event each (a unique key per notice and kind); a misuse warning or suspension
is a row of its own; a complaint marked manifestly unfounded is a row keyed by the appeal.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once

DECIDED, COUNTER_NOTICE, PROCEEDINGS = "decided", "counter_notice", "proceedings"


class NoticeRow(Base):
    __tablename__ = "notices"

    notice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    notifier_id: Mapped[str] = mapped_column(String(64), index=True)
    notifier_kind: Mapped[str] = mapped_column(String(20))
    notifier_name: Mapped[str] = mapped_column(String(200))
    notifier_email: Mapped[str] = mapped_column(String(320))
    trusted: Mapped[bool] = mapped_column(Boolean)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(128))
    shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    ground: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(2000))
    explanation: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))


class NoticeEvent(Base):
    __tablename__ = "notice_events"
    __table_args__ = (UniqueConstraint("notice_id", "kind", name="uq_notice_events_notice_kind"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict] = mapped_column(JSON)
    by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class TrustedFlagger(Base):
    __tablename__ = "trusted_flaggers"

    notifier_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    awarded_by: Mapped[str] = mapped_column(String(200))
    since: Mapped[datetime]
    created_at: Mapped[datetime]


class MisuseAction(Base):
    __tablename__ = "misuse_actions"
    __table_args__ = (UniqueConstraint("party_kind", "party_id", "action", "at", name="uq_misuse_actions_once"),)

    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    party_kind: Mapped[str] = mapped_column(String(16))  # notifier | complainant
    party_id: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(16))  # warning | suspension
    at: Mapped[datetime]
    until: Mapped[datetime | None]
    figures: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]


class UnfoundedComplaint(Base):
    __tablename__ = "unfounded_complaints"

    appeal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    complainant: Mapped[str] = mapped_column(String(80), index=True)
    marked_at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(128))


def add(session: Session, row: dict) -> bool:
    return insert_once(session, NoticeRow, row)


def get(session: Session, notice_id: str) -> NoticeRow | None:
    return session.get(NoticeRow, notice_id)


def add_event(session: Session, row: dict) -> bool:
    """False when the notice already has an event of that kind (a decision is final, one counter-notice)."""
    return insert_once(session, NoticeEvent, row)


def events(session: Session, notice_ids: list[str]) -> dict[str, dict[str, NoticeEvent]]:
    out: dict[str, dict[str, NoticeEvent]] = {}
    if notice_ids:
        for e in session.scalars(select(NoticeEvent).where(NoticeEvent.notice_id.in_(notice_ids))):
            out.setdefault(e.notice_id, {})[e.kind] = e
    return out


def listing(session: Session, shop_id: str | None, creator_id: str | None, undecided: bool, limit: int) -> list[NoticeRow]:
    """Notices, trusted flaggers' first (Art. 22(1)), then oldest first; `undecided`: the queue."""
    q = select(NoticeRow)
    if shop_id is not None:
        q = q.where(NoticeRow.shop_id == shop_id)
    if creator_id is not None:
        q = q.where(NoticeRow.creator_id == creator_id)
    if undecided:
        decided = select(NoticeEvent.notice_id).where(NoticeEvent.kind == DECIDED)
        q = q.where(NoticeRow.notice_id.not_in(decided))
    return list(session.scalars(q.order_by(NoticeRow.trusted.desc(), NoticeRow.filed_at, NoticeRow.notice_id).limit(limit)))


def in_range(session: Session, since: datetime, until: datetime) -> list[NoticeRow]:
    return list(session.scalars(select(NoticeRow).where(NoticeRow.filed_at >= since, NoticeRow.filed_at < until)))


def decisions_of_notifier(session: Session, notifier_id: str) -> list[tuple[datetime, str]]:
    q = (select(NoticeEvent.at, NoticeEvent.data).join(NoticeRow, NoticeRow.notice_id == NoticeEvent.notice_id)
         .where(NoticeRow.notifier_id == notifier_id, NoticeEvent.kind == DECIDED))
    return [(at, data.get("outcome")) for at, data in session.execute(q)]


def trusted(session: Session, notifier_id: str) -> TrustedFlagger | None:
    return session.get(TrustedFlagger, notifier_id)


def add_trusted(session: Session, row: dict) -> bool:
    return insert_once(session, TrustedFlagger, row)


def misuse(session: Session, party_kind: str, party_id: str) -> list[MisuseAction]:
    q = select(MisuseAction).where(MisuseAction.party_kind == party_kind, MisuseAction.party_id == party_id).order_by(MisuseAction.at)
    return list(session.scalars(q))


def add_misuse(session: Session, row: dict) -> bool:
    return insert_once(session, MisuseAction, row)


def misuse_in_range(session: Session, since: datetime, until: datetime) -> list[MisuseAction]:
    return list(session.scalars(select(MisuseAction).where(MisuseAction.at >= since, MisuseAction.at < until)))


def mark_unfounded(session: Session, row: dict) -> bool:
    return insert_once(session, UnfoundedComplaint, row)


def unfounded_of(session: Session, complainant: str) -> set[str]:
    return set(session.scalars(select(UnfoundedComplaint.appeal_id).where(UnfoundedComplaint.complainant == complainant)))


def count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(NoticeRow)).scalar_one()


def count_pending(session: Session) -> int:
    decided = select(NoticeEvent.notice_id).where(NoticeEvent.kind == DECIDED)
    return session.execute(select(func.count()).select_from(NoticeRow).where(NoticeRow.notice_id.not_in(decided))).scalar_one()


def is_decided(session: Session, notice_id: str) -> bool:
    return session.execute(select(func.count()).select_from(NoticeEvent).where(NoticeEvent.notice_id == notice_id, NoticeEvent.kind == DECIDED)).scalar_one() > 0


def counter_noticed(session: Session) -> list[tuple[NoticeRow, dict[str, NoticeEvent]]]:
    """Notices with a counter-notice, each with its events (the sweep judges whether the period ran out)."""
    ids = list(session.scalars(select(NoticeEvent.notice_id).where(NoticeEvent.kind == COUNTER_NOTICE)))
    evs = events(session, ids)
    rows = list(session.scalars(select(NoticeRow).where(NoticeRow.notice_id.in_(ids)))) if ids else []
    return [(n, evs[n.notice_id]) for n in rows]
