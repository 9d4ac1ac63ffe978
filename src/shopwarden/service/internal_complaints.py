"""Internal complaints (DSA Art. 20) against a notice's decision and against an Art. 23 suspension.

Who complains: the seller or creator a notice's measure restricts (`affected`), the notifier whose notice was
not acted on (`notifier`, relayed by the platform, which holds its identity), and a party suspended for misuse.
The window is the pack's first appeal window from the decision (an EU pack keeps it at six months or more:
core/policy/dsa.py checks it). A complaint is decided by a person only, by construction: `decide` is the one
function that decides one, it is called only from the operator routes (API and console), and it needs a
person's name (`decided_by`) unless the caller is an operator at the console. A granted complaint reverses the
decision without undue delay (Art. 20(4)): the notice's measure lifted, or applied where the notifier was right,
or the suspension ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from shopwarden.core.dsa.statement import puid_of
from shopwarden.core.notices import MISUSE_KINDS
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import AlreadyDecided, AppealWindowClosed, Conflict, InvalidInput, NotFound
from shopwarden.service import misuse, notices, statements
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.notices import Complaint, window_days
from shopwarden.service.times import event_time
from shopwarden.service.violations import new_id
from shopwarden.store import notices as store
from shopwarden.store import outbox
from shopwarden.store import statements as stated_store
from shopwarden.store.notices import DECIDED, REVERSED, InternalComplaint

ART20 = "DSA Art. 20"
Side = Literal["notifier", "affected"]
SIDES: tuple[Side, ...] = ("notifier", "affected")
# `manifestly_unfounded`: rejected, with the person's finding that it was manifestly unfounded (DSA Art. 23)
ComplaintOutcome = Literal["granted", "rejected", "manifestly_unfounded"]
OUTCOMES: tuple[ComplaintOutcome, ...] = ("granted", "rejected", "manifestly_unfounded")
MIN_REASON = 10


@dataclass(frozen=True)
class ComplaintInput:
    reason: str
    side: Side = "affected"
    evidence: tuple[dict[str, str], ...] = ()
    filed_at: datetime | None = None


@dataclass(frozen=True)
class DecisionInput:
    outcome: str  # granted | rejected | manifestly_unfounded
    reason: str
    decided_by: str | None = None  # the person who decided; required unless an operator decides at the console
    decided_at: datetime | None = None


def on_notice(ctx: Context, principal: Principal, notice_id: str, c: ComplaintInput) -> Complaint:
    """Art. 20(1): against a notice's decision: the affected seller or creator against its measure, the notifier
    against no action (or a finding of manifestly unfounded)."""
    require(principal, "complaint.file")
    _check_text(c)
    if c.side not in SIDES:
        raise InvalidInput.one("side", f"one of: {', '.join(SIDES)}")
    with ctx.db.transaction() as s:
        n = store.get(s, notice_id)
        if n is None:
            raise NotFound(f"no notice {notice_id!r}")
        if c.side == "notifier":
            require(principal, "notice.file")  # the platform relays the notifier's complaint, as its notice
        else:
            require(principal, "complaint.file", n.shop_id, n.creator_id)
        evs = store.events(s, [notice_id]).get(notice_id, {})
        d = evs.get(DECIDED)
        if d is None:
            raise Conflict(f"notice {notice_id} is not decided yet; a complaint answers a decision", rule=ART20)
        acted = notices.measure_of(evs) is not None
        if c.side == "affected" and not acted:
            raise Conflict(f"notice {notice_id} took no measure against you to complain of", rule=ART20)
        if c.side == "notifier" and acted:
            raise Conflict(f"notice {notice_id} was acted on; the notifier has no decision to complain of", rule=ART20)
        pack = ctx.pack(n.policy_id)
        who = f"notifier:{n.notifier_id}" if c.side == "notifier" else misuse.complainant_of(n.shop_id, n.creator_id)
        row = _row(ctx, principal, s, c, "notice", notice_id, who, n.shop_id if c.side == "affected" else None,
                   n.creator_id if c.side == "affected" else None, pack, d.at, for_creator=n.creator_id is not None)
        return _store(s, ctx, row, principal)


def on_misuse(ctx: Context, principal: Principal, action_id: str, c: ComplaintInput) -> Complaint:
    """Art. 20(1)(b)-(c) with Art. 23: against a suspension for misuse, by the suspended party."""
    require(principal, "complaint.file")
    _check_text(c)
    with ctx.db.transaction() as s:
        a = store.misuse_action(s, action_id)
        if a is None:
            raise NotFound(f"no misuse action {action_id!r}")
        kind, _, subject = a.party_id.partition(":")
        shop_id = subject if a.party_kind == "complainant" and kind == "shop" else None
        creator_id = subject if a.party_kind == "complainant" and kind == "creator" else None
        if a.party_kind == "notifier":
            require(principal, "notice.file")  # a notifier has no key: the platform relays
        else:
            require(principal, "complaint.file", shop_id, creator_id)
        if a.action != "suspension":
            raise Conflict(f"{action_id} is a {a.action}, not a suspension; a warning restricts nothing to complain of", rule=ART20)
        stated = stated_store.by_puids(s, [puid_of(MISUSE_KINDS[(a.party_kind, a.action)], action_id)])
        if not stated:
            raise Conflict(f"suspension {action_id} has no statement of reasons to answer", rule=ART20)
        who = a.party_id if a.party_kind == "complainant" else f"notifier:{a.party_id}"
        row = _row(ctx, principal, s, c, "misuse", action_id, who, shop_id, creator_id, ctx.pack(stated[0].policy_id), a.at,
                   for_creator=creator_id is not None)
        return _store(s, ctx, row, principal)


def _check_text(c: ComplaintInput) -> None:
    if not c.reason or len(c.reason.strip()) < MIN_REASON:
        raise InvalidInput.one("reason", f"say why the decision is wrong, at least {MIN_REASON} characters (DSA Art. 20)")


def _row(ctx: Context, principal: Principal, s: Session, c: ComplaintInput, subject_kind: str, subject_id: str, who: str,
         shop_id: str | None, creator_id: str | None, pack: PolicyPack, decided_at: datetime, for_creator: bool) -> dict[str, Any]:
    at = event_time(ctx, principal, c.filed_at, "filed_at")
    if at < decided_at:
        raise InvalidInput.one("filed_at", f"is before the decision complained of ({decided_at.isoformat()})")
    days = window_days(pack, for_creator)
    closes = decided_at + timedelta(days=days)
    if at >= closes:
        raise AppealWindowClosed(f"the complaint window closed on {closes.isoformat()}, {days} days after the decision", rule=ART20, until=closes,
                                 params={"n": 1, "at": closes, "days": days, "start": decided_at})
    if subject_kind == "notice":  # the suspension itself is always open to complaint
        misuse.refuse_if_suspended(s, "complainant", who, at)
    return {"complaint_id": new_id("ic"), "subject_kind": subject_kind, "subject_id": subject_id, "side": "notifier" if who.startswith("notifier:") else "affected",
            "complainant": who, "shop_id": shop_id, "creator_id": creator_id, "policy_id": pack.id, "reason": c.reason.strip(),
            "evidence": [dict(e) for e in c.evidence], "filed_at": at, "created_at": ctx.clock(), "key_id": principal.key_id}


def _store(s: Session, ctx: Context, row: dict[str, Any], principal: Principal) -> Complaint:
    if not store.add_complaint(s, row):
        raise AlreadyDecided(f"{row['complainant']} already complained of this decision ({row['subject_kind']} {row['subject_id']}); "
                             "its complaint is decided once", rule=ART20)
    c = _complaint_row(s, row["complaint_id"])
    out = Complaint.of(c, None, ctx.pack(c.policy_id))
    outbox.add(s, "internal_complaint.filed", c.shop_id or c.creator_id or c.complainant, out.as_json(), ctx.clock())
    return out


def _complaint_row(s: Session, complaint_id: str) -> InternalComplaint:
    c = store.complaint(s, complaint_id)
    if c is None:
        raise NotFound.no("complaint", complaint_id)
    return c


def decide(ctx: Context, principal: Principal, complaint_id: str, d: DecisionInput) -> Complaint:
    """Art. 20(4)-(6): a person's decision, final. Nothing else decides a complaint (no queue timer, no detector):
    an operator decides at the console (its key stands for the person, `decided_by` names them where given), the
    platform only relays a person's decision and must name that person."""
    require(principal, "complaint.decide")
    if d.outcome not in OUTCOMES:
        raise InvalidInput.one("outcome", f"one of: {', '.join(OUTCOMES)}")
    if not d.reason or not d.reason.strip():
        raise InvalidInput.one("reason", "say why (it is told to the complainant)")
    if principal.role != "operator" and not (d.decided_by and d.decided_by.strip()):
        raise InvalidInput.one("decided_by", "DSA Art. 20(6): a complaint is decided by a person, not by automated means; name the person "
                                             "(qualified staff) who decided, or decide it at the console as an operator")
    with ctx.db.transaction() as s:
        c = _complaint_row(s, complaint_id)
        at = event_time(ctx, principal, d.decided_at, "decided_at")
        if at < c.filed_at:
            raise InvalidInput.one("decided_at", f"is before the complaint was filed ({c.filed_at.isoformat()})")
        by = (d.decided_by or principal.key_id).strip()
        unfounded = d.outcome == "manifestly_unfounded"
        if not store.add_complaint_decision(s, {"complaint_id": complaint_id, "outcome": "rejected" if unfounded else d.outcome,
                                                "manifestly_unfounded": unfounded, "reason": d.reason.strip(), "decided_at": at,
                                                "decided_by": by, "created_at": ctx.clock(), "key_id": principal.key_id}):
            raise AlreadyDecided(f"complaint {complaint_id} is already decided; a decision is final", rule=ART20)
        if d.outcome == "granted":
            _reverse(s, ctx, c, at, by)
        if unfounded:  # Art. 23(1)-(3): the finding counts toward the complainant's warning, then suspension
            misuse.judge(s, ctx, ctx.pack(c.policy_id), "complainant", c.complainant, at)
        out = Complaint.of(c, store.complaint_decision(s, complaint_id), ctx.pack(c.policy_id))
        outbox.add(s, "internal_complaint.decided", c.shop_id or c.creator_id or c.complainant, out.as_json(), ctx.clock())
        return out


