"""Finding registered brand names in text: one Aho-Corasick automaton over every name and alias.

Built once from the brand registry (the service layer builds it when the registry changes) and
shared read-only by every scan. Names are matched on the compact view of the normalized text —
folded (full-width, case, traditional → simplified, look-alikes) with spaces and punctuation
removed — so "ＮＩＫＥ", "N i k e" and "耐 克" all match, and every hit is then held to the
word-boundary rules of `brand_boundaries`. Matches are spans of the original text.

No pinyin is generated: the registry's aliases carry the pinyin spellings worth matching, because
a generated one ("tianyuan" for 天元) is often an ordinary word or a place name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from shopwarden.core.brands import Brand, covers_any
from shopwarden.core.detect.brand_boundaries import cjk_ok, has_cjk_end, has_latin_end, latin_ok, term_pieces
from shopwarden.core.text import NormalizedText, normalize

FIND_CACHE = 256

# Values of a listing's brand field that mean "no brand" (DY-BR: unbranded goods are published
# as 无品牌), compared on their compact form.
NO_BRAND = frozenset(
    ["无品牌", "无牌", "无", "暂无", "没有", "其他", "其它", "杂牌", "通用", "无商标", "nobrand", "none", "no", "unbranded", "generic", "other", "na", "null", "oem"]
)


@dataclass(frozen=True, slots=True)
class Term:
    """One spelling of a brand as the automaton holds it."""

    brand: Brand
    written: str  # as registered
    key: str  # compact folded form, what the automaton matches
    pieces: tuple[str, ...]  # folded letter-and-digit runs, for spread-out spellings


@dataclass(frozen=True, slots=True)
class BrandMatch:
    """A brand found at original offsets `start:end` of a text; `text` is what the seller wrote."""

    brand: Brand
    term: str
    start: int
    end: int
    text: str


def is_no_brand(value: str | None) -> bool:
    """Whether a declared brand value means the goods carry no brand ("无品牌", "No brand", "")."""
    if value is None:
        return True
    key = normalize(value).compact.text
    return not key or key in NO_BRAND


class BrandIndex:
    """Every brand name and alias in one automaton; immutable once built."""

    __slots__ = ("brands", "_by_id", "_automaton", "_terms", "_find")

    def __init__(self, brands: Iterable[Brand]):
        self.brands: tuple[Brand, ...] = tuple(brands)
        self._by_id = {b.brand_id: b for b in self.brands}
        if len(self._by_id) != len(self.brands):
            raise ValueError("brand ids must be unique")
        self._terms = _terms(self.brands)
        self._automaton = _automaton(self._terms)
        # Several detectors look up the same fields of one subject: remember the latest texts.
        self._find = lru_cache(maxsize=FIND_CACHE)(self._search)

    def get(self, brand_id: str) -> Brand | None:
        return self._by_id.get(brand_id)

    def find(self, text: str, category: str | None = None) -> list[BrandMatch]:
        """Brands named in `text`, leftmost first; brands limited to other categories are skipped."""
        if self._automaton is None or not text:
            return []
        return list(self._find(text, category))

    def _search(self, text: str, category: str | None) -> tuple[BrandMatch, ...]:
        norm = normalize(text)
        compact = norm.compact
        hits = []
        for last, key in self._automaton.iter(compact.text):
            start = last + 1 - len(key)
            src = compact.source_span(start, last + 1)
            for term in self._terms[key]:
                if covers_any(term.brand.categories, category) and _accepted(norm, start, last + 1, src, term):
                    hits.append(BrandMatch(term.brand, term.written, src[0], src[1], text[src[0] : src[1]]))
        return tuple(_outermost(hits))

    def lookup(self, value: str | None) -> list[BrandMatch]:
        """The brands a declared brand value names ("耐克/NIKE" names one): [] for no brand."""
        return [] if value is None or is_no_brand(value) else self.find(value)

    def __len__(self) -> int:
        return len(self.brands)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BrandIndex) and other.brands == self.brands

    def __hash__(self) -> int:
        return hash(self.brands)

    def __deepcopy__(self, memo: dict[int, Any]) -> BrandIndex:
        return self  # immutable: a copy would only rebuild the same automaton

    def __reduce__(self) -> tuple[type[BrandIndex], tuple[tuple[Brand, ...]]]:
        return BrandIndex, (self.brands,)  # the automaton is rebuilt where it is unpickled


def _terms(brands: tuple[Brand, ...]) -> dict[str, tuple[Term, ...]]:
    by_key: dict[str, list[Term]] = {}
    for brand in brands:
        for written in brand.terms:
            norm = normalize(written)
            key = norm.compact.text
            if key and key not in NO_BRAND:
                by_key.setdefault(key, []).append(Term(brand, written, key, term_pieces(norm.folded.text)))
    return {key: tuple(terms) for key, terms in by_key.items()}


def _automaton(terms: dict[str, tuple[Term, ...]]) -> Any:  # pyahocorasick ships no types
    if not terms:
        return None
    automaton = ahocorasick.Automaton()
    for key in terms:
        automaton.add_word(key, key)
    automaton.make_automaton()
    return automaton


def _accepted(norm: NormalizedText, start: int, end: int, src: tuple[int, int], term: Term) -> bool:
    if has_latin_end(term.key) and not latin_ok(norm, *src, term.key, term.pieces, term.written):
        return False
    return not has_cjk_end(term.key) or cjk_ok(norm.compact.text, start, end)


def _outermost(hits: list[BrandMatch]) -> list[BrandMatch]:
    """Drop a hit inside a longer one ("Louis" inside "Louis Vuitton"); same-span hits of
    different brands all stay."""
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[BrandMatch] = []
    for hit in hits:
        if any(k.start <= hit.start and hit.end <= k.end and (k.end - k.start) > (hit.end - hit.start) for k in kept):
            continue
        if any(k.brand is hit.brand and k.start == hit.start and k.end == hit.end for k in kept):
            continue  # two aliases of one brand with the same compact form
        kept.append(hit)
    return kept
