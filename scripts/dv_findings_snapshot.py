"""Every DY-DV finding (score, severity, explanation, evidence) on every labelled text set under
tests/data and on the scan bench's listings, written as JSON lines: run it before and after a
change meant only to make the scan cheaper, and `diff` the two files finding by finding.

    PYTHONPATH=src:. python scripts/dv_findings_snapshot.py OUT.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import listings
from evals import listings_eval
from evals.dv_eval import contexts
from shopwarden.core.detect import DetectContext, ShopInfo, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.service.policies import load_builtin_packs

DATA = Path("tests/data")
SETS = ("dv_eval.jsonl", "dv_corpus.jsonl", "dv_heldout.jsonl", "dv_probe.jsonl", "dv_blind.jsonl", "dv_blind_markets.jsonl", "dv_blind_s8.jsonl")


def _show(findings: list) -> list:
    return [[f.rule, f.severity, f.score, f.explanation.en, f.explanation.zh, [repr(e) for e in f.evidence]] for f in findings]


def main(out: str) -> None:
    dv, ctx = ContactDiversion(), contexts()
    lines = []
    for name in SETS:
        for i, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines()):
            if line.strip():
                r = json.loads(line)
                markets = [r["market"]] if "market" in r else list(ctx)
                for m in markets:
                    lines.append([name, i, m, _show(dv.detect(Subject(r["kind"], {"text": r["text"]}), ctx[m]))])
    for name in ("listings_eval.jsonl", "listings_probe.jsonl", "listings_blind.jsonl"):
        for i, r in enumerate(listings_eval.rows(DATA, name)):
            lines.append([name, i, "CN", _show(dv.detect(listings_eval.subject(r), ctx["CN"]))])
    lexicons = load_builtin_packs()["tiktok-shop"].lexicons
    bench_ctx = DetectContext(shop=ShopInfo("bench-dy", "enterprise"), lexicons=lexicons)
    for i, listing in enumerate(listings.generate(3000).listings):
        lines.append(["bench", i, "tiktok-shop", _show(dv.detect(Subject.from_listing(listing, "bench-dy"), bench_ctx))])
    Path(out).write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} scans, {sum(bool(x[3]) for x in lines)} with a finding -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
