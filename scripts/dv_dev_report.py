"""Where DY-DV misses on the TRAIN split, by market and technique: the dev view to decide what to
fix (never the test split, dv_heldout, dv_probe or dv_blind).

    PYTHONPATH=src:. python scripts/dv_dev_report.py [--show N]

The rule layer is not trained on the corpus, so its hits are read as they are; the learned stage
is scored out of fold (5 folds by template, as `train_dv_model.py` calibrates it), so a row is
judged by a model that never saw its template. A row is flagged when the rules find a concrete
contact, or words-only hits, or (no hit) the out-of-fold probability reaches the threshold.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from shopwarden.core.detect import Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.diversion import learned

sys.path.insert(0, str(Path(__file__).parent))
from train_dv_model import PRECISION, C, featurize, matrix, out_of_fold, training_rows


def _detected(row: dict[str, Any], p: float, threshold: float) -> bool:
    """The detector's answer on `row` with the learned stage's out-of-fold probability `p`."""
    from evals.dv_eval import contexts

    ctx = _CONTEXTS.setdefault("all", contexts())[row["market"]]
    real = learned.probability
    first: list[str] = []

    def oof(text: str, signals: frozenset[str]) -> float:
        # the row's out-of-fold probability; asked again without its disclaiming sentences, the
        # lower of that and the full model's answer (the only place the full model is read)
        if not first or text == first[0]:
            first.append(text)
            return p
        return min(p, real(text, signals))

    learned.probability = oof  # type: ignore[assignment]
    try:
        settings = ctx.detectors.get("contact_diversion")
        thresholds = {**(settings.thresholds if settings else {}), "learned.min": threshold}
        updated = settings.model_copy(update={"thresholds": thresholds}) if settings else None
        ctx = dataclasses.replace(ctx, detectors={**ctx.detectors, "contact_diversion": updated}) if updated else ctx
        return bool(ContactDiversion().detect(Subject(row["kind"], {"text": row["text"]}), ctx))
    finally:
        learned.probability = real  # type: ignore[assignment]


_CONTEXTS: dict[str, Any] = {}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print up to N missed rows per market and technique")
    args = parser.parse_args(argv)
    rows = [r for r in training_rows() if "technique" in r]  # the generated rows (dv_corpus has no market/technique)
    y = np.array([bool(r["label"]) for r in rows])
    grams, signals = featurize(rows)
    df: Counter[str] = Counter(x for g in grams for x in g)
    vocab = {x: i for i, x in enumerate(sorted(x for x, n in df.items() if n >= 3))}
    sig_vocab = {x: i for i, x in enumerate(sorted(set().union(*signals)))}
    X = matrix(grams, signals, vocab, sig_vocab)
    oof = out_of_fold(X, y, [r["template"] for r in rows])
    platt = LogisticRegression(C=1e6).fit(oof.reshape(-1, 1), y)
    probs = platt.predict_proba(oof.reshape(-1, 1))[:, 1]
    threshold = next((float(t) for t in sorted(set(np.round(probs, 4))) if y[probs >= t].mean() >= PRECISION), 0.5)
    flagged = [_detected(r, p, threshold) for r, p in zip(rows, probs)]
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        cells[(r["market"], r["technique"])].append(i)
    print(f"{len(rows)} train rows, C={C}, out-of-fold threshold {threshold:.3f}")
    by_market: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_market[r["market"]].append(i)
    for market, idx in by_market.items():
        pos = [i for i in idx if y[i]]
        neg = [i for i in idx if not y[i]]
        tp = sum(flagged[i] for i in pos)
        fp = sum(flagged[i] for i in neg)
        print(f"{market}: recall {tp / max(1, len(pos)):.3f} ({tp}/{len(pos)}), false alarms {fp}/{len(neg)}")
    print("\nmisses and false alarms by (market, technique):")
    worst: list[tuple[int, str, str, list[int]]] = []
    for (market, technique), idx in sorted(cells.items()):
        wrong = [i for i in idx if flagged[i] != y[i]]
        if wrong:
            worst.append((len(wrong), market, technique, wrong))
    for n, market, technique, wrong in sorted(worst, reverse=True):
        total = len(cells[(market, technique)])
        print(f"  {market:3} {technique:17} {n}/{total}")
        for i in wrong[: args.show]:
            r: dict[str, Any] = rows[i]
            print(f"      [{r['template']}] p={probs[i]:.2f} signals={sorted(signals[i])} {r['text']!r}")


if __name__ == "__main__":
    main()
