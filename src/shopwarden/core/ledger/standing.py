"""A shop's standing at `at`: a pure fold over its ledger events up to `at`.

Per point class the fold sweeps the moments where points change (issue, expiry, revocation),
in time order, and derives:

- points, level, next threshold, warning (TT-PTS-2, TT-PTS-3, TT-PTS-4);
- sanction instances, started on each upward crossing and run for their full duration
  (TT-PTS-5);
- at each revocation instant D (a granted appeal, TT-APL-5), a reconciliation with the
  counterfactual history in which every violation revoked by D was never issued: a running
  sanction that the counterfactual does not also have is lifted at D; one it has keeps
  running, to the earlier of the two ends. Decision: a granted appeal never starts or
  lengthens a sanction. History before D is never rewritten.

  So from D on, the sanctions in force are a subset of those of the history without every
  violation revoked by D. After an earlier revocation that is not the history without only
  the violation revoked at D: a sanction the unrevoked violations alone justify keeps running
  (tests/core/test_ledger_appeals.py shows one).

`fold` is on the hot path (every standing, page and notice list), so the sweep works on
plain tuples and a per-pack compiled ladder, and builds its frozen results with `fast_frozen`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

from shopwarden.core.ledger.events import AppealDecided, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import changes_after, siblings
from shopwarden.core.policy.versions import in_force as version_at


def _stamp(t: datetime) -> str:
    """`t.strftime('%Y%m%dT%H%M%S%f')`, three times faster (ids are built inside the fold)."""
    return "%04d%02d%02dT%02d%02d%02d%06d" % (t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)  # noqa: UP031 - %-formatting is the fast path here


@dataclass(slots=True)
class SanctionInstance:
    kind: str
    threshold: int
    point_class: str
    level: str
    starts_at: datetime
    ends_at: datetime | None  # None: permanent
    lifted_at: datetime | None = None  # set when a granted appeal ended it early

    @property
    def id(self) -> str:
        return f"{self.point_class}-{self.threshold}-{self.kind}-{_stamp(self.starts_at)}"

    def in_force(self, t: datetime) -> bool:
        return self.starts_at <= t and (self.ends_at is None or t < self.ends_at)


@dataclass(frozen=True, slots=True)
class NoticeDue:
    """A notice that became due; texts are rendered from it by `notices.render`."""

    kind: str
    sent_at: datetime
    rule: str
    violation_id: str | None = None
    params: tuple[tuple[str, object], ...] = ()

    @property
    def id(self) -> str:
        subject = self.violation_id or dict(self.params).get("subject", "")
        return f"n-{self.kind}-{_stamp(self.sent_at)}-{subject}"


@dataclass(frozen=True, slots=True)
class ViolationState:
    violation_id: str
    type: str
    severity: str
    points: int
    point_class: str
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    status: str  # active | expired | revoked


@dataclass(frozen=True, slots=True)
class ClassStanding:
    point_class: str
    points: int
    level: str
    next_threshold: int | None
    points_to_next: int | None
    warning: bool


@dataclass(slots=True)
class Standing:
    at: datetime
    points: int
    level: str
    next_threshold: int | None
    points_to_next: int | None
    warning: bool
    classes: dict[str, ClassStanding]
    sanctions: list[SanctionInstance]  # in force at `at`
    history: list[SanctionInstance]  # every instance started up to `at`
    privileges: dict[str, bool]
    violations: list[ViolationState]
    notices: list[NoticeDue] = field(default_factory=list)


T = TypeVar("T", bound="DataclassInstance")


def fast_frozen(cls: type[T]) -> Callable[..., T]:
    """A fast constructor for the frozen slots dataclass `cls`, taking every field positionally.

    Why: a frozen dataclass's __init__ sets each field through `object.__setattr__` by name, and
    that alone was a third of a fold. The constructor builds a mutable twin with the same slots
    and switches its class, which CPython allows only when the layouts match (a field added to
    one and not the other fails loudly at the first fold). The result is an ordinary `cls`.
    """
    twin = make_dataclass(f"_{cls.__name__}Draft", [(f.name, f.type) for f in fields(cls)], slots=True)

    def build(*args: Any) -> T:
        obj = twin(*args)
        obj.__class__ = cls
        return cast(T, obj)  # now a `cls`, field for field

    return build


_notice = fast_frozen(NoticeDue)
_violation_state = fast_frozen(ViolationState)


class _Ladder:
    """One class's thresholds, compiled once per pack: points ascending, sanctions with durations."""

    __slots__ = ("points", "steps", "margin", "warn_from", "warn_below")

    def __init__(self, pack: PolicyPack, cls: str):
        ladder = pack.ladders.get(cls, ())
        self.points = tuple(th.points for th in ladder)
        self.steps = tuple(
            (th.points, th.level, tuple((s.kind, None if s.days is None else timedelta(days=s.days)) for s in th.sanctions))
            for th in ladder
        )
        self.margin = pack.margin_for(cls)
        # A warning can only become due while points are within [first line, last threshold).
        self.warn_from = self.points[0] - self.margin if self.points else 0
        self.warn_below = self.points[-1] if self.points else 0

    def at(self, t: datetime) -> _Ladder:
        """The ladder in force at `t`: this one, at every `t` (as a `_Schedule` answers for its versions)."""
        return self


