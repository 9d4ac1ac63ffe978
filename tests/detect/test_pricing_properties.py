"""Properties of the DY-PR detectors over random listings: no crash, exact evidence, the same
answer twice, and no finding without SKUs to judge (rule DY-PR)."""

from __future__ import annotations

from decimal import Decimal

from contract import check_evidence
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopwarden.core.detect.base import DetectContext, Subject
from shopwarden.core.detect.pricing.advertised_price import AdvertisedPrice
from shopwarden.core.detect.pricing.bait_sku import BaitSku
from shopwarden.core.detect.pricing.comparison_price import ComparisonPrice
from shopwarden.core.detect.pricing.mixed_spu import MixedSpu
from shopwarden.core.detect.pricing.shipping_fee import ShippingFee

DETECTORS = (ShippingFee(), BaitSku(), MixedSpu(), AdvertisedPrice(), ComparisonPrice())
MONEY = st.one_of(
    st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    st.floats(min_value=0, max_value=9999, allow_nan=False).map(lambda f: round(f, 2)),
    st.integers(min_value=0, max_value=9999),
)
NAMES = st.sampled_from(
    ["S码", "M码", "三件套 1.5m", "枕套一只", "单件", "pillowcase only", "手机壳", "钢化膜", "128G", "", "小样"]
)
WORDS = st.sampled_from(["原价", "仅需", "¥", "元", "包邮", "起", "满", "减", "was $", "now", "RRP", " ", "券后", "/斤", "2件"])
TEXT = st.lists(st.one_of(WORDS, MONEY.map(str), st.text(max_size=4)), max_size=12).map("".join)
SKU = st.fixed_dictionaries(
    {"name": NAMES, "price": MONEY},
    optional={"shipping_fee": MONEY, "compare_at": MONEY, "category": st.sampled_from(["a/b", "a/b/c", "x/y"])},
)
HISTORY = st.lists(
    st.fixed_dictionaries(
        {
            "sku_id": st.sampled_from(["0", "1", "2"]),
            "price": MONEY,
            "at": st.sampled_from(["2026-02-01T00:00:00+08:00", "2026-02-20T00:00:00+08:00"]),
        }
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, description=TEXT, skus=st.lists(SKU, max_size=5), history=HISTORY, shipping=st.none() | MONEY)
def test_any_listing_gives_exact_evidence_deterministically(title, description, skus, history, shipping):
    body = {
        "title": title,
        "description": description,
        "skus": [{"sku_id": str(i), **s} for i, s in enumerate(skus)],
        "price_history": history,
    }
    if shipping is not None:
        body["shipping_fee"] = shipping
    subject = Subject.from_listing(body)
    for detector in DETECTORS:
        findings = detector.detect(subject, DetectContext())
        check_evidence(subject, findings)
        assert findings == detector.detect(subject, DetectContext())
        assert all(f.rule == "DY-PR" for f in findings)
        if not skus:
            assert findings == []


def test_decimal_and_float_prices_agree():
    as_float = Subject.from_listing({"title": "t", "skus": [{"sku_id": "0", "name": "a", "price": 0.57, "shipping_fee": 25.0}]})
    as_decimal = Subject.from_listing(
        {"title": "t", "skus": [{"sku_id": "0", "name": "a", "price": Decimal("0.57"), "shipping_fee": Decimal(25)}]}
    )
    first, second = (ShippingFee().detect(s, DetectContext())[0] for s in (as_float, as_decimal))
    assert first.score == second.score and first.explanation == second.explanation
