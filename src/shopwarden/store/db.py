"""Engine, transactions and migrations. SQLite (WAL) by default; PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Table, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///var/shopwarden.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _json(value) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str | None = None) -> Engine:
    url = url or DEFAULT_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=8, max_overflow=16, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=True, json_serializer=_json)


class Database:
    """One engine and its session factory; `transaction()` is the only way to write."""

    def __init__(self, url: str | None = None):
        self.url = url or DEFAULT_URL
        self.engine = make_engine(self.url)
        self.embedded = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Called in order with the session just before each commit, by name (a second install replaces):
        # the ledger subjects' locks (store/subject_locks.py), the service's statements of reasons
        # (service/statements.py, DSA Art. 17), then its outbox hook (service/outbox_events.py).
        self.before_commit: dict[str, Callable[[Session], None]] = {}
        # Called with the session once its commit succeeded (never after a rollback): what may only
        # count once the writes are durable (service/statements.py's measure counts).
        self.after_commit: dict[str, Callable[[Session], None]] = {}
        self._batch: ContextVar[Session | None] = ContextVar(f"batch-{id(self)}", default=None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        outer = self._batch.get()
        if outer is not None:  # inside a consumer's micro-batch: this use case is a savepoint of it
            with _savepoint(outer):
                yield outer
            return
        # No snapshot for what a use case reads before its first write: SQLite's driver begins the
        # transaction at the first INSERT/UPDATE/DELETE (reads before it run on their own), and
        # PostgreSQL reads committed rows statement by statement. So a count read in Python never
        # guards an "at most N" rule by itself; a unique key does (`insert_once`).
        with self._unit() as session:
            yield session

    @contextmanager
    def batch(self) -> Iterator[Session]:
        """One transaction for many use cases (the event consumer's micro-batch, service/consume.py).
        While it is open in this thread, `transaction()` is a SAVEPOINT inside it (one use case's
        refusal undoes its own writes only) and `read()` reads through it; it commits once."""
        with self._unit() as session:
            if self.embedded:
                # pysqlite opens a transaction only at a DML statement; a SAVEPOINT outside one opens its
                # own, and releasing it COMMITS: each use case of the batch would commit alone (and two
                # consumers interleave). The batch's transaction begins here, holding the write lock.
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            token = self._batch.set(session)
            try:
                yield session
            finally:
                self._batch.reset(token)

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            for hook in self.before_commit.values():
                hook(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        else:
            for hook in self.after_commit.values():
                hook(session)
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        outer = self._batch.get()
        if outer is not None:
            yield outer
            return
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()  # closing ends the read transaction and detaches rows without expiring them

    def upgrade(self) -> None:
        upgrade(self.engine)

    def is_new(self) -> bool:
        return "shops" not in inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _savepoint(session: Session) -> Iterator[None]:
    """A savepoint whose rollback also forgets the ledger rows noted inside it (store/outbox.py)."""
    noted = len(session.info.get("ledger_writes", ()))
    nested = session.begin_nested()
    try:
        yield
        nested.commit()
    except BaseException:
        if nested.is_active:
            nested.rollback()
        del session.info.get("ledger_writes", [])[noted:]
        raise


def insert_once(session: Session, model, row: dict) -> bool:
    """`INSERT ... ON CONFLICT DO NOTHING` in one statement: True when the row went in, False when a
    unique key already holds one. This is how every "at most N" rule is kept under concurrent
    requests: the rule is a unique key (an item's id, or an ordinal 1..N), and the database, not a
    read in Python, decides which of two racers wins. On PostgreSQL the loser waits for the winner's
    commit and then inserts nothing; on SQLite writers queue on the write lock."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**row).on_conflict_do_nothing()
    # RETURNING, not rowcount: SQLAlchemy keeps no INSERT rowcount for psycopg unless asked to.
    return session.execute(stmt.returning(*inspect(model).primary_key)).first() is not None


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]], skip_existing: bool = False, returning: str | None = None) -> list[Any]:
    """Insert `rows` (one set of keys) in order in the session's transaction, as one executemany; with
    `skip_existing`, rows whose unique key is held are skipped (`insert_once`'s rule, set-wise); with
    `returning`, that column of the rows that went in. On PostgreSQL through psycopg's pipelined
    executemany: one short statement, parsed and prepared once, sent with every row in one round trip
    (SQLAlchemy's multi-row VALUES text is re-parsed by the driver at every call, which cost more than
    the round trips it saves). Elsewhere through SQLAlchemy."""
    if not rows:
        return []
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        stmt = sqlite.insert(table).on_conflict_do_nothing() if skip_existing else table.insert()
        if returning is None:
            conn.execute(stmt, rows)
            return []
        return list(conn.execute(stmt.returning(table.c[returning]), rows).scalars())
    cols = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    procs = [table.c[c].type._cached_bind_processor(conn.dialect) for c in cols]
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
           + (" ON CONFLICT DO NOTHING" if skip_existing else "") + (f" RETURNING {quote(returning)}" if returning else ""))
    params = [tuple(r[c] if p is None else p(r[c]) for c, p in zip(cols, procs, strict=True)) for r in rows]
    raw = conn.connection.dbapi_connection
    assert raw is not None  # a checked-out connection always has one
    cur: Any = raw.cursor()  # psycopg's cursor: its executemany takes `returning` (the DB-API type does not)
    try:
        cur.executemany(sql, params, returning=returning is not None)
        out: list[Any] = []
        while returning is not None:
            out += [r[0] for r in cur.fetchall()]
            if not cur.nextset():
                break
        return out
    finally:
        cur.close()


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations up to `revision` (programmatic: no alembic.ini needed)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def placeholder(paramstyle: str) -> str:
    """The driver's positional placeholder: `?` (sqlite3), `%s` (psycopg)."""
    return "?" if paramstyle == "qmark" else "%s"


