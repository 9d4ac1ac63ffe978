"""`make bench`: shopwarden's benchmarks; writes bench/RESULTS.md.

    python -m bench.run [--shops N] [--violations M] [--quick] [--no-pg] [--client wrk|python] [--only SECTION ...]

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
   endpoint), same load, interleaved; latency at one connection, throughput at four. Twice on
   SQLite: cold (the health cache off: every request reads and folds, as for a never-seen shop)
   and warm (the cache on: after the warm-up every rotated shop has a kept answer).
4. `POST /v1/violations` at four keep-alive connections against the same server.
5. optional: the same health latency on PostgreSQL with a smaller data set.
6. scan: ~300-character listings (`bench/listings.py`) through every text detector on one core,
   per listing, against `phonenumbers.PhoneNumberMatcher` alone on the same texts; each
   detector's share; `PUT /v1/products/{id}` (the listing gate) and `POST /v1/scan` at four
   connections on a fresh SQLite database with a douyin shop.
7. images (`bench/images.py`): PDQ hashes per second per core on drawn ~800 px product images,
   beside the decode alone; OCR seconds per image (the rapidocr engine of service/image_text).
   And (`bench/large_images.py`) `PUT /v1/products` naming 7 new 6000x6000 PNGs on a served process,
   against the same listing with 800 px images; the probe's 20 such images; the server's peak RSS.
8. same_product (`bench/images.py`): lookups in the banned-product index (MinHash LSH + faiss
   HNSW + `compare`) over 1M synthetic fingerprints (20k with --quick; about 11 min and 12.5 GiB;
   SHOPWARDEN_BENCH_SAME_PRODUCT_N lowers it, and 1M is then extrapolated), and memory per indexed product.
9. pages (`bench/pages.py`, issue 6): the seller centre's and the console's pages over HTTP, signed in
   through the sign-in form, at one connection, on a prepared copy of the imported database (keys,
   scanned listings, review cases, appeals, reviews and reports put in through the service layer),
   p50/p95/p99 per page beside `GET /healthz` and the API's health read in the same rounds; target p95 < 100 ms.

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
SECTIONS = ("fold", "import", "http", "pages", "pg", "scan", "images", "same_product", "reviews", "creators", "experience")
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
    def __init__(self, url: str, label: str, env: dict[str, str] | None = None):
        self.url, self.label = url, re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.logf = None

    def __enter__(self) -> "Server":
        self.logf = (WORK / f"serve-{self.label}.log").open("w")
        self.proc = subprocess.Popen(shopwarden_cmd() + ["serve", "--port", str(self.port)], env=cli_env(self.url) | self.env, stdout=self.logf, stderr=subprocess.STDOUT, cwd=ROOT)
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


def bench_http(res: Results, ds: data.DataSet, url: str, label: str, client: str, quick: bool, with_post: bool, target_p99: float | None, cold: bool = False) -> None:
    """`cold`: the server's health cache off (SHOPWARDEN_HEALTH_CACHE=off), so every request reads and
    folds, as for a shop the server has never seen; otherwise warm: the warm-up and the latency runs
    have requested every rotated shop, so the throughput runs find kept answers (api/fast_health.py,
    service/health.py `HealthCache`)."""
    dur = 3.0 if quick else 5.0
    lat_dur = 3.0 if quick else 5.0
    rounds = 2 if quick else 3
    conns = 4
    sqlite = label.startswith("SQLite")
    if sqlite:
        label += ", cold: health cache off" if cold else ", warm: health cache on"
    section = f"HTTP ({label})"
    log(f"http ({label}): starting `shopwarden serve`")
    with Server(url, label, {"SHOPWARDEN_HEALTH_CACHE": "off"} if cold else None) as srv:
        key = run_cli(["keys", "create", "--role", "platform", "--label", "bench"], url, 120).stdout.strip().splitlines()[-1]
        res.facts[f"server ({label})"] = f"`shopwarden serve --port {srv.port}` (one uvicorn process{', SHOPWARDEN_HEALTH_CACHE=off' if cold else ''}), database {url}"
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
        ratio = statistics.median(ratios)
        if not sqlite:
            which = "no health cache on PostgreSQL (it cannot tell whether anyone committed): every request reads and folds; "
        elif cold:
            which = f"cold: the target is {'met' if ratio >= 0.5 else 'NOT met'} cold (every request reads and folds, as for a never-seen shop); the warm row is the one with a verdict; "
        else:
            which = f"warm: the target is {'met' if ratio >= 0.5 else 'NOT met'} warm (the warm-up and latency runs requested every rotated shop, so these runs find kept answers; the cold rows have none); "
        res.add(
            section,
            f"throughput: health / trivial, {conns} connections",
            f"{statistics.median(h.rps for h in hr):,.0f} req/s (health)",
            "",
            f"`GET /healthz`: {statistics.median(t.rps for t in tr):,.0f} req/s",
            f"{ratio:.2f}",
            ("≥ 0.5 (judged warm)" if cold else "≥ 0.5") if sqlite else "",
            verdict(ratio >= 0.5, errs) if sqlite and not cold else "",
            which + f"median of {rounds} interleaved pairs; per-pair ratios {', '.join(f'{x:.2f}' for x in ratios)}" + (f"; {errs} ERRORS" if errs else ""),
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
        _breakdown_cache(res, ctx, who, heavy)
    finally:
        ctx.db.dispose()


def _breakdown_cache(res: Results, ctx, who, shops: list[str]) -> None:
    """The fast route's service call (`HealthCache.get` + the body composed as the route does) on each
    50-violation shop twice: first never seen (read + fold + render, kept), then its kept answer."""
    from shopwarden.api.fast_health import body, parts
    from shopwarden.service.health import HealthCache

    cache = HealthCache(ctx, parts)
    try:
        passes = {}
        for name in ("never seen", "kept"):
            gc.collect()
            samples = []
            for shop in shops:
                t0 = perf_counter_ns()
                body(*cache.get(who, shop, None))
                samples.append(perf_counter_ns() - t0)
            passes[name] = samples
        for name, what in (("never seen", "a never-seen shop: read + fold + render, then kept"), ("kept", "a kept answer: version check + lookup + body")):
            xs = passes[name]
            res.add("breakdown (in-process, SQLite)", f"`HealthCache.get` + body (the fast route's work), {what}", us(pct(xs, 50)), us(pct(xs, 99)), "", "", "", "",
                    f"{len(xs)} calls, one per 50-violation shop; hits {cache.hits}, misses {cache.misses} over both passes")
    finally:
        cache.close()


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


# --------------------------------------------------------------------------- 6. text scanning

SCAN_TARGET = 2_000  # listings/s per core with every text detector on (issue 3)
SCAN_DATA = ROOT / "tests" / "data"  # the evaluation brand registry: listings_eval_brands.json
SCAN_SHOP = "bench-dy"


def scan_size(quick: bool) -> int:
    return 1_000 if quick else 3_000


def _fresh_caches(index) -> None:
    """Empty the caches that remember texts (the normalizer's, the brand index's lookups), so that
    every pass pays for each listing as the server does the first time it sees it."""
    from shopwarden.core.text.normalize import normalize

    normalize.cache_clear()
    find = getattr(index, "_find", None)
    if hasattr(find, "cache_clear"):
        find.cache_clear()


@dataclass
class Pass:
    """Per-item times of one pass: `cpu` is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which
    does not run while other people's processes have the core; `wall` is `perf_counter_ns`."""

    cpu: list[int]
    wall: list[int]


