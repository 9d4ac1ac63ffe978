"""Webhooks (issue 20, API.md "Operating it") against a real receiver on loopback: registration
refused with what is allowed, a sanction caused through the API delivered with a valid signature,
a failing receiver retried with back-off and the delivery kept and re-sendable, no redirect followed."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from loopback_receiver import Receiver

from shopwarden.core import webhooks as hooks
from shopwarden.service.webhooks import Dispatcher

SECRET = "s" * 20 + "-webhook-secret-0123"  # 40 characters


@pytest.fixture
def receiver():
    made = []

    def make(**kw) -> Receiver:
        made.append(Receiver(**kw))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def hosts(monkeypatch):
    monkeypatch.setenv("SHOPWARDEN_WEBHOOK_HOSTS", "127.0.0.1")
    monkeypatch.setenv("SHOPWARDEN_WEBHOOK_DISPATCH", "off")  # these tests run the dispatcher by hand


def register(api, url: str, events=("sanction.started",), **kw) -> dict:
    r = api.call("POST", "/v1/webhooks", json={"url": url, "events": list(events), "secret": SECRET} | kw)
    assert r.status_code == 201, r.text
    return r.json()


def sanction(api, clock, shop: str) -> None:
    """TT-PTS-3: a general missing-qualifications violation (12 points) starts no_campaigns."""
    api.shop(shop)
    api.violation(shop, type="missing_qualifications", severity="general", issued_at=clock.now.isoformat())


def test_registration_refused_with_what_is_allowed(api, hosts, receiver):
    url = receiver().url
    cases = {
        "url": {"url": "http://elsewhere.example/hooks"},
        "secret": {"secret": "too-short"},
        "events": {"events": ["sanction.started", "shop.exploded"]},
    }
    for field, change in cases.items():
        r = api.call("POST", "/v1/webhooks", json={"url": url, "events": ["sanction.started"], "secret": SECRET} | change)
        assert r.status_code == 422, r.text
        problem = r.json()
        assert [e["field"] for e in problem["errors"]] == [field]
        message = problem["errors"][0]["message"]
        assert {"url": "127.0.0.1", "secret": "32 to 256", "events": "sanction.lifted"}[field] in message  # what is allowed
    assert api.call("GET", "/v1/webhooks").json() == []  # nothing stored


def test_no_host_may_be_registered_unless_the_operator_allows_it(api, monkeypatch, receiver):
    monkeypatch.delenv("SHOPWARDEN_WEBHOOK_HOSTS", raising=False)
    r = api.call("POST", "/v1/webhooks", json={"url": receiver().url, "events": ["sanction.started"], "secret": SECRET})
    assert r.status_code == 422 and "SHOPWARDEN_WEBHOOK_HOSTS" in r.json()["errors"][0]["message"]


def test_only_platform_and_operator_keys_manage_webhooks(api, hosts, receiver):
    api.shop("s-wh-roles")
    seller = api.key("seller", "s-wh-roles")
    assert api.call("POST", "/v1/webhooks", seller, json={"url": receiver().url, "events": ["sanction.started"], "secret": SECRET}).status_code == 403
    assert api.call("GET", "/v1/webhooks", seller).status_code == 403
    r = api.call("POST", "/v1/webhooks", api.operator, json={"url": receiver().url, "events": ["sanction.started"], "secret": SECRET})
    assert r.status_code == 201 and api.call("GET", "/v1/webhooks", api.operator).json() == [r.json()]


def test_a_sanction_reaches_the_receiver_signed(api, monkeypatch, receiver, clock):
    """The app's own dispatcher thread (started by the registration) delivers it."""
    monkeypatch.setenv("SHOPWARDEN_WEBHOOK_HOSTS", "127.0.0.1")
    monkeypatch.delenv("SHOPWARDEN_WEBHOOK_DISPATCH", raising=False)
    rx = receiver()
    hook = register(api, rx.url, events=("sanction.started", "violation.issued"))
    assert "secret" not in hook and SECRET not in json.dumps(api.call("GET", "/v1/webhooks").json())
    sanction(api, clock, "s-wh-1")
    deadline = time.monotonic() + 20
    while len(rx.got) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    events = {json.loads(body)["event"]: (headers, body) for headers, body in rx.got}
    assert set(events) == {"violation.issued", "sanction.started"}
    headers, body = events["sanction.started"]
    assert hooks.verify(SECRET, body, headers["x-shopwarden-signature"])
    assert headers["x-shopwarden-signature"].startswith("sha256=")
    doc = json.loads(body)
    assert set(doc) == {"id", "event", "at", "data"} and doc["data"]["kind"] == "no_campaigns"
    while time.monotonic() < deadline:  # the outcome is recorded once the round's sends are done
        delivered = api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries").json()
        if {d["status"] for d in delivered} == {"delivered"}:
            break
        time.sleep(0.05)
    assert headers["x-shopwarden-delivery"] in {d["id"] for d in delivered}
    assert {d["status"] for d in delivered} == {"delivered"}


