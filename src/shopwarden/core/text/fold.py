"""Per-character folding: compatibility forms, case, traditional Chinese and look-alike letters.

Each character folds on its own (NFKC, case folding, OpenCC's traditional → simplified table,
a few homoglyphs), so the folded text keeps a character-to-character map to the original.
Noise characters (emoji, symbols, spaces, controls) fold to a space; invisible ones (zero-width
joiners, variation selectors, combining marks) fold to DROP and are removed afterwards.
The table fills lazily: only characters that actually occur are ever computed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

DROP = "\x00"
NOISE = " "

# Categories that carry no letters or digits a seller could hide a contact in.
_NOISE_CATEGORIES = frozenset({"So", "Sk", "Cc", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"})
_DROP_CATEGORIES = frozenset({"Cf", "Me"})

# Characters whose meaning survives as a word: sellers write 🐧 for QQ (its mascot), ☎/📞/📱
# for "phone" and ➕ for "add" ("➕V"); these stay visible to the keyword matchers instead of
# becoming noise.
_PICTOGRAPHS = {"🐧": "企鹅", "☎": "电话", "📞": "电话", "📱": "手机", "✉": "邮箱", "📧": "邮箱", "➕": "+", "✚": "+"}

# Cyrillic and Greek letters that render like Latin ones ("wеchat" with a Cyrillic е).
_HOMOGLYPHS = dict(zip("аеорсухікјѕԁɡνοτυαϲ", "aeopcyxikjsdgvotuac", strict=True))


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # the wheel ships its dictionaries: nothing is fetched at run time

    return opencc.OpenCC("t2s")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _numeric_form(ch: str) -> str | None:
    """Enclosed and dingbat numbers NFKC leaves alone (❶, ➀, ➓) as their ASCII digits."""
    value = unicodedata.numeric(ch, None)
    if value is not None and value == int(value) and 0 <= value <= 20 and unicodedata.category(ch) == "No":
        return str(int(value))
    return None


def _strip_accent(ch: str) -> str:
    """A Latin letter without its accents (Lancôme → lancome, pinyin ā → a): sellers drop them."""
    if len(ch) != 1 or ch.isascii():
        return ch
    base = unicodedata.normalize("NFD", ch)
    if base[0].isascii() and base[0].isalpha() and all(unicodedata.combining(c) for c in base[1:]):
        return base[0]
    return ch


def fold_char(ch: str) -> str:
    """The folded form of one character: usually one character, DROP, NOISE, or an expansion."""
    if ch in _PICTOGRAPHS:
        return _PICTOGRAPHS[ch]
    code = ord(ch)
    category = unicodedata.category(ch)
    if category in _DROP_CATEGORIES or 0x300 <= code <= 0x36F or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return DROP
    out = unicodedata.normalize("NFKC", ch)
    if out == ch and category == "No":
        out = _numeric_form(ch) or out
    if len(out) == 1 and unicodedata.category(out) in _NOISE_CATEGORIES:
        return NOISE
    out = _strip_accent(out.casefold())
    out = "".join(_HOMOGLYPHS.get(c, c) for c in out)
    if any(_is_cjk(c) for c in out):
        out = _t2s().convert(out)
    if len(out) > 1 and not any(c.isalnum() for c in out):
        return out[0]  # "…" → "." : punctuation that merely repeats keeps one character
    return out


class _FoldTable(dict[int, str]):
    """A `str.translate` table that computes each character's fold on first sight.

    `expanding` collects characters that fold to more (or fewer) than one character: a text
    without any of them translates one-to-one, which keeps its offset map the identity.
    """

    def __init__(self) -> None:
        super().__init__()
        self.expanding: set[str] = set()
        self._pattern: tuple[int, re.Pattern[str] | None] = (0, None)

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        if len(value) != 1:
            self.expanding.add(chr(code))
        self[code] = value
        return value

    def expanding_pattern(self) -> re.Pattern[str] | None:
        """A character class of the expanding characters seen so far (None while there are none),
        recompiled only when a new one has turned up."""
        size, pattern = self._pattern
        if size != len(self.expanding):
            chars = "".join(sorted(self.expanding))
            pattern = re.compile(f"[{re.escape(chars)}]") if chars else None
            self._pattern = (len(self.expanding), pattern)
        return pattern


class _AlnumMask(dict[int, str]):
    r"""A `str.translate` table: byte 1 for a letter or digit (what `[^\W_]` matches), else byte 0."""

    def __missing__(self, code: int) -> str:
        value = "\x01" if re.fullmatch(r"[^\W_]", chr(code)) else "\x00"
        self[code] = value
        return value


FOLD_TABLE = _FoldTable()
ALNUM_MASK = _AlnumMask()
