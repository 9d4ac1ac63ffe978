"""Every time a client can send, on every route that takes one (read from the OpenAPI document):
never a 5xx, and an instant the engine cannot represent is a 422 naming the field (core/instants.py).

The health read is answered ahead of FastAPI (api/fast_health.py); it is among the routes here,
and `test_the_fast_health_path_refuses_too` checks that path on its own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopwarden.api.app import create_app
from shopwarden.service.auth import Principal, create_key
from shopwarden.service.context import Context
from shopwarden.service.policies import load_builtin_packs
from shopwarden.service.shops import put_shop
from shopwarden.store.db import Database

_dir = tempfile.mkdtemp(prefix="sw-instants-")
_ctx = Context(db=Database(f"sqlite:///{Path(_dir) / 'instants.db'}"), packs=dict(load_builtin_packs()))
_ctx.db.upgrade()
put_shop(_ctx, Principal("t", "platform", None), "s1", "Shop", "enterprise", "tiktok-shop")
APP = create_app(_ctx)
KEY = {"Authorization": f"Bearer {create_key(_ctx, 'platform')}"}
CLIENT = TestClient(APP, raise_server_exceptions=False)
EXTREMES = ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59.999999-23:59", "0001-01-01T00:00:00+23:59")


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _time_paths(schema: dict, doc: dict, seen: frozenset = frozenset()) -> list[tuple[tuple, Callable]]:
    """Each date-time inside a body schema: its path, and a function making a body with a value there
    (with the constants, such as `kind`, that select its branch of a union)."""
    ref = schema.get("$ref")
    if ref is not None and ref in seen:
        return []
    schema, seen = _resolve(schema, doc), seen | {ref} - {None}
    if schema.get("format") == "date-time":
        return [((), lambda v: v)]
    found = []
    for alt in schema.get("anyOf", []) + schema.get("oneOf", []):
        found += _time_paths(alt, doc, seen)
    if schema.get("type") == "array" and "items" in schema:
        found += [((0, *p), lambda v, b=b: [b(v)]) for p, b in _time_paths(schema["items"], doc, seen)]
    props = schema.get("properties", {})
    consts = {k: v["const"] for k, v in props.items() if "const" in v}
    consts |= {k: v["enum"][0] for k, v in props.items() if len(v.get("enum", [])) == 1}
    for name, sub in props.items():
        found += [((name, *p), lambda v, b=b, name=name: {**consts, name: b(v)}) for p, b in _time_paths(sub, doc, seen)]
    return found


def _targets() -> list[tuple[str, str, str, tuple]]:
    """(method, path, "query" or "body", field path, body maker) for every date-time a route takes."""
    doc = APP.openapi()
    out = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                if "date-time" in str(p.get("schema")):
                    out.append((method.upper(), path, "query", (p["name"],), None))
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            if body:
                for fp, build in _time_paths(body["schema"], doc):
                    out.append((method.upper(), path, "body", fp, build))
    return out


TARGETS = _targets()


def _send(target: tuple, value: object):
    method, path, where, field, build = target
    url = path.replace("{", "").replace("}", "")  # {shop_id} -> shop_id, a valid id
    url = url.replace("shop_id", "s1")
    if where == "query":
        return CLIENT.request(method, url, params={field[0]: value}, headers=KEY)
    return CLIENT.request(method, url, json=build(value), headers=KEY)


def _id(target: tuple) -> str:
    return f"{target[0]} {target[1]} {'.'.join(map(str, target[3]))}"


def test_the_routes_taking_times_are_found():
    found = {(m, p) for m, p, *_ in TARGETS}
    for route in [("GET", "/v1/shops/{shop_id}/health"), ("GET", "/v1/shops/{shop_id}/notices"), ("POST", "/v1/violations"),
                  ("POST", "/v1/rectification/sweep"), ("GET", "/v1/products/{product_id}/rating"), ("POST", "/v1/orders"),
                  ("POST", "/v1/scan")]:
        assert route in found
    assert len(TARGETS) >= 20


_offsets = st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)).map(
    lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1))))
_edge_days = st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999), datetime(1970, 1, 1),
                              datetime(1969, 12, 31, 23, 59, 59), datetime(2199, 12, 31, 23, 59, 59), datetime(2200, 1, 1)])
_aware = st.builds(lambda t, z: t.replace(tzinfo=z).isoformat(), st.one_of(_edge_days, st.datetimes()), _offsets)
_odd = st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "2016-12-31T23:59:60Z", "+10000-01-01T00:00:00Z", "99999-01-01T00:00:00Z",
                        "2026-03-01T08:00:00", "2026-03-01", "2026-03-01T08:00:00+24:00", "1e400", "-1", "99999999999999999999",
                        "9999-12-31T23:59:59.9999999Z", "", " ", "\x00", "2026-02-30T00:00:00Z", "T", "0000-01-01T00:00:00Z"])
INSTANTS = st.one_of(_aware, _odd, st.datetimes().map(datetime.isoformat), st.text(max_size=40))
JSON_ONLY = st.one_of(st.integers(min_value=-(2**80), max_value=2**80), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none())


@pytest.mark.parametrize("target", TARGETS, ids=_id)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=INSTANTS)
def test_no_time_gives_a_5xx(target, value):
    r = _send(target, value)
    assert r.status_code < 500, (value, r.status_code, r.text[:300])


@pytest.mark.parametrize("target", [t for t in TARGETS if t[2] == "body"], ids=_id)
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=JSON_ONLY)
def test_no_json_value_in_a_time_gives_a_5xx(target, value):
    r = _send(target, value)
    assert r.status_code < 500, (value, r.status_code, r.text[:300])


@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize("target", TARGETS, ids=_id)
def test_an_instant_past_year_9999_or_before_year_1_is_a_422_naming_the_field(target, value):
    r = _send(target, value)
    assert r.status_code == 422, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    leaf = target[3][-1]
    named = [e for e in r.json()["errors"] if e["field"].split(".")[-1] == leaf]
    assert named, r.json()
    assert "1970-01-01" in named[0]["message"] and "2200-01-01" in named[0]["message"]


@pytest.mark.parametrize("value", [*EXTREMES, "2200-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2016-12-31T23:59:60Z", "NaN", "2026-03-01T08:00:00"])
def test_the_fast_health_path_refuses_too(value):
    r = CLIENT.get("/v1/shops/s1/health", params={"at": value}, headers=KEY)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "at"


@pytest.mark.parametrize("value", ["1970-01-01T00:00:00Z", "2199-12-31T23:59:59.999999Z", "2200-01-01T13:59:59+14:00", "1969-12-31T19:00:00-05:00"])
def test_the_edges_themselves_are_answered(value):
    r = CLIENT.get("/v1/shops/s1/health", params={"at": value}, headers=KEY)
    assert r.status_code == 200, r.text
