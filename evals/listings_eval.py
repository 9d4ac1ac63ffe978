"""The labelled listings under tests/data (listings_eval, listings_probe) as scan inputs: rows,
the brand registry they use, each row's subject and context. Shared by `make eval` and its test."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from shopwarden.core.brands import Brand, Qualification
from shopwarden.core.detect import DetectContext, ShopInfo, Subject, default_registry
from shopwarden.core.detect.brand_index import BrandIndex

SETS = ("listings_eval.jsonl", "listings_probe.jsonl", "listings_blind.jsonl")


def rows(data: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (data / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def registry(data: Path, name: str = "listings_eval.jsonl") -> tuple[BrandIndex, datetime]:
    """The brand registry a set was written against: `<set>_brands.json`, else the evaluation's."""
    own = data / name.replace(".jsonl", "_brands.json")
    raw = json.loads((own if own.exists() else data / "listings_eval_brands.json").read_text(encoding="utf-8"))
    brands = [
        Brand(b["brand_id"], b["name"], tuple(b["aliases"]), b["restricted"], b.get("owner"), b.get("registered", True), tuple(b.get("categories", ())))
        for b in raw["brands"]
    ]
    return BrandIndex(brands), datetime.fromisoformat(raw["at"])


def qualification(i: int, q: dict) -> Qualification:
    valid_to = datetime.fromisoformat(q["valid_to"]) if q["valid_to"] else None
    return Qualification(f"q{i}", "s1", q["brand_id"], "10000000", q["mark"], tuple(q["categories"]), datetime.fromisoformat(q["valid_from"]), valid_to, q["status"])


def subject(row: dict) -> Subject:
    return Subject.from_listing(row["listing"], "s1") if row["kind"] == "listing" else Subject.shop(row["name"], "s1")


def context(row: dict, index: BrandIndex, at: datetime) -> DetectContext:
    quals = tuple(qualification(i, q) for i, q in enumerate(row["qualifications"]))
    return DetectContext(shop=ShopInfo("s1", row["shop"]["kind"]), brands=index, qualifications=quals, at=at)


def scanned(data: Path, name: str) -> list[tuple[dict, set[str]]]:
    """Each row with the rule ids every registered detector raised on it."""
    index, at = registry(data, name)
    detectors = default_registry()
    return [(row, {f.rule for f in detectors.scan(subject(row), context(row, index, at))}) for row in rows(data, name)]


def listing_rows(data: Path) -> dict[str, list[tuple[set[str], set[str]]]]:
    """(expected, found) rule ids per row, by set name, for the sets present under `data`."""
    return {name: [(set(r["expected"]), found) for r, found in scanned(data, name)] for name in SETS if (data / name).exists()}
