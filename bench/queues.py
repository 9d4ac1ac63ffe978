"""The operators' queues under a long history: a database with many decided appeals and a few
pending ones. The queue reads the open-items index (store/open_items.py); the baseline, measured
in the same run on the same database, is the anti-join it replaced (every appeal joined to its
decision, the undecided kept, oldest first), which walks the whole history."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from shopwarden.store import appeals
from shopwarden.store.db import Database

SECTION = "console queues with a long history (SQLite, in-process)"
ANTI_JOIN = sa.text("SELECT a.appeal_id FROM appeals a LEFT JOIN appeal_decisions d ON d.appeal_id = a.appeal_id "
                    "WHERE d.appeal_id IS NULL ORDER BY a.filed_at LIMIT 51")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _fill(db: Database, decided: int, pending: int) -> None:
    """`decided` appeals filed first and decided, then `pending` newer ones (the queue's page)."""
    now = T0
    with db.transaction() as s:
        for i in range(decided + pending):
            at = T0 + timedelta(minutes=i)
            row = {"appeal_id": f"a{i:07d}", "violation_id": f"v{i:07d}", "shop_id": f"s{i % 5000}", "number": 1, "filed_at": at,
                   "reason": "r", "evidence": [], "deadline": None, "created_at": now, "filed_by": "bench"}
            appeals.add(s, row)
            if i < decided:
                appeals.add_decision(s, {"appeal_id": row["appeal_id"], "violation_id": row["violation_id"], "shop_id": row["shop_id"],
                                         "outcome": "rejected", "reason": "r", "decided_at": at + timedelta(days=1), "decided_by": "bench",
                                         "created_at": now, "key_id": "bench"})


def bench_queue_history(res, quick: bool) -> None:
    decided, pending, runs = (20_000, 200, 100) if quick else (200_000, 200, 200)
    path = tempfile.mkdtemp() + "/queues.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    started = time.perf_counter()
    _fill(db, decided, pending)
    filled = time.perf_counter() - started
    new, old = [], []
    with db.read() as s:
        assert [a.appeal_id for a in appeals.pending(s, None, 51)] == list(s.execute(ANTI_JOIN).scalars())
        for _ in range(runs):  # interleaved, so drift hits both alike
            t = time.perf_counter()
            appeals.pending(s, None, 51)
            new.append(time.perf_counter() - t)
            t = time.perf_counter()
            list(s.execute(ANTI_JOIN).scalars())
            old.append(time.perf_counter() - t)
    db.dispose()
    p50, p99, b50, b99 = (statistics.median(new), _pct(new, 99), statistics.median(old), _pct(old, 99))
    res.add(SECTION, f"the appeals queue's first page (51 rows) with {decided:,} decided and {pending} pending appeals (`store.appeals.pending`)",
            f"{p50 * 1000:.2f} ms", f"{p99 * 1000:.2f} ms", f"the anti-join it replaced: p50 {b50 * 1000:.2f} ms, p99 {b99 * 1000:.2f} ms",
            f"{p50 / b50:.3f}", "", "", f"{runs} interleaved pairs on one database (filled in {filled:.0f} s); same rows checked first")
