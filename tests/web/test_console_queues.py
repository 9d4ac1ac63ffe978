"""The console's dispute and brand-qualification queues through the pages, in-process: each item
shows both sides (the disputed listing beside the banned product; the filing beside the brand
registry), needs a claim and a reason to decide, and the seller reads the decision and its reason
in the notices inbox."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from shopwarden.service import products
from tests.images.drawn import jpeg, png, product_photo
from tests.web.seed import PLATFORM, seed_console

REASON_UPHELD = "面料与产地均不同，非同款 different fabric and origin"
REASON_REJECTED = "服饰/睡衣 不在品牌注册类目内 outside the brand classes"


@pytest.fixture
def console(web_ctx, seeded):
    return seed_console(web_ctx, seeded, (jpeg(product_photo(600, 600, seed=5)), jpeg(_striped_sheet())))


def _striped_sheet() -> Image.Image:
    """web-d's own photo: a striped sheet, nothing like web-e's shot (so only the disputed match blocks the listing)."""
    y, x = np.mgrid[0:600, 0:600]
    band = ((x + y // 3) // 40) % 2
    rgb = np.stack([200 - 90 * band, 180 - 40 * band, 150 + 60 * band], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def _queue_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-item="([^"]+)"', html)


def test_dy_lq_4_a_dispute_has_its_own_queue_and_shows_both_products(as_role, console):
    op = as_role("operator")
    dispute = console.ids["d_dispute"]
    assert _queue_ids(op.get("/console/queues/disputes").text) == [dispute]
    assert dispute not in _queue_ids(op.get("/console/queues/cases").text)
    page = op.get(f"/console/cases/{dispute}")
    assert page.status_code == 200
    listing = re.search(r'<section class="card" id="listing">.*?</section>', page.text, re.S).group(0)
    banned = re.search(r'<section class="card" id="banned">.*?</section>', page.text, re.S).group(0)
    assert "d-bedding" in listing and "新疆长绒棉 四件套" in listing
    assert "e-bedding" in banned and "纯棉四件套 床上用品" in banned and "好评率 41%" in banned
    assert listing.count("<img src=\"/images/") == 1 and banned.count("<img src=\"/images/") == 1  # each product's own photo
    match = re.search(r'<section class="card" id="match">.*?</section>', page.text, re.S).group(0)
    assert re.search(r"<dd data-score>\d+%", match) and "material" in match  # how close, and the attributes that agree
    assert "我店商品为新疆棉自有工厂生产" in page.text and "QC-2026-001" in page.text
    assert 'value="upheld"' not in page.text  # the form shows only to the claim's holder


def test_dy_lq_4_an_upheld_dispute_restores_the_listing_and_the_seller_reads_why(web_ctx, as_role, console):
    op, other = as_role("operator"), as_role("operator2")
    dispute = console.ids["d_dispute"]
    assert op.post(f"/console/claims/case/{dispute}", {"action": "claim"}).status_code == 303
    assert other.post(f"/console/cases/{dispute}/decision", {"outcome": "upheld", "reason": "x"}).status_code == 409
    missing = op.post(f"/console/cases/{dispute}/decision", {"outcome": "upheld", "reason": ""})
    assert missing.status_code == 422 and 'data-status="open"' in missing.text
    wrong = op.post(f"/console/cases/{dispute}/decision", {"outcome": "violation", "reason": "x", "type": "counterfeit", "severity": "general"})
    assert wrong.status_code == 422  # a dispute is upheld or dismissed
    r = op.post(f"/console/cases/{dispute}/decision", {"outcome": "upheld", "reason": REASON_UPHELD})
    assert r.status_code == 303 and r.headers["location"] == f"/console/cases/{dispute}?done=decided"
    assert REASON_UPHELD in op.get(f"/console/cases/{dispute}").text
    assert _queue_ids(op.get("/console/queues/disputes").text) == []
    assert products.get(web_ctx, PLATFORM, "d-bedding").status == "published"

    from shopwarden.service.auth import create_key
    from tests.web.conftest import Pages

    seller = Pages(op.client.app, create_key(web_ctx, "seller", "web-d"))
    inbox = seller.get("/shop/web-d/notices").text
    assert "同款申诉成立" in inbox and REASON_UPHELD in inbox and "DY-LQ-4" in inbox


def test_dy_bq_1_a_qualification_beside_the_registry_decided_with_a_reason(web_ctx, as_role, console):
    op = as_role("operator")
    q = console.ids["d_qualification"]
    queue = op.get("/console/queues/qualifications").text
    assert _queue_ids(queue) == [q] and "data-sla" in queue
    page = op.get(f"/console/qualifications/{q}").text
    registry = re.search(r'<section class="card" id="registry">.*?</section>', page, re.S).group(0)
    assert "棉之家纺织有限公司" in registry and "TM-38211290" in page
    assert re.search(r'data-outside>服饰/睡衣<', page) and 'data-warning="categories"' in page
    assert op.post(f"/console/qualifications/{q}/decision", {"outcome": "rejected", "reason": REASON_REJECTED}).status_code == 409  # no claim
    op.post(f"/console/claims/qualification/{q}", {"action": "claim"})
    assert op.post(f"/console/qualifications/{q}/decision", {"outcome": "revoked", "reason": "x"}).status_code == 422
    assert op.post(f"/console/qualifications/{q}/decision", {"outcome": "rejected", "reason": REASON_REJECTED}).status_code == 303
    assert _queue_ids(op.get("/console/queues/qualifications").text) == []
    assert _queue_ids(op.get("/console/queues/qualifications?status=decided").text) == [q]
    assert op.post(f"/console/claims/qualification/{q}", {"action": "claim"}).status_code == 409  # decided: nothing to claim

    from shopwarden.service.auth import create_key
    from tests.web.conftest import Pages

    seller = Pages(op.client.app, create_key(web_ctx, "seller", "web-d"))
    inbox = seller.get("/shop/web-d/notices").text
    assert "品牌资质审核未通过" in inbox and REASON_REJECTED in inbox and "DY-BQ-1" in inbox


def test_sellers_reach_none_of_the_new_queues(as_role, console):
    seller = as_role("seller_a")
    for url in ("/console/queues/disputes", "/console/queues/qualifications", f"/console/cases/{console.ids['d_dispute']}",
                f"/console/qualifications/{console.ids['d_qualification']}"):
        assert seller.get(url).status_code == 403, url
    assert seller.post(f"/console/claims/qualification/{console.ids['d_qualification']}", {"action": "claim"}).status_code == 403


def test_a_long_queue_is_paged_oldest_first_and_the_overview_counts_every_item(web_ctx, as_role, seeded):
    """55 open cases: page 1 holds the oldest 50, page 2 the other 5 (filters kept in the links);
    the overview counts all 55 and each queue's own items."""
    from datetime import timedelta

    from shopwarden.store import cases as case_store

    with web_ctx.db.transaction() as s:
        for i in range(55):
            case_store.add(s, {"case_id": f"c-page-{i:02d}", "shop_id": "web-a", "subject_kind": "message", "subject_id": f"m-{i}", "subject_version": None,
                               "rule": "TT-PCC", "detector": "contact_diversion", "severity": "review", "score": 0.6,
                               "finding": {"evidence": [], "explanation": "test"}, "decision": "review", "opened_at": web_ctx.clock() - timedelta(minutes=100 - i)})
    op = as_role("operator")
    first = op.get("/console/queues/cases?shop=web-a")
    assert _queue_ids(first.text) == [f"c-page-{i:02d}" for i in range(50)]
    assert 'href="/console/queues/cases?shop=web-a&amp;p=2" rel="next"' in first.text and 'rel="prev"' not in first.text
    second = op.get("/console/queues/cases?shop=web-a&p=2").text
    assert _queue_ids(second) == [f"c-page-{i:02d}" for i in range(50, 55)] and 'rel="next"' not in second and 'rel="prev"' in second
    assert op.get("/console/queues/cases?p=0").status_code == 422 and op.get("/console/queues/cases?p=x").status_code == 422
    overview = op.get("/console").text
    counts = dict(re.findall(r'data-queue="([^"]+)".*?data-count="(\d+)"', overview, re.S))
    assert counts == {"appeals": "2", "cases": "55", "review-reports": "0", "disputes": "0", "qualifications": "0", "content": "0",
                      "determinations": "0", "notices": "0", "complaints": "0"}


