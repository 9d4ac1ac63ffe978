"""What SKU names say about each other: a part of a set, a set, the same item in another size.

Name heuristics are risky for bait SKUs — the seed's bait is exactly a part of the set with a
name saying so (a 枕套 SKU in a 三件套) — so names only ever *add* a reason to a price ratio,
they never excuse one:

- a SKU is a part of the set when its name says it is sold singly, as a part, sample or
  deposit (单件, 单只, 配件, 小样, "single", "refill"…), or when the title or a sibling names a
  set (三件套, 套装, "set", "bundle") and this SKU's name does not;
- two names are the same item when, once sizes, colours, quantities and numbers are removed,
  what is left is equal, contained in the other, or shares half its character pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shopwarden.core.text import normalize

PART_WORDS = re.compile(
    r"单件|单只|单个|单条|单片|单双|单瓶|单支|单拍|一只装?|1只装?|配件|零件|部件|替换装?|替芯|"
    r"小样|试用装?|体验装|旅行装|赠品|样品|补差|补拍|差价|定金|订金|拍下不发|不发货|"
    r"\b(?:single|only|sample|trial|spare|refill|replacement|deposit|part|accessory|one piece)\b"
)
SET_WORDS = re.compile(r"[二三四五六七八九十两双0-9]+件套|套装|全套|一套|整套|套件|组合装|礼盒装|\b(?:set|bundle|kit|combo)\b")
_SPEC = re.compile(
    r"[0-9]+(?:\.[0-9]+)?\s*(?:cm|mm|ml|kg|gb|tb|g|m|l|t|寸|码|号|岁|斤|克|毫升|升|米|厘米|个|只|件|条|双|支|盒|瓶|袋|包|片|装)?|"
    r"\b(?:xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl|small|medium|large|black|white|red|blue|green|grey|gray|pink)\b|"
    r"[红橙黄绿青蓝紫黑白灰粉棕咖金银杏藏驼米卡其浅深]+色|均码|[大中小]号|[男女]款|[sml]码|款|色"
)


def _folded(name: str) -> str:
    return normalize(name).folded.text


def is_part(name: str, context_names: Iterable[str]) -> bool:
    """Whether a SKU named `name` is a part of the set that the title or its siblings sell."""
    folded = _folded(name)
    if PART_WORDS.search(folded):
        return True
    return not SET_WORDS.search(folded) and any(SET_WORDS.search(_folded(n)) for n in context_names)


def _stem(name: str) -> str:
    return re.sub(r"[\W_]+", "", _SPEC.sub(" ", _folded(name)))


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def same_item(a: str, b: str) -> bool:
    """Whether two SKU names name the same item in different sizes, colours or quantities."""
    sa, sb = _stem(a), _stem(b)
    if not sa or not sb or sa in sb or sb in sa:
        return True
    pa, pb = _pairs(sa), _pairs(sb)
    return len(pa & pb) * 2 >= min(len(pa), len(pb))
