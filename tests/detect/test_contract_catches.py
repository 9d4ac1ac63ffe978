"""The contract is only worth inheriting if it fails broken detectors: each one here breaks one clause."""

from __future__ import annotations

import itertools
from typing import ClassVar

import pytest
from contract import DetectorContract
from toy_detector import Shouting

from shopwarden.core.detect.base import Example, Explanation, Finding, Subject


class OffByOne(Shouting):
    def detect(self, subject, context):
        text = subject.fields.get("text", "")
        if text.strip() and text.isupper():
            ev = subject.evidence("text", 0, len(text))
            ev = type(ev)(ev.field, ev.start, ev.end, ev.text[:-1])  # text no longer matches the span
            return [Finding("TT-TOY-1", self.kind, "minor", 0.6, Explanation("e", "z"), (ev,))]
        return []


_counter = itertools.count()


class Flaky(Shouting):
    def detect(self, subject, context):
        return [replace_score(f, next(_counter) % 2 / 2) for f in super().detect(subject, context)]


def replace_score(f: Finding, score: float) -> Finding:
    return Finding(f.rule, f.detector, f.severity, score, f.explanation, f.evidence)


class WrongExamples(Shouting):
    @classmethod
    def examples(cls):
        return (Example(Subject.message("hello"), frozenset({"TT-TOY-1"})), Example(Subject.message("x"), frozenset()))


class NoisyOnEmpty(Shouting):
    def detect(self, subject, context):
        ev = Subject.message("!").evidence("text", 0, 1)
        return [Finding("TT-TOY-1", self.kind, "minor", 0.5, Explanation("e", "z"), (ev,))]


class NoRules(Shouting):
    rules: ClassVar[tuple[str, ...]] = ()


@pytest.mark.parametrize(
    ("detector", "clause"),
    [
        (OffByOne(), "test_findings_are_well_formed"),
        (Flaky(), "test_deterministic_and_pure"),
        (WrongExamples(), "test_examples_produce_their_declared_rules"),
        (NoisyOnEmpty(), "test_empty_text_gives_no_findings"),
        (NoRules(), "test_declares_rules"),
    ],
)
def test_contract_fails_a_broken_detector(detector, clause):
    suite = type("Suite", (DetectorContract,), {"detector": detector})()
    with pytest.raises(AssertionError):
        getattr(suite, clause)()


def test_contract_passes_a_sound_detector():
    suite = type("Suite", (DetectorContract,), {"detector": Shouting()})()
    for clause in [name for name in dir(DetectorContract) if name.startswith("test_") and "any_text" not in name]:
        getattr(suite, clause)()
