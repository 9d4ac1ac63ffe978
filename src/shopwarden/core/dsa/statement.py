"""A statement of reasons (Art. 17(3)), built from a measure at the moment it is applied and its pack.

The statement is structured data (stored as JSON); its zh and en texts (`render.py`) and its
Transparency Database form (`transparency.py`) are rendered from it, never stored as prose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from shopwarden.core.measure_kinds import kind_of
from shopwarden.core.policy.schema import PolicyPack

Source = Literal["own_initiative", "notice", "trusted_flagger", "report"]
Automation = Literal["fully", "partially", "not"]
Redress = Literal["appeal", "dispute", "counter_notice", "none"]
Fact = tuple[str, str | int | float]


@dataclass(frozen=True, slots=True)
class Measure:
    """What a measure point knows when it applies a measure.

    `facts` are the platform's own findings as (key, value): rule ids, figures, points, dates —
    never text written by a person (evidence may hold phone numbers, names, addresses).
    `detected_by_machine` / `decided`: told honestly per path (a detector's finding acted on by the
    pack alone is `fully`; a person's decision that the pack's ladder turns into a sanction is
    `partially`; a person's measure is `not`).
    """

    kind: str
    measure_id: str
    subject_id: str
    shop_id: str | None
    creator_id: str | None
    starts_at: datetime
    ends_at: datetime | None
    content_at: datetime
    ground_key: str | None
    rules: tuple[str, ...]
    facts: tuple[Fact, ...]
    detected_by_machine: bool
    decided: Automation
    source: Source = "own_initiative"
    redress: Redress = "appeal"


def puid_of(kind: str, measure_id: str) -> str:
    """The statement's platform id: one measure, one id, never reused (a unique key in storage)."""
    return "sor-" + hashlib.sha256(f"{kind}\x1f{measure_id}".encode()).hexdigest()[:40]


def build(m: Measure, pack: PolicyPack) -> dict[str, Any]:
    """The structured statement of `m` under `pack`: (a) measure, scope, duration; (b) facts and
    source; (c) automation; (d)/(e) ground with explanation; (f) redress."""
    kind = kind_of(m.kind)
    return {
        "puid": puid_of(m.kind, m.measure_id),
        "measure": {"kind": m.kind, "id": m.measure_id, "target": kind.target, "subject_id": m.subject_id, "shop_id": m.shop_id,
                    "creator_id": m.creator_id, "restricts": kind.restricts, "starts_at": _iso(m.starts_at), "ends_at": _iso(m.ends_at),
                    "name": {"en": kind.en, "zh": kind.zh}},
        "scope": list(pack.dsa.markets) if pack.dsa else [],
        "facts": {"ground_key": m.ground_key, "rules": list(m.rules), "items": [[k, v] for k, v in m.facts], "content_at": _iso(m.content_at)},
        "source": m.source,
        "automation": {"detection": m.detected_by_machine, "decision": m.decided},
        "ground": _ground(m, pack),
        "redress": _redress(m, pack),
        "policy": {"id": pack.id, "version": pack.version},
    }


def _ground(m: Measure, pack: PolicyPack) -> dict[str, Any]:
    if pack.dsa is not None:
        g = pack.dsa.ground_for(m.ground_key)
        legal = g.ground == "DECISION_GROUND_ILLEGAL_CONTENT"
        return {"kind": "law" if legal else "policy", "clause": g.clause, "explanation": {"en": g.explanation.en, "zh": g.explanation.zh},
                "reference_url": g.reference_url}
    vt = pack.types.get(m.ground_key or "")
    name = {"en": vt.name.en, "zh": vt.name.zh} if vt else {"en": m.ground_key or "the policy", "zh": m.ground_key or "平台规则"}
    return {"kind": "policy", "clause": f"{pack.name.en} ({pack.id} {pack.version}), {', '.join(m.rules) or 'general terms'}",
            "explanation": {"en": f"{name['en']} breaches this policy.", "zh": f"{name['zh']}违反该平台规则。"}, "reference_url": None}


def _redress(m: Measure, pack: PolicyPack) -> dict[str, Any]:
    out: dict[str, Any] = {"route": m.redress, "appeal_days": None, "appeal_until": None, "out_of_court": None, "court": None}
    if m.redress != "none":
        judged = pack.for_creators if m.creator_id is not None and m.shop_id is None else pack
        days = judged.appeals.windows[0].days if judged.appeals.windows else None
        if days is not None:
            out["appeal_days"], out["appeal_until"] = days, _iso(m.starts_at + timedelta(days=days))
    if pack.dsa is not None:
        r = pack.dsa.redress
        out["out_of_court"] = {"en": r.out_of_court.en, "zh": r.out_of_court.zh}
        out["court"] = {"en": r.court.en, "zh": r.court.zh}
    return out


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat().replace("+00:00", "Z")
