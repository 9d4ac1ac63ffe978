"""The transparency report (DSA Art. 24(1), Art. 15) for any period, counted from what the engine recorded:
measures by kind, ground and category, own initiative against notices, automated detection and decision;
notices by type and outcome with the trusted flaggers' share and the median time to decide; complaints (appeals of
violations, and internal complaints against notice decisions and Art. 23 suspensions) and their outcomes, those a
person found manifestly unfounded among them, with the median time to decide; Art. 23 warnings, suspensions and
suspensions lifted on a complaint, of notifiers and of complainants."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any

from shopwarden.errors import FieldProblem, InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import transparency as store
from shopwarden.store.transparency import ComplaintRow

NOTICE_SOURCES = ("notice", "trusted_flagger")


@dataclass(frozen=True, slots=True)
class Report:
    since: datetime
    until: datetime
    measures: dict[str, Any]
    notices: dict[str, Any]
    complaints: dict[str, Any]
    misuse: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"period": {"from": self.since, "to": self.until}, "measures": self.measures, "notices": self.notices,
                "complaints": self.complaints, "misuse": self.misuse}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median_hours(spans: list[float]) -> float | None:
    return round(median(spans) / 3600, 2) if spans else None


def _sorted(c: Counter[str]) -> dict[str, int]:
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def report(ctx: Context, principal: Principal, since: datetime | None, until: datetime | None) -> Report:
    """The report of [since, until); both are required (asked for after the caller's role, so a seller learns nothing)."""
    require(principal, "transparency.read")
    missing = [FieldProblem(f, "required: an instant (ISO 8601)") for f, v in (("from", since), ("to", until)) if v is None]
    if since is None or until is None:
        raise InvalidInput("the report needs its period: from and to", missing)
    if until <= since:
        raise InvalidInput.one("to", f"must be after from ({since.isoformat()})")
    with ctx.db.read() as s:
        measures = _measures(store.statements(s, since, until))
        notices = _notices(store.notices(s, since, until))
        appeals = store.complaints(s, since, until)
        internal = store.internal_complaints(s, since, until)
        misuse = Counter(f"{party}.{action}" for party, action in store.misuse(s, since, until))
    complaints = _complaints(appeals + [row for _, row in internal])
    subjects = Counter(kind for kind, _ in internal)
    complaints["by_subject"] = {"violation": len(appeals), "notice": subjects["notice"], "misuse": subjects["misuse"]}
    unfounded = Counter(kind for kind, row in internal if row[3])
    complaints["manifestly_unfounded"] = {"total": sum(row[3] for row in appeals) + sum(unfounded.values()),
                                          "by_subject": {"violation": sum(row[3] for row in appeals), "notice": unfounded["notice"],
                                                         "misuse": unfounded["misuse"]}}
    parties = ("notifier", "complainant")
    return Report(since, until, measures, notices, complaints, {"warnings": {p: misuse[f"{p}.warning"] for p in parties},
                                                                  "suspensions": {p: misuse[f"{p}.suspension"] for p in parties},
                                                                  "lifted_on_complaint": {p: misuse[f"{p}.lifted"] for p in parties}})


def _measures(rows: Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> dict[str, Any]:
    kinds, grounds, categories, sources, decisions = Counter[str](), Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    detected = total = exported = 0
    for kind, body, submission in rows:
        total += 1
        kinds[kind] += 1
        grounds[(body.get("facts") or {}).get("ground_key") or "default"] += 1
        sources[body.get("source", "own_initiative")] += 1
        auto = body.get("automation") or {}
        detected += bool(auto.get("detection"))
        decisions[auto.get("decision", "not")] += 1
        if submission:
            exported += 1
            categories[submission["category"]] += 1
    on_notice = sum(sources[k] for k in NOTICE_SOURCES)
    return {"total": total, "exported": exported, "by_kind": _sorted(kinds), "by_ground": _sorted(grounds), "by_category": _sorted(categories),
            "by_source": _sorted(sources), "own_initiative_share": _share(sources["own_initiative"], total), "notice_share": _share(on_notice, total),
            "automated_detection_share": _share(detected, total),
            "automated_decision": {k: decisions[k] for k in ("fully", "partially", "not")},
            "fully_automated_share": _share(decisions["fully"], total)}


def _notices(rows: list[tuple[str, bool, str, datetime, datetime | None, str | None]]) -> dict[str, Any]:
    kinds, grounds, outcomes = Counter[str](), Counter[str](), Counter[str]()
    trusted = 0
    spans: list[float] = []
    action_spans: list[float] = []
    for kind, is_trusted, ground, filed_at, decided_at, outcome in rows:
        kinds[kind] += 1
        grounds[ground] += 1
        outcomes[outcome or "pending"] += 1
        trusted += bool(is_trusted)
        if decided_at is not None:
            spans.append((decided_at - filed_at).total_seconds())
            if outcome == "action":
                action_spans.append((decided_at - filed_at).total_seconds())
    total = len(rows)
    return {"total": total, "by_type": _sorted(kinds), "by_ground": _sorted(grounds), "by_outcome": _sorted(outcomes),
            "trusted_flagger_share": _share(trusted, total), "median_hours_to_decision": _median_hours(spans),
            "median_hours_to_action": _median_hours(action_spans)}


def _complaints(rows: list[ComplaintRow]) -> dict[str, Any]:
    """Outcomes: `rejected` counts every rejection, those found manifestly unfounded too (the report adds how many)."""
    outcomes = Counter((outcome or "pending") for _, _, outcome, _ in rows)
    spans = [(d - f).total_seconds() for f, d, _, _ in rows if d is not None]
    decided = outcomes["granted"] + outcomes["rejected"]
    return {"total": len(rows), "by_outcome": {k: outcomes[k] for k in ("granted", "rejected", "pending")},
            "reversed_share": _share(outcomes["granted"], decided), "median_hours_to_decision": _median_hours(spans)}
