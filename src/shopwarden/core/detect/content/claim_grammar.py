"""The grammar of an absolute claim (CR-6-ABS), Chinese and English, as spans of one text.

Chinese, over rjieba's words: 最 + a predicate (最好用, 最 受欢迎, 最低价), except the words of
time and order (最近, 最后, 最终, 最初), the speaker ordering their points (最重要的是), a bound
on a number (最多三天) and 最好 as advice (最好先试用); 第一 as a rank (行业第一, 第一品牌,
销量第一名) but not as an ordinal (第一次, 第一天, 第一步) or an enumeration (第一…第二…);
and the lexicon's words (国家级, 唯一, 万能…). English, by pattern: superlatives (best,
cheapest, the X-est, the most X), #1 / number one, and the lexicon's phrases.

A claim does not count when it is negated just before (不是最好的, "not the best"), when it names
a drawback (唯一的缺点, "the only downside", "the biggest problem"), when it is a set phrase
("at least", "best before", "do my best", "works best on"), or when 100% states what something is made of
(100%纯棉, "100% cotton") or how full a battery is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shopwarden.core.detect.content.words import Token, after, before, term_pattern, tokens

# Advertising Law art. 9(3) ("国家级、最高级、最佳等用语") and the words regulators read with it.
ZH_TERMS = ("国家级", "世界级", "全球级", "宇宙级", "最高级", "顶级", "极品", "唯一", "首选", "万能", "永久", "绝对",
            "独一无二", "史无前例", "百分百", "全网最低", "全网第一", "遥遥领先", "无敌", "销量冠军", "顶尖", "至尊")
EN_TERMS = ("world-class", "world class", "unbeatable", "unmatched", "unrivaled", "unrivalled", "unparalleled",
            "second to none", "lowest price ever", "all-time low", "miracle", "guaranteed results", "100% guaranteed")
STRONG = ("国家级", "世界级", "全网最低", "最低价", "全网第一", "最高级", "lowest price ever", "world-class", "world class")
ZH_NOT_CLAIMS = ("最近", "最后", "最终", "最初", "最早", "最晚", "最末", "最新")
# The speaker's own ordering of what they say (最重要的是…), not a claim about the goods.
ZH_DISCOURSE = ("最重要", "最主要", "最关键", "最起码", "最基本", "最常见")
ZH_NEGATIONS = frozenset({"不", "不是", "并非", "并不是", "没有", "没", "算不上", "谈不上", "称不上", "不敢说", "不算", "非", "未必", "不一定"})
EN_NEGATIONS = frozenset({"not", "never", "no", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "won't",
                          "can't", "cannot", "hardly", "nor", "wouldn't", "isnt", "dont", "doesnt"})
DRAWBACKS = ("缺点", "不足", "问题", "遗憾", "毛病", "槽点", "败笔", "短板", "downside", "problem", "issue", "complaint",
             "drawback", "flaw", "con", "cons", "gripe", "negative", "weakness", "thing i dislike")
# What an ordinal counts (第一次, 第一 天): the character after 第一, or the next word.
ORDINAL_UNITS = frozenset("次天步个件口眼集期批章节季周年月回轮遍层排页条道段句点种把瓶支盒片颗粒场趟届号只")
ORDINAL_WORDS = frozenset({"部分", "印象", "时间", "反应", "感觉", "阶段", "步骤", "遍", "周", "个月"})
RANKS = frozenset({"名", "品牌", "大品牌", "大牌", "位"})
CLAIM_TAGS = frozenset({"a", "ad", "an", "v", "vn", "vd", "d", "i", "l", "z", "b", "n", "nz"})
PREFERENCE = frozenset({"喜欢", "爱", "想", "常用", "怕", "讨厌", "推荐"})
SENSORY = frozenset({"用", "吃", "看", "喝", "穿", "闻", "听", "玩", "卖", "的"})
COMPOSITION = re.compile(r"^\s*(?:纯?棉|纯|羊毛|羊绒|蚕丝|真丝|桑蚕丝|麻|亚麻|涤纶|果汁|原汁|原浆|皮|cotton|wool|silk|linen|cashmere|"
                         r"polyester|leather|juice|pure|merino|nylon|spandex)", re.I)
CHARGE = re.compile(r"(?:电量|充电|充到|充满|charged?|battery)\s*(?:到|至|是|to|at|is|of)?\s*$", re.I)
SEQUENCE_NOUNS = frozenset({"step", "tip", "day", "part", "reason", "item", "question", "episode", "chapter", "size", "track",
                            "round", "rule", "page", "video", "look", "no", "number", "#", "lesson", "hack"})
EN_SET_PHRASES = re.compile(
    r"\bat\s+(?:the\s+)?(?:best|most|least|latest)\b|\bbest\s+(?:before|by|regards|wishes|of\s+luck|friends?)\b|"
    r"\b(?:do|did|try|tried|doing|trying)\s+(?:my|your|our|their|his|her)\s+best\b|\bmake\s+the\s+best\s+of\b|"
    r"\b(?:it'?s|is)\s+best\s+to\b|\bthe\s+best\s+way\s+to\s+(?:use|apply|store|keep|wash|clean)\b|"
    r"\bmost\s+(?:of|people|likely|days|times|nights|mornings|recent(?:ly)?|often|importantly)\b|\bthe\s+(?:latest|earliest)\b|"
    r"\bthe\s+most\s+important\s+thing\b|\b(?:works?|tastes?|looks?|feels?)\s+best\s+(?:when|if|on|with|after|in|for)\b|"
    r"\bbest\s+served\b",
    re.I,
)
_SUPERLATIVE = (
    r"\b(?:best|greatest|cheapest|lowest|highest|finest|strongest|safest|purest|healthiest|fastest|smartest|softest|"
    r"biggest|largest|best-selling|top-rated)\b"
)
# "the X-est", less the words that only end like a superlative (interest, honest) and time (latest).
_NOT_EST = r"latest|earliest|interest|honest|modest|rest|test|west|forest|nest|request|harvest|contest|worst"
_THE_EST = rf"\b(?:the|our|its|world'?s|market'?s|industry'?s)\s+(?!(?:{_NOT_EST})\b)[a-z]{{2,}}est\b"
_MOST = r"\b(?:the|our|its|world'?s)\s+most\s+[a-z]{3,}|\bmost\s+[a-z]{3,}(?:ive|ful|able|ible|ous|ent|ant|ular|ic|ced|ved)\b"
_NUMBER_ONE = r"#\s?1(?![0-9])|\bnumber\s+one\b|(?<![a-z0-9])no\.?\s?1(?![0-9])|(?<![a-z0-9])top\s?1(?![0-9])"
_ONLY = (
    r"\bthe\s+only\s+(?:[a-z]+\s+){0,2}(?:product|brand|one|formula|solution|choice)\b|"
    r"\bthe\s+only\s+(?:[a-z]+\s+){1,2}(?:that|which)\s+(?:really\s+|actually\s+|truly\s+)?(?:works?|helps?|can|does|gives?)\b"
)
_PERCENT = r"100\s?%|百分百|百分之百"
EN_PATTERN = re.compile("|".join(f"(?:{p})" for p in (_SUPERLATIVE, _THE_EST, _MOST, _NUMBER_ONE, _ONLY)), re.I)
PERCENT = re.compile(_PERCENT)
_LATIN_WORD = re.compile(r"[a-z0-9'#.]+", re.I)


@dataclass(frozen=True, slots=True)
class Claim:
    start: int
    end: int
    strong: bool


def claims(text: str, extra_terms: Iterable[str] = (), exempt: Iterable[str] = ()) -> list[Claim]:
    """Every absolute claim in `text`, left to right, overlapping ones merged."""
    words = tokens(text)
    covered = [(m.start(), m.end()) for e in exempt for m in re.finditer(re.escape(e), text, re.I)]
    found = [*_zh_claims(words), *_term_claims(text, words, (*ZH_TERMS, *EN_TERMS, *extra_terms)),
             *_en_claims(text), *_percent_claims(text)]
    kept = [
        c for c in found
        if not any(s <= c.start and c.end <= e for s, e in covered) and not _drawback(text, c) and not _negated(text, words, c)
    ]
    return _merged(kept)


def _zh_claims(words: Sequence[Token]) -> Iterable[Claim]:
    for i, t in enumerate(words):
        if t.text.startswith("最"):
            span = _most(words, i)
        elif t.text.startswith("第一"):
            span = _first(words, i)
        else:
            continue
        if span:
            s, e = span
            yield Claim(s.start, e.end, any(w in t.text for w in ("最低价", "最高级")))


def _most(words: Sequence[Token], i: int) -> tuple[Token, Token] | None:
    t, nxt = words[i], after(words, i, 1)
    if any(t.text.startswith(w) for w in (*ZH_NOT_CLAIMS, *ZH_DISCOURSE)):
        return None
    if t.text == "最" and nxt and any(("最" + nxt[0].text).startswith(w) for w in ZH_DISCOURSE):
        return None
    if t.text in ("最多", "最少") and any(_numeral(w) for w in after(words, i, 2)):
        return None  # a bound on a number: 最多三天, 最少泡五分钟
    if any(t.text[1:].startswith(p) for p in PREFERENCE) and _first_person(words, i):
        return None  # a creator's own preference: 我最爱
    if t.text == "最好" and nxt and nxt[0].text not in SENSORY and nxt[0].tag in ("v", "d", "p", "c", "r"):
        return None  # advice: 最好先试用, 最好不要
    if t.text != "最":
        return t, t
    if not nxt or nxt[0].tag not in CLAIM_TAGS:
        return None
    if nxt[0].text in PREFERENCE and _first_person(words, i):
        return None  # a creator's own preference: 我最喜欢
    return t, nxt[0]


def _first_person(words: Sequence[Token], i: int) -> bool:
    return any(w.text in ("我", "我们", "本人", "俺") for w in before(words, i, 2))


def _numeral(token: Token) -> bool:
    return token.tag == "m" or token.text[0].isdigit() or token.text[0] in "一二两三四五六七八九十半几"


def _first(words: Sequence[Token], i: int) -> tuple[Token, Token] | None:
    t = words[i]
    rest = t.text[2:]
    if any(w.text.startswith(("第二", "其次")) for w in words[i + 1 :]):
        return None  # 第一…第二…: an enumeration
    if rest:
        return (t, t) if rest in RANKS else None
    nxt = after(words, i, 1)
    if nxt and (nxt[0].text[0] in ORDINAL_UNITS or nxt[0].text in ORDINAL_WORDS or nxt[0].tag == "m"):
        return None
    return t, t


def _term_claims(text: str, words: Sequence[Token], terms: Iterable[str]) -> Iterable[Claim]:
    """The lexicon's words; a Chinese one only where rjieba starts a word, so that a term is not
    read across two words."""
    starts = {w.start for w in words}
    strong = {t.lower() for t in STRONG}
    for m in term_pattern(tuple(terms)).finditer(text):
        if m.group()[0].isascii() or m.start() in starts:
            yield Claim(m.start(), m.end(), m.group().lower() in strong)


def _en_claims(text: str) -> Iterable[Claim]:
    set_phrases = [(m.start(), m.end()) for m in EN_SET_PHRASES.finditer(text)]
    for m in EN_PATTERN.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in set_phrases):
            continue
        if re.match(_NUMBER_ONE, m.group(), re.I) and _previous_words(text, m.start(), 1) & SEQUENCE_NOUNS:
            continue  # "step #1", "tip number one": an ordinal
        yield Claim(m.start(), m.end(), False)


def _percent_claims(text: str) -> Iterable[Claim]:
    for m in PERCENT.finditer(text):
        if COMPOSITION.match(text[m.end() : m.end() + 12]) or CHARGE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        yield Claim(m.start(), m.end(), False)


def _previous_words(text: str, start: int, n: int) -> set[str]:
    return {w.lower() for w in _LATIN_WORD.findall(text[max(0, start - 40) : start])[-n:]}


def _negated(text: str, words: Sequence[Token], claim: Claim) -> bool:
    if _previous_words(text, claim.start, 3) & EN_NEGATIONS:
        return True
    i = next((k for k, w in enumerate(words) if w.start >= claim.start), len(words))
    return any(w.text in ZH_NEGATIONS for w in before(words, i, 3))


def _drawback(text: str, claim: Claim) -> bool:
    tail = text[claim.end : claim.end + 16].lower()
    return any(tail.lstrip(" 的之一个:：").startswith(d) or f" {d}" in tail[:12] for d in DRAWBACKS)


def _merged(found: list[Claim]) -> list[Claim]:
    out: list[Claim] = []
    for c in sorted(found, key=lambda c: (c.start, -c.end)):
        if out and c.start < out[-1].end:
            last = out[-1]
            out[-1] = Claim(last.start, max(last.end, c.end), last.strong or c.strong)
        else:
            out.append(c)
    return out
