"""Notice and action (DSA Art. 16), trusted flaggers first (Art. 22), the decision told to the notifier and
the seller with a statement of reasons when a measure follows (Art. 17), the seller's counter-notice on IP
grounds (China's E-Commerce Law art. 43), and misuse by notifiers (Art. 23, `misuse.py`).

Notices reach shopwarden through the platform (its notice form or a rights owners' portal, key role
`platform`), which relays the notifier's identity; operators decide them at the console or over the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.dsa.statement import Fact, Measure
from shopwarden.core.notices import (
    MEASURE_OF,
    NOTIFIER_KINDS,
    OUTCOMES,
    TARGETS,
    Elements,
    MeasureState,
    Window,
    measure_state,
    measure_window,
    missing_elements,
)
from shopwarden.core.policy.notices import NoticeRules
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import AlreadyDecided, Code, Conflict, FieldProblem, InvalidInput, NotFound
from shopwarden.service import bans, misuse, statements
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time
from shopwarden.service.violations import new_id
from shopwarden.store import creators, images, notices, outbox, products, shops
from shopwarden.store.notices import (
    COUNTER_NOTICE,
    DECIDED,
    LIFTED,
    PROCEEDINGS,
    REVERSED,
    InternalComplaint,
    InternalComplaintDecision,
    NoticeEvent,
    NoticeRow,
    TrustedFlagger,
    TrustedFlaggerRevocation,
)
from shopwarden.store.products import ProductVersion

ART43 = "E-Commerce Law art. 43"
ART16 = "DSA Art. 16"
LIVE = ("published", "pending_review")  # as service/bans.py: a listing buyers can reach or soon will
OUTBOX_VIEW = Principal("outbox", "platform", None)  # an outgoing event shows the notice as the platform's GET does


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


def _target(session: Session, ctx: Context, n: NoticeInput) -> tuple[str | None, str | None, PolicyPack]:
    """The item's shop or creator and the pack it is judged by; an unknown item is the notice's fault (422)."""
    def unknown(why: str) -> InvalidInput:
        return InvalidInput.one("target_id", why)

    if n.target_kind == "listing":
        p = products.get(session, n.target_id)
        if p is None:
            raise unknown(f"no listing {n.target_id!r}")
        return p.shop_id, None, _shop_pack(session, ctx, p.shop_id)
    if n.target_kind == "image":
        if images.get(session, n.target_id) is None:
            raise unknown(f"no image {n.target_id!r} (its SHA-256)")
        owners = images.owners(session, n.target_id)
        if n.shop_id not in owners:
            raise InvalidInput.one("shop_id", f"name the shop using the image, one of: {', '.join(sorted(owners)) or 'none'}")
        return n.shop_id, None, _shop_pack(session, ctx, n.shop_id)
    if n.target_kind == "content":
        c = creators.content(session, n.target_id)
        if c is None:
            raise unknown(f"no content {n.target_id!r}")
        who = creators.get(session, c.creator_id)
        if who is None:
            raise NotFound.no("creator", c.creator_id)
        return None, c.creator_id, ctx.pack(who.policy_id)
    shop = shops.get(session, n.target_id)
    if shop is None:
        raise unknown(f"no shop {n.target_id!r}")
    return shop.shop_id, None, ctx.pack(shop.policy_id)


def _shop_pack(session: Session, ctx: Context, shop_id: str | None) -> PolicyPack:
    shop = shops.get(session, shop_id) if shop_id is not None else None
    if shop is None:
        raise NotFound.no("shop", str(shop_id))
    return ctx.pack(shop.policy_id)


def _rules(pack: PolicyPack) -> NoticeRules:
    if pack.notices is None:
        raise Conflict(f"the policy {pack.id} takes no notices (it has no `notices` section)", rule=ART16)
    return pack.notices


def _version(session: Session, product_id: str, version: int) -> ProductVersion:
    v = products.version(session, product_id, version)
    if v is None:
        raise NotFound.no("listing version", f"{product_id} v{version}")
    return v


def _grounds(pack: PolicyPack, creator: bool) -> list[str]:
    types = [t.type for t in pack.creators.violation_types] if creator and pack.creators else []
    return types or [t.type for t in pack.violation_types]


def file(ctx: Context, principal: Principal, n: NoticeInput) -> dict[str, Any]:
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
        revoked = notices.revocation(s, n.notifier_id) if trusted else None
        if revoked is not None and revoked.revoked_at <= filed_at:
            raise InvalidInput.one("notifier.kind", f"{n.notifier_id!r}'s trusted flagger status was revoked on {revoked.revoked_at.isoformat()} "
                                                    "(DSA Art. 22(6)); file as rights_owner or individual")
        misuse.refuse_if_suspended(s, "notifier", n.notifier_id, filed_at)
        row: dict[str, Any] = {"notice_id": new_id("n"), "notifier_id": n.notifier_id, "notifier_kind": n.notifier_kind,
               "notifier_name": (n.notifier_name or "").strip(),
               "notifier_email": n.notifier_email, "trusted": trusted, "target_kind": n.target_kind, "target_id": n.target_id, "shop_id": shop_id,
               "creator_id": creator_id, "policy_id": pack.id, "ground": n.ground, "location": n.location, "explanation": (n.explanation or "").strip(),
               "filed_at": filed_at, "created_at": ctx.clock(), "key_id": principal.key_id}
        notices.add(s, row)
        stored = _get(s, row["notice_id"])
        emit(s, ctx, "notice.filed", stored, {})
        return notice_json(ctx, stored, {}, principal)


def decide(ctx: Context, principal: Principal, notice_id: str, d: Decision) -> dict[str, Any]:
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
            data |= apply_measure(s, ctx, n, pack, at, d.decided_by or principal.key_id)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": DECIDED, "at": at, "data": data, "by": d.decided_by or principal.key_id,
                                     "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} is already decided; a decision is final", rule="DSA Art. 16(6)")
        if d.outcome == "manifestly_unfounded":
            misuse.judge(s, ctx, pack, "notifier", n.notifier_id, at)
        evs = notices.events(s, [notice_id]).get(notice_id, {})
        emit(s, ctx, "notice.decided", n, evs)
        return notice_json(ctx, n, evs, principal)


def apply_measure(session: Session, ctx: Context, n: NoticeRow, pack: PolicyPack, at: datetime, by: str) -> dict[str, Any]:
    """The action a notice upheld takes on its target, with its statement of reasons (Art. 17), in the caller's
    transaction; what it did, kept in the decision (or reversal) event:
    - a listing: taken down (a new version; earlier ones stay);
    - an image: every live listing of the shop that shows it taken down, and the image refused in the shop's
      listings while the measure stands (`hold`);
    - content: removed, a LIVE cut off (CR-9's `content_removed` / `content_blocked`, stated as the notice's measure);
    - a shop: the pack's `notices.shop_measure` (one of its sanction kinds, for its days), listed in the shop's
      health and taking that sanction's privileges."""
    out: dict[str, Any] = {"measure_kind": MEASURE_OF[n.target_kind], "days": None}
    facts: list[tuple[str, str | int | float]] = []
    if n.target_kind == "listing":
        _take_down(session, n, n.target_id, at, by)
    elif n.target_kind == "image":
        out["listings"] = [pid for pid in _showing(session, n.shop_id, n.target_id) if _take_down(session, n, pid, at, by)]
        facts.append(("listings_taken_down", len(out["listings"])))
    elif n.target_kind == "content":
        piece = creators.content(session, n.target_id)
        if piece is None:
            raise NotFound.no("content", n.target_id)
        kind = "content_blocked" if piece.kind == "live" else "content_removed"
        creators.add_action(session, {"action_id": new_id("ca"), "content_id": n.target_id, "creator_id": n.creator_id, "kind": kind, "at": at,
                                      "reason": f"notice {n.notice_id}", "rule": ART16, "created_by": by})
        out["content_measure"] = kind
        facts.append(("content_measure", kind))
    else:
        shop_measure = _rules(pack).shop_measure
        out["sanction"], out["days"] = shop_measure.sanction, shop_measure.days
        facts.append(("sanction", shop_measure.sanction))
    ends = at + timedelta(days=out["days"]) if out["days"] is not None else None
    out["puid"] = statements.record(session, ctx, pack, _measure(n, pack, at, ends, tuple(facts)))
    return out


