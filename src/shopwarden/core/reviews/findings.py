"""What every review signal shares: the finding it builds (severity from the pack's floors),
evidence that cites a whole field, what counts as a negative review, and how much a text says."""

from __future__ import annotations

import re
from collections.abc import Mapping

from shopwarden.core.detect.base import Evidence, Explanation, Finding
from shopwarden.core.detect.severity import severity_for
from shopwarden.core.reviews.model import ReviewView
from shopwarden.core.text import normalize

NEGATIVE_MAX_RATING = 2  # Decision, as the TikTok pack's review_reports.negative_max_rating: 1–2 stars
LATIN_WORD = 1.5
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")


def finding(rule: str, kind: str, score: float, t: Mapping[str, float], en: str, zh: str, evidence: list[Evidence]) -> Finding | None:
    """The finding, or None below the kind's `min_score` or without evidence."""
    score = round(min(max(score, 0.0), 0.99), 4)
    if score < t.get("min_score", 0.0) or not evidence:
        return None
    return Finding(rule, kind, severity_for(score, t), score, Explanation(en=en, zh=zh), tuple(evidence))


def whole(field: str, text: str) -> Evidence | None:
    """The whole of a field as evidence (None for an empty one: a span must cite something)."""
    return Evidence(field, 0, len(text), text) if text else None


def review_evidence(review: ReviewView, prefix: str = "") -> Evidence:
    """A review as evidence: its text, or its star rating when it has no text."""
    return whole(f"{prefix}text", review.text) or Evidence(f"{prefix}rating", 0, 1, str(review.rating))


def is_negative(review: ReviewView, negative_max_rating: int) -> bool:
    return review.rating <= negative_max_rating


def words(text: str) -> float:
    """How much a text says, in Chinese characters: a Latin or digit word counts LATIN_WORD of them
    ("Do not buy from this shop" ≈ "别在这家买")."""
    folded = normalize(text).folded.text
    return len(_CJK.findall(folded)) + LATIN_WORD * len(_WORD.findall(folded))
