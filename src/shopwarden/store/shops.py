"""Shops: the one mutable record (name, kind, pack); their standing is derived from the ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, table_of


class Shop(Base):
    __tablename__ = "shops"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    policy_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def get(session: Session, shop_id: str) -> Shop | None:
    return session.get(Shop, shop_id)


def get_many(session: Session, shop_ids: list[str]) -> dict[str, Shop]:
    """The shops of `shop_ids` that exist, by id, in one query."""
    if not shop_ids:
        return {}
    return {s.shop_id: s for s in session.scalars(select(Shop).where(Shop.shop_id.in_(set(shop_ids))))}


def upsert(session: Session, shop_id: str, name: str, kind: str, policy_id: str, now: datetime) -> tuple[Shop, bool]:
    shop = session.get(Shop, shop_id)
    if shop is None:
        shop = Shop(shop_id=shop_id, name=name, kind=kind, policy_id=policy_id, created_at=now, updated_at=now)
        session.add(shop)
        return shop, True
    if (shop.name, shop.kind, shop.policy_id) != (name, kind, policy_id):
        shop.name, shop.kind, shop.policy_id, shop.updated_at = name, kind, policy_id, now
    return shop, False


def policy_of(session: Session, shop_id: str) -> str | None:
    """The shop's policy id (None: no such shop), through the driver: a page's first look."""
    from shopwarden.store.db import driver_rows

    rows = driver_rows(session, "SELECT policy_id FROM shops WHERE shop_id = {p}", [shop_id])
    return rows[0][0] if rows else None


def contents(session: Session, shop_ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """(name, kind, policy_id) of those of `shop_ids` that exist, in one query: the importer's duplicate check."""
    if not shop_ids:
        return {}
    c = Shop.__table__.c
    rows = session.execute(select(c.shop_id, c.name, c.kind, c.policy_id).where(c.shop_id.in_(shop_ids)))
    return {r.shop_id: (r.name, r.kind, r.policy_id) for r in rows}


def insert_many(session: Session, rows: list[dict], now: datetime) -> None:
    """Bulk path for imports: new shops in one executemany (the importer never overwrites one)."""
    if rows:
        session.connection().execute(table_of(Shop).insert(), [dict(r, created_at=now, updated_at=now) for r in rows])


def policy_ids(session: Session, shop_ids: list[str]) -> dict[str, str]:
    rows = session.execute(select(Shop.shop_id, Shop.policy_id).where(Shop.shop_id.in_(shop_ids)))
    return {r.shop_id: r.policy_id for r in rows}


def count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Shop)) or 0


def lock(session: Session, shop_id: str) -> Shop | None:
    """The shop row, held until the transaction ends, so that use cases counting the shop's records
    (RV-4 decisions, a day's orders under a limit) run one after the other. PostgreSQL: a row lock.
    SQLite takes no row locks, and its driver begins a transaction only at the first write, so reads
    before it see no lock at all: a no-op UPDATE takes the database's one write lock here instead."""
    if session.get_bind().dialect.name == "sqlite":
        c = Shop.__table__.c
        session.execute(table_of(Shop).update().where(c.shop_id == shop_id).values(shop_id=c.shop_id))
    return session.scalar(select(Shop).where(Shop.shop_id == shop_id).with_for_update())


def under_policies(session: Session, policy_ids: list[str]) -> list[str]:
    """The ids of the shops under these policies, in order."""
    return list(session.scalars(select(Shop.shop_id).where(Shop.policy_id.in_(policy_ids)).order_by(Shop.shop_id)))
