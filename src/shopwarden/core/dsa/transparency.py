"""A statement in the Transparency Database's submission format (API v1), by the pack's `dsa:` mapping,
and the producer's own check of a batch: a batch that fails it is not produced (shared/spec/DSA.md)."""

from __future__ import annotations

import re
from typing import Any

from shopwarden.core.dsa.render import facts_text
from shopwarden.core.policy.dsa import EEA
from shopwarden.core.policy.schema import PolicyPack

BATCH = 100
_SOURCE_TYPE = {"own_initiative": "SOURCE_VOLUNTARY", "notice": "SOURCE_ARTICLE_16", "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
                "report": "SOURCE_TYPE_OTHER_NOTIFICATION"}
_AUTOMATED = {"fully": "AUTOMATED_DECISION_FULLY", "partially": "AUTOMATED_DECISION_PARTIALLY", "not": "AUTOMATED_DECISION_NOT_AUTOMATED"}
_END = {"decision_visibility": "end_date_visibility_restriction", "decision_monetary": "end_date_monetary_restriction",
        "decision_provision": "end_date_service_restriction", "decision_account": "end_date_account_restriction"}
_TRADER_TARGETS = ("shop", "listing", "image")
_PUID = re.compile(r"^[a-zA-Z0-9_-]{1,500}$")


def submission(st: dict[str, Any], pack: PolicyPack) -> dict[str, Any] | None:
    """The statement's Transparency Database fields; None where nothing is exported (a market outside
    the EU, or a measure the pack marks `export: false`, a warning)."""
    if pack.dsa is None:
        return None
    fields = pack.dsa.measures.get(st["measure"]["kind"])
    if fields is None or not fields.export:
        return None
    g = pack.dsa.ground_for(_ground_key(st))
    out: dict[str, Any] = {k: v for k, v in fields.model_dump(exclude={"export", "source"}).items() if v not in (None, [])}
    ends = (st["measure"]["ends_at"] or "")[:10] or None
    for decision, end in _END.items():
        if decision in out:
            out[end] = ends
    illegal = g.ground == "DECISION_GROUND_ILLEGAL_CONTENT"
    out |= {
        "decision_ground": g.ground,
        ("illegal_content_legal_ground" if illegal else "incompatible_content_ground"): g.clause,
        ("illegal_content_explanation" if illegal else "incompatible_content_explanation"): g.explanation.en[:2000],
        "decision_facts": facts_text(st)[:5000],
        "category": g.category,
        "territorial_scope": list(st["scope"]),
        "content_date": st["facts"]["content_at"][:10],
        "application_date": st["measure"]["starts_at"][:10],
        "source_type": _SOURCE_TYPE[st["source"]],
        "automated_detection": "Yes" if st["automation"]["detection"] else "No",
        "automated_decision": _AUTOMATED[st["automation"]["decision"]],
        "puid": st["puid"],
    }
    if st["measure"]["target"] in _TRADER_TARGETS:  # a reviewer or a creator is not said to be a business
        out["account_type"] = pack.dsa.account_type
    if g.reference_url:
        out["decision_ground_reference_url"] = g.reference_url
    if g.keywords:
        out["category_specification"] = list(g.keywords)
    if g.keyword_other:
        out["category_specification_other"] = g.keyword_other
    if g.illegal_too and not illegal:
        out["incompatible_content_illegal"] = g.illegal_too
    if pack.dsa.content_language:
        out["content_language"] = pack.dsa.content_language
    return out


def _ground_key(st: dict[str, Any]) -> str | None:
    key: str | None = st["facts"].get("ground_key")
    return key


def problems(batch: list[dict[str, Any]]) -> list[str]:
    """What would make the Database refuse this batch (the rules it states that the mapping could break)."""
    out = [] if 1 <= len(batch) <= BATCH else [f"a batch holds 1 to {BATCH} statements, not {len(batch)}"]
    seen: set[str] = set()
    for i, s in enumerate(batch):
        puid = s.get("puid", "")
        if not _PUID.match(puid) or puid in seen:
            out.append(f"[{i}] puid {puid!r} is malformed or repeated")
        seen.add(puid)
        if not s.get("territorial_scope") or not set(s["territorial_scope"]) <= set(EEA):
            out.append(f"[{i}] territorial_scope must be EEA codes")
        if not "2020-01-01" <= s["application_date"] <= "2038-01-01":
            out.append(f"[{i}] application_date out of range")
        if not "2000-01-01" <= s["content_date"] <= "2038-01-01":
            out.append(f"[{i}] content_date out of range")
        out += [f"[{i}] {end} is before application_date" for end in _END.values() if s.get(end) and s[end] < s["application_date"]]
    return out
