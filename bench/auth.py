"""What immediate revocation costs a request: `authenticate` (every API request, the fast health path
too) and a page session's `resume` (every page request), in-process, on an SQLite file and on
PostgreSQL. The baseline, measured in the same run, is the 5-second in-process cache that
`authenticate` used before (a dict look-up and a clock read), which honoured a revoked key for up
to 5 s. Run: `python -m bench.auth [--pg URL]` (prints a Markdown table)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from shopwarden.service import sessions
from shopwarden.service.auth import authenticate, create_key
from shopwarden.service.context import open_context

N = 3000


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _time(fn, n: int = N, before=None) -> tuple[float, float]:
    for _ in range(200):
        fn()
    xs = []
    for _ in range(n):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    return statistics.median(xs), _pct(xs, 99)


def _old_cache(key: str):
    held = {key: (time.monotonic(), object())}

    def hit():
        h = held.get(key)
        return h is not None and time.monotonic() - h[0] < 5.0

    return hit


def measure(url: str, label: str) -> list[tuple[str, float, float]]:
    ctx = open_context(url)
    other = open_context(url, migrate=False)  # another process's writes
    key = create_key(ctx, "platform")
    seller = create_key(ctx, "operator")
    signed = sessions.sign_in(ctx, seller)
    rows = [(f"{label}: the old 5 s cache's hit (baseline)", *_time(_old_cache(key)))]
    rows.append((f"{label}: `authenticate`, repeated key, nothing committed since", *_time(lambda: authenticate(ctx, key))))
    rows.append((f"{label}: `authenticate` after another connection committed (reads the key's row)",
                 *_time(lambda: authenticate(ctx, key), n=N // 3, before=lambda: create_key(other, "operator"))))
    rows.append((f"{label}: page session `resume` (one joined read, no write)", *_time(lambda: sessions.resume(ctx, signed.session_id, sessions.Lifetimes()))))
    ctx.db.dispose()
    other.db.dispose()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", help="a PostgreSQL URL with an empty schema on its search path")
    args = ap.parse_args()
    rows = measure(f"sqlite:///{tempfile.mkdtemp()}/auth.db", "SQLite file")
    if args.pg:
        rows += measure(args.pg, "PostgreSQL (local)")
    print("| metric | p50 | p99 |\n|---|---|---|")
    for name, p50, p99 in rows:
        print(f"| {name} | {p50 * 1e6:.1f} µs | {p99 * 1e6:.1f} µs |")


if __name__ == "__main__":
    main()
