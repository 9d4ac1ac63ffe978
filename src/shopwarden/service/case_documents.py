"""A review case (and its decision, if any) as the API and the pages show it; apart from
`service/cases`, so that the use cases that open cases (`service/bans`) and the one that decides
them both use it without importing each other."""

from __future__ import annotations


def case_json(c, d) -> dict:
    return {
        "id": c.case_id, "shop_id": c.shop_id, "subject": {"kind": c.subject_kind, "id": c.subject_id, "version": c.subject_version},
        "rule": c.rule, "detector": c.detector, "severity": c.severity, "score": c.score, "decision": c.decision,
        "finding": c.finding, "opened_at": c.opened_at, "status": "decided" if d else "open",
        "outcome": d.outcome if d else None, "reason": d.reason if d else None,
        "violation_id": d.violation_id if d else None, "decided_at": d.decided_at if d else None,
    }
