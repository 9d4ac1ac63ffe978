"""Where a listing or shop names a brand, and whether it only says what the goods fit.

A brand named to say what an accessory fits ("适用于 iPhone 15", "华为通用", "case for
iPhone", "laces for Nike shoes") describes the goods rather than claiming the brand — the
descriptive use trademark law allows — so it is marked `compatibility` and neither DY-BR nor
DY-IP holds it against the shop. The rule:
  - a fit cue right before the brand (适用/适配/兼容/专配/用于, "for", "fits", "compatible
    with"…), or after it past at most a model number (专用/通用/适用: "戴森V8/V10专用");
  - a brand continuing a list that such a mention started ("适用于苹果 15 / 华为 Mate 60");
  - a brand the listing says its goods fit anywhere is a fit everywhere in it ("iPad 保护套 …
    适用于 iPad Air 5");
  - but a brand the listing declares in its own brand field is never a mere fit.
"同款" (same style as), "平替" (a dupe of) and "X风" are not fit cues: they ride on the brand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from shopwarden.core.brands import Brand
from shopwarden.core.detect.base import Subject, per_subject
from shopwarden.core.detect.brand_index import BrandIndex, BrandMatch
from shopwarden.core.text import normalize

_FIT_BEFORE = re.compile(
    r"(?:适用于?|适配于?|兼容于?|专配|配套|匹配|用于|适合|"
    r"\bfor(?: use with)?|\bfits?|\bcompatible with|\bworks with|\bsuitable for|\bmade for|\breplacement for)"
    r"\s?[:：]?\s?$"
)
# After the brand, possibly past a model ("戴森V8/V10专用", "华为 P60 通用").
_FIT_AFTER = re.compile(r"^[\sa-z0-9/+\-.]{0,12}(?:专用|通用|适用|可用|兼容|适配)")
# What may stand between two brands of one list: models, sizes, separators ("15 pro / ").
_LIST_GAP = re.compile(r"^[\sa-z0-9/、,，&+\-.和及与]{0,16}$")


@dataclass(frozen=True, slots=True)
class Mention:
    brand: Brand
    field: str
    start: int
    end: int
    text: str
    compatibility: bool = False


def shown(mention: Mention) -> str:
    """The brand as the seller wrote it, with its registered name when that differs: 耐克（Nike）."""
    same = normalize(mention.text).compact.text == normalize(mention.brand.name).compact.text
    return mention.text if same else f"{mention.text}（{mention.brand.name}）"


def listing_brand_fields(subject: Subject) -> Iterator[str]:
    """The listing fields a brand can be shown in: title, description, attributes, SKU names."""
    for name in subject.fields:
        if name in ("title", "description", "attributes") or (name.startswith("skus[") and name.endswith(".name")):
            yield name


def declared_brands(subject: Subject, index: BrandIndex) -> list[BrandMatch]:
    """The brands the listing's own brand field names ([] for 无品牌 / no brand)."""
    return index.lookup(subject.fields.get("brand"))


def _fits(text: str, match: BrandMatch) -> bool:
    norm = normalize(text)
    folded = norm.folded
    i, j = folded.index_at_or_after(match.start), folded.index_ending_by(match.end)
    return bool(_FIT_BEFORE.search(folded.text[max(0, i - 24) : i]) or _FIT_AFTER.match(folded.text[j : j + 16]))


def _list_gap(text: str, previous: Mention, match: BrandMatch) -> bool:
    norm = normalize(text)
    folded = norm.folded
    i, j = folded.index_ending_by(previous.end), folded.index_at_or_after(match.start)
    return bool(_LIST_GAP.match(folded.text[i:j]))


def field_mentions(text: str, field: str, matches: list[BrandMatch], declared: frozenset[str]) -> list[Mention]:
    """Mentions in one field, each marked compatibility or not (see the module docstring)."""
    mentions: list[Mention] = []
    for match in matches:
        fits = match.brand.brand_id not in declared and (
            _fits(text, match) or bool(mentions and mentions[-1].compatibility and _list_gap(text, mentions[-1], match))
        )
        mentions.append(Mention(match.brand, field, match.start, match.end, match.text, fits))
    return mentions


def _fields(subject: Subject) -> list[str]:
    if subject.kind == "listing":
        return [*listing_brand_fields(subject), "brand"]
    return ["name"] if subject.kind == "shop" else []


def _spread_fit(mentions: list[Mention]) -> list[Mention]:
    """A brand the listing says its goods fit anywhere is a fit everywhere in it: "iPad 保护套 ·
    适用于 iPad Air 5" names one device twice, it does not claim to be an iPad."""
    fitted = {m.brand.brand_id for m in mentions if m.compatibility}
    return [replace(m, compatibility=True) if m.brand.brand_id in fitted and m.field != "brand" else m for m in mentions]


def brand_mentions(subject: Subject, index: BrandIndex, category: str | None) -> list[Mention]:
    """Every brand a listing names (title, description, attributes, SKU names, brand field) or a
    shop's name names, in field order then left to right (DY-BR and DY-IP both ask: once per subject)."""
    return list(_brand_mentions(subject, index, category))


@per_subject
def _brand_mentions(subject: Subject, index: BrandIndex, category: str | None) -> tuple[Mention, ...]:
    declared = frozenset(m.brand.brand_id for m in declared_brands(subject, index)) if subject.kind == "listing" else frozenset()
    mentions: list[Mention] = []
    for field in _fields(subject):
        text = subject.fields.get(field) or ""
        if text.strip():
            mentions.extend(field_mentions(text, field, index.find(text, category), declared))
    return tuple(_spread_fit(mentions))