def _scan_pass(fn, items, index) -> Pass:
    """Per-item ns of `fn(item)` over `items`, caches emptied first."""
    _fresh_caches(index)
    gc.collect()
    wall, cpu = perf_counter_ns, time.thread_time_ns
    w: list[int] = []
    c: list[int] = []
    for item in items:
        c0 = cpu()
        t0 = wall()
        fn(item)
        t1 = wall()
        c1 = cpu()
        w.append(t1 - t0)
        c.append(c1 - c0)
    return Pass(c, w)


def _rate(samples: list[int]) -> float:
    """Listings per second of one pass: listings over the sum of their times."""
    return len(samples) / (sum(samples) / 1e9)


def bench_scan(res: Results, quick: bool) -> None:
    """Every text detector on one core, in-process, against phonenumbers' matcher on the same texts."""
    import phonenumbers

    from bench import listings
    from evals import listings_eval
    from shopwarden.core.detect import DetectContext, ShopInfo, Subject, default_registry

    n = scan_size(quick)
    rounds = 3 if quick else 5
    det_rounds = 1 if quick else 3
    corpus = listings.generate(n)
    index, at = listings_eval.registry(SCAN_DATA)
    from shopwarden.service.policies import load_builtin_packs

    # DY-DV reads the market lexicons of the pack: the largest one (nine markets) is the worst case
    lexicons = load_builtin_packs()["tiktok-shop"].lexicons
    ctx = DetectContext(shop=ShopInfo(SCAN_SHOP, "enterprise"), brands=index, at=at, lexicons=lexicons)
    registry = default_registry()
    detectors = list(registry)

    t0 = perf_counter_ns()
    subjects = [Subject.from_listing(listing, SCAN_SHOP) for listing in corpus.listings]
    build_us = (perf_counter_ns() - t0) / n / 1000
    # the baseline reads the very strings the detectors read: title, description, attributes, SKU names
    texts = [
        [s.fields["title"], s.fields["description"], s.fields["attributes"]] + [v for k, v in s.fields.items() if k.endswith("].name")]
        for s in subjects
    ]
    chars = [sum(map(len, t)) for t in texts]
    res.facts["scan corpus"] = (
        f"{n:,} listings from `bench/listings.py` (seed {corpus.seed}): title + description + attributes + 3 SKU names = "
        f"{statistics.mean(chars):.0f} characters on average (min {min(chars)}, max {max(chars)}); "
        f"{len(corpus.contact_kinds)} with a disguised contact ({len(corpus.contact_kinds) / n:.1%}), "
        f"{len(corpus.branded)} naming a brand of `tests/data/listings_eval_brands.json` ({len(index)} brands); zh/en mix"
    )
    log(f"scan: {n:,} listings of ~{statistics.mean(chars):.0f} characters, {len(detectors)} detectors: {', '.join(registry.kinds)}")

    # warm the lazy tables (OpenCC, the lexicon, phonenumbers' metadata), and check the detectors do real work
    matcher = phonenumbers.PhoneNumberMatcher

    def baseline(fields: list[str]) -> None:
        for text in fields:
            for _ in matcher(text, "CN"):
                pass

    by_rule: dict[str, int] = {}
    dv_on_contacts = dv_on_clean = 0
    for i, s in enumerate(subjects):
        rules = {f.rule for f in registry.scan(s, ctx)}
        for rule in rules:
            by_rule[rule] = by_rule.get(rule, 0) + 1
        if "DY-DV" in rules:
            if i in corpus.contact_kinds:
                dv_on_contacts += 1
            else:
                dv_on_clean += 1
    baseline_hits = sum(1 for t in texts if any(True for x in t for _ in matcher(x, "CN")))
    res.facts["scan findings (sanity)"] = (
        f"listings with a finding, by rule: {', '.join(f'{k} {v}' for k, v in sorted(by_rule.items())) or 'none'}; "
        f"DY-DV on {dv_on_contacts} of the {len(corpus.contact_kinds)} listings with a contact and on {dv_on_clean} of the "
        f"{n - len(corpus.contact_kinds)} without; phonenumbers' matcher finds a number in {baseline_hits} listings"
    )
    log(f"  {res.facts['scan findings (sanity)']}")
    for fields in texts[:200]:
        baseline(fields)

    scan = registry.scan
    load_before = os.getloadavg()[0]
    log(f"scan: {rounds} rounds over {n:,} listings, every detector and the phonenumbers baseline alternating")
    all_s: list[int] = []  # CPU ns per listing
    all_w: list[int] = []  # wall ns per listing
    base_s: list[int] = []
    base_w: list[int] = []
    rates, brates, ratios, p99s, wrates, wratios = [], [], [], [], [], []
    for r in range(rounds):
        passes = [("all", lambda s: scan(s, ctx), subjects), ("base", baseline, texts)]
        got = {}
        for name, fn, items in passes if r % 2 == 0 else passes[::-1]:
            got[name] = _scan_pass(fn, items, index)
        a, b = got["all"], got["base"]
        all_s += a.cpu
        all_w += a.wall
        base_s += b.cpu
        base_w += b.wall
        rates.append(_rate(a.cpu))
        brates.append(_rate(b.cpu))
        ratios.append(sum(a.cpu) / sum(b.cpu))
        wrates.append(_rate(a.wall))
        wratios.append(sum(a.wall) / sum(b.wall))
        p99s.append(pct(a.cpu, 99))
        log(f"  round {r + 1}: {rates[-1]:,.0f} listings per CPU-second (wall clock {wrates[-1]:,.0f}/s; CPU p50 {us(pct(a.cpu, 50))}, p99 {us(p99s[-1])}); "
            f"baseline {brates[-1]:,.0f}/s; ratio {ratios[-1]:.2f}")  # fmt: skip
    load = f"load average {load_before:.2f} → {os.getloadavg()[0]:.2f}"
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    section = "scan (in-process, 1 core)"
    res.add(
        section,
        f"every text detector ({len(detectors)}) via `default_registry().scan`: listings per second per core, ~{statistics.mean(chars):.0f}-character listings",
        f"{rate:,.0f} listings/s",
        f"slowest round {min(rates):,.0f}/s",
        f"`phonenumbers.PhoneNumberMatcher(text, \"CN\")` alone, same texts: {statistics.median(brates):,.0f} listings/s",
        f"{ratio:.1f}x (time)",
        f"≥ {SCAN_TARGET:,} listings/s",
        verdict(rate >= SCAN_TARGET),
        f"median of {rounds} rounds over {n:,} listings; a round: listings ÷ the thread's CPU time, per round {', '.join(f'{x:,.0f}' for x in rates)}/s; "
        f"by the wall clock (including the time other processes had the core; {load}): median {statistics.median(wrates):,.0f}/s, per round {', '.join(f'{x:,.0f}' for x in wrates)}; "
        f"ratio = detectors' CPU time ÷ the matcher's, per round {', '.join(f'{x:.2f}' for x in ratios)} (wall clock: {statistics.median(wratios):.2f})",
    )
    res.add(
        section,
        "per listing, every detector (thread CPU time around each `scan`)",
        us(pct(all_s, 50)),
        us(pct(all_s, 99)),
        f"the matcher: p50 {us(pct(base_s, 50))}, p99 {us(pct(base_s, 99))}",
        f"{pct(all_s, 50) / pct(base_s, 50):.1f}x (p50)",
        "",
        "",
        f"{len(all_s):,} listings scanned; per-round p99 {', '.join(us(x) for x in p99s)}; max {us(max(all_s))}; "
        f"by the wall clock (`perf_counter_ns`): p50 {us(pct(all_w, 50))}, p99 {us(pct(all_w, 99))} (the matcher: p50 {us(pct(base_w, 50))}, p99 {us(pct(base_w, 99))})",
    )

    log(f"scan: each detector alone ({det_rounds} round(s)), and each detector's part of a whole scan")
    clock = time.thread_time_ns
    alone: dict[str, list[int]] = {d.kind: [] for d in detectors}
    inside: dict[str, list[int]] = {d.kind: [] for d in detectors}
    for _ in range(det_rounds):
        for d in detectors:
            alone[d.kind] += _scan_pass(lambda s, d=d: d.detect(s, ctx), subjects, index).cpu
        _fresh_caches(index)
        gc.collect()
        for s in subjects:  # Registry.scan's loop, each detector timed: shares that add up to the whole
            for d in detectors:
                t0 = clock()
                d.detect(s, ctx)
                inside[d.kind].append(clock() - t0)
    full_mean = statistics.mean(all_s)
    inside_total = sum(sum(v) for v in inside.values())
    shares = {}
    for d in detectors:
        a, i_ = alone[d.kind], inside[d.kind]
        shares[d.kind] = sum(i_) / inside_total
        res.add(
            "scan: per detector (in-process, 1 core)",
            f"`{d.kind}` ({', '.join(d.rules)}) alone, per listing",
            us(pct(a, 50)),
            us(pct(a, 99)),
            "",
            f"{shares[d.kind]:.1%} of a scan",
            "",
            "",
            f"alone: {_rate(a):,.0f} listings/s, mean {us(statistics.mean(a))} = {statistics.mean(a) / full_mean:.0%} of a whole scan's mean; "
            f"inside a whole scan: mean {us(statistics.mean(i_))}",
        )
    # the step every detector shares, alone: the views of every text field the detectors read
    from shopwarden.core.text.normalize import normalize

    fields_all = [list(s.text_fields.values()) for s in subjects]

    def views(fields: list[str]) -> None:
        for text in fields:
            v = normalize(text)
            v.folded, v.compact, v.digits  # noqa: B018 - built lazily: asking builds them

    norm_s: list[int] = []
    for _ in range(det_rounds):
        norm_s += _scan_pass(views, fields_all, index).cpu
    res.add(
        "scan: per detector (in-process, 1 core)",
        "the shared normalization alone (folded, compact and digit views of every text field)",
        us(pct(norm_s, 50)),
        us(pct(norm_s, 99)),
        "",
        f"{statistics.mean(norm_s) / full_mean:.1%} of a scan",
        "",
        "",
        "included in the detectors' figures above: paid once per text, inside a scan by the first detector that asks",
    )
    res.facts["scan: detector shares"] = (
        "all in-process figures are the thread's CPU time; share = the detector's time inside whole scans (Registry.scan's loop, registration order, each detector timed), so the shares add up to 100 %; "
        "a text's normalized views are built once per listing and paid by the first detector that asks for them (usually `contact_diversion`), "
        "which is why each detector alone costs more than its share: "
        + ", ".join(f"{k} {v:.1%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]))
    )
    res.facts["scan: building the subject"] = f"`Subject.from_listing` (not in the figures above): {build_us:.1f} µs per listing on average"


def gate_run(base: str, method: str, path_of, bodies: list[bytes], headers: dict[str, str], conns: int, seconds: float, limit: int, field_: str | None) -> tuple[Load, dict[str, int]]:
    """`conns` keep-alive http.client connections taking request numbers from one counter: request k
    goes to `path_of(k)` with `bodies[k % len(bodies)]`; at most `limit` requests, `seconds` long.
    Tallies `field_` of the JSON answers (the listing's status, the scan's decision)."""
    import http.client
    import itertools

    host, port = base.removeprefix("http://").split(":")
    stop = perf_counter() + seconds
    lock = threading.Lock()
    counter = itertools.count()
    times: list[float] = []
    counts = {"ok": 0, "err": 0}
    tally: dict[str, int] = {}
    first_error: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        ok, err, local, seen = 0, 0, [], {}
        try:
            while perf_counter() < stop:
                with lock:
                    k = next(counter)
                if k >= limit:
                    break
                t0 = perf_counter()
                try:
                    conn.request(method, path_of(k), body=bodies[k % len(bodies)], headers=headers)
                    r = conn.getresponse()
                    payload = r.read()
                    status = r.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=30)
                    status, payload = 0, repr(exc).encode()
                local.append(perf_counter() - t0)
                if 200 <= status < 300:
                    ok += 1
                    if field_:
                        value = str(json.loads(payload).get(field_))
                        seen[value] = seen.get(value, 0) + 1
                else:
                    err += 1
                    if not first_error:
                        first_error.append(f"{status}: {payload[:300]!r}")
        finally:
            conn.close()
            with lock:
                counts["ok"] += ok
                counts["err"] += err
                times.extend(local)
                for key, v in seen.items():
                    tally[key] = tally.get(key, 0) + v

    start = perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = perf_counter() - start
    n = counts["ok"] + counts["err"]
    load = Load(counts["ok"] / elapsed, n, counts["err"], pct(times, 50), pct(times, 99))
    if first_error:
        log(f"  first error: {first_error[0]}")
    return load, tally


