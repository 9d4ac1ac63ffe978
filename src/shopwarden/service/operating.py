"""What the people running shopwarden watch: the operator queues (open items, the oldest's age,
appeals past their decision SLA) read at scrape time, and readiness (the database, and NATS where
configured, answer).

Cheap by construction, as a scrape runs every 15-60 s: the queues are counted on the open-items
index (what is open, not everything ever decided), and only appeals older than the shortest SLA in
calendar days (N working days are never fewer than N calendar days) have their exact deadline
worked out (DY-APL-1), at most SLA_CANDIDATES of them.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from shopwarden.core.appeals import decision_deadline
from shopwarden.service.context import Context
from shopwarden.store import open_items
from shopwarden.store.appeals import Appeal
from shopwarden.store.creators import CreatorRow
from shopwarden.store.open_items import OpenItem
from shopwarden.store.shops import Shop

SLA_CANDIDATES = 10_000


@dataclass(frozen=True)
class QueueFigures:
    open: dict[str, int]  # queue -> open items
    oldest_seconds: dict[str, float]  # queue -> age of its oldest open item
    sla_breaches: dict[str, int]  # queue -> open items past their decision deadline


def queue_figures(ctx: Context, at: datetime | None = None) -> QueueFigures:
    at = at or ctx.clock()
    with ctx.db.read() as s:
        rows = s.execute(select(OpenItem.kind, func.count(), func.min(OpenItem.opened_at)).group_by(OpenItem.kind)).all()
        breaches = _appeal_breaches(ctx, s, at)
    counts = {kind: 0 for kind in open_items.KINDS} | {kind: n for kind, n, _ in rows}
    oldest = {kind: 0.0 for kind in open_items.KINDS} | {kind: max(0.0, (at - first).total_seconds()) for kind, _, first in rows}
    return QueueFigures(counts, oldest, {"appeal": breaches})


def _appeal_breaches(ctx: Context, s: Session, at: datetime) -> int:
    slas = [p.appeals.decision_sla.max_working_days for p in ctx.packs.values() if p.appeals.decision_sla is not None]
    if not slas:
        return 0
    policy = func.coalesce(Shop.policy_id, CreatorRow.policy_id)
    q = (select(Appeal.filed_at, policy)
         .join(OpenItem, (OpenItem.kind == "appeal") & (OpenItem.item_id == Appeal.appeal_id))
         .outerjoin(Shop, Shop.shop_id == Appeal.shop_id)
         .outerjoin(CreatorRow, CreatorRow.creator_id == Appeal.creator_id)
         .where(OpenItem.opened_at < at - timedelta(days=min(slas)))
         .order_by(OpenItem.opened_at).limit(SLA_CANDIDATES))
    late = 0
    for filed_at, policy_id in s.execute(q):
        pack = ctx.packs.get(policy_id)
        due = decision_deadline(pack, filed_at) if pack is not None else None
        late += due is not None and due < at
    return late


@dataclass(frozen=True)
class Readiness:
    down: dict[str, str]  # what does not answer -> why

    @property
    def ready(self) -> bool:
        return not self.down


def readiness(ctx: Context, nats_url: str | None, timeout: float = 1.0) -> Readiness:
    down = {}
    try:
        with ctx.db.engine.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing here: not ready
        down["database"] = type(exc).__name__
    if nats_url:
        problem = nats_problem(nats_url, timeout)
        if problem:
            down["nats"] = problem
    return Readiness(down)


def nats_problem(url: str, timeout: float) -> str | None:
    """None when a NATS server answers at the first of `url`'s servers: it greets every
    connection with an `INFO {...}` line, so reading that line is the check (no client needed)."""
    first = urlsplit(url.split(",")[0].strip() if "://" in url else f"nats://{url}")
    try:
        with socket.create_connection((first.hostname or "127.0.0.1", first.port or 4222), timeout=timeout) as sock:
            sock.settimeout(timeout)
            greeting = sock.recv(4)
    except OSError as exc:
        return type(exc).__name__
    return None if greeting == b"INFO" else "no INFO greeting"
