"""What every benchmark section shares: the log, percentiles and result rows, the per-call timer,
and the processes a section starts (the `shopwarden` CLI, a served instance on a free port)."""

from __future__ import annotations

import gc
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, perf_counter_ns

from bench import data

ROOT = Path(__file__).resolve().parents[1]
WORK = data.WORK
T0 = perf_counter()
SECTIONS = ("fold", "import", "http", "pages", "pg", "scan", "images", "same_product", "reviews", "creators", "experience")


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


# --------------------------------------------------------------------------- 3./4. HTTP


class Server:
    def __init__(self, url: str, label: str, env: dict[str, str] | None = None):
        self.url, self.label = url, re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.logf = None

    def __enter__(self) -> Server:
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
