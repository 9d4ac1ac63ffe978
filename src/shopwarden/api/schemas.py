"""Request and response shapes shared by the routers; times carry a zone and stay in a sane range."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

LOW = datetime(1970, 1, 1, tzinfo=timezone.utc)
HIGH = datetime(2200, 1, 1, tzinfo=timezone.utc)


def _in_range(t: datetime) -> datetime:
    t = t.astimezone(timezone.utc)
    if not LOW <= t < HIGH:
        raise ValueError("must lie between 1970-01-01 and 2200-01-01")
    return t


Instant = Annotated[AwareDatetime, AfterValidator(_in_range)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
ShortText = Annotated[str, Field(min_length=1, max_length=4000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Body):
    kind: Literal["text", "url", "image", "document", "order", "chat"] = Field(description="what the value is")
    value: Annotated[str, Field(min_length=1, max_length=20000)]
    note: Annotated[str, Field(max_length=2000)] | None = None


class ShopIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["enterprise", "individual", "personal"]
    policy: Id


class ViolationIn(Body):
    shop_id: Id
    type: Id
    severity: Id
    issued_at: Instant | None = None
    points: Annotated[int, Field(ge=0, le=10000)] | None = None
    evidence: Annotated[list[Evidence], Field(max_length=50)] = []
    note: Annotated[str, Field(max_length=4000)] | None = None


class AppealIn(Body):
    reason: ShortText
    evidence: Annotated[list[Evidence], Field(max_length=50)] = []
    filed_at: Instant | None = None


class DecisionIn(Body):
    outcome: Literal["granted", "rejected"]
    reason: ShortText
    decided_at: Instant | None = None
    decided_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