# Packs are immutable and few; keyed by id with the pack kept alive so an id is never reused.
_LADDERS: dict[int, tuple[PolicyPack, dict[str, _Ladder]]] = {}


class _Schedule:
    """One class's ladders over a pack's versions (`core.policy.versions`): the one in force at `t`."""

    __slots__ = ("starts", "ladders")

    def __init__(self, pack: PolicyPack, cls: str):
        vs = siblings(pack)
        self.starts = [v.effective_from for v in vs]
        self.ladders = [_ladder(v, cls) for v in vs]

    def at(self, t: datetime) -> _Ladder:
        i = bisect_right(self.starts, t)
        return self.ladders[i - 1 if i else 0]


def _ladders(pack: PolicyPack, cls: str) -> _Ladder | _Schedule:
    """The class's ladder, or its schedule when the pack has versions taking effect at different instants."""
    return _Schedule(pack, cls) if siblings(pack) else _ladder(pack, cls)


def _ladder(pack: PolicyPack, cls: str) -> _Ladder:
    entry = _LADDERS.get(id(pack))
    if entry is None or entry[0] is not pack:
        if len(_LADDERS) >= 64:
            _LADDERS.clear()
        entry = _LADDERS[id(pack)] = (pack, {})
    ladders = entry[1]
    lad = ladders.get(cls)
    if lad is None:
        lad = ladders[cls] = _Ladder(pack, cls)
    return lad


# A record is (violation_id, issued_at, ends_at = min(expiry, revocation), points).
_Record = tuple[str, datetime, datetime, int]
# A threshold as the sweep reads it: (points, level, ((sanction kind, duration or None), ...)).
_Step = tuple[int, str, tuple[tuple[str, timedelta | None], ...]]
# Notices due, bucketed by kind (see `_in_order`).
_Notices = dict[str, list[NoticeDue]]


def _deltas(records: list[_Record], at: datetime) -> dict[datetime, int]:
    """Point changes by instant up to `at`; simultaneous changes net out into one step."""
    deltas: dict[datetime, int] = {}
    get = deltas.get
    for _, issued_at, ends_at, points in records:
        deltas[issued_at] = get(issued_at, 0) + points
        if ends_at <= at:
            deltas[ends_at] = get(ends_at, 0) - points
    return deltas


def _sweep(pack: PolicyPack, cls: str, records: list[_Record], revoked: dict[str, datetime], at: datetime, notices: _Notices) -> tuple[int, list[SanctionInstance]]:
    """The class's points at `at` and its sanction instances; the notices they made due go to `notices`."""
    lads = _ladders(pack, cls)
    sched = lads if type(lads) is _Schedule else None
    lad = lads.at(at)
    lp, margin, warn_from, warn_below = lad.points, lad.margin, lad.warn_from, lad.warn_below
    deltas = _deltas(records, at)
    rev_times = {t for t in revoked.values() if t <= at}
    instances: list[SanctionInstance] = []
    points = 0
    warned_for: int | None = None
    times = sorted(deltas.keys() | rev_times) if rev_times else sorted(deltas)
    for t in times:
        if sched is not None:  # the ladder of the version in force at `t`
            lad = sched.at(t)
            lp, margin, warn_from, warn_below = lad.points, lad.margin, lad.warn_from, lad.warn_below
        prev = points
        points = prev + deltas.get(t, 0)
        if rev_times and t in rev_times:
            _reconcile(lads, cls, records, revoked, times, deltas, t, instances, notices)
        if points > prev:  # TT-PTS-5: an upward crossing starts the sanctions
            lo, hi = bisect_right(lp, prev), bisect_right(lp, points)
            for step in lad.steps[lo:hi]:
                _start(instances, notices, step, cls, t, points)
        if warn_from <= points < warn_below or (warned_for is not None and points < warned_for - margin):
            warned_for = _warn(notices, lp, margin, cls, t, points, warned_for)
    return points, instances


