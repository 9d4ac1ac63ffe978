"""Fixtures for the event consumer: a JetStream server, a prefix of one's own, a PostgreSQL schema.

NATS comes from SHOPWARDEN_TEST_NATS_URL (default the local server). Where none answers the
cases skip, except under CI=true, where they fail (as PostgreSQL's do)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import nats
import orjson
import pytest
import sqlalchemy as sa

from shopwarden.consume import streams
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context
from shopwarden.service.policies import load_builtin_packs
from shopwarden.service.shops import put_shop
from shopwarden.store.db import Database
from shopwarden.store.models import Base

NATS_URL = os.environ.get("SHOPWARDEN_TEST_NATS_URL", "nats://127.0.0.1:4222")
NATS_SERVER = os.environ.get("SHOPWARDEN_NATS_SERVER", "/usr/sbin/nats-server")
PLATFORM = Principal("k-platform", "platform", None)
SRC = str(Path(__file__).resolve().parents[2] / "src")


def answers(url: str) -> bool:
    u = urlparse(url)
    try:
        socket.create_connection((u.hostname, u.port or 4222), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def nats_url() -> str:
    if not answers(NATS_URL):
        if os.environ.get("CI") == "true":
            pytest.fail(f"NATS at {NATS_URL} is unreachable under CI=true")
        pytest.skip(f"no NATS at {NATS_URL}")
    return NATS_URL


@pytest.fixture
def prefix(nats_url):
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    asyncio.run(drop_streams(nats_url, name))


async def drop_streams(url: str, prefix: str) -> None:
    nc = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
    await streams.drop(nc.jetstream(), prefix)
    await nc.close()


@pytest.fixture
def pg_url(pg_schema_url) -> str:
    db = Database(pg_schema_url)
    tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with db.engine.begin() as c:
        c.exec_driver_sql(f"TRUNCATE {tables} CASCADE")
    db.dispose()
    return pg_schema_url


@pytest.fixture
def pg_ctx(pg_url):
    ctx = Context(db=Database(pg_url), packs=dict(load_builtin_packs()))
    yield ctx
    ctx.db.dispose()


def shops(ctx: Context, n: int) -> list[str]:
    ids = [f"s{i}" for i in range(n)]
    for shop_id in ids:
        put_shop(ctx, PLATFORM, shop_id, f"Shop {shop_id}", "seller", "tiktok-shop")
    return ids


def violation(shop_id: str, n: int) -> tuple[str, str, dict]:
    return "violation", shop_id, {"event_id": f"ev-{shop_id}-{n}", "shop_id": shop_id, "type": "missing_qualifications", "severity": "minor",
                                  "note": f"event {n}"}


def listing(shop_id: str, product_id: str, title: str, n: int) -> tuple[str, str, dict]:
    return "listing", shop_id, {"event_id": f"ev-{product_id}-{n}", "product_id": product_id, "shop_id": shop_id, "title": title,
                                "description": "plain cotton", "skus": [{"sku_id": "a", "price": "9.90"}]}


async def publish(url: str, prefix: str, events: list[tuple[str, str, dict | bytes]], partitions: int = 8) -> None:
    """Publish (kind, key, body) in order, each on its partition's subject (bytes go as they are)."""
    nc = await nats.connect(url, connect_timeout=2)
    js = nc.jetstream()
    await streams.ensure(js, prefix)
    for i in range(0, len(events), 500):
        chunk = events[i:i + 500]
        await asyncio.gather(*(js.publish(streams.subject_for(prefix, k, key, partitions), body if isinstance(body, bytes) else orjson.dumps(body))
                               for k, key, body in chunk))
    await nc.close()


async def stream_count(url: str, prefix: str, what: str) -> int:
    nc = await nats.connect(url, connect_timeout=2)
    js = nc.jetstream()
    try:
        return (await js.stream_info(streams.stream(prefix, what))).state.messages
    finally:
        await nc.close()


async def messages(url: str, prefix: str, what: str) -> list[dict]:
    """Every message of a stream, decoded (an ephemeral consumer reads it from the start)."""
    nc = await nats.connect(url, connect_timeout=2)
    js = nc.jetstream()
    out: list[dict] = []
    try:
        total = (await js.stream_info(streams.stream(prefix, what))).state.messages
        sub = await js.pull_subscribe(f"{prefix}.{what}.>", stream=streams.stream(prefix, what))
        while len(out) < total:
            for m in await sub.fetch(min(500, total - len(out)), timeout=5):
                out.append(orjson.loads(m.data) | {"_subject": m.subject})
                await m.ack()
    finally:
        await nc.close()
    return out


def scalar(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            return c.exec_driver_sql(sql).scalar()
    finally:
        engine.dispose()


def wait_for(check, timeout: float, every: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


def consumer(nats_url: str, prefix: str, db_url: str, *extra: str, log: Path | None = None, command: str = "consume",
             env: dict[str, str] | None = None) -> subprocess.Popen:
    """`shopwarden consume` (or `command`: work, relay) in a process of its own."""
    env = os.environ | {"PYTHONPATH": SRC, "SHOPWARDEN_DATABASE_URL": db_url, "ORT_DISABLE_TELEMETRY": "1"} | (env or {})
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - held by the child process
    return subprocess.Popen([sys.executable, "-m", "shopwarden.cli.main", command, "--nats", nats_url, "--prefix", prefix, *extra],
                            env=env, stdout=out, stderr=subprocess.STDOUT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """A TCP relay to PostgreSQL that can drop every connection and refuse new ones for a while:
    what a database restart looks like to its clients (the shared test server cannot be restarted)."""

    def __init__(self, target: tuple[str, int]):
        import threading

        self.target, self.port = target, free_port()
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._down_until = 0.0
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while not self._stop:
            try:
                client, _ = self._server.accept()
            except OSError:
                continue
            if time.monotonic() < self._down_until:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restart(self, down: float) -> None:
        """Drop every connection now; refuse new ones for `down` seconds."""
        self._down_until = time.monotonic() + down
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def url(self, url: str) -> str:
        return url.replace(f"{self.target[0]}:{self.target[1]}", f"127.0.0.1:{self.port}", 1)

    def close(self) -> None:
        self._stop = True
        self.restart(0)
        self._server.close()


class NatsServer:
    """A nats-server of the test's own (JetStream, its own port and store), to stop and start again."""

    def __init__(self, store: Path):
        self.port, self.store = free_port(), store
        self.url = f"nats://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if not os.access(NATS_SERVER, os.X_OK):
            if os.environ.get("CI") == "true":
                pytest.fail(f"no nats-server at {NATS_SERVER} under CI=true (scripts/ensure-nats.sh installs it)")
            pytest.skip(f"no nats-server at {NATS_SERVER}")
        self.proc = subprocess.Popen([NATS_SERVER, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.store)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: answers(self.url), 10, 0.05, "nats-server to answer")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None
