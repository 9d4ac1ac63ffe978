"""The console's notices queue (DSA Art. 16, 22): trusted flaggers first, a notice's page, a decision by the
claim's holder told to both sides; sellers reach none of it."""

from __future__ import annotations

import re
from datetime import timedelta

from shopwarden.service import notices, products
from tests.web.seed import PLATFORM


def _file(ctx, kind: str, notifier: str, name: str) -> dict:
    return notices.file(ctx, PLATFORM, notices.NoticeInput(
        notifier, kind, "listing", "web-a-shoe", "counterfeit", name, "legal@acme.example", "https://shop.example/p/web-a-shoe",
        "Shoes bearing the registered Acme mark that Acme never made.", True))


def test_trusted_flaggers_first_and_an_operator_decides(web_ctx, as_role, seeded):
    # DSA Art. 22(1): the trusted flagger's notice heads the queue although filed later; Art. 16(5): both sides told
    products.put(web_ctx, PLATFORM, "web-a-shoe", {"shop_id": "web-a", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    notices.trust(web_ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur")
    web_ctx.clock.now -= timedelta(hours=1)
    first = _file(web_ctx, "rights_owner", "acme-legal", "Acme GmbH")
    web_ctx.clock.now += timedelta(hours=1)
    second = _file(web_ctx, "trusted_flagger", "tf-1", "Consumer Watch e.V.")
    op = as_role("operator")
    html = op.get("/console/queues/notices").text
    assert re.findall(r'<tr data-item="([^"]+)"', html) == [second["id"], first["id"]] and "data-trusted" in html
    counts = dict(re.findall(r'data-queue="([^"]+)".*?data-count="(\d+)"', op.get("/console").text, re.S))
    assert counts["notices"] == "2"
    assert op.post(f"/console/claims/notice/{first['id']}", {"action": "claim"}).status_code in (200, 303)
    r = op.post(f"/console/notices/{first['id']}/decision", {"outcome": "action", "reason": "Acme's mark, not Acme's goods"})
    assert r.status_code in (200, 303), r.text
    page = op.get(f"/console/notices/{first['id']}").text
    assert 'data-status="action"' in page and 'data-measure="in_force"' in page and "/v1/statements?puid=" in page
    inbox = as_role("seller_a").get("/shop/web-a/notices").text
    assert 'data-kind="notice_decision"' in inbox and "Acme&#39;s mark, not Acme&#39;s goods" in inbox  # the seller is told (DSA Art. 17)
    assert as_role("seller_a").get("/console/queues/notices").status_code == 403
    assert as_role("seller_a").get(f"/console/notices/{first['id']}").status_code == 403


def test_an_operator_rejects_an_appeal_as_manifestly_unfounded(web_ctx, as_role, seeded):
    # DSA Art. 23: the console's appeal form marks a rejected complaint manifestly unfounded; a granted one cannot be
    from shopwarden.store import notices as store

    op = as_role("operator")
    appeal_id = seeded.ids["b_appeal"]
    op.post(f"/console/claims/appeal/{appeal_id}", {"action": "claim"})
    refused = op.post(f"/console/appeals/{appeal_id}/decision", {"outcome": "granted", "reason": "fine", "manifestly_unfounded": "yes"})
    assert refused.status_code == 422 and 'id="manifestly_unfounded"' in refused.text
    done = op.post(f"/console/appeals/{appeal_id}/decision", {"outcome": "rejected", "reason": "nothing new", "manifestly_unfounded": "yes"})
    assert done.status_code in (200, 303), done.text
    with web_ctx.db.read() as s:
        assert store.unfounded_of(s, "shop:web-b") == {appeal_id}


def test_the_seller_counter_notices_from_its_notices_page(web_ctx, as_role, seeded):
    # E-Commerce Law art. 43: a measure on an IP ground offers the form; once filed, the period runs
    products.put(web_ctx, PLATFORM, "web-a-shoe", {"shop_id": "web-a", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    n = _file(web_ctx, "rights_owner", "acme-legal", "Acme GmbH")
    notices.decide(web_ctx, PLATFORM, n["id"], notices.Decision("action", "Acme's mark, not Acme's goods", "operator Li"))
    seller = as_role("seller_a")
    assert "data-counter-notice" in seller.get("/shop/web-a/notices").text
    assert seller.post(f"/shop/web-a/notices/{n['id']}/counter-notice", {"reason": ""}).status_code == 422
    done = seller.post(f"/shop/web-a/notices/{n['id']}/counter-notice", {"reason": "bought from Acme's distributor, invoice 2026-118"})
    assert done.status_code in (200, 303), done.text
    assert notices.get(web_ctx, PLATFORM, n["id"])["measure"]["status"] == "counter_noticed"
    assert "data-counter-notice" not in seller.get("/shop/web-a/notices").text
    assert as_role("seller_b").post(f"/shop/web-a/notices/{n['id']}/counter-notice", {"reason": "not mine at all, still"}).status_code in (403, 404)


def test_a_revoked_flagger_and_a_notices_complaints_show_on_the_console(web_ctx, as_role, seeded):
    # DSA Art. 22(6)-(7): after the revocation the flagger's notice no longer heads the queue, and its page says why;
    # Art. 20: the complaints against the decision are listed on the notice
    from shopwarden.service import internal_complaints
    from shopwarden.service.auth import Principal

    products.put(web_ctx, PLATFORM, "web-a-shoe", {"shop_id": "web-a", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    notices.trust(web_ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur")
    web_ctx.clock.now -= timedelta(hours=1)
    first = _file(web_ctx, "rights_owner", "acme-legal", "Acme GmbH")
    web_ctx.clock.now += timedelta(hours=1)
    second = _file(web_ctx, "trusted_flagger", "tf-1", "Consumer Watch e.V.")
    operator = Principal("k-op", "operator", None)
    notices.revoke_trust(web_ctx, operator, "tf-1", "Bundesnetzagentur revoked the status for imprecise notices", "Bundesnetzagentur")
    op = as_role("operator")
    assert re.findall(r'<tr data-item="([^"]+)"', op.get("/console/queues/notices").text) == [first["id"], second["id"]]
    assert "data-trust-revoked" in op.get(f"/console/notices/{second['id']}").text
    notices.decide(web_ctx, operator, first["id"], notices.Decision("action", "Acme's mark, not Acme's goods"))
    internal_complaints.on_notice(web_ctx, Principal("k-a", "seller", "web-a"), first["id"],
                                  internal_complaints.ComplaintInput("our stock is genuine Acme, see the invoice"))
    page = op.get(f"/console/notices/{first['id']}").text
    assert 'data-complaint="pending"' in page and "our stock is genuine Acme" in page
