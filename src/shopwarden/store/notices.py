"""Notices (DSA Art. 16), what happens to them, trusted flaggers (Art. 22) and Art. 23 misuse actions (0023).

All append-only: a notice is filed once; its decision, the seller's counter-notice and the rights owner's
proof of proceedings are one event each (a unique key per notice and kind); a misuse warning or suspension
is a row of its own; a complaint marked manifestly unfounded is a row keyed by the appeal.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Engine, Integer, String, Text, UniqueConstraint, case, false, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once

DECIDED, COUNTER_NOTICE, PROCEEDINGS = "decided", "counter_notice", "proceedings"
LIFTED = "lifted"  # the measure ended: the counter-notice period ran out (the sweep), or a complaint was granted (0025)
REVERSED = "reversed"  # a notifier's complaint granted against no action: the measure applied then (0025)


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


class TrustedFlaggerRevocation(Base):
    """DSA Art. 22(6)-(7): a trusted flagger's status revoked (by the Digital Services Coordinator that awarded it,
    recorded by an operator); from `revoked_at` its notices are not prioritised (0025)."""

    __tablename__ = "trusted_flagger_revocations"

    notifier_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime]
    created_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))


class InternalComplaint(Base):
    """DSA Art. 20: a complaint against a notice's decision or an Art. 23 suspension; one per party and decision (0025)."""

    __tablename__ = "internal_complaints"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", "complainant", name="uq_internal_complaints_once"),)

    complaint_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # notice | misuse
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    side: Mapped[str] = mapped_column(String(16))  # notifier | affected
    complainant: Mapped[str] = mapped_column(String(80), index=True)  # notifier:<id> | shop:<id> | creator:<id>
    shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSON)
    filed_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))


class InternalComplaintDecision(Base):
    """A person's decision on an internal complaint (Art. 20(6)); one per complaint, final (0025)."""

    __tablename__ = "internal_complaint_decisions"

    complaint_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))  # granted | rejected
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))
    # DSA Art. 23: a rejected complaint the person found manifestly unfounded (0030)
    manifestly_unfounded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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
    """Notices, trusted flaggers' first (Art. 22(1)) unless the status was revoked since (Art. 22(6)), then oldest
    first; `undecided`: the queue."""
    revoked = select(TrustedFlaggerRevocation.notifier_id)
    priority = case((NoticeRow.trusted & NoticeRow.notifier_id.not_in(revoked), 0), else_=1)
    q = select(NoticeRow)
    if shop_id is not None:
        q = q.where(NoticeRow.shop_id == shop_id)
    if creator_id is not None:
        q = q.where(NoticeRow.creator_id == creator_id)
    if undecided:
        decided = select(NoticeEvent.notice_id).where(NoticeEvent.kind == DECIDED)
        q = q.where(NoticeRow.notice_id.not_in(decided))
    return list(session.scalars(q.order_by(priority, NoticeRow.filed_at, NoticeRow.notice_id).limit(limit)))


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


def acted_on(session: Session, shop_id: str | None = None, creator_id: str | None = None,
             targets: tuple[str, ...] = ()) -> list[tuple[NoticeRow, dict[str, NoticeEvent]]]:
    """The notices on a shop's (or a creator's) items that took a measure (decided `action`, or reversed on a
    complaint), each with its events; `targets` narrows the target kinds. One indexed read when there are none."""
    q = select(NoticeRow)
    q = q.where(NoticeRow.shop_id == shop_id) if shop_id is not None else q.where(NoticeRow.creator_id == creator_id)
    if targets:
        q = q.where(NoticeRow.target_kind.in_(targets))
    rows = list(session.scalars(q))
    if not rows:
        return []
    evs = events(session, [n.notice_id for n in rows])
    return [(n, evs[n.notice_id]) for n in rows if _took_measure(evs.get(n.notice_id, {}))]


def _took_measure(evs: dict[str, NoticeEvent]) -> bool:
    d = evs.get(DECIDED)
    return REVERSED in evs or (d is not None and d.data.get("outcome") == "action")


