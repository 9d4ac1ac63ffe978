"""RV-K-1 repeated: the same buyer orders from one shop again and again and leaves a negative
review each time.

Counted over the buyer's reviews on this shop within `window_days` of this one, one per order:
this review must be negative, at least `min_negative` of them (this one included) negative, and
the negative ones at least `min_share` of all of them — a loyal buyer with twenty orders and
three bad experiences is not a campaign.

Pack settings (`detectors.review_repeated.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from shopwarden.core.detect.base import Finding
from shopwarden.core.reviews.findings import finding, is_negative, review_evidence
from shopwarden.core.reviews.model import ReviewHistory, ReviewView

KIND = "review_repeated"
DEFAULTS: Mapping[str, float] = {"min_negative": 3, "window_days": 90, "min_share": 0.5, "min_score": 0.5, "severity.general": 0.85}


def _one_per_order(review: ReviewView, history: ReviewHistory, window: timedelta) -> list[ReviewView]:
    """The buyer's other reviews on this shop within the window, the latest per order, this
    review's own order left out."""
    by_order: dict[str, ReviewView] = {}
    for other in history.buyer_reviews:
        if (other.order_id == review.order_id or other.review_id == review.review_id or other.shop_id != review.shop_id
                or other.buyer_id != review.buyer_id or abs(review.posted_at - other.posted_at) > window):  # fmt: skip
            continue
        by_order[other.order_id] = other
    return list(by_order.values())


def repeated(review: ReviewView, history: ReviewHistory, negative_max_rating: int, t: Mapping[str, float]) -> Finding | None:
    if not is_negative(review, negative_max_rating):
        return None
    others = _one_per_order(review, history, timedelta(days=t["window_days"]))
    negatives = [r for r in others if is_negative(r, negative_max_rating)]
    count, share = len(negatives) + 1, (len(negatives) + 1) / (len(others) + 1)
    if count < t["min_negative"] or share < t["min_share"]:
        return None
    score = 0.6 + 0.1 * (count - t["min_negative"]) + 0.2 * (share - t["min_share"]) / max(1e-9, 1 - t["min_share"])
    days = int(t["window_days"])
    return finding(
        "RV-K-1", KIND, score, t,
        f"Repeated negative reviews: this buyer left {count} negative reviews on {count} different orders of this shop "
        f"within {days} days ({share:.0%} of their reviews here).",
        f"重复恶意评价：该买家 {days} 天内在本店 {count} 个不同订单下留了 {count} 条差评（占其在本店评价的 {share:.0%}）。",
        [review_evidence(review), *(review_evidence(r, f"buyer_reviews[{r.review_id}].") for r in negatives)],
    )  # fmt: skip
