"""A shop's ledger as core events: the one read the fold needs, in one round trip (the health hot path).

It runs on a DB-API connection with a statement compiled once per dialect: SQLAlchemy's per-row type
processing costs four times the query itself here (bench/RESULTS.md). Events are built by the
fold's fast constructors for frozen dataclasses (`standing.fast_frozen`), which halves the conversion.

`Commits` is the other half of the health cache (service/health.py): a connection of its own to an
SQLite file that says whether anyone committed since it last looked, and reads ledgers after looking.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import fast_frozen

# One UNION ALL over the shop row and the four ledger tables, each branch on its shop_id index.
_LEDGER = """
    SELECT 0, policy_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM shops WHERE shop_id = {p}
    UNION ALL
    SELECT 1, violation_id, type, severity, point_class, points, NULL, issued_at, expires_at
      FROM violations WHERE shop_id = {p}
    UNION ALL
    SELECT 2, appeal_id, violation_id, NULL, NULL, number, NULL, filed_at, NULL FROM appeals WHERE shop_id = {p}
    UNION ALL
    SELECT 3, appeal_id, violation_id, outcome, decided_by, NULL, reason, decided_at, NULL
      FROM appeal_decisions WHERE shop_id = {p}
    UNION ALL
    SELECT 4, violation_id, NULL, NULL, NULL, NULL, reason, revoked_at, NULL FROM revocations WHERE shop_id = {p}
"""

_issued = fast_frozen(ViolationIssued)
_filed = fast_frozen(AppealFiled)
_decided = fast_frozen(AppealDecided)
_revoked = fast_frozen(ViolationRevoked)


@lru_cache(maxsize=8)
def _statement(paramstyle: str) -> str:
    return _LEDGER.format(p="?" if paramstyle == "qmark" else "%s")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is UTC else value.astimezone(UTC)


_parse = datetime.fromisoformat


def _events(rows) -> tuple[str | None, list[Event]]:
    # SQLite hands back the stored text (UTC, no zone): parsed with the zone appended, ~8x faster
    # than .replace(tzinfo=…) on CPython 3.11. PostgreSQL hands back aware datetimes.
    policy: str | None = None
    out: list[Event] = []
    add = out.append
    for k, a, b, c, d, n, e, t1, t2 in rows:
        if k == 0:
            policy = a
            continue
        t1 = _parse(t1 + "+00:00") if type(t1) is str else _aware(t1)
        if k == 1:
            add(_issued(a, t1, b, c, n, d, _parse(t2 + "+00:00") if type(t2) is str else _aware(t2)))
        elif k == 2:
            add(_filed(a, b, n, t1))
        elif k == 3:
            add(_decided(a, b, c, t1, e, d))
        else:
            add(_revoked(a, t1, e, None))
    return policy, out


def events_of(rows) -> list[Event]:
    """The events of a shop's ledger rows (as the ledger read gives them, without the shop id; instants
    as stored text or aware datetimes): the one row-to-event code of the live read and of a Parquet
    export's (`store.ledger_export`)."""
    return _events(rows)[1]


def shop_ledger(engine: Engine, shop_id: str) -> tuple[str | None, list[Event]]:
    """The shop's policy id (None: no such shop) and its ledger events, in any order."""
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(_statement(engine.dialect.paramstyle), (shop_id,) * 5)
        rows = cur.fetchall()
        cur.close()
    finally:
        conn.close()
    return _events(rows)


def shop_ledger_in(session: Session, shop_id: str) -> tuple[str | None, list[Event]]:
    """The same, read inside a transaction: its own uncommitted rows included (the outbox hook's read)."""
    conn = session.connection()
    rows = conn.exec_driver_sql(_statement(conn.dialect.paramstyle), (shop_id,) * 5).fetchall()
    return _events(rows)


_AT_COMMIT = "ledgers_at_commit"


def shop_ledgers_in(session: Session, shop_ids, chunk: int = 400) -> dict[str, tuple[str | None, list[Event]]]:
    """`shop_ledger_in` for many shops, `chunk` shops per round trip."""
    ids = list(dict.fromkeys(shop_ids))
    conn = session.connection()
    p = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    out: dict[str, tuple[str | None, list[Event]]] = {}
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        rows: dict[str, list] = {s: [] for s in part}
        for r in conn.exec_driver_sql(_MANY.format(ids=", ".join([p] * len(part))), tuple(part) * 5).fetchall():
            rows[r[0]].append(r[1:])
        out.update((s, _events(rows[s])) for s in part)
    return out