def _showing(session: Session, shop_id: str | None, image_id: str) -> list[str]:
    """The shop's live listings whose current version shows the image."""
    out = []
    for head in products.of_shop(session, shop_id) if shop_id else []:
        if head.status in LIVE and image_id in (_version(session, head.product_id, head.version).listing.get("images") or []):
            out.append(head.product_id)
    return sorted(out)


def _notice_finding(n: NoticeRow) -> dict[str, Any]:
    return {"rule": ART16, "detector": "notice", "severity": "block", "score": 1.0, "decision": "block", "evidence": [], "notice_id": n.notice_id,
            "explanation": f"disabled on notice {n.notice_id} ({n.ground}), decided by a person",
            "explanation_zh": f"因通知 {n.notice_id}（{n.ground}）经人工处理后屏蔽"}


def _take_down(session: Session, n: NoticeRow, product_id: str, at: datetime, by: str) -> bool:
    """The listing disabled: a new version with status taken_down and the notice as its finding (earlier versions stay)."""
    head = products.get(session, product_id)
    if head is None or head.status not in LIVE:
        return False
    cur = _version(session, head.product_id, head.version)
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": cur.listing,
                                   "decision": "block", "status": "taken_down", "findings": list(cur.findings) + [_notice_finding(n)],
                                   "policy_version": cur.policy_version, "submitted_at": at, "submitted_by": by})
    return True


