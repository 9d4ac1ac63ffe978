"""Routes: orders and reviews in, review visibility, product ratings (DY-LQ-1), shops' identity
attributes (RV-K-3), and sellers' reports of malicious reviews with their decisions (RV-1..6)."""

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from shopwarden.api.deps import ERRORS, At, Caller, Ctx, Responses
from shopwarden.api.schemas import Body, DecisionIn, Evidence, Id, Instant, Text
from shopwarden.service import analysis, review_reports, reviews

router = APIRouter(tags=["reviews"], responses=ERRORS)
CONFLICT: Responses = {409: {"description": "a rule forbids it now (the problem's `rule` says which, `until` until when)",
                  "content": {"application/problem+json": {}}}}
IdentityValue = Annotated[str, Field(min_length=1, max_length=128, description="an opaque value (a hash or the platform's id)")]
ImageIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=20, description="ids from POST /v1/images")]


class Commission(Body):
    amount: Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2, description="to the cent")]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. USD, CNY")]


class OrderIn(Body):
    order_id: Id
    shop_id: Id
    product_id: Id
    buyer_id: Id
    ordered_at: Instant | None = None
    status: Literal["created", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"] = Field(
        default="paid", description="sales (DY-LQ-1) are orders paid or later, not created or cancelled")
    paid_at: Instant | None = Field(default=None, description="DY-QL-1: not before ordered_at; a missing time may be sent later")
    shipped_at: Instant | None = Field(default=None, description="not before paid_at (late dispatch: after paid_at + the pack's hours)")
    delivered_at: Instant | None = Field(default=None, description="not before shipped_at")
    device: IdentityValue | None = None
    payment_account: IdentityValue | None = None
    address_hash: IdentityValue | None = None
    identity: IdentityValue | None = None
    creator_id: Id | None = Field(default=None, description="CR-10: the creator whose content the order was placed through")
    content_id: Id | None = Field(default=None, description="CR-10: that content (with creator_id)")
    commission: Commission | None = Field(default=None, description="CR-10: the creator's commission on the order")


class ReviewIn(Body):
    review_id: Id
    order_id: Id
    rating: Annotated[int, Field(ge=1, le=5)]
    text: Text = ""
    images: ImageIds = []
    posted_at: Instant | None = None


class IdentityIn(Body):
    device: Annotated[list[IdentityValue], Field(max_length=50)] = []
    payment_account: Annotated[list[IdentityValue], Field(max_length=50)] = []
    address_hash: Annotated[list[IdentityValue], Field(max_length=50)] = []
    identity: Annotated[list[IdentityValue], Field(max_length=50)] = []


class ReportIn(Body):
    kind: Literal["repeated", "coercive", "competitor", "diversion", "wrong", "invalid", "other"] | None = Field(
        default=None, description="required (RV-5): RV-K-1 repeated … RV-K-6 invalid, or other")
    reason: Annotated[str, Field(max_length=4000)] | None = Field(default=None, description="required (RV-5): why the review is malicious")
    evidence: Annotated[list[Evidence], Field(max_length=50)] = Field(default=[], description="at least one item (RV-5)")
    filed_at: Instant | None = None


@router.post("/v1/orders", status_code=201, responses=CONFLICT, summary="Record an order (the same again: 200; a new status: 200)")
def post_order(body: OrderIn, ctx: Ctx, caller: Caller, response: Response) -> dict:
    out, status = reviews.post_order(ctx, caller, body.model_dump(mode="python"))
    response.status_code = status
    return out


@router.post("/v1/reviews", status_code=201, responses=CONFLICT, summary="Post a review: stored with its RV-K signals; the product judged for DY-LQ-1")
def post_review(body: ReviewIn, ctx: Ctx, caller: Caller, response: Response,
                wait: Annotated[float, Query(ge=0, le=analysis.MAX_WAIT, description=(
                    "0 (default): answered from the fast signals, the sentence encoder's (RV-K-5, RV-K-6 about no product) named in "
                    "`pending` until the analysis workers write them; > 0: every signal computed before the answer"))] = 0) -> dict:
    out, status = reviews.post_review(ctx, caller, body.model_dump(mode="python"), wait=wait)
    response.status_code = status
    return out


@router.get("/v1/reviews/{review_id}", summary="A review; view=public is the product page's (hidden reviews are not found there)")
def get_review(review_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller, at: At = None,
               view: Annotated[Literal["full", "public"], Query(description="full (default) or public")] = "full") -> dict:
    return reviews.get_review(ctx, caller, review_id, at, view)


@router.get("/v1/products/{product_id}/rating", summary="Visible reviews' rating, positive rate, Wilson bound and the DY-LQ-1 threshold")
def product_rating(product_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller, at: At = None) -> dict:
    return reviews.rating(ctx, caller, product_id, at)


@router.get("/v1/products/{product_id}/reviews", summary="The product page's reviews: visible ones, newest first")
def product_reviews(product_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller, at: At = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict:
    return reviews.product_reviews(ctx, caller, product_id, at, limit, offset)


@router.put("/v1/shops/{shop_id}/identity", summary="Replace a shop's identity attributes (RV-K-3 links buyers to competing shops through them)")
def put_identity(shop_id: Annotated[Id, Path()], body: IdentityIn, ctx: Ctx, caller: Caller) -> dict:
    return reviews.put_identity(ctx, caller, shop_id, body.model_dump())


@router.post("/v1/reviews/{review_id}/reports", status_code=201, responses=CONFLICT,
             summary="Report a malicious review (RV-2 negative and recent, RV-3 once, RV-4 not while blocked, RV-5 kind, reason, evidence)")
def file_report(review_id: Annotated[Id, Path()], body: ReportIn, ctx: Ctx, caller: Caller) -> dict:
    return review_reports.file(ctx, caller, review_id, review_reports.ReportInput(
        body.kind, body.reason, [e.model_dump(mode="python") for e in body.evidence], body.filed_at)).as_json()


@router.get("/v1/review-reports", summary="The review-report queue, oldest first")
def report_queue(ctx: Ctx, caller: Caller, status: Annotated[Literal["pending", "granted", "rejected"] | None, Query()] = None,
                 shop_id: Annotated[Id | None, Query()] = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict:
    return review_reports.queue(ctx, caller, status, shop_id, limit, offset).as_json()


@router.get("/v1/review-reports/{report_id}", summary="A report with its review, the review's signals and the reporter's evidence")
def get_report(report_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return review_reports.get(ctx, caller, report_id).as_json()


@router.post("/v1/review-reports/{report_id}/decision", responses=CONFLICT,
             summary="Decide a report: granted hides the review (RV-6); rejected shares count toward RV-4")
def decide_report(report_id: Annotated[Id, Path()], body: DecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return review_reports.decide(ctx, caller, report_id, review_reports.ReportDecisionInput(
        body.outcome, body.reason, body.decided_at, body.decided_by)).as_json()
