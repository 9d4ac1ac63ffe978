"""Trains DY-DV's learned second stage and writes src/shopwarden/core/detect/diversion/learned_weights.py.

    PYTHONPATH=src python scripts/train_dv_model.py

Data: the train split of tests/data/dv_eval.jsonl (make_dv_eval.py) and tests/data/dv_corpus.jsonl
(the rule layer's tuning set) — never the test split, dv_heldout, dv_probe or dv_blind. Features:
the character n-grams of `learned.model_text` (binary) and the rule layer's signals. A logistic
regression (scikit-learn, a dev dependency) is fitted, its n-grams pruned to the KEEP heaviest and
fitted again; out-of-fold scores, folds by template so a fold never sees its own templates, give
the Platt calibration and the threshold (the lowest whose out-of-fold precision reaches PRECISION).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from shopwarden.core.detect import DetectContext
from shopwarden.core.detect.contact_diversion import rule_signals
from shopwarden.core.detect.diversion import learned
from shopwarden.core.text import normalize
from shopwarden.service.policies import load_builtin_packs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "src" / "shopwarden" / "core" / "detect" / "diversion" / "learned_weights.py"
KEEP, MIN_DF, C, PRECISION = 4000, 3, 4.0, 0.985

sys.path.insert(0, str(DATA))
from make_dv_eval import REGIONS  # noqa: E402


def contexts() -> dict[str, DetectContext]:
    packs = load_builtin_packs()
    return {m: DetectContext.from_pack(packs["douyin" if m == "CN" else "tiktok-shop"], phone_regions=REGIONS[m]) for m in REGIONS}


def training_rows() -> list[dict]:
    rows = [json.loads(line) for line in (DATA / "dv_eval.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["split"] == "train"]
    for r in (json.loads(line) for line in (DATA / "dv_corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()):
        rows.append({**r, "market": "CN", "template": "corpus:" + r.get("note", "").split(":")[0]})
    return rows


def featurize(rows: list[dict]) -> tuple[list[set[str]], list[frozenset[str]]]:
    ctx = contexts()
    grams = [learned.ngrams(learned.model_text(normalize(r["text"]).folded.text)) for r in rows]
    signals = [rule_signals(r["text"], ctx[r["market"]]) for r in rows]
    return grams, signals


def matrix(grams, signals, vocab: dict[str, int], sig_vocab: dict[str, int]) -> csr_matrix:
    indptr, indices = [0], []
    for g, s in zip(grams, signals):
        cols = sorted({vocab[x] for x in g if x in vocab} | {len(vocab) + sig_vocab[x] for x in s if x in sig_vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(grams), len(vocab) + len(sig_vocab)))


def out_of_fold(X, y, groups) -> np.ndarray:
    scores = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(X, y, groups):
        model = LogisticRegression(C=C, max_iter=2000).fit(X[train], y[train])
        scores[test] = model.decision_function(X[test])
    return scores


def main() -> None:
    rows = training_rows()
    y = np.array([bool(r["label"]) for r in rows])
    groups = [r["template"] for r in rows]
    grams, signals = featurize(rows)
    df: dict[str, int] = {}
    for g in grams:
        for x in g:
            df[x] = df.get(x, 0) + 1
    vocab = {x: i for i, x in enumerate(sorted(x for x, n in df.items() if n >= MIN_DF))}
    sig_vocab = {x: i for i, x in enumerate(sorted(set().union(*signals)))}
    full = LogisticRegression(C=C, max_iter=2000).fit(matrix(grams, signals, vocab, sig_vocab), y)
    weights = full.coef_[0][: len(vocab)]
    kept = sorted(vocab, key=lambda x: -abs(weights[vocab[x]]))[:KEEP]
    vocab = {x: i for i, x in enumerate(sorted(kept))}
    X = matrix(grams, signals, vocab, sig_vocab)
    oof = out_of_fold(X, y, groups)
    platt = LogisticRegression(C=1e6).fit(oof.reshape(-1, 1), y)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    probs = 1 / (1 + np.exp(-(a * oof + b)))
    threshold = 0.5
    for t in sorted(set(np.round(probs, 4))):
        flagged = probs >= t
        if flagged.sum() and y[flagged].mean() >= PRECISION:
            threshold = float(t)
            break
    flagged = probs >= threshold
    print(f"{len(rows)} rows, {len(vocab)} n-grams, {len(sig_vocab)} signals; out-of-fold at p>={threshold:.3f}: "
          f"precision {y[flagged].mean():.3f}, recall {flagged[y].mean():.3f}")  # fmt: skip
    model = LogisticRegression(C=C, max_iter=2000).fit(X, y)
    coef = model.coef_[0]
    write(vocab, sig_vocab, coef, float(model.intercept_[0]), (a, b), threshold, len(rows))


def write(vocab, sig_vocab, coef, intercept, platt, threshold, n) -> None:
    ngram_weights = {x: round(float(coef[i]), 5) for x, i in vocab.items() if abs(coef[i]) > 1e-6}
    signal_weights = {x: round(float(coef[len(vocab) + i]), 5) for x, i in sig_vocab.items()}
    lines = [
        f'"""Written by scripts/train_dv_model.py ({n} training rows): DY-DV\'s learned stage. Do not edit."""',
        "",
        "# fmt: off",
        f"INTERCEPT = {intercept!r}",
        f"PLATT = ({platt[0]!r}, {platt[1]!r})",
        f"THRESHOLD = {threshold!r}",
        f"SIGNAL_WEIGHTS: dict[str, float] = {signal_weights!r}",
        "NGRAM_WEIGHTS: dict[str, float] = {",
        *(f"    {x!r}: {w!r}," for x, w in sorted(ngram_weights.items())),
        "}",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
