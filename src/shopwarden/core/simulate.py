"""Policy simulation: a shop's history replayed under two packs, and what differs.

Pure: the caller hands in the packs and the shop's ledger events; this module re-issues every
violation under each pack (`reissue`), folds both with the live path's `fold`, and compares the two
timelines over a period (`compare`). `summarise` adds up many shops' differences.

Decisions, where the issue is silent:
- Both sides go through the same re-issue, so a comparison measures the two packs and nothing else:
  a violation's points are the pack's points for its type and severity, unless the recorded points
  differ from the live pack's (an operator chose them inside the type's range, TT-PTS-1): those
  stay, clamped to the draft's range. Its point class and expiry are the pack's (TT-PTS-2). A type
  the draft does not know keeps its recorded points and class and is counted in `unknown_types`.
- The period [lo, hi]: standing and level are compared at `hi`; a sanction counts when it is in force
  at some instant of the period. Two sanctions are the same when they are the same kind from the same
  step of the same class's ladder, starting at the same instant (whatever points the draft puts that
  step at); the same sanction with another end is "changed" (its days differ), not added and removed.
- An appeal would have been unnecessary when, at the instant it was filed, the live timeline had a
  sanction in force and the draft had none: the seller appealed a measure the draft would not take.
- A sanction is a deactivation when it is permanent (a threshold's sanction with no `days`).
- Pack versions (`core.policy.versions`): each side is a schedule of versions; a violation is
  re-issued under the version in force at its instant and the fold picks the ladder per instant,
  as the live path does. The caller makes the draft side with `versions.with_version`: the live
  versions before the draft's `effective_from`, then the draft.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from shopwarden.core.ledger.creator_score import ScoreStanding, creator_fold
from shopwarden.core.ledger.credit_series import CreditSeries
from shopwarden.core.ledger.events import AppealFiled, Event, ViolationIssued
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.ledger.standing import SanctionInstance, Standing, fast_frozen, fold
from shopwarden.core.periods import add_days, as_utc
from shopwarden.core.policy.creators import POINTS_CLASS, HealthScoreRules, PointsRules
from shopwarden.core.policy.schema import PolicyPack, RollingExpiry
from shopwarden.core.policy.versions import in_force, siblings, versions

DAY = 86400.0
_issued = fast_frozen(ViolationIssued)


@dataclass(frozen=True, slots=True)
class SanctionSpan:
    """One sanction instance as the period sees it: `days` in force inside [lo, hi]."""

    kind: str
    point_class: str
    threshold: int
    step: int  # the threshold's place in its class's ladder (0: the first), which a draft may move
    starts_at: datetime
    ends_at: datetime | None  # None: permanent
    days: float
    trigger_type: str | None  # the type of the violation issued at its start, if one was

    @property
    def key(self) -> tuple[str, str, int, datetime]:
        return (self.kind, self.point_class, self.step, self.starts_at)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its fields for the fast constructor: a batch worker sends back tens of
        # thousands of these, and a slots dataclass's own __setstate__ sets each field by name
        return (_new_span, (self.kind, self.point_class, self.threshold, self.step, self.starts_at, self.ends_at, self.days, self.trigger_type))


_span = fast_frozen(SanctionSpan)


def _new_span(*args: object) -> SanctionSpan:
    return _span(*args)


@dataclass(frozen=True, slots=True)
class SanctionChange:
    live: SanctionSpan
    draft: SanctionSpan

    @property
    def days(self) -> float:
        return self.draft.days - self.live.days

    def __reduce__(self) -> tuple[Any, ...]:
        return (_new_change, (self.live, self.draft))


@dataclass(frozen=True, slots=True)
class Timeline:
    """One side of a shop's comparison."""

    level: str
    points: int
    sanctions: tuple[SanctionSpan, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_new_timeline, (self.level, self.points, self.sanctions))


