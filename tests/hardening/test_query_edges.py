"""Every GET of the served OpenAPI, each query parameter sent odd values (empty, negative, huge, NUL, a naive or
impossible timestamp, full-width and over-long text, JSON-looking strings) and each numeric bound at its edge and one
past it, and every path id sent odd characters: never a 5xx, and every refusal a problem document. On SQLite and
PostgreSQL (the `api` fixture runs both). Deterministic: a fixed list of values, walked in the document's order."""

from __future__ import annotations

import pytest

ODD = ("", "0", "-1", "abc", "1e3", "99999999999999999999999", "9223372036854775807", "\x00", "a\x00b", "é", "ＡＢＣ", "a" * 300,
       "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00+25:00", "null", "[]", "true", "../x")
ODD_PATH = ("%00", "a%00b", "%C3%A9", "%EF%BC%A1", "a%2Fb", "a" * 300, "%E2%80%AE", "%20", "..")


def _gets(api) -> list[tuple[str, list[dict]]]:
    doc = api.client.get("/openapi.json").json()
    return [(path, ops["get"].get("parameters", [])) for path, ops in doc["paths"].items() if path.startswith("/v1/") and "get" in ops]


def _refusal_or_answer(r, what) -> None:
    assert r.status_code < 500, (what, r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json"), (what, r.status_code)


def _fill(path: str, params: list[dict]) -> str:
    for p in params:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", "s1")
    return path


def _values(schema: dict) -> list:
    out: list = list(ODD)
    for option in [schema, *schema.get("anyOf", [])]:
        if "maximum" in option:
            out += [option["maximum"], option["maximum"] + 1]
        if "minimum" in option:
            out += [option["minimum"], option["minimum"] - 1]
        if "maxLength" in option:
            out += ["a" * option["maxLength"], "a" * (option["maxLength"] + 1)]
    return out


def test_no_query_value_gives_a_server_error(api):
    # rule API.md "Errors": a clear 4xx for every bad input, never a 500 (found: /v1/statements?after=9223372036854775807 and
    # /v1/misuse-actions?party_id=%00 answered 500 on PostgreSQL)
    api.shop("s1")
    sent = 0
    for path, params in _gets(api):
        url = _fill(path, params)
        for p in (p for p in params if p["in"] == "query"):
            for value in _values(p.get("schema", {})):
                _refusal_or_answer(api.call("GET", url, params={p["name"]: value}), (url, p["name"], value))
                sent += 1
    assert sent > 500  # the walk reached the document's list endpoints


def test_no_odd_path_id_gives_a_server_error(api):
    api.shop("s1")
    for path, params in _gets(api):
        for name in (p["name"] for p in params if p["in"] == "path"):
            for value in ODD_PATH:
                url = _fill(path.replace("{" + name + "}", value), params)
                _refusal_or_answer(api.call("GET", url), (url, name))


def test_the_statements_cursor_takes_any_64_bit_sequence(api):
    # rule API.md "Statements of reasons": `after` is the previous page's `next`; the column is a 32-bit serial on PostgreSQL,
    # and a cursor past it is an empty page, not a failed cast
    for url in ("/v1/statements", "/v1/statements/export"):
        r = api.call("GET", url, params={"after": 2**63 - 1})
        assert r.status_code == 200, r.text
        r = api.call("GET", url, params={"after": 2**63})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "after"


@pytest.mark.parametrize("party_id", ["\x00", "a\x00b", "shop:s1\x00", " shop:s1"])
def test_a_misuse_party_id_is_an_id(api, party_id):
    # rule DSA Art. 23: a party is a notifier's id or shop:<id> / creator:<id>; anything else is a 422 naming the parameter
    r = api.call("GET", "/v1/misuse-actions", params={"party_kind": "notifier", "party_id": party_id})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "party_id", r.text
    assert api.call("GET", "/v1/misuse-actions", params={"party_kind": "complainant", "party_id": "shop:s1"}).status_code == 200
