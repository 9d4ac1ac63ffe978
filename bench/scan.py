"""Section `scan`: every text detector on one core against `phonenumbers`' matcher on the same
texts, each detector's share, and the listing gate and `POST /v1/scan` over HTTP."""

from __future__ import annotations

import gc
import itertools
import json
import os
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass
from time import perf_counter, perf_counter_ns

from bench.load import Load
from bench.measure import ROOT, WORK, Results, Server, log, ms, pct, remove_sqlite, run_cli, us, verdict

# --------------------------------------------------------------------------- 6. text scanning

SCAN_TARGET = 2_000  # listings/s per core with every text detector on (issue 3)
SCAN_DATA = ROOT / "tests" / "data"  # the evaluation brand registry: listings_eval_brands.json
SCAN_SHOP = "bench-dy"


def scan_size(quick: bool) -> int:
    return 1_000 if quick else 3_000


def _fresh_caches(index) -> None:
    """Empty the caches that remember texts (the normalizer's, the brand index's lookups), so that
    every pass pays for each listing as the server does the first time it sees it."""
    from shopwarden.core.text.normalize import normalize

    normalize.cache_clear()
    find = getattr(index, "_find", None)
    if hasattr(find, "cache_clear"):
        find.cache_clear()


@dataclass
class Pass:
    """Per-item times of one pass: `cpu` is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which
    does not run while other people's processes have the core; `wall` is `perf_counter_ns`."""

    cpu: list[int]
    wall: list[int]


def _scan_pass(fn, items, index) -> Pass:
    """Per-item ns of `fn(item)` over `items`, caches emptied first."""
    _fresh_caches(index)
    gc.collect()
    wall, cpu = perf_counter_ns, time.thread_time_ns
    w: list[int] = []
    c: list[int] = []
    for item in items:
        c0 = cpu()
        t0 = wall()
        fn(item)
        t1 = wall()
        c1 = cpu()
        w.append(t1 - t0)
        c.append(c1 - c0)
    return Pass(c, w)


def _rate(samples: list[int]) -> float:
    """Listings per second of one pass: listings over the sum of their times."""
    return len(samples) / (sum(samples) / 1e9)


