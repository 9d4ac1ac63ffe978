"""Time arithmetic of the rules (TIME-1): calendar-day periods, calendar resets, working days.

Every function takes its instants as arguments; nothing here reads a clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

UTC = UTC


def as_utc(t: datetime) -> datetime:
    """An aware UTC instant; a naive one is taken to be UTC already."""
    if t.tzinfo is None:
        return t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def add_days(start: datetime, days: int) -> datetime:
    """TIME-1: a period of N calendar days ends exactly N x 24 hours after its start."""
    return start + timedelta(days=days)


def next_period_start(t: datetime, period: str, tz: str) -> datetime:
    """The first instant of the calendar period (month/quarter/year, in `tz`) after the one holding `t`."""
    local = as_utc(t).astimezone(ZoneInfo(tz))
    step = {"month": 1, "quarter": 3, "year": 12}[period]
    first_month = ((local.month - 1) // step) * step + 1
    month_index = local.year * 12 + (first_month - 1) + step
    year, month0 = divmod(month_index, 12)
    start = datetime(year, month0 + 1, 1, tzinfo=ZoneInfo(tz))
    return start.astimezone(UTC)


def is_working_day(day: date, weekend: frozenset[int], holidays: frozenset[date], workdays: frozenset[date]) -> bool:
    """A working day skips the weekend and holidays; make-up working days (调休) count although on a weekend."""
    if day in workdays:
        return True
    return day.weekday() not in weekend and day not in holidays


def add_working_days(
    start: datetime,
    days: int,
    tz: str,
    weekend: frozenset[int],
    holidays: frozenset[date],
    workdays: frozenset[date] = frozenset(),
) -> datetime:
    """The instant `days` working days after `start`: same local time of day, on the Nth working day after."""
    local = as_utc(start).astimezone(ZoneInfo(tz))
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, weekend, holidays, workdays):
            counted += 1
    end = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=ZoneInfo(tz))
    return end.astimezone(UTC)
