"""The creator centre in-process (CR-13): a creator key lands on its own centre, sees its score
drawn with its milestones, measures and their ends, commissions, violations with content and
statement of reasons, appeals from the page; another creator's centre and a shop's pages are
refused; the store diagnosis draws its points too. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopwarden.service import content, creators, violations
from shopwarden.service.auth import create_key
from tests.web.conftest import Pages
from tests.web.seed import PLATFORM


@pytest.fixture
def creator_pages(web_app, web_ctx, seeded):
    ctx = web_ctx
    creators.put(ctx, PLATFORM, "cr-lin", creators.CreatorInput("林的好物 Lin's picks", "tiktok-shop-chr"))
    creators.put(ctx, PLATFORM, "cr-other", creators.CreatorInput("Other", "tiktok-shop-chr"))
    content.put(ctx, PLATFORM, "vid-1", content.ContentInput("cr-lin", "video", ctx.clock() - timedelta(days=3), title="面霜测评",
                                                              transcript="这是全网最好的面霜"))
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(creator_id="cr-lin", content_id="vid-1", type="misleading_promotion", severity="serious", issued_at=ctx.clock() - timedelta(days=2), evidence=[{"kind": "text", "value": "全网最好"}]))
    keys = {"lin": create_key(ctx, "creator", creator_id="cr-lin"), "other": create_key(ctx, "creator", creator_id="cr-other")}
    return {"app": web_app, "keys": keys, "violation": v.id, "seeded": seeded}


def test_a_creator_key_lands_on_its_centre_with_the_score_drawn(creator_pages):
    # rule CR-13: score, band, measures and their ends, drawn over time
    p = Pages(creator_pages["app"], creator_pages["keys"]["lin"])
    assert p.get("/").headers["location"] == "/creator/cr-lin"
    html = p.get("/creator/cr-lin").text
    assert 'data-score="150"' in html and 'data-band="unhealthy"' in html
    assert 'data-measure="no_recommendation"' in html and "<svg" in html and 'class="forecast"' in html
    assert 'data-frozen="0.0"' in html


def test_a_violation_shows_its_content_statement_and_takes_an_appeal(creator_pages):
    # rule CR-11, CR-13
    p = Pages(creator_pages["app"], creator_pages["keys"]["lin"])
    url = f"/creator/cr-lin/violations/{creator_pages['violation']}"
    html = p.get(url).text
    assert 'data-content="vid-1"' in html and "这是全网最好的面霜" in html and 'data-kind="violation"' in html and "CR-7" in html
    r = p.post(url + "/appeal", {"reason": "这是品牌注册的广告语", "evidence": "商标注册证 第 12345 号"})
    assert r.status_code == 303 and r.headers["location"].endswith("done=appeal")
    assert 'data-status="pending"' in p.get(url).text


def test_the_centre_lists_each_violations_content_deduction_and_appeal(creator_pages):
    # rule CR-13: each violation with its content and appeal; a health score deducts, it does not add points
    p = Pages(creator_pages["app"], creator_pages["keys"]["lin"])
    p.get("/lang/en?next=/creator/cr-lin")
    before = p.get("/creator/cr-lin").text
    assert ">Deduction<" in before and 'data-content="vid-1"' in before and 'data-appeal=""' in before
    p.post(f"/creator/cr-lin/violations/{creator_pages['violation']}/appeal", {"reason": "品牌广告语", "evidence": "商标注册证"})
    assert 'data-appeal="pending"' in p.get("/creator/cr-lin").text
    p.get("/lang/zh-CN?next=/creator/cr-lin")
    assert ">扣分<" in p.get("/creator/cr-lin").text


def test_the_centre_is_in_chinese_for_a_chinese_reader(creator_pages):
    p = Pages(creator_pages["app"], creator_pages["keys"]["lin"])
    p.get("/lang/zh-CN?next=/creator/cr-lin")
    html = p.get("/creator/cr-lin").text
    assert "达人中心" in html and "健康分" in html and "不健康" in html and "取消流量" in html


def test_a_creator_reaches_its_own_account_only(creator_pages):
    # rule CR-13
    p = Pages(creator_pages["app"], creator_pages["keys"]["other"])
    assert p.get("/creator/cr-lin").status_code == 403
    assert p.get(f"/creator/cr-lin/violations/{creator_pages['violation']}").status_code == 403
    assert p.get("/shop/web-a").status_code == 403
    seller = Pages(creator_pages["app"], creator_pages["seeded"].keys["seller_a"])
    assert seller.get("/creator/cr-lin").status_code == 403


def test_the_store_diagnosis_draws_points_with_thresholds(as_role):
    html = as_role("seller_a").get("/shop/web-a").text
    assert 'id="points-chart"' in html and "<svg" in html and 'class="rule"' in html


def test_an_operator_claims_and_decides_content_in_the_creator_queue(creator_pages, web_ctx):
    # rule CR-6: content for a person; CR-9: the decision removes it
    content.put(web_ctx, PLATFORM, "vid-2", content.ContentInput("cr-lin", "video", web_ctx.clock() - timedelta(hours=2), title="震惊！出大事了"))
    op = Pages(creator_pages["app"], creator_pages["seeded"].keys["operator"])
    listing = op.get("/console/queues/content").text
    assert 'data-item="vid-2"' in listing
    item = op.get("/console/contents/vid-2").text
    assert "<mark>" in item and 'data-status="open"' in item
    assert op.post("/console/claims/content/vid-2", {"action": "claim", "next": "/console/contents/vid-2"}).status_code == 303
    r = op.post("/console/contents/vid-2/decision", {"outcome": "violation", "reason": "标题党", "type": "sensational", "severity": "minor"})
    assert r.status_code == 303, r.text
    assert 'data-status="decided"' in op.get("/console/contents/vid-2").text
    assert 'data-item="vid-2"' not in op.get("/console/queues/content").text
    assert content.get(web_ctx, PLATFORM, "vid-2").status == "removed"
    lin = Pages(creator_pages["app"], creator_pages["keys"]["lin"])
    assert lin.get("/console/queues/content").status_code == 403


def test_an_operator_replays_a_creators_standing_at_any_date(creator_pages, web_ctx):
    # rule CR-13: the console's creator timeline
    op = Pages(creator_pages["app"], creator_pages["seeded"].keys["operator"])
    now = op.get("/console/creators/cr-lin").text
    assert 'data-score="150"' in now and 'id="at-form"' in now
    before = op.get("/console/creators/cr-lin", params={"at": (web_ctx.clock() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")}).text
    assert 'data-score="200"' in before
    assert op.get("/console/creators/cr-lin", params={"at": "yesterday"}).status_code == 422
