"""Chat messages as scanned: append-only, with their decision and findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once


class MessageRow(Base):
    __tablename__ = "messages"

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    buyer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # the buyer in the conversation (RV-K-2)
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(10))
    findings: Mapped[list]
    sent_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


def add(session: Session, row: dict) -> bool:
    """False when the message id is already stored (scanned once, by whichever request came first)."""
    return insert_once(session, MessageRow, row)


def get(session: Session, message_id: str) -> MessageRow | None:
    return session.get(MessageRow, message_id)
