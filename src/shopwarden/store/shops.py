"""Shops: the one mutable record (name, kind, pack); their standing is derived from the ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


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


def upsert(session: Session, shop_id: str, name: str, kind: str, policy_id: str, now: datetime) -> tuple[Shop, bool]:
    shop = session.get(Shop, shop_id)
    if shop is None:
        shop = Shop(shop_id=shop_id, name=name, kind=kind, policy_id=policy_id, created_at=now, updated_at=now)
        session.add(shop)
        return shop, True
    if (shop.name, shop.kind, shop.policy_id) != (name, kind, policy_id):
        shop.name, shop.kind, shop.policy_id, shop.updated_at = name, kind, policy_id, now
    return shop, False


def upsert_many(session: Session, rows: list[dict], now: datetime) -> None:
    """Bulk path for imports: new shops in one executemany, changed ones updated one by one."""
    if not rows:
        return
    latest = {r["shop_id"]: r for r in rows}
    table = Shop.__table__
    existing = {
        r.shop_id: r for r in session.execute(select(table.c.shop_id, table.c.name, table.c.kind, table.c.policy_id).where(table.c.shop_id.in_(list(latest))))
    }
    fresh = [dict(r, created_at=now, updated_at=now) for sid, r in latest.items() if sid not in existing]
    if fresh:
        session.connection().execute(table.insert(), fresh)
    for sid, r in latest.items():
        old = existing.get(sid)
        if old is not None and (old.name, old.kind, old.policy_id) != (r["name"], r["kind"], r["policy_id"]):
            session.execute(table.update().where(table.c.shop_id == sid).values(name=r["name"], kind=r["kind"], policy_id=r["policy_id"], updated_at=now))


def policy_ids(session: Session, shop_ids: list[str]) -> dict[str, str]:
    rows = session.execute(select(Shop.shop_id, Shop.policy_id).where(Shop.shop_id.in_(shop_ids)))
    return {r.shop_id: r.policy_id for r in rows}


def count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Shop)) or 0


def lock(session: Session, shop_id: str) -> Shop | None:
    """The shop row, locked on PostgreSQL until commit (SQLite serialises writers anyway)."""
    return session.scalar(select(Shop).where(Shop.shop_id == shop_id).with_for_update())


def under_policies(session: Session, policy_ids: list[str]) -> list[str]:
    """The ids of the shops under these policies, in order."""
    return list(session.scalars(select(Shop.shop_id).where(Shop.policy_id.in_(policy_ids)).order_by(Shop.shop_id)))
