"""`shopwarden statements export --since`: the Transparency Database batches of a range as JSONL, one
batch (`{"statements": [...]}`, at most 100, ready to submit) per line (DSA Art. 24(5))."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from shopwarden.cli.times import instant
from shopwarden.errors import ShopwardenError

statements_app = typer.Typer(help="statements of reasons (DSA Art. 17) and their Transparency Database export", no_args_is_help=True)
WITHHELD = 3  # some batch failed the format's checks and was not written


@statements_app.command("export")
def export(
    since: Annotated[datetime, typer.Option(help="measures applied at or after this instant (UTC if no zone)")],
    until: Annotated[datetime | None, typer.Option(help="measures applied before this instant; default: no end")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="the JSONL file to write; default standard output")] = None,
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


def transparency_report(
    since: Annotated[datetime, typer.Option("--from", parser=instant, help="the period's start (ISO 8601; UTC if no zone), included")],
    until: Annotated[datetime, typer.Option("--to", parser=instant, help="the period's end, excluded")],
    json_out: Annotated[Path | None, typer.Option("--json", help="write the JSON here; default standard output")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="also write the readable HTML page with charts here")] = None,
    lang: Annotated[str, typer.Option(help="the HTML page's language: zh-CN or en")] = "en",
) -> None:
    """The transparency report (DSA Art. 24) of a period: measures, notices, complaints, Art. 23 suspensions."""
    import orjson

    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.cli.shell import out
    from shopwarden.service import transparency
    from shopwarden.service.auth import Principal

    if lang not in ("zh-CN", "en"):
        raise typer.BadParameter("zh-CN or en", param_hint="--lang")
    try:
        report = transparency.report(_context(), Principal("cli", "platform", None), since, until).as_json()
    except ShopwardenError as exc:
        _fail(exc)
    body = orjson.dumps(report, option=orjson.OPT_INDENT_2)
    if json_out:
        json_out.write_bytes(body + b"\n")
    else:
        out.print(body.decode(), markup=False, highlight=False)
    if html_out:
        from shopwarden.web.transparency import standalone

        html_out.write_text(standalone(report, lang), encoding="utf-8")


def notices_sweep() -> None:
    """Restore the listings whose counter-notice period ran out without proceedings (E-Commerce Law art. 43); run daily."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import err
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.service import notices
    from shopwarden.service.auth import Principal

    try:
        restored = notices.sweep(_context(), Principal("cli", "platform", None))
    except ShopwardenError as exc:
        _fail(exc)
    err.print(f"{len(restored)} listing(s) restored: {', '.join(restored) or '-'}", highlight=False)
