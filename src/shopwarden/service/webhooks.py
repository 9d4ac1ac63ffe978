"""Webhooks: registration (one transaction each) and the dispatcher that delivers outbox events.

Fed from the transactional outbox (store/outbox.py, issue 14): an event is there only if the
write that caused it committed, and the dispatcher reads it with its own cursor ("webhooks", kept
as the NATS relay keeps its own: service/relay.py), so nothing committed is missed and nothing
uncommitted is sent. A delivery is one row per (webhook, event), so fanning a row out twice (after
a restart, or by two dispatchers) makes nothing twice.

Sending happens off the request path, in `Dispatcher` (a thread in `shopwarden serve`, or
`shopwarden webhooks dispatch`): a slow receiver slows only its own deliveries. A due delivery is
claimed (a lease on its `next_at`) before it is sent, so two dispatchers never send it at once; a
failure is tried again after an exponential back-off with jitter (core/webhooks.py), the same body
and id each time, and after MAX_ATTEMPTS it is kept as failed, to be re-sent by hand.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy.orm import Session

from shopwarden import metrics
from shopwarden.core import webhooks as hooks
from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.relay import Cursor
from shopwarden.service.results import Result
from shopwarden.service.webhook_sender import Outcome, Sender
from shopwarden.store import outbox, subject_locks
from shopwarden.store import webhooks as store
from shopwarden.store.outbox import Entry
from shopwarden.store.webhooks import DELIVERED, FAILED, PENDING, DeliveryRow, Due, WebhookRow

log = logging.getLogger("shopwarden.webhooks")
CURSOR = "webhooks"  # this dispatcher's cursor over the outbox
LEASE = timedelta(seconds=60)  # a claimed delivery not recorded by then (its dispatcher died) is due again
NOT_ALLOWED = "host no longer allowed (SHOPWARDEN_WEBHOOK_HOSTS)"


@dataclass(frozen=True)
class Registration:
    url: str
    events: tuple[str, ...]
    secret: str


@dataclass(frozen=True, slots=True)
class Webhook(Result):
    """A registration as GET shows it: never its secret."""

    id: str
    url: str
    events: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery(Result):
    id: str
    webhook_id: str
    event_id: str
    event: str
    status: str  # pending | delivered | failed
    attempts: int
    next_at: datetime | None  # only while pending
    last_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Redelivered(Result):
    webhook_id: str
    redelivered: int  # how many failed deliveries are pending again


def register(ctx: Context, principal: Principal, reg: Registration, allowed_hosts: frozenset[str]) -> Webhook:
    require(principal, "webhook.manage")
    problems = hooks.registration_problems(reg.url, reg.events, reg.secret, allowed_hosts, outbox.KINDS)
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)
    with ctx.db.transaction() as s:
        row = WebhookRow(webhook_id=f"wh_{secrets.token_hex(8)}", url=reg.url, events=sorted(set(reg.events)), secret=reg.secret,
                         after_id=store.outbox_last_id(s), created_at=ctx.clock(), created_by=principal.key_id, deleted_at=None)
        store.add(s, row)
    return webhook_json(row)


def webhook_json(row: WebhookRow) -> Webhook:
    return Webhook(row.webhook_id, row.url, tuple(row.events), row.created_at)


def listing(ctx: Context, principal: Principal) -> list[Webhook]:
    require(principal, "webhook.manage")
    with ctx.db.read() as s:
        return [webhook_json(w) for w in store.active(s)]


def get(ctx: Context, principal: Principal, webhook_id: str) -> Webhook:
    require(principal, "webhook.manage")
    with ctx.db.read() as s:
        return webhook_json(_hook(s, webhook_id))


def delete(ctx: Context, principal: Principal, webhook_id: str) -> None:
    """Stop delivering: the registration is marked deleted, its pending deliveries given up (kept)."""
    require(principal, "webhook.manage")
    with ctx.db.transaction() as s:
        _turn(s, webhook_id)
        if not store.delete(s, webhook_id, ctx.clock()):
            raise NotFound.no("webhook", webhook_id)
        store.give_up_pending(s, webhook_id)


def deliveries(ctx: Context, principal: Principal, webhook_id: str, status: str | None, limit: int) -> list[Delivery]:
    require(principal, "webhook.manage")
    with ctx.db.read() as s:
        _hook(s, webhook_id)
        return [delivery_json(d) for d in store.deliveries(s, webhook_id, status, limit)]


def delivery_json(d: DeliveryRow) -> Delivery:
    return Delivery(d.delivery_id, d.webhook_id, d.event_id, d.event, d.status, d.attempts, d.next_at if d.status == PENDING else None,
                    d.last_status, d.last_error, d.created_at, d.delivered_at)


def redeliver(ctx: Context, principal: Principal, webhook_id: str, delivery_id: str) -> Delivery:
    """Send a delivery again (a failed one, or a delivered one the receiver lost): pending, due now,
    its attempts counted afresh; the same id and body."""
    require(principal, "webhook.manage")
    with ctx.db.transaction() as s:
        _turn(s, webhook_id)
        _hook(s, webhook_id)
        d = store.delivery(s, webhook_id, delivery_id)
        if d is None:
            raise NotFound(f"webhook {webhook_id!r} has no delivery {delivery_id!r}")
        d.status, d.attempts, d.next_at, d.delivered_at = PENDING, 0, ctx.clock(), None
        return delivery_json(d)


def redeliver_failed(ctx: Context, principal: Principal, webhook_id: str) -> Redelivered:
    """Every failed delivery of a webhook sent again (API.md's `POST /v1/webhooks/{id}/redeliver`)."""
    require(principal, "webhook.manage")
    with ctx.db.transaction() as s:
        _turn(s, webhook_id)
        _hook(s, webhook_id)
        return Redelivered(webhook_id, store.resend_failed(s, webhook_id, ctx.clock()))


def _turn(s: Session, webhook_id: str) -> None:
    """A delete and a redelivery of one webhook take turns: a redelivery that waited on a delete finds the
    webhook gone (404), instead of setting a delivery pending after the delete gave them up."""
    subject_locks.hold(s, f"webhook:{webhook_id}")


def _hook(s: Session, webhook_id: str) -> WebhookRow:
    row = store.get(s, webhook_id)
    if row is None:
        raise NotFound.no("webhook", webhook_id)
    return row


def delivery_id(webhook_id: str, event_id: str) -> str:
    """The same for the same (webhook, event), whoever fans it out."""
    return "dl_" + hashlib.sha256(f"{webhook_id}:{event_id}".encode()).hexdigest()[:24]


@dataclass
class Dispatcher:
    """Outbox rows to deliveries, due deliveries to their receivers. `run_once` is one round;
    `start` runs rounds on a thread until `stop`."""

    ctx: Context
    allowed_hosts: frozenset[str] | Callable[[], frozenset[str]]  # a callable is asked each round (the environment may change)
    workers: int = 8
    batch: int = 256
    poll: float = 0.2
    timeout: float = 5.0
    sender: Sender | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _pool: ThreadPoolExecutor | None = None
    _hosts: frozenset[str] = frozenset()
    _cursor: Cursor | None = None

    def __post_init__(self) -> None:
        self.sender = self.sender or Sender(self.timeout)

    def run_once(self) -> int:
        """Fan out what the outbox has, then send what is due; how many attempts were made."""
        while self.fan_out() >= self.batch:
            pass
        sent = 0
        while (n := self.send_due()) > 0:
            sent += n
            if n < self.batch:
                break
        return sent

    def fan_out(self) -> int:
        """The outbox rows after this dispatcher's cursor, as deliveries to the webhooks that want
        them. The cursor is the relay's (service/relay.py): on PostgreSQL a row can commit after rows
        with higher ids, so it passes such holes, takes them when they fill, and stores a position
        below the oldest — after a restart a batch may be fanned out again, which makes nothing twice."""
        if self._cursor is None:
            self._cursor = Cursor(self.ctx, CURSOR)
        rows = self._cursor.pending(self.batch)
        if not rows:
            return 0
        with self.ctx.db.transaction() as s:
            active, now = store.active(s), self.ctx.clock()
            store.add_deliveries(s, [_delivery(hook, row, now) for row in rows for hook in active if row.kind in hook.events and row.id > hook.after_id])
        self._cursor.published(rows)
        return len(rows)

    def send_due(self) -> int:
        self._hosts = self.allowed_hosts() if callable(self.allowed_hosts) else self.allowed_hosts
        now = self.ctx.clock()
        with self.ctx.db.transaction() as s:
            mine = store.claim_due(s, now, now + LEASE, self.batch)
        if not mine:
            return 0
        results = list(self._executor().map(self._attempt, mine))
        now = self.ctx.clock()
        with self.ctx.db.transaction() as s:
            store.record(s, [_after(due, outcome, now) for due, outcome in zip(mine, results)])
        for due, outcome in zip(mine, results):
            if not outcome.ok:
                log.warning("webhook delivery failed", extra={"delivery_id": due.delivery_id, "event": due.event,
                                                              "attempt": due.attempts + 1, "outcome": outcome.error})
        return len(mine)

    def _attempt(self, due: Due) -> Outcome:
        if not hooks.host_allowed(due.url, self._hosts):
            outcome = Outcome(False, None, NOT_ALLOWED)
        else:
            raw = due.body.encode()
            started = time.perf_counter()
            assert self.sender is not None  # set by __post_init__
            outcome = self.sender.post(due.url, raw, {hooks.SIGNATURE_HEADER: hooks.sign(due.secret, raw), hooks.DELIVERY_HEADER: due.delivery_id,
                                                      hooks.EVENT_HEADER: due.event, "User-Agent": "shopwarden-webhooks"})
            metrics.WEBHOOK_SECONDS.observe(time.perf_counter() - started)
        metrics.WEBHOOK_DELIVERIES.labels("delivered" if outcome.ok else "failed").inc()
        return outcome

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="webhook-send")
        return self._pool

    def start(self) -> Dispatcher:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="webhook-dispatcher", daemon=True)
            self._thread.start()
        return self

    def wait(self) -> None:
        """Until the thread ends (`stop` from another thread, or an interrupt)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(1.0)

    def stop(self, wait: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # a database hiccup: log it and try again next round, never die
                log.exception("webhook dispatch round failed")
                busy = 0
            if not busy:
                self._stop.wait(self.poll)


def _delivery(hook: WebhookRow, row: Entry, at: datetime) -> dict[str, Any]:
    return {"delivery_id": delivery_id(hook.webhook_id, row.event_id), "webhook_id": hook.webhook_id, "event_id": row.event_id,
            "event": row.kind, "body": hooks.body(row.event_id, row.kind, row.created_at, _payload(row.payload)).decode(),
            "status": PENDING, "attempts": 0, "next_at": at, "last_status": None, "last_error": None, "created_at": at, "delivered_at": None}


def _payload(value: object) -> Any:
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value


def _after(due: Due, outcome: Outcome, now: datetime) -> dict[str, Any]:
    """A delivery's row after an attempt: delivered; pending again after a back-off; or failed for
    good (out of attempts, or its host no longer allowed)."""
    attempts = due.attempts + 1
    if outcome.ok:
        status, next_at = DELIVERED, now
    elif attempts >= hooks.MAX_ATTEMPTS or outcome.error == NOT_ALLOWED:
        status, next_at = FAILED, now
    else:
        status, next_at = PENDING, now + timedelta(seconds=hooks.retry_delay(attempts))
    return {"id": due.delivery_id, "status": status, "attempts": attempts, "next_at": next_at, "last_status": outcome.status,
            "last_error": outcome.error, "delivered_at": now if outcome.ok else None}
