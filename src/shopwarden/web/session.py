"""The page session: a signed cookie holding the signed-in key's id (never the key) and the
session's CSRF token; every POST form must send that token back (`check_csrf`, called once,
by the page route class, before any handler runs)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "sw_session"
MAX_AGE = 12 * 3600  # a page session lasts a working day; the key itself may be revoked sooner
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class Session:
    key_id: str | None
    csrf: str


class Sessions:
    """Signs and reads session cookies with the app's secret (SHOPWARDEN_SESSION_SECRET, else one
    made when the app starts: page sessions then end when the server restarts)."""

    def __init__(self, secret: str | None = None):
        self._signer = URLSafeTimedSerializer(secret or secrets.token_urlsafe(32), salt="shopwarden.session")

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._signer.loads(raw, max_age=MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        return Session(data.get("k") if isinstance(data.get("k"), str) else None, data["c"])

    @staticmethod
    def new(key_id: str | None) -> Session:
        """A new session with a new CSRF token: signing in or out never keeps the old one."""
        return Session(key_id, secrets.token_urlsafe(24))

    def write(self, response: Response, request: Request, session: Session) -> None:
        response.set_cookie(COOKIE, self._signer.dumps({"k": session.key_id, "c": session.csrf}), max_age=MAX_AGE, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")


def check_csrf(session: Session | None, sent: object) -> bool:
    return session is not None and isinstance(sent, str) and hmac.compare_digest(session.csrf.encode(), sent.encode())
