"""Orders and reviews in (RULES.md §2, DY-LQ-1): one transaction each.

A review is stored with every malicious-review signal (RV-K-1..6) computed when it was posted,
from the history around it: the buyer's other reviews of the shop, the buyer's chat with the
shop, the shops the buyer shares an identity attribute with, and near-copies of its text. The
signals inform the operator only; nothing is hidden or punished by them (RV-1). After a review
or an order, the product is judged for DY-LQ-1 and, below the pack's bound, banned through the
same-product registry, in the same transaction.

Deferred signals (issue 14): the signals that need the sentence encoder (RV-K-5 wrong product,
RV-K-6's "about no product": DEFERRED) may be left to the analysis workers (service/analysis.py).
`post_review(..., wait=0)` (the API's default) answers from the fast signals, stores the review
with `pending` naming the rules it owes and writes a `work.review` row in the same transaction;
the worker encodes its batch at once and `complete` computes every signal again through the same
`compute_signals`, as of the review's posting time, into a `review_signals` row (reviews are
append-only) that stands in for the review's own from then on. `wait` None or > 0 computes them all before
answering, as before.

Decisions: one review per order, immutable once posted (the same id and body again is a no-op,
anything else a 409); an order changes only in status; sales are orders paid or later (not
`created` or `cancelled`); a review's signals are shown to the platform and operators, never
to the seller. A hidden review (RV-6) is gone from the public view and the rating but stays
readable to the platform, operators and its own shop.
"""

from __future__ import annotations

import inspect
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from threading import Lock
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from shopwarden.core.detect import DetectContext, Finding
from shopwarden.core.detect.decision import decide_finding, strictest
from shopwarden.core.policy.schema import LowPositiveRate, PolicyPack
from shopwarden.core.reviews import invalid, signals, wrong_product
from shopwarden.core.reviews.duplicates import DuplicateIndex, Shared
from shopwarden.core.reviews.model import Calibration, ChatLine, IdentityLink, ProductView, ReviewHistory, ReviewView
from shopwarden.core.reviews.positive_rate import RULE as LOW_RATE_RULE
from shopwarden.core.reviews.positive_rate import Verdict, judge, positives_of, statement, wilson_lower_bound
from shopwarden.core.reviews.topic import product_text as topic_text
from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service import analysis, bans, encoder, experience, image_text, poor_quality
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.scanning import Judged, ScanResult, check_limits, detect_context
from shopwarden.service.times import event_time
from shopwarden.store import creators, products, reviews, shops
from shopwarden.store import experience as experience_store
from shopwarden.store.reviews import IDENTITY, SALE_STATUSES

SIGNAL_ROLES = ("platform", "operator")  # the signals are for the operator (issue 5), not the seller
DEFAULT_POSITIVE, DEFAULT_Z = 4, 1.96  # the rating summary of a pack without DY-LQ-1 settings
DEFERRED = {"RV-K-5": wrong_product.KIND, "RV-K-6": invalid.KIND}  # the signals that need the sentence encoder (its "about no product")
HIDE_TEXT = {
    "en": "Hidden from the product page and its rating after a granted report (RV-6); kept for audit.",
    "zh": "经举报核实后已从商品页和评分中隐藏（RV-6）；记录保留以备审计。",
}


# ---------------------------------------------------------------- per-database caches


class _Duplicates:
    """One database's review texts in a DuplicateIndex, brought up to date before each lookup by
    reading only what it has not seen (by arrival `seq`). A transaction that commits after a
    later-numbered one (PostgreSQL, concurrent writers) is caught by re-reading the ids of the
    last LOOKBACK arrivals; a rolled-back review is never read (only committed rows are)."""

    LOOKBACK = 256

    def __init__(self):
        self.lock = Lock()
        self.index = DuplicateIndex()
        self.seq = 0
        self.known: set[str] = set()

    def near(self, session: Session, text: str, exclude: str | None, sync: bool = True) -> tuple[tuple[str, str], ...]:
        """(review id, shop id) of the near-copies of `text`; `sync` False: as of the last sync (a
        worker batch syncs once for all its reviews, which were all committed before it began)."""
        with self.lock:
            if sync:
                self._sync(session)
            return tuple((i, self.index.shop_of(i)) for i in self.index.near(text, exclude=exclude))

    def shared(self, text: str, shop_id: str, exclude: str | None) -> tuple[Shared, ...]:
        """The text's clauses other reviews contain (as of the last sync: `near` syncs first)."""
        with self.lock:
            return self.index.shared(text, shop_id, exclude)

    def sync(self, session: Session) -> None:
        with self.lock:
            self._sync(session)

    def _sync(self, session: Session) -> None:
        # SQLite has one writer at a time, holding the lock from its first insert to its commit: arrivals
        # commit in `seq` order there, so nothing can appear behind the cursor and no look back is needed.
        lookback = 0 if session.get_bind().dialect.name == "sqlite" else self.LOOKBACK
        while True:
            rows = reviews.ids_after(session, max(0, self.seq - lookback))
            fresh = [i for _, i in rows if i not in self.known]
            for start in range(0, len(fresh), 500):
                for review_id, text, shop_id in reviews.texts_of(session, fresh[start:start + 500]):
                    self.index.add(review_id, text, shop_id)
                    self.known.add(review_id)
            if rows:
                self.seq = max(self.seq, rows[-1][0])
            if len(rows) < 5000:
                return


