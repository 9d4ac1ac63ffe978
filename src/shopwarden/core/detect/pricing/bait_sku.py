"""DY-PR: a bait SKU — one SKU priced far below its siblings so the listing shows a low price
(the seed's 枕套 SKU inside a 三件套 bedding set).

Each SKU's price is compared with the median of the *other* SKUs (robust to one outlier, and
well defined with two SKUs). It is bait when
  - it is a part of the set (see `set_parts.is_part`) at `part_ratio` of that median or less, or
  - it is the same item as its siblings (only size, colour or quantity differ) at
    `same_item_ratio` or less — nothing but a price trick makes one size cost a tenth.
A cheap SKU of a *different* item is not bait but a mixed SPU (`mixed_spu`), so one listing
never gets both findings for the same SKU. A cheap accessory priced plausibly (a ¥15 screen
protector beside a ¥39 case) stays under both ratios.

Pack settings (`detectors.bait_sku.thresholds`), defaults in DEFAULTS:
    part_ratio, same_item_ratio, score.part, score.same_item, severity.<name>
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from statistics import median

from shopwarden.core.detect.base import Example, Explanation, Finding, Subject
from shopwarden.core.detect.pricing.between_skus import BetweenSkus
from shopwarden.core.detect.pricing.set_parts import is_part, same_item
from shopwarden.core.detect.pricing.skus import Sku, sku_evidence, yuan

DEFAULTS: Mapping[str, float] = {
    "part_ratio": 0.25,
    "same_item_ratio": 0.1,
    "score.part": 0.9,
    "score.same_item": 0.85,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}


def others_median(sku: Sku, skus: tuple[Sku, ...]) -> Decimal:
    return median(s.price for s in skus if s is not sku)


def bait_reason(sku: Sku, skus: tuple[Sku, ...], title: str, t: Mapping[str, float]) -> str | None:
    """ "part" or "same_item" when `sku` baits the listing's price, else None."""
    reference = others_median(sku, skus)
    if reference <= 0:
        return None
    ratio = float(sku.price / reference)
    siblings = [s.name for s in skus if s is not sku]
    if ratio <= t["part_ratio"] and is_part(sku.name, [title, *siblings]):
        return "part"
    if ratio <= t["same_item_ratio"] and all(same_item(sku.name, n) for n in siblings):
        return "same_item"
    return None


def _explain(sku: Sku, reference: Decimal, reason: str) -> Explanation:
    price, ref = yuan(sku.price), yuan(reference)
    why_en = "a part of the set" if reason == "part" else "the same item"
    why_zh = "套装中的一部分" if reason == "part" else "同一商品的不同规格"
    return Explanation(
        en=f"SKU '{sku.label}' at {price} is {why_en} priced far below the other SKUs (median {ref}), so the listing "
        "shows a price buyers cannot get for what it sells (bait SKU). Remove the SKU or sell it as its own listing.",
        zh=f"SKU「{sku.label}」售价{price}，为{why_zh}，远低于其他SKU（中位价{ref}），设置低价SKU误导消费者（低价引流）。请删除该SKU或单独发布。",
    )


class BaitSku(BetweenSkus):
    kind = "bait_sku"
    defaults = DEFAULTS

    def compare(self, subject: Subject, skus: tuple[Sku, ...], t: Mapping[str, float]) -> list[Finding]:
        title = subject.fields.get("title", "")
        baits = [(sku, reason) for sku in skus if (reason := bait_reason(sku, skus, title, t))]
        if not baits:
            return []
        evidence = tuple(e for sku, _ in baits for e in sku_evidence(subject, sku, "name", "price"))
        sku, reason = baits[0]
        return self.finding(max(t[f"score.{r}"] for _, r in baits), t, _explain(sku, others_median(sku, skus), reason), evidence)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def listing(title: str, *skus: tuple[str, float]) -> Subject:
            return Subject.from_listing(
                {"title": title, "skus": [{"sku_id": str(i), "name": n, "price": p} for i, (n, p) in enumerate(skus)]}
            )

        pr = frozenset({"DY-PR"})
        return (
            Example(
                listing("全棉床上三件套", ("三件套 1.5m床", 199), ("三件套 1.8m床", 219), ("枕套一只", 9.9)),
                pr,
                "the seed's pillowcase SKU",
            ),
            Example(listing("雪纺连衣裙", ("S码", 9.9), ("M码", 129), ("L码", 129)), pr, "one size at a tenth"),
            Example(
                listing("手机壳", ("手机壳", 39), ("手机壳+钢化膜", 49), ("钢化膜", 15)), frozenset(), "a plausible accessory"
            ),
            Example(listing("T恤", ("S", 59), ("M", 69), ("L", 79)), frozenset(), "sizes at close prices"),
        )
