"""deploy/README.md's topology started on this machine and driven end to end (issue 14): two API
processes (`shopwarden serve`), two consumers (`shopwarden consume --no-relay`), one analysis worker
(`shopwarden work`) and the relay (`shopwarden relay`), all on one PostgreSQL schema and one NATS
prefix, with SHOPWARDEN_WORK=nats. Events arrive both ways — on `<prefix>.in.<kind>.<p>` and over
HTTP to either API process — and every decision leaves on `<prefix>.out.<kind>`: nothing lost,
nothing applied or published twice, each shop's events applied in their order, refusals dead-lettered.
Real NATS and PostgreSQL: skipped where they do not answer, failed under CI=true."""

from __future__ import annotations

import asyncio
import http.client
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
from nats_fixtures import PLATFORM, SRC, free_port, messages, publish, scalar, stream_count, wait_for

from shopwarden.service.auth import create_key
from shopwarden.service.images import upload

NATS_WORK = {"SHOPWARDEN_WORK": "nats"}
SHOPS = [f"t{i}" for i in range(12)]
PER_SHOP = 15


def _env(db_url: str) -> dict[str, str]:
    return os.environ | {"PYTHONPATH": SRC, "SHOPWARDEN_DATABASE_URL": db_url, "ORT_DISABLE_TELEMETRY": "1"} | NATS_WORK


def _start(db_url: str, log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "shopwarden.cli.main", *args], env=_env(db_url), stdout=open(log, "ab"), stderr=subprocess.STDOUT)


