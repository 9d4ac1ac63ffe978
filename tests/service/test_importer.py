"""The importer on SQLite and PostgreSQL: re-runs skip, conflicts are listed and never overwrite, a crash resumes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shopwarden.service import importer
from shopwarden.service.importer import identity_id, import_jsonl
from shopwarden.store import violations


def shop(sid: str, name: str = "Shop", kind: str = "enterprise") -> dict:
    return {"record": "shop", "shop_id": sid, "name": name, "kind": kind, "policy": "tiktok-shop"}


def violation(sid: str, day: int, vid: str | None = None, **more) -> dict:
    rec = {"record": "violation", "shop_id": sid, "type": "prohibited_products", "severity": "minor",
           "issued_at": f"2026-01-{day:02d}T00:00:00Z", "evidence": [{"kind": "order", "value": f"o-{sid}-{day}"}]}
    if vid:
        rec["id"] = vid
    return rec | more


def write(path, records) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))


def stored(database) -> dict[str, dict]:
    with database.engine.connect() as c:
        rows = c.execute(sa.text("SELECT violation_id, severity, note FROM violations")).mappings()
        return {r["violation_id"]: dict(r) for r in rows}


def count(database, table: str) -> int:
    with database.engine.connect() as c:
        return c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


def mixed(n_shops: int = 3, days: int = 9) -> list[dict]:
    """Shops each followed by their violations; every other violation without an id."""
    out = []
    for s in range(n_shops):
        out.append(shop(f"s{s}"))
        out += [violation(f"s{s}", d, f"v{s}-{d}" if d % 2 else None) for d in range(1, days + 1)]
    return out


def test_a_second_run_skips_everything_and_doubles_nothing(ctx, tmp_path):
    src = tmp_path / "data.jsonl"
    write(src, mixed())
    first = import_jsonl(ctx, src, batch=4)
    assert (first.shops, first.violations, first.batches) == (3, 27, 8) and first.clean
    second = import_jsonl(ctx, src, batch=4)
    assert (second.shops, second.violations) == (0, 0)
    assert (second.skipped_shops, second.skipped_violations, second.lines) == (3, 27, 30) and second.clean
    assert count(ctx.db, "violations") == 27 and count(ctx.db, "shops") == 3


def test_idless_violations_get_an_id_from_their_facts(ctx, tmp_path):
    at = datetime(2026, 1, 1, 8, tzinfo=UTC)
    ev = [{"kind": "order", "value": "o1"}]
    assert identity_id("s", "t", "minor", at, ev) == identity_id("s", "t", "minor", at, [{"value": "o1", "kind": "order"}])
    assert identity_id("s", "t", "minor", at, ev) != identity_id("s", "t", "minor", at, [{"kind": "order", "value": "o2"}])
    assert identity_id("s", "t", "minor", at, ev).startswith("vi_")
    src = tmp_path / "data.jsonl"
    # the same instant written in another zone, and the same line twice in one file: one record
    write(src, [shop("s0"), violation("s0", 1), violation("s0", 1, issued_at="2026-01-01T08:00:00+08:00"), violation("s0", 2)])
    report = import_jsonl(ctx, src)
    assert (report.violations, report.skipped_violations) == (2, 1) and report.clean
    assert import_jsonl(ctx, src).skipped_violations == 3
    assert count(ctx.db, "violations") == 2


def test_other_content_under_a_stored_id_is_a_listed_conflict_and_nothing_is_overwritten(ctx, tmp_path):
    src = tmp_path / "data.jsonl"
    write(src, [shop("s0"), violation("s0", 1, "v1"), violation("s0", 2)])
    import_jsonl(ctx, src)
    before = stored(ctx.db)
    idless = next(v for v in before if v.startswith("vi_"))
    write(src, [shop("s0", name="Renamed", kind="personal"), violation("s0", 1, "v1", severity="general", points=9),
                violation("s0", 2, note="reviewed"), violation("s0", 3)])
    report = importer.import_jsonl(ctx, src)
    assert not report.clean and report.violations == 1
    got = {(c.line, c.record, c.id): c.fields for c in report.conflicts}
    assert got == {(1, "shop", "s0"): ("name", "kind"), (2, "violation", "v1"): ("severity", "points"), (3, "violation", idless): ("note",)}
    after = stored(ctx.db)
    assert {k: after[k] for k in before} == before
    with ctx.db.read() as s:
        assert s.execute(sa.text("SELECT name, kind FROM shops WHERE shop_id = 's0'")).one() == ("Shop", "enterprise")


def test_invalid_lines_are_listed_with_their_reason_and_the_rest_is_imported(ctx, tmp_path):
    src = tmp_path / "data.jsonl"
    write(src, [
        shop("s0"),
        "{not json",
        violation("nope", 1),
        violation("s0", 2, type="no_such_type"),
        violation("s0", 3, issued_at="2026-01-03T00:00:00"),
        violation("s0", 4, evidence="a string"),
        violation("s0", 5, note="nul \u0000 here"),
        "[1, 2]",
        "",
        violation("s0", 6, "x" * 65),
        violation("s0", 7),
        shop("s1", kind="company"),
        violation("s0", 8, issued_at="0001-01-01T00:00:00+01:00"),
        violation("s0", 9, issued_at="9999-12-31T00:00:00Z"),  # its expiry is past year 9999
    ])
    report = import_jsonl(ctx, src, batch=3)
    assert (report.shops, report.violations) == (1, 1)
    reasons = {p.line: p.reason for p in report.invalid}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14]
    assert reasons[2].startswith("not JSON") and "unknown shop 'nope'" in reasons[3] and "no_such_type" in reasons[4]
    assert "no zone" in reasons[5] and reasons[6] == "evidence: must be a list" and "\\u0000" in reasons[7]
    assert "JSON object" in reasons[8] and "longer than 64" in reasons[10] and reasons[12].startswith("kind:")
    assert "must lie between" in reasons[13] and "must lie between" in reasons[14]
    assert count(ctx.db, "violations") == 1


def test_a_failure_after_some_batches_keeps_them_and_a_rerun_resumes(ctx, tmp_path, monkeypatch):
    src = tmp_path / "data.jsonl"
    records = mixed(n_shops=4, days=10)  # 44 lines; batches of 5: the third batch fails inside its transaction
    write(src, records)
    real, calls = violations.add_many, []

    def failing(session, rows):
        calls.append(len(rows))
        real(session, rows)  # written, then lost with the rollback
        if len(calls) == 3:
            raise RuntimeError("power cut")

    monkeypatch.setattr(violations, "add_many", failing)
    with pytest.raises(RuntimeError):
        import_jsonl(ctx, src, batch=5)
    committed = sum(calls[:2])
    assert count(ctx.db, "violations") == committed and 0 < committed < 40
    monkeypatch.setattr(violations, "add_many", real)
    resumed = import_jsonl(ctx, src, batch=5)
    assert resumed.clean and resumed.skipped_violations == committed and resumed.violations == 40 - committed
    assert count(ctx.db, "violations") == 40 and count(ctx.db, "shops") == 4


def test_ids_committed_by_another_import_meanwhile_are_looked_up_again(ctx, tmp_path, monkeypatch):
    src = tmp_path / "data.jsonl"
    write(src, mixed(n_shops=1, days=4))
    import_jsonl(ctx, src)
    real, calls = violations.contents, []

    def blind_once(session, ids):  # the race: the lookup ran before the other import's commit
        calls.append(len(ids))
        return {} if len(calls) == 1 else real(session, ids)

    monkeypatch.setattr(violations, "contents", blind_once)
    again = import_jsonl(ctx, src)
    assert len(calls) == 2 and again.clean and (again.violations, again.skipped_violations) == (0, 4)
    assert count(ctx.db, "violations") == 4
