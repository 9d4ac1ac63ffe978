"""Small policy packs built in Python, a ledger builder, and a plain-tuple view of a Standing.

The packs mirror the shapes of the real ones (TikTok-like rolling ladder, Shopee-like calendar
reset, Douyin-like A/B classes) but are owned by the tests, so a change to a YAML pack never
moves a ledger test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.ledger.standing import Standing
from shopwarden.core.policy.schema import PolicyPack

UTC = UTC
T0 = datetime(2026, 1, 1, tzinfo=UTC)
SRC = "test pack"


def day(d: float) -> datetime:
    """`d` days after T0 (fractions allowed)."""
    return T0 + timedelta(days=d)


def _text(s: str) -> dict:
    return {"en": s, "zh": s}


def _named(ids: list[str]) -> list[dict]:
    return [{"id": i, "name": _text(i)} for i in ids]


def _sanction_kinds() -> list[dict]:
    removes = {
        "no_campaigns": ["campaigns"],
        "no_affiliate": ["affiliate"],
        "suspended": ["selling", "campaigns", "affiliate"],
        "deactivated": ["selling", "campaigns", "affiliate"],
    }
    return [{"kind": k, "name": _text(k), "removes": r} for k, r in removes.items()]


def _threshold(points: int, level: str, sanctions: list[tuple[str, int | None]], point_class: str | None = None) -> dict:
    out = {"points": points, "level": level, "sanctions": [{"kind": k, "days": d} for k, d in sanctions], "source": SRC}
    if point_class:
        out["point_class"] = point_class
    return out


# RULES.md TT-PTS-3's table.
TIKTOK_LADDER = [
    _threshold(12, "medium", [("no_campaigns", 30)]),
    _threshold(24, "high", [("no_affiliate", 30), ("no_campaigns", 30)]),
    _threshold(36, "very_high", [("no_affiliate", 60), ("no_campaigns", 60), ("suspended", 30)]),
    _threshold(48, "very_high", [("deactivated", None)]),
]


def _base(**overrides) -> dict:
    pack = {
        "id": "test-tiktok",
        "version": "1",
        "name": _text("test"),
        "market": "test",
        "region": "SEA",
        "effective_from": "2025-01-01T00:00:00Z",
        "source": SRC,
        "levels": _named(["low", "medium", "high", "very_high"]),
        "privileges": _named(["campaigns", "affiliate", "selling"]),
        "sanction_kinds": _sanction_kinds(),
        "point_classes": [{"id": "default", "name": _text("points"), "expiry": {"kind": "rolling", "days": 180, "source": SRC}, "source": SRC}],
        "warning_margin": 5,
        "warning_margin_source": SRC,
        "thresholds": TIKTOK_LADDER,
        "violation_types": [
            {"type": "prohibited_products", "name": _text("pp"), "min_points": 6, "max_points": 48, "severities": {"minor": 6, "general": 12, "severe": 48}, "source": SRC},
            {"type": "knockoff", "name": _text("knockoff"), "min_points": 0, "max_points": 4, "severities": {"minor": 0, "general": 4}, "source": SRC},
            {"type": "any", "name": _text("any"), "min_points": 0, "max_points": 48, "severities": {"any": 1}, "source": SRC},
        ],
        "appeals": {
            "max_appeals": 2,
            "windows": [
                {"number": 1, "days": 30, "after": "violation_issued"},
                {"number": 2, "days": 15, "after": "previous_rejected"},
            ],
            "evidence_required": True,
            "source": SRC,
        },
        "calendar": {"source": SRC},
    }
    pack.update(overrides)
    return pack


def tiktok_pack(expiry_days: int = 180, **overrides) -> PolicyPack:
    """TikTok-Shop-like: one class, 12/24/36/48 ladder, margin 5, rolling expiry (TT-PTS-2..4)."""
    pack = _base(**overrides)
    if expiry_days != 180:
        pack["point_classes"] = [{**pack["point_classes"][0], "expiry": {"kind": "rolling", "days": expiry_days, "source": SRC}}]
    return PolicyPack.model_validate(pack)


def shopee_pack() -> PolicyPack:
    """Shopee-like: points reset at the start of each calendar quarter, Singapore time."""
    return PolicyPack.model_validate(
        _base(
            id="test-shopee",
            point_classes=[{"id": "default", "name": _text("points"), "expiry": {"kind": "calendar", "period": "quarter", "timezone": "Asia/Singapore", "source": SRC}, "source": SRC}],
            warning_margin=1,
            thresholds=[_threshold(3, "medium", [("no_campaigns", 28)]), _threshold(6, "high", [("no_affiliate", 28)])],
        )
    )


def douyin_pack() -> PolicyPack:
    """Douyin-like: A points without a ladder (primary), B points with one and their own margin; 7-day appeals, 1–5 working-day SLA."""
    rolling = {"kind": "rolling", "days": 365, "source": SRC}
    return PolicyPack.model_validate(
        _base(
            id="test-douyin",
            point_classes=[
                {"id": "A", "name": _text("A"), "expiry": rolling, "source": SRC},
                {"id": "B", "name": _text("B"), "expiry": rolling, "warning_margin": 2, "source": SRC},
            ],
            primary_class="A",
            thresholds=[
                _threshold(12, "medium", [("no_campaigns", 7)], "B"),
                _threshold(24, "high", [("suspended", 7)], "B"),
                _threshold(48, "very_high", [("deactivated", None)], "B"),
            ],
            violation_types=[
                {"type": "low_positive_rate_product", "name": _text("lq"), "min_points": 0, "max_points": 12, "point_class": "A",
                 "severities": {"minor": 0, "general": {"points": 4, "point_class": "A"}, "serious": {"points": 4, "point_class": "B"}, "especially_serious": {"points": 12, "point_class": "B"}},
                 "source": SRC},
            ],
            appeals={
                "max_appeals": 1,
                "windows": [{"number": 1, "days": 7, "after": "violation_issued", "source": "DY-APL-1: within 7 calendar days"}],
                "evidence_required": True,
                "decision_sla": {"min_working_days": 1, "max_working_days": 5},
                "source": "DY-APL-1: one appeal, answered within 1-5 working days",
            },
            calendar={"timezone": "Asia/Shanghai", "holidays": ["2026-02-16", "2026-02-17"], "source": SRC},
        )
    )


class Ledger:
    """Builds one shop's events against a pack; times are days after T0."""

    def __init__(self, pack: PolicyPack):
        self.pack = pack
        self.events: list[Event] = []

    def issue(self, vid: str, at: float | datetime, points: int, point_class: str | None = None, type: str = "any", severity: str = "any") -> ViolationIssued:
        when = at if isinstance(at, datetime) else day(at)
        cls = point_class or self.pack.primary
        event = ViolationIssued(vid, when, type, severity, points, cls, expires_at(self.pack, cls, when))
        self.events.append(event)
        return event

    def issue_typed(self, vid: str, at: float, type: str, severity: str) -> ViolationIssued:
        """TT-PTS-1: points and class come from the pack's type and severity, as the service issues them."""
        sev = self.pack.types[type].severities[severity]
        return self.issue(vid, at, sev.points, self.pack.class_of(type, severity), type, severity)

    def appeal(self, vid: str, filed: float, decided: float, outcome: str = "granted", appeal_id: str | None = None, number: int = 1) -> AppealDecided:
        aid = appeal_id or f"a-{vid}-{number}"
        self.events.append(AppealFiled(aid, vid, number, day(filed)))
        decision = AppealDecided(aid, vid, outcome, day(decided), f"{outcome} by test", "op-1")
        self.events.append(decision)
        return decision

    def revoke(self, vid: str, at: float, reason: str = "platform reversal") -> ViolationRevoked:
        event = ViolationRevoked(vid, day(at), reason)
        self.events.append(event)
        return event


