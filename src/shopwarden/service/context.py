"""What every use case runs with: the database, the loaded packs and a clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force
from shopwarden.errors import InvalidInput, NotFound
from shopwarden.store.db import Database


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    db: Database
    packs: dict[str, PolicyPack]
    clock: Callable[[], datetime] = field(default=system_clock)
    # Where heavy analysis (service/analysis.py) runs: "local", a background thread of the process that
    # asked for it (the embedded default), or "nats", workers fed by JetStream (`shopwarden work`).
    work: str = field(default_factory=lambda: os.environ.get("SHOPWARDEN_WORK", "local"))

    def __post_init__(self) -> None:
        from shopwarden.store import (
            subject_locks,  # first: the hooks below fold ledgers no concurrent writer is changing
        )

        self.db.before_commit["subject_locks"] = subject_locks.lock_written

        from shopwarden.service import statements  # statements of reasons are written with the measures (DSA Art. 17)

        statements.install(self)

        from shopwarden.service import outbox_events  # the outbox hook builds on this module

        outbox_events.install(self)

    def pack(self, policy_id: str) -> PolicyPack:
        """The version of the pack in force now (`core.policy.versions`); it knows its other versions,
        so a fold over it judges each instant by the version in force then."""
        pack = self.packs.get(policy_id)
        if pack is None:
            raise NotFound(f"policy {policy_id!r} is not loaded; loaded: {', '.join(sorted(self.packs))}")
        return in_force(pack, self.clock())

    def check_policy(self, field_name: str, policy_id: str) -> PolicyPack:
        pack = self.packs.get(policy_id)
        if pack is None:
            raise InvalidInput.one(field_name, f"unknown policy {policy_id!r}; allowed: {', '.join(sorted(self.packs))}")
        return in_force(pack, self.clock())


def open_context(url: str | None = None, packs: dict[str, PolicyPack] | None = None, migrate: bool = True) -> Context:
    """`packs` default: the shipped packs and every pack file in $SHOPWARDEN_PACKS (a folder; further
    versions of a shipped pack scheduled by their `effective_from`, or packs of their own)."""
    from shopwarden.service.policies import load_packs

    if packs is None:
        packs = load_packs(os.environ.get("SHOPWARDEN_PACKS") or None)
    db = Database(url)
    if migrate:
        db.upgrade()
    return Context(db=db, packs=packs)
