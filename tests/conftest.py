"""Shared fixtures: a service context on SQLite and on PostgreSQL, and an API client with keys.

PostgreSQL comes from SHOPWARDEN_TEST_PG_URL (default: the local test server). Where none
answers the PostgreSQL cases skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from shopwarden.service.context import Context
from shopwarden.service.policies import load_builtin_packs
from shopwarden.store.db import Database
from shopwarden.store.models import Base

PG_URL = os.environ.get("SHOPWARDEN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class FrozenClock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrate once; each test copies the file (migrations on SQLite take longer than a copy)."""
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url():
    # One schema per run and worker: concurrent runs on one server must not share tables.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    schema = f"sw_test_{run}_{_worker()}"
    try:
        admin = sa.create_engine(PG_URL)
        with admin.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            c.exec_driver_sql(f"CREATE SCHEMA {schema}")
        admin.dispose()
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable under CI=true: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_URL}")
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    yield url
    admin = sa.create_engine(PG_URL)
    with admin.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


TABLES = tuple(t.name for t in reversed(Base.metadata.sorted_tables))


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "shopwarden.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("pg_schema_url"))
        with db.engine.begin() as c:  # TRUNCATE fires no row triggers: the ledger stays append-only for the app
            c.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def ctx(database, clock) -> Context:
    return Context(db=database, packs=dict(load_builtin_packs()), clock=clock)
