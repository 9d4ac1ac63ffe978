"""POST /v1/notices (DSA Art. 16) and what follows it, over HTTP."""

from __future__ import annotations

NOTICE = {"notifier": {"id": "acme-legal", "kind": "rights_owner", "name": "Acme GmbH legal", "email": "legal@acme.example"},
          "target_kind": "listing", "target_id": "p1", "ground": "counterfeit", "location": "https://shop.example/p/p1",
          "explanation": "Shoes bearing our registered Acme mark that are not ours.", "good_faith": True}


def _listing(api) -> None:
    api.shop("eu1", policy="tiktok-shop-eu")
    r = api.call("PUT", "/v1/products/p1", json={"shop_id": "eu1", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    assert r.status_code in (200, 201), r.text


def test_a_notice_lacking_art_16_2_elements_is_a_422_naming_each(api):
    # DSA Art. 16(2): what is missing, per field, and nothing stored
    _listing(api)
    body = NOTICE | {"notifier": {"id": "x", "kind": "individual"}, "explanation": None, "good_faith": False}
    del body["location"]
    r = api.call("POST", "/v1/notices", json=body)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert [e["field"] for e in r.json()["errors"]] == ["explanation", "location", "notifier.name", "notifier.email", "good_faith"]
    assert api.call("GET", "/v1/notices").json() == []
    r = api.call("POST", "/v1/notices", json=NOTICE | {"target_kind": "tweet"})
    assert r.status_code == 422 and "target_kind" in r.text


def test_notice_decision_counter_notice_over_http(api):
    # DSA Art. 16-17 and E-Commerce Law art. 43, by the roles that do each step
    _listing(api)
    r = api.call("POST", "/v1/notices", json=NOTICE)
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    seller = api.key("seller", "eu1")
    assert api.call("POST", f"/v1/notices/{nid}/decision", seller, json={"outcome": "action", "reason": "x"}).status_code == 403
    r = api.call("POST", f"/v1/notices/{nid}/decision", api.operator, json={"outcome": "action", "reason": "not Acme's goods"})
    assert r.status_code == 200 and r.json()["measure"]["kind"] == "notice.listing_disabled", r.text
    st = api.call("GET", f"/v1/statements?measure_id={nid}", seller).json()["items"]
    assert [s["transparency_database"]["source_type"] for s in st] == ["SOURCE_ARTICLE_16"]
    r = api.call("POST", f"/v1/notices/{nid}/counter-notice", seller, json={"reason": "bought from Acme's own distributor, invoice attached"})
    assert r.status_code == 200 and r.json()["measure"]["status"] == "counter_noticed", r.text
    assert api.call("POST", f"/v1/notices/{nid}/counter-notice", seller, json={"reason": "once more, the same thing"}).status_code == 409
    r = api.call("POST", f"/v1/notices/{nid}/proceedings", json={"kind": "court", "reference": "LG München I 33 O 1/26"})
    assert r.status_code == 200 and r.json()["measure"]["status"] == "upheld", r.text
    assert api.call("PUT", "/v1/trusted-flaggers/tf-1", json={"name": "Consumer Watch", "awarded_by": "DE DSC"}).status_code == 200


def test_resubmission_complaint_and_revocation_over_http(api):
    # DSA Art. 16: the listing stays down (409 with its code); Art. 20: the seller complains, a person decides
    # (the platform must name them); Art. 22(6): an operator revokes a trusted flagger's status
    _listing(api)
    nid = api.call("POST", "/v1/notices", json=NOTICE).json()["id"]
    api.call("POST", f"/v1/notices/{nid}/decision", api.operator, json={"outcome": "action", "reason": "not Acme's goods"})
    seller = api.key("seller", "eu1")
    r = api.call("PUT", "/v1/products/p1", seller, json={"shop_id": "eu1", "title": "Sneakers", "skus": [{"sku_id": "k", "price": 9.0}]})
    assert r.status_code == 409 and r.json()["code"] == "notice.measure_in_force" and r.json()["params"]["notice"] == nid, r.text
    r = api.call("POST", f"/v1/notices/{nid}/complaints", seller, json={"reason": "genuine stock, invoice attached",
                                                                         "evidence": [{"kind": "document", "value": "invoice.pdf"}]})
    assert r.status_code == 201 and r.json()["status"] == "pending", r.text
    cid = r.json()["id"]
    assert [c["id"] for c in api.call("GET", "/v1/internal-complaints?pending=true", api.operator).json()] == [cid]
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", json={"outcome": "granted", "reason": "the invoice holds"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "decided_by", r.text
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", api.operator, json={"outcome": "granted", "reason": "the invoice holds"})
    assert r.status_code == 200 and r.json()["status"] == "granted", r.text
    assert api.call("GET", "/v1/products/p1", seller).json()["status"] == "published"
    assert api.call("GET", f"/v1/internal-complaints/{cid}", seller).json()["decision"]["by_a_person"] is True
    assert api.call("PUT", "/v1/trusted-flaggers/tf-1", json={"name": "Consumer Watch", "awarded_by": "DE DSC"}).status_code == 200
    r = api.call("POST", "/v1/trusted-flaggers/tf-1/revocation", api.operator, json={"reason": "the DSC revoked it for imprecise notices"})
    assert r.status_code == 200 and r.json()["status"] == "revoked", r.text
    assert [t["status"] for t in api.call("GET", "/v1/trusted-flaggers", api.operator).json()] == ["revoked"]
    assert api.call("GET", "/v1/trusted-flaggers", seller).status_code == 403
