"""Events through `shopwarden consume` on PostgreSQL against the HTTP routes, same run (issue 14).

    python -m bench.events [--violations N] [--listings N] [--runs R]

For each kind (violations; text-only listings from bench/listings.py): the HTTP path first —
`shopwarden serve` (one process) with four keep-alive client threads, each request one transaction
— then `shopwarden consume` with one consumer process and with two, end to end: from the first
publish on NATS until every event is committed (consumed_events), the relay running. Prints the
RESULTS.md rows. Loopback only; every wait is bounded."""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import nats
import orjson
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("SHOPWARDEN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NATS_URL = os.environ.get("SHOPWARDEN_TEST_NATS_URL", "nats://127.0.0.1:4222")
SCHEMA = "sw_bench_events"
SHOPS = 200
ENV = os.environ | {"PYTHONPATH": str(ROOT / "src"), "ORT_DISABLE_TELEMETRY": "1"}


def _log(msg: str) -> None:
    print(f"[events {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fresh_db() -> str:
    admin = sa.create_engine(PG)
    with admin.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        c.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    admin.dispose()
    url = f"{PG}?options=-csearch_path%3D{SCHEMA}"
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.service.shops import put_shop

    ctx = open_context(url)
    for i in range(SHOPS):
        put_shop(ctx, Principal("bench", "platform", None), f"s{i}", f"Shop {i}", "seller", "tiktok-shop")
    ctx.db.dispose()
    return url


_engines: dict[str, sa.Engine] = {}


def count(url: str, sql: str) -> int:
    """One number, on an engine kept per URL (polled every 20 ms while a run waits)."""
    engine = _engines.get(url) or _engines.setdefault(url, sa.create_engine(url, pool_size=1))
    with engine.connect() as c:
        return c.exec_driver_sql(sql).scalar()


def violation(run: str, i: int) -> tuple[str, str, dict]:
    shop = f"s{i % SHOPS}"
    return "violation", shop, {"shop_id": shop, "type": "missing_qualifications", "severity": "minor", "note": f"{run}-{i}"}


def listing(run: str, i: int, corpus) -> tuple[str, str, dict]:
    shop = f"s{i % SHOPS}"
    body = {k: v for k, v in corpus.listings[i % len(corpus.listings)].items() if k not in ("shop_id", "images")}
    return "listing", shop, body | {"shop_id": shop, "product_id": f"{run}-p{i}"}


# ---------------------------------------------------------------------------------------- HTTP


def http_rate(url: str, events: list, threads: int = 4) -> float:
    """Events per second through the routes: one server process, `threads` keep-alive clients."""
    port = 18000 + os.getpid() % 1000
    env = ENV | {"SHOPWARDEN_DATABASE_URL": url}
    key = subprocess.run([sys.executable, "-m", "shopwarden.cli.main", "keys", "create", "--role", "platform"], env=env,
                         capture_output=True, text=True, check=True, timeout=120).stdout.strip()
    server = subprocess.Popen([sys.executable, "-m", "shopwarden.cli.main", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: _answers(port), 60)
        chunks = [events[i::threads] for i in range(threads)]
        failures: list[str] = []

        def client(chunk):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for kind, _, body in chunk:
                if kind == "listing":
                    body = dict(body)
                    conn.request("PUT", f"/v1/products/{body.pop('product_id')}", orjson.dumps(body), {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
                else:
                    conn.request("POST", "/v1/violations", orjson.dumps(body), {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                if r.status >= 300:
                    failures.append(f"{r.status}")

        workers = [threading.Thread(target=client, args=(c,)) for c in chunks]
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join(600)
        took = time.perf_counter() - t0
        if failures:
            raise RuntimeError(f"{len(failures)} HTTP failures, e.g. {failures[:3]}")
        return len(events) / took
    finally:
        server.terminate()
        server.wait(30)


def _answers(port: int) -> bool:
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/healthz")
        return c.getresponse().status == 200
    except OSError:
        return False


def _wait(check, timeout: float, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("bench wait")
        time.sleep(every)


# ------------------------------------------------------------------------------------- consume


async def _publish(prefix: str, events: list[tuple[str, str, dict]]) -> None:
    from shopwarden.consume import streams

    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    await streams.ensure(js, prefix)
    for i in range(0, len(events), 1000):
        await asyncio.gather(*(js.publish(streams.subject_for(prefix, k, key, 8), orjson.dumps(b)) for k, key, b in events[i:i + 1000]))
    await nc.close()


async def _drop(prefix: str) -> None:
    from shopwarden.consume import streams

    nc = await nats.connect(NATS_URL)
    await streams.drop(nc.jetstream(), prefix)
    await nc.close()


def consume_rate(url: str, run: str, events: list, consumers: int, batch: int) -> float:
    """Events per second, first publish to last commit, with `consumers` processes (the first runs the relay)."""
    prefix = f"b{run}"
    env = ENV | {"SHOPWARDEN_DATABASE_URL": url}
    procs = [subprocess.Popen([sys.executable, "-m", "shopwarden.cli.main", "consume", "--prefix", prefix, "--batch", str(batch),
                               *([] if i == 0 else ["--no-relay"])], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for i in range(consumers)]
    try:
        warm = [(k, key, b | {"event_id": f"{run}-warm-{n}"}) for n, (k, key, b) in enumerate(events[:16])]
        base = count(url, "SELECT count(*) FROM consumed_events")
        asyncio.run(_publish(prefix, [(k, key, b | {"product_id": b["product_id"] + "w"} if k == "listing" else b) for k, key, b in warm]))
        _wait(lambda: count(url, "SELECT count(*) FROM consumed_events") >= base + len(warm), 300, 0.2)
        time.sleep(3)  # every consumer holds its share of the partitions
        target = count(url, "SELECT count(*) FROM consumed_events") + len(events)
        t0 = time.perf_counter()
        asyncio.run(_publish(prefix, [(k, key, b | {"event_id": f"{run}-{n}"}) for n, (k, key, b) in enumerate(events)]))
        _wait(lambda: count(url, "SELECT count(*) FROM consumed_events") >= target, 900, 0.02)
        return len(events) / (time.perf_counter() - t0)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
        asyncio.run(_drop(prefix))


def measure(kind: str, n: int, runs: int, make) -> dict:
    url = fresh_db()
    out: dict[str, list[float]] = {"http": [], "one": [], "two": []}
    for r in range(runs):
        out["http"].append(http_rate(url, [make(f"h{r}", i) for i in range(n // 4)]))
        _log(f"{kind} run {r}: HTTP {out['http'][-1]:.0f}/s")
        out["one"].append(consume_rate(url, f"{kind[0]}1r{r}{os.getpid()}", [make(f"c1r{r}", i) for i in range(n)], 1, 200))
        _log(f"{kind} run {r}: 1 consumer {out['one'][-1]:.0f}/s")
        out["two"].append(consume_rate(url, f"{kind[0]}2r{r}{os.getpid()}", [make(f"c2r{r}", i) for i in range(n)], 2, 200))
        _log(f"{kind} run {r}: 2 consumers {out['two'][-1]:.0f}/s")
    return out


def rows(kind: str, n: int, m: dict, target: str) -> list[str]:
    med = {k: statistics.median(v) for k, v in m.items()}
    worst = {k: min(v) for k, v in m.items()}
    per = lambda k: ", ".join(f"{x:,.0f}" for x in m[k])  # noqa: E731
    return [
        f"| events (PostgreSQL) | {kind} through `consume`, 1 consumer, end to end ({n:,} per run) | {med['one']:,.0f}/s | slowest run {worst['one']:,.0f}/s "
        f"| HTTP, 4 connections, 1 server process: {med['http']:,.0f}/s | {med['one'] / med['http']:.2f}x | {target} | "
        f"{'**PASS**' if med['one'] >= float(target.split()[1].replace(',', '').rstrip('/s')) else '**FAIL**'} | runs {per('one')}; HTTP runs {per('http')} |",
        f"| events (PostgreSQL) | {kind} through `consume`, 2 consumers | {med['two']:,.0f}/s | slowest run {worst['two']:,.0f}/s "
        f"| 1 consumer, same run: {med['one']:,.0f}/s | {med['two'] / med['one']:.2f}x | ≥ 1.6x one | {'**PASS**' if med['two'] >= 1.6 * med['one'] else '**FAIL**'} | runs {per('two')} |",
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--violations", type=int, default=5000)
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.listings import generate

    corpus = generate(min(a.listings, 3000))
    v = measure("violations", a.violations, a.runs, violation)
    li = measure("text-only listings", a.listings, a.runs, lambda run, i: listing(run, i, corpus))
    print("\n".join(rows("violations", a.violations, v, "≥ 5,000/s") + rows("text-only listings", a.listings, li, "≥ 2,000/s")))


if __name__ == "__main__":
    main()
