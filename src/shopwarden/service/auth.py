"""Keys and roles: keys are stored as SHA-256 digests; every permission is decided here, in one table."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

from shopwarden.errors import Forbidden, InvalidInput, Unauthorized
from shopwarden.service.context import Context
from shopwarden.store import keys, shops
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
    "after_sale.write": frozenset({"platform"}),
    "complaint.write": frozenset({"platform"}),
    "experience.read": frozenset(ROLES),
    "experience.determine": frozenset({"platform", "operator"}),
}


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str
    shop_id: str | None
    db_url: str | None = field(default=None, compare=False, repr=False)

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


# Verified keys, briefly: a key is looked up in the database at most once per CACHE_SECONDS.
# A new key is a cache miss, so it works at once; only a revocation may take that long to bite.
CACHE_SECONDS = 5.0
_verified: dict[str, tuple[float, Principal]] = {}


def authenticate(ctx: Context, token: str | None) -> Principal:
    if not token:
        raise Unauthorized("no key: send 'Authorization: Bearer <key>' (make one with `shopwarden keys create`)")
    now = time.monotonic()
    hit = _verified.get(token)
    if hit is not None and now - hit[0] < CACHE_SECONDS and hit[1].db_url == ctx.db.url:
        return hit[1]
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sw" or not parts[1] or not parts[2]:
        raise Unauthorized("malformed key")
    with ctx.db.read() as s:
        row = keys.get(s, parts[1])
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.secret_sha256, _digest(parts[2])):
        raise Unauthorized("unknown or revoked key")
    principal = Principal(row.key_id, row.role, row.shop_id, ctx.db.url)
    if len(_verified) > 10_000:
        _verified.clear()
    _verified[token] = (now, principal)
    return principal


def require(principal: Principal, action: str, shop_id: str | None = None) -> None:
    """The one place roles are enforced: the role must hold `action`, and a seller only its own shop."""
    if not principal.may(action):
        raise Forbidden(f"role {principal.role!r} may not {action}")
    if principal.role == "seller" and shop_id is not None and shop_id != principal.shop_id:
        raise Forbidden("a seller key reaches its own shop only")