class _Calibrations:
    """RV-K-5's per-category calibration from stored similarities and vectors of genuine reviews
    (no signal, not hidden; each category's latest PER_CATEGORY), recomputed as reviews
    accumulate: when the arrivals grew by a tenth (at least 50)."""

    PER_CATEGORY = 500

    def __init__(self):
        self.lock = Lock()
        self.value: Calibration | None = None
        self.at_seq = -1

    def get(self, session: Session) -> Calibration | None:
        latest = reviews.latest_seq(session)
        with self.lock:
            if self.at_seq < 0 or latest - self.at_seq >= max(50, self.at_seq // 10):
                self.value = _calibrate(reviews.genuine_sample(session, self.PER_CATEGORY))
                self.at_seq = latest
            return self.value


def _calibrate(sample: list[tuple[str, float, bytes | None]]) -> Calibration | None:
    sims: dict[str, list[float]] = {}
    vecs: dict[str, list[np.ndarray]] = {}
    for category, similarity, vector in sample:
        sims.setdefault(category, []).append(similarity)
        if vector:
            vecs.setdefault(category, []).append(np.frombuffer(vector, dtype=np.float16).astype(np.float32))
    if not sims:
        return None
    extra = _accepted(signals.calibrate, vectors={c: np.stack(v) for c, v in vecs.items()})
    try:
        return signals.calibrate(sims, **extra)
    except NotImplementedError:
        return None


def _accepted(fn, **candidates) -> dict:
    """The keyword arguments `fn` takes (the signals may extend their signatures with defaulted ones)."""
    params = inspect.signature(fn).parameters
    return {k: v for k, v in candidates.items() if k in params}


class _TextVectors:
    """The sentence encoder behind an LRU by text: a product's title and category are encoded once
    for all its reviews, and the signals' own encoding of a review (RV-K-5) reuses the service's."""

    SIZE = 4096

    def __init__(self):
        self.lock = Lock()
        self.cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def warm(self, texts: Iterable[str]) -> None:
        """Encode the texts not cached yet in one encoder call (the encoder runs them as one flat
        batch: a short review alone spends most of its time streaming the weights)."""
        self(list(dict.fromkeys(t for t in texts if t.strip())))

    def __call__(self, texts) -> np.ndarray:
        texts = list(texts)
        with self.lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        fresh = dict(zip(missing, encoder.encode(missing), strict=True)) if missing else {}
        with self.lock:
            rows = [fresh[t] if t in fresh else self.cache[t] for t in texts]
            for t, v in fresh.items():
                self.cache[t] = v
            for t in texts:
                self.cache.move_to_end(t)
            while len(self.cache) > self.SIZE:
                self.cache.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


text_vectors = _TextVectors()


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = Lock()


def _cache(session: Session) -> tuple[_Duplicates, _Calibrations]:
    engine = session.get_bind()
    with _caches_lock:
        found = _caches.get(engine)
        if found is None:
            found = _caches[engine] = (_Duplicates(), _Calibrations())
    return found


# ---------------------------------------------------------------- orders


def order_json(row) -> dict:
    return {"order_id": row.order_id, "shop_id": row.shop_id, "product_id": row.product_id, "buyer_id": row.buyer_id,
            "ordered_at": row.ordered_at, "status": row.status, "paid_at": row.paid_at, "shipped_at": row.shipped_at,
            "delivered_at": row.delivered_at, "identity": {a: getattr(row, a) for a in IDENTITY},
            # CR-10: the creator, content and commission it was placed through, as posted
            "creator_id": row.creator_id, "content_id": row.content_id,
            "commission": None if row.commission is None else {"amount": float(row.commission), "currency": row.commission_currency}}


def post_order(ctx: Context, principal: Principal, body: dict) -> tuple[dict, int]:
    """Record an order (201); the same order again is 200, a new status or a first paid, shipped or
    delivered time updates it (200), any other difference is a 409. Sales move DY-LQ-1, so the
    product is judged afterwards; the order's DY-QL-1 counts move in the same transaction."""
    require(principal, "order.write", body["shop_id"])
    ordered_at = event_time(ctx, principal, body.get("ordered_at"), "ordered_at")
    now = ctx.clock()
    with ctx.db.transaction() as s:
        shop = shops.get(s, body["shop_id"])
        if shop is None:
            raise InvalidInput.one("shop_id", f"unknown shop {body['shop_id']!r}; create it first with PUT /v1/shops/{{shop_id}}")
        head = products.get(s, body["product_id"])
        if head is None or head.shop_id != shop.shop_id:
            raise InvalidInput.one("product_id", f"shop {shop.shop_id} has no product {body['product_id']!r}; orders are for the shop's own listings")
        pack = ctx.pack(shop.policy_id)
        row = experience_store.lock_order(s, body["order_id"])
        if row is None:  # a new order: posts of it (and the shop's other new orders) take turns on the shop's lock, then look again
            shops.lock(s, shop.shop_id)
            row = experience_store.lock_order(s, body["order_id"])
        status = 200
        attribution = order_attribution(s, body)
        if row is None:
            times = experience.order_times(ctx, principal, body, ordered_at, None)
            poor_quality.check_order_limit(ctx, s, shop.shop_id, ordered_at)
            reviews.add_order(s, {k: body.get(k) for k in ("order_id", "shop_id", "product_id", "buyer_id", "status", *IDENTITY)}
                              | times | {"ordered_at": ordered_at, "created_at": now, "updated_at": now, "created_by": principal.key_id} | attribution)
            s.flush()
            row, status, before = reviews.get_order(s, body["order_id"]), 201, None
        else:
            _same_order(row, body, ordered_at if body.get("ordered_at") else None)
            times = experience.order_times(ctx, principal, body, row.ordered_at, row)
            moved = {f: t for f, t in times.items() if t != getattr(row, f)}
            if row.status == body["status"] and not moved:
                return order_json(row) | {"ban": None}, 200
            before = experience_store.facts(s, row)
            row.status, row.updated_at = body["status"], now
            for f, t in moved.items():
                setattr(row, f, t)
            s.flush()
        experience.recount(s, pack, row, before, now)
        at = ordered_at if status == 201 else now  # a status change happens now
        ban = judge_and_ban(ctx, s, pack, head.product_id, at, principal.key_id)
        return order_json(row) | {"ban": ban}, status


def order_attribution(s, body: dict) -> dict:
    """CR-10: the creator, content and commission of an order placed through content, checked."""
    creator_id, content_id, commission = body.get("creator_id"), body.get("content_id"), body.get("commission")
    if creator_id is None and (content_id is not None or commission is not None):
        raise InvalidInput.one("creator_id", "content_id and commission come with the creator whose content the order came through")
    if creator_id is None:
        return {}
    if creators.get(s, creator_id) is None:
        raise InvalidInput.one("creator_id", f"unknown creator {creator_id!r}")
    if content_id is not None:
        content = creators.content(s, content_id)
        if content is None or content.creator_id != creator_id:
            raise InvalidInput.one("content_id", f"no content {content_id!r} of creator {creator_id!r}")
    amount = None if commission is None else Decimal(str(commission["amount"])).quantize(Decimal("0.01"))
    return {"creator_id": creator_id, "content_id": content_id, "commission": amount,
            "commission_currency": None if commission is None else commission["currency"]}


def _same_order(row, body: dict, ordered_at: datetime | None) -> None:
    fields = ("shop_id", "product_id", "buyer_id", "creator_id", "content_id", *IDENTITY)
    changed = [f for f in fields if getattr(row, f) != body.get(f)]
    if ordered_at is not None and ordered_at != row.ordered_at:
        changed.append("ordered_at")
    if changed:
        raise Conflict(f"order {row.order_id} was recorded with other {', '.join(changed)}; only its status and missing times may change", rule=None)


# ---------------------------------------------------------------- reviews in


def post_review(ctx: Context, principal: Principal, body: dict, wait: float | None = None) -> tuple[dict, int]:
    """Store a review with its signals (201), then judge its product (DY-LQ-1). The same id and
    body again is 200 with what was stored; a different body, or a second review of the order, 409.
    `wait` 0: the encoder's signals are left to the analysis workers (the answer's `pending`)."""
    out, status, deferred = _post_review(ctx, principal, body, wait)
    if deferred:
        analysis.notify(ctx)
    return out, status


def _post_review(ctx: Context, principal: Principal, body: dict, wait: float | None) -> tuple[dict, int, bool]:
    require(principal, "review.write")
    posted_at = event_time(ctx, principal, body.get("posted_at"), "posted_at")
    with ctx.db.transaction() as s:
        order = experience_store.lock_order(s, body["order_id"])
        if order is None:
            raise InvalidInput.one("order_id", f"unknown order {body['order_id']!r}; send it first with POST /v1/orders")
        require(principal, "review.write", order.shop_id)
        existing = reviews.get(s, body["review_id"])
        if existing is not None:
            _same_review(existing, body, posted_at if body.get("posted_at") else None)
            return review_json(existing, reviews.hide_of(s, existing.review_id), principal, ctx.clock(), reviews.signals_of(s, existing.review_id)), 200, False
        _check_order(s, order, posted_at)
        before = experience_store.facts(s, order)
        shop = shops.get(s, order.shop_id)
        pack = ctx.pack(shop.policy_id)
        check_limits(pack, {"text": body["text"]})
        image_text.check_pixels(s, body["images"], pack.scan_limits.max_image_pixels)
        view = ReviewView(body["review_id"], order.order_id, order.shop_id, order.product_id, order.buyer_id, body["rating"], body["text"],
                          posted_at, image_texts(ctx, s, body["images"]))
        product = product_view(s, order.product_id)
        dctx = detect_context(ctx, s, shop, pack, posted_at)
        pending = deferred_rules(dctx, view) if wait == 0 else []
        findings, similarity, vector = compute_signals(ctx, s, shop, pack, view, product, posted_at, dctx=dctx, encode=not pending)
        added = reviews.add(s, {"review_id": view.review_id, "order_id": order.order_id, "shop_id": order.shop_id, "product_id": order.product_id,
                        "buyer_id": order.buyer_id, "rating": view.rating, "text": view.text, "images": list(body["images"]), "posted_at": posted_at,
                        "category": product.category or None, "product_similarity": similarity, "vector": vector, "findings": [finding_json(f) for f in findings],
                        "flagged": bool(findings), "pending": pending or None, "policy_version": pack.version, "created_at": ctx.clock(),
                        "created_by": principal.key_id})
        if not added:  # a concurrent post stored first: the same review is 200, another review of the order 409
            existing = reviews.get(s, body["review_id"])
            if existing is None:
                _check_order(s, order, posted_at)
                raise Conflict(f"order {order.order_id} got its review from a concurrent request; one review per order", rule=None)
            _same_review(existing, body, posted_at if body.get("posted_at") else None)
            return review_json(existing, reviews.hide_of(s, existing.review_id), principal, ctx.clock(), reviews.signals_of(s, existing.review_id)), 200, False
        if pending:
            analysis.request_review(s, view.review_id, order.shop_id)
        s.flush()
        experience.recount(s, pack, order, before, ctx.clock())
        ban = judge_and_ban(ctx, s, pack, order.product_id, posted_at, principal.key_id, product.category)
        row = reviews.get(s, view.review_id)
        return review_json(row, None, principal, ctx.clock()) | {"ban": ban}, 201, bool(pending)


def deferred_rules(dctx: DetectContext, view: ReviewView) -> list[str]:
    """The rules whose signals need the encoder for this review (none for an empty text or when the
    pack disables them): what a deferred review owes."""
    if not view.text.strip():
        return []
    return [rule for rule, kind in DEFERRED.items() if dctx.enabled(kind)]


@analysis.prepares(analysis.REVIEW)
def _review_batch(ctx: Context, payloads: Sequence[dict[str, Any]]) -> None:
    """The analysis' batch step for reviews: their texts and products' titles through the encoder at once."""
    warm(ctx, [str(p["review_id"]) for p in payloads])


@analysis.handles(analysis.REVIEW)
def _review_work(ctx: Context, payload: dict[str, Any]) -> dict | None:
    """The analysis' review work, one job: `complete`, looked up when the work runs."""
    return complete(ctx, str(payload["review_id"]))


@analysis.handles_many(analysis.REVIEW)
def _review_works(ctx: Context, payloads: list[dict[str, Any]]) -> list[dict | None]:
    """The analysis' review work, a batch's jobs at once (`complete_many`)."""
    return complete_many(ctx, [str(p["review_id"]) for p in payloads])


def warm(ctx: Context, review_ids: Iterable[str]) -> None:
    """The analysis workers' heavy part for a batch (outside any transaction): the texts of the
    reviews that still owe signals and their products' titles, through the encoder at once — but
    not the texts whose findings the encoder cannot change (gibberish: `signals.needs_encoder`)."""
    with ctx.db.read() as s:
        rows = reviews.owed(s, list(review_ids))
        packs = {shop_id: ctx.pack(shops.get(s, shop_id).policy_id) for shop_id in dict.fromkeys(r.shop_id for r in rows)}
        dctxs = {shop_id: DetectContext.from_pack(pack) for shop_id, pack in packs.items()}
        rows = [r for r in rows if signals.needs_encoder(_view_of(r), dctxs[r.shop_id])]
        titles = [topic_text(product_view(s, pid)) for pid in dict.fromkeys(r.product_id for r in rows)]
    text_vectors.warm([*(r.text for r in rows), *titles])


def _view_of(row, image_lines: tuple = ()) -> ReviewView:
    return ReviewView(row.review_id, row.order_id, row.shop_id, row.product_id, row.buyer_id, row.rating, row.text, row.posted_at, image_lines)


def complete(ctx: Context, review_id: str) -> dict | None:
    """A deferred review's signals: the rules it owes computed through `compute_signals` as of its
    posting time (with the encoder) beside the fast ones it was answered with, written in; None when
    it owes nothing (done before, or unknown)."""
    return complete_many(ctx, [review_id])[0]


def complete_many(ctx: Context, review_ids: Sequence[str]) -> list[dict | None]:
    """`complete` for a worker batch's reviews in one transaction, each as `complete` computes it:
    the owed rows read at once, each shop's pack and context, the calibration and the duplicate
    index's sync once for the batch, the signals' rows written in one statement. One result per id,
    in order (None: owes nothing, or an id repeated)."""
    with ctx.db.transaction() as s:
        rows = {r.review_id: r for r in reviews.owed(s, list(dict.fromkeys(review_ids)))}
        if not rows:
            return [None] * len(review_ids)
        duplicates, calibrations = _cache(s)
        duplicates.sync(s)
        calibration = calibrations.get(s)
        packs: dict[str, PolicyPack] = {}
        now, values = ctx.clock(), {}
        for row in rows.values():
            if row.shop_id not in packs:
                packs[row.shop_id] = ctx.pack(shops.get(s, row.shop_id).policy_id)
            pack, owed = packs[row.shop_id], frozenset(row.pending)
            view = _view_of(row, image_texts(ctx, s, list(row.images)))
            findings, similarity, vector = compute_signals(ctx, s, None, pack, view, product_view(s, row.product_id), row.posted_at,
                                                           only=owed, calibration=calibration, synced=True)
            kept = [f for f in row.findings if f["rule"] not in owed]  # the fast signals stand as answered
            merged = sorted(kept + [finding_json(f) for f in findings], key=lambda f: f["rule"])
            values[row.review_id] = {"review_id": row.review_id, "findings": merged, "flagged": bool(merged),
                                     "product_similarity": similarity, "vector": vector, "computed_at": now}
        written = set(reviews.add_signals_many(s, list(values.values())))
    out: list[dict | None] = []
    for rid in review_ids:
        out.append({"review_id": rid, "signals": values[rid]["findings"]} if rid in written else None)
        written.discard(rid)
    return out


def post_reviews(ctx: Context, principal: Principal, bodies: list[dict], wait: float | None = None) -> list[tuple[dict, int]]:
    """Several reviews, each as `post_review` stores it (its own transaction, its own answer); the
    sentence encoder runs once for all their texts and their products' titles first (`wait` 0:
    not at all, the workers do it)."""
    if wait == 0:
        return [post_review(ctx, principal, body, wait) for body in bodies]
    with ctx.db.read() as s:
        products_of = {o.order_id: o.product_id for b in bodies if (o := reviews.get_order(s, b["order_id"])) is not None}
        titles = [topic_text(product_view(s, pid)) for pid in dict.fromkeys(products_of.values())]
    text_vectors.warm([*(b["text"] for b in bodies), *titles])
    return [post_review(ctx, principal, body) for body in bodies]


def _same_review(row, body: dict, posted_at: datetime | None) -> None:
    changed = [f for f in ("order_id", "rating", "text", "images") if getattr(row, f) != body[f]]
    if posted_at is not None and posted_at != row.posted_at:
        changed.append("posted_at")
    if changed:
        raise Conflict(f"review {row.review_id} was posted with other {', '.join(changed)}; a posted review does not change", rule=None)


def _check_order(session: Session, order, posted_at: datetime) -> None:
    if order.status not in SALE_STATUSES:
        raise InvalidInput.one("order_id", f"order {order.order_id} is {order.status}; only an order paid or later ({', '.join(SALE_STATUSES)}) can be reviewed")
    if posted_at < order.ordered_at:
        raise InvalidInput.one("posted_at", f"before the order was placed ({order.ordered_at.isoformat()})")
    other = reviews.of_order(session, order.order_id)
    if other is not None:
        raise Conflict(f"order {order.order_id} already has review {other.review_id}; one review per order", rule=None)


def image_texts(ctx: Context, session: Session, ids: list[str]) -> tuple:
    """(image id, text, box) of every line read from the review's images (QR payloads and OCR); unknown ids 422."""
    if not ids:
        return ()
    return tuple((img["image_id"], line["text"], tuple(tuple(p) for p in line["box"]) if line.get("box") else None)
                 for img in image_text.read_images(ctx, session, ids) for line in img["lines"])


_product_views: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> LRU of (product id, version, updated_at) -> view
_product_views_lock = Lock()
PRODUCT_VIEWS = 4096


def product_view(session: Session, product_id: str) -> ProductView:
    """The product's title and category as of its latest version, cached per database and product
    version (a version is never changed, so every review of a product reads it once; the head's
    `updated_at` tells a version written again after a rollback from the one cached)."""
    head = products.get(session, product_id)
    if head is None:
        return ProductView(product_id, "", "", "")
    key = (product_id, head.version, head.updated_at, head.shop_id)
    with _product_views_lock:
        cache = _product_views.setdefault(session.get_bind(), OrderedDict())
        found = cache.get(key)
    if found is not None:
        return found
    listing = products.version(session, product_id, head.version).listing
    view = ProductView(product_id, head.shop_id, str(listing.get("title") or ""), str(listing.get("category") or ""))
    with _product_views_lock:
        cache[key] = view
        while len(cache) > PRODUCT_VIEWS:
            cache.popitem(last=False)
    return view


# ---------------------------------------------------------------- signals


def compute_signals(ctx: Context, session: Session, shop, pack: PolicyPack, view: ReviewView, product: ProductView, at: datetime,
                    extra_near: Iterable[tuple[str, str]] = (), dctx: DetectContext | None = None,
                    encode: bool = True, only: frozenset[str] | None = None,
                    calibration: Calibration | None = None, synced: bool = False) -> tuple[list[Finding], float | None, bytes | None]:
    """Every RV-K-* finding for `view` from its history as of `at`; its product similarity (RV-K-5's
    raw measure) and its sentence vector (float16 bytes), kept for the calibration. `encode` False:
    the fast signals only (the encoder's are deferred: no similarity, no vector). `only` (a subset
    of DEFERRED, the workers'): those rules' findings alone, from the history they read (the
    product and the near-copies; not the buyer's reviews, chat or identity links). `calibration`
    and `synced` (the duplicate index already brought up to date) are a worker batch's, read once
    for all its reviews. Gibberish is never encoded (`signals.needs_encoder`): no similarity, no vector."""
    duplicates, calibrations = _cache(session)
    near = duplicates.near(session, view.text, view.review_id, sync=not synced) if view.text.strip() else ()
    shared = duplicates.shared(view.text, view.shop_id, view.review_id) if view.text.strip() else ()
    copies = dict((*near, *extra_near))  # review id -> its shop
    if only is not None and not only <= DEFERRED.keys():
        raise ValueError(f"only the encoder's rules are computed alone ({', '.join(DEFERRED)}), not {sorted(only)}")
    if only is not None:
        history = ReviewHistory(product, near_duplicates=tuple(copies), near_duplicate_shops=tuple(copies.values()), shared_clauses=shared)
    else:
        history = ReviewHistory(product, buyer_reviews=_buyer_reviews(session, view, at), chat=_chat(session, view, at),
                                linked_shops=linked_shops(session, view.buyer_id, view.shop_id, at), near_duplicates=tuple(copies),
                                near_duplicate_shops=tuple(copies.values()), shared_clauses=shared)
    similarity = vector = None
    if dctx is None and only is not None:
        dctx = DetectContext.from_pack(pack, at=at)  # the encoder's rules read the pack's settings only: no shop reads
    dctx = dctx or detect_context(ctx, session, shop, pack, at)
    if encode and signals.needs_encoder(view, dctx):
        try:
            similarity = float(signals.product_similarity(view, product, text_vectors))
            vector = text_vectors([view.text])[0].astype(np.float16).tobytes()
        except NotImplementedError:
            pass
    extra = _accepted(signals.review_signals, negative_max_rating=pack.review_reports.negative_max_rating) if pack.review_reports else {}
    if only is not None:
        extra["rules"] = only  # the owed rules alone are computed
    if encode:
        calibration = calibration if calibration is not None else calibrations.get(session)
        findings = signals.review_signals(view, history, dctx, text_vectors, calibration, **extra)
    else:
        findings = signals.review_signals(view, history, dctx, None, None, **extra)
    return [f for f in findings if only is None or f.rule in only], similarity, vector


def _buyer_reviews(session: Session, view: ReviewView, at: datetime) -> tuple[ReviewView, ...]:
    return tuple(ReviewView(r.review_id, r.order_id, r.shop_id, r.product_id, r.buyer_id, r.rating, r.text, r.posted_at)
                 for r in reviews.buyer_reviews(session, view.shop_id, view.buyer_id, at, view.review_id))


def _chat(session: Session, view: ReviewView, at: datetime) -> tuple[ChatLine, ...]:
    return tuple(ChatLine(m.message_id, m.text, m.sent_at, m.sender == "buyer") for m in reviews.chat(session, view.shop_id, view.buyer_id, at))


def _mask(value: str) -> str:
    return f"{value[:2]}…{value[-2:]}" if len(value) > 6 else "…"


def linked_shops(session: Session, buyer_id: str, shop_id: str, at: datetime) -> tuple[IdentityLink, ...]:
    """RV-K-3's identity graph: other shops that share an identity attribute with the buyer's
    orders, with what they sell; one link per shop and attribute, the shared value masked."""
    shared = reviews.shops_sharing(session, reviews.buyer_identities(session, buyer_id, at), shop_id)
    if not shared:
        return ()
    categories = reviews.shop_categories(session, sorted({r.shop_id for r in shared}))
    links: dict[tuple[str, str], IdentityLink] = {}
    for r in shared:
        links.setdefault((r.shop_id, r.attribute), IdentityLink(r.shop_id, categories.get(r.shop_id, ()), r.attribute, _mask(r.value)))
    return tuple(links.values())


def finding_json(f: Finding) -> dict:
    """A signal as stored and shown: the scan's shape, with the explanation in both languages."""
    return f.as_dict("en") | {"explanation": {"en": f.explanation.en, "zh": f.explanation.zh}}


# ---------------------------------------------------------------- DY-LQ-1


def verdict_of(session: Session, settings: LowPositiveRate, product_id: str, category: str | None, at: datetime) -> tuple[Verdict, dict[int, int], int]:
    hist, hidden = reviews.histogram(session, product_id, at)
    n = sum(hist.values())
    return judge(reviews.sales(session, product_id, at), positives_of(hist, settings.positive_min_rating), n, settings, category), hist, hidden


def judge_and_ban(ctx: Context, session: Session, pack: PolicyPack, product_id: str, at: datetime, by: str, category: str | None = None) -> dict | None:
    """DY-LQ-1 after a review or an order: a live product whose bound fell below the threshold is
    banned (the DY-LQ-6 tier the pack names) with the figures as its statement of reasons."""
    settings = pack.low_positive_rate
    head = products.get(session, product_id)
    if settings is None or head is None or head.status == "banned" or bans.VIOLATION_TYPE not in pack.types:
        return None
    category = category if category is not None else product_view(session, product_id).category
    verdict, _, _ = verdict_of(session, settings, product_id, category or None, at)
    if not verdict.low:
        return None
    policy = f"{pack.id} v{pack.version}"
    body = {"reason": "low_positive_rate", "severity": settings.severity,
            "statement": statement(verdict, policy, "zh") + "\n" + statement(verdict, policy, "en")}
    try:  # in a savepoint: when a concurrent order or review banned the product first, this one still stands
        with session.begin_nested():
            banned = bans.ban_in(ctx, session, product_id, bans.BanInput(**body), at, by).as_json()
    except Conflict as exc:
        if exc.rule != "DY-LQ-2":
            raise
        return None
    return banned | {"rule": LOW_RATE_RULE, "figures": verdict.as_dict()}


def _readable_product(session: Session, principal: Principal, product_id: str):
    head = products.get(session, product_id)
    if head is None:
        raise NotFound.no("product", product_id)
    require(principal, "review.read", head.shop_id)
    return head


def rating(ctx: Context, principal: Principal, product_id: str, at: datetime | None) -> dict:
    """`GET /v1/products/{id}/rating`: visible reviews only (RV-6), with DY-LQ-1's figures."""
    at = at or ctx.clock()
    with ctx.db.read() as s:
        head = _readable_product(s, principal, product_id)
        pack = ctx.pack(shops.get(s, head.shop_id).policy_id)
        category = product_view(s, product_id).category or None
        settings = pack.low_positive_rate
        if settings is not None:
            verdict, hist, hidden = verdict_of(s, settings, product_id, category, at)
            judged = verdict.as_dict()
        else:
            hist, hidden = reviews.histogram(s, product_id, at)
            n, pos = sum(hist.values()), positives_of(hist, DEFAULT_POSITIVE)
            judged = {"rule": LOW_RATE_RULE, "outcome": None, "low": False, "sales": reviews.sales(s, product_id, at), "reviews": n, "positives": pos,
                      "positive_rate": round(pos / n, 4) if n else None, "wilson_lower_bound": round(wilson_lower_bound(pos, n, DEFAULT_Z), 4),
                      "threshold": None, "category": category, "threshold_category": None, "confidence_z": DEFAULT_Z, "min_sales": None, "min_reviews": None}
    n = sum(hist.values())
    return {"product_id": product_id, "shop_id": head.shop_id, "status": head.status, "at": at, "policy": pack.id, "policy_version": pack.version,
            "average": round(sum(r * c for r, c in hist.items()) / n, 4) if n else None, "hidden": hidden,
            "histogram": {str(r): hist.get(r, 0) for r in range(1, 6)},
            "positive_min_rating": settings.positive_min_rating if settings else DEFAULT_POSITIVE} | judged


def stats(ctx: Context, principal: Principal, product_id: str, at: datetime | None = None) -> dict:
    """`shopwarden reviews stats`: the rating summary and the RV-K-* signals on the product's reviews, by rule."""
    out = rating(ctx, principal, product_id, at)
    with ctx.db.read() as s:
        out["signals"] = dict(sorted(reviews.signal_counts(s, product_id).items()))
        out["title"] = product_view(s, product_id).title
    return out


# ---------------------------------------------------------------- reading reviews


def public_json(row) -> dict:
    """What a buyer sees on the product page: no buyer, order or signals."""
    return {"review_id": row.review_id, "product_id": row.product_id, "rating": row.rating, "text": row.text, "images": row.images, "posted_at": row.posted_at}


def hidden_json(hide) -> dict:
    return {"hidden_at": hide.hidden_at, "report_id": hide.report_id, "reason": hide.reason, "rule": hide.rule, "i18n": HIDE_TEXT}


def review_json(row, hide, principal: Principal, at: datetime, done=None) -> dict:
    """The full view: hidden reviews show as hidden, with the decision's reason; signals only to the
    platform and operators — a deferred review's from its `review_signals` row (`done`) once written."""
    hidden = hide is not None and hide.hidden_at <= at
    out = {"review_id": row.review_id, "order_id": row.order_id, "shop_id": row.shop_id, "product_id": row.product_id, "buyer_id": row.buyer_id,
           "rating": row.rating, "text": row.text, "images": row.images, "posted_at": row.posted_at,
           "visibility": "hidden" if hidden else "public", "hidden": hidden_json(hide) if hidden else None, "policy_version": row.policy_version}
    if principal.role in SIGNAL_ROLES:
        signed = done or row
        out |= {"signals": signed.findings, "product_similarity": None if signed.product_similarity is None else round(signed.product_similarity, 4),
                "pending": [] if done is not None else list(row.pending or ())}
    return out


def get_review(ctx: Context, principal: Principal, review_id: str, at: datetime | None, view: str = "full") -> dict:
    """A review; `view=public` is the product page's (a hidden review is not found there)."""
    at = at or ctx.clock()
    with ctx.db.read() as s:
        row = reviews.get(s, review_id)
        if row is None or row.posted_at > at:
            raise NotFound.no("review", review_id)
        require(principal, "review.read", row.shop_id)
        hide = reviews.hide_of(s, review_id)
        done = reviews.signals_of(s, review_id) if row.pending else None
    if view == "public":
        if hide is not None and hide.hidden_at <= at:
            raise NotFound(f"review {review_id!r} is not public (hidden after a granted report, RV-6)")
        return public_json(row)
    return review_json(row, hide, principal, at, done)


def product_reviews(ctx: Context, principal: Principal, product_id: str, at: datetime | None, limit: int, offset: int) -> dict:
    """The product page's reviews: visible ones only, newest first."""
    at = at or ctx.clock()
    with ctx.db.read() as s:
        _readable_product(s, principal, product_id)
        rows = reviews.visible_of_product(s, product_id, at, limit, offset)
    return {"product_id": product_id, "at": at, "limit": limit, "offset": offset, "reviews": [public_json(r) for r in rows]}


# ---------------------------------------------------------------- shops' identity (RV-K-3)


def put_identity(ctx: Context, principal: Principal, shop_id: str, body: dict) -> dict:
    """Replace the identity attributes a platform knows of a shop (its devices, payment accounts,
    address hashes, identities): the other end of RV-K-3's links."""
    require(principal, "shop.identity", shop_id)
    with ctx.db.transaction() as s:
        if shops.get(s, shop_id) is None:
            raise NotFound.no("shop", shop_id)
        reviews.set_identity(s, shop_id, {(a, v) for a in IDENTITY for v in body.get(a) or ()}, ctx.clock())
        s.flush()
        rows = reviews.identity_of(s, shop_id)
    return {"shop_id": shop_id, "identity": {a: [r.value for r in rows if r.attribute == a] for a in IDENTITY}}


# ---------------------------------------------------------------- bulk scan (`shopwarden scan`)


def with_review_signals(ctx: Context, session: Session, rec: dict, shop, pack: PolicyPack, dctx: DetectContext, result: ScanResult,
                        seen: DuplicateIndex) -> ScanResult:
    """A JSONL review record's scan plus its RV-K-* signals: history from storage where its shop,
    buyer and product are known, and near-copies among the file's earlier reviews too. Nothing is stored."""
    text = str(rec.get("text") or "")
    rid = str(rec.get("review_id") or rec.get("id") or f"line-{len(seen)}")
    rating = int(rec.get("rating") or 3)
    if not 1 <= rating <= 5:
        raise InvalidInput.one("rating", "must be 1..5")
    product = product_view(session, str(rec["product_id"])) if rec.get("product_id") else ProductView("", "", "", "")
    if not product.title:
        product = ProductView(product.product_id, product.shop_id, str(rec.get("product_title") or ""), str(rec.get("category") or ""))
    view = ReviewView(rid, str(rec.get("order_id") or ""), shop.shop_id if shop else str(rec.get("shop_id") or ""), product.product_id,
                      str(rec.get("buyer_id") or ""), rating, text, dctx.at or ctx.clock())
    local = tuple((i, seen.shop_of(i)) for i in seen.near(text, exclude=rid)) if text.strip() else ()
    if shop is not None:
        findings, _, _ = compute_signals(ctx, session, shop, pack, view, product, view.posted_at, local, dctx)
    else:
        history = ReviewHistory(product, near_duplicates=tuple(i for i, _ in local), near_duplicate_shops=tuple(s for _, s in local))
        findings = signals.review_signals(view, history, dctx, text_vectors, _cache(session)[1].get(session))
    if text.strip():
        seen.add(rid, text, view.shop_id)
    judged = list(result.judged)
    for f in findings:
        decision, index = decide_finding(f, pack.decisions)
        judged.append(Judged(f, decision, None if index is None else pack.decisions[index]))
    return ScanResult(strictest(j.decision for j in judged), tuple(judged))
