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

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopwarden.core.policy.experience import ExperienceRules
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.quality import counters, peers
from shopwarden.core.quality.determinations import Measure
from shopwarden.core.quality.industry import industry_of
from shopwarden.core.quality.peers import Industry
from shopwarden.core.quality.poor_products import ProductJudgement, judge
from shopwarden.core.quality.score import Experience, experience, own_entry
from shopwarden.core.quality.window import Counts, DayCount, by_counter, cuts, day_of, start_of
from shopwarden.errors import Conflict, InvalidInput, NotFound, Unavailable
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.times import event_time
from shopwarden.store import experience as store
from shopwarden.store import products, shops
from shopwarden.store.experience import FraudFinding, QualityDetermination
from shopwarden.store.reviews import OrderRow

# The kept peer snapshots a page reads (day -> industries, or None when not kept); under None, the
# newest kept day before them all (`_peers`).
Kept = dict[date | None, Any]

FORECAST_POINTS = 10  # the next days on which bad orders leave the window
TREND_DAYS = 7  # the page's trend: the score at the start of each of the last 7 days
WORDS = {counters.LATE_DISPATCHES: "late dispatches", counters.NEGATIVE_REVIEWS: "negative reviews", counters.QUALITY_AFTER_SALES: "quality after-sales",
         counters.COMPLAINTS: "complaints", counters.AFTER_SALES: "after-sales requests"}
PRODUCTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class IndicatorView(Result):
    """One DY-QL-1 indicator: the shop's rate beside its industry's mean, its weight and score."""

    id: str
    group: str
    weight: float
    value: float | None
    industry_mean: float | None
    count: int
    of: int
    score: float | None


@dataclass(frozen=True, slots=True)
class ProductLine(Result):
    """A product judged for DY-QL-3 (poor quality when the lower bound of its negative feedback rate is above the line)."""

    product_id: str
    industry: str
    negative_feedback_rate: float | None
    negative_feedback: int
    lower_bound: float
    industry_mean: float | None
    orders: int
    poor_quality: bool
    rule: str


@dataclass(frozen=True, slots=True)
class TrendPoint(Result):
    """DY-QL-5: the score at the start of a day (None: no peers kept for it), against the peers of `peers_day`."""

    at: datetime
    score: float | None
    peers_day: date | None


@dataclass(frozen=True, slots=True)
class ForecastPoint(Result):
    """DY-QL-5: the score when a day's bad orders leave the window, if nothing else changes, and what leaves."""

    at: datetime
    score: float | None
    why: str
    leaving: Mapping[str, int]
    before: str


@dataclass(frozen=True, slots=True)
class FraudSummary(Result):
    """DY-QL-4's fraud finding on a determination as the page lists it: how many buyers are compensated, how much each."""

    fraud_id: str
    kind: str
    buyers: int
    amount_per_order: float
    found_at: datetime


@dataclass(frozen=True, slots=True)
class AppealRoute(Result):
    """How the determination is appealed: through its ticket's violation (DY-APL-1)."""

    rule: str
    violation_id: str
    how: str


@dataclass(frozen=True, slots=True)
class DeterminationView(Result):
    """A DY-QL-3 determination: its subject, figures (open data: what the rule read), the DY-QL-4 measures
    of its step, its ticket, and DY-QL-4's fraud finding if any (as of the instant asked)."""

    fraud: FraudSummary | None
    id: str
    subject: str
    rule: str
    at: datetime
    occurrence: int
    figures: Mapping[str, Any]
    measures: Sequence[Measure]
    violation_id: str
    policy_version: str
    appeal: AppealRoute

    def as_json(self) -> dict[str, Any]:
        return {"fraud": None if self.fraud is None else self.fraud.as_json(), "id": self.id, "subject": self.subject, "rule": self.rule,
                "at": self.at, "occurrence": self.occurrence, "figures": self.figures, "measures": [m.as_json() for m in self.measures],
                "violation_id": self.violation_id, "policy_version": self.policy_version, "appeal": self.appeal.as_json()}


