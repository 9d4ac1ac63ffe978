"""Orders, reviews and what hangs off them (RULES.md §2, DY-LQ-1).

Orders carry the identity attributes the platform sends (device, payment account, address hash,
identity: opaque values, stored as given) and change only in status. Reviews are append-only,
one per order, each with the signals computed when it was posted; a review is hidden by a
`review_hides` row (RV-6), never changed or deleted. Shops' own identity attributes feed the
identity graph of RV-K-3. A product's rating is a query over its visible reviews, not a stored
counter: one GROUP BY on the (product_id, rating) index, always in step with hides and with the
pack's idea of "positive".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    and_,
    exists,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import noted
from shopwarden.store.base import Base, table_of
from shopwarden.store.db import insert_once, insert_rows
from shopwarden.store.messages import MessageRow
from shopwarden.store.products import ProductRow, ProductVersion

IDENTITY = ("device", "payment_account", "address_hash", "identity")
SALE_STATUSES = ("paid", "shipped", "delivered", "completed", "refunded")  # a sale happened; `created` and `cancelled` are none


class OrderRow(Base):
    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64), index=True)
    ordered_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    paid_at: Mapped[datetime | None] = mapped_column(nullable=True)  # DY-QL-1 (0017)
    shipped_at: Mapped[datetime | None] = mapped_column(nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    device: Mapped[str | None] = mapped_column(String(128), nullable=True)
    payment_account: Mapped[str | None] = mapped_column(String(128), nullable=True)
    address_hash: Mapped[str | None] = mapped_column(String(128), nullable=True)
    identity: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    # CR-10: an order placed through a creator's content carries the creator, the content and the commission (0016)
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    content_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    commission: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    commission_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)


class ReviewRow(Base):
    __tablename__ = "reviews"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # arrival order: the duplicate index reads past it
    review_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str] = mapped_column(String(64), unique=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    images: Mapped[list]
    posted_at: Mapped[datetime]
    category: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    product_similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the text's sentence vector (float16), for RV-K-5's calibration
    findings: Mapped[list]
    flagged: Mapped[bool] = mapped_column(Boolean)
    # RV-K rules the review was posted owing (the encoder's signals, left to the analysis workers,
    # service/analysis.py); None: none. Owed until its `review_signals` row exists (0029)
    pending: Mapped[list | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    policy_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_reviews_product_rating", "product_id", "rating"), Index("ix_reviews_shop_buyer", "shop_id", "buyer_id"))


class ReviewSignals(Base):
    """A deferred review's signals as the analysis workers computed them (append-only, one per
    review): they stand in for the review's own `findings`, `flagged`, `product_similarity` and `vector`."""

    __tablename__ = "review_signals"

    review_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    findings: Mapped[list]
    flagged: Mapped[bool] = mapped_column(Boolean)
    product_similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    computed_at: Mapped[datetime]


class ReviewHide(Base):
    __tablename__ = "review_hides"

    review_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    product_id: Mapped[str] = mapped_column(String(64), index=True)
    hidden_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(32))


class ShopIdentity(Base):
    __tablename__ = "shop_identities"

    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attribute: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128), primary_key=True)
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_shop_identities_attribute_value", "attribute", "value"),)


# ---- orders ----


def get_order(session: Session, order_id: str) -> OrderRow | None:
    return session.get(OrderRow, order_id)


def add_order(session: Session, row: dict) -> None:
    session.add(OrderRow(**row))


def sales(session: Session, product_id: str, at: datetime) -> int:
    q = select(func.count()).select_from(OrderRow).where(OrderRow.product_id == product_id, OrderRow.status.in_(SALE_STATUSES), OrderRow.ordered_at <= at)
    return session.scalar(q) or 0


def buyer_identities(session: Session, buyer_id: str, at: datetime) -> set[tuple[str, str]]:
    """(attribute, value) pairs the platform sent with the buyer's orders up to `at`."""
    cols = [getattr(OrderRow, a) for a in IDENTITY]
    out: set[tuple[str, str]] = set()
    for row in session.execute(select(*cols).where(OrderRow.buyer_id == buyer_id, OrderRow.ordered_at <= at).distinct().limit(1000)):
        out.update((a, v) for a, v in zip(IDENTITY, row, strict=True) if v)
    return out


# ---- shops' identity attributes (RV-K-3) ----


def set_identity(session: Session, shop_id: str, pairs: set[tuple[str, str]], now: datetime) -> None:
    """Replace the shop's identity attributes with `pairs`."""
    have = {(r.attribute, r.value): r for r in session.scalars(select(ShopIdentity).where(ShopIdentity.shop_id == shop_id))}
    for key, row in have.items():
        if key not in pairs:
            session.delete(row)
    for attribute, value in pairs - set(have):
        session.add(ShopIdentity(shop_id=shop_id, attribute=attribute, value=value, updated_at=now))


