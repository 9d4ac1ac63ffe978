"""Rectification tasks (DY-IP-R, DY-FLOW): status from their events; re-scans close them, the sweep escalates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.service.auth import Principal, require
from shopwarden.service.consequences import Target, issue_violation
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.scanning import ScanResult
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.violation_rows import new_id
from shopwarden.store import rectification
from shopwarden.store.rectification import TaskEvent, TaskRow


@dataclass(frozen=True, slots=True)
class TaskStep(Result):
    """One event of a task: resubmitted, closed (its rule no longer blocks) or escalated."""

    kind: str
    at: datetime
    product_version: int | None
    violation_id: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Task(Result):
    """A rectification task as of an instant (DY-IP-R): open, overdue, closed or escalated; `findings`:
    the blocking findings it asks the seller to fix (open data: each detector's evidence)."""

    id: str
    shop_id: str
    product_id: str
    product_version: int | None
    rule: str
    findings: Sequence[Mapping[str, Any]]
    opened_at: datetime
    deadline: datetime
    status: str
    history: Sequence[TaskStep]


@dataclass(frozen=True, slots=True)
class Escalated(Result):
    """A task the sweep escalated, and the violation the pack issued for it (None: the pack issues none)."""

    task_id: str
    violation_id: str | None


def status(task: TaskRow, events: Sequence[TaskEvent], at: datetime) -> str:
    """closed / escalated from the events up to `at`; else open, or overdue past the deadline."""
    for e in reversed([e for e in events if e.at <= at]):
        if e.kind in ("closed", "escalated"):
            kind: str = e.kind
            return kind
    return "overdue" if at >= task.deadline else "open"


def task_view(task: TaskRow, events: Sequence[TaskEvent], at: datetime) -> Task:
    return Task(task.task_id, task.shop_id, task.product_id, task.product_version, task.rule, task.findings, task.opened_at, task.deadline,
                status(task, events, at), [TaskStep(e.kind, e.at, e.product_version, e.violation_id, e.note) for e in events if e.at <= at])


def open_tasks(session: Session, product_id: str, at: datetime) -> list[TaskRow]:
    rows = rectification.tasks(session, product_id=product_id)
    evs = rectification.events_of(session, [t.task_id for t in rows])
    return [t for t in rows if status(t, evs[t.task_id], at) in ("open", "overdue")]


def on_resubmit(session: Session, product_id: str, version: int, result: ScanResult, at: datetime) -> list[str]:
    """A new version closes each open task whose rule no longer blocks; the others note the attempt."""
    still = {j.finding.rule for j in result.judged if j.decision == "block"}
    closed: list[str] = []
    for task in open_tasks(session, product_id, at):
        kind = "resubmitted" if task.rule in still else "closed"
        rectification.add_event(session, {"event_id": new_id("re"), "task_id": task.task_id, "kind": kind, "product_version": version, "violation_id": None, "note": None, "at": at})
        if kind == "closed":
            closed.append(task.task_id)
    return closed


def tasks_of(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> list[Task]:
    require(principal, "product.read", shop_id)
    at = at or ctx.clock()
    with ctx.db.read() as s:
        rows = rectification.tasks(s, shop_id=shop_id)
        evs = rectification.events_of(s, [t.task_id for t in rows])
        return [task_view(t, evs[t.task_id], at) for t in rows if t.opened_at <= at]


def sweep(ctx: Context, principal: Principal, at: datetime | None = None) -> list[Escalated]:
    """Escalate every task past its deadline as the pack says (one transaction)."""
    require(principal, "rectification.sweep")
    at = at or ctx.clock()
    done: list[Escalated] = []
    with ctx.db.transaction() as s:
        rows = rectification.tasks(s)
        evs = rectification.events_of(s, [t.task_id for t in rows])
        for task in rows:
            if status(task, evs[task.task_id], at) == "overdue" and (escalated := _escalate(ctx, s, task, at)) is not None:
                done.append(escalated)
    return done


def _escalate(ctx: Context, session: Session, task: TaskRow, at: datetime) -> Escalated | None:
    pack = pack_of(ctx, session, task.shop_id)
    spec = pack.rectification.escalation(task.rule) if pack.rectification else None
    violation_id = new_id("v") if spec is not None else None
    # The escalation event first, keyed once per task: of two concurrent sweeps one escalates.
    if not rectification.add_escalation(session, {"event_id": new_id("re"), "task_id": task.task_id, "product_version": None,
                                                   "violation_id": violation_id, "note": "deadline passed", "at": at}):
        return None
    if spec is not None:
        evidence = [{"kind": "text", "value": f["explanation"], "note": f"rectification task {task.task_id} overdue since {task.deadline.isoformat()}"} for f in task.findings]
        issue_violation(session, pack, spec, Target(task.shop_id, "listing", task.product_id, task.product_version, at, "rectification-sweep"), evidence,
                        f"rectification task {task.task_id} not done by its deadline", violation_id)
    return Escalated(task.task_id, violation_id)