def _reverse(s: Session, ctx: Context, c: InternalComplaint, at: datetime, by: str) -> None:
    """Art. 20(4): the decision complained of reversed: the notice's measure lifted (the affected party was right),
    applied (the notifier was right), or the suspension ended."""
    why = {"by": "complaint", "complaint_id": c.complaint_id}
    if c.subject_kind == "misuse":
        a = store.misuse_action(s, c.subject_id)
        if a is None:
            raise NotFound.no("misuse action", c.subject_id)
        store.add_misuse(s, {"action_id": new_id("mu"), "party_kind": a.party_kind, "party_id": a.party_id, "action": "lifted", "at": at, "until": None,
                             "figures": {"lifts": a.action_id, "complaint_id": c.complaint_id}, "created_at": ctx.clock()})
        return
    n = store.get(s, c.subject_id)
    if n is None:
        raise NotFound.no("notice", c.subject_id)
    evs = store.events(s, [n.notice_id]).get(n.notice_id, {})
    if c.side == "affected":
        notices.lift(s, ctx, n, evs, at, by, why)
        return
    data = notices.apply_measure(s, ctx, n, ctx.pack(n.policy_id), at, by) | {"complaint_id": c.complaint_id}
    store.add_event(s, {"notice_id": n.notice_id, "kind": REVERSED, "at": at, "data": data, "by": by, "created_at": ctx.clock()})
    notices.emit(s, ctx, "notice.decided", n, store.events(s, [n.notice_id]).get(n.notice_id, {}))


