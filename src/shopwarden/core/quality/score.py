"""The experience score (体验分, DY-QL-2): each indicator scored by the shop's standing among its
industry's shops, weighted by the pack's groups, on the pack's scale. Too few orders: no score.

Decision: an indicator without a denominator (no reviews yet, no dispatch due) has no value and no
score, and the weights of the others are renormalised; no indicator with a value: no score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shopwarden.core.policy.experience import ExperienceRules
from shopwarden.core.quality import counters as c
from shopwarden.core.quality.indicators import Rate, rates
from shopwarden.core.quality.peers import Industry


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    id: str
    group: str
    weight: float
    rate: Rate
    industry_mean: float | None
    score: float | None


@dataclass(frozen=True, slots=True)
class Experience:
    score: float | None
    orders: int
    indicators: tuple[IndicatorScore, ...]


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def own_entry(rules: ExperienceRules, snapshot_totals: Mapping[str, int] | None) -> dict[str, float]:
    """The shop's own rates as the snapshot holds them (none when it did not qualify as a peer)."""
    if not snapshot_totals or snapshot_totals.get(c.ORDERS, 0) < rules.min_orders:
        return {}
    return {i: round(r.value, 9) for i, r in rates(rules.weights, snapshot_totals).items() if r.value is not None}


def experience(rules: ExperienceRules, totals: Mapping[str, int], industry: Industry, own: Mapping[str, float] | None = None) -> Experience:
    """The score of a shop whose window counts are `totals`, against its industry's snapshot, where
    the shop's own entry (`own_entry`) is left out."""
    orders = int(totals.get(c.ORDERS, 0))
    own = own or {}
    out = []
    for indicator, r in rates(rules.weights, totals).items():
        group, weight = rules.weights[indicator]
        value = None if r.value is None else round(r.value, 9)
        score = None if value is None else rules.scale_min + (rules.scale - rules.scale_min) * industry.standing(indicator, value, own.get(indicator))
        out.append(IndicatorScore(indicator, group, weight, r, industry.mean(indicator), score))
    scored = [(i.weight, i.score) for i in out if i.score is not None]
    total_weight = sum(w for w, _ in scored)
    if orders < rules.min_orders or not scored:
        return Experience(None, orders, tuple(out))
    score = sum(w * s for w, s in scored) / total_weight
    return Experience(round(score, 1), orders, tuple(out))
