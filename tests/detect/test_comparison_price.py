"""DY-PR invented comparison prices: the contract and a table.

rule DY-PR: 虚构被比较价格/折扣不实 — a "was" price the shop never charged.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from contract import DetectorContract
from pricing_fixtures import listing

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.pricing.comparison_price import ComparisonPrice

CMP = ComparisonPrice()
AT = datetime(2026, 3, 1, tzinfo=UTC)


def history(*rows):
    """(sku_id, price, day of February 2026)"""
    return [{"sku_id": s, "price": p, "at": datetime(2026, 2, d, tzinfo=UTC)} for s, p, d in rows]


# (title, skus as dicts, history rows, expected evidence [(field, text)])
CASES = [
    ("原价299 现价89 羊毛围巾", [{"name": "灰", "price": 89}], history(("0", 89, 2), ("0", 89, 20)), [("title", "原价299")]),
    (
        "羊毛围巾",
        [{"name": "灰", "price": 89, "compare_at": 199}],
        history(("0", 99, 2), ("0", 89, 20)),
        [("skus[0].compare_at", "199")],
    ),
    ("围巾", [{"name": "灰", "price": 89, "list_price": 159}], history(("0", 89, 25)), [("skus[0].list_price", "159")]),
    ("羊毛围巾", [{"name": "灰", "price": 89}], history(("0", 89, 2)), []),
    # real, or not judged
    ("原价129 限时89", [{"name": "灰", "price": 89, "compare_at": 129}], history(("0", 129, 5), ("0", 89, 25)), []),
    ("原价299 现价89", [{"name": "灰", "price": 89}], [], []),  # no history: nothing to judge against
    ("羊毛围巾", [{"name": "灰", "price": 89, "compare_at": 199}], history(("other", 50, 2)), []),  # no history for this SKU
    ("原价80 现价89", [{"name": "灰", "price": 89}], history(("0", 89, 2)), []),  # not above the price
]


class TestComparisonPriceContract(DetectorContract):
    detector = CMP


@pytest.mark.parametrize(("title", "skus", "rows", "spans"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_case(title, skus, rows, spans):  # rule DY-PR
    subject = listing(title, *skus, price_history=rows)
    findings = CMP.detect(subject, DetectContext(at=AT))
    assert [(e.field, e.text) for f in findings for e in f.evidence] == spans


def test_only_the_window_counts():
    rows = history(("0", 299, 1), ("0", 89, 20))
    subject = listing("原价299 现价89", {"name": "灰", "price": 89}, price_history=rows)
    assert CMP.detect(subject, DetectContext(at=AT)) == []  # charged 28 days ago: inside 30 days
    assert CMP.detect(subject, DetectContext(at=datetime(2026, 3, 20, tzinfo=UTC)))
    assert "近30天" in CMP.detect(subject, DetectContext(at=datetime(2026, 3, 20, tzinfo=UTC)))[0].explanation.zh


def test_without_a_moment_the_newest_entry_ends_the_window():
    rows = [{"sku_id": "0", "price": 89, "at": "2026-02-20T08:00:00+08:00"}]
    subject = listing("原价299", {"name": "灰", "price": 89}, price_history=rows)
    assert CMP.detect(subject, DetectContext())
