"""An operator's decision of an open item (a review case, a review report): the steps every one
shares. The caller may decide; the decision has its time (`decided_at`, or now); it is read and
written in one transaction; an unknown item is 404; and a decision is final once written: a second
one, or one that lost the race to a concurrent one, is refused (AlreadyDecided, with the item's rule)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.errors import AlreadyDecided, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time


@dataclass(frozen=True)
class Decidable:
    """A kind of item: its name in refusals ("case", "report"), in a 404 ("review report"), the
    rule that makes its decision final, and how it is read: (item, its decision or None), or None."""

    name: str
    unknown: str
    rule: str
    read: Callable[[Session, str], tuple[Any, Any] | None]

    def already(self, item_id: str, done: Any) -> AlreadyDecided:
        return AlreadyDecided(f"{self.name} {item_id} was already decided ({done.outcome} at {done.decided_at.isoformat()})", rule=self.rule)

    def lost_race(self, item_id: str) -> AlreadyDecided:
        """A concurrent decision was written first; this one's effects roll back with the transaction."""
        return AlreadyDecided(f"{self.name} {item_id} was decided by a concurrent request; a decision is final", rule=self.rule)


@dataclass(frozen=True)
class Open:
    session: Session
    item: Any
    decided_at: datetime


@contextmanager
def deciding(ctx: Context, principal: Principal, action: str, kind: Decidable, item_id: str, decided_at: datetime | None) -> Iterator[Open]:
    """The undecided item, in the decision's transaction (committed when the block ends); it is
    decided at `decided_at` (a platform's past instant), or now."""
    require(principal, action)
    at = event_time(ctx, principal, decided_at, "decided_at")
    with ctx.db.transaction() as s:
        found = kind.read(s, item_id)
        if found is None:
            raise NotFound.no(kind.unknown, item_id)
        item, done = found
        if done is not None:
            raise kind.already(item_id, done)
        yield Open(s, item, at)
