"""The outbox relay: its cursor moves only after the stream's acknowledgement, holes in the ids (a
transaction still open, or rolled back) are published when they fill, and a crash between
publishing and storing the cursor publishes again under the same message id (de-duplicated)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import nats
import pytest

from shopwarden.consume import streams
from shopwarden.consume.relay import publish_pending
from shopwarden.service.relay import Cursor
from shopwarden.store import outbox
from shopwarden.store.outbox import OutboxRow

from conftest import messages, stream_count


def _row(session, id_: int) -> None:
    session.execute(OutboxRow.__table__.insert(), [{"id": id_, "event_id": f"e{id_:030d}", "kind": "listing.decided", "key": "s1",
                                                    "payload": {"n": id_}, "created_at": datetime(2026, 1, 1, tzinfo=timezone.utc)}])


class Ticks:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_holes_are_published_when_filled_and_passed_when_old(ctx):
    with ctx.db.transaction() as s:
        for i in (1, 2, 4, 5):
            _row(s, i)
    ticks = Ticks()
    cur = Cursor(ctx, "t", hole_wait=10, clock=ticks)
    rows = cur.pending(100)
    assert [r.id for r in rows] == [1, 2, 4, 5]
    cur.published(rows)
    assert cur.stored == 2 and set(cur.holes) == {3}  # 3 may still commit: the cursor waits below it
    with ctx.db.transaction() as s:
        _row(s, 3)
        _row(s, 7)
    rows = cur.pending(100)
    assert [r.id for r in rows] == [3, 7]
    cur.published(rows)
    assert cur.stored == 5 and set(cur.holes) == {6}
    ticks.now = 11  # 6 never came: a rollback; passed
    cur.published([])
    assert cur.stored == 7 and not cur.holes
    with ctx.db.read() as s:
        assert outbox.cursor(s, "t") == 7
    assert Cursor(ctx, "t").pending(100) == []  # a restarted relay starts after the cursor


def test_crash_between_publish_and_cursor_republishes_once(nats_url, prefix, ctx):
    with ctx.db.transaction() as s:
        ids = [outbox.add(s, "listing.decided", "s1", {"n": n}) for n in range(20)]

    class Crash(Exception):
        pass

    def crashed(rows):
        raise Crash("killed after the acks, before the cursor")

    async def run() -> None:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await streams.ensure(js, prefix)
        first = Cursor(ctx, "nats")
        first.published = crashed
        with pytest.raises(Crash):
            await publish_pending(js, prefix, first)
        again = Cursor(ctx, "nats")
        assert again.stored == 0  # nothing was recorded as published
        assert await publish_pending(js, prefix, again) == 20
        assert await publish_pending(js, prefix, again) == 0
        await nc.close()

    asyncio.run(run())
    assert asyncio.run(stream_count(nats_url, prefix, "out")) == 20  # Nats-Msg-Id: the second round was dropped as duplicates
    out = asyncio.run(messages(nats_url, prefix, "out"))
    assert [m["id"] for m in out] == ids and out[0]["kind"] == "listing.decided" and out[0]["data"] == {"n": 0}
    assert out[0]["_subject"] == f"{prefix}.out.listing.decided"
