"""`sweep`'s export: the whole catalogue as it would be scanned now, for workers that never open the
database: every listing scanned again after a pack or detector change, and what changed reported.

Each listing's latest version is written with what a scan reads besides the listing: the shop's kind
and name, its contacts on file (DY-DV's exception, when the pack allows it), its brand
qualifications with their status at the sweep's instant (DY-BQ), and the text stored for its images
(the OCR and QR reading the gate made; nothing is read again). The packs are chosen here too: the
version of each live pack in force at the instant, or a draft in place of the pack it replaces.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.brands import Brand
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force
from shopwarden.service import scanning
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.image_text import READER
from shopwarden.service.simulation import parse_draft
from shopwarden.store import brands, declarations, image_texts
from shopwarden.store.catalogue_export import CatalogueManifest, ListingRow, latest_listings, write_catalogue


@dataclass(frozen=True, slots=True)
class SweepInput:
    policies: tuple[str, ...] | None = None  # the packs whose shops are swept; default every loaded pack
    draft_yaml: str | None = None  # a draft pack swept in place of the live pack it names (or `against`)
    against: str | None = None
    source: str = "draft"  # named in the draft's problems
    at: datetime | None = None  # the instant the scan is made at; default now


@dataclass(frozen=True, slots=True)
class SweepPlan:
    """What the workers need: the pack per policy id, the brand registry, the instant and the export."""

    packs: dict[str, PolicyPack]
    brands: tuple[Brand, ...]
    at: datetime
    manifest: CatalogueManifest


def plan(ctx: Context, principal: Principal, inp: SweepInput, folder: Path, parts: int) -> SweepPlan:
    """Choose the packs (a draft that does not validate: every problem at once), then export."""
    require(principal, "policy.simulate")
    at = inp.at or ctx.clock()
    packs: dict[str, PolicyPack] = {}
    if inp.draft_yaml is not None:
        draft = parse_draft(ctx, inp.draft_yaml, inp.source)
        live = ctx.check_policy("against", inp.against or draft.id)
        packs[live.id] = draft
    else:
        ids = sorted(ctx.packs) if inp.policies is None else list(inp.policies)
        for i, pid in enumerate(ids):
            packs[pid] = in_force(ctx.check_policy(f"policy[{i}]" if inp.policies is not None else "policy", pid), at)
    with ctx.db.read() as s:
        rows = _rows(s, packs, at)
        registry = tuple(scanning.brand_index(s).brands)
    return SweepPlan(packs, registry, at, write_catalogue(folder, rows, parts))


def _rows(s: Session, packs: dict[str, PolicyPack], at: datetime) -> list[ListingRow]:
    listings = list(latest_listings(s, sorted(packs)))
    contexts = _shop_contexts(s, listings, packs, at)
    texts = _image_texts(s, {i for r in listings for i in (r[6] or {}).get("images") or ()})
    out = []
    for shop_id, product_id, version, policy_id, _kind, _name, listing, decision, findings in listings:
        ids = (listing or {}).get("images") or []
        images = None
        if all(i in texts for i in ids):
            images = json.dumps([{"image_id": i} | texts[i] for i in ids], ensure_ascii=False) if ids else "[]"
        out.append(ListingRow(shop_id, product_id, version, policy_id, json.dumps(listing, ensure_ascii=False),
                              decision, json.dumps(findings or [], ensure_ascii=False), contexts[shop_id], images))
    return out


def _shop_contexts(s: Session, listings: Sequence[Sequence[Any]], packs: dict[str, PolicyPack], at: datetime) -> dict[str, str]:
    """Per shop, what `scanning.detect_context` reads from the store, as JSON."""
    filed = declarations.all_by_shop(s)
    qualified = {q.shop_id for q in brands.qualifications(s)}  # few shops file qualifications: theirs are read one shop at a time
    out: dict[str, str] = {}
    for shop_id, _pid, _v, policy_id, kind, name, *_ in listings:
        if shop_id in out:
            continue
        declared = [d.value for d in filed.get(shop_id, ()) if d.filed_at <= at] if packs[policy_id].contact_declarations_allowed else []
        q = [_qualification_json(x) for x in scanning.qualifications_of(s, shop_id, at)] if shop_id in qualified else []
        out[shop_id] = json.dumps({"kind": kind, "name": name, "declared": declared, "qualifications": q}, ensure_ascii=False)
    return out


def _qualification_json(q: Any) -> dict[str, Any]:
    return {"qualification_id": q.qualification_id, "shop_id": q.shop_id, "brand_id": q.brand_id, "trademark_no": q.trademark_no,
            "mark": q.mark, "categories": list(q.categories), "valid_from": q.valid_from.isoformat(),
            "valid_to": None if q.valid_to is None else q.valid_to.isoformat(), "status": q.status}


CHUNK = 900  # image ids per IN (…) read: under SQLite's bound-parameter limit


def _image_texts(s: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = sorted(ids)
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), CHUNK):
        for sha, row in image_texts.get_many(s, ids[i:i + CHUNK], READER).items():
            out[sha] = {"lines": row.lines, "ocr": row.ocr}
    return out
