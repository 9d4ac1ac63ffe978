"""Webhooks without I/O: who may be called (the allowed hosts), the signature a receiver checks,
the delivery's body, and when a failed delivery is tried again (exponential back-off with jitter).

A delivery is a POST of `{"id", "event", "at", "data"}` with
`X-Shopwarden-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>` and
`X-Shopwarden-Delivery: <delivery id>` (API.md "Operating it"); the body is made once and sent
byte for byte the same on every attempt, so its signature is too.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Collection, Iterable
from datetime import datetime
from urllib.parse import urlsplit

import orjson

from shopwarden.errors import FieldProblem

SIGNATURE_HEADER = "X-Shopwarden-Signature"
DELIVERY_HEADER = "X-Shopwarden-Delivery"
EVENT_HEADER = "X-Shopwarden-Event"
SECRET_MIN, SECRET_MAX = 32, 256
URL_MAX = 2048
MAX_ATTEMPTS = 8  # then the delivery is kept as failed, to be re-sent by hand
BACKOFF_BASE, BACKOFF_CAP = 1.0, 600.0  # seconds: 1, 2, 4 … capped at 10 minutes, before jitter


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver runs (README "Operating it"): constant-time comparison of the header."""
    return hmac.compare_digest(sign(secret, body), header)


def body(event_id: str, event: str, at: datetime, data: object) -> bytes:
    return orjson.dumps({"id": event_id, "event": event, "at": at, "data": data}, option=orjson.OPT_UTC_Z)


def retry_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds before attempt `attempt + 1` after `attempt` failed ones: "full jitter" — uniform
    between half and all of min(cap, base * 2^(attempt-1)) — so receivers that failed together
    are not retried together."""
    ceiling: float = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))
    draw = rng.random() if rng is not None else random.random()
    return ceiling * (0.5 + 0.5 * draw)


def parse_hosts(value: str | None) -> frozenset[str]:
    """SHOPWARDEN_WEBHOOK_HOSTS: comma-separated host names or `host:port` (none by default)."""
    return frozenset(h.strip().lower() for h in (value or "").split(",") if h.strip())


def host_allowed(url: str, allowed: Collection[str]) -> bool:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return bool(host) and (host in allowed or (port is not None and f"{host}:{port}" in allowed))


def registration_problems(url: str, events: Iterable[str], secret: str, allowed_hosts: Collection[str], kinds: Collection[str]) -> list[FieldProblem]:
    """Every problem of a registration at once (422), each saying what is allowed."""
    problems = []
    parts = urlsplit(url)
    if len(url) > URL_MAX or parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        problems.append(FieldProblem("url", f"must be an http or https URL of at most {URL_MAX} characters, without credentials"))
    elif not host_allowed(url, allowed_hosts):
        allowed = ", ".join(sorted(allowed_hosts)) or "none (the operator sets SHOPWARDEN_WEBHOOK_HOSTS)"
        problems.append(FieldProblem("url", f"host {parts.hostname!r} is not allowed; allowed hosts: {allowed}"))
    events = list(events)
    unknown = sorted({e for e in events if e not in kinds})
    if not events:
        problems.append(FieldProblem("events", f"name at least one event; allowed: {', '.join(sorted(kinds))}"))
    elif unknown:
        problems.append(FieldProblem("events", f"unknown event(s) {', '.join(unknown)}; allowed: {', '.join(sorted(kinds))}"))
    if not SECRET_MIN <= len(secret) <= SECRET_MAX:
        problems.append(FieldProblem("secret", f"must have {SECRET_MIN} to {SECRET_MAX} characters (has {len(secret)})"))
    return problems
