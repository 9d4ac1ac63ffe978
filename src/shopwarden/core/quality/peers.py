"""Where a shop stands among the shops of its industry (DY-QL-2), from a per-day snapshot of the
industry: how many qualifying shops have each rate, per indicator, and the industry's pooled counts.

A shop belongs to the industry where it had most orders in the window (ties: the first name); a
shop qualifies as a peer once it has the pack's minimum orders. The industry mean is pooled over
every order of the industry's products (Σ count ÷ Σ of), not a mean of shops' rates, so a small
shop weighs by its orders.

Decision (kept incrementally, store/experience.py): peers' rates are compared in steps of 0.1
percentage point (`step`: a rate in per mille, rounded down), so an industry's distribution is a
histogram of at most 1,001 steps per indicator whatever its number of shops, and one shop's change
moves two of its cells. A peer whose rate falls in the shop's step counts as no better than it.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from shopwarden.core.quality import counters as c
from shopwarden.core.quality.indicators import DEFINITIONS, rate

STEPS_PER_UNIT = 1000  # a step of 0.1 percentage point
SHOPS = "shops"  # the key of an industry's number of peers among its kept counts


def step(value: float) -> int:
    return math.floor(value * STEPS_PER_UNIT + 1e-9)


@dataclass(frozen=True)
class Industry:
    """One industry's snapshot: per indicator, the number of peers at each step; pooled counter sums."""

    name: str
    shops: int = 0
    steps: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    sums: Mapping[str, int] = field(default_factory=dict)
    _cells: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)  # indicator -> `_cumulative`, ("mean", indicator) -> mean: computed once

    @classmethod
    def of_rates(cls, name: str, rates: Mapping[str, Iterable[float]], sums: Mapping[str, int] | None = None) -> Industry:
        """An industry whose peers have the given rates (one list per indicator)."""
        steps = {i: dict(Counter(step(r) for r in rs)) for i, rs in rates.items()}
        return cls(name, max((sum(s.values()) for s in steps.values()), default=0), steps, dict(sums or {}))

    @property
    def pooled(self) -> dict[str, tuple[int, int]]:
        return {i: (rate(i, self.sums).count, rate(i, self.sums).of) for i in DEFINITIONS}

    def mean(self, indicator: str) -> float | None:
        key = ("mean", indicator)
        if key not in self._cells:
            self._cells[key] = rate(indicator, self.sums).value
        mean: float | None = self._cells[key]
        return mean

    def standing(self, indicator: str, value: float, own: float | None = None) -> float:
        """The share (0..1) of the population — the peers and the shop itself — whose rate is at least
        `value` (in steps): 1 for a shop no worse than any peer, near 0 for the worst of many. `own` is
        the shop's own entry in the snapshot (its rate over the snapshot's days, when it qualified):
        left out, as the shop counts once, with its rate to the instant."""
        keys, at_least = self._cumulative(indicator)
        n = at_least[0] if at_least else 0
        i = bisect_left(keys, step(value))
        not_better = at_least[i] if i < len(keys) else 0
        if own is not None and self.steps.get(indicator, {}).get(step(own), 0) > 0:
            not_better, n = not_better - (step(own) >= step(value)), n - 1
        return (not_better + 1) / (n + 1)

    def _cumulative(self, indicator: str) -> tuple[list[int], list[int]]:
        """Sorted steps and, for each, the peers at it or above."""
        kept: tuple[list[int], list[int]] | None = self._cells.get(indicator)
        if kept is not None:
            return kept
        self._cells[indicator] = kept = self._count_cells(indicator)
        return kept

    def _count_cells(self, indicator: str) -> tuple[list[int], list[int]]:
        cells = sorted((k, v) for k, v in self.steps.get(indicator, {}).items() if v > 0)
        return [k for k, _ in cells], list(accumulate((v for _, v in reversed(cells))))[::-1]

    def as_json(self) -> dict[str, Any]:
        return {"shops": self.shops, "steps": {i: sorted(([k, v] for k, v in s.items() if v), key=lambda kv: kv[0]) for i, s in self.steps.items()},
                "sums": dict(self.sums)}

    @classmethod
    def from_json(cls, name: str, body: Mapping[str, Any]) -> Industry:
        return cls(name, int(body["shops"]), {i: {int(k): int(v) for k, v in cells} for i, cells in body["steps"].items()},
                   {k: int(v) for k, v in body["sums"].items()})


