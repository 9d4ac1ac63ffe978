"""Creators in a simulation are folded under the pack version in force at each event's own time, as
shops are (issue 17; CR-7 points, TT-PTS-1, TT-PTS-3, TT-PTS-5): a violation keeps the points of the
version it was issued under, and a crossing is judged by the ladder of the version in force then —
not by the version in force at the period's end."""

from __future__ import annotations

from shopwarden.core.ledger.events import ViolationIssued
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import schedule, with_version
from shopwarden.core.simulate import compare_creator_versions, creator_schedule
from shopwarden.service.policies import load_builtin_packs
from tests.core.ledger_factory import T0, day

BASE = load_builtin_packs()["tiktok-shop"]
LO, HI = T0, day(400)


def _version(name: str, at, **creator_changes) -> PolicyPack:
    rules = BASE.creators
    dumped = rules.model_dump()
    for key, value in creator_changes.items():
        if key == "spam_fraud_serious":
            for t in dumped["violation_types"]:
                if t["type"] == "spam_fraud":
                    t["severities"]["serious"] = value
        elif key == "first_threshold":
            dumped["thresholds"][0]["points"] = value
    return BASE.model_copy(update={"version": name, "effective_from": at, "creators": type(rules).model_validate(dumped)})


def _live(v2: PolicyPack) -> PolicyPack:
    return schedule([BASE, v2])["tiktok-shop"]


def _twelve(at) -> list:
    return [ViolationIssued("c1", at, "spam_fraud", "serious", 12, "creator", day(10 + 180))]


def test_base_values_the_tests_rest_on():
    rules = BASE.creators
    assert rules.types["spam_fraud"].severities["serious"] == 12
    assert min(t.points for t in rules.thresholds) == 12
    assert BASE.effective_from < day(5)


def test_a_violation_keeps_the_points_of_the_version_it_was_issued_under():
    # CR-7, TT-PTS-1: v2 (from day 200) gives serious spam 6 points; a day-10 violation was issued under v1 at 12
    live = _live(_version("v2", day(200), spam_fraud_serious=6))
    same = compare_creator_versions("cr", live, live, _twelve(day(10)), None, LO, HI)
    assert same is not None and not same.differs
    assert [s.threshold for s in same.live.sanctions] and {s.threshold for s in same.live.sanctions} == {12}  # v1's 12 points reached 12
    # a draft with v2's points from day 5 on re-issues that violation at 6: the measures at 12 go
    draft = with_version(live, _version("draft", day(5), spam_fraud_serious=6))
    d = compare_creator_versions("cr", live, draft, _twelve(day(10)), None, LO, HI)
    assert d is not None and d.removed and not d.added and {s.threshold for s in d.removed} == {12}
    assert (d.live.points, d.draft.points) == (0, 0)  # both expired by the end: only the history differs


def test_a_crossing_is_judged_by_the_ladder_in_force_at_its_instant():
    # TT-PTS-3/5 for creators: v2 (from day 200) moves the first threshold to 18
    live = _live(_version("v2", day(200), first_threshold=18))
    early = compare_creator_versions("cr", live, live, _twelve(day(10)), None, LO, HI)
    assert {s.threshold for s in early.live.sanctions} == {12}  # judged by v1's ladder, not v2's (in force at the end)
    late = compare_creator_versions("cr", live, live, _twelve(day(250)), None, LO, HI)
    assert late.live.sanctions == ()  # at day 250 v2's 18 is the line
    # a draft restoring 12 from day 300: a day-250 rise to 12 still starts nothing (v2 was in force then), though
    # the level at the end is judged by the draft's ladder; a day-320 rise starts the measures at 12
    draft = with_version(live, _version("draft", day(300)))
    kept = compare_creator_versions("cr", live, draft, _twelve(day(250)), None, LO, HI)
    assert kept.added == kept.removed == () and kept.live.level != kept.draft.level
    d = compare_creator_versions("cr", live, draft, _twelve(day(320)), None, LO, HI)
    assert d.added and not d.removed and {s.threshold for s in d.added} == {12}


def test_the_schedule_ties_copies_and_never_the_packs_own_rules():
    live = _live(_version("v2", day(200), first_threshold=18))
    rules = creator_schedule(live, HI)
    assert rules is not None and rules.effective_from == day(200)
    assert BASE.creators.effective_from is None and BASE.creators._versions == ()
