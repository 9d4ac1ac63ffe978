"""Shadow detectors (issue 17): what a stored scan's shadow detectors found is kept beside the live
findings (`record`, in the scan's own transaction), listed where the two disagree (`disagreements`)
and labelled by an operator with which side was right (`label`). Nothing here opens a case, issues a
violation or touches the ledger: the shadow is never acted on (`core.detect.shadow`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.detect import Finding
from shopwarden.core.detect.shadow import LABELS, VERDICTS
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.consequences import Target
from shopwarden.service.context import Context
from shopwarden.service.scanning import ScanResult
from shopwarden.service.violations import new_id
from shopwarden.store import shadows

NOTE_MAX = 2000


def _findings(found: Iterable[Finding]) -> list[dict[str, Any]]:
    return [f.as_dict("en") | {"explanation_zh": f.explanation.zh} for f in found]


def record(session: Session, pack: PolicyPack, target: Target, result: ScanResult) -> list[str]:
    """Store each shadow run of `result` about `target`; their ids."""
    rows: list[dict[str, Any]] = [{
        "shadow_id": new_id("sh"), "subject_kind": target.kind, "subject_id": target.subject_id, "subject_version": target.version,
        "shop_id": target.shop_id, "policy_id": pack.id, "policy_version": pack.version, "detector": run.detector, "version": run.version,
        "verdict": run.verdict, "rules": sorted({f.rule for f in (*run.live, *run.shadow)}), "live": _findings(run.live),
        "shadow": _findings(run.shadow), "at": target.at,
    } for run in result.shadow]
    if rows:
        shadows.add(session, rows)
    return [r["shadow_id"] for r in rows]


@dataclass(frozen=True)
class DisagreementQuery:
    lo: datetime
    hi: datetime
    detector: str | None = None
    unlabelled: bool = False
    limit: int = 200


@dataclass(frozen=True)
class Disagreement:
    shadow_id: str
    subject_kind: str
    subject_id: str
    subject_version: int | None
    shop_id: str
    detector: str
    version: str
    verdict: str
    rules: list[str]
    live: list[Mapping[str, Any]]
    shadow: list[Mapping[str, Any]]
    at: datetime
    label: str | None
    label_note: str | None
    labelled_by: str | None


def disagreements(ctx: Context, principal: Principal, q: DisagreementQuery) -> list[Disagreement]:
    """Where live and shadow disagreed in [lo, hi], newest first, with both sides' evidence."""
    require(principal, "policy.simulate")
    if q.hi < q.lo:
        raise InvalidInput.one("to", f"{q.hi.isoformat()} is before from ({q.lo.isoformat()}); the period must run forwards")
    with ctx.db.read() as s:
        rows = shadows.in_period(s, q.lo, q.hi, True, q.detector, q.unlabelled, q.limit)
        return [_disagreement(r) for r in rows]


def _disagreement(r: shadows.ShadowFinding) -> Disagreement:
    return Disagreement(r.shadow_id, r.subject_kind, r.subject_id, r.subject_version, r.shop_id, r.detector, r.version, r.verdict,
                        list(r.rules), list(r.live), list(r.shadow), r.at, r.label, r.label_note, r.labelled_by)


@dataclass(frozen=True)
class LabelInput:
    shadow_id: str
    label: str  # live | shadow | neither
    note: str | None = None


def label(ctx: Context, principal: Principal, inp: LabelInput) -> Disagreement:
    """An operator's verdict on one disagreement: which side was right. A later label replaces it.
    Returns the disagreement as labelled."""
    require(principal, "policy.simulate")
    if inp.label not in LABELS:
        raise InvalidInput.one("label", f"{inp.label!r} is not a label; allowed: {', '.join(LABELS)} (which side was right)")
    if inp.note is not None and len(inp.note) > NOTE_MAX:
        raise InvalidInput.one("note", f"{len(inp.note)} characters; at most {NOTE_MAX}")
    with ctx.db.transaction() as s:
        row = shadows.get(s, inp.shadow_id)
        if row is None:
            raise NotFound(f"no shadow finding {inp.shadow_id!r}")
        if row.verdict == "agree":
            raise InvalidInput.one("shadow_id", f"{inp.shadow_id!r}: live and shadow agreed there; only disagreements are labelled ({', '.join(VERDICTS[1:])})")
        shadows.set_label(s, inp.shadow_id, inp.label, inp.note or None, principal.key_id, ctx.clock())
        s.refresh(row)
        return _disagreement(row)
