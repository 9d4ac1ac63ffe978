"""Every measure kind the engine can apply has a statement of reasons (DSA Art. 17), and the EU pack maps it."""

from __future__ import annotations

import typing

import pytest

from shopwarden.core.measure_kinds import MEASURE_KINDS
from shopwarden.core.notices import MEASURE_OF, MISUSE_KINDS
from shopwarden.core.policy.creators import MEASURE_KINDS as CREATOR_KINDS
from shopwarden.core.policy.experience import MeasureSpec
from shopwarden.core.policy.loader import parse_pack
from shopwarden.errors import PolicyError
from shopwarden.service import statements
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs


def engine_kinds() -> set[str]:
    """What the engine applies, read from where each kind is defined, not from MEASURE_KINDS."""
    kinds = {f"sanction.{s.kind}" for p in load_builtin_packs().values() for s in p.sanction_kinds}
    kinds |= {f"creator.{k}" for k in CREATOR_KINDS}
    kinds |= {f"quality.{k}" for k in typing.get_args(MeasureSpec.model_fields["kind"].annotation)}
    kinds |= set(statements._MATCH_KINDS.values()) | {"listing.banned", "review.hidden"}
    kinds |= {f"creator.{k}" for k in statements._CONTENT_KINDS}
    kinds |= set(MEASURE_OF.values()) | set(MISUSE_KINDS.values())
    return kinds


def test_every_engine_measure_kind_has_a_statement_mapping():
    # DSA Art. 17: a new kind without an entry in core/measure_kinds.py fails here
    missing = engine_kinds() - set(MEASURE_KINDS)
    assert not missing, f"measure kinds without a statement mapping: {sorted(missing)}"


def test_the_eu_pack_maps_every_kind_and_exports_every_restriction():
    # DSA Art. 24(5): each restriction has its Transparency Database fields; a warning alone is not exported
    dsa = load_builtin_packs()["tiktok-shop-eu"].dsa
    assert set(dsa.measures) == set(MEASURE_KINDS)
    for kind, spec in MEASURE_KINDS.items():
        assert dsa.measures[kind].export == (spec.restricts != "none"), kind


def test_the_eu_pack_keeps_appeals_open_six_months():
    # DSA Art. 20(1): the shop's and the creators' first appeal window
    pack = load_builtin_packs()["tiktok-shop-eu"]
    assert pack.appeals.windows[0].days >= 183 and pack.for_creators.appeals.windows[0].days >= 183
    assert pack.violation_types == load_builtin_packs()["tiktok-shop"].violation_types  # else inherited


def _eu_text(replace: str, by: str) -> str:
    text = builtin_pack_texts()["tiktok-shop-eu"]
    assert replace in text
    return text.replace(replace, by, 1)


@pytest.mark.parametrize("replace,by,path", [
    ("      days: 183\n", "      days: 30\n", "appeals.windows[0].days"),
    ("  appeal_days: 183", "  appeal_days: 30", "creators.appeal_days"),
    ("    review.hidden:", "    review.vanished:", "dsa.measures.review.vanished"),
    ("    knockoff:\n", "    knock_off:\n", "dsa.grounds.knock_off"),
])
def test_a_broken_dsa_section_is_refused_with_its_place(replace, by, path):
    with pytest.raises(PolicyError) as err:
        parse_pack(_eu_text(replace, by), "test:eu", bases=builtin_pack_texts())
    assert path in {p.path for p in err.value.problems}, [p.path for p in err.value.problems]
