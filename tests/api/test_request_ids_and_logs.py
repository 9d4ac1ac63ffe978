"""Request ids and JSON log lines (issue 20): every answer carries `X-Request-ID` (a sane incoming
one kept), problem documents name it, and no key, secret, Authorization header or personal data
reaches a log line — captured from requests that carry them, a 500 among them."""

from __future__ import annotations

import io
import json
import logging

import pytest

from shopwarden.api.logs import JsonFormatter, redact

SECRET = "hush-hush-webhook-secret-0123456789abcdef"
EMAIL = "buyer.name@example.com"


@pytest.fixture
def lines():
    """Every log line written while the test runs, through the serving formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # every request's line (a success is logged at DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old)


def test_a_request_id_is_made_returned_and_put_in_problems(api):
    r = api.call("GET", "/v1/shops/nope/health")
    rid = r.headers["x-request-id"]
    assert len(rid) == 32 and r.json()["request_id"] == rid
    assert api.call("GET", "/v1/shops/nope/health").headers["x-request-id"] != rid
    assert api.client.get("/healthz").headers["x-request-id"]


def test_a_sane_incoming_id_is_kept_and_any_other_replaced(api):
    kept = api.call("GET", "/v1/violations/nope", {"X-Request-ID": "lb-7f3a.91:2"} | api.platform)
    assert kept.headers["x-request-id"] == "lb-7f3a.91:2" and kept.json()["request_id"] == "lb-7f3a.91:2"
    for insane in ("has spaces in it", "x" * 129, "<script>", ""):
        r = api.client.get("/v1/violations/nope", headers={"X-Request-ID": insane} | api.platform)
        assert r.headers["x-request-id"] != insane and len(r.headers["x-request-id"]) == 32


def test_log_lines_are_json_with_the_request_id_and_no_secrets(api, lines, monkeypatch):
    monkeypatch.setenv("SHOPWARDEN_WEBHOOK_HOSTS", "hooks.example")
    monkeypatch.setenv("SHOPWARDEN_WEBHOOK_DISPATCH", "off")
    key = api.platform["Authorization"].removeprefix("Bearer ")

    @api.client.app.get("/v1/boom-for-the-test")
    def boom():
        raise RuntimeError(f"failed for {key} with secret={SECRET} of {EMAIL}")

    sent = [
        api.call("POST", "/v1/webhooks", json={"url": "http://hooks.example/in", "events": ["sanction.started"], "secret": SECRET}),
        api.call("POST", "/v1/webhooks", json={"url": "http://other.example/in", "events": ["sanction.started"], "secret": SECRET}),
        api.call("GET", f"/v1/shops/{EMAIL}/health"),
        api.client.get("/v1/shops/s1/health?token=" + SECRET, headers={"Authorization": f"Bearer {key}x", "Cookie": f"sw_session={SECRET}"}),
        api.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "nope", "text": f"mail me at {EMAIL}"}),
        api.call("GET", "/v1/boom-for-the-test"),
    ]
    assert [r.status_code for r in sent] == [201, 422, 422, 401, 404, 500]
    assert sent[-1].json()["request_id"] == sent[-1].headers["x-request-id"]  # a 500 is traceable too
    logged = lines()
    access = [line for line in logged if line["logger"] == "shopwarden.access"]
    assert [line["request_id"] for line in access] == [r.headers["x-request-id"] for r in sent]
    assert [line["level"] for line in access] == ["debug", "info", "info", "info", "info", "error"]  # every problem at INFO or above
    assert access[0] | {"time": "", "duration_ms": 0} == {"time": "", "level": "debug", "logger": "shopwarden.access", "message": "POST /v1/webhooks 201",
                                                          "request_id": sent[0].headers["x-request-id"], "method": "POST", "route": "/v1/webhooks",
                                                          "status": 201, "duration_ms": 0}
    error = next(line for line in logged if line["level"] == "error")
    assert "RuntimeError" in error["error"] and error["request_id"] == sent[-1].headers["x-request-id"]
    text = "\n".join(json.dumps(line) for line in logged)
    for never in (key, key.split("_", 2)[2], SECRET, EMAIL, "Bearer", "sw_session"):
        assert never not in text, never


def test_redaction_strikes_out_keys_tokens_secrets_and_addresses():
    text = 'key sw_ab12_Zx-9_q Authorization: Bearer abc.def {"secret": "p@ss w"} password=hunter2 to a.b@c.io; sent Basic dXNlcjpw'
    assert redact(text) == "key [redacted] [redacted] {[redacted]} [redacted] to [redacted]; sent [redacted]"
