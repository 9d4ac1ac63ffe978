"""GET /v1/transparency-report (DSA Art. 24) over HTTP: the period is required and ordered; operators read it."""

from __future__ import annotations


def test_the_report_over_http(api):
    api.shop("eu1", policy="tiktok-shop-eu")
    api.violation("eu1", type="counterfeit", severity="general")
    r = api.call("GET", "/v1/transparency-report?from=2025-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", api.operator)
    assert r.status_code == 200, r.text
    assert r.json()["measures"]["by_kind"] == {"sanction.no_campaigns": 1}
    assert api.call("GET", "/v1/transparency-report?from=2025-01-01T00:00:00Z").status_code == 422  # `to` missing
    bad = api.call("GET", "/v1/transparency-report?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "to"
    assert api.call("GET", "/v1/transparency-report?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", api.key("seller", "eu1")).status_code == 403
