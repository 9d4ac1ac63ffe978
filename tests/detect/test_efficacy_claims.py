"""CR-6-EFF medical claims about an anchored product outside the categories that may make them.

rule CR-6: misleading promotion — efficacy claims outside the product's category (food and
cosmetics may not claim to treat disease; the allowed categories are the pack's).
"""

from __future__ import annotations

import pytest
from content_fixtures import content, pack_context
from contract import DetectorContract

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.content.efficacy_claims import EfficacyClaims
from shopwarden.core.policy.creators import ContentChecks

EFF = EfficacyClaims()


class TestEfficacyClaimsContract(DetectorContract):
    detector = EFF


# (product, transcript, expected evidence texts)
CASES = [
    ("cream", "这款面霜能治疗湿疹", ["治疗湿疹"]),  # rule CR-6
    ("tea", "长期喝可以降血压、降血糖", ["降血压", "降血糖"]),
    ("tea", "改善失眠效果好", ["改善失眠"]),
    ("tea", "喝了增强免疫力", ["增强免疫力"]),  # a pack term (efficacy_terms)
    ("serum", "This serum cures acne and treats eczema", ["cures", "treats eczema"]),
    ("cream", "消炎杀菌", ["消炎", "杀菌"]),
    ("tea", "老人喝了能治胃病", ["能治胃病"]),  # 治 glued to a modal
    ("tea", "Helps with insomnia", ["Helps with insomnia"]),
    # not claims, or allowed
    ("cream", "补水保湿，moisturising all day", []),
    ("tea", "下午喝一杯缓解疲劳", []),
    ("serum", "treat yourself to a glow", []),
    ("tea", "本品不能治疗疾病", []),
    ("serum", "it does not cure anything", []),
    ("medicine", "用于治疗感冒引起的发热", []),
]


@pytest.mark.parametrize(("product", "text", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(product, text, spans):  # rule CR-6
    findings = EFF.detect(content(product, transcript=text), pack_context())
    assert [e.text for f in findings for e in f.evidence] == spans
    assert all(f.rule == "CR-6-EFF" for f in findings)


def test_the_allowed_categories_are_the_pack_s():  # rule CR-6
    subject = content("tea", transcript="菊花茶治疗失眠")
    assert EFF.detect(subject, pack_context())
    allow_tea = DetectContext(content=ContentChecks(efficacy_categories=["food/tea"], source="test"))
    assert EFF.detect(subject, allow_tea) == []


def test_content_without_an_anchored_product_is_not_judged():
    assert EFF.detect(content(transcript="这个方法治疗失眠"), pack_context()) == []


def test_one_allowed_product_among_several_lets_the_claim_stand():
    assert EFF.detect(content("tea", "medicine", transcript="治疗感冒"), pack_context()) == []
