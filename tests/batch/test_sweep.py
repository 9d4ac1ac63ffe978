"""`shopwarden sweep` (issue 14): every listing scanned again by workers that read a Parquet export,
never the database. Under the live packs nothing changes (the sweep and the listing gate are one
detection path); a draft that switches DY-DV off removes exactly the DY-DV findings and moves exactly
the decisions they made; every engine gives the same report over an empty catalogue, one huge shop,
skewed keys and unicode ids; a draft that does not validate is refused with all its problems."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from shopwarden.batch import sweep as batch
from shopwarden.batch.engines import DaskEngine, Job, LocalEngine
from shopwarden.errors import InvalidInput, PolicyError
from shopwarden.service import products
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.importer import import_jsonl
from shopwarden.service.policies import builtin_pack_texts
from shopwarden.service.sweep import SweepInput
from shopwarden.store.catalogue_export import read_catalogue_part

PLATFORM = Principal("t", "platform", None)
DATA = Path(__file__).resolve().parents[1] / "data"
HUGE = "店铺-巨大-ü"
SHOPS = [HUGE, "shop-a", "shop-b", "店-1", "ş-2-🙂", "shop-c"]


def _texts() -> list[dict]:
    """Listings of every kind the labelled sets hold (brands, prices, claims, contacts) and plain ones."""
    out = []
    for line in (DATA / "listings_eval.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("kind") == "listing" and not (row.get("listing") or {}).get("images"):
            out.append(row["listing"])
    for line in (DATA / "dv_eval.jsonl").read_text(encoding="utf-8").splitlines()[:80]:
        row = json.loads(line)
        out.append({"title": "纯棉短袖T恤 男女同款", "description": row["text"][:2000], "category": "apparel/tops",
                    "skus": [{"sku_id": "k0", "name": "白 M", "price": 59}]})
    return out


def _draft_without(detector: str) -> str:
    text = builtin_pack_texts()["tiktok-shop"]
    return text.replace("\ndetectors:\n", f"\ndetectors:\n  {detector}:\n    enabled: false\n    source: a test draft\n", 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    ctx = open_context(f"sqlite:///{folder / 'sw.db'}")
    data = folder / "shops.jsonl"
    data.write_bytes(b"\n".join(orjson.dumps({"record": "shop", "shop_id": s, "name": s, "kind": "enterprise", "policy": "tiktok-shop"})
                                for s in SHOPS) + b"\n")
    assert import_jsonl(ctx, data).clean
    from shopwarden.service import declarations

    declarations.file(ctx, PLATFORM, "shop-a", declarations.DeclarationInput("phone", "13800138000", "after-sales line"))
    contact = {"title": "不锈钢保温杯 500ml", "description": "售后请拨打 13800138000", "category": "home/cups",
               "skus": [{"sku_id": "k0", "name": "银", "price": 89}]}
    products.put(ctx, PLATFORM, "declared-1", {"shop_id": "shop-a", **contact})  # DY-DV's exception: a contact on file
    products.put(ctx, PLATFORM, "declared-2", {"shop_id": "shop-b", **contact})  # the same number, not on file: DY-DV
    rng = random.Random(14)
    texts = _texts()
    for i, listing in enumerate(texts):
        shop = HUGE if i % 2 == 0 else rng.choice(SHOPS[1:])  # skewed: half the catalogue in one shop
        products.put(ctx, PLATFORM, f"p-{i:04d}-ü", {"shop_id": shop, **listing})
    return ctx, len(texts) + 2


@pytest.fixture(scope="module")
def engines():
    dask = DaskEngine(2)
    yield {"local-1": LocalEngine(1), "local-3": LocalEngine(3), "dask-2": dask}
    dask.close()


def test_under_the_live_packs_a_sweep_finds_what_the_gate_found(store):
    # DY-DV, DY-BR, DY-PR…: one detection path, so a sweep with nothing changed changes nothing
    ctx, n = store
    got = batch.sweep(ctx, PLATFORM, SweepInput(), LocalEngine(1))
    assert got.summary.listings == n and n > 150
    assert got.summary.changed == 0 and got.changed == []
    assert got.packs["tiktok-shop"][0] == "tiktok-shop"
    # the shop's contact on file travels with the export: still allowed in its own shop, not in another
    draft = batch.sweep(ctx, PLATFORM, SweepInput(draft_yaml=_draft_without("contact_diversion")), LocalEngine(1))
    changed = {c.product_id for c in draft.changed}
    assert "declared-2" in changed and "declared-1" not in changed


def test_a_draft_without_dy_dv_removes_exactly_the_dy_dv_findings(store):
    ctx, n = store
    stored: dict[str, tuple[str, list[dict]]] = {}
    with ctx.db.read() as s:
        from shopwarden.store.catalogue_export import latest_listings

        for _shop, pid, _v, _p, _k, _n, _l, decision, findings in latest_listings(s, ["tiktok-shop"]):
            stored[pid] = (decision, findings)
    diverted = {pid for pid, (_, fs) in stored.items() if any(f["detector"] == "contact_diversion" for f in fs)}
    assert len(diverted) > 30  # the case does move listings
    got = batch.sweep(ctx, PLATFORM, SweepInput(draft_yaml=_draft_without("contact_diversion")), LocalEngine(2))
    assert {c.product_id for c in got.changed} == diverted
    for c in got.changed:
        decision, findings = stored[c.product_id]
        left = [f for f in findings if f["detector"] != "contact_diversion"]
        assert c.added == () and sorted(f["rule"] for f in c.removed) == sorted(f["rule"] for f in findings if f["detector"] == "contact_diversion")
        strictest = max((f["decision"] for f in left), key={"allow": 0, "review": 1, "block": 2}.__getitem__, default="allow")
        assert (c.decision_before, c.decision_after) == (decision, strictest)
    assert got.summary.changed == len(diverted) and got.summary.listings == n
    assert set(got.summary.removed) == {f["rule"] for pid in diverted for f in stored[pid][1] if f["detector"] == "contact_diversion"}
    assert got.summary.by_policy["tiktok-shop"]["changed"] == len(diverted)


@pytest.mark.parametrize("case", ["draft", "live", "douyin: no listings"])
def test_every_engine_gives_the_same_report(store, engines, case):
    ctx, _ = store
    inp = {"draft": SweepInput(draft_yaml=_draft_without("contact_diversion")), "live": SweepInput(),
           "douyin: no listings": SweepInput(policies=("douyin",))}[case]
    results = {name: batch.sweep(ctx, PLATFORM, inp, engine) for name, engine in engines.items()}
    first = results["local-1"]
    for name, r in results.items():
        assert r.summary == first.summary, name
        assert r.changed == first.changed, name
    if case == "douyin: no listings":
        assert first.summary.listings == 0 and first.changed == []


def test_the_export_keeps_each_shop_in_one_part_and_the_huge_shop_alone(store, tmp_path):
    from shopwarden.service import sweep as service

    ctx, n = store
    plan = service.plan(ctx, PLATFORM, SweepInput(), tmp_path / "kept", 6)
    seen: list[str] = []
    for path in plan.manifest.paths():
        shops = [r.shop_id for r in read_catalogue_part(path)]
        seen += list(dict.fromkeys(shops))
        if HUGE in shops:
            assert set(shops) == {HUGE}  # half the rows: its part holds it alone
    assert len(seen) == len(set(seen)) == len(SHOPS) and plan.manifest.listings == n


def test_a_draft_that_does_not_validate_is_refused_with_every_problem(store):
    ctx, _ = store
    bad = builtin_pack_texts()["tiktok-shop"].replace("\ndetectors:\n", "\ndetectors:\n  contact_diversoin:\n    enabled: false\n    source: x\n", 1)
    bad = bad.replace("\nthresholds:\n  - points: 12\n", "\nthresholds:\n  - points: -3\n", 1)
    with pytest.raises(PolicyError) as e:
        batch.sweep(ctx, PLATFORM, SweepInput(draft_yaml=bad), LocalEngine(1))
    assert len(e.value.problems) >= 2
    with pytest.raises(InvalidInput) as e2:
        batch.sweep(ctx, PLATFORM, SweepInput(policies=("no-such-pack",)), LocalEngine(1))
    assert e2.value.errors[0].field == "policy[0]"


def test_the_command_prints_the_summary_as_json_and_the_changes_as_lines(store, tmp_path, monkeypatch):
    from shopwarden.cli.main import app

    ctx, n = store
    monkeypatch.setenv("SHOPWARDEN_DATABASE_URL", str(ctx.db.engine.url))
    draft = tmp_path / "draft.yaml"
    draft.write_text(_draft_without("contact_diversion"), encoding="utf-8")
    out = tmp_path / "changes.jsonl"
    r = CliRunner().invoke(app, ["sweep", "--pack", str(draft), "--json", "--workers", "1", "--out", str(out)])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["listings"] == n and body["changed"] > 30 and "DY-DV" in body["findings_removed"]
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == body["changed"] and all(x["removed"] and not x["added"] for x in lines)


def test_the_same_sweep_mapped_twice_on_one_dask_engine_gives_the_same_report(store, engines, tmp_path):
    # a job scattered twice once shared one key, and the first map's release lost the second's input
    ctx, _ = store
    first = batch.sweep(ctx, PLATFORM, SweepInput(), engines["dask-2"])
    from shopwarden.service import sweep as service

    plan = service.plan(ctx, PLATFORM, SweepInput(), tmp_path, 4)
    job = Job("sweep-same-job", batch._setup, pickle.dumps((plan.packs, tuple(plan.brands), plan.at)), batch._sweep_part)
    runs = [engines["dask-2"].map(job, [str(p) for p in plan.manifest.paths()]) for _ in range(3)]  # the same job object each time
    assert all(r == runs[0] for r in runs) and sum(s.listings for s, _ in runs[0]) == first.summary.listings
