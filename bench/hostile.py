"""`make bench` section `scan`, part 3: texts built to make the diversion patterns backtrack (long runs
of digits, keywords, separators), each scanned by DY-DV alone; target under 2 s each (it was a timed
test; tests/detect/test_contact_diversion.py checks the answers). Baseline in the same run: the same
detector on an ordinary 300-character listing description."""

from __future__ import annotations

import statistics
import time

SECTION = "scan: hostile texts (DY-DV alone, in-process, one core)"
HOSTILE_TEXTS = [
    " ".join("1234567890" * 400),  # one run of 4,000 single-digit groups
    "微信" * 3000,
    "a@" * 3000 + "b.com",
    ("淘宝" + "去" * 30) * 200,
    "点" * 5000 + "com",
    "微 " * 3000,
    "1 " * 3000 + "(WA)",
    "加我" * 3000,
]
HOSTILE_IDS = ["spaced-digits", "keywords", "at-signs", "platforms", "dots", "lone-shorthands", "number-before-app", "add-me"]
ORDINARY = "加厚保温杯 316不锈钢内胆 500ml 保温12小时，杯盖可拆洗，送杯刷一支，支持七天无理由退货。" * 6


def bench_hostile(res, quick: bool) -> None:
    from shopwarden.core.detect.base import DetectContext, Subject
    from shopwarden.core.detect.contact_diversion import ContactDiversion
    from shopwarden.core.text.normalize import normalize

    dv, ctx = ContactDiversion(), DetectContext()

    def cpu(text: str) -> float:
        normalize.cache_clear()  # each scan pays for its own normalization
        t = time.thread_time_ns()
        dv.detect(Subject.listing(description=text), ctx)
        return (time.thread_time_ns() - t) / 1e9

    rounds = 1 if quick else 3
    base = statistics.median(cpu(ORDINARY) for _ in range(20 * rounds))
    for name, text in zip(HOSTILE_IDS, HOSTILE_TEXTS):
        xs = [cpu(text) for _ in range(rounds)]
        worst = max(xs)
        res.add(SECTION, f"{name} ({len(text):,} characters)", f"{statistics.median(xs) * 1e3:.1f} ms", f"{worst * 1e3:.1f} ms (worst)",
                f"ordinary 300-character description: {base * 1e3:.2f} ms", f"{statistics.median(xs) / base:.0f}x", "< 2 s each",
                "PASS" if worst < 2.0 else "FAIL", "thread CPU time")
