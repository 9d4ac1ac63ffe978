"""DY-PR mixed SPU: the contract and a table.

rule DY-PR: 同类/同规格类商品一起卖，不得将跨类目、跨系列等价格显著差异商品绑定在同一SPU下.
"""

from __future__ import annotations

import pytest
from contract import DetectorContract
from pricing_fixtures import listing

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.pricing.bait_sku import BaitSku
from shopwarden.core.detect.pricing.mixed_spu import MixedSpu

MIXED = MixedSpu()


def sku(name, price, category=None):
    return {"name": name, "price": price, **({"category": category} if category else {})}


# (title, skus, expected evidence fields)
CASES = [
    (
        "iPhone 15 手机",
        [sku("iPhone 15 128G", 3999), sku("手机壳", 39)],
        ["skus[0].name", "skus[0].price", "skus[1].name", "skus[1].price"],
    ),
    (
        "手机",
        [sku("手机", 1999, "digital/phones"), sku("数据线", 29, "digital/cables")],
        ["skus[0].name", "skus[0].category", "skus[1].name", "skus[1].category"],
    ),
    (
        "羽绒服",
        [sku("羽绒服 黑", 599, "apparel/coats"), sku("羽绒服 白", 599, "apparel/coats"), sku("围巾", 59, "apparel/accessories")],
        ["skus[0].name", "skus[0].category", "skus[2].name", "skus[2].category"],
    ),
    # one kind of goods
    ("iPhone 15", [sku("128G", 3999), sku("256G", 4599), sku("512G", 5999)], []),
    ("床品", [sku("三件套", 199, "home/bedding/sets"), sku("四件套", 259, "home/bedding")], []),
    ("全棉三件套", [sku("三件套 1.5m", 199), sku("枕套一只", 9.9)], []),  # a part of the set: bait_sku's
    ("连衣裙", [sku("S码", 9.9), sku("M码", 129)], []),  # the same item: bait_sku's
    ("手机壳", [sku("手机壳", 39), sku("钢化膜", 15)], []),
]


class TestMixedSpuContract(DetectorContract):
    detector = MIXED


@pytest.mark.parametrize(("title", "skus", "fields"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(title, skus, fields):  # rule DY-PR
    findings = MIXED.detect(listing(title, *skus), DetectContext())
    assert [e.field for f in findings for e in f.evidence] == fields


def test_bait_and_mixed_never_report_the_same_listing_twice():
    subjects = [listing(t, *s) for t, s, _ in CASES]
    for subject in subjects:
        both = BaitSku().detect(subject, DetectContext()) and MIXED.detect(subject, DetectContext())
        assert not both, subject.fields.get("title")
