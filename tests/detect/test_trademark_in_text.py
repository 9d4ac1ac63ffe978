"""DY-IP trademarks in text: the contract, a table of cases and the seed's shop-name example.

rule DY-IP: improper use of others' rights — a trademark in a listing title or a shop name
(the seed's rights holder: 天元), unless the shop is authorized.
"""

from __future__ import annotations

import pytest
from brand_fixtures import context, qualification
from contract import DetectorContract

from shopwarden.core.detect.base import Subject
from shopwarden.core.detect.trademark_in_text import TrademarkInText

IP = TrademarkInText()


class TestTrademarkInTextContract(DetectorContract):
    detector = IP
    context = context()


def listing(title, brand=None, category="home/kitchen", description="") -> Subject:
    body = {"title": title, "category": category, "description": description}
    if brand is not None:
        body["brand"] = brand
    return Subject.from_listing(body, "s1")


# (subject, qualifications, expected [(field, evidence text)])
CASES = [
    (Subject.shop("天元官方旗舰店", "s1"), (), [("name", "天元")]),
    (Subject.shop("NIKE潮鞋小铺", "s1"), (), [("name", "NIKE")]),
    (Subject.shop("路易威登二手奢品", "s1"), (), [("name", "路易威登")]),
    (listing("天元 同款保温杯 500ml", brand="无品牌"), (), [("title", "天元")]),
    (listing("Dior 同款 丝巾 女", brand="无品牌", category="apparel/accessories"), (), [("title", "Dior")]),
    (listing("耐克风 运动短裤", brand="山野集", category="apparel"), (), [("title", "耐克")]),
    # not DY-IP
    (Subject.shop("天元官方旗舰店", "s1"), (qualification("tianyuan", categories=("home",)),), []),
    (Subject.shop("株洲天元区特产店", "s1"), (), []),
    (Subject.shop("小林日用百货", "s1"), (), []),
    (Subject.shop("山野集手作", "s1"), (), []),  # not a registered trademark
    (listing("保温杯 500ml", description="天元同款"), (), []),  # DY-IP reads titles; the description is DY-BR's
    (listing("耐克 Air 跑步鞋", brand="Nike", category="shoes"), (), []),  # its own declared brand: DY-BR's matter
    (listing("耐克 Air 跑步鞋", category="shoes"), (), []),  # no brand field: presumed its own brand
    (listing("iPad 保护套 轻薄", brand="无品牌", category="digital/accessories", description="适用于 iPad Air 5"), (), []),
    (listing("手机壳 适用于 iPhone 15", category="digital/accessories"), (), []),
    (listing("天元保温杯", brand="天元"), (qualification("tianyuan", categories=("home/kitchen",)),), []),
]


@pytest.mark.parametrize(("subject", "quals", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(subject, quals, spans):  # rule DY-IP
    findings = IP.detect(subject, context("enterprise", *quals))
    assert [(e.field, e.text) for f in findings for e in f.evidence] == spans
    assert all(f.rule == "DY-IP" for f in findings)


def test_seed_trademark_in_a_shop_name():  # rule DY-IP: 店铺名字侵犯他人商标权 (权利人商标：天元)
    (finding,) = IP.detect(Subject.shop("天元家居旗舰店", "s1"), context("enterprise"))
    assert finding.evidence[0].field == "name" and (finding.evidence[0].start, finding.evidence[0].end) == (0, 2)
    assert "店铺名称" in finding.explanation.zh and "shop name" in finding.explanation.en
    assert "天元商标权利人" in finding.explanation.zh


def test_seed_trademark_in_a_title():  # rule DY-IP: 商品标题侵犯他人商标权
    (finding,) = IP.detect(listing("天元 同款 不锈钢保温杯", brand="无品牌"), context("enterprise"))
    assert "商品标题" in finding.explanation.zh and "title" in finding.explanation.en


def test_a_qualification_in_another_category_does_not_authorize_a_title():
    q = qualification("tianyuan", categories=("toys",))
    assert IP.detect(listing("天元 同款保温杯", brand="无品牌"), context("enterprise", q))
    assert IP.detect(Subject.shop("天元玩具店", "s1"), context("enterprise", q)) == []


def test_an_expired_authorization_does_not_count():
    q = qualification("tianyuan", categories=(), days_left=-10)
    assert IP.detect(Subject.shop("天元官方旗舰店", "s1"), context("enterprise", q))
