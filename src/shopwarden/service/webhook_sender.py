"""One webhook POST over the standard library's http.client: it follows no redirect (a 3xx is a
failed attempt, never a second request elsewhere), every socket operation has a short time-out,
and each sending thread keeps one connection per receiver open between deliveries."""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

Key = tuple[str, str | None, int | None]  # (scheme, host, port): one kept connection each
READ_LIMIT = 64 << 10  # of a receiver's answer: read (to keep the connection) up to this, then hang up


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str | None


class Sender:
    def __init__(self, timeout: float = 5.0):
        self.timeout = timeout
        self._local = threading.local()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname, parts.port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for fresh in (False, True):  # a kept connection the receiver closed meanwhile: once more on a new one
            conn = self._connection(key, fresh)
            try:
                conn.request("POST", path, body=body, headers=headers | {"Content-Type": "application/json", "Host": parts.netloc})
                answer = conn.getresponse()
                answer.read(READ_LIMIT)
                if not answer.isclosed():
                    self._drop(key)
                return _outcome(answer.status)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(key)
                if fresh:
                    return Outcome(False, None, type(exc).__name__)
            except (OSError, http.client.HTTPException) as exc:
                self._drop(key)
                return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:200])
        return Outcome(False, None, "unreachable")  # pragma: no cover

    def _connection(self, key: Key, fresh: bool) -> http.client.HTTPConnection:
        held = self._held()
        if fresh or key not in held:
            self._drop(key)
            scheme, host, port = key
            make = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            held[key] = make(host or "", port, timeout=self.timeout)
        return held[key]

    def _drop(self, key: Key) -> None:
        conn = self._held().pop(key, None)
        if conn is not None:
            conn.close()

    def _held(self) -> dict[Key, http.client.HTTPConnection]:
        if not hasattr(self._local, "held"):
            self._local.held = {}
        held: dict[Key, http.client.HTTPConnection] = self._local.held
        return held


def _outcome(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome(True, status, None)
    if 300 <= status < 400:
        return Outcome(False, status, "redirect not followed")
    return Outcome(False, status, f"HTTP {status}")
