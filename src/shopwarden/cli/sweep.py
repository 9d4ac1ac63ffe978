"""`shopwarden sweep`: every listing scanned again on the batch engine — after a pack or a detector
changed, or with `--pack draft.yaml` before it does — and the findings that changed reported: a
summary (a table, or `--json`), every changed listing as JSON Lines with `--out`."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from shopwarden.cli.times import instant


def sweep(
    pack: Annotated[Path | None, typer.Option("--pack", help="a draft pack (YAML) swept in place of the live pack it names", exists=True, dir_okay=False)] = None,
    against: Annotated[str | None, typer.Option(help="with --pack: the live pack it replaces; default the draft's own id")] = None,
    policy: Annotated[list[str] | None, typer.Option(help="only the shops under this pack (repeatable); default every pack")] = None,
    at: Annotated[datetime | None, typer.Option("--at", parser=instant, help="scan as at this instant (ISO 8601; UTC if no zone); default now")] = None,
    engine: Annotated[str, typer.Option(help="the batch engine: local (processes of this machine) or dask (a LocalCluster, or --scheduler)")] = "local",
    workers: Annotated[int | None, typer.Option(min=1, help="worker processes (default: the machine's cores)")] = None,
    scheduler: Annotated[str | None, typer.Option(help="a running Dask scheduler (tcp://host:8786) for --engine dask")] = None,
    export: Annotated[Path | None, typer.Option(help="keep the Parquet export of the catalogue in this folder", file_okay=False)] = None,
    out: Annotated[Path | None, typer.Option(help="write every changed listing as JSON Lines to this file", dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Scan every listing again and report the findings that changed (nothing is written to the store)."""
    from shopwarden.batch.engines import make_engine
    from shopwarden.batch.sweep import sweep as run
    from shopwarden.cli.policy import problems_table
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.cli.simulate import _principal
    from shopwarden.errors import PolicyError, ShopwardenError
    from shopwarden.service.sweep import SweepInput

    err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
    inp = SweepInput(tuple(policy) if policy else None, pack.read_text(encoding="utf-8") if pack else None, against,
                     str(pack) if pack else "draft", at)
    try:
        eng = make_engine(engine, workers or os.cpu_count() or 1, scheduler)
        err.print(f"sweeping the catalogue on {eng.name} ({eng.slots} at once) 正在重新扫描全部商品…")
        try:
            result = run(_context(), _principal(), inp, eng, export)
        finally:
            eng.close()
    except PolicyError as exc:
        err.print(problems_table(exc))
        raise typer.Exit(1) from None
    except ShopwardenError as exc:
        _fail(exc)
    if out is not None:
        with out.open("wb") as f:
            for c in result.changed:
                f.write(orjson.dumps(c.as_json(), option=orjson.OPT_APPEND_NEWLINE))
    body = result.as_json()
    if as_json:
        sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    console = Console(soft_wrap=True, markup=False, highlight=False)
    console.print(f"{body['listings']:,} listings swept 已扫描, {body['changed']:,} changed 有变化 (as at {body['at']})")
    table = Table(title="findings that changed 变化的判定")
    for col in ("rule 规则", "added 新增", "removed 撤销"):
        table.add_column(col)
    for rule in sorted(set(body["findings_added"]) | set(body["findings_removed"])):
        table.add_row(rule, str(body["findings_added"].get(rule, 0)), str(body["findings_removed"].get(rule, 0)))
    console.print(table)
    for d in body["decisions_changed"]:
        console.print(f"decision {d['before']} → {d['after']}: {d['listings']:,}")
