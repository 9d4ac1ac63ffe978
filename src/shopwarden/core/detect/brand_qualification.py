"""DY-BR: a brand shown on a listing without a valid brand qualification (DY-BQ-1).

Brands are looked for in the title, description, attributes, SKU names and the declared brand
field, and judged against the shop's qualifications for the listing's category at
`context.at`. One finding per brand, with every place it is shown. Personal shops may not
sell restricted brands at all, qualification or not. "无品牌" / "no brand" goods are fine, and
a brand named only to say what the goods fit ("适用于 iPhone") is not shown as their brand
(see `brand_mentions`).

Pack settings (`detectors.brand_qualification.thresholds`), defaults in DEFAULTS:
    score.<gap>              score when the gap is none, expired, revoked, rejected, pending,
                             not_yet_valid or category (the qualification misses the category)
    score.restricted         lowest score for a restricted brand without authorization
    score.personal_restricted  a restricted brand in a personal shop
    severity.<name>          lowest score for that severity, else "minor"
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC

from shopwarden.core.brands import Brand, Qualification
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
from shopwarden.core.detect.brand_authorization import Standing, shop_id_of, standing
from shopwarden.core.detect.brand_index import BrandIndex
from shopwarden.core.detect.brand_mentions import Mention, brand_mentions, shown
from shopwarden.core.detect.listing_subject import listing_category
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {
    "score.none": 0.9,
    "score.revoked": 0.9,
    "score.rejected": 0.9,
    "score.expired": 0.88,
    "score.not_yet_valid": 0.85,
    "score.category": 0.82,
    "score.pending": 0.7,
    "score.restricted": 0.93,
    "score.personal_restricted": 0.97,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}
FIX_EN = (
    "Upload a valid brand qualification (trademark registration or application number, linked to this "
    "category), or remove the brand from the title, description and attributes; unbranded goods are "
    "published as 'no brand'."
)
FIX_ZH = "请在“店铺-店铺信息设置-店铺资质-品牌资质”上传有效资质并关联该类目，或删除标题、详情、属性中的品牌信息；无品牌商品请选择“无品牌”发布。"


def _gap_text(state: Standing, category: str | None) -> tuple[str, str]:
    assert state.gap is not None  # asked only of a brand the shop may not show
    q = state.qualification
    since = q.valid_to.date().isoformat() if q and q.valid_to else ""
    start = q.valid_from.date().isoformat() if q else ""
    return {
        "none": ("the shop has no qualification for it", "店铺未提交该品牌的品牌资质"),
        "pending": ("its qualification is still under review", "该品牌资质仍在审核中，审核通过前不得展示该品牌"),
        "rejected": ("its qualification was rejected", "该品牌资质审核被驳回，请按驳回原因修改后重新提交"),
        "expired": (f"its qualification expired {since}".strip(), f"该品牌资质已过期{since}".strip()),
        "revoked": ("its qualification was revoked", "该品牌资质已被撤销"),
        "not_yet_valid": (f"its qualification is valid only from {start}", f"该品牌资质自{start}起才生效"),
        "category": (f"its qualification is not linked to category '{category}'", f"该品牌资质未关联类目「{category}」"),
    }[state.gap]


def _explain(mention: Mention, state: Standing, personal: bool, category: str | None) -> Explanation:
    brand, name = mention.brand, shown(mention)
    if personal:
        return Explanation(
            en=f"'{name}' is a restricted brand: personal shops may not sell restricted brands at all. "
            "Remove the brand and this listing, or sell it from an enterprise or individual-business shop "
            "with the brand's authorization.",
            zh=f"「{name}」为限售品牌，个人店不可售卖限售品牌。请删除该商品及品牌信息，或以企业店/个体店取得品牌授权后发布。",
        )
    gap_en, gap_zh = _gap_text(state, category)
    restricted_en = " It is a restricted brand that needs the brand's authorization." if brand.restricted else ""
    restricted_zh = "该品牌为限售品牌，须取得品牌授权后才可发布。" if brand.restricted else ""
    return Explanation(
        en=f"Brand '{name}' is shown without a valid brand qualification: {gap_en}.{restricted_en} {FIX_EN}",
        zh=f"商品展示了品牌「{name}」，但{gap_zh}。{restricted_zh}{FIX_ZH}",
    )


def _score(brand: Brand, state: Standing, personal: bool, t: Mapping[str, float]) -> float:
    if personal:
        return t["score.personal_restricted"]
    score = t[f"score.{state.gap}"]
    return max(score, t["score.restricted"]) if brand.restricted else score


def _by_brand(mentions: list[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = {}
    for m in mentions:
        if not m.compatibility:
            grouped.setdefault(m.brand.brand_id, []).append(m)
    return grouped


class BrandQualification(Detector):
    kind = "brand_qualification"
    rules = ("DY-BR",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        if subject.kind != "listing" or not context.brands:
            return []
        category = listing_category(subject.data)
        shop_id = shop_id_of(subject.shop_id, context.shop.shop_id if context.shop else None)
        personal_shop = context.shop is not None and context.shop.kind == "personal"
        t = settings(context, self.kind, DEFAULTS)
        findings = []
        for mentions in _by_brand(brand_mentions(subject, context.brands, category)).values():
            brand = mentions[0].brand
            personal = personal_shop and brand.restricted
            state = standing(context.qualifications, brand.brand_id, shop_id, context.at, category)
            if state.authorized and not personal:
                continue
            score = _score(brand, state, personal, t)
            evidence = tuple(Evidence(m.field, m.start, m.end, m.text) for m in mentions)
            explanation = _explain(mentions[0], state, personal, category)
            findings.append(Finding("DY-BR", self.kind, severity_for(score, t), score, explanation, evidence))
        return findings

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return _examples()


def example_brands() -> BrandIndex:
    """A small registry for examples and tests: a restricted sportswear brand and a phone maker."""
    return BrandIndex(
        [
            Brand("nike", "Nike", ("耐克", "NIKE"), restricted=True, owner="Nike, Inc."),
            Brand("apple", "Apple", ("苹果", "iPhone"), restricted=False, owner="Apple Inc.", categories=("digital",)),
        ]
    )


def _examples() -> tuple[Example, ...]:
    from datetime import datetime

    at = datetime(2026, 3, 1, tzinfo=UTC)
    brands = example_brands()
    shop = DetectContext(brands=brands, shop=ShopInfo("s1", "enterprise"), at=at)
    personal = DetectContext(brands=brands, shop=ShopInfo("s2", "personal"), at=at)
    qualified = Qualification(
        "q1", "s1", "nike", "12345678", "R", ("shoes",), datetime(2025, 1, 1, tzinfo=UTC), None, "approved"
    )
    authorized = DetectContext(brands=brands, shop=ShopInfo("s1", "enterprise"), qualifications=(qualified,), at=at)
    listing = Subject.from_listing
    br = frozenset({"DY-BR"})
    return (
        Example(listing({"title": "耐克 Air 跑步鞋 男款", "category": "shoes/running"}), br, "brand without qualification", shop),
        Example(
            listing({"title": "耐克 Air 跑步鞋", "category": "shoes/running"}),
            br,
            "restricted brand in a personal shop",
            personal,
        ),
        Example(listing({"title": "耐克 Air 跑步鞋", "category": "shoes/running"}), frozenset(), "qualified shop", authorized),
        Example(listing({"title": "纯棉短袖T恤", "brand": "无品牌", "category": "apparel"}), frozenset(), "no brand", shop),
        Example(
            listing({"title": "手机壳 适用于iPhone 15", "category": "digital/accessories"}), frozenset(), "fits iPhone", shop
        ),
    )
