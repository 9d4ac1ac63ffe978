"""Keys and roles: keys are stored as SHA-256 digests; every permission is decided here, in one table."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Collection
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from shopwarden.errors import Code, Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from shopwarden.service.context import Context
from shopwarden.store import creators, events, keys, shops, web_sessions
from shopwarden.store.db import Database
from shopwarden.store.keys import ApiKey

ROLES = ("platform", "operator", "seller", "creator")
_SHOP_SIDE = ("platform", "operator", "seller")  # every role but a creator's, which reaches only its own account

# action -> roles allowed. A seller is further confined to its own shop, a creator to its own
# account (`require`).
PERMISSIONS: dict[str, frozenset[str]] = {
    "shop.write": frozenset({"platform"}),
    "shop.read": frozenset(_SHOP_SIDE),
    "policy.read": frozenset(ROLES),
    "violation.issue": frozenset({"platform", "operator"}),
    "violation.read": frozenset(ROLES),
    "violation.revoke": frozenset({"platform", "operator"}),
    "appeal.file": frozenset({"platform", "seller", "creator"}),
    "appeal.decide": frozenset({"platform", "operator"}),
    "appeal.queue": frozenset({"platform", "operator"}),
    "backdate": frozenset({"platform"}),
    "scan": frozenset(_SHOP_SIDE),
    "product.write": frozenset({"platform", "seller"}),
    "product.read": frozenset(_SHOP_SIDE),
    "message.write": frozenset({"platform"}),
    "case.read": frozenset({"platform", "operator"}),
    "case.decide": frozenset({"platform", "operator"}),
    "declaration.write": frozenset({"platform", "seller"}),
    "brand.write": frozenset({"platform", "operator"}),
    "brand.read": frozenset(_SHOP_SIDE),
    "qualification.file": frozenset({"platform", "seller"}),
    "qualification.review": frozenset({"platform", "operator"}),
    "rectification.sweep": frozenset({"platform"}),
    "image.upload": frozenset(_SHOP_SIDE),
    "image.read": frozenset(_SHOP_SIDE),
    "image.protect": frozenset({"platform", "operator"}),
    "product.ban": frozenset({"platform", "operator"}),
    "match.dispute": frozenset({"platform", "seller"}),
    "order.write": frozenset({"platform"}),
    "review.write": frozenset({"platform"}),
    "review.read": frozenset(_SHOP_SIDE),
    "shop.identity": frozenset({"platform"}),
    "review_report.file": frozenset({"platform", "seller"}),
    "review_report.read": frozenset(_SHOP_SIDE),
    "review_report.decide": frozenset({"platform", "operator"}),
    "creator.write": frozenset({"platform"}),
    "creator.read": frozenset({"platform", "operator", "creator"}),
    "creator.credit": frozenset({"platform"}),
    "content.write": frozenset({"platform"}),
    "content.read": frozenset({"platform", "operator", "creator"}),
    "after_sale.write": frozenset({"platform"}),
    "complaint.write": frozenset({"platform"}),
    "experience.read": frozenset(_SHOP_SIDE),
    "experience.determine": frozenset({"platform", "operator"}),
    "policy.simulate": frozenset({"platform", "operator"}),
    "statement.read": frozenset(ROLES),  # a seller its own shop's, a creator its own (service/statements.py)
    "statement.export": frozenset({"platform", "operator"}),
    "notice.file": frozenset({"platform"}),  # DSA Art. 16: the platform relays notices (its form, a rights owners' portal)
    "notice.read": frozenset(ROLES),  # a seller its own shop's, a creator its own (service/notices.py)
    "notice.decide": frozenset({"platform", "operator"}),
    "notice.counter": frozenset({"platform", "seller", "creator"}),  # E-Commerce Law art. 43
    "notice.trust": frozenset({"platform"}),  # DSA Art. 22: a status a Digital Services Coordinator awards
    "notice.trust_revoke": frozenset({"platform", "operator"}),  # DSA Art. 22(6)-(7): recorded by an operator
    "notice.trust_read": frozenset({"platform", "operator"}),
    "complaint.file": frozenset({"platform", "seller", "creator"}),  # DSA Art. 20: the platform relays a notifier's
    "complaint.read": frozenset(ROLES),  # a seller its own shop's, a creator its own (service/internal_complaints.py)
    "complaint.decide": frozenset({"platform", "operator"}),  # DSA Art. 20(6): a person decides (service/internal_complaints.py)
    "transparency.read": frozenset({"platform", "operator"}),  # DSA Art. 24
    "webhook.manage": frozenset({"platform", "operator"}),  # API.md: the platform registers; operators may too (issue 20)
}


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str
    shop_id: str | None
    creator_id: str | None = None  # a creator key's own account

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(ctx: Context, role: str, shop_id: str | None = None, label: str | None = None, creator_id: str | None = None) -> str:
    """A new key, returned once as `sw_<id>_<secret>`; only the secret's digest is kept."""
    if role not in ROLES:
        raise InvalidInput.one("role", f"must be one of {', '.join(ROLES)}", Code.ONE_OF, allowed=list(ROLES))
    if (role == "seller") != (shop_id is not None):
        raise InvalidInput.one("shop", "a seller key needs --shop; other roles take none")
    if (role == "creator") != (creator_id is not None):
        raise InvalidInput.one("creator", "a creator key needs --creator; other roles take none")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    with ctx.db.transaction() as s:
        if shop_id is not None and shops.get(s, shop_id) is None:
            raise InvalidInput.one("shop", f"unknown shop {shop_id!r}")
        if creator_id is not None and creators.get(s, creator_id) is None:
            raise InvalidInput.one("creator", f"unknown creator {creator_id!r}; create it first with PUT /v1/creators/{{creator_id}}")
        keys.add(s, ApiKey(key_id=key_id, secret_sha256=_digest(secret), role=role, shop_id=shop_id, creator_id=creator_id, label=label,
                           created_at=ctx.clock(), revoked_at=None))
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
    principal = Principal(parts[1], row.role, row.shop_id, row.creator_id)
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
            raise NotFound.no("key", key_id)
        if row.revoked_at is not None or not keys.revoke(s, key_id, ctx.clock()):
            raise Conflict(f"key {key_id!r} is already revoked")
        return web_sessions.end_of_key(s, key_id, ctx.clock(), web_sessions.KEY_REVOKED)


def require(principal: Principal, action: str, shop_id: str | None = None, creator_id: str | None = None, *,
            owners: Collection[str] | None = None) -> None:
    """The one place roles are enforced: the role must hold `action`, a seller only its own shop,
    a creator only its own account (never a shop's data). `owners`, for a record that belongs to
    some shops (an image: every shop that uploaded it), or to none: a seller's shop must be among them."""
    if not principal.may(action):
        raise Forbidden(f"role {principal.role!r} may not {action}", Code.ROLE_MAY_NOT, {"role": principal.role, "action": action})
    if principal.role == "seller" and (creator_id is not None or (shop_id is not None and shop_id != principal.shop_id)):
        raise Forbidden("a seller key reaches its own shop only", Code.OWN_SHOP_ONLY)
    if principal.role == "seller" and owners is not None and principal.shop_id not in owners:
        raise Forbidden("a seller key reaches its own shop's records only")
    if principal.role == "creator" and (shop_id is not None or (creator_id is not None and creator_id != principal.creator_id)):
        raise Forbidden("a creator key reaches its own creator account only")
