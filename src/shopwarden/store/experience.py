"""After-sales requests and complaints (append-only), and the experience score's counters (DY-QL-1/2).

Counting is incremental and in the same transaction as the input that moves it:
- `experience_marks` (append-only) keeps every change of a count at its exact instant: an order's
  contributions after the input minus before it (`core.quality.counters.change`);
- `experience_days` keeps the same per (shop, product, industry, UTC day, counter) as running sums.
A shop's window at any instant is then its day sums for the days wholly inside plus the marks of
the two boundary days: ≤ window_days + 1 rows per product and counter, never the industry.

Peers (`experience_snapshots`): an industry's distribution for UTC day D (the whole days [D − window, D))
is kept per day and read by pages; it is never computed by a scan of the industry on a page. It
comes from the market's kept state (`experience_peer_*`): each shop's window counts and each
industry's counts (`core.quality.peers.cells`: peers per step of each indicator, pooled sums) as of
the state's day R. Rolling R to R + 1 reads the day sums of two days (R enters, R − window leaves)
and moves only the shops they name (`roll`); an input counted on a day inside the state's window
(back-dated) moves its shop's entry in the same transaction (`count`). A snapshot is a cache with an
exact rule: a change counted on day d deletes the snapshots of the days d < D ≤ d + window, which
read it; day R's is rewritten from the state, an older one (before R) is recomputed from the day
sums by one GROUP BY over its window (`industry_sums`: a back-dated input's price, once). The state
rolls no further than today, a day per transaction by `shopwarden experience roll` (cron), or within
a page only when that reads few day sums (`roll_work`; service/experience.py decides). On PostgreSQL the roll holds the market's row `FOR UPDATE` and counting
inputs hold it `FOR SHARE`, so a roll never misses an input committing beside it.
"""

from __future__ import annotations

import secrets
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, delete, exists, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.core.quality import peers
from shopwarden.core.quality.counters import AfterSale, OrderFacts
from shopwarden.core.quality.window import DayCount, Mark, day_of
from shopwarden.store import noted, subject_locks
from shopwarden.store.base import Base
from shopwarden.store.db import (
    day_param,
    driver_insert,
    driver_rows,
    insert_once,
    instant_param,
    read_day,
    read_instant,
)
from shopwarden.store.products import ProductRow, ProductVersion
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
    token: Mapped[str | None] = mapped_column(String(32), nullable=True)  # unique per kept row: the parsed-body cache's key (0018)


class PeerRoll(Base):
    """The day R a market's kept peer state stands for (whole days [R − window, R)); None: no state yet."""

    __tablename__ = "experience_peer_rolls"

    market: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)


