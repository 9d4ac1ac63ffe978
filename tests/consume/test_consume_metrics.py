"""The consumer's figures (issue 20) against real NATS JetStream and PostgreSQL: events consumed and
dead-lettered by kind, lag per partition, measures, served by `shopwarden consume --metrics-port`;
a batch the database refused counted as failed, and the lag seen while events wait."""

from __future__ import annotations

import asyncio

import httpx
from nats_fixtures import consumer, free_port, publish, scalar, shops, violation, wait_for
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError

from shopwarden.consume import runner, streams


def scraped(port: int) -> dict[tuple[str, tuple], float]:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return {}
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in text_string_to_metric_families(text) for s in f.samples}


def test_consumed_dead_lettered_and_lag_are_served_by_the_consumer(nats_url, prefix, pg_ctx, pg_url, tmp_path):
    ids = shops(pg_ctx, 2)
    events = [violation(s, n) for n in range(5) for s in ids]
    events.append(violation(ids[0], 1))  # a redelivered duplicate: counted once
    events.append(("violation", "s0", b"{not json"))  # dead
    events.append(("refund", "s1", {"event_id": "ev-what", "shop_id": "s1"}))  # a kind no handler knows: dead, as `unknown`
    asyncio.run(publish(nats_url, prefix, events))
    port = free_port()
    proc = consumer(nats_url, prefix, pg_url, "--batch", "4", "--metrics-port", str(port), log=tmp_path / "consume.log")
    try:
        lag = [("stream", streams.stream(prefix, "in"))]

        def settled():
            got = scraped(port)
            lags = [v for (name, labels), v in got.items() if name == "shopwarden_consumer_lag_messages" and labels[1:] == tuple(lag)]
            done = got.get(("shopwarden_events_consumed_total", (("kind", "violation"),))) == 10 and \
                sum(v for (name, _), v in got.items() if name == "shopwarden_events_dead_lettered_total") == 2
            return got if done and lags and not any(lags) else None

        got = wait_for(settled, 60, what="the consumer's figures")
    finally:
        proc.terminate()
        proc.wait(20)
    assert scalar(pg_url, "SELECT count(*) FROM violations") == 10
    assert got[("shopwarden_events_dead_lettered_total", (("kind", "violation"),))] == 1
    assert got[("shopwarden_events_dead_lettered_total", (("kind", "unknown"),))] == 1
    assert got.get(("shopwarden_events_failed_total", (("kind", "violation"),)), 0) == 0
    partitions = {dict(labels)["partition"] for (name, labels) in got if name == "shopwarden_consumer_lag_messages"}
    assert partitions == set(streams.partitions_of(8))
    # 5 minor missing-qualification violations (6 points each) take each shop past 12 and 24 points (TT-PTS-3):
    # the sanctions the consumer's transactions start are counted where they commit, in this process
    assert got[("shopwarden_measures_total", (("kind", "sanction.no_campaigns"),))] >= 2


def test_a_refused_batch_counts_as_failed_and_the_lag_counts_what_waits(nats_url, prefix, pg_ctx, monkeypatch):
    ids = shops(pg_ctx, 1)
    asyncio.run(publish(nats_url, prefix, [violation(ids[0], n) for n in range(12)], partitions=1))
    stream = streams.stream(prefix, "in")
    lag_seen: list[float] = []
    calls = []
    real = runner.apply_batch

    def flaky(ctx, events, handle, problem_of, *many):
        lag_seen.append(REGISTRY.get_sample_value("shopwarden_consumer_lag_messages", {"stream": stream, "partition": "0"}))
        calls.append(len(events))
        if len(calls) == 1:
            raise OperationalError("INSERT ...", {}, ConnectionError("the database restarts"))
        return real(ctx, events, handle, problem_of, *many)

    monkeypatch.setattr(runner, "apply_batch", flaky)

    def failed() -> float:
        return REGISTRY.get_sample_value("shopwarden_events_failed_total", {"kind": "violation"}) or 0.0

    def consumed() -> float:
        return REGISTRY.get_sample_value("shopwarden_events_consumed_total", {"kind": "violation"}) or 0.0

    before_failed, before_consumed = failed(), consumed()
    c = runner.Consumer(pg_ctx, runner.Options(nats_url, prefix, batch=5, partitions=1, relay=False))

    async def run() -> None:
        task = asyncio.create_task(c.run())
        for _ in range(600):
            if consumed() - before_consumed >= 12 or task.done():
                break
            await asyncio.sleep(0.1)
        c.stop.set()
        await task

    asyncio.run(run())
    assert consumed() - before_consumed == 12
    assert failed() - before_failed == calls[0] == 5  # the first batch, refused once, then applied
    assert lag_seen[0] == 12  # the batch in hand and the 7 behind it
    assert REGISTRY.get_sample_value("shopwarden_consumer_lag_messages", {"stream": stream, "partition": "0"}) == 0
