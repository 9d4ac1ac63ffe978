"""Instants to evaluate a standing at, for drawing it over time (CR-13, the store diagnosis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Series:
    """A standing over time for a chart: (instant, value) in time order, and the lines it is judged against."""

    points: list[tuple[datetime, float]]
    lines: list[tuple[float, str]]  # (value, what it is: a threshold's level, a milestone)
    now: datetime


def samples(start: datetime, end: datetime, changes: list[datetime], n: int = 48) -> list[datetime]:
    """Evenly spaced instants over [start, end], plus each change inside it and the instant just
    before it, so that a step is drawn as a step and not as a slope."""
    step = (end - start) / n
    out = {start + step * i for i in range(n + 1)}
    for t in changes:
        if start < t < end:
            out.update((t, t - step / 50))
    return sorted(out)
