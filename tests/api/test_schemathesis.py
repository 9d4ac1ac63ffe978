"""No malformed request gets a 500: schemathesis over the served OpenAPI document (SQLite)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from shopwarden.api.app import create_app
from shopwarden.service.auth import create_key
from shopwarden.service.context import Context
from shopwarden.service.policies import load_builtin_packs
from shopwarden.service.shops import put_shop
from shopwarden.service.auth import Principal
from shopwarden.store.db import Database

_dir = tempfile.mkdtemp(prefix="sw-schemathesis-")
_ctx = Context(db=Database(f"sqlite:///{Path(_dir) / 'st.db'}"), packs=dict(load_builtin_packs()))
_ctx.db.upgrade()
put_shop(_ctx, Principal("t", "platform", None), "s1", "Shop", "enterprise", "tiktok-shop")
APP = create_app(_ctx)
KEY = create_key(_ctx, "platform")

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Malformed requests too, not only valid ones: the point is that nothing a client sends gives a 500.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_500_and_errors_are_problems(case):
    response = case.call(headers={"Authorization": f"Bearer {KEY}"})
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        content_type = response.headers.get("content-type")
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert str(content_type).startswith("application/problem+json"), (case.path, response.status_code, content_type)
