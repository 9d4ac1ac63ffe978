"""Loading a pack: every problem at once, each with its YAML path, line and hint; the API shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from shopwarden.core.policy.base import path_of
from shopwarden.core.policy.checks import check_pack
from shopwarden.core.policy.loader import pack_summary, pack_to_api, parse_pack
from shopwarden.errors import PolicyError, PolicyProblem
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs

# A small valid pack; the tests break it in known places (line numbers matter below).
SMALL = """\
id: small
version: "1"
name: {en: Small, zh: 小}
market: test
region: XX
effective_from: 2026-01-01T00:00:00Z
source: a pack for tests
levels:
  - {id: low, name: {en: Low, zh: 低}}
  - {id: high, name: {en: High, zh: 高}}
privileges:
  - {id: selling, name: {en: Selling, zh: 经营}}
sanction_kinds:
  - {kind: suspended, name: {en: Suspended, zh: 封禁}, removes: [selling]}
point_classes:
  - id: default
    name: {en: Points, zh: 分}
    expiry: {kind: rolling, days: 180, source: test value}
    source: test value
warning_margin: 2
warning_margin_source: test value
thresholds:
  - points: 10
    level: high
    sanctions: [{kind: suspended, days: 7}]
    source: test value
violation_types:
  - type: spam
    name: {en: Spam, zh: 垃圾}
    min_points: 1
    max_points: 6
    severities: {minor: 1, general: 3}
    source: test value
appeals:
  max_appeals: 1
  windows: [{number: 1, days: 7, after: violation_issued}]
  source: test value
calendar:
  timezone: UTC
  source: test value
