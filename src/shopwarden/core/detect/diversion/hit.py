"""A signal's raw hit: a span of the original text, a score and a bilingual reason."""

from __future__ import annotations

from dataclasses import dataclass

from shopwarden.core.text import View


@dataclass(frozen=True, slots=True)
class Hit:
    signal: str  # "phone", "messenger", "link", "email", "platform", "payment", "bank_card", …
    start: int  # offsets into the original text
    end: int
    score: float
    en: str
    zh: str
    value: str = ""  # the contact itself, normalized, so a declared contact can be matched

    @classmethod
    def on(cls, view: View, start: int, end: int, signal: str, score: float, en: str, zh: str, value: str = "") -> Hit:
        """A hit on view characters `start:end`, placed on the original text."""
        src_start, src_end = view.source_span(start, end)
        return cls(signal, src_start, src_end, min(score, 0.99), en, zh, value)
