"""core/instants.py: the one reading of a client's instant, and the range the engine represents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopwarden.core import instants


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2200-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z"])
def test_instants_outside_the_range_say_the_range(text):
    with pytest.raises(ValueError, match="1970-01-01.*2200-01-01"):
        instants.parse(text)


@pytest.mark.parametrize("text", ["NaN", "inf", "2016-12-31T23:59:60Z", "+10000-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "", "2026-02-30T00:00:00Z"])
def test_what_is_not_iso_8601_is_refused(text):
    with pytest.raises(ValueError, match="not an ISO 8601 time"):
        instants.parse(text)


def test_a_naive_time_needs_a_zone_from_the_caller():
    with pytest.raises(ValueError, match="no zone"):
        instants.parse("2026-03-01T08:00:00")
    assert instants.parse("2026-03-01T08:00", ZoneInfo("Asia/Shanghai")) == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="1970-01-01"):
        instants.parse("0001-01-01T00:00", ZoneInfo("Asia/Shanghai"))
    with pytest.raises(ValueError, match="no zone"):
        instants.within(datetime(2026, 1, 1))


@given(st.datetimes(timezones=st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)).map(timezone)))
def test_every_aware_datetime_is_an_instant_in_range_or_a_value_error(t):
    try:
        u = instants.parse(t.isoformat())
    except ValueError:
        return
    assert u.tzinfo is UTC and instants.LOW <= u < instants.HIGH and u == t
