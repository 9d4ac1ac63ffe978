"""From findings to allow / review / block, through the pack's decision table.

Each finding takes the decision of the first table row that matches it (rule or '*', score at
or above `min_score`, severity if the row names one); the subject's decision is the strictest
of its findings'. No finding: allow. A finding no row matches goes to review, so that nothing
a detector raised is silently dropped by a table that forgot its rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from shopwarden.core.detect.base import Finding
from shopwarden.core.policy.schema import DecisionRow

Decision = Literal["allow", "review", "block"]
_STRICTNESS: dict[str, int] = {"allow": 0, "review": 1, "block": 2}
UNMATCHED: Decision = "review"


def _matches(row: DecisionRow, finding: Finding) -> bool:
    return (
        row.rule in ("*", finding.rule)
        and finding.score >= row.min_score
        and (row.severity is None or row.severity == finding.severity)
    )


def decide_finding(finding: Finding, rows: Sequence[DecisionRow]) -> tuple[Decision, int | None]:
    """The decision for one finding and the index of the row that made it (None: no row)."""
    for index, row in enumerate(rows):
        if _matches(row, finding):
            return row.decision, index
    return UNMATCHED, None


def strictest(decisions: Iterable[Decision]) -> Decision:
    """The strictest of some decisions; allow when there are none."""
    return max(decisions, key=_STRICTNESS.__getitem__, default="allow")


def decide(findings: Iterable[Finding], rows: Sequence[DecisionRow]) -> Decision:
    """The strictest decision over all findings; allow when there are none."""
    return strictest(decide_finding(finding, rows)[0] for finding in findings)