def get(ctx: Context, principal: Principal, complaint_id: str) -> Complaint:
    with ctx.db.read() as s:
        c = _complaint_row(s, complaint_id)
        require(principal, "complaint.read", c.shop_id, c.creator_id)
        if principal.role in ("seller", "creator") and c.shop_id is None and c.creator_id is None:
            raise NotFound(f"no complaint {complaint_id!r}")  # a notifier's: the platform's side only
        return Complaint.of(c, store.complaint_decision(s, complaint_id), ctx.pack(c.policy_id))


def search(ctx: Context, principal: Principal, pending: bool = False, limit: int = 100) -> list[Complaint]:
    """Complaints oldest first (`pending`: the operators' queue); a seller sees its own shop's, a creator its own."""
    require(principal, "complaint.read")
    shop_id = principal.shop_id if principal.role == "seller" else None
    creator_id = principal.creator_id if principal.role == "creator" else None
    if principal.role in ("seller", "creator") and shop_id is None and creator_id is None:
        return []
    with ctx.db.read() as s:
        return [Complaint.of(c, d, ctx.pack(c.policy_id)) for c, d in store.complaints(s, shop_id, creator_id, pending, limit)]


@dataclass(frozen=True, slots=True)
class Queued:
    """A pending complaint in the operators' queue, and whether a trusted flagger filed it (it then comes first)."""

    complaint: Complaint
    trusted_flagger: bool

    def as_json(self) -> dict[str, Any]:
        return self.complaint.as_json() | {"trusted_flagger": self.trusted_flagger}


def queue(ctx: Context, principal: Principal, limit: int = 100) -> list[Queued]:
    """The operators' queue of pending complaints: a trusted flagger's first (Art. 22(1)), then oldest."""
    require(principal, "complaint.decide")
    with ctx.db.read() as s:
        return [Queued(Complaint.of(c, d, ctx.pack(c.policy_id)), t) for c, d, t in store.queue(s, None, None, True, limit)]


@dataclass(frozen=True, slots=True)
class Contested:
    """A complaint beside the decision it contests (Art. 20): a notice's decision, or an Art. 23 action, with the
    statement of reasons of the measure complained of (None where the decision took no measure)."""

    complaint: Complaint
    notice: dict[str, Any] | None
    action: misuse.Action | None
    statement: dict[str, Any] | None


def contested(ctx: Context, principal: Principal, complaint_id: str) -> Contested:
    """What an operator reads before deciding a complaint (the console's item page)."""
    require(principal, "complaint.decide")
    c = get(ctx, principal, complaint_id)
    notice = notices.get(ctx, principal, c.subject_id) if c.subject_kind == "notice" else None
    action = None
    if c.subject_kind == "misuse":
        with ctx.db.read() as s:
            row = store.misuse_action(s, c.subject_id)
        action = misuse.Action.of(row) if row is not None else None
    stated = statements.search(ctx, principal, statements.Query(measure_id=c.subject_id, limit=1)).items
    return Contested(c, notice, action, stated[0] if stated else None)
