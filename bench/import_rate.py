"""Section `import`: `shopwarden import` of the generated file into a fresh SQLite database, and the
in-process importer against the stdlib `sqlite3` inserting the same rows into the same schema."""

from __future__ import annotations

import re
import shutil
import sqlite3
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from bench import data
from bench.measure import ROOT, WORK, Results, cli_env, load_pack, log, remove_sqlite, run_cli, shopwarden_cmd, verdict

# --------------------------------------------------------------------------- 2. import

IMPORT_RE = re.compile(r"imported\s+(\d+)\s+shops\s+and\s+(\d+)\s+violations\s+in\s+([\d.]+)s\s+\(([\d,.]+)\s+violations/s\)")


def cli_import(ds: data.DataSet, url: str, label: str, timeout: float) -> dict:
    """`shopwarden import` as a subprocess; returns the CLI's own figures and the wall time."""
    run_cli(["db", "upgrade"], url, 300)
    cmd = shopwarden_cmd() + ["import", str(ds.path)]
    errf = (WORK / f"import-{label}.stderr").open("w")
    start = perf_counter()
    p = subprocess.Popen(cmd, env=cli_env(url), stdout=subprocess.PIPE, stderr=errf, text=True, cwd=ROOT)
    last = start
    try:
        while p.poll() is None:
            time.sleep(0.5)
            if perf_counter() - start > timeout:
                p.kill()
                raise RuntimeError(f"import did not finish in {timeout:.0f}s")
            if perf_counter() - last >= 30:
                last = perf_counter()
                log(f"import ({label}): still running, {last - start:.0f}s")
        wall = perf_counter() - start
        out = p.stdout.read() if p.stdout else ""
    finally:
        if p.poll() is None:
            p.kill()
        errf.close()
    if p.returncode != 0:
        tail = (WORK / f"import-{label}.stderr").read_text(errors="replace")[-800:]
        raise RuntimeError(f"shopwarden import exited {p.returncode}: {tail}")
    m = IMPORT_RE.search(" ".join(out.split()))
    got = {"wall": wall, "stdout": out.strip()}
    if m:
        got.update(shops=int(m.group(1)), violations=int(m.group(2)), seconds=float(m.group(3)), rate=float(m.group(4).replace(",", "")))
    return got


