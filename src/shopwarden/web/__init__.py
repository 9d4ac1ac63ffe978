"""The seller centre and the operator console: server-rendered pages in Chinese and English,
mounted beside the REST API. Pages call only `service` (DESIGN.md), never the store."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from shopwarden.service.sessions import Lifetimes
from shopwarden.web.session import Sessions


def mount(app: FastAPI) -> None:
    """Add the page routes and their static files to `app` (none of them is in the OpenAPI)."""
    from shopwarden.web import console, creator, images, seller, signin, simulation, transparency

    app.state.web_sessions = Sessions(os.environ.get("SHOPWARDEN_SESSION_SECRET"), Lifetimes.from_environment(os.environ))
    for module in (signin, seller, creator, images, console, simulation, transparency):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
