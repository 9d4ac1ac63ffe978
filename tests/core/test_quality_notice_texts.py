"""Golden texts of the poor-quality notices (DY-QL-3/4) in Chinese and English: a product determined
at its third occurrence with every measure, a fraud finding and a granted appeal; a shop determined
whose order limit runs its course (SHOPWARDEN_WRITE_GOLDEN=1 rewrites)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shopwarden.core.quality import notices as q
from shopwarden.core.quality.determinations import Measure
from shopwarden.service.policies import load_builtin_packs

GOLDEN = Path(__file__).parent / "golden" / "notices_poor_quality.txt"
T = datetime(2026, 1, 11, tzinfo=UTC)
PRODUCT = {"indicator": "negative_feedback_rate", "value": 0.5, "count": 30, "of": 60, "lower_bound": 0.3773, "industry": "home",
           "industry_mean": 0.0833, "factor": 2.0, "min_orders": 50, "confidence_z": 1.96, "window_days": 90}
SHOP = {"scores": [55.0, 54.2, 50.1], "below": 60, "days": 3, "industry": "home", "orders": 140,
        "indicators": [{"id": "complaint_rate", "value": 0.2, "count": 28, "of": 140, "industry_mean": 0.02, "score": 10.0},
                       {"id": "late_dispatch_rate", "value": None, "count": 0, "of": 0, "industry_mean": None, "score": None}]}


def _determinations(version: str) -> list[q.Determined]:
    every = (Measure("order_limit", T, T + timedelta(days=30), 10), Measure("payout_frozen", T, T + timedelta(days=30)),
             Measure("penalty_fee", T, T + timedelta(days=180), None, 5000.0))
    return [q.Determined("dq_1", "product:p1", T, 3, PRODUCT, every, "v_1", version, T + timedelta(days=3), q.Fraud("batch_risk", 30, 30.0, T + timedelta(days=2))),
            q.Determined("dq_2", "shop:s1", T, 1, SHOP, every[:1], "v_2", version)]


def test_poor_quality_notice_texts_match_golden():
    # rule DY-QL-4: each determination names indicator, industry mean, counts and bound, its measures, the policy version and DY-APL-1
    pack = load_builtin_packs()["douyin"]
    lines = []
    for d in _determinations(pack.version):
        for n in q.due(d, T + timedelta(days=400)):
            for lang in ("zh", "en"):
                title, body = q.render(n, pack, lang)
                lines.append(f"[{n.sent_at:%Y-%m-%d}] {n.kind} {lang}: {title} | {body}")
    got = "\n".join(lines) + "\n"
    if os.environ.get("SHOPWARDEN_WRITE_GOLDEN") == "1":
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")
    assert all(f"douyin v{pack.version}" in line for line in lines)
    assert [n.kind for n in q.due(_determinations(pack.version)[1], T + timedelta(days=400))] == [q.DETERMINED, q.ENDED]


def test_notices_are_due_only_by_their_instant():
    # rule DY-QL-4: a notice is not sent before what it tells happened
    d = _determinations("2026.02")[0]
    assert q.due(d, T - timedelta(seconds=1)) == []
    assert [n.kind for n in q.due(d, T + timedelta(days=2, seconds=-1))] == [q.DETERMINED]
    assert [n.kind for n in q.due(d, T + timedelta(days=3))] == [q.DETERMINED, q.FRAUD, q.LIFTED]
