"""RV-3 over HTTP: eight simultaneous POSTs reporting one review give one 201 and seven 409
problem documents that name the rule, never a 500 or the generic conflicting-write message."""

from __future__ import annotations

import threading

from tests.api.test_review_reports import REPORT, post


def test_rv3_a_burst_of_reports_is_one_201_and_409s_naming_rv3(api):
    api.call("PUT", "/v1/shops/t1", json={"name": "耳机店", "kind": "enterprise", "policy": "tiktok-shop"})
    api.call("PUT", "/v1/products/p1", json={"title": "无线蓝牙耳机 降噪 长续航", "category": "数码/耳机", "skus": [{"sku_id": "k1", "price": 299.0}], "shop_id": "t1"})
    seller, rid = api.key("seller", "t1"), post(api, 1)
    gate, answers = threading.Barrier(8), []

    def report() -> None:
        gate.wait()
        answers.append(api.call("POST", f"/v1/reviews/{rid}/reports", seller, json=REPORT))

    threads = [threading.Thread(target=report) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7, [a.text for a in answers if a.status_code != 409]
    refused = [a.json() for a in answers if a.status_code == 409]
    assert {(p["rule"], p["title"]) for p in refused} == {("RV-3", "Already reported")}
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers if a.status_code == 409)
    assert len(api.call("GET", "/v1/review-reports?shop_id=t1", api.operator).json()["reports"]) == 1
