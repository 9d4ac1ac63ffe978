"""After-sales requests and complaints (append-only), and the experience score's counters (DY-QL-1/2).

Counting is incremental and in the same transaction as the input that moves it:
- `experience_marks` (append-only) keeps every change of a count at its exact instant: an order's
  contributions after the input minus before it (`core.quality.counters.change`);
- `experience_days` keeps the same per (shop, product, industry, UTC day, counter) as running sums.
A shop's window at any instant is then its day sums for the days wholly inside plus the marks of
the two boundary days: ≤ window_days + 1 rows per product and counter, never the industry.

Peers (`experience_snapshots`): an industry's distribution for UTC day D is computed from the day
sums of the whole days [D − window, D) for every industry at once, lazily by the first page that
needs day D, and kept. It is a cache with an exact rule: a change counted on day d deletes the
snapshots of the days d < D ≤ d + window, which read it; the next page recomputes them. Only days
up to today are kept (today's snapshot reads only finished days). The trade-off: a page costs one
snapshot read; the first page of a day pays one GROUP BY over the window's day sums (shops ×
industries × counters rows, not orders); peers stand as of the start of the page's day, the shop
itself to the instant. A back-dated input racing a snapshot's computation on PostgreSQL can leave
that snapshot stale until the next input of its window (an accepted, documented gap).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Date, Index, Integer, String, delete, exists, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.core.quality.counters import AfterSale, OrderFacts
from shopwarden.core.quality.window import DayCount, Mark, day_of
from shopwarden.store import noted
from shopwarden.store.base import Base
from shopwarden.store.reviews import OrderRow, ReviewHide, ReviewRow
from shopwarden.store.shops import Shop



class AfterSaleRow(Base):
    __tablename__ = "after_sales"

    after_sale_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    filed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class ComplaintRow(Base):
    __tablename__ = "complaints"

    complaint_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class ExperienceMark(Base):
    __tablename__ = "experience_marks"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str] = mapped_column(String(64))
    industry: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    day: Mapped[date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime]

    __table_args__ = (Index("ix_experience_marks_shop_day", "shop_id", "day"),)


class ExperienceDay(Base):
    __tablename__ = "experience_days"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    industry: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_experience_days_day", "day"),)


class ExperienceSnapshot(Base):
    __tablename__ = "experience_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    industry: Mapped[str] = mapped_column(String(200), primary_key=True)  # "<market>|<industry>"
    body: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime]


class QualityDetermination(Base):
    """A DY-QL-3 determination with its figures and DY-QL-4 measures; its ticket is `violation_id` (appealable, DY-APL-1)."""

    __tablename__ = "quality_determinations"

    determination_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(80))  # "shop:<id>" or "product:<id>"
    rule: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    occurrence: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict] = mapped_column(JSON)
    measures: Mapped[list] = mapped_column(JSON)
    violation_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class FraudFinding(Base):
    """DY-QL-4: an operator's finding of fraud (intent or batch risk) on a determination, with the compensation owed to each buyer affected."""

    __tablename__ = "quality_fraud_findings"

    fraud_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    determination_id: Mapped[str] = mapped_column(String(64), unique=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(4000))
    amount_per_order: Mapped[float]
    compensations: Mapped[list] = mapped_column(JSON)
    found_at: Mapped[datetime]
    found_by: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[str] = mapped_column(String(64))


# ---- after-sales and complaints ----


def get_after_sale(session: Session, after_sale_id: str) -> AfterSaleRow | None:
    return session.get(AfterSaleRow, after_sale_id)


def get_complaint(session: Session, complaint_id: str) -> ComplaintRow | None:
    return session.get(ComplaintRow, complaint_id)


def add(session: Session, row: AfterSaleRow | ComplaintRow) -> None:
    session.add(row)
    session.flush()


def lock_order(session: Session, order_id: str) -> OrderRow | None:
    """The order, locked on PostgreSQL until commit: two inputs of one order are counted one after the other."""
    return session.scalar(select(OrderRow).where(OrderRow.order_id == order_id).with_for_update())


def facts(session: Session, order: OrderRow) -> OrderFacts:
    """The order's DY-QL-1 facts now. A review hidden under RV-6 (a granted report: it was malicious)
    is left out altogether, from its posting on: it should never have counted."""
    hidden = exists(select(ReviewHide.review_id).where(ReviewHide.review_id == ReviewRow.review_id))
    review = session.execute(select(ReviewRow.posted_at, ReviewRow.rating).where(ReviewRow.order_id == order.order_id, ~hidden)).first()
    after = session.execute(select(AfterSaleRow.filed_at, AfterSaleRow.reason).where(AfterSaleRow.order_id == order.order_id)).all()
    complaints = session.scalars(select(ComplaintRow.filed_at).where(ComplaintRow.order_id == order.order_id)).all()
    return OrderFacts(order.ordered_at, order.status, order.paid_at, order.shipped_at, tuple(review) if review else None,
                      tuple(sorted(AfterSale(t, r) for t, r in after)), tuple(sorted(complaints)))


# ---- counters ----