"""


def problems_of(text: str) -> list[PolicyProblem]:
    with pytest.raises(PolicyError) as caught:
        parse_pack(text, "test.yaml")
    assert caught.value.source == "test.yaml"
    return caught.value.problems


def edited(change: Callable[[dict], None], text: str = SMALL) -> str:
    """`text` with `change` applied to its mapping, dumped back to YAML."""
    yaml = YAML()
    data = yaml.load(text)
    change(data)
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def paths(problems: list[PolicyProblem]) -> list[str]:
    return [p.path for p in problems]


def test_the_small_pack_is_valid():
    assert parse_pack(SMALL, "small.yaml").id == "small"


def test_three_mistakes_of_three_kinds_are_all_reported():
    text = (
        SMALL.replace("  - points: 10\n", "  - points: ten\n")  # a type error (pydantic)
        .replace("    level: high\n", "    level: extreme\n")  # an unknown level (cross-reference)
        .replace("{minor: 1, general: 3}", "{minor: 1, general: 9}")  # a severity outside 1..6
    )
    problems = problems_of(text)
    assert paths(problems) == ["thresholds[0].points", "thresholds[0].level", "violation_types[0].severities.general.points"]
    assert [p.line for p in problems] == [23, 24, 32]
    points, level, severity = problems
    assert "valid integer" in points.message and "'ten'" in points.message and "whole number" in points.hint
    assert "unknown level 'extreme'" in level.message and level.hint == "known levels: low, high"
    assert "outside the type's range 1..6" in severity.message and "between 1 and 6" in severity.hint


def test_a_severity_written_as_a_mapping_points_at_its_points():
    problems = problems_of(SMALL.replace("{minor: 1, general: 3}", "{minor: 1, general: {points: 7}}"))
    assert paths(problems) == ["violation_types[0].severities.general.points"]


def test_a_negative_shorthand_severity_is_reported_where_it_is_written():
    problems = problems_of(SMALL.replace("general: 3}", "general: -1}"))
    assert paths(problems)[0] == "violation_types[0].severities.general.points" and problems[0].line == 32


def test_yaml_syntax_error_reports_its_line():
    problems = problems_of(SMALL.replace("  - points: 10\n", "  - points: [10\n"))
    assert len(problems) == 1 and problems[0].path == "(yaml)"
    assert problems[0].line == 24 and "syntax" in problems[0].message


def test_duplicate_yaml_key_reports_its_line():
    problems = problems_of(SMALL.replace("region: XX\n", "region: XX\nregion: YY\n"))
    assert problems[0].line == 6 and "duplicate key" in problems[0].message


@pytest.mark.parametrize("text, found", [("", "empty document"), ("- a\n- b\n", "list"), ("just text\n", "str")])
def test_a_document_that_is_no_mapping(text, found):
    (problem,) = problems_of(text)
    assert problem.path == "(pack)" and found in problem.message


def test_unknown_field_suggests_the_close_one():
    (problem,) = problems_of(SMALL.replace("    min_points: 1\n", "    min_pionts: 1\n    min_points: 1\n"))
    assert problem.path == "violation_types[0].min_pionts" and "did you mean 'min_points'" in problem.hint


def test_tagged_union_errors_drop_the_tag_from_the_path():
    problems = problems_of(SMALL.replace("{kind: rolling, days: 180, source: test value}", "{kind: rolling, source: test value}"))
    assert paths(problems) == ["point_classes[0].expiry.days"] and problems[0].line == 18


def test_unknown_expiry_kind_lists_the_allowed_kinds():
    (problem,) = problems_of(SMALL.replace("kind: rolling", "kind: forever"))
    assert problem.path == "point_classes[0].expiry" and "'rolling'" in problem.hint and "'calendar'" in problem.hint


def test_literal_error_lists_the_allowed_values():
    (problem,) = problems_of(SMALL.replace("after: violation_issued", "after: notice"))
    assert problem.path == "appeals.windows[0].after" and "violation_issued" in problem.hint


def test_bad_id_explains_the_id_pattern():
    (problem,) = problems_of(SMALL.replace("type: spam", "type: Spam Mail"))
    assert problem.path == "violation_types[0].type" and "lower-case" in problem.hint


# ---- cross-reference checks, one case each ----

CROSS_CASES = {
    "duplicate level": (lambda d: d["levels"].append({"id": "low", "name": {"en": "L", "zh": "低"}}), "levels[2].id", "already defined at levels[0]"),
    "unknown sanction kind": (lambda d: d["thresholds"][0]["sanctions"].append({"kind": "ban", "days": 1}), "thresholds[0].sanctions[1].kind", "known sanction kinds: suspended"),
    "unknown threshold class": (lambda d: d["thresholds"][0].__setitem__("point_class", "Z"), "thresholds[0].point_class", "known point classes: default"),
    "unknown privilege": (lambda d: d["sanction_kinds"][0]["removes"].append("flying"), "sanction_kinds[0].removes[1]", "known privileges: selling"),
    "min above max": (lambda d: d["violation_types"][0].__setitem__("min_points", 9), "violation_types[0].min_points", "swap"),
    "unknown severity class": (lambda d: d["violation_types"][0]["severities"].__setitem__("general", {"points": 3, "point_class": "B"}), "violation_types[0].severities.general.point_class", "known point classes: default"),
    "unknown type class": (lambda d: d["violation_types"][0].__setitem__("point_class", "B"), "violation_types[0].point_class", "known point classes: default"),
    "ladder not ascending": (lambda d: d["thresholds"].append({"points": 5, "level": "high", "source": "test value"}), "thresholds[1].points", "lowest first"),
    "level falls": (lambda d: d["thresholds"].append({"points": 20, "level": "low", "source": "test value"}), "thresholds[1].level", "levels rise"),
    "window numbering": (lambda d: d["appeals"]["windows"][0].__setitem__("number", 2), "appeals.windows[0].number", "1, 2"),
    "too many windows": (lambda d: d["appeals"]["windows"].append({"number": 2, "days": 7, "after": "previous_rejected"}), "appeals.windows", "max_appeals"),
    "unknown primary class": (lambda d: d.__setitem__("primary_class", "B"), "primary_class", "known point classes: default"),
    "holiday and workday": (lambda d: d["calendar"].update(holidays=["2026-02-14"], workdays=["2026-02-14"]), "calendar.workdays[0]", "calendar.holidays[0]"),
    "workday on a weekday": (lambda d: d["calendar"].update(workdays=["2026-02-16"]), "calendar.workdays[0]", "weekend"),
    "unknown time zone": (lambda d: d["calendar"].__setitem__("timezone", "Asia/Atlantis"), "calendar.timezone", "IANA"),
    "calendar expiry zone": (lambda d: d["point_classes"][0].__setitem__("expiry", {"kind": "calendar", "period": "year", "timezone": "Nowhere/City", "source": "test value"}), "point_classes[0].expiry.timezone", "IANA"),
}


@pytest.mark.parametrize("case", sorted(CROSS_CASES))
def test_cross_reference_check(case):
    change, path, hint = CROSS_CASES[case]
    problems = problems_of(edited(change))
    assert paths(problems) == [path]
    assert hint in problems[0].hint and problems[0].line is not None


def test_naive_effective_from_is_refused():
    (problem,) = problems_of(SMALL.replace("2026-01-01T00:00:00Z", "2026-01-01T00:00:00"))
    assert problem.path == "effective_from" and "zone" in problem.message


def test_checks_still_run_when_pydantic_fails_in_the_same_entry():
    text = edited(lambda d: d["thresholds"][0].update(points="ten", level="nowhere", source=5))
    assert sorted(paths(problems_of(text))) == ["thresholds[0].level", "thresholds[0].points", "thresholds[0].source"]


def test_review_report_shares_must_escalate():
    tt = builtin_pack_texts()["tiktok-shop"]
    problems = problems_of(tt.replace("warn_share: 0.6", "warn_share: 0.9"))
    assert paths(problems) == ["review_reports.abuse.warn_share"]


def test_dy_lq_1_the_automatic_ban_issues_a_type_and_severity_the_pack_defines():
    dy = builtin_pack_texts()["douyin"]
    parse_pack(dy, "douyin.yaml")  # valid as shipped
    (problem,) = problems_of(dy.replace("  severity: minor\n  source: >-\n    Seed 002, DY-LQ-1", "  severity: tiny\n  source: >-\n    Seed 002, DY-LQ-1"))
    assert problem.path == "low_positive_rate.severity" and "minor" in problem.hint
    renamed = dy.replace("type: low_positive_rate_product", "type: low_rate_product")
    assert [p.path for p in problems_of(renamed)] == ["low_positive_rate"]


def test_pack_to_api_shows_dy_lq_1s_numbers():
    body = pack_to_api(load_builtin_packs()["douyin"])
    assert body["low_positive_rate"]["threshold"] == 0.7 and body["low_positive_rate"]["categories"]["服饰"] == 0.65
    assert pack_to_api(load_builtin_packs()["tiktok-shop"])["low_positive_rate"] is None


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 60) | st.text(max_size=6) | st.sampled_from(["low", "A", "2026-02-14", "UTC"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "kind", "points", "level", "sanctions", "severities", "windows", "number", "holidays", "workdays", "timezone", "expiry", "removes", "min_points", "max_points", "point_class"]), inner, max_size=4),
    max_leaves=12,
)
TOP_KEYS = ["levels", "privileges", "sanction_kinds", "point_classes", "primary_class", "thresholds", "violation_types", "appeals", "calendar", "review_reports", "effective_from"]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(TOP_KEYS), JSONISH, max_size=6))
def test_checks_never_crash_on_garbage(data):
    for problem in check_pack(data):
        assert problem.path and problem.message


def test_path_rendering():
    assert path_of("violation_types", 3, "severities", "general", "points") == "violation_types[3].severities.general.points"
    assert path_of("severities", "a.b") == 'severities["a.b"]'


# ---- API shapes ----


def test_pack_summary_shape():
    summary = pack_summary(load_builtin_packs()["tiktok-shop"])
    assert summary == {"id": "tiktok-shop", "version": "2025.06", "market": "tiktok-shop", "region": "SEA", "effective_from": "2025-06-03T00:00:00Z"}


@pytest.mark.parametrize("pack_id", ["tiktok-shop", "douyin", "shopee"])
def test_pack_to_api_shape(pack_id):
    pack = load_builtin_packs()[pack_id]
    body = json.loads(json.dumps(pack_to_api(pack)))  # JSON-ready, nothing lost in the round trip
    assert body == pack_to_api(pack)
    assert {"id", "version", "market", "region", "effective_from", "violation_types", "thresholds", "warning_margin", "appeals"} <= set(body)
    for vt in body["violation_types"]:
        assert {"type", "name", "name_zh", "min_points", "max_points", "severities"} <= set(vt)
        assert all(isinstance(v, int) for v in vt["severities"].values())
    for th in body["thresholds"]:
        assert set(th) == {"points", "level", "point_class", "sanctions"}
        assert all(set(s) == {"kind", "days"} for s in th["sanctions"])


def test_pack_to_api_values_for_tiktok():
    body = pack_to_api(load_builtin_packs()["tiktok-shop"])
    assert body["warning_margin"] == 5
    assert body["thresholds"][-1] == {"points": 48, "level": "very_high", "point_class": "default", "sanctions": [{"kind": "deactivated", "days": None}]}
    ip = next(v for v in body["violation_types"] if v["type"] == "ip_infringement")
    assert (ip["name"], ip["min_points"], ip["max_points"], ip["severities"]) == ("Intellectual property infringement", 1, 48, {"minor": 1, "general": 6, "serious": 24, "critical": 48})
    assert body["appeals"]["max_appeals"] == 2 and body["appeals"]["decision_sla"] is None
    assert body["appeals"]["windows"][1] == {"number": 2, "days": 15, "after": "previous_rejected"}


def test_pack_to_api_gives_douyin_classes_per_severity():
    body = pack_to_api(load_builtin_packs()["douyin"])
    lq = next(v for v in body["violation_types"] if v["type"] == "low_positive_rate_product")
    assert lq["severity_details"]["serious"] == {"points": 4, "point_class": "B", "takedown": True}
    assert body["calendar"]["workdays"][0] == "2026-01-04"
