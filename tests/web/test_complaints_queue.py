"""The console's internal complaints queue (DSA Art. 20): trusted flaggers' first, then oldest; a complaint's page
beside the decision it contests and its statement of reasons; a named person decides (Art. 20(6)), and may find it
manifestly unfounded (Art. 23); sellers reach none of it."""

from __future__ import annotations

import re
from datetime import timedelta

from shopwarden.service import internal_complaints, notices, products
from shopwarden.service.auth import Principal
from tests.web.seed import PLATFORM

OPERATOR = Principal("k-op", "operator", None)
SELLER_A = Principal("k-a", "seller", "web-a")


def _notice(ctx, notifier: str, kind: str, outcome: str) -> str:
    nid = notices.file(ctx, PLATFORM, notices.NoticeInput(
        notifier, kind, "listing", "web-a-shoe", "counterfeit", "Acme GmbH", "legal@acme.example", f"https://shop.example/p/web-a-shoe?{notifier}",
        "Shoes bearing the registered Acme mark that Acme never made.", True))["id"]
    notices.decide(ctx, OPERATOR, nid, notices.Decision(outcome, "judged on the photos and the mark register"))
    return nid


def _two_complaints(ctx) -> tuple[str, str, str]:
    """A seller's complaint against a measure, then (an hour later) a trusted flagger's against no action."""
    products.put(ctx, PLATFORM, "web-a-shoe", {"shop_id": "web-a", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur")
    acted = _notice(ctx, "acme-legal", "rights_owner", "action")
    ignored = _notice(ctx, "tf-1", "trusted_flagger", "no_action")
    seller = internal_complaints.on_notice(ctx, SELLER_A, acted, internal_complaints.ComplaintInput("our stock is genuine Acme, see the invoice"))
    ctx.clock.now += timedelta(hours=1)
    flagger = internal_complaints.on_notice(ctx, PLATFORM, ignored, internal_complaints.ComplaintInput("these are fakes, see the lab report",
                                                                                                     side="notifier"))
    return seller.id, flagger.id, acted


def test_the_queue_puts_trusted_flaggers_first_and_the_overview_counts_it(web_ctx, as_role, seeded):
    # DSA Art. 20 with Art. 22(1): the trusted flagger's complaint heads the queue although filed later
    seller_c, flagger_c, _ = _two_complaints(web_ctx)
    op = as_role("operator")
    html = op.get("/console/queues/complaints").text
    assert re.findall(r'<tr data-item="([^"]+)"', html) == [flagger_c, seller_c] and "data-trusted" in html
    overview = op.get("/console").text
    counts = dict(re.findall(r'data-queue="([^"]+)".*?data-count="(\d+)"', overview, re.S))
    assert counts["complaints"] == "2" and 'href="/console/queues/complaints"' in overview
    assert as_role("seller_a").get("/console/queues/complaints").status_code == 403


def test_an_operator_reads_the_contested_decision_and_decides_by_name(web_ctx, as_role, seeded):
    # DSA Art. 20(4)-(6): the page shows the complaint, the notice's decision and its statement of reasons (Art. 17);
    # the form needs an outcome of three, a reason and the deciding person's name; Art. 23: manifestly unfounded
    seller_c, _, acted = _two_complaints(web_ctx)
    op = as_role("operator")
    page = op.get(f"/console/complaints/{seller_c}").text
    assert "our stock is genuine Acme" in page and 'data-contested="notice"' in page and f"/console/notices/{acted}" in page
    assert re.search(r'data-statement="[A-Za-z0-9_-]+"', page) and 'id="decision-form"' not in page  # claim first
    assert op.post(f"/console/claims/complaint/{seller_c}", {"action": "claim"}).status_code in (200, 303)
    page = op.get(f"/console/complaints/{seller_c}").text
    assert all(f'value="{v}"' in page for v in ("granted", "rejected", "manifestly_unfounded")) and 'id="decided_by"' in page
    bad = op.post(f"/console/complaints/{seller_c}/decision", {"outcome": "dismissed", "reason": "", "decided_by": ""})
    assert bad.status_code == 422 and internal_complaints.get(web_ctx, OPERATOR, seller_c).status == "pending"
    problems = re.search(r'<ul class="problems".*?</ul>', bad.text, re.S).group(0)
    assert problems.count("<li>") == 3 and "manifestly_unfounded" in problems  # every field's problem at once, the allowed outcomes named
    done = op.post(f"/console/complaints/{seller_c}/decision", {"outcome": "manifestly_unfounded", "reason": "the invoice is not Acme's",
                                                                  "decided_by": "Li Wei"})
    assert done.status_code == 303 and done.headers["location"] == f"/console/complaints/{seller_c}?done=decided", done.text
    page = op.get(f"/console/complaints/{seller_c}?done=decided").text
    assert 'data-status="rejected"' in page and "data-unfounded" in page and "Li Wei" in page
    decided = internal_complaints.get(web_ctx, OPERATOR, seller_c).decision
    assert decided is not None and decided.decided_by == "Li Wei" and decided.manifestly_unfounded is True
    assert op.post(f"/console/claims/complaint/{seller_c}", {"action": "claim"}).status_code == 409  # decided: nothing to claim
    report = op.get("/console/transparency").text  # DSA Art. 24: the report counts the finding
    assert 'data-complaints-unfounded="1"' in report  # the seed's appeals are complaints too; this one is the unfounded one


def test_sellers_and_forged_forms_reach_no_complaint_decision(web_ctx, as_role, seeded):
    # DSA Art. 20(6): only an operator decides; a form without this session's CSRF token decides nothing
    seller_c, _, _ = _two_complaints(web_ctx)
    seller = as_role("seller_a")
    assert seller.get(f"/console/complaints/{seller_c}").status_code == 403
    r = seller.post(f"/console/complaints/{seller_c}/decision", {"outcome": "granted", "reason": "mine", "decided_by": "me"})
    assert r.status_code == 403
    op = as_role("operator")
    op.post(f"/console/claims/complaint/{seller_c}", {"action": "claim"})
    forged = op.post(f"/console/complaints/{seller_c}/decision", {"outcome": "granted", "reason": "ok", "decided_by": "Li Wei"}, token="forged")
    assert forged.status_code in (400, 403)
    assert internal_complaints.get(web_ctx, OPERATOR, seller_c).status == "pending"
