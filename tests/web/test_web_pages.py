"""The pages in-process, on SQLite and PostgreSQL: sign-in and its cookie, CSRF on every form,
a seller confined to its own shop on every page, the language switch, the forecast, claims."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute

from shopwarden.service import appeals, claims, health, images, pages, products, review_reports
from shopwarden.web.pages import PageRoute
from tests.web.conftest import Pages
from tests.web.seed import PLATFORM, review

PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


def test_root_sends_visitors_to_sign_in_and_each_role_home(web_app, as_role):
    assert Pages(web_app).get("/").headers["location"] == "/signin"
    assert as_role("seller_a").get("/").headers["location"] == "/shop/web-a"
    assert as_role("operator").get("/").headers["location"] == "/console"


def test_sign_in_cookie_holds_no_key_and_is_httponly_lax(web_app, seeded):
    p = Pages(web_app)
    r = p.sign_in(seeded.keys["seller_a"])
    cookie = r.headers["set-cookie"]
    secret = seeded.keys["seller_a"].split("_", 2)[2]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" not in cookie
    assert secret not in cookie and seeded.keys["seller_a"] not in cookie
    assert p.get("/shop/web-a").status_code == 200


def test_session_cookie_is_secure_over_https(web_app, seeded):
    from fastapi.testclient import TestClient

    c = TestClient(web_app, base_url="https://testserver", follow_redirects=False)
    assert "Secure" in c.get("/signin").headers["set-cookie"]


def test_a_bad_key_is_refused_and_nothing_is_signed_in(web_app):
    p = Pages(web_app)
    r = p.post("/signin", {"key": "sw_nope_nope"})
    assert r.status_code == 401 and "sw_nope_nope" not in r.text
    assert p.get("/shop/web-a").headers["location"].startswith("/signin")


def test_sign_out_ends_the_session(as_role):
    p = as_role("seller_a")
    assert p.post("/signout", {}).status_code == 303
    assert p.get("/shop/web-a").status_code == 303


def test_a_revoked_key_signs_its_page_session_out(web_ctx, as_role, seeded):
    """Also when the key's row is changed by hand: the session's read joins the key's row."""
    from shopwarden.store import keys

    p = as_role("seller_a")
    key_id = seeded.keys["seller_a"].split("_")[1]
    with web_ctx.db.transaction() as s:
        keys.get(s, key_id).revoked_at = web_ctx.clock()
    assert p.get("/shop/web-a").headers["location"].startswith("/signin")


def _appeal_count(ctx, violation_id) -> int:
    return len(pages.violation_of_shop(ctx, PLATFORM, "web-a", violation_id)["appeals"])


@pytest.mark.parametrize("token", [None, "forged-token", "other-session"])
def test_a_form_without_this_sessions_csrf_token_is_refused_and_changes_nothing(web_ctx, web_app, as_role, seeded, token):
    p = as_role("seller_a")
    if token == "other-session":
        token = as_role("seller_a").token()
    vid = seeded.ids["a_counterfeit"]
    r = p.post(f"/shop/web-a/violations/{vid}/appeal", {"reason": "csrf", "evidence_text": "x"}, token=token)
    assert r.status_code == 403 and 'data-status="403"' in r.text
    assert _appeal_count(web_ctx, vid) == 0
    op = as_role("operator")
    r = op.post(f"/console/claims/appeal/{seeded.ids['d_appeal']}", {"action": "claim"}, token=token)
    assert r.status_code == 403
    assert claims.holders(web_ctx, PLATFORM, "appeal", [seeded.ids["d_appeal"]]) == {}
    assert Pages(web_app).post("/signin", {"key": seeded.keys["seller_a"]}, token=token).status_code == 403


def test_the_same_form_with_the_token_goes_through(web_ctx, as_role, seeded):
    p = as_role("seller_a")
    vid = seeded.ids["a_counterfeit"]
    r = p.post(f"/shop/web-a/violations/{vid}/appeal", {"reason": "正品有授权 authorised", "evidence_text": "invoice 2026-001"})
    assert r.status_code == 303, r.text
    assert _appeal_count(web_ctx, vid) == 1


def test_an_appeal_without_a_reason_is_422_naming_the_field_and_files_nothing(web_ctx, as_role, seeded):
    vid = seeded.ids["a_counterfeit"]
    r = as_role("seller_a").post(f"/shop/web-a/violations/{vid}/appeal", {"reason": " ", "evidence_text": "x"})
    assert r.status_code == 422 and 'id="appeal-form"' in r.text and "理由" in r.text
    assert _appeal_count(web_ctx, vid) == 0


