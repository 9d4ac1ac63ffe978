"""An in-process API client and keys for each role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopwarden.api.app import create_app
from shopwarden.service.auth import create_key


class Api:
    def __init__(self, client: TestClient, ctx):
        self.client, self.ctx = client, ctx
        self.platform = self.key("platform")
        self.operator = self.key("operator")

    def key(self, role: str, shop: str | None = None) -> dict:
        return {"Authorization": f"Bearer {create_key(self.ctx, role, shop)}"}

    def call(self, method: str, url: str, key: dict | None = None, **kw):
        return self.client.request(method, url, headers=key if key is not None else self.platform, **kw)

    def shop(self, shop_id: str = "s1", policy: str = "tiktok-shop", kind: str = "enterprise"):
        r = self.call("PUT", f"/v1/shops/{shop_id}", json={"name": shop_id, "kind": kind, "policy": policy})
        assert r.status_code in (200, 201), r.text
        return r.json()

    def violation(self, shop_id: str = "s1", **body):
        payload = {"shop_id": shop_id, "type": "prohibited_products", "severity": "minor", "issued_at": "2025-12-01T00:00:00Z",
                   "evidence": [{"kind": "text", "value": "listing text"}]} | body
        r = self.call("POST", "/v1/violations", json=payload)
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture
def api(ctx) -> Api:
    from shopwarden.service import analysis

    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield Api(client, ctx)
    analysis.stop(ctx, timeout=600)  # listings' images still being analysed: done, and the thread ended, before the next test
