"""DY-LQ-1 low-positive-rate products: the Wilson lower bound of the positive-review rate, the
verdict against the pack's per-category threshold, and the statement of reasons. Pure.

The bound, not the raw rate, is compared with the threshold: 3 negative reviews out of 3 say
little (bound near 0 but far too few reviews to judge), 300 out of 500 say a lot. A verdict is
reached only past the pack's minimum sales and reviews, so a handful of reviews never bans.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shopwarden.core.policy.schema import LowPositiveRate

RULE = "DY-LQ-1"


def wilson_lower_bound(positives: int, n: int, z: float) -> float:
    """The lower end of the Wilson score interval for `positives` successes in `n` trials (0 when n is 0)."""
    if n <= 0:
        return 0.0
    if not 0 <= positives <= n:
        raise ValueError(f"positives {positives} outside 0..{n}")
    if positives == 0:
        return 0.0  # exactly: the formula's two terms cancel, up to rounding
    p = positives / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # The two roots' product is p² / (1 + z²/n): dividing by the upper root avoids the
    # cancellation of `centre - margin` when p is small.
    return p * p / (centre + margin)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The figures of one judgement. `outcome`: `low` (banned), `ok`, `too_few_sales`, `too_few_reviews`."""

    outcome: str
    sales: int
    reviews: int
    positives: int
    rate: float | None
    lower_bound: float
    threshold: float
    category: str | None
    threshold_key: str | None  # the pack's category key the threshold came from (None: the default)
    z: float
    min_sales: int
    min_reviews: int

    @property
    def low(self) -> bool:
        return self.outcome == "low"

    def as_dict(self) -> dict[str, Any]:
        return {"rule": RULE, "outcome": self.outcome, "low": self.low, "sales": self.sales, "reviews": self.reviews,
                "positives": self.positives, "positive_rate": None if self.rate is None else round(self.rate, 4),
                "wilson_lower_bound": round(self.lower_bound, 4), "threshold": self.threshold, "category": self.category,
                "threshold_category": self.threshold_key, "confidence_z": self.z, "min_sales": self.min_sales, "min_reviews": self.min_reviews}


def positives_of(histogram: Mapping[int, int], positive_min_rating: int) -> int:
    """Reviews rated at least `positive_min_rating`, from a rating -> count histogram."""
    return sum(n for rating, n in histogram.items() if rating >= positive_min_rating)


def judge(sales: int, positives: int, reviews: int, settings: LowPositiveRate, category: str | None = None) -> Verdict:
    """DY-LQ-1 for one product: too few sales or reviews to judge, else low while the bound is below the threshold."""
    threshold, key = settings.threshold_for(category)
    bound = wilson_lower_bound(positives, reviews, settings.confidence_z)
    if sales < settings.min_sales:
        outcome = "too_few_sales"
    elif reviews < settings.min_reviews:
        outcome = "too_few_reviews"
    else:
        outcome = "low" if bound < threshold else "ok"
    return Verdict(outcome, sales, reviews, positives, positives / reviews if reviews else None, bound, threshold, category, key,
                   settings.confidence_z, settings.min_sales, settings.min_reviews)


def _confidence(z: float) -> float:
    """The two-sided confidence of a normal quantile (1.96 -> 95%)."""
    return math.erf(z / math.sqrt(2))


def statement(v: Verdict, policy: str, lang: str) -> str:
    """The statement of reasons of a DY-LQ-1 ban: every figure the verdict rests on."""
    conf = f"{_confidence(v.z) * 100:.0f}%"
    rate = "—" if v.rate is None else f"{v.rate * 100:.1f}%"
    where = v.threshold_key or ("默认" if lang == "zh" else "default")
    if lang == "zh":
        return (f"低好评商品（规则 {RULE}）：销量 {v.sales}，有效评价 {v.reviews} 条，其中好评 {v.positives} 条，好评率 {rate}；"
                f"好评率的 Wilson 置信下界（置信度 {conf}）为 {v.lower_bound:.3f}，低于类目「{v.category or '未填写'}」的门槛 {v.threshold:.2f}"
                f"（{where}）。判定条件：销量不少于 {v.min_sales}、评价不少于 {v.min_reviews} 条。政策 {policy}。")
    return (f"Low-positive-rate product (rule {RULE}): {v.sales} sales, {v.reviews} visible reviews of which {v.positives} positive, "
            f"a positive rate of {rate}; the Wilson lower bound of that rate at {conf} confidence is {v.lower_bound:.3f}, below the "
            f"{v.threshold:.2f} threshold for category '{v.category or 'none given'}' ({where}). Judged only past {v.min_sales} sales "
            f"and {v.min_reviews} reviews. Policy {policy}.")
