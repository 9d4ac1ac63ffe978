"""DY-BR brand qualification: the contract, a table of cases, and the seed's examples.

rule DY-BR: a brand shown in the title, images, detail page or LIVE without a valid
qualification (none, expired, revoked, mismatched); unbranded goods publish as "no brand";
restricted brands need authorization in enterprise and individual shops, and personal shops
may not sell them at all.
"""

from __future__ import annotations

import pytest
from brand_fixtures import AT, context, qualification
from contract import DetectorContract

from shopwarden.core.detect.base import Subject
from shopwarden.core.detect.brand_qualification import BrandQualification
from shopwarden.core.policy.schema import DetectorSettings

BR = BrandQualification()


class TestBrandQualificationContract(DetectorContract):
    detector = BR
    context = context()


def listing(title, description="", brand=None, category="shoes/running", attributes=None, skus=None) -> Subject:
    body = {"title": title, "description": description, "category": category}
    if brand is not None:
        body["brand"] = brand
    if attributes:
        body["attributes"] = attributes
    if skus:
        body["skus"] = skus
    return Subject.from_listing(body, "s1")


# (subject, shop kind, qualifications, expected [(field, evidence text)] of the one finding, or [] for none)
CASES = [
    (listing("耐克 Air 跑步鞋 男"), "enterprise", (), [("title", "耐克")]),
    (listing("跑步鞋 男", "正品 NIKE 气垫", brand="Nike"), "enterprise", (), [("description", "NIKE"), ("brand", "Nike")]),
    (listing("跑步鞋", attributes={"品牌": "耐克", "材质": "网面"}), "individual", (), [("attributes", "耐克")]),
    (
        listing("跑步鞋", skus=[{"sku_id": "1", "name": "耐克款 42码", "price": 399}]),
        "enterprise",
        (),
        [("skus[0].name", "耐克")],
    ),
    (listing("耐克跑步鞋"), "enterprise", (qualification(status="revoked"),), [("title", "耐克")]),
    (listing("耐克跑步鞋"), "enterprise", (qualification(days_left=-3),), [("title", "耐克")]),
    (listing("耐克跑步鞋"), "enterprise", (qualification(categories=("bags",)),), [("title", "耐克")]),
    (listing("美的 电风扇", category="home/appliances"), "enterprise", (), [("title", "美的")]),
    # allowed
    (listing("耐克跑步鞋"), "enterprise", (qualification(),), []),
    (listing("耐克跑步鞋"), "individual", (qualification(categories=("shoes",)),), []),
    (listing("纯棉短袖T恤 百搭", brand="无品牌", category="apparel/tops"), "personal", (), []),
    (listing("北欧风台灯 卧室", brand="No brand", category="home/lighting"), "enterprise", (), []),
    (listing("手机壳 适用于iPhone 15 Pro", category="digital/accessories"), "enterprise", (), []),
    (listing("充电线 适用于苹果/华为/小米", category="digital/cables"), "enterprise", (), []),
    (listing("鞋带 for Nike shoes 白色", category="shoes/accessories"), "personal", (), []),
    (listing("华为通用 type-c 数据线", category="digital/cables"), "enterprise", (), []),
    (listing("完美的设计 独特步伐 休闲鞋"), "enterprise", (), []),
    (listing("V领雪纺衫 型号 MI-2034", category="apparel/tops"), "enterprise", (), []),
]


@pytest.mark.parametrize(("subject", "kind", "quals", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(subject, kind, quals, spans):  # rule DY-BR
    findings = BR.detect(subject, context(kind, *quals))
    assert [(e.field, e.text) for f in findings for e in f.evidence] == spans
    assert all(f.rule == "DY-BR" for f in findings) and len(findings) == (1 if spans else 0)


def test_seed_brand_without_qualification():  # rule DY-BR: ① 没有提交品牌资质
    (finding,) = BR.detect(listing("耐克 Air Max 气垫跑鞋"), context("enterprise"))
    assert finding.severity == "general" and finding.score >= 0.9
    assert "未提交" in finding.explanation.zh and "no qualification" in finding.explanation.en
    assert "无品牌" in finding.explanation.zh  # tells the seller how to publish unbranded goods


@pytest.mark.parametrize("quals", [(), (qualification(),)], ids=["without", "with a qualification"])
def test_seed_personal_shop_with_a_restricted_brand(quals):  # rule DY-BR: 个人店不可售卖限售品牌
    (finding,) = BR.detect(listing("LV 老花手提包", category="bags/handbags"), context("personal", *quals))
    assert finding.severity == "serious" and finding.score == 0.97
    assert "个人店不可售卖限售品牌" in finding.explanation.zh and "personal shops" in finding.explanation.en


def test_personal_shop_may_sell_an_unrestricted_brand_it_is_qualified_for():
    q = qualification("midea", categories=("home",))
    assert BR.detect(listing("美的电风扇", category="home/appliances"), context("personal", q)) == []


@pytest.mark.parametrize(
    ("q", "said"),
    [
        (qualification(status="pending"), "审核中"),
        (qualification(status="rejected"), "驳回"),
        (qualification(status="revoked"), "撤销"),
        (qualification(days_left=-1), "过期"),
        (qualification(status="expired"), "过期"),
        (qualification(started=10), "生效"),
        (qualification(categories=("bags",)), "未关联类目「shoes/running」"),
    ],
)
def test_the_finding_says_which_gap(q, said):  # rule DY-BR: 过期/撤销/不符
    (finding,) = BR.detect(listing("耐克跑步鞋"), context("enterprise", q))
    assert said in finding.explanation.zh


def test_pending_scores_lower_than_none_and_restricted_higher():
    def score(subject, *quals):
        return BR.detect(subject, context("enterprise", *quals))[0].score

    nike, midea = listing("耐克跑步鞋"), listing("美的电风扇", category="home/appliances")
    assert score(midea, qualification("midea", status="pending")) < score(midea) < score(nike)
    assert score(nike, qualification(status="pending")) == score(nike), "a restricted brand keeps its floor"


def test_one_finding_per_brand_with_every_place_it_is_shown():
    subject = listing("耐克 x 美的 联名", "NIKE 正品", category="shoes")
    findings = BR.detect(subject, context("enterprise"))
    assert [[e.text for e in f.evidence] for f in findings] == [["耐克", "NIKE"], ["美的"]]


def test_brands_need_judging_at_a_moment_and_dates_count():
    q = qualification(days_left=1)
    assert BR.detect(listing("耐克跑步鞋"), context("enterprise", q)) == []
    later = context("enterprise", q, at=AT.replace(year=2027))
    assert BR.detect(listing("耐克跑步鞋"), later)


def test_pack_thresholds_set_scores_and_severities():
    pack = {"brand_qualification": DetectorSettings(thresholds={"score.none": 0.5, "score.restricted": 0.5}, source="test pack")}
    (finding,) = BR.detect(listing("耐克跑步鞋"), context("enterprise", detectors=pack))
    assert finding.score == 0.5 and finding.severity == "minor"


def test_quiet_without_a_registry_or_on_other_subjects():
    from shopwarden.core.detect.base import DetectContext

    assert BR.detect(listing("耐克跑步鞋"), DetectContext()) == []
    assert BR.detect(Subject.message("耐克跑步鞋 要吗"), context()) == []
