"""The outbox relay: its cursor moves only after the stream's acknowledgement, holes in the ids (a
transaction still open, or rolled back) are published when they fill, and a crash between
publishing and storing the cursor publishes again under the same message id (de-duplicated)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import nats
import pytest
from nats_fixtures import messages, stream_count

from shopwarden.consume import streams
from shopwarden.consume.relay import publish_pending
from shopwarden.service.relay import Cursor
from shopwarden.store import outbox
from shopwarden.store.outbox import OutboxRow


def _row(session, id_: int) -> None:
    session.execute(OutboxRow.__table__.insert(), [{"id": id_, "event_id": f"e{id_:030d}", "kind": "listing.decided", "key": "s1",
                                                    "payload": {"n": id_}, "created_at": datetime(2026, 1, 1, tzinfo=UTC)}])


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


def test_work_rows_go_to_the_work_stream_only_where_the_workers_take_them(nats_url, prefix, ctx):
    # service/analysis.py: SHOPWARDEN_WORK=nats → `<prefix>.work.listing` for `shopwarden work`; otherwise the
    # writers' own threads do the work, and the relay passes the row by (never on `.out.`: it is no decision)
    with ctx.db.transaction() as s:
        outbox.add(s, "listing.decided", "s1", {"n": 1})
        outbox.add(s, "work.listing", "s1", {"product_id": "p1", "version": 1, "body": {}, "by": "k"})

    async def run() -> tuple[int, int, int, int]:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await streams.ensure(js, prefix)
        await publish_pending(js, prefix, Cursor(ctx, "local"), work=False)
        counts = [(await js.stream_info(streams.stream(prefix, w))).state.messages for w in ("out", "work")]
        await publish_pending(js, prefix, Cursor(ctx, "nats"), work=True)
        counts += [(await js.stream_info(streams.stream(prefix, w))).state.messages for w in ("out", "work")]
        await nc.close()
        return tuple(counts)

    assert asyncio.run(run()) == (1, 0, 1, 1)  # the decision once (its msg id de-duplicates), the work only when asked
    assert [m["_subject"] for m in asyncio.run(messages(nats_url, prefix, "work"))] == [f"{prefix}.work.listing"]