def _utc_text(value: datetime | None) -> str | None:
    """An instant as SQLite stores a `UtcDateTime` (UTC without its zone, to the microsecond), as its bind processor writes it."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.isoformat(" ", "microseconds")[:26]  # "+00:00" cut off (years 1000-9999)


def _day_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _converter(column, dialect) -> Callable | None:
    """One column's bind conversion, looked up once: the type's own processor (what an ORM insert
    stores), with faster equivalents for instants and days on SQLite."""
    from sqlalchemy import Date

    from shopwarden.store.base import UtcDateTime

    if dialect.name == "sqlite" and isinstance(column.type, UtcDateTime):
        return _utc_text
    if dialect.name == "sqlite" and type(column.type) is Date:
        return _day_text
    return column.type._cached_bind_processor(dialect)


def _convert(f: Callable | None, values: tuple) -> Sequence:
    """One column's values converted; a column of one value (a stamp) converted once."""
    if f is None:
        return values
    if values.count(values[0]) == len(values):
        return [f(values[0])] * len(values)
    return list(map(f, values))


def driver_insert(session: Session, table, columns: Sequence[str], rows: Sequence[Sequence], add_to: Sequence[str] | None = None) -> None:
    """`INSERT` many rows through the driver's executemany, in the session's transaction: each column's
    values converted once per column by `_converter`, not per row by SQLAlchemy (the bulk path's main
    cost). `rows` are tuples in `columns`' order. `add_to`: the unique key on whose conflict the
    stored `value` is increased by the new one (`ON CONFLICT ... DO UPDATE`, SQLite and PostgreSQL)."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    q = dialect.identifier_preparer.quote
    cols = [table.c[name] for name in columns]
    converted = [_convert(_converter(c, dialect), values) for c, values in zip(cols, zip(*rows))]
    sql = (f"INSERT INTO {q(table.name)} ({', '.join(q(c) for c in columns)}) "
           f"VALUES ({', '.join([placeholder(dialect.paramstyle)] * len(columns))})")
    if add_to:
        sql += f" ON CONFLICT ({', '.join(q(c) for c in add_to)}) DO UPDATE SET value = {q(table.name)}.value + excluded.value"
    conn.exec_driver_sql(sql, list(zip(*converted)))


def read_day(value) -> date:
    """A `Date` column as the driver returns it: text on SQLite, a date on PostgreSQL."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def read_instant(value) -> datetime:
    """A `UtcDateTime` column as the driver returns it (text without a zone on SQLite), as an aware UTC instant."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def instant_param(dialect, value: datetime):
    """An instant as a driver parameter for a `UtcDateTime` column."""
    return _utc_text(value) if dialect.name == "sqlite" else value.astimezone(UTC)


def day_param(dialect, value: date):
    """A day as a driver parameter for a `Date` column."""
    return _day_text(value) if dialect.name == "sqlite" else value


def driver_rows(session: Session, sql: str, params: Sequence[Any] = ()) -> Sequence[tuple[Any, ...]]:
    """A read through the driver's own cursor in the session's transaction, rows as plain tuples (a hot
    path's few small queries: no statement compiling, no per-row result objects). `{p}` in `sql` is
    the driver's placeholder."""
    conn = session.connection()
    driver = conn.connection.dbapi_connection
    assert driver is not None  # the session's connection is open: it runs this transaction
    cur = driver.cursor()
    try:
        cur.execute(sql.format(p=placeholder(conn.dialect.paramstyle)), tuple(params))
        return cur.fetchall()
    finally:
        cur.close()
