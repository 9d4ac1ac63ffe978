"""Who may appeal, when, and how an appeal is decided (core/appeals.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from ledger_factory import UTC, day, douyin_pack, tiktok_pack

from shopwarden.core.appeals import AppealRecord, check_appeal, check_decision, decision_deadline
from shopwarden.errors import (
    AlreadyDecided,
    AppealLimitReached,
    AppealPending,
    AppealWindowClosed,
    Conflict,
    InvalidInput,
)

TIKTOK = tiktok_pack()
DOUYIN = douyin_pack()
US = timedelta(microseconds=1)
ISSUED = day(0)


def _rejected(number: int, filed: float, decided: float) -> AppealRecord:
    return AppealRecord(f"a{number}", number, day(filed), "rejected", day(decided))


def _appeal(pack=TIKTOK, prior=(), filed=1.0, revoked_at=None, evidence=True) -> int:
    filed_at = filed if isinstance(filed, datetime) else day(filed)
    return check_appeal(pack, ISSUED, revoked_at, list(prior), filed_at, evidence)


# ---- TT-APL-2: the first appeal within 30 days of the violation ----


def test_the_first_appeal_is_number_one():
    # rule TT-APL-2
    assert _appeal(filed=0) == 1
    assert _appeal(filed=day(30) - US) == 1


def test_the_first_window_closes_exactly_30_days_after_the_issue():
    # rule TT-APL-2
    # rule TIME-1
    with pytest.raises(AppealWindowClosed) as caught:
        _appeal(filed=30)
    err = caught.value
    assert (err.rule, err.until, err.status) == ("TT-APL-2", day(30), 409)
    assert "window closed at 2026-01-31T00:00:00+00:00" in err.detail


def test_an_appeal_filed_before_the_violation_is_invalid():
    # rule TT-APL-2
    with pytest.raises(InvalidInput) as caught:
        _appeal(filed=-1)
    assert [p.field for p in caught.value.errors] == ["filed_at"]


# ---- TT-APL-3: the second appeal within 15 days of the first one's rejection ----


def test_the_second_window_counts_from_the_rejection():
    # rule TT-APL-3
    prior = [_rejected(1, 5, 20)]
    assert _appeal(prior=prior, filed=day(35) - US) == 2  # well past the first 30 days
    with pytest.raises(AppealWindowClosed) as caught:
        _appeal(prior=prior, filed=35)
    assert (caught.value.rule, caught.value.until) == ("TT-APL-3", day(35))
    assert "after appeal a1 was rejected" in caught.value.detail


def test_a_pending_appeal_blocks_the_next_one():
    # rule TT-APL-3
    with pytest.raises(AppealPending) as caught:
        _appeal(prior=[AppealRecord("a1", 1, day(2), "pending")], filed=3)
    assert (caught.value.rule, caught.value.until) == ("TT-APL-3", None)  # no decision SLA in this pack


def test_a_pending_appeal_says_until_when_it_is_due_when_the_pack_has_an_sla():
    # rule TT-APL-3
    pack = tiktok_pack(appeals={**TIKTOK.appeals.model_dump(), "decision_sla": {"max_working_days": 3}})
    with pytest.raises(AppealPending) as caught:
        _appeal(pack, prior=[AppealRecord("a1", 1, day(1), "pending")], filed=2)  # a1 filed on Friday 2 January
    # the 3rd working day after: Mon 5, Tue 6, Wed 7 January
    assert caught.value.until == decision_deadline(pack, day(1)) == datetime(2026, 1, 7, tzinfo=UTC)
    assert "due to be decided by 2026-01-07" in caught.value.detail


def test_a_second_appeal_filed_before_the_rejection_was_still_pending():
    # rule TT-APL-3
    with pytest.raises(AppealPending) as caught:
        _appeal(prior=[_rejected(1, 5, 20)], filed=10)
    assert caught.value.until == day(20)


def test_a_rejection_without_its_time_is_invalid_input():
    # rule TT-APL-3
    with pytest.raises(InvalidInput):
        _appeal(prior=[AppealRecord("a1", 1, day(1), "rejected", None)], filed=3)


# ---- TT-APL-1: at most two appeals ----


def test_no_third_appeal():
    # rule TT-APL-1
    with pytest.raises(AppealLimitReached) as caught:
        _appeal(prior=[_rejected(1, 1, 2), _rejected(2, 3, 4)], filed=5)
    assert (caught.value.rule, caught.value.until) == ("TT-APL-1", None)


def test_the_limit_is_reported_before_a_pending_appeal():
    # rule TT-APL-1
    # A permanent "no" says more than "wait": the pending second appeal is the last one anyway.
    with pytest.raises(AppealLimitReached):
        _appeal(prior=[_rejected(1, 1, 2), AppealRecord("a2", 2, day(3), "pending")], filed=5)


def test_a_revoked_violation_cannot_be_appealed():
    # rule TT-APL-5
    with pytest.raises(Conflict) as caught:
        _appeal(revoked_at=day(2), filed=3)
    assert type(caught.value) is Conflict and caught.value.rule == "TT-APL-5"
    with pytest.raises(Conflict):
        _appeal(prior=[AppealRecord("a1", 1, day(1), "granted", day(2))], filed=3)


# ---- TT-APL-4: supporting documents ----


def test_an_appeal_needs_supporting_documents():
    # rule TT-APL-4
    with pytest.raises(InvalidInput) as caught:
        _appeal(evidence=False)
    assert (caught.value.status, [p.field for p in caught.value.errors]) == (422, ["evidence"])
    assert "TT-APL-4" in caught.value.detail


def test_every_input_problem_is_reported_at_once():
    # rule TT-APL-4
    with pytest.raises(InvalidInput) as caught:
        _appeal(filed=-1, evidence=False)
    assert [p.field for p in caught.value.errors] == ["filed_at", "evidence"]


def test_a_pack_may_waive_the_documents():
    # rule TT-APL-4
    pack = tiktok_pack(appeals={**TIKTOK.appeals.model_dump(), "evidence_required": False})
    assert _appeal(pack, evidence=False) == 1


# ---- DY-APL-1: Douyin's 7-day window and its working-day SLA ----


def test_douyin_appeals_within_7_days():
    # rule DY-APL-1
    assert _appeal(DOUYIN, filed=day(7) - US) == 1
    with pytest.raises(AppealWindowClosed) as caught:
        _appeal(DOUYIN, filed=7)
    assert (caught.value.rule, caught.value.until) == ("DY-APL-1", day(7))


def test_douyin_allows_one_appeal():
    # rule DY-APL-1
    with pytest.raises(AppealLimitReached) as caught:
        _appeal(DOUYIN, prior=[_rejected(1, 1, 2)], filed=3)
    assert caught.value.rule == "DY-APL-1"  # the rule the pack's source cites


def test_the_decision_deadline_skips_a_weekend_and_holidays():
    # rule DY-APL-1
    # rule TIME-1
    filed = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    # Sat 14 and Sun 15 are the weekend, Mon 16 and Tue 17 the pack's holidays:
    # working days 1..5 are Wed 18, Thu 19, Fri 20, Mon 23, Tue 24.
    assert decision_deadline(DOUYIN, filed) == datetime(2026, 2, 24, 2, 0, tzinfo=UTC)


def test_no_sla_no_deadline():
    # rule DY-APL-1
    assert decision_deadline(TIKTOK, day(1)) is None


# ---- TT-APL-6: the decision ----


def test_a_pending_appeal_is_decided_with_a_reason():
    # rule TT-APL-6
    assert check_decision("pending", day(1), day(1), "the listing was compliant") is None


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_a_decision_needs_a_reason_the_seller_can_read(reason):
    # rule TT-APL-6
    with pytest.raises(InvalidInput) as caught:
        check_decision("pending", day(1), day(2), reason)
    assert [p.field for p in caught.value.errors] == ["reason"]


def test_a_decision_cannot_come_before_the_filing():
    # rule TT-APL-6
    with pytest.raises(InvalidInput) as caught:
        check_decision("pending", day(2), day(2) - US, "ok")
    assert [p.field for p in caught.value.errors] == ["decided_at"]


@pytest.mark.parametrize("status", ["granted", "rejected"])
def test_a_decision_is_final(status):
    # rule TT-APL-6
    with pytest.raises(AlreadyDecided) as caught:
        check_decision(status, day(1), day(3), "again")
    assert (caught.value.rule, caught.value.status) == ("TT-APL-6", 409)
