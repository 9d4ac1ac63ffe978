"""Claims on the operators' queue items, so two operators never decide one item twice.

An operator claims an item before deciding it; the claim runs for CLAIM_TTL and shows who holds
it. Deciding through `decide_holding` requires holding a running claim, and releases it after.
Each kind of item names the permission that decides it and how to tell that it is still open;
a new queue (review reports, disputes, …) registers its kind in KINDS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from shopwarden.errors import AlreadyDecided, Code, Conflict, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import appeals, brands, cases, claims, creators, notices, open_items, review_reports
from shopwarden.store import experience as quality
from shopwarden.store.claims import ClaimRow

CLAIM_TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Kind:
    action: str  # the permission that decides items of this kind
    state: Callable[[Session, str], str | None]  # "open", "decided", or None for no such item


def _appeal_state(session: Session, item_id: str) -> str | None:
    if appeals.get(session, item_id) is None:
        return None
    return "open" if appeals.decision(session, item_id) is None else "decided"


def _case_state(session: Session, item_id: str) -> str | None:
    found = cases.get(session, item_id)
    if found is None:
        return None
    return "open" if found[1] is None else "decided"


def _review_report_state(session: Session, item_id: str) -> str | None:
    found = review_reports.get(session, item_id)
    if found is None:
        return None
    return "open" if found[1] is None else "decided"


def _qualification_state(session: Session, item_id: str) -> str | None:
    if brands.get_qualification(session, item_id) is None:
        return None
    return "decided" if brands.reviews_of(session, [item_id])[item_id] else "open"


def _content_state(session: Session, item_id: str) -> str | None:
    if creators.content(session, item_id) is None:
        return None
    return "open" if open_items.is_open(session, "content", item_id) else "decided"


def _determination_state(session: Session, item_id: str) -> str | None:
    """A DY-QL-3 determination is open to an operator until a fraud finding is recorded on it."""
    if quality.get_determination(session, item_id) is None:
        return None
    return "open" if quality.fraud_of(session, item_id) is None else "decided"


def _notice_state(session: Session, item_id: str) -> str | None:
    if notices.get(session, item_id) is None:
        return None
    return "decided" if notices.is_decided(session, item_id) else "open"


def _complaint_state(session: Session, item_id: str) -> str | None:
    """An internal complaint (DSA Art. 20) is open until a person decides it."""
    if notices.complaint(session, item_id) is None:
        return None
    return "decided" if notices.complaint_decision(session, item_id) is not None else "open"


KINDS: dict[str, Kind] = {
    "content": Kind("case.decide", _content_state),
    "appeal": Kind("appeal.decide", _appeal_state),
    "case": Kind("case.decide", _case_state),
    "review_report": Kind("review_report.decide", _review_report_state),
    "qualification": Kind("qualification.review", _qualification_state),
    "determination": Kind("experience.determine", _determination_state),
    "notice": Kind("notice.decide", _notice_state),
    "complaint": Kind("complaint.decide", _complaint_state),
}


@dataclass(frozen=True)
class Claim:
    kind: str
    item_id: str
    holder: str
    claimed_at: datetime
    expires_at: datetime

    def held_by(self, principal: Principal) -> bool:
        return self.holder == principal.key_id


def _kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise InvalidInput.one("kind", f"unknown queue item kind {kind!r}; allowed: {', '.join(KINDS)}")
    return found


T = TypeVar("T")


def _claim(row: ClaimRow) -> Claim:
    return Claim(row.item_kind, row.item_id, row.holder, row.claimed_at, row.expires_at)


def claim(ctx: Context, principal: Principal, kind: str, item_id: str) -> Claim:
    """Take (or renew) the claim on an open item; Conflict, naming the holder, while another holds it."""
    spec = _kind(kind)
    require(principal, spec.action)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        state = spec.state(s, item_id)
        if state is None:
            raise NotFound.no(kind, item_id)
        if state == "decided":
            raise AlreadyDecided(f"{kind} {item_id} is already decided; there is nothing to claim", rule="TT-APL-6",
                                 code=Code.NOTHING_TO_CLAIM, params={"kind": kind, "id": item_id})
        if not claims.take(s, kind, item_id, principal.key_id, now, now + CLAIM_TTL):
            held = claims.of_items(s, kind, [item_id], now)[item_id]
            raise _held(kind, item_id, _claim(held))
        return _claim(claims.of_items(s, kind, [item_id], now)[item_id])


def release(ctx: Context, principal: Principal, kind: str, item_id: str) -> bool:
    """Give up one's own claim (another operator's claim is not touched)."""
    require(principal, _kind(kind).action)
    with ctx.db.transaction() as s:
        return claims.release(s, kind, item_id, principal.key_id)


def holders(ctx: Context, principal: Principal, kind: str, item_ids: list[str]) -> dict[str, Claim]:
    """The running claims on these items, by item id."""
    require(principal, _kind(kind).action)
    with ctx.db.read() as s:
        return {k: _claim(r) for k, r in claims.of_items(s, kind, item_ids, ctx.clock()).items()}


def decide_holding(ctx: Context, principal: Principal, kind: str, item_id: str, decide: Callable[[], T]) -> T:
    """Run `decide` (a use case with its own transaction) only while `principal` holds the item's
    claim; release the claim after. The decision itself stays final (AlreadyDecided) either way."""
    held = holders(ctx, principal, kind, [item_id]).get(item_id)
    if held is None:
        raise Conflict(f"claim {kind} {item_id} before deciding it, so that no other operator decides it at the same time",
                       code=Code.CLAIM_FIRST, params={"kind": kind, "id": item_id})
    if not held.held_by(principal):
        raise _held(kind, item_id, held)
    out = decide()
    release(ctx, principal, kind, item_id)
    return out


def _held(kind: str, item_id: str, held: Claim) -> Conflict:
    return Conflict(f"{kind} {item_id} is claimed by {held.holder} until {held.expires_at.isoformat()}", until=held.expires_at,
                    code=Code.CLAIM_HELD, params={"kind": kind, "id": item_id, "holder": held.holder, "until": held.expires_at})
