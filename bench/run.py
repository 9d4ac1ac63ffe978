"""`make bench`: shopwarden's benchmarks; writes bench/RESULTS.md.

    python -m bench.run [--shops N] [--violations M] [--quick] [--no-pg] [--client wrk|python]

Measured in one run, each against a baseline taken in the same run (the machine is small,
shared and noisy, so medians, p99s and ratios are what count, not absolute figures):

1. fold: `standing.fold` for a shop with 50 violations and two decided appeals, per-call
   timings; baseline: a pure-Python loop summing 50 ints.
2. import: `shopwarden import` of the generated file into a fresh SQLite database (the CLI's
   own rate, and the wall time of the command); plus the in-process importer three times on
   a 100k slice, against a floor: the stdlib `sqlite3` inserting the same rows into the same
   schema.
3. HTTP: `shopwarden serve` on that database; `GET /v1/shops/{id}/health` over a rotating set
   of shops (a random sample plus every 50-violation shop) and `GET /healthz` (the trivial
   endpoint), same load, interleaved; latency at one connection, throughput at four.
4. `POST /v1/violations` at four keep-alive connections against the same server.
5. optional: the same health latency on PostgreSQL with a smaller data set.

Loopback traffic only; every loop and every subprocess is bounded in time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from time import perf_counter, perf_counter_ns

from bench import data

ROOT = Path(__file__).resolve().parents[1]
WORK = data.WORK
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "shopwarden_bench"
T0 = perf_counter()


def log(msg: str) -> None:
    print(f"[{perf_counter() - T0:7.1f}s] {msg}", flush=True)


# --------------------------------------------------------------------------- statistics


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


@dataclass
class Row:
    section: str
    metric: str
    p50: str = ""
    p99: str = ""
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""  # PASS / FAIL / "" (informational)
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def add(self, *args, **kw) -> Row:
        r = Row(*args, **kw)
        self.rows.append(r)
        log(f"  => {r.metric}: p50 {r.p50} p99 {r.p99} baseline {r.baseline} ratio {r.ratio} {r.verdict}")
        return r


def verdict(ok: bool, errors: int = 0) -> str:
    """PASS/FAIL; a measurement with failed requests proves nothing either way."""
    if errors:
        return "INVALID (failed requests)"
    return "PASS" if ok else "FAIL"


def us(ns: float) -> str:
    return f"{ns / 1000:.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


# --------------------------------------------------------------------------- helpers


def shopwarden_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "shopwarden"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "shopwarden.cli.main"]


def cli_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SHOPWARDEN_DATABASE_URL"] = url
    env["COLUMNS"] = "200"  # rich wraps at 80 columns when stdout is not a terminal
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_cli(args: list[str], url: str, timeout: float, **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(shopwarden_cmd() + args, env=cli_env(url), capture_output=True, text=True, timeout=timeout, cwd=ROOT, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"shopwarden {' '.join(args)} exited {p.returncode}: {(p.stderr or p.stdout).strip()[-800:]}")
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def load_pack():
    """The engine's tiktok-shop pack: as the service loads it, else parsed from the YAML by the core loader."""
    try:
        from shopwarden.service.policies import load_builtin_packs

        return load_builtin_packs()["tiktok-shop"], "service.policies.load_builtin_packs()"
    except ImportError as exc:
        from shopwarden.core.policy.loader import parse_pack

        log(f"  (service.policies not importable: {exc}; using core.policy.loader.parse_pack)")
        return parse_pack(data.PACK_FILE.read_text(encoding="utf-8"), str(data.PACK_FILE)), "core.policy.loader.parse_pack (service.policies missing)"


# --------------------------------------------------------------------------- 1. fold


def heavy_events(pack, anchor: datetime, n: int = data.HEAVY, seed: int = 7):
    """Events of a shop with `n` violations over the last ~400 days and two decided appeals."""
    from shopwarden.core.ledger.events import AppealDecided, AppealFiled, ViolationIssued
    from shopwarden.core.ledger.expiry import expires_at

    rng = random.Random(seed)
    pairs = [(t, sev) for t, vt in pack.types.items() for sev in vt.severities]
    sampler = data.ViolationSampler(rng, anchor, pairs)
    events = []
    for k, ((vtype, sev), off) in enumerate(zip(sampler.pairs_n(n), sorted(sampler.offsets(n), reverse=True))):
        at = anchor - timedelta(seconds=off)
        cls = pack.class_of(vtype, sev)
        points = pack.types[vtype].severities[sev].points
        events.append(ViolationIssued(f"bv{k:04d}", at, vtype, sev, points, cls, expires_at(pack, cls, at)))
    # two appeals on recent violations: one granted (a revocation: the reconcile path), one rejected
    recent = [e for e in events if e.at > anchor - timedelta(days=60)][-4:] or events[-2:]
    for j, (v, outcome) in enumerate(zip(recent[:2], ("granted", "rejected"))):
        filed = v.at + timedelta(days=1)
        events.append(AppealFiled(f"ba{j}", v.violation_id, 1, filed))
        events.append(AppealDecided(f"ba{j}", v.violation_id, outcome, filed + timedelta(days=2), "bench", "bench-agent"))
    return events


