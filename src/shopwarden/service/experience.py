"""The experience score's counts and page (DY-QL-1, DY-QL-2, DY-QL-5).

Every input that moves DY-QL-1's counts (an order, its status or times, a review, an after-sale,
a complaint) recounts its order in the same transaction (`recount`): the order's contributions
after the input minus before it (`core.quality.counters`), written as marks and day sums
(`store.experience`). Orders' paid, shipped and delivered times are checked here (`order_times`).

Decisions: a shop under a policy without an `experience:` section has no experience page (404
saying so) and its inputs are not counted; a product's industry is taken from its listing's
category when an input is counted (a later change of category applies to later inputs); the
page's peers stand as of the start of its day (store/experience.py says why). A review hidden
under RV-6 leaves the counts from its posting on, so pages recomputed after the hide no longer
show it even before the hide (unlike the rating, which keeps it until then): the merchant is not
scored on a malicious review, and recorded determinations keep the figures they were made on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopwarden.core.policy.experience import ExperienceRules
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.quality import counters, peers
from shopwarden.core.quality.determinations import Measure
from shopwarden.core.quality.industry import industry_of
from shopwarden.core.quality.poor_products import ProductJudgement, judge
from shopwarden.core.quality.score import Experience, experience, own_entry
from shopwarden.core.quality.window import boundary_days, bounds, by_counter, day_of, start_of, window_sum
from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time
from shopwarden.store import experience as store
from shopwarden.store import products, shops
from shopwarden.store.reviews import OrderRow

FORECAST_POINTS = 10  # the next days on which bad orders leave the window
TREND_DAYS = 7  # the page's trend: the score at the start of each of the last 7 days
WORDS = {counters.LATE_DISPATCHES: "late dispatches", counters.NEGATIVE_REVIEWS: "negative reviews", counters.QUALITY_AFTER_SALES: "quality after-sales",
         counters.COMPLAINTS: "complaints", counters.AFTER_SALES: "after-sales requests"}
PRODUCTS_SHOWN = 50


# ---------------------------------------------------------------- counting


def recount(session: Session, pack: PolicyPack, order: OrderRow, before: counters.OrderFacts | None, now: datetime) -> None:
    """Count the change of one order since `before` (None: a new order). Call after the input is flushed."""
    rules = pack.experience
    if rules is None:
        return
    after = store.facts(session, order)
    change = counters.change(before, after, rules.dispatch_hours, rules.negative_max_rating, frozenset(rules.quality_reasons))
    store.count(session, [store.Change(order.order_id, order.shop_id, order.product_id, product_industry(session, order.product_id), change,
                                       market_of(pack, rules))], now)


def product_industry(session: Session, product_id: str) -> str:
    head = products.get(session, product_id)
    listing = products.version(session, product_id, head.version).listing if head else {}
    return industry_of(str(listing.get("category") or "") if isinstance(listing, dict) else "")


# ---------------------------------------------------------------- order times


ORDER_TIMES = ("paid_at", "shipped_at", "delivered_at")


def order_times(ctx: Context, principal: Principal, body: dict, ordered_at: datetime, stored: OrderRow | None) -> dict[str, datetime | None]:
    """The order's paid, shipped and delivered times after this input: each given one must not be in
    the future and the chain ordered ≤ paid ≤ shipped ≤ delivered must hold (422 naming the field);
    a stored time does not change (409), a missing one may be filled in later."""
    times: dict[str, datetime | None] = {}
    changed = []
    for f in ORDER_TIMES:
        given = event_time(ctx, principal, body[f], f) if body.get(f) is not None else None
        have = getattr(stored, f) if stored is not None else None
        if given is not None and have is not None and given != have:
            changed.append(f)
        times[f] = have if have is not None else given
    if changed:
        raise Conflict(f"order {stored.order_id} was recorded with other {', '.join(changed)}; a recorded time does not change", rule=None)
    previous, previous_name = ordered_at, "ordered_at"
    for f in ORDER_TIMES:
        if times[f] is None:
            continue
        if times[f] < previous:
            raise InvalidInput.one(f, f"before {previous_name} ({previous.isoformat()}); times run ordered ≤ paid ≤ shipped ≤ delivered")
        previous, previous_name = times[f], f
    return times


# ---------------------------------------------------------------- the page (DY-QL-5)


def market_of(pack: PolicyPack, rules: ExperienceRules) -> store.Market:
    """Peers share a policy and the settings their snapshot depends on."""
    return store.Market(f"{pack.id}:{rules.window_days}:{rules.min_orders}", pack.id, rules.window_days, rules.min_orders)


def industries_on(ctx: Context, pack: PolicyPack, rules: ExperienceRules, day: date, names: Iterable[str] | None = None) -> dict[str, peers.Industry]:
    """The industries' peers as of the start of `day` (whole days [day − window, day)): those named
    (all when None) from the day's kept snapshot; when it is not kept, every industry's, from the
    market's kept state (store/experience.py), kept as the day's snapshot when `day` is not in the
    future (a future day's is built from the day sums and not kept)."""
    market = market_of(pack, rules)
    with ctx.db.read() as s:
        kept = store.snapshot(s, day, market.key, names)
        if kept is None and day > day_of(ctx.clock()):
            rows = store.industry_sums(s, pack.id, day - timedelta(days=rules.window_days), day - timedelta(days=1))
    if kept is not None:
        return kept
    if day > day_of(ctx.clock()):
        return peers.build(rows, rules.min_orders)
    for attempt in (1, 2):
        try:
            with ctx.db.transaction() as s:
                return store.peers_on(s, market, day, ctx.clock(), history_days=TREND_DAYS - 1)
        except IntegrityError:
            if attempt == 2:  # a concurrent page kept the same day first: read it
                raise


@dataclass(frozen=True)
class ShopWindow:
    """The shop's counts over (lo, at] per (product, industry, counter), and what later windows need."""

    lo: datetime
    at: datetime
    totals: Counter

    @property
    def shop(self) -> Counter:
        return by_counter(self.totals)

    def industry(self) -> str | None:
        orders = Counter()
        for (_p, industry, counter), n in self.totals.items():
            if counter == counters.ORDERS:
                orders[industry] += n
        return peers.main_industry(orders)


@dataclass(frozen=True)
class Assessment:
    """Everything the page shows of one shop at one instant, before it is rendered."""

    pack: PolicyPack
    rules: ExperienceRules
    window: ShopWindow
    industry: str | None
    peers: peers.Industry
    industries: dict[str, peers.Industry]
    own: dict[str, float]
    result: Experience
    products: list[ProductJudgement]
    forecast: list[dict]
    trend: list[dict] = field(default_factory=list)


def _rules_of(s, ctx: Context, shop_id: str) -> tuple[PolicyPack, ExperienceRules]:
    shop = shops.get(s, shop_id)
    if shop is None:
        raise NotFound(f"no shop {shop_id!r}")
    pack = ctx.pack(shop.policy_id)
    if pack.experience is None:
        raise NotFound(f"policy {pack.id} scores no experience (its pack has no experience section)")
    return pack, pack.experience


def assess(ctx: Context, shop_id: str, at: datetime, detail: bool = True, trend_days: int = 0) -> Assessment:
    """The shop's experience at `at` (no roles checked: callers do); without `detail`, only the score
    and its indicators (no products, no forecast); with `trend_days`, its trend too (`trend`), from
    the same read of the shop's counts and kept snapshots."""
    ends = _trend_ends(at, trend_days)
    with ctx.db.read() as s:
        pack, rules = _rules_of(s, ctx, shop_id)
        lo, span = bounds(at, rules.window_days)[0], timedelta(days=rules.window_days)
        days = store.day_counts(s, shop_id, min([day_of(lo), *(day_of(t - span) for t in ends)]), day_of(at))
        leave = _leave_days(days, lo, at, rules) if detail else []
        marks = store.marks(s, shop_id, {*boundary_days(lo, at), *(d + timedelta(days=1) for d in leave), *(d for t in ends for d in boundary_days(t - span, t))})
        window = ShopWindow(lo, at, window_sum(days, marks, lo, at))
        windows = [ShopWindow(t - span, t, window_sum(days, marks, t - span, t)) for t in ends]
        names = {window.industry() or "", *(w.industry() or "" for w in windows), *((i for _p, i, _c in window.totals) if detail else ())}
        kept = store.snapshots(s, sorted({day_of(at), *(day_of(t) for t in ends)}), market_of(pack, rules).key, names)
    name = window.industry()
    industries = kept[day_of(at)] if kept[day_of(at)] is not None else industries_on(ctx, pack, rules, day_of(at), names)
    industry = industries.get(name or "") or peers.Industry(name or "")
    own = _own_entry(days, day_of(at), rules, name)
    result = experience(rules, window.shop, industry, own)
    points = [{"at": w.at, "score": _score_on(ctx, pack, rules, days, w, kept[day_of(w.at)])} for w in windows]
    if not detail:
        return Assessment(pack, rules, window, name, industry, industries, own, result, [], [], points)
    return Assessment(pack, rules, window, name, industry, industries, own, result, _judge_products(window, industries, rules),
                      _forecast(days, marks, leave, window, industry, own, rules), points)


def _trend_ends(at: datetime, days: int) -> list[datetime]:
    return [t for k in range(days - 1, -1, -1) if (t := start_of(day_of(at) - timedelta(days=k))) <= at]


def _score_on(ctx: Context, pack: PolicyPack, rules: ExperienceRules, days, window: ShopWindow, kept: dict | None) -> float | None:
    """The score of a window ending at the start of a day, against that day's peers."""
    name = window.industry()
    industries = kept if kept is not None else industries_on(ctx, pack, rules, day_of(window.at), {name or ""})
    industry = industries.get(name or "") or peers.Industry(name or "")
    return experience(rules, window.shop, industry, _own_entry(days, day_of(window.at), rules, name)).score


def trend(ctx: Context, shop_id: str, at: datetime, days: int = TREND_DAYS) -> list[dict]:
    """DY-QL-5's trend: the score at the start of `at`'s day and of the `days` − 1 before it, oldest
    first; as `assess` would give each."""
    return assess(ctx, shop_id, at, detail=False, trend_days=days).trend


def page(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> dict:
    """GET /v1/shops/{shop_id}/experience (API.md)."""
    require(principal, "experience.read", shop_id)
    at = at or ctx.clock()
    a = assess(ctx, shop_id, at, trend_days=TREND_DAYS)
    with ctx.db.read() as s:
        recorded = [d for d in store.determinations_of(s, shop_id) if d.at <= at]  # decided up to `at`; a few per shop
        frauds = store.frauds_of(s, shop_id)
    return {"shop_id": shop_id, "at": at, "policy": a.pack.id, "policy_version": a.pack.version, "window_days": a.rules.window_days,
            "name": a.rules.name.model_dump(), "scale_min": a.rules.scale_min, "scale": a.rules.scale, "score": a.result.score, "orders": a.result.orders, "min_orders": a.rules.min_orders, "industry": a.industry,
            "indicators": _indicators_json(a.result), "products": [_product_json(j) for j in a.products[:PRODUCTS_SHOWN]],
            "determinations": [determination_json(d, _until(frauds.get(d.determination_id), at)) for d in reversed(recorded)], "trend": a.trend, "forecast": a.forecast}


def _until(fraud, at: datetime):
    return fraud if fraud is not None and fraud.found_at <= at else None


def _own_entry(days, day: date, rules: ExperienceRules, industry: str | None) -> dict[str, float]:
    """The shop's entry in the snapshot of `day` (whole days [day − window, day)), to leave it out of its peers."""
    first = day - timedelta(days=rules.window_days)
    totals, orders = Counter(), Counter()
    for d in days:
        if first <= d.day < day:
            totals[d.counter] += d.value
            if d.counter == counters.ORDERS:
                orders[d.industry] += d.value
    return own_entry(rules, totals) if peers.main_industry(orders) == industry else {}


def _indicators_json(result: Experience) -> list[dict]:
    return [{"id": i.id, "group": i.group, "weight": round(i.weight, 4), "value": _r(i.rate.value, 4), "industry_mean": _r(i.industry_mean, 4),
             "count": i.rate.count, "of": i.rate.of, "score": _r(i.score, 1)} for i in result.indicators]


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _judge_products(window: ShopWindow, industries: dict[str, peers.Industry], rules: ExperienceRules) -> list[ProductJudgement]:
    """Every product with orders or feedback in the window, judged for DY-QL-3; the poor and the worst bounds first."""
    per: dict[tuple[str, str], Counter] = {}
    for (product, industry, counter), n in window.totals.items():
        per.setdefault((product, industry), Counter())[counter] += n
    judged = []
    for (product, industry), totals in per.items():
        mean = industries[industry].mean("negative_feedback_rate") if industry in industries else None
        judged.append(judge(product, industry, totals[counters.NEGATIVE_FEEDBACK], totals[counters.ORDERS], mean, rules.poor_quality_product))
    judged.sort(key=lambda j: (not j.poor_quality, -j.lower_bound, -j.negative_feedback, j.product_id))
    return judged


def _product_json(j: ProductJudgement) -> dict:
    return {"product_id": j.product_id, "industry": j.industry, "negative_feedback_rate": _r(j.rate, 4), "negative_feedback": j.negative_feedback,
            "lower_bound": round(j.lower_bound, 4), "industry_mean": _r(j.industry_mean, 4), "orders": j.orders, "poor_quality": j.poor_quality,
            "rule": "DY-QL-3"}


def _leave_days(days, lo: datetime, at: datetime, rules: ExperienceRules) -> list[date]:
    """The first days, in the window, on which a count that lowers the score moved."""
    bad = sorted({d.day for d in days if d.counter in counters.BAD and d.value > 0 and day_of(lo) <= d.day <= day_of(at)})
    return bad[:FORECAST_POINTS]


def _forecast(days, marks, leave: list[date], window: ShopWindow, industry: peers.Industry, own: dict[str, float], rules: ExperienceRules) -> list[dict]:
    """DY-QL-5: if nothing changes, the day's bad orders leave the window at the start of the day after
    it plus the window; the score then, against today's peers, and what left."""
    out, previous = [], window.shop
    for d in leave:
        lo = start_of(d + timedelta(days=1))
        when = lo + timedelta(days=rules.window_days)
        if when <= window.at:
            continue
        now = by_counter(window_sum(days, marks, lo, window.at))
        left = {k: previous[k] - now[k] for k in counters.BAD if previous[k] - now[k] > 0}
        previous = now
        if not left:
            continue
        score = experience(rules, now, industry, own).score
        why = ", ".join(f"{n} {WORDS[k]}" for k, n in left.items())
        out.append({"at": when, "score": score, "why": f"{why} recorded before {lo.date().isoformat()} leave the window", "leaving": left,
                    "before": lo.date().isoformat()})
    return out


def determination_json(row, fraud=None) -> dict:
    """A determination as the page lists it; `fraud`: DY-QL-4's finding on it, if any (compensation to affected buyers).
    Its measures' times are instants like every other (stored as text, they are read back)."""
    found = None if fraud is None else {"fraud_id": fraud.fraud_id, "kind": fraud.kind, "buyers": len(fraud.compensations),
                                        "amount_per_order": fraud.amount_per_order, "found_at": fraud.found_at}
    return {"fraud": found} | {"id": row.determination_id, "subject": row.subject, "rule": row.rule, "at": row.at, "occurrence": row.occurrence,
            "figures": row.figures, "measures": [Measure.from_json(m).as_json() for m in row.measures], "violation_id": row.violation_id, "policy_version": row.policy_version,
            "appeal": {"rule": "DY-APL-1", "violation_id": row.violation_id, "how": f"POST /v1/violations/{row.violation_id}/appeals"}}
