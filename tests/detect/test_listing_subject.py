"""A listing in the API's shape as a subject: text fields, flattened attributes with exact
offsets, structured values as path-named fields, read-only data, and clear errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopwarden.core.detect.base import Subject
from shopwarden.core.detect.listing_subject import flatten_attributes
from shopwarden.errors import InvalidInput

LISTING = {
    "title": "全棉三件套",
    "description": "A类 纯棉",
    "brand": "无品牌",
    "category": "home/bedding",
    "attributes": {"材质": "棉", "尺寸": ["1.5m", "1.8m"], "产地": "南通"},
    "skus": [
        {"sku_id": "a", "name": "1.5m", "price": 199, "shipping_fee": 0, "list_price": 299},
        {"sku_id": "b", "name": "枕套", "price": Decimal("9.90"), "category": "home/bedding/pillowcases"},
    ],
    "price_history": [{"sku_id": "a", "price": 199, "at": "2026-02-01T00:00:00+08:00"}],
}


def test_fields_of_a_listing():
    subject = Subject.from_listing(LISTING, "s1")
    assert subject.kind == "listing" and subject.shop_id == "s1"
    assert dict(subject.fields) == {
        "title": "全棉三件套",
        "description": "A类 纯棉",
        "brand": "无品牌",
        "attributes": "材质: 棉; 尺寸: 1.5m, 1.8m; 产地: 南通",
        "skus[0].name": "1.5m",
        "skus[0].price": "199",
        "skus[0].shipping_fee": "0",
        "skus[0].list_price": "299",
        "skus[1].name": "枕套",
        "skus[1].category": "home/bedding/pillowcases",
        "skus[1].price": "9.90",
    }
    assert subject.data["category"] == "home/bedding" and subject.data["skus"][1]["price"] == Decimal("9.90")


def test_attribute_spans_are_exact():
    text, spans = flatten_attributes(LISTING["attributes"])
    assert [(k, text[s:e]) for k, s, e in spans] == [("材质", "材质: 棉"), ("尺寸", "尺寸: 1.5m, 1.8m"), ("产地", "产地: 南通")]
    start = text.index("南通")
    assert Subject.from_listing(LISTING).evidence("attributes", start, start + 2).text == "南通"


def test_data_is_read_only_all_the_way_down():
    subject = Subject.from_listing(LISTING)
    with pytest.raises(TypeError):
        subject.data["skus"][0]["price"] = 0  # type: ignore[index]
    assert isinstance(subject.data["skus"], tuple)


def test_the_old_constructor_still_works():
    subject = Subject.listing(title="t", description="d")
    assert dict(subject.fields) == {"title": "t", "description": "d"} and dict(subject.data) == {}


def test_a_shop_subject():
    subject = Subject.shop("天元旗舰店", "s1")
    assert subject.kind == "shop" and dict(subject.fields) == {"name": "天元旗舰店"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"skus": [{"price": -1}]}, "skus[0].price"),
        ({"skus": [{"price": 1, "shipping_fee": "abc"}]}, "skus[0].shipping_fee"),
        ({"skus": [{"price": True}]}, "skus[0].price"),
        ({"skus": [{"price": float("nan")}]}, "skus[0].price"),
        ({"skus": "none"}, "skus"),
        ({"skus": ["x"]}, "skus[0]"),
        ({"shipping_fee": -5}, "shipping_fee"),
    ],
)
def test_bad_values_name_their_field(change, field):
    with pytest.raises(InvalidInput) as raised:
        Subject.from_listing({**LISTING, **change})
    assert [p.field for p in raised.value.errors] == [field]


def test_text_fields_leave_out_structured_values():
    subject = Subject.from_listing(LISTING)
    assert list(subject.text_fields) == ["title", "description", "brand", "attributes", "skus[0].name", "skus[1].name"]
    assert dict(Subject.message("hi").text_fields) == {"text": "hi"}
