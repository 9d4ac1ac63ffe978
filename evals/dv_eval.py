"""DY-DV on the generated evaluation corpus (tests/data/dv_eval.jsonl, test split) and the
hand-written held-out sets: recall and precision with Wilson 95% intervals per market and per
technique, beside the baselines on the same texts — the rule layer alone without the market
lexicons (the detector before issue 18's learned stage and lexicons) and phonenumbers + a URL
pattern. Each market is scanned with its pack's context (douyin for CN, tiktok-shop otherwise)."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rich.table import Table

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.evaluate import Confusion, baseline, count, wilson
from shopwarden.service.policies import load_builtin_packs

MARKETS = ("CN", "TH", "VN", "MY", "ID", "PH", "SG", "US", "UK", "EU")
REGIONS = {"UK": ("GB",), "EU": ("DE", "FR", "ES", "IT")}
HELD_OUT = ("dv_heldout.jsonl", "dv_probe.jsonl", "dv_blind.jsonl")
BLIND_MARKETS = "dv_blind_markets.jsonl"  # make_dv_blind_markets.py: each row scanned with its market's context
BLIND_S8 = "dv_blind_s8.jsonl"  # make_dv_blind_s8.py: written in session 8 before its changes, never trained on


def contexts() -> dict[str, DetectContext]:
    packs = load_builtin_packs()
    return {m: DetectContext.from_pack(packs["douyin" if m == "CN" else "tiktok-shop"], phone_regions=REGIONS.get(m, (m,))) for m in MARKETS}


def rules_only(context: DetectContext) -> DetectContext:
    """The same context without the market lexicons and with the learned stage off."""
    settings = context.detectors.get("contact_diversion")
    thresholds = {**(settings.thresholds if settings else {}), "learned": 0.0}
    from shopwarden.core.policy.schema import DetectorSettings

    updated = settings.model_copy(update={"thresholds": thresholds}) if settings else DetectorSettings(thresholds=thresholds, source="eval: rules only")
    return dataclasses.replace(context, lexicons=None, detectors={**context.detectors, "contact_diversion": updated})


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predictions(rows: list[dict], context_of: Callable[[dict], DetectContext]) -> dict[str, list[bool]]:
    detector = ContactDiversion()
    out: dict[str, list[bool]] = {"detector": [], "rules, no lexicons or model": [], "phonenumbers+URL": []}
    for r in rows:
        subject, ctx = Subject(r["kind"], {"text": r["text"]}), context_of(r)
        out["detector"].append(bool(detector.detect(subject, ctx)))
        out["rules, no lexicons or model"].append(bool(detector.detect(subject, rules_only(ctx))))
        out["phonenumbers+URL"].append(baseline(r["text"]))
    return out


def _cell(c: Confusion) -> tuple[str, str]:
    r_lo, r_hi = wilson(c.tp, c.tp + c.fn)
    p_lo, p_hi = wilson(c.tp, c.tp + c.fp)
    recall = f"{c.recall:.3f} [{r_lo:.2f}–{r_hi:.2f}]" if c.tp + c.fn else "—"
    precision = f"{c.precision:.3f} [{p_lo:.2f}–{p_hi:.2f}]" if c.tp + c.fp else "—"
    return recall, precision


def table(title: str, rows: list[dict], preds: dict[str, list[bool]], key: Callable[[dict], str]) -> Table:
    t = Table(title=title)
    t.add_column("group")
    t.add_column("texts")
    t.add_column("pos")
    for name in preds:
        t.add_column(f"{name} R [95% CI]")
        t.add_column(f"{name} P [95% CI]")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[key(r)].append(i)
    for group in sorted(groups, key=lambda g: (g not in MARKETS, MARKETS.index(g) if g in MARKETS else 0, g)):
        idx = groups[group]
        cells = [x for p in preds.values() for x in _cell(count((rows[i]["label"], p[i]) for i in idx))]
        t.add_row(group, str(len(idx)), str(sum(rows[i]["label"] for i in idx)), *cells)
    cells = [x for p in preds.values() for x in _cell(count((r["label"], v) for r, v in zip(rows, p)))]
    t.add_row("all", str(len(rows)), str(sum(r["label"] for r in rows)), *cells)
    return t


def dv_eval_tables(data: Path) -> list[Table]:
    ctx = contexts()
    rows = [r for r in _rows(data / "dv_eval.jsonl") if r["split"] == "test"]
    preds = predictions(rows, lambda r: ctx[r["market"]])
    tables = [
        table("DY-DV, dv_eval test split (templates never trained on): per market", rows, preds, lambda r: r["market"]),
        table("DY-DV, dv_eval test split: per technique (hard negatives: precision only)", rows, preds, lambda r: r["technique"]),
    ]
    held = [dict(r, set=name) for name in HELD_OUT if (data / name).exists() for r in _rows(data / name)]
    tables.append(table("DY-DV, hand-written held-out sets (CN context; never trained or tuned on)", held, predictions(held, lambda r: ctx["CN"]), lambda r: r["set"]))
    if (data / BLIND_MARKETS).exists():
        blind = _rows(data / BLIND_MARKETS)
        title = "DY-DV, blind set per market (written in new phrasings before issue 18's session-7 changes; never tuned on)"
        tables.append(table(title, blind, predictions(blind, lambda r: ctx[r["market"]]), lambda r: r["market"]))
    if (data / BLIND_S8).exists():
        blind = _rows(data / BLIND_S8)
        title = "DY-DV, session-8 blind set per market (written before session 8's changes; never trained or tuned on)"
        tables.append(table(title, blind, predictions(blind, lambda r: ctx[r["market"]]), lambda r: r["market"]))
    return tables


if __name__ == "__main__":
    from rich.console import Console

    console = Console(width=200)
    for t in dv_eval_tables(Path("tests/data")):
        console.print(t)