_ENDED = {
    "counter_notice": (ART43, "the measure of notice {n} ended: no proceedings shown within the period after the counter-notice",
                       "通知 {n} 的措施已终止：不侵权声明后权利人未在期限内告知已起诉或投诉"),
    "complaint": ("DSA Art. 20", "the measure of notice {n} was lifted: complaint {c} was granted by a person",
                  "通知 {n} 的措施已撤销：申诉 {c} 经人工审核成立"),
}


def _restore(session: Session, n: NoticeRow, product_id: str, at: datetime, by: str, why: dict[str, Any]) -> bool:
    """The listing goes back to the version before the notice's takedown, when that takedown is still its latest
    version (a listing edited since was judged anew)."""
    head = products.get(session, product_id)
    if head is None or head.status != "taken_down" or head.version < 2:
        return False
    cur = _version(session, head.product_id, head.version)
    if not cur.findings or cur.findings[-1].get("notice_id") != n.notice_id:
        return False
    before = _version(session, head.product_id, head.version - 1)
    rule, en, zh = _ENDED[why["by"]]
    ended = {"rule": rule, "detector": why["by"], "severity": "info", "score": 0.0, "decision": "allow", "evidence": [], "notice_id": n.notice_id,
             "explanation": en.format(n=n.notice_id, c=why.get("complaint_id")), "explanation_zh": zh.format(n=n.notice_id, c=why.get("complaint_id"))}
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": cur.listing,
                                   "decision": before.decision, "status": before.status, "findings": list(before.findings) + [ended],
                                   "policy_version": cur.policy_version, "submitted_at": at, "submitted_by": by})
    return True


def measure_of(evs: dict[str, NoticeEvent]) -> tuple[datetime, dict[str, Any]] | None:
    """When the notice's measure was applied and what it did: its decision's, or a reversal's (a notifier's complaint granted)."""
    d = evs.get(DECIDED)
    if d is not None and d.data.get("outcome") == "action":
        return d.at, d.data
    r = evs.get(REVERSED)
    return (r.at, r.data) if r is not None else None


