"""/metrics and /readyz (issue 20, API.md "Operating it"): request figures by route template and
status, findings by rule and decision, the operator queues read at scrape time, every worker's
figures in multi-process mode; readiness naming what is down."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from shopwarden.api.app import create_app
from shopwarden.service.context import Context
from shopwarden.store.db import Database


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def samples(api) -> dict[tuple[str, tuple], float]:
    r = api.client.get("/metrics")  # no key: API.md
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in text_string_to_metric_families(r.text) for s in f.samples}


def value(figures: dict, name: str, **labels) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_by_route_template_never_the_raw_path(api):
    api.shop("s-metrics-1")
    before = samples(api)
    for shop in ("s-metrics-1", "nope-1", "nope-2"):
        api.call("GET", f"/v1/shops/{shop}/health")
    api.call("GET", "/v1/violations/nope-3")
    api.client.get("/no/such/route")
    after = samples(api)
    health = "/v1/shops/{shop_id}/health"  # one histogram by route, method and status: its _count is the request count
    assert value(after, "shopwarden_http_request_duration_seconds_count", route=health, method="GET", status="200") - \
        value(before, "shopwarden_http_request_duration_seconds_count", route=health, method="GET", status="200") == 1
    assert value(after, "shopwarden_http_request_duration_seconds_count", route=health, method="GET", status="404") - \
        value(before, "shopwarden_http_request_duration_seconds_count", route=health, method="GET", status="404") == 2
    assert value(after, "shopwarden_http_request_duration_seconds_count", route="/v1/violations/{violation_id}", method="GET", status="404") >= 1
    assert value(after, "shopwarden_http_request_duration_seconds_count", route="unmatched", method="GET", status="404") >= 1
    routes = {dict(labels).get("route") for name, labels in after if name == "shopwarden_http_request_duration_seconds_count"}
    assert not any("nope" in (r or "") or "s-metrics" in (r or "") for r in routes), routes


def test_findings_are_counted_by_rule_and_decision(api):
    api.shop("s-metrics-2")
    before = samples(api)
    r = api.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "s-metrics-2", "text": "加我微信 wx13812345678 私下交易更便宜"})
    assert r.status_code == 200, r.text
    found = [(f["rule"], f["decision"]) for f in r.json()["findings"]]
    assert found
    after = samples(api)
    for rule, decision in set(found):
        grew = value(after, "shopwarden_findings_total", rule=rule, decision=decision) - value(before, "shopwarden_findings_total", rule=rule, decision=decision)
        assert grew == found.count((rule, decision))


def test_every_measure_is_counted_once_by_kind_when_it_commits(api, clock):
    """A sanction the fold starts from the ledger counts once (TT-PTS-3: 12 points start no_campaigns);
    a later write that folds the ledger again (TT-PTS-5: the sanction runs on) counts nothing more."""
    api.shop("s-measures-1")
    kind = "sanction.no_campaigns"
    before = value(samples(api), "shopwarden_measures_total", kind=kind)
    api.violation("s-measures-1", type="missing_qualifications", severity="general", issued_at=clock.now.isoformat())
    assert value(samples(api), "shopwarden_measures_total", kind=kind) - before == 1
    api.violation("s-measures-1", issued_at=clock.now.isoformat())  # 4 more points: no threshold crossed
    assert value(samples(api), "shopwarden_measures_total", kind=kind) - before == 1


def test_a_measure_rolled_back_is_not_counted(ctx, clock):
    """Counted after the commit: a transaction that stated a sanction and then failed counts nothing."""
    from prometheus_client import REGISTRY

    from shopwarden.service import shops
    from shopwarden.service.auth import Principal
    from shopwarden.service.violations import ViolationInput, issue

    platform = Principal("k", "platform", None)
    shops.put_shop(ctx, platform, "s-measures-2", "S", "enterprise", "tiktok-shop")
    def counted() -> float:
        return REGISTRY.get_sample_value("shopwarden_measures_total", {"kind": "sanction.no_campaigns"}) or 0.0

    before = counted()

    def fail(session):
        raise RuntimeError("the commit fails")

    ctx.db.before_commit["fail"] = fail  # after the statements' hook, which has stated the sanction by then
    try:
        with pytest.raises(RuntimeError):
            issue(ctx, platform, ViolationInput(shop_id="s-measures-2", type="missing_qualifications", severity="general",
                                                issued_at=clock.now, evidence=[{"kind": "text", "value": "x"}]))
    finally:
        del ctx.db.before_commit["fail"]
    assert counted() == before


def test_measures_of_every_process_are_summed(tmp_path):
    """Multiprocess mode: two processes each start a sanction on their own shop; one scrape sums them."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path}/m.db"}
    (tmp_path / "metrics").mkdir()
    script = ("import os\nfrom datetime import datetime, timezone\nfrom shopwarden.service import shops\n"
              "from shopwarden.service.auth import Principal\nfrom shopwarden.service.context import open_context\n"
              "from shopwarden.service.violations import ViolationInput, issue\n"
              "ctx = open_context(os.environ['SHOPWARDEN_DATABASE_URL']); p = Principal('k', 'platform', None)\n"
              "shops.put_shop(ctx, p, '{shop}', 'S', 'enterprise', 'tiktok-shop')\n"
              "issue(ctx, p, ViolationInput(shop_id='{shop}', type='missing_qualifications', severity='general',"
              " issued_at=datetime.now(timezone.utc), evidence=[{{'kind': 'text', 'value': 'x'}}]))\n")
    for shop in ("s-mp-1", "s-mp-2"):
        subprocess.run([sys.executable, "-c", script.format(shop=shop)], env=env, check=True)
    scrape = ("from prometheus_client import CollectorRegistry, generate_latest; from prometheus_client.multiprocess import MultiProcessCollector;"
              "r = CollectorRegistry(); MultiProcessCollector(r); print(generate_latest(r).decode())")
    out = subprocess.run([sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True).stdout
    assert 'shopwarden_measures_total{kind="sanction.no_campaigns"} 2.0' in out


def test_open_queue_items_and_sla_breaches_are_read_at_scrape_time(api, clock):
    # DY-APL-1: an appeal waits at most 5 working days on the douyin pack.
    api.shop("s-metrics-3", policy="douyin")
    v = api.violation("s-metrics-3", type="unreasonable_pricing", severity="general", issued_at=(clock.now - timedelta(days=1)).isoformat())
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"reason": "价格属实", "evidence": [{"kind": "text", "value": "price list"}]})
    assert a.status_code == 201, a.text
    now = samples(api)
    assert value(now, "shopwarden_queue_open_items", queue="appeal") == 1
    assert value(now, "shopwarden_queue_sla_breaches", queue="appeal") == 0
    clock.now += timedelta(days=3)
    assert value(samples(api), "shopwarden_queue_sla_breaches", queue="appeal") == 0  # within 5 working days
    clock.now += timedelta(days=10)
    later = samples(api)
    assert value(later, "shopwarden_queue_sla_breaches", queue="appeal") == 1
    assert value(later, "shopwarden_queue_oldest_item_age_seconds", queue="appeal") >= 13 * 86400


