"""Routes: shadow detectors' disagreements with the live version and operators' labels.

`GET /v1/shadow-disagreements` lists where a shadow detector version and the live one disagreed, with
both sides' findings and evidence; `POST /v1/shadow-disagreements/{shadow_id}/label` records which
side was right. Operators and the platform only (`policy.simulate`); nothing here acts on a finding.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Id, Instant
from shopwarden.service import shadows

router = APIRouter(tags=["shadow detectors"], responses=ERRORS)

DEFAULT_DAYS = 30


class ShadowLabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Literal["live", "shadow", "neither"] = Field(description="which side was right: the live version, the shadow, or neither")
    note: str | None = Field(default=None, max_length=shadows.NOTE_MAX, description="why (kept with the label)")


def _row(d: shadows.Disagreement) -> dict[str, Any]:
    return {"shadow_id": d.shadow_id, "subject_kind": d.subject_kind, "subject_id": d.subject_id, "subject_version": d.subject_version,
            "shop_id": d.shop_id, "detector": d.detector, "version": d.version, "verdict": d.verdict, "rules": d.rules,
            "live": d.live, "shadow": d.shadow, "at": d.at, "label": d.label, "label_note": d.label_note, "labelled_by": d.labelled_by}


@router.get("/v1/shadow-disagreements", summary="Where shadow detector versions disagreed with the live ones, newest first, with both sides' evidence")
def list_disagreements(ctx: Ctx, caller: Caller,
                       since: Annotated[Instant | None, Query(alias="from", description="the period's start (default: 30 days before `to`)")] = None,
                       until: Annotated[Instant | None, Query(alias="to", description="the period's end (default: now)")] = None,
                       detector: Annotated[Id | None, Query(description="one detector kind")] = None,
                       unlabelled: Annotated[bool, Query(description="only those no operator has labelled")] = False,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    hi = until or ctx.clock()
    lo = since or hi - timedelta(days=DEFAULT_DAYS)
    rows = shadows.disagreements(ctx, caller, shadows.DisagreementQuery(lo, hi, detector, unlabelled, limit))
    return [_row(d) for d in rows]


@router.post("/v1/shadow-disagreements/{shadow_id}/label", summary="Label a disagreement: which side was right (operators)")
def label_disagreement(shadow_id: Annotated[Id, Path()], body: ShadowLabelIn, ctx: Ctx, caller: Caller) -> dict[str, Any]:
    return _row(shadows.label(ctx, caller, shadows.LabelInput(shadow_id, body.label, body.note)))
