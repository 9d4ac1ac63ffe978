"""The fast health route (api/fast_health.py) answers exactly as the FastAPI route does, on SQLite and PostgreSQL.

Each request goes to two apps on one database: the real one, and the same app without the fast
route, where the FastAPI route answers everything. Status, headers and body bytes must match.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopwarden.api.app import create_app
from shopwarden.api.deps import dumps
from shopwarden.api.fast_health import FastHealth, body, parts
from shopwarden.service import health
from shopwarden.service.auth import Principal
from tests.conftest import T0


def fast_of(client: TestClient) -> FastHealth:
    """The app's FastHealth instance (the middleware stack is built by the first request)."""
    app = client.app.middleware_stack
    while not isinstance(app, FastHealth):
        app = app.app
    return app


@pytest.fixture
def route(ctx):
    """The same app with the fast route taken out: the FastAPI route answers every request."""
    app = create_app(ctx)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not FastHealth]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def ledger(api):
    api.shop("s1")
    api.shop("s2")
    for day in ("2025-12-01", "2025-12-02", "2025-12-20"):
        api.violation("s1", issued_at=f"{day}T00:00:00Z")
    v = api.violation("s1", issued_at="2025-12-21T00:00:00Z", severity="general")
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"filed_at": "2025-12-22T00:00:00Z", "reason": "r", "evidence": [{"kind": "text", "value": "e"}]})
    api.call("POST", f"/v1/appeals/{a.json()['id']}/decision", json={"outcome": "granted", "reason": "ok", "decided_at": "2025-12-23T00:00:00Z"})
    return api


URLS = [
    "/v1/shops/s1/health",
    "/v1/shops/s2/health",
    "/v1/shops/s1/health?at=2025-12-03T00:00:00Z",
    "/v1/shops/s1/health?at=2025-12-21T12:30:00.123456%2B08:00",
    "/v1/shops/s1/health?at=2025-12-22T00:00:00-05:00&lang=zh",
    "/v1/shops/s1/health?at=2025-12-01T00:00:00Z&at=2025-12-30T00:00:00Z",  # the last one counts
    "/v1/shops/s1/health?at=1767225600",  # a Unix time is an instant with a zone
    "/v1/shops/s1/health?other=1",
    "/v1/shops/s1/health?at=",
    "/v1/shops/s1/health?at=yesterday",
    "/v1/shops/s1/health?at=2026-01-01T00:00:00",  # no zone
    "/v1/shops/s1/health?at=9999-12-31T23:59:59Z",
    "/v1/shops/nope/health",
    "/v1/shops/" + "a" * 64 + "/health",
    "/v1/shops/" + "a" * 65 + "/health",
    "/v1/shops/-s1/health",
    "/v1/shops/s%201/health",
    "/v1/shops/s1/health/",
    "/v1/shops//health",
    "/v1/shops/s1/healthz",
]


def _same(fast: TestClient, route: TestClient, method: str, url: str, headers: dict) -> int:
    headers = {"X-Request-ID": "same-request"} | headers  # else each answer carries its own (api/request_log.py)
    a, b = fast.request(method, url, headers=headers), route.request(method, url, headers=headers)
    assert (a.status_code, dict(a.headers), a.content) == (b.status_code, dict(b.headers), b.content), (method, url, headers)
    return a.status_code


def test_every_request_is_answered_as_the_route_answers_it(ledger, route, clock):
    clock.now = T0
    statuses = set()
    for url in URLS:
        statuses.add(_same(ledger.client, route, "GET", url, ledger.platform))
    assert statuses == {200, 404, 422}
    assert fast_of(ledger.client).cache is not None  # the fast route did answer some of them


def test_keys_and_roles_are_the_routes(ledger, route):
    # one place decides roles (`require`), on a kept answer as on a fresh one
    seller = ledger.key("seller", "s1")
    keys = [ledger.platform, ledger.operator, seller, {}, {"Authorization": "Bearer sw_nope_nope"}, {"Authorization": "Basic abc"},
            {"Authorization": "bearer " + seller["Authorization"].split(" ", 1)[1]}, {"Authorization": "Bearer"}]
    got = {}
    for key in keys:
        for shop in ("s1", "s2", "nope"):
            for _ in range(2):  # the second time the answer may be a kept one
                got[(str(key), shop)] = _same(ledger.client, route, "GET", f"/v1/shops/{shop}/health", key)
    assert got[(str(seller), "s1")] == 200 and got[(str(seller), "s2")] == 403 and got[(str({}), "s1")] == 401


def test_other_methods_and_bodies_go_to_the_route(ledger, route):
    for method in ("HEAD", "POST", "PUT", "DELETE"):
        _same(ledger.client, route, method, "/v1/shops/s1/health", ledger.platform)
    big = dict(ledger.platform) | {"content-length": str(2 << 20)}
    assert ledger.client.get("/v1/shops/s1/health", headers=big).status_code == 413  # BodyLimit still stands in front


def test_the_route_stays_in_the_openapi(ledger):
    doc = ledger.client.get("/openapi.json").json()
    op = doc["paths"]["/v1/shops/{shop_id}/health"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"shop_id", "at"} and op["security"] == [{"bearer": []}]


def test_composed_bytes_are_fastjsons(ledger, ctx):
    who = Principal("t", "platform", None)
    for at in (None, T0, T0.replace(microsecond=123456)):
        doc = health.health(ctx, who, "s1", at).as_json()
        assert body(parts(doc), doc["at"]) == dumps(doc)


def test_answers_are_kept_and_reused_on_sqlite(ledger, ctx):
    for _ in range(3):
        assert ledger.call("GET", "/v1/shops/s1/health").status_code == 200
    cache = fast_of(ledger.client).cache
    if ctx.db.embedded:
        assert (cache.misses, cache.hits) == (1, 2)
    else:  # PostgreSQL cannot say whether anyone committed: every request reads and folds
        assert cache.commits is None and cache.hits == 0
