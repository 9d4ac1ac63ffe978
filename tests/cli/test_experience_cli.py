"""`shopwarden experience sweep` and `show` through Typer's runner (DY-QL-3/4 determinations, DY-QL-5 page)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from shopwarden.cli.main import app
from shopwarden.service import after_sales, products, reviews
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.shops import put_shop
from tests.conftest import T0

ENV = {"COLUMNS": "200", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}
PLATFORM = Principal("t", "platform", None)
H = timedelta(hours=1)


def test_sweep_records_determinations_once_and_show_prints_the_page(tmp_path: Path):
    # rule DY-QL-3: a poor product is determined; rule DY-QL-4: with the first step's order limit
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    for shop in ("d1", "d2"):
        put_shop(ctx, PLATFORM, shop, shop, "enterprise", "douyin")
        products.put(ctx, PLATFORM, f"{shop}-p", {"shop_id": shop, "title": "马克杯", "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]})
    put_shop(ctx, PLATFORM, "t1", "t1", "enterprise", "shopee")  # a pack without an experience section
    for i in range(200):
        reviews.post_order(ctx, PLATFORM, {"order_id": f"d2-{i}", "shop_id": "d2", "product_id": "d2-p", "buyer_id": f"b{i}", "status": "paid", "ordered_at": T0 + i * H})
    for i in range(60):
        reviews.post_order(ctx, PLATFORM, {"order_id": f"d1-{i}", "shop_id": "d1", "product_id": "d1-p", "buyer_id": f"c{i}", "status": "paid", "ordered_at": T0 + i * H})
    for i in range(30):
        after_sales.post_complaint(ctx, PLATFORM, after_sales.ComplaintInput(f"c{i}", f"d1-{i}", "fake_goods", T0 + 100 * H))
    at = (T0 + 10 * 24 * H).isoformat()
    runner = CliRunner()
    first = runner.invoke(app, ["experience", "sweep", "--at", at], env=env)
    assert first.exit_code == 0, first.output
    assert "1 new determination(s)" in first.output and "product:d1-p" in first.output and "order_limit" in first.output
    again = runner.invoke(app, ["experience", "sweep", "--at", at], env=env)
    assert again.exit_code == 0 and "0 new determination(s)" in again.output
    shown = runner.invoke(app, ["experience", "show", "d1", "--at", at], env=env)
    assert shown.exit_code == 0, shown.output
    assert "industry home" in shown.output and "complaint_rate" in shown.output and "POOR" in shown.output
    missing = runner.invoke(app, ["experience", "show", "t1"], env=env)
    assert missing.exit_code == 2 and "experience" in missing.output


def test_roll_shows_its_progress_and_a_second_run_does_nothing(tmp_path: Path):
    # rule DY-QL-2: `shopwarden experience roll` rolls each market's peers a day at a time (cron); re-running it does nothing
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    put_shop(ctx, PLATFORM, "d1", "d1", "enterprise", "douyin")
    products.put(ctx, PLATFORM, "d1-p", {"shop_id": "d1", "title": "马克杯", "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]})
    for i in range(40):
        reviews.post_order(ctx, PLATFORM, {"order_id": f"d1-{i}", "shop_id": "d1", "product_id": "d1-p", "buyer_id": f"b{i}", "status": "paid", "ordered_at": T0 + i * H})
    to = (T0 + 240 * H).date().isoformat()
    runner = CliRunner()
    first = runner.invoke(app, ["experience", "roll", "--to", to], env=env)
    assert first.exit_code == 0, first.output
    assert f"{to} rolled (7/7)" in first.output and "(was never; 7 day(s) rolled)" in first.output
    again = runner.invoke(app, ["experience", "roll", "--to", to], env=env)
    assert again.exit_code == 0 and f"already at {to}" in again.output and "rolled (" not in again.output
    shown = runner.invoke(app, ["experience", "show", "d1", "--at", f"{to}T08:00:00Z"], env=env)
    assert shown.exit_code == 0 and "peers as of" not in shown.output  # the day's peers are current
