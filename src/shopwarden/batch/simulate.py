"""`shopwarden simulate` on a batch engine: the shops' ledgers exported to Parquet once,
each part replayed by a worker under both packs with the live path's fold (`core.simulate.replay`),
the parts' summaries added up here in the parts' (shop id) order.

The draft is checked and scheduled by the service (`simulation.prepare`), so a bad draft is refused
before any export; the creators are replayed in this process by the service (`simulation.creators`).
A worker gets the two packs once (the job's payload) and never opens the database.
"""

from __future__ import annotations

import pickle
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shopwarden.batch.engines import Engine, Job
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.simulate import ShopDiff, Summary, replay
from shopwarden.service import simulation
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context
from shopwarden.service.simulation import SimulationInput, SimulationResult
from shopwarden.store.ledger_export import read_part

PARTS_PER_SLOT = 4  # parts per running task: a slow part (a huge shop) is not the whole run's tail


Shape = Callable[[ShopDiff], bytes]  # a changed shop as its caller prints it (the CLI's JSON)


@dataclass(frozen=True)
class _Setup:
    live: PolicyPack
    draft: PolicyPack
    lo: datetime
    hi: datetime
    shape: Shape | None  # module-level, pickled by name


def _setup(payload: bytes) -> _Setup:
    setup: _Setup = pickle.loads(payload)
    return setup


def _replay_part(setup: _Setup, path: str) -> tuple[Summary, list[Any]]:
    summary, changed = replay(setup.live, setup.draft, read_part(Path(path)), setup.lo, setup.hi)
    if setup.shape is None:
        return summary, changed
    return summary, [setup.shape(d) for d in changed]  # shaped where it was found: no diff object travels back


def replay_export(engine: Engine, live: PolicyPack, draft: PolicyPack, paths: list[Path], lo: datetime, hi: datetime,
                  shape: Shape | None = None) -> tuple[Summary, list[Any]]:
    """The parts of an export replayed on `engine`, added up in the parts' order; the changed shops as
    `ShopDiff`s, or as `shape` made them."""
    job = Job(f"simulate-{uuid.uuid4().hex}", _setup, pickle.dumps(_Setup(live, draft, lo, hi, shape)), _replay_part)
    summary, changed = Summary(), []
    results: list[Any] = engine.map(job, [str(p) for p in paths])
    for s, c in results:
        summary.merge(s)
        changed.extend(c)
    return summary, changed


def simulate(ctx: Context, principal: Principal, inp: SimulationInput, engine: Engine, export_to: Path | None = None) -> SimulationResult:
    """The simulation of `inp` with its shops replayed on `engine`; the export is kept in `export_to`
    when given (else made in a temporary folder and removed)."""
    result, _ = _run(ctx, principal, inp, engine, export_to, None)
    return result


def simulate_shaped(ctx: Context, principal: Principal, inp: SimulationInput, engine: Engine, shape: Shape,
                    export_to: Path | None = None) -> tuple[SimulationResult, list[bytes]]:
    """The same, with every changed shop shaped by `shape` in the worker that replayed it, in shop id
    order (the result's `changed` is then empty): a large report's diffs never cross processes as objects."""
    return _run(ctx, principal, inp, engine, export_to, shape)


def _run(ctx: Context, principal: Principal, inp: SimulationInput, engine: Engine, export_to: Path | None,
         shape: Shape | None) -> tuple[SimulationResult, list[Any]]:
    live, draft = simulation.prepare(ctx, principal, inp)
    with tempfile.TemporaryDirectory(prefix="shopwarden-export-") as tmp:
        folder = export_to or Path(tmp)
        manifest = simulation.export(ctx, principal, live, folder, engine.slots * PARTS_PER_SLOT, inp.shops)
        summary, changed = replay_export(engine, live, draft, manifest.paths(), inp.lo, inp.hi, shape)
    creators = simulation.creators(ctx, live, draft, inp)
    if shape is None:
        return SimulationResult(draft, live, inp.lo, inp.hi, summary, changed, *creators), []
    return SimulationResult(draft, live, inp.lo, inp.hi, summary, [], *creators), changed
