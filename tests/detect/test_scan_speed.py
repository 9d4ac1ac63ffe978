"""How fast every registered detector scans ~300-character listings on one core.

Listings are built (fixed seed) from ordinary product prose in Chinese and English, with three
SKUs each and the evaluation set's brand registry, so every detector does its real work:
normalizing, the brand automaton, price parsing and SKU checks. The figure prints with `-s`;
the floor asserted is far below it, only to catch an accidental slowdown of an order of
magnitude (a regex gone quadratic), not to benchmark CI machines.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.listings import generate
from shopwarden.batch import listings_eval
from shopwarden.core.detect.base import DetectContext, ShopInfo, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.registry import default_registry
from shopwarden.core.text.normalize import normalize

N = 600


def _listings() -> list[Subject]:
    """The benchmark's own listings (bench/listings.py, fixed seed): one generator for both."""
    return [Subject.from_listing(listing, "s1") for listing in generate(n=N, seed=3).listings]


def _rate(scan, subjects) -> tuple[float, float]:
    normalize.cache_clear()  # each listing pays for its own normalization, as in production
    times = []
    for subject in subjects:
        started = time.perf_counter()
        scan(subject)
        times.append(time.perf_counter() - started)
    times.sort()
    return len(subjects) / sum(times), times[int(len(times) * 0.99)] * 1000


def test_listings_per_second_with_every_detector():
    index, at = listings_eval.registry(Path(__file__).parents[1] / "data")
    context = DetectContext(shop=ShopInfo("s1", "enterprise"), brands=index, at=at)
    registry, diversion, subjects = default_registry(), ContactDiversion(), _listings()
    chars = sum(sum(len(t) for t in s.text_fields.values()) for s in subjects) / N
    for subject in subjects[:50]:
        registry.scan(subject, context)  # warm the lazy tables (OpenCC, the Chinese lexicon)
    every, p99 = _rate(lambda s: registry.scan(s, context), subjects)
    alone, _ = _rate(lambda s: diversion.detect(s, context), subjects)
    print(f"\n{len(registry)} detectors on {N} listings of ~{chars:.0f} characters: {every:.0f} listings/s "
          f"(p99 {p99:.2f} ms); contact_diversion alone {alone:.0f}/s")  # fmt: skip
    assert every >= 200
