"""`make eval`: precision and recall of the detectors on the labelled sets under tests/data,
each beside the baseline (phonenumbers' matcher plus a URL pattern) on the same texts; DY-DV per
market and per technique with Wilson intervals on the generated corpus's test split (`dv_eval`); creators'
content per rule (CR-6) beside a substring baseline (`content_eval`); then the image evaluations
(drawn and sample images, `image_eval`; real photos under every seller edit with hard negatives and
95% intervals, `image_real_eval`) and the malicious-review signals on real reviews (`review_eval`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shopwarden.core.detect import DetectContext, Subject, default_registry
from shopwarden.core.detect.evaluate import Confusion, baseline, count

DV_SETS = (
    ("dv_corpus.jsonl", "generated + hand-written; the detector was tuned on it"),
    ("dv_heldout.jsonl", "hand-written before the detector; never tuned on"),
    ("dv_probe.jsonl", "written after the detector in unseen phrasings; never tuned on"),
    ("dv_blind.jsonl", "written blind by someone who never read the detector; never tuned on"),
)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dv_table(data: Path) -> Table:
    registry = default_registry()
    ctx = DetectContext()
    table = Table(title="DY-DV off-platform diversion: detector vs baseline")
    for col in ("set", "texts", "pos", "precision", "recall", "baseline P", "baseline R", "note"):
        table.add_column(col)
    for name, note in DV_SETS:
        path = data / name
        if not path.exists():
            continue
        rows = _rows(path)
        mine = count((r["label"], any(f.rule == "DY-DV" for f in registry.scan(Subject(r["kind"], {"text": r["text"]}), ctx))) for r in rows)
        base = count((r["label"], baseline(r["text"])) for r in rows)
        table.add_row(name, str(mine.total), str(mine.tp + mine.fn), f"{mine.precision:.3f}", f"{mine.recall:.3f}", f"{base.precision:.3f}", f"{base.recall:.3f}", note)
    return table


def per_rule_table(title: str, rows: list[tuple[set[str], set[str]]], baseline_hits: list[bool] | None = None) -> Table:
    """Per-rule precision/recall from (expected rule ids, found rule ids) per item; for DY-DV, the
    baseline's figures on the same items beside them (it has nothing to say about other rules)."""
    rules = sorted(set().union(*(e | f for e, f in rows))) if rows else []
    table = Table(title=title)
    for col in ("rule", "items", "expected", "precision", "recall", "tp", "fp", "fn", "baseline P", "baseline R"):
        table.add_column(col)
    for rule in rules:
        c: Confusion = count((rule in e, rule in f) for e, f in rows)
        base = ["—", "—"]
        if rule == "DY-DV" and baseline_hits is not None:
            b = count((rule in e, hit) for (e, _), hit in zip(rows, baseline_hits))
            base = [f"{b.precision:.3f}", f"{b.recall:.3f}"]
        table.add_row(rule, str(c.total), str(c.tp + c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", str(c.tp), str(c.fp), str(c.fn), *base)
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("tests/data"), help="folder of the labelled sets")
    args = parser.parse_args(argv)
    console = Console(width=160)
    console.print(dv_table(args.data))
    from evals.dv_eval import dv_eval_tables

    for table in dv_eval_tables(args.data):
        console.print(table)
    from evals import listings_eval
    from evals.listings_eval import listing_rows

    for name, rows in listing_rows(args.data).items():
        hits = [baseline(" ".join(listings_eval.subject(r).text_fields.values())) for r in listings_eval.rows(args.data, name)]
        console.print(per_rule_table(f"{name}: per-rule precision and recall, every text detector", rows, hits))
    from evals.content_eval import content_tables

    for table in content_tables(args.data):
        console.print(table)
    from evals.image_eval import image_table

    console.print(image_table())
    from evals.image_real_eval import real_tables

    for table in real_tables():  # issue 18: real photos, every seller edit, hard negatives, test and dev splits
        console.print(table)
    from evals.review_eval import review_tables

    for table in review_tables():
        console.print(table)


if __name__ == "__main__":
    main()