@dataclass(frozen=True, slots=True)
class ExperiencePage(Result):
    """GET /v1/shops/{shop_id}/experience (API.md). `determinations`: DY-QL-4's, each as service/poor_quality
    records it, newest first."""

    shop_id: str
    at: datetime
    policy: str
    policy_version: str
    window_days: int
    name: Mapping[str, str]
    scale_min: float
    scale: float
    score: float | None
    orders: int
    min_orders: int
    industry: str | None
    peers_day: date | None
    peers_current: bool
    indicators: Sequence[IndicatorView]
    products: Sequence[ProductLine]
    determinations: Sequence[DeterminationView]
    trend: Sequence[TrendPoint]
    forecast: Sequence[ForecastPoint]


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
    version = products.version(session, product_id, head.version) if head else None
    listing = version.listing if version is not None else {}
    return industry_of(str(listing.get("category") or "") if isinstance(listing, dict) else "")


# ---------------------------------------------------------------- order times


ORDER_TIMES = ("paid_at", "shipped_at", "delivered_at")


def order_times(ctx: Context, principal: Principal, body: Mapping[str, Any], ordered_at: datetime, stored: OrderRow | None) -> dict[str, datetime | None]:
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
    if changed and stored is not None:
        raise Conflict(f"order {stored.order_id} was recorded with other {', '.join(changed)}; a recorded time does not change", rule=None)
    previous, previous_name = ordered_at, "ordered_at"
    for f in ORDER_TIMES:
        t = times[f]
        if t is None:
            continue
        if t < previous:
            raise InvalidInput.one(f, f"before {previous_name} ({previous.isoformat()}); times run ordered ≤ paid ≤ shipped ≤ delivered")
        previous, previous_name = t, f
    return times


# ---------------------------------------------------------------- the page (DY-QL-5)


def market_of(pack: PolicyPack, rules: ExperienceRules) -> store.Market:
    """Peers share a policy and the settings their snapshot depends on."""
    return store.Market(f"{pack.id}:{rules.window_days}:{rules.min_orders}", pack.id, rules.window_days, rules.min_orders)


def industries_on(ctx: Context, pack: PolicyPack, rules: ExperienceRules, day: date, names: Iterable[str] | None = None) -> dict[str, Industry]:
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
    raise AssertionError("unreachable: the second attempt returns or raises")


@dataclass(frozen=True)
class Rolled:
    """One market's roll (`roll`): from the day its state stood for (None: never built) to `day`."""

    market: str
    policy_id: str
    was: date | None
    day: date
    days: int  # days rolled, one transaction each (0: it stood there already)


def roll(ctx: Context, principal: Principal, to: date | None = None, policies: Iterable[str] | None = None,
         progress: Callable[[str, date, int, int], None] | None = None) -> list[Rolled]:
    """`shopwarden experience roll`: the peer state of every market (the policies shops are under, or
    `policies`) rolled to the start of `to` (default today), one day per transaction with each day's
    snapshot kept, so a page of that day reads its peers and never rolls a large market itself. A
    state never built (or older than a window) is built `TREND_DAYS` − 1 days before `to`, so the
    trend's days are kept too. Idempotent: a market standing at `to` is left as it is (its snapshot
    kept if missing); a `to` before a market's state keeps that day's snapshot from the day sums.
    `progress(market, day, k, n)` after each day."""
    require(principal, "experience.determine")
    today = day_of(ctx.clock())
    to = to or today
    if to > today:
        raise InvalidInput.one("to", f"is after today ({today.isoformat()}); a day's peers stand once it has begun")
    with ctx.db.read() as s:
        wanted = store.scored_policies(s) if policies is None else sorted(set(policies))
    out = []
    for policy_id in wanted:
        pack = ctx.check_policy("policy", policy_id)
        if (rules := pack.experience) is None:
            continue
        market = market_of(pack, rules)
        with ctx.db.read() as s:
            was = store.rolled_day(s, market.key)
            if was == to and store.snapshot(s, to, market.key, ()) is not None:
                out.append(Rolled(market.key, pack.id, was, to, 0))
                continue
        if was is None or was > to or (to - was).days > rules.window_days:
            days = [to - timedelta(days=k) for k in range(TREND_DAYS - 1, -1, -1)] if was is None or was < to else [to]
        else:
            days = [was + timedelta(days=k) for k in range(1, (to - was).days + 1)] or [to]
        for k, day in enumerate(days, 1):
            with ctx.db.transaction() as s:
                store.peers_on(s, market, day, ctx.clock())
            if progress:
                progress(market.key, day, k, len(days))
        out.append(Rolled(market.key, pack.id, was, to, 0 if was == to else len(days)))
    return out