@dataclass(frozen=True, slots=True)
class ShopDiff:
    shop_id: str
    market: str
    live: Timeline
    draft: Timeline
    added: tuple[SanctionSpan, ...]
    removed: tuple[SanctionSpan, ...]
    changed: tuple[SanctionChange, ...]
    appeals_unnecessary: tuple[str, ...]
    unknown_types: tuple[str, ...]

    @property
    def level_changed(self) -> bool:
        return self.live.level != self.draft.level

    def __reduce__(self) -> tuple[Any, ...]:
        return (_new_diff, (self.shop_id, self.market, self.live, self.draft, self.added, self.removed, self.changed,
                            self.appeals_unnecessary, self.unknown_types))

    @property
    def differs(self) -> bool:
        return bool(self.level_changed or self.live.points != self.draft.points or self.added or self.removed or self.changed
                    or self.appeals_unnecessary)

    @property
    def deactivations_added(self) -> int:
        return sum(1 for s in self.added if s.ends_at is None)

    @property
    def deactivations_removed(self) -> int:
        return sum(1 for s in self.removed if s.ends_at is None)


_change, _timeline_of, _diff_of = fast_frozen(SanctionChange), fast_frozen(Timeline), fast_frozen(ShopDiff)


def _new_change(*args: object) -> SanctionChange:
    return _change(*args)


def _new_timeline(*args: object) -> Timeline:
    return _timeline_of(*args)


def _new_diff(*args: object) -> ShopDiff:
    return _diff_of(*args)


def reissue(live: PolicyPack, pack: PolicyPack, events: list[Event], unknown: set[str] | None = None) -> list[Event]:
    """The events with every violation's points, class and expiry as `pack` would have set them
    (an event `pack` would set as recorded is passed on as it is)."""
    out: list[Event] = []
    scheduled = bool(siblings(pack) or siblings(live))
    table = _table(live, pack)
    for e in events:
        if type(e) is not ViolationIssued:
            out.append(e)
            continue
        if scheduled:  # the versions in force at the violation's instant (TT-PTS-1, TT-PTS-2)
            table = _table(in_force(live, e.at), in_force(pack, e.at))
        row = table.get((e.type, e.severity))
        if row is None:
            if unknown is not None:
                unknown.add(e.type if e.type not in table["types"] else f"{e.type}/{e.severity}")
            out.append(e)
            continue
        live_points, points, lo, hi, cls, days, expiry = row
        if live_points is not None and e.points != live_points:  # an operator's choice inside the range (TT-PTS-1)
            points = min(max(e.points, lo), hi)
        at = e.at
        exp = (at if at.tzinfo is UTC else as_utc(at)) + days if days is not None else expiry(at)
        if points == e.points and cls == e.point_class and exp == e.expires_at:
            out.append(e)
        else:
            out.append(_issued(e.violation_id, e.at, e.type, e.severity, points, cls, exp))
    return out


# Per (live, pack) pair: (type, severity) -> (the live pack's points or None, the pack's points, the
# type's range, class, rolling days or None, the expiry function), and "types": the pack's types.
_TABLES: dict[tuple[int, int], tuple[PolicyPack, PolicyPack, dict[Any, Any]]] = {}


def _table(live: PolicyPack, pack: PolicyPack) -> dict[Any, Any]:
    key = (id(live), id(pack))
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is live and hit[1] is pack:
        return hit[2]
    table: dict[Any, Any] = {"types": frozenset(pack.types)}
    for t in pack.violation_types:
        lt = live.types.get(t.type)
        for sev_id, sev in t.severities.items():
            lsev = lt.severities.get(sev_id) if lt is not None else None
            cls = pack.class_of(t.type, sev_id)
            expiry = pack.classes[cls].expiry
            days = timedelta(days=expiry.days) if isinstance(expiry, RollingExpiry) else None
            table[(t.type, sev_id)] = (None if lsev is None else lsev.points, sev.points, t.min_points, t.max_points, cls, days,
                                       lambda at, cls=cls: expires_at(pack, cls, at))
    if len(_TABLES) >= 64:
        _TABLES.clear()
    _TABLES[key] = (live, pack, table)
    return table


def _end(s: SanctionInstance) -> datetime | None:
    return s.lifted_at or s.ends_at


_STEPS: dict[int, tuple[PolicyPack, dict[tuple[str, int], int]]] = {}


