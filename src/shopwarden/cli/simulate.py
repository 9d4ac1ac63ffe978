"""`shopwarden simulate --pack draft.yaml --from --to`: what a draft pack would have done to every shop;
`--explain SHOP` prints one shop's two timelines side by side, `--json` the summary."""

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
from shopwarden.core.simulate import ShopDiff, Summary, Tally

SYSTEM = ("cli", "platform")


def _principal():
    from shopwarden.service.auth import Principal

    return Principal(*SYSTEM, None)


def simulate(
    pack: Annotated[Path, typer.Option("--pack", help="the draft pack (YAML)", exists=True, dir_okay=False)],
    start: Annotated[datetime, typer.Option("--from", parser=instant, help="the period's start (ISO 8601; UTC if no zone)")],
    end: Annotated[datetime, typer.Option("--to", parser=instant, help="the period's end (ISO 8601; UTC if no zone)")],
    against: Annotated[str | None, typer.Option(help="the live pack's id; default the draft's own id")] = None,
    explain: Annotated[str | None, typer.Option(metavar="SHOP", help="show this shop's two timelines side by side")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary and every changed shop as JSON")] = False,
    workers: Annotated[int | None, typer.Option(min=1, help="worker processes replaying shops at once (default: the machine's cores)")] = None,
    engine: Annotated[str, typer.Option(help="the batch engine: local (processes of this machine) or dask (a LocalCluster, or --scheduler)")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="a running Dask scheduler (tcp://host:8786) for --engine dask")] = None,
    export: Annotated[Path | None, typer.Option(help="keep the Parquet export of the ledgers in this folder (default: a temporary one)", file_okay=False)] = None,
) -> None:
    """Replay every shop's ledger under the draft and under the live pack; report what differs."""
    from shopwarden.cli.policy import problems_table
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.errors import PolicyError, ShopwardenError
    from shopwarden.service import simulation

    out = Console(soft_wrap=True, markup=False, highlight=False)
    err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
    inp = simulation.SimulationInput(pack.read_text(encoding="utf-8"), start, end, against, source=str(pack))
    try:
        if explain is not None:
            d = simulation.explain(_context(), _principal(), inp, explain)
            if as_json:
                sys.stdout.write(orjson.dumps(diff_json(d), option=orjson.OPT_INDENT_2).decode() + "\n")
            else:
                _print_explain(out, d)
            return
        result, shaped = _on_engine(_context(), inp, engine, workers or os.cpu_count() or 1, scheduler, export, as_json)
    except PolicyError as exc:
        err.print(problems_table(exc))
        raise typer.Exit(1) from None
    except ShopwardenError as exc:
        _fail(exc)
    body = {"draft": result.draft.id, "draft_version": result.draft.version, "against": result.live.id, "against_version": result.live.version,
            "from": result.lo.isoformat(), "to": result.hi.isoformat(), **summary_json(result.summary),
            "shops": [],
            "creators": {**summary_json(result.creators), "creators": [creator_diff_json(d) for d in result.creators_changed]}}
    if as_json:
        _write_json(body, shaped)
        return
    _print_summary(out, body, result.summary)
    if result.creators.shops:
        c = result.creators.total
        out.print(f"creators 达人: {result.creators.shops:,} simulated, {c.shops_changed:,} changed, measures +{c.sanctions_added} −{c.sanctions_removed} "
                  f"(changed {c.sanctions_changed}), levels or bands changed {c.levels_changed}")


def _on_engine(ctx, inp, engine: str, workers: int, scheduler: str | None, export: Path | None, as_json: bool):
    """The simulation with its shops replayed on the batch engine (`shopwarden.batch`); for `--json`
    each changed shop comes back as its JSON, made by the worker that replayed it (`shop_json`)."""
    from shopwarden.batch import simulate as batch
    from shopwarden.batch.engines import make_engine

    eng = make_engine(engine, workers, scheduler)
    try:
        if as_json:
            return batch.simulate_shaped(ctx, _principal(), inp, eng, shop_json, export)
        return batch.simulate(ctx, _principal(), inp, eng, export), []
    finally:
        eng.close()


def shop_json(d: ShopDiff) -> bytes:
    """One changed shop as `--json` prints it (a batch worker's `shape`)."""
    return orjson.dumps(diff_json(d), option=orjson.OPT_INDENT_2)


