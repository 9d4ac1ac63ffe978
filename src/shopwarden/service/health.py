"""A shop's standing as of `at` (API.md Health), its notices, and the fold's inputs; and `HealthCache`,
which keeps health answers for as long as they provably hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from shopwarden.core.ledger.events import revocations
from shopwarden.core.ledger.notices import render, rule_of
from shopwarden.core.ledger.standing import ClassStanding, SanctionInstance, Standing, ViolationState, fold, holds_until
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.notice_docs import NoticeText, ShopNotice
from shopwarden.service.results import Result
from shopwarden.service.statements import in_sanction_notices, sanction_link
from shopwarden.store import events


@dataclass(frozen=True, slots=True)
class SanctionView(Result):
    """A sanction in force (TT-PTS-3) with the link to its statement of reasons (DSA Art. 17)."""

    kind: str
    threshold: int
    point_class: str
    starts_at: datetime
    ends_at: datetime | None
    statement: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "threshold": self.threshold, "point_class": self.point_class, "starts_at": self.starts_at,
                "ends_at": self.ends_at, "statement": self.statement}


@dataclass(frozen=True, slots=True)
class HealthDoc(Result):
    """A shop's standing as of `at` (API.md Health). `measures`: the measures other use cases put on
    the shop (DY-QL-4's, a notice's under DSA Art. 16), listed after the sanctions in their own JSON."""

    shop_id: str
    at: datetime
    policy: str
    policy_version: str
    points: int
    level: str
    next_threshold: int | None
    points_to_next: int | None
    warning: bool
    classes: Sequence[ClassStanding]
    sanctions: Sequence[SanctionView]
    measures: Sequence[Mapping[str, Any]]
    privileges: Mapping[str, bool]
    violations: Sequence[ViolationState]

    def as_json(self) -> dict[str, Any]:
        # Written out (not `to_json`): the health read is the hottest path (bench/fold.py, bench/health_http.py).
        return {
            "shop_id": self.shop_id, "at": self.at, "policy": self.policy, "policy_version": self.policy_version, "points": self.points,
            "level": self.level, "next_threshold": self.next_threshold, "points_to_next": self.points_to_next, "warning": self.warning,
            "classes": [
                {"point_class": c.point_class, "points": c.points, "level": c.level, "next_threshold": c.next_threshold, "points_to_next": c.points_to_next, "warning": c.warning}
                for c in self.classes
            ],
            "sanctions": [x.as_json() for x in self.sanctions] + [dict(m) for m in self.measures],
            "privileges": dict(self.privileges),
            "violations": [
                {"id": v.violation_id, "type": v.type, "severity": v.severity, "points": v.points, "point_class": v.point_class, "issued_at": v.issued_at,
                 "expires_at": v.expires_at, "status": v.status}
                for v in self.violations
            ],
        }


def standing(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> tuple[PolicyPack, Standing]:
    require(principal, "violation.read", shop_id)
    at = at or ctx.clock()
    policy_id, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    if policy_id is None:
        raise NotFound.no("shop", shop_id)
    pack = ctx.pack(policy_id)
    return pack, fold(pack, ledger, at)


def health(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> HealthDoc:
    pack, st = standing(ctx, principal, shop_id, at)
    revoked = {v.violation_id: st.at for v in st.violations if v.status == "revoked"}
    measures, removed, _ = quality_measures(ctx, pack, shop_id, st.at, revoked)
    return health_json(shop_id, pack, st, measures, removed)


def quality_measures(ctx: Context, pack: PolicyPack, shop_id: str, at: datetime, revoked: dict[str, datetime]) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    """DY-QL-4's measures in force (a pack without an experience section has none, and is not read), and the
    measures notices put on the shop (DSA Art. 16, the pack's `notices.shop_measure`; none without that section)."""
    if pack.notices is not None:
        from shopwarden.service.notices import shop_measures  # notices build on statements, which health reads too

        on_notice, gone, change = shop_measures(ctx, shop_id, at)
        if pack.experience is None:
            return on_notice, gone, change
        measures, removed, changes = _quality_measures(ctx, pack, shop_id, at, revoked)
        both = [t for t in (change, changes) if t is not None]
        return measures + on_notice, removed | gone, min(both, default=None)
    return _quality_measures(ctx, pack, shop_id, at, revoked)


def _quality_measures(ctx: Context, pack: PolicyPack, shop_id: str, at: datetime, revoked: dict[str, datetime]) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    if pack.experience is None:
        return [], set(), None
    from shopwarden.service.poor_quality import (
        measures_at,  # the measures' module reads the experience page, which is above health
    )

    with ctx.db.read() as s:
        return measures_at(s, shop_id, at, revoked)


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class _Held(Generic[R]):
    version: int  # `PRAGMA data_version` read before the ledger
    since: datetime
    until: datetime | None  # None: nothing ahead changes it
    policy_id: str
    pack: PolicyPack
    rendered: R

    def serves(self, version: int, at: datetime, packs: dict[str, PolicyPack]) -> bool:
        return self.version == version and self.since <= at and (self.until is None or at < self.until) and packs.get(self.policy_id) is self.pack


class HealthCache(Generic[R]):
    """`health(...)` answers, rendered once by the caller's `render`, kept while they provably hold.

    A kept answer serves a request for `at` only if all of these are true:
    - no connection has committed to the database since it was read (`events.Commits`: a CLI
      import, a second server process, this process's own writes all count);
    - `since <= at < until`: the fold of that ledger is the same at every such instant but for
      `at` (`standing.holds_until`: the next event, expiry or sanction end after `since`);
    - the shop's policy pack is still the one loaded.
    Roles are checked on every request, kept answer or not (`require`). Only an SQLite file can
    tell whether anyone committed; on PostgreSQL (or with `enabled=False`) every call reads and
    folds. The answer's own `at` is the request's: the caller writes it in (`get` returns it).
    """

    MAX_SHOPS = 10_000  # beyond this the oldest kept answer goes first (a 50-violation answer is ~10 kB)

    def __init__(self, ctx: Context, render: Callable[[dict[str, Any]], R], enabled: bool = True):
        self.ctx, self.render = ctx, render
        self.commits = events.Commits(ctx.db.engine) if enabled and events.Commits.supported(ctx.db.engine) else None
        self._held: dict[str, _Held[R]] = {}
        self._version: int | None = None
        self.hits = self.misses = 0

    def get(self, principal: Principal, shop_id: str, at: datetime | None) -> tuple[R, datetime]:
        """The rendered health document of `shop_id` at `at` (default now), and that instant."""
        if self.commits is None:
            doc = health(self.ctx, principal, shop_id, at)
            return self.render(doc.as_json()), doc.at
        require(principal, "violation.read", shop_id)
        at = at or self.ctx.clock()
        version = self.commits.version()
        if version != self._version:
            self._held.clear()
            self._version = version
        held = self._held.get(shop_id)
        if held is not None and held.serves(version, at, self.ctx.packs):
            self.hits += 1
            return held.rendered, at
        self.misses += 1
        return self._read(shop_id, at), at

    def _read(self, shop_id: str, at: datetime) -> R:
        assert self.commits is not None  # `get` reads through here only when commits are watched
        version, policy_id, ledger = self.commits.ledger(shop_id)
        if policy_id is None:
            raise NotFound.no("shop", shop_id)
        pack = self.ctx.pack(policy_id)
        st = fold(pack, ledger, at)
        measures, removed, changes = quality_measures(self.ctx, pack, shop_id, at, revocations(ledger))
        rendered = self.render(health_json(shop_id, pack, st, measures, removed).as_json())
        held = self._held
        held.pop(shop_id, None)
        if len(held) >= self.MAX_SHOPS:
            del held[next(iter(held))]
        until = holds_until(ledger, st, pack)
        if changes is not None and (until is None or changes < until):
            until = changes  # a measure starts, ends or is lifted
        held[shop_id] = _Held(version, at, until, policy_id, self.ctx.packs[policy_id], rendered)  # the loaded pack (ctx.pack: its version in force)
        return rendered

    def close(self) -> None:
        if self.commits is not None:
            self.commits.close()


def health_json(shop_id: str, pack: PolicyPack, st: Standing, measures: Sequence[Mapping[str, Any]] = (), removed: set[str] | frozenset[str] = frozenset()) -> HealthDoc:
    """The health document; DY-QL-4's `measures` are listed with the sanctions and take away the
    privileges of the pack's sanction kinds in `removed`."""
    privileges = st.privileges
    if removed:
        gone: set[str] = set().union(*(pack.sanction_removes.get(k, frozenset()) for k in removed))
        privileges = {p: ok and p not in gone for p, ok in privileges.items()}
    return HealthDoc(
        shop_id=shop_id, at=st.at, policy=pack.id, policy_version=pack.version, points=st.points, level=st.level,
        next_threshold=st.next_threshold, points_to_next=st.points_to_next, warning=st.warning, classes=list(st.classes.values()),
        sanctions=[_sanction(shop_id, x) for x in st.sanctions], measures=measures, privileges=privileges, violations=st.violations,
    )


def _sanction(shop_id: str, x: SanctionInstance) -> SanctionView:
    return SanctionView(x.kind, x.threshold, x.point_class, x.starts_at, x.ends_at, sanction_link(shop_id, x))  # DSA Art. 17: its statement


def notices(ctx: Context, principal: Principal, shop_id: str, at: datetime | None, lang: str = "en") -> list[ShopNotice]:
    """The seller's notices up to `at`, oldest first, in `lang` ("en" or "zh") with both texts."""
    pack, st = standing(ctx, principal, shop_id, at)
    stated = in_sanction_notices(ctx, shop_id, st.history)  # DSA Art. 17: a sanction's notice carries its statements
    out = []
    for n in st.notices:
        en, zh = render(n, pack, "en"), render(n, pack, "zh")
        main = zh if lang == "zh" else en
        out.append(ShopNotice(
            id=n.id, kind=n.kind, sent_at=n.sent_at, title=main.title, body=main.body, rule=rule_of(n, pack), violation_id=n.violation_id,
            policy_version=pack.version, i18n={"en": NoticeText(en.title, en.body), "zh": NoticeText(zh.title, zh.body)},
            statements=stated.get(f"{dict(n.params).get('subject')}@{n.sent_at.isoformat()}", []) if n.kind == "sanction" else [],
        ))
    from shopwarden.service.review_reports import (
        report_notices,  # RV-1/4/6: review-report decisions, reporting warnings and blocks
    )

    out.extend(ShopNotice.of_json(d) for d in report_notices(ctx, shop_id, st.at, pack, lang))
    from shopwarden.service.decision_notices import decision_notices, quality_notices  # DY-LQ-3/4, DY-BQ-1, DY-QL-3/4

    out.extend(ShopNotice.of_json(d) for d in decision_notices(ctx, shop_id, st.at, pack, lang))
    out.extend(ShopNotice.of_json(d) for d in quality_notices(ctx, shop_id, st.at, pack, lang))
    out.sort(key=lambda n: n.sent_at)  # stable: the ledger's own order holds among equal times
    return out
