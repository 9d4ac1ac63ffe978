"""Notice measures on the hot paths (DSA Art. 16, issue 15): what reading them costs where they are enforced.

- `PUT /v1/products/{id}`'s notice hold (`service.notices.hold`) for a shop no notice acted on (the common
  case: one indexed read) and for a shop with a listing taken down on a notice (the same-product twin check
  fingerprints the new listing), each against `products.put` of a listing in the same run (the baseline);
- the shop health read (`service.health.health`, uncached, as for a never-seen shop), whose packs with a
  `notices` section now read the notices acted on the shop (`service.notices.shop_measures`), against the
  whole health read in the same run.

Run: `python -m bench.notice_holds [--calls 300]`; prints the RESULTS.md rows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.measure import pct
from shopwarden.service import health, notices, products, shops, violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context

PLATFORM = Principal("bench", "platform", None)
OPERATOR = Principal("bench-op", "operator", None)
EU = "tiktok-shop-eu"


def _listing(shop_id: str, n: int) -> dict:
    return {"shop_id": shop_id, "title": f"Cotton T-shirt model {n}, crew neck, 180 g", "description": "Plain cotton tee, machine washable.",
            "skus": [{"sku_id": "k", "price": 9.0 + n % 7}]}


def _times(fn: Callable[[int], object], calls: int) -> list[float]:
    out = []
    for i in range(calls):
        t = time.perf_counter_ns()
        fn(i)
        out.append((time.perf_counter_ns() - t) / 1e6)
    return out


def _row(name: str, xs: list[float], base: list[float]) -> str:
    return (f"| {name} | {statistics.median(xs):.3f} ms | {pct(xs, 99):.3f} ms | {statistics.median(base):.3f} ms | "
            f"{statistics.median(xs) / statistics.median(base):.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=300)
    calls = ap.parse_args().calls
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(f"sqlite:///{Path(tmp) / 'holds.db'}")
        for shop in ("plain", "noticed"):
            shops.put_shop(ctx, PLATFORM, shop, shop, "enterprise", EU)
            for i in range(20):
                violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=shop, type="knockoff", severity="minor", evidence=[{"kind": "text", "value": f"listing {i}"}]))
        products.put(ctx, PLATFORM, "down", {"shop_id": "noticed", "title": "Acme Air Runner 2 running shoes, size 42",
                                             "description": "Road running shoe.", "skus": [{"sku_id": "k", "price": 59.0}]})
        n = notices.file(ctx, PLATFORM, notices.NoticeInput("acme", "rights_owner", "listing", "down", "counterfeit", "Acme legal", "l@acme.example",
                                                            "https://shop.example/p/down", "Shoes bearing our mark that we never made.", True))
        notices.decide(ctx, OPERATOR, n["id"], notices.Decision("action", "not Acme's goods"))
        at = ctx.clock()
        put = _times(lambda i: products.put(ctx, PLATFORM, f"p{i}", _listing("plain", i)), calls)

        def hold(shop: str) -> Callable[[int], None]:
            def call(i: int) -> None:
                with ctx.db.read() as s:
                    notices.hold(s, ctx, f"new{i}", shop, _listing(shop, i), at)
            return call

        hold_plain, hold_noticed = _times(hold("plain"), calls), _times(hold("noticed"), calls)
        whole, part = [], []
        for _ in range(calls):  # interleaved: the health read and its notices read, alternately
            whole += _times(lambda i: health.health(ctx, PLATFORM, "noticed", None).as_json(), 1)
            part += _times(lambda i: notices.shop_measures(ctx, "noticed", at), 1)
        ctx.db.engine.dispose()
    print("| what | median | p99 | baseline median (same run) | ratio |")
    print("|---|---|---|---|---|")
    print(_row("notice hold, shop with no notice (baseline: PUT /v1/products service call)", hold_plain, put))
    print(_row("notice hold, shop with a listing down on a notice: twin check (baseline: PUT)", hold_noticed, put))
    print(_row("shop health's notice read (baseline: the whole uncached health read)", part, whole))


if __name__ == "__main__":
    main()
