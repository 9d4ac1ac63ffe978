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
from functools import cached_property, lru_cache

from shopwarden.core.text.digits import digit_view
from shopwarden.core.text.fold import DROP, FOLD_TABLE, NOISE
from shopwarden.core.text.offsets import View, ViewBuilder

# A run of noise (spaces, emoji, invisibles) in the translated text.
_NOISE_RUN = re.compile(f"[\\s{DROP}]+")
_ALNUM = re.compile(r"[^\W_]+")


def _translate(text: str) -> View:
    """Fold every character; keep a one-to-one map unless some character expanded."""
    folded = text.translate(FOLD_TABLE)
    if FOLD_TABLE.expanding.isdisjoint(text):
        return View(folded, range(len(text)), range(1, len(text) + 1))
    builder = ViewBuilder(View.identity(text))
    for i, ch in enumerate(text):
        value = FOLD_TABLE[ord(ch)]
        if len(value) == 1:
            builder.keep(i, i + 1) if value == ch else builder.replace(i, i + 1, value)
        else:
            builder.replace(i, i + 1, value)
    return builder.build()


def _squeeze_noise(view: View) -> View:
    """Noise runs become one space (none at the ends); runs of invisibles alone vanish."""
    text = view.text
    if not _NOISE_RUN.search(text):
        return view
    builder = ViewBuilder(view)
    done = 0
    for run in _NOISE_RUN.finditer(text):
        start, end = run.span()
        builder.keep(done, start)
        visible = run.group().strip(DROP)
        if visible and start > 0 and end < len(text):
            builder.replace(start, end, NOISE)
        done = end
    builder.keep(done, len(text))
    return builder.build()


def _strip_non_alnum(view: View) -> View:
    return view.subset(m.span() for m in _ALNUM.finditer(view.text))


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
