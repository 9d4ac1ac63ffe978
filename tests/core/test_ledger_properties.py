"""Invariants of the ledger fold over random histories (hypothesis).

A history is 0-40 violations of 0-20 points over ~400 days, some appealed (granted or
rejected) later, under a TikTok-like pack, the same with a short expiry (so sanctions outlive
points), or a Douyin-like two-class pack. Times are either whole days (simultaneous events
are common) or minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_factory import T0, Ledger, douyin_pack, in_force_keys, notice_tuple, standing_tuple, tiktok_pack

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import Standing, fold

PACKS = {"tiktok": tiktok_pack(), "short-expiry": tiktok_pack(expiry_days=45), "douyin": douyin_pack()}
DAY = 1440  # minutes
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def histories(draw):
    """(pack, events): violations with random points and times, some appealed and decided later."""
    pack = PACKS[draw(st.sampled_from(sorted(PACKS)))]
    classes = [c.id for c in pack.point_classes]
    whole_days = draw(st.booleans())
    offset = st.integers(0, 400).map(lambda d: d * DAY) if whole_days else st.integers(0, 400 * DAY)
    delay = st.integers(0, 40).map(lambda d: d * DAY) if whole_days else st.integers(0, 40 * DAY)
    led = Ledger(pack)
    for i in range(draw(st.integers(0, 40))):
        v = led.issue(f"v{i}", T0 + timedelta(minutes=draw(offset)), draw(st.integers(0, 20)), draw(st.sampled_from(classes)))
        appeal = draw(st.none() | st.tuples(delay, delay, st.sampled_from(["granted", "rejected"])))
        if appeal is not None:
            filed = v.at + timedelta(minutes=appeal[0])
            decided = filed + timedelta(minutes=appeal[1])
            led.events.append(AppealFiled(f"a{i}", v.violation_id, 1, filed))
            led.events.append(AppealDecided(f"a{i}", v.violation_id, appeal[2], decided, "test", "op-1"))
    events = led.events
    return pack, draw(st.permutations(events)) if len(events) < 12 else events


def _moments(events: list[Event]) -> list[datetime]:
    """Every instant where something may change: issues, expiries, appeals, revocations."""
    out = {e.at for e in events}
    out |= {e.expires_at for e in events if isinstance(e, ViolationIssued)}
    return sorted(out)


def _probes(draw, events: list[Event], at_least: datetime | None = None) -> list[datetime]:
    """A few random instants and a sample of the history's own moments, all >= `at_least`."""
    start = at_least or T0 - timedelta(days=1)
    span = int((T0 + timedelta(days=620) - start).total_seconds() // 60)
    randoms = draw(st.lists(st.integers(0, max(span, 0)), min_size=1, max_size=4))
    moments = [t for t in _moments(events) if t >= start]
    picked = draw(st.lists(st.sampled_from(moments), max_size=8)) if moments else []
    return sorted({start + timedelta(minutes=m) for m in randoms} | set(picked) | {start})


def _summary(s: Standing) -> tuple:
    """What a seller's overview shows, per class and overall."""
    return (s.points, s.level, s.next_threshold, s.points_to_next, s.warning, standing_tuple(s)[6])


@PROPERTY
@given(histories())
def test_points_are_never_negative_and_the_active_records_add_up_to_the_total(history):
    # rule TT-PTS-6
    pack, events = history
    for t in _moments(events) + [T0 + timedelta(days=700)]:
        s = fold(pack, events, t)
        assert s.points >= 0 and all(c.points >= 0 for c in s.classes.values())
        assert s.points == sum(v.points for v in s.violations if v.status == "active")
        assert s.points == sum(c.points for c in s.classes.values())


@PROPERTY
@given(histories(), st.data())
def test_the_state_at_t_never_depends_on_events_after_t(history, data):
    # rule TIME-1
    pack, events = history
    for t in _probes(data.draw, events):
        seen = [e for e in events if e.at <= t]
        later: list[Event] = [ViolationRevoked(e.violation_id, t + timedelta(minutes=1), "later") for e in seen if isinstance(e, ViolationIssued)]
        assert standing_tuple(fold(pack, events + later, t)) == standing_tuple(fold(pack, seen, t))


@PROPERTY
@given(histories(), st.data())
def test_a_later_fold_never_rewrites_the_past(history, data):
    # rule TT-APL-5
    pack, events = history
    probes = _probes(data.draw, events)
    last = fold(pack, events, probes[-1])
    for t in probes:
        then = fold(pack, events, t)
        assert [notice_tuple(n) for n in last.notices if n.sent_at <= t] == [notice_tuple(n) for n in then.notices]
        seen_then = {(x.kind, x.threshold, x.point_class, x.starts_at) for x in then.sanctions}
        assert {(x.kind, x.threshold, x.point_class, x.starts_at) for x in last.history if x.in_force(t)} == seen_then


def _revoked_by(events: list[Event], d: datetime) -> set[str]:
    return {e.violation_id for e in events if (isinstance(e, ViolationRevoked) or (isinstance(e, AppealDecided) and e.outcome == "granted")) and e.at <= d}


@PROPERTY
@given(histories(), st.data())
def test_revoking_a_violation_at_d_is_never_issuing_it_from_d_on(history, data):
    # rule TT-APL-5
    pack, events = history
    issued = [e for e in events if isinstance(e, ViolationIssued)]
    if not issued:
        return
    v = data.draw(st.sampled_from(issued))
    d = v.at + timedelta(minutes=data.draw(st.integers(0, 200 * DAY)))
    others = [e for e in events if e.violation_id != v.violation_id]
    revoked = [*others, v, ViolationRevoked(v.violation_id, d, "granted appeal")]
    # standing.py's counterfactual at D: every violation revoked by D never issued. Without an
    # earlier revocation that is simply "v never issued".
    gone = _revoked_by(revoked, d)
    valid_only = [e for e in events if e.violation_id not in gone]
    for t in _probes(data.draw, events, at_least=d):
        actual, never, counterfactual = fold(pack, revoked, t), fold(pack, others, t), fold(pack, valid_only, t)
        assert _summary(actual) == _summary(never) == _summary(counterfactual)
        # A granted appeal never starts or lengthens a sanction, so the shop is never sanctioned
        # more than its unrevoked violations alone would have caused.
        assert in_force_keys(actual) <= in_force_keys(counterfactual)
        assert {k for k, ok in counterfactual.privileges.items() if ok} <= {k for k, ok in actual.privileges.items() if ok}
        if gone == {v.violation_id}:
            assert in_force_keys(actual) <= in_force_keys(never)


@PROPERTY
@given(histories(), st.data())
def test_a_rejected_appeal_changes_nothing_but_its_own_notice(history, data):
    # rule TT-APL-5
    pack, events = history
    rejected = {e.appeal_id for e in events if isinstance(e, AppealDecided) and e.outcome == "rejected"}
    without = [e for e in events if not (isinstance(e, (AppealFiled, AppealDecided)) and e.appeal_id in rejected)]
    for t in _probes(data.draw, events):
        a, b = standing_tuple(fold(pack, events, t)), standing_tuple(fold(pack, without, t))
        assert a[:-1] == b[:-1]
        assert [n for n in a[-1] if not (n[0] == "appeal_decision" and dict(n[4])["subject"] in rejected)] == list(b[-1])
