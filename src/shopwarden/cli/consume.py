"""`shopwarden consume` and `shopwarden relay` (API.md "Events in and decisions out")."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer

NATS = typer.Option("--nats", help="the NATS server (JetStream enabled)")
PREFIX = typer.Option(help="replaces `shopwarden` in every subject and stream name")


def _context():
    from shopwarden.cli.shell import context

    return context()


def _until_signalled(main, stop: asyncio.Event) -> None:
    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await main

    asyncio.run(run())


def consume(
    nats_url: Annotated[str, NATS] = "nats://127.0.0.1:4222",
    prefix: Annotated[str, PREFIX] = "shopwarden",
    kinds: Annotated[str, typer.Option(help="the kinds applied, comma-separated; others are dead-lettered")] = "",
    batch: Annotated[int, typer.Option(min=1, max=10_000, help="events per transaction (and per partition in flight)")] = 200,
    partitions: Annotated[int, typer.Option(min=1, max=1024, help="the partition count publishers use (subject_for); the same in every consumer")] = 8,
    ack_wait: Annotated[float, typer.Option(min=1, help="seconds before an unacknowledged event is redelivered")] = 30.0,
    no_relay: Annotated[bool, typer.Option("--no-relay", help="do not run the outbox relay in this process")] = False,
    metrics_port: Annotated[int, typer.Option(min=0, max=65535, help="serve this process's Prometheus metrics on --metrics-host:PORT/metrics (0: not served)")] = 0,
    metrics_host: Annotated[str, typer.Option(help="the interface of --metrics-port (an internal one)")] = "127.0.0.1",
) -> None:
    """Apply events from NATS JetStream (`<prefix>.in.<kind>[.<partition>]`) with the HTTP routes' use cases.
    Its figures (events consumed, failed and dead-lettered by kind, lag per partition, measures) are
    scraped from --metrics-port, or summed into `serve`'s /metrics through a shared PROMETHEUS_MULTIPROC_DIR."""
    from shopwarden.consume import handlers
    from shopwarden.consume.runner import Consumer, Options

    accepted = frozenset(k for k in kinds.split(",") if k) or frozenset(handlers.KINDS)
    unknown = accepted - set(handlers.KINDS)
    if unknown:
        raise typer.BadParameter(f"unknown kinds {', '.join(sorted(unknown))}; allowed: {', '.join(handlers.KINDS)}", param_hint="--kinds")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if metrics_port:
        from shopwarden import metrics

        metrics.serve(metrics_port, metrics_host)
    c = Consumer(_context(), Options(nats_url, prefix, accepted, batch, partitions, ack_wait, relay=not no_relay))
    _until_signalled(c.run(), c.stop)


def relay(
    nats_url: Annotated[str, NATS] = "nats://127.0.0.1:4222",
    prefix: Annotated[str, PREFIX] = "shopwarden",
) -> None:
    """Publish the outbox on `<prefix>.out.<kind>` (only the relay; `consume` runs one too)."""
    from shopwarden.consume import streams
    from shopwarden.consume.relay import run_relay
    from shopwarden.consume.runner import connect

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    ctx, stop = _context(), asyncio.Event()

    async def main() -> None:
        nc = await connect(nats_url)
        js = nc.jetstream()
        await streams.ensure(js, streams.check_prefix(prefix))
        try:
            await run_relay(ctx, js, prefix, stop)
        finally:
            await nc.close()

    _until_signalled(main(), stop)


def work(
    nats_url: Annotated[str, NATS] = "nats://127.0.0.1:4222",
    prefix: Annotated[str, PREFIX] = "shopwarden",
    batch: Annotated[int, typer.Option(min=1, max=1000, help="work items per batch (one transaction; their images are read first)")] = 16,
    ack_wait: Annotated[float, typer.Option(min=1, help="seconds before a dead worker's batch is delivered to another")] = 120.0,
) -> None:
    """Analyse listings' images (QR, OCR, copied-image matching) off the request path: `<prefix>.work.>`.
    The processes that write (API, consume) and the relay run with SHOPWARDEN_WORK=nats."""
    from shopwarden.consume.work import Worker, WorkOptions

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    ctx = _context()
    ctx.work = "nats"
    w = Worker(ctx, WorkOptions(nats_url, prefix, batch, ack_wait))
    _until_signalled(w.run(), w.stop)


def register(app: typer.Typer) -> None:
    app.command()(consume)
    app.command()(relay)
    app.command()(work)
