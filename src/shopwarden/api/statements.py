"""Routes: GET /v1/statements (statements of reasons) and GET /v1/statements/export (Transparency Database batches)."""

from typing import Annotated

from fastapi import APIRouter, Query

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Id, Instant
from shopwarden.core.measure_kinds import MEASURE_KINDS
from shopwarden.service import statements

router = APIRouter(prefix="/v1/statements", tags=["statements"], responses=ERRORS)
Since = Annotated[Instant | None, Query(description="measures applied at or after this instant")]
Until = Annotated[Instant | None, Query(description="measures applied before this instant")]
After = Annotated[int, Query(ge=0, le=2**63 - 1, description="the `next` of the previous page (a 64-bit sequence number)")]
MEASURE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$"  # what a measure id is made of (ids and "shop:sanction"); no NUL reaches PostgreSQL
Puid = Annotated[str | None, Query(pattern=r"^[a-zA-Z0-9_-]{1,64}$", description="one statement by its puid")]
Kind = Annotated[str | None, Query(pattern="^(" + "|".join(k.replace(".", r"\.") for k in MEASURE_KINDS) + ")$", description="a measure kind")]


@router.get("", summary="Statements of reasons of measures applied in a range (DSA Art. 17); a seller sees its own shop's")
def search(ctx: Ctx, caller: Caller, since: Since = None, until: Until = None, shop_id: Annotated[Id | None, Query()] = None,
           creator_id: Annotated[Id | None, Query()] = None, measure_id: Annotated[str | None, Query(pattern=MEASURE_ID)] = None,
           puid: Puid = None, kind: Kind = None, after: After = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    q = statements.Query(since, until, shop_id, creator_id, measure_id, puid, kind, after, limit)
    return statements.search(ctx, caller, q).as_json()


@router.get("/export", summary="Transparency Database batches of at most 100 statements, each valid or withheld (DSA Art. 24(5))")
def export(ctx: Ctx, caller: Caller, since: Since = None, until: Until = None, after: After = 0,
           max_batches: Annotated[int, Query(ge=1, le=100)] = 10) -> dict:
    return statements.export(ctx, caller, since, until, after, max_batches).as_json()
