"""`make run`'s path end to end in subprocesses: a new database, the demo, keys, every endpoint; and the CLI."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CLI = [sys.executable, "-m", "shopwarden.cli.main"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path) -> dict:
    return os.environ | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}


@pytest.fixture
def demo_server(tmp_path):
    port, db = _port(), tmp_path / "demo.db"
    log = (tmp_path / "out.txt").open("w")
    proc = subprocess.Popen(CLI + ["demo-serve", "--port", str(port)], env=_env(db), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("demo server did not start: " + (tmp_path / "out.txt").read_text())
    yield base, db, (tmp_path / "out.txt").read_text()
    proc.terminate()
    proc.wait(10)


def test_demo_serves_every_endpoint_of_the_contract(demo_server):
    base, db, printed = demo_server
    key = re.search(r"platform key: (sw_\S+)", printed).group(1)
    h = {"Authorization": f"Bearer {key}"}
    c = httpx.Client(base_url=base, headers=h, timeout=10)
    assert c.get("/openapi.json").status_code == 200
    assert {p["id"] for p in c.get("/v1/policies").json()} >= {"tiktok-shop", "douyin", "shopee"}
    assert c.get("/v1/policies/tiktok-shop").json()["warning_margin"] == 5
    health = {s: c.get(f"/v1/shops/{s}/health").json() for s in ("demo-clean", "demo-medium", "demo-high")}
    assert [health[s]["level"] for s in ("demo-clean", "demo-medium", "demo-high")] == ["low", "medium", "very_high"]
    pending = c.get("/v1/appeals").json()
    assert len(pending) == 1 and pending[0]["status"] == "pending"
    assert c.put("/v1/shops/tour", json={"name": "Tour", "kind": "personal", "policy": "tiktok-shop"}).status_code == 201
    v = c.post("/v1/violations", json={"shop_id": "tour", "type": "knockoff", "severity": "general", "evidence": [{"kind": "text", "value": "x"}]}).json()
    assert c.get(f"/v1/violations/{v['id']}").json()["status"] == "active"
    a = c.post(f"/v1/violations/{v['id']}/appeals", json={"reason": "r", "evidence": [{"kind": "text", "value": "p"}]}).json()
    assert c.post(f"/v1/appeals/{a['id']}/decision", json={"outcome": "granted", "reason": "ok"}).status_code == 200
    assert [n["kind"] for n in c.get("/v1/shops/tour/notices").json()][-1] == "appeal_decision"

    # a key made on the command line works at once on the running server
    seller = subprocess.run(CLI + ["keys", "create", "--role", "seller", "--shop", "tour"], env=_env(db), capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(r"sw_\w+_\S+", seller)
    sh = {"Authorization": f"Bearer {seller}"}
    assert httpx.get(f"{base}/v1/shops/tour/health", headers=sh).status_code == 200
    assert httpx.get(f"{base}/v1/shops/demo-high/health", headers=sh).status_code == 403


def test_keys_create_on_a_fresh_database(tmp_path):
    out = subprocess.run(CLI + ["keys", "create", "--role", "platform"], env=_env(tmp_path / "fresh.db"), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1 and out.stdout.startswith("sw_")


def test_import_then_health_table(tmp_path):
    lines = [{"record": "shop", "shop_id": "s1", "name": "One", "kind": "enterprise", "policy": "tiktok-shop"}]
    lines += [{"record": "violation", "shop_id": "s1", "type": "prohibited_products", "severity": "minor", "issued_at": f"2026-01-0{d}T00:00:00Z"} for d in (1, 2)]
    src = tmp_path / "data.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    env = _env(tmp_path / "imp.db")
    out = subprocess.run(CLI + ["import", str(src)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "imported 1 shops and 2 violations" in out.stdout
    table = subprocess.run(CLI + ["health", "s1", "--at", "2026-01-03T00:00:00"], env=env, capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert "12" in table.stdout and "medium" in table.stdout and "no_campaigns" in table.stdout


def test_import_lists_bad_lines_and_loads_the_rest(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text(
        '{"record": "shop", "shop_id": "s1", "name": "One", "kind": "enterprise", "policy": "tiktok-shop"}\n'
        '{"record": "violation", "shop_id": "s1", "type": "nope", "severity": "minor", "issued_at": "2026-01-01T00:00:00Z"}\n'
        "{not json\n"
        '{"record": "violation", "shop_id": "s1", "type": "knockoff", "severity": "minor", "issued_at": "2026-01-01"}\n'
    )
    env = _env(tmp_path / "imp.db")
    out = subprocess.run(CLI + ["import", str(src)], env=env, capture_output=True, text=True)
    assert out.returncode == 3
    for where in ("line 2", "line 3", "line 4"):
        assert where in out.stdout, out.stdout
    shop = subprocess.run(CLI + ["health", "s1"], env=env, capture_output=True, text=True)
    assert shop.returncode == 0, shop.stderr


def test_scan_file_writes_findings_and_a_summary(tmp_path):
    src = tmp_path / "items.jsonl"
    items = [
        {"kind": "message", "id": "m1", "text": "加我V信 abc_8888 便宜"},
        {"kind": "message", "id": "m2", "text": "订单 4200001234567890123 已发货"},
        {"kind": "listing", "id": "l1", "title": "抽纸 3包", "skus": [{"sku_id": "a", "name": "3包", "price": 0.57, "shipping_fee": 25}]},
        {"kind": "nope"},
    ]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in items) + "\n", encoding="utf-8")
    out_file = tmp_path / "findings.jsonl"
    run = subprocess.run(CLI + ["scan", str(src), "--out", str(out_file)], env=_env(tmp_path / "scan.db"), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    by_id = {r.get("id"): r for r in rows}
    assert by_id["m1"]["decision"] == "block" and by_id["m1"]["findings"][0]["rule"] == "DY-DV"
    assert by_id["m2"]["decision"] == "allow"
    assert any(f["rule"] == "DY-PR" for f in by_id["l1"]["findings"])
    assert "error" in rows[-1] and rows[-1]["line"] == 4
    assert "DY-DV" in run.stdout and "DY-PR" in run.stdout and "1 bad line" in run.stdout