def time_calls(fn, runs: int, calls: int) -> tuple[list[int], list[float]]:
    """Per-call ns over `runs` x `calls`, and each run's median."""
    samples: list[int] = []
    medians: list[float] = []
    clock = perf_counter_ns
    for _ in range(min(calls, 200)):  # warm-up
        fn()
    for _ in range(runs):
        gc.collect()
        run: list[int] = []
        for _ in range(calls):
            t0 = clock()
            fn()
            run.append(clock() - t0)
        samples.extend(run)
        medians.append(statistics.median(run))
    return samples, medians


def sum_loop(xs):
    total = 0
    for x in xs:
        total += x
    return total


def bench_fold(res: Results, quick: bool) -> None:
    log("fold: building the pack and a 50-violation shop")
    from shopwarden.core.ledger.standing import fold

    pack, how = load_pack()
    res.facts["pack"] = f"{pack.id} v{pack.version} via {how}"
    anchor = data.today_anchor()
    events = heavy_events(pack, anchor)
    at = anchor
    st = fold(pack, events, at)
    n_v = sum(1 for e in events if type(e).__name__ == "ViolationIssued")
    active = sum(1 for v in st.violations if v.status == "active")
    res.facts["fold shop"] = (
        f"{n_v} violations over {data.SPAN_DAYS} days ({active} active at `at`), 2 appeals (1 granted), "
        f"{len(events)} events; standing: {st.points} points, level {st.level}, {len(st.history)} sanction instances, {len(st.notices)} notices"
    )
    runs, calls = (3, 1000) if quick else (5, 2000)
    log(f"fold: timing {runs} x {calls} calls (and the baseline)")
    ints = list(range(50))
    # interleave baseline and fold runs so drift hits both
    f_all: list[int] = []
    b_all: list[int] = []
    f_meds: list[float] = []
    b_meds: list[float] = []
    for _ in range(runs):
        b, bm = time_calls(lambda: sum_loop(ints), 1, calls)
        f, fm = time_calls(lambda: fold(pack, events, at), 1, calls)
        b_all += b
        f_all += f
        b_meds += bm
        f_meds += fm
    fp50, fp99 = pct(f_all, 50), pct(f_all, 99)
    bp50 = pct(b_all, 50)
    res.add(
        "fold",
        "`fold` for a shop with 50 violations + 2 appeals (per call)",
        us(fp50),
        us(fp99),
        f"sum of 50 ints: {us(bp50)} (p99 {us(pct(b_all, 99))})",
        f"{fp50 / bp50:.0f}x",
        "≤ 0.2 ms (p50)",
        verdict(fp50 <= 200_000),
        f"{runs}x{calls} calls; run medians {', '.join(us(m) for m in f_meds)}; p99 {'within' if fp99 <= 200_000 else 'over'} 0.2 ms",
    )
    # and fold + the JSON of the health response, which the endpoint does on top
    try:
        import orjson

        from shopwarden.service.health import health_json

        h, _ = time_calls(lambda: orjson.dumps(health_json("s", pack, fold(pack, events, at))), 1, calls)
        res.add("fold", "`fold` + `health_json` + `orjson.dumps` (the endpoint's CPU work minus DB and HTTP)", us(pct(h, 50)), us(pct(h, 99)), "", "", "", "")
    except Exception as exc:  # noqa: BLE001 - informational row only
        res.notes.append(f"fold+health_json not measured: {exc!r}")


# --------------------------------------------------------------------------- 2. import

IMPORT_RE = re.compile(r"imported\s+(\d+)\s+shops\s+and\s+(\d+)\s+violations\s+in\s+([\d.]+)s\s+\(([\d,.]+)\s+violations/s\)")


def cli_import(ds: data.DataSet, url: str, label: str, timeout: float) -> dict:
    """`shopwarden import` as a subprocess; returns the CLI's own figures and the wall time."""
    run_cli(["db", "upgrade"], url, 300)
    cmd = shopwarden_cmd() + ["import", str(ds.path)]
    errf = (WORK / f"import-{label}.stderr").open("w")
    start = perf_counter()
    p = subprocess.Popen(cmd, env=cli_env(url), stdout=subprocess.PIPE, stderr=errf, text=True, cwd=ROOT)
    last = start
    try:
        while p.poll() is None:
            time.sleep(0.5)
            if perf_counter() - start > timeout:
                p.kill()
                raise RuntimeError(f"import did not finish in {timeout:.0f}s")
            if perf_counter() - last >= 30:
                last = perf_counter()
                log(f"import ({label}): still running, {last - start:.0f}s")
        wall = perf_counter() - start
        out = p.stdout.read() if p.stdout else ""
    finally:
        if p.poll() is None:
            p.kill()
        errf.close()
    if p.returncode != 0:
        tail = (WORK / f"import-{label}.stderr").read_text(errors="replace")[-800:]
        raise RuntimeError(f"shopwarden import exited {p.returncode}: {tail}")
    m = IMPORT_RE.search(" ".join(out.split()))
    got = {"wall": wall, "stdout": out.strip()}
    if m:
        got.update(shops=int(m.group(1)), violations=int(m.group(2)), seconds=float(m.group(3)), rate=float(m.group(4).replace(",", "")))
    return got


