"""What every command shares: the database it opens, the two consoles, and how a refusal ends a
command. Kept apart from `main` (which registers the commands) so that no command imports it back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from shopwarden.errors import ShopwardenError

if TYPE_CHECKING:  # the database layer loads when a command opens it, not for --help
    from shopwarden.service.context import Context

out = Console(soft_wrap=True)
err = Console(stderr=True)


def database_url() -> str | None:
    return os.environ.get("SHOPWARDEN_DATABASE_URL") or None


def context() -> Context:
    from shopwarden.service.context import open_context

    return open_context(database_url())


def fail(exc: ShopwardenError) -> None:
    """Print the refusal (its detail and each field's problem) and exit with status 2."""
    err.print(f"[red]error:[/red] {exc.detail}", markup=True, highlight=False)
    for p in getattr(exc, "errors", []):
        err.print(f"  {p.field}: {p.message}", markup=False, highlight=False)
    raise typer.Exit(2)