@dataclass(frozen=True)
class ShopWindow:
    """The shop's counts over (lo, at] per (product, industry, counter), and what later windows need."""

    lo: datetime
    at: datetime
    totals: Counter[tuple[str, str, str]]

    @cached_property
    def shop(self) -> Counter[str]:
        return by_counter(self.totals)

    def industry(self) -> str | None:
        return self._industry

    @cached_property
    def _industry(self) -> str | None:
        orders: Counter[str] = Counter()
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
    peers: Industry
    industries: dict[str, Industry]
    own: dict[str, float]
    result: Experience
    products: list[ProductJudgement]
    forecast: list[ForecastPoint]
    trend: list[TrendPoint] = field(default_factory=list)
    peers_day: date | None = None  # the day whose peers the score stands against (`_peers`)
    determinations: list[QualityDetermination] = field(default_factory=list)  # with `records`: decided up to `at`, oldest first
    frauds: dict[str, FraudFinding] = field(default_factory=dict)


def _rules_of(s: Session, ctx: Context, shop_id: str) -> tuple[PolicyPack, ExperienceRules]:
    policy_id = shops.policy_of(s, shop_id)
    if policy_id is None:
        raise NotFound(f"no shop {shop_id!r}")
    pack = ctx.pack(policy_id)
    if pack.experience is None:
        raise NotFound(f"policy {pack.id} scores no experience (its pack has no experience section)")
    return pack, pack.experience


def assess(ctx: Context, shop_id: str, at: datetime, detail: bool = True, trend_days: int = 0, records: bool = False) -> Assessment:
    """The shop's experience at `at` (no roles checked: callers do); without `detail`, only the score
    and its indicators (no products, no forecast); with `trend_days`, its trend too (`trend`); with
    `records`, its determinations and fraud findings. One read: the shop's day sums and boundary
    marks in one query (a second for the forecast's days when they are others), then every window
    from running totals (`core.quality.window.Counts`)."""
    ends = _trend_ends(at, trend_days)
    with ctx.db.read() as s:
        pack, rules = _rules_of(s, ctx, shop_id)
        span = timedelta(days=rules.window_days)
        lo = at - span
        spans = [(lo, at), *((t - span, t) for t in ends)]
        needed = cuts(spans)
        days, marks = store.shop_counts(s, shop_id, min(day_of(w[0]) for w in spans), day_of(at), needed)
        leave = _leave_days(days, lo, at, rules) if detail else []
        if more := {d: t for d, t in cuts((start_of(d + timedelta(days=1)), at) for d in leave).items() if d not in needed or needed[d] < t}:
            marks = [m for m in marks if day_of(m.at) not in more] + store.marks(s, shop_id, more)  # the forecast's days (at midnight: rarely any)
        counts = Counts(days, marks)
        window = ShopWindow(lo, at, counts.window(lo, at))
        windows = [ShopWindow(t - span, t, counts.window(t - span, t)) for t in ends]
        names = {window.industry() or "", *(w.industry() or "" for w in windows), *((i for _p, i, _c in window.totals) if detail else ())}
        market = market_of(pack, rules)
        snapshots, older = store.snapshots_and_before(s, sorted({day_of(at), *(day_of(t) for t in ends)}), market.key, names)
        recorded: tuple[list[QualityDetermination], dict[str, FraudFinding]] = \
            ([d for d in store.determinations_of(s, shop_id) if d.at <= at], store.frauds_of(s, shop_id)) \
            if records and store.has_records(s, shop_id) else ([], {})
    kept: Kept = {day: snapshot for day, snapshot in snapshots.items()}
    kept[None] = older  # the newest kept day before them all
    peers_day, industries = _peers(ctx, pack, rules, day_of(at), names, kept, required=True)
    name = window.industry()
    industry = industries.get(name or "") or Industry(name or "")
    own = _own_entry(counts, day_of(at), rules, name)
    result = experience(rules, window.shop, industry, own)
    points = [_point(ctx, pack, rules, counts, w, names, kept) for w in windows]
    products, forecast = (_judge_products(window, industries, rules), _forecast(counts, leave, window, industry, own, rules)) if detail else ([], [])
    return Assessment(pack=pack, rules=rules, window=window, industry=name, peers=industry, industries=industries, own=own, result=result,
                      products=products, forecast=forecast, trend=points, peers_day=peers_day, determinations=recorded[0], frauds=recorded[1])


def _trend_ends(at: datetime, days: int) -> list[datetime]:
    return [t for k in range(days - 1, -1, -1) if (t := start_of(day_of(at) - timedelta(days=k))) <= at]


