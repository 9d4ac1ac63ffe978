"""Pack versions scheduled by `effective_from`: the version in force at an instant.

A pack id may be loaded in several versions, each with its own `effective_from`. `schedule` checks
them and ties them together (each version knows its siblings); `in_force(pack, t)` is the version of
that id whose `effective_from` is the latest at or before `t`. Before the first version's
`effective_from` the first version applies (decision: history older than every version is judged
by the oldest, as a single-version pack judges all history).

The ledger fold (`core.ledger.standing.fold`) picks the ladder in force at each instant of a
shop's history; a violation's points, class and expiry are those of the version in force when it is
issued (TT-PTS-1, TT-PTS-2). So a scheduled version changes what happens from its time on, not from
when it was loaded. Decision: a new version is not an event of the shop: a threshold lowered under a
shop's points does not start sanctions by itself (TT-PTS-5 starts them on an upward crossing by the
shop's points), the shop's next rise is judged against it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime

from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import PolicyError, PolicyProblem


def siblings(pack: object) -> tuple[PolicyPack, ...]:
    """`pack._versions` without pydantic's attribute fallback (the folds ask once per history);
    () for rules that are not a pack (a creator pack's points rules)."""
    private = getattr(pack, "__pydantic_private__", None)
    found: tuple[PolicyPack, ...] = private.get("_versions", ()) if private else ()
    return found


def versions(pack: PolicyPack) -> tuple[PolicyPack, ...]:
    """Every version of `pack`'s id, oldest first (the pack alone when it has no siblings)."""
    return pack._versions or (pack,)


def in_force(pack: PolicyPack, t: datetime) -> PolicyPack:
    """The version of `pack`'s id in force at `t`."""
    vs = siblings(pack)
    if not vs:
        return pack
    i = bisect_right([v.effective_from for v in vs], t)
    return vs[i - 1] if i else vs[0]


def changes_after(pack: PolicyPack, t: datetime) -> list[datetime]:
    """The instants after `t` at which another version takes effect."""
    return [v.effective_from for v in siblings(pack) if v.effective_from > t]


def schedule(packs: Iterable[PolicyPack], source: str = "packs") -> dict[str, PolicyPack]:
    """The loaded packs by id, each id's versions tied together; the value is the newest version.

    Two versions of one id with the same `effective_from` are refused (`PolicyError`, every such
    pair at once): which would be in force there is undecidable.
    """
    by_id: dict[str, list[PolicyPack]] = {}
    for p in packs:  # copies: the versions are tied on the copies, never on a caller's (shared, cached) packs
        by_id.setdefault(p.id, []).append(p.model_copy())
    problems = []
    out: dict[str, PolicyPack] = {}
    for pid, vs in by_id.items():
        vs.sort(key=lambda v: v.effective_from)
        for a, b in zip(vs, vs[1:]):
            if a.effective_from == b.effective_from:
                problems.append(PolicyProblem(
                    "effective_from", f"versions {a.version!r} and {b.version!r} of {pid!r} both take effect at {a.effective_from.isoformat()}",
                    "give each version of a pack its own effective_from"))
        if len(vs) > 1:
            tied = tuple(vs)
            for v in tied:
                v._versions = tied
        out[pid] = vs[-1]
    if problems:
        raise PolicyError(source, problems)
    return out


def with_version(pack: PolicyPack, draft: PolicyPack) -> PolicyPack:
    """`pack`'s schedule with `draft` in force from its `effective_from` on, replacing every version
    of `pack` that takes effect at or after it (a draft says what the rules are from its date on).
    The result is a copy of `draft` tied to that schedule; `pack` is not changed."""
    kept = [v.model_copy() for v in versions(pack) if v.effective_from < draft.effective_from]
    head = draft.model_copy()
    tied = tuple(kept) + (head,)
    if len(tied) > 1:
        for v in tied:
            v._versions = tied
    return head
