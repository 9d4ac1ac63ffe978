"""POST /v1/internal-complaints/{id}/decision over HTTP: DSA Art. 20 outcomes, `manifestly_unfounded` counted for
Art. 23, bad input and who may decide; a suspended complainant refused with its code."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.test_notices_api import NOTICE, _listing


def _complaint(api, seller: dict, n: int) -> str:
    nid = api.call("POST", "/v1/notices", json=NOTICE | {"location": f"https://shop.example/p/p1?{n}"}).json()["id"]
    r = api.call("POST", f"/v1/notices/{nid}/decision", api.operator, json={"outcome": "action", "reason": "not Acme's goods"})
    assert r.status_code == 200, r.text
    r = api.call("POST", f"/v1/notices/{nid}/complaints", seller, json={"reason": "genuine stock, as I keep saying"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_bad_outcomes_a_second_decision_and_a_seller_deciding_are_refused(api):
    # DSA Art. 20(6): an operator (a person) decides once; the outcome is one of three, each named when one is wrong
    _listing(api)
    seller = api.key("seller", "eu1")
    cid = _complaint(api, seller, 0)
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", api.operator, json={"outcome": "dismissed", "reason": "no"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    [problem] = r.json()["errors"]
    assert problem["field"] == "outcome" and all(v in problem["message"] for v in ("granted", "rejected", "manifestly_unfounded")), problem
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", seller, json={"outcome": "granted", "reason": "mine", "decided_by": "me"})
    assert r.status_code == 403, r.text
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", api.operator, json={"outcome": "manifestly_unfounded", "reason": "no evidence"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected" and r.json()["decision"]["manifestly_unfounded"] is True
    r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", api.operator, json={"outcome": "granted", "reason": "second thoughts"})
    assert r.status_code == 409 and r.json()["code"] == "already_decided", r.text
    assert api.call("GET", f"/v1/internal-complaints/{cid}", seller).json()["decision"]["manifestly_unfounded"] is True


def test_a_suspended_complainant_is_refused_with_its_code_and_until_when(api):
    # DSA Art. 23(1)-(2) (tiktok-shop-eu: 5 unfounded warn, 5 more suspend): the next complaint is a 409
    # `complaint.suspended` naming until when; the complainant reads its own Art. 23 actions
    _listing(api)
    seller = api.key("seller", "eu1")
    for i in range(10):
        api.ctx.clock.now += timedelta(hours=1)  # each decision after the last (the count restarts after the warning)
        cid = _complaint(api, seller, i)
        r = api.call("POST", f"/v1/internal-complaints/{cid}/decision", api.operator, json={"outcome": "manifestly_unfounded", "reason": "no evidence"})
        assert r.status_code == 200, r.text
    actions = api.call("GET", "/v1/misuse-actions", seller).json()
    assert [a["action"] for a in actions] == ["warning", "suspension"] and actions[1]["until"]
    nid = api.call("POST", "/v1/notices", json=NOTICE | {"location": "https://shop.example/p/p1?99"}).json()["id"]
    api.call("POST", f"/v1/notices/{nid}/decision", api.operator, json={"outcome": "action", "reason": "not Acme's goods"})
    r = api.call("POST", f"/v1/notices/{nid}/complaints", seller, json={"reason": "genuine stock, once more"})
    assert r.status_code == 409 and r.json()["code"] == "complaint.suspended", r.text
    until = datetime.fromisoformat(actions[1]["until"].replace("Z", "+00:00"))
    assert datetime.fromisoformat(r.json()["params"]["until"]) == until and r.json()["params"]["party"] == "shop:eu1"
