"""Section `fold`: `standing.fold` per call for a shop with 50 violations and two decided appeals,
against a pure-Python loop summing 50 ints."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bench import data
from bench.measure import Results, load_pack, log, pct, time_calls, us, verdict

# --------------------------------------------------------------------------- 1. fold


def heavy_events(pack, anchor: datetime, n: int = data.HEAVY, seed: int = 7):
    """Events of a shop with `n` violations over the last ~400 days and two decided appeals."""
    from shopwarden.core.ledger.events import (
        AppealDecided,
        AppealFiled,
        ViolationIssued,
    )
    from shopwarden.core.ledger.expiry import expires_at

    rng = random.Random(seed)
    pairs = [(t, sev) for t, vt in pack.types.items() for sev in vt.severities]
    sampler = data.ViolationSampler(rng, anchor, pairs)
    events = []
    for k, ((vtype, sev), off) in enumerate(zip(sampler.pairs_n(n), sorted(sampler.offsets(n), reverse=True))):
        at = anchor - timedelta(seconds=off)
        cls = pack.class_of(vtype, sev)
        points = pack.types[vtype].severities[sev].points
        events.append(ViolationIssued(f"bv{k:04d}", at, vtype, sev, points, cls, expires_at(pack, cls, at)))
    # two appeals on recent violations: one granted (a revocation: the reconcile path), one rejected
    recent = [e for e in events if e.at > anchor - timedelta(days=60)][-4:] or events[-2:]
    for j, (v, outcome) in enumerate(zip(recent[:2], ("granted", "rejected"))):
        filed = v.at + timedelta(days=1)
        events.append(AppealFiled(f"ba{j}", v.violation_id, 1, filed))
        events.append(AppealDecided(f"ba{j}", v.violation_id, outcome, filed + timedelta(days=2), "bench", "bench-agent"))
    return events


def sum_loop(xs):
    total = 0
    for x in xs:
        total += x
    return total


def bench_fold(res: Results, quick: bool) -> None:
    log("fold: building the pack and a 50-violation shop")
    from shopwarden.core.ledger.standing import fold

    pack, how = load_pack()
    res.facts["pack"] = f"{pack.id} v{pack.version} via {how}"
    anchor = data.today_anchor()
    events = heavy_events(pack, anchor)
    at = anchor
    st = fold(pack, events, at)
    n_v = sum(1 for e in events if type(e).__name__ == "ViolationIssued")
    active = sum(1 for v in st.violations if v.status == "active")
    res.facts["fold shop"] = (
        f"{n_v} violations over {data.SPAN_DAYS} days ({active} active at `at`), 2 appeals (1 granted), "
        f"{len(events)} events; standing: {st.points} points, level {st.level}, {len(st.history)} sanction instances, {len(st.notices)} notices"
    )
    runs, calls = (3, 1000) if quick else (5, 2000)
    log(f"fold: timing {runs} x {calls} calls (and the baseline)")
    ints = list(range(50))
    # interleave baseline and fold runs so drift hits both
    f_all: list[int] = []
    b_all: list[int] = []
    f_meds: list[float] = []
    b_meds: list[float] = []
    for _ in range(runs):
        b, bm = time_calls(lambda: sum_loop(ints), 1, calls)
        f, fm = time_calls(lambda: fold(pack, events, at), 1, calls)
        b_all += b
        f_all += f
        b_meds += bm
        f_meds += fm
    fp50, fp99 = pct(f_all, 50), pct(f_all, 99)
    bp50 = pct(b_all, 50)
    res.add(
        "fold",
        "`fold` for a shop with 50 violations + 2 appeals (per call)",
        us(fp50),
        us(fp99),
        f"sum of 50 ints: {us(bp50)} (p99 {us(pct(b_all, 99))})",
        f"{fp50 / bp50:.0f}x",
        "≤ 0.2 ms (p50)",
        verdict(fp50 <= 200_000),
        f"{runs}x{calls} calls; run medians {', '.join(us(m) for m in f_meds)}; p99 {'within' if fp99 <= 200_000 else 'over'} 0.2 ms",
    )
    # and fold + the JSON of the health response, which the endpoint does on top
    try:
        import orjson

        from shopwarden.service.health import health_json

        h, _ = time_calls(lambda: orjson.dumps(health_json("s", pack, fold(pack, events, at)).as_json()), 1, calls)
        res.add("fold", "`fold` + `health_json` + `orjson.dumps` (the endpoint's CPU work minus DB and HTTP)", us(pct(h, 50)), us(pct(h, 99)), "", "", "", "")
    except Exception as exc:
        res.notes.append(f"fold+health_json not measured: {exc!r}")
