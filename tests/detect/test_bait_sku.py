"""DY-PR bait SKU: the contract, a table and the seed's pillowcase in a three-piece bedding set.

rule DY-PR: 设定低价SKU误导消费者 — ‘三件套’商品中设置一个‘枕套’SKU，意图低价引流.
"""

from __future__ import annotations

import pytest
from contract import DetectorContract
from pricing_fixtures import listing

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.pricing.bait_sku import BaitSku
from shopwarden.core.detect.pricing.set_parts import is_part, same_item

BAIT = BaitSku()

# (title, skus, expected bait SKU names)
CASES = [
    ("全棉床上三件套", [("三件套 1.5m床", 199), ("三件套 1.8m床", 219), ("枕套", 9.9)], ["枕套"]),
    ("四件套 床品", [("四件套 1.5m", 259), ("四件套 1.8m", 289), ("被套单件", 49)], ["被套单件"]),
    ("护肤套装", [("套装 正装", 399), ("小样 5ml", 19.9)], ["小样 5ml"]),
    ("运动袜", [("5双装", 39), ("单只", 2.9)], ["单只"]),
    ("pillow set", [("bedding set queen", 89), ("pillowcase only", 6)], ["pillowcase only"]),
    ("雪纺连衣裙", [("S码", 9.9), ("M码", 129), ("L码", 129)], ["S码"]),
    # not bait
    ("手机壳", [("手机壳", 39), ("手机壳+钢化膜", 49), ("钢化膜", 15)], []),
    ("T恤", [("S", 59), ("M", 69), ("L", 79)], []),
    ("电动牙刷", [("牙刷", 199), ("替换刷头 4支", 69)], []),
    ("袜子", [("单双", 15), ("三双装", 39)], []),  # a single pair at a plausible share
    ("大米", [("5斤", 29.9), ("10斤", 55), ("20斤", 99)], []),
    ("单品", [("唯一款", 59)], []),
]


class TestBaitSkuContract(DetectorContract):
    detector = BAIT


@pytest.mark.parametrize(("title", "skus", "bait"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(title, skus, bait):  # rule DY-PR
    findings = BAIT.detect(listing(title, *skus), DetectContext())
    assert [e.text for f in findings for e in f.evidence if e.field.endswith(".name")] == bait


def test_seed_pillowcase_in_a_three_piece_set():  # rule DY-PR: 三件套 + 枕套 SKU
    subject = listing("全棉磨毛床上用品三件套", ("三件套 1.5m床", 199), ("三件套 1.8m床", 219), ("枕套一只", 9.9))
    (finding,) = BAIT.detect(subject, DetectContext())
    assert [(e.field, e.text) for e in finding.evidence] == [("skus[2].name", "枕套一只"), ("skus[2].price", "9.9")]
    assert finding.score >= 0.9 and "低价引流" in finding.explanation.zh and "bait SKU" in finding.explanation.en


def test_a_part_is_named_by_the_set_around_it_not_a_word_list():
    assert is_part("枕套", ["全棉三件套"]) and is_part("throw pillow", ["sofa set"])
    assert not is_part("枕头", ["记忆棉枕头"])
    assert same_item("S码 白色", "XL码 黑色") and not same_item("枕套一只", "三件套 1.5m床")