INLINE_ROWS = 2_000  # a page rolls its market's peers itself only when that reads at most this many day sums
_too_large: WeakKeyDictionary[Any, OrderedDict[tuple[str, date], bool]] = WeakKeyDictionary()  # database -> {(market, day)} a page found too large to roll: not counted again


def _peers(ctx: Context, pack: PolicyPack, rules: ExperienceRules, day: date, names: set[str], kept: Kept,
           required: bool = False) -> tuple[date | None, dict[str, Industry]]:
    """The peers a page scores against for `day`, and the day they stand for: the day's kept snapshot
    (`kept`: day -> snapshot or None, as read with the page, and under None the newest kept day
    before them); when it is not kept, computed now if that is cheap (a future day, or a roll reading
    at most INLINE_ROWS day sums: small markets stay exact at every instant); otherwise — a large
    market not rolled yet today, which `shopwarden experience roll` does — the newest kept day before
    it, stated on the page. No kept day at all: `required` raises Unavailable, else (None, {})."""
    if kept.get(day) is not None:
        return day, kept[day]
    market = market_of(pack, rules)
    large = _too_large.setdefault(ctx.db, OrderedDict())
    if day > day_of(ctx.clock()) or (market.key, day) not in large:
        with ctx.db.read() as s:
            cheap = day > day_of(ctx.clock()) or store.roll_work(s, market, day, history_days=TREND_DAYS - 1, limit=INLINE_ROWS) <= INLINE_ROWS
        if cheap:
            return day, industries_on(ctx, pack, rules, day, names)
        large[(market.key, day)] = True
        while len(large) > 256:
            large.popitem(last=False)
    before = max((d for d, v in kept.items() if d is not None and d < day and v is not None), default=kept.get(None))
    if before is not None and kept.get(before) is None:
        with ctx.db.read() as s:
            kept[before] = store.snapshot(s, before, market.key, names)
    if before is None and required:
        raise Unavailable(f"the peers of policy {pack.id} are not computed yet for {day.isoformat()} nor any day before it; its market is too large to "
                          f"compute them within a page: run `shopwarden experience roll`, then retry")
    return (before, kept[before]) if before is not None else (None, {})


def _point(ctx: Context, pack: PolicyPack, rules: ExperienceRules, counts: Counts, window: ShopWindow, names: set[str],
           kept: Kept) -> TrendPoint:
    """One trend point: the score of a window ending at the start of a day, against that day's peers (`_peers`)."""
    name = window.industry()
    peers_day, industries = _peers(ctx, pack, rules, day_of(window.at), names, kept)
    industry = industries.get(name or "") or Industry(name or "")
    score = experience(rules, window.shop, industry, _own_entry(counts, day_of(window.at), rules, name)).score if peers_day is not None else None
    return TrendPoint(window.at, score, peers_day)


def trend(ctx: Context, shop_id: str, at: datetime, days: int = TREND_DAYS) -> list[TrendPoint]:
    """DY-QL-5's trend: the score at the start of `at`'s day and of the `days` − 1 before it, oldest
    first; as `assess` would give each."""
    return assess(ctx, shop_id, at, detail=False, trend_days=days).trend


