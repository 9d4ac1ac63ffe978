"""HTTP load at a served instance: wrk with a Lua script rotating targets when it is installed,
else Python http.client threads; one `Loader` interface over both."""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from bench.measure import WORK, log, ms, pct


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