def test_an_appeal_image_goes_through_the_image_service_limits(web_ctx, as_role, seeded):
    """TT-APL-4: evidence may be an image; a file that is not an image is refused by the image service (422), nothing filed."""
    p = as_role("seller_a")
    vid = seeded.ids["a_counterfeit"]
    bad = p.client.post(f"/shop/web-a/violations/{vid}/appeal", data={"csrf": p.token(), "reason": "r"},
                        files={"evidence_image": ("x.png", b"%PDF-1.4 not an image", "image/png")})
    assert bad.status_code in (413, 422) and _appeal_count(web_ctx, vid) == 0
    ok = p.client.post(f"/shop/web-a/violations/{vid}/appeal", data={"csrf": p.token(), "reason": "r"},
                       files={"evidence_image": ("dot.png", PNG_1PX, "image/png")})
    assert ok.status_code == 303, ok.text
    [a] = pages.violation_of_shop(web_ctx, PLATFORM, "web-a", vid)["appeals"]
    image_id = a["evidence"][0]["value"]
    assert a["evidence"][0]["kind"] == "image" and p.get(f"/images/{image_id}").content == PNG_1PX
    assert as_role("seller_b").get(f"/images/{image_id}").status_code == 404
    assert as_role("operator").get(f"/images/{image_id}").status_code == 200


def _b_fixtures(ctx) -> dict[str, str]:
    """Shop B's ids that a page route might take: its product, an image it uploaded, a negative review."""
    img, _ = images.upload(ctx, PLATFORM, PNG_1PX[:-12] + PNG_1PX[-12:], "web-b")
    products.put(ctx, PLATFORM, "b-prod", {"shop_id": "web-b", "title": "B 店商品 secret-b-title", "description": "无",
                                           "skus": [{"sku_id": "1", "name": "x", "price": 10.0, "shipping_fee": 0.0}]})
    review_id = review(ctx, "web-b", "b-prod", "rev-b", 1, "B 店差评 secret-b-review", 1)
    return {"image_id": img.image_id, "product_id": "b-prod", "review_id": review_id}


def _b_notice(ctx) -> str:
    """A notice on shop B's product, acted on (DSA Art. 16): its counter-notice form is B's alone."""
    from shopwarden.service import notices

    n = notices.file(ctx, PLATFORM, notices.NoticeInput("acme", "rights_owner", "listing", "b-prod", "counterfeit", "Acme", "legal@acme.example",
                                                        "https://shop.example/p/b-prod", "Goods bearing a mark that are not the brand's.", True))
    notices.decide(ctx, PLATFORM, n["id"], notices.Decision("action", "not the brand's goods", "operator Li"))
    return n["id"]


def _seller_routes() -> list[APIRoute]:
    """Every route a seller's pages use: the seller centre's and the image route."""
    from shopwarden.web import images as image_pages
    from shopwarden.web import seller

    routes = [r for r in seller.router.routes + image_pages.router.routes if isinstance(r, PageRoute)]
    assert all(r.path.startswith(("/shop/", "/images/")) for r in routes)
    return routes


def test_no_seller_page_shows_another_shops_data(web_ctx, web_app, as_role, seeded):
    """Every seller-centre route, GET and POST, with shop B's ids, signed in as seller A: 403 or 404,
    and none of B's data in the page; A's own shop id with B's records inside it: 404."""
    b = _b_fixtures(web_ctx) | {"violation_id": seeded.ids["b_snad"], "shop_id": "web-b"}
    b["notice_id"] = _b_notice(web_ctx)
    snad = web_ctx.packs["tiktok-shop"].types["significantly_not_as_described"].name
    secrets = ["小林数码", "Lin Digital", "secret-b-title", "secret-b-review", "B 店的申诉", snad.zh, snad.en]  # ids may echo the URL typed; B's data may not
    p = as_role("seller_a")
    routes = _seller_routes()
    assert {"/shop/{shop_id}", "/shop/{shop_id}/violations/{violation_id}", "/shop/{shop_id}/listings/{product_id}", "/images/{image_id}",
            "/shop/{shop_id}/reviews", "/shop/{shop_id}/reviews/{review_id}/report"} <= {r.path for r in routes}
    checked = 0
    for route in routes:
        for own_shop in (False, True):
            values = b | ({"shop_id": "web-a"} if own_shop else {})
            if own_shop and route.path.count("{") < 2 and "{image_id}" not in route.path:
                continue  # A's own page with no other id in it is A's to see
            url = route.path.format(**values)
            for method in route.methods & {"GET", "POST"}:
                r = p.get(url) if method == "GET" else p.post(url, {"reason": "x", "title": "x", "action": "claim"})
                assert r.status_code in (403, 404), (method, url, r.status_code)
                assert not any(s in r.text for s in secrets), (method, url)
                checked += 1
    assert checked >= 12
    assert _appeal_count(web_ctx, seeded.ids["a_counterfeit"]) == 0
    assert review_reports.queue(web_ctx, PLATFORM, None, "web-b", 10, 0).reports == ()
    assert health.standing(web_ctx, PLATFORM, "web-b", None)[1].violations[0].status == "active"


