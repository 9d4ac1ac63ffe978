"""Operators' claims on queue items (an appeal, a case, …): who is deciding it, until when.

Not a ledger: a claim is taken, renewed, released, or taken over once it has expired. Taking
one is a single conditional write, so two operators racing for an item cannot both win.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, rowcount


class ClaimRow(Base):
    __tablename__ = "claims"

    item_kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), index=True)  # the key id of the operator holding it
    claimed_at: Mapped[datetime]
    expires_at: Mapped[datetime]


def _insert(session: Session):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(ClaimRow)


def take(session: Session, kind: str, item_id: str, holder: str, now: datetime, until: datetime) -> bool:
    """Claim the item for `holder` until `until`: a new claim, a renewal of the holder's own, or one
    taken over after it expired. False when another holder's claim is still running."""
    row = {"item_kind": kind, "item_id": item_id, "holder": holder, "claimed_at": now, "expires_at": until}
    if rowcount(session.execute(_insert(session).values(**row).on_conflict_do_nothing())) == 1:
        return True
    c = ClaimRow.__table__.c
    free = and_(c.item_kind == kind, c.item_id == item_id, or_(c.holder == holder, c.expires_at <= now))
    return rowcount(session.execute(update(ClaimRow).where(free).values(holder=holder, claimed_at=now, expires_at=until))) == 1


def release(session: Session, kind: str, item_id: str, holder: str) -> bool:
    c = ClaimRow.__table__.c
    return rowcount(session.execute(delete(ClaimRow).where(c.item_kind == kind, c.item_id == item_id, c.holder == holder))) == 1


def of_items(session: Session, kind: str, item_ids: list[str], now: datetime) -> dict[str, ClaimRow]:
    """The running claims on these items."""
    if not item_ids:
        return {}
    q = select(ClaimRow).where(ClaimRow.item_kind == kind, ClaimRow.item_id.in_(item_ids), ClaimRow.expires_at > now)
    return {r.item_id: r for r in session.scalars(q)}
