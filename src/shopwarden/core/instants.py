"""Instants a client may send: one parser for the API (`schemas.Instant`, and so the fast health
path), the pages and the CLI, and the range the engine can represent.

Everything refused here is a `ValueError` whose message the caller puts beside the field's name:
text that is not ISO 8601, a time without a zone (unless the caller says which zone to read it
in), and an instant outside LOW..HIGH. The last includes instants Python itself cannot convert,
such as `9999-12-31T23:59:59-14:00`, whose UTC time lies in year 10000 (`astimezone` raises
OverflowError there, which must never reach a client as a 500).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

UTC = UTC
LOW = datetime(1970, 1, 1, tzinfo=UTC)
HIGH = datetime(2200, 1, 1, tzinfo=UTC)  # exclusive
RANGE = "must lie between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z (UTC, the end excluded)"
NO_ZONE = "has no zone; add Z or an offset such as +08:00"


def within(t: datetime) -> datetime:
    """`t` in UTC when it is aware and in LOW..HIGH; ValueError otherwise."""
    try:
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError(NO_ZONE)
        u = t.astimezone(UTC)
    except OverflowError:  # the UTC time is before year 1 or after 9999
        raise ValueError(RANGE) from None
    if not LOW <= u < HIGH:
        raise ValueError(RANGE)
    return u


def parse(text: str, zone: tzinfo | None = None) -> datetime:
    """ISO 8601 text as a UTC instant in range. A time without a zone is read in `zone`, or refused when none is given."""
    if not isinstance(text, str):
        raise ValueError("must be an ISO 8601 time with a zone")
    try:
        t = datetime.fromisoformat(text.strip())
    except (ValueError, OverflowError):
        raise ValueError(f"{text[:64]!r} is not an ISO 8601 time such as 2026-03-01T08:00:00Z (no leap seconds)") from None
    if t.tzinfo is None:
        if zone is None:
            raise ValueError(f"{text[:64]!r} {NO_ZONE}")
        t = t.replace(tzinfo=zone)
    return within(t)
