"""Who does which share of the work among several processes on one PostgreSQL database: session-level
advisory locks held on one connection of their own, so a process that dies (even `kill -9`) lets go
of everything when its connection closes. On SQLite (one machine, one consumer) every lease is
granted and there is one member."""

from __future__ import annotations

import uuid
import zlib

from sqlalchemy.engine import Engine
from sqlalchemy.pool import PoolProxiedConnection


def _key(text: str) -> int:
    return zlib.crc32(text.encode()) - (1 << 31)  # a signed int4, as pg_advisory_lock(int4, int4) takes


class Leases:
    def __init__(self, engine: Engine, namespace: str):
        self.engine = engine
        self.shared = engine.dialect.name == "postgresql"
        self._ns, self._members = _key(namespace), _key(namespace + ":members")
        self._held: set[str] = set()
        self._conn: PoolProxiedConnection | None = None

    def _open(self) -> PoolProxiedConnection:
        fairy = self.engine.raw_connection()
        fairy.detach()  # ours until closed: the locks live as long as this connection
        driver = fairy.dbapi_connection
        assert driver is not None  # a connection just opened has its driver's
        driver.autocommit = True
        self._conn = fairy
        self._sql("SELECT pg_advisory_lock(%s, %s)", self._members, _key(uuid.uuid4().hex))
        return fairy

    def _sql(self, sql: str, *args):
        """One statement; if the connection is gone (the database restarted), every lease is lost
        with it and the error goes up: the caller stops the work it held, and the next call reconnects."""
        conn = self._conn if self._conn is not None else self._open()
        try:
            cur = conn.cursor()
            cur.execute(sql, args)
            row = cur.fetchone()
            cur.close()
            return row
        except Exception:
            self.close()
            raise

    def members(self) -> int:
        """How many processes hold a lease set on this namespace now (this one included)."""
        if not self.shared:
            return 1
        return self._sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::int4 = %s AND objsubid = 2 AND granted",
                         self._members)[0]

    def take(self, name: str) -> bool:
        if name in self._held:
            return True
        if self.shared and not self._sql("SELECT pg_try_advisory_lock(%s, %s)", self._ns, _key(name))[0]:
            return False
        self._held.add(name)
        return True

    def release(self, name: str) -> None:
        if name in self._held and self.shared:
            self._sql("SELECT pg_advisory_unlock(%s, %s)", self._ns, _key(name))
        self._held.discard(name)

    @property
    def held(self) -> frozenset[str]:
        return frozenset(self._held)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        self._held.clear()
        if conn is not None:
            try:
                conn.close()
            except Exception:  # already broken
                pass
