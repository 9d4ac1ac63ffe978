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

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, rowcount, table_of
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
    return rowcount(session.execute(q)) == 1


def add_deliveries(session: Session, rows: list[dict]) -> None:
    """One statement for a batch; a (webhook, event) that already has its delivery is skipped (the
    unique key), so a batch fanned out twice makes each delivery once."""
    if rows:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(DeliveryRow).on_conflict_do_nothing(), rows)


def delivery(session: Session, webhook_id: str, delivery_id: str) -> DeliveryRow | None:
    row = session.get(DeliveryRow, delivery_id)
    return row if row is not None and row.webhook_id == webhook_id else None


def deliveries(session: Session, webhook_id: str, status: str | None, limit: int) -> list[DeliveryRow]:
    q = select(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id).order_by(DeliveryRow.created_at.desc(), DeliveryRow.delivery_id).limit(limit)
    return list(session.scalars(q if status is None else q.where(DeliveryRow.status == status)))


@dataclass(frozen=True, slots=True)
class Due:
    delivery_id: str
    event: str
    body: str
    attempts: int
    url: str
    secret: str


_T, _W = DeliveryRow.__table__.c, WebhookRow.__table__.c
# A deleted webhook's deliveries are never due: one fanned out or redelivered while the delete committed stays unsent.
_DUE = (select(_T.delivery_id).join(WebhookRow.__table__, _W.webhook_id == _T.webhook_id)
        .where(_T.status == PENDING, _T.next_at <= bindparam("at"), _W.deleted_at.is_(None)).order_by(_T.next_at).limit(bindparam("n")))


def claim_due(session: Session, at: datetime, until: datetime, limit: int) -> list[Due]:
    """Take up to `limit` due deliveries for one attempt each: their `next_at` moves to `until` (a
    lease) in one statement that re-checks they are still due, so of two dispatchers only one gets
    a delivery (on PostgreSQL the second waits for the first's row locks, then finds it not due)."""
    ids = list(session.scalars(_DUE, {"at": at, "n": limit}))
    if not ids:
        return []
    taken = set(session.scalars(update(DeliveryRow).where(_T.delivery_id.in_(ids), _T.status == PENDING, _T.next_at <= at)
                                .values(next_at=until).returning(_T.delivery_id)))
    q = (select(_T.delivery_id, _T.event, _T.body, _T.attempts, _W.url, _W.secret).join(WebhookRow.__table__, _W.webhook_id == _T.webhook_id)
         .where(_T.delivery_id.in_(taken)))
    return [Due(*row) for row in session.execute(q)] if taken else []


_RECORD = (update(table_of(DeliveryRow)).where(_T.delivery_id == bindparam("b_id"))
           .values(status=bindparam("b_status"), attempts=bindparam("b_attempts"), next_at=bindparam("b_next_at"),
                   last_status=bindparam("b_last_status"), last_error=bindparam("b_last_error"), delivered_at=bindparam("b_delivered_at")))


def record(session: Session, outcomes: list[dict]) -> None:
    """The attempts' outcomes, one statement for the batch (keys: id, status, attempts, next_at,
    last_status, last_error, delivered_at)."""
    if outcomes:
        session.connection().execute(_RECORD, [{f"b_{k}": v for k, v in o.items()} for o in outcomes])


def give_up_pending(session: Session, webhook_id: str) -> None:
    """A deleted webhook's pending deliveries are given up (kept, as failed)."""
    session.execute(update(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id, DeliveryRow.status == PENDING)
                    .values(status=FAILED, last_error="webhook deleted"))


def resend_failed(session: Session, webhook_id: str, at: datetime) -> int:
    """Every failed delivery of a webhook back to pending, due now; how many."""
    q = update(DeliveryRow).where(DeliveryRow.webhook_id == webhook_id, DeliveryRow.status == FAILED).values(status=PENDING, attempts=0, next_at=at)
    return rowcount(session.execute(q))
