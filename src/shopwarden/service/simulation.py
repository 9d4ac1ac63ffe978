"""`simulate`: every shop's history under a draft pack beside the live one (issue 17).

The draft is parsed with the same parser and the same errors as `shopwarden policy validate`, so a
draft that does not validate is refused with all its problems at once. The live pack is the loaded
pack with the draft's id unless `against` names another. Shops are those under the live pack; each
ledger is read in chunks (`store.events.ledgers`) and compared by `core.simulate`, which folds with
the live path's `fold`. Nothing is written.

Versions: the live side is the loaded pack with all its versions (`core.policy.versions`); the draft
side is those versions that take effect before the draft's `effective_from`, then the draft
(`versions.with_version`). So a draft dated in the future of the period changes nothing, and a draft
dated mid-period changes only what happens from its date on.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context

from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force, with_version
from shopwarden.core.simulate import ShopDiff, Summary, compare, compare_creator, replay
from shopwarden.errors import InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.creators import ledger as creator_ledger
from shopwarden.service.policies import builtin_pack_texts
from shopwarden.store import creators as creator_store
from shopwarden.store import events

Progress = Callable[[int, int], None]  # (shops done, shops in all)


@dataclass(frozen=True)
class SimulationInput:
    draft_yaml: str
    lo: datetime
    hi: datetime
    against: str | None = None  # the live pack's id; default the draft's own id
    shops: tuple[str, ...] | None = None  # only these shops
    source: str = "draft"  # named in the draft's problems
    workers: int = 1  # processes replaying shops at once (the caller's and workers - 1 more)


@dataclass(frozen=True)
class SimulationResult:
    draft: PolicyPack
    live: PolicyPack
    lo: datetime
    hi: datetime
    summary: Summary
    changed: list[ShopDiff]  # the shops whose history differs, by shop id
    creators: Summary = field(default_factory=Summary)  # the creators under the pack (CR-7), when both packs score creators
    creators_changed: list[ShopDiff] = field(default_factory=list)  # `shop_id`: the creator's id


def parse_draft(ctx: Context, text: str, source: str = "draft") -> PolicyPack:
    """The draft pack, or `PolicyError` with every problem (as `policy validate` reports them)."""
    return parse_pack(text, source=source, bases=builtin_pack_texts())


def simulate(ctx: Context, principal: Principal, inp: SimulationInput, progress: Progress | None = None) -> SimulationResult:
    require(principal, "policy.simulate")
    if inp.hi < inp.lo:
        raise InvalidInput.one("to", f"{inp.hi.isoformat()} is before from ({inp.lo.isoformat()}); the period must run forwards")
    draft = parse_draft(ctx, inp.draft_yaml, inp.source)
    live = ctx.check_policy("against", inp.against or draft.id)
    draft = with_version(live, draft)
    if inp.workers < 1:
        raise InvalidInput.one("workers", f"{inp.workers}; at least 1 process replays the shops")
    ids = events.shops_under(ctx.db.engine, live.id, list(inp.shops) if inp.shops is not None else None)
    parts = _parts(ids, inp.workers if _shareable(ctx.db.url) and len(ids) >= PARALLEL_MIN else 1)
    if len(parts) == 1:
        summary, changed = _replay(ctx.db.engine, live, draft, ids, inp.lo, inp.hi, progress, 0, len(ids))
        return SimulationResult(draft, live, inp.lo, inp.hi, summary, changed, *_creators(ctx, live, draft, inp))
    # The first part here, the others in worker processes of their own (each reads its shops' ledgers).
    # fork: the workers start with the modules and packs already loaded; only the CLI asks for workers
    # (a server never forks its threads: it replays in its own process).
    pool = ProcessPoolExecutor(len(parts) - 1, mp_context=get_context("fork"))
    try:
        # The packs pickled here, once: the pool pickles in a thread of its own while this one fills
        # the packs' cached look-ups.
        packs = pickle.dumps((live, draft))
        futures = [pool.submit(_replay_part, ctx.db.url, packs, part, inp.lo, inp.hi) for part in parts[1:]]
        summary, changed = _replay(ctx.db.engine, live, draft, parts[0], inp.lo, inp.hi, progress, 0, len(ids))
        done = len(parts[0])
        for part, future in zip(parts[1:], futures):
            s, c = future.result()
            summary.merge(s)
            changed.extend(c)
            done += len(part)
            if progress is not None:
                progress(done, len(ids))
    finally:
        pool.shutdown(cancel_futures=True)
    return SimulationResult(draft, live, inp.lo, inp.hi, summary, changed, *_creators(ctx, live, draft, inp))


def _creators(ctx: Context, live: PolicyPack, draft: PolicyPack, inp: SimulationInput) -> tuple[Summary, list[ShopDiff]]:
    """The creators under the live pack replayed under both packs' creator rules (CR-7), as shops are.
    Decision: each side's creator rules are those of its version in force at the period's end (a
    creator's points are not yet re-issued per version), and creators are replayed only when both
    packs score creators; `shops` (explain) replays no creator."""
    summary, changed = Summary(), []
    lr, dr = in_force(live, inp.hi).creators, in_force(draft, inp.hi).creators
    if lr is None or dr is None or inp.shops is not None:
        return summary, changed
    with ctx.db.read() as s:
        for creator_id in creator_store.under_policy(s, live.id):
            ledger, credits = creator_ledger(s, creator_id)
            d = compare_creator(creator_id, live.market, lr, dr, ledger, credits, inp.lo, inp.hi)
            summary.add(d)
            if d.differs:
                changed.append(d)
    return summary, changed


PARALLEL_MIN = 20_000  # fewer shops are replayed in one process: a worker's start costs more than it saves


def _shareable(url: str) -> bool:
    """A database other processes can open by its URL (not an in-memory SQLite)."""
    return not (url.startswith("sqlite") and (url.rstrip("/").endswith(":memory:") or url.rstrip("/") in ("sqlite:", "sqlite:/", "sqlite://")))


def _parts(ids: list[str], n: int) -> list[list[str]]:
    """`ids` in `n` contiguous parts (shop ids are sorted, so the changed shops stay in order)."""
    size = -(-len(ids) // n) if ids else 0
    return [ids[i:i + size] for i in range(0, len(ids), size)] if size else [ids]


def _replay(engine, live: PolicyPack, draft: PolicyPack, ids: list[str], lo: datetime, hi: datetime, progress: Progress | None,
            before: int, total: int) -> tuple[Summary, list[ShopDiff]]:
    tick = None if progress is None else (lambda n: progress(before + n, total))
    return replay(live, draft, events.ledgers(engine, ids), lo, hi, tick)


def _replay_part(url: str, packs: bytes, ids: list[str], lo: datetime, hi: datetime) -> tuple[Summary, list[ShopDiff]]:
    """A worker process's part: its own engine on the same database."""
    from shopwarden.store.db import make_engine

    live, draft = pickle.loads(packs)
    engine = make_engine(url)
    try:
        return _replay(engine, live, draft, ids, lo, hi, None, 0, len(ids))
    finally:
        engine.dispose()


def explain(ctx: Context, principal: Principal, inp: SimulationInput, shop_id: str) -> ShopDiff:
    """One shop's two timelines (`simulate --explain SHOP`)."""
    result = simulate(ctx, principal, SimulationInput(inp.draft_yaml, inp.lo, inp.hi, inp.against, (shop_id,), inp.source))  # one shop: one process
    if result.summary.shops == 0:
        raise InvalidInput.one("explain", f"no shop {shop_id!r} under the policy {result.live.id!r}")
    only = events.ledgers(ctx.db.engine, [shop_id])
    _, ledger = next(iter(only))
    return compare(shop_id, result.live.market, result.live, result.draft, ledger, inp.lo, inp.hi)
