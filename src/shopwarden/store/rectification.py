"""Rectification tasks (DY-IP-R, DY-FLOW) and what happened to them, as appended events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.db import insert_once


class TaskRow(Base):
    __tablename__ = "rectification_tasks"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    product_version: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(32))
    findings: Mapped[list]
    opened_at: Mapped[datetime]
    deadline: Mapped[datetime]


class TaskEvent(Base):
    __tablename__ = "rectification_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), ForeignKey("rectification_tasks.task_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # resubmitted | closed | escalated
    product_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    violation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime]
    # "escalated" on a task's escalation, else null: (task_id, once) is unique, so two concurrent
    # sweeps escalate a task (and issue its violation) once.
    once: Mapped[str | None] = mapped_column(String(16), nullable=True)

    __table_args__ = (Index("uq_rectification_events_once", "task_id", "once", unique=True),)


def add(session: Session, row: dict) -> None:
    session.add(TaskRow(**row))


def add_event(session: Session, row: dict) -> None:
    session.add(TaskEvent(**row))


def add_escalation(session: Session, row: dict) -> bool:
    """The task's one escalation event; False when a concurrent sweep already wrote it."""
    return insert_once(session, TaskEvent, row | {"kind": "escalated", "once": "escalated"})


def get(session: Session, task_id: str) -> TaskRow | None:
    return session.get(TaskRow, task_id)


def events_of(session: Session, task_ids: list[str]) -> dict[str, list[TaskEvent]]:
    out: dict[str, list[TaskEvent]] = {t: [] for t in task_ids}
    if task_ids:
        for e in session.scalars(select(TaskEvent).where(TaskEvent.task_id.in_(task_ids)).order_by(TaskEvent.at)):
            out[e.task_id].append(e)
    return out


def tasks(session: Session, shop_id: str | None = None, product_id: str | None = None) -> list[TaskRow]:
    q = select(TaskRow).order_by(TaskRow.opened_at)
    if shop_id:
        q = q.where(TaskRow.shop_id == shop_id)
    if product_id:
        q = q.where(TaskRow.product_id == product_id)
    return list(session.scalars(q))
