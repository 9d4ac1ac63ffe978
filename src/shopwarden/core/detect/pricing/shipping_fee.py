"""DY-PR: a shipping fee far above the item's price (the seed's ¥0.57 item with ¥25 shipping).

A low price with a high fee ranks a listing as cheap while the buyer pays the difference as
"shipping". A SKU is flagged when its fee is at least `ratio` times its price and at least
`min_fee` — the floor keeps ordinary fees on very cheap goods (¥1 on a ¥0.05 item) quiet.
The score rises with the ratio, on a log scale, from `score.flag` at `ratio` to `score.block`
at `block_ratio` and beyond, so the seed's ~44× case is a block-level finding (severity
"serious", score 0.97) under a decision row like `{rule: DY-PR, min_score: 0.95, decision: block}`.

Pack settings (`detectors.shipping_fee.thresholds`), defaults in DEFAULTS:
    ratio, min_fee, block_ratio, score.flag, score.block, severity.<name>
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from shopwarden.core.detect.base import DetectContext, Detector, Example, Explanation, Finding, Subject
from shopwarden.core.detect.pricing.skus import Sku, skus_of, value_evidence, yuan
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {
    "ratio": 10.0,
    "min_fee": 10.0,
    "block_ratio": 30.0,
    "score.flag": 0.8,
    "score.block": 0.97,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}


def _ratio(fee: Decimal, price: Decimal) -> float:
    return math.inf if price == 0 else float(fee / price)


def _score(ratio: float, t: Mapping[str, float]) -> float:
    if ratio >= t["block_ratio"]:
        return t["score.block"]
    share = math.log(ratio / t["ratio"]) / math.log(t["block_ratio"] / t["ratio"])
    return round(t["score.flag"] + share * (t["score.block"] - t["score.flag"]), 4)


def _explain(sku: Sku, ratio: float) -> Explanation:
    assert sku.shipping_fee is not None  # only SKUs with a fee are flagged
    fee, price = yuan(sku.shipping_fee), yuan(sku.price)
    times_en = "on a free item" if math.isinf(ratio) else f"{ratio:.0f}× the price"
    times_zh = "而商品免费" if math.isinf(ratio) else f"是商品价格的{ratio:.0f}倍"
    return Explanation(
        en=f"SKU '{sku.label}' costs {price} but charges {fee} shipping ({times_en}): a shipping fee far above "
        "the price misleads buyers about what they pay. Set a real price and a reasonable shipping fee.",
        zh=f"SKU「{sku.label}」售价{price}，运费却为{fee}（{times_zh}），邮费远高于商品价格，以低价误导消费者。请设置真实价格与合理运费。",
    )


class ShippingFee(Detector):
    kind = "shipping_fee"
    rules = ("DY-PR",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        if subject.kind != "listing":
            return []
        t = settings(context, self.kind, DEFAULTS)
        floor = Decimal(str(t["min_fee"]))
        flagged = [
            (ratio, sku)
            for sku in skus_of(subject)
            if sku.shipping_fee is not None and sku.shipping_fee >= floor and (ratio := _ratio(sku.shipping_fee, sku.price)) >= t["ratio"]
        ]
        if not flagged:
            return []
        ratio, worst = max(flagged, key=lambda f: f[0])
        evidence = tuple(e for _, s in flagged for e in value_evidence(subject, f"skus[{s.index}].price", s.shipping_field))
        if not evidence:
            return []
        score = _score(ratio, t)
        return [
            Finding("DY-PR", self.kind, severity_for(score, t), score, _explain(worst, ratio), tuple(dict.fromkeys(evidence)))
        ]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def listing(price: float, fee: float) -> Subject:
            return Subject.from_listing(
                {"title": "发圈", "skus": [{"sku_id": "1", "name": "黑色", "price": price, "shipping_fee": fee}]}
            )

        pr = frozenset({"DY-PR"})
        return (
            Example(listing(0.57, 25), pr, "the seed: ¥0.57 item, ¥25 shipping (~44×)"),
            Example(listing(0.05, 1), frozenset(), "a fee under the floor"),
            Example(listing(39, 12), frozenset(), "an ordinary fee"),
        )
