"""Malicious-review signals RV-K-1..6 (RULES.md §2): each a pure check with evidence.

One call reads one review with what the service gathered around it (`ReviewHistory`) and returns
a finding per kind that applies, each with its rule id (RV-K-1..6), a score, a bilingual
explanation and evidence spans: the review's text ("text"), text read from its images
("images[i]"), the buyer's chat ("chat[<message id>]"), the buyer's other reviews
("buyer_reviews[<review id>].text"), the shop it is linked to ("linked_shops[<shop id>].<via>")
and near-copies ("near_duplicates[i]"). Each kind is its own module; thresholds come from the
pack's `detectors.<kind>` settings over each module's DEFAULTS, and a kind the pack disables is
skipped. The encoder is passed in (core never loads the model); without it, or without a
calibration, the checks that need them (RV-K-5, and RV-K-6's "about no product") are skipped;
gibberish is never judged a review of the wrong product (it is about nothing).
"""

from __future__ import annotations

from types import ModuleType

from shopwarden.core.detect.base import DetectContext, Finding
from shopwarden.core.detect.severity import settings
from shopwarden.core.reviews import coercion, competitor, diversion, invalid, repeated, wrong_product
from shopwarden.core.reviews.findings import NEGATIVE_MAX_RATING
from shopwarden.core.reviews.model import Calibration, Encode, ReviewHistory, ReviewView
from shopwarden.core.reviews.topic import calibrate, encode_pair, product_similarity

__all__ = ["KINDS", "calibrate", "needs_encoder", "product_similarity", "review_signals"]

KINDS = {
    "RV-K-1": repeated.KIND,
    "RV-K-2": coercion.KIND,
    "RV-K-3": competitor.KIND,
    "RV-K-4": diversion.KIND,
    "RV-K-5": wrong_product.KIND,
    "RV-K-6": invalid.KIND,
}


MODULES: tuple[ModuleType, ...] = (repeated, coercion, competitor, diversion, wrong_product, invalid)  # in rule order, as KINDS


def needs_encoder(review: ReviewView, context: DetectContext) -> bool:
    """Whether the encoder can change this review's findings: not for an empty text, nor for
    gibberish (RV-K-6 holds without it and RV-K-5 leaves gibberish alone), nor when the pack
    disables both of the encoder's rules. The cheap check that lets a batch skip the encoder."""
    if not review.text.strip() or not (context.enabled(wrong_product.KIND) or context.enabled(invalid.KIND)):
        return False
    return invalid.babble(review, settings(context, invalid.KIND, invalid.DEFAULTS)) is None


def review_signals(review: ReviewView, history: ReviewHistory, context: DetectContext, encode: Encode | None = None,
                   calibration: Calibration | None = None, negative_max_rating: int = NEGATIVE_MAX_RATING,
                   rules: frozenset[str] | None = None) -> list[Finding]:
    """Every RV-K-* finding for one review, in rule order; `negative_max_rating` is the pack's
    `review_reports.negative_max_rating` (what counts as a negative review); `rules` (a subset of
    KINDS' ids) computes those alone (the workers' owed rules). Gibberish is read first: a text
    that is gibberish is never encoded (nothing the encoder says could change its findings)."""

    def t(module: ModuleType) -> dict[str, float]:
        return settings(context, module.KIND, module.DEFAULTS)

    wanted = set(KINDS) if rules is None else rules
    on = {m: context.enabled(m.KIND) and rule in wanted for rule, m in zip(KINDS, MODULES, strict=True)}
    gibberish = invalid.babble(review, t(invalid)) if on[invalid] or on[wrong_product] else None
    vector = similarity = None
    if encode is not None and calibration and review.text.strip() and gibberish is None and (on[wrong_product] or on[invalid]):
        vector, similarity = encode_pair(review, history.product, encode)
    found = [
        on[repeated] and repeated.repeated(review, history, negative_max_rating, t(repeated)),
        on[coercion] and coercion.coercion(review, history, t(coercion)),
        on[competitor] and competitor.competitor(review, history, negative_max_rating, t(competitor)),
        on[diversion] and diversion.diversion(review, context, t(diversion)),
        on[wrong_product] and vector is not None and similarity is not None and calibration is not None and gibberish is None
        and wrong_product.wrong_product(review, history.product, vector, similarity, calibration, t(wrong_product)),
        on[invalid] and invalid.invalid(review, history, vector, calibration, t(invalid), gibberish),
    ]
    return [f for f in found if f]