def _start(instances: list[SanctionInstance], notices: _Notices, step: _Step, cls: str, t: datetime, points: int) -> None:
    threshold, level, sanctions = step
    for kind, days in sanctions:
        instances.append(SanctionInstance(kind, threshold, cls, level, t, None if days is None else t + days))
    if sanctions:
        params = (("subject", f"{cls}-{threshold}"), ("point_class", cls), ("threshold", threshold), ("level", level), ("points", points))
        notices["sanction"].append(_notice("sanction", t, "TT-PTS-3", None, params))


def _warn(notices: _Notices, lp: tuple[int, ...], margin: int, cls: str, t: datetime, points: int, warned_for: int | None) -> int | None:
    """TT-PTS-4: one warning per threshold approach; again only after falling below the line."""
    if warned_for is not None and points < warned_for - margin:
        warned_for = None
    i = bisect_right(lp, points)
    if i < len(lp):
        nxt = lp[i]
        if points >= nxt - margin and warned_for != nxt:
            params = (("subject", f"{cls}-{nxt}"), ("point_class", cls), ("threshold", nxt), ("points", points))
            notices["warning"].append(_notice("warning", t, "TT-PTS-4", None, params))
            warned_for = nxt
    return warned_for


def _counterfactual_in_force(lads: _Ladder | _Schedule, times: list[datetime], deltas: dict[datetime, int], removed: dict[datetime, int], d: datetime) -> dict[tuple[int, str], datetime | None]:
    """The (threshold, kind) sanctions in force at `d` had the points in `removed` never counted, with their ends.

    It replays the actual sweep's own sorted moments up to `d`, less `removed`, rather than
    building and sorting a second history. Where two instances of one key are in force, the
    later-started one stands for both.
    """
    sched = lads if type(lads) is _Schedule else None
    lad = lads.at(d)
    lp = lad.points if sched is None else ()
    out: dict[tuple[int, str], datetime | None] = {}
    points = 0
    for t in times:
        if t > d:
            break
        if sched is not None:
            lad = sched.at(t)
            lp = lad.points
        prev = points
        points += deltas.get(t, 0) - removed.get(t, 0)
        if points > prev:
            for threshold, _, sanctions in lad.steps[bisect_right(lp, prev) : bisect_right(lp, points)]:
                for kind, days in sanctions:
                    end = None if days is None else t + days
                    if end is None or d < end:
                        out[(threshold, kind)] = end
    return out


def _reconcile(
    lad: _Ladder | _Schedule,
    cls: str,
    records: list[_Record],
    revoked: dict[str, datetime],
    times: list[datetime],
    deltas: dict[datetime, int],
    d: datetime,
    instances: list[SanctionInstance],
    notices: _Notices,
) -> None:
    """TT-APL-5: at revocation instant `d`, lift what would not have happened without the revoked points."""
    gone = {vid for vid, t in revoked.items() if t <= d}
    # The counterfactual never had the points of a violation revoked by `d`: take out its rise and
    # its drop (both at or before `d`). One revoked only after `d` keeps counting up to `d`.
    removed: dict[datetime, int] = {}
    for vid, issued_at, ends_at, points in records:
        if vid in gone:
            removed[issued_at] = removed.get(issued_at, 0) + points
            removed[ends_at] = removed.get(ends_at, 0) - points
    twins = _counterfactual_in_force(lad, times, deltas, removed, d)
    for s in instances:
        if not s.in_force(d):
            continue
        key = (s.threshold, s.kind)
        if key not in twins:
            s.ends_at, s.lifted_at = d, d
            params = (("subject", s.id), ("kind", s.kind), ("threshold", s.threshold), ("point_class", cls))
            notices["sanction_lifted"].append(_notice("sanction_lifted", d, "TT-APL-5", None, params))
            continue
        twin_end = twins[key]
        if twin_end is not None and (s.ends_at is None or twin_end < s.ends_at):
            s.ends_at = twin_end  # never lengthened: the earlier of the two ends