def bench_scan(res: Results, quick: bool) -> None:
    """Every text detector on one core, in-process, against phonenumbers' matcher on the same texts."""
    import phonenumbers

    from bench import listings
    from evals import listings_eval
    from shopwarden.core.detect import (
        DetectContext,
        ShopInfo,
        Subject,
        default_registry,
    )

    n = scan_size(quick)
    rounds = 3 if quick else 5
    det_rounds = 1 if quick else 3
    corpus = listings.generate(n)
    index, at = listings_eval.registry(SCAN_DATA)
    from shopwarden.service.policies import load_builtin_packs

    # DY-DV reads the market lexicons of the pack: the largest one (nine markets) is the worst case
    lexicons = load_builtin_packs()["tiktok-shop"].lexicons
    ctx = DetectContext(shop=ShopInfo(SCAN_SHOP, "enterprise"), brands=index, at=at, lexicons=lexicons)
    registry = default_registry()
    detectors = list(registry)

    t0 = perf_counter_ns()
    subjects = [Subject.from_listing(listing, SCAN_SHOP) for listing in corpus.listings]
    build_us = (perf_counter_ns() - t0) / n / 1000
    # the baseline reads the very strings the detectors read: title, description, attributes, SKU names
    texts = [
        [s.fields["title"], s.fields["description"], s.fields["attributes"]] + [v for k, v in s.fields.items() if k.endswith("].name")]
        for s in subjects
    ]
    chars = [sum(map(len, t)) for t in texts]
    res.facts["scan corpus"] = (
        f"{n:,} listings from `bench/listings.py` (seed {corpus.seed}): title + description + attributes + 3 SKU names = "
        f"{statistics.mean(chars):.0f} characters on average (min {min(chars)}, max {max(chars)}); "
        f"{len(corpus.contact_kinds)} with a disguised contact ({len(corpus.contact_kinds) / n:.1%}), "
        f"{len(corpus.branded)} naming a brand of `tests/data/listings_eval_brands.json` ({len(index)} brands); zh/en mix"
    )
    log(f"scan: {n:,} listings of ~{statistics.mean(chars):.0f} characters, {len(detectors)} detectors: {', '.join(registry.kinds)}")

    # warm the lazy tables (OpenCC, the lexicon, phonenumbers' metadata), and check the detectors do real work
    matcher = phonenumbers.PhoneNumberMatcher

    def baseline(fields: list[str]) -> None:
        for text in fields:
            for _ in matcher(text, "CN"):
                pass

    by_rule: dict[str, int] = {}
    dv_on_contacts = dv_on_clean = 0
    for i, s in enumerate(subjects):
        rules = {f.rule for f in registry.scan(s, ctx)}
        for rule in rules:
            by_rule[rule] = by_rule.get(rule, 0) + 1
        if "DY-DV" in rules:
            if i in corpus.contact_kinds:
                dv_on_contacts += 1
            else:
                dv_on_clean += 1
    baseline_hits = sum(1 for t in texts if any(True for x in t for _ in matcher(x, "CN")))
    res.facts["scan findings (sanity)"] = (
        f"listings with a finding, by rule: {', '.join(f'{k} {v}' for k, v in sorted(by_rule.items())) or 'none'}; "
        f"DY-DV on {dv_on_contacts} of the {len(corpus.contact_kinds)} listings with a contact and on {dv_on_clean} of the "
        f"{n - len(corpus.contact_kinds)} without; phonenumbers' matcher finds a number in {baseline_hits} listings"
    )
    log(f"  {res.facts['scan findings (sanity)']}")
    for fields in texts[:200]:
        baseline(fields)

    scan = registry.scan
    load_before = os.getloadavg()[0]
    log(f"scan: {rounds} rounds over {n:,} listings, every detector and the phonenumbers baseline alternating")
    all_s: list[int] = []  # CPU ns per listing
    all_w: list[int] = []  # wall ns per listing
    base_s: list[int] = []
    base_w: list[int] = []
    rates, brates, ratios, p99s, wrates, wratios = [], [], [], [], [], []
    for r in range(rounds):
        passes = [("all", lambda s: scan(s, ctx), subjects), ("base", baseline, texts)]
        got = {}
        for name, fn, items in passes if r % 2 == 0 else passes[::-1]:
            got[name] = _scan_pass(fn, items, index)
        a, b = got["all"], got["base"]
        all_s += a.cpu
        all_w += a.wall
        base_s += b.cpu
        base_w += b.wall
        rates.append(_rate(a.cpu))
        brates.append(_rate(b.cpu))
        ratios.append(sum(a.cpu) / sum(b.cpu))
        wrates.append(_rate(a.wall))
        wratios.append(sum(a.wall) / sum(b.wall))
        p99s.append(pct(a.cpu, 99))
        log(f"  round {r + 1}: {rates[-1]:,.0f} listings per CPU-second (wall clock {wrates[-1]:,.0f}/s; CPU p50 {us(pct(a.cpu, 50))}, p99 {us(p99s[-1])}); "
            f"baseline {brates[-1]:,.0f}/s; ratio {ratios[-1]:.2f}")  # fmt: skip
    load = f"load average {load_before:.2f} → {os.getloadavg()[0]:.2f}"
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    section = "scan (in-process, 1 core)"
    res.add(
        section,
        f"every text detector ({len(detectors)}) via `default_registry().scan`: listings per second per core, ~{statistics.mean(chars):.0f}-character listings",
        f"{rate:,.0f} listings/s",
        f"slowest round {min(rates):,.0f}/s",
        f"`phonenumbers.PhoneNumberMatcher(text, \"CN\")` alone, same texts: {statistics.median(brates):,.0f} listings/s",
        f"{ratio:.1f}x (time)",
        f"≥ {SCAN_TARGET:,} listings/s",
        verdict(rate >= SCAN_TARGET),
        f"median of {rounds} rounds over {n:,} listings; a round: listings ÷ the thread's CPU time, per round {', '.join(f'{x:,.0f}' for x in rates)}/s; "
        f"by the wall clock (including the time other processes had the core; {load}): median {statistics.median(wrates):,.0f}/s, per round {', '.join(f'{x:,.0f}' for x in wrates)}; "
        f"ratio = detectors' CPU time ÷ the matcher's, per round {', '.join(f'{x:.2f}' for x in ratios)} (wall clock: {statistics.median(wratios):.2f})",
    )
    res.add(
        section,
        "per listing, every detector (thread CPU time around each `scan`)",
        us(pct(all_s, 50)),
        us(pct(all_s, 99)),
        f"the matcher: p50 {us(pct(base_s, 50))}, p99 {us(pct(base_s, 99))}",
        f"{pct(all_s, 50) / pct(base_s, 50):.1f}x (p50)",
        "",
        "",
        f"{len(all_s):,} listings scanned; per-round p99 {', '.join(us(x) for x in p99s)}; max {us(max(all_s))}; "
        f"by the wall clock (`perf_counter_ns`): p50 {us(pct(all_w, 50))}, p99 {us(pct(all_w, 99))} (the matcher: p50 {us(pct(base_w, 50))}, p99 {us(pct(base_w, 99))})",
    )

    log(f"scan: each detector alone ({det_rounds} round(s)), and each detector's part of a whole scan")
    clock = time.thread_time_ns
    alone: dict[str, list[int]] = {d.kind: [] for d in detectors}
    inside: dict[str, list[int]] = {d.kind: [] for d in detectors}
    for _ in range(det_rounds):
        for d in detectors:
            alone[d.kind] += _scan_pass(lambda s, d=d: d.detect(s, ctx), subjects, index).cpu
        _fresh_caches(index)
        gc.collect()
        for s in subjects:  # Registry.scan's loop, each detector timed: shares that add up to the whole
            for d in detectors:
                t0 = clock()
                d.detect(s, ctx)
                inside[d.kind].append(clock() - t0)
    full_mean = statistics.mean(all_s)
    inside_total = sum(sum(v) for v in inside.values())
    shares = {}
    for d in detectors:
        a, i_ = alone[d.kind], inside[d.kind]
        shares[d.kind] = sum(i_) / inside_total
        res.add(
            "scan: per detector (in-process, 1 core)",
            f"`{d.kind}` ({', '.join(d.rules)}) alone, per listing",
            us(pct(a, 50)),
            us(pct(a, 99)),
            "",
            f"{shares[d.kind]:.1%} of a scan",
            "",
            "",
            f"alone: {_rate(a):,.0f} listings/s, mean {us(statistics.mean(a))} = {statistics.mean(a) / full_mean:.0%} of a whole scan's mean; "
            f"inside a whole scan: mean {us(statistics.mean(i_))}",
        )
    # the step every detector shares, alone: the views of every text field the detectors read
    from shopwarden.core.text.normalize import normalize

    fields_all = [list(s.text_fields.values()) for s in subjects]

    def views(fields: list[str]) -> None:
        for text in fields:
            v = normalize(text)
            v.folded, v.compact, v.digits  # noqa: B018 - built lazily: asking builds them

    norm_s: list[int] = []
    for _ in range(det_rounds):
        norm_s += _scan_pass(views, fields_all, index).cpu
    res.add(
        "scan: per detector (in-process, 1 core)",
        "the shared normalization alone (folded, compact and digit views of every text field)",
        us(pct(norm_s, 50)),
        us(pct(norm_s, 99)),
        "",
        f"{statistics.mean(norm_s) / full_mean:.1%} of a scan",
        "",
        "",
        "included in the detectors' figures above: paid once per text, inside a scan by the first detector that asks",
    )
    res.facts["scan: detector shares"] = (
        "all in-process figures are the thread's CPU time; share = the detector's time inside whole scans (Registry.scan's loop, registration order, each detector timed), so the shares add up to 100 %; "
        "a text's normalized views are built once per listing and paid by the first detector that asks for them (usually `contact_diversion`), "
        "which is why each detector alone costs more than its share: "
        + ", ".join(f"{k} {v:.1%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]))
    )
    res.facts["scan: building the subject"] = f"`Subject.from_listing` (not in the figures above): {build_us:.1f} µs per listing on average"


def gate_run(base: str, method: str, path_of, bodies: list[bytes], headers: dict[str, str], conns: int, seconds: float, limit: int, field_: str | None) -> tuple[Load, dict[str, int]]:
    """`conns` keep-alive http.client connections taking request numbers from one counter: request k
    goes to `path_of(k)` with `bodies[k % len(bodies)]`; at most `limit` requests, `seconds` long.
    Tallies `field_` of the JSON answers (the listing's status, the scan's decision)."""
    import http.client
    import itertools

    host, port = base.removeprefix("http://").split(":")
    stop = perf_counter() + seconds
    lock = threading.Lock()
    counter = itertools.count()
    times: list[float] = []
    counts = {"ok": 0, "err": 0}
    tally: dict[str, int] = {}
    first_error: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        ok, err, local, seen = 0, 0, [], {}
        try:
            while perf_counter() < stop:
                with lock:
                    k = next(counter)
                if k >= limit:
                    break
                t0 = perf_counter()
                try:
                    conn.request(method, path_of(k), body=bodies[k % len(bodies)], headers=headers)
                    r = conn.getresponse()
                    payload = r.read()
                    status = r.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=30)
                    status, payload = 0, repr(exc).encode()
                local.append(perf_counter() - t0)
                if 200 <= status < 300:
                    ok += 1
                    if field_:
                        value = str(json.loads(payload).get(field_))
                        seen[value] = seen.get(value, 0) + 1
                else:
                    err += 1
                    if not first_error:
                        first_error.append(f"{status}: {payload[:300]!r}")
        finally:
            conn.close()
            with lock:
                counts["ok"] += ok
                counts["err"] += err
                times.extend(local)
                for key, v in seen.items():
                    tally[key] = tally.get(key, 0) + v

    start = perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = perf_counter() - start
    n = counts["ok"] + counts["err"]
    load = Load(counts["ok"] / elapsed, n, counts["err"], pct(times, 50), pct(times, 99))
    if first_error:
        log(f"  first error: {first_error[0]}")
    return load, tally