def _steps(pack: PolicyPack) -> dict[tuple[str, int], int]:
    """(class, threshold points) -> the threshold's place in its class's ladder."""
    hit = _STEPS.get(id(pack))
    if hit is None or hit[0] is not pack:
        if len(_STEPS) >= 64:
            _STEPS.clear()
        hit = _STEPS[id(pack)] = (pack, {(cls, t.points): i for cls, ladder in pack.ladders.items() for i, t in enumerate(ladder)})
    return hit[1]


def _spans(pack: PolicyPack, st: Standing, events: list[Event], lo: datetime, hi: datetime) -> tuple[SanctionSpan, ...]:
    if not st.history:
        return ()
    triggers = {(e.point_class, e.at): e.type for e in events if type(e) is ViolationIssued}
    scheduled = bool(siblings(pack))
    steps = _steps(pack)
    out = []
    for s in st.history:
        end = _end(s)
        if s.starts_at > hi or (end is not None and end <= lo):
            continue
        if scheduled:
            steps = _steps(in_force(pack, s.starts_at))
        a, b = max(s.starts_at, lo), min(end, hi) if end is not None else hi
        out.append(_span(s.kind, s.point_class, s.threshold, steps.get((s.point_class, s.threshold), -1), s.starts_at, end, max(0.0, (b - a).total_seconds() / DAY),
                         triggers.get((s.point_class, s.starts_at))))
    return tuple(out)


def _in_force(st: Standing, t: datetime) -> bool:
    for s in st.history:
        end = _end(s)
        if s.starts_at <= t and (end is None or t < end):
            return True
    return False


def _timeline(pack: PolicyPack, events: list[Event], lo: datetime, hi: datetime) -> tuple[Timeline, Standing]:
    st = fold(pack, events, hi, lean=True)
    return Timeline(st.level, st.points, _spans(pack, st, events, lo, hi)), st


def compare(shop_id: str, market: str, live: PolicyPack, draft: PolicyPack, events: list[Event], lo: datetime, hi: datetime,
            same_events: bool = False) -> ShopDiff:
    """The shop's history under `live` and under `draft`, compared over [lo, hi]. `same_events`: the
    caller knows both packs re-issue every violation alike (`Reach.judge`), so it is done once."""
    unknown: set[str] = set()
    live_events = reissue(live, live, events)
    live_tl, live_st = _timeline(live, live_events, lo, hi)
    draft_tl, draft_st = _timeline(draft, live_events if same_events else reissue(live, draft, events, unknown), lo, hi)
    return _diff(shop_id, market, live_tl, live_st, draft_tl, draft_st, events, lo, hi, unknown)


def _diff(subject: str, market: str, live_tl: Timeline, live_st: Any, draft_tl: Timeline, draft_st: Any, events: list[Event], lo: datetime, hi: datetime,
          unknown: set[str]) -> ShopDiff:
    a = {s.key: s for s in live_tl.sanctions}
    b = {s.key: s for s in draft_tl.sanctions}
    added = tuple(s for k, s in b.items() if k not in a)
    removed = tuple(s for k, s in a.items() if k not in b)
    changed = tuple(SanctionChange(a[k], b[k]) for k in a.keys() & b.keys() if a[k].ends_at != b[k].ends_at)
    filed = sorted((e for e in events if type(e) is AppealFiled and lo <= e.at <= hi), key=lambda e: e.at)
    unnecessary = tuple(e.appeal_id for e in filed if _in_force(live_st, e.at) and not _in_force(draft_st, e.at))
    return ShopDiff(subject, market, live_tl, draft_tl, added, removed, tuple(sorted(changed, key=lambda c: c.live.starts_at)),
                    unnecessary, tuple(sorted(unknown)))


_US_PER_DAY = 86_400_000_000


def _us(days: float) -> int:
    return round(days * _US_PER_DAY)