def test_a_seller_cannot_open_the_console(as_role):
    p = as_role("seller_a")
    for url in ("/console", "/console/queues/appeals", "/console/queues/cases", "/console/shops/web-b"):
        assert p.get(url).status_code == 403, url


def test_language_defaults_to_chinese_for_sellers_and_switches_with_a_cookie(as_role):
    p = as_role("seller_a")
    assert "店铺诊断" in p.get("/shop/web-a").text
    r = p.get("/lang/en?next=/shop/web-a")
    assert r.status_code == 303 and r.headers["location"] == "/shop/web-a" and "sw_lang=en" in r.headers["set-cookie"]
    page = p.get("/shop/web-a").text
    assert "Store diagnosis" in page and "店铺诊断" not in page.split("<main>")[1].split("</main>")[0]
    assert p.get("/lang/zh-CN").status_code == 303 and "店铺诊断" in p.get("/shop/web-a").text


def test_the_language_switch_never_redirects_off_site(as_role):
    p = as_role("seller_a")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert p.get("/lang/en", params={"next": target}).headers["location"] == "/"


def test_operators_get_their_browsers_language_until_they_switch(web_app, seeded):
    p = Pages(web_app, seeded.keys["operator"])
    assert "Operator console" in p.get("/console", headers={"accept-language": "en-GB,en;q=0.9"}).text
    assert "运营控制台" in p.get("/console", headers={"accept-language": "zh-CN,zh;q=0.9"}).text


def test_page_routes_are_not_in_the_openapi_schema(web_app):
    paths = web_app.openapi()["paths"]
    assert paths and all(p.startswith("/v1/") or p in ("/healthz", "/readyz", "/metrics") for p in paths)  # meta: liveness, readiness, metrics


def test_the_forecast_replays_the_fold_at_each_upcoming_expiry(web_ctx, seeded):
    """TT-PTS-1/TT-PTS-5: each forecast row is the standing the ledger gives at that instant."""
    pack, now, forecast = pages.diagnosis(web_ctx, PLATFORM, "web-a")
    assert [m.at for m in forecast] == sorted(m.at for m in forecast) and forecast
    causes = {(m.cause, m.subject) for m in forecast}
    assert ("expiry", seeded.ids["a_counterfeit"]) in causes and ("sanction_end", "no_campaigns") in causes
    for m in forecast:
        _, expected = health.standing(web_ctx, PLATFORM, "web-a", m.at)
        assert (m.standing.points, m.standing.level, m.standing.privileges) == (expected.points, expected.level, expected.privileges)
    end = next(m for m in forecast if m.cause == "sanction_end")
    assert not now.privileges["campaigns"] and end.standing.privileges["campaigns"]


def test_diagnosis_shows_level_points_gauge_sanction_and_privileges(as_role):
    html = as_role("seller_a").get("/shop/web-a").text
    assert 'data-points="13"' in html and 'data-level="medium"' in html
    assert 'data-sanction="no_campaigns"' in html and 'data-privilege="campaigns" data-ok="false"' in html
    assert 'class="gauge' in html and "若违规" in html


