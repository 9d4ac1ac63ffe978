"""Notice and action (DSA Art. 16), trusted flaggers first (Art. 22), the decision told to the notifier and
the seller with a statement of reasons when a measure follows (Art. 17), the seller's counter-notice on IP
grounds (China's E-Commerce Law art. 43), and misuse by notifiers (Art. 23, `misuse.py`).

Notices reach shopwarden through the platform (its notice form or a rights owners' portal, key role
`platform`), which relays the notifier's identity; operators decide them at the console or over the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopwarden.core.dsa.statement import Measure
from shopwarden.core.notices import (
    MEASURE_OF,
    NOTIFIER_KINDS,
    OUTCOMES,
    TARGETS,
    Elements,
    measure_state,
    missing_elements,
)
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import AlreadyDecided, Conflict, FieldProblem, InvalidInput, NotFound
from shopwarden.service import misuse, statements
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time
from shopwarden.service.violations import new_id
from shopwarden.store import creators, images, notices, products, shops
from shopwarden.store.notices import COUNTER_NOTICE, DECIDED, PROCEEDINGS, NoticeRow

ART43 = "E-Commerce Law art. 43"
LIVE = ("published", "pending_review")  # as service/bans.py: a listing buyers can reach or soon will


@dataclass(frozen=True)
class NoticeInput:
    """A notice as the platform relays it; every Art. 16(2) element may be missing (the answer says which)."""

    notifier_id: str
    notifier_kind: str
    target_kind: str
    target_id: str
    ground: str
    notifier_name: str | None = None
    notifier_email: str | None = None
    location: str | None = None
    explanation: str | None = None
    good_faith: bool | None = None
    shop_id: str | None = None  # an image's: which of the shops that use it
    filed_at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    outcome: str  # action | no_action | manifestly_unfounded
    reason: str
    decided_by: str | None = None
    decided_at: datetime | None = None


def _target(session, ctx: Context, n: NoticeInput) -> tuple[str | None, str | None, PolicyPack]:
    """The item's shop or creator and the pack it is judged by; an unknown item is the notice's fault (422)."""
    def unknown(why: str) -> InvalidInput:
        return InvalidInput.one("target_id", why)

    if n.target_kind == "listing":
        p = products.get(session, n.target_id)
        if p is None:
            raise unknown(f"no listing {n.target_id!r}")
        return p.shop_id, None, ctx.pack(shops.get(session, p.shop_id).policy_id)
    if n.target_kind == "image":
        if images.get(session, n.target_id) is None:
            raise unknown(f"no image {n.target_id!r} (its SHA-256)")
        owners = images.owners(session, n.target_id)
        if n.shop_id not in owners:
            raise InvalidInput.one("shop_id", f"name the shop using the image, one of: {', '.join(sorted(owners)) or 'none'}")
        return n.shop_id, None, ctx.pack(shops.get(session, n.shop_id).policy_id)
    if n.target_kind == "content":
        c = creators.content(session, n.target_id)
        if c is None:
            raise unknown(f"no content {n.target_id!r}")
        return None, c.creator_id, ctx.pack(creators.get(session, c.creator_id).policy_id)
    shop = shops.get(session, n.target_id)
    if shop is None:
        raise unknown(f"no shop {n.target_id!r}")
    return shop.shop_id, None, ctx.pack(shop.policy_id)


def _grounds(pack: PolicyPack, creator: bool) -> list[str]:
    types = [t.type for t in pack.creators.violation_types] if creator and pack.creators else []
    return types or [t.type for t in pack.violation_types]


def file(ctx: Context, principal: Principal, n: NoticeInput) -> dict:
    """Art. 16: a notice with its four elements, on an item that exists, from a notifier not suspended (Art. 23)."""
    require(principal, "notice.file")
    problems = [FieldProblem(f, m) for f, m in missing_elements(Elements(n.explanation, n.location, n.notifier_name, n.notifier_email, n.good_faith))]
    if n.notifier_kind not in NOTIFIER_KINDS:
        problems.append(FieldProblem("notifier.kind", f"one of: {', '.join(NOTIFIER_KINDS)}"))
    if n.target_kind not in TARGETS:
        problems.append(FieldProblem("target_kind", f"one of: {', '.join(TARGETS)}"))
    if problems:
        raise InvalidInput("the notice lacks what DSA Art. 16(2) asks: " + "; ".join(p.field for p in problems), problems)
    filed_at = event_time(ctx, principal, n.filed_at, "filed_at")
    with ctx.db.transaction() as s:
        shop_id, creator_id, pack = _target(s, ctx, n)
        if pack.notices is None:
            raise InvalidInput.one("target_id", f"the item's policy {pack.id} takes no notices (it has no `notices` section)")
        allowed = _grounds(pack, creator_id is not None)
        if n.ground not in allowed:
            raise InvalidInput.one("ground", f"{n.ground!r} is no violation type of {pack.id}; one of: {', '.join(allowed)}")
        trusted = n.notifier_kind == "trusted_flagger"
        if trusted and notices.trusted(s, n.notifier_id) is None:
            raise InvalidInput.one("notifier.kind", f"{n.notifier_id!r} has no trusted flagger status (DSA Art. 22); file as rights_owner or individual")
        until = misuse.suspended_until(s, "notifier", n.notifier_id, filed_at)
        if until is not None:
            raise Conflict(f"notices from {n.notifier_id} are not processed until {until.isoformat()} (DSA Art. 23(2))", rule="DSA Art. 23", until=until)
        row = {"notice_id": new_id("n"), "notifier_id": n.notifier_id, "notifier_kind": n.notifier_kind, "notifier_name": n.notifier_name.strip(),
               "notifier_email": n.notifier_email, "trusted": trusted, "target_kind": n.target_kind, "target_id": n.target_id, "shop_id": shop_id,
               "creator_id": creator_id, "policy_id": pack.id, "ground": n.ground, "location": n.location, "explanation": n.explanation.strip(),
               "filed_at": filed_at, "created_at": ctx.clock(), "key_id": principal.key_id}
        notices.add(s, row)
        return notice_json(ctx, notices.get(s, row["notice_id"]), {}, principal)


def decide(ctx: Context, principal: Principal, notice_id: str, d: Decision) -> dict:
    """An operator's decision: `action` disables the item (a statement of reasons, source notice or trusted
    flagger), `no_action`, or `manifestly_unfounded` (counted for Art. 23). Final."""
    require(principal, "notice.decide")
    if d.outcome not in OUTCOMES:
        raise InvalidInput.one("outcome", f"one of: {', '.join(OUTCOMES)}")
    if not d.reason or not d.reason.strip():
        raise InvalidInput.one("reason", "say why (it is told to the notifier and the seller)")
    with ctx.db.transaction() as s:
        n = _get(s, notice_id)
        at = event_time(ctx, principal, d.decided_at, "decided_at")
        if at < n.filed_at:
            raise InvalidInput.one("decided_at", f"is before the notice was filed ({n.filed_at.isoformat()})")
        pack = ctx.pack(n.policy_id)
        data: dict[str, Any] = {"outcome": d.outcome, "reason": d.reason.strip()}
        if d.outcome == "action":
            data["measure_kind"] = MEASURE_OF[n.target_kind]
            data["puid"] = statements.record(s, ctx, pack, _measure(n, pack, at))
            if n.target_kind == "listing":
                _take_down(s, n, at, d.decided_by or principal.key_id)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": DECIDED, "at": at, "data": data, "by": d.decided_by or principal.key_id,
                                     "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} is already decided; a decision is final", rule="DSA Art. 16(6)")
        if d.outcome == "manifestly_unfounded":
            misuse.judge(s, ctx, pack, "notifier", n.notifier_id, at)
        return notice_json(ctx, n, notices.events(s, [notice_id]).get(notice_id, {}), principal)


def _notice_finding(n: NoticeRow) -> dict:
    return {"rule": "DSA Art. 16", "detector": "notice", "severity": "block", "score": 1.0, "decision": "block", "evidence": [], "notice_id": n.notice_id,
            "explanation": f"disabled on notice {n.notice_id} ({n.ground}), decided by a person",
            "explanation_zh": f"因通知 {n.notice_id}（{n.ground}）经人工处理后屏蔽"}


def _take_down(session, n: NoticeRow, at: datetime, by: str) -> None:
    """The listing disabled: a new version with status taken_down and the notice as its finding (earlier versions stay)."""
    head = products.get(session, n.target_id)
    if head is None or head.status not in LIVE:
        return
    cur = products.version(session, head.product_id, head.version)
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": cur.listing,
                                   "decision": "block", "status": "taken_down", "findings": list(cur.findings) + [_notice_finding(n)],
                                   "policy_version": cur.policy_version, "submitted_at": at, "submitted_by": by})


def _restore(session, n: NoticeRow, at: datetime, by: str) -> bool:
    """E-Commerce Law art. 43: the counter-notice's period ran out: the listing goes back to the version before
    the takedown, when the takedown is still its latest version (a listing edited since was judged anew)."""
    head = products.get(session, n.target_id)
    if head is None or head.status != "taken_down" or head.version < 2:
        return False
    cur = products.version(session, head.product_id, head.version)
    if not cur.findings or cur.findings[-1].get("notice_id") != n.notice_id:
        return False
    before = products.version(session, head.product_id, head.version - 1)
    ended = {"rule": ART43, "detector": "counter_notice", "severity": "info", "score": 0.0, "decision": "allow", "evidence": [], "notice_id": n.notice_id,
             "explanation": f"the measure of notice {n.notice_id} ended: no proceedings shown within the period after the counter-notice",
             "explanation_zh": f"通知 {n.notice_id} 的措施已终止：不侵权声明后权利人未在期限内告知已起诉或投诉"}
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": cur.listing,
                                   "decision": before.decision, "status": before.status, "findings": list(before.findings) + [ended],
                                   "policy_version": cur.policy_version, "submitted_at": at, "submitted_by": by})
    return True


def sweep(ctx: Context, principal: Principal) -> list[str]:
    """Restore the listings whose counter-notice period ended without proceedings (run daily, like the other sweeps);
    returns the notices whose listing came back. Idempotent."""
    require(principal, "notice.decide")
    at = ctx.clock()
    restored = []
    with ctx.db.transaction() as s:
        for n, evs in notices.counter_noticed(s):
            rules = ctx.pack(n.policy_id).notices
            p = evs.get(PROCEEDINGS)
            state = measure_state(evs[COUNTER_NOTICE].at, p.at if p else None, rules.counter_notice_days if rules else 0, at)
            if state.status == "ended" and n.target_kind == "listing" and _restore(s, n, at, principal.key_id):
                restored.append(n.notice_id)
    return restored


def _measure(n: NoticeRow, pack: PolicyPack, at: datetime) -> Measure:
    ip = pack.notices is not None and n.ground in pack.notices.ip_grounds
    return Measure(kind=MEASURE_OF[n.target_kind], measure_id=n.notice_id, subject_id=n.target_id, shop_id=n.shop_id, creator_id=n.creator_id,
                   starts_at=at, ends_at=None, content_at=n.filed_at, ground_key=n.ground, rules=("DSA Art. 16",),
                   facts=(("notice", n.notice_id), ("item", n.target_kind), ("ground", n.ground)), detected_by_machine=False, decided="not",
                   source="trusted_flagger" if n.trusted else "notice", redress="counter_notice" if ip else "none")


def counter_notice(ctx: Context, principal: Principal, notice_id: str, reason: str, filed_at: datetime | None = None) -> dict:
    """E-Commerce Law art. 43: the seller (or creator) declares there is no infringement; the IP measure then
    ends `counter_notice_days` later unless the rights owner shows proceedings by then."""
    with ctx.db.transaction() as s:
        n = _get(s, notice_id)
        require(principal, "notice.counter", n.shop_id, n.creator_id)
        if not reason or len(reason.strip()) < 10:
            raise InvalidInput.one("reason", "say why there is no infringement, at least 10 characters (the rights owner reads it)")
        at = event_time(ctx, principal, filed_at, "filed_at")
        pack = ctx.pack(n.policy_id)
        decided = notices.events(s, [notice_id]).get(notice_id, {}).get(DECIDED)
        if decided is None or decided.data.get("outcome") != "action":
            raise Conflict(f"notice {notice_id} took no measure to counter", rule=ART43)
        if pack.notices is None or n.ground not in pack.notices.ip_grounds:
            raise Conflict(f"a counter-notice answers a measure on IP grounds; {n.ground!r} is not one of {pack.id}'s "
                           f"({', '.join(pack.notices.ip_grounds) if pack.notices else 'none'})", rule=ART43)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": COUNTER_NOTICE, "at": at, "data": {"reason": reason.strip()},
                                     "by": principal.key_id, "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} already has a counter-notice", rule=ART43)
        return notice_json(ctx, n, notices.events(s, [notice_id]).get(notice_id, {}), principal)


def proceedings(ctx: Context, principal: Principal, notice_id: str, kind: str, reference: str, shown_at: datetime | None = None) -> dict:
    """The rights owner shows (through the platform) that it went to court or a complaint authority: the measure stays."""
    require(principal, "notice.file")
    if kind not in ("court", "complaint_authority"):
        raise InvalidInput.one("kind", "one of: court, complaint_authority")
    if not reference or not reference.strip():
        raise InvalidInput.one("reference", "the case or complaint reference")
    with ctx.db.transaction() as s:
        n = _get(s, notice_id)
        at = event_time(ctx, principal, shown_at, "shown_at")
        evs = notices.events(s, [notice_id]).get(notice_id, {})
        counter = evs.get(COUNTER_NOTICE)
        if counter is None:
            raise Conflict(f"notice {notice_id} has no counter-notice to answer", rule=ART43)
        state = measure_state(counter.at, None, ctx.pack(n.policy_id).notices.counter_notice_days, at)
        if at >= state.deadline:
            raise Conflict(f"the {ART43} period ended on {state.deadline.isoformat()}; the measure has ended", rule=ART43, until=state.deadline)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": PROCEEDINGS, "at": at, "data": {"kind": kind, "reference": reference.strip()},
                                     "by": principal.key_id, "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} already has proceedings shown", rule=ART43)
        return notice_json(ctx, n, notices.events(s, [notice_id]).get(notice_id, {}), principal)


def trust(ctx: Context, principal: Principal, notifier_id: str, name: str, awarded_by: str, since: datetime | None = None) -> dict:
    """Art. 22(2): record a notifier's trusted flagger status, awarded by a Digital Services Coordinator."""
    require(principal, "notice.trust")
    at = since or ctx.clock()
    with ctx.db.transaction() as s:
        created = notices.add_trusted(s, {"notifier_id": notifier_id, "name": name, "awarded_by": awarded_by, "since": at, "created_at": ctx.clock()})
        t = notices.trusted(s, notifier_id)
    return {"notifier_id": t.notifier_id, "name": t.name, "awarded_by": t.awarded_by, "since": t.since, "created": created}


