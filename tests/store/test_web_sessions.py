"""The page sessions' table, on SQLite and PostgreSQL: migration 0013 adds and removes it; a session
ends once (a second end, as from a racing request, changes nothing); `last_seen_at` only moves forward."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import command

from shopwarden.service.auth import create_key
from shopwarden.store import web_sessions
from shopwarden.store.db import alembic_config


def test_migration_0013_adds_the_table_and_its_downgrade_removes_it(ctx):
    cfg = alembic_config(ctx.db.engine)
    command.downgrade(cfg, "0011")
    assert "web_sessions" not in sa.inspect(ctx.db.engine).get_table_names()
    command.upgrade(cfg, "head")
    inspector = sa.inspect(ctx.db.engine)
    assert {c["name"] for c in inspector.get_columns("web_sessions")} == {"session_sha256", "key_id", "created_at", "last_seen_at", "ended_at", "ended_reason"}
    assert [i["column_names"] for i in inspector.get_indexes("web_sessions")] == [["key_id"]]


def test_a_session_ends_once_and_is_seen_only_forward(ctx):
    key_id = create_key(ctx, "operator").split("_")[1]
    t0 = ctx.clock()
    with ctx.db.transaction() as s:
        web_sessions.open_session(s, "d" * 64, key_id, t0)
    with ctx.db.transaction() as s:
        web_sessions.touch(s, "d" * 64, t0 + timedelta(minutes=5))
        web_sessions.touch(s, "d" * 64, t0 + timedelta(minutes=2))
    assert web_sessions.find(ctx.db.engine, "d" * 64).last_seen_at == t0 + timedelta(minutes=5)
    with ctx.db.transaction() as s:
        assert web_sessions.end(s, "d" * 64, t0 + timedelta(minutes=6), web_sessions.SIGNED_OUT)
        assert not web_sessions.end(s, "d" * 64, t0 + timedelta(minutes=7), web_sessions.IDLE)
        web_sessions.touch(s, "d" * 64, t0 + timedelta(minutes=8))
    found = web_sessions.find(ctx.db.engine, "d" * 64)
    assert (found.ended_at, found.last_seen_at, found.key_id, found.role) == (t0 + timedelta(minutes=6), t0 + timedelta(minutes=5), key_id, "operator")
    assert web_sessions.find(ctx.db.engine, "e" * 64) is None
