"""The labelled creator content under tests/data (content_eval, content_heldout, content_probe) scanned by every
registered detector under the tiktok-shop pack, per rule, beside a naive baseline: a plain
substring list for each CR-6 rule (what one would write first), the DY-DV yardstick for DY-DV.
Shared by `make eval` and its test."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

from rich.table import Table

from shopwarden.core.detect import DetectContext, Subject, default_registry
from shopwarden.core.detect.evaluate import baseline as dv_baseline
from shopwarden.core.detect.evaluate import count

SETS = (
    ("content_eval.jsonl", "development: the detectors were tuned on it"),
    ("content_heldout.jsonl", "written and committed before the detectors ran on it; never tuned on"),
    ("content_probe.jsonl", "written after the detectors in unseen phrasings, committed before they ran on it; never tuned on"),
)
PACK = "tiktok-shop"
ABS_WORDS = ("最", "第一", "唯一", "首选", "顶级", "极品", "国家级", "世界级", "100%", "百分百", "绝对", "万能", "永久",
             "best", "#1", "number one", "the only", "guaranteed", "world-class", "cheapest", "lowest price", "unbeatable")
EFF_WORDS = ("治疗", "治愈", "根治", "抗癌", "降血压", "降血糖", "消炎", "杀菌", "药用", "疗效", "cure", "treat", "heal", "prevent")


def rows(data: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def subject(row: Mapping) -> Subject:
    return Subject("content", row["content"], "s1", row["data"])


@lru_cache(maxsize=1)
def context() -> DetectContext:
    from shopwarden.service.policies import load_builtin_packs

    return DetectContext.from_pack(load_builtin_packs()[PACK])  # the platform's own domains from the pack, as the content service has them


def _text(row: Mapping) -> str:
    return "\n".join(v for k, v in row["content"].items() if k != "links")


def _has(text: str, words) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def _rel_baseline(row: Mapping) -> bool:
    text = _text(row).lower()
    titles = [p["title"].lower().split() for p in row["data"]["products"]]
    return len(text) >= 40 and bool(titles) and not any(w in text for words in titles for w in words)


def baselines() -> dict[str, Callable[[Mapping], bool]]:
    """The naive detector of each rule, on one row."""
    terms = context().content.terms if context().content else {}
    lists = {"CR-6-TERMS-SENSATIONAL": "sensational", "CR-6-TERMS-ILLEGAL": "illegal_activity", "CR-6-TERMS-LOCAL": "locally_restricted"}
    out: dict[str, Callable[[Mapping], bool]] = {
        "CR-6-ABS": lambda r: _has(_text(r), ABS_WORDS),
        "CR-6-EFF": lambda r: _has(_text(r), EFF_WORDS),
        "CR-6-REL": _rel_baseline,
        "DY-DV": lambda r: dv_baseline("\n".join(r["content"].values())),
    }
    for rule, category in lists.items():
        words = terms[category].terms if category in terms else ()
        out[rule] = lambda r, words=words: _has(_text(r), words)
    return out


def scanned(data: Path, name: str) -> list[tuple[dict, set[str]]]:
    """Each row with the rule ids every registered detector raised on it."""
    detectors, ctx = default_registry(), context()
    return [(row, {f.rule for f in detectors.scan(subject(row), ctx)}) for row in rows(data, name)]


def content_tables(data: Path) -> list[Table]:
    tables = []
    naive = baselines()
    for name, note in SETS:
        if not (data / name).exists():
            continue
        found = scanned(data, name)
        table = Table(title=f"{name} ({note}): creator content, per rule, detector vs substring baseline")
        for col in ("rule", "items", "expected", "precision", "recall", "tp", "fp", "fn", "baseline P", "baseline R"):
            table.add_column(col)
        rules = sorted({r for row, f in found for r in (*row["expected"], *f)})
        for rule in rules:
            c = count((rule in row["expected"], rule in f) for row, f in found)
            base = ["—", "—"]
            if rule in naive:
                b = count((rule in row["expected"], naive[rule](row)) for row, _ in found)
                base = [f"{b.precision:.3f}", f"{b.recall:.3f}"]
            figures = (c.total, c.tp + c.fn, f"{c.precision:.3f}", f"{c.recall:.3f}", c.tp, c.fp, c.fn)
            table.add_row(rule, *map(str, figures), *base)
        tables.append(table)
    return tables


def wrong(data: Path, name: str) -> list[tuple[str, list[str], list[str], str]]:
    """The rows a detector got wrong: id, expected, found, note (for development)."""
    return [(r["id"], r["expected"], sorted(f), r["note"]) for r, f in scanned(data, name) if set(r["expected"]) != f]
