"""What follows a stored scan, per the pack's decision rows: a violation issued at once, a review
case for an operator, a rectification task the seller can fix (DY-IP-R). Runs inside the
caller's transaction, so a listing and everything it caused are written together or not at all."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.periods import add_days
from shopwarden.core.policy.schema import IssueSpec, PolicyPack
from shopwarden.service.results import Result
from shopwarden.service.scanning import Judged, ScanResult
from shopwarden.service.violation_rows import new_id, violation_row
from shopwarden.store import cases, rectification, violations


@dataclass(frozen=True, slots=True)
class Outcome(Result):
    """What a scan's findings caused: the ids of the violations issued, cases opened, tasks opened."""

    violations: Sequence[str] = ()
    cases: Sequence[str] = ()
    tasks: Sequence[str] = ()

    def as_json(self) -> dict[str, Any]:
        return {"violations": list(self.violations), "cases": list(self.cases), "rectification_tasks": list(self.tasks)}


@dataclass(frozen=True)
class Target:
    """The stored thing findings are about."""

    shop_id: str
    kind: str  # listing | message | shop
    subject_id: str
    version: int | None
    at: datetime
    actor: str


def evidence_of(j: Judged, target: Target) -> list[dict[str, Any]]:
    where = f"{target.kind} {target.subject_id}" + (f" v{target.version}" if target.version else "")
    spans = [{"kind": "text", "value": e.text, "note": f"{where} {e.field}[{e.start}:{e.end}]"} for e in j.finding.evidence]
    return spans + [{"kind": "text", "value": j.finding.explanation.zh, "note": f"{j.finding.rule} / {j.finding.detector} score {j.finding.score:.2f}"}]


AUTO_NOTE = "issued automatically from {rule} ({detector})"
_AUTO = re.compile(r"^issued automatically from ([A-Z0-9-]+) \(([a-z0-9_]+)\)$")


def auto_source(note: str | None) -> tuple[str, str] | None:
    """(rule, detector) of a violation the pack issued at once from a finding (its note), else None."""
    m = _AUTO.match(note or "")
    return (m.group(1), m.group(2)) if m else None


def issue_violation(session: Session, pack: PolicyPack, spec: IssueSpec, target: Target, evidence: list[dict[str, Any]], note: str,
                    violation_id: str | None = None) -> str:
    body = {"type": spec.type, "severity": spec.severity, "evidence": evidence, "note": note, "id": violation_id}
    row = violation_row(pack, target.shop_id, body, target.at, target.at, target.actor)
    violations.add(session, row)
    issued: str = row["violation_id"]
    return issued


def apply(session: Session, pack: PolicyPack, target: Target, result: ScanResult, open_rules: set[str]) -> Outcome:
    """Act on each judged finding. `open_rules`: rules that already have an open task for this listing."""
    issued: list[str] = []
    opened: list[str] = []
    tasks: list[str] = []
    for j in result.judged:
        row = j.row
        if row is not None and row.issue is not None:
            note = AUTO_NOTE.format(rule=j.finding.rule, detector=j.finding.detector)
            issued.append(issue_violation(session, pack, row.issue, target, evidence_of(j, target), note))
        # A shop name cannot be rectified by a task: any finding on it goes to an operator.
        if row is None or row.case or (target.kind == "shop" and j.decision != "allow"):
            opened.append(_open_case(session, j, target))
        if row is not None and row.rectify and j.decision == "block" and target.kind == "listing" and j.finding.rule not in open_rules:
            tasks.append(_open_task(session, pack, j, target))
            open_rules.add(j.finding.rule)
    return Outcome(issued, opened, tasks)


def _open_case(session: Session, j: Judged, target: Target) -> str:
    case_id = new_id("c")
    cases.add(session, {
        "case_id": case_id, "shop_id": target.shop_id, "subject_kind": target.kind, "subject_id": target.subject_id,
        "subject_version": target.version, "rule": j.finding.rule, "detector": j.finding.detector,
        "severity": j.finding.severity, "score": j.finding.score,
        "finding": j.finding.as_dict("en") | {"explanation_zh": j.finding.explanation.zh},
        "decision": j.decision, "opened_at": target.at,
    })
    return case_id


def _open_task(session: Session, pack: PolicyPack, j: Judged, target: Target) -> str:
    days = pack.rectification.days if pack.rectification else 3
    task_id = new_id("r")
    rectification.add(session, {
        "task_id": task_id, "shop_id": target.shop_id, "product_id": target.subject_id, "product_version": target.version,
        "rule": j.finding.rule, "findings": [j.finding.as_dict("en") | {"explanation_zh": j.finding.explanation.zh}],
        "opened_at": target.at, "deadline": add_days(target.at, days),
    })
    return task_id