class Api:
    """One `shopwarden serve` process and a keep-alive client with the platform's key."""

    def __init__(self, db_url: str, key: str, log: Path):
        self.port, self.key = free_port(), key
        self.proc = _start(db_url, log, "serve", "--port", str(self.port))
        wait_for(self._up, 120, 0.2, f"the API on port {self.port}")

    def _up(self) -> bool:
        try:
            return self.call("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            c.request(method, path, orjson.dumps(body) if body is not None else None,
                      {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
            r = c.getresponse()
            raw = r.read()
            return r.status, (orjson.loads(raw) if raw else {})
        finally:
            c.close()


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


def _nats_events() -> list[tuple[str, str, dict | bytes]]:
    """Violations of every shop, interleaved and numbered per shop; a re-sent batch of ten (the same
    event ids), one unreadable event; and text-only listings."""
    events: list[tuple[str, str, dict | bytes]] = []
    for n in range(PER_SHOP):
        for shop in SHOPS:
            events.append(("violation", shop, {"event_id": f"v-{shop}-{n}", "shop_id": shop, "type": "missing_qualifications",
                                               "severity": "minor", "note": f"{n:03d}"}))
    events += events[:10]  # a publisher's retry: applied once
    events.append(("violation", SHOPS[0], b"{not json"))
    for i, shop in enumerate(SHOPS):
        events.append(("listing", shop, {"event_id": f"l-{i}", "product_id": f"np{i}", "shop_id": shop, "title": "plain cotton tee",
                                         "description": "soft, washable", "skus": [{"sku_id": "a", "price": "9.90"}]}))
    return events


def _notes_in_commit_order(db_url: str, shop: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as c:
            return list(c.execute(sa.text("SELECT payload->>'note' FROM outbox WHERE kind = 'violation.issued' AND key = :shop ORDER BY id"),
                                  {"shop": shop}).scalars())
    finally:
        engine.dispose()


def test_the_documented_topology_takes_events_both_ways_and_publishes_each_decision_once(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    from tests.images.drawn import png, product_photo, with_qr

    key = create_key(pg_ctx, "platform")
    procs: list[subprocess.Popen] = []
    try:
        a = Api(pg_url, key, tmp_path / "api-a.log")
        procs.append(a.proc)
        b = Api(pg_url, key, tmp_path / "api-b.log")
        procs.append(b.proc)
        for i, shop in enumerate([*SHOPS, "d1"]):  # shops through either API process
            api = (a, b)[i % 2]
            status, _ = api.call("PUT", f"/v1/shops/{shop}", {"name": f"Shop {shop}", "kind": "enterprise",
                                                             "policy": "douyin" if shop == "d1" else "tiktok-shop"})
            assert status in (200, 201), status
        nats = ["--nats", nats_url, "--prefix", prefix]
        procs += [_start(pg_url, tmp_path / f"consume-{n}.log", "consume", *nats, "--no-relay", "--batch", "50") for n in (1, 2)]
        procs.append(_start(pg_url, tmp_path / "relay.log", "relay", *nats))
        procs.append(_start(pg_url, tmp_path / "work.log", "work", *nats, "--batch", "4"))

        asyncio.run(publish(nats_url, prefix, _nats_events()))
        images = []
        for i in range(4):  # listings with images over HTTP: answered pending, finished by the worker
            image, _ = upload(pg_ctx, PLATFORM, png(with_qr(product_photo(seed=i), f"https://weixin.qq.com/r/top{i:03d}")), "d1")
            images.append(image.image_id)
        for i, image_id in enumerate(images):
            status, body = (a, b)[i % 2].call("PUT", f"/v1/products/hp{i}", {"shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml",
                                                                              "category": "home/cups", "skus": [{"sku_id": "a", "price": 59}],
                                                                              "images": [image_id]})
            assert status in (200, 201) and body["status"] == "pending_review", (status, body)
        for i, shop in enumerate(SHOPS[:4]):  # violations over HTTP too
            status, _ = (a, b)[i % 2].call("POST", "/v1/violations", {"shop_id": shop, "type": "missing_qualifications", "severity": "minor",
                                                                     "note": "http"})
            assert status == 201, status

        nats_violations = len(SHOPS) * PER_SHOP
        wait_for(lambda: scalar(pg_url, "SELECT count(*) FROM consumed_events WHERE kind IN ('violation', 'listing')") == nats_violations + len(SHOPS),
                 300, 0.5, "every NATS event committed")
        wait_for(lambda: scalar(pg_url, "SELECT count(*) FROM consumed_events WHERE kind = 'work.listing' AND outcome = 'applied'") == len(images),
                 300, 0.5, "every image listing analysed by the worker")
        published = "SELECT count(*) FROM outbox WHERE left(kind, 5) <> 'work.'"
        wait_for(lambda: asyncio.run(stream_count(nats_url, prefix, "out")) >= scalar(pg_url, published), 300, 0.5, "the outbox published")
        wait_for(lambda: asyncio.run(stream_count(nats_url, prefix, "dead")) == 1, 60, 0.5, "the unreadable event dead-lettered")
    finally:
        _stop(procs)

    out = asyncio.run(messages(nats_url, prefix, "out"))
    ids = Counter(m["id"] for m in out)
    assert not [i for i, c in ids.items() if c > 1], "an outbox entry published twice"
    assert scalar(pg_url, "SELECT count(*) FROM outbox WHERE left(kind, 5) <> 'work.'") == len(ids)  # nothing committed left unpublished
    assert all(m["_subject"] == f"{prefix}.out.{m['kind']}" for m in out)
    issued = [m for m in out if m["kind"] == "violation.issued"]
    assert len(issued) == scalar(pg_url, "SELECT count(*) FROM violations")
    assert len([m for m in issued if m["data"]["shop_id"] in SHOPS]) == nats_violations + 4  # the re-sent ten applied once (d1's: the worker's DY-DV)
    for shop in SHOPS:  # one shop's events applied in their order, whichever consumer held its partition
        notes = [n for n in _notes_in_commit_order(pg_url, shop) if n != "http"]
        assert notes == [f"{n:03d}" for n in range(PER_SHOP)], (shop, notes)
    decided = Counter((m["data"]["product_id"], m["data"]["status"]) for m in out if m["kind"] == "listing.decided")
    for i in range(len(SHOPS)):
        assert decided[(f"np{i}", "published")] == 1
    for i in range(len(images)):  # answered pending by an API process, then rejected by the worker (the QR code read)
        assert decided[(f"hp{i}", "pending_review")] == 1 and decided[(f"hp{i}", "rejected")] == 1, decided
    assert "sanction.started" in {m["kind"] for m in out}
    dead = asyncio.run(messages(nats_url, prefix, "dead"))
    assert len(dead) == 1 and dead[0]["problem"]["status"] == 422
