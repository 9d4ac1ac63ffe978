"""DY-PR: goods of clearly different categories or price bands bound under one SPU.

"同类/同规格类商品一起卖": one listing sells one kind of goods. It is mixed when
  - its SKUs carry categories that are not one within the other ("digital/phones" and
    "digital/accessories/cases"), or
  - a SKU costs `band_ratio` times another or more and their names are not the same item
    (a ¥3,999 phone and a ¥39 case). A cheap SKU that is a part of the set, or the same
    item, is left to `bait_sku`, so the two detectors never report the same pair.

Pack settings (`detectors.mixed_spu.thresholds`), defaults in DEFAULTS:
    band_ratio, score.category, score.band, severity.<name>
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.brands import category_covers
from shopwarden.core.detect.base import Example, Explanation, Finding, Subject
from shopwarden.core.detect.pricing.between_skus import BetweenSkus
from shopwarden.core.detect.pricing.set_parts import is_part, same_item
from shopwarden.core.detect.pricing.skus import Sku, sku_evidence, yuan

DEFAULTS: Mapping[str, float] = {
    "band_ratio": 10.0,
    "score.category": 0.85,
    "score.band": 0.78,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}


def _related(a: str, b: str) -> bool:
    return category_covers(a, b) or category_covers(b, a)


def category_split(skus: tuple[Sku, ...]) -> list[Sku]:
    """The SKUs whose category is unrelated to the first categorised SKU's; [] when all agree."""
    placed = [(s, s.category) for s in skus if isinstance(s.category, str) and s.category.strip("/")]
    if len(placed) < 2:
        return []
    first, first_category = placed[0]
    odd = [s for s, category in placed[1:] if not _related(first_category, category)]
    return [first, *odd] if odd else []


def band_split(skus: tuple[Sku, ...], title: str, band_ratio: float) -> tuple[Sku, Sku] | None:
    """The cheapest SKU that is a different item from a SKU `band_ratio` times its price."""
    for cheap in sorted(skus, key=lambda s: s.price):
        if cheap.price <= 0:
            continue
        dear = [s for s in skus if float(s.price / cheap.price) >= band_ratio]
        siblings = [title, *(s.name for s in skus if s is not cheap)]
        for other in dear:
            if not same_item(cheap.name, other.name) and not is_part(cheap.name, siblings):
                return cheap, other
    return None


def _explain_category(skus: list[Sku]) -> Explanation:
    shown = "、".join(f"「{s.label}」({s.category})" for s in skus[:3])
    return Explanation(
        en=f"SKUs of different categories are bound under one listing: {shown}. Sell each kind of goods as its own listing.",
        zh=f"跨类目商品绑定在同一SPU下：{shown}。请将不同类目的商品分别发布。",
    )


def _explain_band(cheap: Sku, dear: Sku) -> Explanation:
    pair = f"「{cheap.label}」{yuan(cheap.price)} / 「{dear.label}」{yuan(dear.price)}"
    return Explanation(
        en=f"Different goods at very different prices are bound under one listing ({pair}), so its price misleads. "
        "Sell them as separate listings.",
        zh=f"价格差异显著的不同商品绑定在同一SPU下（{pair}），商品价格误导消费者。请分别发布。",
    )


class MixedSpu(BetweenSkus):
    kind = "mixed_spu"
    defaults = DEFAULTS

    def compare(self, subject: Subject, skus: tuple[Sku, ...], t: Mapping[str, float]) -> list[Finding]:
        if odd := category_split(skus):
            evidence = tuple(e for s in odd for e in sku_evidence(subject, s, "name", "category"))
            return self.finding(t["score.category"], t, _explain_category(odd), evidence)
        if pair := band_split(skus, subject.fields.get("title", ""), t["band_ratio"]):
            evidence = tuple(e for s in sorted(pair, key=lambda s: s.index) for e in sku_evidence(subject, s, "name", "price"))
            return self.finding(t["score.band"], t, _explain_band(*pair), evidence)
        return []

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def listing(title: str, *skus: tuple[str, float, str | None]) -> Subject:
            rows = [
                {"sku_id": str(i), "name": n, "price": p, **({"category": c} if c else {})} for i, (n, p, c) in enumerate(skus)
            ]
            return Subject.from_listing({"title": title, "skus": rows})

        pr = frozenset({"DY-PR"})
        return (
            Example(listing("iPhone 15 手机", ("iPhone 15 128G", 3999, None), ("手机壳", 39, None)), pr, "a phone and a case"),
            Example(
                listing("手机 配件", ("手机", 1999, "digital/phones"), ("数据线", 29, "digital/cables")), pr, "two categories"
            ),
            Example(
                listing("iPhone 15", ("128G", 3999, None), ("256G", 4599, None), ("512G", 5999, None)),
                frozenset(),
                "storage variants",
            ),
        )
