"""Webhooks as a user runs the server (issue 20's check): `shopwarden serve` (and `make run`'s
demo-serve) in a process of its own, nothing else started; a receiver on loopback registered over
REST; a sanction caused over REST; the delivery arrives signed (HMAC-SHA256 over the raw body,
checked here with the standard library alone) with its delivery id, is listed as delivered, and the
server's /metrics counts it and the sanction."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest
from loopback_receiver import Receiver

CLI = [sys.executable, "-m", "shopwarden.cli.main"]
SECRET = "a-receiver-secret-of-40-characters-000000"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _started(command: list[str], env: dict, log_path) -> tuple[subprocess.Popen, str]:
    port = _port()
    log = open(log_path, "w")  # noqa: SIM115 - the child process writes to it for as long as it runs
    proc = subprocess.Popen(CLI + command + ["--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail(f"{command[0]} did not start: " + log_path.read_text())


@pytest.fixture(params=["serve", "demo-serve"])
def server(request, tmp_path):
    """`serve` with the receiver's host allowed by the operator, or `make run`'s demo-serve as it comes."""
    env = os.environ | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'hooks.db'}", "COLUMNS": "200"}
    env.pop("SHOPWARDEN_WEBHOOK_DISPATCH", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if request.param == "serve":
        env["SHOPWARDEN_WEBHOOK_HOSTS"] = "127.0.0.1"
        key = subprocess.run(CLI + ["keys", "create", "--role", "platform"], env=env, capture_output=True, text=True, check=True).stdout.strip()
        proc, base = _started(["serve"], env, tmp_path / "serve.log")
    else:
        env.pop("SHOPWARDEN_WEBHOOK_HOSTS", None)
        proc, base = _started(["demo-serve"], env, tmp_path / "serve.log")
        key = re.search(r"platform key: (sw_\S+)", (tmp_path / "serve.log").read_text()).group(1)
    yield base, {"Authorization": f"Bearer {key}"}
    proc.terminate()
    proc.wait(10)


def test_a_sanction_is_delivered_signed_by_the_server_as_run(server):
    base, key = server
    rx = Receiver()
    try:
        c = httpx.Client(base_url=base, headers=key, timeout=10)
        r = c.post("/v1/webhooks", json={"url": rx.url, "events": ["sanction.started"], "secret": SECRET})
        assert r.status_code == 201, r.text
        hook = r.json()
        assert c.put("/v1/shops/wh-shop", json={"name": "WH", "kind": "enterprise", "policy": "tiktok-shop"}).status_code in (200, 201)
        # TT-PTS-3: a general missing-qualifications violation (12 points) starts no_campaigns
        v = c.post("/v1/violations", json={"shop_id": "wh-shop", "type": "missing_qualifications", "severity": "general",
                                           "evidence": [{"kind": "text", "value": "no licence shown"}]})
        assert v.status_code == 201, v.text
        deadline = time.monotonic() + 30
        while not rx.got and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(rx.got) == 1, "no delivery reached the receiver"
        headers, raw = rx.got[0]
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(expected, headers["x-shopwarden-signature"])
        doc = json.loads(raw)
        assert doc["event"] == "sanction.started" and doc["data"]["shop_id"] == "wh-shop" and doc["data"]["kind"] == "no_campaigns"
        delivery = headers["x-shopwarden-delivery"]
        while time.monotonic() < deadline:  # the outcome is recorded just after the answer
            listed = {d["id"]: d for d in c.get(f"/v1/webhooks/{hook['id']}/deliveries").json()}
            if listed.get(delivery, {}).get("status") == "delivered":
                break
            time.sleep(0.1)
        assert listed[delivery]["status"] == "delivered"
        figures = c.get("/metrics").text
        assert re.search(r'^shopwarden_webhook_deliveries_total\{outcome="delivered"\} [1-9]', figures, re.M)
        assert re.search(r'^shopwarden_measures_total\{kind="sanction.no_campaigns"\} [1-9]', figures, re.M)
    finally:
        rx.close()
