"""Errors as application/problem+json (RFC 9457): one handler per kind, installed in one place.
Every problem document carries the request's id (`request_id`, also the `X-Request-ID` header), and
a shopwarden error its stable `code` and `params` (each field problem in `errors` too), so a client
can word the refusal in its own language without reading the English `detail`."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopwarden.api.logs import request_id
from shopwarden.errors import Conflict, InvalidInput, ShopwardenError, TooLarge

log = logging.getLogger("shopwarden.api")
PROBLEM = "application/problem+json"


def document(status: int, title: str, detail: str, **extra) -> dict:
    """The problem document itself: the HTTP answer's body, and a dead letter's (consume/)."""
    body = {"type": f"https://shopwarden.dev/problems/{status}", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    rid = request_id.get()  # none outside a request (a dead letter's document)
    if rid is not None:
        body["request_id"] = rid
    return body


def problem(status: int, title: str, detail: str, **extra) -> JSONResponse:
    return JSONResponse(document(status, title, detail, **extra), status_code=status, media_type=PROBLEM)


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _json(v) for k, v in params.items()}


def _field_problem(e) -> dict:
    out = {"field": e.field, "message": e.message}
    if e.code is not None:
        out |= {"code": str(e.code), "params": _params(e.params)}
    return out


def of_error(exc: ShopwardenError) -> dict:
    extra: dict[str, Any] = {"code": str(exc.code), "params": _params(exc.params)}
    if isinstance(exc, Conflict):
        extra |= {"rule": exc.rule, "until": exc.until.isoformat() if exc.until else None}
    elif isinstance(exc, TooLarge):
        extra |= {"field": exc.field, "limit": exc.limit, "requested": exc.requested}
    errors = [_field_problem(e) for e in getattr(exc, "errors", [])]
    return document(exc.status, exc.title, exc.detail, errors=errors or None, **extra)


def of_validation(problems: Sequence[Any]) -> dict:
    """Pydantic's errors (`.errors()`) as one 422 document naming each field."""
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in problems]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return document(422, "Invalid input", detail, errors=errors, code=InvalidInput.code, params={})


async def on_shopwarden(_: Request, exc: ShopwardenError) -> JSONResponse:
    body = of_error(exc)
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM)


async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(of_validation(exc.errors()), status_code=422, media_type=PROBLEM)


async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # FastAPI's and Starlette's answers to a body they cannot parse (JSON that is not UTF-8, a
        # broken multipart form or one with too many parts): malformed input is a 422 (API.md).
        detail = "is not JSON (UTF-8)" if exc.detail == "There was an error parsing the body" else str(exc.detail)
        return problem(422, "Invalid input", f"body: {detail}", errors=[{"field": "body", "message": detail}], code=InvalidInput.code, params={})
    return problem(exc.status_code, str(exc.detail), str(exc.detail))


CONFLICTING_WRITE = document(409, "Conflicting write", "another request changed this record at the same time; read it again and retry")


async def on_integrity(_: Request, exc: IntegrityError) -> JSONResponse:
    return JSONResponse(CONFLICTING_WRITE, status_code=409, media_type=PROBLEM)


async def on_unexpected(_: Request, exc: Exception | None) -> JSONResponse:
    log.exception("unexpected error")
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ShopwardenError, on_shopwarden)  # type: ignore[arg-type]  # Starlette calls it with this class only
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]  # Starlette calls it with this class only
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]  # Starlette calls it with this class only
    app.add_exception_handler(IntegrityError, on_integrity)  # type: ignore[arg-type]  # Starlette calls it with this class only
    app.add_exception_handler(Exception, on_unexpected)
