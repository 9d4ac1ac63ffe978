"""Sums over the rolling window (lo, hi] (TIME-1: an event at e counts while e <= t < e + N days)
from two kinds of rows: per-day sums for the days wholly inside, and the single marks of the two
boundary days, so a window ending at any instant is exact while reading at most N + 1 day rows per
counter and product.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class DayCount:
    product_id: str
    industry: str
    day: date
    counter: str
    value: int


@dataclass(frozen=True, slots=True)
class Mark:
    product_id: str
    industry: str
    at: datetime
    counter: str
    delta: int


Key = tuple[str, str, str]  # (product_id, industry, counter)


def day_of(t: datetime) -> date:
    return (t if t.tzinfo is UTC else t.astimezone(UTC)).date()


def start_of(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def bounds(at: datetime, days: int) -> tuple[datetime, datetime]:
    """The window of `days` ending at `at`: (at − days, at]."""
    return at - timedelta(days=days), at


def boundary_days(lo: datetime, hi: datetime) -> tuple[date, ...]:
    """The days whose marks a window needs (the others are read as day sums)."""
    return tuple(sorted({day_of(lo), day_of(hi)}))


def window_sum(days: Iterable[DayCount], marks: Iterable[Mark], lo: datetime, hi: datetime) -> Counter[Any]:
    """Counts per (product, industry, counter) of events in (lo, hi]. `days` may hold any days (only those
    strictly between the boundary days are read); `marks` must hold every mark of the boundary days."""
    first, last = day_of(lo), day_of(hi)
    out: Counter[Any] = Counter()
    for d in days:
        if first < d.day < last:
            out[(d.product_id, d.industry, d.counter)] += d.value
    for m in marks:
        if lo < m.at <= hi and day_of(m.at) in (first, last):
            out[(m.product_id, m.industry, m.counter)] += m.delta
    return +out


def by_counter(totals: Counter[Any], product_id: str | None = None) -> Counter[Any]:
    """Totals per counter, over all products or one."""
    out: Counter[Any] = Counter()
    for (product, _industry, counter), n in totals.items():
        if product_id is None or product == product_id:
            out[counter] += n
    return out


class Counts:
    """A shop's day sums and some of its marks, kept so that a window costs one bisection per (product,
    industry, counter) rather than a pass over every day row: running totals per key over its days,
    and the marks grouped by day. A window (lo, hi] is the day sums of its days from lo's to the day
    before hi's, less lo's day's marks at or before lo, plus hi's day's marks at or before hi; so
    `window(lo, hi)` equals `window_sum` when `marks` hold, for lo's and hi's days, every mark at or
    before lo and hi (`cuts`): for windows from the start of a day, only marks at midnight."""

    def __init__(self, days: Iterable[DayCount], marks: Iterable[Mark]):
        runs: dict[Key, tuple[list[date], list[int]]] = {}
        for d in sorted(days, key=lambda d: d.day):
            key = (d.product_id, d.industry, d.counter)
            if (run := runs.get(key)) is None:
                run = runs[key] = ([], [])
            run[0].append(d.day)
            run[1].append((run[1][-1] if run[1] else 0) + d.value)
        self._runs = runs
        self._marks: dict[date, list[Mark]] = {}
        for m in marks:
            self._marks.setdefault(day_of(m.at), []).append(m)

    def span(self, first: date, last: date) -> Counter[Any]:
        """Σ per key of the day sums of the days in [first, last]."""
        out: Counter[Any] = Counter()
        if first > last:
            return out
        for key, (days, totals) in self._runs.items():
            j = bisect_right(days, last)
            if j and (n := totals[j - 1] - (totals[i - 1] if (i := bisect_left(days, first, 0, j)) else 0)):
                out[key] = n
        return out

    def window(self, lo: datetime, hi: datetime) -> Counter[Any]:
        """Counts per (product, industry, counter) of events in (lo, hi]."""
        first, last = day_of(lo), day_of(hi)
        out = self.span(first, last - timedelta(days=1))
        for m in self._marks.get(first, ()):
            if m.at <= lo:
                out[(m.product_id, m.industry, m.counter)] -= m.delta
        for m in self._marks.get(last, ()):
            if m.at <= hi:
                out[(m.product_id, m.industry, m.counter)] += m.delta
        return +out


def cuts(windows: Iterable[tuple[datetime, datetime]]) -> dict[date, datetime]:
    """The marks `Counts.window` needs for these windows: per day, those at or before the latest instant given."""
    out: dict[date, datetime] = {}
    for lo, hi in windows:
        for t in (lo, hi):
            d = day_of(t)
            if d not in out or out[d] < t:
                out[d] = t
    return out
