"""RV-K-5 wrong product: the review is about something the shop did not sell it.

A review is placed among every category's genuine reviews (`topic.fits`); four things must hold:
- it fits its own category worse than all but `own_quantile` of that category's genuine reviews
  do — far below its category's usual range;
- it fits another category at least as well as that category's own reviews do at
  `fit_quantile`: it reads like a review of something else, not like nothing in particular;
- and that fit beats the fit to its own category by at least `margin`;
- while what it matched there is not generic: the other category's examples nearest the review
  fit the review's own category worse than that category's reviews do at `shared_quantile`.
  "满意的一次购物" may find its twin among hotel reviews when the book reviews at hand lack one,
  but that twin would be at home among book reviews as well; "前台态度冷漠" finds hotel reviews
  no book review resembles.
A review of fewer than `min_words` Chinese characters' worth (`findings.words`: "物流很快",
"works as described") is not judged: it says too little to be about another product.

The raw product similarity (review against title and category, `topic.product_similarity`) is
reported but does not decide: it separates moved reviews from genuine ones so weakly (hotel
reviews: 0.10 to their hotel, 0.03 to a laptop) that under its category's 1% quantile it catches
10-25% of them; it is the baseline `make eval` prints. Without examples in the calibration
(only similarities given) nothing is judged.

Pack settings (`detectors.review_wrong_product.thresholds`), defaults in DEFAULTS (chosen on the
tuning splits of `make eval`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from shopwarden.core.detect.base import Finding
from shopwarden.core.reviews.findings import finding, review_evidence, words
from shopwarden.core.reviews.model import Calibration, ProductView, ReviewView
from shopwarden.core.reviews.topic import fits, neighbours_fit, quantile_at

KIND = "review_wrong_product"
DEFAULTS: Mapping[str, float] = {
    "min_reviews": 30,  # genuine reviews a category needs before it is judged or judged against
    "min_words": 5,
    "own_quantile": 0.1,
    "fit_quantile": 0.05,
    "margin": 0.1,
    "shared_quantile": 0.1,
    "min_score": 0.5,
    "severity.general": 0.9,
}


def _score(margin: float, floor: float) -> float:
    return 0.6 + 0.35 * min(1.0, (margin - floor) / 0.2)


def wrong_product(review: ReviewView, product: ProductView, vector: np.ndarray, similarity: float,
                  calibration: Calibration, t: Mapping[str, float]) -> Finding | None:
    own = calibration.get(product.category)
    if own is None or not own.fit or own.n < t["min_reviews"] or words(review.text) < t["min_words"]:
        return None
    by_category = fits(vector, calibration, t["fit_quantile"], int(t["min_reviews"]))
    mine = by_category.get(product.category)
    if mine is None or mine.fit >= quantile_at(own.fit, t["own_quantile"]):
        return None
    others = [f for c, f in by_category.items() if c != product.category and f.relative >= 0]
    best = max(others, key=lambda f: f.fit, default=None)
    if best is None or best.fit - mine.fit < t["margin"]:
        return None
    if neighbours_fit(vector, calibration[best.category], own) >= quantile_at(own.fit, t["shared_quantile"]):
        return None  # it matched reviews that would be at home here too
    return finding(
        "RV-K-5", KIND, _score(best.fit - mine.fit, t["margin"]), t,
        f"Wrong product: the review reads like a review of {best.category} (fit {best.fit:.2f} to its reviews, "
        f"{mine.fit:.2f} to {product.category}'s, lower than {1 - t['own_quantile']:.0%} of them); "
        f"similarity to the product '{product.title}': {similarity:.2f}.",
        f"评价与所购商品不符：内容更像「{best.category}」的评价（与该类评价的贴合度 {best.fit:.2f}，与「{product.category}」"
        f"评价的贴合度 {mine.fit:.2f}，低于该类目 {1 - t['own_quantile']:.0%} 的评价）；与商品「{product.title}」的相似度 {similarity:.2f}。",
        [review_evidence(review)],
    )  # fmt: skip
