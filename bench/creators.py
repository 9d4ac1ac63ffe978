"""Creators (issue 12's targets): the health-score fold of one creator with 50 violations and
1,000 credits (target ≤ 0.2 ms), content scanned for its text parts (target ≥ 500 videos/s on
one core), and one LIVE segment's text decided (target p99 ≤ 20 ms). Each beside a baseline
measured in the same run: the shop fold over the same 50 violations, the DY-DV detector alone,
and a plain `str.find` over the segment's text for every term of the pack's lists."""

from __future__ import annotations

import gc
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SECTION = "creators (CR-5..9, in-process, one core)"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def _times(fn, items, rounds: int = 1) -> list[float]:
    """Seconds of CPU (this thread) per call, over `items`, `rounds` times."""
    out = []
    gc.collect()
    for _ in range(rounds):
        for item in items:
            t = time.thread_time_ns()
            fn(item)
            out.append((time.thread_time_ns() - t) / 1e9)
    return out


def _ledger():
    from shopwarden.core.ledger.events import CreditEarned, ViolationIssued
    from shopwarden.service.policies import load_builtin_packs

    pack = load_builtin_packs()["tiktok-shop-chr"]
    rules = pack.creators
    sev = ("minor", "general", "serious", "severe")
    events = [ViolationIssued(f"v{i}", T0 + timedelta(days=i * 7), "spam_fraud", sev[i % 4], rules.deduction("spam_fraud", sev[i % 4]),
                              "score", datetime(9999, 12, 31, tzinfo=UTC)) for i in range(50)]
    events += [CreditEarned(f"c{i}", T0 + timedelta(hours=i * 8), "quiz" if i % 5 == 0 else "order_content", 10 if i % 5 == 0 else 1)
               for i in range(1000)]
    shop_events = [ViolationIssued(f"v{i}", T0 + timedelta(days=i * 7), "counterfeit", "minor", 4, "default", T0 + timedelta(days=i * 7 + 180))
                   for i in range(50)]
    return pack, rules, events, shop_events


def bench_creators(res, quick: bool) -> None:
    from shopwarden.core.ledger.creator_score import score_fold
    from shopwarden.core.ledger.credit_series import CreditSeries
    from shopwarden.core.ledger.events import CreditEarned
    from shopwarden.core.ledger.standing import fold

    pack, rules, events, shop_events = _ledger()
    at = T0 + timedelta(days=400)
    n = 200 if quick else 2000
    violations_only = [e for e in events if not isinstance(e, CreditEarned)]
    credits = [e for e in events if isinstance(e, CreditEarned)]
    series = CreditSeries(credits)  # the store's columns (read once per request); the daily cap's sums are the fold's, recomputed each call

    def one(_):
        series._capped.clear()
        score_fold(rules, violations_only, at, series)

    def shop(_):
        fold(pack, shop_events, at)

    mine, base = [], []
    for _ in range(n // 100):  # the fold and its baseline interleaved, so that a busy machine slows both alike
        mine += _times(one, range(100))
        base += _times(shop, range(100))
    build = _times(lambda _: CreditSeries(credits), range(max(n // 10, 20)))
    walked = _times(lambda _: score_fold(rules, events, at), range(max(n // 10, 20)))
    p50, p99, b50 = statistics.median(mine), _pct(mine, 99), statistics.median(base)
    res.add(SECTION, "creator health-score fold, 50 violations + 1,000 credits (milestones, daily cap, repeat rule), credits as columns",
            f"{p50 * 1e3:.3f} ms", f"{p99 * 1e3:.3f} ms", f"shop fold, 50 violations: {b50 * 1e3:.3f} ms", f"{p50 / b50:.1f}x",
            "≤ 0.2 ms", "PASS" if p50 <= 0.0002 else "FAIL",
            f"CPU time of this thread; building the columns from 1,000 credit objects (the read's part): {statistics.median(build) * 1e3:.2f} ms; "
            f"walking every credit instead: {statistics.median(walked) * 1e3:.2f} ms")
    _content(res, quick)


def _content(res, quick: bool) -> None:
    from evals import content_eval
    from shopwarden.core.detect.base import Subject
    from shopwarden.core.detect.contact_diversion import ContactDiversion
    from shopwarden.core.detect.content.words import tokens
    from shopwarden.core.detect.registry import default_registry

    rows = [r for name in ("content_eval.jsonl", "content_heldout.jsonl", "content_probe.jsonl") for r in content_eval.rows(DATA, name)]
    videos = [content_eval.subject(r) for r in rows]
    registry, ctx = default_registry(), content_eval.context()
    dv = ContactDiversion()

    def scan(s: Subject) -> None:
        registry.scan(s, ctx)

    rounds = 1 if quick else 5
    tokens.cache_clear()
    mine = _times(scan, videos, rounds)
    tokens.cache_clear()
    base = _times(lambda s: dv.detect(s, ctx), videos, rounds)
    rate, base_rate = 1 / statistics.mean(mine), 1 / statistics.mean(base)
    res.add(SECTION, f"content text parts scanned by every registered detector ({len(videos)} labelled videos and showcases)",
            f"{rate:,.0f} videos/s", f"{_pct(mine, 99) * 1e3:.2f} ms", f"DY-DV alone: {base_rate:,.0f}/s", f"{rate / base_rate:.2f}x",
            "≥ 500 videos/s/core", "PASS" if rate >= 500 else "FAIL", "CPU time per item; segmentation caches emptied first")
    said = "，".join(r["content"]["transcript"] for r in rows if r["content"].get("transcript"))
    cup = {"product_id": "p", "title": "316不锈钢保温杯 500ml", "category": "home/kitchen", "skus": [{"sku_id": "s", "price": 59}]}
    segments = [Subject("content", {"transcript": said[i: i + 300]}, None, {"content_kind": "live", "segment": True, "products": [cup]})
                for i in range(0, max(len(said) - 300, 1), 150)]
    checks = ctx.content
    terms = [t for lst in checks.terms.values() for t in lst.terms] + list(checks.absolute_terms) + list(checks.efficacy_terms)
    tokens.cache_clear()
    seg = _times(scan, segments, rounds)
    plain = _times(lambda s: [s.fields["transcript"].find(t) for t in terms], segments, rounds)
    res.add(SECTION, f"one LIVE segment's text (~300 characters) decided by every detector ({len(segments)} segments)",
            f"{statistics.median(seg) * 1e3:.2f} ms", f"{_pct(seg, 99) * 1e3:.2f} ms", f"str.find of the term lists: {statistics.median(plain) * 1e3:.3f} ms",
            f"{statistics.median(seg) / max(statistics.median(plain), 1e-9):.0f}x", "p99 ≤ 20 ms", "PASS" if _pct(seg, 99) <= 0.020 else "FAIL",
            "CPU time per segment")
