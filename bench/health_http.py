"""Sections `http` and its in-process breakdown: `GET /v1/shops/{id}/health` beside `GET /healthz`
on a served SQLite database, cold and warm, and `POST /v1/violations`."""

from __future__ import annotations

import gc
import json
import random
import statistics
from datetime import timedelta
from time import perf_counter_ns

from bench import data
from bench.load import Loader
from bench.measure import Results, Server, load_pack, log, ms, pct, run_cli, time_calls, us, verdict


def check_endpoints(base: str, key: str, heavy: str, expect: int | None) -> str:
    import httpx

    h = {"Authorization": f"Bearer {key}"}
    r = httpx.get(base + "/healthz", timeout=10)
    if r.status_code != 200:
        raise RuntimeError(f"/healthz answered {r.status_code}")
    r = httpx.get(f"{base}/v1/shops/{heavy}/health", headers=h, timeout=30)
    if r.status_code != 200:
        raise RuntimeError(f"/v1/shops/{heavy}/health answered {r.status_code}: {r.text[:300]}")
    body = r.json()
    n = len(body.get("violations", []))
    if expect is not None and n != expect:
        raise RuntimeError(f"{heavy} has {n} violations in its health, expected {expect}")
    return f"{heavy}: {n} violations, {body.get('points')} points, level {body.get('level')}, {len(body.get('sanctions', []))} sanctions in force, {len(r.content):,} bytes of JSON"


def health_targets(ds: data.DataSet, seed: int = 11) -> tuple[list[tuple[str, None]], list[tuple[str, None]], str]:
    rng = random.Random(seed)
    mixed = list(ds.sample_shops) + list(ds.heavy_shops)
    rng.shuffle(mixed)
    heavy = list(ds.heavy_shops)
    rng.shuffle(heavy)
    counts = list(ds.sample_counts) + [data.HEAVY] * len(ds.heavy_shops)
    desc = (
        f"{len(mixed):,} shops rotated: a random sample of {len(ds.sample_shops):,} (median {statistics.median(ds.sample_counts):.0f} "
        f"violations, max {max(ds.sample_counts)}) and every one of the {len(ds.heavy_shops):,} shops with exactly 50; mean {statistics.mean(counts):.1f} violations per request"
    )
    return [(f"/v1/shops/{s}/health", None) for s in mixed], [(f"/v1/shops/{s}/health", None) for s in heavy], desc


