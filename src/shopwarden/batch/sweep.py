"""`shopwarden sweep`: every listing in the catalogue scanned again — after a pack or a detector
changed — and the findings that changed reported, on a batch engine.

The service exports the catalogue to Parquet (`service.sweep.plan`); each worker sets up the
detectors once (`_setup`: the registry, the brand index, thread limits) and scans the listings of
the parts it is given with the live path's detectors and decision table, then compares each
listing's findings with those stored on its latest version. A finding is the same when its rule,
detector and evidence spans are the same. What a sweep cannot redo without the database or the
images is carried over as stored and not compared: copied-image matches (the image index), the
same-product ban gate (the ban registry) and, where an image of the listing was never read, the
text read from images. Results come back in the parts' order, so every engine gives the same report.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shopwarden.batch.engines import Engine, Job
from shopwarden.core.brands import Brand, Qualification
from shopwarden.core.detect import DetectContext, Finding, ShopInfo, Subject, decide_finding, default_registry
from shopwarden.core.detect.brand_index import BrandIndex
from shopwarden.core.detect.image_text import ImageText, with_images
from shopwarden.core.detect.registry import Registry
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.service import sweep as service
from shopwarden.service.auth import Principal
from shopwarden.service.bans import DETECTOR as BAN_DETECTOR
from shopwarden.service.context import Context
from shopwarden.store.catalogue_export import ListingRow, read_catalogue_part

PARTS_PER_SLOT = 4
CARRIED = frozenset({"copied_image", BAN_DETECTOR})  # detectors a sweep cannot run again: their findings stay as stored
_STRICT = {"allow": 0, "review": 1, "block": 2}
THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True, slots=True)
class FindingKey:
    rule: str
    detector: str
    evidence: tuple[tuple[str, int, int], ...]  # (field, start, end) of each span

    @classmethod
    def of(cls, f: Mapping[str, Any]) -> FindingKey:
        return cls(f["rule"], f["detector"], tuple((e["field"], e["start"], e["end"]) for e in f["evidence"]))


@dataclass(frozen=True, slots=True)
class ListingChange:
    """One listing whose findings or decision a sweep changes."""

    product_id: str
    shop_id: str
    policy_id: str
    version: int
    decision_before: str
    decision_after: str
    added: tuple[Mapping[str, Any], ...]  # findings the sweep makes that the stored version lacks (as the API shows them)
    removed: tuple[Mapping[str, Any], ...]  # stored findings the sweep no longer makes

    def as_json(self) -> dict[str, Any]:
        return {"product_id": self.product_id, "shop_id": self.shop_id, "policy": self.policy_id, "version": self.version,
                "decision_before": self.decision_before, "decision_after": self.decision_after,
                "added": list(self.added), "removed": list(self.removed)}


@dataclass
class SweepSummary:
    listings: int = 0
    changed: int = 0
    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (before, after) of the changed listings whose decision moved
    added: Counter[str] = field(default_factory=Counter)  # findings added, by rule
    removed: Counter[str] = field(default_factory=Counter)  # findings removed, by rule
    by_policy: dict[str, Counter[str]] = field(default_factory=dict)  # per pack: listings, changed

    def add(self, other: SweepSummary) -> None:
        self.listings += other.listings
        self.changed += other.changed
        self.decisions.update(other.decisions)
        self.added.update(other.added)
        self.removed.update(other.removed)
        for pid, c in other.by_policy.items():
            self.by_policy.setdefault(pid, Counter()).update(c)

    def as_json(self) -> dict[str, Any]:
        return {"listings": self.listings, "changed": self.changed,
                "decisions_changed": [{"before": b, "after": a, "listings": n} for (b, a), n in sorted(self.decisions.items())],
                "findings_added": dict(sorted(self.added.items())), "findings_removed": dict(sorted(self.removed.items())),
                "by_policy": {pid: {"listings": c["listings"], "changed": c["changed"]} for pid, c in sorted(self.by_policy.items())}}


@dataclass
class SweepResult:
    at: datetime
    packs: dict[str, tuple[str, str]]  # policy id -> (pack id, version) that was applied
    summary: SweepSummary
    changed: list[ListingChange]

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "packs": {pid: {"id": p, "version": v} for pid, (p, v) in sorted(self.packs.items())},
                **self.summary.as_json()}


@dataclass(frozen=True)
class _Worker:
    packs: dict[str, PolicyPack]
    brands: BrandIndex
    at: datetime
    registry: Registry


def limit_threads() -> None:
    """One thread per worker process for the numeric libraries the detectors use: the engine's
    processes are the parallelism, and nested thread pools would fight over the cores."""
    from threadpoolctl import threadpool_limits

    for name in THREAD_LIMITS:  # libraries loaded after this point
        os.environ[name] = "1"
    threadpool_limits(1)  # those already loaded


def _setup(payload: bytes) -> _Worker:
    limit_threads()
    packs, brands, at = pickle.loads(payload)
    registry = default_registry()
    registry.register(ImageText())
    return _Worker(packs, BrandIndex(brands), at, registry)


def _qualifications(items: Sequence[Mapping[str, Any]]) -> tuple[Qualification, ...]:
    return tuple(Qualification(
        q["qualification_id"], q["shop_id"], q["brand_id"], q["trademark_no"], q["mark"], tuple(q["categories"]),
        datetime.fromisoformat(q["valid_from"]), None if q["valid_to"] is None else datetime.fromisoformat(q["valid_to"]), q["status"])
        for q in items)


def _finding_json(f: Finding, decision: str) -> dict[str, Any]:
    return f.as_dict("en") | {"decision": decision, "explanation_zh": f.explanation.zh}


def sweep_row(w: _Worker, row: ListingRow, shop: Mapping[str, Any], quals: tuple[Qualification, ...]) -> ListingChange | None:
    """The listing scanned again; None when its findings and decision are what is stored."""
    pack = w.packs[row.policy_id]
    subject = Subject.from_listing(json.loads(row.listing), shop_id=row.shop_id)
    carried = set(CARRIED)
    if row.images is None:
        carried.add("image_text")
    elif row.images != "[]":
        subject = with_images(subject, json.loads(row.images))
    dctx = DetectContext.from_pack(pack, shop=ShopInfo(row.shop_id, shop["kind"], name=shop["name"]),
                                   declared_contacts=tuple(shop["declared"]), brands=w.brands, qualifications=quals, at=w.at)
    now: list[dict[str, Any]] = []
    for f in w.registry.scan(subject, dctx):
        if f.detector not in carried:
            now.append(_finding_json(f, decide_finding(f, pack.decisions)[0]))
    stored = json.loads(row.findings)
    kept = [f for f in stored if f["detector"] in carried]
    decision = max((f["decision"] for f in now + kept), key=_STRICT.__getitem__, default="allow")
    before = {FindingKey.of(f): f for f in stored if f["detector"] not in carried}
    after = {FindingKey.of(f): f for f in now}
    added = tuple(f for k, f in after.items() if k not in before)
    removed = tuple(f for k, f in before.items() if k not in after)
    if not added and not removed and decision == row.decision:
        return None
    return ListingChange(row.product_id, row.shop_id, row.policy_id, row.version, row.decision, decision, added, removed)


def _sweep_part(w: _Worker, path: str) -> tuple[SweepSummary, list[ListingChange]]:
    summary, changes = SweepSummary(), []
    shop_id: str | None = None
    shop: dict[str, Any] = {}
    quals: tuple[Qualification, ...] = ()
    for row in read_catalogue_part(Path(path)):
        if row.shop_id != shop_id:  # a part holds whole shops, in order: each shop's context is read once
            shop_id, shop = row.shop_id, json.loads(row.shop)
            quals = _qualifications(shop["qualifications"])
        summary.listings += 1
        counts = summary.by_policy.setdefault(row.policy_id, Counter())
        counts["listings"] += 1
        change = sweep_row(w, row, shop, quals)
        if change is None:
            continue
        summary.changed += 1
        counts["changed"] += 1
        if change.decision_before != change.decision_after:
            summary.decisions[(change.decision_before, change.decision_after)] += 1
        summary.added.update(f["rule"] for f in change.added)
        summary.removed.update(f["rule"] for f in change.removed)
        changes.append(change)
    return summary, changes


def sweep_export(engine: Engine, packs: dict[str, PolicyPack], brands: Sequence[Brand], at: datetime, paths: Sequence[Path]) -> tuple[SweepSummary, list[ListingChange]]:
    """Sweep the parts at `paths` (a catalogue export) on `engine`; the parts' results in order."""
    job = Job(f"sweep-{uuid.uuid4().hex}", _setup, pickle.dumps((packs, tuple(brands), at)), _sweep_part)
    summary, changed = SweepSummary(), []
    for part_summary, part_changes in engine.map(job, [str(p) for p in paths]):
        summary.add(part_summary)
        changed.extend(part_changes)
    return summary, changed


def sweep(ctx: Context, principal: Principal, inp: service.SweepInput, engine: Engine, export_to: Path | None = None) -> SweepResult:
    """Export the catalogue (kept in `export_to` when given), sweep it on `engine`, report."""
    with tempfile.TemporaryDirectory(prefix="shopwarden-sweep-") as tmp:
        plan = service.plan(ctx, principal, inp, export_to or Path(tmp), engine.slots * PARTS_PER_SLOT)
        summary, changed = sweep_export(engine, plan.packs, plan.brands, plan.at, plan.manifest.paths())
    return SweepResult(plan.at, {pid: (p.id, p.version) for pid, p in plan.packs.items()}, summary, changed)
