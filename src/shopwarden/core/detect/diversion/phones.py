"""Phone numbers, however they are spread, spaced or spelled (DY-DV).

Candidates are runs of digits in the digit view (so 壹叁捌, ①③⑧ and 138OO… are digits by
now) joined by a few separator characters. A run, or a contiguous slice of its digit groups, is
a phone number only if the phonenumbers library parses and validates it for one of the
context's regions (or internationally, after "+" or "00"). Validity is the library's; what
this module adds is how people write numbers, and what else long digit strings are.

Most digit runs in listings are not phone numbers (dates, sizes, SKUs, prices), and asking the
library costs tens of microseconds each. `_may_be_valid` first turns away, in one regex match,
digits no region of the calling code could call valid: the library's own first test, done
without its parsing. Answers are cached, since the same numbers come back across texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, CountryCodeSource, PhoneMetadata, PhoneNumberType

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

_SEP = r"[\s\-/.·_*~()\[\]:,]{0,3}"
# A run starts at a digit or "+" ("00", the other international prefix, is digits anyway).
_RUN = re.compile(rf"\+?\d(?:{_SEP}\d)*")
_GROUP = re.compile(r"\d+")
_LETTERS_BEFORE = re.compile(r"([a-z]+)[\s:\-]?$")
# A number glued to these words is still a phone number ("tel13800138000", "vx138…").
_PHONE_WORDS = frozenset(
    {"tel", "ph", "phone", "mobile", "mob", "hp", "cell", "call", "wa", "whatsapp", "vx", "wx", "v", "qq", "q", "no", "m", "t"}
)
# Numbers that people write without the trunk prefix: everything else in national format must
# carry it ("020-8765 4321"), or a date or SKU that happens to be a valid landline would count.
_NO_TRUNK_NEEDED = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.TOLL_FREE,
     PhoneNumberType.SHARED_COST, PhoneNumberType.UAN}
)  # fmt: skip
_LONGEST_PHONE_WORD = max(map(len, _PHONE_WORDS))
_PLAIN = re.compile(r"^[\d\s\-+()]*$")
MIN_DIGITS, MAX_DIGITS = 7, 15
_MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


class Phone(NamedTuple):
    """What a hit needs of a valid number, worked out once per distinct digit string."""

    e164: str
    mobile: bool


@lru_cache(maxsize=64)
def _trunk_prefix(region: str) -> str:
    metadata = PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix or "") if metadata else ""


def _parse(digits: str, international: bool, region: str) -> Phone | None:
    """The number if phonenumbers calls it valid and it is written the way numbers are."""
    try:
        number = phonenumbers.parse(("+" if international else "") + digits, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    national = number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY
    trunk = _trunk_prefix(region)
    kind = phonenumbers.number_type(number)
    if national and trunk and not digits.startswith(trunk) and kind not in _NO_TRUNK_NEEDED:
        return None
    return Phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), kind in _MOBILE)


@cache
def _shapes(country_code: int) -> tuple[tuple[tuple[int, ...], re.Pattern[str]], ...] | None:
    """(possible lengths, pattern) of the general description of every region with this calling
    code; None where a region rewrites national numbers while parsing (no shortcut there)."""
    shapes = []
    for region in COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        if region == "001":
            metadata = PhoneMetadata.metadata_for_nongeo_region(country_code)
        else:
            metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.national_prefix_transform_rule or metadata.general_desc is None:
            return None
        desc = metadata.general_desc
        shapes.append((tuple(desc.possible_length), re.compile(desc.national_number_pattern or "")))
    return tuple(shapes)


def _may_be_valid(digits: str, country_code: int) -> bool:
    """False only if phonenumbers would reject `digits` under this calling code: whatever the
    parser strips (a trunk or carrier prefix) comes off the front, so the national number is a
    suffix, and a valid one matches some region's general description at a possible length."""
    shapes = _shapes(country_code)
    if shapes is None:
        return True
    size = len(digits)
    for lengths, pattern in shapes:
        for n in lengths or range(1, size + 1):
            if n <= size and pattern.fullmatch(digits, size - n):
                return True
    return False


