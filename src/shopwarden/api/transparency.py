"""Route: GET /v1/transparency-report (DSA Art. 24) for a period."""

from typing import Annotated

from fastapi import APIRouter, Query

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Instant
from shopwarden.service import transparency

router = APIRouter(prefix="/v1/transparency-report", tags=["statements"], responses=ERRORS)


@router.get("", summary="The transparency report (DSA Art. 24) of a period: measures, notices, complaints, Art. 23 suspensions")
def report(ctx: Ctx, caller: Caller, since: Annotated[Instant | None, Query(alias="from", description="the period's start (included); required")] = None,
           until: Annotated[Instant | None, Query(alias="to", description="the period's end (excluded); required")] = None) -> dict:
    return transparency.report(ctx, caller, since, until).as_json()
