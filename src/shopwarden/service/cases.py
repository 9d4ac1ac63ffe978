"""Review cases: the operators' queue of findings, and their decisions (violation or dismiss)."""

from __future__ import annotations

from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service import bans
from shopwarden.service.auth import Principal, require
from shopwarden.service.case_documents import case_json
from shopwarden.service.consequences import Target
from shopwarden.service.context import Context
from shopwarden.service.decisions import Decidable, deciding
from shopwarden.service.violations import violation_row
from shopwarden.store import cases, shops, violations

DISPUTE = cases.DISPUTE  # a merchant's dispute of a same-product match: upheld or dismissed, never a violation
CASE = Decidable("case", "case", "TT-APL-6", cases.get)


def search(ctx: Context, principal: Principal, status: str | None, rule: str | None, shop_id: str | None, limit: int,
           subject_kind: str | None = None, not_subject_kind: str | None = None) -> list[dict]:
    require(principal, "case.read")
    with ctx.db.read() as s:
        return [case_json(c, d) for c, d in cases.search(s, status, rule, shop_id, limit, subject_kind, not_subject_kind)]


def get(ctx: Context, principal: Principal, case_id: str) -> dict:
    require(principal, "case.read")
    with ctx.db.read() as s:
        found = cases.get(s, case_id)
    if found is None:
        raise NotFound.no("case", case_id)
    return case_json(*found)


def decide(ctx: Context, principal: Principal, case_id: str, body: dict) -> dict:
    """`violation` issues one with the finding's evidence (type and severity required); `dismiss` closes it."""
    with deciding(ctx, principal, "case.decide", CASE, case_id, body) as open_:
        s, case, decided_at = open_.session, open_.item, open_.decided_at
        _check_outcome(case, body["outcome"])
        violation_id = _violation(ctx, s, case, body, decided_at, principal) if body["outcome"] == "violation" else None
        if body["outcome"] == "upheld":
            bans.uphold(s, case, body["reason"], decided_at, principal.key_id)
        if not cases.add_decision(s, {"case_id": case_id, "outcome": body["outcome"], "reason": body["reason"], "violation_id": violation_id,
                                      "decided_at": decided_at, "decided_by": body.get("decided_by") or principal.key_id}):
            raise CASE.lost_race(case_id)  # this one's violation and upheld effects roll back with it
        found = cases.get(s, case_id)
    return case_json(*found)


def _check_outcome(case, outcome: str) -> None:
    """A finding is decided `violation` or `dismiss`; a merchant's dispute of a same-product match
    is decided `upheld` (not the same product: the listing is cleared) or `dismiss` (the match stands)."""
    dispute = case.subject_kind == cases.DISPUTE
    if dispute and outcome == "violation":
        raise InvalidInput.one("outcome", "a match dispute is decided 'upheld' (not the same product) or 'dismiss' (the match stands)")
    if not dispute and outcome == "upheld":
        raise InvalidInput.one("outcome", "'upheld' decides match disputes only; a finding is decided 'violation' or 'dismiss'")


def _violation(ctx: Context, session, case, body: dict, at, principal: Principal) -> str:
    missing = [f for f in ("type", "severity") if not body.get(f)]
    if missing:
        raise InvalidInput.one(missing[0], "is required when the outcome is 'violation'")
    pack = ctx.pack(shops.get(session, case.shop_id).policy_id)
    evidence = [{"kind": "text", "value": e["text"], "note": f"{case.subject_kind} {case.subject_id} {e['field']}[{e['start']}:{e['end']}]"} for e in case.finding.get("evidence", [])]
    target = Target(case.shop_id, case.subject_kind, case.subject_id, case.subject_version, at, principal.key_id)
    row = violation_row(pack, target.shop_id, {"type": body["type"], "severity": body["severity"], "points": body.get("points"), "evidence": evidence,
                                               "note": f"case {case.case_id} ({case.rule}): {body['reason']}"}, at, at, principal.key_id)
    violations.add(session, row)
    return row["violation_id"]
