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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.exc import DBAPIError, IntegrityError

from shopwarden.errors import ShopwardenError
from shopwarden.service.context import Context
from shopwarden.store import consumed

if TYPE_CHECKING:
    from shopwarden.store.leases import Leases

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
# A use case over many events of one kind at once (`violations.issue_many`): each body's result, or
# the `ShopwardenError` that refused that body alone, with nothing of it written.
ManyHandler = Callable[[Context, list[dict[str, Any]]], list[Any]]


def is_transient(exc: BaseException) -> bool:
    """Worth retrying the batch: the database is unreachable, restarting, locked or timed out —
    not a refusal of this event (a constraint lost to a racer is an `IntegrityError`: a 409)."""
    return isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError)


def apply_batch(ctx: Context, events: list[Incoming], handle: Handler, problem_of: ProblemOf,
                many: Mapping[str, ManyHandler] | None = None) -> list[Outcome]:
    """Apply `events` in order in one transaction; committed when this returns. Consecutive events
    of a kind in `many` go through its set-based use case together (`_group`); the others, and a
    group whose set-based run failed, one by one (`_one`)."""
    at = ctx.clock()
    many = many or {}
    with ctx.db.batch():
        ids = [e.event_id for e in events if e.event_id]
        with ctx.db.read() as s:
            known = consumed.outcomes(s, ids)
        out: list[Outcome] = []
        i = 0
        while i < len(events):
            j = i
            while j < len(events) and _groups(events[j], events[i].kind, many, known):
                j += 1
            if j - i > 1:
                out += _group(ctx, events[i:j], many[events[i].kind], at, handle, problem_of)
                i = j
            else:
                out.append(_one(ctx, events[i], known, at, handle, problem_of))
                i += 1
        return out


def _groups(e: Incoming, kind: str, many: Mapping[str, ManyHandler], known: dict[str, Any]) -> bool:
    """`e` can join a set-based group of `kind`: a readable, valid, not yet consumed event of it."""
    return e.kind == kind and kind in many and e.event_id is not None and e.problem is None and e.event_id not in known


def _group(ctx: Context, group: list[Incoming], many: ManyHandler, at: datetime, handle: Handler, problem_of: ProblemOf) -> list[Outcome]:
    """Claim the group's ids in one statement and run the set-based use case on the claimed ones,
    in one savepoint; a refusal marks its event dead (the same row, so a redelivery re-sends the same
    dead letter). Anything else than the database failing undoes the group, which then goes one by one."""
    first: dict[str, int] = {}
    for n, e in enumerate(group):
        first.setdefault(e.event_id or "", n)
    try:
        with ctx.db.transaction() as s:
            rows = [{"event_id": e.event_id, "kind": e.kind, "outcome": "applied", "consumed_at": at, "problem": None}
                    for n, e in enumerate(group) if first[e.event_id or ""] == n]
            mine = consumed.claim_many(s, rows)
            todo = [e for n, e in enumerate(group) if first[e.event_id or ""] == n and e.event_id in mine]
            results = many(ctx, [dict(e.body) for e in todo]) if todo else []
            dead = {e.event_id or "": problem_of(r) for e, r in zip(todo, results, strict=True) if isinstance(r, ShopwardenError)}
            consumed.mark_dead(s, dead)
            others = consumed.outcomes(s, [e.event_id or "" for e in group if e.event_id not in mine]) if len(mine) < len(group) else {}
    except Exception as exc:
        if is_transient(exc):
            raise
        log.warning("a set-based group of %d %s events failed (%r); applying them one by one", len(group), group[0].kind, exc)
        return [_one(ctx, e, {}, at, handle, problem_of) for e in group]
    out = []
    for n, e in enumerate(group):
        eid = e.event_id or ""
        if first[eid] == n and eid in mine:
            out.append(Outcome(eid, e.kind, "dead", dead[eid]) if eid in dead else Outcome(eid, e.kind, "applied"))
        else:  # a duplicate: earlier in this group, or consumed by someone else meanwhile
            out.append(Outcome(eid, e.kind, "duplicate", dead.get(eid) or others.get(eid, (None, None))[1]))
    return out


def _one(ctx: Context, e: Incoming, known: Mapping[str, tuple[str, dict[str, Any] | None]], at: datetime, handle: Handler,
         problem_of: ProblemOf) -> Outcome:
    eid = e.event_id
    if eid is None:
        return Outcome(None, e.kind, "dead", e.problem)
    if eid in known:  # the fast path; the claim below still decides a race
        return Outcome(eid, e.kind, "duplicate", known[eid][1])
    if e.problem is not None:
        return _dead(ctx, eid, e.kind, e.problem, at)
    try:
        with ctx.db.transaction() as s:
            if not consumed.claim(s, eid, e.kind, "applied", at):
                return Outcome(eid, e.kind, "duplicate", _problem_of(consumed.outcomes(s, [eid]), eid))
            handle(ctx, e)
    except (ShopwardenError, IntegrityError) as exc:
        return _dead(ctx, eid, e.kind, problem_of(exc), at)
    except Exception as exc:  # a defect, not the database: this event only is dead-lettered (and logged)
        if is_transient(exc):
            raise
        log.exception("event %s (%s) failed", eid, e.kind)
        return _dead(ctx, eid, e.kind, problem_of(exc), at)
    return Outcome(eid, e.kind, "applied")


def _problem_of(outcomes: Mapping[str, tuple[str, dict[str, Any] | None]], event_id: str) -> dict[str, Any] | None:
    found = outcomes.get(event_id)
    return None if found is None else found[1]


def _dead(ctx: Context, event_id: str, kind: str, problem: dict[str, Any], at: datetime) -> Outcome:
    with ctx.db.transaction() as s:
        if not consumed.claim(s, event_id, kind, "dead", at, problem):
            return Outcome(event_id, kind, "duplicate", _problem_of(consumed.outcomes(s, [event_id]), event_id))
    return Outcome(event_id, kind, "dead", problem)


def leases(ctx: Context, namespace: str) -> Leases:
    """The partitions' (and the relay's) leases among the processes sharing this database."""
    from shopwarden.store.leases import Leases as Shared

    return Shared(ctx.db.engine, namespace)
