"""Page sessions kept on the server: one row per sign-in, found by the SHA-256 digest of the
random session id the cookie carries (the id itself is never stored).

Not a ledger: a row is opened at sign-in, its `last_seen_at` moved forward now and then, and it
is ended once (signed out, idle, past its lifetime, its key revoked, replaced by a new sign-in).
Ending is a conditional write (`ended_at IS NULL`), so two requests racing end it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, rowcount
from shopwarden.store.keys import ApiKey

# Why a session ended (`ended_reason`).
SIGNED_OUT, IDLE, EXPIRED, KEY_REVOKED, REPLACED = "signed_out", "idle", "expired", "key_revoked", "replaced"


class WebSession(Base):
    __tablename__ = "web_sessions"

    session_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), ForeignKey("api_keys.key_id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)


@dataclass(frozen=True, slots=True)
class Found:
    """A session row with what its key says now."""

    key_id: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    role: str
    shop_id: str | None
    key_revoked_at: datetime | None
    creator_id: str | None = None


_FIND = (
    select(WebSession.key_id, WebSession.created_at, WebSession.last_seen_at, WebSession.ended_at, ApiKey.role, ApiKey.shop_id, ApiKey.revoked_at, ApiKey.creator_id)
    .join(ApiKey, ApiKey.key_id == WebSession.key_id)
)


def find(engine: Engine, digest: str) -> Found | None:
    """One indexed read (primary key, joined to the key's row): every page request makes it."""
    with engine.connect() as c:
        row = c.execute(_FIND.where(WebSession.session_sha256 == digest)).first()
    return None if row is None else Found(*row)


def open_session(session: Session, digest: str, key_id: str, at: datetime) -> None:
    session.add(WebSession(session_sha256=digest, key_id=key_id, created_at=at, last_seen_at=at, ended_at=None, ended_reason=None))


def touch(session: Session, digest: str, at: datetime) -> None:
    c = WebSession.__table__.c
    session.execute(update(WebSession).where(c.session_sha256 == digest, c.ended_at.is_(None), c.last_seen_at < at).values(last_seen_at=at))


def end(session: Session, digest: str, at: datetime, reason: str) -> bool:
    c = WebSession.__table__.c
    q = update(WebSession).where(c.session_sha256 == digest, c.ended_at.is_(None)).values(ended_at=at, ended_reason=reason)
    return rowcount(session.execute(q)) == 1


def end_of_key(session: Session, key_id: str, at: datetime, reason: str) -> int:
    """End every open session of a key; how many were open."""
    c = WebSession.__table__.c
    q = update(WebSession).where(c.key_id == key_id, c.ended_at.is_(None)).values(ended_at=at, ended_reason=reason)
    return rowcount(session.execute(q))