@dataclass
class Tally:
    shops_changed: int = 0
    levels_changed: int = 0
    sanctions_added: int = 0
    sanctions_removed: int = 0
    sanctions_changed: int = 0
    # Sanction days as whole microseconds: integer sums do not depend on the order the shops (and
    # the engines' parts) are added in, so every engine reports the same figures to the last digit.
    sanction_us_added: int = 0
    sanction_us_removed: int = 0
    deactivations_added: int = 0
    deactivations_removed: int = 0
    appeals_unnecessary: int = 0

    @property
    def sanction_days_added(self) -> float:
        return self.sanction_us_added / _US_PER_DAY

    @property
    def sanction_days_removed(self) -> float:
        return self.sanction_us_removed / _US_PER_DAY

    def merge(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def add(self, d: ShopDiff) -> None:
        self.shops_changed += 1
        self.levels_changed += d.level_changed
        self.sanctions_added += len(d.added)
        self.sanctions_removed += len(d.removed)
        self.sanctions_changed += len(d.changed)
        self.sanction_us_added += sum(_us(s.days) for s in d.added) + sum(_us(c.days) for c in d.changed if c.days > 0)
        self.sanction_us_removed += sum(_us(s.days) for s in d.removed) - sum(_us(c.days) for c in d.changed if c.days < 0)
        self.deactivations_added += d.deactivations_added
        self.deactivations_removed += d.deactivations_removed
        self.appeals_unnecessary += len(d.appeals_unnecessary)


@dataclass
class Summary:
    shops: int = 0
    total: Tally = field(default_factory=Tally)
    by_market: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)  # the sanctions' trigger types
    level_moves: Counter[Any] = field(default_factory=Counter)  # (live level, draft level) -> shops
    unknown_types: Counter[Any] = field(default_factory=Counter)

    def merge(self, other: Summary) -> None:
        """Add another part's counts (the shops replayed by another process)."""
        self.shops += other.shops
        for mine, theirs in ((self.by_market, other.by_market), (self.by_type, other.by_type)):
            for k, t in theirs.items():
                mine.setdefault(k, Tally()).merge(t)
        self.total.merge(other.total)
        self.level_moves.update(other.level_moves)
        self.unknown_types.update(other.unknown_types)

    def add(self, d: ShopDiff) -> None:
        """Count one shop; only shops whose history differs are tallied."""
        self.shops += 1
        for u in d.unknown_types:
            self.unknown_types[u] += 1
        if not d.differs:
            return
        self.total.add(d)
        self.by_market.setdefault(d.market, Tally()).add(d)
        if d.level_changed:
            self.level_moves[(d.live.level, d.draft.level)] += 1
        for kind in {s.trigger_type or "-" for s in (*d.added, *d.removed)} | {c.live.trigger_type or "-" for c in d.changed}:
            part = ShopDiff(d.shop_id, d.market, d.live, d.draft,
                            tuple(s for s in d.added if (s.trigger_type or "-") == kind),
                            tuple(s for s in d.removed if (s.trigger_type or "-") == kind),
                            tuple(c for c in d.changed if (c.live.trigger_type or "-") == kind), (), ())
            tally = self.by_type.setdefault(kind, Tally())
            tally.add(part)
            tally.levels_changed -= part.level_changed  # levels are counted by shop and market, not by type


def replay(live: PolicyPack, draft: PolicyPack, ledgers: Iterable[tuple[str, list[Event]]], lo: datetime, hi: datetime,
           tick: Callable[[int], None] | None = None) -> tuple[Summary, list[ShopDiff]]:
    """Many shops compared (`compare`), each by the live path's fold, and added up; a shop `Reach`
    says cannot differ is counted without folding. `tick(n)` after every 1,000th shop and the last."""
    summary, changed = Summary(), []
    short = reach(live, draft)
    n = 0
    for n, (shop_id, events) in enumerate(ledgers, 1):
        how = FULL if short is None else short.judge(events)
        if how == SKIP:
            summary.shops += 1
        else:
            d = compare(shop_id, live.market, live, draft, events, lo, hi, how == SAME_EVENTS)
            summary.add(d)
            if d.differs:
                changed.append(d)
        if tick is not None and n % 1000 == 0:
            tick(n)
    if tick is not None and n % 1000:
        tick(n)
    return summary, changed


def summarise(diffs: Iterable[ShopDiff]) -> Summary:
    out = Summary()
    for d in diffs:
        out.add(d)
    return out


# ---- creators (CR-7): their histories replayed like shops' ----

NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # a health-score deduction never expires (as service/creators)