def _write_json(body: dict, shops: list[bytes]) -> None:
    """The report as JSON on stdout, the changed shops' JSON (made by the workers) written one after
    another into its `shops` list: the report is never held twice (it is hundreds of MB at 100k shops)."""
    head, tail = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).split(b'\n  "shops": [],\n', 1)
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    write = out.write if out is not None else (lambda b: sys.stdout.write(b.decode()))
    write(head + b'\n  "shops": [')
    for i, shop in enumerate(shops):
        write((b"\n" if i == 0 else b",\n") + shop)
    write((b"\n  ],\n" if shops else b"],\n") + tail)
    if out is not None:
        out.flush()


def tally_json(t: Tally) -> dict:
    return {"shops_changed": t.shops_changed, "levels_changed": t.levels_changed, "sanctions_added": t.sanctions_added,
            "sanctions_removed": t.sanctions_removed, "sanctions_changed": t.sanctions_changed,
            "sanction_days_added": round(t.sanction_days_added, 2), "sanction_days_removed": round(t.sanction_days_removed, 2),
            "deactivations_added": t.deactivations_added, "deactivations_removed": t.deactivations_removed,
            "appeals_unnecessary": t.appeals_unnecessary}


def summary_json(s: Summary) -> dict:
    return {"shops_simulated": s.shops, **tally_json(s.total),
            "by_market": {k: tally_json(v) for k, v in sorted(s.by_market.items())},
            "by_violation_type": {k: tally_json(v) for k, v in sorted(s.by_type.items())},
            "level_moves": [{"from": a, "to": b, "shops": n} for (a, b), n in s.level_moves.most_common()],
            "unknown_types": dict(s.unknown_types)}


def _span_json(s) -> dict:
    # instants as datetimes: orjson writes them as isoformat() would, in C
    return {"kind": s.kind, "point_class": s.point_class, "threshold": s.threshold, "starts_at": s.starts_at,
            "ends_at": s.ends_at, "days_in_period": round(s.days, 2), "trigger_type": s.trigger_type}


def diff_json(d: ShopDiff) -> dict:
    seen: dict[int, dict] = {}  # a span added is also one of the draft's: shaped once

    def span(s) -> dict:
        out = seen.get(id(s))
        if out is None:
            out = seen[id(s)] = _span_json(s)
        return out

    return {"shop_id": d.shop_id, "market": d.market,
            "live": {"level": d.live.level, "points": d.live.points, "sanctions": [span(s) for s in d.live.sanctions]},
            "draft": {"level": d.draft.level, "points": d.draft.points, "sanctions": [span(s) for s in d.draft.sanctions]},
            "sanctions_added": [span(s) for s in d.added], "sanctions_removed": [span(s) for s in d.removed],
            "sanctions_changed": [{"live": span(c.live), "draft": span(c.draft), "days": round(c.days, 2)} for c in d.changed],
            "appeals_unnecessary": list(d.appeals_unnecessary), "unknown_types": list(d.unknown_types)}


def creator_diff_json(d: ShopDiff) -> dict:
    """A creator's differences (CR-7): as a shop's, keyed by `creator_id`; a health score's level is its band, its points the score."""
    body = diff_json(d)
    return {"creator_id": body.pop("shop_id"), **body}


def _print_summary(out: Console, body: dict, s: Summary) -> None:
    out.print(f"{body['draft']} v{body['draft_version']} against {body['against']} v{body['against_version']}, "
              f"{body['from']} – {body['to']}: {s.shops:,} shops simulated, {s.total.shops_changed:,} changed 受影响店铺")
    table = Table(title="by market 按市场 / by violation type 按违规类型")
    for col in ("", "shops", "levels", "sanctions +", "sanctions −", "changed", "days +", "days −", "deactivations +/−", "appeals unnecessary"):
        table.add_column(col)
    rows = [("all 全部", s.total)] + [(f"market {k}", v) for k, v in sorted(s.by_market.items())] + [(f"type {k}", v) for k, v in sorted(s.by_type.items())]
    for name, t in rows:
        table.add_row(name, str(t.shops_changed), str(t.levels_changed), str(t.sanctions_added), str(t.sanctions_removed), str(t.sanctions_changed),
                      f"{t.sanction_days_added:.1f}", f"{t.sanction_days_removed:.1f}", f"{t.deactivations_added}/{t.deactivations_removed}",
                      str(t.appeals_unnecessary))
    out.print(table)
    if s.level_moves:
        out.print("level moves 等级变化: " + ", ".join(f"{a} → {b}: {n}" for (a, b), n in s.level_moves.most_common()))
    if s.unknown_types:
        out.print("types the draft does not know (recorded points kept) 草案未定义的类型: " + ", ".join(f"{k} ({n} shops)" for k, n in s.unknown_types.items()))


