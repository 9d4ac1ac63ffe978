"""A creator's credits as columns (CR-7): times and amounts in arrays, so that the day-capped total
earned up to any instant is a binary search into a prefix sum, not a walk over every credit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from shopwarden.core.ledger.events import CreditEarned

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000


def _us(t: datetime) -> int:
    d = t - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


@dataclass(eq=False)
class CreditSeries:
    """Credits in time order (ties by id, as the per-credit walk orders them).

    Built once per read, the columns that do not depend on the pack: each credit's UTC day (1, 2, …
    in order; 0 stands for "no credit yet") and the total earned on its day up to and including it,
    and each day's total. The daily cap is the fold's: `earned_at` applies it at the instants asked
    about only (the capped total before a day is a prefix sum over days, one per cap)."""

    credits: Sequence[CreditEarned]
    at_us: np.ndarray = field(init=False)
    amount: np.ndarray = field(init=False)
    _day: np.ndarray = field(init=False)  # per credit count k (0..n): the day of the k-th credit, 0 for none
    _in_day: np.ndarray = field(init=False)  # per credit count k: its day's total up to and including it
    _day_total: np.ndarray = field(init=False)  # per day (from day 1)
    _capped: dict[int, np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.credits = sorted(self.credits, key=lambda c: (c.at, c.credit_id))
        n = len(self.credits)
        self.at_us = np.fromiter((_us(c.at) for c in self.credits), dtype=np.int64, count=n)
        self.amount = np.fromiter((c.amount for c in self.credits), dtype=np.int64, count=n)
        days = self.at_us // _DAY_US
        first = np.ones(n, dtype=bool)
        first[1:] = days[1:] != days[:-1]
        starts = np.flatnonzero(first)  # each day's first credit
        total = np.cumsum(self.amount)
        day_before = np.concatenate(([0], total))[starts]  # the total earned before each day
        day = np.cumsum(first)
        self._day = np.concatenate(([0], day))
        self._in_day = np.concatenate(([0], total - day_before[day - 1]))
        self._day_total = total[np.append(starts[1:] - 1, n - 1)] - day_before if n else np.zeros(0, dtype=np.int64)

    def events(self) -> list[CreditEarned]:
        return list(self.credits)

    def _before_day(self, cap: int) -> np.ndarray:
        """Per day (index 0 for none, then 1, 2, …): the total granted on the days before it, at most `cap` a day."""
        found = self._capped.get(cap)
        if found is None:
            found = np.concatenate(([0, 0], np.cumsum(np.minimum(self._day_total, cap))[:-1])) if len(self._day_total) else np.zeros(1, dtype=np.int64)
            self._capped[cap] = found
        return found

    def _granted(self, cap: int, k: np.ndarray) -> np.ndarray:
        """The total granted by the first `k` credits (for each k), with at most `cap` a UTC day, a
        credit past the cap granted in part."""
        granted: np.ndarray = self._before_day(cap)[self._day[k]] + np.minimum(self._in_day[k], cap)
        return granted

    def earned_at(self, cap: int, instants: Sequence[datetime]) -> tuple[list[int], list[int]]:
        """Granted before and by each of `instants` (one binary search over all of them)."""
        t = np.array([_us(x) for x in instants], dtype=np.int64)
        k = np.concatenate((np.searchsorted(self.at_us, t, side="left"), np.searchsorted(self.at_us, t, side="right")))
        g = self._granted(cap, k).tolist()
        return g[:len(t)], g[len(t):]

    def earned_upto(self, cap: int, t: datetime, strict: bool = False) -> int:
        """Granted by `t` (before `t` when `strict`)."""
        k = np.searchsorted(self.at_us, [_us(t)], side="left" if strict else "right")
        return int(self._granted(cap, k)[0])
