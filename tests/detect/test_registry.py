"""The detector registry checks declarations when a detector registers, and runs what the pack enables."""

from __future__ import annotations

import pytest
from toy_detector import Shouting

from shopwarden.core.detect.base import DetectContext, Explanation, Finding, Subject
from shopwarden.core.detect.registry import DetectorRegistrationError, Registry, default_registry
from shopwarden.core.policy.schema import DetectorSettings


def test_a_duplicate_kind_is_refused():
    registry = Registry([Shouting()])
    with pytest.raises(DetectorRegistrationError, match="already registered"):
        registry.register(Shouting())
    assert len(registry) == 1


@pytest.mark.parametrize(("kind", "rules"), [("Bad Kind", ("DY-DV",)), ("ok", ()), ("ok", ("not a rule",)), (None, ("DY-DV",))])
def test_malformed_declarations_are_refused(kind, rules):
    bad = type("Bad", (Shouting,), {"kind": kind, "rules": rules})()
    with pytest.raises(DetectorRegistrationError):
        Registry([bad])


def test_scan_runs_enabled_detectors_in_order():
    registry = default_registry()
    registry.register(Shouting())
    subject = Subject.message("ADD VX: ABC_8888")
    assert [f.detector for f in registry.scan(subject, DetectContext())] == ["contact_diversion", "shouting"]
    off = DetectContext(detectors={"contact_diversion": DetectorSettings(enabled=False, source="test")})
    assert [f.detector for f in registry.scan(subject, off)] == ["shouting"]


def test_default_registry_names_its_kinds():
    registry = default_registry()
    assert registry.kinds == (
        "contact_diversion",
        "brand_qualification",
        "trademark_in_text",
        "shipping_fee",
        "bait_sku",
        "mixed_spu",
        "advertised_price",
        "comparison_price",
        "absolute_claims",
        "efficacy_claims",
        "unrelated_product",
        "restricted_terms",
    )
    assert "contact_diversion" in registry and registry["contact_diversion"].rules == ("DY-DV",)


def test_a_finding_must_have_evidence_and_a_score_in_range():
    ev = Subject.message("x").evidence("text", 0, 1)
    with pytest.raises(ValueError):
        Finding("DY-DV", "k", "minor", 1.5, Explanation("e", "z"), (ev,))
    with pytest.raises(ValueError):
        Finding("DY-DV", "k", "minor", 0.5, Explanation("e", "z"), ())


def test_subject_fields_are_read_only_and_kinds_checked():
    subject = Subject.message("hi")
    with pytest.raises(TypeError):
        subject.fields["text"] = "changed"  # type: ignore[index]
    with pytest.raises(ValueError):
        Subject("tweet", {"text": "hi"})  # type: ignore[arg-type]


def test_per_subject_memo_answers_for_the_same_objects_only():
    from shopwarden.core.detect.base import Subject, per_subject

    calls = []

    @per_subject
    def derive(subject, tag):
        calls.append(tag)
        return (subject.fields["title"], tag)

    a, b = Subject.listing(title="x"), Subject.listing(title="x")
    assert derive(a, "t") == derive(a, "t") == ("x", "t")
    assert derive(b, "t") == ("x", "t")  # an equal but different subject is derived afresh
    assert derive(b, "u") == ("x", "u")
    assert calls == ["t", "t", "u"]
