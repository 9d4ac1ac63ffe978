"""The decision table and rectification settings of the packs (issue 3): checked references."""

from __future__ import annotations

from io import StringIO

import pytest
from ruamel.yaml import YAML

from shopwarden.core.policy.loader import parse_pack
from shopwarden.errors import PolicyError
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs


def _douyin_with(mutate) -> str:
    yaml = YAML()
    data = yaml.load(builtin_pack_texts()["douyin"])
    mutate(data)
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def test_builtin_decision_tables_end_with_a_catch_all():
    for pack in load_builtin_packs().values():
        if pack.decisions:
            assert pack.decisions[-1].rule == "*" and pack.decisions[-1].decision == "review", pack.id


def test_a_decision_row_must_issue_a_known_type_and_severity():
    def break_it(data):
        data["decisions"][0]["issue"]["type"] = "nope"
        data["decisions"][2]["issue"] = {"type": "unreasonable_pricing", "severity": "gigantic"}
        data["rectification"]["escalate"]["DY-IP"]["type"] = "also_nope"

    with pytest.raises(PolicyError) as err:
        parse_pack(_douyin_with(break_it), "douyin.yaml")
    paths = {p.path for p in err.value.problems}
    assert {"decisions[0].issue.type", "decisions[2].issue.severity", "rectification.escalate.DY-IP.type"} <= paths


def test_escalation_falls_back_to_the_catch_all():
    rect = load_builtin_packs()["douyin"].rectification
    assert rect.escalation("DY-PR").type == "unreasonable_pricing"
    assert rect.escalation("DY-XX").severity == "minor"