def _sqlite_floor(ds_path: Path, template: Path, db: Path, pack) -> float:
    """Violations/s of the stdlib sqlite3 doing the same inserts into the same (migrated) schema."""
    from shopwarden.core.ledger.expiry import expires_at

    import orjson

    remove_sqlite(db)
    shutil.copyfile(template, db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    now = datetime.now(timezone.utc).replace(tzinfo=None).strftime(fmt)
    points = {(t, s): (v.points, pack.class_of(t, s)) for t, vt in pack.types.items() for s, v in vt.severities.items()}
    vsql = "INSERT INTO violations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    n = 0
    start = perf_counter()
    con.execute("BEGIN")
    batch = []
    with ds_path.open("rb") as fh:
        for line in fh:
            r = orjson.loads(line)
            if r["record"] == "shop":
                con.execute("INSERT INTO shops VALUES (?,?,?,?,?,?)", (r["shop_id"], r["name"], r["kind"], r["policy"], now, now))
                continue
            pts, cls = points[(r["type"], r["severity"])]
            t = datetime.fromisoformat(r["issued_at"])
            batch.append(
                (r["id"], r["shop_id"], r["type"], r["severity"], pts, cls, t.replace(tzinfo=None).strftime(fmt),
                 expires_at(pack, cls, t).replace(tzinfo=None).strftime(fmt), pack.id, pack.version,
                 orjson.dumps(r.get("evidence") or []).decode(), r.get("note"), now, "import")
            )
            n += 1
            if len(batch) >= 5000:
                con.executemany(vsql, batch)
                batch = []
    if batch:
        con.executemany(vsql, batch)
    con.execute("COMMIT")
    secs = perf_counter() - start
    con.close()
    remove_sqlite(db)
    return n / secs


def bench_import(res: Results, ds: data.DataSet, small: data.DataSet, db: Path, reuse: bool, quick: bool) -> bool:
    """CLI import of the whole data set into `db` (kept for the HTTP bench); in-process repeats on `small`."""
    url = f"sqlite:///{db}"
    done_marker = db.with_suffix(".complete")
    if reuse and db.exists() and done_marker.exists() and done_marker.read_text() == str(ds.path):
        log(f"import: reusing {db.name} (--reuse-db); no import figures this run")
        res.notes.append("import figures not measured: --reuse-db reused a database loaded by an earlier run")
        return True
    remove_sqlite(db)
    done_marker.unlink(missing_ok=True)
    log(f"import: `shopwarden import` of {ds.violations:,} violations / {ds.shops:,} shops into a fresh SQLite database")
    got = cli_import(ds, url, "sqlite", timeout=3600)
    done_marker.write_text(str(ds.path))
    res.facts["import (CLI) output"] = got["stdout"].replace("\n", " ")
    wall_rate = ds.violations / got["wall"]
    if "rate" in got:
        res.add(
            "import",
            f"`shopwarden import`, {ds.violations:,} violations + {ds.shops:,} shops, SQLite (the CLI's rate)",
            f"{got['rate']:,.0f} violations/s",
            "",
            "",
            "",
            "≥ 20,000 violations/s",
            verdict(got["rate"] >= 20_000),
            f"one run: {got['seconds']:.1f}s inside the importer; the whole command (start-up, migration check, import) took {got['wall']:.1f}s = {wall_rate:,.0f} violations/s",
        )
    else:
        res.add("import", f"`shopwarden import`, {ds.violations:,} violations, SQLite (wall time of the command)", f"{wall_rate:,.0f} violations/s", "", "", "", "≥ 20,000 violations/s", verdict(wall_rate >= 20_000), f"CLI printed no rate ({got['stdout'][:200]!r}); {got['wall']:.1f}s wall")
    # the in-process importer, repeated, against the stdlib floor on the same rows
    try:
        from shopwarden.service.context import open_context
        from shopwarden.service.importer import import_jsonl

        pack, _ = load_pack()
        template = WORK / "template.db"
        remove_sqlite(template)
        run_cli(["db", "upgrade"], f"sqlite:///{template}", 300)
        scratch = WORK / "scratch.db"
        reps = 2 if quick else 3
        log(f"import: in-process `import_jsonl` x{reps} on {small.violations:,} violations, interleaved with the sqlite3 floor")
        rates, floors = [], []
        for i in range(reps):
            floors.append(_sqlite_floor(small.path, template, scratch, pack))
            remove_sqlite(scratch)
            shutil.copyfile(template, scratch)
            ctx = open_context(f"sqlite:///{scratch}", migrate=False)
            try:
                rep = import_jsonl(ctx, small.path)
            finally:
                ctx.db.dispose()
            rates.append(rep.rate)
            log(f"  run {i + 1}: importer {rep.rate:,.0f}/s, floor {floors[-1]:,.0f}/s")
        remove_sqlite(scratch)
        remove_sqlite(template)
        med, fmed = statistics.median(rates), statistics.median(floors)
        res.add(
            "import",
            f"`import_jsonl` in-process, {small.violations:,} violations + {small.shops:,} shops, SQLite",
            f"{med:,.0f} violations/s",
            f"min {min(rates):,.0f}/s",
            f"stdlib sqlite3, same rows and schema: {fmed:,.0f}/s",
            f"{med / fmed:.2f}",
            "≥ 20,000 violations/s",
            verdict(med >= 20_000),
            f"median of {reps} runs (p99 column: the slowest run); the floor parses with orjson and inserts with executemany, nothing else",
        )
    except Exception as exc:  # noqa: BLE001
        res.errors.append(f"in-process import not measured: {exc!r}")
        log(f"  in-process import failed: {exc!r}")
    return True


# --------------------------------------------------------------------------- 3./4. HTTP


class Server:
    def __init__(self, url: str, label: str):
        self.url, self.label = url, re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.logf = None

    def __enter__(self) -> "Server":
        self.logf = (WORK / f"serve-{self.label}.log").open("w")
        self.proc = subprocess.Popen(shopwarden_cmd() + ["serve", "--port", str(self.port)], env=cli_env(self.url), stdout=self.logf, stderr=subprocess.STDOUT, cwd=ROOT)
        import httpx

        deadline = perf_counter() + 120
        while perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}: {(WORK / f'serve-{self.label}.log').read_text()[-800:]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.__exit__(None, None, None)
        raise RuntimeError("server did not answer /healthz within 120s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.logf:
            self.logf.close()

    def rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


@dataclass
class Load:
    rps: float
    requests: int
    errors: int  # non-2xx + socket errors
    p50: float | None = None  # seconds
    p99: float | None = None


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _dur(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def _lua_str(s: str) -> str:
    return "[==[" + s + "]==]"


def lua_script(path: Path, method: str, targets: list[tuple[str, str | None]], headers: dict[str, str]) -> Path:
    """A wrk script rotating over (path, body) targets."""
    hdr = ", ".join(f"[ {_lua_str(k)} ] = {_lua_str(v)}" for k, v in headers.items())  # `[ [==[`: `[[` would open a string
    items = ",\n".join("{" + _lua_str(p) + ", " + (_lua_str(b) if b is not None else "nil") + "}" for p, b in targets)
    path.write_text(
        f"""local targets = {{
{items}
}}
local headers = {{ {hdr} }}
local i = 0
request = function()
  i = i + 1
  if i > #targets then i = 1 end
  local t = targets[i]
  return wrk.format({_lua_str(method)}, t[1], headers, t[2])
end
"""
    )
    return path


def wrk_run(base: str, script: Path, conns: int, seconds: float, latency: bool) -> Load:
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script)]
    if latency:
        cmd.append("--latency")
    p = subprocess.run(cmd + [base + "/"], capture_output=True, text=True, timeout=seconds + 60)
    if p.returncode != 0:
        raise RuntimeError(f"wrk failed: {p.stderr.strip() or p.stdout.strip()}")
    out = p.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    load = Load(rps, reqs, errors)
    if latency:
        dist = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s|m))\s*$", out, re.M))
        load.p50, load.p99 = _dur(dist["50"]), _dur(dist["99"])
    return load