def get(ctx: Context, principal: Principal, notice_id: str) -> dict:
    with ctx.db.read() as s:
        n = _get(s, notice_id)
        require(principal, "notice.read", n.shop_id, n.creator_id)
        return notice_json(ctx, n, notices.events(s, [notice_id]).get(notice_id, {}), principal)


def search(ctx: Context, principal: Principal, shop_id: str | None = None, pending: bool = False, limit: int = 100) -> list[dict]:
    """Notices, trusted flaggers' first, then oldest (Art. 22(1)); a seller sees its own shop's, a creator its own."""
    require(principal, "notice.read")
    creator_id = principal.creator_id if principal.role == "creator" else None
    if principal.role == "seller":
        shop_id = principal.shop_id
    elif principal.role == "creator":
        shop_id = None
    with ctx.db.read() as s:
        rows = notices.listing(s, shop_id, creator_id, pending, limit)
        evs = notices.events(s, [r.notice_id for r in rows])
        return [notice_json(ctx, r, evs.get(r.notice_id, {}), principal) for r in rows]


def _get(session, notice_id: str) -> NoticeRow:
    n = notices.get(session, notice_id)
    if n is None:
        raise NotFound(f"no notice {notice_id!r}")
    return n


def told(n: NoticeRow, outcome: str, reason: str) -> dict[str, dict[str, str]]:
    """What the notifier and the seller are told of the decision (Art. 16(5), 17)."""
    item = f"{n.target_kind} {n.target_id}"
    what = {"action": ("the item has been disabled", "已屏蔽该内容"), "no_action": ("no measure was taken", "未采取措施"),
            "manifestly_unfounded": ("no measure was taken: the notice was found manifestly unfounded", "未采取措施：该通知明显无根据")}[outcome]
    return {
        "notifier": {"en": f"Your notice {n.notice_id} on {item} was decided by a person: {what[0]}. Reason: {reason}",
                     "zh": f"您提交的通知 {n.notice_id}（{item}）已由人工处理：{what[1]}。理由：{reason}"},
        "seller": {"en": f"A notice on your {item} was decided by a person: {what[0]}. Reason: {reason}",
                   "zh": f"针对您的{item}的通知已由人工处理：{what[1]}。理由：{reason}"},
    }


