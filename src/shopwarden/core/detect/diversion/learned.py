"""DY-DV's learned second stage: a logistic regression over character n-grams of the folded
text and the rule layer's signals, for the solicitation no rule spells out.

The weights are a Python module (`learned_weights`) that `scripts/train_dv_model.py` writes
(scikit-learn at training time only); inference is this file: one Aho-Corasick pass finds the
n-grams the model knows, their weights and the signals' are summed, and a Platt curve fitted on
out-of-fold scores (folds by template) turns the sum into a calibrated probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from shopwarden.core.detect.diversion import learned_weights
from shopwarden.core.text import NormalizedText

NGRAMS = (2, 3, 4)
_DIGITS = str.maketrans("0123456789", "0000000000")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")


def model_text(folded: str) -> str:
    """The text the n-grams are read from: folded, every digit a 0, padded with spaces."""
    return f" {folded.translate(_DIGITS)} "


def ngrams(text: str) -> set[str]:
    """Every n-gram of `model_text`, as the trainer counts them (inference finds the same ones)."""
    return {text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)}


@dataclass(frozen=True, slots=True)
class Verdict:
    probability: float
    start: int  # the model text's sentence that weighs most, as offsets of `model_text`
    end: int


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for i, (gram, weight) in enumerate(learned_weights.NGRAM_WEIGHTS.items()):
        automaton.add_word(gram, (i, weight))
    automaton.make_automaton()
    return automaton


def threshold() -> float:
    return learned_weights.THRESHOLD


def judge(text: str, signals: frozenset[str]) -> Verdict:
    """The calibrated probability that `text` (a `model_text`) solicits off-platform, given the
    rule layer's `signals`, and the sentence that weighs most towards it."""
    seen: dict[int, tuple[int, float]] = {}
    for end, (i, weight) in _automaton().iter(text):
        if i not in seen:
            seen[i] = (end, weight)
    score = learned_weights.INTERCEPT + sum(w for _, w in seen.values())
    score += sum(learned_weights.SIGNAL_WEIGHTS.get(s, 0.0) for s in signals)
    a, b = learned_weights.PLATT
    probability = 1.0 / (1.0 + math.exp(-(a * score + b)))
    return Verdict(probability, *_heaviest_sentence(text, seen.values()))


def _heaviest_sentence(text: str, matches) -> tuple[int, int]:
    spans = [m.span() for m in _SENTENCE.finditer(text)] or [(0, len(text))]
    weights = [0.0] * len(spans)
    for end, weight in matches:
        for k, (s, e) in enumerate(spans):
            if s <= end < e:
                weights[k] += weight
                break
    best = max(range(len(spans)), key=weights.__getitem__)
    return spans[best]


def verdict_for(norm: NormalizedText, signals: frozenset[str]) -> Verdict:
    return judge(model_text(norm.folded.text), signals)
