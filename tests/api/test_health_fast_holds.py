"""`standing.holds_until`, on which the health cache rests: over random ledgers, the fold gives the same
standing (but for `at`) at every instant from `at` up to the instant it names, and that instant is
one the ledger names (an event, an expiry or a sanction's end), never an arbitrary later one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopwarden.core.ledger.events import ViolationIssued
from shopwarden.core.ledger.standing import fold, holds_until
from tests.core.ledger_factory import T0, Ledger, douyin_pack, tiktok_pack

PACKS = {"tiktok": tiktok_pack(), "short-expiry": tiktok_pack(expiry_days=45), "douyin": douyin_pack()}
MINUTE = timedelta(minutes=1)


@st.composite
def ledgers(draw):
    """(pack, events): 0-30 violations over ~300 days, some appealed or revoked later (possibly before issue)."""
    pack = PACKS[draw(st.sampled_from(sorted(PACKS)))]
    classes = [c.id for c in pack.point_classes]
    minutes = st.integers(0, 300 * 1440)
    led = Ledger(pack)
    for i in range(draw(st.integers(0, 30))):
        v = led.issue(f"v{i}", T0 + timedelta(minutes=draw(minutes)), draw(st.integers(0, 20)), draw(st.sampled_from(classes)))
        later = (v.at - T0).total_seconds() / 86400 + draw(st.integers(-2, 60))
        match draw(st.sampled_from(["none", "none", "granted", "rejected", "revoked"])):
            case "granted" | "rejected" as outcome:
                led.appeal(v.violation_id, later, later + draw(st.integers(0, 20)), outcome)
            case "revoked":
                led.revoke(v.violation_id, later)
    return pack, led.events


def _same_but_at(a, b) -> bool:
    return replace(b, at=a.at) == a


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ledgers(), st.integers(-10 * 1440, 400 * 1440), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4))
def test_the_standing_holds_until_the_named_instant(ledger, offset, fractions):
    pack, events = ledger
    at = T0 + timedelta(minutes=offset)
    st_at = fold(pack, events, at)
    until = holds_until(events, st_at)
    moments = {e.at for e in events} | {e.expires_at for e in events if isinstance(e, ViolationIssued)} | {s.ends_at for s in st_at.history}
    if until is None:
        probes = [at + timedelta(days=2000 * f) for f in fractions]
    else:
        assert until > at and until in moments
        last = until - timedelta(microseconds=1)
        probes = [min(at + (until - at) * f, last) for f in fractions] + [last]  # timedelta * float rounds
    for t in probes:
        assert _same_but_at(st_at, fold(pack, events, t)), t


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ledgers(), st.integers(-10 * 1440, 400 * 1440))
def test_the_named_instant_is_not_later_than_the_first_change(ledger, offset):
    """Walking the ledger's own moments after `at`: the first one where the fold differs is at or after `until`."""
    pack, events = ledger
    at = T0 + timedelta(minutes=offset)
    st_at = fold(pack, events, at)
    until = holds_until(events, st_at)
    moments = sorted({e.at for e in events} | {e.expires_at for e in events if isinstance(e, ViolationIssued)} | {s.ends_at for s in st_at.history if s.ends_at})
    for t in (m for m in moments if m > at):
        if not _same_but_at(st_at, fold(pack, events, t)):
            assert until is not None and until <= t
            return
