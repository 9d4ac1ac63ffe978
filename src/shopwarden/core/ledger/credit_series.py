"""A creator's credits as columns (CR-7): times and amounts in arrays, so that the day-capped total
earned up to any instant is a binary search into a prefix sum, not a walk over every credit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from shopwarden.core.ledger.events import CreditEarned

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DAY_US = 86_400_000_000


def _us(t: datetime) -> int:
    d = t - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


@dataclass(eq=False)
class CreditSeries:
    """Credits in time order (ties by id, as the per-credit walk orders them)."""

    credits: Sequence[CreditEarned]
    at_us: np.ndarray = field(init=False)
    amount: np.ndarray = field(init=False)
    _capped: dict[int, np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.credits = sorted(self.credits, key=lambda c: (c.at, c.credit_id))
        self.at_us = np.fromiter((_us(c.at) for c in self.credits), dtype=np.int64, count=len(self.credits))
        self.amount = np.fromiter((c.amount for c in self.credits), dtype=np.int64, count=len(self.credits))

    def events(self) -> list[CreditEarned]:
        return list(self.credits)

    def prefix(self, cap: int) -> np.ndarray:
        """The total granted up to and including each credit, with at most `cap` a UTC day; a credit
        past the cap granted in part, in time order."""
        found = self._capped.get(cap)
        if found is None:
            found = np.zeros(0, dtype=np.int64)
            if len(self.amount):
                days = self.at_us // _DAY_US
                total = np.cumsum(self.amount)
                new_day = np.empty(len(days), dtype=bool)
                new_day[0], new_day[1:] = True, days[1:] != days[:-1]
                previous = np.empty_like(total)
                previous[0], previous[1:] = 0, total[:-1]
                base = np.maximum.accumulate(np.where(new_day, previous, 0))  # the total before each credit's day
                capped = np.minimum(total - base, cap)  # the day's capped total so far
                before = np.where(new_day, 0, np.minimum(previous - base, cap))
                found = np.cumsum(capped - before)
            self._capped[cap] = found
        return found

    def earned_at(self, cap: int, instants: Sequence[datetime]) -> tuple[list[int], list[int]]:
        """Granted before and by each of `instants` (one binary search over all of them)."""
        g = np.concatenate(([0], self.prefix(cap)))
        t = np.fromiter((_us(x) for x in instants), dtype=np.int64, count=len(instants))
        before = g[np.searchsorted(self.at_us, t, side="left")]
        by = g[np.searchsorted(self.at_us, t, side="right")]
        return before.tolist(), by.tolist()

    def earned_upto(self, cap: int, t: datetime, strict: bool = False) -> int:
        """Granted by `t` (before `t` when `strict`)."""
        g = self.prefix(cap)
        i = int(np.searchsorted(self.at_us, _us(t), side="left" if strict else "right"))
        return int(g[i - 1]) if i else 0
