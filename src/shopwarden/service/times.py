"""Event times: platforms may back-date (API.md); sellers act at server time; nothing is dated in the future."""

from __future__ import annotations

from datetime import datetime, timedelta

from shopwarden.errors import InvalidInput
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context

SKEW = timedelta(minutes=5)


def event_time(ctx: Context, principal: Principal, supplied: datetime | None, field: str) -> datetime:
    now = ctx.clock()
    if supplied is None:
        return now
    if supplied > now + SKEW:
        raise InvalidInput.one(field, f"is in the future ({supplied.isoformat()}); events are recorded when they happen")
    if not principal.may("backdate") and supplied < now - SKEW:
        raise InvalidInput.one(field, "only a platform key may back-date events; omit it to use the server's time")
    return supplied
