"""Brands and shops' brand qualifications (DY-BR, DY-BQ-1), as the service layer loads them.

Plain frozen records: the database fills them, detectors read them. Categories are paths
("home/bedding/pillowcases"); a category prefix covers everything below it, segment by
segment, so "home/bedding" covers "home/bedding/pillowcases" but not "home/beddings".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

QualificationStatus = Literal["pending", "approved", "rejected", "expired", "revoked"]
QUALIFICATION_STATUSES: tuple[QualificationStatus, ...] = ("pending", "approved", "rejected", "expired", "revoked")


def aware(moment: datetime) -> datetime:
    """A naive time (as SQLite hands them back) is read as UTC, so it compares with aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def category_covers(prefix: str, category: str) -> bool:
    """Whether category path `prefix` covers `category` (itself or anything below it)."""
    prefix, category = prefix.strip("/").lower(), category.strip("/").lower()
    return category == prefix or category.startswith(prefix + "/")


def covers_any(prefixes: tuple[str, ...], category: str | None) -> bool:
    """An empty tuple covers every category; an unknown category (None) is not held against anyone."""
    return not prefixes or category is None or any(category_covers(p, category) for p in prefixes)


@dataclass(frozen=True, slots=True)
class Brand:
    """A brand in the platform's registry.

    `aliases` are other spellings sellers use (Chinese, English, pinyin). `restricted` brands
    need an authorization in enterprise and individual shops and may not be sold by personal
    shops at all (DY-BR). `registered` marks a registered trademark whose owner's rights DY-IP
    protects. `categories` limits where the name means this brand (a brand called 小米 is not
    the millet in "food/grain"); empty means everywhere.
    """

    brand_id: str
    name: str
    aliases: tuple[str, ...] = ()
    restricted: bool = False
    owner: str | None = None
    registered: bool = True
    categories: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """The name and its aliases, each once, in that order."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True, slots=True)
class Qualification:
    """A shop's brand qualification (DY-BQ-1): a registration number (R mark) or an application
    number (TM), the categories it is linked to, its validity and its review status."""

    qualification_id: str
    shop_id: str
    brand_id: str
    trademark_no: str
    mark: Literal["R", "TM"]
    categories: tuple[str, ...]
    valid_from: datetime
    valid_to: datetime | None
    status: QualificationStatus

    def __post_init__(self) -> None:
        if self.status not in QUALIFICATION_STATUSES:
            raise ValueError(f"qualification status {self.status!r} is not one of {QUALIFICATION_STATUSES}")
        if self.mark not in ("R", "TM"):
            raise ValueError(f"qualification mark {self.mark!r} is not 'R' or 'TM'")
        object.__setattr__(self, "valid_from", aware(self.valid_from))
        if self.valid_to is not None:
            object.__setattr__(self, "valid_to", aware(self.valid_to))

    def ended(self, at: datetime | None) -> bool:
        """Past its valid_to (exclusive) at `at`; never without a moment or an end."""
        return at is not None and self.valid_to is not None and aware(at) >= self.valid_to

    def in_force(self, at: datetime | None) -> bool:
        """Within its dates at `at` (valid_to exclusive). Without a moment, dates are not judged."""
        if at is None:
            return True
        return self.valid_from <= aware(at) and not self.ended(at)

    def covers(self, category: str | None) -> bool:
        return covers_any(self.categories, category)

    def is_valid(self, at: datetime | None, category: str | None = None) -> bool:
        """Approved, in force at `at` and linked to `category` (by prefix; no categories = any)."""
        return self.status == "approved" and self.in_force(at) and self.covers(category)
