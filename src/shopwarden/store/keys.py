"""API keys: only a SHA-256 digest of the secret is stored; the key itself is shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, rowcount


class ApiKey(Base):
    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a creator key's own account (0016)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


def add(session: Session, key: ApiKey) -> None:
    session.add(key)


def get(session: Session, key_id: str) -> ApiKey | None:
    return session.get(ApiKey, key_id)


_LOOKUP = select(ApiKey.secret_sha256, ApiKey.role, ApiKey.shop_id, ApiKey.revoked_at, ApiKey.creator_id)


def lookup(engine: Engine, key_id: str) -> Row | None:
    """(secret_sha256, role, shop_id, revoked_at, creator_id) of a key: one primary-key read on a pooled
    connection, without an ORM session (about a fifth of `get`'s cost; `auth.authenticate`)."""
    with engine.connect() as c:
        return c.execute(_LOOKUP.where(ApiKey.key_id == key_id)).first()


def revoke(session: Session, key_id: str, at: datetime) -> bool:
    """Revoke a key that is not revoked yet; False when it is unknown or already revoked."""
    q = update(ApiKey).where(ApiKey.key_id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=at)
    return rowcount(session.execute(q)) == 1
