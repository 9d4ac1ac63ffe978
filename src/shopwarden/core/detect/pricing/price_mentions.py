"""Prices written in text ("¥39.9", "39元", "9.9包邮", "仅需39", "原价199"), classified by
what they claim, with spans in the original text.

A number is a price only with a currency sign before it, a money unit after it (元, 块,
包邮) or a price word before it (售价, 仅需, "only"). It is then
    "price"        the price the buyer pays ("仅需39", "¥9.9包邮")
    "from"         the lowest price ("39元起")
    "comparison"   a reference price (原价, 划线价, 专柜价, 价值, "was", RRP)
    "conditional"  a price after a promotion the listing data does not carry (券后, 到手价)
and numbers that are not an item's price — thresholds and discounts (满199减20, 立减, 5元券),
shipping, deposits, unit prices ("9.8元/斤") and bundle prices ("2件39") — are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from shopwarden.core.text import normalize

Kind = Literal["price", "from", "comparison", "conditional"]

_NUMBER = re.compile(r"(?<![0-9.])[0-9]{1,7}(?:\.[0-9]{1,2})?(?![0-9])")


def _words(text: str, *phrases: str) -> tuple[str, ...]:
    """Space-separated words plus multi-word phrases, longest first ("券后价" before "券后")."""
    return tuple(sorted((*text.split(), *phrases), key=len, reverse=True))


CURRENCIES = ("¥", "$", "rmb", "cny", "usd")
CUES = _words(
    "价格 售价 特价 现价 仅需 只需 只要 仅要 仅售 只卖 低至 一口价 秒杀价 秒杀 活动价 直播价 福利价 团购价 price now only just"
)
COMPARISONS = _words(
    "原价 原售价 划线价 市场价 专柜价 吊牌价 参考价 建议零售价 零售价 指导价 日常价 价值 was rrp msrp",
    "list price",
    "original price",
    "regular price",
)
CONDITIONALS = _words("券后价 券后 折后价 折后 到手价 到手 满减后 用券后 用券 领券后 会员价 plus价 新人价 首单价 首单")
NOT_PRICES = _words(
    "满 减 立减 再减 直降 省 优惠 券 返 返现 送 补贴 定金 订金 运费 邮费 红包 加 押金 差价 每满 off save coupon shipping deposit"
)
_BUNDLE_END = re.compile(
    r"(?:[0-9]+|[两二三四五六七八九十])\s?(?:件|个|盒|瓶|包|支|条|双|只|斤|袋|套)\s?(?:仅需|只要|共|合计|一共)?$"
)
_UNIT_AFTER = re.compile(r"\s?(?:元|块钱?|rmb|yuan|包邮)")
_NOT_PRICE_AFTER = re.compile(r"\s?(?:元|块)?\s?(?:/|每|券|优惠券|红包|无门槛|运费|邮费|定金|off\b|%)")
_FROM_AFTER = re.compile(r"\s?(?:元|块)?\s?起")
_UNIT_SPAN = re.compile(r"\s?(?:元|块钱?|rmb|yuan)?\s?(?:包邮|起)?")
# Every word or sign without which no number is a price (see `_kind`): a text with none of them
# has no price, decided in one pass (most numbers in a listing are sizes, models and dates).
_ANY_CUE = re.compile(
    "|".join(re.escape(w) for w in sorted({*CURRENCIES, *CUES, *COMPARISONS, *CONDITIONALS, "元", "块", "yuan", "包邮"}, key=len, reverse=True))
)
_CODE_BEFORE = ("rmb", "cny", "usd")
_CODE_AFTER = ("rmb", "yuan")


def _ending(head: str, words: tuple[str, ...]) -> str | None:
    """The word `head` ends with (an English one only as a whole word), if any."""
    if not head.endswith(words):
        return None  # the common case, decided in one C call
    for word in words:
        if head.endswith(word) and not (word.isascii() and head[-len(word) - 1 : -len(word)].isalpha()):
            return word
    return None


def _strip_tail(before: str) -> tuple[str, bool]:
    """`before` without the separators and currency sign between a price word and its number."""
    head = before.rstrip()
    currency = next((c for c in CURRENCIES if head.endswith(c)), None)
    if currency:
        head = head[: -len(currency)]
    return head.rstrip(" :："), currency is not None


@dataclass(frozen=True, slots=True)
class PriceMention:
    start: int  # original offsets, from the currency sign or price word to the unit
    end: int
    amount: Decimal
    kind: Kind
    text: str


def _kind(head: str, currency: bool, after: str) -> tuple[Kind, str | None] | None:
    """What a number claims and the price word that says so; None when it is not an item price."""
    if _NOT_PRICE_AFTER.match(after) or _ending(head, NOT_PRICES) or _BUNDLE_END.search(head[-8:]):
        return None
    if word := _ending(head, COMPARISONS):
        return "comparison", word
    if word := _ending(head, CONDITIONALS):
        return "conditional", word
    word = _ending(head, CUES)
    if not (currency or word or _UNIT_AFTER.match(after)):
        return None
    return ("from" if _FROM_AFTER.match(after) else "price"), word


def _glued(folded: str, start: int, end: int) -> bool:
    """A number inside a word or code ("iphone15", "128g") is not a price."""
    before, after = folded[max(0, start - 3) : start], folded[end : end + 4]
    glued_before = before[-1:].isascii() and before[-1:].isalpha() and not before.endswith(_CODE_BEFORE)
    glued_after = after[:1].isascii() and after[:1].isalpha() and not after.startswith(_CODE_AFTER)
    return glued_before or glued_after


def find_prices(text: str) -> list[PriceMention]:
    """Every price written in `text`, in order (see the module docstring)."""
    folded = normalize(text).folded
    mentions: list[PriceMention] = []
    if not _ANY_CUE.search(folded.text):
        return mentions
    for m in _NUMBER.finditer(folded.text):
        start, end = m.span()
        if _glued(folded.text, start, end):
            continue
        before, after = folded.text[max(0, start - 14) : start], folded.text[end : end + 8]
        head, currency = _strip_tail(before)
        claim = _kind(head, currency, after)
        if claim is None:
            continue
        kind, word = claim
        if word or currency:  # the evidence starts at the price word, else at the currency sign
            lead = before[len(head) - len(word or "") :].lstrip()
        else:
            lead = ""
        unit = _UNIT_SPAN.match(after)
        assert unit is not None  # every part of it is optional: it matches anywhere
        span_end = end + len(unit.group().rstrip())
        src = folded.source_span(start - len(lead), span_end)
        mentions.append(PriceMention(*src, Decimal(m.group()), kind, text[src[0] : src[1]]))
    return mentions
