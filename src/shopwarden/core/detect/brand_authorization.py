"""Whether a shop may show a brand: its qualifications judged at a moment, for a category.

DY-BR and DY-IP share this one judgement, so they never disagree about whether a shop is
authorized. When no qualification is valid, `standing` names the gap closest to valid — the
one the seller can most easily fix — so the finding can tell them what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shopwarden.core.brands import Qualification

Gap = Literal["category", "expired", "not_yet_valid", "pending", "rejected", "revoked", "none"]
# Closest to valid first: a category link can be added; "none" means nothing was ever filed.
GAPS: tuple[Gap, ...] = ("category", "expired", "not_yet_valid", "pending", "rejected", "revoked", "none")


@dataclass(frozen=True, slots=True)
class Standing:
    authorized: bool
    gap: Gap | None = None
    qualification: Qualification | None = None  # the one the gap is about, if any


def _gap(q: Qualification, at: datetime | None, category: str | None) -> Gap | None:
    if q.status == "approved":
        if q.ended(at):
            return "expired"
        if not q.in_force(at):
            return "not_yet_valid"
        return None if q.covers(category) else "category"
    return q.status  # pending, rejected, expired, revoked


def standing(
    qualifications: Iterable[Qualification],
    brand_id: str,
    shop_id: str | None,
    at: datetime | None,
    category: str | None,
) -> Standing:
    """The shop's standing for `brand_id`: authorized, or the gap closest to valid.

    `category` None (unknown) is covered by any qualification; `at` None leaves dates unjudged.
    """
    own = [q for q in qualifications if q.brand_id == brand_id and (shop_id is None or q.shop_id == shop_id)]
    gaps = [(_gap(q, at, category), q) for q in own]
    if any(gap is None for gap, _ in gaps):
        return Standing(True)
    if not gaps:
        return Standing(False, "none")
    gap, qualification = min(gaps, key=lambda g: GAPS.index(g[0]))
    return Standing(False, gap, qualification)


def shop_id_of(subject_shop_id: str | None, context_shop_id: str | None) -> str | None:
    """The shop whose qualifications count: the subject's, else the context's."""
    return subject_shop_id or context_shop_id
