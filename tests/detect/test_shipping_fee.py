"""DY-PR shipping fee far above the price: the contract, a table, and the seed's ¥0.57 / ¥25 case.

rule DY-PR: 合理设置商品价格及邮费，邮费不得远高于商品价格 (the seed: 商品价格5毛7，运费25块，40倍).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from contract import DetectorContract
from pricing_fixtures import listing

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.decision import decide
from shopwarden.core.detect.pricing.shipping_fee import ShippingFee
from shopwarden.core.policy.schema import DecisionRow, DetectorSettings

FEE = ShippingFee()


class TestShippingFeeContract(DetectorContract):
    detector = FEE


# (skus, expected evidence [(field, text)])
CASES = [
    ([("黑色", 0.57, 25)], [("skus[0].price", "0.57"), ("skus[0].shipping_fee", "25")]),
    ([("红色", 1.5, 20), ("蓝色", 39, 20)], [("skus[0].price", "1.5"), ("skus[0].shipping_fee", "20")]),
    ([("赠品", 0, 15)], [("skus[0].price", "0"), ("skus[0].shipping_fee", "15")]),
    ([("小号", Decimal("0.99"), Decimal("12.00"))], [("skus[0].price", "0.99"), ("skus[0].shipping_fee", "12.00")]),
    ([("单个", 0.05, 1)], []),  # a ¥1 fee is under the floor, whatever the ratio
    ([("标准", 39, 12)], []),
    ([("大件", 5, 30)], []),  # 6×: high, not far above
    ([("标准", 29.9)], []),  # no fee given
]


@pytest.mark.parametrize(("skus", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(skus, spans):  # rule DY-PR
    findings = FEE.detect(listing("发圈", *skus), DetectContext())
    assert [(e.field, e.text) for f in findings for e in f.evidence] == spans


def test_seed_057_item_with_25_shipping_blocks():  # rule DY-PR: 5毛7 + 25块运费
    (finding,) = FEE.detect(listing("韩版发圈", ("黑色", 0.57, 25)), DetectContext())
    assert finding.rule == "DY-PR" and finding.severity == "serious" and finding.score >= 0.95
    assert "44倍" in finding.explanation.zh and "44×" in finding.explanation.en
    table = [DecisionRow(rule="DY-PR", min_score=0.95, decision="block"), DecisionRow(rule="DY-PR", decision="review")]
    assert decide([finding], table) == "block"


def test_the_listing_fee_applies_to_skus_without_their_own():
    (finding,) = FEE.detect(listing("发圈", ("黑色", 0.5), shipping_fee=25), DetectContext())
    assert [e.field for e in finding.evidence] == ["skus[0].price", "shipping_fee"]


def test_score_rises_with_the_ratio():
    def score(fee):
        return FEE.detect(listing("x", ("a", 1, fee)), DetectContext())[0].score

    assert score(10) < score(20) < score(30) == score(300)


def test_pack_thresholds():
    pack = DetectContext(detectors={"shipping_fee": DetectorSettings(thresholds={"ratio": 3, "min_fee": 5}, source="test pack")})
    assert FEE.detect(listing("x", ("a", 1.5, 6)), pack)
    assert FEE.detect(listing("x", ("a", 1.5, 6)), DetectContext()) == []
