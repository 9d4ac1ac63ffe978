"""What the schemathesis runs (tests/api/test_schemathesis.py, and longer hunts on PostgreSQL) found,
one test each, on SQLite and PostgreSQL (the `api` fixture runs both)."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

NUL = "a\x00b"


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (shade, 1, 2)).save(out, "PNG")
    return out.getvalue()


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


@pytest.mark.parametrize(("method", "url", "body"), [
    ("PUT", "/v1/shops/s2", {"name": NUL, "kind": "enterprise", "policy": "tiktok-shop"}),
    ("POST", "/v1/violations", {"shop_id": "s1", "type": "counterfeit", "severity": "minor", "note": NUL}),
    ("POST", "/v1/violations", {"shop_id": "s1", "type": "counterfeit", "severity": "minor", "evidence": [{"kind": "text", "value": NUL}]}),
    ("POST", "/v1/messages", {"shop_id": "s1", "sender": "buyer", "text": NUL}),
    ("PUT", "/v1/brands/b1", {"name": NUL}),
    ("POST", "/v1/shops/s1/contact-declarations", {"kind": "phone", "value": "123" + NUL, "reason": "after-sales"}),
    ("PUT", "/v1/shops/s1/identity", {"device": [NUL]}),
    ("POST", "/v1/orders", {"order_id": "o1", "shop_id": "s1", "product_id": "p1", "buyer_id": "b1", "device": NUL}),
    ("PUT", "/v1/products/p1", {"shop_id": "s1", "title": "t", "attributes": {NUL: "v"}, "skus": [{"sku_id": "k", "price": 1.0}]}),
])
def test_a_nul_character_in_a_body_is_422_not_500(api, method, url, body):
    """Found: `{"name": "a\\u0000b", …}` on PUT /v1/shops (and every write with text) answered 500 on
    PostgreSQL, which cannot store U+0000 in text (psycopg DataError); SQLite stored it. Every body
    (schemas.Body) now refuses the character with a 422 naming the field."""
    api.shop("s1")
    problem = _problem(api.call(method, url, json=body), 422)
    assert "NUL" in problem["detail"]


@pytest.mark.parametrize("shop_id", ["s" * 65, NUL, "bad shop"])
@pytest.mark.parametrize("as_form", [False, True])
def test_an_image_upload_checks_its_shop_id(api, shop_id, as_form):
    """Found: POST /v1/images with a valid image and a 65-character (or NUL-bearing) `shop_id`
    answered 500 on PostgreSQL (images.first_shop_id is VARCHAR(64)); the handler took any string.
    It is now checked as every other shop id is (schemas.Id) and documented so."""
    if as_form:
        r = api.call("POST", "/v1/images", files={"file": ("a.png", _png(3), "image/png")}, data={"shop_id": shop_id})
    else:
        r = api.call("POST", "/v1/images", json={"data": base64.b64encode(_png(3)).decode(), "shop_id": shop_id})
    assert _problem(r, 422)["errors"][0]["field"] == "shop_id"
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(_png(4)).decode(), "shop_id": "ok-shop"})
    assert r.status_code == 201, r.text


def test_a_body_that_is_not_utf8_is_422(api):
    """Found: a JSON body with bytes that are not UTF-8 (`{%\\x12<~a\\xff…`) answered FastAPI's
    400 "There was an error parsing the body", which the OpenAPI does not list; malformed input
    is a 422 (API.md)."""
    api.shop("s1")
    r = api.call("POST", "/v1/violations", key=api.platform | {"Content-Type": "application/json"}, content=b"{\"shop_id\": \"s1\xff\xfe\"}")
    assert _problem(r, 422)["errors"][0]["field"] == "body"


def test_a_multipart_form_with_too_many_parts_is_422(api):
    """Found: POST /v1/images as multipart with more than 4 fields answered Starlette's 400
    "Too many fields", undocumented; now a 422 problem."""
    fields = {f"f{i}": "x" for i in range(6)}
    r = api.call("POST", "/v1/images", files={"file": ("a.png", _png(5), "image/png")}, data=fields)
    _problem(r, 422)


def test_the_openapi_documents_what_the_operations_answer(api):
    """Found by response conformance: health's 200 was documented as a string (FastJSON is not a
    JSONResponse); PUT /v1/shops and PUT /v1/brands answer 201 on create, POST /v1/orders, /v1/reviews,
    /v1/images and /v1/protected-images 200 on a repeat, POST /v1/messages 409 for a message_id it
    has scanned, and any body over the limit 413 — none listed."""
    doc = api.client.get("/openapi.json").json()
    paths = doc["paths"]
    assert paths["/v1/shops/{shop_id}/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "object"
    assert "201" in paths["/v1/shops/{shop_id}"]["put"]["responses"]
    assert "201" in paths["/v1/brands/{brand_id}"]["put"]["responses"]
    for path in ("/v1/orders", "/v1/reviews", "/v1/images", "/v1/protected-images"):
        assert "200" in paths[path]["post"]["responses"], path
    assert "409" in paths["/v1/messages"]["post"]["responses"]  # a message_id scanned before
    for path, ops in paths.items():
        for method, op in ops.items():
            if "requestBody" in op:
                assert "413" in op["responses"], (method, path)


def test_the_openapi_links_operations_to_the_ids_they_take(api):
    """The links (api/links.py) name operations that exist, with parameters those operations take,
    and the document stays valid OpenAPI 3.1 (the meta-schema schemathesis ships)."""
    import jsonschema_rs
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    doc = api.client.get("/openapi.json").json()
    assert [str(e) for e in jsonschema_rs.validator_for(OPENAPI_31).iter_errors(doc)] == []
    by_id = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    count = 0
    for ops in doc["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                for name, link in response.get("links", {}).items():
                    target = by_id[link["operationId"]]
                    names = {(p["in"], p["name"]) for p in target.get("parameters", [])}
                    for qualified in link.get("parameters", {}):
                        where, _, param = qualified.partition(".")
                        assert (where, param) in names, (name, qualified)
                    assert "requestBody" not in link or "requestBody" in target, name
                    count += 1
    assert count > 100
    # a walk can reach every operation that takes an id from some response
    targets = {link["operationId"] for ops in doc["paths"].values() for op in ops.values()
               for r in op["responses"].values() for link in r.get("links", {}).values()}
    unreached = [f"{m.upper()} {p}" for p, ops in doc["paths"].items() for m, op in ops.items()
                 if "{" in p and op["operationId"] not in targets]
    assert not unreached, unreached


@pytest.mark.parametrize("measure_id", [NUL, "", "a b", "x" * 201])
def test_a_statements_search_by_an_impossible_measure_id_is_422(api, measure_id):
    """GET /v1/statements?measure_id= with a NUL was a 500 on PostgreSQL (a text field cannot hold one):
    a measure id is an id (or shop:sanction), anything else is a 422 naming the parameter."""
    problem = _problem(api.call("GET", "/v1/statements", params={"measure_id": measure_id}), 422)
    assert "measure_id" in str(problem)
    assert api.call("GET", "/v1/statements", params={"measure_id": "s1:default-12-no_campaigns-20260101T000000000000"}).status_code == 200
