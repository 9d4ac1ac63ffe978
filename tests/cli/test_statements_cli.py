"""`shopwarden statements export --since` through Typer's runner: JSONL batches the Transparency Database accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from typer.testing import CliRunner

from shopwarden.cli.main import app
from shopwarden.service import violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.shops import put_shop
from tests.service.tdb_validator import batch_errors

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
PLATFORM = Principal("t", "platform", None)
DAY = datetime(2026, 6, 1, tzinfo=UTC)


def test_export_writes_valid_batches_and_an_empty_range_nothing(tmp_path: Path):
    # DSA Art. 24(5): every line is one batch of at most 100 that passes the format's rules
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    for n in range(15):
        put_shop(ctx, PLATFORM, f"eu{n}", f"eu{n}", "enterprise", "tiktok-shop-eu")
        violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=f"eu{n}", type="counterfeit", severity="critical", issued_at=DAY + timedelta(days=n), evidence=[{"kind": "text", "value": "x"}]))
    runner = CliRunner()
    out = tmp_path / "sor.jsonl"
    done = runner.invoke(app, ["statements", "export", "--since", "2026-01-01", "--out", str(out)], env=env)
    assert done.exit_code == 0, done.output
    lines = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert [len(b["statements"]) for b in lines] == [100, 5]
    seen: set[str] = set()
    assert all(batch_errors(b, seen) == [] for b in lines)
    empty = runner.invoke(app, ["statements", "export", "--since", "2020-01-01", "--until", "2021-01-01", "--out", str(out)], env=env)
    assert empty.exit_code == 0 and out.read_bytes() == b""
    bad = runner.invoke(app, ["statements", "export", "--since", "2026-02-01", "--until", "2026-01-01"], env=env)
    assert bad.exit_code == 2 and "until" in bad.output


def test_transparency_report_writes_json_and_a_readable_page(tmp_path: Path):
    # DSA Art. 24(1): `shopwarden transparency-report --from --to` — the JSON, and an HTML page with charts
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    put_shop(ctx, PLATFORM, "eu1", "eu1", "enterprise", "tiktok-shop-eu")
    violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="eu1", type="counterfeit", severity="critical", issued_at=DAY, evidence=[{"kind": "text", "value": "x"}]))
    runner = CliRunner()
    js, page = tmp_path / "report.json", tmp_path / "report.html"
    done = runner.invoke(app, ["transparency-report", "--from", "2026-01-01", "--to", "2027-01-01", "--json", str(js), "--html", str(page),
                               "--lang", "zh-CN"], env=env)
    assert done.exit_code == 0, done.output
    report = orjson.loads(js.read_bytes())
    assert report["measures"]["total"] == 7 and report["measures"]["by_kind"]["sanction.deactivated"] == 1  # 48 points: every rung
    assert "透明度报告" in page.read_text(encoding="utf-8") and "<svg" in page.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["transparency-report", "--from", "2026-02-01", "--to", "2026-01-01"], env=env)
    assert bad.exit_code != 0 and "to" in bad.output
    short = tmp_path / "short.json"  # the issue's name for it: `shopwarden report --from --to`
    assert runner.invoke(app, ["report", "--from", "2026-01-01", "--to", "2027-01-01", "--json", str(short)], env=env).exit_code == 0
    assert orjson.loads(short.read_bytes())["measures"] == report["measures"]


def test_notices_sweep_runs_on_an_empty_database(tmp_path: Path):
    # E-Commerce Law art. 43: the daily sweep; nothing counter-noticed, nothing restored
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    open_context(env["SHOPWARDEN_DATABASE_URL"])
    done = CliRunner().invoke(app, ["notices-sweep"], env=env)
    assert done.exit_code == 0 and "0 listing(s) restored" in done.output, done.output