def lift(session: Session, ctx: Context, n: NoticeRow, evs: dict[str, NoticeEvent], at: datetime, by: str, why: dict[str, Any]) -> bool:
    """End the notice's measure (once): its listings back, its content back, its shop measure over. False when
    it was lifted already or took none."""
    applied = measure_of(evs)
    if applied is None or not notices.add_event(session, {"notice_id": n.notice_id, "kind": LIFTED, "at": at, "data": why, "by": by,
                                                          "created_at": ctx.clock()}):
        return False
    data = applied[1]
    if n.target_kind == "listing":
        _restore(session, n, n.target_id, at, by, why)
    elif n.target_kind == "image":
        for pid in data.get("listings", []):
            _restore(session, n, pid, at, by, why)
    elif n.target_kind == "content":
        creators.add_action(session, {"action_id": new_id("ca"), "content_id": n.target_id, "creator_id": n.creator_id, "kind": "notice_lifted",
                                      "at": at, "reason": f"notice {n.notice_id}", "rule": _ENDED[why["by"]][0], "created_by": by})
    evs = notices.events(session, [n.notice_id]).get(n.notice_id, {})
    emit(session, ctx, "notice.measure_lifted", n, evs)
    return True


def sweep(ctx: Context, principal: Principal) -> list[str]:
    """End the measures whose counter-notice period ran out without proceedings (run daily, like the other sweeps):
    listings and content come back, a shop measure ends; returns those notices. Idempotent."""
    require(principal, "notice.decide")
    at = ctx.clock()
    ended = []
    with ctx.db.transaction() as s:
        for n, evs in notices.counter_noticed(s):
            if LIFTED in evs:
                continue
            state = _counter_state(ctx, n, evs, at)
            if state.status == "ended" and lift(s, ctx, n, evs, at, principal.key_id, {"by": "counter_notice", "deadline": state.deadline.isoformat() if state.deadline else None}):
                ended.append(n.notice_id)
    return sorted(ended)


def _counter_state(ctx: Context, n: NoticeRow, evs: dict[str, NoticeEvent], at: datetime) -> MeasureState:
    rules = ctx.pack(n.policy_id).notices
    c, p = evs.get(COUNTER_NOTICE), evs.get(PROCEEDINGS)
    return measure_state(c.at if c else None, p.at if p else None, rules.counter_notice_days if rules else 0, at)


def window(ctx: Context, n: NoticeRow, evs: dict[str, NoticeEvent]) -> Window | None:
    """When the notice's measure stands (None: it took none)."""
    applied = measure_of(evs)
    return None if applied is None else _window(ctx, n, evs, applied)


def _window(ctx: Context, n: NoticeRow, evs: dict[str, NoticeEvent], applied: tuple[datetime, dict[str, Any]]) -> Window:
    lifted = evs.get(LIFTED)
    return measure_window(applied[0], applied[1].get("days"), _counter_state(ctx, n, evs, ctx.clock()), lifted.at if lifted else None)


