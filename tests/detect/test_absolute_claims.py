"""CR-6-ABS absolute and superlative claims in creator content: the contract and a table.

rule CR-6: misleading promotion — absolute and superlative claims such as 最/第一/国家级
(Advertising Law art. 9(3)), not ordinals, time words, negations or drawbacks.
"""

from __future__ import annotations

import pytest
from content_fixtures import content, pack_context
from contract import DetectorContract

from shopwarden.core.detect.content.absolute_claims import AbsoluteClaims

ABS = AbsoluteClaims()


class TestAbsoluteClaimsContract(DetectorContract):
    detector = ABS


# (transcript, expected evidence texts)
CASES = [
    ("全网最低价，国家级工艺", ["全网最低价", "国家级"]),  # rule CR-6
    ("这是最好用的面霜", ["最好"]),
    ("这个颜色最 受欢迎", ["最 受欢迎"]),
    ("我们是行业第一", ["第一"]),
    ("销量第一名的面霜", ["第一名"]),
    ("干皮首选，万能面霜", ["首选", "万能"]),
    ("这面霜就是天花板", ["天花板"]),  # a pack term (absolute_terms)
    ("The best serum, #1 in Asia", ["best", "#1"]),
    ("the most effective cream ever", ["the most effective"]),
    ("100% effective", ["100%"]),
    ("the only cream that works", ["the only cream that works"]),
    ("面霜ＮＯ．１", ["ＮＯ．１"]),  # full-width forms, cited as written
    # not claims
    ("第一次用就爱上了", []),
    ("第一天、第一步、第一眼", []),
    ("最近、最后、最终、最初都在用", []),
    ("最多三天，最少泡五分钟", []),
    ("敏感肌最好先试用", []),
    ("我最喜欢这个颜色", []),
    ("不是最好的，但够用", []),
    ("唯一的缺点是有点油", []),
    ("面料100%纯棉", []),
    ("最大号适合大体重", []),  # a pack exemption (absolute_exempt)
    ("It's not the best, but fine", []),
    ("at least twice a day; best before June", []),
    ("I'll do my best; the only downside is the smell", []),
    ("Step #1: cleanse", []),
    ("most people like it", []),
    ("charged to 100% it lasts a week", []),
    ("battery at 100% after an hour", []),
    ("最重要的是不油腻", []),  # the speaker ordering their points
    ("第一，质地轻薄；第二，不油腻", []),  # an enumeration
    ("It works best on damp skin; most importantly, it's light", []),
]


@pytest.mark.parametrize(("text", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text, spans):  # rule CR-6
    findings = ABS.detect(content("cream", transcript=text), pack_context())
    assert [e.text for f in findings for e in f.evidence] == spans
    assert all(f.rule == "CR-6-ABS" for f in findings)


def test_the_law_s_own_words_score_higher_than_grammar():  # rule CR-6
    (strong,) = ABS.detect(content("cream", title="国家级品质"), pack_context())
    (grammar,) = ABS.detect(content("cream", title="最适合干皮"), pack_context())
    assert strong.score > grammar.score


def test_every_spoken_field_is_read_and_links_are_not():  # rule CR-6 (CR-5: every part is scanned)
    subject = content("cream", title="最佳面霜", description="顶级成分", transcript="绝对好用", links="https://best.example.com")
    (finding,) = ABS.detect(subject, pack_context())
    assert [e.field for e in finding.evidence] == ["title", "description", "transcript"]


def test_listings_are_not_content():
    from shopwarden.core.detect.base import Subject

    assert ABS.detect(Subject.listing(title="全网最低价"), pack_context()) == []
