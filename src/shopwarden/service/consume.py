"""Applying a micro-batch of incoming events in one transaction, each exactly once (API.md "Events in").

Each event runs the same use case as its HTTP route, as a savepoint of the batch's transaction
(`Database.batch`), after claiming its `event_id` in `consumed_events` in that same savepoint:
a unique key, so the same event twice (a redelivery, a publisher's retry, two consumers) is
applied once, whoever races. A refusal (`ShopwardenError`, a race lost on a unique key) rolls back
that event's savepoint only; the event is then recorded as `dead` with its problem document, so a
redelivery after a crash re-sends the same dead letter instead of applying it. Anything else that
fails — the database gone, a lock timeout — fails the whole batch, which nothing has acknowledged:
the caller retries it whole (consume/runner.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import DBAPIError, IntegrityError

from shopwarden.errors import ShopwardenError
from shopwarden.service.context import Context
from shopwarden.store import consumed

log = logging.getLogger("shopwarden.consume")
Status = Literal["applied", "duplicate", "dead"]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One decoded event: its kind, its id (None: unreadable, dead before the database), the body
    without `event_id`, and the problem already found when it was decoded or validated."""

    kind: str
    event_id: str | None
    body: dict[str, Any] = field(default_factory=dict)
    problem: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    event_id: str | None
    kind: str
    status: Status
    problem: dict[str, Any] | None = None  # a dead letter's problem document (also for a duplicate of a dead one)


Handler = Callable[[Context, Incoming], Any]
ProblemOf = Callable[[Exception], dict[str, Any]]


def is_transient(exc: BaseException) -> bool:
    """Worth retrying the batch: the database is unreachable, restarting, locked or timed out —
    not a refusal of this event (a constraint lost to a racer is an `IntegrityError`: a 409)."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)


def apply_batch(ctx: Context, events: list[Incoming], handle: Handler, problem_of: ProblemOf) -> list[Outcome]:
    """Apply `events` in order in one transaction; committed when this returns."""
    at = ctx.clock()
    with ctx.db.batch():
        ids = [e.event_id for e in events if e.event_id]
        with ctx.db.read() as s:
            known = consumed.outcomes(s, ids)
        return [_one(ctx, e, known, at, handle, problem_of) for e in events]


def _one(ctx: Context, e: Incoming, known: dict, at, handle: Handler, problem_of: ProblemOf) -> Outcome:
    if e.event_id is None:
        return Outcome(None, e.kind, "dead", e.problem)
    if e.event_id in known:  # the fast path; the claim below still decides a race
        return Outcome(e.event_id, e.kind, "duplicate", known[e.event_id][1])
    if e.problem is not None:
        return _dead(ctx, e, e.problem, at)
    try:
        with ctx.db.transaction() as s:
            if not consumed.claim(s, e.event_id, e.kind, "applied", at):
                return Outcome(e.event_id, e.kind, "duplicate", consumed.outcomes(s, [e.event_id]).get(e.event_id, (None, None))[1])
            handle(ctx, e)
    except (ShopwardenError, IntegrityError) as exc:
        return _dead(ctx, e, problem_of(exc), at)
    except Exception as exc:  # a defect, not the database: this event only is dead-lettered (and logged)
        if is_transient(exc):
            raise
        log.exception("event %s (%s) failed", e.event_id, e.kind)
        return _dead(ctx, e, problem_of(exc), at)
    return Outcome(e.event_id, e.kind, "applied")


def _dead(ctx: Context, e: Incoming, problem: dict[str, Any], at) -> Outcome:
    with ctx.db.transaction() as s:
        if not consumed.claim(s, e.event_id, e.kind, "dead", at, problem):
            return Outcome(e.event_id, e.kind, "duplicate", consumed.outcomes(s, [e.event_id]).get(e.event_id, (None, None))[1])
    return Outcome(e.event_id, e.kind, "dead", problem)


def leases(ctx: Context, namespace: str):
    """The partitions' (and the relay's) leases among the processes sharing this database."""
    from shopwarden.store.leases import Leases

    return Leases(ctx.db.engine, namespace)
