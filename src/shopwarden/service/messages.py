"""Chat: `POST /v1/messages` scans a message and keeps it with its decision. Decision: only a seller's
message can cost the shop points or open a case; a buyer's is scanned and kept, nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopwarden.errors import Conflict
from shopwarden.service import shadows
from shopwarden.service.auth import Principal, require
from shopwarden.service.consequences import Outcome, Target, apply
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.scanning import scan_for_shop
from shopwarden.service.times import event_time
from shopwarden.service.violations import new_id
from shopwarden.store import messages


@dataclass(frozen=True, slots=True)
class MessageInput:
    shop_id: str
    sender: str  # buyer | seller
    text: str
    message_id: str | None = None
    conversation_id: str | None = None
    buyer_id: str | None = None  # lets review signals read the conversation (RV-K-2)
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageScan(Result):
    """The scanned message's decision and findings, then what followed (violations, cases, tasks: a seller's message only)."""

    message_id: str
    decision: str
    findings: Sequence[Mapping[str, Any]]
    policy_version: str
    consequences: Mapping[str, Any]  # service/consequences' Outcome, spread into the JSON

    def as_json(self) -> dict[str, Any]:
        out = Result.as_json(self)
        del out["consequences"]
        return out | dict(self.consequences)


def post(ctx: Context, principal: Principal, body: MessageInput, lang: str = "en") -> MessageScan:
    require(principal, "message.write", body.shop_id)
    sent_at = event_time(ctx, principal, body.sent_at, "sent_at")
    message_id = body.message_id or new_id("m")
    with ctx.db.transaction() as s:
        if messages.get(s, message_id) is not None:
            raise Conflict(f"message {message_id!r} was already scanned", rule=None)
        shop, pack, result = scan_for_shop(ctx, s, "message", {"shop_id": body.shop_id, "text": body.text}, sent_at)
        # The message first, keyed by its id: of two concurrent posts of one message one scans it
        # and acts on it (a violation, a case), the other is refused.
        if not messages.add(s, {
            "message_id": message_id, "shop_id": shop.shop_id, "sender": body.sender, "conversation_id": body.conversation_id, "buyer_id": body.buyer_id,
            "text": body.text, "decision": result.decision, "findings": result.findings_json("en"), "sent_at": sent_at,
            "created_by": principal.key_id,
        }):
            raise Conflict(f"message {message_id!r} was already scanned (by a concurrent request)", rule=None)
        outcome = Outcome()
        target = Target(shop.shop_id, "message", message_id, None, sent_at, principal.key_id)
        if body.sender == "seller":
            outcome = apply(s, pack, target, result, set())
        shadows.record(s, pack, target, result)  # kept beside the live findings, never acted on (issue 17)
    return MessageScan(message_id, result.decision, result.findings_json(lang), pack.version, outcome.as_json())