@lru_cache(maxsize=64)
def _region_prefixes(region: str) -> tuple[int, re.Pattern[str] | None]:
    """The region's calling code and international dialling prefix ("00" in China)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return 0, None
    return metadata.country_code or 0, re.compile(metadata.international_prefix) if metadata.international_prefix else None


def _country_code(digits: str) -> int:
    """The calling code a number written after "+" starts with, as the library reads it; 0 if none."""
    if digits.startswith("0"):
        return 0
    for k in range(1, min(3, len(digits)) + 1):
        if int(digits[:k]) in COUNTRY_CODE_TO_REGION_CODE:
            return int(digits[:k])
    return 0


@lru_cache(maxsize=8192)
def _valid(digits: str, international: bool, regions: tuple[str, ...]) -> Phone | None:
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS + 2:
        return None
    if international:
        code = _country_code(digits)
        if not code or not _may_be_valid(digits[len(str(code)) :], code):
            return None
        return _parse(digits, True, "ZZ")
    for region in regions:
        code, dialling_out = _region_prefixes(region)
        # "00…" may name another country
        if (dialling_out is None or not dialling_out.match(digits)) and code and not _may_be_valid(digits, code):
            continue
        number = _parse(digits, False, region)
        if number is not None:
            return number
    return None


def _glued_to_word(text: str, start: int, end: int) -> bool:
    """Digits glued to letters are a model, SKU or unit ("13800mah", "sc1064…"), unless the
    letters say phone."""
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        return True
    if start == 0 or not text[start - 1].isalpha():
        return False
    # Only as far back as the longest phone word: a longer run of letters is no phone word anyway.
    word = _LETTERS_BEFORE.search(text, max(0, start - _LONGEST_PHONE_WORD - 1), start)
    if word is None:
        return False  # a Chinese character right before the digits
    whole = word.start() == 0 or not ("a" <= text[word.start() - 1] <= "z")
    return not (whole and word.group(1) in _PHONE_WORDS)


def _slices(sizes: list[int]) -> Iterator[tuple[int, int]]:
    """Contiguous group slices (i, j) that could hold one number, longest first from each start:
    a run of several numbers ("138 0013 8000 / 139 1234 5678") splits at group boundaries,
    never inside a group. Only slices of MIN_DIGITS to MAX_DIGITS + 2 digits, so a run of a
    thousand spaced digits costs a thousand small slices, not a million."""
    for i in range(len(sizes)):
        ends, length = [], 0
        for j in range(i + 1, len(sizes) + 1):
            length += sizes[j - 1]
            if length > MAX_DIGITS + 2:
                break
            if length >= MIN_DIGITS:
                ends.append(j)
        yield from ((i, j) for j in reversed(ends))


def find_phones(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.digits
    text = view.text
    hits: list[Hit] = []
    for run in _RUN.finditer(text):
        if run.end() - run.start() < MIN_DIGITS:
            continue  # too short to hold enough digits: prices, sizes, counts
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        if sum(len(g.group()) for g in groups) < MIN_DIGITS or _glued_to_word(text, run.start(), run.end()):
            continue
        international = run.group().startswith("+") or run.group().startswith("00")
        hits.extend(_phones_in_run(norm, groups, international, context))
    return hits


def _phones_in_run(norm: NormalizedText, groups: list[re.Match[str]], international: bool, context: DetectContext) -> list[Hit]:
    hits: list[Hit] = []
    taken = 0
    parts = [g.group() for g in groups]
    for i, j in _slices([len(part) for part in parts]):
        if i < taken:
            continue
        digits = "".join(parts[i:j])
        if international and i == 0 and digits.startswith("00"):
            digits = digits[2:]
        number = _valid(digits, international and i == 0, tuple(context.phone_regions))
        if number is None:
            continue
        hit = _phone_hit(norm, groups[i].start(), groups[j - 1].end(), number, whole=(i == 0 and j == len(groups)))
        if hit is not None:
            hits.append(hit)
        taken = j
    return hits


def _phone_hit(norm: NormalizedText, start: int, end: int, number: Phone, whole: bool) -> Hit | None:
    """A hit for a valid number at digit-view `start:end`, unless its context names an identifier."""
    view = norm.digits
    if start > 0 and view.text[start - 1] == "+":
        start -= 1
    src_start, src_end = view.source_span(start, end)
    contact = cues.has_contact_cue(norm, src_start, src_end)
    if not contact and cues.names_identifier(norm, src_start):
        return None  # "货号 13579246801": an identifier that happens to be a valid number
    written = norm.original[src_start:src_end]
    disguised = not _PLAIN.match(written)
    score = (0.9 if number.mobile else 0.82) + (0.05 if disguised else 0) + (0.06 if contact else 0) - (0 if whole else 0.1)
    e164 = number.e164
    how = "a disguised phone number" if disguised else "a phone number"
    how_zh = "变体书写的电话号码" if disguised else "电话号码"
    return Hit.on(view, start, end, "phone", score, f"{how} ({e164})", f"{how_zh}（{e164}）", e164)