def bench_scan_http(res: Results, quick: bool) -> None:
    """`PUT /v1/products/{id}` (the listing gate) and `POST /v1/scan` at four connections, on a fresh
    SQLite database with one douyin shop and the evaluation brand registry."""
    import httpx

    from bench import listings

    n = scan_size(quick)
    rounds = 2 if quick else 3
    dur = 3.0 if quick else 5.0
    conns = 4
    corpus = listings.generate(n)
    db = WORK / "scan-http.db"
    remove_sqlite(db)
    url = f"sqlite:///{db}"
    log("scan over HTTP: a fresh SQLite database, a platform key, `shopwarden serve`")
    run_cli(["db", "upgrade"], url, 300)
    key = run_cli(["keys", "create", "--role", "platform", "--label", "bench-scan"], url, 120).stdout.strip().splitlines()[-1]
    label = "scan over HTTP (SQLite, one douyin shop)"
    with Server(url, "scan-sqlite") as srv:
        auth = {"Authorization": f"Bearer {key}"}
        hdr = dict(auth, **{"Content-Type": "application/json"})
        with httpx.Client(base_url=srv.base, headers=auth, timeout=30) as c:
            r = c.put(f"/v1/shops/{SCAN_SHOP}", json={"name": "抖店好物 bench", "kind": "enterprise", "policy": "douyin"})
            if r.status_code not in (200, 201):
                raise RuntimeError(f"PUT /v1/shops answered {r.status_code}: {r.text[:300]}")
            brands = listings.load_brands()
            for b in brands:
                body = {"name": b["name"], "aliases": b["aliases"], "restricted": b["restricted"], "registered": b.get("registered", True),
                        "owner": b.get("owner"), "categories": b.get("categories", [])}  # fmt: skip
                r = c.put(f"/v1/brands/{b['brand_id']}", json=body)
                if r.status_code not in (200, 201):
                    raise RuntimeError(f"PUT /v1/brands/{b['brand_id']} answered {r.status_code}: {r.text[:300]}")
            # one listing with a contact, one clean: the gate must tell them apart
            dirty = next(iter(corpus.contact_kinds))
            clean = next(i for i in range(n) if i not in corpus.contact_kinds and i not in corpus.branded)
            seen = []
            for i in (dirty, clean):
                r = c.put(f"/v1/products/check-{i}", json=dict(corpus.listings[i], shop_id=SCAN_SHOP))
                if r.status_code != 200:
                    raise RuntimeError(f"PUT /v1/products answered {r.status_code}: {r.text[:300]}")
                got = r.json()
                seen.append(f"listing {i} ({corpus.contact_kinds.get(i, 'clean')}): {got['status']}, rules {sorted({f['rule'] for f in got['findings']})}")
        res.facts["server (scan over HTTP)"] = f"`shopwarden serve --port {srv.port}` (one uvicorn process), fresh database {db.name}, shop {SCAN_SHOP} (enterprise, pack douyin), {len(brands)} brands registered through `PUT /v1/brands`; check: " + "; ".join(seen)
        log(f"  check: {'; '.join(seen)}")

        put_bodies = [json.dumps(dict(listing, shop_id=SCAN_SHOP), ensure_ascii=False).encode() for listing in corpus.listings]
        scan_bodies = [json.dumps(dict(listing, shop_id=SCAN_SHOP, kind="listing"), ensure_ascii=False).encode() for listing in corpus.listings]
        limit = 100_000

        def put_paths(tag: str):
            return lambda k: f"/v1/products/bp{tag}-{k}"

        def run(name, method, path_of, bodies, field_):
            load, tally = gate_run(srv.base, method, path_of, bodies, hdr, conns, dur if not name.startswith("warm") else 2.0, limit, field_)
            log(f"  {name}: {load.rps:,.0f}/s over {load.requests:,} requests at {conns} connections, p50 {ms(load.p50)} p99 {ms(load.p99)}"
                + (f", {load.errors} ERRORS" if load.errors else "") + (f"; {tally}" if tally else ""))  # fmt: skip
            return load, tally

        log(f"scan over HTTP: warm-up, then {rounds} rounds of {dur:.0f}s at {conns} connections (GET /healthz, PUT /v1/products, POST /v1/scan)")
        trivial = [b""]
        run("warm-put", "PUT", put_paths("w"), put_bodies, None)
        run("warm-scan", "POST", lambda k: "/v1/scan", scan_bodies, None)
        puts, scans, healthz = [], [], []
        put_tally: dict[str, int] = {}
        scan_tally: dict[str, int] = {}
        for r_ in range(rounds):
            healthz.append(run(f"healthz-{r_}", "GET", lambda k: "/healthz", trivial, None)[0])
            load, tally = run(f"put-{r_}", "PUT", put_paths(str(r_)), put_bodies, "status")
            puts.append(load)
            for k, v in tally.items():
                put_tally[k] = put_tally.get(k, 0) + v
            load, tally = run(f"scan-{r_}", "POST", lambda k: "/v1/scan", scan_bodies, "decision")
            scans.append(load)
            for k, v in tally.items():
                scan_tally[k] = scan_tally.get(k, 0) + v
        rss = srv.rss_mb()
    med = statistics.median
    h_rps = med(x.rps for x in healthz)
    put_rps = med(x.rps for x in puts)
    perr = sum(x.errors for x in puts)
    total = sum(put_tally.values()) or 1
    outcome = ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(put_tally.items()))
    res.add(
        label,
        f"`PUT /v1/products/{{id}}` (scan + store + consequences): listings/s, {conns} connections",
        f"{put_rps:,.0f} listings/s",
        "",
        f"`GET /healthz`, same client: {h_rps:,.0f} req/s",
        f"{med(p.rps / t.rps for p, t in zip(puts, healthz)):.2f}",
        "",
        "",
        f"median of {rounds} runs of {dur:.0f}s, per run {', '.join(f'{x.rps:,.0f}' for x in puts)}/s; every request a new product id; "
        f"answers: {outcome}" + (f"; {perr} non-2xx/errors" if perr else "") + "; the 2,000/s target is per core in-process, above",
    )
    res.add(
        label,
        f"`PUT /v1/products/{{id}}` latency at {conns} connections",
        ms(med(x.p50 for x in puts)),
        ms(med(x.p99 for x in puts)),
        f"`GET /healthz` at {conns}: p50 {ms(med(x.p50 for x in healthz))}, p99 {ms(med(x.p99 for x in healthz))}",
        f"{med(x.p50 for x in puts) / med(x.p50 for x in healthz):.1f}x (p50)",
        "",
        "",
        f"{sum(x.requests for x in puts):,} requests; per-run p99 {', '.join(ms(x.p99) for x in puts)}; queueing included (one server process, the client on the same 2 cores)",
    )
    serr = sum(x.errors for x in scans)
    stotal = sum(scan_tally.values()) or 1
    res.add(
        label,
        f"`POST /v1/scan` (stateless: scan + decide, nothing stored), same listings, {conns} connections",
        f"{med(x.rps for x in scans):,.0f} listings/s",
        f"latency p50 {ms(med(x.p50 for x in scans))}, p99 {ms(med(x.p99 for x in scans))}",
        f"`GET /healthz`, same client: {h_rps:,.0f} req/s",
        f"{med(s.rps / t.rps for s, t in zip(scans, healthz)):.2f}",
        "",
        "",
        f"median of {rounds} runs; decisions: {', '.join(f'{k} {v / stotal:.1%}' for k, v in sorted(scan_tally.items()))}" + (f"; {serr} non-2xx/errors" if serr else ""),
    )
    try:
        con = sqlite3.connect(db)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("products", "product_versions", "violations", "cases", "rectification_tasks")}
        con.close()
        res.facts["stored by the gate (scan over HTTP)"] = ", ".join(f"{t} {v:,}" for t, v in counts.items())
    except sqlite3.Error as exc:
        res.notes.append(f"could not count the gate's rows: {exc!r}")
    if rss:
        res.facts["server RSS after the run (scan over HTTP)"] = f"{rss:.0f} MB"
    try:
        _scan_service_breakdown(res, url, corpus, quick)
    except Exception as exc:
        res.errors.append(f"scan: in-process breakdown failed: {exc!r}")
        log(f"  scan breakdown failed: {exc!r}")
    remove_sqlite(db)