def bench_scan_http(res: Results, quick: bool) -> None:
    """`PUT /v1/products/{id}` (the listing gate) and `POST /v1/scan` at four connections, on a fresh
    SQLite database with one douyin shop and the evaluation brand registry."""
    import httpx

    from bench import listings

    n = scan_size(quick)
    rounds = 2 if quick else 3
    dur = 3.0 if quick else 5.0
    conns = 4
    corpus = listings.generate(n)
    db = WORK / "scan-http.db"
    remove_sqlite(db)
    url = f"sqlite:///{db}"
    log("scan over HTTP: a fresh SQLite database, a platform key, `shopwarden serve`")
    run_cli(["db", "upgrade"], url, 300)
    key = run_cli(["keys", "create", "--role", "platform", "--label", "bench-scan"], url, 120).stdout.strip().splitlines()[-1]
    label = "scan over HTTP (SQLite, one douyin shop)"
    with Server(url, "scan-sqlite") as srv:
        auth = {"Authorization": f"Bearer {key}"}
        hdr = dict(auth, **{"Content-Type": "application/json"})
        with httpx.Client(base_url=srv.base, headers=auth, timeout=30) as c:
            r = c.put(f"/v1/shops/{SCAN_SHOP}", json={"name": "抖店好物 bench", "kind": "enterprise", "policy": "douyin"})
            if r.status_code not in (200, 201):
                raise RuntimeError(f"PUT /v1/shops answered {r.status_code}: {r.text[:300]}")
            brands = listings.load_brands()
            for b in brands:
                body = {"name": b["name"], "aliases": b["aliases"], "restricted": b["restricted"], "registered": b.get("registered", True),
                        "owner": b.get("owner"), "categories": b.get("categories", [])}  # fmt: skip
                r = c.put(f"/v1/brands/{b['brand_id']}", json=body)
                if r.status_code not in (200, 201):
                    raise RuntimeError(f"PUT /v1/brands/{b['brand_id']} answered {r.status_code}: {r.text[:300]}")
            # one listing with a contact, one clean: the gate must tell them apart
            dirty = next(iter(corpus.contact_kinds))
            clean = next(i for i in range(n) if i not in corpus.contact_kinds and i not in corpus.branded)
            seen = []
            for i in (dirty, clean):
                r = c.put(f"/v1/products/check-{i}", json=dict(corpus.listings[i], shop_id=SCAN_SHOP))
                if r.status_code != 200:
                    raise RuntimeError(f"PUT /v1/products answered {r.status_code}: {r.text[:300]}")
                got = r.json()
                seen.append(f"listing {i} ({corpus.contact_kinds.get(i, 'clean')}): {got['status']}, rules {sorted({f['rule'] for f in got['findings']})}")
        res.facts["server (scan over HTTP)"] = f"`shopwarden serve --port {srv.port}` (one uvicorn process), fresh database {db.name}, shop {SCAN_SHOP} (enterprise, pack douyin), {len(brands)} brands registered through `PUT /v1/brands`; check: " + "; ".join(seen)
        log(f"  check: {'; '.join(seen)}")

        put_bodies = [json.dumps(dict(listing, shop_id=SCAN_SHOP), ensure_ascii=False).encode() for listing in corpus.listings]
        scan_bodies = [json.dumps(dict(listing, shop_id=SCAN_SHOP, kind="listing"), ensure_ascii=False).encode() for listing in corpus.listings]
        limit = 100_000

        def put_paths(tag: str):
            return lambda k: f"/v1/products/bp{tag}-{k}"

        def run(name, method, path_of, bodies, field_):
            load, tally = gate_run(srv.base, method, path_of, bodies, hdr, conns, dur if not name.startswith("warm") else 2.0, limit, field_)
            log(f"  {name}: {load.rps:,.0f}/s over {load.requests:,} requests at {conns} connections, p50 {ms(load.p50)} p99 {ms(load.p99)}"
                + (f", {load.errors} ERRORS" if load.errors else "") + (f"; {tally}" if tally else ""))  # fmt: skip
            return load, tally

        log(f"scan over HTTP: warm-up, then {rounds} rounds of {dur:.0f}s at {conns} connections (GET /healthz, PUT /v1/products, POST /v1/scan)")
        trivial = [b""]
        run("warm-put", "PUT", put_paths("w"), put_bodies, None)
        run("warm-scan", "POST", lambda k: "/v1/scan", scan_bodies, None)
        puts, scans, healthz = [], [], []
        put_tally: dict[str, int] = {}
        scan_tally: dict[str, int] = {}
        for r_ in range(rounds):
            healthz.append(run(f"healthz-{r_}", "GET", lambda k: "/healthz", trivial, None)[0])
            load, tally = run(f"put-{r_}", "PUT", put_paths(str(r_)), put_bodies, "status")
            puts.append(load)
            for k, v in tally.items():
                put_tally[k] = put_tally.get(k, 0) + v
            load, tally = run(f"scan-{r_}", "POST", lambda k: "/v1/scan", scan_bodies, "decision")
            scans.append(load)
            for k, v in tally.items():
                scan_tally[k] = scan_tally.get(k, 0) + v
        rss = srv.rss_mb()
    med = statistics.median
    h_rps = med(x.rps for x in healthz)
    put_rps = med(x.rps for x in puts)
    perr = sum(x.errors for x in puts)
    total = sum(put_tally.values()) or 1
    outcome = ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(put_tally.items()))
    res.add(
        label,
        f"`PUT /v1/products/{{id}}` (scan + store + consequences): listings/s, {conns} connections",
        f"{put_rps:,.0f} listings/s",
        "",
        f"`GET /healthz`, same client: {h_rps:,.0f} req/s",
        f"{med(p.rps / t.rps for p, t in zip(puts, healthz)):.2f}",
        "",
        "",
        f"median of {rounds} runs of {dur:.0f}s, per run {', '.join(f'{x.rps:,.0f}' for x in puts)}/s; every request a new product id; "
        f"answers: {outcome}" + (f"; {perr} non-2xx/errors" if perr else "") + "; the 2,000/s target is per core in-process, above",
    )
    res.add(
        label,
        f"`PUT /v1/products/{{id}}` latency at {conns} connections",
        ms(med(x.p50 for x in puts)),
        ms(med(x.p99 for x in puts)),
        f"`GET /healthz` at {conns}: p50 {ms(med(x.p50 for x in healthz))}, p99 {ms(med(x.p99 for x in healthz))}",
        f"{med(x.p50 for x in puts) / med(x.p50 for x in healthz):.1f}x (p50)",
        "",
        "",
        f"{sum(x.requests for x in puts):,} requests; per-run p99 {', '.join(ms(x.p99) for x in puts)}; queueing included (one server process, the client on the same 2 cores)",
    )
    serr = sum(x.errors for x in scans)
    stotal = sum(scan_tally.values()) or 1
    res.add(
        label,
        f"`POST /v1/scan` (stateless: scan + decide, nothing stored), same listings, {conns} connections",
        f"{med(x.rps for x in scans):,.0f} listings/s",
        f"latency p50 {ms(med(x.p50 for x in scans))}, p99 {ms(med(x.p99 for x in scans))}",
        f"`GET /healthz`, same client: {h_rps:,.0f} req/s",
        f"{med(s.rps / t.rps for s, t in zip(scans, healthz)):.2f}",
        "",
        "",
        f"median of {rounds} runs; decisions: {', '.join(f'{k} {v / stotal:.1%}' for k, v in sorted(scan_tally.items()))}" + (f"; {serr} non-2xx/errors" if serr else ""),
    )
    try:
        con = sqlite3.connect(db)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("products", "product_versions", "violations", "cases", "rectification_tasks")}
        con.close()
        res.facts["stored by the gate (scan over HTTP)"] = ", ".join(f"{t} {v:,}" for t, v in counts.items())
    except sqlite3.Error as exc:
        res.notes.append(f"could not count the gate's rows: {exc!r}")
    if rss:
        res.facts["server RSS after the run (scan over HTTP)"] = f"{rss:.0f} MB"
    try:
        _scan_service_breakdown(res, url, corpus, quick)
    except Exception as exc:  # noqa: BLE001 - diagnostics only
        res.errors.append(f"scan: in-process breakdown failed: {exc!r}")
        log(f"  scan breakdown failed: {exc!r}")
    remove_sqlite(db)


