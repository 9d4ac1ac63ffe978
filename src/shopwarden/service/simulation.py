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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force, with_version
from shopwarden.core.simulate import ShopDiff, Summary, compare, compare_creator_versions, replay
from shopwarden.errors import InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.creators import ledger as creator_ledger
from shopwarden.service.policies import builtin_pack_texts
from shopwarden.store import creators as creator_store
from shopwarden.store import events
from shopwarden.store.ledger_export import Manifest, export_ledgers

Progress = Callable[[int, int], None]  # (shops done, shops in all)


@dataclass(frozen=True)
class SimulationInput:
    draft_yaml: str
    lo: datetime
    hi: datetime
    against: str | None = None  # the live pack's id; default the draft's own id
    shops: tuple[str, ...] | None = None  # only these shops
    source: str = "draft"  # named in the draft's problems


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


def prepare(ctx: Context, principal: Principal, inp: SimulationInput) -> tuple[PolicyPack, PolicyPack]:
    """The live pack and the draft on its schedule (`versions.with_version`), or every problem at once."""
    require(principal, "policy.simulate")
    if inp.hi < inp.lo:
        raise InvalidInput.one("to", f"{inp.hi.isoformat()} is before from ({inp.lo.isoformat()}); the period must run forwards")
    draft = parse_draft(ctx, inp.draft_yaml, inp.source)
    live = ctx.check_policy("against", inp.against or draft.id)
    return live, with_version(live, draft)


def simulate(ctx: Context, principal: Principal, inp: SimulationInput, progress: Progress | None = None) -> SimulationResult:
    """In this process, reading the ledgers from the store (the console, `--explain`); a bulk run
    goes through `shopwarden.batch.simulate` (a Parquet export and an engine's workers)."""
    live, draft = prepare(ctx, principal, inp)
    ids = events.shops_under(ctx.db.engine, live.id, list(inp.shops) if inp.shops is not None else None)
    tick = None if progress is None else (lambda n: progress(n, len(ids)))
    summary, changed = replay(live, draft, events.ledgers(ctx.db.engine, ids), inp.lo, inp.hi, tick)
    return SimulationResult(draft, live, inp.lo, inp.hi, summary, changed, *creators(ctx, live, draft, inp))


def export(ctx: Context, principal: Principal, live: PolicyPack, folder: Path, parts: int, shops: tuple[str, ...] | None = None) -> Manifest:
    """The ledgers of the shops under `live` as a Parquet export in `folder` (`store.ledger_export`)."""
    require(principal, "policy.simulate")
    return export_ledgers(ctx.db.engine, live.id, folder, parts, list(shops) if shops is not None else None)


def creators(ctx: Context, live: PolicyPack, draft: PolicyPack, inp: SimulationInput) -> tuple[Summary, list[ShopDiff]]:
    """The creators under the live pack replayed under both packs' creator rules (CR-7), as shops are:
    each violation re-issued under the version in force at its own instant, points ladders scheduled
    (`core.simulate.compare_creator_versions`). Creators are replayed only when both packs score
    creators at the period's end; `shops` (explain) replays no creator. Read from the store in this
    process under every engine (a pack's creators are few beside its shops)."""
    summary, changed = Summary(), list[ShopDiff]()
    if in_force(live, inp.hi).creators is None or in_force(draft, inp.hi).creators is None or inp.shops is not None:
        return summary, changed
    with ctx.db.read() as s:
        for creator_id in creator_store.under_policy(s, live.id):
            ledger, credits = creator_ledger(s, creator_id)
            d = compare_creator_versions(creator_id, live, draft, ledger, credits, inp.lo, inp.hi)
            if d is None:
                continue
            summary.add(d)
            if d.differs:
                changed.append(d)
    return summary, changed


def explain(ctx: Context, principal: Principal, inp: SimulationInput, shop_id: str) -> ShopDiff:
    """One shop's two timelines (`simulate --explain SHOP`)."""
    result = simulate(ctx, principal, SimulationInput(inp.draft_yaml, inp.lo, inp.hi, inp.against, (shop_id,), inp.source))  # one shop: one process
    if result.summary.shops == 0:
        raise InvalidInput.one("explain", f"no shop {shop_id!r} under the policy {result.live.id!r}")
    only = events.ledgers(ctx.db.engine, [shop_id])
    _, ledger = next(iter(only))
    return compare(shop_id, result.live.market, result.live, result.draft, ledger, inp.lo, inp.hi)
