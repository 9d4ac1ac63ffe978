"""CR-6-EFF: medical (efficacy) claims about an anchored product whose category may not make them.

Food and cosmetics may not claim to prevent or treat disease (Food Safety Law art. 73;
Regulations on the Supervision of Cosmetics art. 37): "治疗湿疹" said in a face cream's video is
misleading promotion, "moisturising" is not. The grammar is `efficacy_grammar`; which categories
may speak of efficacy is the pack's `creators.content_checks.efficacy_categories` (a path and
its children; DEFAULT_ALLOWED when the pack names none), and `efficacy_terms` adds words.
Content that anchors no product, or any product of an allowed category, is not judged: the
claim cannot then be said to be outside its product's category.

Pack settings (`detectors.efficacy_claims.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Detector, Example, Explanation, Finding, Subject
from shopwarden.core.detect.content.anchored import anchored_products, category_of, within
from shopwarden.core.detect.content.efficacy_grammar import efficacy_claims
from shopwarden.core.detect.content.words import spoken_fields
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"score": 0.88, "severity.general": 0.85}
DEFAULT_ALLOWED = ("medicine", "pharmacy", "health/medicine", "health/medical-devices")


def _explain(shown: list[str], categories: list[str]) -> Explanation:
    what = "、".join(shown[:3])
    cats = ", ".join(categories) or "?"
    return Explanation(
        en=f"The content claims medical effects ({', '.join(shown[:3])}) for a product in {cats}, a category that may not "
        "claim to prevent or treat disease. Remove the claims.",
        zh=f"内容宣称医疗功效（{what}），而挂车商品类目（{cats}）不得宣称预防、治疗疾病。请删除相关表述。",
    )


class EfficacyClaims(Detector):
    kind = "efficacy_claims"
    rules = ("CR-6-EFF",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        products = anchored_products(subject)
        pack = context.content
        allowed = (pack.efficacy_categories if pack else ()) or DEFAULT_ALLOWED
        categories = [category_of(p) for p in products]
        if not products or any(within(c, allowed) for c in categories):
            return []
        extra = pack.efficacy_terms if pack else ()
        evidence = tuple(subject.evidence(name, s, e) for name, text in spoken_fields(subject) for s, e in efficacy_claims(text, extra))
        if not evidence:
            return []
        t = settings(context, self.kind, DEFAULTS)
        explanation = _explain(list(dict.fromkeys(e.text for e in evidence)), sorted({c for c in categories if c}))
        return [Finding("CR-6-EFF", self.kind, severity_for(t["score"], t), t["score"], explanation, evidence)]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def content(transcript: str, category: str) -> Subject:
            product = {"product_id": "p1", "title": "商品", "category": category, "skus": []}
            return Subject("content", {"transcript": transcript}, data={"content_kind": "video", "products": [product]})

        eff = frozenset({"CR-6-EFF"})
        return (
            Example(content("这款面霜坚持用能治疗湿疹", "beauty/skincare"), eff, "a face cream that treats eczema"),
            Example(content("每天喝一杯，降血压降血糖", "food/drinks"), eff, "a drink that lowers blood pressure"),
            Example(content("This tea cures insomnia", "food/tea"), eff, "English"),
            Example(content("很保湿，moisturising all day", "beauty/skincare"), frozenset(), "care, not cure"),
            Example(content("用于治疗感冒引起的发热", "medicine/otc"), frozenset(), "a medicine may speak of treatment"),
            Example(content("本品不能治疗疾病", "food/health"), frozenset(), "a disclaimer"),
        )
