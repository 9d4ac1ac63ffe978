"""The outbox relay's bookkeeping: which rows to publish next and how far its cursor may move.

Ids come from a sequence and are taken at INSERT, so on PostgreSQL a row can commit after rows with
higher ids (a longer transaction), and a rolled-back one leaves a hole for good. The relay
therefore publishes past holes at once and remembers them: a hole that fills is published when it
does; the stored cursor stays below the oldest hole, so after a restart everything above it is
published again (the same `event_id`: JetStream's de-duplication window and consumers drop it).
A hole older than `hole_wait` is taken for a rollback and passed. The one loss this admits: a
transaction that commits more than `hole_wait` after writing its outbox row.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from shopwarden.service.context import Context
from shopwarden.store import outbox
from shopwarden.store.outbox import Entry

MAX_HOLES = 10_000


class Cursor:
    def __init__(self, ctx: Context, name: str, hole_wait: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.ctx, self.name, self.hole_wait, self.clock = ctx, name, hole_wait, clock
        with ctx.db.read() as s:
            self.stored = outbox.cursor(s, name)
        self.high = self.stored  # every id up to here is published, or a hole below
        self.holes: dict[int, float] = {}  # id -> when first seen missing

    def pending(self, limit: int) -> list[Entry]:
        """The rows to publish next, in id order: filled holes, then rows above the highest published."""
        with self.ctx.db.read() as s:
            filled = outbox.with_ids(s, list(self.holes)) if self.holes else []
            return filled + outbox.after(s, self.high, limit)

    def published(self, rows: list[Entry]) -> None:
        """`rows` (from `pending`) are acknowledged by the stream: move on, and store the cursor."""
        now = self.clock()
        for r in rows:
            self.holes.pop(r.id, None)
            if r.id > self.high:
                self.holes.update((i, now) for i in range(max(self.high + 1, r.id - MAX_HOLES), r.id))  # a far jump: only the nearest
                self.high = r.id
        for i in [i for i, seen in self.holes.items() if now - seen > self.hole_wait]:
            del self.holes[i]
        for i in sorted(self.holes)[:max(0, len(self.holes) - MAX_HOLES)]:
            del self.holes[i]
        settled = min(self.holes) - 1 if self.holes else self.high
        if settled > self.stored:
            with self.ctx.db.transaction() as s:
                outbox.advance(s, self.name, settled)
            self.stored = settled