def notice_json(ctx: Context, n: NoticeRow, evs: dict, principal: Principal) -> dict:
    """A notice as its reader may see it: the notifier's e-mail only to the platform's side (Art. 16 identity is
    for the provider), the seller sees the notifier's name (it must be able to answer the notice)."""
    notifier = {"id": n.notifier_id, "kind": n.notifier_kind, "name": n.notifier_name}
    if principal.role in ("platform", "operator"):
        notifier["email"] = n.notifier_email
    out: dict[str, Any] = {"id": n.notice_id, "notifier": notifier, "trusted_flagger": n.trusted,
                           "target": {"kind": n.target_kind, "id": n.target_id, "shop_id": n.shop_id, "creator_id": n.creator_id},
                           "ground": n.ground, "location": n.location, "explanation": n.explanation, "filed_at": n.filed_at,
                           "policy": n.policy_id, "status": "pending", "decision": None, "told": None, "measure": None,
                           "counter_notice": None, "proceedings": None}
    d = evs.get(DECIDED)
    if d is None:
        return out
    out["status"] = d.data["outcome"]
    out["decision"] = {"outcome": d.data["outcome"], "reason": d.data["reason"], "decided_at": d.at, "decided_by": d.by}
    out["told"] = told(n, d.data["outcome"], d.data["reason"])
    if d.data.get("puid"):
        c, p = evs.get(COUNTER_NOTICE), evs.get(PROCEEDINGS)
        rules = ctx.pack(n.policy_id).notices
        state = measure_state(c.at if c else None, p.at if p else None, rules.counter_notice_days if rules else 0, ctx.clock())
        out["measure"] = {"kind": d.data["measure_kind"], "since": d.at, "status": state.status, "ends_at": state.ends_at,
                          "proceedings_due_by": state.deadline, "statement": f"/v1/statements?puid={d.data['puid']}"}
        if c is not None:
            out["counter_notice"] = {"reason": c.data["reason"], "filed_at": c.at}
        if p is not None:
            out["proceedings"] = {"kind": p.data["kind"], "reference": p.data["reference"], "shown_at": p.at}
    return out
