"""Where a shop stands among the shops of its industry (DY-QL-2), from a per-day snapshot of the
industry: each qualifying shop's rate per indicator, sorted, and the industry's pooled counts.

A shop belongs to the industry where it had most orders in the window (ties: the first name); a
shop qualifies as a peer once it has the pack's minimum orders. The industry mean is pooled over
every order of the industry's products (Σ count ÷ Σ of), not a mean of shops' rates, so a small
shop weighs by its orders.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from shopwarden.core.quality import counters as c
from shopwarden.core.quality.indicators import DEFINITIONS, rate


@dataclass(frozen=True)
class Industry:
    """One industry's snapshot: sorted peer rates per indicator, pooled (count, of) per indicator."""

    name: str
    shops: int = 0
    rates: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    pooled: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def mean(self, indicator: str) -> float | None:
        count, of = self.pooled.get(indicator, (0, 0))
        return count / of if of else None

    def standing(self, indicator: str, value: float, own: float | None = None) -> float:
        """The share (0..1) of the population — the peers and the shop itself — whose rate is at least
        `value`: 1 for a shop no worse than any peer, near 0 for the worst of many. `own` is the shop's
        own entry in the snapshot (its rate over the snapshot's days, when it qualified): left out, as
        the shop counts once, with its rate to the instant."""
        peers = self.rates.get(indicator, ())
        not_better, n = len(peers) - bisect_left(peers, value), len(peers)
        if own is not None and (i := bisect_left(peers, own)) < n and peers[i] == own:
            not_better, n = not_better - (own >= value), n - 1
        return (not_better + 1) / (n + 1)

    def as_json(self) -> dict:
        return {"shops": self.shops, "rates": {k: list(v) for k, v in self.rates.items()}, "pooled": {k: list(v) for k, v in self.pooled.items()}}

    @classmethod
    def from_json(cls, name: str, body: Mapping) -> "Industry":
        return cls(name, int(body["shops"]), {k: tuple(v) for k, v in body["rates"].items()}, {k: (int(v[0]), int(v[1])) for k, v in body["pooled"].items()})


def build(rows: Iterable[tuple[str, str, str, int]], min_orders: int) -> dict[str, Industry]:
    """Every industry's snapshot from (shop_id, industry, counter, sum) rows over one window."""
    per_shop: dict[str, Counter] = defaultdict(Counter)
    per_shop_industry_orders: dict[str, Counter] = defaultdict(Counter)
    pooled_counts: dict[str, Counter] = defaultdict(Counter)
    for shop_id, industry, counter, n in rows:
        per_shop[shop_id][counter] += n
        pooled_counts[industry][counter] += n
        if counter == c.ORDERS:
            per_shop_industry_orders[shop_id][industry] += n
    members: dict[str, list[Counter]] = defaultdict(list)
    for shop_id, totals in per_shop.items():
        orders = per_shop_industry_orders[shop_id]
        if totals[c.ORDERS] >= min_orders and orders:
            main = min(orders, key=lambda i: (-orders[i], i))
            members[main].append(totals)
    out: dict[str, Industry] = {}
    for industry in sorted(set(pooled_counts) | set(members)):
        shops = members.get(industry, [])
        rates = {i: tuple(sorted(round(r.value, 9) for r in (rate(i, t) for t in shops) if r.value is not None)) for i in DEFINITIONS}
        pooled = {i: (rate(i, pooled_counts[industry]).count, rate(i, pooled_counts[industry]).of) for i in DEFINITIONS}
        out[industry] = Industry(industry, len(shops), rates, pooled)
    return out


def main_industry(orders_by_industry: Mapping[str, int]) -> str | None:
    """The industry of a shop: where it had most orders (ties: the first name)."""
    live = {k: v for k, v in orders_by_industry.items() if v > 0}
    return min(live, key=lambda i: (-live[i], i)) if live else None
