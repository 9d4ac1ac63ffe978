"""Backtests: each detector's precision and recall against what operators decided.

A detector's finding ends in one of these ways, and each is evidence of whether it was right:
- a review case an operator decided `violation` (confirmed) or `dismiss` (overturned);
- a violation the pack issued at once from it (DY decision rows): confirmed unless a granted appeal
  or a revocation took it back (overturned); when the same finding also opened a case, it is counted
  once, as the case (a dismissed case or a taken-back violation overturns it);
- still open: a case not yet decided (pending, counted apart, never in the figures).
What the detectors missed is what operators found without them: a violation an operator issued by
hand whose type enforces the detector's rule (the pack's `rules:` of that type) — the only misses the
engine can see. Precision = confirmed / (confirmed + overturned); recall = confirmed / (confirmed +
missed); both with 95% Wilson intervals, and None where nothing was decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from shopwarden.core.reviews.positive_rate import wilson_lower_bound

Z95 = 1.959964
Verdict = Literal["confirmed", "overturned", "pending", "missed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    rule: str
    detector: str  # "" for a miss: no detector saw it
    via: Literal["case", "auto", "manual"]
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


def wilson(k: int, n: int, z: float = Z95) -> Interval | None:
    if n == 0:
        return None
    return Interval(wilson_lower_bound(k, n, z), 1.0 - wilson_lower_bound(n - k, n, z))


@dataclass(frozen=True, slots=True)
class RuleBacktest:
    rule: str
    detector: str
    confirmed: int
    overturned: int
    pending: int
    missed: int  # the rule's hand-issued violations, shared by every detector of the rule

    @property
    def precision(self) -> float | None:
        n = self.confirmed + self.overturned
        return self.confirmed / n if n else None

    @property
    def recall(self) -> float | None:
        n = self.confirmed + self.missed
        return self.confirmed / n if n else None

    @property
    def precision_interval(self) -> Interval | None:
        return wilson(self.confirmed, self.confirmed + self.overturned)

    @property
    def recall_interval(self) -> Interval | None:
        return wilson(self.confirmed, self.confirmed + self.missed)


def backtest(outcomes: Iterable[Outcome]) -> list[RuleBacktest]:
    """One row per (rule, detector) that found something, by rule then detector; a rule whose only
    outcomes are misses gets one row with detector ""."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    missed: dict[str, int] = {}
    for o in outcomes:
        if o.verdict == "missed":
            missed[o.rule] = missed.get(o.rule, 0) + 1
            continue
        c = counts.setdefault((o.rule, o.detector), {"confirmed": 0, "overturned": 0, "pending": 0})
        c[o.verdict] += 1
    rules_seen = {r for r, _ in counts}
    for rule in missed.keys() - rules_seen:
        counts[(rule, "")] = {"confirmed": 0, "overturned": 0, "pending": 0}
    return [RuleBacktest(rule, det, c["confirmed"], c["overturned"], c["pending"], missed.get(rule, 0))
            for (rule, det), c in sorted(counts.items())]


@dataclass(frozen=True, slots=True)
class ShadowBacktest:
    """A shadow detector version beside the live one over a period: how often the two
    agreed, how they disagreed, and which side operators' labels found right. `shadow_right_share`
    is the shadow's share of the disagreements labelled `live` or `shadow` (`neither` and the
    unlabelled are counted apart), with its 95% Wilson interval: above one half, the candidate
    would have decided the disputed subjects better than the live version."""

    detector: str
    version: str
    agree: int
    live_only: int
    shadow_only: int
    differ: int
    live_right: int
    shadow_right: int
    neither: int
    unlabelled: int

    @property
    def disagreements(self) -> int:
        return self.live_only + self.shadow_only + self.differ

    @property
    def shadow_right_share(self) -> float | None:
        n = self.live_right + self.shadow_right
        return self.shadow_right / n if n else None

    @property
    def shadow_right_interval(self) -> Interval | None:
        return wilson(self.shadow_right, self.live_right + self.shadow_right)


def shadow_backtest(counts: Iterable[tuple[str, str, str, str | None, int]]) -> list[ShadowBacktest]:
    """One row per (detector, shadow version) from (detector, version, verdict, label, rows) counts."""
    acc: dict[tuple[str, str], dict[str, int]] = {}
    for detector, version, verdict, label, n in counts:
        c = acc.setdefault((detector, version), dict.fromkeys(("agree", "live_only", "shadow_only", "differ", "live", "shadow", "neither", "unlabelled"), 0))
        c[verdict] += n
        if verdict != "agree":
            c[label or "unlabelled"] += n
    return [ShadowBacktest(d, v, c["agree"], c["live_only"], c["shadow_only"], c["differ"], c["live"], c["shadow"], c["neither"], c["unlabelled"])
            for (d, v), c in sorted(acc.items())]
