"""Routes: creators' content (CR-5, CR-6, CR-9) — PUT/GET /v1/content/{id}, POST …/segments for a LIVE."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field

from shopwarden.api.deps import ERRORS, Caller, Ctx, Responses
from shopwarden.api.schemas import Body, Id, Instant
from shopwarden.service import content

router = APIRouter(prefix="/v1/content", tags=["creators"], responses=ERRORS)
ContentId = Annotated[Id, Path(description="the platform's content id")]
Text = Annotated[str, Field(max_length=100_000)]  # the pack's scan limit answers 413 for long text; this is the schema's outer bound
ImageId = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="an uploaded image's sha256 (POST /v1/images)")]
Link = Annotated[str, Field(min_length=1, max_length=2048)]
CONFLICT: Responses = {409: {"description": "a rule forbids it (a segment for a non-LIVE, an ended or cut LIVE; creator or kind changed)",
                  "content": {"application/problem+json": {}}}}


class ContentIn(Body):
    creator_id: Id
    kind: Literal["showcase", "video", "live"]
    posted_at: Instant | None = None
    title: Text = ""
    description: Text = ""
    transcript: Text = ""
    cover_image: ImageId | None = None
    images: Annotated[list[ImageId], Field(max_length=20, description="key frames")] = []
    links: Annotated[list[Link], Field(max_length=50)] = []
    products: Annotated[list[Id], Field(max_length=50, description="anchored products (their listings)")] = []
    ended_at: Instant | None = Field(default=None, description="a LIVE that has ended: no more segments")


class ContentDecisionIn(Body):
    outcome: Literal["violation", "dismiss"]
    reason: Annotated[str, Field(min_length=1, max_length=4000)] = Field(description="the creator reads it (statement of reasons)")
    type: Id | None = Field(default=None, description="a creator violation type; default: the strictest finding's category")
    severity: Id | None = None
    remove: bool = Field(default=True, description="a violation also removes the content (a LIVE is cut off)")
    referrals: Annotated[list[Literal["legal_action", "reported_to_authorities"]], Field(max_length=2)] = Field(
        default=[], description="CR-9: an operator's referral to a court or the authorities, recorded (never automatic)")


class SegmentIn(Body):
    at: Instant | None = None
    transcript: Text = ""
    images: Annotated[list[ImageId], Field(max_length=20)] = []


@router.put("/{content_id}", summary="Store and scan a showcase, video or LIVE (CR-5, CR-6); 200 whether new or updated", responses=CONFLICT)
def put_content(content_id: ContentId, body: ContentIn, ctx: Ctx, caller: Caller) -> dict:
    data = content.ContentInput(body.creator_id, body.kind, body.posted_at, body.title, body.description, body.transcript, body.cover_image,
                                tuple(body.images), tuple(body.links), tuple(body.products), body.ended_at)
    return content.put(ctx, caller, content_id, data)[0].as_json()


@router.get("/{content_id}", summary="A piece of content with its findings, measures and segments")
def get_content(content_id: ContentId, ctx: Ctx, caller: Caller) -> dict:
    return content.get(ctx, caller, content_id).as_json()


@router.get("", summary="Content waiting for an operator, oldest first (the creator queue, CR-6)")
def content_queue(ctx: Ctx, caller: Caller, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return [c.as_json() for c in content.queue(ctx, caller, limit)]


@router.post("/{content_id}/decision", summary="Decide content under review: a violation (content removed) or dismissed (CR-6, CR-9)",
             responses=CONFLICT)
def decide(content_id: ContentId, body: ContentDecisionIn, ctx: Ctx, caller: Caller) -> dict:
    return content.decide(ctx, caller, content_id, content.DecisionInput(body.outcome, body.reason, body.type, body.severity, body.remove,
                                                                         tuple(body.referrals))).as_json()


@router.post("/{content_id}/segments", summary="Scan a LIVE's next segment; a block cuts the LIVE (CR-9)", responses=CONFLICT)
def add_segment(content_id: ContentId, body: SegmentIn, ctx: Ctx, caller: Caller) -> dict:
    return content.add_segment(ctx, caller, content_id, content.SegmentInput(body.at, body.transcript, tuple(body.images))).as_json()