def test_a_failing_receiver_is_retried_then_kept_and_resent(api, hosts, receiver, clock):
    rx = receiver(answers=[500])
    hook = register(api, rx.url)
    sanction(api, clock, "s-wh-2")
    dispatcher = Dispatcher(api.ctx, frozenset({"127.0.0.1"}), workers=2)
    try:
        assert dispatcher.run_once() == 1
        [d] = api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries").json()
        assert d["status"] == "pending" and d["attempts"] == 1 and d["last_status"] == 500
        assert dispatcher.run_once() == 0  # not due before its back-off
        for _attempt in range(2, hooks.MAX_ATTEMPTS + 1):
            clock.now += timedelta(seconds=hooks.BACKOFF_CAP + 1)
            assert dispatcher.run_once() == 1
        [d] = api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries?status=failed").json()
        assert d["attempts"] == hooks.MAX_ATTEMPTS and d["last_error"] == "HTTP 500"
        assert len(rx.got) == hooks.MAX_ATTEMPTS
        assert len({h["x-shopwarden-delivery"] for h, _ in rx.got}) == 1 and len({b for _, b in rx.got}) == 1  # the same id and body

        rx.answers = [200]
        r = api.call("POST", f"/v1/webhooks/{hook['id']}/deliveries/{d['id']}/redeliver")
        assert r.status_code == 202 and r.json()["status"] == "pending"
        assert dispatcher.run_once() == 1
        [d] = api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries").json()
        assert d["status"] == "delivered" and d["last_status"] == 200
        headers, body = rx.got[-1]
        assert hooks.verify(SECRET, body, headers["x-shopwarden-signature"]) and body == rx.got[0][1]
    finally:
        dispatcher.stop()


def test_back_off_grows_exponentially_with_jitter():
    import random

    rng = random.Random(7)
    for attempt in range(1, 12):
        ceiling = min(hooks.BACKOFF_CAP, hooks.BACKOFF_BASE * 2 ** (attempt - 1))
        delays = [hooks.retry_delay(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(set(delays)) > 1


def test_every_failed_delivery_resent_at_once(api, hosts, receiver, clock):
    rx = receiver(answers=[503])
    hook = register(api, rx.url, events=("violation.issued",))
    api.shop("s-wh-3")
    for _ in range(2):
        api.violation("s-wh-3", issued_at=clock.now.isoformat())
    dispatcher = Dispatcher(api.ctx, frozenset({"127.0.0.1"}), workers=2)
    try:
        for _ in range(hooks.MAX_ATTEMPTS):
            dispatcher.run_once()
            clock.now += timedelta(seconds=hooks.BACKOFF_CAP + 1)
        assert len(api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries?status=failed").json()) == 2
        rx.answers = [200]
        r = api.call("POST", f"/v1/webhooks/{hook['id']}/redeliver")
        assert r.status_code == 202 and r.json()["redelivered"] == 2
        assert dispatcher.run_once() == 2
        assert {d["status"] for d in api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries").json()} == {"delivered"}
    finally:
        dispatcher.stop()


def one_round(api, hook: dict, allowed: str) -> dict:
    """One dispatcher round with `allowed` as the allowed hosts; the webhook's one delivery after it."""
    dispatcher = Dispatcher(api.ctx, frozenset({allowed}), workers=1)
    try:
        dispatcher.run_once()
    finally:
        dispatcher.stop()
    [d] = api.call("GET", f"/v1/webhooks/{hook['id']}/deliveries").json()
    return d


def test_redirects_are_not_followed(api, hosts, receiver, clock):
    elsewhere = receiver()
    rx = receiver(answers=[307], location=elsewhere.url)
    hook = register(api, rx.url)
    sanction(api, clock, "s-wh-4")
    d = one_round(api, hook, "127.0.0.1")
    assert d["last_status"] == 307 and d["last_error"] == "redirect not followed" and elsewhere.got == []


def test_a_host_no_longer_allowed_is_not_called(api, hosts, receiver, clock):
    rx = receiver()
    hook = register(api, rx.url)
    sanction(api, clock, "s-wh-5")
    d = one_round(api, hook, "hooks.example")
    assert d["status"] == "failed" and "no longer allowed" in d["last_error"] and rx.got == []


def test_events_before_registration_are_not_sent_and_deleted_webhooks_get_nothing(api, hosts, receiver, clock):
    rx = receiver()
    sanction(api, clock, "s-wh-6")  # before any webhook
    hook = register(api, rx.url, events=("violation.issued",))
    dispatcher = Dispatcher(api.ctx, frozenset({"127.0.0.1"}), workers=1)
    try:
        assert dispatcher.run_once() == 0
        assert api.call("DELETE", f"/v1/webhooks/{hook['id']}").status_code == 204
        assert api.call("GET", f"/v1/webhooks/{hook['id']}").status_code == 404
        api.violation("s-wh-6", issued_at=clock.now.isoformat())
        assert dispatcher.run_once() == 0
    finally:
        dispatcher.stop()
    assert rx.got == [] and api.call("GET", "/v1/webhooks").json() == []


def test_two_dispatchers_send_each_delivery_once(api, hosts, receiver, clock):
    rx = receiver()
    register(api, rx.url, events=("violation.issued",))
    api.shop("s-wh-7")
    for _ in range(5):
        api.violation("s-wh-7", issued_at=clock.now.isoformat())
    one, two = (Dispatcher(api.ctx, frozenset({"127.0.0.1"}), workers=2) for _ in range(2))
    try:
        threads = [threading.Thread(target=d.run_once) for d in (one, two)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        one.stop()
        two.stop()
    ids = [h["x-shopwarden-delivery"] for h, _ in rx.got]
    assert len(ids) == 5 == len(set(ids))