def any_on_shop(engine: Engine, shop_id: str, target_kind: str) -> bool:
    """Whether any notice names this shop with this target kind: one driver-level round trip, no ORM session
    (the uncached health read asks it for every shop, and almost every answer is no)."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT 1 FROM notices WHERE shop_id = {mark} AND target_kind = {mark} LIMIT 1", (shop_id, target_kind))
        found = cur.fetchone() is not None
        cur.close()
    finally:
        conn.close()
    return found


def reversed_ids(session: Session, notice_ids: list[str]) -> set[str]:
    if not notice_ids:
        return set()
    q = select(NoticeEvent.notice_id).where(NoticeEvent.kind == REVERSED, NoticeEvent.notice_id.in_(notice_ids))
    return set(session.scalars(q))


def revocation(session: Session, notifier_id: str) -> TrustedFlaggerRevocation | None:
    return session.get(TrustedFlaggerRevocation, notifier_id)


def add_revocation(session: Session, row: dict) -> bool:
    return insert_once(session, TrustedFlaggerRevocation, row)


def all_trusted(session: Session) -> list[tuple[TrustedFlagger, TrustedFlaggerRevocation | None]]:
    q = (select(TrustedFlagger, TrustedFlaggerRevocation)
         .join(TrustedFlaggerRevocation, TrustedFlaggerRevocation.notifier_id == TrustedFlagger.notifier_id, isouter=True)
         .order_by(TrustedFlagger.notifier_id))
    return [(t, r) for t, r in session.execute(q)]


def add_complaint(session: Session, row: dict) -> bool:
    """False when this party already complained of this decision."""
    return insert_once(session, InternalComplaint, row)


def complaint(session: Session, complaint_id: str) -> InternalComplaint | None:
    return session.get(InternalComplaint, complaint_id)


def complaint_decision(session: Session, complaint_id: str) -> InternalComplaintDecision | None:
    return session.get(InternalComplaintDecision, complaint_id)


def add_complaint_decision(session: Session, row: dict) -> bool:
    """False when the complaint is already decided (a decision is final)."""
    return insert_once(session, InternalComplaintDecision, row)


def complaints_of(session: Session, subject_kind: str, subject_id: str) -> list[tuple[InternalComplaint, InternalComplaintDecision | None]]:
    q = (select(InternalComplaint, InternalComplaintDecision)
         .join(InternalComplaintDecision, InternalComplaintDecision.complaint_id == InternalComplaint.complaint_id, isouter=True)
         .where(InternalComplaint.subject_kind == subject_kind, InternalComplaint.subject_id == subject_id)
         .order_by(InternalComplaint.filed_at, InternalComplaint.complaint_id))
    return [(c, d) for c, d in session.execute(q)]


def complaints(session: Session, shop_id: str | None, creator_id: str | None, pending: bool,
               limit: int) -> list[tuple[InternalComplaint, InternalComplaintDecision | None]]:
    """Internal complaints, oldest first; `pending`: the operators' queue (`queue`'s order)."""
    return [(c, d) for c, d, _ in queue(session, shop_id, creator_id, pending, limit)]


def queue(session: Session, shop_id: str | None, creator_id: str | None, pending: bool,
          limit: int) -> list[tuple[InternalComplaint, InternalComplaintDecision | None, bool]]:
    """Internal complaints with whether each is a trusted flagger's, oldest first; `pending`: the operators' queue, where
    a trusted flagger's complaint against no action on its notice comes first (as its notice did, Art. 22(1)) unless
    the status was revoked since (Art. 22(6))."""
    C, D = InternalComplaint, InternalComplaintDecision
    revoked = select(TrustedFlaggerRevocation.notifier_id)
    trusted = case(((C.side == "notifier") & NoticeRow.trusted.is_(True) & NoticeRow.notifier_id.not_in(revoked), 0), else_=1)
    q = (select(C, D, trusted).join(D, D.complaint_id == C.complaint_id, isouter=True)
         .join(NoticeRow, (C.subject_kind == "notice") & (NoticeRow.notice_id == C.subject_id), isouter=True))
    if shop_id is not None:
        q = q.where(C.shop_id == shop_id)
    if creator_id is not None:
        q = q.where(C.creator_id == creator_id)
    if pending:
        q = q.where(D.complaint_id.is_(None)).order_by(trusted)
    return [(c, d, t == 0) for c, d, t in session.execute(q.order_by(C.filed_at, C.complaint_id).limit(limit))]


def count_pending_complaints(session: Session) -> int:
    decided = select(InternalComplaintDecision.complaint_id)
    return session.execute(select(func.count()).select_from(InternalComplaint).where(InternalComplaint.complaint_id.not_in(decided))).scalar_one()


def complaint_findings_of(session: Session, complainant: str) -> list[tuple[datetime, bool]]:
    """(decided_at, found manifestly unfounded) of the decided internal complaints of one complainant (DSA Art. 23 counts them)."""
    D = InternalComplaintDecision
    q = select(D.decided_at, D.manifestly_unfounded).join(InternalComplaint, InternalComplaint.complaint_id == D.complaint_id).where(
        InternalComplaint.complainant == complainant)
    return [(at, bool(unfounded)) for at, unfounded in session.execute(q)]


def misuse_action(session: Session, action_id: str) -> MisuseAction | None:
    return session.get(MisuseAction, action_id)