def sanction_tuple(s) -> tuple:
    return (s.kind, s.threshold, s.point_class, s.level, s.starts_at, s.ends_at, s.lifted_at)


def standing_tuple(s: Standing) -> tuple:
    """Every field of a Standing as plain, comparable tuples (sanction instances are mutable objects)."""
    return (
        s.at,
        s.points,
        s.level,
        s.next_threshold,
        s.points_to_next,
        s.warning,
        tuple((k, c.points, c.level, c.next_threshold, c.points_to_next, c.warning) for k, c in s.classes.items()),
        tuple(sanction_tuple(x) for x in s.sanctions),
        tuple(sanction_tuple(x) for x in s.history),
        tuple(sorted(s.privileges.items())),
        tuple(
            (v.violation_id, v.type, v.severity, v.points, v.point_class, v.issued_at, v.expires_at, v.revoked_at, v.status)
            for v in s.violations
        ),
        tuple(notice_tuple(n) for n in s.notices),
    )


def notice_tuple(n) -> tuple:
    return (n.kind, n.sent_at, n.rule, n.violation_id, n.params)


def in_force_keys(s: Standing) -> set[tuple[str, int, str]]:
    """The (kind, threshold, class) of the sanctions in force: what a counterfactual can be compared on."""
    return {(x.kind, x.threshold, x.point_class) for x in s.sanctions}


def notices_of(s: Standing, kind: str) -> list:
    return [n for n in s.notices if n.kind == kind]