def _scan_service_breakdown(res: Results, url: str, corpus, quick: bool) -> None:
    """Where a gate request's time goes without HTTP: the request model, the service calls, on the
    database the HTTP runs just filled (diagnostics; one call at a time, one core)."""
    from shopwarden.api.schemas import ListingScan, ProductIn
    from shopwarden.service import products, scanning
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context

    n = 300 if quick else 1000
    raw = [dict(listing, shop_id=SCAN_SHOP) for listing in corpus.listings[:n]]
    put_bodies = [ProductIn.model_validate(b).model_dump(mode="python") for b in raw]
    scan_bodies = [ListingScan.model_validate(dict(b, kind="listing")).model_dump(mode="python") for b in raw]
    encoded = [json.dumps(b, ensure_ascii=False).encode() for b in raw]
    ctx = open_context(url, migrate=False)
    who = Principal("bench-scan", "platform", None)
    section = "scan: where a request goes (in-process, SQLite)"
    log(f"scan: the gate in-process, {n} calls each (request model, `scanning.scan`, `products.put`)")
    try:
        steps = [
            ("request model: `ProductIn.model_validate_json` + `model_dump` (as FastAPI does)", encoded,
             lambda b: ProductIn.model_validate_json(b).model_dump(mode="python")),
            ("`service.scanning.scan` (shop, brand index and qualifications read + every detector + decide)", scan_bodies,
             lambda b: scanning.scan(ctx, who, b)),
            ("`service.products.put` (the same + store the version + consequences, one transaction)", put_bodies,
             lambda b, c=iter(range(10**9)): products.put(ctx, who, f"bench-inproc-{next(c)}", b)),
        ]  # fmt: skip
        for name, items, fn in steps:
            for b in items[:20]:  # warm-up
                fn(b)
            got = _scan_pass(fn, items, None)
            res.add(section, name, us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(items)} calls, wall clock; mean {us(statistics.mean(got.wall))}; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}")
        # the two halves of `scanning.scan`: the detector context read from the database, and the scan itself
        from shopwarden.store import shops as shop_store

        at = ctx.clock()
        with ctx.db.read() as session:
            shop = shop_store.get(session, SCAN_SHOP)
            pack = ctx.pack(shop.policy_id)
            dctx = scanning.detect_context(ctx, session, shop, pack, at)
            got = _scan_pass(lambda _: scanning.detect_context(ctx, session, shop, pack, at), range(len(scan_bodies)), None)
        res.add(section, "part of `scanning.scan`: `detect_context` alone (brand registry version, qualifications, declarations: the DB reads)", us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(scan_bodies)} calls in one read session, wall clock; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}")
        subjects = [scanning.subject_of("listing", b, SCAN_SHOP) for b in scan_bodies]
        got = _scan_pass(lambda sub: scanning.run(pack, sub, dctx), subjects, dctx.brands)
        res.add(section, f"part of `scanning.scan`: `run` alone (every detector + the {pack.id} decision table)", us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(subjects)} calls, wall clock; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}, {_rate(got.cpu):,.0f} per CPU-second")
    finally:
        ctx.db.dispose()


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


