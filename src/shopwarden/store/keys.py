"""API keys: only a SHA-256 digest of the secret is stored; the key itself is shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


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
