"""`shopwarden consume` against real NATS JetStream and PostgreSQL: events applied once through the
routes' use cases, refusals dead-lettered with their problem, the outbox relayed (API.md "Events in")."""

from __future__ import annotations

import asyncio

from conftest import consumer, listing, messages, publish, scalar, shops, stream_count, violation, wait_for


def test_events_applied_once_refusals_dead_lettered_outbox_relayed(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    ids = shops(pg_ctx, 3)
    events = [violation(s, n) for n in range(10) for s in ids]
    events.append(violation(ids[0], 3))  # the same event twice: applied once
    events.append(("violation", "s0", b"{not json"))  # malformed: dead, never retried
    events.append(("violation", "s0", {"event_id": "ev-bad", "shop_id": "s0", "type": "missing_qualifications"}))  # no severity: 422
    events.append(("violation", "nope", {"event_id": "ev-noshop", "shop_id": "nope", "type": "missing_qualifications", "severity": "minor"}))
    events += [listing("s1", "p1", "Cotton shirt", 1), listing("s1", "p1", "Cotton shirt, blue", 2)]
    asyncio.run(publish(nats_url, prefix, events))
    proc = consumer(nats_url, prefix, pg_url, "--batch", "20", log=tmp_path / "consume.log")
    try:
        wait_for(lambda: scalar(pg_url, "SELECT count(*) FROM consumed_events") == 30 + 2 + 2, 60, what="every event consumed")
        wait_for(lambda: asyncio.run(stream_count(nats_url, prefix, "dead")) == 3, 30, what="three dead letters")
        outbox = scalar(pg_url, "SELECT count(*) FROM outbox")
        wait_for(lambda: asyncio.run(stream_count(nats_url, prefix, "out")) == outbox, 30, what="the outbox relayed")
    finally:
        proc.terminate()
        proc.wait(20)
    assert scalar(pg_url, "SELECT count(*) FROM violations") == 30
    assert scalar(pg_url, "SELECT max(version) FROM product_versions WHERE product_id = 'p1'") == 2  # in order, once each
    dead = {m.get("event_id"): m for m in asyncio.run(messages(nats_url, prefix, "dead"))}
    assert dead["ev-bad"]["problem"]["status"] == 422 and dead["ev-bad"]["problem"]["errors"][0]["field"] == "severity"
    assert dead["ev-noshop"]["problem"]["errors"][0]["field"] == "shop_id"
    assert dead[None]["problem"]["errors"][0]["field"] == "body" and dead[None]["_subject"] == f"{prefix}.dead.violation"
    out = asyncio.run(messages(nats_url, prefix, "out"))
    assert len({m["id"] for m in out}) == len(out) == outbox
    kinds = {m["kind"] for m in out}
    assert {"violation.issued", "listing.decided"} <= kinds
