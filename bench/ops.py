"""Issue 20's figures: what the request middleware (`api/request_log.py`: request id, metrics by
route template, the JSON log line) adds to a request's cost, and webhook deliveries per second to
a receiver on loopback.

- Overhead: the app called in-process as ASGI (no socket, no HTTP parsing — so the ratio is an
  upper bound of what a served request sees), `GET /v1/shops/{id}/health` (a kept answer: the
  cheapest /v1 request, where a fixed cost weighs most) and `GET /healthz`, with and without the
  middleware, in interleaved rounds; with every request's JSON line (DEBUG, written through the
  formatter to /dev/null) and at the default INFO (no line for a 200). Then the same over loopback
  HTTP (one uvicorn process, the middleware switched on and off between rounds, one keep-alive
  client): the request's cost as a client sees it. Then the same server under callgrind: the
  instructions a request costs the server on each side (no middleware; the middleware without its
  histogram observation; all of it) — counts that do not move with the machine's load, and that
  isolate what `/metrics` itself adds (the observation) from the request id and log line.
- Deliveries: N outbox rows for one webhook, fanned out and sent by `Dispatcher.run_once`; the
  receiver is uvicorn with a three-line ASGI app in another process. Baseline in the same run:
  the same sender threads POSTing the same bodies with no database (the transport's ceiling).

Run: `python -m bench.ops [--n 5000] [--rounds 5] [--only overhead|http|instructions|deliveries]` (prints a Markdown table).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from shopwarden.api.app import create_app
from shopwarden.api.logs import JsonFormatter
from shopwarden.api.request_log import RequestLog
from shopwarden.service import shops
from shopwarden.service.auth import Principal, create_key
from shopwarden.service.context import open_context

PLATFORM = Principal("bench", "platform", None)


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# ---------------------------------------------------------------- the middleware's cost

def _ab(run, rounds: int, n: int) -> tuple:
    """`run(side, count)` for many short rounds, the order of the two sides swapped every round (so
    neither always goes first after the other's round): p50 and p99 (µs) of each side over all
    rounds, the median of the rounds' ratios of medians (with ÷ without), and those ratios."""
    times, ratios = {"with": [], "without": []}, []
    for name in times:
        run(name, 500)  # warm: connections, the kept answer, the labelled series
    for i in range(rounds):
        medians = {}
        for name in (("without", "with") if i % 2 == 0 else ("with", "without")):
            xs = run(name, n)
            times[name] += xs
            medians[name] = statistics.median(xs)
        ratios.append(medians["with"] / medians["without"])
    return (statistics.median(times["with"]) * 1e6, _pct(times["with"], 99) * 1e6,
            statistics.median(times["without"]) * 1e6, _pct(times["without"], 99) * 1e6, statistics.median(ratios), ratios)


def _driver(app, path: str, key: str):
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "root_path": "", "query_string": b"", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {key}".encode())], "app": app}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"{path}: {message['status']}")

    async def many(n: int) -> list[float]:
        xs = []
        for _ in range(n):
            t = time.perf_counter()
            await app(dict(scope), receive, send)
            xs.append(time.perf_counter() - t)
        return xs

    return many


def overhead(rounds: int, n: int) -> list[tuple]:
    ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/ops.db")
    shops.put_shop(ctx, PLATFORM, "s1", "S1", "enterprise", "tiktok-shop")
    key = create_key(ctx, "platform")
    apps = {"with": create_app(ctx), "without": _without_middleware(create_app(ctx))}
    devnull = open(os.devnull, "w")  # noqa: SIM115 - closed below, after the handler is removed
    handler = logging.StreamHandler(devnull)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    loop = asyncio.new_event_loop()
    rows = []
    for path in ("/v1/shops/s1/health", "/healthz"):
        for level, what in ((logging.DEBUG, "metrics + a JSON log line for every request (DEBUG)"), (logging.INFO, "metrics; INFO logs no line for a 200")):
            logging.getLogger().setLevel(level)
            drivers = {name: _driver(app, path, key) for name, app in apps.items()}
            rows.append((f"`GET {path}` in-process, with the middleware ({what})",
                         *_ab(lambda name, count, drivers=drivers: loop.run_until_complete(drivers[name](count)), rounds, n)))
    logging.getLogger().removeHandler(handler)
    devnull.close()
    return rows


def _without_middleware(app):
    app.user_middleware = [m for m in app.user_middleware if m.cls is not RequestLog]
    return app


class _Switchable(RequestLog):
    """The request middleware with a switch the bench flips between rounds (`_Control`): `off`, a
    request goes straight to the app inside it; `nometrics`, the middleware runs but records no
    histogram observation (what `/metrics` adds, isolated); `on`, all of it. One app, one port, one
    connection, one process — only the middleware differs between the sides."""

    mode = "on"

    async def __call__(self, scope, receive, send):
        if _Switchable.mode != "off":
            return await super().__call__(scope, receive, send)
        return await self.app(scope, receive, send)

    def _record(self, scope, status, seconds):
        if _Switchable.mode == "on":
            self._observe(scope, status, seconds)
        self._log(scope, status, seconds)


class _Control:
    """Outside everything: `POST /_bench/middleware/on|off|nometrics` sets the switch (204)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("/_bench/middleware/"):
            _Switchable.mode = path.rsplit("/", 1)[1]
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def _serve_switched(url: str, port: int) -> None:
    import uvicorn

    from shopwarden.api.app import settle

    app = create_app(open_context(url, migrate=False))
    for m in app.user_middleware:
        if m.cls is RequestLog:
            m.cls = _Switchable
    uvicorn.run(_Control(settle(app)), host="127.0.0.1", port=port, log_level="warning", access_log=False, log_config=None)


def _serve(url: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = os.environ | {"PYTHONPATH": os.pathsep.join([os.getcwd(), *sys.path])}
    proc = subprocess.Popen([sys.executable, "-m", "bench.ops", "--serve-switched", url, str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_port(port)
    return proc, port


def _wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


class _Client:
    """One keep-alive connection; before a round, the switch is set to the round's side."""

    def __init__(self, port: int, key: str):
        import http.client

        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.headers = {"Authorization": f"Bearer {key}"}

    def _get(self, method: str, path: str) -> int:
        self.conn.request(method, path, headers=self.headers)
        r = self.conn.getresponse()
        r.read()
        return r.status

    def gets(self, path: str, n: int) -> None:
        for _ in range(n):
            assert self._get("GET", path) == 200

    def round(self, name: str, path: str, n: int, without: str = "off") -> list[float]:
        """A round of one side: `with` is the whole middleware; `without` is `off` (no middleware) or
        `nometrics` (the middleware without its histogram observation)."""
        assert self._get("POST", f"/_bench/middleware/{'on' if name == 'with' else without}") == 204
        xs = []
        for _ in range(n):
            t = time.perf_counter()
            status = self._get("GET", path)
            xs.append(time.perf_counter() - t)
            assert status == 200, status
        return xs


def http_overhead(rounds: int, n: int) -> list[tuple]:
    """Over loopback HTTP: ONE uvicorn process, one app, one keep-alive connection; the middleware
    switched on or off between rounds (many short rounds, the order of the sides alternating). Two
    apps on two ports in one process were tried first: an A/A run there (no middleware on either
    side) already differed by 6 %, so the side, not the middleware, was measured."""
    url = f"sqlite:///{tempfile.mkdtemp()}/ops-http.db"
    ctx = open_context(url)
    shops.put_shop(ctx, PLATFORM, "s1", "S1", "enterprise", "tiktok-shop")
    key = create_key(ctx, "platform")
    proc, port = _serve(url)
    client = _Client(port, key)
    rows = []
    try:
        for path in ("/v1/shops/s1/health", "/healthz"):
            rows.append((f"`GET {path}` over loopback HTTP (one uvicorn process, the middleware switched between rounds, 1 keep-alive connection), "
                         "with the middleware (log level INFO: no line for a 200)",
                         *_ab(lambda name, count, path=path: client.round(name, path, count), rounds, n)))
            rows.append((f"`GET {path}` over loopback HTTP, the same process and connection: what `/metrics` adds — the middleware with its "
                         "histogram observation ÷ the same middleware without it (request id, header and log level INFO on both sides)",
                         *_ab(lambda name, count, path=path: client.round(name, path, count, "nometrics"), rounds, n)))
    finally:
        proc.terminate()
        proc.wait(10)
    return rows


def _cg_total(path: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise ValueError(f"{path}: no totals line")


def instructions(k: int, reps: int) -> list[tuple]:
    """Server-side instructions per request, counted by callgrind (repeatable whatever the machine's
    load, where wall-clock A/B on a shared 2-core box moves by ±10 % between rounds): ONE uvicorn
    process under `valgrind --tool=callgrind --instr-atstart=no`, the switch set to a side, counting
    turned on (`callgrind_control -i on`) for exactly `k` requests over one keep-alive connection and
    dumped; the three sides (no middleware, the middleware without its histogram observation, all of
    it) in turn, `reps` times. Counts cover HTTP parsing, routing, the handler and the middleware —
    the request's whole cost in the server — but not the client. Needs valgrind (on every machine of
    this workplace; `apt-get install valgrind` elsewhere)."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("valgrind not found: the instruction counts are skipped")
        return []
    url = f"sqlite:///{tempfile.mkdtemp()}/ops-cg.db"
    ctx = open_context(url)
    shops.put_shop(ctx, PLATFORM, "s1", "S1", "enterprise", "tiktok-shop")
    key = create_key(ctx, "platform")
    port, out = _free_port(), tempfile.mkdtemp()
    env = os.environ | {"PYTHONPATH": os.pathsep.join([os.getcwd(), *sys.path]), "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}/cg.%p",
                             sys.executable, "-m", "bench.ops", "--serve-switched", url, str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(f"{out}/server.log", "wb"))  # noqa: SIM115 - the child's
    rows = []
    try:
        _wait_port(port, 600)
        client, pid = _Client(port, key), str(proc.pid)

        def control(*args: str) -> None:
            subprocess.run(["callgrind_control", *args, pid], check=True, capture_output=True)

        for path in ("/v1/shops/s1/health", "/healthz"):
            counts: dict[str, list[float]] = {"off": [], "nometrics": [], "on": []}
            for side in counts:  # warm every side: the kept answer, the labelled series
                client.round("without", path, 100, side) if side != "on" else client.round("with", path, 100)
            for _ in range(reps):
                for side in counts:
                    name, without = ("with", "off") if side == "on" else ("without", side)
                    client.round(name, path, 20, without)  # sets the side's switch, outside the count
                    control("-i", "on")
                    control("-d")  # a dump resets the counters (`-z` with counting off gave garbage)
                    before = set(os.listdir(out))
                    client.gets(path, k)
                    control("-d")
                    control("-i", "off")
                    dumped = sorted(set(os.listdir(out)) - before)
                    counts[side].append(_cg_total(f"{out}/{dumped[-1]}") / k)
            off, bare, full = (statistics.median(counts[s]) for s in ("off", "nometrics", "on"))
            rows.append((path, off, bare, full, counts))
    except Exception:
        print(f"the server under callgrind failed; its log: {out}/server.log")
        raise
    finally:
        proc.terminate()
        proc.wait(30)
    return rows


# ---------------------------------------------------------------- webhook deliveries

RECEIVER = '''
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _receiver() -> tuple[subprocess.Popen, str]:
    folder = tempfile.mkdtemp()
    with open(f"{folder}/receiver.py", "w") as f:
        f.write(RECEIVER)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "receiver:app", "--port", str(port), "--log-level", "warning", "--no-access-log",
                             "--app-dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_port(port)
    return proc, f"http://127.0.0.1:{port}/hooks"


def deliveries(n: int, workers: int, rounds: int) -> list[tuple]:
    from shopwarden.service import webhooks
    from shopwarden.service.webhook_sender import Sender
    from shopwarden.store import outbox

    proc, url = _receiver()
    rows = []
    try:
        body = b'{"id":"' + b"e" * 32 + b'","event":"violation.issued","at":"2026-12-04T00:00:00Z","data":{"id":"v_0123456789abcdef","shop_id":"s1","points":4}}'
        rates, base = [], []
        for _ in range(rounds):
            sender = Sender()
            t = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                outcomes = list(pool.map(lambda _, sender=sender: sender.post(url, body, {"X-Shopwarden-Signature": "sha256=0"}), range(n)))
            base.append(n / (time.perf_counter() - t))
            assert all(o.ok for o in outcomes)

            ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/hooks.db")
            hook = webhooks.register(ctx, PLATFORM, webhooks.Registration(url, ("violation.issued",), "x" * 40), frozenset({"127.0.0.1"}))
            with ctx.db.transaction() as s:
                for i in range(n):
                    outbox.add(s, "violation.issued", "s1", {"id": f"v_{i:016x}", "shop_id": "s1", "points": 4})
            dispatcher = webhooks.Dispatcher(ctx, frozenset({"127.0.0.1"}), workers=workers, batch=512)
            t = time.perf_counter()
            sent = dispatcher.run_once()
            rates.append(sent / (time.perf_counter() - t))
            dispatcher.stop()
            got = webhooks.deliveries(ctx, PLATFORM, hook["id"], "delivered", 500)
            assert sent == n and len(got) == min(n, 500), (sent, len(got))
            ctx.db.dispose()
        rows.append((f"webhook deliveries/s, {n:,} events, {workers} sender threads, SQLite (fan-out + claim + send + record)",
                     statistics.median(rates), min(rates), statistics.median(base), rates, base))
    finally:
        proc.terminate()
        proc.wait(10)
    return rows


def _spread(ratios: list[float]) -> str:
    """The per-round ratios: all of them when few, else their quartiles and extremes."""
    if len(ratios) <= 8:
        return ", ".join(f"{r:.3f}" for r in ratios)
    q = statistics.quantiles(ratios, n=4)
    return f"{len(ratios)} rounds: min {min(ratios):.3f}, q1 {q[0]:.3f}, median {q[1]:.3f}, q3 {q[2]:.3f}, max {max(ratios):.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--http-rounds", type=int, default=40, help="rounds of the loopback A/B (each side --http-requests a round)")
    ap.add_argument("--http-requests", type=int, default=500)
    ap.add_argument("--serve-switched", nargs=2, metavar=("URL", "PORT"), help=argparse.SUPPRESS)
    ap.add_argument("--only", choices=("overhead", "http", "instructions", "deliveries"), action="append")
    ap.add_argument("--cg-requests", type=int, default=200, help="requests counted per side and repetition under callgrind")
    args = ap.parse_args(argv)
    if args.serve_switched:
        _serve_switched(args.serve_switched[0], int(args.serve_switched[1]))
        return 0
    only = set(args.only or ("overhead", "http", "instructions", "deliveries"))
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| metric | p50 | p99 | baseline (same run, without) | ratio (median of rounds) | target | per-round ratios |")
    print("|---|---|---|---|---|---|---|")
    rows = (overhead(args.rounds, args.requests) if "overhead" in only else []) + \
        (http_overhead(args.http_rounds, args.http_requests) if "http" in only else [])
    for what, p50, p99, b50, b99, ratio, ratios in rows:
        print(f"| {what} | {p50:.1f} µs | {p99:.1f} µs | p50 {b50:.1f} µs, p99 {b99:.1f} µs | {ratio:.3f} | ≤ 1.05 | {_spread(ratios)} |")
    for path, off, bare, full, counts in (instructions(args.cg_requests, 2) if "instructions" in only else []):
        print(f"| `GET {path}` server-side instructions per request (callgrind, {args.cg_requests} requests a side, 2 repetitions; "
              f"no middleware {off:,.0f}, middleware without the observation {bare:,.0f}): what `/metrics` adds | {full:,.0f} instr | — | "
              f"{bare:,.0f} instr | {full / bare:.3f} | ≤ 1.05 | whole middleware ÷ none {full / off:.3f}; "
              + "; ".join(f"{side} " + ", ".join(f"{c:,.0f}" for c in cs) for side, cs in counts.items()) + " |")
    for workers in ((8, 16) if "deliveries" in only else ()):
        for what, med, low, base, rates, bases in deliveries(args.n, workers, max(1, args.rounds // 2)):
            print(f"| {what} | {med:,.0f}/s | slowest round {low:,.0f}/s | bare POSTs, same threads: {base:,.0f}/s | {med / base:.2f} | ≥ 1,000/s | "
                  f"rounds {', '.join(f'{r:,.0f}' for r in rates)}; bare {', '.join(f'{r:,.0f}' for r in bases)} |")
    print(f"\nload average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
