"""Named transaction-scoped locks (`hold`), and one writer at a time per ledger subject (a shop, a creator) at the moment its folds are read.

The commit hooks (service/statements.py, service/outbox_events.py) fold a subject's ledger inside the
writing transaction to find the sanctions it starts. On PostgreSQL (READ COMMITTED) two transactions
writing violations of one shop at once would each fold without the other's rows: a sanction crossed
only by both together would be stated by neither, and one crossed by each would be announced twice.
So before the hooks read, the transaction takes a transaction-scoped advisory lock per subject it
wrote (in one sorted order, so two of them never wait on each other); a waiter's next statement then
sees the winner's committed rows. SQLite serialises writers already: nothing to do there.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

_NAMESPACE = zlib.crc32(b"shopwarden:ledger-subject") - (1 << 31)


def _key(subject: str) -> int:
    return zlib.crc32(subject.encode()) - (1 << 31)  # a signed int4, as pg_advisory_xact_lock(int4, int4) takes


def hold(session: Session, name: str, shared: bool = False) -> None:
    """One named lock until this transaction ends: shared (many holders) or exclusive. On SQLite,
    whose driver opens a transaction only at the first write, a no-op write takes the database's one
    write lock instead (reads before it would otherwise run outside any transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        session.execute(text(f"SELECT {fn}(:ns, :key)"), {"ns": _NAMESPACE, "key": _key(name)})
    else:
        session.execute(text("UPDATE outbox_cursor SET last_id = last_id WHERE 0"))


def lock(session: Session, subjects: Iterable[str]) -> None:
    """Hold `subjects` (e.g. "shop:s1", "creator:c1") until this transaction ends: in one statement,
    taken in the subjects' sorted order (every writer's one order, so two never wait on each other)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = list(dict.fromkeys(_key(s) for s in sorted(set(subjects))))
    if len(keys) == 1:
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"), {"ns": _NAMESPACE, "key": keys[0]})
    elif keys:
        session.execute(text("SELECT count(pg_advisory_xact_lock(:ns, u.k)) FROM (SELECT k FROM unnest(CAST(:keys AS int4[])) "
                             "WITH ORDINALITY AS t(k, n) ORDER BY n) AS u"), {"ns": _NAMESPACE, "keys": keys})


def lock_written(session: Session) -> None:
    """Lock every subject this transaction wrote ledger rows of (noted by the store's ledger writers:
    store/noted.py for violations, store/outbox.py for violations, revocations and appeal decisions)."""
    from shopwarden.store import noted

    pairs = set(session.info.get(noted.SUBJECTS, ()))
    pairs |= {(row.get("shop_id"), row.get("creator_id")) for _, row in session.info.get("ledger_writes", ())}
    lock(session, [f"shop:{shop}" for shop, _ in pairs if shop] + [f"creator:{creator}" for _, creator in pairs if creator])