def code_state() -> str:
    """The commit measured, and any uncommitted change under src/ (others may be editing the tree)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.split("\n")
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc.__class__.__name__})"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"commit {head or '?'}" + (f", with uncommitted changes under src/: {', '.join(changed)}" if changed else ", src/ clean")


def write_results(res: Results, args, ds: data.DataSet, small: data.DataSet, mach: dict, started: datetime, total: float, client: str) -> None:
    L: list[str] = []
    L.append("# shopwarden benchmarks\n")
    L.append(f"Written by `make bench` (`python -m bench.run{' --quick' if args.quick else ''}{''.join(f' --only {x}' for x in args.only or ())}`) on {started:%Y-%m-%d %H:%M} UTC; the run took {total / 60:.1f} min.\n")
    if args.quick:
        L.append("**Quick smoke run (`--quick`): small data set and short measurements. Not the figures the issue asks for.**\n")
    L.append("The machine is small, shared and noisy: read the medians, p99s and the ratios to a baseline measured in the same run, not absolute figures from one run.\n")
    L.append("## Machine\n")
    for k, v in mach.items():
        L.append(f"- {k}: {v}")
    ran = set(args.only or SECTIONS)
    if ran & {"http", "pg"}:
        L.append(f"- load generator: {'wrk (one thread, Lua script rotating targets)' if client == 'wrk' else 'Python http.client threads (wrk not installed: throughput is partly client-bound)'}")
    if "pages" in ran:
        L.append("- client for the pages section: Python http.client in the bench process, one keep-alive connection, a signed-in session cookie per caller")
    if "scan" in ran:
        L.append("- load generator for the scan section's HTTP figures: Python http.client threads in the bench process (one keep-alive connection each), on the same 2 cores as the server")
    L.append("")
    L.append("## Data set\n")
    if ds is None:
        L.append("- no violation data set this run (only sections that need none: " + ", ".join(sorted(set(args.only or SECTIONS))) + ")")
    if "scan" in set(args.only or SECTIONS) and "scan corpus" in res.facts:
        L.append(f"- text scanning: {res.facts.pop('scan corpus')}")
    if ds is not None:
        L.append(f"- {ds.shops:,} shops, {ds.violations:,} violations (`{ds.path.name}`, {ds.bytes / 1e6:.0f} MB), pack `tiktok-shop`, seed {ds.seed}, issue times over the {data.SPAN_DAYS} days before {ds.anchor}")
        L.append(f"- {len(ds.heavy_shops):,} shops with exactly {data.HEAVY} violations; the rest Pareto-distributed (max {ds.max_per_shop} per shop, {ds.shops_without:,} shops with none)")
    if ds is not None and small.path != ds.path:
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
        "the ratio is the median over the pairs. On SQLite this runs twice, each on a server of its own: cold, with `SHOPWARDEN_HEALTH_CACHE=off` "
        "(every request reads the ledger and folds it, as for a shop never seen), then warm, with the cache on (api/fast_health.py: a kept answer is served "
        "while no connection has committed and the fold's answer provably holds; the warm-up and the latency runs have requested every rotated shop before the throughput runs). "
        "The trivial endpoint and the load are the same in both. `POST /v1/violations` posts 2,000 distinct bodies in rotation (sampled shops, pack types).\n"
        "- **pages**: see the docstring of `bench/pages.py`: `shopwarden serve` on a prepared copy of the imported database (keys, listings scanned into review cases, "
        "appeals, reviews and review reports put in through the service layer); each caller signs in through the sign-in form (GET for the cookie and CSRF token, POST → 303) "
        "and every seller and console page is requested at one connection in rotation over several shops or items, each target checked once first (200, not the sign-in page); "
        "`GET /healthz` and the API's `GET /v1/shops/{id}/health` are measured in the same interleaved rounds; the target is p95 < 100 ms per page.\n"
        "- **PostgreSQL** (when a server answers at `postgresql://postgres@127.0.0.1:5432`): a scratch database `shopwarden_bench`, created and dropped by the run.\n"
        "- **scan**: `bench/listings.py` builds the listings (fixed seed; zh/en prose with model numbers, sizes, capacities, dates, barcodes and standard numbers; "
        "3 SKUs; ~10 % with one disguised contact; ~15 % naming a brand of the evaluation registry). In-process, on one core: `Subject.from_listing` is built "
        "beforehand, then each listing is timed with the thread's CPU clock (`time.thread_time_ns`, and `perf_counter_ns` beside it) around `default_registry().scan(subject, context)` (context: an enterprise shop, "
        "the evaluation brand index, no pack, so every detector is on); the baseline is `phonenumbers.PhoneNumberMatcher(text, \"CN\")` run to exhaustion over the "
        "same strings (title, description, attributes, SKU names), the two passes alternating round by round; the normalizer's and the brand index's caches "
        "are emptied before every pass, so every listing pays for its own normalization. listings per second per core = listings ÷ the sum of their CPU times (no I/O is involved, so CPU time is the time a dedicated core would take; the wall-clock rate, which also counts the time other people's processes had the core on this shared machine, is in the notes). "
        "Each detector is then timed alone over the same listings, and inside whole scans (Registry.scan's loop with a clock around each detector) for "
        "shares that add up to 100 %. Over HTTP: `shopwarden serve` on a fresh SQLite database with one enterprise shop on the `douyin` pack and the same "
        "brands registered through the API; a Python client (4 threads, one keep-alive connection each) sends every listing under a new product id to "
        "`PUT /v1/products/{id}`, and the same bodies to `POST /v1/scan`, with `GET /healthz` runs in between; then, on that database without HTTP, "
        "one call at a time: the request model, `service.scanning.scan` and its two parts (`detect_context`, `run`), `service.products.put`.\n"
        "- **images** and **same_product**: see the docstring of `bench/images.py` (drawn images and synthetic fingerprints; thread CPU time for PDQ, "
        "wall time per OCR read and per lookup; memory as the RSS delta over building the index)."
    )
    L.append("")
    L.append("## Reproduce\n")
    L.append("```sh\nmake bench                                  # full: 100k shops, 1M violations\n"
             ".venv/bin/python -m bench.run --quick       # smoke: 10k shops, 100k violations\n"
             ".venv/bin/python -m bench.run --no-pg --reuse-db   # skip PostgreSQL; reuse the imported SQLite database\n"
             ".venv/bin/python -m bench.run --only scan --out bench/_work/scan.md   # text scanning only (about 2 min)\n"
             ".venv/bin/python -m bench.run --reuse-db --only pages --out bench/_work/pages.md   # issue 6's page latency on the imported database\n"
             ".venv/bin/python -m bench.run --only images --only same_product --out bench/_work/images.md   # issue 4's figures\n"
             ".venv/bin/python -m bench.listings          # the scan listings' shape and a sample\n"
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
    ap.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections (http needs the database)")
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
    only = set(args.only or SECTIONS)
    started = datetime.now(timezone.utc)
    WORK.mkdir(parents=True, exist_ok=True)
    mach = machine()
    log(f"shopwarden bench: {shops:,} shops, {violations:,} violations; {mach['cpus']}; {mach['python']}; client {client}")
    res = Results()
    res.facts["code"] = code_state()

    ds = small = None
    if only & {"import", "http", "pages", "pg"}:  # fold and scan need no violation data set
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
    elif have_db and "http" in only:
        sqlite_label = f"SQLite, {shops // 1000}k shops / {violations // 1000}k violations"
        # cold first: the warm run's POSTs add violations, and both should read the same ledgers
        section("http", bench_http, res, ds, f"sqlite:///{db}", sqlite_label, client, args.quick, False, 0.020, True)
        section("http", bench_http, res, ds, f"sqlite:///{db}", sqlite_label, client, args.quick, True, 0.020)
        section("http", bench_breakdown, res, ds, f"sqlite:///{db}", args.quick)
    if "pages" in only and not have_db:
        res.errors.append("pages: no imported database (the import failed or was skipped; `--only import` once, then `--reuse-db --only pages`)")
    elif have_db and "pages" in only:
        from bench import pages as page_bench

        section("pages", page_bench.bench_pages, res, ds, f"sqlite:///{db}", args.quick)
    if "pages" in only:  # needs no imported database
        from bench import queues as queue_bench

        section("pages", queue_bench.bench_queue_history, res, args.quick)
    if not args.no_pg and "pg" in only and pg_available():
        section("pg", bench_pg, res, small, client, args.quick)
    elif args.no_pg and "pg" in only:
        res.notes.append("PostgreSQL skipped (--no-pg)")
    section("scan", bench_scan, res, args.quick)
    section("scan", bench_scan_http, res, args.quick)
    from bench import hostile as hostile_bench

    section("scan", hostile_bench.bench_hostile, res, args.quick)
    from bench import images as image_bench

    section("images", image_bench.bench_images, res, args.quick)
    section("images", image_bench.bench_copy_candidates, res, args.quick)
    from bench import large_images

    section("images", large_images.bench_large_listing, res, args.quick, log)
    section("same_product", image_bench.bench_same_product, res, args.quick)
    from bench import reviews as review_bench

    section("reviews", review_bench.bench_reviews, res, args.quick)
    from bench import creators as creator_bench

    section("creators", creator_bench.bench_creators, res, args.quick)
    from bench import experience as experience_bench

    section("experience", experience_bench.bench_experience, res, args.quick)
    if db.exists() and only & {"import", "http", "pages"}:
        res.facts["SQLite database"] = f"{db.name}: {db.stat().st_size / 1e6:.0f} MB"
    res.facts["load average at the end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    total = perf_counter() - T0
    write_results(res, args, ds, small, mach, started, total, client)
    fails = [r for r in res.rows if r.verdict == "FAIL"]
    log(f"done in {total / 60:.1f} min: {len(res.rows)} figures, {len(fails)} targets missed, {len(res.errors)} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
