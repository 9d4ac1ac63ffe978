"""DSA Art. 23: notifiers and complainants who frequently submit manifestly unfounded notices or complaints
are warned, then suspended for the pack's period; each warning and suspension is recorded with its own
statement of reasons (Art. 17). Parties: a notifier by its id; a complainant as `shop:<id>`, `creator:<id>`
or, for a notifier's internal complaints, `notifier:<id>`.

What counts is a person's finding: an operator decides a notice `manifestly_unfounded`, rejects an appeal and
marks it so, or decides an internal complaint (Art. 20) `manifestly_unfounded`; the pack's thresholds
(`notices.misuse`) then turn the count into the measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from shopwarden.core.dsa.statement import Fact, Measure
from shopwarden.core.notices import MISUSE_KINDS, Judged, misuse_due
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Code, Conflict, Forbidden, InvalidInput
from shopwarden.service import statements
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.violations import new_id
from shopwarden.store import appeals, notices, subject_locks
from shopwarden.store.notices import MisuseAction

ART23 = "DSA Art. 23"
PartyKind = Literal["notifier", "complainant"]
FACT_KEYS = ("decided", "unfounded", "share", "window_days", "min_count", "min_share")


@dataclass(frozen=True, slots=True)
class Action:
    """One Art. 23 action on a party: a warning, a suspension (until `until`), or a suspension lifted on a complaint."""

    id: str
    action: str  # warning | suspension | lifted
    at: datetime
    until: datetime | None
    figures: Mapping[str, Any]  # what it rests on: counts, share, the pack's thresholds (a lifting: which one, which complaint)

    @classmethod
    def of(cls, a: MisuseAction) -> Action:
        return cls(a.action_id, a.action, a.at, a.until, dict(a.figures))

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action, "at": self.at, "until": self.until, "figures": dict(self.figures)}


def complainant_of(shop_id: str | None, creator_id: str | None) -> str:
    return f"creator:{creator_id}" if creator_id is not None else f"shop:{shop_id}"


def suspended_until(session: Session, party_kind: str, party_id: str, at: datetime) -> datetime | None:
    """The end of the suspension running at `at`, if any."""
    actions = notices.misuse(session, party_kind, party_id)
    lifted = {a.figures.get("lifts") for a in actions if a.action == "lifted" and a.at <= at}  # a complaint granted (DSA Art. 20(4))
    running = [a.until for a in actions if a.action == "suspension" and a.at <= at and a.until and at < a.until and a.action_id not in lifted]
    return max(running, default=None)


def refuse_if_suspended(session: Session, party_kind: PartyKind, party_id: str, at: datetime) -> None:
    """Art. 23(2): a suspended party's notices (or complaints) are not processed until its suspension ends; the
    refusal names until when, with a stable code a page can say in the reader's language."""
    until = suspended_until(session, party_kind, party_id, at)
    if until is None:
        return
    what, code = ("notices", Code.NOTICES_SUSPENDED) if party_kind == "notifier" else ("complaints", Code.COMPLAINTS_SUSPENDED)
    raise Conflict(f"{what} from {party_id} are not processed until {until.isoformat()} (DSA Art. 23(2))", rule=ART23, until=until,
                   code=code, params={"party": party_id, "until": until})


def _judged(session: Session, party_kind: str, party_id: str) -> list[Judged]:
    if party_kind == "notifier":
        return [Judged(at, outcome == "manifestly_unfounded") for at, outcome in notices.decisions_of_notifier(session, party_id)]
    out = [Judged(at, unfounded) for at, unfounded in notices.complaint_findings_of(session, party_id)]  # internal complaints (Art. 20)
    kind, _, subject = party_id.partition(":")
    if kind in ("shop", "creator"):  # appeals of violations
        unfounded = notices.unfounded_of(session, party_id)
        decided = appeals.decided_of(session, subject if kind == "shop" else None, subject if kind == "creator" else None)
        out += [Judged(d.decided_at, d.appeal_id in unfounded) for d in decided]
    return out


def judge(session: Session, ctx: Context, pack: PolicyPack, party_kind: PartyKind, party_id: str, at: datetime) -> Action | None:
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
    action_id = new_id("mu")
    if not notices.add_misuse(session, {"action_id": action_id, "party_kind": party_kind, "party_id": party_id, "action": action, "at": at,
                                        "until": until, "figures": figures, "created_at": ctx.clock()}):
        return None
    kind, _, subject = party_id.partition(":")
    facts: tuple[Fact, ...] = tuple((k, figures[k]) for k in FACT_KEYS)
    statements.record(session, ctx, pack, Measure(
        kind=MISUSE_KINDS[(party_kind, action)], measure_id=action_id, subject_id=party_id,
        shop_id=subject if party_kind == "complainant" and kind == "shop" else None,
        creator_id=subject if party_kind == "complainant" and kind == "creator" else None, starts_at=at, ends_at=until, content_at=at,
        ground_key="misuse", rules=(ART23,), facts=facts, detected_by_machine=False, decided="partially", redress="none"))
    return Action(action_id, action, at, until, figures)


def actions(ctx: Context, principal: Principal, party_kind: PartyKind, party_id: str | None) -> list[Action]:
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


def history(ctx: Context, party_kind: str, party_id: str) -> list[Action]:
    with ctx.db.read() as s:
        return [Action.of(a) for a in notices.misuse(s, party_kind, party_id)]
