"""A shop's standing as of `at` (API.md Health), its notices, and the fold's inputs."""

from __future__ import annotations

from datetime import datetime

from shopwarden.core.ledger.notices import render, rule_of
from shopwarden.core.ledger.standing import Standing, fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import events


def standing(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> tuple[PolicyPack, Standing]:
    require(principal, "violation.read", shop_id)
    at = at or ctx.clock()
    policy_id, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    if policy_id is None:
        raise NotFound(f"no shop {shop_id!r}")
    pack = ctx.pack(policy_id)
    return pack, fold(pack, ledger, at)


def health(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> dict:
    pack, st = standing(ctx, principal, shop_id, at)
    return health_json(shop_id, pack, st)


def health_json(shop_id: str, pack: PolicyPack, st: Standing) -> dict:
    return {
        "shop_id": shop_id,
        "at": st.at,
        "policy": pack.id,
        "policy_version": pack.version,
        "points": st.points,
        "level": st.level,
        "next_threshold": st.next_threshold,
        "points_to_next": st.points_to_next,
        "warning": st.warning,
        "classes": [
            {"point_class": c.point_class, "points": c.points, "level": c.level, "next_threshold": c.next_threshold, "points_to_next": c.points_to_next, "warning": c.warning}
            for c in st.classes.values()
        ],
        "sanctions": [
            {"kind": x.kind, "threshold": x.threshold, "point_class": x.point_class, "starts_at": x.starts_at, "ends_at": x.ends_at}
            for x in st.sanctions
        ],
        "privileges": st.privileges,
        "violations": [
            {"id": v.violation_id, "type": v.type, "severity": v.severity, "points": v.points, "point_class": v.point_class, "issued_at": v.issued_at, "expires_at": v.expires_at, "status": v.status}
            for v in st.violations
        ],
    }


def notices(ctx: Context, principal: Principal, shop_id: str, at: datetime | None, lang: str = "en") -> list[dict]:
    pack, st = standing(ctx, principal, shop_id, at)
    out = []
    for n in st.notices:
        en, zh = render(n, pack, "en"), render(n, pack, "zh")
        main = zh if lang == "zh" else en
        out.append(
            {
                "id": n.id,
                "kind": n.kind,
                "sent_at": n.sent_at,
                "title": main.title,
                "body": main.body,
                "rule": rule_of(n, pack),
                "violation_id": n.violation_id,
                "policy_version": pack.version,
                "i18n": {"en": {"title": en.title, "body": en.body}, "zh": {"title": zh.title, "body": zh.body}},
            }
        )
    return out
