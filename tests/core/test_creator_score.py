"""The creator fold (CR-7, CR-8, CR-9, CR-11): a health score down with milestones, or points up
through the shop fold. The rules are built here, so a change to a YAML pack never moves these."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from shopwarden.core.ledger.creator_score import ScoreStanding, creator_fold, score_fold
from shopwarden.core.ledger.events import AppealDecided, CreditEarned, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import Standing
from shopwarden.core.policy.creators import CreatorRules, HealthScoreRules, PointsRules

T0 = datetime(2026, 1, 5, tzinfo=UTC)
FAR = datetime(2200, 1, 1, tzinfo=UTC)
SRC = "test rules"


def day(d: float) -> datetime:
    return T0 + timedelta(days=d)


def _vtype(t: str, severities) -> dict:
    return {"type": t, "name": {"en": t, "zh": t}, "category": "spam_fraud", "severities": severities, "source": SRC}


def health_rules(**over) -> HealthScoreRules:
    data = {
        "model": "health_score", "start_score": 200, "max_score": 1000, "appeal_days": 30, "source": SRC,
        "bands": [{"band": "healthy", "min": 200, "name": {"en": "h", "zh": "h"}},
                  {"band": "attention", "min": 151, "name": {"en": "a", "zh": "a"}},
                  {"band": "unhealthy", "min": 0, "name": {"en": "u", "zh": "u"}}],
        "deductions": {"minor": 10, "general": 25, "serious": 50, "severe": 100},
        "earn": {"order_content": 1, "quiz": 10, "daily_cap": 20, "source": SRC},
        "milestones": [{"score": 150, "measures": [{"kind": "no_recommendation", "days": 7}], "source": SRC},
                       {"score": 100, "measures": [{"kind": "privilege_revoked", "privilege": "live_selling", "days": 30}], "source": SRC},
                       {"score": 0, "measures": [{"kind": "rights_removed"}], "source": SRC}],
        "repeat_rule": {"count": 6, "days": 90, "measures": [{"kind": "rights_removed"}, {"kind": "commission_frozen"}], "source": SRC},
        "violation_types": [_vtype("spam", ["minor", "general", "serious", "severe"]), _vtype("ip", ["minor", "general"])],
    }
    data.update(over)
    return TypeAdapter(CreatorRules).validate_python(data)


def points_rules() -> PointsRules:
    return TypeAdapter(CreatorRules).validate_python({
        "model": "points", "expiry_days": 180, "appeal_days": 30, "warning_margin": 5, "source": SRC,
        "levels": [{"id": "good", "name": {"en": "g", "zh": "g"}}, {"id": "warned", "name": {"en": "w", "zh": "w"}}],
        "thresholds": [{"points": 12, "level": "warned", "measures": [{"kind": "no_recommendation", "days": 7}], "source": SRC},
                       {"points": 24, "level": "warned", "measures": [{"kind": "commission_frozen", "days": 30}], "source": SRC}],
        "violation_types": [_vtype("spam", {"minor": 4, "serious": 12})],
    })


class Ledger:
    def __init__(self, rules: HealthScoreRules):
        self.rules, self.events, self.n = rules, [], 0

    def violation(self, at: datetime, severity: str = "general", vtype: str = "spam") -> str:
        self.n += 1
        vid = f"v{self.n}"
        self.events.append(ViolationIssued(vid, at, vtype, severity, self.rules.deduction(vtype, severity), "score", FAR))
        return vid

    def credit(self, at: datetime, kind: str = "quiz") -> None:
        self.n += 1
        self.events.append(CreditEarned(f"c{self.n}", at, kind, self.rules.earn.amount(kind)))

    def grant(self, vid: str, at: datetime) -> None:
        self.events.append(AppealDecided(f"a-{vid}", vid, "granted", at, "evidence holds", "op"))

    def fold(self, at: datetime) -> ScoreStanding:
        return score_fold(self.rules, self.events, at)


def test_a_new_creator_starts_healthy_and_a_violation_deducts_by_severity():
    # rule CR-7
    led = Ledger(health_rules())
    assert (led.fold(day(0)).score, led.fold(day(0)).band) == (200, "healthy")
    led.violation(day(1), "general")
    st_ = led.fold(day(2))
    assert (st_.score, st_.band, st_.next_milestone) == (175, "attention", 150)
    assert st_.violations[0].deduction == 25 and st_.violations[0].status == "active"


def test_deductions_never_expire():
    # rule CR-7: the score recovers only by earning
    led = Ledger(health_rules())
    led.violation(day(1), "general")
    assert led.fold(day(1000)).score == 175


def test_crossing_a_milestone_starts_its_measures_for_their_full_duration():
    # rule CR-7, CR-9
    led = Ledger(health_rules())
    led.violation(day(1), "serious")  # 150: at the milestone counts (<=)
    st_ = led.fold(day(2))
    assert [(m.kind, m.cause) for m in st_.measures] == [("no_recommendation", "milestone-150")]
    assert st_.privileges["recommendation"] is False and st_.privileges["promote_products"] is True
    assert st_.measures[0].ends_at == day(8)
    later = led.fold(day(8))
    assert later.measures == [] and later.privileges["recommendation"] is True
    assert "measure_ended" in [n.kind for n in later.notices]


def test_a_milestone_starts_again_only_after_the_score_rose_above_it():
    # rule CR-7 (API.md: again only after it rose above and fell again)
    led = Ledger(health_rules())
    led.violation(day(1), "serious")  # 150
    led.violation(day(20), "minor")  # 140: still below, no new instance
    assert len(led.fold(day(21)).history) == 1
    led.credit(day(22))  # 150: not above
    led.credit(day(23))  # 160: above, re-armed
    led.violation(day(24), "minor")  # 150 again
    hist = led.fold(day(25)).history
    assert [(m.cause, m.starts_at) for m in hist] == [("milestone-150", day(1)), ("milestone-150", day(24))]


def test_one_violation_through_two_milestones_starts_both():
    # rule CR-7
    led = Ledger(health_rules())
    led.violation(day(1), "severe")  # 100
    causes = sorted(m.cause for m in led.fold(day(1)).measures)
    assert causes == ["milestone-100", "milestone-150"]
    assert led.fold(day(1)).privileges["live_selling"] is False


def test_earnings_are_capped_per_utc_day_and_a_credit_past_the_cap_is_granted_in_part():
    # rule CR-7: daily cap
    led = Ledger(health_rules())
    led.violation(day(0), "severe")  # 100
    for h in (1, 2, 3):
        led.events.append(CreditEarned(f"q{h}", day(1) + timedelta(hours=h), "quiz", 10))  # 10 + 10 + 0
    for h in (4, 5):
        led.events.append(CreditEarned(f"o{h}", day(1) + timedelta(hours=h), "order_content", 1))
    st_ = led.fold(day(1.9))
    assert [c.granted for c in st_.credits] == [10, 10, 0, 0, 0] and st_.score == 120
    led.events.append(CreditEarned("q-partial", day(2) + timedelta(hours=23), "quiz", 10))
    for i in range(15):
        led.events.append(CreditEarned(f"o-{i}", day(2) + timedelta(hours=1, minutes=i), "order_content", 1))
    st_ = led.fold(day(3))
    assert [c.granted for c in st_.credits if c.credit_id == "q-partial"] == [5]  # 15 used: 5 of the quiz's 10
    assert st_.score == 140


def test_the_score_never_rises_above_max_nor_shows_below_zero():
    # rule CR-7: 0..max_score
    led = Ledger(health_rules(start_score=995))
    led.credit(day(1))
    assert led.fold(day(2)).score == 1000
    led2 = Ledger(health_rules())
    for i in range(3):
        led2.violation(day(1 + i), "severe")
    st_ = led2.fold(day(5))
    assert st_.score == 0 and st_.band == "unhealthy" and st_.privileges["promote_products"] is False
    led2.credit(day(6))  # the debt of -100 is repaid first
    assert led2.fold(day(7)).score == 0


def test_the_same_policy_six_times_in_90_days_removes_rights_whatever_the_score():
    # rule CR-8
    led = Ledger(health_rules())
    for d in range(10):
        led.credit(day(d))  # +200 over ten days: 400
    for i in range(6):
        led.violation(day(20 + 10 * i), "minor")  # 6 within 90 days, score 340: healthy
    st_ = led.fold(day(71))
    assert st_.band == "healthy"
    assert sorted(m.kind for m in st_.measures) == ["commission_frozen", "rights_removed"]
    assert {m.rule for m in st_.measures} == {"CR-8"}
    assert st_.privileges["promote_products"] is False and st_.privileges["commission_payout"] is False


def test_six_violations_spread_over_more_than_90_days_do_not_trigger_the_repeat_rule():
    # rule CR-8
    led = Ledger(health_rules(start_score=1000))
    for i in range(6):
        led.violation(day(20 * i), "minor")  # the 1st is 100 days before the 6th
    assert led.fold(day(101)).measures == []
    led.violation(day(101), "minor", vtype="ip")  # another policy does not count
    assert led.fold(day(102)).measures == []


def test_a_granted_appeal_restores_the_score_and_lifts_what_it_caused():
    # rule CR-11 (TT-APL-5 semantics)
    led = Ledger(health_rules())
    vid = led.violation(day(1), "serious")  # 150: no recommendation until day 8
    led.grant(vid, day(3))
    st_ = led.fold(day(4))
    assert st_.score == 200 and st_.measures == []
    lifted = st_.history[0]
    assert lifted.lifted_at == day(3) and lifted.ends_at == day(3)
    assert [n.kind for n in st_.notices].count("measure_lifted") == 1
    assert st_.violations[0].status == "revoked"
    assert led.fold(day(2)).measures != []  # history before the appeal is not rewritten


def test_a_measure_the_remaining_violations_justify_keeps_running():
    # rule CR-11: lift exactly the measures the revoked violation caused
    led = Ledger(health_rules())
    led.violation(day(1), "serious")  # 150
    v2 = led.violation(day(2), "minor")  # 140
    led.grant(v2, day(3))  # 150 without v2: still at the milestone
    st_ = led.fold(day(4))
    assert [(m.cause, m.ends_at) for m in st_.measures] == [("milestone-150", day(8))]


def test_a_revocation_never_starts_or_lengthens_a_measure():
    # rule CR-11
    led = Ledger(health_rules())
    v1 = led.violation(day(1), "serious")  # 150: until day 8
    led.violation(day(5), "severe")  # 50: 100 milestone until day 35
    led.events.append(ViolationRevoked(v1, day(6), "wrong ticket"))
    st_ = led.fold(day(7))
    # without v1: 200 -> 100 on day 5 crosses 150 (until day 12) and 100; the day-1 instance keeps its earlier end
    assert sorted((m.cause, m.ends_at) for m in st_.measures) == [("milestone-100", day(35)), ("milestone-150", day(8))]
    assert st_.score == 100


def test_a_revoked_repeat_violation_lifts_the_repeat_rule():
    # rule CR-8, CR-11
    led = Ledger(health_rules(start_score=1000))
    vids = [led.violation(day(10 * i), "minor") for i in range(6)]
    assert len(led.fold(day(51)).measures) == 2
    led.grant(vids[0], day(52))
    assert led.fold(day(53)).measures == []


def test_points_model_folds_as_a_shops_ledger_with_a_creator_subject():
    # rule CR-7 (points as TT-PTS-1..5)
    rules = points_rules()
    events: list[Event] = [ViolationIssued("v1", day(1), "spam", "serious", 12, "creator", day(181))]
    st_ = creator_fold(rules, events, day(2))
    assert isinstance(st_, Standing)
    assert (st_.points, st_.level) == (12, "warned")
    assert [s.kind for s in st_.sanctions] == ["no_recommendation"] and st_.privileges["recommendation"] is False
    assert creator_fold(rules, events, day(181)).points == 0  # rolling expiry


def test_the_shipped_packs_carry_both_models():
    # rule CR-7: a shop pack and a creator pack are data
    from shopwarden.service.policies import load_builtin_packs

    packs = load_builtin_packs()
    assert packs["tiktok-shop"].creators.model == "points"
    chr_ = packs["tiktok-shop-chr"]
    assert chr_.creators.model == "health_score" and chr_.creators.start_score == 200
    assert chr_.thresholds == packs["tiktok-shop"].thresholds  # the shop rules are tiktok-shop's (extends)
    assert chr_.creators.repeat_rule.count == 6 and chr_.creators.repeat_rule.days == 90


def test_a_pack_that_extends_an_unknown_pack_says_which_are_known():
    from shopwarden.core.policy.loader import parse_pack
    from shopwarden.errors import PolicyError

    with pytest.raises(PolicyError) as err:
        parse_pack("id: x\nextends: nowhere\n", "x.yaml", {"tiktok-shop": "id: tiktok-shop\n"})
    assert err.value.problems[0].path == "extends" and "tiktok-shop" in err.value.problems[0].hint


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def creator_histories(draw):
    rules = health_rules()
    led = Ledger(rules)
    for _ in range(draw(st.integers(0, 25))):
        at = day(draw(st.integers(0, 200 * 24)) / 24)
        kind = draw(st.sampled_from(["violation", "violation", "credit", "credit_order"]))
        if kind == "violation":
            vid = led.violation(at, draw(st.sampled_from(["minor", "general", "serious", "severe"])), draw(st.sampled_from(["spam", "ip"])))
            if draw(st.integers(0, 3)) == 0:
                led.grant(vid, at + timedelta(hours=draw(st.integers(0, 40 * 24))))
        else:
            led.credit(at, "quiz" if kind == "credit" else "order_content")
    return led


@PROPERTY
@given(creator_histories(), st.integers(0, 260 * 24))
def test_properties_of_the_score(led, hours):
    # rule CR-7, CR-11
    at = day(hours / 24)
    st_ = led.fold(at)
    assert 0 <= st_.score <= led.rules.max_score
    per_day: dict = {}
    for c in st_.credits:
        per_day[c.at.date()] = per_day.get(c.at.date(), 0) + c.granted
        assert 0 <= c.granted <= c.requested
    assert all(v <= led.rules.earn.daily_cap for v in per_day.values())
    # state at `at` never depends on events after `at`
    assert score_fold(led.rules, [e for e in led.events if e.at <= at], at) == st_
    # a measure never ends after its own full duration
    for m in st_.history:
        assert m.lifted_at is None or m.lifted_at == m.ends_at


@PROPERTY
@given(creator_histories(), st.integers(0, 260 * 24), st.sampled_from([200, 1000]))
def test_reading_credits_as_totals_gives_the_same_standing(led, hours, start):
    # rule CR-7: the columnar path (CreditSeries) equals walking every credit, but for the per-credit grants
    from dataclasses import replace

    from shopwarden.core.ledger.credit_series import CreditSeries

    rules = health_rules(start_score=start)
    at = day(hours / 24)
    credits = [e for e in led.events if isinstance(e, CreditEarned)]
    others = [e for e in led.events if not isinstance(e, CreditEarned)]
    slow = score_fold(rules, led.events, at)
    fast = score_fold(rules, others, at, CreditSeries(credits))
    assert replace(fast, credits=[]) == replace(slow, credits=[])


def test_the_daily_cap_over_columns_grants_in_part():
    # rule CR-7: 10 + 10 + 0 on one day, 5 of the next day's quiz after 15 from orders
    from shopwarden.core.ledger.credit_series import CreditSeries

    cs = [CreditEarned(f"q{h}", day(1) + timedelta(hours=h), "quiz", 10) for h in (1, 2, 3)]
    cs += [CreditEarned(f"o{i}", day(2) + timedelta(hours=1, minutes=i), "order_content", 1) for i in range(15)]
    cs += [CreditEarned("late", day(2) + timedelta(hours=23), "quiz", 10)]
    series = CreditSeries(cs)
    assert [series.earned_upto(20, day(1) + timedelta(hours=h)) for h in (1, 2, 3)] == [10, 20, 20]
    assert series.earned_upto(20, day(3)) == 40 and series.earned_upto(20, day(2) + timedelta(hours=23), strict=True) == 35
