"""`shopwarden webhooks dispatch`: deliver webhooks from the outbox in a process of its own (beside
servers started with SHOPWARDEN_WEBHOOK_DISPATCH=off, or after a backlog with --once)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

webhooks_app = typer.Typer(help="webhook deliveries", no_args_is_help=True)


@webhooks_app.command("dispatch")
def dispatch(
    once: Annotated[bool, typer.Option(help="deliver what is due now, then stop")] = False,
    workers: Annotated[int, typer.Option(help="deliveries sent at once")] = 8,
) -> None:
    """Fan the outbox out to the registered webhooks and send what is due, until interrupted
    (hosts from SHOPWARDEN_WEBHOOK_HOSTS; JSON log lines on stderr)."""
    from shopwarden.api.logs import configure
    from shopwarden.cli.shell import context as _context
    from shopwarden.core.webhooks import parse_hosts
    from shopwarden.service.webhooks import Dispatcher

    configure()
    dispatcher = Dispatcher(_context(), lambda: parse_hosts(os.environ.get("SHOPWARDEN_WEBHOOK_HOSTS")), workers=workers)
    if once:
        sent = dispatcher.run_once()
        dispatcher.stop()
        print(f"{sent} delivery attempt{'' if sent == 1 else 's'}")
        return
    dispatcher.start()
    try:
        dispatcher.wait()
    except KeyboardInterrupt:
        pass
    finally:
        dispatcher.stop()