def test_every_workers_figures_in_multiprocess_mode(tmp_path):
    """Two processes count requests into PROMETHEUS_MULTIPROC_DIR; a third scrapes the sum."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from shopwarden import metrics\nfor _ in range({n}): metrics.HTTP_SECONDS.labels('/x', 'GET', '200').observe(0.01)"
    for n in (2, 3):
        subprocess.run([sys.executable, "-c", count.format(n=n)], env=env, check=True)
    scrape = ("from prometheus_client import CollectorRegistry, generate_latest; from prometheus_client.multiprocess import MultiProcessCollector;"
              "r = CollectorRegistry(); MultiProcessCollector(r); print(generate_latest(r).decode())")
    out = subprocess.run([sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True).stdout
    assert 'shopwarden_http_request_duration_seconds_count{method="GET",route="/x",status="200"} 5.0' in out


def test_readyz_answers_when_the_database_does(api, monkeypatch):
    monkeypatch.delenv("SHOPWARDEN_NATS_URL", raising=False)
    r = api.client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready", "checks": {"database": "ok"}}
    assert api.client.get("/healthz").status_code == 200


def test_readyz_names_nats_when_configured_and_silent(api, monkeypatch, unused_port):
    monkeypatch.setenv("SHOPWARDEN_NATS_URL", f"nats://127.0.0.1:{unused_port}")
    r = api.client.get("/readyz")
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["down"] == ["nats"] and "nats" in r.json()["detail"] and r.json()["request_id"] == r.headers["x-request-id"]


def test_readyz_names_the_database_when_it_does_not_answer(unused_port, monkeypatch):
    monkeypatch.delenv("SHOPWARDEN_NATS_URL", raising=False)
    gone = Context(db=Database(f"postgresql://nobody@127.0.0.1:{unused_port}/none"), packs={})
    client = TestClient(create_app(gone), raise_server_exceptions=False)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["down"] == ["database"]
    assert client.get("/healthz").status_code == 200  # liveness is not readiness