def hold(session: Session, ctx: Context, product_id: str, shop_id: str, listing: dict[str, Any], at: datetime) -> None:
    """DSA Art. 16 at `PUT /v1/products/{id}`: while a notice's measure stands, the listing it took down is not
    listed again (409), neither under its own id nor as a same-product twin in the shop (DY-LQ-2's fingerprint
    match), and an image a notice disabled is refused in the shop's listings. Nothing is read beyond one
    indexed query for a shop no notice acted on."""
    standing = [(n, w) for n, evs in notices.acted_on(session, shop_id=shop_id, targets=("listing", "image"))
                if (w := window(ctx, n, evs)) is not None and w.in_force(at)]
    if not standing:
        return
    shown = set(listing.get("images") or [])
    for n, w in standing:
        until = w.ends_at
        if n.target_kind == "listing" and n.target_id == product_id:
            raise _held(Code.NOTICE_MEASURE_IN_FORCE, f"listing {product_id} was taken down on notice {n.notice_id}", product_id, n, until)
        if n.target_kind == "image" and n.target_id in shown:
            raise _held(Code.NOTICE_IMAGE_BLOCKED, f"image {n.target_id} was disabled on notice {n.notice_id} in this shop", n.target_id, n, until)
    twins = [(n.notice_id, n.target_id) for n, _ in standing if n.target_kind == "listing" and n.target_id != product_id]
    if twins:
        by_notice = {nid: pid for nid, pid in twins}
        taken = [(nid, _current_listing(session, pid)) for nid, pid in twins]
        for nid, sim in bans.same_as(session, listing, [(k, v) for k, v in taken if v is not None]):
            n, w = next((r, w) for r, w in standing if r.notice_id == nid)
            raise _held(Code.NOTICE_MEASURE_IN_FORCE, f"this listing is the same product as listing {by_notice[nid]} (score {sim.score:.2f}), "
                                                      f"taken down on notice {nid}", by_notice[nid], n, w.ends_at)


def _current_listing(session: Session, product_id: str) -> dict[str, Any] | None:
    head = products.get(session, product_id)
    return None if head is None else _version(session, product_id, head.version).listing


def _held(code: Code, what: str, ident: str, n: NoticeRow, until: datetime | None) -> Conflict:
    ends = f"until {until.isoformat()}" if until else "until a counter-notice or a granted complaint ends it"
    return Conflict(f"{what}; it may not be listed again while that measure stands ({ends}). The seller may counter-notify "
                    f"(POST /v1/notices/{n.notice_id}/counter-notice, IP grounds) or complain (POST /v1/notices/{n.notice_id}/complaints)",
                    rule=ART16, until=until, code=code, params={"id": ident, "notice": n.notice_id})


def shop_measures(ctx: Context, shop_id: str, at: datetime) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    """The measures notices put on the shop as a whole in force at `at` (the pack's shop measure), the sanction
    kinds whose privileges they take, and the next instant after `at` when one starts or ends (None: none)."""
    if not notices.any_on_shop(ctx.db.engine, shop_id, "shop"):
        return [], set(), None
    with ctx.db.read() as s:
        acted = notices.acted_on(s, shop_id=shop_id, targets=("shop",))
    out: list[dict[str, Any]] = []
    removed: set[str] = set()
    change: datetime | None = None
    for n, evs in acted:
        applied = measure_of(evs)
        if applied is None:
            continue
        w, data = _window(ctx, n, evs, applied), applied[1]
        if w.in_force(at):
            out.append({"kind": data["sanction"], "notice_id": n.notice_id, "rule": ART16, "starts_at": w.starts_at, "ends_at": w.ends_at,
                        "statement": f"/v1/statements?puid={data['puid']}"})
            removed.add(data["sanction"])
        for t in (w.starts_at, w.ends_at):
            if t is not None and t > at and (change is None or t < change):
                change = t
    return out, removed, change


def _measure(n: NoticeRow, pack: PolicyPack, at: datetime, ends: datetime | None = None, facts: tuple[Fact, ...] = ()) -> Measure:
    ip = pack.notices is not None and n.ground in pack.notices.ip_grounds
    return Measure(kind=MEASURE_OF[n.target_kind], measure_id=n.notice_id, subject_id=n.target_id, shop_id=n.shop_id, creator_id=n.creator_id,
                   starts_at=at, ends_at=ends, content_at=n.filed_at, ground_key=n.ground, rules=(ART16,),
                   facts=(("notice", n.notice_id), ("item", n.target_kind), ("ground", n.ground), *facts), detected_by_machine=False, decided="not",
                   source="trusted_flagger" if n.trusted else "notice", redress="counter_notice" if ip else "none")


