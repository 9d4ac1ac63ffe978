"""Policy simulation: a shop's history replayed under two packs, and what differs (issue 17).

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
from dataclasses import dataclass, field
from datetime import datetime

from shopwarden.core.ledger.events import AppealFiled, Event, ViolationIssued
from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.ledger.standing import SanctionInstance, Standing, fast_frozen, fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force, versions

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


@dataclass(frozen=True, slots=True)
class SanctionChange:
    live: SanctionSpan
    draft: SanctionSpan

    @property
    def days(self) -> float:
        return self.draft.days - self.live.days


@dataclass(frozen=True, slots=True)
class Timeline:
    """One side of a shop's comparison."""

    level: str
    points: int
    sanctions: tuple[SanctionSpan, ...]


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


def reissue(live: PolicyPack, pack: PolicyPack, events: list[Event], unknown: set[str] | None = None) -> list[Event]:
    """The events with every violation's points, class and expiry as `pack` would have set them."""
    out: list[Event] = []
    scheduled = bool(pack._versions or live._versions)
    whole, whole_live = pack, live
    for e in events:
        if type(e) is not ViolationIssued:
            out.append(e)
            continue
        if scheduled:  # the versions in force at the violation's instant (TT-PTS-1, TT-PTS-2)
            pack, live = in_force(whole, e.at), in_force(whole_live, e.at)
        t = pack.types.get(e.type)
        sev = t.severities.get(e.severity) if t is not None else None
        if t is None or sev is None:
            if unknown is not None:
                unknown.add(e.type if t is None else f"{e.type}/{e.severity}")
            out.append(e)
            continue
        lt = live.types.get(e.type)
        lsev = lt.severities.get(e.severity) if lt is not None else None
        chosen = lsev is not None and e.points != lsev.points
        points = min(max(e.points, t.min_points), t.max_points) if chosen else sev.points
        cls = pack.class_of(e.type, e.severity)
        out.append(_issued(e.violation_id, e.at, e.type, e.severity, points, cls, expires_at(pack, cls, e.at)))
    return out


def _end(s: SanctionInstance) -> datetime | None:
    return s.lifted_at or s.ends_at


def _spans(pack: PolicyPack, st: Standing, triggers: dict[tuple[str, datetime], str], lo: datetime, hi: datetime) -> tuple[SanctionSpan, ...]:
    steps = {(cls, t.points): i for v in versions(pack) for cls, ladder in v.ladders.items() for i, t in enumerate(ladder)}
    out = []
    for s in st.history:
        if pack._versions:
            v = in_force(pack, s.starts_at)
            steps = {(cls, t.points): i for cls, ladder in v.ladders.items() for i, t in enumerate(ladder)}
        end = _end(s)
        if s.starts_at > hi or (end is not None and end <= lo):
            continue
        a, b = max(s.starts_at, lo), min(end, hi) if end is not None else hi
        out.append(SanctionSpan(s.kind, s.point_class, s.threshold, steps.get((s.point_class, s.threshold), -1), s.starts_at, end, max(0.0, (b - a).total_seconds() / DAY),
                                triggers.get((s.point_class, s.starts_at))))
    return tuple(out)


def _in_force(st: Standing, t: datetime) -> bool:
    for s in st.history:
        end = _end(s)
        if s.starts_at <= t and (end is None or t < end):
            return True
    return False


def _timeline(pack: PolicyPack, events: list[Event], lo: datetime, hi: datetime) -> tuple[Timeline, Standing]:
    st = fold(pack, events, hi)
    triggers = {(e.point_class, e.at): e.type for e in events if type(e) is ViolationIssued}
    return Timeline(st.level, st.points, _spans(pack, st, triggers, lo, hi)), st


def compare(shop_id: str, market: str, live: PolicyPack, draft: PolicyPack, events: list[Event], lo: datetime, hi: datetime) -> ShopDiff:
    """The shop's history under `live` and under `draft`, compared over [lo, hi]."""
    unknown: set[str] = set()
    live_tl, live_st = _timeline(live, reissue(live, live, events), lo, hi)
    draft_tl, draft_st = _timeline(draft, reissue(live, draft, events, unknown), lo, hi)
    a = {s.key: s for s in live_tl.sanctions}
    b = {s.key: s for s in draft_tl.sanctions}
    added = tuple(s for k, s in b.items() if k not in a)
    removed = tuple(s for k, s in a.items() if k not in b)
    changed = tuple(SanctionChange(a[k], b[k]) for k in a.keys() & b.keys() if a[k].ends_at != b[k].ends_at)
    filed = sorted((e for e in events if type(e) is AppealFiled and lo <= e.at <= hi), key=lambda e: e.at)
    unnecessary = tuple(e.appeal_id for e in filed if _in_force(live_st, e.at) and not _in_force(draft_st, e.at))
    return ShopDiff(shop_id, market, live_tl, draft_tl, added, removed, tuple(sorted(changed, key=lambda c: c.live.starts_at)),
                    unnecessary, tuple(sorted(unknown)))


@dataclass
class Tally:
    shops_changed: int = 0
    levels_changed: int = 0
    sanctions_added: int = 0
    sanctions_removed: int = 0
    sanctions_changed: int = 0
    sanction_days_added: float = 0.0
    sanction_days_removed: float = 0.0
    deactivations_added: int = 0
    deactivations_removed: int = 0
    appeals_unnecessary: int = 0

    def add(self, d: ShopDiff) -> None:
        self.shops_changed += 1
        self.levels_changed += d.level_changed
        self.sanctions_added += len(d.added)
        self.sanctions_removed += len(d.removed)
        self.sanctions_changed += len(d.changed)
        self.sanction_days_added += sum(s.days for s in d.added) + sum(c.days for c in d.changed if c.days > 0)
        self.sanction_days_removed += sum(s.days for s in d.removed) - sum(c.days for c in d.changed if c.days < 0)
        self.deactivations_added += d.deactivations_added
        self.deactivations_removed += d.deactivations_removed
        self.appeals_unnecessary += len(d.appeals_unnecessary)


@dataclass
class Summary:
    shops: int = 0
    total: Tally = field(default_factory=Tally)
    by_market: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)  # the sanctions' trigger types
    level_moves: Counter = field(default_factory=Counter)  # (live level, draft level) -> shops
    unknown_types: Counter = field(default_factory=Counter)

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


def summarise(diffs) -> Summary:
    out = Summary()
    for d in diffs:
        out.add(d)
    return out
