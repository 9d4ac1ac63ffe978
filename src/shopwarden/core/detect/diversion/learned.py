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
_DIGIT = re.compile("[1-9]")  # a regex pass: str.translate with a table is 3x slower on CJK text
# A run of five or more 0s has the same 3- and 4-grams as a run of four (every gram inside is
# "000" or "0000", the ones at its edges hold at most three 0s), so the automaton reads runs cut
# to four: prices, sizes and numbers are a fifth of all matches on listings, mostly repeats.
_LONG_ZEROS = re.compile("0{5,}")
_GRAMS = tuple(learned_weights.NGRAM_WEIGHTS)
_SENTENCE = re.compile(r"[^.!?。！？\n¶]+[.!?。！？\n¶]*")


def model_text(folded: str) -> str:
    """The text the n-grams are read from: folded, every digit a 0, padded with spaces."""
    return f" {_DIGIT.sub('0', folded)} "


def short_runs(text: str) -> str:
    """`text` (a `model_text`) with runs of 0s cut to four: the same set of n-grams, fewer matches."""
    return _LONG_ZEROS.sub("0000", text) if "00000" in text else text


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
    present = set(map(itemgetter(1), automaton.iter(short_runs(text))))  # no Python loop per match
    score = learned_weights.INTERCEPT + sum(map(weights.__getitem__, present))
    score += sum(learned_weights.SIGNAL_WEIGHTS.get(s, 0.0) for s in signals)
    a, b = learned_weights.PLATT
    return 1.0 / (1.0 + math.exp(-(a * score + b)))


def heaviest_sentence(text: str) -> tuple[int, int]:
    """The span of `text` (a `model_text`) whose n-grams weigh most towards solicitation: the
    evidence of a finding the model alone makes (only then computed)."""
    automaton, weights = _automaton()
    spans = [m.span() for m in _SENTENCE.finditer(text)] or [(0, len(text))]
    totals = [0.0] * len(spans)
    for k, (s, e) in enumerate(spans):
        totals[k] = sum(weights[i] for i in {i for end, i in automaton.iter(text, s, e) if end - len(_GRAMS[i]) + 1 >= s})
    best = max(range(len(spans)), key=totals.__getitem__)
    return spans[best]
