"""Keys and roles: keys are stored as SHA-256 digests; every permission is decided here, in one table."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from shopwarden.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from shopwarden.service.context import Context
from shopwarden.store import events, keys, shops, web_sessions
from shopwarden.store.db import Database
from shopwarden.store.keys import ApiKey

ROLES = ("platform", "operator", "seller")

# action -> roles allowed. A seller is further confined to its own shop (`require`).
PERMISSIONS: dict[str, frozenset[str]] = {
    "shop.write": frozenset({"platform"}),
    "shop.read": frozenset(ROLES),
    "policy.read": frozenset(ROLES),
    "violation.issue": frozenset({"platform", "operator"}),
    "violation.read": frozenset(ROLES),
    "violation.revoke": frozenset({"platform", "operator"}),
    "appeal.file": frozenset({"platform", "seller"}),
    "appeal.decide": frozenset({"platform", "operator"}),
    "appeal.queue": frozenset({"platform", "operator"}),
    "backdate": frozenset({"platform"}),
    "scan": frozenset(ROLES),
    "product.write": frozenset({"platform", "seller"}),
    "product.read": frozenset(ROLES),
    "message.write": frozenset({"platform"}),
    "case.read": frozenset({"platform", "operator"}),
    "case.decide": frozenset({"platform", "operator"}),
    "declaration.write": frozenset({"platform", "seller"}),
    "brand.write": frozenset({"platform", "operator"}),
    "brand.read": frozenset(ROLES),
    "qualification.file": frozenset({"platform", "seller"}),
    "qualification.review": frozenset({"platform", "operator"}),
    "rectification.sweep": frozenset({"platform"}),
    "image.upload": frozenset(ROLES),
    "image.read": frozenset(ROLES),
    "image.protect": frozenset({"platform", "operator"}),
    "product.ban": frozenset({"platform", "operator"}),
    "match.dispute": frozenset({"platform", "seller"}),
    "order.write": frozenset({"platform"}),
    "review.write": frozenset({"platform"}),
    "review.read": frozenset(ROLES),
    "shop.identity": frozenset({"platform"}),
    "review_report.file": frozenset({"platform", "seller"}),
    "review_report.read": frozenset(ROLES),
    "review_report.decide": frozenset({"platform", "operator"}),
}


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str
    shop_id: str | None

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(ctx: Context, role: str, shop_id: str | None = None, label: str | None = None) -> str:
    """A new key, returned once as `sw_<id>_<secret>`; only the secret's digest is kept."""
    if role not in ROLES:
        raise InvalidInput.one("role", f"must be one of {', '.join(ROLES)}")
    if (role == "seller") != (shop_id is not None):
        raise InvalidInput.one("shop", "a seller key needs --shop; other roles take none")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    with ctx.db.transaction() as s:
        if shop_id is not None and shops.get(s, shop_id) is None:
            raise InvalidInput.one("shop", f"unknown shop {shop_id!r}")
        keys.add(s, ApiKey(key_id=key_id, secret_sha256=_digest(secret), role=role, shop_id=shop_id, label=label, created_at=ctx.clock(), revoked_at=None))
    return f"sw_{key_id}_{secret}"


# Revocation is immediate, in every process. A verified key is kept (token -> principal) only on an
# SQLite file, and only while `PRAGMA data_version` says no connection anywhere has committed since
# it was verified (`events.Commits`: ~2 µs a request); any commit, a revocation among them, makes the
# next request read the key's row again (one primary-key read, ~30 µs). PostgreSQL cannot tell, so
# there every request reads the key's row (~0.2 ms on a local server; a health read takes ~2 ms).
class _Verified:
    """The keys verified against one database, with the commit counter that keeps them honest."""

    MAX_KEYS = 10_000

    def __init__(self, db: Database):
        self.commits = events.Commits(db.engine) if events.Commits.supported(db.engine) else None
        self.held: dict[str, tuple[int, Principal]] = {}

    def version(self) -> int | None:
        return self.commits.version() if self.commits is not None else None


_verified: WeakKeyDictionary[Database, _Verified] = WeakKeyDictionary()
_verified_lock = threading.Lock()


def _verified_of(db: Database) -> _Verified:
    cache = _verified.get(db)
    if cache is None:
        with _verified_lock:
            cache = _verified.get(db) or _verified.setdefault(db, _Verified(db))
    return cache


def authenticate(ctx: Context, token: str | None) -> Principal:
    if not token:
        raise Unauthorized("no key: send 'Authorization: Bearer <key>' (make one with `shopwarden keys create`)")
    cache = _verified_of(ctx.db)
    version = cache.version()  # read before the key's row: a revocation after it changes it
    if version is not None:
        hit = cache.held.get(token)
        if hit is not None and hit[0] == version:
            return hit[1]
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sw" or not parts[1] or not parts[2]:
        raise Unauthorized("malformed key")
    row = keys.lookup(ctx.db.engine, parts[1])
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.secret_sha256, _digest(parts[2])):
        raise Unauthorized("unknown or revoked key")
    principal = Principal(parts[1], row.role, row.shop_id)
    if version is not None:
        if len(cache.held) >= cache.MAX_KEYS:
            cache.held.clear()
        cache.held[token] = (version, principal)
    return principal


def revoke_key(ctx: Context, key_id: str) -> int:
    """Revoke a key and end its page sessions, in one transaction; how many sessions were open.
    The key is refused from the next request on, in every process (`authenticate`)."""
    with ctx.db.transaction() as s:
        row = keys.get(s, key_id)
        if row is None:
            raise NotFound(f"no key {key_id!r}")
        if row.revoked_at is not None or not keys.revoke(s, key_id, ctx.clock()):
            raise Conflict(f"key {key_id!r} is already revoked")
        return web_sessions.end_of_key(s, key_id, ctx.clock(), web_sessions.KEY_REVOKED)


def require(principal: Principal, action: str, shop_id: str | None = None) -> None:
    """The one place roles are enforced: the role must hold `action`, and a seller only its own shop."""
    if not principal.may(action):
        raise Forbidden(f"role {principal.role!r} may not {action}")
    if principal.role == "seller" and shop_id is not None and shop_id != principal.shop_id:
        raise Forbidden("a seller key reaches its own shop only")
