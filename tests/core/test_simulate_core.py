"""Policy simulation in the core (issue 17): a pack against itself changes nothing, and one threshold
moved changes exactly the shops whose points cross it differently — computed here by brute force
over the violations, not by the fold (TT-PTS-1, TT-PTS-2, TT-PTS-3)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.simulate import compare, summarise
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs
from tests.core.ledger_factory import T0, day

LIVE = load_builtin_packs()["tiktok-shop"]
LO, HI = T0, day(500)


def _draft(old: int, new: int):
    """The tiktok-shop pack with the shop ladder's threshold at `old` points moved to `new`."""
    text = builtin_pack_texts()["tiktok-shop"]
    head, ladder = text.split("\nthresholds:\n", 1)
    needle = f"  - points: {old}\n"
    assert needle in ladder.split("\n\n", 1)[0]
    return parse_pack(head + "\nthresholds:\n" + ladder.replace(needle, f"  - points: {new}\n", 1), source="draft", bases=builtin_pack_texts())


def _history(rng: random.Random, shop: int) -> list[Event]:
    out: list[Event] = []
    types = [t for t in LIVE.violation_types]
    for i in range(rng.randint(0, 9)):
        t = rng.choice(types)
        sev = rng.choice(sorted(t.severities))
        at = T0 + timedelta(days=rng.uniform(0, 480), seconds=i)
        cls = LIVE.class_of(t.type, sev)
        out.append(ViolationIssued(f"v{shop}-{i}", at, t.type, sev, t.severities[sev].points, cls, expires_at(LIVE, cls, at)))
    return out


def _crossings(events: list[Event], threshold: int) -> list[datetime]:
    """The instants the shop's points go from below `threshold` to at or above it (TT-PTS-2/3)."""
    issued = [e for e in events if isinstance(e, ViolationIssued)]
    instants = sorted({e.at for e in issued} | {e.expires_at for e in issued})
    out, above = [], False
    for t in instants:
        if t > HI:
            break
        pts = sum(e.points for e in issued if e.at <= t < e.expires_at)
        if pts >= threshold and not above:
            out.append(t)
        above = pts >= threshold
    return out


def test_a_pack_simulated_against_itself_changes_nothing():
    rng = random.Random(7)
    diffs = [compare(f"s{i}", "tiktok-shop", LIVE, LIVE, _history(rng, i), LO, HI) for i in range(400)]
    summary = summarise(diffs)
    assert summary.shops == 400
    assert summary.total.shops_changed == 0 and summary.total.sanctions_added == 0 and summary.total.sanctions_removed == 0
    assert sum(len(d.live.sanctions) for d in diffs) > 50  # the histories do reach the ladder


def test_one_threshold_moved_changes_exactly_the_shops_it_should():
    # TT-PTS-3: the deactivation threshold moved from 48 to 60 points
    draft = _draft(48, 60)
    rng = random.Random(11)
    histories = {f"s{i}": _history(rng, i) for i in range(600)}
    diffs = {s: compare(s, "tiktok-shop", LIVE, draft, h, LO, HI) for s, h in histories.items()}
    # a deactivation starts at every upward crossing of its threshold; a crossing of both at one instant is the same sanction
    cross = {s: (set(_crossings(h, 48)), set(_crossings(h, 60))) for s, h in histories.items()}
    expected = {s for s, (a, b) in cross.items() if a != b}
    changed = {s for s, d in diffs.items() if d.differs}
    assert expected, "the random histories must reach 48 points somewhere"
    assert changed == expected
    for s in changed:
        d = diffs[s]
        assert all(x.kind == "deactivated" for x in (*d.added, *d.removed))
        a, b = cross[s]
        assert {x.starts_at for x in d.removed} == a - b and {x.starts_at for x in d.added} == b - a
    summary = summarise(diffs.values())
    assert summary.total.deactivations_removed == sum(len(a - b) for a, b in cross.values())
    assert summary.total.deactivations_added == sum(len(b - a) for a, b in cross.values())
    assert summary.by_market["tiktok-shop"].shops_changed == len(expected)


