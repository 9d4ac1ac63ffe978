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
from functools import cache
from operator import itemgetter

import ahocorasick

from shopwarden.core.detect.diversion import learned_weights

NGRAMS = (3, 4)
# Every number, separators inside it included, is one "0": numbers are the rule layer's to judge
# (phones, accounts, IBANs, with their context); the model reads the words around them. It also
# keeps the automaton's matches few on listings full of prices, sizes and model numbers.
_NUMBER = re.compile(r"\d(?:[\s\-.]?\d)*")
_SENTENCE = re.compile("[^.!?。！？\n¶]+[.!?。！？\n¶]*")


def model_text(folded: str) -> str:
    """The text the n-grams are read from: folded, every number a single 0, padded with spaces."""
    return f" {_NUMBER.sub('0', folded)} "


def ngrams(text: str) -> set[str]:
    """Every n-gram of `model_text`, as the trainer counts them (inference finds the same ones)."""
    return {text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)}


@cache
def _automaton() -> tuple[ahocorasick.Automaton, tuple[float, ...]]:
    """The model's n-grams, each found with its index into the weights."""
    automaton = ahocorasick.Automaton()
    for i, gram in enumerate(learned_weights.NGRAM_WEIGHTS):
        automaton.add_word(gram, i)
    automaton.make_automaton()
    return automaton, tuple(learned_weights.NGRAM_WEIGHTS.values())


def threshold() -> float:
    return learned_weights.THRESHOLD


def probability(text: str, signals: frozenset[str]) -> float:
    """The calibrated probability that `text` (a `model_text`) solicits off-platform, given the
    rule layer's `signals`. Binary features: each known n-gram counts once however often seen."""
    automaton, weights = _automaton()
    present = set(map(itemgetter(1), automaton.iter(text)))  # no Python loop per match
    score = learned_weights.INTERCEPT + sum(map(weights.__getitem__, present))
    score += sum(learned_weights.SIGNAL_WEIGHTS.get(s, 0.0) for s in signals)
    a, b = learned_weights.PLATT
    return 1.0 / (1.0 + math.exp(-(a * score + b)))


def heaviest_sentence(folded: str) -> tuple[int, int]:
    """The span of `folded` (the folded view the model read) whose sentence's n-grams weigh most
    towards solicitation: the evidence of a finding the model alone makes (only then computed)."""
    automaton, weights = _automaton()
    spans = [m.span() for m in _SENTENCE.finditer(folded)] or [(0, len(folded))]
    totals = [sum(weights[i] for i in {i for _, i in automaton.iter(model_text(folded[s:e]))}) for s, e in spans]
    return spans[max(range(len(spans)), key=totals.__getitem__)]
