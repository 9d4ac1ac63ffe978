"""A detector's thresholds from the pack over its own defaults, and severity from score floors.

Pack keys `severity.<name>` give the lowest score for a severity; the highest floor a score
reaches names its severity, and below every floor it is "minor" — the same convention as
contact_diversion, so one decision table reads every detector alike.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext


def settings(context: DetectContext, kind: str, defaults: Mapping[str, float]) -> dict[str, float]:
    """The detector's defaults overlaid with the pack's `detectors.<kind>.thresholds`."""
    return {**defaults, **context.thresholds(kind)}


def severity_for(score: float, thresholds: Mapping[str, float]) -> str:
    """The highest severity whose floor `score` reaches; "minor" below every floor."""
    floors = [(v, k.removeprefix("severity.")) for k, v in thresholds.items() if k.startswith("severity.")]
    reached = [floor for floor in floors if score >= floor[0]]
    return max(reached)[1] if reached else "minor"
