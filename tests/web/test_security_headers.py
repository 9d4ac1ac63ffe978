"""Security headers (api/security_headers.py): every HTML page carries a Content-Security-Policy that
the templates need no exception to (no inline script), nosniff and a Referrer-Policy everywhere, and
HSTS only over https, including https as a trusted proxy reports it (uvicorn's proxy headers)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from shopwarden.api.security_headers import PAGE_POLICY
from shopwarden.web.pages import PageRoute

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "shopwarden" / "web" / "templates"
POLICY = {d.split()[0]: d.split()[1:] for d in PAGE_POLICY.split("; ")}


def _page_urls() -> list[str]:
    """Every page a GET reaches, with its path parameters filled (a shop of the seed, or an unknown id: an error page)."""
    from shopwarden.web import console, images, seller, signin

    urls = []
    for route in signin.router.routes + seller.router.routes + images.router.routes + console.router.routes:
        if isinstance(route, PageRoute) and "GET" in route.methods:
            urls.append(re.sub(r"\{(\w+)\}", lambda m: "web-a" if m.group(1) == "shop_id" else "nope", route.path))
    return urls


def _assert_page_headers(r) -> None:
    csp = r.headers.get("content-security-policy")
    assert csp == PAGE_POLICY, (r.url, csp)
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY" and "strict-transport-security" not in r.headers


def test_the_policy_forbids_inline_script_framing_and_foreign_forms():
    assert POLICY["default-src"] == ["'self'"] and POLICY["script-src"] == ["'self'"] and POLICY["style-src"] == ["'self'"]
    assert POLICY["frame-ancestors"] == ["'none'"] and POLICY["form-action"] == ["'self'"] and POLICY["object-src"] == ["'none'"]
    assert not any("unsafe" in v or "data:" in v for k, vs in POLICY.items() if k != "style-src-attr" for v in vs)


def test_every_page_carries_the_headers(web_app, as_role):
    urls = _page_urls()
    assert len(urls) >= 15
    html = 0
    for role in ("operator", "seller_a"):
        client = as_role(role)
        for url in urls:
            r = client.get(url)
            if r.headers.get("content-type", "").startswith("text/html"):
                _assert_page_headers(r)
                html += 1
            else:
                assert r.headers["x-content-type-options"] == "nosniff", url
    assert html >= 20
    signin = TestClient(web_app).get("/signin")
    _assert_page_headers(signin)


def test_api_answers_and_refusals_carry_nosniff_but_no_page_policy(web_app):
    client = TestClient(web_app, raise_server_exceptions=False)
    for r in (client.get("/healthz"), client.get("/v1/shops/web-a/health"), client.get("/v1/nothing-here"),
              client.post("/v1/violations", content=b"x" * (2 << 20))):
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
        assert "content-security-policy" not in r.headers and "strict-transport-security" not in r.headers


def test_hsts_only_over_https(web_app):
    assert "strict-transport-security" not in TestClient(web_app).get("/signin").headers
    secure = TestClient(web_app, base_url="https://testserver").get("/signin")
    assert secure.headers["strict-transport-security"].startswith("max-age=") and int(secure.headers["strict-transport-security"][8:]) >= 15552000
    assert TestClient(web_app, base_url="https://testserver").get("/healthz").headers["strict-transport-security"]


def test_hsts_when_a_trusted_proxy_says_https(web_app):
    """As uvicorn serves it: ProxyHeadersMiddleware rewrites the scheme only for a trusted peer."""
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    trusted = TestClient(ProxyHeadersMiddleware(web_app, trusted_hosts="*")).get("/signin", headers=forwarded)
    assert "strict-transport-security" in trusted.headers
    untrusted = TestClient(ProxyHeadersMiddleware(web_app, trusted_hosts="10.9.9.9")).get("/signin", headers=forwarded)
    assert "strict-transport-security" not in untrusted.headers


def test_templates_need_no_inline_script():
    """What the policy would block: inline <script>, event-handler attributes, javascript: links.
    The transparency report's stand-alone file (`shopwarden report --html`, web/transparency.standalone)
    is written to disk for offline reading, never served: its styles are inlined on purpose, but it
    carries no script either."""
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if path.name == "transparency_report.html":
            assert "<script" not in text and "javascript:" not in text.lower() and not re.search(r"\son[a-z]+\s*=", text), path
            continue
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "javascript:" not in text.lower() and "<style" not in text, path
