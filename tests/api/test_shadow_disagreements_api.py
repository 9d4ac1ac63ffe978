"""Shadow detectors over the API (issue 17): operators list where a shadow version disagreed with the
live one, with both sides' evidence, and label which was right; sellers reach none of it; bad input is
a 422 naming the field (DY-DV)."""

from __future__ import annotations

from datetime import timedelta

from shopwarden.service import shadows
from shopwarden.service.auth import Principal
from shopwarden.store import shadows as shadow_store

OPERATOR = Principal("t", "operator", None)


def _rows(ctx) -> None:
    now = ctx.clock()
    base = {"subject_kind": "message", "subject_version": None, "shop_id": "s1", "policy_id": "douyin", "policy_version": "1",
            "detector": "contact_diversion", "version": "dv-next", "rules": ["DY-DV"]}
    with ctx.db.transaction() as s:
        shadow_store.add(s, [
            base | {"shadow_id": "sh-1", "subject_id": "m1", "verdict": "shadow_only", "live": [],
                    "shadow": [{"rule": "DY-DV", "evidence": "V信: abc_8888"}], "at": now - timedelta(hours=2)},
            base | {"shadow_id": "sh-2", "subject_id": "m2", "verdict": "live_only", "live": [{"rule": "DY-DV", "evidence": "加微信"}],
                    "shadow": [], "at": now - timedelta(hours=1)},
            base | {"shadow_id": "sh-agree", "subject_id": "m3", "verdict": "agree", "live": [], "shadow": [], "at": now - timedelta(hours=1)},
            base | {"shadow_id": "sh-old", "subject_id": "m4", "verdict": "differ", "live": [], "shadow": [], "at": now - timedelta(days=90)},
        ])


def test_operators_list_disagreements_and_label_them(api):
    _rows(api.ctx)
    r = api.call("GET", "/v1/shadow-disagreements", key=api.operator)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["shadow_id"] for x in body] == ["sh-2", "sh-1"]  # newest first; agreement and the last 30 days' outside left out
    assert body[1]["shadow"][0]["evidence"] == "V信: abc_8888" and body[1]["live"] == [] and body[1]["label"] is None
    wide = api.call("GET", "/v1/shadow-disagreements", key=api.operator, params={"from": "2000-01-01T00:00:00Z"}).json()
    assert {x["shadow_id"] for x in wide} == {"sh-1", "sh-2", "sh-old"}

    r = api.call("POST", "/v1/shadow-disagreements/sh-1/label", key=api.operator, json={"label": "shadow", "note": "a real WeChat id"})
    assert r.status_code == 200, r.text
    assert (r.json()["label"], r.json()["label_note"], r.json()["shadow_id"]) == ("shadow", "a real WeChat id", "sh-1")
    assert r.json()["labelled_by"]
    left = api.call("GET", "/v1/shadow-disagreements", key=api.operator, params={"unlabelled": "true"}).json()
    assert [x["shadow_id"] for x in left] == ["sh-2"]
    # a later label replaces the first (as the console's)
    api.call("POST", "/v1/shadow-disagreements/sh-1/label", key=api.operator, json={"label": "neither"})
    period = shadows.DisagreementQuery(api.ctx.clock() - timedelta(days=1), api.ctx.clock())
    (row,) = [d for d in shadows.disagreements(api.ctx, OPERATOR, period) if d.shadow_id == "sh-1"]
    assert row.label == "neither" and row.label_note is None


def test_bad_labels_unknown_ids_and_agreements_are_refused(api):
    _rows(api.ctx)
    bad = api.call("POST", "/v1/shadow-disagreements/sh-1/label", key=api.operator, json={"label": "both"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert any("label" in str(e) for e in bad.json()["errors"])
    long = api.call("POST", "/v1/shadow-disagreements/sh-1/label", key=api.operator, json={"label": "live", "note": "x" * 2001})
    assert long.status_code == 422 and any("note" in str(e) for e in long.json()["errors"])
    assert api.call("POST", "/v1/shadow-disagreements/nope/label", key=api.operator, json={"label": "live"}).status_code == 404
    agree = api.call("POST", "/v1/shadow-disagreements/sh-agree/label", key=api.operator, json={"label": "live"})
    assert agree.status_code == 422 and "shadow_id" in agree.text
    back = api.call("GET", "/v1/shadow-disagreements", key=api.operator, params={"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})
    assert back.status_code == 422 and "to" in str(back.json()["errors"])
    assert api.call("GET", "/v1/shadow-disagreements", key=api.operator, params={"limit": 0}).status_code == 422


def test_sellers_reach_no_disagreement(api):
    _rows(api.ctx)
    api.shop("s1", "douyin")
    seller = api.key("seller", "s1")
    assert api.call("GET", "/v1/shadow-disagreements", key=seller).status_code == 403
    assert api.call("POST", "/v1/shadow-disagreements/sh-1/label", key=seller, json={"label": "live"}).status_code == 403
    assert api.call("GET", "/v1/shadow-disagreements", key={}).status_code == 401
