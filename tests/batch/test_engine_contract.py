"""The batch engines' contract (issue 17): a simulation replayed on every engine — local in one
process, local in three, a Dask LocalCluster — gives exactly the report of the in-process replay
from the store, over an empty pack, one huge shop, skewed keys and unicode shop ids (TT-PTS-3,
TT-PTS-5); the Parquet export gives each shop's ledger as the live read does."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from shopwarden.batch import simulate as batch
from shopwarden.batch.engines import DaskEngine, Job, LocalEngine, make_engine
from shopwarden.errors import InvalidInput
from shopwarden.service import simulation
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.importer import import_jsonl
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs
from shopwarden.store import events
from shopwarden.store.ledger_export import export_ledgers, read_manifest, read_part
from tests.conftest import T0

PLATFORM = Principal("t", "platform", None)
D = timedelta(days=1)
LIVE = load_builtin_packs()["tiktok-shop"]
HUGE = "店铺-巨大-ü"


def _draft(old: int, new: int) -> str:
    head, ladder = builtin_pack_texts()["tiktok-shop"].split("\nthresholds:\n", 1)
    return head + "\nthresholds:\n" + ladder.replace(f"  - points: {old}\n", f"  - points: {new}\n", 1)


def _lines() -> list[bytes]:
    """Shops with skewed histories: one with 400 violations, a few with dozens, most with 0–3;
    ids in several scripts (the sort order of the export and of the store must agree)."""
    rng = random.Random(17)
    pairs = [(t.type, sev) for t in LIVE.violation_types for sev in t.severities]
    ids = [HUGE] + [f"shop-{i:03d}" for i in range(60)] + [f"店-{i}" for i in range(20)] + [f"ş-{i}-🙂" for i in range(10)]
    out = [orjson.dumps({"record": "shop", "shop_id": s, "name": s, "kind": "enterprise", "policy": "tiktok-shop"}) for s in ids]
    for n, s in enumerate(ids):
        count = 400 if s == HUGE else (30 if n % 17 == 0 else rng.randint(0, 3))
        for i in range(count):
            vtype, sev = rng.choice(pairs)
            at = T0 - timedelta(days=rng.uniform(1, 400), seconds=i)
            out.append(orjson.dumps({"record": "violation", "shop_id": s, "type": vtype, "severity": sev, "issued_at": at.isoformat()}))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    ctx = open_context(f"sqlite:///{folder / 'sw.db'}")
    data = folder / "data.jsonl"
    data.write_bytes(b"\n".join(_lines()) + b"\n")
    assert import_jsonl(ctx, data).clean
    return ctx, folder


@pytest.fixture(scope="module")
def engines():
    dask = DaskEngine(2)
    yield {"local-1": LocalEngine(1), "local-3": LocalEngine(3), "dask-2": dask}
    dask.close()


def _inp(draft: str, **kw) -> simulation.SimulationInput:
    return simulation.SimulationInput(draft, T0 - 500 * D, T0, **kw)


@pytest.mark.parametrize("case", ["12 -> 18", "48 -> 60", "itself", "douyin: no shops", "one huge shop"])
def test_every_engine_gives_the_in_process_report(store, engines, case):
    ctx, _ = store
    draft = {"12 -> 18": _draft(12, 18), "48 -> 60": _draft(48, 60), "itself": builtin_pack_texts()["tiktok-shop"],
             "douyin: no shops": builtin_pack_texts()["douyin"], "one huge shop": _draft(48, 5000)}[case]
    inp = _inp(draft, shops=(HUGE,)) if case == "one huge shop" else _inp(draft)
    expected = simulation.simulate(ctx, PLATFORM, inp)
    assert expected.summary.shops == {"douyin: no shops": 0, "one huge shop": 1}.get(case, 91)
    if case in ("12 -> 18", "48 -> 60", "one huge shop"):
        assert expected.changed  # the case does move shops
    for name, engine in engines.items():
        got = batch.simulate(ctx, PLATFORM, inp, engine)
        assert got.summary == expected.summary, name
        assert got.changed == expected.changed, name


def test_the_export_gives_every_shop_its_live_ledger_in_parts_cut_between_shops(store):
    ctx, folder = store
    manifest = export_ledgers(ctx.db.engine, "tiktok-shop", folder / "export", parts=6)
    assert read_manifest(folder / "export") == manifest
    seen: list[str] = []
    for path in manifest.paths():
        for shop_id, got in read_part(path):
            seen.append(shop_id)
            _, live = events.shop_ledger(ctx.db.engine, shop_id)
            assert sorted(map(repr, got)) == sorted(map(repr, live)), shop_id
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == manifest.shops == 91  # each shop in one part, in order
    huge = next(p for p in manifest.parts if p.first is not None and p.first <= HUGE <= p.last)
    assert huge.first == huge.last == HUGE  # 400 of ~560 rows: its part holds it alone
    empty = export_ledgers(ctx.db.engine, "douyin", folder / "empty", parts=4)
    assert empty.shops == 0 and [list(read_part(p)) for p in empty.paths()] == [[]]


def _setup(payload: bytes) -> dict:
    return {"payload": payload, "calls": 0}


def _count(state: dict, part: int) -> tuple[int, int]:
    state["calls"] += 1
    return part * 2, state["calls"]


def test_a_job_is_set_up_once_per_worker_and_its_results_keep_the_parts_order(engines):
    for name, engine in engines.items():
        job = Job(f"count-{name}", _setup, b"x", _count)
        results = engine.map(job, list(range(12)))
        assert [r[0] for r in results] == [2 * i for i in range(12)], name
        # one set-up per worker: each worker's calls count up from 1 over its parts
        assert 1 <= sum(1 for r in results if r[1] == 1) <= engine.slots, name
        assert engine.map(job, []) == []


def test_an_unknown_engine_or_a_bad_scheduler_is_refused():
    with pytest.raises(InvalidInput) as e:
        make_engine("spark")
    assert e.value.errors[0].field == "engine"
    with pytest.raises(InvalidInput) as e:
        make_engine("local", 2, "tcp://127.0.0.1:8786")
    assert e.value.errors[0].field == "scheduler"
    with pytest.raises(InvalidInput) as e:
        make_engine("dask", 2, "http://example.org")
    assert e.value.errors[0].field == "scheduler"


def test_export_folder_is_kept_when_asked(store, engines, tmp_path: Path):
    ctx, _ = store
    got = batch.simulate(ctx, PLATFORM, _inp(_draft(12, 18)), engines["local-1"], tmp_path / "kept")
    assert read_manifest(tmp_path / "kept").shops == got.summary.shops == 91


def test_replay_at_gives_every_shop_its_live_standing_on_every_engine(store, engines):
    # TT-PTS-3, TT-PTS-5 (issue 14's replay --at): the live fold per shop, on every engine alike
    from shopwarden.batch.replay import replay_at
    from shopwarden.core.ledger.standing import fold

    ctx, _ = store
    at = T0 - 100 * D
    results = {name: replay_at(ctx, PLATFORM, at, engine, ["tiktok-shop", "douyin"]) for name, engine in engines.items()}
    first = results["local-1"]
    assert all(r.standings == first.standings for r in results.values())
    shops = [s for s in first.standings if s.subject == "shop"]
    assert len(shops) == 91 and {s.policy_id for s in shops} == {"tiktok-shop"}  # no douyin shop: nothing under it
    huge = next(s for s in shops if s.subject_id == HUGE)
    _, events_ = events.shop_ledger(ctx.db.engine, HUGE)
    live = fold(ctx.packs["tiktok-shop"], events_, at)
    assert (huge.level, huge.points, len(huge.in_force)) == (live.level, live.points, len(live.sanctions)) and huge.in_force
    assert sum(first.levels("shop")["tiktok-shop"].values()) == 91