def identity_of(session: Session, shop_id: str) -> list[ShopIdentity]:
    return list(session.scalars(select(ShopIdentity).where(ShopIdentity.shop_id == shop_id).order_by(ShopIdentity.attribute, ShopIdentity.value)))


def shops_sharing(session: Session, pairs: set[tuple[str, str]], other_than: str) -> list[ShopIdentity]:
    """Other shops holding any of these (attribute, value) pairs."""
    if not pairs:
        return []
    q = select(ShopIdentity).where(tuple_(ShopIdentity.attribute, ShopIdentity.value).in_(sorted(pairs)), ShopIdentity.shop_id != other_than)
    return list(session.scalars(q.order_by(ShopIdentity.shop_id, ShopIdentity.attribute)))


def shop_categories(session: Session, shop_ids: list[str], limit: int = 500) -> dict[str, tuple[str, ...]]:
    """The categories of each shop's listings (latest versions): what a shop sells."""
    out: dict[str, set[str]] = {s: set() for s in shop_ids}
    q = (select(ProductRow.shop_id, ProductVersion.listing)
         .join(ProductVersion, and_(ProductVersion.product_id == ProductRow.product_id, ProductVersion.version == ProductRow.version))
         .where(ProductRow.shop_id.in_(shop_ids)).limit(limit * max(1, len(shop_ids))))
    for shop_id, listing in session.execute(q):
        if isinstance(listing, dict) and listing.get("category"):
            out[shop_id].add(str(listing["category"]))
    return {s: tuple(sorted(c)) for s, c in out.items()}


# ---- reviews ----


def _visible(at: datetime | None = None):
    """No hide (or none yet at `at`) for the review."""
    hidden = select(ReviewHide.review_id).where(ReviewHide.review_id == ReviewRow.review_id)
    if at is not None:
        hidden = hidden.where(ReviewHide.hidden_at <= at)
    return ~exists(hidden)


def get(session: Session, review_id: str) -> ReviewRow | None:
    return session.scalars(select(ReviewRow).where(ReviewRow.review_id == review_id)).first()


def newest_of_shop(session: Session, shop_id: str, at: datetime, limit: int) -> list[ReviewRow]:
    """The shop's reviews posted by `at`, newest first (hidden ones too)."""
    q = (select(ReviewRow).where(ReviewRow.shop_id == shop_id, ReviewRow.posted_at <= at)
         .order_by(ReviewRow.posted_at.desc(), ReviewRow.review_id).limit(limit))
    return list(session.scalars(q))


def of_order(session: Session, order_id: str) -> ReviewRow | None:
    return session.scalars(select(ReviewRow).where(ReviewRow.order_id == order_id)).first()


def add(session: Session, row: dict) -> bool:
    """False when the review id or its order already has a review (a concurrent post won)."""
    return insert_once(session, ReviewRow, row)


def add_signals(session: Session, row: dict) -> bool:
    """A deferred review's signals (a `ReviewSignals` row): False when another worker wrote them first."""
    return insert_once(session, ReviewSignals, row)


def add_signals_many(session: Session, rows: list[dict]) -> list[str]:
    """`add_signals` for many reviews in one statement: the ids whose row went in (the others were
    written first by another worker)."""
    return [str(i) for i in insert_rows(session, table_of(ReviewSignals), rows, skip_existing=True, returning="review_id")]


def signals_of(session: Session, review_id: str) -> ReviewSignals | None:
    return session.get(ReviewSignals, review_id)


def owed(session: Session, review_ids: list[str]) -> list[ReviewRow]:
    """The reviews among these that still owe signals, in arrival order."""
    done = exists(select(ReviewSignals.review_id).where(ReviewSignals.review_id == ReviewRow.review_id))
    q = select(ReviewRow).where(ReviewRow.review_id.in_(review_ids), ReviewRow.pending.is_not(None), ~done).order_by(ReviewRow.seq)
    return list(session.scalars(q))


def hide_of(session: Session, review_id: str) -> ReviewHide | None:
    return session.get(ReviewHide, review_id)


def add_hide(session: Session, row: dict) -> None:
    obj = ReviewHide(**row)
    session.add(obj)
    noted.measure(session, obj)  # DSA Art. 17: stated before commit


def histogram(session: Session, product_id: str, at: datetime) -> tuple[dict[int, int], int]:
    """Visible reviews of the product by rating, and how many are hidden, as of `at`."""
    q = (select(ReviewRow.rating, func.count()).where(ReviewRow.product_id == product_id, ReviewRow.posted_at <= at, _visible(at))
         .group_by(ReviewRow.rating))
    hist = {int(r): int(n) for r, n in session.execute(q)}
    hidden = session.scalar(select(func.count()).select_from(ReviewHide).where(ReviewHide.product_id == product_id, ReviewHide.hidden_at <= at)) or 0
    return hist, hidden


