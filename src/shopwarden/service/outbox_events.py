"""Which outbox events a transaction owes, found just before it commits (the ledger-derived kinds).

The ledger's writers note what they wrote (`store.outbox.note`: a violation, a revocation, an appeal
decision). Before the commit, this hook writes `violation.issued`, `violation.revoked` and
`appeal.decided` for them and derives the rest by folding: for each shop touched, the standing at
the transaction's instant with and without this transaction's ledger rows (one ledger read, two
folds). A sanction in force only with them is `sanction.started`, one in force only without them is
`sanction.lifted`, a notice due only with them is `notice.sent`. So every path that writes the
ledger (API, scans, bans, content, joint shares) emits through this one place, in its own
transaction. Not emitted: changes that time alone makes (a sanction running out, points expiring),
which no write causes; and creators' standings (their fold is the creator pack's, not read here).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.ledger.events import AppealDecided, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import NoticeDue, SanctionInstance, Standing, fold
from shopwarden.service.context import Context, commit_hook
from shopwarden.store import events, outbox


@commit_hook("outbox")
def install(ctx: Context) -> None:
    """Every transaction of `ctx.db` runs the hook before it commits."""
    ctx.db.before_commit["outbox"] = partial(before_commit, ctx)


def before_commit(ctx: Context, session: Session) -> None:
    writes = outbox.noted(session)
    if not writes:
        events.forget_at_commit(session)
        return
    at = ctx.clock()
    touched: dict[str, set[tuple[str, str]]] = {}
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for what, row in writes:
        kind, payload, ident = _EVENT[what](row)
        rows.append((kind, row.get("shop_id") or row.get("creator_id") or "", payload))
        if row.get("shop_id"):
            touched.setdefault(row["shop_id"], set()).add(ident)
    ledgers = events.ledgers_at_commit(session, list(touched))  # read once per shop for both hooks (statements.on_commit)
    events.forget_at_commit(session)
    for shop_id, new in touched.items():
        rows += _standing_changes(ctx, shop_id, new, at, ledgers[shop_id])
    outbox.add_many(session, rows, at)


def _violation(row: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, str]]:
    from shopwarden.service.violations import status_at, violation_json  # violations' use cases build on the context

    view = SimpleNamespace(**row)
    payload = violation_json(view, status_at(view, None, row["issued_at"])) | {"creator_id": row.get("creator_id"), "content_id": row.get("content_id")}
    return "violation.issued", payload, ("violation", row["violation_id"])


def _revocation(row: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, str]]:
    keep = ("violation_id", "shop_id", "creator_id", "revoked_at", "reason", "revoked_by")
    return "violation.revoked", {k: row.get(k) for k in keep}, ("revocation", row["violation_id"])


def _decision(row: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[str, str]]:
    keep = ("violation_id", "shop_id", "creator_id", "outcome", "reason", "decided_at", "decided_by")
    return "appeal.decided", {"id": row["appeal_id"], "status": row["outcome"]} | {k: row.get(k) for k in keep}, ("decision", row["appeal_id"])


_EVENT = {"violation": _violation, "revocation": _revocation, "decision": _decision}


def _ident(e: Event) -> tuple[str, str] | None:
    if isinstance(e, ViolationIssued):
        return ("violation", e.violation_id)
    if isinstance(e, ViolationRevoked):
        return ("revocation", e.violation_id)
    if isinstance(e, AppealDecided):
        return ("decision", e.appeal_id)
    return None


def _standing_changes(ctx: Context, shop_id: str, new: set[tuple[str, str]], at: datetime,
                      read: tuple[str | None, list[Event]]) -> list[tuple[str, str, dict[str, Any]]]:
    """The (kind, key, payload) of the shop's sanction and notice events this transaction causes."""
    policy_id, ledger = read
    pack = ctx.packs.get(policy_id) if policy_id else None
    if pack is None:
        return []
    after = fold(pack, ledger, at)
    before = fold(pack, [e for e in ledger if _ident(e) not in new], at)
    return [(kind, shop_id, payload) for kind, payload in changes(shop_id, before, after)]


def changes(shop_id: str, before: Standing, after: Standing) -> list[tuple[str, dict[str, Any]]]:
    """The sanction and notice events between two standings of one shop at one instant."""
    was = {x.id: x for x in before.sanctions}
    now = {x.id: x for x in after.sanctions}
    out = [("sanction.started", _sanction(shop_id, x, after.at)) for i, x in now.items() if i not in was]
    out += [("sanction.lifted", _sanction(shop_id, x, after.at)) for i, x in was.items() if i not in now]
    sent = {n.id for n in before.notices}
    out += [("notice.sent", _notice(shop_id, n)) for n in after.notices if n.id not in sent]
    return out


def _sanction(shop_id: str, x: SanctionInstance, at: datetime) -> dict[str, Any]:
    return {"id": x.id, "shop_id": shop_id, "kind": x.kind, "threshold": x.threshold, "point_class": x.point_class,
            "level": x.level, "starts_at": x.starts_at, "ends_at": x.ends_at, "at": at}


def _notice(shop_id: str, n: NoticeDue) -> dict[str, Any]:
    return {"id": n.id, "shop_id": shop_id, "kind": n.kind, "sent_at": n.sent_at, "rule": n.rule, "violation_id": n.violation_id,
            "params": {k: v for k, v in n.params}}