def test_an_appeal_filed_under_a_sanction_the_draft_would_not_take_was_unnecessary():
    # TT-PTS-3 at 12 points moved to 18: the shop's 12-point violation no longer sanctions it
    draft = _draft(12, 18)
    at = day(10)
    v = ViolationIssued("v1", at, "prohibited_products", "general", 12, "default", expires_at(LIVE, "default", at))
    events = [v, AppealFiled("a1", "v1", 1, day(11)), AppealDecided("a1", "v1", "rejected", day(12), "upheld", "op")]
    d = compare("s", "tiktok-shop", LIVE, draft, events, LO, HI)
    assert [s.kind for s in d.removed] == ["no_campaigns"] and d.removed[0].days == 30
    assert d.appeals_unnecessary == ("a1",)
    assert d.live.level == d.draft.level  # expired by HI on both sides
    assert summarise([d]).total.sanction_days_removed == 30


def test_a_lengthened_sanction_is_changed_not_added_and_removed():
    text = builtin_pack_texts()["tiktok-shop"].replace("      - {kind: no_campaigns, days: 30}\n    source: \"Seed 001, TT-PTS-3: 12 points",
                                                      "      - {kind: no_campaigns, days: 45}\n    source: \"Seed 001, TT-PTS-3: 12 points")
    draft = parse_pack(text, source="draft", bases=builtin_pack_texts())
    at = day(10)
    events = [ViolationIssued("v1", at, "prohibited_products", "general", 12, "default", expires_at(LIVE, "default", at))]
    d = compare("s", "tiktok-shop", LIVE, draft, events, LO, HI)
    assert not d.added and not d.removed and len(d.changed) == 1 and d.changed[0].days == 15
    t = summarise([d]).total
    assert (t.sanctions_changed, t.sanction_days_added, t.sanction_days_removed) == (1, 15, 0)


def test_the_lean_fold_gives_the_full_folds_points_levels_and_sanctions():
    # TT-PTS-3, TT-PTS-5: simulate folds lean (no states, no notices); the rest is the live path's
    from shopwarden.core.ledger.standing import fold

    rng = random.Random(5)
    for i in range(200):
        h = _history(rng, i)
        for at in (day(100), day(300), HI):
            full, lean = fold(LIVE, h, at), fold(LIVE, h, at, lean=True)
            assert (lean.points, lean.level, lean.history, lean.classes) == (full.points, full.level, full.history, full.classes)
            assert lean.notices == [] and lean.violations == []


def _creator_rules(pack_id: str, **changes):
    rules = load_builtin_packs()[pack_id].creators
    return type(rules).model_validate(rules.model_dump() | changes)


def test_creators_are_replayed_like_shops_under_the_points_model():
    # CR-7 (points, as TT-PTS-3/5): the creators' first threshold moved from 12 to 18 points
    from shopwarden.core.simulate import compare_creator

    live = _creator_rules("tiktok-shop")
    thresholds = [t.model_dump() for t in live.thresholds]
    thresholds[0]["points"] = 18
    draft = _creator_rules("tiktok-shop", thresholds=thresholds)
    twelve = [ViolationIssued("c1", day(10), "spam_fraud", "serious", 12, "creator", day(190))]
    assert not compare_creator("cr", "tiktok-shop", live, live, twelve, None, LO, HI).differs
    d = compare_creator("cr", "tiktok-shop", live, draft, twelve, None, LO, HI)
    assert d.removed and not d.added and {s.threshold for s in d.removed} == {12} and all(s.trigger_type == "spam_fraud" for s in d.removed)


def test_creators_are_replayed_under_the_health_score():
    # CR-7 (health score): two general violations take 200 to 150, the first milestone; a draft deducting 20 keeps it at 160
    from shopwarden.core.simulate import NEVER, compare_creator

    live = _creator_rules("tiktok-shop-chr")
    draft = _creator_rules("tiktok-shop-chr", deductions=live.deductions | {"general": 20})
    two = [ViolationIssued(f"c{i}", day(10 + i), "spam_fraud", "general", 25, "score", NEVER) for i in range(2)]
    assert not compare_creator("cr", "tiktok-shop", live, live, two, None, LO, HI).differs
    d = compare_creator("cr", "tiktok-shop", live, draft, two, None, LO, HI)
    assert (d.live.level, d.live.points, d.draft.points) == (live.band_of(150), 150, 160)
    assert d.removed and all(s.point_class == "milestone" and s.threshold == 150 for s in d.removed) and not d.added
