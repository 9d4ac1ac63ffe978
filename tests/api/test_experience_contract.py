"""GET /v1/shops/{shop_id}/experience answers as shared/spec/API.md says ("After-sales, complaints and
the experience score"): its field names and types, its times as instants with a zone like every other
time of the contract, and its statuses (200, 401, 403, 404, 422)."""

from __future__ import annotations

from datetime import datetime

from tests.api.test_experience import D, H, iso, setup
from tests.api.test_poor_quality_notices import _determined
from tests.conftest import T0

NUMBER, TEXT, OPT_NUMBER = (int, float), str, (int, float, type(None))
TOP = {"shop_id": TEXT, "at": TEXT, "window_days": int, "score": OPT_NUMBER, "orders": int, "industry": (str, type(None)),
       "indicators": list, "products": list, "determinations": list, "forecast": list}
INDICATOR = {"id": TEXT, "group": TEXT, "value": OPT_NUMBER, "industry_mean": OPT_NUMBER, "count": int, "of": int, "score": OPT_NUMBER}
PRODUCT = {"product_id": TEXT, "negative_feedback_rate": OPT_NUMBER, "lower_bound": NUMBER, "industry_mean": OPT_NUMBER, "orders": int, "poor_quality": bool}
DETERMINATION = {"id": TEXT, "subject": TEXT, "rule": TEXT, "measures": list, "at": TEXT}
FORECAST = {"at": TEXT, "score": OPT_NUMBER, "why": TEXT}


def _typed(doc: dict, spec: dict, where: str) -> None:
    for name, kind in spec.items():
        assert name in doc, f"{where}: no {name}"
        assert isinstance(doc[name], kind) and not (kind is int and isinstance(doc[name], bool)), f"{where}.{name}: {doc[name]!r}"


def _instant(text: str) -> None:
    assert text.endswith("Z") and datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None, text


def _market(api) -> dict:
    _determined(api)
    r = api.call("GET", "/v1/shops/d1/experience", params={"at": iso(T0 + 10 * D + H)})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_document_has_the_contract_s_fields_and_types(api):
    # rule DY-QL-5: the score, each indicator beside the industry mean, the products, the determinations, the forecast
    doc = _market(api)
    _typed(doc, TOP, "experience")
    assert (doc["shop_id"], doc["window_days"], doc["industry"]) == ("d1", 90, "home")
    for i in doc["indicators"]:
        _typed(i, INDICATOR, f"indicators[{i['id']}]")
    for p in doc["products"]:
        _typed(p, PRODUCT, f"products[{p['product_id']}]")
    [d] = doc["determinations"]
    _typed(d, DETERMINATION, "determinations[0]")
    assert d["rule"] == "DY-QL-3" and d["subject"] == "product:p1"
    assert doc["forecast"] and all(_typed(f, FORECAST, "forecast") is None for f in doc["forecast"])


def test_every_time_in_it_is_an_instant_with_a_zone_as_everywhere(api):
    # API.md conventions: times are ISO 8601 with a zone (2026-03-01T08:00:00Z); a determination's measures were "+00:00"
    doc = _market(api)
    _instant(doc["at"])
    for d in doc["determinations"]:
        _instant(d["at"])
        for m in d["measures"]:
            _instant(m["starts_at"])
            _instant(m["ends_at"])
    for f in doc["forecast"]:
        _instant(f["at"])


def test_its_statuses(api):
    # API.md conventions: 401 no key, 403 another shop's data, 404 unknown id, 422 malformed
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + D
    assert api.call("GET", "/v1/shops/d1/experience").status_code == 200
    assert api.call("GET", "/v1/shops/d1/experience", {"Authorization": "Bearer nope"}).status_code == 401
    assert api.call("GET", "/v1/shops/d2/experience", api.key("seller", "d1")).status_code == 403
    assert api.call("GET", "/v1/shops/unknown/experience").status_code == 404
    bad = api.call("GET", "/v1/shops/d1/experience", params={"at": "yesterday"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "at"
    assert api.call("GET", "/v1/shops/d1/experience").json()["score"] is None  # no orders: null, never a low score
