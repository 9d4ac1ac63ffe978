"""The pack's decision table turns findings into allow / review / block: the first matching row decides."""

from __future__ import annotations

from shopwarden.core.detect.base import Explanation, Finding, Subject
from shopwarden.core.detect.decision import decide, decide_finding
from shopwarden.core.policy.schema import DecisionRow

EV = (Subject.message("x").evidence("text", 0, 1),)


def finding(rule="DY-DV", score=0.9, severity="general") -> Finding:
    return Finding(rule, "contact_diversion", severity, score, Explanation("e", "z"), EV)


TABLE = [
    DecisionRow(rule="DY-DV", min_score=0.95, decision="block"),
    DecisionRow(rule="DY-DV", severity="minor", decision="allow"),
    DecisionRow(rule="DY-DV", min_score=0.6, decision="review"),
    DecisionRow(rule="*", min_score=0.99, decision="block"),
]


def test_no_finding_allows():
    assert decide([], TABLE) == "allow"


def test_first_matching_row_decides():
    assert decide_finding(finding(score=0.97), TABLE) == ("block", 0)
    assert decide_finding(finding(score=0.97, severity="minor"), TABLE) == ("block", 0)
    assert decide_finding(finding(score=0.7, severity="minor"), TABLE) == ("allow", 1)
    assert decide_finding(finding(score=0.7), TABLE) == ("review", 2)


def test_wildcard_rows_match_any_rule():
    assert decide_finding(finding(rule="DY-BR", score=0.995), TABLE) == ("block", 3)


def test_a_finding_no_row_matches_goes_to_review():
    assert decide_finding(finding(rule="DY-BR", score=0.5), TABLE) == ("review", None)
    assert decide([finding(rule="DY-BR", score=0.5)], []) == "review"


def test_the_strictest_finding_decides_the_subject():
    assert decide([finding(score=0.7, severity="minor"), finding(score=0.7)], TABLE) == "review"
    assert decide([finding(score=0.7), finding(score=0.96)], TABLE) == "block"
