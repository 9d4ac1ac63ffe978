"""The contract every detector's tests inherit (like ThreatExchange's SignalTypeAutoTest).

Subclass it with `detector = MyDetector()` (and `context` if the default one won't do); the
subclass adds its own table of cases. The checks: a declared kind and rules, registration,
examples that produce exactly their declared rule ids, evidence that indexes the original text,
determinism and purity, and silence on empty text.
"""

from __future__ import annotations

import copy
import re
from typing import ClassVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopwarden.core.detect.base import SUBJECT_KINDS, DetectContext, Detector, Finding, Subject
from shopwarden.core.detect.registry import DetectorRegistrationError, Registry

# Text a detector meets in the wild: CJK, full-width forms, numerals, emoji, digits, separators.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("微信vVxX加我电话号码壹叁捌零一三八幺①⑩０１２３@.:/- _❤️\u200b淘宝点comwa")),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


def check_evidence(subject: Subject, findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.evidence, f"{finding.rule}: no evidence"
        for ev in finding.evidence:
            original = subject.fields[ev.field]
            assert 0 <= ev.start < ev.end <= len(original), f"span {ev.start}:{ev.end} outside {ev.field!r}"
            assert original[ev.start : ev.end] == ev.text, f"evidence {ev.text!r} is not {ev.field}[{ev.start}:{ev.end}]"


class DetectorContract:
    detector: ClassVar[Detector]
    context: ClassVar[DetectContext] = DetectContext()

    def _run(self, subject: Subject, context: DetectContext | None = None) -> list[Finding]:
        return self.detector.detect(subject, context or self.context)

    def test_declares_a_kind(self):
        assert isinstance(self.detector.kind, str) and re.fullmatch(r"[a-z][a-z0-9_]*", self.detector.kind)

    def test_declares_rules(self):
        assert self.detector.rules and all(re.fullmatch(r"[A-Z]{2,}(?:-[A-Z0-9]+)+", r) for r in self.detector.rules)

    def test_registers_once(self):
        registry = Registry([self.detector])
        assert self.detector.kind in registry
        try:
            registry.register(type(self.detector)())
        except DetectorRegistrationError:
            return
        raise AssertionError("a second detector of the same kind was accepted")

    def test_examples_cover_every_rule_and_a_negative(self):
        examples = self.detector.examples()
        covered = set().union(*(e.rules for e in examples))
        assert covered >= set(self.detector.rules), f"rules without a positive example: {set(self.detector.rules) - covered}"
        assert any(not e.rules for e in examples), "no negative example"

    def test_examples_produce_their_declared_rules(self):
        for example in self.detector.examples():
            found = {f.rule for f in self._run(example.subject, example.context)}
            assert found == set(example.rules), f"{example.note}: expected {set(example.rules)}, got {found}"

    def test_findings_are_well_formed(self):
        for example in self.detector.examples():
            findings = self._run(example.subject, example.context)
            check_evidence(example.subject, findings)
            for f in findings:
                assert f.rule in self.detector.rules and f.detector == self.detector.kind
                assert 0.0 <= f.score <= 1.0 and f.severity
                assert f.explanation.en.strip() and f.explanation.zh.strip()

    def test_deterministic_and_pure(self):
        for example in self.detector.examples():
            context = example.context or self.context
            fields_before, context_before = dict(example.subject.fields), copy.deepcopy(context)
            first = self._run(example.subject, context)
            again = type(self.detector)().detect(example.subject, context)
            assert first == again, f"{example.note}: a second run (fresh instance) differs"
            assert dict(example.subject.fields) == fields_before and context == context_before, "detect changed its input"

    def test_empty_text_gives_no_findings(self):
        for kind in SUBJECT_KINDS:
            for text in ("", " ", "\n\t", "\u200b"):
                assert self._run(Subject(kind, {"text": text})) == [], f"{kind} {text!r}"

    # differing_executors: every detector's subclass runs this one inherited test, by design.
    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors]
    )
    @given(text=TEXT, kind=st.sampled_from(SUBJECT_KINDS))
    def test_any_text_gives_exact_evidence_deterministically(self, text, kind):
        subject = Subject(kind, {"text": text, "title": text[::-1]})
        findings = self._run(subject)
        check_evidence(subject, findings)
        assert findings == self._run(subject)
