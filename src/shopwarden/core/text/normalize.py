"""The one shared normalization step: raw text → views that detectors match against.

    original  "加V❤信：ＡＢＣ_８８ 壹叁捌…"
    folded    "加v 信:abc_88 138…"   NFKC, case folding, traditional → simplified, homoglyphs;
                                      emoji and whitespace runs become one space, invisibles go
    compact   "加v信abc88138…"        folded without spaces, punctuation or symbols, so noise
                                      spread between characters ("微 · 信") disappears
    digits    folded with disguised digits (壹, 幺, ①, "O" for 0) as ASCII digits, in digit runs

Every view maps each of its characters back to a span of the original, so evidence always
points into the text as the seller wrote it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import Any

from shopwarden.core.text.digits import digit_view
from shopwarden.core.text.fold import ALNUM_MASK, DROP, FOLD_TABLE, NOISE
from shopwarden.core.text.offsets import View, ViewBuilder

# A run of noise (spaces, emoji, invisibles) in the translated text; the runs that need
# rewriting are the rest: anything but one interior space.
_NOISE_RUN = re.compile(f"[\\s{DROP}]+")
_NON_ALNUM = re.compile(r"[\W_]+")
# A noise run that is anything but one plain space: two or more noise characters, or one other
# than the space (a tab, a newline, an invisible).
_NEEDS_SQUEEZE = re.compile(f"[\\s{DROP}]{{2,}}|[^\\S{NOISE}]|{DROP}")


def _translate(text: str) -> View:
    """Fold every character; keep a one-to-one map unless some character expanded."""
    folded = text.translate(FOLD_TABLE)
    expanding = FOLD_TABLE.expanding_pattern()
    if expanding is None or not expanding.search(text):
        return View.identity(folded)  # every character folded to exactly one
    # Expanding characters are rare: one-to-one stretches between them keep their offsets whole.
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for m in expanding.finditer(text):
        i = m.start()
        parts.append(text[done:i].translate(FOLD_TABLE))
        starts.extend(range(done, i))
        ends.extend(range(done + 1, i + 1))
        value = FOLD_TABLE[ord(text[i])]
        parts.append(value)
        starts.extend([i] * len(value))
        ends.extend([i + 1] * len(value))
        done = i + 1
    parts.append(text[done:].translate(FOLD_TABLE))
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return View("".join(parts), starts, ends)


def _squeeze_noise(view: View) -> View:
    """Noise runs become one space (none at the ends); runs of invisibles alone vanish."""
    text = view.text
    if not _NEEDS_SQUEEZE.search(text) and not (text[:1].isspace() or text[-1:].isspace()):
        return view  # one C-level pass: every noise run is already a single interior space
    builder: ViewBuilder | None = None
    done = 0
    last = len(text)
    for run in _NOISE_RUN.finditer(text):
        start, end = run.span()
        if start > 0 and end < last and run.group() == NOISE:
            continue  # one space between words: already what it should be
        if builder is None:
            builder = ViewBuilder(view)
        builder.keep(done, start)
        visible = run.group().strip(DROP)
        if visible and start > 0 and end < last:
            builder.replace(start, end, NOISE)
        done = end
    if builder is None:
        return view
    builder.keep(done, last)
    return builder.build()


def _strip_non_alnum(view: View) -> View:
    """Only letters and digits, each with its offsets (one C-level pass over a keep mask, made
    only when a match in this view is cited)."""
    return view.keep_where(lambda: view.text.translate(ALNUM_MASK).encode("latin-1"), _NON_ALNUM.sub("", view.text))


class NormalizedText:
    """The views of one original text; each view is computed once, when first asked for."""

    __slots__ = ("original", "__dict__")

    def __init__(self, original: str):
        self.original = original

    @cached_property
    def folded(self) -> View:
        return _squeeze_noise(_translate(self.original))

    @cached_property
    def compact(self) -> View:
        return _strip_non_alnum(self.folded)

    @cached_property
    def digits(self) -> View:
        return digit_view(self.folded)


@lru_cache(maxsize=512)
def normalize(text: str) -> NormalizedText:
    """The views of `text`; cached so that every detector scanning one text shares them."""
    return NormalizedText(text)


class _JoinedView(View):
    """The views of texts that sit at `bases` of a joined original, one after another with `glue`
    between them (`glue_spans[k]`: the original span of each glue character after part k). A span
    inside one part maps back through that part's own offsets; the whole offset lists are composed
    only when something asks for them (a span that touches the glue, a bisect by source offset)."""

    __slots__ = ("_parts", "_bases", "_at")

    def __init__(self, parts: Sequence[View], bases: Sequence[int], glue: str, glue_spans: Sequence[Sequence[tuple[int, int]]]):
        def offsets() -> tuple[list[int], list[int]]:
            starts: list[int] = []
            ends: list[int] = []
            for k, (view, base) in enumerate(zip(parts, bases)):
                if k:
                    starts.extend(a for a, _ in glue_spans[k - 1])
                    ends.extend(b for _, b in glue_spans[k - 1])
                starts.extend(map(base.__add__, view.starts))
                ends.extend(map(base.__add__, view.ends))
            return starts, ends

        super().__init__(glue.join(view.text for view in parts), (), ())
        self._make = offsets
        at, pos = [], 0
        for view in parts:
            at.append(pos)
            pos += len(view.text) + len(glue)
        self._parts, self._bases, self._at = tuple(parts), tuple(bases), tuple(at)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        if start < end and self._make is not None:
            k = bisect_right(self._at, start) - 1
            a = start - self._at[k]
            part = self._parts[k]
            if end - self._at[k] <= len(part.text):  # inside one part: its offsets alone
                base = self._bases[k]
                return base + part.starts[a], base + part.ends[end - self._at[k] - 1]
        return super().source_span(start, end)

    def index_at_or_after(self, source_offset: int) -> int:
        if self._make is not None:
            k = bisect_right(self._bases, source_offset) - 1
            if k >= 0:
                part = self._parts[k]
                local = part.index_at_or_after(source_offset - self._bases[k])
                if local < len(part.text):  # everything before the part starts before its base
                    return self._at[k] + local
        return super().index_at_or_after(source_offset)

    def index_ending_by(self, source_offset: int) -> int:
        if self._make is not None:
            k = bisect_right(self._bases, source_offset) - 1
            if k >= 0:
                part = self._parts[k]
                local = part.index_ending_by(source_offset - self._bases[k])
                if 0 < local < len(part.text):  # the glue before ends by the part's first character
                    return self._at[k] + local
        return super().index_ending_by(source_offset)


def normalize_joined(texts: Sequence[str], separator: str) -> NormalizedText:
    """The views of `separator.join(texts)` built from each text's own (cached, so shared with the
    detectors that read the texts one by one): each text is normalized once per scan, not twice.
    The separator must fold to a visible mark between single spaces ("\n¶\n" → " ¶ "), so that
    no noise run or view crosses it; a text with nothing visible falls back to one normalization."""
    joined = separator.join(texts)
    if len(texts) == 1:
        return normalize(joined)
    norms = [normalize(t) for t in texts]
    folded = [n.folded for n in norms]
    glue = _separator_fold(separator)
    if glue is None or not all(f.text for f in folded):
        return normalize(joined)
    bases, at = [], 0
    for t in texts:
        bases.append(at)
        at += len(t) + len(separator)
    # the glue's characters: the space covers the first text's trailing noise and the separator's
    # opening, the mark its own character, the closing space the rest up to the next text's first
    # visible character (as one normalization of the joined text would map them)
    spans = []
    for k in range(len(texts) - 1):
        end_k, next_base = bases[k] + folded[k].ends[-1], bases[k + 1]
        mark = bases[k] + len(texts[k]) + separator.index(glue[1])
        spans.append(((end_k, mark), (mark, mark + 1), (mark + 1, next_base + folded[k + 1].starts[0])))
    return _Joined(joined, norms, bases, glue, spans)


class _Joined(NormalizedText):
    """A joined text's views, made of its parts' (see `normalize_joined`); the compact view is
    still made only when asked for, and the digit view from the joined folded one."""

    __slots__ = ()

    def __init__(self, original: str, parts: list[NormalizedText], bases: list[int], glue: str, spans: list[Any]) -> None:
        super().__init__(original)
        self.__dict__["folded"] = _JoinedView([n.folded for n in parts], bases, glue, spans)
        self.__dict__["_parts"] = (parts, bases, len(spans))

    @cached_property
    def compact(self) -> View:
        parts, bases, gaps = self.__dict__["_parts"]
        return _JoinedView([n.compact for n in parts], bases, "", [()] * gaps)


@lru_cache(maxsize=8)
def _separator_fold(separator: str) -> str | None:
    """" ¶ " for "\n¶\n": the separator as it folds between two words, when that is one visible,
    non-alphanumeric mark between single spaces; None otherwise."""
    glue = normalize(f"a{separator}a").folded.text[1:-1]
    ok = len(glue) == 3 and glue[0] == glue[2] == NOISE and not glue[1].isalnum() and glue[1] in separator
    return glue if ok else None
