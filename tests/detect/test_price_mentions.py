"""Prices written in text, what each claims, and spans into the original text (rule DY-PR)."""

from __future__ import annotations

import pytest

from shopwarden.core.detect.pricing.price_mentions import find_prices

# (text, [(kind, amount, evidence text)])
CASES = [
    ("9.9包邮 夏季T恤", [("price", "9.9", "9.9包邮")]),
    ("仅需39！", [("price", "39", "仅需39")]),
    ("原价199 现价 ¥ 89", [("comparison", "199", "原价199"), ("price", "89", "现价 ¥ 89")]),
    ("￥３９.９", [("price", "39.9", "￥３９.９")]),
    ("39元起", [("from", "39", "39元起")]),
    ("券后价29", [("conditional", "29", "券后价29")]),
    ("RRP $59 now $29", [("comparison", "59", "RRP $59"), ("price", "29", "now $29")]),
    ("价值299元的赠品", [("comparison", "299", "价值299元")]),
    ("售价：128元", [("price", "128", "售价：128元")]),
    ("满199减20", []),
    ("领券立减10元", []),
    ("9.8元/斤", []),
    ("2件39元", []),
    ("iPhone15 128G", []),
    ("5元无门槛券", []),
    ("运费10元 定金50元", []),
    ("100%纯棉 3件套 2024新款", []),
    ("always 199 nowhere 5", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(text, expected):
    mentions = find_prices(text)
    assert [(m.kind, str(m.amount), m.text) for m in mentions] == expected
    assert all(text[m.start : m.end] == m.text for m in mentions)
