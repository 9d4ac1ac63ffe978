"""The ledger fold against RULES.md section 1: points, expiry, the threshold ladder, warnings, sanctions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ledger_factory import UTC, Ledger, day, douyin_pack, notices_of, shopee_pack, tiktok_pack

from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.ledger.standing import fold

US = timedelta(microseconds=1)
PACK = tiktok_pack()


def _param(notice, name):
    return dict(notice.params)[name]


def _warnings_for(standing, threshold: int) -> list:
    return [n for n in notices_of(standing, "warning") if _param(n, "threshold") == threshold]


# ---- TT-PTS-1: points by type and severity ----


def test_points_are_set_by_type_and_severity():
    # rule TT-PTS-1
    led = Ledger(PACK)
    led.issue_typed("v1", 0, "prohibited_products", "general")
    led.issue_typed("v2", 1, "knockoff", "general")
    led.issue_typed("v3", 2, "knockoff", "minor")
    s = fold(PACK, led.events, day(3))
    assert [(v.violation_id, v.type, v.severity, v.points) for v in s.violations] == [
        ("v1", "prohibited_products", "general", 12),
        ("v2", "knockoff", "general", 4),
        ("v3", "knockoff", "minor", 0),
    ]
    assert s.points == 16
    issued = notices_of(s, "violation")
    assert [(n.violation_id, _param(n, "points"), n.rule) for n in issued] == [("v1", 12, "TT-PTS-1"), ("v2", 4, "TT-PTS-1"), ("v3", 0, "TT-PTS-1")]


def test_severity_chooses_the_point_class():
    # rule TT-PTS-1
    pack = douyin_pack()
    led = Ledger(pack)
    led.issue_typed("g", 0, "low_positive_rate_product", "general")
    led.issue_typed("s", 0, "low_positive_rate_product", "serious")
    led.issue_typed("x", 0, "low_positive_rate_product", "especially_serious")
    s = fold(pack, led.events, day(1))
    assert [(v.violation_id, v.point_class, v.points) for v in s.violations] == [("g", "A", 4), ("s", "B", 4), ("x", "B", 12)]
    assert (s.classes["A"].points, s.classes["B"].points) == (4, 16)


# ---- TT-PTS-2 and TIME-1: 180-day rolling expiry ----


def test_points_count_until_exactly_180_days_after_issue():
    # rule TT-PTS-2
    # rule TIME-1
    led = Ledger(PACK)
    v = led.issue("v1", day(0) + timedelta(hours=7, minutes=13), 10)
    assert v.expires_at == v.at + timedelta(days=180)
    before, at_end = fold(PACK, led.events, v.expires_at - US), fold(PACK, led.events, v.expires_at)
    assert (before.points, before.violations[0].status) == (10, "active")
    assert (at_end.points, at_end.violations[0].status) == (0, "expired")


def test_each_violation_expires_on_its_own():
    # rule TT-PTS-2
    led = Ledger(PACK)
    led.issue("v1", 0, 5)
    led.issue("v2", 10, 6)
    assert [fold(PACK, led.events, day(d)).points for d in (0, 10, 179, 180, 189, 190)] == [5, 11, 11, 6, 6, 0]


def test_a_calendar_day_is_24_hours_even_across_a_dst_change():
    # rule TIME-1
    issued = datetime(2026, 3, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))  # DST starts 2026-03-08
    end = expires_at(PACK, "default", issued)
    assert end - issued == timedelta(days=180)
    assert end.utcoffset() == timedelta(0)
    assert expires_at(PACK, "default", datetime(2026, 1, 1)) == datetime(2026, 6, 30, tzinfo=UTC)  # naive is UTC


def test_a_sanction_is_in_force_from_its_start_until_just_before_its_end():
    # rule TIME-1
    led = Ledger(PACK)
    led.issue("v1", day(0) + timedelta(hours=5), 12)
    start = day(0) + timedelta(hours=5)
    end = start + timedelta(days=30)
    in_force = {t: bool(fold(PACK, led.events, t).sanctions) for t in (start - US, start, end - US, end)}
    assert in_force == {start - US: False, start: True, end - US: True, end: False}


# ---- TT-PTS-3: the threshold ladder ----


@pytest.mark.parametrize(
    ("points", "level", "next_threshold"),
    [(0, "low", 12), (11, "low", 12), (12, "medium", 24), (23, "medium", 24), (24, "high", 36), (35, "high", 36), (36, "very_high", 48), (47, "very_high", 48), (48, "very_high", None), (60, "very_high", None)],
)
def test_levels_are_reached_at_greater_or_equal(points, level, next_threshold):
    # rule TT-PTS-3
    led = Ledger(PACK)
    led.issue("v1", 0, points)
    s = fold(PACK, led.events, day(1))
    assert (s.points, s.level, s.next_threshold) == (points, level, next_threshold)
    assert s.points_to_next == (None if next_threshold is None else next_threshold - points)


@pytest.mark.parametrize(
    ("threshold", "sanctions"),
    [
        (12, {("no_campaigns", 30)}),
        (24, {("no_affiliate", 30), ("no_campaigns", 30)}),
        (36, {("no_affiliate", 60), ("no_campaigns", 60), ("suspended", 30)}),
        (48, {("deactivated", None)}),
    ],
)
def test_each_threshold_starts_the_sanctions_of_the_table(threshold, sanctions):
    # rule TT-PTS-3
    led = Ledger(PACK)
    led.issue("below", 0, threshold - 1)
    led.issue("v1", 1, 1)
    before = fold(PACK, led.events, day(1) - US)
    assert all(x.threshold != threshold for x in before.history)
    s = fold(PACK, led.events, day(1))
    started = {(x.kind, None if x.ends_at is None else (x.ends_at - x.starts_at).days) for x in s.history if x.threshold == threshold}
    assert started == sanctions
    assert all(x.starts_at == day(1) for x in s.history if x.threshold == threshold)
    assert [(_param(n, "threshold"), n.rule) for n in notices_of(s, "sanction") if n.sent_at == day(1)] == [(threshold, "TT-PTS-3")]


@pytest.mark.parametrize(
    ("points", "taken"),
    [(11, set()), (12, {"campaigns"}), (24, {"campaigns", "affiliate"}), (36, {"campaigns", "affiliate", "selling"}), (48, {"campaigns", "affiliate", "selling"})],
)
def test_sanctions_in_force_take_their_privileges(points, taken):
    # rule TT-PTS-3
    led = Ledger(PACK)
    led.issue("v1", 0, points)
    s = fold(PACK, led.events, day(1))
    assert {p for p, ok in s.privileges.items() if not ok} == taken


def test_a_jump_over_several_thresholds_starts_all_of_them():
    # rule TT-PTS-3
    led = Ledger(PACK)
    led.issue("v1", 0, 30)
    s = fold(PACK, led.events, day(0))
    assert sorted({x.threshold for x in s.sanctions}) == [12, 24]


# ---- TT-PTS-4: warnings ----


@pytest.mark.parametrize(("line", "threshold"), [(7, 12), (19, 24), (31, 36), (43, 48)])
def test_a_warning_is_sent_within_5_points_of_the_next_threshold(line, threshold):
    # rule TT-PTS-4
    led = Ledger(PACK)
    led.issue("v1", 0, line - 1)
    led.issue("v2", 1, 1)
    before, after = fold(PACK, led.events, day(1) - US), fold(PACK, led.events, day(1))
    assert (before.warning, _warnings_for(before, threshold)) == (False, [])
    assert after.warning and after.next_threshold == threshold
    [warning] = _warnings_for(after, threshold)
    assert (warning.sent_at, warning.rule, _param(warning, "points")) == (day(1), "TT-PTS-4", line)


def test_one_warning_per_approach_and_again_only_after_falling_below_the_line():
    # rule TT-PTS-4
    led = Ledger(PACK)
    led.issue("v1", 0, 7)  # warned
    led.issue("v2", 10, 2)  # 9: same approach
    led.issue("v3", 20, 2)  # 11: same approach
    led.issue("v4", 185, 3)  # v1 expired at 180 (4 points, below 7), now 7 again: a new approach
    s = fold(PACK, led.events, day(186))
    assert [n.sent_at for n in _warnings_for(s, 12)] == [day(0), day(185)]


def test_dipping_inside_the_warning_zone_sends_no_new_warning():
    # rule TT-PTS-4
    led = Ledger(PACK)
    led.issue("v1", 0, 3)
    led.issue("v2", 10, 8)  # 11: warned
    led.issue("v3", 181, 2)  # v1 expired at 180: 8 (still >= 7), then 10
    s = fold(PACK, led.events, day(182))
    assert s.points == 10
    assert [n.sent_at for n in _warnings_for(s, 12)] == [day(10)]
    assert s.warning


def test_crossing_a_threshold_into_the_next_zone_warns_about_the_next_threshold():
    # rule TT-PTS-4
    led = Ledger(PACK)
    led.issue("v1", 0, 20)
    s = fold(PACK, led.events, day(0))
    assert [_param(n, "threshold") for n in notices_of(s, "warning")] == [24]
    assert [n.kind for n in s.notices] == ["violation", "sanction", "warning"]


# ---- TT-PTS-5: sanctions start on an upward crossing and run their full duration ----


def test_staying_above_a_threshold_starts_nothing_new():
    # rule TT-PTS-5
    led = Ledger(PACK)
    led.issue("v1", 0, 12)
    led.issue("v2", 10, 1)
    s = fold(PACK, led.events, day(11))
    assert [(x.kind, x.starts_at) for x in s.history] == [("no_campaigns", day(0))]


def test_a_sanction_runs_its_full_duration_after_the_points_expired():
    # rule TT-PTS-5
    pack = tiktok_pack(expiry_days=10)
    led = Ledger(pack)
    led.issue("v1", 0, 12)
    mid, end = fold(pack, led.events, day(15)), fold(pack, led.events, day(30))
    assert (mid.points, [x.kind for x in mid.sanctions], mid.privileges["campaigns"]) == (0, ["no_campaigns"], False)
    assert (end.sanctions, end.privileges["campaigns"]) == ([], True)
    assert [(n.sent_at, n.rule) for n in notices_of(end, "sanction_ended")] == [(day(30), "TT-PTS-5")]


def test_permanent_deactivation_outlives_the_points():
    # rule TT-PTS-5
    led = Ledger(PACK)
    led.issue("v1", 0, 48)
    s = fold(PACK, led.events, day(400))
    assert s.points == 0
    assert [(x.kind, x.ends_at) for x in s.sanctions] == [("deactivated", None)]
    assert not s.privileges["selling"]


def test_crossing_again_after_falling_below_starts_the_sanctions_again():
    # rule TT-PTS-5
    pack = tiktok_pack(expiry_days=10)
    led = Ledger(pack)
    led.issue("v1", 0, 12)  # no_campaigns [0, 30); points expire at 10
    led.issue("v2", 20, 12)  # crosses 12 again: no_campaigns [20, 50)
    s = fold(pack, led.events, day(25))
    assert [(x.starts_at, x.ends_at) for x in s.sanctions] == [(day(0), day(30)), (day(20), day(50))]
    assert len(notices_of(s, "sanction")) == 2
    later = fold(pack, led.events, day(49))
    assert [x.starts_at for x in later.sanctions] == [day(20)] and not later.privileges["campaigns"]


def test_a_higher_threshold_does_not_cancel_lower_sanctions_and_one_kind_runs_to_the_latest_end():
    # rule TT-PTS-5
    led = Ledger(PACK)
    led.issue("v1", 0, 12)  # no_campaigns [0, 30)
    led.issue("v2", 5, 12)  # 24: no_affiliate, no_campaigns [5, 35)
    s = fold(PACK, led.events, day(10))
    assert sorted((x.threshold, x.kind) for x in s.sanctions) == [(12, "no_campaigns"), (24, "no_affiliate"), (24, "no_campaigns")]
    campaigns = {d: fold(PACK, led.events, day(d)).privileges["campaigns"] for d in (29, 30, 34, 35)}
    assert campaigns == {29: False, 30: False, 34: False, 35: True}


# ---- TT-PTS-6: the records add up to the total ----


def test_the_records_points_add_up_to_the_total():
    # rule TT-PTS-6
    led = Ledger(PACK)
    led.issue("v1", 0, 5)  # expired at 180
    led.issue("v2", 100, 7)
    led.issue("v3", 150, 3)
    led.appeal("v3", 151, 160, "granted")  # revoked
    led.issue("v4", 190, 4)
    s = fold(PACK, led.events, day(200))
    assert {v.violation_id: v.status for v in s.violations} == {"v1": "expired", "v2": "active", "v3": "revoked", "v4": "active"}
    assert s.points == sum(v.points for v in s.violations if v.status == "active") == 11


# ---- Calendar reset (Shopee-like quarters): the pack's other expiry kind for TT-PTS-2 ----


def test_points_reset_at_the_start_of_the_next_quarter_in_the_pack_timezone():
    # rule TT-PTS-2
    pack = shopee_pack()
    led = Ledger(pack)
    last_minute = led.issue("q1", datetime(2026, 3, 31, 15, 59, tzinfo=UTC), 2)  # 23:59 in Singapore
    first_minute = led.issue("q2", datetime(2026, 3, 31, 16, 0, tzinfo=UTC), 1)  # 00:00 on 1 April
    assert last_minute.expires_at == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert first_minute.expires_at == datetime(2026, 6, 30, 16, 0, tzinfo=UTC)
    assert fold(pack, led.events, datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC)).points == 2
    assert fold(pack, led.events, datetime(2026, 3, 31, 16, 0, tzinfo=UTC)).points == 1


def test_a_quarterly_reset_drops_every_point_of_the_quarter_at_once_but_not_the_sanction():
    # rule TT-PTS-2
    # rule TT-PTS-5
    pack = shopee_pack()
    led = Ledger(pack)
    for i, d in enumerate((datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC))):
        led.issue(f"v{i}", d, 2)
    reset = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    before, after = fold(pack, led.events, reset - US), fold(pack, led.events, reset)
    assert (before.points, before.level, after.points, after.level) == (6, "high", 0, "low")
    # no_campaigns (3 points, 10 February) ended after its 28 days; no_affiliate (6 points, 20 March) runs on
    assert [(x.kind, x.starts_at) for x in after.sanctions] == [("no_affiliate", datetime(2026, 3, 20, tzinfo=UTC))]


# ---- Two point classes (Douyin-like A/B, A without a ladder) ----


def test_two_classes_count_separately_and_only_the_laddered_one_sanctions():
    # rule TT-PTS-3
    # rule TT-PTS-6
    pack = douyin_pack()
    led = Ledger(pack)
    for i in range(15):
        led.issue(f"a{i}", i, 4, "A")  # 60 A points: no ladder, no sanction
    led.issue("b1", 20, 12, "B")
    s = fold(pack, led.events, day(21))
    a, b = s.classes["A"], s.classes["B"]
    assert (a.points, a.level, a.next_threshold, a.warning) == (60, "low", None, False)
    assert (b.points, b.level, b.next_threshold, b.points_to_next) == (12, "medium", 24, 12)
    assert [(x.kind, x.point_class, (x.ends_at - x.starts_at).days) for x in s.sanctions] == [("no_campaigns", "B", 7)]
    assert (s.points, s.level) == (72, "medium")  # the total sums the classes; the level is the worst
    assert (s.next_threshold, s.points_to_next, s.warning) == (None, None, False)  # the primary class (A) has no ladder
    assert s.points == sum(v.points for v in s.violations if v.status == "active")


def test_a_class_can_override_the_warning_margin():
    # rule TT-PTS-4
    pack = douyin_pack()  # B's margin is 2
    led = Ledger(pack)
    led.issue("b1", 0, 21, "B")
    led.issue("b2", 1, 1, "B")
    assert not fold(pack, led.events, day(0)).classes["B"].warning
    s = fold(pack, led.events, day(1))
    assert s.classes["B"].warning
    assert [(_param(n, "point_class"), _param(n, "threshold"), n.sent_at) for n in notices_of(s, "warning")] == [("B", 24, day(1))]
