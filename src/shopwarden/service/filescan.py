"""`shopwarden scan FILE.jsonl`: scan listings, messages or reviews in bulk, nothing stored.

A line naming a known shop is scanned with everything stored about it (qualifications,
declared contacts); any other line with the pack's settings and the brand registry alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from shopwarden.core.detect import DetectContext
from shopwarden.core.reviews.duplicates import DuplicateIndex
from shopwarden.errors import InvalidInput
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.reviews import with_review_signals
from shopwarden.service.scanning import _brand_cache, detect_context, run, subject_of
from shopwarden.store import shops

KINDS = ("listing", "message", "review")


@dataclass
class Summary:
    """Tallied while the lines are scanned (the caller prints it after the last line)."""

    lines: int = 0
    bad: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class ScannedLine(Result):
    """One line's decision and findings (open data: each detector's evidence)."""

    line: int
    id: Any  # the line's own id, as the file gives it
    kind: str
    decision: str
    findings: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class BadLine(Result):
    """A line that could not be scanned, and why."""

    line: int
    error: str


def scan_lines(ctx: Context, lines: Iterable[bytes], policy_id: str, summary: Summary) -> Iterator[ScannedLine | BadLine]:
    default_pack = ctx.pack(policy_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        base = DetectContext.from_pack(default_pack, brands=_brand_cache.index(s), at=now)
        seen = DuplicateIndex()  # the file's reviews so far: templated copies within one file count (RV-K-6)
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            summary.lines += 1
            try:
                rec = orjson.loads(line)
                kind = rec.get("kind") if isinstance(rec, dict) else None
                if kind not in KINDS:
                    raise InvalidInput.one("kind", f"must be one of {', '.join(KINDS)}")
                shop = shops.get(s, rec["shop_id"]) if isinstance(rec.get("shop_id"), str) else None
                pack = ctx.pack(shop.policy_id) if shop else default_pack
                dctx = detect_context(ctx, s, shop, pack, now) if shop else base
                result = run(pack, subject_of(kind, rec, shop.shop_id if shop else None), dctx)
                if kind == "review":  # RV-K-1..6 too, with what is stored about the shop and buyer
                    result = with_review_signals(ctx, s, rec, shop, pack, dctx, result, seen)
            except (orjson.JSONDecodeError, InvalidInput, ValueError, TypeError, KeyError) as exc:
                summary.bad += 1
                yield BadLine(lineno, str(getattr(exc, "detail", exc)))
                continue
            summary.decisions[result.decision] += 1
            summary.rules.update(j.finding.rule for j in result.judged)
            yield ScannedLine(lineno, rec.get("id"), kind, result.decision, result.findings_json())
