"""RV-K-6 invalid: spam-like reviews — copied or templated across many reviews, gibberish, or
about nothing a product could be.

- copies: the duplicate index found at least `min_copies` near-copies of the text. Short texts
  are left out (fewer than `copy_min_words` Chinese characters' worth, `findings.words`): "很好
  物流快" and "works as described" are written independently by thousands of buyers.
- a campaign aimed at the shop: a negative review of at least `campaign_min_words` with at least
  `campaign_min_copies` near-copies on the same shop. A short template posted by many accounts
  ("{this item} {a defect}, avoid!") is too short for the copy rule, but honest short texts are
  spread over the whole marketplace — thousands of buyers write "很好 物流快" about every shop —
  while a campaign's copies pile up on the one shop it attacks.
- a template aimed at the shop whose slots change every copy, so no two copies are near: a negative
  review of at least `campaign_min_words` with a clause that at least `campaign_min_copies` other
  reviews on the same shop contain, and at least `template_share` of all that contain it.
- gibberish: character-level measures (`gibberish`).
- nothing about any product: with category examples in the calibration, a text of at least
  `irrelevant_min_words` that fits every category worse, by `irrelevant_margin`, than all but
  `irrelevant_quantile` of that category's own genuine reviews (pasted news, lyrics, stories). A
  review of some other product fits that product's category, so it is RV-K-5's, not this.

Pack settings (`detectors.review_invalid.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from shopwarden.core.detect.base import Evidence, Finding
from shopwarden.core.reviews.findings import NEGATIVE_MAX_RATING, finding, review_evidence, words
from shopwarden.core.reviews.gibberish import Gibberish, find_gibberish
from shopwarden.core.reviews.model import Calibration, ReviewHistory, ReviewView
from shopwarden.core.reviews.topic import fits
from shopwarden.core.text import normalize

KIND = "review_invalid"
DEFAULTS: Mapping[str, float] = {
    "min_copies": 5,
    "copy_min_words": 14,
    "campaign_min_copies": 3,
    "campaign_min_words": 8,
    "template_share": 0.75,
    "min_chars": 8,
    "repeat_min_chars": 6,
    "symbols_min_chars": 6,
    "repeat_share": 0.7,
    "keyboard_share": 0.6,
    "script_switch_rate": 0.5,
    "word_coverage": 0.2,
    "word_min_chars": 12,
    "irrelevant_min_words": 15,
    "irrelevant_quantile": 0.01,
    "irrelevant_margin": 0.05,
    "min_reviews": 30,
    "min_score": 0.6,
    "severity.general": 0.9,
}
MAX_COPIES_CITED = 5


def _copies(review: ReviewView, history: ReviewHistory, t: Mapping[str, float]) -> tuple[float, str, str] | None:
    copies = len(history.near_duplicates)
    if copies < t["min_copies"] or words(review.text) < t["copy_min_words"]:
        return None
    score = 0.75 + 0.2 * min(1.0, (copies - t["min_copies"]) / (4 * t["min_copies"]))
    return score, f"the same text as {copies} other reviews (a template or a copy)", f"与其他 {copies} 条评价内容雷同（模板或复制）"


def _campaign(review: ReviewView, history: ReviewHistory, t: Mapping[str, float]) -> tuple[float, str, str] | None:
    here = sum(shop == review.shop_id for shop in history.near_duplicate_shops)
    if review.rating > NEGATIVE_MAX_RATING or here < t["campaign_min_copies"] or words(review.text) < t["campaign_min_words"]:
        return None
    score = 0.75 + 0.2 * min(1.0, (here - t["campaign_min_copies"]) / (4 * t["campaign_min_copies"]))
    return (score, f"a negative template posted {here} more times on this shop (a campaign against it)",
            f"同一差评模板在本店另有 {here} 条（针对本店的刷差评）")


def _template(review: ReviewView, history: ReviewHistory, t: Mapping[str, float]) -> tuple[float, str, str] | None:
    """A campaign whose slots change every copy ("{这台}{风扇狂响}，劝大家别买"): a negative review
    with a clause at least `campaign_min_copies` other reviews on the same shop contain, while at
    least `template_share` of all the reviews containing it are on that shop. Honest phrases
    ("质量太差") spread over the marketplace; a template's fixed part piles up on its target."""
    if review.rating > NEGATIVE_MAX_RATING or words(review.text) < t["campaign_min_words"]:
        return None
    piled = [c for c in history.shared_clauses if c.here >= t["campaign_min_copies"] and c.here >= t["template_share"] * c.total]
    if not piled:
        return None
    best = max(piled, key=lambda c: c.here)
    score = 0.75 + 0.2 * min(1.0, (best.here - t["campaign_min_copies"]) / (4 * t["campaign_min_copies"]))
    return (score, f"a negative template ('{best.clause}') posted {best.here} more times on this shop (a campaign against it)",
            f"同一差评模板（「{best.clause}」）在本店另有 {best.here} 条（针对本店的刷差评）")


def _gibberish(found: Gibberish | None) -> tuple[float, str, str] | None:
    return None if found is None else (0.7 + 0.25 * found.share, found.en, found.zh)


def _irrelevant(review: ReviewView, vector: np.ndarray | None, calibration: Calibration | None,
                t: Mapping[str, float]) -> tuple[float, str, str] | None:
    if vector is None or not calibration or words(review.text) < t["irrelevant_min_words"]:
        return None
    by_category = fits(vector, calibration, t["irrelevant_quantile"], int(t["min_reviews"]))
    if len(by_category) < 2:
        return None  # one category alone cannot say what a review of anything sounds like
    best = max(by_category.values(), key=lambda f: f.relative)
    if best.relative >= -t["irrelevant_margin"]:
        return None
    return (0.65 + min(0.3, -best.relative * 2),
            f"about no product: it fits no category's reviews (closest {best.category}, cosine {best.fit:.2f})",
            f"内容与任何商品无关（最接近的类目「{best.category}」，相似度 {best.fit:.2f}）")  # fmt: skip


def _copy_evidence(history: ReviewHistory) -> list[Evidence]:
    """The first copies' ids, so an operator can open them."""
    return [Evidence(f"near_duplicates[{i}]", 0, len(rid), rid) for i, rid in enumerate(history.near_duplicates[:MAX_COPIES_CITED]) if rid]


def babble(review: ReviewView, t: Mapping[str, float]) -> Gibberish | None:
    """The review's text as gibberish, if it is (RV-K-5 leaves such a text alone)."""
    return find_gibberish(normalize(review.text), t)


def invalid(review: ReviewView, history: ReviewHistory, vector: np.ndarray | None, calibration: Calibration | None,
            t: Mapping[str, float], gibberish: Gibberish | None) -> Finding | None:
    copies = _copies(review, history, t) or _campaign(review, history, t) or _template(review, history, t)
    reasons = [r for r in (copies, _gibberish(gibberish), _irrelevant(review, vector, calibration, t)) if r]
    if not reasons:
        return None
    evidence = [review_evidence(review), *(_copy_evidence(history) if copies else ())]
    return finding("RV-K-6", KIND, max(r[0] for r in reasons), t, "Invalid review: " + "; ".join(r[1] for r in reasons),
                   "无效评价：" + "；".join(r[2] for r in reasons), evidence)  # fmt: skip
