"""`shopwarden experience roll` and what a page does when its day's peers are not rolled (DY-QL-2, DY-QL-5),
on SQLite and PostgreSQL: the roll keeps each day's peers once, equal to a build from the day sums, and
is idempotent; a page never rolls a large market itself but serves the last rolled day's peers and
says which day that is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.core.quality.window import start_of
from shopwarden.errors import Forbidden, InvalidInput, Unavailable
from shopwarden.service import experience
from shopwarden.service.auth import Principal
from shopwarden.store import experience as store
from tests.conftest import T0
from tests.store.test_experience_counts import PLATFORM, from_scratch, small_market

D, H = timedelta(days=1), timedelta(hours=1)
DAY = (T0 + 120 * D).date()


def _market(ctx):
    pack, rules = small_market(ctx, 11, 90)
    return pack, rules, experience.market_of(pack, rules)


def test_roll_keeps_each_day_once_equal_to_a_build_from_scratch_and_is_idempotent(ctx):
    # rule DY-QL-2: the industries' peers rolled a day at a time (one transaction each) equal a build
    # from the window's day sums, for the day rolled to and the trend's days before it
    pack, rules, market = _market(ctx)
    ctx.clock.now = start_of(DAY) + 5 * H
    seen = []
    rolled = experience.roll(ctx, PLATFORM, progress=lambda *a: seen.append(a))
    assert [(r.market, r.was, r.day, r.days) for r in rolled] == [(market.key, None, DAY, experience.TREND_DAYS)]
    days = [DAY - k * D for k in range(experience.TREND_DAYS - 1, -1, -1)]
    assert seen == [(market.key, d, k, len(days)) for k, d in enumerate(days, 1)]
    with ctx.db.read() as s:
        kept = store.snapshots(s, days, market.key)
        assert store.rolled_day(s, market.key) == DAY
    assert all(kept[d] == from_scratch(ctx, rules, d) for d in days)

    again = experience.roll(ctx, PLATFORM)  # idempotent: nothing to do
    assert [(r.was, r.day, r.days) for r in again] == [(DAY, DAY, 0)]
    ctx.clock.now += 2 * D
    later = experience.roll(ctx, PLATFORM)  # two days on: two days rolled
    assert [(r.was, r.day, r.days) for r in later] == [(DAY, DAY + 2 * D, 2)]
    with ctx.db.read() as s:
        assert store.snapshot(s, DAY + 2 * D, market.key) == from_scratch(ctx, rules, DAY + 2 * D)


def test_roll_refuses_a_future_day_and_a_seller(ctx):
    # rule DY-QL-2: a day's peers stand once the day has begun; rolling is the platform's job
    _market(ctx)
    ctx.clock.now = start_of(DAY) + 5 * H
    with pytest.raises(InvalidInput) as bad:
        experience.roll(ctx, PLATFORM, to=DAY + D)
    assert bad.value.errors[0].field == "to" and "after today" in bad.value.errors[0].message
    with pytest.raises(Forbidden):
        experience.roll(ctx, Principal("s", "seller", "s1"))


def test_a_page_never_rolls_a_large_market_and_states_the_day_of_its_peers(ctx, monkeypatch):
    # rule DY-QL-5: the page of a market too large to roll within a page (here: any) shows the last
    # rolled day's peers and says so; `roll` brings it to the day; never rolled at all: 503 naming the command
    monkeypatch.setattr(experience, "INLINE_ROWS", -1)  # even a roll reading nothing is too large
    pack, rules, market = _market(ctx)
    ctx.clock.now = start_of(DAY) + 5 * H
    with pytest.raises(Unavailable) as unavailable:
        experience.page(ctx, PLATFORM, "s1", None)
    assert unavailable.value.status == 503 and "shopwarden experience roll" in unavailable.value.detail

    experience.roll(ctx, PLATFORM)
    current = experience.page(ctx, PLATFORM, "s1", None).as_json()
    assert current["peers_day"] == DAY and current["peers_current"] is True
    assert [p["peers_day"] for p in current["trend"]] == [DAY - k * D for k in range(experience.TREND_DAYS - 1, -1, -1)]

    ctx.clock.now += D  # a new day, not rolled yet
    stale = experience.page(ctx, PLATFORM, "s1", None).as_json()
    assert stale["peers_day"] == DAY and stale["peers_current"] is False
    assert stale["trend"][-1]["peers_day"] == DAY and stale["trend"][-2]["peers_day"] == DAY
    with ctx.db.read() as s:
        assert store.rolled_day(s, market.key) == DAY  # the page rolled nothing

    experience.roll(ctx, PLATFORM)
    rolled = experience.page(ctx, PLATFORM, "s1", None).as_json()
    assert rolled["peers_day"] == DAY + D and rolled["peers_current"] is True
    monkeypatch.setattr(experience, "INLINE_ROWS", 10**9)  # the same page where a page may roll: the same answer
    assert experience.page(ctx, PLATFORM, "s1", None).as_json() == rolled
