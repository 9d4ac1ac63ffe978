"""Whether a brand term found in the compact view is really that word, not part of another.

The index matches on the compact view (no spaces or punctuation) so that "N i k e" and
"耐 克" still match; that view also glues words together, so every hit is checked here against
the folded text around it:

- Latin ends (a term starting or ending with a letter or digit) need a non-letter neighbour:
  "Nike" never hits in "Unike", "Dior" never in "Diorama". A term spread over separators must
  be spread letter by letter ("N-I-K-E") or split where the name itself is ("Louis·Vuitton").
- Short Latin terms (three characters or fewer: "LG", "HP", "3M") are initialisms, common in
  model numbers, units and English words, so they count only in capitals, in their registered
  spelling, or right next to Chinese ("lv包包"), and never glued to digits ("1.5HP", "HM-2034").
- CJK ends have no spaces to go by, so the text around the hit is segmented with a general
  Chinese lexicon (jieba's, via rjieba, without new-word guessing): the term counts only
  when it sits on word boundaries. A lexicon word that straddles it ("完美|的" around 美的,
  "独特|步伐" around 特步) or swallows it ("小米粥", "三星级", "天元区") denies it — unless
  the rest of that word is a brand affix ("李宁牌", "格力空调", "韩国三星"), which allows it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from shopwarden.core.text import NormalizedText

SHORT_LATIN = 3
SEGMENT_WINDOW = 6  # CJK characters of context on each side: enough for any lexicon word

# What may stand before or after a brand inside one lexicon word without changing its meaning:
# a country of origin or a provenance claim before; the maker's organisation or a product type after.
BRAND_PREFIXES = frozenset(
    ["韩国", "美国", "日本", "德国", "法国", "英国", "意大利", "瑞士", "瑞典", "丹麦", "荷兰", "中国", "香港", "台湾", "国产", "正品", "原装", "进口", "正版", "官方"]
)
BRAND_SUFFIXES = frozenset(
    ["牌", "品牌", "公司", "集团", "电子", "电器", "科技", "技术", "股份", "有限公司", "官方", "官网", "专卖", "专卖店", "旗舰店", "正品", "手机", "电脑", "空调", "冰箱", "洗衣机", "电视", "鞋", "运动鞋", "球鞋", "服饰", "服装", "包", "手表", "汽车", "轮胎", "啤酒", "奶粉", "化妆品"]
)

_ASCII_ALNUM = re.compile(r"[a-z0-9]")
_ASCII_LETTER = re.compile(r"[a-z]")
_ALNUM_RUN = re.compile(r"[^\W_]+")


def _is_latin(ch: str) -> bool:
    return bool(_ASCII_ALNUM.fullmatch(ch))


def term_pieces(folded_term: str) -> tuple[str, ...]:
    """The letter-and-digit runs of a folded term: ("louis", "vuitton")."""
    return tuple(_ALNUM_RUN.findall(folded_term))


def _folded_span(norm: NormalizedText, start: int, end: int) -> tuple[int, int]:
    folded = norm.folded
    return folded.index_at_or_after(start), folded.index_ending_by(end)


def _spread_ok(pieces: list[str], own: tuple[str, ...]) -> bool:
    return len(pieces) == 1 or all(len(p) == 1 for p in pieces) or tuple(pieces) == own


def latin_ok(norm: NormalizedText, start: int, end: int, key: str, own: tuple[str, ...], registered: str) -> bool:
    """Word-boundary rules for a hit at original `start:end` of a term with compact form `key`,
    folded pieces `own` and registered spelling `registered`."""
    folded = norm.folded.text
    fs, fe = _folded_span(norm, start, end)
    if not _spread_ok(_ALNUM_RUN.findall(folded[fs:fe]), own):
        return False
    before = _neighbour(folded[fs - 1 : fs], norm.original[start - 1 : start])
    after = _neighbour(folded[fe : fe + 1], norm.original[end : end + 1])
    if _is_latin(key[0]) and _ASCII_ALNUM.fullmatch(before or " "):
        return False
    if _is_latin(key[-1]) and _ASCII_LETTER.fullmatch(after or " "):
        return False
    if key.isascii() and len(key) <= SHORT_LATIN:
        return _short_ok(norm.original[start:end], registered, before + after, folded[fe : fe + 2])
    return True


def _neighbour(folded: str, original: str) -> str:
    """The folded neighbour of a hit, or a space when the seller wrote a symbol there: "™"
    folds to "tm", but "NIKE™" is not the word "niketm"."""
    return " " if original and unicodedata.category(original)[0] == "S" else folded


def _short_ok(written: str, registered: str, neighbours: str, after: str) -> bool:
    """An initialism counts in capitals, as registered or beside Chinese, never in a model code."""
    if re.match(r"[0-9]|-[0-9]", after):
        return False
    letters = "".join(c for c in written if c.isalnum())
    spelled = letters.upper() == letters or letters == "".join(c for c in registered if c.isalnum())
    return spelled or any(_is_cjk(c) for c in neighbours)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=1)
def _cut() -> Callable[..., Any]:
    import rjieba  # the lexicon is compiled into the wheel: nothing is read or fetched at run time

    return rjieba.cut


def cjk_ok(compact: str, start: int, end: int) -> bool:
    """Whether compact-view characters `start:end` sit on word boundaries of the segmented
    neighbourhood (see the module docstring for the affixes that are allowed)."""
    lo = max(0, start - SEGMENT_WINDOW)
    window = compact[lo : end + SEGMENT_WINDOW]
    s, e = start - lo, end - lo
    pos = 0
    for token in _cut()(window, False):
        ts, te = pos, pos + len(token)
        pos = te
        if te <= s or ts >= e or (s <= ts and te <= e):
            continue  # outside the term, or a piece of it
        if ts <= s and e <= te and _affixes_ok(token[: s - ts], token[e - ts :]):
            continue  # the term inside a brand compound ("李宁牌", "韩国三星")
        return False
    return True


def _affixes_ok(prefix: str, suffix: str) -> bool:
    return (not prefix or prefix in BRAND_PREFIXES) and (not suffix or suffix in BRAND_SUFFIXES)


def has_latin_end(key: str) -> bool:
    return _is_latin(key[0]) or _is_latin(key[-1])


def has_cjk_end(key: str) -> bool:
    return not (_is_latin(key[0]) and _is_latin(key[-1]))
