"""The brand index: names and aliases found on the compact view, held to word boundaries, with
spans into the original text (rule DY-BR, DY-IP)."""

from __future__ import annotations

import copy
import pickle

import pytest
from brand_fixtures import BRANDS, INDEX
from hypothesis import given, settings
from hypothesis import strategies as st

from shopwarden.core.brands import Brand
from shopwarden.core.detect.brand_index import BrandIndex, is_no_brand

# (text, listing category, expected [(brand_id, evidence text)])
CASES = [
    ("正品耐克运动鞋 男", "shoes", [("nike", "耐克")]),
    ("Nike Air Zoom 跑鞋", None, [("nike", "Nike")]),
    ("ＮＩＫＥ 气垫鞋", None, [("nike", "ＮＩＫＥ")]),
    ("N i k e 同款跑鞋", None, [("nike", "N i k e")]),
    ("N-I-K-E logo tee", None, [("nike", "N-I-K-E")]),
    ("NIKE™ 卫衣", None, [("nike", "NIKE")]),
    ("迪奥®口红", None, [("dior", "迪奥")]),
    ("耐 克 运动裤", None, [("nike", "耐 克")]),
    ("LOUIS VUITTON 老花包", None, [("lv", "LOUIS VUITTON")]),
    ("louis-vuitton style", None, [("lv", "louis-vuitton")]),
    ("LV 同款手袋", None, [("lv", "LV")]),
    ("lv包包 女", None, [("lv", "lv")]),
    ("HP 笔记本电脑 14寸", "digital/laptops", [("hp", "HP")]),
    ("小米手机 红米 Note", "digital/phones", [("xiaomi", "小米"), ("xiaomi", "红米")]),
    ("美的空调 1.5匹", None, [("midea", "美的")]),
    ("李宁牌运动服", None, [("lining", "李宁")]),
    ("特步跑鞋", None, [("xtep", "特步")]),
    ("韩国三星手机 原装", None, [("samsung", "三星")]),
    ("全新华为Mate60", "digital/phones", [("huawei", "华为")]),
    ("Coach 托特包", "bags/totes", [("coach", "Coach")]),
    # brand-like strings inside other words: quiet
    ("Unike design 简约T恤", None, []),
    ("Diorama 模型摆件", None, []),
    ("完美的设计 精美的礼盒", None, []),
    ("独特步伐 休闲鞋", None, []),
    ("株洲天元区特产 麻辣", None, []),
    ("三星级酒店同款枕头", None, []),
    ("耐，克服困难的勇气", None, []),
    ("以中华为本", None, []),
    ("李宁静同学的书包", None, []),
    ("1.5HP 空调", "home/appliances", []),
    ("型号 MI-2034 配件", "digital/accessories", []),
    ("hp值 宠物玩具", "pets", []),
    ("V领雪纺衫", None, []),
    # a brand only within its categories: the fruit, the grain, the sports coach
    ("新鲜苹果 5斤装", "food/fruit", []),
    ("黄小米 小米粥 500g", "food/grain", []),
    ("basketball coach whistle", "sports", []),
]


@pytest.mark.parametrize(("text", "category", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text, category, expected):
    matches = INDEX.find(text, category)
    assert [(m.brand.brand_id, m.text) for m in matches] == expected
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_segmentation_alone_keeps_a_millet_dish_from_a_phone_maker():
    assert INDEX.find("小米粥 养胃", None) == []
    assert [m.text for m in INDEX.find("小米 14 Pro 手机", None)] == ["小米"]


@pytest.mark.parametrize("value", ["无品牌", "无", "No brand", "NONE", " 其他 ", "", None, "无 品 牌"])
def test_no_brand_values(value):
    assert is_no_brand(value)
    assert INDEX.lookup(value) == []


def test_declared_brand_lookup_reads_every_spelling():
    assert [m.brand.brand_id for m in INDEX.lookup("耐克/NIKE")] == ["nike", "nike"]
    assert not is_no_brand("耐克")


def test_a_name_inside_a_longer_name_is_dropped():
    index = BrandIndex([Brand("louis", "Louis", ()), Brand("lv", "Louis Vuitton", ())])
    assert [m.brand.brand_id for m in index.find("Louis Vuitton bag")] == ["lv"]
    assert [m.brand.brand_id for m in index.find("Louis 男装")] == ["louis"]


def test_index_is_comparable_copyable_and_picklable():
    assert copy.deepcopy(INDEX) == INDEX and hash(INDEX) == hash(BrandIndex(BRANDS))
    again = pickle.loads(pickle.dumps(INDEX))
    assert again == INDEX and [m.text for m in again.find("耐克鞋")] == ["耐克"]


def test_empty_registry_and_duplicate_ids():
    assert BrandIndex([]).find("耐克") == []
    with pytest.raises(ValueError):
        BrandIndex([Brand("a", "A1", ()), Brand("a", "A2", ())])


SEPARATORS = st.text(alphabet=list(" ,.;:!?/()【】，。、！~-_*#0123456789的是在款鞋包"), max_size=6)


@settings(max_examples=200, deadline=None)
@given(before=SEPARATORS, after=SEPARATORS, brand=st.sampled_from(["Nike", "NIKE", "nike", "Louis Vuitton", "耐克", "路易威登"]))
def test_a_name_between_non_letters_is_always_found_exactly(before, after, brand):
    text = f"{before} {brand} {after}"
    matches = INDEX.find(text)
    assert any(m.text == brand and text[m.start : m.end] == brand for m in matches), (text, matches)


@settings(max_examples=200, deadline=None)
@given(
    left=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=4),
    right=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=4),
)
def test_a_latin_name_glued_to_letters_is_never_found(left, right):
    assert INDEX.find(f"{left}nike{right}") == [] and INDEX.find(f"{right}dior{left}") == []
