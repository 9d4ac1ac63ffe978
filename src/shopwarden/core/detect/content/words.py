"""A content's text as words with offsets (rjieba's segmentation, whose lexicon ships in the
wheel), and the fields of a content subject a person says or writes.

Every token keeps its span in the original field, so evidence cites the creator's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shopwarden.core.detect.base import Subject

# What a creator writes or says; `links` is read by DY-DV, not by the claim detectors.
SPOKEN_FIELDS = ("title", "description", "transcript")
_SPACE = re.compile(r"\s+|[\u200b-\u200d\ufeff]+")
_PUNCT = re.compile(r"^[\W_]+$")
# Full-width forms to ASCII, one character for one, so that spans still index the original.
_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    tag: str

    @property
    def low(self) -> str:
        return self.text.lower()


@lru_cache(maxsize=1)
def _tagger() -> Callable[..., Any]:
    import rjieba  # the lexicon is compiled into the wheel: nothing is read or fetched at run time

    return rjieba.tag


@lru_cache(maxsize=256)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of `text` with their spans, spaces dropped (punctuation kept: it ends a phrase).
    Cached: the claim, efficacy and relevance detectors read the same fields of one content."""
    out, pos = [], 0
    for word, tag in _tagger()(text):
        start, pos = pos, pos + len(word)
        if not _SPACE.fullmatch(word):
            out.append(Token(word, start, pos, tag))
    return tuple(out)


@lru_cache(maxsize=64)
def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of terms, longest first; Latin terms as whole words."""
    parts = [rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])" if t[0].isascii() else re.escape(t) for t in terms if t]
    return re.compile("|".join(sorted(dict.fromkeys(parts), key=len, reverse=True)) or r"(?!x)x", re.I)


def narrow(text: str) -> str:
    """`text` with full-width letters, digits and signs as ASCII (ＮＯ．１ → NO.1), same length."""
    return text.translate(_NARROW)


def is_word(token: Token) -> bool:
    return not _PUNCT.match(token.text)


def spoken_fields(subject: Subject) -> Iterator[tuple[str, str]]:
    """The content's title, description and transcript that have text (CR-5), full-width forms
    narrowed (`narrow`: the same length, so spans index the original field)."""
    if subject.kind != "content":
        return
    for name in SPOKEN_FIELDS:
        text = subject.fields.get(name)
        if isinstance(text, str) and text.strip():
            yield name, narrow(text)


def before(words: Sequence[Token], i: int, n: int) -> list[Token]:
    """Up to `n` tokens before index `i`, stopping at punctuation that ends a phrase."""
    out: list[Token] = []
    for token in reversed(words[max(0, i - n * 2) : i]):
        if token.text in "，。！？!?；;,.\n" or len(out) == n:
            break
        out.append(token)
    return out[::-1]


def after(words: Sequence[Token], i: int, n: int) -> list[Token]:
    """Up to `n` tokens after index `i`, stopping at punctuation that ends a phrase."""
    out: list[Token] = []
    for token in words[i + 1 :]:
        if token.text in "，。！？!?；;,.\n" or len(out) == n:
            break
        out.append(token)
    return out
