"""When a violation's points stop counting (TT-PTS-2): rolling days from issue, or a calendar reset."""

from __future__ import annotations

from datetime import datetime

from shopwarden.core.periods import add_days, as_utc, next_period_start
from shopwarden.core.policy.schema import CalendarExpiry, PolicyPack


def expires_at(pack: PolicyPack, point_class: str, issued_at: datetime) -> datetime:
    """TIME-1: points count while `t < expires_at`."""
    expiry = pack.classes[point_class].expiry
    if isinstance(expiry, CalendarExpiry):
        return next_period_start(issued_at, expiry.period, expiry.timezone)
    return add_days(as_utc(issued_at), expiry.days)
