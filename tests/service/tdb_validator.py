"""An independent validator of Transparency Database submissions (API v1), written from the table in
shared/spec/DSA.md alone: field names, enums, required fields, lengths, date formats, batch rules.
It shares no code with shopwarden's export (core/dsa/transparency.py)."""

from __future__ import annotations

import re
from datetime import date

VIS = {f"DECISION_VISIBILITY_{v}" for v in ("CONTENT_REMOVED", "CONTENT_DISABLED", "CONTENT_DEMOTED", "CONTENT_AGE_RESTRICTED",
                                              "CONTENT_INTERACTION_RESTRICTED", "CONTENT_LABELLED", "OTHER")}
MON = {"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"}
PROV = {f"DECISION_PROVISION_{v}" for v in ("PARTIAL_SUSPENSION", "TOTAL_SUSPENSION", "PARTIAL_TERMINATION", "TOTAL_TERMINATION")}
ACC = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
ACCOUNT_TYPE = {"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"}
GROUND = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
CONTENT = {f"CONTENT_TYPE_{v}" for v in ("APP", "AUDIO", "IMAGE", "PRODUCT", "SYNTHETIC_MEDIA", "TEXT", "VIDEO", "OTHER")}
CATEGORY = {f"STATEMENT_CATEGORY_{v}" for v in (
    "ANIMAL_WELFARE", "CONSUMER_INFORMATION", "CYBER_VIOLENCE", "CYBER_VIOLENCE_AGAINST_WOMEN", "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "ILLEGAL_OR_HARMFUL_SPEECH", "INTELLECTUAL_PROPERTY_INFRINGEMENTS", "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "NOT_SPECIFIED_NOTICE", "OTHER_VIOLATION_TC", "PROTECTION_OF_MINORS", "RISK_FOR_PUBLIC_SECURITY", "SCAMS_AND_FRAUD", "SELF_HARM",
    "UNSAFE_AND_PROHIBITED_PRODUCTS", "VIOLENCE")}
