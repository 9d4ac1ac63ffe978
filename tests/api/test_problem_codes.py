"""Problem documents carry a stable `code` and its `params` beside the English `detail` (additive:
every field the documents had stays), so a client words a refusal without matching text."""

from __future__ import annotations

from datetime import timedelta

from tests.api.test_review_reports import post, report, seller  # noqa: F401 - `seller` is a fixture


def test_rv2_a_closed_report_window_is_named_by_code_with_its_days_and_end(api, seller, clock):  # noqa: F811
    """RV-2: the 30 days and the instant the window closed, as params."""
    rid = post(api, 1)
    posted = clock.now
    clock.now += timedelta(days=30)
    body = report(api, seller, rid).json()
    assert (body["status"], body["rule"], body["code"]) == (409, "RV-2", "review.report_window_closed")
    assert body["params"] == {"days": 30, "at": (posted + timedelta(days=30)).isoformat()}
    assert body["detail"].startswith("reviews can be reported within 30 days")  # the English stays


def test_rv5_each_missing_part_of_a_report_has_its_own_code(api, seller):  # noqa: F811
    """RV-5: kind, reason and evidence, each field's problem with its code (and the allowed kinds)."""
    body = report(api, seller, post(api, 1), {"evidence": []}).json()
    assert (body["status"], body["code"]) == (422, "invalid_input")
    by_field = {e["field"]: e for e in body["errors"]}
    assert {f: e["code"] for f, e in by_field.items()} == {"kind": "review.report_kind_required", "reason": "review.report_reason_required",
                                                           "evidence": "review.report_evidence_required"}
    assert "coercive" in by_field["kind"]["params"]["allowed"] and by_field["kind"]["message"].startswith("required (RV-5)")


def test_an_unknown_id_and_another_kind_of_refusal_carry_their_kind_code(api, seller):  # noqa: F811
    missing = api.call("GET", "/v1/violations/v-none", api.operator).json()
    assert (missing["status"], missing["code"], missing["params"]) == (404, "not_found", {"what": "violation", "id": "v-none"})
    api.call("PUT", "/v1/shops/t2", json={"name": "t2", "kind": "enterprise", "policy": "tiktok-shop"})
    other = report(api, api.key("seller", "t2"), post(api, 2)).json()
    assert (other["status"], other["code"]) == (403, "auth.own_shop_only")


def test_a_body_the_schema_refuses_is_invalid_input_by_code(api, seller):  # noqa: F811
    body = api.call("POST", "/v1/reviews", json={"review_id": "r1", "order_id": "o1", "rating": 9}).json()
    assert (body["status"], body["code"], body["params"]) == (422, "invalid_input", {}) and body["errors"][0]["field"] == "rating"