def emit(session: Session, ctx: Context, kind: str, n: NoticeRow, evs: dict[str, NoticeEvent]) -> None:
    """The notice's outbox event (`shopwarden.out.<kind>`, webhooks): the notice as the platform's GET shows it."""
    outbox.add(session, kind, n.shop_id or n.creator_id or "", notice_json(ctx, n, evs, OUTBOX_VIEW), ctx.clock())


def counter_notice(ctx: Context, principal: Principal, notice_id: str, reason: str, filed_at: datetime | None = None) -> dict[str, Any]:
    """E-Commerce Law art. 43: the seller (or creator) declares there is no infringement; the IP measure then
    ends `counter_notice_days` later unless the rights owner shows proceedings by then."""
    with ctx.db.transaction() as s:
        n = _get(s, notice_id)
        require(principal, "notice.counter", n.shop_id, n.creator_id)
        if not reason or len(reason.strip()) < 10:
            raise InvalidInput.one("reason", "say why there is no infringement, at least 10 characters (the rights owner reads it)")
        at = event_time(ctx, principal, filed_at, "filed_at")
        pack = ctx.pack(n.policy_id)
        if measure_of(notices.events(s, [notice_id]).get(notice_id, {})) is None:
            raise Conflict(f"notice {notice_id} took no measure to counter", rule=ART43)
        if pack.notices is None or n.ground not in pack.notices.ip_grounds:
            raise Conflict(f"a counter-notice answers a measure on IP grounds; {n.ground!r} is not one of {pack.id}'s "
                           f"({', '.join(pack.notices.ip_grounds) if pack.notices else 'none'})", rule=ART43)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": COUNTER_NOTICE, "at": at, "data": {"reason": reason.strip()},
                                     "by": principal.key_id, "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} already has a counter-notice", rule=ART43)
        evs = notices.events(s, [notice_id]).get(notice_id, {})
        emit(s, ctx, "notice.counter_noticed", n, evs)
        return notice_json(ctx, n, evs, principal)


def proceedings(ctx: Context, principal: Principal, notice_id: str, kind: str, reference: str, shown_at: datetime | None = None) -> dict[str, Any]:
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
        state = measure_state(counter.at, None, _rules(ctx.pack(n.policy_id)).counter_notice_days, at)
        if state.deadline is not None and at >= state.deadline:
            raise Conflict(f"the {ART43} period ended on {state.deadline.isoformat()}; the measure has ended", rule=ART43, until=state.deadline)
        if not notices.add_event(s, {"notice_id": notice_id, "kind": PROCEEDINGS, "at": at, "data": {"kind": kind, "reference": reference.strip()},
                                     "by": principal.key_id, "created_at": ctx.clock()}):
            raise AlreadyDecided(f"notice {notice_id} already has proceedings shown", rule=ART43)
        evs = notices.events(s, [notice_id]).get(notice_id, {})
        emit(s, ctx, "notice.proceedings_shown", n, evs)
        return notice_json(ctx, n, evs, principal)


def trust(ctx: Context, principal: Principal, notifier_id: str, name: str, awarded_by: str, since: datetime | None = None) -> dict[str, Any]:
    """Art. 22(2): record a notifier's trusted flagger status, awarded by a Digital Services Coordinator."""
    require(principal, "notice.trust")
    at = since or ctx.clock()
    with ctx.db.transaction() as s:
        created = notices.add_trusted(s, {"notifier_id": notifier_id, "name": name, "awarded_by": awarded_by, "since": at, "created_at": ctx.clock()})
        t = notices.trusted(s, notifier_id)
        if t is None:  # just written in this transaction, or held already
            raise NotFound.no("trusted flagger", notifier_id)
    return trusted_json(t, None) | {"created": created}


