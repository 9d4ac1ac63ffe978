"""Every section of a policy pack is closed: an unknown key is an error with its YAML path and the
nearest valid name, `detectors:` included (a misspelt detector or setting would leave the default on)."""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from shopwarden.core.detect.copied_image import CopiedImage
from shopwarden.core.detect.image_text import ImageText
from shopwarden.core.detect.registry import default_registry
from shopwarden.core.policy.detector_settings import DETECTOR_SETTINGS
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.reviews import coercion, competitor, diversion, invalid, repeated, wrong_product
from shopwarden.errors import PolicyError, PolicyProblem
from shopwarden.service.policies import builtin_pack_texts
from tests.core.test_policy_loader import SMALL, edited

DETECTORS = """\
detectors:
  contact_diversion:
    thresholds: {min_score: 0.6, severity.serious: 0.95}
    shadow: {version: v2, thresholds: {learned.min: 0.8}}
    source: test value
  review_repeated:
    thresholds: {min_negative: 3, window_days: 90}
    source: test value
"""

# Settings a detector reads beside its DEFAULTS (with a default computed elsewhere).
READ_BEYOND_DEFAULTS = {"contact_diversion": {"learned.min"}}  # the trained model's own threshold when unset


def problems_of(text: str) -> list[PolicyProblem]:
    with pytest.raises(PolicyError) as caught:
        parse_pack(text, "test.yaml")
    return caught.value.problems


def line_of(text: str, part: str) -> int:
    (line,) = [n for n, row in enumerate(text.splitlines(), 1) if part in row]
    return line


def only(problems: list[PolicyProblem]) -> PolicyProblem:
    assert len(problems) == 1, [(p.path, p.message) for p in problems]
    return problems[0]


def test_a_detectors_section_with_known_names_parses():
    pack = parse_pack(SMALL + DETECTORS, "small.yaml")
    assert pack.detectors["contact_diversion"].thresholds == {"min_score": 0.6, "severity.serious": 0.95}
    shadow = pack.detectors["contact_diversion"].shadow
    assert shadow is not None and shadow.thresholds == {"learned.min": 0.8}


def test_a_misspelt_detector_kind_names_the_nearest_detector():
    text = SMALL + DETECTORS.replace("  review_repeated:", "  review_repeat:")
    problem = only(problems_of(text))
    assert problem.path == "detectors.review_repeat" and "names no detector" in problem.message
    assert problem.hint.startswith("did you mean 'review_repeated'?") and problem.line == line_of(text, "  review_repeat:")


def test_a_misspelt_threshold_names_the_nearest_setting():
    text = SMALL + DETECTORS.replace("min_negative: 3", "min_negatve: 3")
    problem = only(problems_of(text))
    assert problem.path == "detectors.review_repeated.thresholds.min_negatve"
    assert problem.hint.startswith("did you mean 'min_negative'?") and problem.line == line_of(text, "min_negatve")


def test_a_dotted_threshold_is_quoted_in_its_path():
    problem = only(problems_of(SMALL + DETECTORS.replace("{min_score: 0.6,", "{min_score: 0.6, learned.vetoo: 0.2,")))
    assert problem.path == 'detectors.contact_diversion.thresholds["learned.vetoo"]'
    assert "did you mean 'learned.veto'?" in problem.hint


def test_a_shadows_thresholds_are_closed_too():
    problem = only(problems_of(SMALL + DETECTORS.replace("{learned.min: 0.8}", "{learned.mni: 0.8}")))
    assert problem.path == 'detectors.contact_diversion.shadow.thresholds["learned.mni"]'
    assert "did you mean 'learned.min'?" in problem.hint


def test_every_mistake_in_detectors_is_reported_at_once():
    text = SMALL + DETECTORS.replace("min_negative: 3", "min_negatve: 3").replace("  contact_diversion:", "  contact_divrsion:")
    assert sorted(p.path for p in problems_of(text)) == ["detectors.contact_divrsion", "detectors.review_repeated.thresholds.min_negatve"]


def test_a_misspelt_key_in_a_shipped_pack_is_refused():
    text = builtin_pack_texts()["douyin"]
    assert "    thresholds: {min_negative: 3," in text
    problems = problems_of(text.replace("    thresholds: {min_negative: 3,", "    thresholds: {min_negativ: 3,", 1))
    assert [p.path for p in problems] == ["detectors.review_repeated.thresholds.min_negativ"]


def test_a_severity_floor_of_any_severity_name_is_a_setting():
    assert parse_pack(SMALL + DETECTORS.replace("min_negative: 3", "severity.critical: 0.99"), "small.yaml")
    problem = only(problems_of(SMALL + DETECTORS.replace("min_negative: 3", "severity: 0.99")))
    assert problem.path == "detectors.review_repeated.thresholds.severity"


