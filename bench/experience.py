"""Section `experience` (DY-QL-1..5): orders ingested per second through `service.reviews.post_order`
with the experience counters kept in the same transaction (the order recounted, marks and day sums
written), against the same insert under a pack without an `experience:` section (alternating order
by order); and the experience page's latency, with its industry snapshot kept (warm) and on the
first page of a day before `shopwarden experience roll` ran (cold: a small market is rolled inline,
a large one answers with the last rolled day's peers), and the roll of one day, on SQLite.

Data: a fresh SQLite database; a population of douyin shops whose day sums are written directly
(120 days, 10 industries, 0-30 orders a shop a day with proportional feedback), so the peers'
snapshot has the size of a real market; one measured shop whose orders, after-sales and
complaints go through the service.

    python -m bench.experience [--quick]   # alone: prints the rows
    python -m bench.experience --scale [--keep-state] [--import-orders N]   # 100k shops / 10M orders
                                         # (scale_db, measure_scale) and the bulk importer (measure_import)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

WORK = Path(__file__).resolve().parent / "_work"
SECTION = "experience (in-process, SQLite, 1 thread)"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
INDUSTRIES = ("home", "food", "beauty", "digital", "apparel", "sports", "toys", "books", "pets", "garden")


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def _population(ctx, n_shops: int, days: int, rng: random.Random) -> None:
    from shopwarden.store import shops
    from shopwarden.store.experience import ExperienceDay

    with ctx.db.transaction() as s:
        shops.insert_many(s, [{"shop_id": f"pop{i}", "name": f"pop{i}", "kind": "enterprise", "policy_id": "douyin"} for i in range(n_shops)], T0)
        rows = []
        for i in range(n_shops):
            industry, quality = INDUSTRIES[i % len(INDUSTRIES)], rng.random()
            for d in range(days):
                orders = rng.randrange(0, 30)
                if not orders:
                    continue
                day = (T0 + timedelta(days=d)).date()
                bad = lambda p, quality=quality, orders=orders: sum(rng.random() < p * quality for _ in range(orders))  # noqa: E731
                for counter, n in (("orders", orders), ("dispatch_due", orders), ("late_dispatches", bad(0.2)), ("reviews", orders // 2),
                                   ("negative_reviews", bad(0.05)), ("after_sales", bad(0.1)), ("quality_after_sales", bad(0.05)),
                                   ("complaints", bad(0.03)), ("negative_feedback", bad(0.08))):
                    if n:
                        rows.append({"shop_id": f"pop{i}", "product_id": f"pop{i}-p", "industry": industry, "day": day, "counter": counter, "value": n})
        s.connection().execute(ExperienceDay.__table__.insert(), rows)


def measure(n_shops: int, n_orders: int, days: int = 120) -> dict:
    from shopwarden.service import after_sales, experience, products, reviews
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.service.shops import put_shop

    db = WORK / "experience.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    now = [T0 + timedelta(days=days + 3)]
    ctx = open_context(f"sqlite:///{db}")
    ctx = type(ctx)(db=ctx.db, packs=ctx.packs, clock=lambda: now[0])
    who = Principal("bench", "platform", None)
    rng = random.Random(7)
    t = time.perf_counter()
    _population(ctx, n_shops, days, rng)
    setup_s = time.perf_counter() - t
    plain = dict(ctx.packs, douyin=ctx.packs["douyin"].model_copy(update={"experience": None}))
    counted = dict(ctx.packs)
    for shop in ("m1", "m0"):
        put_shop(ctx, who, shop, shop, "enterprise", "douyin")
        products.put(ctx, who, f"{shop}-p", {"shop_id": shop, "title": "陶瓷马克杯", "description": "釉下彩", "category": "home/cups",
                                            "skus": [{"sku_id": "k", "price": 29.0}]})
    with_s, without_s = [], []
    for k in range(2 * n_orders):
        shop, packs, into = ("m1", counted, with_s) if k % 2 == 0 else ("m0", plain, without_s)
        ctx.packs.clear()
        ctx.packs.update(packs)
        at = T0 + timedelta(minutes=rng.randrange(0, (days - 1) * 24 * 60))
        body = {"order_id": f"o{k}", "shop_id": shop, "product_id": f"{shop}-p", "buyer_id": f"b{k}", "status": "paid", "ordered_at": at, "paid_at": at,
                "shipped_at": at + timedelta(hours=rng.choice((2, 20, 60)))}
        t0 = time.perf_counter()
        reviews.post_order(ctx, who, body)
        into.append(time.perf_counter() - t0)
        if shop == "m1" and rng.random() < 0.15:
            after_sales.post_after_sale(ctx, who, after_sales.AfterSaleInput(f"a{k}", f"o{k}", "return", rng.choice(("quality", "no_reason")), at + timedelta(days=2)))
        if shop == "m1" and rng.random() < 0.05:
            after_sales.post_complaint(ctx, who, after_sales.ComplaintInput(f"c{k}", f"o{k}", "fake_goods", at + timedelta(days=3)))
    ctx.packs.clear()
    ctx.packs.update(counted)
    cold, warm, rolls = [], [], []
    now[0] -= timedelta(days=5)
    experience.roll(ctx, who)  # the market's first roll (the state built)
    for _ in range(5):  # a new day: its first page (the last rolled day's peers), then its roll
        now[0] += timedelta(days=1)
        t0 = time.perf_counter()
        doc = experience.page(ctx, who, "m1", now[0] - timedelta(hours=3)).as_json()
        cold.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        experience.roll(ctx, who)
        rolls.append(time.perf_counter() - t0)
    for _ in range(100):
        at = now[0] - timedelta(minutes=rng.randrange(60, 20 * 60))
        t0 = time.perf_counter()
        doc = experience.page(ctx, who, "m1", at).as_json()
        warm.append(time.perf_counter() - t0)
    return {"setup_s": setup_s, "with": with_s, "without": without_s, "cold": cold, "rolls": rolls, "warm": warm, "score": doc["score"], "orders": doc["orders"],
            "peers": n_shops // len(INDUSTRIES), "n_shops": n_shops, "n_orders": n_orders}


def rows(m: dict) -> list[str]:
    ms = lambda xs, p: f"{_pct(xs, p) * 1000:.2f} ms"  # noqa: E731
    rate = lambda xs: len(xs) / sum(xs)  # noqa: E731
    ratio = statistics.median(m["with"]) / statistics.median(m["without"])
    notes = (f"{m['n_orders']} orders with counters and {m['n_orders']} without, alternating, one fresh SQLite database; "
             f"a population of {m['n_shops']} douyin shops in 10 industries with 120 days of day sums (setup {m['setup_s']:.0f} s)")
    return [
        f"| {SECTION} | orders ingested per second through `service.reviews.post_order` with the DY-QL-1 counters | {rate(m['with']):.0f} orders/s |  | "
        f"the same insert under a pack without `experience:`: {rate(m['without']):.0f} orders/s | {ratio:.2f}x (p50 time) |  |  | {notes} |",
        f"| {SECTION} | one order's ingest with the counters: latency | {ms(m['with'], 50)} | {ms(m['with'], 99)} | "
        f"without p50 {ms(m['without'], 50)}, p99 {ms(m['without'], 99)} |  |  |  |  |",
        f"| {SECTION} | experience page (`service.experience.page`), snapshot kept (warm) | {ms(m['warm'], 50)} | {ms(m['warm'], 99)} |  |  |  |  | "
        f"100 pages of the measured shop ({m['orders']} orders in the window, score {m['score']}) at instants within the last day; the trend's 7 days and the forecast included |",
        f"| {SECTION} | experience page, the first of a day (whose roll may not have run: rolled inline when small, else the last rolled day's peers) | "
        f"{ms(m['cold'], 50)} | {ms(m['cold'], 99)} |  |  |  |  | 5 pages on 5 days; ~{m['peers']} peers per industry |",
        f"| {SECTION} | `shopwarden experience roll` of one day (`service.experience.roll`) | {ms(m['rolls'], 50)} | {ms(m['rolls'], 99)} |  |  |  |  | after each of those pages |",
    ]


def bench_experience(res, quick: bool) -> None:
    """The section in `make bench` (bench/run.py): the same figures as `rows`, as result rows."""
    m = measure(n_shops=500 if quick else 2000, n_orders=300 if quick else 1500)
    rate = lambda xs: len(xs) / sum(xs)  # noqa: E731
    ms = lambda xs, p: f"{_pct(xs, p) * 1000:.2f} ms"  # noqa: E731
    ratio = statistics.median(m["with"]) / statistics.median(m["without"])
    res.add(SECTION, "orders ingested per second through service.reviews.post_order with the DY-QL-1 counters", f"{rate(m['with']):.0f} orders/s",
            ms(m["with"], 99), f"without `experience:`: {rate(m['without']):.0f} orders/s", f"{ratio:.2f}x", "", "",
            f"{m['n_orders']} orders each way, alternating; {m['n_shops']} douyin shops of day sums")
    res.add(SECTION, "experience page (warm: the day's industry snapshot kept)", ms(m["warm"], 50), ms(m["warm"], 99), "", "", "p99 ≤ 5 ms at 100k shops",
            "", f"{m['n_shops']} shops here, not 100k: not the target's scale")
    res.add(SECTION, "experience page, the first of a day (before its roll)", ms(m["cold"], 50), ms(m["cold"], 99), "", "", "", "",
            f"~{m['peers']} peers per industry")
    res.add(SECTION, "shopwarden experience roll of one day", ms(m["rolls"], 50), ms(m["rolls"], 99), "", "", "", "", "")


# ---------------------------------------------------------------- the target's scale (100k shops, 10M orders)

SCALE_DAYS = 180  # orders spread over the 180 days before the measured instant (the window is 90)


def _sql_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")


def scale_db(n_shops: int, n_orders: int, seed: int = 11) -> Path:
    """A migrated SQLite database of `n_shops` douyin shops (10 industries, one product each) and
    `n_orders` orders with their marks and day sums (`core.quality.counters.contributions`, the one
    code that counts), written with the stdlib's executemany; kept under bench/_work/ and reused.
    Reviews, after-sales and complaints are counted (marks, day sums) but their own rows are not
    written: the page never reads them."""
    import sqlite3

    from shopwarden.core.quality import counters
    from shopwarden.service.context import open_context

    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / f"experience-{n_shops}-{n_orders}.db"
    if db.exists():
        con = sqlite3.connect(db)
        done = con.execute("select count(*) from sqlite_master where name = 'bench_done'").fetchone()[0]
        con.close()
        if done:
            open_context(f"sqlite:///{db}").db.engine.dispose()  # later migrations, if any
            return db
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    open_context(f"sqlite:///{db}").db.engine.dispose()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("pragma journal_mode=wal")
    con.execute("pragma synchronous=off")
    con.execute("pragma cache_size=-400000")
    rng = random.Random(seed)
    end = T0 + timedelta(days=SCALE_DAYS)
    now = _sql_time(end)
    sizes = [rng.gammavariate(0.8, 1.0) for _ in range(n_shops)]
    scale = n_orders / sum(sizes)
    counts = [max(1, int(x * scale)) for x in sizes]
    counts[-1] += n_orders - sum(counts)
    con.execute("begin")
    con.executemany("insert into shops (shop_id, name, kind, policy_id, created_at, updated_at) values (?, ?, 'enterprise', 'douyin', ?, ?)",
                    [(f"pop{i:06d}", f"pop{i:06d}", now, now) for i in range(n_shops)])
    con.execute("commit")
    seq = 0
    orders_rows, marks_rows, day_rows = [], [], []

    def flush() -> None:
        con.execute("begin")
        con.executemany("insert into orders (order_id, shop_id, product_id, buyer_id, ordered_at, status, paid_at, shipped_at, delivered_at,"
                        " created_at, updated_at, created_by) values (?, ?, ?, ?, ?, 'delivered', ?, ?, ?, ?, ?, 'bench')", orders_rows)
        con.executemany("insert into experience_marks (shop_id, product_id, industry, order_id, counter, at, day, delta, recorded_at)"
                        " values (?, ?, ?, ?, ?, ?, ?, ?, ?)", marks_rows)
        con.executemany("insert into experience_days (shop_id, product_id, industry, day, counter, value) values (?, ?, ?, ?, ?, ?)", day_rows)
        con.execute("commit")
        orders_rows.clear(), marks_rows.clear(), day_rows.clear()

    span = SCALE_DAYS * 24 * 3600
    for i, n in enumerate(counts):
        shop, industry, quality = f"pop{i:06d}", INDUSTRIES[i % len(INDUSTRIES)], rng.random()
        product = f"{shop}-p"
        sums: dict[tuple[str, str], int] = {}
        for _ in range(max(n, 0)):
            seq += 1
            t = T0 + timedelta(seconds=rng.randrange(span))
            paid = t + timedelta(minutes=rng.randrange(1, 30))
            shipped = paid + timedelta(hours=rng.choice((4, 20, 30, 60 if rng.random() < 0.3 * quality else 40)))
            delivered = shipped + timedelta(days=rng.randrange(1, 5))
            review = (delivered + timedelta(days=1), 1 if rng.random() < 0.1 * quality else 5) if rng.random() < 0.5 else None
            after = (counters.AfterSale(delivered + timedelta(days=2), "quality" if rng.random() < 0.5 else "no_reason"),) if rng.random() < 0.12 * quality else ()
            complaints = (delivered + timedelta(days=3),) if rng.random() < 0.04 * quality else ()
            facts = counters.OrderFacts(t, "delivered", paid, shipped, review, after, complaints)
            oid = f"o{seq:08d}"
            orders_rows.append((oid, shop, product, f"b{seq % 1000003}", _sql_time(t), _sql_time(paid), _sql_time(shipped), _sql_time(delivered), now, now))
            for (counter, at), delta in counters.contributions(facts, 48, 2).items():
                if at > end:
                    continue  # counted later than the measured instant: left out, as if not yet happened
                day = at.date().isoformat()
                marks_rows.append((shop, product, industry, oid, counter, _sql_time(at), day, delta, now))
                sums[(day, counter)] = sums.get((day, counter), 0) + delta
        day_rows.extend((shop, product, industry, d, c, v) for (d, c), v in sums.items())
        if len(orders_rows) >= 200_000:
            flush()
    flush()
    con.execute("create table bench_done (at text)")
    con.close()
    return db


def measure_scale(n_shops: int, n_orders: int, pages: int = 1000, sample: int = 300, keep_state: bool = False) -> dict:
    """The page's service work (`service.experience.page`) at `n_shops` / `n_orders` on SQLite, with the
    shop's health (`service.health.health`) on the same database as the baseline, alternating page by
    page over a random sample of shops (thread CPU time and wall time); then the market's first roll
    ever (`service.experience.roll`: the peer state built from the window's day sums and the trend's
    days kept), the first page of a new day before its roll (served from the last rolled day) and the
    roll of one day (`shopwarden experience roll` just after midnight)."""
    from sqlalchemy import delete

    from shopwarden.service import experience, health
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.store import experience as store

    db = scale_db(n_shops, n_orders)
    end = T0 + timedelta(days=SCALE_DAYS)
    now = [end + timedelta(hours=1)]
    ctx = open_context(f"sqlite:///{db}")
    ctx = type(ctx)(db=ctx.db, packs=ctx.packs, clock=lambda: now[0])
    who = Principal("bench", "platform", None)
    rng = random.Random(3)
    if not keep_state:
        with ctx.db.transaction() as s:  # the run starts with no kept state: the first roll builds it
            for model in (store.ExperienceSnapshot, store.PeerRoll, store.PeerTotal, store.PeerCount):
                s.execute(delete(model))
    shops = [f"pop{rng.randrange(n_shops):06d}" for _ in range(sample)]
    t0 = time.perf_counter()
    experience.roll(ctx, who)
    first_ever = time.perf_counter() - t0
    for shop in shops:  # warm-up: the bodies of the kept snapshots parsed once per process
        experience.page(ctx, who, shop, now[0] - timedelta(minutes=30)).as_json()
    page_s, health_s, page_cpu, health_cpu, sizes = [], [], [], [], []
    for k in range(pages):
        shop, at = shops[k % len(shops)], end + timedelta(minutes=rng.randrange(1, 60))
        t0, c0 = time.perf_counter(), time.thread_time()
        doc = experience.page(ctx, who, shop, at).as_json()
        page_s.append(time.perf_counter() - t0)
        page_cpu.append(time.thread_time() - c0)
        t0, c0 = time.perf_counter(), time.thread_time()
        health.health(ctx, who, shop, at).as_json()
        health_s.append(time.perf_counter() - t0)
        health_cpu.append(time.thread_time() - c0)
        sizes.append(doc["orders"])
    assert doc["peers_current"], doc["peers_day"]
    stale, inline, rolls, rolls_cpu = [], [], [], []
    for d in range(1, 4):
        now[0] = end + timedelta(days=d, minutes=5)
        t0 = time.perf_counter()
        doc = experience.page(ctx, who, shops[d], now[0]).as_json()  # before the day's roll: the last rolled day's peers
        stale.append(time.perf_counter() - t0)
        inline.append(doc["peers_current"])  # a market small enough is rolled within the page
        t0, c0 = time.perf_counter(), time.thread_time()
        experience.roll(ctx, who)
        rolls.append(time.perf_counter() - t0)
        rolls_cpu.append(time.thread_time() - c0)
    with ctx.db.read() as s:
        kept = store.snapshot(s, now[0].date(), experience.market_of(ctx.packs["douyin"], ctx.packs["douyin"].experience).key)
    ctx.db.engine.dispose()
    return {"db": db, "page": page_s, "health": health_s, "page_cpu": page_cpu, "health_cpu": health_cpu, "first_ever": first_ever, "rolls": rolls,
            "rolls_cpu": rolls_cpu, "stale": stale, "inline": inline, "orders_in_window": sizes, "peers": {k: v.shops for k, v in kept.items()}, "n_shops": n_shops,
            "n_orders": n_orders, "bytes": db.stat().st_size}


def _import_file(path: Path, n_shops: int, n_orders: int, seed: int = 5) -> tuple[int, int, int, list[tuple], list[tuple], list[tuple]]:
    """A JSON Lines file of orders (with paid, shipped and delivered times) and their after-sales and
    complaints, for `n_shops` douyin shops whose products the caller stores; the same rows as tuples."""
    import orjson

    rng = random.Random(seed)
    iso = lambda t: t.isoformat().replace("+00:00", "Z")  # noqa: E731
    orders, after, complaints = [], [], []
    with path.open("wb") as fh:
        for i in range(n_orders):
            shop = f"imp{rng.randrange(n_shops):05d}"
            t = T0 + timedelta(seconds=rng.randrange(SCALE_DAYS * 24 * 3600))
            paid = t + timedelta(minutes=rng.randrange(1, 30))
            shipped = paid + timedelta(hours=rng.choice((4, 20, 30, 60)))
            delivered = shipped + timedelta(days=rng.randrange(1, 5))
            rec = {"record": "order", "order_id": f"io{i:08d}", "shop_id": shop, "product_id": f"{shop}-p", "buyer_id": f"b{i}", "status": "delivered",
                   "ordered_at": iso(t), "paid_at": iso(paid), "shipped_at": iso(shipped), "delivered_at": iso(delivered)}
            fh.write(orjson.dumps(rec) + b"\n")
            orders.append(tuple(rec.values())[1:])
            if rng.random() < 0.12:
                a = {"record": "after_sale", "after_sale_id": f"ia{i:08d}", "order_id": rec["order_id"], "kind": "return",
                     "reason": rng.choice(("quality", "no_reason", "damaged")), "filed_at": iso(delivered + timedelta(days=2))}
                fh.write(orjson.dumps(a) + b"\n")
                after.append(tuple(a.values())[1:])
            if rng.random() < 0.04:
                c = {"record": "complaint", "complaint_id": f"ic{i:08d}", "order_id": rec["order_id"], "kind": "fake_goods",
                     "filed_at": iso(delivered + timedelta(days=3))}
                fh.write(orjson.dumps(c) + b"\n")
                complaints.append(tuple(c.values())[1:])
    return n_orders, len(after), len(complaints), orders, after, complaints


def _import_db(name: str, n_shops: int) -> Path:
    """A freshly migrated SQLite file with `n_shops` douyin shops and one listed product each (stdlib inserts)."""
    import shutil
    import sqlite3

    from shopwarden.service.context import open_context

    template = WORK / f"import-template-{n_shops}.db"
    if not template.exists():
        open_context(f"sqlite:///{template}").db.engine.dispose()
        con = sqlite3.connect(template)
        stamp = _sql_time(T0)
        con.executemany("insert into shops (shop_id, name, kind, policy_id, created_at, updated_at) values (?, ?, 'enterprise', 'douyin', ?, ?)",
                        [(f"imp{i:05d}", f"imp{i:05d}", stamp, stamp) for i in range(n_shops)])
        con.executemany("insert into products (product_id, shop_id, version, status, updated_at) values (?, ?, 1, 'active', ?)",
                        [(f"imp{i:05d}-p", f"imp{i:05d}", stamp) for i in range(n_shops)])
        con.executemany("insert into product_versions (product_id, version, shop_id, listing, decision, status, findings, policy_version, submitted_at, submitted_by)"
                        " values (?, 1, ?, ?, 'allow', 'active', '[]', 'bench', ?, 'bench')",
                        [(f"imp{i:05d}-p", f"imp{i:05d}", f'{{"category": "{INDUSTRIES[i % len(INDUSTRIES)]}/x"}}', stamp) for i in range(n_shops)])
        con.commit()
        con.close()
    db = WORK / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, db)
    return db


def measure_import(n_shops: int = 1000, n_orders: int = 50_000, rounds: int = 3) -> dict:
    """Orders with after-sales and complaints through `service.importer.import_jsonl` (checked, inserted,
    counted), against the stdlib's executemany of the same order, after-sale and complaint rows into
    the same migrated schema (no checks, no counting: the floor), alternating round by round."""
    import sqlite3

    from shopwarden.service.context import open_context
    from shopwarden.service.importer import import_jsonl

    WORK.mkdir(parents=True, exist_ok=True)
    src = WORK / "import-orders.jsonl"
    n, n_after, n_complaints, orders, after, complaints = _import_file(src, n_shops, n_orders)
    stamp = _sql_time(T0 + timedelta(days=SCALE_DAYS))
    ours, ours_cpu, floor = [], [], []
    for _ in range(rounds):
        db = _import_db("import-orders.db", n_shops)
        ctx = open_context(f"sqlite:///{db}", migrate=False)
        ctx = type(ctx)(db=ctx.db, packs=ctx.packs, clock=lambda: T0 + timedelta(days=SCALE_DAYS + 10))
        c0 = time.thread_time()
        report = import_jsonl(ctx, src)
        ours_cpu.append(time.thread_time() - c0)
        assert report.clean and report.orders == n, (report.invalid[:3], report.conflicts[:3])
        ours.append(report.seconds)
        ctx.db.engine.dispose()
        db = _import_db("import-floor.db", n_shops)
        con = sqlite3.connect(db)
        con.execute("pragma journal_mode=wal")
        t0 = time.perf_counter()
        con.executemany("insert into orders (order_id, shop_id, product_id, buyer_id, status, ordered_at, paid_at, shipped_at, delivered_at, created_at,"
                        " updated_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')", [r + (stamp, stamp) for r in orders])
        con.executemany("insert into after_sales (after_sale_id, order_id, kind, reason, filed_at, shop_id, product_id, created_at, created_by)"
                        " values (?, ?, ?, ?, ?, '', '', ?, 'import')", [r + (stamp,) for r in after])
        con.executemany("insert into complaints (complaint_id, order_id, kind, filed_at, shop_id, product_id, created_at, created_by)"
                        " values (?, ?, ?, ?, '', '', ?, 'import')", [r + (stamp,) for r in complaints])
        con.commit()
        floor.append(time.perf_counter() - t0)
        con.close()
    return {"orders": n, "after_sales": n_after, "complaints": n_complaints, "ours": ours, "ours_cpu": ours_cpu, "floor": floor, "n_shops": n_shops}


def scale_rows(m: dict | None, imp: dict | None) -> list[str]:
    ms = lambda xs, p: f"{_pct(xs, p) * 1000:.2f} ms"  # noqa: E731
    out = [] if m is None else [
        f"| experience page (`service.experience.page`: score, indicators, products, 7-day trend, forecast), thread CPU time | {ms(m['page_cpu'], 50)} | "
        f"{ms(m['page_cpu'], 99)} | the shop's health (`service.health.health`), same shops, alternating: p50 {ms(m['health_cpu'], 50)}, p99 {ms(m['health_cpu'], 99)} | "
        f"{statistics.median(m['page_cpu']) / statistics.median(m['health_cpu']):.1f}x | p99 ≤ 5 ms |",
        f"| the same pages, wall time | {ms(m['page'], 50)} | {ms(m['page'], 99)} | health: p50 {ms(m['health'], 50)}, p99 {ms(m['health'], 99)} | "
        f"{statistics.median(m['page']) / statistics.median(m['health']):.1f}x | |",
        f"| the market's first roll ever (`shopwarden experience roll`: the peer state built from the window's day sums, the trend's 7 days kept) | "
        f"{m['first_ever']:.0f} s (one) | | | | once per market |",
        f"| the first page of a new day, before its roll ({'rolled within the page: a small market' if all(m['inline']) else 'the last rolled day' + chr(39) + 's peers, stated'}) | "
        f"{ms(m['stale'], 50)} | {max(m['stale']) * 1000:.2f} ms (max of {len(m['stale'])}) | | | |",
        f"| `shopwarden experience roll` of one day (wall; thread CPU {statistics.median(m['rolls_cpu']):.1f} s) | {statistics.median(m['rolls']):.1f} s | "
        f"{max(m['rolls']):.1f} s (max of {len(m['rolls'])}) | | | once per market and day (cron) |",
    ]
    if imp:
        n = imp["orders"]
        rate = lambda xs: n / statistics.median(xs)  # noqa: E731
        out.append(f"| orders with after-sales and complaints through the bulk importer (`import_jsonl`: each line checked, inserted, counted) | "
                   f"{rate(imp['ours']):,.0f} orders/s (wall); {rate(imp['ours_cpu']):,.0f} orders/s (thread CPU) | slowest round {n / max(imp['ours']):,.0f} orders/s | "
                   f"stdlib `sqlite3` executemany of the same rows (no checks, no counting): {rate(imp['floor']):,.0f} orders/s | "
                   f"{statistics.median(imp['ours']) / statistics.median(imp['floor']):.1f}x (time) | ≥ 5,000 orders/s |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", action="store_true", help="the target's scale: 100k shops, 10M orders (the database is kept in bench/_work/)")
    ap.add_argument("--shops", type=int, default=100_000)
    ap.add_argument("--orders", type=int, default=10_000_000)
    ap.add_argument("--import-orders", type=int, default=50_000)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--keep-state", action="store_true", help="keep the peer state and snapshots of an earlier run (the first page ever is then not the first)")
    args = ap.parse_args()
    if args.scale:
        if args.import_orders:
            imp = measure_import(n_orders=args.import_orders)
            print(scale_rows(None, imp)[-1], flush=True)
            print(f"imported {imp['orders']} orders, {imp['after_sales']} after-sales, {imp['complaints']} complaints for {imp['n_shops']} shops; "
                  f"rounds {imp['ours']} (thread CPU {imp['ours_cpu']}) vs floor {imp['floor']}; load average {os.getloadavg()}", flush=True)
        if args.shops:
            m = measure_scale(args.shops, args.orders, pages=args.pages, keep_state=args.keep_state)
            print("\n".join(scale_rows(m, None)))
            print(f"peers per industry: {m['peers']}; orders in the measured shops' windows: median {statistics.median(m['orders_in_window'])}, "
                  f"max {max(m['orders_in_window'])}; database {m['bytes'] / 1e9:.1f} GB; rolls {m['rolls']}; stale pages {m['stale']}; "
                  f"load average {os.getloadavg()}")
        return
    m = measure(n_shops=500 if args.quick else 2000, n_orders=300 if args.quick else 1500)
    print("\n".join(rows(m)))


if __name__ == "__main__":
    main()
