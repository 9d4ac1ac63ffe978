"""A revoked key is refused from the next request on, also when another process revoked it (here a
second `Database` on the same SQLite file or PostgreSQL schema: its own engine and connections),
on the routed API and on the fast health path; `shopwarden keys revoke`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from shopwarden.api.app import create_app
from shopwarden.cli.main import app as cli
from shopwarden.errors import Conflict, NotFound, Unauthorized
from shopwarden.service.auth import Principal, authenticate, create_key, revoke_key
from shopwarden.service.context import Context, open_context
from shopwarden.service.shops import put_shop
from shopwarden.store import keys
from shopwarden.store.db import Database

PLATFORM = Principal("t", "platform", None)


@pytest.fixture
def other_process(ctx):
    """The same database, opened again as another server process or the CLI would open it."""
    db = Database(ctx.db.url)
    yield Context(db=db, packs=ctx.packs, clock=ctx.clock)
    db.dispose()


@pytest.mark.parametrize("path", ["/v1/shops/s1/health", "/v1/shops/s1", "/v1/shops/s1/notices"])
def test_a_key_revoked_by_another_process_is_refused_on_the_next_request(ctx, other_process, path):
    put_shop(ctx, PLATFORM, "s1", "S1", "enterprise", "tiktok-shop")
    key = create_key(ctx, "operator")
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        auth = {"Authorization": f"Bearer {key}"}
        for _ in range(2):  # the second request is served by the verified-key cache where there is one
            assert client.get(path, headers=auth).status_code == 200
        assert client.get("/v1/shops/s1/health", headers=auth).status_code == 200
        revoke_key(other_process, key.split("_")[1])
        refused = client.get(path, headers=auth)
        assert refused.status_code == 401 and refused.json()["detail"] == "unknown or revoked key"


def test_a_key_is_kept_verified_until_anyone_commits(ctx, other_process, monkeypatch):
    """On an SQLite file a verified key is kept while nothing is committed anywhere; any commit elsewhere
    makes the next call read the key's row again. PostgreSQL reads it on every call."""
    reads = []
    real = keys.lookup
    monkeypatch.setattr(keys, "lookup", lambda engine, key_id: reads.append(key_id) or real(engine, key_id))
    key = create_key(ctx, "platform")
    assert authenticate(ctx, key) == authenticate(ctx, key) == authenticate(ctx, key)
    assert len(reads) == (1 if ctx.db.embedded else 3)
    create_key(other_process, "operator")  # an unrelated commit
    assert authenticate(ctx, key).role == "platform"
    assert len(reads) == (2 if ctx.db.embedded else 4)
    revoke_key(other_process, key.split("_")[1])
    with pytest.raises(Unauthorized, match="unknown or revoked key"):
        authenticate(ctx, key)


def test_revoking_an_unknown_or_revoked_key_says_so(ctx):
    key_id = create_key(ctx, "operator").split("_")[1]
    with pytest.raises(NotFound):
        revoke_key(ctx, "nope")
    assert revoke_key(ctx, key_id) == 0
    with pytest.raises(Conflict):
        revoke_key(ctx, key_id)


def test_keys_revoke_on_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'sw.db'}"
    ctx = open_context(url)
    key = create_key(ctx, "operator")
    env = {"SHOPWARDEN_DATABASE_URL": url, "NO_COLOR": "1", "COLUMNS": "200"}
    runner = CliRunner()
    done = runner.invoke(cli, ["keys", "revoke", key.split("_")[1]], env=env)
    assert done.exit_code == 0 and "revoked; 0 page sessions ended" in done.output
    with pytest.raises(Unauthorized, match="unknown or revoked key"):
        authenticate(ctx, key)
    again = runner.invoke(cli, ["keys", "revoke", key.split("_")[1]], env=env)
    assert again.exit_code == 2 and "already revoked" in again.output
    ctx.db.dispose()
