"""How fast every registered detector scans a creator's content on one core (CR-5: a LIVE
session's segments arrive as a stream, so each must be cheap).

Subjects are the labelled content sets (short titles and transcripts) and ~1,000-character LIVE
transcripts built from them. The figures print with `-s`; the floors are far below them, only
to catch an accidental slowdown of an order of magnitude, not to benchmark CI machines.
"""

from __future__ import annotations

import time
from pathlib import Path

from shopwarden.batch import content_eval
from shopwarden.core.detect.base import Subject
from shopwarden.core.detect.content.words import tokens
from shopwarden.core.detect.registry import default_registry

DATA = Path(__file__).parents[1] / "data"
SETS = ("content_eval.jsonl", "content_heldout.jsonl", "content_probe.jsonl")
CUP = {"product_id": "p", "title": "316不锈钢保温杯 500ml", "category": "home/kitchen", "skus": [{"sku_id": "s", "price": 59}]}


def _subjects() -> tuple[list[Subject], list[Subject]]:
    rows = [r for name in SETS for r in content_eval.rows(DATA, name)]
    short = [content_eval.subject(r) for r in rows]
    said = "，".join(r["content"]["transcript"] for r in rows if r["content"].get("transcript"))
    live = [
        Subject("content", {"title": "直播", "transcript": said[i : i + 1000]}, "s1", {"content_kind": "live", "products": [CUP]})
        for i in range(0, len(said) - 1000, 500)
    ]
    return short, live


def _per_second(subjects: list[Subject]) -> float:
    registry, ctx = default_registry(), content_eval.context()
    tokens.cache_clear()  # each subject pays for its own segmentation, as in production
    started = time.process_time()
    for subject in subjects:
        registry.scan(subject, ctx)
    return len(subjects) / max(time.process_time() - started, 1e-9)


def test_content_scans_are_fast_enough():
    short, live = _subjects()
    default_registry().scan(short[0], content_eval.context())  # load rjieba's lexicon once
    short_rate, live_rate = _per_second(short), _per_second(live)
    print(f"\ncontent scans, one core: {short_rate:,.0f}/s short ({len(short)}), {live_rate:,.0f}/s 1,000-character LIVE ({len(live)})")
    assert short_rate > 200 and live_rate > 20
