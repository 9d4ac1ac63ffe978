"""The `make run` demo's DSA parts: its export passes the Transparency Database validator, and the notices
queue holds an item (README: every console queue holds one)."""

from __future__ import annotations

from shopwarden.service import demo, notices, statements
from shopwarden.service.auth import Principal
from tests.service.tdb_validator import batch_errors

PLATFORM = Principal("k-platform", "platform", None)


def test_the_demo_exports_valid_batches_with_a_notice_and_queues_one(ctx):
    # DSA Art. 24(5), Art. 16, 22: the demo's statements include one on a trusted flagger's notice
    demo.seed_if_new(ctx, True)
    out = statements.export(ctx, PLATFORM, None, None, max_batches=100)
    seen: set[str] = set()
    assert out.batches and out.withheld == []
    assert all(batch_errors(b, seen) == [] for b in out.batches)
    sources = {s["source_type"] for b in out.batches for s in b["statements"]}
    assert {"SOURCE_TRUSTED_FLAGGER", "SOURCE_VOLUNTARY", "SOURCE_TYPE_OTHER_NOTIFICATION"} <= sources
    assert [n["notifier"]["kind"] for n in notices.search(ctx, PLATFORM, pending=True)] == ["rights_owner"]
