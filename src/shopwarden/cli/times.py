"""The commands' `--at`: read by `core.instants`, as the API and the pages read theirs."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from shopwarden.core import instants


def instant(value: str) -> datetime:
    """ISO 8601, read as UTC without a zone, within the engine's range; a usage error (exit 2) otherwise."""
    try:
        return instants.parse(value, UTC)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
