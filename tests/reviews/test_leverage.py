"""RV-K-2's second reading (core/reviews/leverage.py): a requested benefit traded for the review,
found by sentence shape with wide word classes. The wording here is in none of the evaluation's
banks; each coercive case has a look-alike with the same words and no trade."""

from __future__ import annotations

from datetime import UTC

import pytest

from shopwarden.core.reviews import coercion, leverage
from shopwarden.core.text import normalize


def traded(text: str) -> list[str]:
    return [text[a:b] for a, b, _, _ in leverage.find(normalize(text), coercion.joined)]


@pytest.mark.parametrize(
    "text",
    [
        "给我补两百块运费，评论我马上删",  # amount + goods noun, consequence word
        "重新寄一台新的过来，一星我就改掉",
        "报销我的打车费，这条评价就撤",
        "老板，赔我一双鞋，差评立马消失",
        "退我一半，评价我改",  # request clause then a review clause
        "不补偿的话，每天来评论区骂",
        "没有说法之前，差评一直挂着",
        "Refund my shipping and the review goes away.",
        "I'll edit the 2-star once a replacement shows up.",
        "Cover my return postage or my rating stays at one star.",
    ],
)
def test_rv_k_2_a_requested_benefit_traded_for_the_review(text):
    """RV-K-2: benefit (wide class) x review mention x exchange link, in one sentence."""
    assert traded(text), text


@pytest.mark.parametrize(
    "text",
    [
        "退款很及时，给五星",  # benefit described, not asked for
        "已经补寄了一台，评价改成好评",
        "虽然赔了两百块，评论还是照实写",
        "商家私下说删评就退我两百，我没理",  # the seller's offer
        "卖家让我改评价，说给我返红包",
        "好评返现卡塞在盒子里，评价照实写",  # the seller's programme
        "我绝不会为了赔偿改评价",  # refusing the trade
        "不要什么补偿，评价就是差",
        "要求退款被拒，只好给差评",  # a bad review told as what followed
        "东西坏了要求退款，差评提醒大家",
        "赠送一本书签，好评",  # a gift described, then the review
        "还附送一个鼠标，五星",
        "这是家三星级酒店，停车免费",  # hotel stars and free parking are no review or request
        "Got my refund quickly, five stars.",
        "They offered a gift card to change my review. Reported.",
        "Returned it for a full refund, 2 stars.",
    ],
)
def test_rv_k_2_look_alikes_of_the_second_reading(text):
    assert not traded(text), traded(text)


def test_rv_k_2_second_reading_reaches_the_finding_with_its_evidence():
    """RV-K-2 through `coercion`: the second reading's span is the finding's evidence."""
    from datetime import datetime

    from shopwarden.core.reviews.model import ProductView, ReviewHistory, ReviewView

    text = "屏幕有坏点。换一台新的过来，差评立马撤"
    r = ReviewView("r1", "o1", "s1", "p1", "b1", 1, text, datetime(2026, 1, 1, tzinfo=UTC))
    found = coercion.coercion(r, ReviewHistory(ProductView("p1", "s1", "笔记本", "笔记本电脑")), coercion.DEFAULTS)
    assert found and found.rule == "RV-K-2"
    (ev,) = found.evidence
    assert ev.field == "text" and "新的" in text[ev.start : ev.end] and "差评" in text[ev.start : ev.end]
