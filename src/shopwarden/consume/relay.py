"""The outbox relay: publishes committed outbox rows on `<prefix>.out.<kind>` (the analysis work rows
on `<prefix>.work.<what>`, where SHOPWARDEN_WORK=nats) with `Nats-Msg-Id` =
the row's `event_id`, and moves its cursor only after the stream acknowledged them. One relay works
at a time per prefix (a lease); others wait to take over."""

from __future__ import annotations

import asyncio
import logging

import orjson

from shopwarden.consume import streams
from shopwarden.service.consume import leases
from shopwarden.service.context import Context
from shopwarden.service.relay import Cursor
from shopwarden.store.outbox import WORK_KINDS

log = logging.getLogger("shopwarden.relay")


async def publish_pending(js, prefix: str, cursor: Cursor, limit: int = 500, work: bool = True) -> int:
    """One round: publish what is pending (concurrently, acks awaited together); how many went out.
    `work` False: the analysis work rows are not published (the writers' own threads do them)."""
    rows = await asyncio.to_thread(cursor.pending, limit)
    if not rows:
        return 0
    acks = [js.publish(streams.out_subject(prefix, r.kind), orjson.dumps(r.message()), headers={"Nats-Msg-Id": r.event_id})
            for r in rows if work or r.kind not in WORK_KINDS]
    await asyncio.gather(*acks)  # any failure: none is counted, all go again (the msg ids de-duplicate)
    await asyncio.to_thread(cursor.published, rows)
    return len(rows)


async def run_relay(ctx: Context, js, prefix: str, stop: asyncio.Event, idle: float = 0.2, name: str | None = None) -> None:
    name = name or f"nats:{prefix}"
    lease = leases(ctx, f"{prefix}:relay")
    try:
        while not stop.is_set():
            try:
                cursor = await asyncio.to_thread(_lead, ctx, lease, name)
            except Exception as exc:  # the database away: try again
                log.warning("relay: %s", exc)
                cursor = None
            if cursor is None:
                await _pause(stop, 2.0)
                continue
            while not stop.is_set() and "relay" in lease.held:
                try:
                    sent = await publish_pending(js, prefix, cursor, work=ctx.work == "nats")
                except Exception as exc:  # NATS or the database away: the same rows go again
                    log.warning("relay: %s", exc)
                    sent = 0
                    await _pause(stop, 1.0)
                if not sent:
                    await _pause(stop, idle)
    finally:
        lease.close()


def _lead(ctx: Context, lease, name: str) -> Cursor | None:
    """This process's cursor if it holds the relay's lease (another relay works otherwise)."""
    return Cursor(ctx, name) if lease.take("relay") else None


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
