"""The replay's short cut (`core.simulate.Reach`): a shop it skips is one whose comparison cannot
differ — checked against the full `compare` over random histories with revocations and appeals and
several drafts (TT-PTS-1, TT-PTS-2, TT-PTS-3, TT-PTS-5, TT-APL-5)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import with_version
from shopwarden.core.simulate import compare, reach, replay, summarise
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs
from tests.core.ledger_factory import T0, day

LIVE = load_builtin_packs()["tiktok-shop"]
LO, HI = T0, day(500)


def _parse(text: str) -> PolicyPack:
    return parse_pack(text, source="draft", bases=builtin_pack_texts())


def _moved(old: int, new: int) -> PolicyPack:
    head, ladder = builtin_pack_texts()["tiktok-shop"].split("\nthresholds:\n", 1)
    return _parse(head + "\nthresholds:\n" + ladder.replace(f"  - points: {old}\n", f"  - points: {new}\n", 1))


def _longer_first_ban() -> PolicyPack:
    text = builtin_pack_texts()["tiktok-shop"]
    return _parse(text.replace("      - {kind: no_campaigns, days: 30}\n    source: \"Seed 001, TT-PTS-3: 12 points",
                               "      - {kind: no_campaigns, days: 45}\n    source: \"Seed 001, TT-PTS-3: 12 points"))


def _dated(pack: PolicyPack, at) -> PolicyPack:
    """`pack` in force from `at` on, after the live pack (a scheduled draft, `versions.with_version`)."""
    return with_version(LIVE, pack.model_copy(update={"effective_from": at}))


def _history(rng: random.Random, shop: int) -> list[Event]:
    out: list[Event] = []
    types = list(LIVE.violation_types)
    for i in range(rng.choice((0, 1, 2, 3, 5, 8, 12))):
        t = rng.choice(types)
        sev = rng.choice(sorted(t.severities))
        at = T0 + timedelta(days=rng.uniform(0, 480), seconds=i)
        cls = LIVE.class_of(t.type, sev)
        points = t.severities[sev].points if rng.random() < 0.9 else rng.randint(t.min_points, t.max_points)  # an operator's choice
        vid = f"v{shop}-{i}"
        out.append(ViolationIssued(vid, at, t.type, sev, points, cls, expires_at(LIVE, cls, at)))
        if rng.random() < 0.15:
            out.append(AppealFiled(f"a{vid}", vid, 1, at + timedelta(days=2)))
            outcome = rng.choice(("granted", "rejected"))
            out.append(AppealDecided(f"a{vid}", vid, outcome, at + timedelta(days=5), "r", "op"))
        elif rng.random() < 0.05:
            out.append(ViolationRevoked(vid, at + timedelta(days=rng.uniform(0, 200)), "platform"))
    return out


DRAFTS = {
    "itself": lambda: LIVE,
    "12 -> 18": lambda: _moved(12, 18),
    "48 -> 60": lambda: _moved(48, 60),
    "36 -> 30": lambda: _moved(36, 30),
    "first ban 45 days": _longer_first_ban,
    "12 -> 18 from day 200": lambda: _dated(_moved(12, 18), day(200)),
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_a_skipped_shop_is_one_whose_comparison_does_not_differ(name):
    draft = DRAFTS[name]()
    short = reach(LIVE, draft)
    assert short is not None
    rng = random.Random(hash(name) % 1000)
    skipped = 0
    for i in range(500):
        h = _history(rng, i)
        if not short.could_differ(h):
            skipped += 1
            assert not compare(f"s{i}", LIVE.market, LIVE, draft, h, LO, HI).differs, (name, i)
    assert skipped > 50  # the short cut does skip the shops far from the moved step


def test_the_pack_against_itself_skips_every_shop():
    short = reach(LIVE, LIVE)
    rng = random.Random(3)
    assert not any(short.could_differ(_history(rng, i)) for i in range(300))


def test_a_type_whose_points_change_is_never_skipped():
    # TT-PTS-1: the draft gives one severity other points; a shop with such a violation is compared in full
    t = LIVE.violation_types[0]
    sev = sorted(t.severities)[0]
    old = t.severities[sev].points
    types = [vt.model_dump() for vt in LIVE.violation_types]
    types[0]["severities"][sev]["points"] = old + 1
    draft = LIVE.model_validate(LIVE.model_dump() | {"violation_types": types})
    at = day(3)
    one = [ViolationIssued("v", at, t.type, sev, old, LIVE.class_of(t.type, sev), expires_at(LIVE, LIVE.class_of(t.type, sev), at))]
    assert reach(LIVE, draft).could_differ(one)


def test_replay_with_the_short_cut_adds_up_as_every_shop_compared():
    draft = _moved(12, 18)
    rng = random.Random(21)
    ledgers = [(f"s{i:04d}", _history(rng, i)) for i in range(400)]
    summary, changed = replay(LIVE, draft, ledgers, LO, HI)
    diffs = [compare(s, LIVE.market, LIVE, draft, h, LO, HI) for s, h in ledgers]
    full = summarise(diffs)
    assert summary == full
    assert [d.shop_id for d in changed] == [d.shop_id for d in diffs if d.differs]
