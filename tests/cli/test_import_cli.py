"""`shopwarden import` in subprocesses: re-runs skip, conflicts exit 3 without a traceback, kill -9 then re-run resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

CLI = [sys.executable, "-m", "shopwarden.cli.main"]
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _env(url: str) -> dict:
    return os.environ | {"SHOPWARDEN_DATABASE_URL": url, "COLUMNS": "200", "PYTHONPATH": SRC}


def _records(n_shops: int, days: int) -> list[dict]:
    out = []
    for s in range(n_shops):
        out.append({"record": "shop", "shop_id": f"s{s}", "name": f"Shop {s}", "kind": "enterprise", "policy": "tiktok-shop"})
        for d in range(days):
            rec = {"record": "violation", "shop_id": f"s{s}", "type": "prohibited_products", "severity": "minor",
                   "issued_at": f"2026-01-01T{d // 60:02d}:{d % 60:02d}:00Z", "evidence": [{"kind": "order", "value": f"o{s}-{d}"}]}
            if d % 2:
                rec["id"] = f"v{s}-{d}"
            out.append(rec)
    return out


def _write(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def _import(url: str, path: Path, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + ["import", str(path), *more], env=_env(url), capture_output=True, text=True, timeout=120)


def _count(database, table: str = "violations") -> int:
    with database.engine.connect() as c:
        return c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


def _no_internals(run: subprocess.CompletedProcess) -> None:
    both = run.stdout + run.stderr
    for leak in ("Traceback", "SELECT", "INSERT", "[parameters", "sqlalchemy", "[SQL"):
        assert leak not in both, both


def test_the_same_file_twice_exits_0_and_the_second_run_skips_everything(database, tmp_path):
    src = _write(tmp_path / "data.jsonl", _records(2, 5))
    first = _import(database.url, src)
    assert first.returncode == 0, first.stderr
    assert "imported 2 shops and 10 violations" in first.stdout
    second = _import(database.url, src)
    assert second.returncode == 0, second.stderr
    assert "imported 0 shops and 0 violations" in second.stdout
    assert "skipped as already present: 2 shops, 10 violations; conflicts: 0; invalid lines: 0" in second.stdout
    assert _count(database) == 10
    _no_internals(second)


def test_conflicts_and_invalid_lines_are_listed_and_exit_3_without_a_traceback(database, tmp_path):
    records = _records(1, 4)
    _import(database.url, _write(tmp_path / "data.jsonl", records))
    changed = [dict(records[0], name="Renamed"), dict(records[2], severity="serious"), records[3], "{oops", records[4]]
    problems = tmp_path / "problems.jsonl"
    run = _import(database.url, _write(tmp_path / "changed.jsonl", changed), "--problems", str(problems))
    assert run.returncode == 3, run.stdout + run.stderr
    assert "conflicts: 2; invalid lines: 1" in run.stdout
    assert "line 1: shop s0 differs in name" in run.stdout
    assert "line 2: violation v0-1 differs in severity" in run.stdout
    assert "line 4: not JSON" in run.stdout
    _no_internals(run)
    listed = [json.loads(x) for x in problems.read_text().splitlines()]
    assert [(p["line"], p["problem"]) for p in listed] == [(1, "conflict"), (2, "conflict"), (4, "invalid")]
    assert _count(database) == 4 and _count(database, "shops") == 1


def test_a_database_refusal_names_the_cause_and_prints_no_sql(tmp_path, sqlite_template):
    import shutil

    db = tmp_path / "refusing.db"
    shutil.copy(sqlite_template, db)
    url = f"sqlite:///{db}"
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON violations WHEN NEW.violation_id = 'v0-3' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    run = _import(url, _write(tmp_path / "data.jsonl", _records(1, 6)), "--batch", "3")
    assert run.returncode == 1
    assert "refused by the test" in run.stderr and "run the same command again to resume" in run.stderr
    _no_internals(run)
    with engine.connect() as c:  # the first batch (the shop and two violations) stays committed
        assert c.exec_driver_sql("SELECT count(*) FROM violations").scalar() == 2
    engine.dispose()


CRASHING_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from shopwarden.service.context import open_context
    from shopwarden.service.importer import import_jsonl
    from shopwarden.store import violations

    real, calls = violations.add_many, []

    def dying(session, rows):
        real(session, rows)
        calls.append(len(rows))
        if len(calls) == 3:  # the third batch is written but not committed
            print(sum(calls[:2]), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    violations.add_many = dying
    import_jsonl(open_context(sys.argv[1]), Path(sys.argv[2]), batch=int(sys.argv[3]))
    """
)


def test_killed_with_sigkill_mid_file_then_rerun_ends_with_exactly_the_files_rows(database, tmp_path):
    records = _records(3, 30)  # 93 lines; batches of 10
    src = _write(tmp_path / "data.jsonl", records)
    crash = subprocess.run([sys.executable, "-c", CRASHING_IMPORT, database.url, str(src), "10"], env=_env(database.url), capture_output=True, text=True, timeout=120)
    assert crash.returncode == -signal.SIGKILL, crash.stderr
    committed = int(crash.stdout)
    assert _count(database) == committed == 19  # batch 1: the shop and 9 violations, batch 2: 10 violations
    run = _import(database.url, src, "--batch", "10")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"skipped as already present: 1 shops, {committed} violations" in run.stdout
    assert f"imported 2 shops and {90 - committed} violations" in run.stdout
    assert _count(database) == 90 and _count(database, "shops") == 3
    with database.engine.connect() as c:
        assert c.execute(sa.text("SELECT count(DISTINCT violation_id) FROM violations")).scalar() == 90
