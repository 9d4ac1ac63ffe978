"""DY-QL-1's inputs as counters: what one order (with its review, after-sales and complaints)
contributes, each at its own instant. Counting a change is then the difference between the
order's contributions before and after it, so late, back-dated or repeated inputs count once.

Decisions: an order counts at `ordered_at` while its status is a sale; its dispatch is due at
`paid_at` + the pack's hours and is late when it was not shipped by then (an order without
`paid_at` is not judged for dispatch); feedback counts when it was filed or posted; an order's
negative feedback (a negative review, a quality after-sale or a complaint) counts once, at its first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ORDERS, DISPATCH_DUE, LATE_DISPATCHES = "orders", "dispatch_due", "late_dispatches"
REVIEWS, NEGATIVE_REVIEWS = "reviews", "negative_reviews"
AFTER_SALES, QUALITY_AFTER_SALES = "after_sales", "quality_after_sales"
COMPLAINTS, NEGATIVE_FEEDBACK = "complaints", "negative_feedback"
COUNTERS = (ORDERS, DISPATCH_DUE, LATE_DISPATCHES, REVIEWS, NEGATIVE_REVIEWS, AFTER_SALES, QUALITY_AFTER_SALES, COMPLAINTS, NEGATIVE_FEEDBACK)
BAD = (LATE_DISPATCHES, NEGATIVE_REVIEWS, QUALITY_AFTER_SALES, COMPLAINTS, AFTER_SALES)  # counters that lower a score
QUALITY_REASONS = frozenset({"quality", "not_as_described"})  # 品退 (DY-QL-1); a pack may name others (`quality_reasons`)
SALE_STATUSES = frozenset({"paid", "shipped", "delivered", "completed", "refunded"})


@dataclass(frozen=True, slots=True, order=True)
class AfterSale:
    filed_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """Everything DY-QL-1 reads of one order."""

    ordered_at: datetime
    status: str
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    review: tuple[datetime, int] | None = None  # (posted_at, rating)
    after_sales: tuple[AfterSale, ...] = ()
    complaints: tuple[datetime, ...] = ()


def contributions(facts: OrderFacts | None, dispatch_hours: int, negative_max_rating: int,
                  quality_reasons: frozenset[str] = QUALITY_REASONS) -> Counter[Any]:
    """The order's counts, keyed by (counter, instant)."""
    out: Counter[Any] = Counter()
    if facts is None:
        return out
    if facts.status in SALE_STATUSES:
        out[(ORDERS, facts.ordered_at)] += 1
        if facts.paid_at is not None:
            due = facts.paid_at + timedelta(hours=dispatch_hours)
            out[(DISPATCH_DUE, due)] += 1
            if facts.shipped_at is None or facts.shipped_at > due:
                out[(LATE_DISPATCHES, due)] += 1
    bad: list[datetime] = []
    if facts.review is not None:
        posted, rating = facts.review
        out[(REVIEWS, posted)] += 1
        if rating <= negative_max_rating:
            out[(NEGATIVE_REVIEWS, posted)] += 1
            bad.append(posted)
    for a in facts.after_sales:
        out[(AFTER_SALES, a.filed_at)] += 1
        if a.reason in quality_reasons:
            out[(QUALITY_AFTER_SALES, a.filed_at)] += 1
            bad.append(a.filed_at)
    for c in facts.complaints:
        out[(COMPLAINTS, c)] += 1
        bad.append(c)
    if bad:
        out[(NEGATIVE_FEEDBACK, min(bad))] += 1
    return out


def change(before: OrderFacts | None, after: OrderFacts | None, dispatch_hours: int, negative_max_rating: int,
           quality_reasons: frozenset[str] = QUALITY_REASONS) -> dict[tuple[str, datetime], int]:
    """after − before, without the zeros: the marks a change of one order writes."""
    a = contributions(after, dispatch_hours, negative_max_rating, quality_reasons)
    b = contributions(before, dispatch_hours, negative_max_rating, quality_reasons)
    return {k: a[k] - b[k] for k in sorted(set(a) | set(b), key=lambda k: (k[1], k[0])) if a[k] != b[k]}