def _scan_service_breakdown(res: Results, url: str, corpus, quick: bool) -> None:
    """Where a gate request's time goes without HTTP: the request model, the service calls, on the
    database the HTTP runs just filled (diagnostics; one call at a time, one core)."""
    from shopwarden.api.schemas import ListingScan, ProductIn
    from shopwarden.service import products, scanning
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context

    n = 300 if quick else 1000
    raw = [dict(listing, shop_id=SCAN_SHOP) for listing in corpus.listings[:n]]
    put_bodies = [ProductIn.model_validate(b).model_dump(mode="python") for b in raw]
    scan_bodies = [ListingScan.model_validate(dict(b, kind="listing")).model_dump(mode="python") for b in raw]
    encoded = [json.dumps(b, ensure_ascii=False).encode() for b in raw]
    ctx = open_context(url, migrate=False)
    who = Principal("bench-scan", "platform", None)
    section = "scan: where a request goes (in-process, SQLite)"
    log(f"scan: the gate in-process, {n} calls each (request model, `scanning.scan`, `products.put`)")
    try:
        put_ids = itertools.count()
        steps = [
            ("request model: `ProductIn.model_validate_json` + `model_dump` (as FastAPI does)", encoded,
             lambda b: ProductIn.model_validate_json(b).model_dump(mode="python")),
            ("`service.scanning.scan` (shop, brand index and qualifications read + every detector + decide)", scan_bodies,
             lambda b: scanning.scan(ctx, who, b)),
            ("`service.products.put` (the same + store the version + consequences, one transaction)", put_bodies,
             lambda b: products.put(ctx, who, f"bench-inproc-{next(put_ids)}", b)),
        ]  # fmt: skip
        for name, items, fn in steps:
            for b in items[:20]:  # warm-up
                fn(b)
            got = _scan_pass(fn, items, None)
            res.add(section, name, us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(items)} calls, wall clock; mean {us(statistics.mean(got.wall))}; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}")
        # the two halves of `scanning.scan`: the detector context read from the database, and the scan itself
        from shopwarden.store import shops as shop_store

        at = ctx.clock()
        with ctx.db.read() as session:
            shop = shop_store.get(session, SCAN_SHOP)
            pack = ctx.pack(shop.policy_id)
            dctx = scanning.detect_context(ctx, session, shop, pack, at)
            got = _scan_pass(lambda _: scanning.detect_context(ctx, session, shop, pack, at), range(len(scan_bodies)), None)
        res.add(section, "part of `scanning.scan`: `detect_context` alone (brand registry version, qualifications, declarations: the DB reads)", us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(scan_bodies)} calls in one read session, wall clock; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}")
        subjects = [scanning.subject_of("listing", b, SCAN_SHOP) for b in scan_bodies]
        got = _scan_pass(lambda sub: scanning.run(pack, sub, dctx), subjects, dctx.brands)
        res.add(section, f"part of `scanning.scan`: `run` alone (every detector + the {pack.id} decision table)", us(pct(got.wall, 50)), us(pct(got.wall, 99)), "", "", "", "", f"{len(subjects)} calls, wall clock; CPU time p50 {us(pct(got.cpu, 50))}, p99 {us(pct(got.cpu, 99))}, {_rate(got.cpu):,.0f} per CPU-second")
    finally:
        ctx.db.dispose()
