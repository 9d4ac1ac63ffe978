"""DY-QL-3's shop rule and DY-QL-4's measures: when a shop is of poor quality, which step of the
pack's ladder a determination takes (by repetition), and which measures are in force at an instant.

Decisions: a determination's measures start at its instant; a penalty fee is a one-off, listed
for the pack's `repeat_days` (while it counts as a repetition); a determination whose ticket was
revoked (a granted appeal, DY-APL-1) counts for nothing from the revocation on — neither as a
repetition nor for its measures. Determinations of one instant share one step of the ladder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shopwarden.core.policy.experience import ExperienceRules, PoorQualityShop

RULE_PRODUCT_OR_SHOP = "DY-QL-3"
RULE_MEASURES = "DY-QL-4"


@dataclass(frozen=True, slots=True)
class Measure:
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    limit_per_day: int | None = None
    amount: float | None = None

    def as_json(self) -> dict[str, Any]:
        out = {"kind": self.kind, "starts_at": self.starts_at, "ends_at": self.ends_at}
        if self.limit_per_day is not None:
            out["limit_per_day"] = self.limit_per_day
        if self.amount is not None:
            out["amount"] = self.amount
        return out

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Measure:
        starts_at = _instant(body["starts_at"])
        if starts_at is None:
            raise ValueError("a stored measure has its start")
        return cls(body["kind"], starts_at, _instant(body["ends_at"]), body.get("limit_per_day"), body.get("amount"))

    def in_force(self, t: datetime) -> bool:
        return self.starts_at <= t and (self.ends_at is None or t < self.ends_at)


def _instant(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class Past:
    """An earlier determination of the shop: when, of what, its measures, and when its ticket was revoked."""

    at: datetime
    subject: str
    measures: tuple[Measure, ...]
    revoked_at: datetime | None = None

    def live(self, t: datetime) -> bool:
        return self.at <= t and (self.revoked_at is None or t < self.revoked_at)


def shop_is_poor(daily_scores: Sequence[float | None], rules: PoorQualityShop) -> bool:
    """DY-QL-3: the last `days` daily scores all below the line (no score breaks the run: never a low one)."""
    tail = list(daily_scores)[-rules.days:]
    return len(tail) == rules.days and all(s is not None and s < rules.below for s in tail)


def occurrence(past: Iterable[Past], at: datetime, repeat_days: int) -> int:
    """DY-QL-4's repetition: 1 + the distinct instants of live determinations within `repeat_days` before `at`."""
    since = at - timedelta(days=repeat_days)
    return 1 + len({p.at for p in past if since < p.at < at and p.live(at)})


def measures_for(rules: ExperienceRules, step_occurrence: int, at: datetime) -> tuple[Measure, ...]:
    out = []
    for m in rules.step(step_occurrence).measures:
        days = m.days if m.days is not None else rules.repeat_days
        assert days is not None  # the pack's schema asks a measures ladder for repeat_days
        out.append(Measure(m.kind, at, at + timedelta(days=days), m.limit_per_day, m.amount))
    return tuple(out)


def in_force(past: Iterable[Past], t: datetime) -> list[tuple[Past, Measure]]:
    """The measures in force at `t`, each with its determination, one of each identical measure."""
    seen, out = set(), []
    for p in sorted(past, key=lambda p: p.at):
        if not p.live(t):
            continue
        for m in p.measures:
            if m.in_force(t) and m not in seen:
                seen.add(m)
                out.append((p, m))
    return out


def already_determined(past: Iterable[Past], subject: str, t: datetime) -> bool:
    """A subject is not determined again while a live determination of it has a measure in force."""
    return any(p.subject == subject and p.live(t) and any(m.in_force(t) for m in p.measures) for p in past)


def next_change(past: Iterable[Past], t: datetime) -> datetime | None:
    """The first instant after `t` at which the measures in force may change (a start, an end, a revocation)."""
    moments = [x for p in past for x in (p.at, p.revoked_at, *(e for m in p.measures for e in (m.starts_at, m.ends_at))) if x is not None and x > t]
    return min(moments, default=None)
