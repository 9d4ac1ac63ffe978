"""CR-6-REL: content that never speaks of the product it anchors (irrelevant content, CR-2).

A lexical measure, on purpose: what an anchored product is about is the words of its title
(rjieba's search segmentation, so "保温杯" also gives "保温") and of its category path; the
content speaks of it when its title, description or transcript uses one of those words, points
at the head of one (这口锅, 这个杯子: a Chinese compound's head is its last character), or
shares enough of the title's Chinese character pairs (brand names the lexicon does not know).
Words every title carries (新款, 正品, 包邮, official…) and numbers say nothing of the product
and are dropped. Pointing at the cart ("点击小黄车", "link below") is not speaking of the
product. Content shorter than `relevance_min_tokens` words (pack value) is not judged, nor is
a LIVE segment on its own (a session talks of its products across segments). Findings always
go to a person: the measure cannot tell a synonym ("cream" for 面霜) from an unrelated word.

Pack settings (`detectors.unrelated_product.thresholds`), defaults in DEFAULTS:
    score            the finding's score
    min_bigrams      shared title character pairs that count as speaking of the product
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from shopwarden.core.detect.base import DetectContext, Detector, Example, Explanation, Finding, Subject
from shopwarden.core.detect.content.anchored import anchored_products
from shopwarden.core.detect.content.words import is_word, spoken_fields, tokens
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"score": 0.6, "min_bigrams": 2}
MIN_TOKENS = 20
GENERIC = frozenset({
    "新款", "正品", "包邮", "官方", "旗舰店", "旗舰", "同款", "专用", "套装", "礼盒", "网红", "爆款", "特价", "清仓", "现货", "热卖",
    "推荐", "女士", "男士", "女款", "男款", "儿童", "大码", "加厚", "夏季", "冬季", "秋冬", "春夏", "家用", "便携", "商品", "产品",
    "official", "new", "hot", "sale", "set", "pack", "for", "and", "with", "the", "women", "men", "kids", "size", "free",
    "shipping", "genuine", "original", "pcs", "style", "2024", "2025", "2026", "other", "misc",
})
_LATIN = re.compile(r"[a-z][a-z'-]{2,}", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _search_cut() -> Callable[..., Any]:
    import rjieba  # the lexicon is compiled into the wheel: nothing is read or fetched at run time

    return rjieba.cut_for_search


# A Chinese compound's head is its last character (保温杯 → 杯, 炒锅 → 锅, 跑步鞋 → 鞋); speech
# names the thing by it after a demonstrative or a measure word (这口锅, 这个杯子, 这双鞋).
_POINTED = "(?:这|那|一|每)(?:个|口|双|款|支|瓶|件|只|把|台|盒|罐|包|条|套|袋|杯|片)?"


def _heads(words: frozenset[str], title: str) -> set[str]:
    """The heads of the title's words, and the title's one-character nouns (跑步鞋 is 跑步 + 鞋)."""
    singles = {t.text for t in tokens(title) if len(t.text) == 1 and t.tag == "n" and _CJK.match(t.text)}
    return {w[-1] for w in words if len(w) >= 2 and _CJK.match(w[-1])} | singles


def product_words(product: Mapping[str, Any]) -> frozenset[str]:
    """What an anchored product is about: its title's and category's words, less the generic ones."""
    return _words_of(str(product.get("title") or ""), str(product.get("category") or ""))


@lru_cache(maxsize=1024)
def _words_of(title: str, category: str) -> frozenset[str]:
    category = category.replace("/", " ").replace("-", " ").replace("_", " ")
    words = {w.lower() for w in _search_cut()(title) if len(w) >= 2 and _CJK.search(w)}
    words |= {w.lower() for w in _LATIN.findall(f"{title} {category}")}
    return frozenset(w for w in words if w not in GENERIC)


@lru_cache(maxsize=1024)
def _mention_pattern(title: str, category: str) -> re.Pattern[str]:
    """The product's words (Latin ones whole, with a plural), or a pointed-at head noun (这口锅)."""
    words = _words_of(title, category)
    latin = [rf"(?<![a-z]){re.escape(w)}(?:s|es)?(?![a-z])" for w in words if not _CJK.search(w)]
    cjk = [re.escape(w) for w in words if _CJK.search(w)]
    heads = sorted(_heads(words, title))
    pointed = [f"{_POINTED}(?:{'|'.join(map(re.escape, heads))})"] if heads else []
    return re.compile("|".join(sorted(cjk, key=len, reverse=True) + latin + pointed) or r"(?!x)x", re.I)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if _CJK.match(text[i]) and _CJK.match(text[i + 1])}


def speaks_of(text: str, product: Mapping[str, Any], min_bigrams: int) -> bool:
    title, category = str(product.get("title") or ""), str(product.get("category") or "")
    if _mention_pattern(title, category).search(text):
        return True
    return len(_bigrams(title) & _bigrams(text)) >= min_bigrams


def _titles(products: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(p.get("title") or p.get("product_id") or "?") for p in products]


class UnrelatedProduct(Detector):
    kind = "unrelated_product"
    rules = ("CR-6-REL",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        products = anchored_products(subject)
        if not products or subject.data.get("segment"):
            return []
        fields = list(spoken_fields(subject))
        need = context.content.relevance_min_tokens if context.content else MIN_TOKENS
        if sum(1 for _, field in fields for w in tokens(field) if is_word(w)) < need:
            return []
        text = "\n".join(t for _, t in fields)
        t = settings(context, self.kind, DEFAULTS)
        if any(speaks_of(text, p, int(t["min_bigrams"])) for p in products):
            return []
        name, longest = max(fields, key=lambda f: len(f[1]))
        titles = "、".join(_titles(products)[:3])
        explanation = Explanation(
            en=f"The content never speaks of the product it anchors ({titles}): irrelevant content is low quality. "
            "A reviewer will check it.",
            zh=f"内容始终未提及所挂商品（{titles}），属于与商品无关的低质内容，将由审核人员复核。",
        )
        evidence = (subject.evidence(name, 0, len(longest)),)
        return [Finding("CR-6-REL", self.kind, severity_for(t["score"], t), t["score"], explanation, evidence)]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        cup = {"product_id": "p1", "title": "不锈钢保温杯 500ml 大容量", "category": "home/kitchen", "skus": []}

        def content(transcript: str, **data: Any) -> Subject:
            return Subject("content", {"transcript": transcript}, data={"content_kind": "video", "products": [cup], **data})

        off = ("今天带大家去海边玩，天气特别好，我们先去吃了海鲜大排档，然后在沙滩上散步看日落，"
               "晚上回到酒店休息，明天继续出发去古镇逛逛，喜欢的话记得点赞关注，链接在小黄车")
        on = ("今天给大家分享这个保温杯，早上装的热水到晚上还是烫的，五百毫升的容量上班一天够喝，"
              "杯盖密封很好，放包里不会漏，颜色也好看，喜欢的话记得点赞关注，链接在小黄车")
        rel = frozenset({"CR-6-REL"})
        return (
            Example(content(off), rel, "a travel vlog anchoring a thermos cup"),
            Example(content(on), frozenset(), "speaks of the cup"),
            Example(content("链接在小黄车，快去买"), frozenset(), "too short to judge"),
            Example(content(off, segment=True), frozenset(), "a LIVE segment alone is not judged"),
        )
