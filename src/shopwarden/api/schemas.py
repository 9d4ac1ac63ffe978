"""Request and response shapes shared by the routers; times carry a zone and stay in a sane range."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from shopwarden.core import instants

_NUMBER = re.compile(r"\s*[-+]?\d+(\.\d*)?\s*")  # a Unix time, which pydantic reads as it always has


def _text(value: Any) -> Any:
    """ISO 8601 text is read by `core.instants`, the one parser of client instants."""
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        try:
            return instants.parse(value)
        except ValueError as exc:
            raise PydanticCustomError("instant", str(exc)) from None
    return value


def _in_range(t: datetime) -> datetime:
    try:
        return instants.within(t)
    except ValueError as exc:
        raise PydanticCustomError("instant", str(exc)) from None


Instant = Annotated[AwareDatetime, BeforeValidator(_text), AfterValidator(_in_range)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
ShortText = Annotated[str, Field(min_length=1, max_length=4000)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class Body(BaseModel):
    """A request body: no unknown fields, and no NUL character (U+0000) in any text — PostgreSQL
    cannot store one (a 500 there; SQLite took it), so it is a 422 on both."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


class Evidence(Body):
    kind: Literal["text", "url", "image", "document", "order", "chat"] = Field(description="what the value is")
    value: Annotated[str, Field(min_length=1, max_length=20000)]
    note: Annotated[str, Field(max_length=2000)] | None = None


class ShopIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["enterprise", "individual", "personal"]
    policy: Id


class ViolationIn(Body):
    shop_id: Id | None = Field(default=None, description="the shop; or give creator_id instead (exactly one)")
    creator_id: Id | None = Field(default=None, description="a creator (CR-7): a type from its pack's creators section")
    content_id: Id | None = Field(default=None, description="the creator's content the violation was found in")
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
    manifestly_unfounded: bool = Field(default=False, description="DSA Art. 23: a rejected complaint a person finds manifestly unfounded")


class RevocationIn(Body):
    reason: ShortText
    revoked_at: Instant | None = None
    revoked_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(default=None, description="stable: a refusal's own (`review.report_window_closed`) or its kind's (`not_found`); see errors.Code")
    params: dict[str, Any] | None = Field(default=None, description="the values the refusal names (instants as ISO 8601), to word it in any language")
    errors: list[dict[str, Any]] | None = Field(default=None, description="each field's problem: field, message, and code and params where it has one")


# ---- scanning ----

Money = Annotated[float, Field(ge=0, le=1e9, description="a non-negative amount in the shop's currency")]
Text = Annotated[str, Field(max_length=1_000_000)]  # the pack's own, smaller limit answers 413


class SkuIn(Body):
    sku_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=500)] = ""
    price: Money
    shipping_fee: Money = 0.0
    category: Annotated[str, Field(max_length=200)] | None = None
    compare_at: Money | None = Field(default=None, description="a comparison ('was') price shown to buyers")


class PricePoint(Body):
    sku_id: Annotated[str, Field(min_length=1, max_length=64)]
    price: Money
    at: Instant


class ListingFields(Body):
    title: Annotated[str, Field(min_length=1, max_length=1_000_000)]
    description: Text = ""
    brand: Annotated[str, Field(max_length=200)] | None = None
    category: Annotated[str, Field(max_length=200)] | None = None
    attributes: Annotated[dict[Annotated[str, Field(max_length=100)], Annotated[str, Field(max_length=2000)]], Field(max_length=200)] = {}
    skus: Annotated[list[SkuIn], Field(min_length=1, max_length=1000)]
    images: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)] = []
    price_history: Annotated[list[PricePoint], Field(max_length=10000)] = []


class ListingScan(ListingFields):
    kind: Literal["listing"]
    shop_id: Id


class MessageScan(Body):
    kind: Literal["message"]
    shop_id: Id
    text: Text
    images: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=20)] = []


class ReviewScan(Body):
    kind: Literal["review"]
    shop_id: Id
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    text: Text
    images: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=20)] = []


class ProductIn(ListingFields):
    shop_id: Id


class MessageIn(Body):
    message_id: Id | None = None
    shop_id: Id
    sender: Literal["buyer", "seller"]
    conversation_id: Id | None = None
    buyer_id: Id | None = Field(default=None, description="the buyer in the conversation; lets review signals read it (RV-K-2)")
    text: Text
    sent_at: Instant | None = None


class CaseDecisionIn(Body):
    outcome: Literal["violation", "dismiss", "upheld"] = Field(description="a finding: violation or dismiss; a match dispute: upheld or dismiss")
    reason: ShortText
    type: Id | None = None
    severity: Id | None = None
    points: Annotated[int, Field(ge=0, le=10000)] | None = None
    decided_at: Instant | None = None
    decided_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None


class DeclarationIn(Body):
    kind: Literal["phone", "wechat", "qq", "email", "url", "whatsapp", "line", "other"]
    value: Annotated[str, Field(min_length=3, max_length=200)]
    reason: ShortText


class BrandIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    aliases: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=100)] = []
    restricted: bool = False
    registered: bool = True
    owner: Annotated[str, Field(max_length=200)] | None = None
    categories: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=50)] = Field(
        default=[], description="category prefixes where the name means this brand (小米 is not millet in food/grain); empty: everywhere")


class QualificationIn(Body):
    brand_id: Id
    trademark_no: Annotated[str, Field(min_length=3, max_length=64)]
    mark: Literal["R", "TM"]
    categories: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=50)] = []
    valid_from: Instant
    valid_to: Instant | None = None


class QualificationReviewIn(Body):
    status: Literal["approved", "rejected", "revoked"]
    reason: ShortText
    decided_by: Annotated[str, Field(min_length=1, max_length=128)] | None = None