def ledgers_at_commit(session: Session, shop_ids) -> dict[str, tuple[str | None, list[Event]]]:
    """The touched shops' ledgers as this transaction is about to commit, read once for every commit
    hook (statements, then the outbox: neither writes the ledger), in one round trip per chunk.
    The last hook drops them (`forget_at_commit`)."""
    kept = session.info.setdefault(_AT_COMMIT, {})
    missing = [s for s in dict.fromkeys(shop_ids) if s not in kept]
    if missing:
        kept.update(shop_ledgers_in(session, missing))
    return {s: kept[s] for s in shop_ids}


def forget_at_commit(session: Session) -> None:
    session.info.pop(_AT_COMMIT, None)


class Commits:
    """Whether any connection, in this process or another, committed to an SQLite file since the last look.

    `PRAGMA data_version` changes on a connection when another connection commits, so this one
    connection never writes. `version()` and `ledger()` share it under a lock: a version read
    before a ledger read can only be older than what the ledger read saw, never newer, so an
    answer kept under that version is stale at the latest when the version next changes.
    """

    def __init__(self, engine: Engine) -> None:
        fairy = engine.raw_connection()  # opened as the engine opens any (WAL, busy timeout)
        fairy.detach()  # ours for good: pooled connections write, and their own commits do not count
        driver = fairy.dbapi_connection
        assert isinstance(driver, sqlite3.Connection)  # `supported` engines only: an SQLite file through the sqlite3 module
        self._conn: sqlite3.Connection = driver
        self._conn.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages for the ledger reads on misses
        self._sql: str = _statement("qmark")
        self._lock: threading.Lock = threading.Lock()

    @staticmethod
    def supported(engine: Engine) -> bool:
        """An SQLite file (an in-memory database is one per connection, so no other one would see it)."""
        path = engine.url.database
        return engine.dialect.name == "sqlite" and path is not None and path not in ("", ":memory:") and Path(path).is_file()

    def version(self) -> int:
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def ledger(self, shop_id: str) -> tuple[int, str | None, list[Event]]:
        """The version, then the ledger read after it (see the class docstring for why in that order)."""
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            rows = self._conn.execute(self._sql, (shop_id,) * 5).fetchall()
        return (version, *_events(rows))

    def close(self) -> None:
        self._conn.close()


# Every shop's ledger under one pack, a chunk of shops per round trip: the batch jobs' read (simulate).
_CHUNK = """
    SELECT shop_id, 1, violation_id, type, severity, point_class, points, NULL, issued_at, expires_at
      FROM violations WHERE shop_id IN ({ids})
    UNION ALL
    SELECT shop_id, 2, appeal_id, violation_id, NULL, NULL, number, NULL, filed_at, NULL FROM appeals WHERE shop_id IN ({ids})
    UNION ALL
    SELECT shop_id, 3, appeal_id, violation_id, outcome, decided_by, NULL, reason, decided_at, NULL
      FROM appeal_decisions WHERE shop_id IN ({ids})
    UNION ALL
    SELECT shop_id, 4, violation_id, NULL, NULL, NULL, NULL, reason, revoked_at, NULL FROM revocations WHERE shop_id IN ({ids})
"""


# The same read with each shop's policy (the shop row) first: a transaction's commit hooks.
_MANY = "SELECT shop_id, 0, policy_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM shops WHERE shop_id IN ({ids})\n    UNION ALL" + _CHUNK


def shops_under(engine: Engine, policy_id: str, only: list[str] | None = None) -> list[str]:
    """The ids of the shops under `policy_id` (or those of `only` that are), in order."""
    p = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT shop_id FROM shops WHERE policy_id = {p} ORDER BY shop_id", (policy_id,))
        ids = [r[0] for r in cur.fetchall()]
        cur.close()
    finally:
        conn.close()
    if only is None:
        return ids
    wanted = set(only)
    return [i for i in ids if i in wanted]


def ledgers(engine: Engine, shop_ids: list[str], chunk: int = 400):
    """(shop id, its ledger events) for each of `shop_ids`, in their order, `chunk` shops per query."""
    p = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        for i in range(0, len(shop_ids), chunk):
            ids = shop_ids[i:i + chunk]
            cur.execute(_CHUNK.format(ids=", ".join([p] * len(ids))), tuple(ids) * 4)
            rows: dict[str, list] = {s: [] for s in ids}
            for r in cur.fetchall():
                rows[r[0]].append(r[1:])
            for s in ids:
                yield s, _events(rows[s])[1]
        cur.close()
    finally:
        conn.close()