def page(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> ExperiencePage:
    """GET /v1/shops/{shop_id}/experience (API.md), from one read (`assess`). `peers_day`: the day whose
    peers the score stands against (the start of `at`'s day, or an earlier day while a large market's
    peers are not rolled yet: `peers_current` false)."""
    require(principal, "experience.read", shop_id)
    at = at or ctx.clock()
    a = assess(ctx, shop_id, at, trend_days=TREND_DAYS, records=True)
    return ExperiencePage(
        shop_id=shop_id, at=at, policy=a.pack.id, policy_version=a.pack.version, window_days=a.rules.window_days,
        name=a.rules.name.model_dump(), scale_min=a.rules.scale_min, scale=a.rules.scale, score=a.result.score, orders=a.result.orders,
        min_orders=a.rules.min_orders, industry=a.industry, peers_day=a.peers_day, peers_current=a.peers_day == day_of(at),
        indicators=_indicators(a.result), products=[_product_line(j) for j in a.products[:PRODUCTS_SHOWN]],
        determinations=[determination_view(d, _until(a.frauds.get(d.determination_id), at)) for d in reversed(a.determinations)],
        trend=a.trend, forecast=a.forecast,
    )


def _until(fraud: FraudFinding | None, at: datetime) -> FraudFinding | None:
    return fraud if fraud is not None and fraud.found_at <= at else None


def _own_entry(counts: Counts, day: date, rules: ExperienceRules, industry: str | None) -> dict[str, float]:
    """The shop's entry in the snapshot of `day` (whole days [day − window, day)), to leave it out of its peers."""
    totals: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    for (_p, i, counter), n in counts.span(day - timedelta(days=rules.window_days), day - timedelta(days=1)).items():
        totals[counter] += n
        if counter == counters.ORDERS:
            orders[i] += n
    return own_entry(rules, totals) if peers.main_industry(orders) == industry else {}


def _indicators(result: Experience) -> list[IndicatorView]:
    return [IndicatorView(i.id, i.group, round(i.weight, 4), _r(i.rate.value, 4), _r(i.industry_mean, 4), i.rate.count, i.rate.of, _r(i.score, 1))
            for i in result.indicators]


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _judge_products(window: ShopWindow, industries: dict[str, Industry], rules: ExperienceRules) -> list[ProductJudgement]:
    """Every product with orders or feedback in the window, judged for DY-QL-3; the poor and the worst bounds first."""
    per: dict[tuple[str, str], Counter[str]] = {}
    for (product, industry, counter), n in window.totals.items():
        per.setdefault((product, industry), Counter())[counter] += n
    judged = []
    for (product, industry), totals in per.items():
        mean = industries[industry].mean("negative_feedback_rate") if industry in industries else None
        judged.append(judge(product, industry, totals[counters.NEGATIVE_FEEDBACK], totals[counters.ORDERS], mean, rules.poor_quality_product))
    judged.sort(key=lambda j: (not j.poor_quality, -j.lower_bound, -j.negative_feedback, j.product_id))
    return judged


def _product_line(j: ProductJudgement) -> ProductLine:
    return ProductLine(j.product_id, j.industry, _r(j.rate, 4), j.negative_feedback, round(j.lower_bound, 4), _r(j.industry_mean, 4), j.orders,
                       j.poor_quality, "DY-QL-3")


def _leave_days(days: Sequence[DayCount], lo: datetime, at: datetime, rules: ExperienceRules) -> list[date]:
    """The first days, in the window, on which a count that lowers the score moved."""
    bad = sorted({d.day for d in days if d.counter in counters.BAD and d.value > 0 and day_of(lo) <= d.day <= day_of(at)})
    return bad[:FORECAST_POINTS]


def _forecast(counts: Counts, leave: list[date], window: ShopWindow, industry: Industry, own: dict[str, float], rules: ExperienceRules) -> list[ForecastPoint]:
    """DY-QL-5: if nothing changes, the day's bad orders leave the window at the start of the day after
    it plus the window; the score then, against today's peers, and what left."""
    out: list[ForecastPoint] = []
    previous = window.shop
    for d in leave:
        lo = start_of(d + timedelta(days=1))
        when = lo + timedelta(days=rules.window_days)
        if when <= window.at:
            continue
        now = by_counter(counts.window(lo, window.at))
        left = {k: previous[k] - now[k] for k in counters.BAD if previous[k] - now[k] > 0}
        previous = now
        if not left:
            continue
        score = experience(rules, now, industry, own).score
        why = ", ".join(f"{n} {WORDS[k]}" for k, n in left.items())
        out.append(ForecastPoint(when, score, f"{why} recorded before {lo.date().isoformat()} leave the window", left, lo.date().isoformat()))
    return out


def determination_view(row: QualityDetermination, fraud: FraudFinding | None = None) -> DeterminationView:
    """A determination as the page lists it; `fraud`: DY-QL-4's finding on it, if any (compensation to affected buyers).
    Its measures' times are instants like every other (stored as text, they are read back)."""
    found = None if fraud is None else FraudSummary(fraud.fraud_id, fraud.kind, len(fraud.compensations), fraud.amount_per_order, fraud.found_at)
    return DeterminationView(found, row.determination_id, row.subject, row.rule, row.at, row.occurrence, row.figures,
                             [Measure.from_json(m) for m in row.measures], row.violation_id, row.policy_version,
                             AppealRoute("DY-APL-1", row.violation_id, f"POST /v1/violations/{row.violation_id}/appeals"))


def determination_json(row: QualityDetermination, fraud: FraudFinding | None = None) -> dict[str, Any]:
    """The determination's JSON (the outbox's `determination.made` payload)."""
    return determination_view(row, fraud).as_json()
