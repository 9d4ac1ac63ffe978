"""The consumer process: owns a fair share of the partitions (leases), pulls micro-batches from each
partition's durable consumer, applies a batch in one transaction, publishes its dead letters, and
only then acknowledges. Runs the outbox relay beside it unless told not to."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import nats
import orjson
from nats.errors import TimeoutError as NatsTimeout

from shopwarden import metrics
from shopwarden.consume import handlers, streams
from shopwarden.consume.relay import run_relay
from shopwarden.service.consume import Incoming, Outcome, apply_batch, is_transient, leases
from shopwarden.service.context import Context

log = logging.getLogger("shopwarden.consume")


@dataclass(frozen=True)
class Options:
    nats_url: str = "nats://127.0.0.1:4222"
    prefix: str = "shopwarden"
    kinds: frozenset[str] = frozenset(handlers.KINDS)
    batch: int = 200
    partitions: int = 8
    ack_wait: float = 30.0
    relay: bool = True
    rebalance_every: float = 2.0
    max_backoff: float = 10.0


async def connect(url: str):
    return await nats.connect(url, max_reconnect_attempts=-1, reconnect_time_wait=0.5, allow_reconnect=True, connect_timeout=2)


async def hold_and_apply(msgs, apply: Callable[[], list[Outcome]], max_backoff: float, ack_wait: float,
                         failed: Callable[[], None] | None = None) -> list[Outcome]:
    """Run `apply` (one transaction, in a thread) while telling JetStream the messages are still worked
    on; retry it whole while the database is away, holding the messages (in order, so nothing of the
    same shop overtakes them). Nothing is acknowledged here: the caller does, after this returns."""
    delay = 0.1
    beat = asyncio.create_task(_heartbeat(msgs, ack_wait / 3))
    try:
        while True:
            try:
                return await asyncio.to_thread(apply)
            except Exception as exc:
                if failed is not None:
                    failed()
                if not is_transient(exc):
                    raise
                log.warning("batch of %d waits %.1fs for the database: %s", len(msgs), delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, max_backoff, ack_wait / 2)
    finally:
        beat.cancel()


async def _heartbeat(msgs, every: float) -> None:
    """`in_progress` for every message each `every` seconds (a long batch, or one waiting for the
    database, is not redelivered meanwhile)."""
    while True:
        await asyncio.sleep(every)
        for m in msgs:
            try:
                await m.in_progress()
            except Exception:  # NATS away too: a redelivery later is de-duplicated
                pass


class Consumer:
    def __init__(self, ctx: Context, opts: Options):
        self.ctx, self.opts = ctx, opts
        self.stop = asyncio.Event()
        self._tasks: dict[str, asyncio.Task] = {}
        self._leaving: set[str] = set()
        self.applied = self.dead = 0

    async def run(self) -> None:
        o = self.opts
        streams.check_prefix(o.prefix)
        nc = await connect(o.nats_url)
        self.js = nc.jetstream()
        await streams.ensure(self.js, o.prefix)
        self.leases = leases(self.ctx, f"{o.prefix}:in")
        relay = asyncio.create_task(run_relay(self.ctx, self.js, o.prefix, self.stop)) if o.relay else None
        try:
            while not self.stop.is_set():
                try:
                    await self._rebalance()
                except Exception as exc:
                    if not is_transient(exc):
                        raise
                    log.warning("leases lost with the database connection: %s", exc)
                for p in self._tasks:
                    if p not in self.leases.held:
                        self._leaving.add(p)  # not ours any more: stop after the batch in hand
                try:
                    await asyncio.wait_for(self.stop.wait(), o.rebalance_every)
                except TimeoutError:
                    pass
        finally:
            await asyncio.gather(*self._tasks.values(), *([relay] if relay else []), return_exceptions=True)
            self.leases.close()
            await nc.close()

    async def _rebalance(self) -> None:
        """Hold ceil(partitions / live consumers) partitions: take free ones up to that, hand back extras
        (after their current batch, so a partition is never worked by two processes at once)."""
        every = streams.partitions_of(self.opts.partitions)
        for p in [p for p, t in self._tasks.items() if t.done()]:
            self._tasks.pop(p)
            self._leaving.discard(p)
            await asyncio.to_thread(self.leases.release, p)
        if any(p in self._leaving for p in self._tasks):
            return  # settle hand-overs first
        quota = math.ceil(len(every) / max(1, await asyncio.to_thread(self.leases.members)))
        mine = [p for p in self._tasks if p not in self._leaving]
        for p in mine[quota:]:
            self._leaving.add(p)
        for p in every:
            if len(mine) >= quota:
                break
            if p not in self._tasks and await asyncio.to_thread(self.leases.take, p):
                mine.append(p)
                self._tasks[p] = asyncio.create_task(self._partition(p))

    async def _partition(self, p: str) -> None:
        try:
            await self._pull(p)
        except Exception:  # handed back; the next rebalance takes it again (unacknowledged events come again)
            log.exception("partition %s stopped", p)

    async def _pull(self, p: str) -> None:
        o = self.opts
        sub = await self.js.pull_subscribe(streams.filter_of(o.prefix, p), durable=f"{o.prefix}-in-{p}", stream=streams.stream(o.prefix, "in"),
                                           config=streams.consumer_config(o.prefix, p, o.batch, o.ack_wait))
        lag = metrics.CONSUMER_LAG.labels(streams.stream(o.prefix, "in"), p)
        try:
            while not self.stop.is_set() and p not in self._leaving:
                try:
                    msgs = await sub.fetch(o.batch, timeout=1)
                except (TimeoutError, NatsTimeout):
                    lag.set(0)  # nothing waiting on this partition
                    continue
                except Exception as exc:  # NATS restarting: the durable consumer keeps our place
                    log.warning("fetch on partition %s: %r", p, exc)
                    await asyncio.sleep(0.5)
                    continue
                lag.set(msgs[-1].metadata.num_pending + len(msgs))  # still to apply: the batch in hand and what JetStream holds behind it
                await self._batch(msgs)
                lag.set(msgs[-1].metadata.num_pending)
            await sub.unsubscribe()
        finally:
            lag.set(0)  # handed over: its new holder reports it (the gauge keeps the max over processes)

    async def _batch(self, msgs) -> None:
        o = self.opts
        events = [handlers.decode(streams.kind_of(o.prefix, m.subject), m.data, o.kinds) for m in msgs]
        outcomes = await self._apply(msgs, events)
        for m, e, out in zip(msgs, events, outcomes):
            if out.problem is not None:
                await self._dead_letter(m, e, out)
        for m in msgs:
            await m.ack()
        self.applied += sum(1 for x in outcomes if x.status == "applied")
        self.dead += sum(1 for x in outcomes if x.status == "dead")
        count(events, outcomes)

    async def _apply(self, msgs, events: list[Incoming]) -> list[Outcome]:
        """Retry the whole batch while the database is away, holding its messages (in order, so
        nothing of the same shop overtakes them) and telling JetStream they are still worked on."""
        return await hold_and_apply(msgs, lambda: apply_batch(self.ctx, events, handlers.handle, handlers.problem_of, handlers.MANY),
                                    self.opts.max_backoff, self.opts.ack_wait,
                                    failed=lambda: count(events, None))  # every event of the batch failed this time: it comes again

    async def _dead_letter(self, m, e: Incoming, out: Outcome) -> None:
        """`<prefix>.dead.<kind>`: the problem and the event as it came; its msg id makes a re-send
        after a crash (a redelivered duplicate of a dead event) one message."""
        kind = e.kind or "unknown"
        ident = out.event_id or f"seq-{m.metadata.sequence.stream}"
        body = orjson.dumps({"event_id": out.event_id, "kind": kind, "subject": m.subject, "problem": out.problem, "event": m.data.decode("utf-8", "replace")})
        delay = 0.1
        while True:
            try:
                await self.js.publish(f"{self.opts.prefix}.dead.{kind}", body, headers={"Nats-Msg-Id": f"dead-{ident}"})
                return
            except Exception as exc:
                log.warning("dead letter %s waits %.1fs: %s", ident, delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.opts.max_backoff)


def count(events: list[Incoming], outcomes: list[Outcome] | None) -> None:
    """The consumer's figures by kind, in one place: applied events are consumed, dead ones
    dead-lettered (a redelivered duplicate counts neither again); `outcomes` None: the batch failed
    (to be tried again, or redelivered). A kind no handler knows counts as `unknown` (a publisher's
    subject must not make a series of its own)."""
    for i, e in enumerate(events):
        kind = e.kind if e.kind in handlers.KINDS else "unknown"
        if outcomes is None:
            metrics.EVENTS_FAILED.labels(kind).inc()
        elif outcomes[i].status == "applied":
            metrics.EVENTS_CONSUMED.labels(kind).inc()
        elif outcomes[i].status == "dead":
            metrics.EVENTS_DEAD.labels(kind).inc()