@pytest.mark.parametrize("change, path, nearest", [
    (lambda d: d["thresholds"][0].__setitem__("level", "hihg"), "thresholds[0].level", "high"),
    (lambda d: d["sanction_kinds"][0]["removes"].append("seling"), "sanction_kinds[0].removes[1]", "selling"),
    (lambda d: d["appeals"]["windows"][0].__setitem__("after", "violation_isued"), "appeals.windows[0].after", "violation_issued"),
    (lambda d: d["calendar"].__setitem__("timezon", "UTC"), "calendar.timezon", "timezone"),
    (lambda d: d["point_classes"][0]["expiry"].__setitem__("dyas", 1), "point_classes[0].expiry.dyas", "days"),
])
def test_other_sections_name_the_nearest_valid_name(change: Callable[[dict[str, Any]], None], path: str, nearest: str):
    problem = only(problems_of(edited(change)))
    assert problem.path == path and f"did you mean {nearest!r}?" in problem.hint


def test_a_misspelt_dsa_measure_kind_names_the_nearest_kind():
    text = builtin_pack_texts()["tiktok-shop-eu"]
    assert "    review.hidden:" in text
    with pytest.raises(PolicyError) as caught:
        parse_pack(text.replace("    review.hidden:", "    review.hiden:", 1), "test:eu", bases=builtin_pack_texts())
    problem = only(caught.value.problems)
    assert problem.path == "dsa.measures.review.hiden" and "did you mean 'review.hidden'?" in problem.hint


# ---- the table of settings is the detectors' own ----


def _shipped_settings() -> dict[str, set[str]]:
    detectors = [*default_registry(), ImageText(), CopiedImage()]
    out = {d.kind: set(sys.modules[type(d).__module__].DEFAULTS) for d in detectors}
    for module in (coercion, competitor, diversion, invalid, repeated, wrong_product):
        out[module.KIND] = set(module.DEFAULTS)
    for kind, extra in READ_BEYOND_DEFAULTS.items():
        out[kind] |= extra
    return out


def test_the_table_of_settings_is_every_detectors_defaults():
    shipped = _shipped_settings()
    assert sorted(DETECTOR_SETTINGS) == sorted(shipped)
    for kind, names in shipped.items():
        assert DETECTOR_SETTINGS[kind] == names, kind


# ---- no section is open by accident ----

# The mappings whose keys the pack itself chooses, each with what checks them.
KEYED_BY_THE_PACK = {
    ("PolicyPack", "detectors"): "detector_settings.py: the shipped detectors",
    ("DetectorSettings", "thresholds"): "detector_settings.py: the settings that detector reads",
    ("ShadowSettings", "thresholds"): "detector_settings.py: the settings that detector reads",
    ("ViolationType", "severities"): "defines the type's severities (Slug)",
    ("RectificationRules", "escalate"): "a rule id or '*', as the decision rows",
    ("LowPositiveRate", "categories"): "category paths of the marketplace",
    ("CreatorViolationType", "severities"): "defines the type's severities (Slug)",
    ("ContentChecks", "terms"): "a Literal of term categories",
    ("PointsRules", "rule_categories"): "a rule id or family, as the findings'",
    ("HealthScoreRules", "deductions"): "defines the severities' deductions (Slug)",
    ("HealthScoreRules", "rule_categories"): "a rule id or family, as the findings'",
    ("DsaRules", "measures"): "dsa.py: the engine's measure kinds",
    ("DsaRules", "grounds"): "dsa.py: the pack's violation types",
    ("Lexicons", "markets"): "a Literal of markets",
}


def _models(tp: Any, seen: dict[str, type[BaseModel]]) -> None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp.__name__ in seen:
            return
        seen[tp.__name__] = tp
        for field in tp.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(tp):
        _models(arg, seen)


def _is_mapping(tp: Any) -> bool:
    if typing.get_origin(tp) is typing.Annotated:
        return _is_mapping(typing.get_args(tp)[0])
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return any(_is_mapping(a) for a in typing.get_args(tp))
    return typing.get_origin(tp) is dict


def test_every_section_forbids_unknown_fields_and_every_open_mapping_is_accounted_for():
    seen: dict[str, type[BaseModel]] = {}
    _models(PolicyPack, seen)
    assert len(seen) > 30
    assert [name for name, m in seen.items() if m.model_config.get("extra") != "forbid"] == []
    mappings = {(name, f) for name, m in seen.items() for f, info in m.model_fields.items() if _is_mapping(info.annotation)}
    assert sorted(mappings) == sorted(KEYED_BY_THE_PACK)
