"""Page sessions, kept on the server: signing in with a pasted key opens one; every page request
resumes it, which ends it once it has been idle too long, has outlived its absolute lifetime or its
key is revoked; signing out ends it. A cookie copied before any of these opens nothing afterwards.

The caller holds only the session's random id (the page cookie); the database keeps its SHA-256
digest (store/web_sessions.py), so a read of the table gives no usable session.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from shopwarden.errors import InvalidInput, Unauthorized
from shopwarden.service.auth import Principal, authenticate
from shopwarden.service.context import Context
from shopwarden.store import keys, web_sessions
from shopwarden.store.web_sessions import EXPIRED, IDLE, KEY_REVOKED, REPLACED, SIGNED_OUT, Found

IDLE_ENV, ABSOLUTE_ENV = "SHOPWARDEN_SESSION_IDLE_MINUTES", "SHOPWARDEN_SESSION_ABSOLUTE_HOURS"
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Lifetimes:
    """How long a page session lasts: `idle` since its last recorded request, `absolute` since sign-in."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)

    @property
    def touch(self) -> timedelta:
        """`last_seen_at` is written only when older than this (a write per page view otherwise), so
        a session may be judged idle up to this much early."""
        return min(TOUCH_EVERY, self.idle / 4)

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Lifetimes:
        """SHOPWARDEN_SESSION_IDLE_MINUTES (default 30) and SHOPWARDEN_SESSION_ABSOLUTE_HOURS (default 12)."""
        d = cls()
        return cls(idle=_positive(env, IDLE_ENV, "minutes", d.idle), absolute=_positive(env, ABSOLUTE_ENV, "hours", d.absolute))


def _positive(env: Mapping[str, str], name: str, unit: str, default: timedelta) -> timedelta:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        raise InvalidInput.one(name, f"must be a positive number of {unit}, not {raw!r}")
    return timedelta(**{unit: value})


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    session_id: str  # for the cookie only: never stored, never logged


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def sign_in(ctx: Context, pasted: str, replacing: str | None = None) -> SignedIn:
    """A new session for a pasted key (`sw_<id>_<secret>`); Unauthorized when it matches nothing.
    The session the browser held before (`replacing`), if any, ends: a sign-in never keeps an old id."""
    principal = authenticate(ctx, (pasted or "").strip() or None)
    session_id, now = secrets.token_urlsafe(32), ctx.clock()
    with ctx.db.transaction() as s:
        if replacing:
            web_sessions.end(s, _digest(replacing), now, REPLACED)
        web_sessions.open_session(s, _digest(session_id), principal.key_id, now)
    return SignedIn(principal, session_id)


def resume(ctx: Context, session_id: str, lifetimes: Lifetimes) -> Principal:
    """The principal of an open session, which this request keeps alive; Unauthorized (and the
    session ended, with why) once it is over. One indexed read; a write at most once per `touch`."""
    digest = _digest(session_id)
    found = web_sessions.find(ctx.db.engine, digest)
    if found is None or found.ended_at is not None:
        raise Unauthorized("this page session has ended; sign in again")
    now = ctx.clock()
    reason = why_over(found, now, lifetimes)
    if reason is not None:
        with ctx.db.transaction() as s:
            web_sessions.end(s, digest, now, reason)
        raise Unauthorized("this page session has ended; sign in again")
    if now - found.last_seen_at >= lifetimes.touch:
        with ctx.db.transaction() as s:
            web_sessions.touch(s, digest, now)
    return Principal(found.key_id, found.role, found.shop_id, found.creator_id)


def why_over(found: Found, now: datetime, lifetimes: Lifetimes) -> str | None:
    """Why an open session can serve no more requests at `now`, or None while it can."""
    if found.key_revoked_at is not None:
        return KEY_REVOKED
    if now - found.created_at >= lifetimes.absolute:
        return EXPIRED
    if now - found.last_seen_at >= lifetimes.idle:
        return IDLE
    return None


def sign_out(ctx: Context, session_id: str) -> None:
    """End the session on the server: its cookie, wherever copied, opens nothing any more."""
    with ctx.db.transaction() as s:
        web_sessions.end(s, _digest(session_id), ctx.clock(), SIGNED_OUT)


def labels(ctx: Context, key_ids: set[str]) -> dict[str, str]:
    """A readable name per key id (its label, else the id), for 'claimed by …' and 'decided by …'."""
    out = {}
    with ctx.db.read() as s:
        for key_id in key_ids:
            row = keys.get(s, key_id)
            out[key_id] = f"{row.label} ({key_id})" if row is not None and row.label else key_id
    return out
