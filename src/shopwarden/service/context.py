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

# The before-commit hooks every context installs after the subject locks, in this order: statements of
# reasons (DSA Art. 17) are written with the measures, then the outbox rows, which read the ledgers the
# statements' hook already folded. Each module that owns a hook registers it (`commit_hook`); the
# package imports them (service/__init__.py), so no context is made without them.
COMMIT_HOOKS = ("statements", "outbox")
_installers: dict[str, Callable[[Context], None]] = {}


def commit_hook(name: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register `install(ctx)` as the commit hook `name` (one of COMMIT_HOOKS, once)."""
    if name not in COMMIT_HOOKS:
        raise ValueError(f"unknown commit hook {name!r}; allowed: {', '.join(COMMIT_HOOKS)}")

    def register(install: Callable[[Context], None]) -> Callable[[Context], None]:
        kept = _installers.get(name)
        if kept is not None and (kept.__module__, kept.__qualname__) != (install.__module__, install.__qualname__):
            raise ValueError(f"commit hook {name!r} is already registered by {kept.__module__}")
        _installers[name] = install
        return install

    return register


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
        missing = [name for name in COMMIT_HOOKS if name not in _installers]
        if missing:
            raise RuntimeError(f"commit hooks not registered: {', '.join(missing)} (service/__init__.py imports their modules)")
        for name in COMMIT_HOOKS:
            _installers[name](self)

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