def _scan(events: list[Event], at: datetime) -> tuple[list[ViolationIssued], list[AppealDecided | ViolationRevoked], dict[str, datetime]]:
    """Events up to `at`: the violations issued, the appeal decisions, and each violation's revocation.

    A violation is revoked at its earliest explicit revocation or granted appeal (TT-APL-5),
    as `events.revocations` says.
    """
    issued: list[ViolationIssued] = []
    decided: list[AppealDecided | ViolationRevoked] = []
    revoked: dict[str, datetime] = {}
    for e in events:
        if e.at > at:
            continue
        if isinstance(e, ViolationIssued):
            issued.append(e)
            continue
        if isinstance(e, AppealDecided):
            decided.append(e)
            if e.outcome != "granted":
                continue
        elif isinstance(e, ViolationRevoked):
            decided.append(e)
        else:
            continue
        prev = revoked.get(e.violation_id)
        if prev is None or e.at < prev:
            revoked[e.violation_id] = e.at
    issued.sort(key=_BY_AT)
    return issued, decided, revoked


_BY_AT = attrgetter("at")


def fold(pack: PolicyPack, events: list[Event], at: datetime, lean: bool = False) -> Standing:
    """The standing of one shop at `at`, from its events; events after `at` are ignored.

    When `pack` has versions (`core.policy.versions`), each instant is judged by the ladder of the
    version in force then, and level, privileges and next threshold at `at` by the version in force at `at`.

    `lean`: the same sweep, but no violation states and no notices (`violations` and `notices` are
    empty) — for replays of many histories that read points, levels and sanctions only (simulate).
    """
    issued, decided, revoked = _scan(events, at)
    notices: _Notices = {kind: [] for kind in _NOTICE_ORDER}
    current = version_at(pack, at) if siblings(pack) else pack
    by_class, states = _records(current, issued, revoked, at, notices["violation"], lean)
    classes: dict[str, ClassStanding] = {}
    history: list[SanctionInstance] = []
    for cls, records in by_class.items():
        class_revoked = {r[0]: revoked[r[0]] for r in records if r[0] in revoked} if revoked else {}
        points, instances = _sweep(pack, cls, records, class_revoked, at, notices)
        history.extend(instances)
        classes[cls] = _class_standing(current, cls, points)

    if lean:
        return _assemble(current, at, classes, history, states, {kind: [] for kind in _NOTICE_ORDER})
    ended = notices["sanction_ended"]
    for s in history:
        if s.lifted_at is None and s.ends_at is not None and s.ends_at <= at:
            params: tuple[tuple[str, object], ...] = (("subject", s.id), ("kind", s.kind), ("threshold", s.threshold), ("point_class", s.point_class))
            ended.append(_notice("sanction_ended", s.ends_at, "TT-PTS-5", None, params))
    for e in decided:
        if isinstance(e, ViolationRevoked):  # revoked outright by the platform: the seller is told why
            notices["violation_revoked"].append(_notice("violation_revoked", e.at, "TT-APL-5", e.violation_id, (("reason", e.reason),)))
            continue
        params = (("subject", e.appeal_id), ("outcome", e.outcome), ("reason", e.reason))
        notices["appeal_decision"].append(_notice("appeal_decision", e.at, "TT-APL-6", e.violation_id, params))
    return _assemble(current, at, classes, history, states, notices)


def holds_until(events: list[Event], st: Standing, pack: PolicyPack | None = None) -> datetime | None:
    """The first instant after `st.at` at which the fold of `events` may answer otherwise (None: never).

    The fold compares its `at` only with event instants (`_scan`), expiries (`_records`,
    `_deltas`) and the ends of sanctions (`in_force`, the ended notices); every other instant it
    uses is one of those. So no comparison flips before the earliest of them after `at`: at every
    instant in [st.at, holds_until) the fold gives `st` but for `at`. The health cache rests on
    this (service/health.py; tests/api/test_health_fast_holds.py checks it over random ledgers).
    """
    at = st.at
    later = [e.at for e in events if e.at > at]
    later += [e.expires_at for e in events if type(e) is ViolationIssued and e.expires_at > at]
    later += [s.ends_at for s in st.history if s.ends_at is not None and s.ends_at > at]
    if pack is not None:  # a scheduled version changes the level and the next threshold at its instant
        later += changes_after(pack, at)
    return min(later, default=None)


