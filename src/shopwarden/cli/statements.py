"""`shopwarden statements export --since`: the Transparency Database batches of a range as JSONL, one
batch (`{"statements": [...]}`, at most 100, ready to submit) per line (DSA Art. 24(5))."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from shopwarden.errors import ShopwardenError

statements_app = typer.Typer(help="statements of reasons (DSA Art. 17) and their Transparency Database export", no_args_is_help=True)
WITHHELD = 3  # some batch failed the format's checks and was not written


@statements_app.command("export")
def export(
    since: Annotated[datetime, typer.Option(help="measures applied at or after this instant (UTC if no zone)")],
    until: Annotated[Optional[datetime], typer.Option(help="measures applied before this instant; default: no end")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="the JSONL file to write; default standard output")] = None,
) -> None:
    """Write every batch of the range, one per line; an empty range writes nothing and exits 0."""
    import orjson

    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import err
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.core.periods import as_utc
    from shopwarden.service import statements
    from shopwarden.service.auth import Principal

    ctx, who = _context(), Principal("cli", "platform", None)
    written, withheld, after = 0, [], 0
    sink = out.open("wb") if out else sys.stdout.buffer
    try:
        while True:
            page = statements.export(ctx, who, as_utc(since), as_utc(until) if until else None, after)
            for batch in page.batches:
                sink.write(orjson.dumps(batch) + b"\n")
                written += len(batch["statements"])
            withheld += page.withheld
            if page.next is None:
                break
            after = page.next
    except ShopwardenError as exc:
        _fail(exc)
    finally:
        if out:
            sink.close()
    err.print(f"{written} statement(s) exported", highlight=False)
    for w in withheld:
        err.print(f"withheld a batch of {len(w['puids'])}: {'; '.join(w['problems'])}", markup=False, highlight=False)
    if withheld:
        raise typer.Exit(WITHHELD)


@statements_app.command("backfill")
def backfill(batch: Annotated[int, typer.Option(min=1, help="subjects per transaction")] = 500) -> None:
    """State the sanctions and measures of every shop and creator not yet stated (run after `shopwarden import`)."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import err
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.service import statements
    from shopwarden.service.auth import Principal

    try:
        added = statements.backfill(_context(), Principal("cli", "platform", None), batch)
    except ShopwardenError as exc:
        _fail(exc)
    err.print(f"{added} statement(s) added", highlight=False)
