"""The console's timeline reads `?at=` with core/instants.py: out of range or malformed is a 422 page, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-01-01T00:00", "2200-01-01T08:00", "2016-12-31T23:59:60", "NaN", "99999-01-01T00:00",
                                "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_the_timeline_refuses_times_it_cannot_replay(as_role, at):
    r = as_role("operator").get("/console/shops/web-a", params={"at": at})
    assert r.status_code == 422, r.status_code
    assert "YYYY-MM-DD" in r.text
