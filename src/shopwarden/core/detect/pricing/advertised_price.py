"""DY-PR: a price written in the title or description that no SKU is sold at.

"商品主图/标题宣传价格信息，保证与实际价格一致". Each written price (see `price_mentions`)
must match some SKU's price, or price plus shipping, within `tolerance` (relative) or
`abs_tolerance`; a "from" price ("39元起") must match the cheapest SKU. A creator's content
(CR-6) is held to its anchored products: a price in its title, description or transcript must
be some anchored product's (a "from" price, some product's cheapest). A written price below
every SKU's scores higher than one above: it is the one that lures. Prices after a promotion
the listing data does not carry (券后, 到手价) are not judged, and images are not read here.

Pack settings (`detectors.advertised_price.thresholds`), defaults in DEFAULTS:
    tolerance, abs_tolerance, score.below, score.other, severity.<name>
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Example, Explanation, Finding, Subject
from shopwarden.core.detect.pricing.price_mentions import PriceMention, find_prices
from shopwarden.core.detect.pricing.skus import Sku, anchored_sku_groups, skus_of, yuan
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {
    "tolerance": 0.02,
    "abs_tolerance": 0.1,
    "score.below": 0.85,
    "score.other": 0.72,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}
FIELDS = ("title", "description")
CONTENT_FIELDS = ("title", "description", "transcript")


def _close(a: Decimal, b: Decimal, t: Mapping[str, float]) -> bool:
    return abs(a - b) <= max(Decimal(str(t["abs_tolerance"])), Decimal(str(t["tolerance"])) * b)


def _charged(skus: tuple[Sku, ...]) -> list[Decimal]:
    """What a buyer can be charged: each SKU's price, and its price with shipping."""
    amounts = [s.price for s in skus]
    return amounts + [s.price + s.shipping_fee for s in skus if s.shipping_fee]


def _matches(mention: PriceMention, groups: tuple[tuple[Sku, ...], ...], t: Mapping[str, float]) -> bool:
    """Whether some product (a listing is one) sells at the written price."""
    if mention.kind == "from":
        return any(_close(mention.amount, min(s.price for s in skus), t) for skus in groups)
    return any(_close(mention.amount, amount, t) for skus in groups for amount in _charged(skus))


def _groups(subject: Subject) -> tuple[tuple[Sku, ...], ...]:
    if subject.kind == "content":
        return anchored_sku_groups(subject)
    skus = skus_of(subject) if subject.kind == "listing" else ()
    return (skus,) if skus else ()


def _explain(mention: PriceMention, skus: tuple[Sku, ...]) -> Explanation:
    low, high = yuan(min(s.price for s in skus)), yuan(max(s.price for s in skus))
    real = low if low == high else f"{low}–{high}"
    return Explanation(
        en=f"The text advertises '{mention.text}', but the SKUs sell at {real}. Make the written price match the real price.",
        zh=f"标题/详情宣传价格「{mention.text}」，与实际售价{real}不一致。请保证宣传价格与实际价格一致。",
    )


class AdvertisedPrice(Detector):
    kind = "advertised_price"
    rules = ("DY-PR",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        groups = _groups(subject)
        if not groups:
            return []
        skus = tuple(s for group in groups for s in group)
        t = settings(context, self.kind, DEFAULTS)
        wrong = [
            (name, m)
            for name in (CONTENT_FIELDS if subject.kind == "content" else FIELDS)
            for m in find_prices(subject.fields.get(name) or "")
            if m.kind in ("price", "from") and not _matches(m, groups, t)
        ]
        if not wrong:
            return []
        below = [m for _, m in wrong if m.amount < min(s.price for s in skus)]
        score = t["score.below"] if below else t["score.other"]
        evidence = tuple(Evidence(name, m.start, m.end, m.text) for name, m in wrong)
        explanation = _explain((below or [wrong[0][1]])[0], skus)
        return [Finding("DY-PR", self.kind, severity_for(score, t), score, explanation, evidence)]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def listing(title: str, *prices: float) -> Subject:
            return Subject.from_listing(
                {"title": title, "skus": [{"sku_id": str(i), "name": f"款{i}", "price": p} for i, p in enumerate(prices)]}
            )

        def content(transcript: str, *products: list[float]) -> Subject:
            anchored = [{"product_id": f"p{j}", "title": "商品", "skus": [{"sku_id": str(i), "price": p} for i, p in enumerate(prices)]}
                        for j, prices in enumerate(products)]  # fmt: skip
            return Subject("content", {"transcript": transcript}, data={"content_kind": "video", "products": anchored})

        pr = frozenset({"DY-PR"})
        return (
            Example(content("家人们今天只要19.9！", [39.9]), pr, "content: a said price the anchored product is not sold at"),
            Example(content("这款39.9，那款59", [39.9], [59, 69]), frozenset(), "content: each price is some anchored product's"),
            Example(listing("9.9包邮 夏季冰丝T恤", 39.9, 45.9), pr, "a title price no SKU has"),
            Example(listing("仅需39 纯棉T恤", 39, 49), frozenset(), "the written price is a SKU's"),
            Example(listing("满199减20 纯棉T恤", 59), frozenset(), "a promotion threshold is not a price"),
        )