class PeerTotal(Base):
    """A shop's window counts per industry and counter as of its market's day R."""

    __tablename__ = "experience_peer_totals"

    market: Mapped[str] = mapped_column(String(200), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    industry: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class PeerCount(Base):
    """An industry's kept counts as of its market's day R, keyed as `core.quality.peers.cells` keys them."""

    __tablename__ = "experience_peer_counts"

    market: Mapped[str] = mapped_column(String(200), primary_key=True)
    industry: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


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


def insert_new(session: Session, model: type[OrderRow] | type[AfterSaleRow] | type[ComplaintRow], fields: tuple[str, ...], rows: list[tuple],
               now: datetime, by: str) -> None:
    """The bulk path (the importer): new orders, after-sales or complaints, each the values of `fields`,
    stamped as created (and updated) `now` by `by`, in one executemany."""
    stamp = (now, by, now) if "updated_at" in model.__table__.c else (now, by)
    columns = (*fields, "created_at", "created_by", "updated_at")[:len(fields) + len(stamp)]
    driver_insert(session, model.__table__, columns, [(*r, *stamp) for r in rows])


def lock_order(session: Session, order_id: str) -> OrderRow | None:
    """The order, locked on PostgreSQL until commit: two inputs of one order are counted one after the other."""
    return session.scalar(select(OrderRow).where(OrderRow.order_id == order_id).with_for_update())


def facts_many(session: Session, orders: list[OrderRow]) -> dict[str, OrderFacts]:
    """`facts` of many orders in three queries."""
    out: dict[str, OrderFacts] = {}
    for chunk in _chunks(orders):
        ids = [o.order_id for o in chunk]
        hidden = exists(select(ReviewHide.review_id).where(ReviewHide.review_id == ReviewRow.review_id))
        reviews = {o: (t, r) for o, t, r in session.execute(select(ReviewRow.order_id, ReviewRow.posted_at, ReviewRow.rating)
                                                             .where(ReviewRow.order_id.in_(ids), ~hidden))}
        after: dict[str, list[AfterSale]] = defaultdict(list)
        for o, t, r in session.execute(select(AfterSaleRow.order_id, AfterSaleRow.filed_at, AfterSaleRow.reason).where(AfterSaleRow.order_id.in_(ids))):
            after[o].append(AfterSale(t, r))
        complaints: dict[str, list[datetime]] = defaultdict(list)
        for o, t in session.execute(select(ComplaintRow.order_id, ComplaintRow.filed_at).where(ComplaintRow.order_id.in_(ids))):
            complaints[o].append(t)
        for o in chunk:
            out[o.order_id] = OrderFacts(o.ordered_at, o.status, o.paid_at, o.shipped_at, reviews.get(o.order_id),
                                         tuple(sorted(after[o.order_id])), tuple(sorted(complaints[o.order_id])))
    return out


def product_categories(session: Session, product_ids: list[str]) -> dict[str, tuple[str, str]]:
    """(shop_id, category of the current listing) of those of `product_ids` that exist."""
    out = {}
    for chunk in _chunks(sorted(set(product_ids))):
        q = (select(ProductRow.product_id, ProductRow.shop_id, ProductVersion.listing)
             .join(ProductVersion, (ProductVersion.product_id == ProductRow.product_id) & (ProductVersion.version == ProductRow.version))
             .where(ProductRow.product_id.in_(chunk)))
        for pid, shop_id, listing in session.execute(q):
            out[pid] = (shop_id, str(listing.get("category") or "") if isinstance(listing, dict) else "")
    return out


def facts(session: Session, order: OrderRow) -> OrderFacts:
    """The order's DY-QL-1 facts now. A review hidden under RV-6 (a granted report: it was malicious)
    is left out altogether, from its posting on: it should never have counted."""
    hidden = exists(select(ReviewHide.review_id).where(ReviewHide.review_id == ReviewRow.review_id))
    review = session.execute(select(ReviewRow.posted_at, ReviewRow.rating).where(ReviewRow.order_id == order.order_id, ~hidden)).first()
    after = session.execute(select(AfterSaleRow.filed_at, AfterSaleRow.reason).where(AfterSaleRow.order_id == order.order_id)).all()
    complaints = session.scalars(select(ComplaintRow.filed_at).where(ComplaintRow.order_id == order.order_id)).all()
    return OrderFacts(order.ordered_at, order.status, order.paid_at, order.shipped_at, (review[0], review[1]) if review else None,
                      tuple(sorted(AfterSale(t, r) for t, r in after)), tuple(sorted(complaints)))


# ---- counters ----


def _add_up(session: Session, model, index: list[str], rows: list[dict]) -> None:
    """Upsert rows whose `value` adds to the stored one (one executemany through the driver)."""
    if rows:
        columns = list(rows[0])
        driver_insert(session, model.__table__, columns, [tuple(r[c] for c in columns) for r in rows], add_to=index)


@dataclass(frozen=True, slots=True)
class Market:
    """The peers a shop is scored among: its policy's shops, with the settings a snapshot depends on."""

    key: str
    policy_id: str
    window_days: int
    min_orders: int


@dataclass(frozen=True, slots=True)
class Change:
    """One order's change of counts (`core.quality.counters.change`) with where it is counted."""

    order_id: str
    shop_id: str
    product_id: str
    industry: str
    marks: dict[tuple[str, datetime], int]
    market: Market


MARK_COLUMNS = ("shop_id", "product_id", "industry", "order_id", "counter", "at", "day", "delta", "recorded_at")
DAY_COLUMNS = ("shop_id", "product_id", "industry", "day", "counter", "value")


def count(session: Session, changes: list[Change], now: datetime) -> None:
    """Write orders' changes of counts: their marks and day sums (one statement each), their shops'
    entries in the markets' kept peer state when a day inside a state's window moved, and drop the
    snapshots that read them."""
    marks: list[tuple[Any, ...]] = []
    sums: Counter[tuple[Any, ...]] = Counter()
    for ch in changes:
        for (counter, at), delta in ch.marks.items():
            day = day_of(at)
            marks.append((ch.shop_id, ch.product_id, ch.industry, ch.order_id, counter, at, day, delta, now))
            sums[(ch.shop_id, ch.product_id, ch.industry, day, counter, ch.market)] += delta
    if not marks:
        return
    driver_insert(session, ExperienceMark.__table__, MARK_COLUMNS, marks)
    days: Counter = Counter()
    for (shop_id, product_id, industry, d, c, _m), v in sums.items():
        days[(shop_id, product_id, industry, d, c)] += v
    driver_insert(session, ExperienceDay.__table__, DAY_COLUMNS, [(*k, v) for k, v in sorted(days.items())], add_to=DAY_COLUMNS[:-1])
    for market in {ch.market for ch in changes}:
        # Shared with other writers, exclusive against a roll (`peers_on`): a roll waits for these day sums to commit, or
        # this reads the state the roll left. The row lock below alone misses a market whose row a roll is still inserting.
        subject_locks.hold(session, f"peer-roll:{market.key}", shared=True)
        state = session.scalar(select(PeerRoll.day).where(PeerRoll.market == market.key).with_for_update(read=True))
        if state is None:
            continue
        inside: dict[str, Counter] = defaultdict(Counter)
        for (shop_id, _p, industry, d, c, m), v in sums.items():
            if m == market and state - timedelta(days=market.window_days) <= d < state:
                inside[shop_id][(industry, c)] += v
        if moved := {k: v for k, v in inside.items() if +v or -v}:
            move_shops(session, market, moved)
    first, last = min(k[3] for k in sums), max(k[3] for k in sums)
    window = max(ch.market.window_days for ch in changes)
    session.execute(delete(ExperienceSnapshot).where(ExperienceSnapshot.day > first, ExperienceSnapshot.day <= last + timedelta(days=window)))


def day_counts(session: Session, shop_id: str, first: date, last: date) -> list[DayCount]:
    return shop_counts(session, shop_id, first, last, {})[0]


def marks(session: Session, shop_id: str, cuts: Mapping[date, datetime]) -> list[Mark]:
    """The shop's marks of each day of `cuts` at or before its instant."""
    return shop_counts(session, shop_id, None, None, cuts)[1]


def shop_counts(session: Session, shop_id: str, first: date | None, last: date | None, cuts: Mapping[date, datetime]) -> tuple[list[DayCount], list[Mark]]:
    """The shop's day sums of the days in [first, last] and, for each day of `cuts`, its marks at or
    before the day's instant (`core.quality.window.cuts`), in one query through the driver (a page's
    hot path: no statement compiling, no per-row type processing beyond the day and the instant)."""
    dialect = session.get_bind().dialect
    parts, params = [], []
    if first is not None and last is not None:  # given together
        parts.append("SELECT product_id, industry, counter, day, value, NULL FROM experience_days WHERE shop_id = {p} AND day >= {p} AND day <= {p}")
        params += [shop_id, day_param(dialect, first), day_param(dialect, last)]
    for d, t in sorted(cuts.items()):
        parts.append("SELECT product_id, industry, counter, day, delta, at FROM experience_marks WHERE shop_id = {p} AND day = {p} AND at <= {p}")
        params += [shop_id, day_param(dialect, d), instant_param(dialect, t)]
    days: list[DayCount] = []
    marks_: list[Mark] = []
    if not parts:
        return days, marks_
    seen: dict = {}  # a day's text parsed once
    for product_id, industry, counter, day, value, at in driver_rows(session, " UNION ALL ".join(parts), params):
        if at is None:
            if (parsed := seen.get(day)) is None:
                parsed = seen[day] = read_day(day)
            days.append(DayCount(product_id, industry, parsed, counter, value))
        else:
            marks_.append(Mark(product_id, industry, read_instant(at), counter, value))
    return days, marks_


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


def has_records(session: Session, shop_id: str) -> bool:
    """Whether the shop has any determination (one indexed look, through the driver)."""
    return bool(driver_rows(session, "SELECT 1 FROM quality_determinations WHERE shop_id = {p} LIMIT 1", [shop_id]))


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


_parsed: OrderedDict[str, peers.Industry] = OrderedDict()  # token -> the row's body, parsed; a kept row never changes
_parsed_lock = Lock()
PARSED_KEPT = 4096


def snapshot(session: Session, day: date, market: str, names: Iterable[str] | None = None) -> dict[str, peers.Industry] | None:
    """The kept snapshot of `day` for one market: the industries `names` (all when None) that have one;
    None when the day's snapshot is not kept. Bodies are parsed once per process (by row token)."""
    return snapshots(session, [day], market, names)[day]


def snapshots(session: Session, days: list[date], market: str, names: Iterable[str] | None = None) -> dict[date, dict[str, peers.Industry] | None]:
    """`snapshot` of several days in one query (and one more for bodies not parsed yet)."""
    return snapshots_and_before(session, days, market, names)[0]


def snapshots_and_before(session: Session, days: list[date], market: str, names: Iterable[str] | None = None
                         ) -> tuple[dict[date, dict[str, peers.Industry] | None], date | None]:
    """`snapshots`, and in the same query the newest day before all of `days` whose snapshot is kept (or None)."""
    prefix, t = f"{market}|", ExperienceSnapshot
    dialect = session.get_bind().dialect
    if names is None:
        where, wanted = "industry LIKE {p} ESCAPE '/'", [prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"]
    else:
        wanted = [prefix, *(prefix + n for n in sorted(set(names)))]
        where = "industry IN (" + ", ".join(["{p}"] * len(wanted)) + ")"
    rows, before = [], None
    for d, i, k, tag in driver_rows(
            session, "SELECT day, industry, token, 0 FROM experience_snapshots WHERE day IN (" + ", ".join(["{p}"] * len(days)) + f") AND {where}"
            " UNION ALL SELECT max(day), NULL, NULL, 1 FROM experience_snapshots WHERE industry = {p} AND day < {p}",
            [*(day_param(dialect, d) for d in days), *wanted, prefix, day_param(dialect, min(days))]):
        if tag:
            before = None if d is None else read_day(d)
        else:
            rows.append((read_day(d), i, k))
    out: dict[date, dict | None] = {d: None for d in days}
    missing = []
    with _parsed_lock:
        for d, i, k in rows:
            entry = out[d] = out[d] or {}
            if i != prefix:
                entry[i[len(prefix):]] = _parsed.get(k)
                if entry[i[len(prefix):]] is None:
                    missing.append((d, i))
    for d, i in missing:
        k, body = session.execute(select(t.token, t.body).where(t.day == d, t.industry == i)).one()
        found = out[d]
        assert found is not None  # filled for every missing industry above
        found[i[len(prefix):]] = industry = peers.Industry.from_json(i[len(prefix):], body)
        if k is not None:
            with _parsed_lock:
                _parsed[k] = industry
                while len(_parsed) > PARSED_KEPT:
                    _parsed.popitem(last=False)
    return out, before


def industry_sums(session: Session, policy_id: str, first: date, last: date) -> list[tuple[str, str, str, int]]:
    """(shop_id, industry, counter, Σ value) over the day sums of [first, last], for the shops under one policy (one market)."""
    q = (select(ExperienceDay.shop_id, ExperienceDay.industry, ExperienceDay.counter, func.sum(ExperienceDay.value))
         .join(Shop, Shop.shop_id == ExperienceDay.shop_id)
         .where(ExperienceDay.day >= first, ExperienceDay.day <= last, Shop.policy_id == policy_id)
         .group_by(ExperienceDay.shop_id, ExperienceDay.industry, ExperienceDay.counter))
    return [(s, i, c, int(n)) for s, i, c, n in session.execute(q)]


def _day_changes(session: Session, policy_id: str, enters: date, leaves: date) -> dict[str, Counter]:
    """Per shop of the policy, what rolling the window over one day changes: day `enters`'s sums minus day `leaves`'s."""
    d = ExperienceDay
    q = (select(d.shop_id, d.industry, d.counter, d.day, d.value).join(Shop, Shop.shop_id == d.shop_id)
         .where(d.day.in_([enters, leaves]), Shop.policy_id == policy_id))
    out: dict[str, Counter] = defaultdict(Counter)
    for shop_id, industry, counter, day, value in session.execute(q):
        out[shop_id][(industry, counter)] += value if day == enters else -value
    return {k: v for k, v in out.items() if +v or -v}


def _chunks(xs: list, n: int = 500):
    return (xs[i:i + n] for i in range(0, len(xs), n))


def move_shops(session: Session, market: Market, deltas: dict[str, Counter]) -> None:
    """Apply changes of some shops' window counts, keyed (industry, counter), to the market's kept state."""
    t = PeerTotal
    before: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    shop_ids = sorted(deltas)
    for chunk in _chunks(shop_ids):
        for shop_id, industry, counter, value in session.execute(
                select(t.shop_id, t.industry, t.counter, t.value).where(t.market == market.key, t.shop_id.in_(chunk))):
            before[shop_id][industry][counter] = value
    moved: Counter = Counter()
    totals = []
    for shop_id in shop_ids:
        was = before[shop_id]
        now = {i: Counter(c) for i, c in was.items()}
        for (industry, counter), v in deltas[shop_id].items():
            now.setdefault(industry, Counter())[counter] += v
            if v:
                totals.append({"market": market.key, "shop_id": shop_id, "industry": industry, "counter": counter, "value": v})
        moved.update(peers.shift(was, now, market.min_orders))
    _add_up(session, PeerTotal, ["market", "shop_id", "industry", "counter"], totals)
    for chunk in _chunks(shop_ids):
        session.execute(delete(PeerTotal).where(t.market == market.key, t.shop_id.in_(chunk), t.value == 0))
    _add_up(session, PeerCount, ["market", "industry", "key"], [{"market": market.key, "industry": i, "key": k, "value": v} for (i, k), v in moved.items() if v])


def _reset(session: Session, market: Market, day: date) -> None:
    """The state as of `day` from the day sums of its window (the first roll of a market, or after a long gap)."""
    session.execute(delete(PeerTotal).where(PeerTotal.market == market.key))
    session.execute(delete(PeerCount).where(PeerCount.market == market.key))
    rows = industry_sums(session, market.policy_id, day - timedelta(days=market.window_days), day - timedelta(days=1))
    per_shop: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for shop_id, industry, counter, n in rows:
        per_shop[shop_id][industry][counter] += n
    kept: Counter = Counter()
    for totals in per_shop.values():
        kept.update(peers.cells(totals, market.min_orders))
    driver_insert(session, PeerTotal.__table__, ("market", "shop_id", "industry", "counter", "value"), [(market.key, s, i, c, n) for s, i, c, n in rows if n])
    driver_insert(session, PeerCount.__table__, ("market", "industry", "key", "value"), [(market.key, i, k, v) for (i, k), v in kept.items() if v])


def _from_state(session: Session, market: Market) -> dict[str, peers.Industry]:
    q = select(PeerCount.industry, PeerCount.key, PeerCount.value).where(PeerCount.market == market.key)
    return peers.from_counts(session.execute(q))


def peers_on(session: Session, market: Market, day: date, now: datetime, history_days: int = 0) -> dict[str, peers.Industry]:
    """Every industry's peers of `day` (not after today), kept as the day's snapshot: from the kept
    state, rolled forward to `day` when it is behind (each day passed kept too), or, for a day before
    the state's, from the day sums of its window. A state built afresh starts `history_days` before
    `day` and rolls to it, so the days a page also reads (its trend) are kept on the way. Call in a
    transaction; the market's row is locked."""
    subject_locks.hold(session, f"peer-roll:{market.key}")  # writers of day sums in flight commit first (see `count`)
    insert_once(session, PeerRoll, {"market": market.key, "day": None})  # on SQLite, the write lock first
    state = session.scalar(select(PeerRoll.day).where(PeerRoll.market == market.key).with_for_update())
    if state is not None and day < state:
        built = peers.build(industry_sums(session, market.policy_id, day - timedelta(days=market.window_days), day - timedelta(days=1)), market.min_orders)
        keep_snapshot(session, day, market.key, built, now)
        return built
    if state is None or (day - state).days > market.window_days:
        state = day - timedelta(days=history_days)
        _reset(session, market, state)
    while True:
        if session.get(ExperienceSnapshot, (state, f"{market.key}|")) is None or state == day:
            built = _from_state(session, market)
            keep_snapshot(session, state, market.key, built, now)
        if state == day:
            break
        move_shops(session, market, _day_changes(session, market.policy_id, state, state - timedelta(days=market.window_days)))
        state += timedelta(days=1)
    session.execute(update(PeerRoll).where(PeerRoll.market == market.key).values(day=state))
    return built


def rolled_day(session: Session, market: str) -> date | None:
    """The day the market's kept peer state stands for (None: never built)."""
    return session.scalar(select(PeerRoll.day).where(PeerRoll.market == market))


def scored_policies(session: Session) -> list[str]:
    """The policies some shop is under."""
    return list(session.scalars(select(Shop.policy_id).distinct().order_by(Shop.policy_id)))


def roll_work(session: Session, market: Market, day: date, history_days: int, limit: int) -> int:
    """How many day sums `peers_on(market, day)` would read, counted up to `limit` + 1 (every policy's
    rows of those days: an upper bound): the days entering and leaving since the state's day, or a
    whole window for a state built afresh or a day before the state's."""
    state = rolled_day(session, market.key)
    w = timedelta(days=market.window_days)
    if state is not None and state <= day and (day - state).days <= market.window_days:
        spans = [(state, day), (state - w, day - w)]
    elif state is not None and day < state:
        spans = [(day - w, day)]
    else:
        spans = [(day - timedelta(days=history_days) - w, day + timedelta(days=1))]
    d = ExperienceDay.day
    rows = select(ExperienceDay.shop_id).where(or_(*((d >= a) & (d < b) for a, b in spans))).limit(limit + 1).subquery()
    return session.scalar(select(func.count()).select_from(rows)) or 0


def keep_snapshot(session: Session, day: date, market: str, industries: dict[str, peers.Industry], now: datetime) -> None:
    """Store a computed day of a market; its row `<market>|` says it was computed (a market without
    shops has no other row). Kept already (a concurrent page): left as it is."""
    if session.get(ExperienceSnapshot, (day, f"{market}|")) is not None:
        return
    session.add(ExperienceSnapshot(day=day, industry=f"{market}|", body={}, computed_at=now, token=secrets.token_hex(16)))
    for name, industry in industries.items():
        session.add(ExperienceSnapshot(day=day, industry=f"{market}|{name}", body=industry.as_json(), computed_at=now, token=secrets.token_hex(16)))
    session.flush()
