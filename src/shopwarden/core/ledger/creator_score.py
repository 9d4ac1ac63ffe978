"""A creator's standing at `at`: a pure fold over the creator's ledger events, by the pack's model.

Two policies, one ledger (CR-7). A `points` pack folds exactly as a shop does (`standing.fold`,
with the creator rules standing in for the shop pack). A `health_score` pack folds here:

- the score starts at the pack's `start_score`; each violation deducts by severity (never
  expiring); each credit earns, within the pack's daily cap (one UTC day) and never above
  `max_score`: a credit past either is granted in part (CR-7);
- a milestone's measures start when the score first falls to or below it, and again only after
  it rose above and fell again (API.md); a measure runs its full duration (CR-9, as TT-PTS-5);
- the same violation type `count` times within `days` starts the repeat rule's measures, whatever
  the score (CR-8): on the upward crossing of the count, again only after it fell below;
- a revocation (granted appeal or the platform's reversal, CR-11) gives the deduction back from
  its instant on and, as TT-APL-5, lifts every running measure that the history without every
  violation revoked by then does not also have; one it has keeps running, to the earlier end.
  Nothing is started or lengthened by a revocation; history before it is never rewritten.

Decision: the score shown is never below 0, but the deductions below 0 still count, so a creator
at "0" earns back the debt before the score moves (deductions do not expire, CR-7).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any

from shopwarden.core.ledger.credit_series import CreditSeries
from shopwarden.core.ledger.events import CreditEarned, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import NoticeDue, Standing, _scan, _stamp, fast_frozen, fold
from shopwarden.core.policy.creators import CREATOR_PRIVILEGES, CreatorMeasure, HealthScoreRules, Milestone, PointsRules

_ISSUE, _RESTORE, _CREDIT = 0, 1, 2  # at one instant: deductions, then restorations, then credits


@dataclass(slots=True)
class MeasureInstance:
    kind: str
    cause: str  # what started it: "milestone-150", "repeat-<type>", or a points threshold
    rule: str
    starts_at: datetime
    ends_at: datetime | None  # None: until lifted
    removes: frozenset[str]
    privilege: str | None = None
    lifted_at: datetime | None = None

    @property
    def id(self) -> str:
        return f"{self.cause}-{self.kind}-{_stamp(self.starts_at)}"

    def in_force(self, t: datetime) -> bool:
        return self.starts_at <= t and (self.ends_at is None or t < self.ends_at)


@dataclass(frozen=True, slots=True)
class DeductionState:
    violation_id: str
    type: str
    severity: str
    deduction: int
    issued_at: datetime
    revoked_at: datetime | None
    status: str  # active | revoked


_deduction_state = fast_frozen(DeductionState)
_notice = fast_frozen(NoticeDue)  # the fold's hot constructors (standing.fast_frozen says why)


@dataclass(frozen=True, slots=True)
class CreditGrant:
    credit_id: str
    at: datetime
    kind: str
    requested: int
    granted: int


@dataclass(slots=True)
class ScoreStanding:
    at: datetime
    score: int
    band: str
    next_milestone: int | None
    measures: list[MeasureInstance]  # in force at `at`
    history: list[MeasureInstance]  # every instance started up to `at`
    privileges: dict[str, bool]
    violations: list[DeductionState]
    credits: list[CreditGrant]
    notices: list[NoticeDue] = field(default_factory=list)


@dataclass(slots=True)
class _Walk:
    score: int
    instances: list[MeasureInstance]
    grants: list[CreditGrant]
    notices: list[NoticeDue]


def score_fold(rules: HealthScoreRules, events: list[Event], at: datetime, series: CreditSeries | None = None) -> ScoreStanding:
    """The health score of one creator at `at`, from its events; events after `at` are ignored.

    With `series` (the creator's credits as columns, `CreditSeries`), credits are not walked one by
    one: credits only raise the score, so between two violations only their day-capped total
    matters, read from a prefix sum. That path gives the same standing as walking every credit
    (tests/core/test_creator_score.py checks it over random histories) except `credits`, the
    per-credit grants, which it leaves empty; it is taken while the score never rises past
    `max_score` (the only clamp that depends on the order of credits), else every credit is walked.
    """
    if series is not None:
        try:
            return _score_fold(rules, events, at, series)
        except _Clamped:
            events = [*(e for e in events if type(e) is not CreditEarned), *series.events()]
    return _score_fold(rules, events, at, None)


class _Clamped(Exception):
    """The score would rise past `max_score`: its credits must be walked one by one."""


def _score_fold(rules: HealthScoreRules, events: list[Event], at: datetime, series: CreditSeries | None) -> ScoreStanding:
    issued, decided, revoked = _scan(events, at)
    fast = series is not None
    credits = [] if fast else sorted((e for e in events if type(e) is CreditEarned and e.at <= at), key=lambda c: (c.at, c.credit_id))
    earned = series if fast else None

    def reconcile(d: datetime, instances: list[MeasureInstance], notices: list[NoticeDue]) -> None:
        gone = {vid for vid, t in revoked.items() if t <= d}
        twin = _walk(rules, [v for v in issued if v.violation_id not in gone], credits, {}, d, None, earned)
        twins = {(s.cause, s.kind): s.ends_at for s in twin.instances if s.in_force(d)}
        for s in instances:
            if not s.in_force(d):
                continue
            key = (s.cause, s.kind)
            if key not in twins:
                s.ends_at = s.lifted_at = d
                notices.append(_notice("measure_lifted", d, "CR-11", None, (("subject", s.id), ("kind", s.kind), ("cause", s.cause))))
            elif (end := twins[key]) is not None and (s.ends_at is None or end < s.ends_at):
                s.ends_at = end

    walk = _walk(rules, issued, credits, revoked, at, reconcile, earned)
    notices = walk.notices
    states = []
    for v in issued:  # one pass: each violation's notice and its state at `at`
        vid, vat, vtype, severity, points = v.violation_id, v.at, v.type, v.severity, v.points
        notices.append(_notice("violation", vat, "CR-7", vid, (("type", vtype), ("severity", severity), ("deduction", points))))
        rv = revoked.get(vid) if revoked else None
        states.append(_deduction_state(vid, vtype, severity, points, vat, rv, "revoked" if rv is not None and rv <= at else "active"))
    for s in walk.instances:
        if s.lifted_at is None and s.ends_at is not None and s.ends_at <= at:
            notices.append(_notice("measure_ended", s.ends_at, "CR-9", None, (("subject", s.id), ("kind", s.kind), ("cause", s.cause))))
    for e in decided:
        if isinstance(e, ViolationRevoked):
            notices.append(_notice("violation_revoked", e.at, "CR-11", e.violation_id, (("reason", e.reason),)))
        else:
            notices.append(_notice("appeal_decision", e.at, "CR-11", e.violation_id, (("subject", e.appeal_id), ("outcome", e.outcome), ("reason", e.reason))))
    notices = _in_order(notices)
    shown = max(0, walk.score)
    in_force = [s for s in walk.instances if s.in_force(at)]
    return ScoreStanding(
        at=at, score=shown, band=rules.band_of(shown), next_milestone=_next_milestone(rules, shown),
        measures=in_force, history=walk.instances, privileges=privileges_under(in_force),
        violations=states, credits=walk.grants, notices=notices,
    )


def _walk(rules: HealthScoreRules, issued: list[ViolationIssued], credits: list[CreditEarned], revoked: dict[str, datetime],
          at: datetime, reconcile: Callable[[datetime, list[MeasureInstance], list[NoticeDue]], None] | None,
          earned: CreditSeries | None = None) -> _Walk:
    """Sweep the score's changes in time order, starting milestone and repeat-rule measures.

    `earned`: the credits as columns; given, they are read as day-capped totals instead of walked
    (`score_fold`'s fast path)."""
    if earned is not None:
        return _walk_totals(rules, issued, revoked, at, reconcile, earned)
    w = _Walk(rules.start_score, [], [], [])
    below = {m.score for m in rules.milestones if w.score <= m.score}  # a start under a milestone is no crossing
    used: dict[date, int] = {}
    hits: dict[str, list[tuple[datetime, str]]] = {}
    entries = _timeline(issued, credits, revoked, at)
    i = 0
    while i < len(entries):
        t = entries[i][0]
        i, deducted, issued_now, restored, credits = _group(entries, i, hits)
        w.score -= deducted
        for c in credits:  # after the instant's deductions and restorations, as the timeline orders them
            _grant(rules, w, used, c)
        if restored and reconcile is not None:
            reconcile(t, w.instances, w.notices)
        _milestones(rules, w, below, t)
        _repeat_rule(rules, w, hits, issued_now, t)
    return w


def _walk_totals(rules: HealthScoreRules, issued: list[ViolationIssued], revoked: dict[str, datetime], at: datetime,
                 reconcile: Callable[[datetime, list[MeasureInstance], list[NoticeDue]], None] | None, earned: CreditSeries) -> _Walk:
    """`_walk` over the violations' instants only, the credits read as totals: before each instant the
    score stands at its highest since the last one (credits only raise it), which is where a
    milestone re-arms; after it, where one may be crossed.

    The milestones' state is one number, `level`, the score they were last checked at: a milestone
    is armed exactly when it lies below `level`, so a fall to `score` crosses those in
    `[score, level)` (what `_milestones` keeps as a set). A violation alone at its instant, the
    common case, is taken inline."""
    start, top = rules.start_score, rules.max_score
    w = _Walk(start, [], [], [])
    hits: dict[str, list[tuple[datetime, str]]] = {}
    entries = _timeline(issued, [], revoked, at) if revoked else [(v.at, _ISSUE, v) for v in issued]  # `_scan` sorted them
    times = [e[0] for e in entries]
    times.append(at)
    before, by = earned.earned_at(rules.earn.daily_cap, times)
    rule = rules.repeat_rule
    count, window = (rule.count, rules.repeat_window) if rule is not None else (0, None)
    marks = rules.milestones_desc
    top_mark, low_mark = (marks[0].score, marks[-1].score) if marks else (-1, 0)
    net = 0  # deductions less restorations so far
    n, i = len(entries), 0
    while i < n:
        t, kind, item = entries[i]
        level = start + before[i] - net  # credits came in since the last instant: the score is at its highest here
        if level > top:
            raise _Clamped
        if kind == _ISSUE and (i + 1 == n or entries[i + 1][0] != t):  # one violation alone at its instant
            net += item.points
            score = start + by[i] - net
            i += 1
            if score < level and score <= top_mark and level > low_mark:  # else no milestone lies in [score, level)
                _crossed(marks, w, score, level, t)
            found = hits.get(item.type)
            if found is None:
                hits[item.type] = found = [(t, item.violation_id)]
            else:
                found.append((t, item.violation_id))
            if count and rule is not None and len(found) >= count and len(found) - bisect_right(found, t - window, key=_FIRST) == count:
                _start(w, rule.measures, f"repeat-{item.type}", "CR-8", t, (("type", item.type), ("count", count), ("days", rule.days)))
            continue
        i, deducted, issued_now, restored, _ = _group(entries, i, hits)
        net += deducted
        score = start + by[i - 1] - net
        if restored and reconcile is not None:
            reconcile(t, w.instances, w.notices)
        if score < level:
            _crossed(marks, w, score, level, t)
        _repeat_rule(rules, w, hits, issued_now, t)
    w.score = start + by[n] - net
    if w.score > top:
        raise _Clamped
    return w


def _crossed(marks: tuple[Milestone, ...], w: _Walk, score: int, level: int, t: datetime) -> None:
    """The score fell from `level` to `score`: start the measures of every milestone in `[score, level)`, highest first."""
    for m in marks:
        if score <= m.score < level:
            _start(w, m.measures, f"milestone-{m.score}", "CR-7", t, (("milestone", m.score), ("score", max(0, score))))


def _group(entries: list[tuple[Any, ...]], i: int, hits: dict[str, list[tuple[datetime, str]]]) -> tuple[int, int, list[ViolationIssued], bool, list[CreditEarned]]:
    """The entries at one instant from `i`: the next index, the net deduction (restorations
    subtracted), the violations issued, whether any was restored, and the credits; `hits` (each
    type's counted violations, for the repeat rule) kept up to date."""
    t, kind, item = entries[i]
    if kind == _ISSUE and (i + 1 == len(entries) or entries[i + 1][0] != t):  # the common case: one violation alone at its instant
        found = hits.get(item.type)
        if found is None:
            hits[item.type] = [(t, item.violation_id)]
        else:
            found.append((t, item.violation_id))
        return i + 1, item.points, [item], False, []
    deducted, issued_now, restored, credits = 0, [], False, []
    while i < len(entries) and entries[i][0] == t:
        _, kind, item = entries[i]
        i += 1
        if kind == _ISSUE:
            deducted += item.points
            hits.setdefault(item.type, []).append((item.at, item.violation_id))
            issued_now.append(item)
        elif kind == _RESTORE:
            deducted -= item.points
            hits[item.type] = [h for h in hits.get(item.type, []) if h[1] != item.violation_id]
            restored = True
        else:
            credits.append(item)
    return i, deducted, issued_now, restored, credits


def _timeline(issued: list[ViolationIssued], credits: list[CreditEarned], revoked: dict[str, datetime], at: datetime) -> list[tuple[Any, ...]]:
    entries: list[tuple[Any, ...]] = []
    for v in issued:
        rv = revoked.get(v.violation_id)
        if rv is not None and rv <= v.at:
            continue  # revoked before it was issued: it never counted
        entries.append((v.at, _ISSUE, v))
        if rv is not None and rv <= at:
            entries.append((rv, _RESTORE, v))
    entries.extend((c.at, _CREDIT, c) for c in credits)
    entries.sort(key=lambda e: (e[0], e[1]))
    return entries


def _grant(rules: HealthScoreRules, w: _Walk, used: dict[date, int], c: CreditEarned) -> None:
    day = c.at.date()  # events are in UTC: the cap is per UTC day (API.md)
    granted = max(0, min(c.amount, rules.earn.daily_cap - used.get(day, 0), rules.max_score - w.score))
    used[day] = used.get(day, 0) + granted
    w.score += granted
    w.grants.append(CreditGrant(c.credit_id, c.at, c.kind, c.amount, granted))


def _milestones(rules: HealthScoreRules, w: _Walk, below: set[int], t: datetime) -> None:
    score = w.score
    for m in rules.milestones_desc:
        at_or_below = score <= m.score
        if at_or_below == (m.score in below):
            continue  # nothing crossed at this milestone
        if at_or_below:
            below.add(m.score)
            _start(w, m.measures, f"milestone-{m.score}", "CR-7", t, (("milestone", m.score), ("score", max(0, score))))
        else:
            below.discard(m.score)


def _repeat_rule(rules: HealthScoreRules, w: _Walk, hits: dict[str, list[tuple[datetime, str]]], issued_now: list[ViolationIssued], t: datetime) -> None:
    if not issued_now:
        return
    rule = rules.repeat_rule
    if rule is None:
        return
    since = t - rules.repeat_window
    types = [issued_now[0].type] if len(issued_now) == 1 else sorted({v.type for v in issued_now})
    for vtype in types:
        counted = hits.get(vtype, [])  # in time order: the walk appends as it goes
        inside = len(counted) - bisect_right(counted, since, key=_FIRST)
        new = 1 if len(issued_now) == 1 else sum(1 for v in issued_now if v.type == vtype)
        if inside - new < rule.count <= inside:
            _start(w, rule.measures, f"repeat-{vtype}", "CR-8", t, (("type", vtype), ("count", inside), ("days", rule.days)))


_FIRST = itemgetter(0)


def _start(w: _Walk, measures: list[CreatorMeasure], cause: str, rule: str, t: datetime, params: tuple[tuple[str, object], ...]) -> None:
    for m in measures:
        end = None if m.days is None else t + timedelta(days=m.days)
        w.instances.append(MeasureInstance(m.kind, cause, rule, t, end, m.removes(), m.privilege))
    w.notices.append(_notice("measure", t, rule, None, (("subject", cause),) + params))


def privileges_under(in_force: list[MeasureInstance]) -> dict[str, bool]:
    out = {p: True for p in CREATOR_PRIVILEGES}
    for s in in_force:
        for p in s.removes:
            out[p] = False
    return out


def _next_milestone(rules: HealthScoreRules, score: int) -> int | None:
    return max((m.score for m in rules.milestones if m.score < score), default=None)


def _in_order(notices: list[NoticeDue]) -> list[NoticeDue]:
    """Oldest first; at one instant in `_ORDER` (the cause before its effects), else as made: the
    kinds are bucketed, then stably sorted on `sent_at` alone (no Python key per notice)."""
    buckets: dict[int, list[NoticeDue]] = {}
    for n in notices:
        buckets.setdefault(_ORDER.get(n.kind, 9), []).append(n)
    out = [n for rank in sorted(buckets) for n in buckets[rank]]
    out.sort(key=_SENT_AT)
    return out


_SENT_AT = attrgetter("sent_at")
_ORDER = {"violation": 0, "appeal_decision": 1, "violation_revoked": 2, "measure_lifted": 3, "measure_ended": 4, "measure": 5}


def creator_fold(rules: HealthScoreRules | PointsRules, events: list[Event], at: datetime, series: CreditSeries | None = None) -> ScoreStanding | Standing:
    """The creator's standing by its pack's model: a health score here, points by the shop fold."""
    if isinstance(rules, PointsRules):
        return fold(rules, events, at)  # type: ignore[arg-type]  # PointsRules offers the look-ups fold reads
    return score_fold(rules, events, at, series)
