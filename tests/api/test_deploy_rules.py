"""deploy/ (issue 20): the alert rules and the Grafana dashboard parse, and every metric they query
is one /metrics exports — a renamed metric fails here, not silently on the on-call's screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SUFFIXES = ("", "_total", "_bucket", "_count", "_sum")


def exported(api) -> set[str]:
    text = api.client.get("/metrics").text
    families = set(re.findall(r"^# HELP (shopwarden_\w+) ", text, re.M))
    return {f + s for f in families for s in SUFFIXES}


def test_alert_rules_and_dashboard_query_only_exported_metrics(api):
    rules = YAML(typ="safe").load((DEPLOY / "prometheus" / "shopwarden-alerts.yml").read_text())["groups"][0]["rules"]
    dashboard = json.loads((DEPLOY / "grafana" / "shopwarden-dashboard.json").read_text())
    exprs = [r["expr"] for r in rules] + [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {name for e in exprs for name in re.findall(r"shopwarden_\w+", e)}
    assert used and used <= exported(api), sorted(used - exported(api))
    alerts = {r["alert"] for r in rules}
    assert {"ShopwardenConsumerLag", "ShopwardenHigh5xxRate", "ShopwardenQueueSlaBreached", "ShopwardenDetectorBlockRateJump"} <= alerts


def test_every_metric_they_query_is_incremented_somewhere():
    """Exported is not enough: a metric defined in shopwarden/metrics.py that no code increments would
    sit at zero on the dashboard. Each one queried is changed (inc/observe/set) outside its definition,
    or is read from the database at scrape time (api/metrics.py's collector). The behaviour behind each
    is tested where it happens: tests/api/test_metrics_readiness.py (requests, findings, measures,
    queues), tests/consume/test_consume_metrics.py (events, lag), tests/cli/test_webhook_served.py."""
    from prometheus_client.metrics import MetricWrapperBase

    from shopwarden import metrics

    rules = YAML(typ="safe").load((DEPLOY / "prometheus" / "shopwarden-alerts.yml").read_text())["groups"][0]["rules"]
    dashboard = json.loads((DEPLOY / "grafana" / "shopwarden-dashboard.json").read_text())
    exprs = [r["expr"] for r in rules] + [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {re.sub(r"_(total|bucket|count|sum)$", "", name) for e in exprs for name in re.findall(r"shopwarden_\w+", e)}
    defined = {m.describe()[0].name: attr for attr, m in vars(metrics).items() if isinstance(m, MetricWrapperBase)}
    src = DEPLOY.parent / "src" / "shopwarden"
    code = "\n".join(p.read_text() for p in src.rglob("*.py") if p != src / "metrics.py")
    collected = set(re.findall(r"GaugeMetricFamily\(\s*\"(shopwarden_\w+)\"", (src / "api" / "metrics.py").read_text()))
    idle = []
    for name in sorted(used):
        if name in collected:
            continue
        attr = defined.get(name)
        if attr is None or not re.search(rf"metrics\.{attr}\b[\w.()'\", \[\]-]*\.(inc|observe|set)\(|= metrics\.{attr}\.labels\(", code):
            idle.append(name)
    assert not idle, f"queried but never incremented: {idle}"