def _print_explain(out: Console, d: ShopDiff) -> None:
    out.print(f"{d.shop_id} ({d.market}): live {d.live.level} {d.live.points} pts · draft {d.draft.level} {d.draft.points} pts")
    table = Table(title="sanctions in the period 期间处罚")
    for col in ("start", "kind", "class", "threshold", "live end", "draft end"):
        table.add_column(col)
    a = {s.key: s for s in d.live.sanctions}
    b = {s.key: s for s in d.draft.sanctions}
    for key in sorted(a.keys() | b.keys(), key=lambda k: k[2]):
        s = a.get(key) or b[key]

        def end(x):
            return "—" if x is None else ("permanent 永久" if x.ends_at is None else x.ends_at.isoformat())

        table.add_row(s.starts_at.isoformat(), s.kind, s.point_class, str(s.threshold), end(a.get(key)), end(b.get(key)))
    out.print(table)
    if d.appeals_unnecessary:
        out.print("appeals the draft would have made unnecessary 无需申诉: " + ", ".join(d.appeals_unnecessary))


def backtest(
    start: Annotated[datetime, typer.Option("--from", parser=instant, help="the period's start (ISO 8601; UTC if no zone)")],
    end: Annotated[datetime, typer.Option("--to", parser=instant, help="the period's end (ISO 8601; UTC if no zone)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the rows as JSON")] = False,
) -> None:
    """Each detector's precision and recall against operators' decisions (cases, appeals, revocations)."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.errors import ShopwardenError
    from shopwarden.service import backtests

    try:
        result = backtests.run(_context(), _principal(), backtests.BacktestInput(start, end))
    except ShopwardenError as exc:
        _fail(exc)
    rows = [backtest_json(r) for r in result.rows]
    if as_json:
        body = {"from": start.isoformat(), "to": end.isoformat(), "rows": rows, "shadow": [shadow_json(r) for r in result.shadow]}
        sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    table = Table(title=f"backtest 回测 {start.isoformat()} – {end.isoformat()}: confirmed / overturned by operators, missed = found by hand")
    for col in ("rule", "detector", "confirmed", "overturned", "pending", "missed", "precision (95% CI)", "recall (95% CI)"):
        table.add_column(col)
    for r in result.rows:
        table.add_row(r.rule, r.detector or "—", str(r.confirmed), str(r.overturned), str(r.pending), str(r.missed),
                      _ratio(r.precision, r.precision_interval), _ratio(r.recall, r.recall_interval))
    out = Console(soft_wrap=True, markup=False, highlight=False)
    out.print(table)
    if result.shadow:
        table = Table(title="shadow detectors 影子检测器: disagreements with the live version, labelled by operators")
        for col in ("detector", "shadow version", "agree", "live only", "shadow only", "differ", "live right", "shadow right", "neither", "unlabelled",
                    "shadow right share (95% CI)"):
            table.add_column(col)
        for s in result.shadow:
            table.add_row(s.detector, s.version, str(s.agree), str(s.live_only), str(s.shadow_only), str(s.differ), str(s.live_right), str(s.shadow_right),
                          str(s.neither), str(s.unlabelled), _ratio(s.shadow_right_share, s.shadow_right_interval))
        out.print(table)


def _ratio(value, interval) -> str:
    return "—" if value is None else f"{value:.2f} ({interval.low:.2f}–{interval.high:.2f})"


def backtest_json(r) -> dict:
    def iv(i):
        return None if i is None else [round(i.low, 4), round(i.high, 4)]

    return {"rule": r.rule, "detector": r.detector or None, "confirmed": r.confirmed, "overturned": r.overturned, "pending": r.pending,
            "missed": r.missed, "precision": r.precision, "precision_ci95": iv(r.precision_interval), "recall": r.recall,
            "recall_ci95": iv(r.recall_interval)}


def shadow_json(r) -> dict:
    iv = r.shadow_right_interval
    return {"detector": r.detector, "version": r.version, "agree": r.agree, "live_only": r.live_only, "shadow_only": r.shadow_only, "differ": r.differ,
            "live_right": r.live_right, "shadow_right": r.shadow_right, "neither": r.neither, "unlabelled": r.unlabelled,
            "shadow_right_share": r.shadow_right_share, "shadow_right_ci95": None if iv is None else [round(iv.low, 4), round(iv.high, 4)]}
