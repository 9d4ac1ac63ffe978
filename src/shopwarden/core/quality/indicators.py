"""DY-QL-1's rates from window counts: each indicator is a numerator counter over a denominator
counter, higher being worse. An indicator whose denominator is 0 has no value (and no score)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shopwarden.core.quality import counters as c

# id -> (numerator, denominator)
DEFINITIONS: dict[str, tuple[str, str]] = {
    "negative_review_rate": (c.NEGATIVE_REVIEWS, c.REVIEWS),
    "quality_return_rate": (c.QUALITY_AFTER_SALES, c.ORDERS),
    "late_dispatch_rate": (c.LATE_DISPATCHES, c.DISPATCH_DUE),
    "complaint_rate": (c.COMPLAINTS, c.ORDERS),
    "after_sales_rate": (c.AFTER_SALES, c.ORDERS),
    "negative_feedback_rate": (c.NEGATIVE_FEEDBACK, c.ORDERS),
}


@dataclass(frozen=True, slots=True)
class Rate:
    id: str
    count: int
    of: int

    @property
    def value(self) -> float | None:
        return self.count / self.of if self.of else None


def rate(indicator: str, totals: Mapping[str, int]) -> Rate:
    num, den = DEFINITIONS[indicator]
    return Rate(indicator, int(totals.get(num, 0)), int(totals.get(den, 0)))


def rates(indicators: Iterable[str], totals: Mapping[str, int]) -> dict[str, Rate]:
    return {i: rate(i, totals) for i in indicators}
