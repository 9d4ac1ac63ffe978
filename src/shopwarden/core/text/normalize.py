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