def test_the_timeline_lists_every_ledger_event_and_replays_any_date(web_ctx, as_role, seeded):
    op = as_role("operator")
    html = op.get("/console/shops/web-a").text
    assert html.count('data-event="violation_issued"') == 2 and 'data-event="sanction_started"' in html
    before = (web_ctx.clock() - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    earlier = op.get("/console/shops/web-a", params={"at": before}).text
    assert 'data-points="1"' in earlier and "data-after" in earlier
    bad = op.get("/console/shops/web-a", params={"at": "yesterday"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text


def test_policy_packs_page_lists_every_loaded_pack(web_ctx, as_role):
    html = as_role("operator").get("/console/policies").text
    assert all(f'data-pack="{p}"' in html for p in web_ctx.packs)


def test_deciding_an_appeal_needs_the_claim_and_a_reason(web_ctx, as_role, seeded):
    """TT-APL-6: a decision carries a reason; only the holder of the claim decides."""
    a_id = seeded.ids["d_appeal"]
    wang, li = as_role("operator"), as_role("operator2")
    assert wang.post(f"/console/appeals/{a_id}/decision", {"outcome": "granted", "reason": "ok"}).status_code == 409
    assert wang.post(f"/console/claims/appeal/{a_id}", {"action": "claim"}).status_code == 303
    taken = li.post(f"/console/claims/appeal/{a_id}", {"action": "claim"})
    assert taken.status_code == 409 and "operator Wang" in li.get(f"/console/appeals/{a_id}").text
    assert li.post(f"/console/appeals/{a_id}/decision", {"outcome": "granted", "reason": "ok"}).status_code == 409
    no_reason = wang.post(f"/console/appeals/{a_id}/decision", {"outcome": "granted", "reason": ""})
    assert no_reason.status_code == 422 and appeals.get(web_ctx, PLATFORM, a_id).status == "pending"
    assert wang.post(f"/console/appeals/{a_id}/decision", {"outcome": "rejected", "reason": "聊天记录显示主动引导 the chat shows the seller asked"}).status_code == 303
    decided = appeals.get(web_ctx, PLATFORM, a_id)
    assert decided.status == "rejected" and decided.decision_reason is not None and "chat shows" in decided.decision_reason


def test_queue_shows_the_working_day_sla_and_who_holds_each_claim(as_role, seeded):
    """DY-APL-1: the Douyin appeal's decide-by date counts working days."""
    wang = as_role("operator")
    wang.post(f"/console/claims/appeal/{seeded.ids['d_appeal']}", {"action": "claim"})
    html = as_role("operator2").get("/console/queues/appeals", params={"claimed": "all"}).text
    assert "data-sla" in html and "operator Wang" in html
    mine = as_role("operator2").get("/console/queues/appeals", params={"claimed": "mine"}).text
    assert seeded.ids["d_appeal"] not in mine
    assert as_role("operator2").get("/console/queues/appeals", params={"claimed": "bogus"}).status_code == 422


def _diverting_listing(ctx) -> dict:
    return products.put(ctx, PLATFORM, "d-cup", {"shop_id": "web-d", "title": "保温杯 加我薇信 lin_8899 私下转账便宜", "description": "办公室学生通用",
                                                 "category": "home/cups", "skus": [{"sku_id": "c1", "name": "白色", "price": 59.0, "shipping_fee": 0.0}]}).as_json()


def test_an_operator_decides_a_case_as_a_violation_with_its_type_and_reason(web_ctx, as_role, seeded):
    """DY-DV: a detector's case, claimed and decided on its page; the violation carries the reason."""
    out = _diverting_listing(web_ctx)
    [case_id] = out["cases"][:1]
    op = as_role("operator")
    page = op.get(f"/console/cases/{case_id}").text
    assert "<mark" in page and "lin_8899" in page
    op.post(f"/console/claims/case/{case_id}", {"action": "claim"})
    missing = op.post(f"/console/cases/{case_id}/decision", {"outcome": "violation", "reason": "引导私下交易"})
    assert missing.status_code == 422 and "type" in missing.text
    ok = op.post(f"/console/cases/{case_id}/decision", {"outcome": "violation", "type": "off_platform_diversion", "severity": "general", "reason": "引导私下交易 moving the sale off the platform"})
    assert ok.status_code == 303
    from shopwarden.service import cases

    decided = cases.get(web_ctx, PLATFORM, case_id)
    assert decided.outcome == "violation" and decided.violation_id
    v = pages.violation_of_shop(web_ctx, PLATFORM, "web-d", decided.violation_id)
    assert "moving the sale off the platform" in v["note"]


def test_a_seller_sees_the_marked_text_and_re_submits_the_listing(web_ctx, web_app, seeded):
    from shopwarden.service.auth import create_key

    out = _diverting_listing(web_ctx)
    assert out["status"] in ("rejected", "pending_review")
    seller = Pages(web_app, create_key(web_ctx, "seller", "web-d"))
    assert 'data-product="d-cup"' in seller.get("/shop/web-d/listings").text
    page = seller.get("/shop/web-d/listings/d-cup").text
    assert "<mark" in page and 'id="resubmit"' in page
    r = seller.post("/shop/web-d/listings/d-cup", {"title": "316不锈钢保温杯 500ml", "description": "办公室学生通用"})
    assert r.status_code == 303
    after = products.get(web_ctx, PLATFORM, "d-cup").as_json()
    assert after["version"] == 2 and after["status"] == "published"


def test_pages_fetch_nothing_from_elsewhere(as_role):
    """No CDN: the policy allows only this server, and no page links a script, style or font off-site."""
    r = as_role("seller_a").get("/shop/web-a")
    assert "default-src 'self'" in r.headers["content-security-policy"] and r.headers["x-frame-options"] == "DENY"
    import re

    assert not re.search(r'(src|href)="(https?:)?//', r.text)