def _records(pack: PolicyPack, issued: list[ViolationIssued], revoked: dict[str, datetime], at: datetime, notices: list[NoticeDue], lean: bool = False) -> tuple[dict[str, list[_Record]], list[ViolationState]]:
    """Each violation's point record per class, its state at `at`, and its `violation` notice
    (`lean`: the records alone)."""
    by_class: dict[str, list[_Record]] = {c.id: [] for c in pack.point_classes}
    states: list[ViolationState] = []
    if lean:
        for v in issued:
            vid, issued_at, expiry = v.violation_id, v.at, v.expires_at
            rv = revoked.get(vid) if revoked else None
            end = expiry if rv is None or rv > expiry else (rv if rv > issued_at else issued_at)  # as below
            records = by_class.get(v.point_class)
            if records is None:
                records = by_class[v.point_class] = []
            records.append((vid, issued_at, end, v.points))
        return by_class, states
    for v in issued:
        vid, issued_at, expiry, points, cls = v.violation_id, v.at, v.expires_at, v.points, v.point_class
        rv = revoked.get(vid)
        if rv is None:
            end, status = expiry, ("expired" if at >= expiry else "active")
        else:
            # A revocation dated before the issue means the points never counted (not negative points).
            end = expiry if rv > expiry else (rv if rv > issued_at else issued_at)
            status = "revoked" if rv <= at else ("expired" if at >= expiry else "active")  # revoked wins over expired
        records = by_class.get(cls)
        if records is None:
            records = by_class[cls] = []
        records.append((vid, issued_at, end, points))
        vtype, severity = v.type, v.severity
        states.append(_violation_state(vid, vtype, severity, points, cls, issued_at, expiry, rv, status))
        params = (("type", vtype), ("severity", severity), ("points", points), ("point_class", cls))
        notices.append(_notice("violation", issued_at, "TT-PTS-1", vid, params))
    return by_class, states


def _class_standing(pack: PolicyPack, cls: str, points: int) -> ClassStanding:
    lad = _ladder(pack, cls)
    i = bisect_right(lad.points, points)  # thresholds [0, i) are reached
    level = lad.steps[i - 1][1] if i else pack.levels[0].id
    nxt = lad.points[i] if i < len(lad.points) else None
    if nxt is None:
        return ClassStanding(cls, points, level, None, None, False)
    return ClassStanding(cls, points, level, nxt, nxt - points, points >= nxt - lad.margin)


def _in_order(notices: _Notices) -> list[NoticeDue]:
    """Oldest first; at one instant in `_NOTICE_ORDER`, then in the order they were made.

    The buckets are concatenated in `_NOTICE_ORDER` and then stably sorted on `sent_at` alone,
    which gives that order without a Python key function per notice.
    """
    out = [n for kind in _NOTICE_ORDER for n in notices[kind]]
    out.sort(key=_SENT_AT)
    return out


def _assemble(pack: PolicyPack, at: datetime, classes: dict[str, ClassStanding], history: list[SanctionInstance], states: list[ViolationState], notices: _Notices) -> Standing:
    primary = classes[pack.primary]
    rank = pack.level_rank
    level = max((c.level for c in classes.values()), key=lambda lv: rank.get(lv, 0))
    in_force = [s for s in history if s.in_force(at)]
    privileges = {p.id: True for p in pack.privileges}
    if in_force:
        removes = pack.sanction_removes
        for s in in_force:
            for p in removes.get(s.kind, ()):
                privileges[p] = False
    return Standing(
        at=at,
        points=sum(c.points for c in classes.values()),
        level=level,
        next_threshold=primary.next_threshold,
        points_to_next=primary.points_to_next,
        warning=primary.warning,
        classes=classes,
        sanctions=in_force,
        history=history,
        privileges=privileges,
        violations=states,
        notices=_in_order(notices),
    )


# The order of notices due at one instant: the cause before its effects.
_NOTICE_ORDER = ("violation", "appeal_decision", "violation_revoked", "sanction_lifted", "sanction_ended", "sanction", "warning")
_SENT_AT = attrgetter("sent_at")
