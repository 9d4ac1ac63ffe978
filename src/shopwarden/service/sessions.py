"""Page sign-in: a pasted key becomes a principal, and a page session remembers only the key's id.

The session is checked against the key's row on every request (cached briefly, as keys are in
`auth.authenticate`), so revoking a key signs its page sessions out too.
"""

from __future__ import annotations

import time

from shopwarden.errors import Unauthorized
from shopwarden.service.auth import CACHE_SECONDS, Principal, authenticate
from shopwarden.service.context import Context
from shopwarden.store import keys

_known: dict[tuple[str, str], tuple[float, Principal]] = {}


def sign_in(ctx: Context, pasted: str) -> Principal:
    """The principal of a pasted key (`sw_<id>_<secret>`); Unauthorized when it matches nothing."""
    return authenticate(ctx, (pasted or "").strip() or None)


def principal_of(ctx: Context, key_id: str) -> Principal:
    """The principal a session's key id stands for, while the key exists and is not revoked."""
    now = time.monotonic()
    hit = _known.get((ctx.db.url, key_id))
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    with ctx.db.read() as s:
        row = keys.get(s, key_id)
    if row is None or row.revoked_at is not None:
        raise Unauthorized("the key this session was signed in with is unknown or revoked; sign in again")
    principal = Principal(row.key_id, row.role, row.shop_id, ctx.db.url, row.creator_id)
    if len(_known) > 10_000:
        _known.clear()
    _known[(ctx.db.url, key_id)] = (now, principal)
    return principal


def labels(ctx: Context, key_ids: set[str]) -> dict[str, str]:
    """A readable name per key id (its label, else the id), for 'claimed by …' and 'decided by …'."""
    out = {}
    with ctx.db.read() as s:
        for key_id in key_ids:
            row = keys.get(s, key_id)
            out[key_id] = f"{row.label} ({key_id})" if row is not None and row.label else key_id
    return out
