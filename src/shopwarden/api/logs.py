"""Logs as JSON lines, each stamped with the id of the request it belongs to, with keys and secrets
struck out before a line is written.

Standard-library logging with a JSON formatter (no structlog: every library shopwarden runs on
already logs through `logging`, and one formatter on the root handler puts their lines in the same
shape). The request id lives in a context variable set by `api/request_log.py`; problem documents
carry it too (`api/problems.py`), so a seller's complaint quoting it leads to the log lines.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

import orjson

request_id: ContextVar[str | None] = ContextVar("shopwarden_request_id", default=None)

# What must never reach a log line, whatever a message or exception text carries: API keys
# (`sw_<id>_<secret>`), bearer tokens and basic credentials, `secret`/`password`/`token` values
# in JSON or query strings, and e-mail addresses (personal data).
_SECRETS = re.compile(
    r"sw_[A-Za-z0-9]+_[A-Za-z0-9_\-]+"
    r"|(?i:bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"
    r"|(?i:\"?(?:secret|password|token|authorization|cookie)\"?\s*[:=]\s*)(?:(?i:bearer|basic)\s+)?(?:\"[^\"]*\"|'[^']*'|[^\s,&}]+)"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _SECRETS.sub(REDACTED, text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, the record's `extra`
    fields named in FIELDS, and the exception's traceback; all text passes through `redact`."""

    FIELDS = ("method", "route", "status", "duration_ms", "webhook_id", "delivery_id", "event", "attempt", "outcome")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            line["request_id"] = rid
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["error"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(line, default=str).decode()


def configure(level: str | None = None, stream=None) -> logging.Handler:
    """JSON lines on stderr for the root logger and uvicorn's (`shopwarden serve`); the level
    from SHOPWARDEN_LOG_LEVEL (default INFO: one line a request)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("SHOPWARDEN_LOG_LEVEL") or "INFO").upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    return handler
