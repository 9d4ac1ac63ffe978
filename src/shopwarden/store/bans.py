"""The banned-product registry (DY-LQ-2..4): a ban with the banned listing's fingerprint, and
every action taken on a listing that matched one (banned, taken down, rejected, intercepted),
each with its match explanation. Both append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import noted
from shopwarden.store.base import Base
from shopwarden.store.cases import DISPUTE, CaseDecision, CaseRow
from shopwarden.store.products import ProductRow, ProductVersion


class BanRow(Base):
    __tablename__ = "product_bans"

    ban_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    product_version: Mapped[int] = mapped_column(Integer)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(32))
    statement: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(32))
    origin_ban_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    violation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    fingerprint: Mapped[dict]
    banned_at: Mapped[datetime]
    banned_by: Mapped[str] = mapped_column(String(64))


class MatchAction(Base):
    __tablename__ = "product_match_actions"

    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ban_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    product_version: Mapped[int] = mapped_column(Integer)
    shop_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(32))
    match: Mapped[dict]
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(64))


def add_ban(session: Session, row: dict) -> None:
    obj = BanRow(**row)
    session.add(obj)
    noted.measure(session, obj)  # DSA Art. 17: stated before commit


def add_action(session: Session, row: dict) -> None:
    obj = MatchAction(**row)
    session.add(obj)
    noted.measure(session, obj)  # DSA Art. 17: stated before commit


def all_bans(session: Session) -> list[BanRow]:
    return list(session.scalars(select(BanRow).order_by(BanRow.banned_at, BanRow.ban_id)))


def state(session: Session) -> tuple[int, datetime | None]:
    """How many bans there are and the latest's time: what changes when one is added."""
    count, latest = session.execute(select(func.count(), func.max(BanRow.banned_at))).one()
    return count, latest


def ban_ids(session: Session) -> list[str]:
    return list(session.scalars(select(BanRow.ban_id)))


def by_ids(session: Session, ids: list[str]) -> list[BanRow]:
    return list(session.scalars(select(BanRow).where(BanRow.ban_id.in_(ids)))) if ids else []


def any_ban(session: Session) -> bool:
    return session.scalars(select(BanRow.ban_id).limit(1)).first() is not None


def of_product(session: Session, product_id: str) -> list[BanRow]:
    return list(session.scalars(select(BanRow).where(BanRow.product_id == product_id).order_by(BanRow.banned_at)))


def actions_of(session: Session, product_id: str) -> list[MatchAction]:
    return list(session.scalars(select(MatchAction).where(MatchAction.product_id == product_id).order_by(MatchAction.at, MatchAction.action_id)))


def actions_of_ban(session: Session, ban_id: str) -> list[MatchAction]:
    return list(session.scalars(select(MatchAction).where(MatchAction.ban_id == ban_id).order_by(MatchAction.at, MatchAction.action_id)))


def exemptions(session: Session, product_id: str) -> dict[str, float]:
    """Bans an upheld dispute cleared this listing of: ban id -> the disputed match's score."""
    q = select(MatchAction).where(MatchAction.product_id == product_id, MatchAction.action == "exempted")
    return {a.ban_id: float(a.match.get("score", 0.0)) for a in session.scalars(q)}


def lifted(session: Session, ban_ids: list[str]) -> set[str]:
    """Which of these bans were lifted (a sweep's DY-LQ-3 ban whose match a dispute overturned)."""
    if not ban_ids:
        return set()
    q = select(MatchAction.ban_id).where(MatchAction.ban_id.in_(ban_ids), MatchAction.action == "ban_lifted")
    return set(session.scalars(q))


def disputes(session: Session, product_id: str, banned_product_id: str) -> list[tuple[CaseRow, CaseDecision | None]]:
    """The match-dispute cases on this listing against this banned product, with their decisions, in one read."""
    q = (select(CaseRow, CaseDecision).outerjoin(CaseDecision, CaseDecision.case_id == CaseRow.case_id)
         .where(CaseRow.subject_kind == DISPUTE, CaseRow.subject_id == product_id).order_by(CaseRow.opened_at, CaseRow.case_id))
    return [(c, d) for c, d in session.execute(q) if c.finding.get("banned_product_id") == banned_product_id]


def live_products(session: Session, statuses: tuple[str, ...]) -> list[tuple[ProductRow, ProductVersion]]:
    """Every listing whose current status is live, with its current version (the sweep's input)."""
    q = (select(ProductRow, ProductVersion)
         .join(ProductVersion, (ProductVersion.product_id == ProductRow.product_id) & (ProductVersion.version == ProductRow.version))
         .where(ProductRow.status.in_(statuses)).order_by(ProductRow.product_id))
    return [(h, v) for h, v in session.execute(q)]