def reissue_creator(live: HealthScoreRules | PointsRules, rules: HealthScoreRules | PointsRules, events: list[Event],
                    unknown: set[str] | None = None) -> list[Event]:
    """A creator's events with every violation's points, class and expiry as `rules` would have set
    them (CR-7): the points ladder's points (an operator's choice inside the type's range kept, as
    TT-PTS-1), or the health score's deduction by severity, never expiring."""
    return [_reissue_creator_one(live, rules, e, unknown) if type(e) is ViolationIssued else e for e in events]


def reissue_creator_versions(live: PolicyPack, pack: PolicyPack, events: list[Event], unknown: set[str] | None = None) -> list[Event]:
    """The same, each violation under the creator rules of the version of `live` and of `pack` in force
    at its own instant (as `reissue` does a shop's, TT-PTS-1, TT-PTS-2); a violation at an instant
    where a version scores no creators is passed on as recorded."""
    out: list[Event] = []
    for e in events:
        if type(e) is ViolationIssued:
            lr, r = in_force(live, e.at).creators, in_force(pack, e.at).creators
            if lr is not None and r is not None:
                e = _reissue_creator_one(lr, r, e, unknown)
        out.append(e)
    return out


def _reissue_creator_one(live: HealthScoreRules | PointsRules, rules: HealthScoreRules | PointsRules, e: ViolationIssued,
                         unknown: set[str] | None) -> ViolationIssued:
    vt = rules.types.get(e.type)
    if vt is None or e.severity not in vt.severities:
        if unknown is not None:
            unknown.add(e.type if vt is None else f"{e.type}/{e.severity}")
        return e
    if isinstance(rules, PointsRules):
        lt = live.types.get(e.type) if isinstance(live, PointsRules) else None
        chosen = lt is not None and e.severity in lt.severities and e.points != lt.severities[e.severity]
        points = min(max(e.points, min(vt.severities.values())), max(vt.severities.values())) if chosen else vt.severities[e.severity]
        cls, exp = POINTS_CLASS, add_days(as_utc(e.at), rules.expiry_days)
    else:
        points, cls, exp = rules.deduction(e.type, e.severity), SCORE_CLASS, NEVER
    return e if (points, cls, exp) == (e.points, e.point_class, e.expires_at) else _issued(e.violation_id, e.at, e.type, e.severity, points, cls, exp)


def creator_schedule(pack: PolicyPack, at: datetime) -> HealthScoreRules | PointsRules | None:
    """The creator rules `pack` folds creators by at `at`. Points rules of a pack with several
    versions come tied into a schedule (each a copy knowing its version's `effective_from`), so the
    shop fold judges each instant by the ladder then in force, as it does a shop's (TT-PTS-3/5).
    Decision: a health score (CR-7) folds by the version in force at `at` (its milestones and
    earnings are not scheduled), and so does a schedule in which some version scores no creators
    or scores them by the other model."""
    current = in_force(pack, at).creators
    vs = versions(pack)
    if current is None or len(vs) < 2 or not isinstance(current, PointsRules) or not all(isinstance(v.creators, PointsRules) for v in vs):
        return current
    tied = tuple(v.creators.model_copy() for v in vs)  # type: ignore[union-attr]
    for v, r in zip(vs, tied):
        r._effective_from = v.effective_from
        r._versions = tied
    return in_force(tied[-1], at)  # type: ignore[arg-type, return-value]  # a PointsRules ladder is scheduled like a pack


def compare_creator_versions(creator_id: str, live: PolicyPack, draft: PolicyPack, events: list[Event], credits: CreditSeries | None,
                             lo: datetime, hi: datetime) -> ShopDiff | None:
    """A creator's history under the live pack's and the draft's creator rules (CR-7), every
    violation re-issued under the version in force at its instant and the points ladders scheduled
    (`creator_schedule`); None when either side scores no creators at `hi`."""
    lr, dr = creator_schedule(live, hi), creator_schedule(draft, hi)
    if lr is None or dr is None:
        return None
    unknown: set[str] = set()
    live_tl, live_st = _creator_timeline(lr, reissue_creator_versions(live, live, events), credits, lo, hi)
    draft_tl, draft_st = _creator_timeline(dr, reissue_creator_versions(live, draft, events, unknown), credits, lo, hi)
    return _diff(creator_id, live.market, live_tl, live_st, draft_tl, draft_st, events, lo, hi, unknown)


