"""DY-PR a price in the text that differs from the real price: the contract and a table.

rule DY-PR: 商品主图/标题宣传价格信息，保证与实际价格一致.
"""

from __future__ import annotations

import pytest
from contract import DetectorContract
from pricing_fixtures import listing

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.pricing.advertised_price import AdvertisedPrice

ADV = AdvertisedPrice()

# (title, description, SKU prices, shipping fee, expected evidence texts)
CASES = [
    ("9.9包邮 冰丝T恤", "", [39.9, 45.9], None, ["9.9包邮"]),
    ("仅需19 纯棉袜", "", [29], None, ["仅需19"]),
    ("夏季短裤", "活动价：¥59！", [79, 89], None, ["活动价：¥59"]),
    ("Summer dress only $15", "", [29.9], None, ["only $15"]),
    ("真皮钱包 39元起", "", [59, 69], None, ["39元起"]),
    ("夏季短裤", "售价 128元", [79, 89], None, ["售价 128元"]),
    # consistent or not a price claim
    ("仅需39 纯棉T恤", "", [39, 49], None, []),
    ("纯棉T恤 ￥３９.９", "", [39.9], None, []),
    ("真皮钱包 59元起", "", [59, 69], None, []),
    ("满199减20 纯棉T恤", "领券立减10元，运费10元", [59], None, []),
    ("苹果 9.8元/斤", "", [49], None, []),
    ("2件39元 袜子", "", [25], None, []),
    ("到手价19.9 保温杯", "", [29.9], None, []),  # after a coupon the data does not carry
    ("原价199 现价89", "", [89], None, []),  # the 原价 is comparison_price's matter
    ("iPhone15 128G 手机壳", "3件套 100%纯棉", [39], None, []),
    ("发圈 5.57元", "", [0.57], 5, []),  # price plus shipping
]


class TestAdvertisedPriceContract(DetectorContract):
    detector = ADV


@pytest.mark.parametrize(("title", "description", "prices", "fee", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(title, description, prices, fee, spans):  # rule DY-PR
    skus = [(f"款{i}", p, fee) if fee else (f"款{i}", p) for i, p in enumerate(prices)]
    findings = ADV.detect(listing(title, *skus, description=description), DetectContext())
    assert [e.text for f in findings for e in f.evidence] == spans


def test_a_lure_below_every_price_scores_higher():
    below = ADV.detect(listing("仅需19", ("a", 29)), DetectContext())[0]
    above = ADV.detect(listing("仅需59", ("a", 29)), DetectContext())[0]
    assert below.score > above.score
    assert "¥29" in below.explanation.zh and "仅需19" in below.explanation.en