def membership(totals_by_industry: Mapping[str, Mapping[str, int]], min_orders: int) -> tuple[str, dict[str, int]] | None:
    """(main industry, step of each indicator with a value) of a shop whose window counts per industry
    are given; None when it is nobody's peer (too few orders)."""
    totals: Counter[Any] = Counter()
    for t in totals_by_industry.values():
        totals.update(t)
    main = main_industry({i: t.get(c.ORDERS, 0) for i, t in totals_by_industry.items()})
    if main is None or totals[c.ORDERS] < min_orders:
        return None
    return main, {i: step(r.value) for i in DEFINITIONS if (r := rate(i, totals)).value is not None}


def cells(totals_by_industry: Mapping[str, Mapping[str, int]], min_orders: int) -> Counter[Any]:
    """What one shop adds to the kept counts, keyed (industry, key): its peer entry (`SHOPS` and
    `<indicator>:<step>`) and its counts to the pooled sums (`<counter>`)."""
    out: Counter[Any] = Counter()
    for industry, t in totals_by_industry.items():
        for counter, n in t.items():
            if n:
                out[(industry, counter)] += n
    if (m := membership(totals_by_industry, min_orders)) is not None:
        main, steps = m
        out[(main, SHOPS)] += 1
        for indicator, s in steps.items():
            out[(main, f"{indicator}:{s}")] += 1
    return out


def shift(before: Mapping[str, Mapping[str, int]], after: Mapping[str, Mapping[str, int]], min_orders: int) -> Counter[Any]:
    """The change of the kept counts when one shop's window counts go from `before` to `after`, without zeros."""
    out = cells(after, min_orders)
    out.subtract(cells(before, min_orders))
    return Counter({k: v for k, v in out.items() if v})


def from_counts(rows: Iterable[tuple[str, str, int]]) -> dict[str, Industry]:
    """Every industry's snapshot from kept counts (industry, key, value), as `cells` keys them."""
    shops: Counter[Any] = Counter()
    steps: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    sums: dict[str, dict[str, int]] = defaultdict(dict)
    names = set()
    for industry, key, value in rows:
        if not value:
            continue  # a cell that emptied
        names.add(industry)
        if key == SHOPS:
            shops[industry] += value
        elif ":" in key:
            indicator, s = key.split(":", 1)
            steps[industry][indicator][int(s)] = value
        else:
            sums[industry][key] = value
    return {n: Industry(n, shops[n], {i: dict(v) for i, v in steps[n].items()}, dict(sums[n])) for n in sorted(names)}


def build(rows: Iterable[tuple[str, str, str, int]], min_orders: int) -> dict[str, Industry]:
    """Every industry's snapshot from (shop_id, industry, counter, sum) rows over one window."""
    per_shop: dict[str, dict[str, Counter[Any]]] = defaultdict(lambda: defaultdict(Counter))
    for shop_id, industry, counter, n in rows:
        per_shop[shop_id][industry][counter] += n
    kept: Counter[Any] = Counter()
    for totals in per_shop.values():
        kept.update(cells(totals, min_orders))
    return from_counts((i, k, v) for (i, k), v in kept.items())


def main_industry(orders_by_industry: Mapping[str, int]) -> str | None:
    """The industry of a shop: where it had most orders (ties: the first name)."""
    live = {k: v for k, v in orders_by_industry.items() if v > 0}
    return min(live, key=lambda i: (-live[i], i)) if live else None
