"""`shopwarden replay --at INSTANT`: every shop's and creator's standing recomputed at an instant on
the batch engine; a summary by pack and level, `--out` every standing as JSON Lines."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from shopwarden.cli.times import instant


def replay(
    at: Annotated[datetime, typer.Option("--at", parser=instant, help="the instant (ISO 8601; UTC if no zone)")],
    policy: Annotated[list[str] | None, typer.Option(help="only the shops and creators under this pack (repeatable); default every pack")] = None,
    engine: Annotated[str, typer.Option(help="the batch engine: local (processes of this machine) or dask (a LocalCluster, or --scheduler)")] = "local",
    workers: Annotated[int | None, typer.Option(min=1, help="worker processes (default: the machine's cores)")] = None,
    scheduler: Annotated[str | None, typer.Option(help="a running Dask scheduler (tcp://host:8786) for --engine dask")] = None,
    export: Annotated[Path | None, typer.Option(help="keep the Parquet exports in this folder (one sub-folder per pack)", file_okay=False)] = None,
    out: Annotated[Path | None, typer.Option(help="write every standing as JSON Lines to this file", dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Recompute every shop's and creator's standing at an instant (the live path's fold)."""
    from shopwarden.batch.engines import make_engine
    from shopwarden.batch.replay import replay_at
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.cli.simulate import _principal
    from shopwarden.errors import ShopwardenError

    try:
        eng = make_engine(engine, workers or os.cpu_count() or 1, scheduler)
        try:
            result = replay_at(_context(), _principal(), at, eng, policy or None, export)
        finally:
            eng.close()
    except ShopwardenError as exc:
        _fail(exc)
    if out is not None:
        with out.open("wb") as f:
            for s in result.standings:
                f.write(orjson.dumps(standing_json(s), option=orjson.OPT_APPEND_NEWLINE))
    body = summary_json(result)
    if as_json:
        sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    table = Table(title=f"standings at {body['at']} 时点状态")
    for col in ("subject", "pack", "count", "levels", "sanctions in force"):
        table.add_column(col)
    for subject in ("shops", "creators"):
        for pid, row in body[subject].items():
            table.add_row(subject, pid, str(row["count"]), ", ".join(f"{k} {v}" for k, v in row["levels"].items()),
                          ", ".join(f"{k} {v}" for k, v in row["in_force"].items()) or "—")
    Console(soft_wrap=True, markup=False, highlight=False).print(table)


def standing_json(s: Any) -> dict[str, Any]:
    return {"subject": s.subject, "id": s.subject_id, "policy": s.policy_id, "level": s.level, "points": s.points,
            "in_force": [{"kind": x.kind, "point_class": x.point_class, "threshold": x.threshold, "starts_at": x.starts_at, "ends_at": x.ends_at}
                         for x in s.in_force]}


def summary_json(result: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"at": result.at.isoformat(), "shops": {}, "creators": {}}
    for s in result.standings:
        row = body[f"{s.subject}s"].setdefault(s.policy_id, {"count": 0, "levels": {}, "in_force": {}})
        row["count"] += 1
        row["levels"][s.level] = row["levels"].get(s.level, 0) + 1
        for x in s.in_force:
            row["in_force"][x.kind] = row["in_force"].get(x.kind, 0) + 1
    for subject in ("shops", "creators"):
        for row in body[subject].values():
            row["levels"] = dict(sorted(row["levels"].items()))
            row["in_force"] = dict(sorted(row["in_force"].items()))
    return body
