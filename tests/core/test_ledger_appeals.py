"""What a decided appeal does to the shop's standing (TT-APL-5), per the decided semantics in standing.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ledger_factory import Ledger, day, in_force_keys, notice_tuple, notices_of, standing_tuple, tiktok_pack

from shopwarden.core.ledger.standing import fold

PACK = tiktok_pack()
US = timedelta(microseconds=1)


def _kinds(standing) -> list[tuple[int, str]]:
    return sorted((x.threshold, x.kind) for x in standing.sanctions)


def _two_steps(granted_vid: str | None, outcome: str = "granted") -> Ledger:
    """v1 (12) crosses 12 at day 0; v2 (12) crosses 24 at day 5; an appeal on `granted_vid` decided at day 10."""
    led = Ledger(PACK)
    led.issue("v1", 0, 12)
    led.issue("v2", 5, 12)
    if granted_vid:
        led.appeal(granted_vid, 6, 10, outcome)
    return led


def test_a_granted_appeal_removes_the_points_from_the_decision_on():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 6)
    led.issue("v2", 1, 8)
    led.appeal("v2", 2, 10)
    before, after = fold(PACK, led.events, day(10) - US), fold(PACK, led.events, day(10))
    assert (before.points, after.points) == (14, 6)
    v2 = after.violations[1]
    assert (v2.status, v2.revoked_at, v2.points) == ("revoked", day(10), 8)  # the record stays, its points stop counting
    assert after.points == sum(v.points for v in after.violations if v.status == "active")


def test_a_granted_appeal_lifts_the_sanction_its_points_caused_and_restores_privileges():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 6)
    led.issue("v2", 1, 8)  # 14: no_campaigns from day 1
    led.appeal("v2", 2, 10)
    before, after = fold(PACK, led.events, day(10) - US), fold(PACK, led.events, day(10))
    assert _kinds(before) == [(12, "no_campaigns")] and not before.privileges["campaigns"]
    assert (after.sanctions, after.privileges["campaigns"], after.level) == ([], True, "low")
    [lifted] = after.history
    assert (lifted.starts_at, lifted.ends_at, lifted.lifted_at) == (day(1), day(10), day(10))
    [notice] = notices_of(after, "sanction_lifted")
    assert (notice.sent_at, notice.rule, dict(notice.params)["subject"]) == (day(10), "TT-APL-5", lifted.id)
    assert notices_of(fold(PACK, led.events, day(60)), "sanction_ended") == []  # lifted, not ended


def test_a_sanction_another_violation_causes_anyway_keeps_running():
    # rule TT-APL-5
    led = _two_steps("v2")
    at_decision = fold(PACK, led.events, day(10))
    assert _kinds(at_decision) == [(12, "no_campaigns")]  # the 24-point sanctions needed v2's points
    assert at_decision.privileges == {"campaigns": False, "affiliate": True, "selling": True}
    assert [x.ends_at for x in at_decision.sanctions] == [day(30)]
    assert fold(PACK, led.events, day(30)).privileges["campaigns"]


def test_the_result_equals_never_having_issued_the_violation():
    # rule TT-APL-5
    revoked, never = _two_steps("v2"), Ledger(PACK)
    never.issue("v1", 0, 12)
    for d in (10, 11, 29, 30, 200):
        a, b = fold(PACK, revoked.events, day(d)), fold(PACK, never.events, day(d))
        assert (a.points, a.level, a.next_threshold, a.warning, a.privileges) == (b.points, b.level, b.next_threshold, b.warning, b.privileges)
        assert [(x.kind, x.threshold, x.ends_at) for x in a.sanctions] == [(x.kind, x.threshold, x.ends_at) for x in b.sanctions]


def test_a_granted_appeal_never_starts_or_lengthens_a_sanction():
    # rule TT-APL-5
    # Without v1, v2 alone would have crossed 12 at day 5 (no_campaigns until day 35). The running
    # no_campaigns of day 0 is such a sanction, so it keeps running, but only to its own end (day 30).
    led = _two_steps("v1")
    s = fold(PACK, led.events, day(10))
    assert [(x.threshold, x.kind, x.starts_at, x.ends_at) for x in s.sanctions] == [(12, "no_campaigns", day(0), day(30))]
    assert all(x.starts_at <= day(5) for x in s.history)
    assert fold(PACK, led.events, day(30)).privileges["campaigns"]


def test_history_before_the_decision_is_unchanged():
    # rule TT-APL-5
    granted, plain = _two_steps("v2"), _two_steps(None)
    for d in (0, 5, 9.999):
        assert standing_tuple(fold(PACK, granted.events, day(d))) == standing_tuple(fold(PACK, plain.events, day(d)))
    # and the later fold does not rewrite the past: its history, read at an earlier t, is what t saw
    later = fold(PACK, granted.events, day(100))
    for d in (0, 5, 9.999):
        then = fold(PACK, plain.events, day(d))
        assert {(x.threshold, x.kind, x.starts_at) for x in later.history if x.in_force(day(d))} == {(x.threshold, x.kind, x.starts_at) for x in then.sanctions}


def test_several_granted_appeals_lift_step_by_step():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 12)
    led.issue("v2", 5, 12)
    led.issue("v3", 6, 12)  # 36
    led.appeal("v3", 7, 10)
    led.appeal("v2", 7, 12)
    assert len(fold(PACK, led.events, day(9)).sanctions) == 6
    assert _kinds(fold(PACK, led.events, day(10))) == [(12, "no_campaigns"), (24, "no_affiliate"), (24, "no_campaigns")]
    assert _kinds(fold(PACK, led.events, day(12))) == [(12, "no_campaigns")]
    assert len(notices_of(fold(PACK, led.events, day(12)), "sanction_lifted")) == 5


def test_a_permanent_deactivation_is_lifted_and_every_privilege_restored():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 48)
    led.appeal("v1", 1, 20)
    assert not fold(PACK, led.events, day(20) - US).privileges["selling"]
    s = fold(PACK, led.events, day(20))
    assert (s.points, s.level, s.sanctions) == (0, "low", [])
    assert all(s.privileges.values())


def test_a_grant_after_the_points_expired_still_lifts_what_they_caused():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 48)  # expires at 180, deactivated for good
    led.appeal("v1", 170, 200)
    assert _kinds(fold(PACK, led.events, day(199))) == [(48, "deactivated")]
    assert fold(PACK, led.events, day(200)).sanctions == []


@pytest.mark.parametrize("granted_vid", ["v1", "v2"])
def test_a_rejected_appeal_changes_nothing_but_its_own_notice(granted_vid):
    # rule TT-APL-5
    rejected, plain = _two_steps(granted_vid, "rejected"), _two_steps(None)
    for d in (0, 5, 10, 20, 30, 35, 200):
        a, b = standing_tuple(fold(PACK, rejected.events, day(d))), standing_tuple(fold(PACK, plain.events, day(d)))
        assert a[:-1] == b[:-1]
        assert [n for n in a[-1] if n[0] != "appeal_decision"] == list(b[-1])
    [decision] = notices_of(fold(PACK, rejected.events, day(10)), "appeal_decision")
    assert (decision.rule, dict(decision.params)["outcome"]) == ("TT-APL-6", "rejected")


def test_a_platform_revocation_acts_like_a_granted_appeal():
    # rule TT-APL-5
    appealed, revoked = _two_steps("v2"), _two_steps(None)
    revoked.revoke("v2", 10)
    for d in (9, 10, 30, 40):
        a, b = fold(PACK, appealed.events, day(d)), fold(PACK, revoked.events, day(d))
        assert standing_tuple(a)[:-1] == standing_tuple(b)[:-1]
        assert [notice_tuple(n) for n in a.notices if n.kind != "appeal_decision"] == [notice_tuple(n) for n in b.notices if n.kind != "violation_revoked"]
    # ... and the seller is told of the revocation itself, with its reason.
    assert [n.violation_id for n in fold(PACK, revoked.events, day(40)).notices if n.kind == "violation_revoked"] == ["v2"]


def test_the_earliest_revocation_counts():
    # rule TT-APL-5
    led = _two_steps("v2")
    led.revoke("v2", 8)
    s = fold(PACK, led.events, day(10))
    assert s.violations[1].revoked_at == day(8)
    assert [n.sent_at for n in notices_of(s, "sanction_lifted")] == [day(8), day(8)]


def test_a_revocation_dated_before_the_issue_means_the_points_never_counted():
    # rule TT-APL-5
    # Regression: the fold used to apply the drop at the revocation's date and the rise at the
    # issue's, so points dipped (here to 9), and rising back to 14 started a sanction again.
    led = Ledger(PACK)
    led.issue("v1", 0, 14)
    led.revoke("v2", 50)
    led.issue("v2", 60, 5)
    assert fold(PACK, led.events, day(55)).points == 14
    s = fold(PACK, led.events, day(61))
    assert (s.points, s.violations[1].status) == (14, "revoked")
    assert [x.starts_at for x in s.history] == [day(0)]


def test_the_counterfactual_keeps_a_later_violations_own_sanction_in_force():
    # rule TT-APL-5
    led = Ledger(PACK)
    led.issue("v1", 0, 12)  # no_campaigns [0, 30)
    led.issue("v2", 3, 24)  # 36: the 24 and 36 sanctions start at day 3
    led.appeal("v1", 4, 10)
    s = fold(PACK, led.events, day(10))
    # v2 alone (24 points at day 3) would have started the 12 and 24 sanctions, not the 36 ones
    assert in_force_keys(s) == {("no_campaigns", 12, "default"), ("no_affiliate", 24, "default"), ("no_campaigns", 24, "default")}
    assert s.privileges["selling"]


def test_the_counterfactual_leaves_out_every_violation_revoked_so_far():
    # rule TT-APL-5
    # standing.py's decision: at D the comparison is the history without *every* violation revoked
    # by D, not only the one revoked at D. Here w (granted at day 20) had kept the shop above 10
    # when b arrived, so without w, a and b alone would have crossed 10 at day 5 and been banned
    # until day 35. v's ban (day 28) is therefore kept, cut to day 35, although a shop that never
    # had v but had w until day 20 would have had no ban after day 30.
    pack = tiktok_pack(expiry_days=45, thresholds=[{"points": 10, "level": "medium", "sanctions": [{"kind": "no_affiliate", "days": 30}], "source": "test pack"}])

    def history(v: bool = True, w: bool = True) -> list:
        led = Ledger(pack)
        led.issue("a", -20, 6)  # expires at day 25
        if w:
            led.issue("w", 0, 6)  # 12: banned [0, 30)
            led.appeal("w", 1, 20)
        led.issue("b", 5, 4)
        if v:
            led.issue("v", 28, 6)  # 4 -> 10: banned again from day 28
            led.appeal("v", 29, 32)
        return led.events

    def bans(events, d):
        return [(x.starts_at, x.ends_at) for x in fold(pack, events, day(d)).sanctions]

    assert bans(history(), 33) == [(day(28), day(35))]
    assert bans(history(v=False, w=False), 33) == [(day(5), day(35))]  # the unrevoked violations alone
    assert bans(history(v=False), 33) == []
    assert bans(history(), 35) == []
