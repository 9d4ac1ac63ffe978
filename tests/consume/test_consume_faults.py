"""Faults with real NATS JetStream and PostgreSQL (issue 14): a consumer killed with SIGKILL mid-batch,
the database dropping every connection mid-batch, NATS restarted. Each time: nothing acknowledged
is lost, nothing is applied twice, every event ends committed or dead-lettered."""

from __future__ import annotations

import asyncio
import os
import signal
from urllib.parse import urlparse

from nats_fixtures import NatsServer, Proxy, consumer, publish, scalar, shops, stream_count, violation, wait_for

SHOPS, PER_SHOP = 30, 40
TOTAL = SHOPS * PER_SHOP


def _events(ids: list[str], dead_every: int = 0) -> list:
    out = []
    for n in range(PER_SHOP):
        for s in ids:
            out.append(violation(s, n))
    if dead_every:  # refusals among them: an unknown severity, dead-lettered
        for i in range(0, len(out), dead_every):
            kind, key, body = out[i]
            out.insert(i, (kind, key, body | {"event_id": body["event_id"] + "-bad", "severity": "catastrophic"}))
    return out


def _exactly_once(url: str, applied: int) -> None:
    assert scalar(url, "SELECT count(*) FROM violations") == applied
    assert scalar(url, "SELECT count(DISTINCT (shop_id, note)) FROM violations") == applied  # each event's note once: none applied twice
    assert scalar(url, "SELECT count(*) FROM consumed_events WHERE outcome = 'applied'") == applied


def _consumed(url: str) -> int:
    return scalar(url, "SELECT count(*) FROM consumed_events")


def test_kill_9_mid_batch_loses_nothing_and_applies_nothing_twice(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    # Two consumers share the partitions; one is killed (SIGKILL) while batches are in flight. Its
    # leases go with its connection, the other takes its partitions, and JetStream redelivers what
    # it had not acknowledged (after --ack-wait): applied once, because consumed_events says so.
    ids = shops(pg_ctx, SHOPS)
    asyncio.run(publish(nats_url, prefix, _events(ids)))
    args = ("--batch", "25", "--ack-wait", "3")
    a = consumer(nats_url, prefix, pg_url, *args, log=tmp_path / "a.log")
    b = consumer(nats_url, prefix, pg_url, *args, "--no-relay", log=tmp_path / "b.log")
    try:
        wait_for(lambda: _consumed(pg_url) > TOTAL // 5, 120, 0.05, "a fifth consumed")
        os.kill(a.pid, signal.SIGKILL)
        a.wait(10)
        assert _consumed(pg_url) < TOTAL, "killed too late to be mid-work"
        wait_for(lambda: _consumed(pg_url) == TOTAL, 180, what="every event consumed by the survivor")
    finally:
        for p in (a, b):
            if p.poll() is None:
                p.terminate()
                p.wait(20)
    _exactly_once(pg_url, TOTAL)


def test_database_gone_mid_batch_is_retried_in_order(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    # The consumer reaches PostgreSQL through a proxy that drops every connection and refuses new
    # ones for a second, twice, while batches are being applied: the batches in hand are retried
    # with back-off, never acknowledged before they commit; refusals still end dead-lettered.
    ids = shops(pg_ctx, SHOPS)
    events = _events(ids, dead_every=100)
    dead = len(events) - TOTAL
    asyncio.run(publish(nats_url, prefix, events))
    u = urlparse(pg_url.replace("postgresql+psycopg", "postgresql", 1))
    proxy = Proxy((u.hostname, u.port or 5432))
    proc = consumer(nats_url, prefix, proxy.url(pg_url), "--batch", "25", log=tmp_path / "consume.log")
    try:
        for share in (4, 2):
            wait_for(lambda share=share: _consumed(pg_url) > TOTAL // share, 120, 0.05, f"1/{share} consumed")
            proxy.restart(down=1.0)
        wait_for(lambda: _consumed(pg_url) == len(events), 180, what="every event consumed")
        wait_for(lambda: asyncio.run(stream_count(nats_url, prefix, "dead")) == dead, 30, what="the dead letters")
    finally:
        proc.terminate()
        proc.wait(20)
        proxy.close()
    _exactly_once(pg_url, TOTAL)
    assert "waits" in (tmp_path / "consume.log").read_text()  # it did meet the outage


def test_nats_restarted_loses_nothing(prefix, pg_ctx, pg_url, tmp_path):
    # A nats-server of our own (file store) is stopped and started again mid-stream: the durable
    # consumers and the streams survive, the consumer and the relay reconnect, and every event and
    # every outbox row comes through once.
    server = NatsServer(tmp_path / "js")
    server.start()
    ids = shops(pg_ctx, SHOPS)
    events = _events(ids)
    half = len(events) // 2
    asyncio.run(publish(server.url, prefix, events[:half]))
    proc = consumer(server.url, prefix, pg_url, "--batch", "25", "--ack-wait", "3", log=tmp_path / "consume.log")
    try:
        wait_for(lambda: _consumed(pg_url) > half // 3, 120, 0.05, "a third of the first half consumed")
        server.stop()
        server.start()
        asyncio.run(publish(server.url, prefix, events[half:]))
        wait_for(lambda: _consumed(pg_url) == TOTAL, 180, what="every event consumed")
        outbox = scalar(pg_url, "SELECT count(*) FROM outbox")
        wait_for(lambda: asyncio.run(stream_count(server.url, prefix, "out")) == outbox, 60, what="every outbox row published once")
    finally:
        proc.terminate()
        proc.wait(20)
        server.stop()
    _exactly_once(pg_url, TOTAL)
