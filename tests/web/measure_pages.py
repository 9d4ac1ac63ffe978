"""How long the pages take to render in-process (p50/p95 over N requests each), beside the API's
health read for scale: `ORT_DISABLE_TELEMETRY=1 .venv/bin/python -m tests.web.measure_pages [N]`.

Not a test (nothing asserts a figure): a measurement to report. It seeds the demo marketplace
plus the page tests' shops on a fresh SQLite file, signs in through the sign-in form, and times
each page through the whole ASGI stack (session cookie, CSRF-checking route, service calls, Jinja).
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time

from fastapi.testclient import TestClient

from shopwarden.api.app import create_app
from shopwarden.service import pages
from shopwarden.service.context import open_context
from shopwarden.service.demo import seed_if_new
from tests.web.seed import PLATFORM, seed


def _signed_in(app, key: str) -> TestClient:
    c = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text).group(1)
    assert c.post("/signin", data={"csrf": token, "key": key}).status_code == 303
    return c


def _time(client: TestClient, url: str, n: int, headers: dict | None = None) -> tuple[float, float]:
    for _ in range(5):
        assert client.get(url, headers=headers).status_code == 200, url
    took = []
    for _ in range(n):
        t = time.perf_counter()
        client.get(url, headers=headers)
        took.append((time.perf_counter() - t) * 1000)
    took.sort()
    return statistics.median(took), took[int(len(took) * 0.95) - 1]


def main(n: int = 200) -> None:
    ctx = open_context(f"sqlite:///{tempfile.mkdtemp()}/measure.db")
    demo = seed_if_new(ctx, True)
    seeded = seed(ctx)
    app = create_app(ctx)
    seller, operator = _signed_in(app, seeded.keys["seller_a"]), _signed_in(app, seeded.keys["operator"])
    case_id = pages.case_queue(ctx, PLATFORM, "open", None, None, 1)[0]["id"]
    rows = [
        ("API GET /v1/shops/web-a/health (reference)", TestClient(app), "/v1/shops/web-a/health", {"Authorization": f"Bearer {demo.platform_key}"}),
        ("store diagnosis", seller, "/shop/web-a", None),
        ("violation records", seller, "/shop/web-a/violations", None),
        ("violation record", seller, f"/shop/web-a/violations/{seeded.ids['a_counterfeit']}", None),
        ("notices", seller, "/shop/web-a/notices", None),
        ("appeal queue", operator, "/console/queues/appeals", None),
        ("appeal item", operator, f"/console/appeals/{seeded.ids['d_appeal']}", None),
        ("case item", operator, f"/console/cases/{case_id}", None),
        ("shop timeline", operator, "/console/shops/web-a", None),
    ]
    print(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8}   (n={n}, SQLite, one process)")
    for name, client, url, headers in rows:
        p50, p95 = _time(client, url, n, headers)
        print(f"{name:45} {p50:8.2f} {p95:8.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
