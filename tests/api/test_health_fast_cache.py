"""A kept health answer is never stale (service/health.py `HealthCache`), on SQLite.

Each test reads a shop's health through the API, so it is kept, then changes what the answer
depends on in one of the ways that can happen: a write by another connection of this process, a
write by another process (a CLI import), time passing an expiry, a sanction's end or a
backdated event's instant, the shop's policy changing. The next read must equal a fresh fold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from shopwarden.service import health, violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context
from shopwarden.store.db import Database
from tests.api.test_health_fast import fast_of
from tests.conftest import T0

PLATFORM = Principal("t", "platform", None)


# The cache keeps answers on SQLite only (PostgreSQL: tests/api/test_health_fast.py).
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def api(api):
    api.shop("s1")
    return api


def _read(api, at: str = "") -> dict:
    r = api.call("GET", "/v1/shops/s1/health" + (f"?at={at}" if at else ""))
    assert r.status_code == 200, r.text
    return r.json()


def _fresh(ctx, at=None) -> dict:
    return json.loads(json.dumps(health.health(ctx, PLATFORM, "s1", at).as_json(), default=lambda t: t.isoformat().replace("+00:00", "Z")))


def _kept_then_reused(api) -> dict:
    first = _read(api)
    assert _read(api) == first and fast_of(api.client).cache.hits >= 1
    return first


def test_a_write_by_another_connection_is_seen_at_once(api, ctx, clock):
    api.violation(issued_at="2025-12-01T00:00:00Z")
    before = _kept_then_reused(api)
    other = Context(db=Database(ctx.db.url), packs=ctx.packs, clock=clock)  # its own engine and pool
    try:
        violations.issue(other, PLATFORM, violations.ViolationInput(shop_id="s1", type="prohibited_products", severity="minor", issued_at=T0 - timedelta(days=1), evidence=[]))
    finally:
        other.db.dispose()
    after = _read(api)
    assert after["points"] == before["points"] + 6 and len(after["violations"]) == 2
    assert after == _fresh(ctx)


def test_a_write_through_this_process_api_is_seen_at_once(api, ctx):
    before = _kept_then_reused(api)
    api.violation(issued_at="2025-12-20T00:00:00Z")
    assert _read(api)["points"] == before["points"] + 6


def test_a_cli_import_in_another_process_is_seen_at_once(api, ctx, tmp_path):
    before = _kept_then_reused(api)
    lines = [{"record": "violation", "shop_id": "s1", "type": "prohibited_products", "severity": "general", "issued_at": "2025-12-15T00:00:00Z"}]
    data = tmp_path / "more.jsonl"
    data.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    env = dict(os.environ, SHOPWARDEN_DATABASE_URL=ctx.db.url)
    done = subprocess.run([sys.executable, "-m", "shopwarden.cli.main", "import", str(data)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after = _read(api)
    assert after["points"] == before["points"] + 12 and after == _fresh(ctx)


def test_time_passing_an_expiry_and_a_sanctions_end(api, ctx, clock):
    # rule TT-PTS-2 TT-PTS-5: points expire after 180 days; the 12-point sanction runs 30 days
    issued = T0 - timedelta(days=10)
    api.violation(issued_at=issued.isoformat(), severity="general")
    clock.now = issued + timedelta(days=1)
    kept = _kept_then_reused(api)
    assert kept["points"] == 12 and [s["kind"] for s in kept["sanctions"]] == ["no_campaigns"]
    ends = kept["sanctions"][0]["ends_at"]
    for step in (timedelta(days=29), timedelta(days=29, hours=23, minutes=59, seconds=59), timedelta(days=30)):  # before, then at the end
        clock.now = issued + step
        assert _read(api) == _fresh(ctx)
    assert _read(api)["sanctions"] == [] and ends.startswith((issued + timedelta(days=30)).date().isoformat())
    v = _read(api)["violations"][0]
    clock.now = T0 + timedelta(days=200)  # past the expiry
    later = _read(api)
    assert later["points"] == 0 and later["violations"][0]["status"] == "expired" and v["status"] == "active"
    clock.now = T0  # a clock moved back is another instant too
    assert _read(api) == _fresh(ctx)


def test_an_explicit_at_outside_the_kept_span_is_folded_anew(api, ctx):
    api.violation(issued_at="2025-12-01T00:00:00Z")
    api.violation(issued_at="2025-12-10T00:00:00Z")
    for at in ("2025-12-05T00:00:00Z", "2025-12-06T00:00:00Z", "2025-11-01T00:00:00Z", "2025-12-10T00:00:00Z", "2025-12-09T23:59:59Z"):
        got = _read(api, at)
        assert got == _fresh(ctx, datetime.fromisoformat(got["at"]))
    assert _read(api, "2025-12-06T00:00:00Z")["points"] == 6 and _read(api, "2025-12-10T00:00:00Z")["points"] == 12


def test_a_policy_change_is_seen_at_once(api, ctx):
    api.violation(issued_at="2025-12-01T00:00:00Z")
    assert _kept_then_reused(api)["policy"] == "tiktok-shop"
    r = api.call("PUT", "/v1/shops/s1", json={"name": "s1", "kind": "enterprise", "policy": "shopee"})
    assert r.status_code == 200, r.text
    assert _read(api)["policy"] == "shopee"


def test_roles_are_checked_on_kept_answers(api):
    _kept_then_reused(api)
    api.shop("s2")
    other_seller = api.key("seller", "s2")
    assert api.call("GET", "/v1/shops/s1/health", key=other_seller).status_code == 403
    assert api.call("GET", "/v1/shops/s1/health", key=api.key("seller", "s1")).status_code == 200


def test_the_cache_can_be_turned_off(api, monkeypatch):
    from fastapi.testclient import TestClient

    from shopwarden.api.app import create_app

    monkeypatch.setenv("SHOPWARDEN_HEALTH_CACHE", "off")
    with TestClient(create_app(api.ctx)) as client:
        for _ in range(3):
            assert client.get("/v1/shops/s1/health", headers=api.platform).status_code == 200
        cache = fast_of(client).cache
        assert cache.commits is None and cache.hits == 0