def _sqlite_floor(ds_path: Path, template: Path, db: Path, pack) -> float:
    """Violations/s of the stdlib sqlite3 doing the same inserts into the same (migrated) schema."""
    import orjson

    from shopwarden.core.ledger.expiry import expires_at

    remove_sqlite(db)
    shutil.copyfile(template, db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    now = datetime.now(UTC).replace(tzinfo=None).strftime(fmt)
    points = {(t, s): (v.points, pack.class_of(t, s)) for t, vt in pack.types.items() for s, v in vt.severities.items()}
    vsql = "INSERT INTO violations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    n = 0
    start = perf_counter()
    con.execute("BEGIN")
    batch = []
    with ds_path.open("rb") as fh:
        for line in fh:
            r = orjson.loads(line)
            if r["record"] == "shop":
                con.execute("INSERT INTO shops VALUES (?,?,?,?,?,?)", (r["shop_id"], r["name"], r["kind"], r["policy"], now, now))
                continue
            pts, cls = points[(r["type"], r["severity"])]
            t = datetime.fromisoformat(r["issued_at"])
            batch.append(
                (r["id"], r["shop_id"], r["type"], r["severity"], pts, cls, t.replace(tzinfo=None).strftime(fmt),
                 expires_at(pack, cls, t).replace(tzinfo=None).strftime(fmt), pack.id, pack.version,
                 orjson.dumps(r.get("evidence") or []).decode(), r.get("note"), now, "import")
            )
            n += 1
            if len(batch) >= 5000:
                con.executemany(vsql, batch)
                batch = []
    if batch:
        con.executemany(vsql, batch)
    con.execute("COMMIT")
    secs = perf_counter() - start
    con.close()
    remove_sqlite(db)
    return n / secs


def bench_import(res: Results, ds: data.DataSet, small: data.DataSet, db: Path, reuse: bool, quick: bool) -> bool:
    """CLI import of the whole data set into `db` (kept for the HTTP bench); in-process repeats on `small`."""
    url = f"sqlite:///{db}"
    done_marker = db.with_suffix(".complete")
    if reuse and db.exists() and done_marker.exists() and done_marker.read_text() == str(ds.path):
        log(f"import: reusing {db.name} (--reuse-db); no import figures this run")
        res.notes.append("import figures not measured: --reuse-db reused a database loaded by an earlier run")
        return True
    remove_sqlite(db)
    done_marker.unlink(missing_ok=True)
    log(f"import: `shopwarden import` of {ds.violations:,} violations / {ds.shops:,} shops into a fresh SQLite database")
    got = cli_import(ds, url, "sqlite", timeout=3600)
    done_marker.write_text(str(ds.path))
    res.facts["import (CLI) output"] = got["stdout"].replace("\n", " ")
    wall_rate = ds.violations / got["wall"]
    if "rate" in got:
        res.add(
            "import",
            f"`shopwarden import`, {ds.violations:,} violations + {ds.shops:,} shops, SQLite (the CLI's rate)",
            f"{got['rate']:,.0f} violations/s",
            "",
            "",
            "",
            "≥ 20,000 violations/s",
            verdict(got["rate"] >= 20_000),
            f"one run: {got['seconds']:.1f}s inside the importer; the whole command (start-up, migration check, import) took {got['wall']:.1f}s = {wall_rate:,.0f} violations/s",
        )
    else:
        res.add("import", f"`shopwarden import`, {ds.violations:,} violations, SQLite (wall time of the command)", f"{wall_rate:,.0f} violations/s", "", "", "", "≥ 20,000 violations/s", verdict(wall_rate >= 20_000), f"CLI printed no rate ({got['stdout'][:200]!r}); {got['wall']:.1f}s wall")
    # the in-process importer, repeated, against the stdlib floor on the same rows
    try:
        from shopwarden.service.context import open_context
        from shopwarden.service.importer import import_jsonl

        pack, _ = load_pack()
        template = WORK / "template.db"
        remove_sqlite(template)
        run_cli(["db", "upgrade"], f"sqlite:///{template}", 300)
        scratch = WORK / "scratch.db"
        reps = 2 if quick else 3
        log(f"import: in-process `import_jsonl` x{reps} on {small.violations:,} violations, interleaved with the sqlite3 floor")
        rates, floors = [], []
        for i in range(reps):
            floors.append(_sqlite_floor(small.path, template, scratch, pack))
            remove_sqlite(scratch)
            shutil.copyfile(template, scratch)
            ctx = open_context(f"sqlite:///{scratch}", migrate=False)
            try:
                rep = import_jsonl(ctx, small.path)
            finally:
                ctx.db.dispose()
            rates.append(rep.rate)
            log(f"  run {i + 1}: importer {rep.rate:,.0f}/s, floor {floors[-1]:,.0f}/s")
        remove_sqlite(scratch)
        remove_sqlite(template)
        med, fmed = statistics.median(rates), statistics.median(floors)
        res.add(
            "import",
            f"`import_jsonl` in-process, {small.violations:,} violations + {small.shops:,} shops, SQLite",
            f"{med:,.0f} violations/s",
            f"min {min(rates):,.0f}/s",
            f"stdlib sqlite3, same rows and schema: {fmed:,.0f}/s",
            f"{med / fmed:.2f}",
            "≥ 20,000 violations/s",
            verdict(med >= 20_000),
            f"median of {reps} runs (p99 column: the slowest run); the floor parses with orjson and inserts with executemany, nothing else",
        )
    except Exception as exc:
        res.errors.append(f"in-process import not measured: {exc!r}")
        log(f"  in-process import failed: {exc!r}")
    return True
