"""Creators' content over the API (CR-5, CR-6, CR-9): every part scanned, findings with their CR-2
category, measures on the content, LIVE segments that cut the LIVE, and bad input. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

T = datetime(2026, 1, 1, tzinfo=UTC)
BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉，活性印染。", "brand": "棉之家",
           "category": "家纺/床上用品", "attributes": {"材质": "纯棉"}, "skus": [{"sku_id": "k1", "price": 199.0}]}


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


@pytest.fixture
def creator(api):
    r = api.call("PUT", "/v1/creators/c1", json={"name": "Lin", "policy": "tiktok-shop-chr"})
    assert r.status_code == 201, r.text
    return "c1"


def put(api, content_id: str, **body):
    payload = {"creator_id": "c1", "kind": "video", "posted_at": iso(T - timedelta(hours=1))} | body
    return api.call("PUT", f"/v1/content/{content_id}", json=payload)


def test_clean_content_is_allowed_and_stored(api, creator):
    # rule CR-5
    r = put(api, "v1", title="三款面霜上脸实测", transcript="今天给大家试一下这三款面霜的质地和保湿效果")
    assert r.status_code == 200, r.text
    assert (r.json()["decision"], r.json()["measures"], r.json()["violation_id"]) == ("allow", [], None)
    got = api.call("GET", "/v1/content/v1").json()
    assert got["status"] == "published" and got["title"] == "三款面霜上脸实测"


def test_diversion_in_a_transcript_removes_the_video_and_costs_score(api, creator):
    # rule CR-6 (DY-DV reused), CR-9, CR-7
    r = put(api, "v1", title="好物分享", transcript="想要优惠的加我微信 lin_8899，私聊给你便宜")
    body = r.json()
    assert body["decision"] == "block", body
    dv = [f for f in body["findings"] if f["rule"] == "DY-DV"]
    assert dv and dv[0]["category"] == "misleading_traffic" and dv[0]["evidence"][0]["field"] == "transcript"
    assert body["measures"] == [{"kind": "content_removed", "rule": "CR-9", "reason": "DY-DV"}]
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert h["violations"][0]["type"] == "misleading_traffic" and h["violations"][0]["content_id"] == "v1" and h["score"] < 200
    assert api.call("GET", "/v1/content/v1").json()["status"] == "removed"


def test_an_off_platform_link_removes_only_the_links(api, creator):
    # rule CR-9: links removed from the content
    r = put(api, "v1", title="开箱", links=["https://weixin.qq.com/r/abc123"])
    body = r.json()
    if body["decision"] == "block":
        assert body["measures"][0]["kind"] == "links_removed"
    else:  # an uncertain finding waits for a person; nothing automatic
        assert body["decision"] == "review" and body["measures"] == []
    assert any(f["evidence"][0]["field"] == "links" for f in body["findings"])


def test_promoting_a_banned_product_is_prohibited_products(api, creator):
    # rule CR-6 (DY-LQ-2 reused)
    api.call("PUT", "/v1/shops/d1", json={"name": "店铺", "kind": "enterprise", "policy": "douyin"})
    assert api.call("PUT", "/v1/products/p1", json=BEDDING | {"shop_id": "d1"}).status_code == 200
    ban = api.call("POST", "/v1/products/p1/ban", api.operator, json={"reason": "low_positive_rate", "severity": "minor", "statement": "好评率 41%"})
    assert ban.status_code in (200, 201), ban.text
    body = put(api, "v1", title="四件套推荐", products=["p1"]).json()
    f = [f for f in body["findings"] if f["rule"] == "DY-LQ-2"]
    assert f and f[0]["category"] == "prohibited_products" and f[0]["evidence"][0]["text"] == "p1"


def test_a_blocked_live_segment_cuts_the_live_and_no_segment_follows(api, creator):
    # rule CR-5, CR-9: a blocked LIVE segment cuts the LIVE
    assert put(api, "l1", kind="live", title="晚间直播").json()["decision"] == "allow"
    ok = api.call("POST", "/v1/content/l1/segments", json={"at": iso(T - timedelta(minutes=30)), "transcript": "这款四件套是纯棉的"})
    assert ok.status_code == 200 and ok.json()["segment"] == 1 and ok.json()["decision"] == "allow"
    cut = api.call("POST", "/v1/content/l1/segments", json={"at": iso(T - timedelta(minutes=20)), "transcript": "下单前加我V信 lin8899 返现"})
    assert cut.json()["decision"] == "block" and cut.json()["measures"][0]["kind"] == "content_blocked"
    after = api.call("POST", "/v1/content/l1/segments", json={"at": iso(T - timedelta(minutes=10)), "transcript": "继续"})
    assert after.status_code == 409 and after.json()["rule"] == "CR-9"
    got = api.call("GET", "/v1/content/l1").json()
    assert got["status"] == "cut" and [g["decision"] for g in got["segments"]] == ["allow", "block"]


def test_segments_only_for_a_running_live(api, creator):
    # rule CR-5
    put(api, "v1", title="视频")
    not_live = api.call("POST", "/v1/content/v1/segments", json={"transcript": "x"})
    assert not_live.status_code == 409 and "only a LIVE" in not_live.json()["detail"]
    assert api.call("POST", "/v1/content/nothing/segments", json={"transcript": "x"}).status_code == 404
    put(api, "l2", kind="live", title="直播", ended_at=iso(T - timedelta(minutes=5)))
    ended = api.call("POST", "/v1/content/l2/segments", json={"at": iso(T - timedelta(minutes=1)), "transcript": "x"})
    assert ended.status_code == 409 and "ended" in ended.json()["detail"]


def test_bad_content_is_refused_and_nothing_is_stored(api, creator):
    unknown_creator = put(api, "v9", creator_id="nobody", title="x")
    assert unknown_creator.status_code == 422 and unknown_creator.json()["errors"][0]["field"] == "creator_id"
    unknown_product = put(api, "v9", title="x", products=["nope"])
    assert unknown_product.status_code == 422 and unknown_product.json()["errors"][0]["field"] == "products[0]"
    bad_kind = put(api, "v9", kind="story")
    assert bad_kind.status_code == 422
    assert api.call("GET", "/v1/content/v9").status_code == 404
    put(api, "v1", title="x")
    changed = put(api, "v1", kind="live", title="x")
    assert changed.status_code == 409
    seller = api.key("seller", api.shop("s1")["shop_id"])
    assert put(api, "v1", title="x") .status_code == 200
    assert api.call("PUT", "/v1/content/v1", seller, json={"creator_id": "c1", "kind": "video"}).status_code == 403


def _order(api, order_id: str, at: datetime, amount: str = "1.25", content_id: str = "v1"):
    r = api.call("POST", "/v1/orders", json={"order_id": order_id, "shop_id": "s1", "product_id": "p1", "buyer_id": f"b-{order_id}",
                                             "ordered_at": iso(at), "creator_id": "c1", "content_id": content_id,
                                             "commission": {"amount": amount, "currency": "USD"}})
    assert r.status_code == 201, r.text
    return r.json()


def test_commissions_through_violating_content_are_frozen_then_forfeited_or_released(api, creator, clock):
    # rule CR-10: held, released on a granted appeal, forfeited when the window closes unappealed
    api.shop("s1")
    api.call("PUT", "/v1/products/p1", json={"shop_id": "s1", "title": "纯棉四件套", "category": "home/bedding", "skus": [{"sku_id": "a", "price": 99.0}]})
    put(api, "v1", title="四件套", products=["p1"], posted_at=iso(T - timedelta(days=40)))
    for i, amount in enumerate(("1.10", "2.20", "0.35")):
        _order(api, f"o{i}", T - timedelta(days=39 - i), amount)
    v = api.call("POST", "/v1/violations", json={"creator_id": "c1", "content_id": "v1", "type": "misleading_promotion", "severity": "minor",
                                                 "issued_at": iso(T - timedelta(days=20)), "evidence": [{"kind": "text", "value": "最低价"}]}).json()
    held = api.call("GET", "/v1/creators/c1/health").json()["commissions"]
    assert (held["frozen"], held["forfeited"], held["currency"]) == (3.65, 0.0, "USD")
    later = api.call("GET", "/v1/creators/c1/health", params={"at": iso(T + timedelta(days=11))}).json()["commissions"]
    assert (later["frozen"], later["forfeited"]) == (0.0, 3.65)  # 30 days passed unappealed: deducted
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"reason": "价格属实", "evidence": [{"kind": "text", "value": "price list"}]})
    assert a.status_code == 201, a.text
    api.call("POST", f"/v1/appeals/{a.json()['id']}/decision", json={"outcome": "granted", "reason": "price was true"})
    released = api.call("GET", "/v1/creators/c1/health", params={"at": iso(T + timedelta(days=11))}).json()["commissions"]
    assert (released["frozen"], released["forfeited"]) == (0.0, 0.0)


def test_an_order_names_its_creator_content_and_commission_consistently(api, creator):
    # rule CR-10
    api.shop("s1")
    api.call("PUT", "/v1/products/p1", json={"shop_id": "s1", "title": "纯棉四件套", "category": "home/bedding", "skus": [{"sku_id": "a", "price": 99.0}]})
    base = {"order_id": "o1", "shop_id": "s1", "product_id": "p1", "buyer_id": "b1"}
    no_creator = api.call("POST", "/v1/orders", json=base | {"content_id": "v1"})
    assert no_creator.status_code == 422 and no_creator.json()["errors"][0]["field"] == "creator_id"
    bad_content = api.call("POST", "/v1/orders", json=base | {"creator_id": "c1", "content_id": "nope"})
    assert bad_content.status_code == 422 and bad_content.json()["errors"][0]["field"] == "content_id"
    fractional = api.call("POST", "/v1/orders", json=base | {"creator_id": "c1", "commission": {"amount": "0.001", "currency": "USD"}})
    assert fractional.status_code == 422
    assert api.call("POST", "/v1/orders", json=base).status_code == 201


def test_sensational_content_waits_for_an_operator_who_decides_it_once(api, creator):
    # rule CR-6: sensational content always to a human; CR-9: the decision removes it
    body = put(api, "v1", title="震惊！出大事了", transcript="速看马上删，这个锅真的好用").json()
    assert body["decision"] == "review" and body["measures"] == [] and body["violation_id"] is None
    assert any(f["category"] == "sensational" for f in body["findings"])
    waiting = api.call("GET", "/v1/content", api.operator).json()
    assert [w["content_id"] for w in waiting] == ["v1"] and "sensational" in waiting[0]["categories"]
    d = api.call("POST", "/v1/content/v1/decision", api.operator, json={"outcome": "violation", "reason": "标题党，制造恐慌"})
    assert d.status_code == 200, d.text
    assert d.json()["measures"][0]["kind"] == "content_removed" and d.json()["violation_id"]
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert h["violations"][0]["type"] == "sensational" and h["score"] < 200
    again = api.call("POST", "/v1/content/v1/decision", api.operator, json={"outcome": "dismiss", "reason": "x"})
    assert again.status_code == 409
    assert api.call("GET", "/v1/content", api.operator).json() == []
    assert api.call("GET", "/v1/content/v1").json()["status"] == "removed"


def test_a_creator_without_rights_cannot_publish_a_live_or_anchor_products(api, creator):
    # rule CR-9: measures enforced where the action happens
    for i in range(2):  # 200 - 2 x 100: rights removed at 0
        api.call("POST", "/v1/violations", json={"creator_id": "c1", "type": "spam_fraud", "severity": "severe", "issued_at": iso(T - timedelta(days=5 - i)),
                                                 "evidence": [{"kind": "text", "value": "刷单"}]})
    live = put(api, "l9", kind="live", title="直播")
    assert live.status_code == 409 and live.json()["rule"] == "CR-9" and "live_selling" in live.json()["detail"]
    assert put(api, "v9", title="只是分享").status_code == 200  # plain content without products stays possible


def test_reposted_and_copied_content_waits_for_an_operator(api, creator):
    # rule CR-6: spam (the same content re-posted) and non-original content (a near-copy of another creator's)
    said = "今天给大家讲讲这款保温杯，三百一十六不锈钢内胆，保温十二个小时，杯盖可以拆洗，出门带着很方便"
    assert put(api, "v1", title="保温杯实测", transcript=said).json()["decision"] == "allow"
    again = put(api, "v2", title="保温杯实测", transcript=said + "。").json()
    assert [(f["rule"], f["category"]) for f in again["findings"] if f["rule"].startswith("CR-6-RE")] == [("CR-6-REPOST", "spam_fraud")]
    assert again["decision"] == "review" and again["measures"] == []
    api.call("PUT", "/v1/creators/c2", json={"name": "Other", "policy": "tiktok-shop-chr"})
    copied = put(api, "v3", creator_id="c2", title="保温杯实测", transcript=said).json()
    assert ("CR-6-COPY", "low_quality") in [(f["rule"], f["category"]) for f in copied["findings"]]
    other = put(api, "v4", title="蓝牙耳机", transcript="这副耳机降噪效果很好，续航有三十个小时，佩戴也舒服，通勤路上用刚好").json()
    assert not [f for f in other["findings"] if f["rule"] in ("CR-6-REPOST", "CR-6-COPY")]
    assert {w["content_id"] for w in api.call("GET", "/v1/content", api.operator).json()} >= {"v2", "v3"}


def test_a_cover_another_creators_content_showed_first_is_non_original(api, creator):
    # rule CR-6: frames or covers copied from another creator's content
    from tests.images.drawn import jpeg, product_photo

    def upload(seed: int) -> str:
        r = api.client.post("/v1/images", headers=api.platform, files={"file": ("c.jpg", jpeg(product_photo(seed=seed)), "image/jpeg")})
        assert r.status_code in (200, 201), r.text
        return r.json()["image_id"]

    cover, other = upload(11), upload(12)
    assert put(api, "v1", title="开箱", cover_image=cover).json()["decision"] == "allow"
    api.call("PUT", "/v1/creators/c2", json={"name": "Other", "policy": "tiktok-shop-chr"})
    copied = put(api, "v2", creator_id="c2", title="开箱", cover_image=cover).json()
    copy = [f for f in copied["findings"] if f["rule"] == "CR-6-COPY"]
    assert copy and copy[0]["category"] == "low_quality" and copied["decision"] == "review"
    own = put(api, "v3", title="再开箱", cover_image=cover).json()  # the first creator re-uses its own cover
    assert not [f for f in own["findings"] if f["rule"] == "CR-6-COPY"]
    fresh = put(api, "v4", creator_id="c2", title="新品", cover_image=other).json()
    assert not [f for f in fresh["findings"] if f["rule"] == "CR-6-COPY"]


def test_every_kind_of_content_and_every_part_is_scanned(api, creator):
    # rule CR-1: showcase, video and LIVE, by any creator (a shop's own account too); rule CR-5: every part
    api.shop("s1")
    parts = {"title": {"title": "加我微信 lin_8899"}, "description": {"description": "想要优惠加我微信 lin_8899 私聊"},
             "transcript": {"transcript": "想要优惠加我微信 lin_8899 私聊"}, "links": {"links": ["https://weixin.qq.com/r/abc123"]}}
    for kind in ("showcase", "video", "live"):
        who = "own" if kind == "showcase" else f"c-{kind}"  # one creator per kind: each block costs score, and rights follow it (CR-9)
        api.call("PUT", f"/v1/creators/{who}", json={"name": who, "policy": "tiktok-shop-chr", "shop_id": "s1" if who == "own" else None})
        for field, body in parts.items():
            found = put(api, f"{kind}-{field}", creator_id=who, kind=kind, **body).json()["findings"]
            assert any(e["field"] == field for f in found if f["rule"] == "DY-DV" for e in f["evidence"]), (kind, field, found)


def test_measures_cover_the_sources_list_and_referrals_are_recorded_not_automatic(api, creator):
    # rule CR-3: the measures by severity and frequency; rule CR-9: legal action and reports to authorities are an operator's recorded outcome
    from shopwarden.core.policy.creators import MEASURE_KINDS

    assert set(MEASURE_KINDS) >= {"links_removed", "content_removed", "content_blocked", "warning", "privilege_revoked", "rights_suspended",
                                  "rights_removed", "commission_frozen", "no_recommendation"}
    chr_ = api.call("GET", "/v1/policies/tiktok-shop-chr").json()["creators"]
    kinds = {m["kind"] for ms in chr_["milestones"] for m in ms["measures"]} | {m["kind"] for m in chr_["repeat_rule"]["measures"]}
    assert {"no_recommendation", "privilege_revoked", "rights_suspended", "rights_removed", "commission_frozen"} <= kinds
    put(api, "v1", title="代开发票 办证", transcript="需要办证的私聊")
    d = api.call("POST", "/v1/content/v1/decision", api.operator, json={"outcome": "violation", "reason": "违法信息", "type": "illegal_activity",
                                                                       "severity": "severe", "referrals": ["reported_to_authorities"]})
    assert d.status_code == 200, d.text
    assert [m["kind"] for m in d.json()["measures"]] == ["reported_to_authorities", "content_removed"]
    assert "reported_to_authorities" in [m["kind"] for m in api.call("GET", "/v1/content/v1").json()["measures"]]


def test_the_platforms_own_domains_are_not_diversion_in_content_as_in_listings(api, creator):
    # rule CR-6 (DY-DV reused): the pack's platform_domains reach content scans by the listings' path
    own = api.call("GET", "/v1/policies/tiktok-shop-chr").json()["platform_domains"]
    assert own, "the pack names the platform's own domains"
    link = f"https://vm.{own[0]}/ZS8abc123/"
    body = put(api, "v1", title="开箱", description=f"完整视频看这里 {link}", links=[link]).json()
    assert [f for f in body["findings"] if f["rule"] == "DY-DV"] == [] and body["decision"] == "allow", body
    api.shop("s1")
    listing = api.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "s1", "text": f"商品详情请看 {link}"}).json()
    assert [f for f in listing["findings"] if f["rule"] == "DY-DV"] == []
    elsewhere = put(api, "v2", title="开箱", links=["https://weixin.qq.com/r/abc123"]).json()
    assert [f["rule"] for f in elsewhere["findings"]] == ["DY-DV"]
