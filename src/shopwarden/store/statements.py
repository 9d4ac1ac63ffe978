"""Statements of reasons (DSA Art. 17): append-only rows, one per measure, keyed by a puid never reused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, func, literal, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, table_of
from shopwarden.store.creators import CreatorRow
from shopwarden.store.db import insert_once, insert_rows
from shopwarden.store.violations import Violation


class StatementRow(Base):
    __tablename__ = "statements"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    puid: Mapped[str] = mapped_column(String(64), unique=True)  # the Transparency Database's platform id: never reused
    measure_kind: Mapped[str] = mapped_column(String(64))
    measure_id: Mapped[str] = mapped_column(String(200), index=True)
    shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    applied_at: Mapped[datetime] = mapped_column(index=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict] = mapped_column(JSON)  # the structured statement (core/dsa/statement.py)
    submission: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)  # its Transparency Database form; null: not exported
    recorded_at: Mapped[datetime]


def add(session: Session, row: dict) -> bool:
    """True when the statement went in; False when its puid is already stored (the measure was already stated)."""
    return insert_once(session, StatementRow, row)


def add_many(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """`add` for many rows in one statement: the puids that went in (the others were stored already)."""
    if not rows:
        return set()
    return set(insert_rows(session, table_of(StatementRow), rows, skip_existing=True, returning="puid"))


def puids_of_shops(session: Session, shop_ids: list[str]) -> dict[str, set[str]]:
    """Each of `shop_ids`' stated puids, in one query."""
    if not shop_ids:
        return {}
    c = table_of(StatementRow).c
    out: dict[str, set[str]] = {}
    for shop_id, puid in session.execute(select(c.shop_id, c.puid).where(c.shop_id.in_(set(shop_ids)))):
        out.setdefault(shop_id, set()).add(puid)
    return out


def puids(session: Session, shop_id: str | None = None, creator_id: str | None = None) -> set[str]:
    c = table_of(StatementRow).c
    q = select(c.puid).where(c.shop_id == shop_id) if shop_id is not None else select(c.puid).where(c.creator_id == creator_id)
    return set(session.scalars(q))


@dataclass(frozen=True)
class Filter:
    since: datetime | None = None
    until: datetime | None = None
    shop_id: str | None = None
    creator_id: str | None = None
    measure_id: str | None = None
    kind: str | None = None
    exported_only: bool = False
    puid: str | None = None


def page(session: Session, f: Filter, after: int, limit: int) -> list[StatementRow]:
    """Statements in recorded order (`seq`) after `after`, applied in [since, until)."""
    S = StatementRow
    # `after` is any 64-bit cursor (API.md); bound as a BIGINT, PostgreSQL compares it with the INTEGER column
    # instead of refusing to cast a value past 2**31 - 1 (a 500 for `after=9223372036854775807`).
    q = select(S).where(S.seq > literal(after, BigInteger())).order_by(S.seq).limit(limit)
    for cond, clause in ((f.since, lambda: S.applied_at >= f.since), (f.until, lambda: S.applied_at < f.until),
                         (f.shop_id, lambda: S.shop_id == f.shop_id), (f.creator_id, lambda: S.creator_id == f.creator_id),
                         (f.measure_id, lambda: S.measure_id == f.measure_id), (f.kind, lambda: S.measure_kind == f.kind),
                         (f.puid, lambda: S.puid == f.puid)):
        if cond is not None:
            q = q.where(clause())
    if f.exported_only:
        q = q.where(S.submission.is_not(None))
    return list(session.scalars(q))


def crossing(session: Session, at: datetime, shop_id: str | None = None, creator_id: str | None = None) -> list[Violation]:
    """The subject's violations issued at `at`: the ones that started a measure then (a shop's with points)."""
    subject = Violation.shop_id == shop_id if shop_id is not None else Violation.creator_id == creator_id
    points = Violation.points > 0 if shop_id is not None else Violation.points >= 0
    q = select(Violation).where(subject, Violation.issued_at == at, points).order_by(Violation.violation_id)
    return list(session.scalars(q))


def crossing_shops(session: Session, wanted: list[tuple[str, datetime]]) -> dict[tuple[str, datetime], list[Violation]]:
    """`crossing` for many (shop, instant) pairs in one query, by pair."""
    if not wanted:
        return {}
    shops, times = {s for s, _ in wanted}, {t for _, t in wanted}
    q = select(Violation).where(Violation.shop_id.in_(shops), Violation.issued_at.in_(times), Violation.points > 0).order_by(Violation.violation_id)
    out: dict[tuple[str, datetime], list[Violation]] = {}
    pairs = set(wanted)
    for v in session.scalars(q):
        key = (v.shop_id or "", v.issued_at)
        if key in pairs:
            out.setdefault(key, []).append(v)
    return out


def creator(session: Session, creator_id: str) -> CreatorRow | None:
    return session.get(CreatorRow, creator_id)


def by_puids(session: Session, puids: list[str]) -> list[StatementRow]:
    return list(session.scalars(select(StatementRow).where(StatementRow.puid.in_(puids)))) if puids else []


def count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(StatementRow)).scalar_one()


def all_shops(session: Session) -> list[str]:
    from shopwarden.store.shops import Shop

    return list(session.scalars(select(Shop.shop_id).order_by(Shop.shop_id)))


def all_creators(session: Session) -> list[str]:
    return list(session.scalars(select(CreatorRow.creator_id).order_by(CreatorRow.creator_id)))
