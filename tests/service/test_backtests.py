"""Backtests (issue 17): a detector's precision and recall against what operators decided — cases
confirmed or dismissed, automatic violations taken back, violations found by hand (DY-DV)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from shopwarden.cli.main import app
from shopwarden.core.backtest import Outcome, backtest, wilson
from shopwarden.errors import Forbidden, InvalidInput
from shopwarden.service import appeals, backtests, cases, products, violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.shops import put_shop
from tests.conftest import T0

PLATFORM = Principal("t", "platform", None)
SELLER = Principal("k", "seller", "s1")
DIVERSION = "保温杯 加微信 abc12345 详聊 电话1381234567{}"


def test_the_tally_counts_each_finding_once_and_misses_per_rule():
    rows = backtest([Outcome("DY-DV", "contact_diversion", "case", "confirmed")] * 3 + [Outcome("DY-DV", "contact_diversion", "auto", "overturned"),
                    Outcome("DY-DV", "contact_diversion", "case", "pending"), Outcome("DY-DV", "", "manual", "missed"),
                    Outcome("DY-IP", "", "manual", "missed")])
    dv, ip = rows
    assert (dv.rule, dv.detector, dv.confirmed, dv.overturned, dv.pending, dv.missed) == ("DY-DV", "contact_diversion", 3, 1, 1, 1)
    assert dv.precision == 0.75 and dv.recall == 0.75
    assert dv.precision_interval.low < 0.75 < dv.precision_interval.high
    assert (ip.detector, ip.precision, ip.recall) == ("", None, 0.0)
    assert wilson(0, 0) is None and wilson(5, 5).high == pytest.approx(1.0)


def test_backtest_reads_the_operators_decisions(tmp_path):
    # DY-DV: four confident findings each issue a ticket at once and open a case
    ctx = open_context(f"sqlite:///{tmp_path / 'bt.db'}")
    put_shop(ctx, PLATFORM, "s1", "s1", "enterprise", "douyin")
    found = []
    for i in range(4):
        r = products.put(ctx, PLATFORM, f"p{i}", {"shop_id": "s1", "title": DIVERSION.format(i), "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]}).as_json()
        assert r["status"] == "rejected" and len(r["violations"]) == 1 and len(r["cases"]) == 1, r
        found.append((r["violations"][0], r["cases"][0]))
    at = ctx.clock()
    cases.decide(ctx, PLATFORM, found[0][1], cases.CaseDecisionInput(outcome="violation", type="off_platform_diversion", severity="general", reason="confirmed"))
    cases.decide(ctx, PLATFORM, found[1][1], cases.CaseDecisionInput(outcome="dismiss", reason="a product feature, not contact"))
    appeal = appeals.file(ctx, SELLER, found[2][0], appeals.AppealInput(reason="this is the brand's own hotline", evidence=[{"kind": "text", "value": "x"}]))
    appeals.decide(ctx, PLATFORM, appeal.id, appeals.DecisionInput(outcome="granted", reason="the hotline is the brand's"))
    # found[3]: its case still open. And one diversion an operator found by hand.
    violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="off_platform_diversion", severity="general"))
    result = backtests.run(ctx, PLATFORM, backtests.BacktestInput(at - timedelta(days=1), at + timedelta(days=1)))
    dv = next(r for r in result.rows if r.rule == "DY-DV" and r.detector)
    assert (dv.confirmed, dv.overturned, dv.pending, dv.missed) == (1, 2, 1, 1)
    assert dv.precision == pytest.approx(1 / 3) and dv.recall == pytest.approx(1 / 2)
    empty = backtests.run(ctx, PLATFORM, backtests.BacktestInput(T0 - timedelta(days=900), T0 - timedelta(days=800)))
    assert empty.rows == []
    with pytest.raises(Forbidden):
        backtests.run(ctx, SELLER, backtests.BacktestInput(at, at))
    with pytest.raises(InvalidInput):
        backtests.run(ctx, PLATFORM, backtests.BacktestInput(at, at - timedelta(days=1)))


def test_the_backtest_command_prints_the_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'bt.db'}"
    ctx = open_context(url)
    put_shop(ctx, PLATFORM, "s1", "s1", "enterprise", "douyin")
    products.put(ctx, PLATFORM, "p0", {"shop_id": "s1", "title": DIVERSION.format(0), "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]})
    at = ctx.clock()
    env = {"SHOPWARDEN_DATABASE_URL": url, "COLUMNS": "200", "NO_COLOR": "1"}
    args = ["backtest", "--from", (at - timedelta(days=1)).isoformat(), "--to", (at + timedelta(days=1)).isoformat()]
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code == 0, r.output
    assert "DY-DV" in r.output and "contact_diversion" in r.output
    j = CliRunner().invoke(app, args + ["--json"], env=env)
    assert j.exit_code == 0 and '"pending": 1' in j.stdout
