"""The page session's cookie: signed, holding the random id of a session kept on the server
(`service.sessions`; never the key, nor its id) and the CSRF token; every POST form must send
that token back (`check_csrf`, called once, by the page route class, before any handler runs).
A visitor who has not signed in gets a cookie with a CSRF token only, and no row."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from shopwarden.service.sessions import Lifetimes

COOKIE = "sw_session"
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class Session:
    session_id: str | None  # None: not signed in
    csrf: str


class Sessions:
    """Signs and reads session cookies with the app's secret (SHOPWARDEN_SESSION_SECRET, else one
    made when the app starts: page sessions then end when the server restarts), and holds the
    sessions' lifetimes, which the server enforces (`service.sessions.resume`); the cookie's own
    max-age is only the absolute lifetime, a courtesy to the browser."""

    def __init__(self, secret: str | None = None, lifetimes: Lifetimes | None = None):
        self._signer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), salt="shopwarden.session")
        self.lifetimes = lifetimes or Lifetimes()
        self.max_age = int(self.lifetimes.absolute.total_seconds())

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._signer.loads(raw, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        return Session(data.get("s") if isinstance(data.get("s"), str) else None, data["c"])

    @staticmethod
    def new(session_id: str | None) -> Session:
        """A new cookie with a new CSRF token: signing in or out never keeps the old one."""
        return Session(session_id, secrets.token_urlsafe(24))

    def write(self, response: Response, request: Request, session: Session) -> None:
        response.set_cookie(COOKIE, self._signer.dumps({"s": session.session_id, "c": session.csrf}), max_age=self.max_age, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")


def check_csrf(session: Session | None, sent: object) -> bool:
    return session is not None and isinstance(sent, str) and hmac.compare_digest(session.csrf.encode(), sent.encode())