SCORE_CLASS = "score"  # the class of a health-score deduction (as service/creators)


def _measure_spans(rules: HealthScoreRules, st: ScoreStanding, events: list[Event], lo: datetime, hi: datetime) -> tuple[SanctionSpan, ...]:
    """A health score's measures as spans: class "milestone" (threshold: the milestone's score, step:
    its place from the top) or "repeat" (threshold: the rule's count)."""
    if not st.history:
        return ()
    triggers = {e.at: e.type for e in events if type(e) is ViolationIssued}
    steps = {f"milestone-{m.score}": (i, m.score) for i, m in enumerate(rules.milestones_desc)}
    count = rules.repeat_rule.count if rules.repeat_rule else 0
    out = []
    for m in st.history:
        end = m.lifted_at or m.ends_at
        if m.starts_at > hi or (end is not None and end <= lo):
            continue
        a, b = max(m.starts_at, lo), min(end, hi) if end is not None else hi
        step, threshold = steps.get(m.cause, (-1, count))
        out.append(_span(m.kind, "milestone" if m.cause in steps else "repeat", threshold, step, m.starts_at, end,
                         max(0.0, (b - a).total_seconds() / DAY), triggers.get(m.starts_at)))
    return tuple(out)


def _creator_timeline(rules: HealthScoreRules | PointsRules, events: list[Event], credits: CreditSeries | None, lo: datetime, hi: datetime) -> tuple[Timeline, Any]:
    st = creator_fold(rules, events, hi, credits)
    if isinstance(st, ScoreStanding):
        return Timeline(st.band, st.score, _measure_spans(rules, st, events, lo, hi)), st  # type: ignore[arg-type]
    return Timeline(st.level, st.points, _spans(rules, st, events, lo, hi)), st  # type: ignore[arg-type]


def compare_creator(creator_id: str, market: str, live: HealthScoreRules | PointsRules, draft: HealthScoreRules | PointsRules,
                    events: list[Event], credits: CreditSeries | None, lo: datetime, hi: datetime) -> ShopDiff:
    """A creator's history under the live pack's creator rules and the draft's, compared over [lo, hi]
    as `compare` compares a shop's (the diff's `shop_id` is the creator's id)."""
    unknown: set[str] = set()
    live_tl, live_st = _creator_timeline(live, reissue_creator(live, live, events), credits, lo, hi)
    draft_tl, draft_st = _creator_timeline(draft, reissue_creator(live, draft, events, unknown), credits, lo, hi)
    return _diff(creator_id, market, live_tl, live_st, draft_tl, draft_st, events, lo, hi, unknown)


# ---- which shops can differ at all (the replay's short cut) ----


def _all_versions(pack: PolicyPack) -> tuple[PolicyPack, ...]:
    return siblings(pack) or (pack,)


def _step_sig(th: Any) -> tuple[Any, ...]:
    return (th.points, th.level, tuple((s.kind, s.days) for s in th.sanctions))


def _pair_row(pack: PolicyPack, vtype: str, severity: str) -> tuple[Any, ...] | None:
    """What `reissue` reads from `pack` for one (type, severity): points, the type's range, class, expiry."""
    t = pack.types.get(vtype)
    if t is None or severity not in t.severities:
        return None
    cls = pack.class_of(vtype, severity)
    return (t.severities[severity].points, t.min_points, t.max_points, cls, pack.classes[cls].expiry)


