"""Pack versions scheduled by `effective_from` (issue 17): the fold judges each instant by the
version in force then, and `simulate` uses the same mechanism (TT-PTS-1, TT-PTS-3, TT-PTS-5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.core.ledger.events import ViolationIssued
from shopwarden.core.ledger.standing import fold, holds_until
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.versions import in_force, schedule, versions, with_version
from shopwarden.core.simulate import compare, reissue
from shopwarden.errors import PolicyError
from shopwarden.service.policies import builtin_pack_texts, load_packs
from tests.core.ledger_factory import TIKTOK_LADDER, _threshold, day, tiktok_pack

CHANGE = day(100)  # the raised threshold takes effect here


def _raised(**kw):
    """Version 2: the first threshold raised from 12 to 18 points from CHANGE on."""
    return tiktok_pack(version="2", effective_from=CHANGE.isoformat(), thresholds=[_threshold(18, "medium", [("no_campaigns", 30)])] + TIKTOK_LADDER[1:], **kw)


def _both():
    packs = schedule([tiktok_pack(), _raised()])
    return packs["test-tiktok"]


def _v(vid: str, at, points: int) -> ViolationIssued:
    return ViolationIssued(vid, at, "any", "any", points, "default", at + timedelta(days=30))


def test_a_threshold_raised_from_a_future_date_changes_sanctions_only_after_it():
    # TT-PTS-3, TT-PTS-5: 12 points before CHANGE start the 12-point sanction (version 1 in force);
    # 12 points after CHANGE do not (version 2 puts the line at 18); 18 points after it do.
    pack = _both()
    before = [_v("a", day(10), 12)]
    after = [_v("b", day(110), 12)]
    after_18 = [_v("c", day(110), 12), _v("d", day(120), 6)]
    assert [s.kind for s in fold(pack, before, day(20)).history] == ["no_campaigns"]
    assert fold(pack, after, day(115)).history == []
    started = fold(pack, after_18, day(125)).history
    assert [(s.kind, s.threshold, s.starts_at) for s in started] == [("no_campaigns", 18, day(120))]
    # the sanction started under version 1 runs its full duration after CHANGE (TT-PTS-5)
    s = fold(pack, [_v("e", day(95), 12)], day(110)).sanctions
    assert [(x.threshold, x.ends_at) for x in s] == [(12, day(125))]
    # the single-version pack sanctions both
    assert fold(tiktok_pack(), after, day(115)).history != []


def test_the_level_at_an_instant_is_that_of_the_version_in_force():
    # TT-PTS-3: 14 active points are "medium" under version 1 and "low" once version 2 is in force
    pack = _both()
    ledger = [ViolationIssued("a", day(90), "any", "any", 14, "default", day(300))]
    assert fold(pack, ledger, day(95)).level == "medium"
    assert fold(pack, ledger, day(105)).level == "low" and fold(pack, ledger, day(105)).next_threshold == 18
    # a new version is not an event of the shop: the sanction started at day 90 still runs (TT-PTS-5)
    assert [x.threshold for x in fold(pack, ledger, day(105)).sanctions] == [12]
    # the health cache's horizon includes the instant the next version takes effect
    st = fold(pack, ledger, day(95))
    assert holds_until(ledger, st, pack) == CHANGE


def test_the_version_in_force_and_before_the_first():
    pack = _both()
    assert in_force(pack, day(99)).version == "1" and in_force(pack, CHANGE).version == "2"
    assert in_force(pack, day(-9999)).version == "1"  # older than every version: the oldest judges it
    assert [v.version for v in versions(pack)] == ["1", "2"]


def test_two_versions_with_one_effective_from_are_refused():
    with pytest.raises(PolicyError) as err:
        schedule([tiktok_pack(), tiktok_pack(version="1b")])
    (p,) = err.value.problems
    assert p.path == "effective_from" and "'1'" in p.message and "'1b'" in p.message and "own effective_from" in p.hint


@pytest.mark.parametrize("value", ["next tuesday", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00"])
def test_an_effective_from_in_a_bad_format_is_refused(value):
    text = builtin_pack_texts()["tiktok-shop"].replace("effective_from: 2025-06-03T00:00:00Z", f"effective_from: {value!r}")
    with pytest.raises(PolicyError) as err:
        parse_pack(text, source="v2.yaml")
    assert [p.path for p in err.value.problems] == ["effective_from"]


def _v2_text(effective_from: str = "2026-03-01T00:00:00Z", version: str = "2026.03") -> str:
    text = builtin_pack_texts()["tiktok-shop"]
    text = text.replace("effective_from: 2025-06-03T00:00:00Z", f"effective_from: {effective_from}").replace('version: "2025.06"', f'version: "{version}"')
    head, ladder = text.split("\nthresholds:\n", 1)
    return head + "\nthresholds:\n" + ladder.replace("  - points: 12\n", "  - points: 18\n", 1)


def test_a_folder_of_versions_is_scheduled_and_its_problems_reported_at_once(tmp_path):
    (tmp_path / "tiktok-shop-2026.yaml").write_text(_v2_text(), encoding="utf-8")
    packs = load_packs(tmp_path)
    assert [v.version for v in versions(packs["tiktok-shop"])] == ["2025.06", "2026.03"]
    assert versions(load_packs()["tiktok-shop"])[0]._versions == ()  # the shipped packs are not changed
    (tmp_path / "again.yaml").write_text(_v2_text(version="2026.03b"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(_v2_text(effective_from="soon"), encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_packs(tmp_path)
    assert [p.path for p in err.value.problems] == ["bad.yaml: effective_from"]
    (tmp_path / "bad.yaml").unlink()
    with pytest.raises(PolicyError) as err:
        load_packs(tmp_path)
    assert "'2026.03'" in err.value.problems[0].message and "'2026.03b'" in err.value.problems[0].message


def test_simulate_applies_a_draft_from_its_effective_from_on():
    # TT-PTS-3: the draft raises 12 to 18 from CHANGE on; simulated, only what crosses 12 after CHANGE changes
    live = tiktok_pack()
    draft = with_version(live, _raised())
    early = [_v("a", day(10), 12)]
    late = [_v("b", day(110), 12)]
    assert not compare("s1", "test", live, draft, early, day(0), day(200)).differs
    d = compare("s2", "test", live, draft, late, day(0), day(200))
    assert [(s.kind, s.starts_at) for s in d.removed] == [("no_campaigns", day(110))] and not d.added
    # the live schedule itself is not changed, and a draft dated before every version replaces them all
    assert live._versions == ()
    assert [v.version for v in versions(with_version(_both(), tiktok_pack(version="0", effective_from="2024-01-01T00:00:00Z")))] == ["0"]
    assert [v.version for v in versions(with_version(_both(), tiktok_pack(version="1.5", effective_from=day(50).isoformat())))] == ["1", "1.5"]


def test_violations_are_reissued_under_the_version_in_force_at_their_instant():
    # TT-PTS-1: version 2 gives `any/any` 5 points; a violation before CHANGE keeps version 1's point
    types = tiktok_pack().model_dump(mode="json")["violation_types"]
    types[2]["severities"] = {"any": 5}
    live = schedule([tiktok_pack(), _raised(violation_types=types)])["test-tiktok"]
    out = reissue(tiktok_pack(), live, [_v("a", day(10), 1), _v("b", day(110), 1)])
    assert [e.points for e in out] == [1, 5]
    assert not compare("s", "test", live, live, [_v("a", day(10), 1), _v("b", day(110), 5)], day(0), day(200)).differs
