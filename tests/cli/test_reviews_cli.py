"""`shopwarden reviews stats PRODUCT` and `shopwarden scan` over review records, through Typer's runner."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from shopwarden.cli.main import app
from shopwarden.core.detect.base import Evidence, Explanation, Finding
from shopwarden.core.reviews import signals
from shopwarden.core.reviews.positive_rate import wilson_lower_bound
from shopwarden.service import products, review_reports, reviews
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.shops import put_shop

ENV = {"COLUMNS": "200", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}
PLATFORM = Principal("t", "platform", None)


def templated(review, history, context, encode=None, calibration=None):
    """A stand-in for the signals (engineer A tests the real ones): near-copies are RV-K-6."""
    if not history.near_duplicates:
        return []
    return [Finding("RV-K-6", "invalid_review", "general", 0.8, Explanation(f"{len(history.near_duplicates)} near-copies", "模板评价"),
                    (Evidence("text", 0, len(review.text), review.text),))]


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setattr(signals, "review_signals", templated)
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}
    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    put_shop(ctx, PLATFORM, "d1", "家纺店", "enterprise", "douyin")
    products.put(ctx, PLATFORM, "p1", {"shop_id": "d1", "title": "纯棉四件套", "category": "家纺/床上用品", "skus": [{"sku_id": "k", "price": 99.0}]})
    for i, (rating, text) in enumerate([(5, "很舒服"), (4, "不错"), (1, "好评返现"), (1, "好评返现"), (2, "起球了")]):
        reviews.post_order(ctx, PLATFORM, {"order_id": f"o{i}", "shop_id": "d1", "product_id": "p1", "buyer_id": f"b{i}", "status": "paid"})
        reviews.post_review(ctx, PLATFORM, {"review_id": f"r{i}", "order_id": f"o{i}", "rating": rating, "text": text, "images": []})
    filed = review_reports.file(ctx, Principal("s", "seller", "d1"), "r3", review_reports.ReportInput("invalid", "模板评价", [{"kind": "text", "value": "同样的话"}]))
    review_reports.decide(ctx, PLATFORM, filed.report_id, review_reports.ReportDecisionInput("granted", "copied text"))
    ctx.db.dispose()
    return env


def test_reviews_stats_prints_the_rating_the_bound_and_the_signals(db):
    result = CliRunner().invoke(app, ["reviews", "stats", "p1"], env=db)
    assert result.exit_code == 0, result.output
    # rich pads and may wrap cells (a wrapped value continues under an empty label): compare without spaces and rules
    out = re.sub(r"[\s│┃]", "", result.output)
    bound = f"{wilson_lower_bound(2, 4, 1.96):.3f}"
    for expected in ("纯棉四件套", "家纺/床上用品", "averagerating平均评分3.00/5", "visiblereviews有效评价4", "hidden(RV-6)已隐藏1",
                     "1★12★13★04★15★1", "2(50.0%)", "sales销量5", f"{bound}(z1.96)vsthreshold门槛0.70(default)",
                     "notjudged:toofewsales", "RV-K-61"):  # r3 copies r2; hidden, its signal still counts
        assert expected in out, expected


def test_reviews_stats_of_an_unknown_product_fails_clearly(db):
    result = CliRunner().invoke(app, ["reviews", "stats", "nope"], env=db)
    assert result.exit_code == 2 and "no product 'nope'" in result.output


def test_scan_runs_the_review_signals_on_review_records(db, tmp_path: Path):
    lines = [{"kind": "review", "id": "x1", "shop_id": "d1", "product_id": "p1", "rating": 1, "text": "这是一条模板差评内容"},
             {"kind": "review", "id": "x2", "shop_id": "zz", "rating": 1, "text": "这是一条模板差评内容"},
             {"kind": "review", "id": "x3", "shop_id": "d1", "rating": 5, "text": "很舒服"},
             {"kind": "review", "id": "x4", "shop_id": "d1", "rating": 9, "text": "?"},
             {"kind": "message", "shop_id": "d1", "text": "你好"}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(b"\n".join(orjson.dumps(x) for x in lines))
    result = CliRunner().invoke(app, ["scan", str(src), "--out", str(out)], env=db)
    assert result.exit_code == 0, result.output
    rows = {r.get("id") or r["line"]: r for r in map(orjson.loads, out.read_bytes().splitlines())}
    assert [f["rule"] for f in rows["x1"]["findings"]] == []  # nothing like it before it
    assert [f["rule"] for f in rows["x2"]["findings"]] == ["RV-K-6"]  # a copy of the file's earlier review
    assert [f["rule"] for f in rows["x3"]["findings"]] == ["RV-K-6"]  # a copy of a stored review (r0)
    assert "rating" in rows[4]["error"]
    assert "RV-K-6" in result.output and "1 bad line" in result.output
