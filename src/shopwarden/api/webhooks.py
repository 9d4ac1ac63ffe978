"""Routes: register, list, read and delete webhooks; their deliveries, re-sent by hand (API.md "Operating it").

The allowed hosts are read from SHOPWARDEN_WEBHOOK_HOSTS when a registration arrives (none by
default: no URL may be registered until the operator names its host)."""

from __future__ import annotations

import os
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from shopwarden.api.deps import ERRORS, Caller, Ctx
from shopwarden.api.schemas import Body, Id
from shopwarden.core.webhooks import parse_hosts
from shopwarden.service import webhooks
from shopwarden.service.context import Context
from shopwarden.service.webhooks import Dispatcher, Registration

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=ERRORS)
HookId = Annotated[Id, Path()]


class WebhookIn(Body):
    url: Annotated[str, Field(max_length=4096, description="http(s) URL on a host in SHOPWARDEN_WEBHOOK_HOSTS")]
    events: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=64, description="outbox event kinds to deliver")]
    secret: Annotated[str, Field(max_length=1024, description="32-256 characters; signs every delivery; never shown again")]


def allowed_hosts() -> frozenset[str]:
    return parse_hosts(os.environ.get("SHOPWARDEN_WEBHOOK_HOSTS"))


@router.post("", status_code=201, summary="Register a webhook (platform or operator)")
def register(body: WebhookIn, request: Request, ctx: Ctx, caller: Caller) -> dict:
    out = webhooks.register(ctx, caller, Registration(body.url, tuple(body.events), body.secret), allowed_hosts()).as_json()
    dispatcher = getattr(request.app.state, "webhook_dispatcher", None)
    if dispatcher is not None:
        dispatcher(ctx)  # start the app's dispatcher if it is not running yet (api/app.py)
    return out


@router.get("", summary="The registered webhooks (never their secrets)")
def listing(ctx: Ctx, caller: Caller) -> list[dict]:
    return [w.as_json() for w in webhooks.listing(ctx, caller)]


@router.get("/{webhook_id}", summary="One webhook")
def get(webhook_id: HookId, ctx: Ctx, caller: Caller) -> dict:
    return webhooks.get(ctx, caller, webhook_id).as_json()


@router.delete("/{webhook_id}", status_code=204, summary="Stop delivering to a webhook (its deliveries stay readable)")
def delete(webhook_id: HookId, ctx: Ctx, caller: Caller) -> Response:
    webhooks.delete(ctx, caller, webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", summary="A webhook's deliveries, newest first")
def deliveries(webhook_id: HookId, ctx: Ctx, caller: Caller, status: Annotated[Literal["pending", "delivered", "failed"] | None, Query()] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    return [d.as_json() for d in webhooks.deliveries(ctx, caller, webhook_id, status, limit)]


@router.post("/{webhook_id}/deliveries/{delivery_id}/redeliver", status_code=202, summary="Send one delivery again (same id and body)")
def redeliver(webhook_id: HookId, delivery_id: Annotated[Id, Path()], ctx: Ctx, caller: Caller) -> dict:
    return webhooks.redeliver(ctx, caller, webhook_id, delivery_id).as_json()


@router.post("/{webhook_id}/redeliver", status_code=202, summary="Send every failed delivery of a webhook again")
def redeliver_failed(webhook_id: HookId, ctx: Ctx, caller: Caller) -> dict:
    return webhooks.redeliver_failed(ctx, caller, webhook_id).as_json()


class Dispatching:
    """The app's dispatcher thread: started with the app where webhooks may exist (allowed hosts,
    or a registration made), stopped with it. SHOPWARDEN_WEBHOOK_DISPATCH=off leaves delivery to
    `shopwarden webhooks dispatch` processes instead."""

    def __init__(self) -> None:
        self.dispatcher: Dispatcher | None = None
        self._lock = threading.Lock()

    def __call__(self, ctx: Context) -> None:
        if os.environ.get("SHOPWARDEN_WEBHOOK_DISPATCH", "on").lower() in ("off", "0", "false"):
            return
        with self._lock:
            if self.dispatcher is None:
                self.dispatcher = Dispatcher(ctx, allowed_hosts).start()

    def on_start(self, ctx: Context) -> None:
        if allowed_hosts():
            self(ctx)

    def stop(self) -> None:
        with self._lock:
            if self.dispatcher is not None:
                self.dispatcher.stop()
                self.dispatcher = None
