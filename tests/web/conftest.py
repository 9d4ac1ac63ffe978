"""The page tests' fixtures: a seeded context, an in-process client signed in as a role, and for the
browser tests a real server (uvicorn in a thread, on a free port, on a temporary SQLite file)
driven by Debian's Chromium (/usr/bin/chromium) through Playwright. Under CI=true a missing
browser fails the browser tests; elsewhere they skip."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopwarden.api.app import create_app
from shopwarden.service.context import Context
from shopwarden.service.policies import load_builtin_packs
from shopwarden.store.db import Database
from tests.conftest import FrozenClock
from tests.web.seed import T0, seed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Where the browser tests save their screenshots: a scratch folder, so `make test` leaves the
# checkout clean; `make screenshots` points it at docs/screenshots/ to retake the README's pictures.
SCREENSHOTS = Path(os.environ.get("SHOPWARDEN_SCREENSHOTS") or Path(tempfile.gettempdir()) / "shopwarden-screenshots")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


class Pages:
    """An in-process browser stand-in: one cookie jar, signed in with a key."""

    def __init__(self, app, key: str | None = None):
        self.client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        if key is not None:
            self.sign_in(key)

    def sign_in(self, key: str):
        token = csrf_of(self.client.get("/signin").text)
        r = self.client.post("/signin", data={"csrf": token, "key": key})
        assert r.status_code == 303, r.text
        return r

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def token(self) -> str:
        """This session's CSRF token, as every form of it carries (the sign-in form shows it too)."""
        return csrf_of(self.client.get("/signin").text)

    def post(self, url: str, data: dict, token: str | None = "auto", **kw):
        """POST a form with this session's CSRF token ('auto'), another token, or none (None)."""
        if token == "auto":
            token = self.token()
        return self.client.post(url, data=(data | {"csrf": token}) if token is not None else data, **kw)


@pytest.fixture
def web_ctx(ctx):
    ctx.clock.now = T0
    return ctx


@pytest.fixture
def seeded(web_ctx):
    return seed(web_ctx)


@pytest.fixture
def web_app(web_ctx):
    return create_app(web_ctx)


@pytest.fixture
def as_role(web_app, seeded):
    """`as_role("seller_a")`: a client signed in with that seeded key."""
    return lambda role: Pages(web_app, seeded.keys[role])


# ---- a real server and a real browser ----


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, app):
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the page server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live_ctx(tmp_path, sqlite_template):
    path = tmp_path / "live.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    ctx = Context(db=db, packs=dict(load_builtin_packs()), clock=FrozenClock(T0))
    yield ctx
    db.dispose()


@pytest.fixture
def live(live_ctx):
    """(base url, context, seeded ids and keys) of a running server."""
    seeded = seed(live_ctx)
    with LiveServer(create_app(live_ctx)) as server:
        yield server.url, live_ctx, seeded


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Debian's chromium is not installed at {CHROMIUM} (scripts/ensure-chromium.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — required under CI=true")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"playwright is not installed: {exc}")
        pytest.skip(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def tab(browser):
    """A fresh browser context (its own cookies) and page, phone-sized by default (390 px)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