EEA = set(["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"])
SOURCE = {"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY"}
AUTOMATED = {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
ENDS = ("end_date_visibility_restriction", "end_date_monetary_restriction", "end_date_service_restriction", "end_date_account_restriction")
KNOWN = {"decision_visibility", "decision_visibility_other", "decision_monetary", "decision_monetary_other", "decision_provision",
         "decision_account", "account_type", "decision_ground", "decision_ground_reference_url", "illegal_content_legal_ground",
         "illegal_content_explanation", "incompatible_content_ground", "incompatible_content_explanation", "incompatible_content_illegal",
         "decision_facts", "content_type", "content_type_other", "content_id", "category", "category_addition", "category_specification",
         "category_specification_other", "territorial_scope", "content_language", "content_date", "application_date", *ENDS,
         "source_type", "source_identity", "automated_detection", "automated_decision", "puid"}


def _date(value, lo: str, hi: str) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return lo <= value <= hi


def _str(s: dict, key: str, limit: int, errors: list[str], required: bool = False) -> None:
    v = s.get(key)
    if v is None:
        if required:
            errors.append(f"{key} is required")
        return
    if not isinstance(v, str) or not v or len(v) > limit:
        errors.append(f"{key} must be a non-empty string of at most {limit}")


def statement_errors(s: dict) -> list[str]:
    e: list[str] = [f"unknown field {k}" for k in s if k not in KNOWN]
    if not any(s.get(k) for k in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")):
        e.append("at least one decision_* field")
    vis = s.get("decision_visibility")
    if vis is not None and (not isinstance(vis, list) or not set(vis) <= VIS):
        e.append("decision_visibility values")
    if vis and "DECISION_VISIBILITY_OTHER" in vis:
        _str(s, "decision_visibility_other", 500, e, True)
    for key, allowed in (("decision_monetary", MON), ("decision_provision", PROV), ("decision_account", ACC), ("account_type", ACCOUNT_TYPE)):
        if s.get(key) is not None and s[key] not in allowed:
            e.append(f"{key} value {s[key]!r}")
    if s.get("decision_monetary") == "DECISION_MONETARY_OTHER":
        _str(s, "decision_monetary_other", 500, e, True)
    if s.get("decision_ground") not in GROUND:
        e.append("decision_ground")
    _str(s, "decision_ground_reference_url", 500, e)
    if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        _str(s, "illegal_content_legal_ground", 500, e, True)
        _str(s, "illegal_content_explanation", 2000, e, True)
    if s.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        _str(s, "incompatible_content_ground", 500, e, True)
        _str(s, "incompatible_content_explanation", 2000, e, True)
    if s.get("incompatible_content_illegal") not in (None, "Yes", "No"):
        e.append("incompatible_content_illegal")
    _str(s, "decision_facts", 5000, e, True)
    ct = s.get("content_type")
    if not isinstance(ct, list) or not ct or not set(ct) <= CONTENT:
        e.append("content_type")
    elif "CONTENT_TYPE_OTHER" in ct:
        _str(s, "content_type_other", 500, e, True)
    cid = s.get("content_id")
    if cid is not None and (not isinstance(cid, dict) or set(cid) != {"EAN-13"} or not re.fullmatch(r"\d{13}", str(cid["EAN-13"]))):
        e.append("content_id")
    if s.get("category") not in CATEGORY:
        e.append("category")
    if "category_addition" in s and (not isinstance(s["category_addition"], list) or not set(s["category_addition"]) <= CATEGORY):
        e.append("category_addition (never null)")
    spec = s.get("category_specification")
    if spec is not None and (not isinstance(spec, list) or not all(isinstance(k, str) and k.startswith("KEYWORD_") for k in spec)):
        e.append("category_specification")
    if spec and "KEYWORD_OTHER" in spec:
        _str(s, "category_specification_other", 500, e, True)
    scope = s.get("territorial_scope")
    if not isinstance(scope, list) or not scope or not set(scope) <= EEA:
        e.append("territorial_scope")
    if s.get("content_language") is not None and not re.fullmatch(r"[A-Z]{2}", s["content_language"]):
        e.append("content_language")
    if not _date(s.get("content_date"), "2000-01-01", "2038-01-01"):
        e.append("content_date")
    if not _date(s.get("application_date"), "2020-01-01", "2038-01-01"):
        e.append("application_date")
    for end in ENDS:
        v = s.get(end)
        if v is not None and (not _date(v, "2000-01-01", "2038-01-01") or v < str(s.get("application_date"))):
            e.append(f"{end} (not before application_date)")
    if s.get("source_type") not in SOURCE:
        e.append("source_type")
    if s.get("source_identity") is not None:
        if s.get("source_type") == "SOURCE_VOLUNTARY":
            e.append("source_identity with SOURCE_VOLUNTARY")
        _str(s, "source_identity", 500, e)
    if s.get("automated_detection") not in ("Yes", "No"):
        e.append("automated_detection")
    if s.get("automated_decision") not in AUTOMATED:
        e.append("automated_decision")
    puid = s.get("puid")
    if not isinstance(puid, str) or len(puid) > 500 or not re.fullmatch(r"[a-zA-Z0-9_-]+", puid):
        e.append("puid")
    return e


def batch_errors(body: dict, seen: set[str] | None = None) -> list[str]:
    """A batch `{"statements": [...]}`: 1 to 100, each valid, no puid repeated (in it, or in `seen`)."""
    items = body.get("statements")
    if not isinstance(items, list) or not 1 <= len(items) <= 100:
        return ["1 to 100 statements per batch"]
    seen = set() if seen is None else seen
    out = []
    for i, s in enumerate(items):
        out += [f"[{i}] {e}" for e in statement_errors(s)]
        if s.get("puid") in seen:
            out.append(f"[{i}] repeated puid {s.get('puid')}")
        seen.add(s.get("puid"))
    return out