def trusted_json(t: TrustedFlagger, r: TrustedFlaggerRevocation | None) -> dict[str, Any]:
    return {"notifier_id": t.notifier_id, "name": t.name, "awarded_by": t.awarded_by, "since": t.since, "status": "revoked" if r else "active",
            "revocation": None if r is None else {"reason": r.reason, "revoked_by": r.revoked_by, "revoked_at": r.revoked_at}}


def revoke_trust(ctx: Context, principal: Principal, notifier_id: str, reason: str, revoked_by: str | None = None,
                 revoked_at: datetime | None = None) -> dict[str, Any]:
    """DSA Art. 22(6)-(7): a trusted flagger's status revoked, with its reason (recorded once); from then its
    notices are not prioritised and it can no longer file as a trusted flagger."""
    require(principal, "notice.trust_revoke")
    if not reason or len(reason.strip()) < 10:
        raise InvalidInput.one("reason", "say why the status is revoked, at least 10 characters (DSA Art. 22(6))")
    at = event_time(ctx, principal, revoked_at, "revoked_at")
    with ctx.db.transaction() as s:
        t = notices.trusted(s, notifier_id)
        if t is None:
            raise NotFound(f"no trusted flagger {notifier_id!r}")
        if at < t.since:
            raise InvalidInput.one("revoked_at", f"is before the status was awarded ({t.since.isoformat()})")
        if not notices.add_revocation(s, {"notifier_id": notifier_id, "reason": reason.strip(), "revoked_by": (revoked_by or principal.key_id).strip(),
                                          "revoked_at": at, "created_at": ctx.clock(), "key_id": principal.key_id}):
            raise AlreadyDecided(f"the trusted flagger status of {notifier_id} is already revoked", rule="DSA Art. 22(6)")
        out = trusted_json(t, notices.revocation(s, notifier_id))
        outbox.add(s, "trusted_flagger.revoked", notifier_id, out, ctx.clock())
        return out


def trusted_flaggers(ctx: Context, principal: Principal) -> list[dict[str, Any]]:
    """Every trusted flagger status recorded, active or revoked (Art. 22: shown to operators and the platform)."""
    require(principal, "notice.trust_read")
    with ctx.db.read() as s:
        return [trusted_json(t, r) for t, r in notices.all_trusted(s)]


def get(ctx: Context, principal: Principal, notice_id: str) -> dict[str, Any]:
    """The notice as `notice_json` shows it, with its internal complaints (Art. 20: a notifier's only to the
    platform's side) and, where its trusted flagger lost the status since, when and why (Art. 22(6))."""
    with ctx.db.read() as s:
        n = _get(s, notice_id)
        require(principal, "notice.read", n.shop_id, n.creator_id)
        out = notice_json(ctx, n, notices.events(s, [notice_id]).get(notice_id, {}), principal)
        side = principal.role in ("platform", "operator")
        out["complaints"] = [c for c in (complaint_json(c, d, ctx.pack(c.policy_id)) for c, d in notices.complaints_of(s, "notice", notice_id))
                             if side or c["side"] == "affected"]
        r = notices.revocation(s, n.notifier_id) if n.trusted else None
        out["trusted_flagger_revoked"] = None if r is None else {"revoked_at": r.revoked_at, "reason": r.reason, "revoked_by": r.revoked_by}
        return out


def search(ctx: Context, principal: Principal, shop_id: str | None = None, pending: bool = False, limit: int = 100) -> list[dict[str, Any]]:
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


def _get(session: Session, notice_id: str) -> NoticeRow:
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


