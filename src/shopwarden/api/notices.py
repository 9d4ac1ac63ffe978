"""Routes: notices (DSA Art. 16), their decision, counter-notice (E-Commerce Law art. 43) and proceedings,
trusted flaggers and the revocation of their status (Art. 22), internal complaints against a notice's decision or
an Art. 23 suspension (Art. 20), and the Art. 23 actions themselves. The Art. 16(2) elements are optional in the schema so that a notice lacking
them is answered by the service with every missing element named (422)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Body, Evidence, Id, Instant
from shopwarden.core.notices import NotifierKind, Outcome, Target
from shopwarden.service import internal_complaints, misuse, notices

router = APIRouter(tags=["notices"], responses=ERRORS)
NoticeId = Annotated[Id, Path()]
Short = Annotated[str, Field(max_length=200)]


class NotifierIn(Body):
    id: Id
    kind: Annotated[NotifierKind, Field(description="rights_owner, trusted_flagger (a status awarded under Art. 22) or individual")]
    name: Short | None = None
    email: Annotated[str, Field(max_length=320)] | None = None


class NoticeIn(Body):
    notifier: NotifierIn
    target_kind: Target
    target_id: Annotated[str, Field(min_length=1, max_length=128)]
    shop_id: Id | None = Field(default=None, description="for an image: the shop using it")
    ground: Annotated[str, Field(min_length=1, max_length=64, description="a violation type of the item's policy pack")]
    location: Annotated[str, Field(max_length=2000, description="Art. 16(2)(b): the exact URL")] | None = None
    explanation: Annotated[str, Field(max_length=5000, description="Art. 16(2)(a)")] | None = None
    good_faith: bool | None = Field(default=None, description="Art. 16(2)(d): true")
    filed_at: Instant | None = None


class NoticeDecisionIn(Body):
    outcome: Outcome
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    decided_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    decided_at: Instant | None = None


class CounterNoticeIn(Body):
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    filed_at: Instant | None = None


class ProceedingsIn(Body):
    kind: Literal["court", "complaint_authority"]
    reference: Annotated[str, Field(min_length=1, max_length=200)]
    shown_at: Instant | None = None


class TrustedFlaggerIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    awarded_by: Annotated[str, Field(min_length=1, max_length=200, description="the Digital Services Coordinator")]
    since: Instant | None = None


class TrustRevocationIn(Body):
    reason: Annotated[str, Field(min_length=1, max_length=4000, description="why the status is revoked (DSA Art. 22(6)-(7))")]
    revoked_by: Annotated[str, Field(min_length=1, max_length=200, description="who revoked it: the Digital Services Coordinator")] | None = None
    revoked_at: Instant | None = None


class ComplaintIn(Body):
    side: internal_complaints.Side = Field(default="affected", description="affected: the seller or creator the decision restricts; "
                                                     "notifier: the notifier against no action (relayed by the platform)")
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    evidence: Annotated[list[Evidence], Field(max_length=50)] = []
    filed_at: Instant | None = None


class ComplaintDecisionIn(Body):
    outcome: internal_complaints.ComplaintOutcome = Field(description="granted: the decision complained of is reversed (Art. 20(4)); rejected: "
                                                          "it stands; manifestly_unfounded: rejected, with the finding that the complaint was "
                                                          "manifestly unfounded, counted toward the complainant's Art. 23 warning and suspension")
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    decided_by: Annotated[str, Field(min_length=1, max_length=128, description="the person who decided (DSA Art. 20(6)); required from the platform")] | None = None
    decided_at: Instant | None = None


def _complaint(body: ComplaintIn) -> internal_complaints.ComplaintInput:
    return internal_complaints.ComplaintInput(body.reason, body.side, tuple(e.model_dump(exclude_none=True) for e in body.evidence), body.filed_at)


@router.post("/v1/notices", status_code=201, summary="File a notice (DSA Art. 16) relayed by the platform; every missing Art. 16(2) element is named")
def file(body: NoticeIn, ctx: Ctx, caller: Caller) -> dict:
    n = body.notifier
    return notices.file(ctx, caller, notices.NoticeInput(
        notifier_id=n.id, notifier_kind=n.kind, target_kind=body.target_kind, target_id=body.target_id, ground=body.ground, notifier_name=n.name,
        notifier_email=n.email, location=body.location, explanation=body.explanation, good_faith=body.good_faith, shop_id=body.shop_id,
        filed_at=body.filed_at))


@router.get("/v1/notices", summary="Notices, trusted flaggers' first (Art. 22); pending=true: the queue; a seller sees its own shop's")
def search(ctx: Ctx, caller: Caller, shop_id: Annotated[Id | None, Query()] = None, pending: bool = False,
           limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return notices.search(ctx, caller, shop_id, pending, limit)


@router.get("/v1/notices/{notice_id}", summary="One notice, its decision as told to each side, its measure and counter-notice")
def get(notice_id: NoticeId, ctx: Ctx, caller: Caller) -> dict:
    return notices.get(ctx, caller, notice_id)


@router.post("/v1/notices/{notice_id}/decision", summary="Decide a notice (operator): action, no_action or manifestly_unfounded; final")
def decide(notice_id: NoticeId, body: NoticeDecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return notices.decide(ctx, caller, notice_id, notices.Decision(body.outcome, body.reason, body.decided_by, body.decided_at))


@router.post("/v1/notices/{notice_id}/counter-notice", summary="The seller declares no infringement (E-Commerce Law art. 43)")
def counter_notice(notice_id: NoticeId, body: CounterNoticeIn, ctx: Ctx, caller: Caller) -> dict:
    return notices.counter_notice(ctx, caller, notice_id, body.reason, body.filed_at)


@router.post("/v1/notices/{notice_id}/proceedings", summary="The rights owner shows a lawsuit or complaint within the period: the measure stays")
def proceedings(notice_id: NoticeId, body: ProceedingsIn, ctx: Ctx, caller: Caller) -> dict:
    return notices.proceedings(ctx, caller, notice_id, body.kind, body.reference, body.shown_at)


@router.put("/v1/trusted-flaggers/{notifier_id}", summary="Record a trusted flagger status (DSA Art. 22(2)), platform only")
def trust(notifier_id: Annotated[Id, Path()], body: TrustedFlaggerIn, ctx: Ctx, caller: Caller) -> dict:
    return notices.trust(ctx, caller, notifier_id, body.name, body.awarded_by, body.since)


@router.post("/v1/trusted-flaggers/{notifier_id}/revocation", summary="Revoke a trusted flagger's status (DSA Art. 22(6)-(7)), with its reason")
def revoke_trust(notifier_id: Annotated[Id, Path()], body: TrustRevocationIn, ctx: Ctx, caller: Caller) -> dict:
    return notices.revoke_trust(ctx, caller, notifier_id, body.reason, body.revoked_by, body.revoked_at)


@router.get("/v1/trusted-flaggers", summary="Trusted flaggers recorded, active or revoked (DSA Art. 22)")
def trusted_flaggers(ctx: Ctx, caller: Caller) -> list[dict]:
    return notices.trusted_flaggers(ctx, caller)


@router.post("/v1/notices/{notice_id}/complaints", status_code=201,
             summary="Complain of a notice's decision (DSA Art. 20): the affected seller or creator, or the notifier (via the platform)")
def complain_of_notice(notice_id: NoticeId, body: ComplaintIn, ctx: Ctx, caller: Caller) -> dict:
    return internal_complaints.on_notice(ctx, caller, notice_id, _complaint(body)).as_json()


@router.get("/v1/misuse-actions", summary="Art. 23 warnings and suspensions of a party (a notifier, or a complainant shop:<id> / creator:<id>)")
def misuse_actions(ctx: Ctx, caller: Caller, party_kind: Annotated[Literal["notifier", "complainant"], Query()] = "complainant",
                   party_id: Annotated[str, Query(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$",
                                                   description="a notifier's id, or shop:<id> / creator:<id>; default: a seller's or creator's own")] | None = None) -> list[dict]:
    return [a.as_json() for a in misuse.actions(ctx, caller, party_kind, party_id)]


@router.post("/v1/misuse-actions/{action_id}/complaints", status_code=201, summary="Complain of an Art. 23 suspension (DSA Art. 20)")
def complain_of_misuse(action_id: Annotated[Id, Path()], body: ComplaintIn, ctx: Ctx, caller: Caller) -> dict:
    return internal_complaints.on_misuse(ctx, caller, action_id, _complaint(body)).as_json()


@router.get("/v1/internal-complaints", summary="Internal complaints (DSA Art. 20), oldest first; pending=true: the operators' queue",
            description="With pending=true, the operators' queue: a trusted flagger's complaint against no action on its notice first "
                        "(as its notice was, Art. 22(1)), then oldest first.")
def complaints(ctx: Ctx, caller: Caller, pending: bool = False, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return [c.as_json() for c in internal_complaints.search(ctx, caller, pending, limit)]


@router.get("/v1/internal-complaints/{complaint_id}", summary="One internal complaint and its decision")
def complaint(complaint_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return internal_complaints.get(ctx, caller, complaint_id).as_json()


@router.post("/v1/internal-complaints/{complaint_id}/decision",
             summary="Decide a complaint: a person only (DSA Art. 20(6)); granted reverses the decision, manifestly_unfounded counts for Art. 23",
             description="A person's decision, final (a second one is 409). `granted` reverses the decision complained of without undue delay "
                         "(Art. 20(4)); `rejected` leaves it standing; `manifestly_unfounded` rejects it with that finding, which counts toward "
                         "the complainant's misuse (Art. 23): the pack's warning, then a suspension, each with its statement of reasons. "
                         "A suspended complainant's new complaints are refused (409, code `complaint.suspended`, `until`).")
def decide_complaint(complaint_id: Annotated[Id, Path()], body: ComplaintDecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return internal_complaints.decide(ctx, caller, complaint_id, internal_complaints.DecisionInput(body.outcome, body.reason, body.decided_by,
                                                                                                     body.decided_at)).as_json()