def count(session: Session, order: OrderRow, industry: str, change: dict[tuple[str, datetime], int], now: datetime, window_days: int) -> None:
    """Write one order's change of counts: its marks, its day sums (one statement each), and drop the snapshots that read them."""
    if not change:
        return
    base = {"shop_id": order.shop_id, "product_id": order.product_id, "industry": industry}
    marks = [base | {"order_id": order.order_id, "counter": counter, "at": at, "day": day_of(at), "delta": delta, "recorded_at": now}
             for (counter, at), delta in change.items()]
    sums: dict[tuple[date, str], int] = {}
    for m in marks:
        sums[(m["day"], m["counter"])] = sums.get((m["day"], m["counter"]), 0) + m["delta"]
    session.execute(insert(ExperienceMark), marks)
    insert_day = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(ExperienceDay)
    upsert = insert_day.on_conflict_do_update(index_elements=["shop_id", "product_id", "industry", "day", "counter"],
                                              set_={"value": ExperienceDay.value + insert_day.excluded.value})
    session.execute(upsert, [base | {"day": d, "counter": c, "value": v} for (d, c), v in sorted(sums.items())])
    days = [d for d, _ in sums]
    session.execute(delete(ExperienceSnapshot).where(ExperienceSnapshot.day > min(days), ExperienceSnapshot.day <= max(days) + timedelta(days=window_days)))


def day_counts(session: Session, shop_id: str, first: date, last: date) -> list[DayCount]:
    q = select(ExperienceDay).where(ExperienceDay.shop_id == shop_id, ExperienceDay.day >= first, ExperienceDay.day <= last)
    return [DayCount(r.product_id, r.industry, r.day, r.counter, r.value) for r in session.scalars(q)]


def marks(session: Session, shop_id: str, days: Iterable[date]) -> list[Mark]:
    q = select(ExperienceMark).where(ExperienceMark.shop_id == shop_id, ExperienceMark.day.in_(sorted(set(days))))
    return [Mark(r.product_id, r.industry, r.at, r.counter, r.delta) for r in session.scalars(q)]


def bad_days(session: Session, shop_id: str, first: date, last: date, counters: Iterable[str]) -> list[date]:
    """The days in [first, last] on which a counter that lowers the score moved."""
    q = (select(ExperienceDay.day).where(ExperienceDay.shop_id == shop_id, ExperienceDay.day >= first, ExperienceDay.day <= last,
                                         ExperienceDay.counter.in_(list(counters)), ExperienceDay.value > 0).distinct().order_by(ExperienceDay.day))
    return list(session.scalars(q))


# ---- determinations ----


def add_determination(session: Session, row: QualityDetermination) -> None:
    session.add(row)
    noted.measure(session, row)  # DSA Art. 17: its measures are stated before commit
    session.flush()


def determinations_of(session: Session, shop_id: str) -> list[QualityDetermination]:
    q = select(QualityDetermination).where(QualityDetermination.shop_id == shop_id).order_by(QualityDetermination.at, QualityDetermination.determination_id)
    return list(session.scalars(q))


def get_determination(session: Session, determination_id: str) -> QualityDetermination | None:
    return session.get(QualityDetermination, determination_id)


def fraud_of(session: Session, determination_id: str) -> FraudFinding | None:
    return session.scalar(select(FraudFinding).where(FraudFinding.determination_id == determination_id))


def frauds_of(session: Session, shop_id: str) -> dict[str, FraudFinding]:
    return {f.determination_id: f for f in session.scalars(select(FraudFinding).where(FraudFinding.shop_id == shop_id))}


def negative_feedback_orders(session: Session, shop_id: str, product_id: str | None, lo: datetime, hi: datetime) -> list[tuple[str, str]]:
    """(order_id, buyer_id) of the orders whose negative feedback counts in (lo, hi], of one product or the whole shop."""
    q = (select(ExperienceMark.order_id).where(ExperienceMark.shop_id == shop_id, ExperienceMark.counter == "negative_feedback",
                                               ExperienceMark.at > lo, ExperienceMark.at <= hi)
         .group_by(ExperienceMark.order_id).having(func.sum(ExperienceMark.delta) > 0))
    if product_id is not None:
        q = q.where(ExperienceMark.product_id == product_id)
    ids = list(session.scalars(q))
    if not ids:
        return []
    return [(o, b) for o, b in session.execute(select(OrderRow.order_id, OrderRow.buyer_id).where(OrderRow.order_id.in_(ids)).order_by(OrderRow.order_id))]


# ---- peers ----


def snapshot(session: Session, day: date, market: str) -> dict[str, dict] | None:
    """Every industry's snapshot of `day` for one market (a policy and its settings; None: not computed)."""
    prefix = f"{market}|"
    rows = session.execute(select(ExperienceSnapshot.industry, ExperienceSnapshot.body)
                           .where(ExperienceSnapshot.day == day, ExperienceSnapshot.industry.startswith(prefix, autoescape=True))).all()
    return {i[len(prefix):]: b for i, b in rows if i != prefix} if rows else None


def industry_sums(session: Session, policy_id: str, first: date, last: date) -> list[tuple[str, str, str, int]]:
    """(shop_id, industry, counter, Σ value) over the day sums of [first, last], for the shops under one policy (one market)."""
    q = (select(ExperienceDay.shop_id, ExperienceDay.industry, ExperienceDay.counter, func.sum(ExperienceDay.value))
         .join(Shop, Shop.shop_id == ExperienceDay.shop_id)
         .where(ExperienceDay.day >= first, ExperienceDay.day <= last, Shop.policy_id == policy_id)
         .group_by(ExperienceDay.shop_id, ExperienceDay.industry, ExperienceDay.counter))
    return [(s, i, c, int(n)) for s, i, c, n in session.execute(q)]


def keep_snapshot(session: Session, day: date, market: str, bodies: dict[str, dict], now: datetime) -> None:
    """Store a computed day of a market; its row `<market>|` says it was computed (a market without
    shops has no other row). A concurrent page may have stored it first: then it is left as it is."""
    if session.get(ExperienceSnapshot, (day, f"{market}|")) is not None:
        return
    session.add(ExperienceSnapshot(day=day, industry=f"{market}|", body={}, computed_at=now))
    for industry, body in bodies.items():
        session.add(ExperienceSnapshot(day=day, industry=f"{market}|{industry}", body=body, computed_at=now))
    session.flush()
