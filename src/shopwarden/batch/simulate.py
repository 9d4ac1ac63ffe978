"""`shopwarden simulate` on a batch engine (issue 17): the shops' ledgers exported to Parquet once,
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


@dataclass(frozen=True)
class _Setup:
    live: PolicyPack
    draft: PolicyPack
    lo: datetime
    hi: datetime


def _setup(payload: bytes) -> _Setup:
    setup: _Setup = pickle.loads(payload)
    return setup


def _replay_part(setup: _Setup, path: str) -> tuple[Summary, list[ShopDiff]]:
    return replay(setup.live, setup.draft, read_part(Path(path)), setup.lo, setup.hi)


def replay_export(engine: Engine, live: PolicyPack, draft: PolicyPack, paths: list[Path], lo: datetime, hi: datetime) -> tuple[Summary, list[ShopDiff]]:
    """The parts of an export replayed on `engine`, added up in the parts' order."""
    job = Job(f"simulate-{uuid.uuid4().hex}", _setup, pickle.dumps(_Setup(live, draft, lo, hi)), _replay_part)
    summary, changed = Summary(), []
    results: list[Any] = engine.map(job, [str(p) for p in paths])
    for s, c in results:
        summary.merge(s)
        changed.extend(c)
    return summary, changed


def simulate(ctx: Context, principal: Principal, inp: SimulationInput, engine: Engine, export_to: Path | None = None) -> SimulationResult:
    """The simulation of `inp` with its shops replayed on `engine`; the export is kept in `export_to`
    when given (else made in a temporary folder and removed)."""
    live, draft = simulation.prepare(ctx, principal, inp)
    with tempfile.TemporaryDirectory(prefix="shopwarden-export-") as tmp:
        folder = export_to or Path(tmp)
        manifest = simulation.export(ctx, principal, live, folder, engine.slots * PARTS_PER_SLOT, inp.shops)
        summary, changed = replay_export(engine, live, draft, manifest.paths(), inp.lo, inp.hi)
    return SimulationResult(draft, live, inp.lo, inp.hi, summary, changed, *simulation.creators(ctx, live, draft, inp))