def visible_of_product(session: Session, product_id: str, at: datetime, limit: int, offset: int) -> list[ReviewRow]:
    q = (select(ReviewRow).where(ReviewRow.product_id == product_id, ReviewRow.posted_at <= at, _visible(at))
         .order_by(ReviewRow.posted_at.desc(), ReviewRow.seq.desc()).limit(limit).offset(offset))
    return list(session.scalars(q))


def of_product(session: Session, product_id: str) -> list[tuple[ReviewRow, ReviewHide | None]]:
    q = (select(ReviewRow, ReviewHide).outerjoin(ReviewHide, ReviewHide.review_id == ReviewRow.review_id)
         .where(ReviewRow.product_id == product_id).order_by(ReviewRow.seq))
    return [(r, h) for r, h in session.execute(q)]


def buyer_reviews(session: Session, shop_id: str, buyer_id: str, before: datetime, other_than: str, limit: int = 200) -> list[ReviewRow]:
    """The buyer's other reviews on the shop posted up to `before`, oldest first (the latest `limit`)."""
    q = (select(ReviewRow).where(ReviewRow.shop_id == shop_id, ReviewRow.buyer_id == buyer_id, ReviewRow.posted_at <= before,
                                 ReviewRow.review_id != other_than)
         .order_by(ReviewRow.posted_at.desc(), ReviewRow.seq.desc()).limit(limit))
    return list(reversed(list(session.scalars(q))))


def chat(session: Session, shop_id: str, buyer_id: str, until: datetime, limit: int = 200) -> list[MessageRow]:
    """The buyer's conversation with the shop up to `until`, oldest first (the latest `limit` messages)."""
    q = (select(MessageRow).where(MessageRow.shop_id == shop_id, MessageRow.buyer_id == buyer_id, MessageRow.sent_at <= until)
         .order_by(MessageRow.sent_at.desc()).limit(limit))
    return list(reversed(list(session.scalars(q))))


def ids_after(session: Session, seq: int, limit: int = 5000) -> list[tuple[int, str]]:
    """(seq, review_id) of reviews past `seq`, in arrival order."""
    q = select(ReviewRow.seq, ReviewRow.review_id).where(ReviewRow.seq > seq).order_by(ReviewRow.seq).limit(limit)
    return [(int(n), i) for n, i in session.execute(q)]


def texts_of(session: Session, review_ids: list[str]) -> list[tuple[str, str, str]]:
    """(review_id, text, shop_id) of these reviews, in arrival order."""
    q = select(ReviewRow.review_id, ReviewRow.text, ReviewRow.shop_id).where(ReviewRow.review_id.in_(review_ids)).order_by(ReviewRow.seq)
    return [(i, t, s) for i, t, s in session.execute(q)]


def latest_seq(session: Session) -> int:
    return session.scalar(select(func.max(ReviewRow.seq))) or 0


def genuine_sample(session: Session, per_category: int) -> list[tuple[str, float, bytes | None]]:
    """(category, product_similarity, vector) of each category's latest `per_category` reviews that
    raised no signal and were not hidden: the genuine reviews RV-K-5's calibration learns from."""
    similarity = func.coalesce(ReviewSignals.product_similarity, ReviewRow.product_similarity)
    flagged = func.coalesce(ReviewSignals.flagged, ReviewRow.flagged)
    ranked = (select(ReviewRow.category, similarity.label("product_similarity"), func.coalesce(ReviewSignals.vector, ReviewRow.vector).label("vector"),
                     func.row_number().over(partition_by=ReviewRow.category, order_by=ReviewRow.seq.desc()).label("n"))
              .select_from(ReviewRow).outerjoin(ReviewSignals, ReviewSignals.review_id == ReviewRow.review_id)
              .where(flagged.is_(False), similarity.is_not(None), ReviewRow.category.is_not(None), _visible())
              .subquery())
    q = select(ranked.c.category, ranked.c.product_similarity, ranked.c.vector).where(ranked.c.n <= per_category)
    return [(c, float(s), v) for c, s, v in session.execute(q)]


def signal_counts(session: Session, product_id: str) -> dict[str, int]:
    """RV-K-* findings on the product's reviews, by rule."""
    out: dict[str, int] = {}
    q = (select(func.coalesce(ReviewSignals.findings, ReviewRow.findings)).select_from(ReviewRow).outerjoin(ReviewSignals, ReviewSignals.review_id == ReviewRow.review_id)
         .where(ReviewRow.product_id == product_id, func.coalesce(ReviewSignals.flagged, ReviewRow.flagged).is_(True)))
    for findings in session.scalars(q):
        for f in findings or ():
            out[f["rule"]] = out.get(f["rule"], 0) + 1
    return out