def test_dy_lq_4_the_seller_disputes_the_match_from_the_listing_page(web_ctx, seeded, web_app):
    """The rejected listing shows its match and a dispute form; a dispute without a reason changes
    nothing (422, the form says which field), one with a reason and a photo opens the operator's
    case, and the page then shows it under review; a second one is refused while it is open."""
    from shopwarden.service.auth import create_key
    from shopwarden.store import cases as case_store
    from tests.web.conftest import Pages

    seed_console(web_ctx, seeded, (jpeg(product_photo(600, 600, seed=5)), jpeg(_striped_sheet())), dispute=False)
    seller = Pages(web_app, create_key(web_ctx, "seller", "web-d"))
    page = seller.get("/shop/web-d/listings/d-bedding").text
    assert 'data-banned="e-bedding" data-dispute="none"' in page and 'id="dispute-form-e-bedding"' in page
    assert "与被封禁商品 e-bedding（low_positive_rate）为同款商品" in page  # the finding in the seller's language
    form = {"banned_product_id": "e-bedding", "reason": "", "evidence_text": "质检报告 QC-2026-002"}
    r = seller.post("/shop/web-d/listings/d-bedding/dispute", form)
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert seller.post("/shop/web-d/listings/d-bedding/dispute", form | {"reason": "x", "banned_product_id": "p-other"}).status_code == 422
    with web_ctx.db.read() as s:
        assert case_store.of_subject(s, "match_dispute", "d-bedding") == []
    photo = ("label.png", png(product_photo(300, 300, seed=21)), "image/png")
    r = seller.post("/shop/web-d/listings/d-bedding/dispute", form | {"reason": "面料不同 different fabric"}, files={"evidence_image": photo})
    assert r.status_code == 303 and r.headers["location"] == "/shop/web-d/listings/d-bedding?done=disputed"
    page = seller.get("/shop/web-d/listings/d-bedding").text
    assert 'data-dispute="open"' in page and 'id="dispute-form-e-bedding"' not in page
    with web_ctx.db.read() as s:
        [(case, _)] = case_store.of_subject(s, "match_dispute", "d-bedding")
    assert [e["kind"] for e in case.finding["dispute_evidence"]] == ["text", "image"]
    again = seller.post("/shop/web-d/listings/d-bedding/dispute", form | {"reason": "again"})
    assert again.status_code == 409 and "该同款匹配已有处理中的申诉" in again.text
    other_shop = Pages(web_app, seeded.keys["seller_a"])
    assert other_shop.post("/shop/web-d/listings/d-bedding/dispute", {"banned_product_id": "e-bedding", "reason": "x"}).status_code == 403