def post_targets(ds: data.DataSet, pack_pairs: list[tuple[str, str]], n: int = 2000, seed: int = 13) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    anchor = data.today_anchor()
    heavy = set(ds.heavy_shops)
    shops = [s for s in ds.sample_shops if s not in heavy]  # the heavy shops keep exactly 50 (checked on every run)
    out = []
    for k in range(n):
        vtype, sev = rng.choice(pack_pairs)
        t = anchor - timedelta(seconds=rng.randrange(1, 30 * 86400))
        body = json.dumps(
            {"shop_id": rng.choice(shops), "type": vtype, "severity": sev, "issued_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "evidence": [{"kind": "text", "value": f"bench post {k}"}]},
            separators=(",", ":"),
        )
        out.append(("/v1/violations", body))
    return out


def bench_http(res: Results, ds: data.DataSet, url: str, label: str, client: str, quick: bool, with_post: bool, target_p99: float | None, cold: bool = False) -> None:
    """`cold`: the server's health cache off (SHOPWARDEN_HEALTH_CACHE=off), so every request reads and
    folds, as for a shop the server has never seen; otherwise warm: the warm-up and the latency runs
    have requested every rotated shop, so the throughput runs find kept answers (api/fast_health.py,
    service/health.py `HealthCache`)."""
    dur = 3.0 if quick else 5.0
    lat_dur = 3.0 if quick else 5.0
    rounds = 2 if quick else 3
    conns = 4
    sqlite = label.startswith("SQLite")
    if sqlite:
        label += ", cold: health cache off" if cold else ", warm: health cache on"
    section = f"HTTP ({label})"
    log(f"http ({label}): starting `shopwarden serve`")
    with Server(url, label, {"SHOPWARDEN_HEALTH_CACHE": "off"} if cold else None) as srv:
        key = run_cli(["keys", "create", "--role", "platform", "--label", "bench"], url, 120).stdout.strip().splitlines()[-1]
        res.facts[f"server ({label})"] = f"`shopwarden serve --port {srv.port}` (one uvicorn process{', SHOPWARDEN_HEALTH_CACHE=off' if cold else ''}), database {url}"
        info = check_endpoints(srv.base, key, ds.heavy_shops[0], data.HEAVY)
        res.facts[f"a 50-violation shop's health ({label})"] = info
        log(f"  check: {info}")
        auth = {"Authorization": f"Bearer {key}"}
        mixed, heavy, desc = health_targets(ds)
        res.facts[f"health shop ids ({label})"] = desc
        trivial = [("/healthz", None)]
        ld = Loader(client, srv.base)
        log(f"http ({label}): warm-up")
        ld.run("warmup-trivial", "GET", trivial, auth, conns, 2, False)
        ld.run("warmup-health", "GET", mixed, auth, conns, 3, False)

        log(f"http ({label}): latency at 1 connection, {rounds} interleaved rounds of {lat_dur:.0f}s (trivial, health, health of 50-violation shops)")
        lts, lms, lhs = [], [], []
        for r in range(rounds):
            lts.append(ld.run(f"lat-trivial-{r}", "GET", trivial, auth, 1, lat_dur, True))
            lms.append(ld.run(f"lat-health-{r}", "GET", mixed, auth, 1, lat_dur, True))
            lhs.append(ld.run(f"lat-health-heavy-{r}", "GET", heavy, auth, 1, lat_dur, True))
        med = statistics.median
        t50, t99 = med(x.p50 for x in lts), med(x.p99 for x in lts)
        tgt = f"p99 ≤ {target_p99 * 1000:.0f} ms" if target_p99 else ""
        for runs_, what in ((lms, "mixed shops"), (lhs, "50-violation shops only")):
            p50, p99 = med(x.p50 for x in runs_), med(x.p99 for x in runs_)
            errors = sum(x.errors for x in runs_)
            res.add(
                section,
                f"`GET /v1/shops/{{id}}/health` latency, 1 connection, {what}",
                ms(p50),
                ms(p99),
                f"`GET /healthz`: p50 {ms(t50)}, p99 {ms(t99)}",
                f"{p50 / t50:.1f}x (p50)",
                tgt,
                verdict(p99 <= target_p99, errors) if target_p99 else "",
                f"median over {rounds} rounds of {lat_dur:.0f}s ({sum(x.requests for x in runs_):,} requests); per-round p99 {', '.join(ms(x.p99) for x in runs_)}"
                + (f"; {errors} errors" if errors else "")
                + ("" if target_p99 else "; the 20 ms target is for SQLite"),
            )
        c1 = [m.rps / t.rps for m, t in zip(lms, lts)]
        res.add(
            section,
            "throughput at 1 connection: health (mixed shops) / trivial",
            f"{med(x.rps for x in lms):,.0f} req/s (health)",
            "",
            f"`GET /healthz`: {med(x.rps for x in lts):,.0f} req/s",
            f"{med(c1):.2f}",
            "",
            "",
            "from the latency runs above (no concurrency); compare with the 4-connection ratio below",
        )

        log(f"http ({label}): throughput at {conns} connections, {rounds} interleaved rounds of {dur:.0f}s (trivial, health, ...)")
        tr, hr = [], []
        for r in range(rounds):
            tr.append(ld.run(f"tp-trivial-{r}", "GET", trivial, auth, conns, dur, True))
            hr.append(ld.run(f"tp-health-{r}", "GET", mixed, auth, conns, dur, True))
        ratios = [h.rps / t.rps for h, t in zip(hr, tr)]
        errs = sum(x.errors for x in tr + hr)
        ratio = statistics.median(ratios)
        if not sqlite:
            which = "no health cache on PostgreSQL (it cannot tell whether anyone committed): every request reads and folds; "
        elif cold:
            which = f"cold: the target is {'met' if ratio >= 0.5 else 'NOT met'} cold (every request reads and folds, as for a never-seen shop); the warm row is the one with a verdict; "
        else:
            which = f"warm: the target is {'met' if ratio >= 0.5 else 'NOT met'} warm (the warm-up and latency runs requested every rotated shop, so these runs find kept answers; the cold rows have none); "
        res.add(
            section,
            f"throughput: health / trivial, {conns} connections",
            f"{statistics.median(h.rps for h in hr):,.0f} req/s (health)",
            "",
            f"`GET /healthz`: {statistics.median(t.rps for t in tr):,.0f} req/s",
            f"{ratio:.2f}",
            ("≥ 0.5 (judged warm)" if cold else "≥ 0.5") if sqlite else "",
            verdict(ratio >= 0.5, errs) if sqlite and not cold else "",
            which + f"median of {rounds} interleaved pairs; per-pair ratios {', '.join(f'{x:.2f}' for x in ratios)}" + (f"; {errs} ERRORS" if errs else ""),
        )
        res.add(
            section,
            f"`GET /v1/shops/{{id}}/health` latency under load ({conns} connections, mixed shops)",
            ms(statistics.median(h.p50 for h in hr)),
            ms(statistics.median(h.p99 for h in hr)),
            f"`GET /healthz` at {conns}: p50 {ms(statistics.median(t.p50 for t in tr))}, p99 {ms(statistics.median(t.p99 for t in tr))}",
            "",
            "",
            "",
            "queueing included: one server process on a 2-core machine shared with the load generator",
        )

        if with_post:
            pack, _ = load_pack()
            pairs = [(t, sev) for t, vt in pack.types.items() for sev in vt.severities]
            posts = post_targets(ds, pairs)
            hdr = dict(auth, **{"Content-Type": "application/json"})
            import httpx

            r = httpx.post(srv.base + posts[0][0], content=posts[0][1], headers=hdr, timeout=30)
            if r.status_code != 201:
                raise RuntimeError(f"POST /v1/violations answered {r.status_code}: {r.text[:300]}")
            log(f"http ({label}): POST /v1/violations at {conns} connections, {dur:.0f}s x {rounds} (trivial between)")
            pr, ptr = [], []
            for r_ in range(rounds):
                ptr.append(ld.run(f"post-trivial-{r_}", "GET", trivial, auth, conns, dur, False))
                pr.append(ld.run(f"post-{r_}", "POST", posts, hdr, conns, dur, True))
            ok_rates = [p.rps * (1 - p.errors / p.requests) if p.requests else 0.0 for p in pr]
            perr = sum(p.errors for p in pr)
            res.add(
                section,
                f"`POST /v1/violations`: violations/s, {conns} connections",
                f"{statistics.median(ok_rates):,.0f} violations/s",
                f"latency p50 {ms(statistics.median(p.p50 for p in pr))}, p99 {ms(statistics.median(p.p99 for p in pr))}",
                f"`GET /healthz`: {statistics.median(t.rps for t in ptr):,.0f} req/s",
                f"{statistics.median(p / t.rps for p, t in zip(ok_rates, ptr)):.2f}",
                "",
                "",
                f"median of {rounds} runs; each a 201 (one transaction per violation)" + (f"; {perr} non-201/errors" if perr else ""),
            )
        rss = srv.rss_mb()
        if rss:
            res.facts[f"server RSS after the run ({label})"] = f"{rss:.0f} MB"


# --------------------------------------------------------------------------- in-process breakdown


def bench_breakdown(res: Results, ds: data.DataSet, url: str, quick: bool) -> None:
    """Where a health request's time goes, in-process on the loaded database (diagnostics).

    Uses only the service's public functions, so it keeps working while the store changes: the
    fold's own input is captured by wrapping `service.health.fold` for one call.
    """
    import orjson

    from shopwarden.service import health as health_service
    from shopwarden.service.auth import Principal, authenticate, create_key
    from shopwarden.service.context import open_context

    log("breakdown: the health path in-process, 50-violation shops")
    ctx = open_context(url, migrate=False)
    try:
        key = create_key(ctx, "platform", None, "bench-breakdown")
        who = Principal("bench", "platform", None)
        heavy = ds.heavy_shops
        n = 300 if quick else 1000
        counter = iter(range(10**9))

        def shop() -> str:
            return heavy[next(counter) % len(heavy)]

        captured: dict = {}
        real_fold = health_service.fold

        def capture(pack, events, at):
            captured.update(pack=pack, events=list(events), at=at)
            return real_fold(pack, events, at)

        health_service.fold = capture
        try:
            health_service.standing(ctx, who, heavy[0], None)
        finally:
            health_service.fold = real_fold
        pack, events, at = captured["pack"], captured["events"], captured["at"]
        steps = [
            ("`authenticate` (as the API calls it, repeated key)", lambda: authenticate(ctx, key)),
            ("`service.health.standing`: ledger read + fold", lambda: health_service.standing(ctx, who, shop(), None)),
            (f"fold alone ({len(events)} events)", lambda: real_fold(pack, events, at)),
            ("`service.health.health`: read + fold + JSON dict", lambda: health_service.health(ctx, who, shop(), None).as_json()),
            ("… + `orjson.dumps`", lambda: orjson.dumps(health_service.health(ctx, who, shop(), None), option=orjson.OPT_UTC_Z)),
        ]
        got = {}
        for name, fn in steps:
            samples, _ = time_calls(fn, 1, n)
            got[name] = pct(samples, 50)
            res.add("breakdown (in-process, SQLite)", name, us(pct(samples, 50)), us(pct(samples, 99)), "", "", "", "", f"{n} calls")
        st_key, fold_key = steps[1][0], steps[2][0]
        res.facts["ledger read (standing − fold, p50)"] = us(got[st_key] - got[fold_key])
        _breakdown_cache(res, ctx, who, heavy)
    finally:
        ctx.db.dispose()


def _breakdown_cache(res: Results, ctx, who, shops: list[str]) -> None:
    """The fast route's service call (`HealthCache.get` + the body composed as the route does) on each
    50-violation shop twice: first never seen (read + fold + render, kept), then its kept answer."""
    from shopwarden.api.fast_health import body, parts
    from shopwarden.service.health import HealthCache

    cache = HealthCache(ctx, parts)
    try:
        passes = {}
        for name in ("never seen", "kept"):
            gc.collect()
            samples = []
            for shop in shops:
                t0 = perf_counter_ns()
                body(*cache.get(who, shop, None))
                samples.append(perf_counter_ns() - t0)
            passes[name] = samples
        for name, what in (("never seen", "a never-seen shop: read + fold + render, then kept"), ("kept", "a kept answer: version check + lookup + body")):
            xs = passes[name]
            res.add("breakdown (in-process, SQLite)", f"`HealthCache.get` + body (the fast route's work), {what}", us(pct(xs, 50)), us(pct(xs, 99)), "", "", "", "",
                    f"{len(xs)} calls, one per 50-violation shop; hits {cache.hits}, misses {cache.misses} over both passes")
    finally:
        cache.close()
