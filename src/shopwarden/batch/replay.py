"""`shopwarden replay --at`: every shop's and creator's standing recomputed at one instant,
on a batch engine. The shops' ledgers of each pack are exported to Parquet and folded by workers with
the live path's fold (`core.ledger.standing.fold`, every version of the pack scheduled); the
creators, few beside the shops, are folded here by the service's own `creators.standing`.
"""

from __future__ import annotations

import pickle
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shopwarden.batch.engines import Engine, Job
from shopwarden.core.ledger.creator_score import ScoreStanding
from shopwarden.core.ledger.standing import fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.service import creators, simulation
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store.ledger_export import read_part

PARTS_PER_SLOT = 4


@dataclass(frozen=True, slots=True)
class SanctionAt:
    kind: str
    point_class: str
    threshold: int
    starts_at: datetime
    ends_at: datetime | None  # None: permanent


@dataclass(frozen=True, slots=True)
class SubjectStanding:
    """A shop's (or a creator's) standing at the instant: `level` a creator's band under a health score,
    `points` its score."""

    subject: str  # "shop" | "creator"
    subject_id: str
    policy_id: str
    level: str
    points: int
    in_force: tuple[SanctionAt, ...]


@dataclass
class ReplayResult:
    at: datetime
    standings: list[SubjectStanding] = field(default_factory=list)  # shops by pack and id, then creators

    def levels(self, subject: str) -> dict[str, Counter[str]]:
        """Per pack, how many shops (or creators) stand at each level."""
        out: dict[str, Counter[str]] = {}
        for s in self.standings:
            if s.subject == subject:
                out.setdefault(s.policy_id, Counter())[s.level] += 1
        return out


def _setup(payload: bytes) -> tuple[PolicyPack, datetime]:
    pack, at = pickle.loads(payload)
    return pack, at


def _fold_part(setup: tuple[PolicyPack, datetime], path: str) -> list[SubjectStanding]:
    pack, at = setup
    out = []
    for shop_id, events in read_part(Path(path)):
        st = fold(pack, events, at, lean=True)
        out.append(SubjectStanding("shop", shop_id, pack.id, st.level, st.points, tuple(
            SanctionAt(s.kind, s.point_class, s.threshold, s.starts_at, s.ends_at) for s in st.sanctions)))
    return out


def replay_at(ctx: Context, principal: Principal, at: datetime, engine: Engine, policies: list[str] | None = None,
              export_to: Path | None = None) -> ReplayResult:
    """The standing of every shop and creator under `policies` (default: every loaded pack) at `at`."""
    require(principal, "policy.simulate")
    ids = sorted(ctx.packs) if policies is None else policies
    for i, pid in enumerate(ids):
        ctx.check_policy(f"policy[{i}]" if policies is not None else "policy", pid)
    result = ReplayResult(at)
    for pid in ids:
        pack = ctx.packs[pid]
        with tempfile.TemporaryDirectory(prefix="shopwarden-export-") as tmp:
            folder = (export_to / pid) if export_to is not None else Path(tmp)
            manifest = simulation.export(ctx, principal, pack, folder, engine.slots * PARTS_PER_SLOT)
            job = Job(f"replay-{uuid.uuid4().hex}", _setup, pickle.dumps((pack, at)), _fold_part)
            parts: list[Any] = engine.map(job, [str(p) for p in manifest.paths()])
        for part in parts:
            result.standings.extend(part)
    for pid in ids:
        if ctx.packs[pid].creators is not None:
            result.standings.extend(_creators(ctx, principal, pid, at))
    return result


def _creators(ctx: Context, principal: Principal, policy_id: str, at: datetime) -> list[SubjectStanding]:
    from shopwarden.store import creators as creator_store

    with ctx.db.read() as s:
        ids = creator_store.under_policy(s, policy_id)
    out = []
    for cid in ids:
        _, _, st = creators.standing(ctx, principal, cid, at)
        if isinstance(st, ScoreStanding):
            out.append(SubjectStanding("creator", cid, policy_id, st.band, st.score, tuple(
                SanctionAt(m.kind, "score", 0, m.starts_at, m.ends_at) for m in st.measures)))
        else:
            out.append(SubjectStanding("creator", cid, policy_id, st.level, st.points, tuple(
                SanctionAt(s.kind, s.point_class, s.threshold, s.starts_at, s.ends_at) for s in st.sanctions)))
    return out

