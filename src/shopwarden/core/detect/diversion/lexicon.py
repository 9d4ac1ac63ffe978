"""A lexicon of name patterns found in one regex pass, each match told which entry it is.

One named group per entry would say which entry matched, but groups cost CPython's regex engine
its first-character fast paths, so it tries every alternative at every position (about ten
times slower on a 300-character text). The pass here uses a group-free alternation; the few
matches it finds are then matched against each entry's own pattern, in order, at the same place.
When every alternative opens with a literal character (write "微信|威信", not "[微威]信"; put a
lookbehind after the first character), the engine also skips, in C, every position whose
character opens none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


def each_then(heads: str, tail: str) -> str:
    """"h1TAIL|h2TAIL|…" for "(?:h1|h2|…)TAIL": the same language, but each alternative opens
    with its own literal character, which the engine's first-character scan can use."""
    if not all(heads.split("|")):
        raise ValueError(f"an empty head in {heads!r} would match everywhere")
    return "|".join(head + tail for head in heads.split("|"))


def words_then(heads: str, tail: str) -> str:
    r"""`each_then` for heads that are whole words, r"\b(?:h1|h2)TAIL": each head's word-boundary
    test moves after its first letter ("p(?<!\wp)ay…"), so the alternation still opens with literals."""
    parts = heads.split("|")
    if not all(part and part[0].isalnum() for part in parts):
        raise ValueError(f"every head in {heads!r} must open with a letter or digit")
    return "|".join(rf"{part[0]}(?<!\w{part[0]}){part[1:]}{tail}" for part in parts)


_LATIN_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class Lexicon(Generic[T]):
    """Entries (value, regex) compiled into one pass; `latin` matches are whole words: no letter
    or digit before, no letter after."""

    def __init__(self, entries: Iterable[tuple[T, str]], latin: bool = False):
        tail = r"(?![a-z])" if latin else ""
        entries = [(value, pattern) for value, pattern in entries if pattern]
        self._entries = [(value, re.compile(f"(?:{pattern}){tail}")) for value, pattern in entries]
        self._any = re.compile(f"(?:{'|'.join(pattern for _, pattern in entries)}){tail}" if entries else r"(?!)")
        self._latin = latin

    def finditer(self, text: str) -> Iterator[tuple[T, int, int]]:
        """(entry value, start, end) of each leftmost match, as `re.finditer` would find them."""
        pos = 0
        search = self._any.search
        while (m := search(text, pos)) is not None:
            start, end = m.span()
            if self._latin and start and text[start - 1] in _LATIN_BEFORE:
                pos = start + 1  # inside a longer word: look again from the next character
                continue
            yield self._which(text, start, end), start, end
            pos = end if end > start else end + 1

    def _which(self, text: str, start: int, end: int) -> T:
        for value, rx in self._entries:
            m = rx.match(text, start)
            if m is not None and m.end() == end:
                return value
        raise AssertionError("a lexicon match that no entry makes")  # the pass is their union
