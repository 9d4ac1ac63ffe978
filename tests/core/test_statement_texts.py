"""Golden texts of statements of reasons (DSA Art. 17(3)) in zh and en, one per path of automation and
redress, and their Transparency Database form (SHOPWARDEN_WRITE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shopwarden.core.dsa.render import render
from shopwarden.core.dsa.statement import Measure, build
from shopwarden.core.dsa.transparency import submission
from shopwarden.service.policies import load_builtin_packs

GOLDEN = Path(__file__).parent / "golden"
T = datetime(2026, 3, 1, tzinfo=UTC)
MEASURES = [
    Measure("sanction.suspended", "s1:default-36-suspended-20260301T000000000000", "s1", "s1", None, T, T + timedelta(days=30), T,
            "counterfeit", ("TT-PTS-3", "TT-PTS-5"), (("threshold", 36), ("violations", "v1 (counterfeit, 48 points)")), False, "partially"),
    Measure("listing.taken_down", "ma_1", "p3", "s2", None, T, None, T - timedelta(days=9), None, ("DY-LQ-4",),
            (("banned_product", "p1"), ("match_score", 0.91)), True, "fully", redress="dispute"),
    Measure("review.hidden", "r1", "r1", "s1", None, T, None, T - timedelta(days=2), "review_report", ("RV-1", "RV-6"),
            (("report", "rr1"),), False, "not", source="report", redress="none"),
    Measure("creator.warning", "c1:m", "c1", None, "c1", T, None, T, None, ("CR-9",), (("cause", "threshold 12"),), False, "partially",
            redress="none"),
]


@pytest.mark.parametrize("policy", ["tiktok-shop-eu", "tiktok-shop"])
def test_statement_texts_match_golden(policy):
    # DSA Art. 17(3)(a)-(f): every element, told per path; outside the EU no Transparency Database form
    pack = load_builtin_packs()[policy]
    lines = []
    for m in MEASURES:
        st = build(m, pack)
        for lang in ("zh", "en"):
            lines.append(f"{m.kind} {lang}:\n{render(st, lang)}")
        lines.append(f"{m.kind} tdb: {json.dumps(submission(st, pack), ensure_ascii=False, sort_keys=True)}")
    got = "\n".join(lines) + "\n"
    path = GOLDEN / f"statements_{policy}.txt"
    if os.environ.get("SHOPWARDEN_WRITE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
