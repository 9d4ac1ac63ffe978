"""Page sessions end on the server, on SQLite and PostgreSQL: a cookie copied before sign-out opens
nothing after it; idle and absolute lifetimes (the test moves the context's clock); revoking a key
ends its sessions; `last_seen_at` is written at most once a minute; lifetimes from the environment."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopwarden.api.app import create_app
from shopwarden.errors import InvalidInput
from shopwarden.service.auth import revoke_key
from shopwarden.service.sessions import ABSOLUTE_ENV, IDLE_ENV, Lifetimes
from shopwarden.store.web_sessions import WebSession
from shopwarden.web.session import COOKIE
from tests.web.conftest import Pages

SHOP = "/shop/web-a"


def signed_in(response) -> bool:
    return response.status_code == 200


def rows(ctx) -> list[WebSession]:
    with ctx.db.read() as s:
        return list(s.scalars(select(WebSession).order_by(WebSession.created_at)))


def copy_of(web_app, p: Pages) -> TestClient:
    """Another browser holding a copy of `p`'s cookie, as an attacker who lifted it would."""
    other = TestClient(web_app, raise_server_exceptions=False, follow_redirects=False)
    other.cookies.set(COOKIE, p.client.cookies[COOKIE])
    return other


def test_a_cookie_copied_before_sign_out_is_not_signed_in_after_it(web_ctx, web_app, seeded):
    p = Pages(web_app, seeded.keys["seller_a"])
    thief = copy_of(web_app, p)
    assert signed_in(thief.get(SHOP))  # the copy works while the session lasts
    assert p.post("/signout", {}).status_code == 303
    replay = thief.get(SHOP)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/signin")
    assert not signed_in(p.get(SHOP))
    [row] = rows(web_ctx)
    assert (row.ended_at, row.ended_reason) == (web_ctx.clock(), "signed_out")


def test_the_cookie_carries_a_random_id_of_which_the_server_keeps_only_the_digest(web_ctx, web_app, seeded):
    p = Pages(web_app, seeded.keys["seller_a"])
    session_id = web_app.state.web_sessions.read(_request_with(p.client.cookies[COOKIE])).session_id
    key_id = seeded.keys["seller_a"].split("_")[1]
    [row] = rows(web_ctx)
    assert row.session_sha256 == hashlib.sha256(session_id.encode()).hexdigest() != session_id
    assert (row.key_id, row.created_at, row.last_seen_at, row.ended_at) == (key_id, web_ctx.clock(), web_ctx.clock(), None)
    assert key_id not in session_id and len(session_id) >= 40


def _request_with(cookie: str):
    from starlette.requests import Request

    return Request({"type": "http", "headers": [(b"cookie", f"{COOKIE}={cookie}".encode())]})


def test_signing_in_again_ends_the_previous_session_and_tokens_change(web_ctx, web_app, seeded):
    p = Pages(web_app)
    visitor_token = p.token()
    p.sign_in(seeded.keys["seller_a"])
    first = p.token()
    thief = copy_of(web_app, p)
    p.sign_in(seeded.keys["seller_a"])
    assert len({visitor_token, first, p.token()}) == 3
    assert not signed_in(thief.get(SHOP)) and signed_in(p.get(SHOP))
    assert [r.ended_reason for r in rows(web_ctx)] == ["replaced", None]
    p.post("/signout", {})
    assert p.token() not in (first, visitor_token)


def test_a_session_idle_for_the_idle_lifetime_ends_and_requests_keep_it_alive(web_ctx, web_app, seeded):
    idle = Lifetimes().idle
    p = Pages(web_app, seeded.keys["seller_a"])
    thief = copy_of(web_app, p)
    for _ in range(3):  # a request every idle lifetime less a second keeps it open
        web_ctx.clock.now += idle - timedelta(seconds=1)
        assert signed_in(p.get(SHOP))
    web_ctx.clock.now += idle
    assert not signed_in(p.get(SHOP)) and not signed_in(thief.get(SHOP))
    [row] = rows(web_ctx)
    assert row.ended_reason == "idle"


def test_a_session_in_use_ends_at_its_absolute_lifetime(web_ctx, web_app, seeded):
    lifetimes = Lifetimes()
    p = Pages(web_app, seeded.keys["seller_a"])
    started = web_ctx.clock()
    while web_ctx.clock() + lifetimes.idle / 2 < started + lifetimes.absolute:
        web_ctx.clock.now += lifetimes.idle / 2
        assert signed_in(p.get(SHOP)), web_ctx.clock() - started
    web_ctx.clock.now = started + lifetimes.absolute
    assert not signed_in(p.get(SHOP))
    assert rows(web_ctx)[0].ended_reason == "expired"


def test_last_seen_is_written_at_most_once_a_minute(web_ctx, web_app, seeded):
    p = Pages(web_app, seeded.keys["seller_a"])
    t0 = web_ctx.clock()
    for seconds in (10, 30, 59):
        web_ctx.clock.now = t0 + timedelta(seconds=seconds)
        assert signed_in(p.get(SHOP))
        assert rows(web_ctx)[0].last_seen_at == t0
    web_ctx.clock.now = t0 + timedelta(seconds=60)
    assert signed_in(p.get(SHOP))
    assert rows(web_ctx)[0].last_seen_at == t0 + timedelta(seconds=60)


def test_revoking_a_key_ends_its_sessions_and_only_its_own(web_ctx, web_app, seeded):
    a1, a2 = Pages(web_app, seeded.keys["seller_a"]), Pages(web_app, seeded.keys["seller_a"])
    b = Pages(web_app, seeded.keys["seller_b"])
    assert revoke_key(web_ctx, seeded.keys["seller_a"].split("_")[1]) == 2
    assert not signed_in(a1.get(SHOP)) and not signed_in(a2.get(SHOP))
    assert signed_in(b.get("/shop/web-b"))
    assert sorted(r.ended_reason or "open" for r in rows(web_ctx)) == ["key_revoked", "key_revoked", "open"]
    failed = Pages(web_app).post("/signin", {"key": seeded.keys["seller_a"]})
    assert failed.status_code == 401


def test_lifetimes_come_from_the_environment_and_a_bad_one_is_named():
    assert Lifetimes.from_environment({}) == Lifetimes(timedelta(minutes=30), timedelta(hours=12))
    assert Lifetimes.from_environment({IDLE_ENV: "5", ABSOLUTE_ENV: "0.5"}) == Lifetimes(timedelta(minutes=5), timedelta(minutes=30))
    assert Lifetimes(idle=timedelta(minutes=2)).touch == timedelta(seconds=30)
    for bad in ("0", "-3", "soon", "nan"):
        with pytest.raises(InvalidInput) as e:
            Lifetimes.from_environment({IDLE_ENV: bad})
        assert e.value.errors[0].field == IDLE_ENV


def test_the_app_enforces_the_idle_lifetime_it_was_built_with(web_ctx, seeded, monkeypatch):
    monkeypatch.setenv(IDLE_ENV, "5")
    p = Pages(create_app(web_ctx), seeded.keys["seller_a"])
    web_ctx.clock.now += timedelta(minutes=4)
    assert signed_in(p.get(SHOP))
    web_ctx.clock.now += timedelta(minutes=5)
    assert not signed_in(p.get(SHOP))
