"""The digit view: numbers written in disguise become ASCII digits, but only inside digit runs.

Sellers spell phone numbers as 一三八…, 壹叁捌…, 幺/洞/拐/勾 (radio-style 1, 0, 7, 9), English
number words, or with look-alike letters (O for 0, l and I for 1). Converting those everywhere
would mangle ordinary words ("V领", "lol", "一五一十"), so a character is converted only as part
of a run of at least MIN_DIGITS digit-like units, separated by at most a few separator
characters, and a look-alike letter only when its whole letter group is look-alikes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from shopwarden.core.text.offsets import View, ViewBuilder

MIN_DIGITS = 4

CHINESE_DIGITS = {
    **dict.fromkeys("零〇洞", "0"),
    **dict.fromkeys("一壹幺", "1"),
    **dict.fromkeys("二贰两", "2"),
    **dict.fromkeys("三叁参", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆", "6"),
    **dict.fromkeys("七柒拐", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖勾", "9"),
}
LOOKALIKES = {"o": "0", "l": "1", "i": "1", "|": "1"}
NUMBER_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip



def _after_first(word: str) -> str:
    """`word` as a whole word, its "no letter before" test placed after the first letter: a
    pattern that opens with a letter keeps the regex engine's quick first-character check."""
    return f"{re.escape(word[0])}(?<![a-z]{re.escape(word[0])}){re.escape(word[1:])}"


_NUMERAL = "[" + "".join(CHINESE_DIGITS) + "]"
_WORD = "(?:" + "|".join(_after_first(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![a-z])"
_LOOKALIKE_GROUP = r"[oli|](?<![a-z][oli|])[oli|]*(?![a-z])"
_UNIT = rf"(?:[0-9]|{_NUMERAL}|{_WORD}|{_LOOKALIKE_GROUP})"
_SEP = r"[\s\-/.,_·~*:()\[\]]{0,3}"
_RUN = re.compile(rf"{_UNIT}(?:{_SEP}{_UNIT})*")
_UNIT_RE = re.compile(_UNIT)
_HAS_CANDIDATE = re.compile(rf"{_NUMERAL}|{_WORD}|{_LOOKALIKE_GROUP}")


def _unit_digits(unit: str) -> str:
    if unit in NUMBER_WORDS:
        return NUMBER_WORDS[unit]
    return "".join(CHINESE_DIGITS.get(c) or LOOKALIKES.get(c) or c for c in unit)


def _qualifies(units: list[str]) -> bool:
    """A run is a number in disguise when it has enough real digit units and look-alike letters
    are the minority (so "l0l" or "ooo" alone never become digits)."""
    lookalike = sum(1 for u in units if u[0] in LOOKALIKES)
    digits = len(units) - lookalike
    return digits >= MIN_DIGITS and lookalike <= digits


_SEP_CHARS = frozenset(" \t\n\r\f\v-/.,_·~*:()[]")


def _runs(text: str, first: int = 0) -> Iterator[re.Match[str]]:
    """The runs of `_RUN.finditer(text)` that hold a disguised-digit candidate, found from the
    candidates instead of trying the run pattern at every letter of the text: a run that holds a
    candidate starts at the first ASCII digit of the digits-and-short-gaps stretch before its first
    candidate (any other unit before it would be a candidate itself)."""
    covered = 0
    for candidate in _HAS_CANDIDATE.finditer(text, first):
        at = candidate.start()
        if at < covered:
            continue
        start, gap, k = at, 0, at - 1
        while k >= covered:
            ch = text[k]
            if "0" <= ch <= "9":
                start, gap = k, 0
            elif ch in _SEP_CHARS and gap < 3:
                gap += 1
            else:
                break
            k -= 1
        run = _RUN.match(text, start)
        if run is None or run.end() <= at:
            yield from (r for r in _RUN.finditer(text, covered) if _HAS_CANDIDATE.search(text, r.start(), r.end()))
            return  # not the shape assumed: read the rest the plain way
        covered = run.end()
        yield run


def digit_view(folded: View) -> View:
    """`folded` with disguised digits in qualifying runs replaced by ASCII digits."""
    text = folded.text
    first = _HAS_CANDIDATE.search(text)
    if first is None:
        return folded  # nothing to convert: share the folded view
    builder = ViewBuilder(folded)
    done = 0
    for run in _runs(text, first.start()):
        if run.end() - run.start() < MIN_DIGITS or not _HAS_CANDIDATE.search(text, run.start(), run.end()):
            continue  # plain ASCII digits: nothing to convert
        units = list(_UNIT_RE.finditer(text, run.start(), run.end()))
        if not _qualifies([u.group() for u in units]):
            continue
        for unit in units:
            value = unit.group()
            if value.isascii() and value.isdigit():
                continue  # stays in the kept stretch
            builder.keep(done, unit.start())
            if value in NUMBER_WORDS:
                builder.replace(unit.start(), unit.end(), NUMBER_WORDS[value])
            else:
                for k, ch in enumerate(value):  # one-to-one: each keeps its own offset
                    builder.replace(unit.start() + k, unit.start() + k + 1, _unit_digits(ch))
            done = unit.end()
    if done == 0:
        return folded
    builder.keep(done, len(text))
    return builder.build()
