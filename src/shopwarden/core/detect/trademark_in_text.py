"""DY-IP in text: another owner's registered trademark in a listing title, a shop name or a
creator's content (CR-6: its title, description and transcript).

A registered brand (`Brand.registered`) in a shop's name, or in a listing's title, counts
unless the shop holds a valid qualification for that brand (for a title, one linked to the
listing's category; for a shop name, any). Two decisions:

- A title naming the brand the listing itself declares is DY-BR's matter, not DY-IP's:
  reselling genuine goods under their own brand uses no one's mark unfairly (the owner's
  rights are exhausted by the first sale), it only needs the platform's qualification. DY-IP
  holds the mark against goods declared as another brand or as no brand; a listing without
  a brand field is presumed to sell the brand its title names.
- A brand named only to say what the goods fit ("适用于 iPhone") is descriptive use (see
  `brand_mentions`) and is not held against the shop.

- Content is held to its anchored products as a listing to its brand field: a brand an
  anchored product declares, or names in its own title, is the product's (whether the product
  may carry it is the listing's DY-BR/DY-IP matter); another registered brand named beside it
  ("雅诗兰黛平替", "Dior 同款") rides on that brand's mark.

This is rectifiable (DY-IP-R): the text is not on the goods, so the seller is told to remove it.

Pack settings (`detectors.trademark_in_text.thresholds`), defaults in DEFAULTS:
    score.title, score.shop_name   the score of each finding
    severity.<name>                lowest score for that severity, else "minor"
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.brands import Brand
from shopwarden.core.detect.base import (
    DetectContext,
    Detector,
    Evidence,
    Example,
    Explanation,
    Finding,
    ShopInfo,
    Subject,
)
from shopwarden.core.detect.brand_authorization import shop_id_of, standing
from shopwarden.core.detect.brand_index import BrandIndex
from shopwarden.core.detect.brand_mentions import Mention, brand_mentions, declared_brands, field_mentions, shown
from shopwarden.core.detect.listing_subject import listing_category
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {
    "score.title": 0.88,
    "score.shop_name": 0.92,
    "score.content": 0.85,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}


def _explain(mention: Mention, where: str) -> Explanation:
    brand, name = mention.brand, shown(mention)
    owner_en = f" (owner: {brand.owner})" if brand.owner else ""
    owner_zh = f"（权利人：{brand.owner}）" if brand.owner else ""
    if where == "content":
        return Explanation(
            en=f"The content uses the registered trademark '{name}'{owner_en}, which is not the brand of the product it "
            "anchors, without the owner's authorization. Remove it from the content.",
            zh=f"内容使用了他人注册商标「{name}」{owner_zh}，该品牌并非所挂商品的品牌，且未获授权。请从内容中删除。",
        )
    if where == "shop_name":
        return Explanation(
            en=f"The shop name uses the registered trademark '{name}'{owner_en} without the owner's "
            "authorization. Rename the shop, or file the brand's authorization as a brand qualification.",
            zh=f"店铺名称使用了他人注册商标「{name}」{owner_zh}，且未获授权。请修改店铺名称，或上传该品牌的授权资质。",
        )
    return Explanation(
        en=f"The title uses the registered trademark '{name}'{owner_en} without the owner's authorization. "
        "Remove it from the title (a fit can be written as 'for …'), or file the brand's authorization.",
        zh=f"商品标题使用了他人注册商标「{name}」{owner_zh}，且未获授权。请从标题中删除（说明适配可写“适用于…”），或上传该品牌的授权资质。",
    )


class TrademarkInText(Detector):
    kind = "trademark_in_text"
    rules = ("DY-IP",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        if context.brands and subject.kind == "content":
            return self._content(subject, context, context.brands)
        if not context.brands or subject.kind not in ("listing", "shop"):
            return []
        listing = subject.kind == "listing"
        category = listing_category(subject.data) if listing else None
        field = "title" if listing else "name"
        if listing and not isinstance(subject.fields.get("brand"), str):
            return []  # the listing declares no brand: its title's brand is presumed its own (DY-BR's matter)
        declared = {m.brand.brand_id for m in declared_brands(subject, context.brands)} if listing else set()
        mentions = [
            m
            for m in brand_mentions(subject, context.brands, category)
            if m.field == field and m.brand.registered and not m.compatibility and m.brand.brand_id not in declared
        ]
        shop_id = shop_id_of(subject.shop_id, context.shop.shop_id if context.shop else None)
        t = settings(context, self.kind, DEFAULTS)
        where = "title" if listing else "shop_name"
        return [
            self._finding(group, where, t)
            for group in _grouped(mentions)
            if not standing(context.qualifications, group[0].brand.brand_id, shop_id, context.at, category).authorized
        ]

    def _content(self, subject: Subject, context: DetectContext, brands: BrandIndex) -> list[Finding]:
        declared = _anchored_brands(subject, brands)
        mentions = [
            m
            for field in CONTENT_FIELDS
            for m in field_mentions(subject.fields.get(field) or "", field, brands.find(subject.fields.get(field) or ""), declared)
            if m.brand.registered and not m.compatibility and m.brand.brand_id not in declared
        ]
        shop_id = shop_id_of(subject.shop_id, context.shop.shop_id if context.shop else None)
        t = settings(context, self.kind, DEFAULTS)
        return [
            self._finding(group, "content", t)
            for group in _grouped(mentions)
            if not standing(context.qualifications, group[0].brand.brand_id, shop_id, context.at, None).authorized
        ]

    def _finding(self, mentions: list[Mention], where: str, t: Mapping[str, float]) -> Finding:
        score = t[f"score.{where}"]
        evidence = tuple(Evidence(m.field, m.start, m.end, m.text) for m in mentions)
        return Finding("DY-IP", self.kind, severity_for(score, t), score, _explain(mentions[0], where), evidence)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        brands = BrandIndex([Brand("tianyuan", "天元", ("Tianyuan",), restricted=False, owner="天元公司")])
        context = DetectContext(brands=brands, shop=ShopInfo("s1", "enterprise"))
        ip = frozenset({"DY-IP"})
        return (
            Example(Subject.shop("天元官方旗舰店", "s1"), ip, "trademark in a shop name (the seed's 天元)", context),
            Example(
                Subject.from_listing({"title": "天元 同款保温杯", "brand": "无品牌"}, "s1"), ip, "trademark in a title", context
            ),
            Example(Subject.shop("小林日用百货", "s1"), frozenset(), "a shop name without a mark", context),
            Example(_content("天元同款保温杯，平价好用", "无品牌"), ip, "content: another brand beside an unbranded product", context),
            Example(_content("天元保温杯，保温一整天", "天元"), frozenset(), "content: the anchored product's own brand", context),
            Example(Subject.shop("株洲天元区特产店", "s1"), frozenset(), "天元 inside a place name (天元区)", context),
        )


CONTENT_FIELDS = ("title", "description", "transcript")


def _content(transcript: str, brand: str) -> Subject:
    product = {"product_id": "p1", "title": "保温杯 500ml", "brand": brand, "category": "home/kitchen"}
    return Subject("content", {"transcript": transcript}, "s1", {"content_kind": "video", "products": [product]})


def _anchored_brands(subject: Subject, brands: BrandIndex) -> frozenset[str]:
    """The brands the content's anchored products declare or name in their titles."""
    out: set[str] = set()
    for product in subject.data.get("products") or ():
        if isinstance(product, Mapping):
            out |= {m.brand.brand_id for m in brands.lookup(_text(product.get("brand")))}
            out |= {m.brand.brand_id for m in brands.find(_text(product.get("title")))}
    return frozenset(out)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _grouped(mentions: list[Mention]) -> list[list[Mention]]:
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(m.brand.brand_id, []).append(m)
    return list(groups.values())
