"""The pages' Content-Security-Policy (api/security_headers.py) in a real browser: a seller's and an
operator's journey reports no policy violation, the stylesheet and the gauges' style attributes
apply, and the pages' script runs (the error page's back button appears)."""

from __future__ import annotations

from tests.web.test_web_browser import sign_in

WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


def test_the_pages_keep_working_under_the_policy(live, tab):
    base, _, seeded = live
    tab.add_init_script(WATCH)
    messages = []
    tab.on("console", lambda m: messages.append(m.text))
    sign_in(tab, base, seeded.keys["seller_a"])
    response = tab.goto(f"{base}/shop/web-a")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert tab.evaluate("getComputedStyle(document.querySelector('header.top')).display") != "inline"  # app.css applied
    assert tab.evaluate("document.querySelector('.gauge span').getBoundingClientRect().width") > 0  # a style attribute applied
    assert tab.evaluate("window.__csp") == []
    for path in (f"/shop/web-a/violations/{seeded.ids['a_counterfeit']}", "/shop/web-a/notices", "/shop/web-a/violations/nope"):
        tab.goto(base + path)
        assert tab.evaluate("window.__csp") == [], path
    assert tab.is_visible("[data-back]")  # app.js ran on the error page
    sign_in(tab, base, seeded.keys["operator"])
    for path in ("/console/queues/appeals", "/console/shops/web-a", "/console/policies"):
        tab.goto(base + path)
        assert tab.evaluate("window.__csp") == [], path
    assert not [m for m in messages if "Content Security Policy" in m]
