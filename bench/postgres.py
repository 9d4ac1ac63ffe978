"""Section `pg`: the health read on PostgreSQL (a scratch database, created and dropped by the run)
with the smaller data set."""

from __future__ import annotations

from bench import data
from bench.health_http import bench_http
from bench.import_rate import cli_import
from bench.measure import Results, log

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "shopwarden_bench"


# --------------------------------------------------------------------------- PostgreSQL


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as c:
            c.execute("select 1")
        return True
    except Exception as exc:
        log(f"postgres: not reachable at {PG_ADMIN_URL} ({exc.__class__.__name__}); skipped")
        return False


def pg_recreate(drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as c:
        c.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        if not drop_only:
            c.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def bench_pg(res: Results, small: data.DataSet, client: str, quick: bool) -> None:
    url = pg_recreate()
    try:
        log(f"postgres: importing {small.violations:,} violations into database {PG_BENCH_DB}")
        got = cli_import(small, url, "pg", timeout=1800)
        rate = got.get("rate", small.violations / got["wall"])
        res.add("import (PostgreSQL)", f"`shopwarden import`, {small.violations:,} violations + {small.shops:,} shops, PostgreSQL", f"{rate:,.0f} violations/s", "", "", "", "", "", f"one run; {got.get('seconds', got['wall']):.1f}s")
        bench_http(res, small, url, f"PostgreSQL, {small.shops // 1000}k shops / {small.violations // 1000}k violations", client, True, False, None)
    finally:
        try:
            pg_recreate(drop_only=True)
        except Exception as exc:
            res.notes.append(f"could not drop the PostgreSQL bench database {PG_BENCH_DB}: {exc!r}")
