"""Read-only queries the transparency report (DSA Art. 24) is counted from: statements, notices and their
decisions, appeals and theirs, misuse actions, each in a period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.notices import (
    DECIDED,
    InternalComplaint,
    InternalComplaintDecision,
    MisuseAction,
    NoticeEvent,
    NoticeRow,
    UnfoundedComplaint,
)
from shopwarden.store.statements import StatementRow

CHUNK = 5000


def statements(session: Session, since: datetime, until: datetime) -> Iterator[tuple[str, dict, dict | None]]:
    """(measure kind, structured statement, Transparency Database form or None) of measures applied in the period."""
    S = StatementRow
    q = select(S.measure_kind, S.body, S.submission).where(S.applied_at >= since, S.applied_at < until).execution_options(yield_per=CHUNK)
    yield from session.execute(q)


def notices(session: Session, since: datetime, until: datetime) -> list[tuple[str, bool, str, datetime, datetime | None, str | None]]:
    """(notifier kind, trusted, ground, filed_at, decided_at, outcome) of notices filed in the period."""
    E = NoticeEvent
    q = (select(NoticeRow.notifier_kind, NoticeRow.trusted, NoticeRow.ground, NoticeRow.filed_at, E.at, E.data)
         .outerjoin(E, (E.notice_id == NoticeRow.notice_id) & (E.kind == DECIDED))
         .where(NoticeRow.filed_at >= since, NoticeRow.filed_at < until))
    return [(k, t, g, f, at, (data or {}).get("outcome")) for k, t, g, f, at, data in session.execute(q)]


ComplaintRow = tuple[datetime, datetime | None, str | None, bool]  # filed_at, decided_at, outcome, found manifestly unfounded


def complaints(session: Session, since: datetime, until: datetime) -> list[ComplaintRow]:
    """(filed_at, decided_at, outcome, manifestly unfounded) of appeals (internal complaints, Art. 20) filed in the period."""
    D, U = AppealDecision, UnfoundedComplaint
    q = (select(Appeal.filed_at, D.decided_at, D.outcome, U.appeal_id).outerjoin(D, D.appeal_id == Appeal.appeal_id)
         .outerjoin(U, U.appeal_id == Appeal.appeal_id).where(Appeal.filed_at >= since, Appeal.filed_at < until))
    return [(filed, decided, outcome, marked is not None) for filed, decided, outcome, marked in session.execute(q)]


def internal_complaints(session: Session, since: datetime, until: datetime) -> list[tuple[str, ComplaintRow]]:
    """(subject kind, its ComplaintRow) of complaints against notice decisions and Art. 23 suspensions (0025, 0030)."""
    D = InternalComplaintDecision
    q = (select(InternalComplaint.subject_kind, InternalComplaint.filed_at, D.decided_at, D.outcome, D.manifestly_unfounded)
         .outerjoin(D, D.complaint_id == InternalComplaint.complaint_id)
         .where(InternalComplaint.filed_at >= since, InternalComplaint.filed_at < until))
    return [(kind, (filed, decided, outcome, bool(unfounded))) for kind, filed, decided, outcome, unfounded in session.execute(q)]


def misuse(session: Session, since: datetime, until: datetime) -> list[tuple[str, str]]:
    """(party kind, action) of Art. 23 warnings and suspensions in the period."""
    q = select(MisuseAction.party_kind, MisuseAction.action).where(MisuseAction.at >= since, MisuseAction.at < until)
    return [(kind, action) for kind, action in session.execute(q)]
