"""DSA Art. 23: notifiers and complainants who frequently submit manifestly unfounded notices or complaints
are warned, then suspended for the pack's period; each warning and suspension is recorded with its own
statement of reasons (Art. 17). Parties: a notifier by its id; a complainant as `shop:<id>` or `creator:<id>`.

What counts is a person's finding: an operator decides a notice `manifestly_unfounded`, or rejects an appeal
and marks it so; the pack's thresholds (`notices.misuse`) then turn the count into the measure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from shopwarden.core.dsa.statement import Measure
from shopwarden.core.notices import MISUSE_KINDS, Judged, misuse_due
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Forbidden, InvalidInput
from shopwarden.service import statements
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.violations import new_id
from shopwarden.store import appeals, notices, subject_locks


def complainant_of(shop_id: str | None, creator_id: str | None) -> str:
    return f"creator:{creator_id}" if creator_id is not None else f"shop:{shop_id}"


def suspended_until(session: Session, party_kind: str, party_id: str, at: datetime) -> datetime | None:
    """The end of the suspension running at `at`, if any."""
    actions = notices.misuse(session, party_kind, party_id)
    lifted = {a.figures.get("lifts") for a in actions if a.action == "lifted" and a.at <= at}  # a complaint granted (DSA Art. 20(4))
    running = [a.until for a in actions if a.action == "suspension" and a.at <= at and a.until and at < a.until and a.action_id not in lifted]
    return max(running, default=None)


def _judged(session: Session, party_kind: str, party_id: str) -> list[Judged]:
    if party_kind == "notifier":
        return [Judged(at, outcome == "manifestly_unfounded") for at, outcome in notices.decisions_of_notifier(session, party_id)]
    kind, _, subject = party_id.partition(":")
    unfounded = notices.unfounded_of(session, party_id)
    decided = appeals.decided_of(session, subject if kind == "shop" else None, subject if kind == "creator" else None)
    return [Judged(d.decided_at, d.appeal_id in unfounded) for d in decided]


def judge(session: Session, ctx: Context, pack: PolicyPack, party_kind: str, party_id: str, at: datetime) -> dict | None:
    """After a submission was found manifestly unfounded: the warning or suspension now due, recorded and stated."""
    if pack.notices is None:
        return None
    rules = pack.notices.misuse
    # Judged one at a time per party: two decisions committing at once would each count without the other's and
    # neither reach the line (on PostgreSQL); the one that waited reads both.
    subject_locks.hold(session, f"misuse:{party_kind}:{party_id}")
    past = notices.misuse(session, party_kind, party_id)
    warned = max((a.at for a in past if a.action == "warning"), default=None)
    last_suspension = max((a.until for a in past if a.action == "suspension" and a.until), default=None)
    action, figures = misuse_due(_judged(session, party_kind, party_id), warned, last_suspension, rules, at)
    if action is None:
        return None
    until = at + timedelta(days=rules.suspend_days) if action == "suspension" else None
    row = {"action_id": new_id("mu"), "party_kind": party_kind, "party_id": party_id, "action": action, "at": at, "until": until,
           "figures": figures, "created_at": ctx.clock()}
    if not notices.add_misuse(session, row):
        return None
    kind, _, subject = party_id.partition(":")
    facts = tuple((k, figures[k]) for k in ("decided", "unfounded", "share", "window_days", "min_count", "min_share"))
    statements.record(session, ctx, pack, Measure(
        kind=MISUSE_KINDS[(party_kind, action)], measure_id=row["action_id"], subject_id=party_id,
        shop_id=subject if party_kind == "complainant" and kind == "shop" else None,
        creator_id=subject if party_kind == "complainant" and kind == "creator" else None, starts_at=at, ends_at=until, content_at=at,
        ground_key="misuse", rules=("DSA Art. 23",), facts=facts, detected_by_machine=False, decided="partially", redress="none"))
    return row


def actions(ctx: Context, principal: Principal, party_kind: str, party_id: str | None) -> list[dict]:
    """A party's Art. 23 actions (warnings, suspensions, lifted ones): the platform's side sees any party's, a seller
    its own shop's (`complainant`, `shop:<id>`, its default), a creator its own."""
    if party_id is None:
        if principal.role not in ("seller", "creator"):
            raise InvalidInput.one("party_id", "name the party: a notifier's id, or shop:<id> / creator:<id> for a complainant")
        party_kind, party_id = "complainant", complainant_of(principal.shop_id, principal.creator_id)
    kind, _, subject = party_id.partition(":")
    shop_id = subject if party_kind == "complainant" and kind == "shop" else None
    creator_id = subject if party_kind == "complainant" and kind == "creator" else None
    if principal.role in ("seller", "creator") and shop_id is None and creator_id is None:
        raise Forbidden("a seller or creator sees its own Art. 23 actions only (party_kind complainant, party_id shop:<id> or creator:<id>)")
    require(principal, "complaint.read", shop_id, creator_id)
    return history(ctx, party_kind, party_id)


def history(ctx: Context, party_kind: str, party_id: str) -> list[dict]:
    with ctx.db.read() as s:
        return [{"id": a.action_id, "action": a.action, "at": a.at, "until": a.until, "figures": a.figures} for a in notices.misuse(s, party_kind, party_id)]