def py_run(base: str, method: str, targets: list[tuple[str, str | None]], headers: dict[str, str], conns: int, seconds: float, latency: bool) -> Load:
    """Fallback load generator: `conns` threads, one keep-alive http.client connection each."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    stop = perf_counter() + seconds
    lock = threading.Lock()
    times: list[float] = []
    counts = {"ok": 0, "err": 0}

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        i, ok, err, local = offset, 0, 0, []
        hdrs = dict(headers)
        try:
            while perf_counter() < stop:
                path, body = targets[i % len(targets)]
                i += 1
                t0 = perf_counter()
                try:
                    conn.request(method, path, body=body, headers=hdrs)
                    r = conn.getresponse()
                    r.read()
                    status = r.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=10)
                    status = 0
                local.append(perf_counter() - t0)
                if 200 <= status < 400:
                    ok += 1
                else:
                    err += 1
        finally:
            conn.close()
            with lock:
                counts["ok"] += ok
                counts["err"] += err
                times.extend(local)

    start = perf_counter()
    threads = [threading.Thread(target=worker, args=(k * 997,)) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    elapsed = perf_counter() - start
    n = counts["ok"] + counts["err"]
    load = Load(n / elapsed, n, counts["err"])
    if latency:
        load.p50, load.p99 = pct(times, 50), pct(times, 99)
    return load


class Loader:
    """One interface over wrk and the Python fallback."""

    def __init__(self, client: str, base: str):
        self.client, self.base = client, base
        self.n = 0

    def run(self, name: str, method: str, targets, headers, conns: int, seconds: float, latency: bool = False) -> Load:
        self.n += 1
        if self.client == "wrk":
            script = lua_script(WORK / f"wrk-{name}.lua", method, targets, headers)
            load = wrk_run(self.base, script, conns, seconds, latency)
        else:
            load = py_run(self.base, method, targets, headers, conns, seconds, latency)
        lat = f", p50 {ms(load.p50)} p99 {ms(load.p99)}" if load.p50 is not None else ""
        log(f"  {name}: {load.rps:,.0f} req/s over {load.requests:,} requests at {conns} connection(s){lat}" + (f", {load.errors} ERRORS" if load.errors else ""))
        return load


def check_endpoints(base: str, key: str, heavy: str, expect: int | None) -> str:
    import httpx

    h = {"Authorization": f"Bearer {key}"}
    r = httpx.get(base + "/healthz", timeout=10)
    if r.status_code != 200:
        raise RuntimeError(f"/healthz answered {r.status_code}")
    r = httpx.get(f"{base}/v1/shops/{heavy}/health", headers=h, timeout=30)
    if r.status_code != 200:
        raise RuntimeError(f"/v1/shops/{heavy}/health answered {r.status_code}: {r.text[:300]}")
    body = r.json()
    n = len(body.get("violations", []))
    if expect is not None and n != expect:
        raise RuntimeError(f"{heavy} has {n} violations in its health, expected {expect}")
    return f"{heavy}: {n} violations, {body.get('points')} points, level {body.get('level')}, {len(body.get('sanctions', []))} sanctions in force, {len(r.content):,} bytes of JSON"


def health_targets(ds: data.DataSet, seed: int = 11) -> tuple[list[tuple[str, None]], list[tuple[str, None]], str]:
    rng = random.Random(seed)
    mixed = list(ds.sample_shops) + list(ds.heavy_shops)
    rng.shuffle(mixed)
    heavy = list(ds.heavy_shops)
    rng.shuffle(heavy)
    counts = list(ds.sample_counts) + [data.HEAVY] * len(ds.heavy_shops)
    desc = (
        f"{len(mixed):,} shops rotated: a random sample of {len(ds.sample_shops):,} (median {statistics.median(ds.sample_counts):.0f} "
        f"violations, max {max(ds.sample_counts)}) and every one of the {len(ds.heavy_shops):,} shops with exactly 50; mean {statistics.mean(counts):.1f} violations per request"
    )
    return [(f"/v1/shops/{s}/health", None) for s in mixed], [(f"/v1/shops/{s}/health", None) for s in heavy], desc


def post_targets(ds: data.DataSet, pack_pairs: list[tuple[str, str]], n: int = 2000, seed: int = 13) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    anchor = data.today_anchor()
    heavy = set(ds.heavy_shops)
    shops = [s for s in ds.sample_shops if s not in heavy]  # the heavy shops keep exactly 50 (checked on every run)
    out = []
    for k in range(n):
        vtype, sev = rng.choice(pack_pairs)
        t = anchor - timedelta(seconds=rng.randrange(1, 30 * 86400))
        body = json.dumps(
            {"shop_id": rng.choice(shops), "type": vtype, "severity": sev, "issued_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "evidence": [{"kind": "text", "value": f"bench post {k}"}]},
            separators=(",", ":"),
        )
        out.append(("/v1/violations", body))
    return out


def bench_http(res: Results, ds: data.DataSet, url: str, label: str, client: str, quick: bool, with_post: bool, target_p99: float | None) -> None:
    dur = 3.0 if quick else 5.0
    lat_dur = 3.0 if quick else 5.0
    rounds = 2 if quick else 3
    conns = 4
    section = f"HTTP ({label})"
    log(f"http ({label}): starting `shopwarden serve`")
    with Server(url, label) as srv:
        key = run_cli(["keys", "create", "--role", "platform", "--label", "bench"], url, 120).stdout.strip().splitlines()[-1]
        res.facts[f"server ({label})"] = f"`shopwarden serve --port {srv.port}` (one uvicorn process), database {url}"
        info = check_endpoints(srv.base, key, ds.heavy_shops[0], data.HEAVY)
        res.facts[f"a 50-violation shop's health ({label})"] = info
        log(f"  check: {info}")
        auth = {"Authorization": f"Bearer {key}"}
        mixed, heavy, desc = health_targets(ds)
        res.facts[f"health shop ids ({label})"] = desc
        trivial = [("/healthz", None)]
        ld = Loader(client, srv.base)
        log(f"http ({label}): warm-up")
        ld.run("warmup-trivial", "GET", trivial, auth, conns, 2, False)
        ld.run("warmup-health", "GET", mixed, auth, conns, 3, False)

        log(f"http ({label}): latency at 1 connection, {rounds} interleaved rounds of {lat_dur:.0f}s (trivial, health, health of 50-violation shops)")
        lts, lms, lhs = [], [], []
        for r in range(rounds):
            lts.append(ld.run(f"lat-trivial-{r}", "GET", trivial, auth, 1, lat_dur, True))
            lms.append(ld.run(f"lat-health-{r}", "GET", mixed, auth, 1, lat_dur, True))
            lhs.append(ld.run(f"lat-health-heavy-{r}", "GET", heavy, auth, 1, lat_dur, True))
        med = statistics.median
        t50, t99 = med(x.p50 for x in lts), med(x.p99 for x in lts)
        tgt = f"p99 ≤ {target_p99 * 1000:.0f} ms" if target_p99 else ""
        for runs_, what in ((lms, "mixed shops"), (lhs, "50-violation shops only")):
            p50, p99 = med(x.p50 for x in runs_), med(x.p99 for x in runs_)
            errors = sum(x.errors for x in runs_)
            res.add(
                section,
                f"`GET /v1/shops/{{id}}/health` latency, 1 connection, {what}",
                ms(p50),
                ms(p99),
                f"`GET /healthz`: p50 {ms(t50)}, p99 {ms(t99)}",
                f"{p50 / t50:.1f}x (p50)",
                tgt,
                verdict(p99 <= target_p99, errors) if target_p99 else "",
                f"median over {rounds} rounds of {lat_dur:.0f}s ({sum(x.requests for x in runs_):,} requests); per-round p99 {', '.join(ms(x.p99) for x in runs_)}"
                + (f"; {errors} errors" if errors else "")
                + ("" if target_p99 else "; the 20 ms target is for SQLite"),
            )
        c1 = [m.rps / t.rps for m, t in zip(lms, lts)]
        res.add(
            section,
            "throughput at 1 connection: health (mixed shops) / trivial",
            f"{med(x.rps for x in lms):,.0f} req/s (health)",
            "",
            f"`GET /healthz`: {med(x.rps for x in lts):,.0f} req/s",
            f"{med(c1):.2f}",
            "",
            "",
            "from the latency runs above (no concurrency); compare with the 4-connection ratio below",
        )

        log(f"http ({label}): throughput at {conns} connections, {rounds} interleaved rounds of {dur:.0f}s (trivial, health, ...)")
        tr, hr, hl = [], [], []
        for r in range(rounds):
            tr.append(ld.run(f"tp-trivial-{r}", "GET", trivial, auth, conns, dur, True))
            hr.append(ld.run(f"tp-health-{r}", "GET", mixed, auth, conns, dur, True))
        ratios = [h.rps / t.rps for h, t in zip(hr, tr)]
        errs = sum(x.errors for x in tr + hr)
        res.add(
            section,
            f"throughput: health / trivial, {conns} connections",
            f"{statistics.median(h.rps for h in hr):,.0f} req/s (health)",
            "",
            f"`GET /healthz`: {statistics.median(t.rps for t in tr):,.0f} req/s",
            f"{statistics.median(ratios):.2f}",
            "≥ 0.5" if label.startswith("SQLite") else "",
            verdict(statistics.median(ratios) >= 0.5, errs) if label.startswith("SQLite") else "",
            f"median of {rounds} interleaved pairs; per-pair ratios {', '.join(f'{x:.2f}' for x in ratios)}" + (f"; {errs} ERRORS" if errs else ""),
        )
        res.add(
            section,
            f"`GET /v1/shops/{{id}}/health` latency under load ({conns} connections, mixed shops)",
            ms(statistics.median(h.p50 for h in hr)),
            ms(statistics.median(h.p99 for h in hr)),
            f"`GET /healthz` at {conns}: p50 {ms(statistics.median(t.p50 for t in tr))}, p99 {ms(statistics.median(t.p99 for t in tr))}",
            "",
            "",
            "",
            "queueing included: one server process on a 2-core machine shared with the load generator",
        )

        if with_post:
            pack, _ = load_pack()
            pairs = [(t, sev) for t, vt in pack.types.items() for sev in vt.severities]
            posts = post_targets(ds, pairs)
            hdr = dict(auth, **{"Content-Type": "application/json"})
            import httpx

            r = httpx.post(srv.base + posts[0][0], content=posts[0][1], headers=hdr, timeout=30)
            if r.status_code != 201:
                raise RuntimeError(f"POST /v1/violations answered {r.status_code}: {r.text[:300]}")
            log(f"http ({label}): POST /v1/violations at {conns} connections, {dur:.0f}s x {rounds} (trivial between)")
            pr, ptr = [], []
            for r_ in range(rounds):
                ptr.append(ld.run(f"post-trivial-{r_}", "GET", trivial, auth, conns, dur, False))
                pr.append(ld.run(f"post-{r_}", "POST", posts, hdr, conns, dur, True))
            ok_rates = [p.rps * (1 - p.errors / p.requests) if p.requests else 0.0 for p in pr]
            perr = sum(p.errors for p in pr)
            res.add(
                section,
                f"`POST /v1/violations`: violations/s, {conns} connections",
                f"{statistics.median(ok_rates):,.0f} violations/s",
                f"latency p50 {ms(statistics.median(p.p50 for p in pr))}, p99 {ms(statistics.median(p.p99 for p in pr))}",
                f"`GET /healthz`: {statistics.median(t.rps for t in ptr):,.0f} req/s",
                f"{statistics.median(p / t.rps for p, t in zip(ok_rates, ptr)):.2f}",
                "",
                "",
                f"median of {rounds} runs; each a 201 (one transaction per violation)" + (f"; {perr} non-201/errors" if perr else ""),
            )
        rss = srv.rss_mb()
        if rss:
            res.facts[f"server RSS after the run ({label})"] = f"{rss:.0f} MB"


# --------------------------------------------------------------------------- in-process breakdown


def bench_breakdown(res: Results, ds: data.DataSet, url: str, quick: bool) -> None:
    """Where a health request's time goes, in-process on the loaded database (diagnostics).

    Uses only the service's public functions, so it keeps working while the store changes: the
    fold's own input is captured by wrapping `service.health.fold` for one call.
    """
    import orjson

    from shopwarden.service import health as health_service
    from shopwarden.service.auth import Principal, authenticate, create_key
    from shopwarden.service.context import open_context

    log("breakdown: the health path in-process, 50-violation shops")
    ctx = open_context(url, migrate=False)
    try:
        key = create_key(ctx, "platform", None, "bench-breakdown")
        who = Principal("bench", "platform", None)
        heavy = ds.heavy_shops
        n = 300 if quick else 1000
        counter = iter(range(10**9))

        def shop() -> str:
            return heavy[next(counter) % len(heavy)]

        captured: dict = {}
        real_fold = health_service.fold

        def capture(pack, events, at):
            captured.update(pack=pack, events=list(events), at=at)
            return real_fold(pack, events, at)

        health_service.fold = capture
        try:
            health_service.standing(ctx, who, heavy[0], None)
        finally:
            health_service.fold = real_fold
        pack, events, at = captured["pack"], captured["events"], captured["at"]
        steps = [
            ("`authenticate` (as the API calls it, repeated key)", lambda: authenticate(ctx, key)),
            ("`service.health.standing`: ledger read + fold", lambda: health_service.standing(ctx, who, shop(), None)),
            (f"fold alone ({len(events)} events)", lambda: real_fold(pack, events, at)),
            ("`service.health.health`: read + fold + JSON dict", lambda: health_service.health(ctx, who, shop(), None)),
            ("… + `orjson.dumps`", lambda: orjson.dumps(health_service.health(ctx, who, shop(), None), option=orjson.OPT_UTC_Z)),
        ]
        got = {}
        for name, fn in steps:
            samples, _ = time_calls(fn, 1, n)
            got[name] = pct(samples, 50)
            res.add("breakdown (in-process, SQLite)", name, us(pct(samples, 50)), us(pct(samples, 99)), "", "", "", "", f"{n} calls")
        st_key, fold_key = steps[1][0], steps[2][0]
        res.facts["ledger read (standing − fold, p50)"] = us(got[st_key] - got[fold_key])
    finally:
        ctx.db.dispose()


# --------------------------------------------------------------------------- PostgreSQL


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as c:
            c.execute("select 1")
        return True
    except Exception as exc:  # noqa: BLE001
        log(f"postgres: not reachable at {PG_ADMIN_URL} ({exc.__class__.__name__}); skipped")
        return False


def pg_recreate(drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        if not drop_only:
            c.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def bench_pg(res: Results, small: data.DataSet, client: str, quick: bool) -> None:
    url = pg_recreate()
    try:
        log(f"postgres: importing {small.violations:,} violations into database {PG_BENCH_DB}")
        got = cli_import(small, url, "pg", timeout=1800)
        rate = got.get("rate", small.violations / got["wall"])
        res.add("import (PostgreSQL)", f"`shopwarden import`, {small.violations:,} violations + {small.shops:,} shops, PostgreSQL", f"{rate:,.0f} violations/s", "", "", "", "", "", f"one run; {got.get('seconds', got['wall']):.1f}s")
        bench_http(res, small, url, f"PostgreSQL, {small.shops // 1000}k shops / {small.violations // 1000}k violations", client, True, False, None)
    finally:
        try:
            pg_recreate(drop_only=True)
        except Exception as exc:  # noqa: BLE001
            res.notes.append(f"could not drop the PostgreSQL bench database {PG_BENCH_DB}: {exc!r}")


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpus": f"{os.cpu_count()} (`nproc`: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}) {cpu}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "load average at start": load,
    }


def write_results(res: Results, args, ds: data.DataSet, small: data.DataSet, mach: dict, started: datetime, total: float, client: str) -> None:
    L: list[str] = []
    L.append("# shopwarden benchmarks\n")
    L.append(f"Written by `make bench` (`python -m bench.run{' --quick' if args.quick else ''}`) on {started:%Y-%m-%d %H:%M} UTC; the run took {total / 60:.1f} min.\n")
    if args.quick:
        L.append("**Quick smoke run (`--quick`): small data set and short measurements. Not the figures the issue asks for.**\n")
    L.append("The machine is small, shared and noisy: read the medians, p99s and the ratios to a baseline measured in the same run, not absolute figures from one run.\n")
    L.append("## Machine\n")
    for k, v in mach.items():
        L.append(f"- {k}: {v}")
    L.append(f"- load generator: {'wrk (one thread, Lua script rotating targets)' if client == 'wrk' else 'Python http.client threads (wrk not installed: throughput is partly client-bound)'}")
    L.append("")
    L.append("## Data set\n")
    L.append(f"- {ds.shops:,} shops, {ds.violations:,} violations (`{ds.path.name}`, {ds.bytes / 1e6:.0f} MB), pack `tiktok-shop`, seed {ds.seed}, issue times over the {data.SPAN_DAYS} days before {ds.anchor}")
    L.append(f"- {len(ds.heavy_shops):,} shops with exactly {data.HEAVY} violations; the rest Pareto-distributed (max {ds.max_per_shop} per shop, {ds.shops_without:,} shops with none)")
    if small.path != ds.path:
        L.append(f"- the in-process import repeats and PostgreSQL use the smaller set: {small.shops:,} shops / {small.violations:,} violations (`{small.path.name}`)")
    L.append("")
    L.append("## Results\n")
    L.append("| section | metric | median (p50) | p99 | baseline (same run) | ratio | target | result | notes |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for r in res.rows:
        v = f"**{r.verdict}**" if r.verdict else ""
        L.append(f"| {r.section} | {r.metric} | {r.p50} | {r.p99} | {r.baseline} | {r.ratio} | {r.target} | {v} | {r.note} |")
    L.append("")
    targets = [r for r in res.rows if r.verdict]
    if targets:
        passed = sum(r.verdict == "PASS" for r in targets)
        L.append(f"Targets: {passed} of {len(targets)} met.\n")
    if res.facts:
        L.append("## Details\n")
        for k, v in res.facts.items():
            L.append(f"- {k}: {v}")
        L.append("")
    if res.notes or res.errors:
        L.append("## Notes and errors\n")
        for n in res.errors:
            L.append(f"- ERROR: {n}")
        for n in res.notes:
            L.append(f"- {n}")
        L.append("")
    L.append("## How the figures are taken\n")
    L.append(
        "- **fold**: `core.ledger.standing.fold` on an in-memory event list (50 `ViolationIssued` over ~400 days, two appeals, one granted), "
        "timed per call with `perf_counter_ns`, baseline and fold runs interleaved; the baseline is a Python loop summing 50 ints.\n"
        "- **import**: `shopwarden import FILE` as a subprocess on a freshly migrated SQLite file; the figure is the rate the CLI prints "
        "(time inside the importer), the note gives the wall time of the whole command. The in-process repeats call "
        "`service.importer.import_jsonl` on the smaller file; their floor is the stdlib `sqlite3` inserting the same rows into a copy of the same migrated schema.\n"
        "- **HTTP**: `shopwarden serve` (one process) on the imported database, a platform key from `shopwarden keys create`; "
        "latency is taken at one connection (no queueing), throughput at four connections with the health and `/healthz` runs interleaved; "
        "the ratio is the median over the pairs. `POST /v1/violations` posts 2,000 distinct bodies in rotation (sampled shops, pack types).\n"
        "- **PostgreSQL** (when a server answers at `postgresql://postgres@127.0.0.1:5432`): a scratch database `shopwarden_bench`, created and dropped by the run."
    )
    L.append("")
    L.append("## Reproduce\n")
    L.append("```sh\nmake bench                                  # full: 100k shops, 1M violations\n"
             ".venv/bin/python -m bench.run --quick       # smoke: 10k shops, 100k violations\n"
             ".venv/bin/python -m bench.run --no-pg --reuse-db   # skip PostgreSQL; reuse the imported SQLite database\n"
             ".venv/bin/python -m bench.data --shops 1000 --violations 10000   # just the data file\n```\n")
    L.append("`wrk` is used when installed (`apt-get install -y wrk`); otherwise a Python client. Work files are in `bench/_work/` (git-ignored).")
    RESULTS.write_text("\n".join(L) + "\n", encoding="utf-8")
    log(f"wrote {RESULTS}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="shopwarden benchmarks; writes bench/RESULTS.md")
    ap.add_argument("--shops", type=int)
    ap.add_argument("--violations", type=int)
    ap.add_argument("--quick", action="store_true", help="smoke run: 10k shops / 100k violations, short measurements")
    ap.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL section")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto", help="load generator (auto: wrk if installed)")
    ap.add_argument("--reuse-db", action="store_true", help="reuse the SQLite database a previous run imported (skips the import figures)")
    ap.add_argument("--only", choices=("fold", "import", "http", "pg"), action="append", help="run only these sections (http needs the database)")
    ap.add_argument("--out", type=Path, help="write the results here instead of bench/RESULTS.md")
    args = ap.parse_args(argv)
    global RESULTS
    if args.out:
        RESULTS = args.out
    shops = args.shops or (10_000 if args.quick else 100_000)
    violations = args.violations or (100_000 if args.quick else 1_000_000)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        ap.error("wrk is not installed")
    only = set(args.only or ("fold", "import", "http", "pg"))
    started = datetime.now(timezone.utc)
    WORK.mkdir(parents=True, exist_ok=True)
    mach = machine()
    log(f"shopwarden bench: {shops:,} shops, {violations:,} violations; {mach['cpus']}; {mach['python']}; client {client}")
    res = Results()

    ds = data.generate(shops, violations, log=log)
    small = ds if (shops, violations) == (10_000, 100_000) else data.generate(10_000, 100_000, log=log)
    db = WORK / f"sqlite-{shops}-{violations}.db"

    def section(name: str, fn, *a) -> None:
        if name not in only:
            return
        try:
            fn(*a)
        except Exception as exc:  # noqa: BLE001 - one broken section must not lose the others
            import traceback

            traceback.print_exc()
            res.errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
            log(f"{name}: FAILED: {exc!r}")

    section("fold", bench_fold, res, args.quick)
    section("import", bench_import, res, ds, small, db, args.reuse_db, args.quick)
    have_db = db.exists() and db.with_suffix(".complete").exists()
    if "http" in only and not have_db:
        res.errors.append("http: no imported database (the import failed or was skipped)")
    elif have_db:
        section("http", bench_http, res, ds, f"sqlite:///{db}", f"SQLite, {shops // 1000}k shops / {violations // 1000}k violations", client, args.quick, True, 0.020)
        section("http", bench_breakdown, res, ds, f"sqlite:///{db}", args.quick)
    if not args.no_pg and "pg" in only and pg_available():
        section("pg", bench_pg, res, small, client, args.quick)
    elif args.no_pg:
        res.notes.append("PostgreSQL skipped (--no-pg)")
    if db.exists():
        res.facts["SQLite database"] = f"{db.name}: {db.stat().st_size / 1e6:.0f} MB"
    res.facts["load average at the end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    total = perf_counter() - T0
    write_results(res, args, ds, small, mach, started, total, client)
    fails = [r for r in res.rows if r.verdict == "FAIL"]
    log(f"done in {total / 60:.1f} min: {len(res.rows)} figures, {len(fails)} targets missed, {len(res.errors)} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