def notice_json(ctx: Context, n: NoticeRow, evs: dict[str, NoticeEvent], principal: Principal) -> dict[str, Any]:
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
    r = evs.get(REVERSED)
    if r is not None:  # DSA Art. 20(4): a notifier's complaint granted; the measure applied then
        out["status"] = "action"
        out["reversed"] = {"complaint_id": r.data.get("complaint_id"), "at": r.at, "by": r.by}
    applied = measure_of(evs)
    if applied is not None:
        since, data = applied
        c, p, lifted = evs.get(COUNTER_NOTICE), evs.get(PROCEEDINGS), evs.get(LIFTED)
        state = _counter_state(ctx, n, evs, ctx.clock())
        w = _window(ctx, n, evs, applied)
        status: str = state.status
        if lifted is not None and lifted.data.get("by") == "complaint":
            status = "lifted"
        elif status == "in_force" and w.ends_at is not None and ctx.clock() >= w.ends_at:
            status = "ended"
        out["measure"] = {"kind": data["measure_kind"], "since": since, "status": status, "ends_at": w.ends_at,
                          "proceedings_due_by": state.deadline, "statement": f"/v1/statements?puid={data['puid']}"}
        for key in ("listings", "content_measure", "sanction"):
            if key in data:
                out["measure"][key] = data[key]
        if c is not None:
            out["counter_notice"] = {"reason": c.data["reason"], "filed_at": c.at}
        if p is not None:
            out["proceedings"] = {"kind": p.data["kind"], "reference": p.data["reference"], "shown_at": p.at}
    return out


def window_days(pack: PolicyPack, for_creator: bool) -> int:
    """The pack's first appeal window: one internal complaint-handling system (Art. 20(1): six months or more in an EU pack)."""
    judged = pack.for_creators if for_creator else pack
    return judged.appeals.windows[0].days if judged.appeals.windows else 0


@dataclass(frozen=True, slots=True)
class ComplaintDecision:
    """A person's decision on an internal complaint (DSA Art. 20(6)): always by a person, by construction."""

    outcome: str  # granted | rejected
    reason: str
    decided_at: datetime
    decided_by: str
    manifestly_unfounded: bool  # rejected with that finding (DSA Art. 23)

    def as_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reason": self.reason, "decided_at": self.decided_at, "decided_by": self.decided_by,
                "by_a_person": True, "manifestly_unfounded": self.manifestly_unfounded}


@dataclass(frozen=True, slots=True)
class Complaint:
    """An internal complaint (DSA Art. 20) against a notice's decision (`subject_kind` notice) or an Art. 23 suspension
    (`misuse`), with its decision once a person made it."""

    id: str
    subject_kind: str
    subject_id: str
    side: str  # notifier | affected
    complainant: str  # notifier:<id> | shop:<id> | creator:<id>
    shop_id: str | None
    creator_id: str | None
    reason: str
    evidence: tuple[Mapping[str, Any], ...]
    filed_at: datetime
    window_days: int
    decision: ComplaintDecision | None
    rule: str = "DSA Art. 20"

    @property
    def status(self) -> str:
        return "pending" if self.decision is None else self.decision.outcome

    @classmethod
    def of(cls, c: InternalComplaint, d: InternalComplaintDecision | None, pack: PolicyPack) -> Complaint:
        decision = None if d is None else ComplaintDecision(d.outcome, d.reason, d.decided_at, d.decided_by, bool(d.manifestly_unfounded))
        return cls(c.complaint_id, c.subject_kind, c.subject_id, c.side, c.complainant, c.shop_id, c.creator_id, c.reason,
                   tuple(dict(e) for e in c.evidence), c.filed_at, window_days(pack, c.creator_id is not None), decision)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "subject": {"kind": self.subject_kind, "id": self.subject_id}, "side": self.side, "complainant": self.complainant,
                "shop_id": self.shop_id, "creator_id": self.creator_id, "reason": self.reason, "evidence": [dict(e) for e in self.evidence],
                "filed_at": self.filed_at, "window_days": self.window_days, "status": self.status, "rule": self.rule,
                "decision": None if self.decision is None else self.decision.as_json()}


def complaint_json(c: InternalComplaint, d: InternalComplaintDecision | None, pack: PolicyPack) -> dict[str, Any]:
    return Complaint.of(c, d, pack).as_json()
