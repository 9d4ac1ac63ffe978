"""`shopwarden work`: the analysis workers (service/analysis.py) fed by JetStream.

Every worker pulls batches from one durable consumer on `<prefix>.work.>` (a work-queue stream:
JetStream hands each message to one puller at a time, so adding processes adds throughput), runs
the batch through `analysis.run` — the same function the embedded thread runs — and acknowledges
only after it committed. A worker killed mid-batch has its messages delivered again after
`ack_wait`; the jobs it had committed are found in `consumed_events` and not applied twice."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import orjson
from nats.errors import TimeoutError as NatsTimeout

from shopwarden.consume import streams
from shopwarden.consume.runner import connect, hold_and_apply
from shopwarden.service import analysis, products, reviews  # noqa: F401 (products and reviews register the work `analysis.run` does)
from shopwarden.service.consume import Incoming
from shopwarden.service.context import Context

log = logging.getLogger("shopwarden.work")


@dataclass(frozen=True)
class WorkOptions:
    nats_url: str = "nats://127.0.0.1:4222"
    prefix: str = "shopwarden"
    batch: int = 16
    ack_wait: float = 120.0
    max_backoff: float = 10.0


def decode(raw: bytes) -> Incoming:
    """A work message (the outbox row as the relay published it); unreadable: applied as dead."""
    try:
        data = orjson.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (orjson.JSONDecodeError, ValueError) as exc:
        return Incoming("work", None, problem={"status": 422, "title": "Invalid input", "detail": f"work message: {exc}"})
    return analysis.incoming(data)


class Worker:
    def __init__(self, ctx: Context, opts: WorkOptions):
        self.ctx, self.opts = ctx, opts
        self.stop = asyncio.Event()
        self.applied = self.batches = 0

    async def run(self) -> None:
        o = self.opts
        streams.check_prefix(o.prefix)
        nc = await connect(o.nats_url)
        try:
            js = nc.jetstream()
            await streams.ensure(js, o.prefix)
            sub = await js.pull_subscribe(f"{o.prefix}.work.>", durable=f"{o.prefix}-work", stream=streams.stream(o.prefix, "work"),
                                          config=streams.work_config(o.prefix, o.ack_wait))
            while not self.stop.is_set():
                try:
                    msgs = await sub.fetch(o.batch, timeout=1)
                except (TimeoutError, NatsTimeout):
                    continue
                except Exception as exc:  # NATS restarting: the durable consumer keeps our place
                    log.warning("fetch: %r", exc)
                    await asyncio.sleep(0.5)
                    continue
                await self._batch(msgs)
        finally:
            await nc.close()

    async def _batch(self, msgs) -> None:
        jobs = [decode(m.data) for m in msgs]
        outcomes = await hold_and_apply(msgs, lambda: analysis.run(self.ctx, jobs), self.opts.max_backoff, self.opts.ack_wait)
        for m in msgs:
            await m.ack()
        self.batches += 1
        self.applied += sum(1 for x in outcomes if x.status == "applied")
        for x in outcomes:
            if x.status == "dead":
                log.error("work %s could not be applied: %s", x.event_id, (x.problem or {}).get("detail"))
