"""A toy detector for the registry and contract tests: flags text written entirely in capitals."""

from __future__ import annotations

from typing import ClassVar

from shopwarden.core.detect.base import Detector, Example, Explanation, Finding, Subject


class Shouting(Detector):
    """A toy detector: flags text written entirely in capitals."""

    kind = "shouting"
    rules: ClassVar[tuple[str, ...]] = ("TT-TOY-1",)

    @classmethod
    def examples(cls):
        return (Example(Subject.message("BUY NOW"), frozenset({"TT-TOY-1"})), Example(Subject.message("hello"), frozenset()))

    def detect(self, subject, context):
        text = subject.fields.get("text", "")
        if text.strip() and text.isupper():
            ev = subject.evidence("text", 0, len(text))
            return [Finding("TT-TOY-1", self.kind, "minor", 0.6, Explanation("all capitals", "全部大写"), (ev,))]
        return []
