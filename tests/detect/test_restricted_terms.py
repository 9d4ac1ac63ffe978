"""CR-6-TERMS sensational, illegal or locally restricted content by the pack's term lists.

rule CR-6: sensational, illegal and locally restricted content — the pack's term lists, always
to a human (the decision table sends every CR-6-TERMS rule to review).
"""

from __future__ import annotations

import pytest
from content_fixtures import content, pack_context
from contract import DetectorContract

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.content.restricted_terms import RestrictedTerms
from shopwarden.core.detect.decision import decide
from shopwarden.service.policies import load_builtin_packs

TERMS = RestrictedTerms()


class TestRestrictedTermsContract(DetectorContract):
    detector = TERMS


CASES = [
    ("震惊！这口锅居然这样", {"CR-6-TERMS-SENSATIONAL": ["震惊"]}),  # rule CR-6
    ("You won't believe this", {"CR-6-TERMS-SENSATIONAL": ["You won't believe"]}),
    ("需要代开发票的找我", {"CR-6-TERMS-ILLEGAL": ["代开发票"]}),
    ("喝茶还能改运", {"CR-6-TERMS-LOCAL": ["改运"]}),
    ("恐龙图案T恤，惊喜价", {}),
    ("a shockingly good deal", {}),  # whole words only
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text, expected):  # rule CR-6
    findings = TERMS.detect(content("cup", transcript=text), pack_context())
    assert {f.rule: [e.text for e in f.evidence] for f in findings} == expected


def test_without_the_pack_s_lists_nothing_is_found():
    assert TERMS.detect(content("cup", transcript="震惊！"), DetectContext()) == []


@pytest.mark.parametrize("pack_id", ["tiktok-shop", "tiktok-shop-chr"])
def test_every_terms_finding_goes_to_review(pack_id):  # rule CR-6: always to a human
    pack = load_builtin_packs()[pack_id]
    findings = TERMS.detect(content("cup", transcript="震惊！代开发票，还能改运"), pack_context())
    assert len(findings) == 3
    for finding in findings:
        assert decide([finding], pack.decisions) == "review"
