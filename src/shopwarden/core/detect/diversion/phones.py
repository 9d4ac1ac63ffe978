"""Phone numbers, however they are spread, spaced or spelled (DY-DV).

Candidates are runs of digits in the digit view (so 壹叁捌, ①③⑧ and 138OO… are digits by
now) joined by a few separator characters. A run, or a contiguous slice of its digit groups, is
a phone number only if the phonenumbers library parses and validates it for one of the
context's regions (or internationally, after "+" or "00"). Validity is the library's; what
this module adds is how people write numbers, and what else long digit strings are.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import CountryCodeSource, PhoneMetadata, PhoneNumberType

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

_SEP = r"[\s\-/.·_*~()\[\]:,]{0,3}"
_RUN = re.compile(rf"(?:\+|(?<!\d)00)?\d(?:{_SEP}\d)*")
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
_PLAIN = re.compile(r"^[\d\s\-+()]*$")
MIN_DIGITS, MAX_DIGITS = 7, 15


@lru_cache(maxsize=64)
def _trunk_prefix(region: str) -> str:
    metadata = PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix or "") if metadata else ""


def _parse(digits: str, international: bool, region: str) -> phonenumbers.PhoneNumber | None:
    """The number if phonenumbers calls it valid and it is written the way numbers are."""
    try:
        number = phonenumbers.parse(("+" if international else "") + digits, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    national = number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY
    trunk = _trunk_prefix(region)
    if national and trunk and not digits.startswith(trunk) and phonenumbers.number_type(number) not in _NO_TRUNK_NEEDED:
        return None
    return number


def _valid(digits: str, international: bool, context: DetectContext) -> phonenumbers.PhoneNumber | None:
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS + 2:
        return None
    if international:
        return _parse(digits, True, "ZZ")
    for region in context.phone_regions:
        number = _parse(digits, False, region)
        if number is not None:
            return number
    return None


def _glued_to_word(text: str, start: int, end: int) -> bool:
    """Digits glued to letters are a model, SKU or unit ("13800mah", "sc1064…"), unless the
    letters say phone."""
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        return True
    word = _LETTERS_BEFORE.search(text, 0, start)
    return bool(word and word.end() == start and word.group(1) not in _PHONE_WORDS and text[start - 1].isalpha())


def _slices(groups: list[re.Match]):
    """Contiguous group slices (i, j) short enough to be one number, longest first from each
    start: a run of several numbers ("138 0013 8000 / 139 1234 5678") splits at group
    boundaries, never inside a group. Bounded by MAX_DIGITS, so a run of a thousand spaced
    digits costs a thousand small slices, not a million."""
    for i in range(len(groups)):
        ends, length = [], 0
        for j in range(i + 1, len(groups) + 1):
            length += len(groups[j - 1].group())
            if length > MAX_DIGITS + 2:
                break
            ends.append(j)
        yield from ((i, j) for j in reversed(ends))


def find_phones(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.digits
    text = view.text
    hits: list[Hit] = []
    for run in _RUN.finditer(text):
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        if sum(len(g.group()) for g in groups) < MIN_DIGITS or _glued_to_word(text, run.start(), run.end()):
            continue
        international = run.group().startswith("+") or run.group().startswith("00")
        hits.extend(_phones_in_run(norm, groups, international, context))
    return hits


def _phones_in_run(norm: NormalizedText, groups: list[re.Match], international: bool, context: DetectContext) -> list[Hit]:
    hits: list[Hit] = []
    taken = 0
    for i, j in _slices(groups):
        if i < taken:
            continue
        digits = "".join(g.group() for g in groups[i:j])
        if international and i == 0 and digits.startswith("00"):
            digits = digits[2:]
        number = _valid(digits, international and i == 0, context)
        if number is None:
            continue
        hit = _phone_hit(norm, groups[i].start(), groups[j - 1].end(), number, whole=(i == 0 and j == len(groups)))
        if hit is not None:
            hits.append(hit)
        taken = j
    return hits


def _phone_hit(norm: NormalizedText, start: int, end: int, number: phonenumbers.PhoneNumber, whole: bool) -> Hit | None:
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
    mobile = phonenumbers.number_type(number) in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    score = (0.9 if mobile else 0.82) + (0.05 if disguised else 0) + (0.06 if contact else 0) - (0 if whole else 0.1)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    how = "a disguised phone number" if disguised else "a phone number"
    how_zh = "变体书写的电话号码" if disguised else "电话号码"
    return Hit.on(view, start, end, "phone", score, f"{how} ({e164})", f"{how_zh}（{e164}）", e164)
