"""Webhook registrations and their deliveries (0021).

Not a ledger: a registration is deleted by stamping `deleted_at` (its deliveries stay readable),
and a delivery row is the state of one event's delivery to one webhook — pending, delivered or
failed — moved on by the dispatcher. One row per (webhook, event), a unique key, so fanning an
outbox row out twice (two dispatchers, a retry after a crash) makes one delivery.

The secret is kept as given: the dispatcher needs it in clear to sign every delivery (a digest
would not do), and a key to encrypt it with would live on the same servers as the database.
It is never returned after creation nor logged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once
from shopwarden.store.outbox import OutboxRow

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookRow(Base):
    __tablename__ = "webhooks"

    webhook_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(256))
    after_id: Mapped[int] = mapped_column(Integer)  # the outbox's last id at registration: later events only
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None]


class DeliveryRow(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_webhook_deliveries_webhook_event"),
        Index("ix_webhook_deliveries_due", "status", "next_at"),
        Index("ix_webhook_deliveries_webhook", "webhook_id", "created_at"),
    )

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(64), ForeignKey("webhooks.webhook_id"))
    event_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    next_at: Mapped[datetime]
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(512), nullable=True)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


def outbox_last_id(session: Session) -> int:
    """The outbox's newest id: a webhook registered now is sent the events after it."""
    return session.scalar(select(func.max(OutboxRow.id))) or 0


def add(session: Session, row: WebhookRow) -> None:
    session.add(row)
    session.flush()


def get(session: Session, webhook_id: str) -> WebhookRow | None:
    row = session.get(WebhookRow, webhook_id)
    return None if row is None or row.deleted_at is not None else row


def active(session: Session) -> list[WebhookRow]:
    return list(session.scalars(select(WebhookRow).where(WebhookRow.deleted_at.is_(None)).order_by(WebhookRow.created_at, WebhookRow.webhook_id)))


def delete(session: Session, webhook_id: str, at: datetime) -> bool:
    q = update(WebhookRow).where(WebhookRow.webhook_id == webhook_id, WebhookRow.deleted_at.is_(None)).values(deleted_at=at)
    return session.execute(q).rowcount == 1


def add_delivery(session: Session, row: dict) -> bool:
    """False when this webhook already has a delivery of this event (the unique key)."""
    return insert_once(session, DeliveryRow, row)


def delivery(session: Session, webhook_id: str, delivery_id: str) -> DeliveryRow | None:
    row = session.get(DeliveryRow, delivery_id)
    return row if row is not None and row.webhook_id == webhook_id else None


def deliveries(session: Session, webhook_id: str, status: str | None, limit: int) -> list[DeliveryRow]:
    q = select(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id).order_by(DeliveryRow.created_at.desc(), DeliveryRow.delivery_id).limit(limit)
    return list(session.scalars(q if status is None else q.where(DeliveryRow.status == status)))


def due(session: Session, at: datetime, limit: int) -> list[tuple[DeliveryRow, WebhookRow]]:
    q = (select(DeliveryRow, WebhookRow).join(WebhookRow, WebhookRow.webhook_id == DeliveryRow.webhook_id)
         .where(DeliveryRow.status == PENDING, DeliveryRow.next_at <= at).order_by(DeliveryRow.next_at).limit(limit))
    return [(d, w) for d, w in session.execute(q)]


def claim(session: Session, delivery_id: str, seen_next_at: datetime, until: datetime) -> bool:
    """Take a due delivery for one attempt: moves its `next_at` to `until` (a lease) only if no one
    else did since it was read, so two dispatchers never send it at once."""
    q = update(DeliveryRow).where(DeliveryRow.delivery_id == delivery_id, DeliveryRow.status == PENDING,
                                  DeliveryRow.next_at == seen_next_at).values(next_at=until)
    return session.execute(q).rowcount == 1


def record(session: Session, delivery_id: str, **values) -> None:
    session.execute(update(DeliveryRow).where(DeliveryRow.delivery_id == delivery_id).values(**values))


def give_up_pending(session: Session, webhook_id: str) -> None:
    """A deleted webhook's pending deliveries are given up (kept, as failed)."""
    session.execute(update(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id, DeliveryRow.status == PENDING)
                    .values(status=FAILED, last_error="webhook deleted"))


def resend_failed(session: Session, webhook_id: str, at: datetime) -> int:
    """Every failed delivery of a webhook back to pending, due now; how many."""
    q = update(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id, DeliveryRow.status == FAILED).values(status=PENDING, attempts=0, next_at=at)
    return session.execute(q).rowcount
