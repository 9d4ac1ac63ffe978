"""The pages' two languages (zh-CN, en): Babel catalogues and the forms of dates and numbers.

The `.po` files under `locale/` are the source; they are compiled in memory the first time a
language is used, so a clean checkout needs no build step. To refresh them after editing
templates: `pybabel extract -F babel.cfg -o src/shopwarden/web/locale/messages.pot src/shopwarden/web`
then `pybabel update -i …/messages.pot -d src/shopwarden/web/locale`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_timezone_gmt
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from shopwarden.core import instants

LOCALE_DIR = Path(__file__).with_name("locale")
LANGS = {"zh-CN": "zh_CN", "en": "en"}  # what a cookie or a link says -> Babel's catalogue and locale
DEFAULT = "zh-CN"
COOKIE = "sw_lang"


def N_(message: str) -> str:
    """Marks a text for the catalogue; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> Translations:
    """The catalogue of `lang` ('zh-CN' or 'en'), compiled from its .po file once per process."""
    code = LANGS[lang]
    with (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=code)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain="messages")


def choose(cookie: str | None, role: str | None, accept: str | None) -> str:
    """The language of a request: the switch's cookie; else Chinese for sellers (and visitors),
    and for operators whichever of the two their browser lists first."""
    if cookie in LANGS:
        return cookie
    if role in ("operator", "platform") and accept:
        for part in accept.split(","):
            tag = part.split(";")[0].strip().lower()
            if tag.startswith("zh"):
                return "zh-CN"
            if tag.startswith("en"):
                return "en"
    return DEFAULT


@dataclass(frozen=True)
class Formats:
    """Dates in a shop's time zone and numbers, in one language's form."""

    lang: str

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    def when(self, t: datetime | None, tz: str = "UTC") -> str:
        if t is None:
            return "—"
        local = t.astimezone(ZoneInfo(tz))
        return f"{format_date(local, 'medium', locale=self.locale)} {format_time(local, 'short', locale=self.locale)} {get_timezone_gmt(local, locale=self.locale)}"

    def day(self, t: datetime | None, tz: str = "UTC") -> str:
        return "—" if t is None else format_date(t.astimezone(ZoneInfo(tz)), "medium", locale=self.locale)

    def until(self, t: datetime, now: datetime) -> str:
        """'in 3 days' / '3 days ago' (3天后 / 3天前)."""
        return format_timedelta(t - now, locale=self.locale, add_direction=True, threshold=1.5)

    def num(self, x: float | int | None) -> str:
        return "—" if x is None else format_decimal(x, locale=self.locale)

    def cents(self, x: float | None) -> str:
        """An amount of money to the cent (CR-10: 19.9 is 19.90)."""
        return "—" if x is None else format_decimal(x, "#,##0.00", locale=self.locale)

    def pct(self, x: float) -> str:
        return format_percent(x, locale=self.locale)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LANGS[lang])


def local_input(value: str, tz: str) -> datetime:
    """A `datetime-local` form value read in the shop's time zone (ValueError, with the reason, when malformed or out of range)."""
    return instants.parse(value, ZoneInfo(tz))


def as_input(t: datetime, tz: str) -> str:
    return t.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")


