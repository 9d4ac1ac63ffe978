"""Each incoming kind: the route's request schema and the service call its route makes (one path).

An event is the route's JSON body plus `event_id`; a route with an id in its path takes that id
from the body (`product_id` for a listing). Events act as the platform (the publisher is trusted
as a platform key is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError

from shopwarden.api import problems
from shopwarden.api.experience import AfterSaleIn, ComplaintIn
from shopwarden.api.reviews import OrderIn, ReviewIn
from shopwarden.api.schemas import Id, MessageIn, ProductIn, ViolationIn
from shopwarden.errors import ShopwardenError
from shopwarden.service import after_sales, messages, products, reviews, violations
from shopwarden.service.auth import Principal
from shopwarden.service.consume import Incoming, ManyHandler
from shopwarden.service.context import Context

PUBLISHER = Principal("nats", "platform", None)
MAX_EVENT_BYTES = 1 << 20  # JetStream's default max payload; a larger body never reaches us


class _ListingEvent(ProductIn):
    product_id: Id  # the route's path id


@dataclass(frozen=True, slots=True)
class Kind:
    schema: type[BaseModel]
    call: Callable[[Context, dict[str, Any]], Any]


KINDS: dict[str, Kind] = {
    "listing": Kind(_ListingEvent, lambda ctx, b: products.put(ctx, PUBLISHER, b.pop("product_id"), b, wait=0)),  # images: the workers
    "violation": Kind(ViolationIn, lambda ctx, b: violations.issue(ctx, PUBLISHER, violations.ViolationInput(**b))),
    "order": Kind(OrderIn, lambda ctx, b: reviews.post_order(ctx, PUBLISHER, b)),
    "review": Kind(ReviewIn, lambda ctx, b: reviews.post_review(ctx, PUBLISHER, b, wait=0)),  # the encoder's signals: the workers
    "message": Kind(MessageIn, lambda ctx, b: messages.post(ctx, PUBLISHER, messages.MessageInput(**b))),
    "after_sale": Kind(AfterSaleIn, lambda ctx, b: after_sales.post_after_sale(ctx, PUBLISHER, after_sales.AfterSaleInput(**b))),
    "complaint": Kind(ComplaintIn, lambda ctx, b: after_sales.post_complaint(ctx, PUBLISHER, after_sales.ComplaintInput(**b))),
}


# The kinds whose use case also runs set-based over a micro-batch (service/consume.py `_group`): the
# same function the route calls, with many bodies instead of one.
MANY: dict[str, ManyHandler] = {
    "violation": lambda ctx, bodies: list(violations.issue_many(ctx, PUBLISHER, [violations.ViolationInput(**b) for b in bodies])),
}


def _invalid(field: str, message: str) -> dict[str, Any]:
    return problems.document(422, "Invalid input", f"{field}: {message}", errors=[{"field": field, "message": message}])


def decode(kind: str, raw: bytes, accepted: frozenset[str]) -> Incoming:
    """The event as the batch applies it, or with the problem that makes it a dead letter."""
    if kind not in accepted:
        return Incoming(kind, None, problem=_invalid("subject", f"kind {kind!r} is not consumed here; allowed: {', '.join(sorted(accepted))}"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Incoming(kind, None, problem=_invalid("body", f"is not JSON (UTF-8): {exc}"))
    if not isinstance(data, dict):
        return Incoming(kind, None, problem=_invalid("body", "must be a JSON object"))
    event_id = data.pop("event_id", None)
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 128:
        return Incoming(kind, None, problem=_invalid("event_id", "required: a string of 1 to 128 characters (the idempotency key)"))
    try:
        body = KINDS[kind].schema.model_validate(data).model_dump(mode="python")
    except ValidationError as exc:
        return Incoming(kind, event_id, problem=problems.of_validation(exc.errors()))
    return Incoming(kind, event_id, body)


def handle(ctx: Context, e: Incoming) -> Any:
    return KINDS[e.kind].call(ctx, dict(e.body))


def problem_of(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, ShopwardenError):
        return problems.of_error(exc)
    if isinstance(exc, IntegrityError):
        return problems.CONFLICTING_WRITE
    return problems.document(500, "Internal error", "an unexpected error occurred; it has been logged")
