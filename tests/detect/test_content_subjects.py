"""The merchant detectors where a creator's content does the same harm (CR-6): DY-DV reads the
content's text and links, DY-PR holds a said price to the anchored products' SKUs, DY-IP holds
a brand that is not the anchored products' own; and the packs map every content rule to a CR-2
category and a decision.
"""

from __future__ import annotations

import pytest
from brand_fixtures import INDEX
from content_fixtures import content, pack_context

from shopwarden.core.detect.base import DetectContext, ShopInfo
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.decision import decide_finding
from shopwarden.core.detect.pricing.advertised_price import AdvertisedPrice
from shopwarden.core.detect.registry import default_registry
from shopwarden.core.detect.trademark_in_text import TrademarkInText
from shopwarden.service.policies import load_builtin_packs

DV, PR, IP = ContactDiversion(), AdvertisedPrice(), TrademarkInText()
OWN = DetectContext(allowed_domains=("tiktok.com",))


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ("https://item.taobao.com/item.htm?id=1", ["https://item.taobao.com/item.htm?id=1"]),
        ("https://shop.tiktok.com/view/product/1\nhttps://weidian.com/x", ["https://weidian.com/x"]),
        ("https://shop.tiktok.com/view/product/1", []),
    ],
)
def test_links_to_other_platforms_are_diversion(links, expected):  # rule CR-6 (DY-DV misleading traffic)
    findings = DV.detect(content("cup", links=links), OWN)
    assert [e.text for f in findings for e in f.evidence if e.field == "links"] == expected


def test_a_transcript_steering_to_another_platform_is_diversion():  # rule CR-6 (DY-DV)
    (finding,) = DV.detect(content("cup", transcript="想便宜的去拼多多搜同款"), OWN)
    assert finding.rule == "DY-DV" and finding.evidence[0].field == "transcript"


@pytest.mark.parametrize(
    ("products", "text", "expected"),
    [
        (("cup",), "直播间只要29.9", ["29.9"]),  # rule CR-6 (DY-PR)
        (("cup",), "保温杯59元", []),
        (("cup", "pan"), "保温杯59元，炒锅129元", []),  # each price is some anchored product's
        (("cup", "pan"), "今天只要99元", ["99元"]),
        ((), "只要9.9元", []),  # nothing anchored: no real price to hold it to
    ],
)
def test_a_said_price_is_held_to_the_anchored_products(products, text, expected):
    findings = PR.detect(content(*products, transcript=text), DetectContext())
    evidence = [e.text for f in findings for e in f.evidence]
    assert len(evidence) == len(expected) and all(t in e for t, e in zip(expected, evidence))


def test_another_brand_in_content_is_ip_but_the_anchored_product_s_own_is_not():  # rule CR-6 (DY-IP)
    ctx = DetectContext(brands=INDEX, shop=ShopInfo("s1", "enterprise"))
    (finding,) = IP.detect(content("cream", transcript="迪奥同款面霜，平价替代"), ctx)
    assert finding.rule == "DY-IP" and finding.evidence[0].text == "迪奥" and "内容" in finding.explanation.zh
    own = dict(content("cream").data)
    own["products"] = [{"product_id": "p9", "title": "迪奥 花秘瑰萃面霜", "brand": "Dior", "category": "beauty/skincare"}]
    from shopwarden.core.detect.base import Subject

    assert IP.detect(Subject("content", {"transcript": "迪奥这款面霜很滋润"}, "s1", own), ctx) == []


@pytest.mark.parametrize("pack_id", ["tiktok-shop", "tiktok-shop-chr"])
def test_every_content_rule_has_a_category_and_a_decision(pack_id):  # rule CR-6 (CR-2 categories)
    pack = load_builtin_packs()[pack_id]
    expected = {
        "CR-6-ABS": "misleading_promotion", "CR-6-EFF": "misleading_promotion", "CR-6-REL": "low_quality",
        "CR-6-TERMS-SENSATIONAL": "sensational", "CR-6-TERMS-ILLEGAL": "illegal_activity",
        "CR-6-TERMS-LOCAL": "locally_restricted",
    }  # fmt: skip
    assert {rule: pack.creators.category_of(rule) for rule in expected} == expected
    assert pack.creators.content_checks is not None and pack.creators.content_checks.terms
    rules = {r.rule for r in pack.decisions}
    assert set(expected) <= rules


def test_only_the_law_s_own_words_block_and_the_rest_go_to_review():  # rule CR-6
    pack = load_builtin_packs()["tiktok-shop"]
    detectors, ctx = default_registry(), pack_context()
    strong = detectors.scan(content("cream", title="全网最低价，国家级品质"), ctx)
    weak = detectors.scan(content("cream", title="最适合干皮的面霜"), ctx)
    eff = detectors.scan(content("cream", transcript="能治疗湿疹"), ctx)
    assert [decide_finding(f, pack.decisions)[0] for f in strong] == ["block"]
    assert [decide_finding(f, pack.decisions)[0] for f in weak] == ["review"]
    assert [decide_finding(f, pack.decisions)[0] for f in eff] == ["review"]


def test_unknown_content_check_keys_are_errors_with_their_place():
    from shopwarden.core.policy.loader import PolicyError, parse_pack
    from shopwarden.service.policies import builtin_pack_texts

    texts = builtin_pack_texts()
    broken = texts["tiktok-shop"].replace("    absolute_exempt:", "    absolute_words: [x]\n    absolute_exempt:", 1)
    with pytest.raises(PolicyError) as caught:
        parse_pack(broken, source="tiktok-shop.yaml", bases=texts)
    assert "absolute_words" in str(caught.value)


def test_a_cover_s_text_is_read_for_claims_with_its_box():  # rule CR-6 (CR-5: the cover is scanned)
    from shopwarden.core.detect.image_text import ImageText, with_images

    box = [[10, 10], [300, 10], [300, 60], [10, 60]]
    subject = with_images(content("cream", title="面霜分享"), [{"image_id": "f" * 64, "lines": [{"text": "国家级配方 专治湿疹", "box": box}]}])
    findings = {f.rule: f for f in ImageText().detect(subject, pack_context())}
    assert set(findings) == {"CR-6-ABS", "CR-6-EFF"}
    evidence = findings["CR-6-ABS"].evidence[0]
    assert (evidence.field, evidence.text, evidence.image_id) == ("images[0]", "国家级", "f" * 64) and evidence.box


@pytest.mark.parametrize("pack_id", ["tiktok-shop", "tiktok-shop-chr"])
def test_every_cr2_category_has_a_creator_violation_type(pack_id):  # rule CR-2
    from shopwarden.core.policy.creators import CR2_CATEGORIES

    rules = load_builtin_packs()[pack_id].creators
    assert len(CR2_CATEGORIES) == 10
    assert {t.category for t in rules.violation_types} == set(CR2_CATEGORIES)
