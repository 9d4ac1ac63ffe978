"""Pack versions on the live path (issue 17): a violation is issued under the version in force at its
instant, the standing judges each instant by the version in force then (TT-PTS-1, TT-PTS-3)."""

from __future__ import annotations

from datetime import timedelta

from shopwarden.core.policy.versions import schedule
from shopwarden.service import health, violations
from shopwarden.service.auth import Principal
from shopwarden.service.shops import put_shop
from tests.conftest import T0

PLATFORM = Principal("t", "platform", None)
D = timedelta(days=1)


def _v2(pack, at):
    """tiktok-shop from `at` on: `prohibited_products/general` 8 points, the first threshold at 18."""
    types = [t.model_dump() for t in pack.violation_types]
    for t in types:
        if t["type"] == "prohibited_products":
            t["severities"]["general"]["points"] = 8
    ladder = [th.model_dump() for th in pack.thresholds]
    ladder[0]["points"] = 18
    return type(pack).model_validate(pack.model_dump() | {"version": "2026.v2", "effective_from": at, "violation_types": types, "thresholds": ladder})


def test_a_scheduled_version_applies_from_its_instant_on(ctx):
    live = ctx.packs["tiktok-shop"]
    ctx.packs.update(schedule([live, _v2(live, T0 + 10 * D)]))
    assert live._versions == ()  # the shipped (cached, shared) pack is not changed: other contexts keep one version
    put_shop(ctx, PLATFORM, "s1", "s1", "enterprise", "tiktok-shop")
    assert ctx.pack("tiktok-shop").version == live.version  # T0: version 2 is scheduled, not in force
    before = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="prohibited_products", severity="general", issued_at=T0 - D))
    ctx.clock.now = T0 + 12 * D
    after = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="s1", type="prohibited_products", severity="general", issued_at=T0 + 11 * D))
    assert (before.as_json()["points"], after.as_json()["points"]) == (12, 8)  # TT-PTS-1: each under the version in force when issued
    doc = health.health(ctx, PLATFORM, "s1", T0 + 12 * D).as_json()
    # TT-PTS-3: the 12-point sanction started under version 1 runs; 20 points under version 2's ladder is "medium" (18)
    assert doc["points"] == 20 and doc["level"] == "medium"
    assert ctx.pack("tiktok-shop").version == "2026.v2"
