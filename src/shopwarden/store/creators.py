"""Creators (CR-5), their content and LIVE segments, credits earned (CR-7) and measures taken on
content (CR-9). Credits, segments and content actions are append-only; a creator and a piece of
content are records the platform keeps current (PUT), like a shop or a listing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import noted
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once


class CreatorRow(Base):
    __tablename__ = "creators"

    creator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    policy_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("shops.shop_id"), nullable=True, index=True)  # own account (CR-12)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CreditRow(Base):
    """CR-7: a credit the platform reports; the fold applies the pack's amount and daily cap."""

    __tablename__ = "creator_credits"

    credit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    creator_id: Mapped[str] = mapped_column(String(64), ForeignKey("creators.creator_id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(128))
    amount: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))

    # One credit per thing earned: a quiz or an order's content counts once, however often it is reported.
    __table_args__ = (UniqueConstraint("creator_id", "kind", "ref", name="uq_creator_credits_ref"),)


class ContentRow(Base):
    __tablename__ = "content"

    content_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    creator_id: Mapped[str] = mapped_column(String(64), ForeignKey("creators.creator_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # showcase | video | live
    posted_at: Mapped[datetime]
    body: Mapped[dict]  # title, description, transcript, cover_image, images, links, products
    decision: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list]
    policy_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SegmentRow(Base):
    """One stretch of a LIVE as it runs: its transcript and frames, and what the detectors decided."""

    __tablename__ = "content_segments"

    content_id: Mapped[str] = mapped_column(String(64), ForeignKey("content.content_id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1, 2, …: (content_id, number) is unique, so a race loses
    at: Mapped[datetime]
    transcript: Mapped[str] = mapped_column(Text)
    images: Mapped[list]
    decision: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list]
    created_at: Mapped[datetime]


class ContentAction(Base):
    """A measure on one piece of content (CR-9): links removed, content removed or blocked (a LIVE cut), ended."""

    __tablename__ = "content_actions"

    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_id: Mapped[str] = mapped_column(String(64), ForeignKey("content.content_id"))
    creator_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_content_actions_content_at", "content_id", "at"), Index("ix_content_actions_creator_at", "creator_id", "at"))


def get(session: Session, creator_id: str) -> CreatorRow | None:
    return session.get(CreatorRow, creator_id)


def put(session: Session, row: dict) -> CreatorRow:
    existing = session.get(CreatorRow, row["creator_id"])
    if existing is None:
        existing = CreatorRow(**row)
        session.add(existing)
        return existing
    for k in ("name", "policy_id", "shop_id", "updated_at"):
        setattr(existing, k, row[k])
    return existing


def of_shop(session: Session, shop_id: str) -> list[CreatorRow]:
    return list(session.scalars(select(CreatorRow).where(CreatorRow.shop_id == shop_id)))


def under_policy(session: Session, policy_id: str) -> list[str]:
    """The ids of the creators under `policy_id`, in order."""
    return list(session.scalars(select(CreatorRow.creator_id).where(CreatorRow.policy_id == policy_id).order_by(CreatorRow.creator_id)))


def credits(session: Session, creator_id: str) -> list[CreditRow]:
    return list(session.scalars(select(CreditRow).where(CreditRow.creator_id == creator_id)))


def credit_by_ref(session: Session, creator_id: str, kind: str, ref: str) -> CreditRow | None:
    q = select(CreditRow).where(CreditRow.creator_id == creator_id, CreditRow.kind == kind, CreditRow.ref == ref)
    return session.scalars(q).first()


def add_credit(session: Session, row: dict) -> bool:
    """False when the creator already has this (kind, ref): a concurrent report of the same credit won."""
    return insert_once(session, CreditRow, row)


def content(session: Session, content_id: str) -> ContentRow | None:
    return session.get(ContentRow, content_id)


def add_content(session: Session, row: dict) -> ContentRow:
    obj = ContentRow(**row)
    session.add(obj)
    return obj


def content_since(session: Session, since: datetime | None) -> list[tuple[str, str, dict, datetime]]:
    """(content id, creator id, body, updated_at) of the pieces written at or after `since` (all: None), oldest first."""
    q = select(ContentRow.content_id, ContentRow.creator_id, ContentRow.body, ContentRow.updated_at)
    if since is not None:
        q = q.where(ContentRow.updated_at >= since)
    return [(c, who, body, t) for c, who, body, t in session.execute(q.order_by(ContentRow.updated_at))]


def segments(session: Session, content_id: str) -> list[SegmentRow]:
    return list(session.scalars(select(SegmentRow).where(SegmentRow.content_id == content_id).order_by(SegmentRow.number)))


def next_segment_number(session: Session, content_id: str) -> int:
    return int(session.execute(select(func.coalesce(func.max(SegmentRow.number), 0)).where(SegmentRow.content_id == content_id)).scalar_one()) + 1


def add_segment(session: Session, row: dict) -> None:
    session.add(SegmentRow(**row))


def add_action(session: Session, row: dict) -> None:
    obj = ContentAction(**row)
    session.add(obj)
    noted.measure(session, obj)  # DSA Art. 17: stated before commit


def open_content(session: Session, limit: int) -> list[tuple[ContentRow, datetime]]:
    """Content waiting for an operator (open items of kind `content`), oldest first."""
    from shopwarden.store.open_items import OpenItem

    q = (select(ContentRow, OpenItem.opened_at).join(OpenItem, (OpenItem.kind == "content") & (OpenItem.item_id == ContentRow.content_id))
         .order_by(OpenItem.opened_at, OpenItem.item_id).limit(limit))
    return [(c, t) for c, t in session.execute(q)]


def actions(session: Session, content_id: str) -> list[ContentAction]:
    q = select(ContentAction).where(ContentAction.content_id == content_id).order_by(ContentAction.at, ContentAction.action_id)
    return list(session.scalars(q))


def actions_of_creator(session: Session, creator_id: str, until: datetime) -> list[ContentAction]:
    q = select(ContentAction).where(ContentAction.creator_id == creator_id, ContentAction.at <= until)
    return list(session.scalars(q.order_by(ContentAction.at, ContentAction.action_id)))