@dataclass(frozen=True, slots=True)
class Reach:
    """Where two packs (with all their versions) can judge a shop differently.

    `pairs`: the (type, severity) whose re-issue (points, range, class, expiry) is the same in every
    version of both sides; `bounds`: per point class, the lowest threshold at which some version's
    ladder differs from the others (None: they are the same all the way up). A shop whose
    violations are all of `pairs` and whose active points (an upper bound: revocations ignored) stay
    below every class's bound gets the same events, the same crossings of the same steps and the same
    level on both sides, so its comparison cannot differ (`could_differ`; proved against `compare`
    in tests/core/test_simulate_reach.py). `None` from `reach`: the packs differ in what every shop
    reads (levels, classes), and no shop is skipped.
    """

    pairs: dict[tuple[str, str], tuple[int, int, int, str, timedelta | None, PolicyPack]]
    bounds: dict[str, int | None]

    def could_differ(self, events: list[Event]) -> bool:
        return self.judge(events) != SKIP

    def judge(self, events: list[Event]) -> int:
        """SKIP: the comparison cannot differ; SAME_EVENTS: both sides re-issue every violation alike
        (the draft's re-issue is the live one's); FULL: compare in full."""
        totals: dict[str, int] = {}
        pairs = self.pairs
        for e in events:
            if type(e) is not ViolationIssued:
                continue
            row = pairs.get((e.type, e.severity))
            if row is None:
                return FULL
            live_points = row[0]
            points = live_points if e.points == live_points else min(max(e.points, row[1]), row[2])
            totals[row[3]] = totals.get(row[3], 0) + points
        bounds = self.bounds
        near = False
        for c, n in totals.items():
            b = bounds.get(c)
            if b is not None and n >= b:
                if n >= PEAK_CHECK_UP_TO * b:  # far above: it surely reaches; not worth the peak's sort
                    return SAME_EVENTS
                near = True
        if not near:
            return SKIP
        return SAME_EVENTS if _peaks_reach(self._issued(events), bounds) else SKIP

    def _issued(self, events: list[Event]) -> list[tuple[datetime, datetime, int, str]]:
        out = []
        for e in events:
            if type(e) is ViolationIssued:
                live_points, lo, hi, cls, days, pack = self.pairs[(e.type, e.severity)]
                points = live_points if e.points == live_points else min(max(e.points, lo), hi)
                out.append((e.at, as_utc(e.at) + days if days is not None else expires_at(pack, cls, e.at), points, cls))
        return out


SKIP, SAME_EVENTS, FULL = 0, 1, 2
PEAK_CHECK_UP_TO = 3  # the exact peak is computed only for totals under 3x the bound (cost, not correctness)


def _peaks_reach(issued: list[tuple[datetime, datetime, int, str]], bounds: dict[str, int | None]) -> bool:
    """Whether some class's active points (expiry only) ever reach its bound."""
    steps: dict[str, list[tuple[datetime, int]]] = {}
    for at, ends, points, cls in issued:
        s = steps.setdefault(cls, [])
        s.append((at, points))
        s.append((ends, -points))
    for cls, s in steps.items():
        bound = bounds.get(cls)
        if bound is None:
            continue
        s.sort(key=lambda x: (x[0], x[1]))  # a drop before a rise at one instant: the fold nets them, never higher
        points = 0
        for _, d in s:
            points += d
            if points >= bound:
                return True
    return False


def reach(live: PolicyPack, draft: PolicyPack) -> Reach | None:
    """The short cut for comparing `live` with `draft` (see `Reach`), or None when there is none."""
    every = _all_versions(live) + _all_versions(draft)
    first = every[0]
    shared = ([lv.id for lv in first.levels], [c.id for c in first.point_classes], first.primary)
    if any(([lv.id for lv in p.levels], [c.id for c in p.point_classes], p.primary) != shared for p in every):
        return None
    pairs: dict[tuple[str, str], tuple[int, int, int, str, timedelta | None, PolicyPack]] = {}
    for t in first.violation_types:
        for sev in t.severities:
            rows = {_pair_row(p, t.type, sev) for p in every}
            if len(rows) != 1 or None in rows:
                continue
            points, lo, hi, cls, expiry = rows.pop()  # type: ignore[misc]
            days = timedelta(days=expiry.days) if isinstance(expiry, RollingExpiry) else None
            pairs[(t.type, sev)] = (points, lo, hi, cls, days, first)
    bounds: dict[str, int | None] = {}
    for cls in shared[1]:
        ladders = [tuple(_step_sig(th) for th in p.ladders.get(cls, ())) for p in every]
        bound: int | None = None
        for i in range(max(len(lad) for lad in ladders)):
            if len({lad[i] if i < len(lad) else None for lad in ladders}) > 1:
                bound = min(lad[i][0] for lad in ladders if i < len(lad))
                break
        bounds[cls] = bound
    return Reach(pairs, bounds)
