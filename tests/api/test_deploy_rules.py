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
