"""`shopwarden …`: serve, keys, policy, health, db, import, demo."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shopwarden.cli import consume, replay, simulate, statements, sweep
from shopwarden.cli.experience import experience_app
from shopwarden.cli.index import index_app
from shopwarden.cli.policy import policy_app
from shopwarden.cli.reviews import reviews_app
from shopwarden.cli.shell import context, database_url, err, fail, out
from shopwarden.cli.statements import statements_app
from shopwarden.cli.times import instant
from shopwarden.cli.webhooks import webhooks_app
from shopwarden.errors import ShopwardenError

app = typer.Typer(help="shopwarden — marketplace governance engine", no_args_is_help=True, pretty_exceptions_enable=False)
keys_app = typer.Typer(help="API keys", no_args_is_help=True)
db_app = typer.Typer(help="the database", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(index_app, name="index")  # shopwarden index images DIR
app.add_typer(reviews_app, name="reviews")  # shopwarden reviews stats PRODUCT
consume.register(app)  # shopwarden consume / relay (NATS JetStream)
app.add_typer(experience_app, name="experience")  # shopwarden experience sweep
app.command("simulate")(simulate.simulate)  # shopwarden simulate --pack draft.yaml
app.command("backtest")(simulate.backtest)  # shopwarden backtest --from --to
app.command("sweep")(sweep.sweep)  # shopwarden sweep: every listing scanned again on the batch engine, what changed
app.command("replay")(replay.replay)  # shopwarden replay --at: every standing at an instant, on the batch engine
app.add_typer(statements_app, name="statements")  # shopwarden statements export
app.command("notices-sweep")(statements.notices_sweep)  # E-Commerce Law art. 43
app.command("transparency-report")(statements.transparency_report)  # DSA Art. 24
app.command("report", help="The same as transparency-report (DSA Art. 24): `shopwarden report --from --to`.")(statements.transparency_report)
app.add_typer(webhooks_app, name="webhooks")  # shopwarden webhooks dispatch
app.add_typer(policy_app, name="policy")


def resume_analysis(ctx) -> None:
    """A serving process starts its analysis thread at once (embedded default): work a crash or stop
    left committed but undone is taken up without waiting for the next listing."""
    from shopwarden.service import analysis, products, reviews  # noqa: F401 (products and reviews register the work the thread does)

    analysis.notify(ctx)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations (creates the SQLite file under ./var/ if needed)."""
    ctx = context()
    out.print(f"database at {ctx.db.url} is up to date")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="platform | operator | seller | creator")],
    shop: Annotated[str | None, typer.Option(help="the shop a seller key belongs to")] = None,
    label: Annotated[str | None, typer.Option(help="a note to recognise the key by")] = None,
    creator: Annotated[str | None, typer.Option(help="the creator account a creator key belongs to")] = None,
) -> None:
    """Create a key and print it alone on stdout (it is shown once; only its digest is kept)."""
    from shopwarden.service.auth import create_key

    try:
        print(create_key(context(), role, shop, label, creator))
    except ShopwardenError as exc:
        fail(exc)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key's id: the part between 'sw_' and the next '_'")]) -> None:
    """Revoke a key: refused from its next request on, in every server process; its page sessions end."""
    from shopwarden.service.auth import revoke_key

    try:
        ended = revoke_key(context(), key_id)
    except ShopwardenError as exc:
        fail(exc)
    out.print(f"key {key_id} revoked; {ended} page session{'' if ended == 1 else 's'} ended", markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Serve the REST API and the pages (seller centre, operator console), /metrics and /readyz;
    logs are JSON lines on stderr (SHOPWARDEN_LOG_LEVEL, default INFO: one line a request)."""
    import uvicorn

    from shopwarden.api.logs import configure

    configure()
    if workers > 1:  # migrate once here; then each worker process builds its own app on the same database
        context().db.dispose()
        # one cookie secret for all the workers, or a page session would open on one worker only
        os.environ.setdefault("SHOPWARDEN_SESSION_SECRET", secrets.token_urlsafe(32))
        _metrics_dir()
        uvicorn.run("shopwarden.api.app:app_from_environment", factory=True, host=host, port=port, workers=workers, log_level="warning",
                    access_log=False, log_config=None)
        return
    from shopwarden.api.app import create_app, settle

    ctx = context()
    resume_analysis(ctx)
    uvicorn.run(settle(create_app(ctx)), host=host, port=port, log_level="warning", access_log=False, log_config=None)


def _metrics_dir() -> None:
    """Every worker's metrics in one /metrics (prometheus-client's multiprocess mode): a fresh
    directory for their files unless PROMETHEUS_MULTIPROC_DIR names one (emptied: old workers' files
    would count twice)."""
    import tempfile

    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="shopwarden-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


DEMO_WEBHOOK_HOSTS = "127.0.0.1,localhost,::1"  # `make run`'s default: receivers on this machine


@app.command("demo-serve", hidden=True)
def demo_serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """`make run`: migrate, seed the demo marketplace on a new database, print a key and URLs, serve.
    Webhooks to this machine's own receivers are allowed unless SHOPWARDEN_WEBHOOK_HOSTS says
    otherwise (a demo on one's own machine; `serve` allows none by default)."""
    from shopwarden.service.context import open_context
    from shopwarden.service.demo import seed_if_new

    url = database_url()
    from shopwarden.store.db import Database

    fresh = Database(url).is_new()
    ctx = open_context(url)
    info = seed_if_new(ctx, fresh)
    base = f"http://{host}:{port}"
    out.rule("shopwarden")
    out.print(f"database: {ctx.db.url}" + ("  (new: demo marketplace seeded)" if fresh else ""))
    if info:
        out.print(f"platform key: [bold]{info.platform_key}[/bold]")
        out.print(f"operator key: {info.operator_key}")
        out.print(f"seller key ({info.seller_shop}): {info.seller_key}")
        if info.creator_key:
            out.print(f"creator key ({info.creator}): {info.creator_key}")
    else:
        out.print("existing database: make a key with  .venv/bin/shopwarden keys create --role platform")
    out.print(f"pages:      {base}/   (seller centre and operator console; sign in with a key above, 中文 / English)")
    out.print(f"API docs:   {base}/docs   (OpenAPI: {base}/openapi.json)")
    shop = info.sample_shop if info else "demo-medium"
    out.print(f"try:        curl -H 'Authorization: Bearer <key>' {base}/v1/shops/{shop}/health")
    hooks = os.environ.setdefault("SHOPWARDEN_WEBHOOK_HOSTS", DEMO_WEBHOOK_HOSTS)
    out.print(f"webhooks:   POST {base}/v1/webhooks to a receiver on {hooks} (SHOPWARDEN_WEBHOOK_HOSTS); delivered by this server")
    out.rule()
    import uvicorn

    from shopwarden.api.app import create_app, settle

    resume_analysis(ctx)
    uvicorn.run(settle(create_app(ctx)), host=host, port=port, log_level="warning")


@app.command()
def health(
    shop: Annotated[str, typer.Argument(help="shop id")],
    at: Annotated[datetime | None, typer.Option(parser=instant, help="evaluate at this instant (ISO 8601; UTC if no zone)")] = None,
) -> None:
    """A shop's standing as a table: points, level, sanctions, privileges, violations."""
    from shopwarden.core.periods import as_utc
    from shopwarden.service.auth import Principal
    from shopwarden.service.health import standing

    ctx = context()
    try:
        pack, st = standing(ctx, Principal("cli", "platform", None), shop, as_utc(at) if at else None)
    except ShopwardenError as exc:
        fail(exc)
    _print_standing(shop, pack, st)


def _print_standing(shop: str, pack, st) -> None:
    head = Table(title=f"{shop} — {pack.id} v{pack.version} at {st.at:%Y-%m-%d %H:%M} UTC", show_header=False)
    head.add_row("points 违规分", str(st.points))
    head.add_row("level 店铺健康度", st.level)
    head.add_row("next threshold 下一门槛", "—" if st.next_threshold is None else f"{st.next_threshold} ({st.points_to_next} to go)")
    head.add_row("warning 预警", "yes 是" if st.warning else "no 否")
    head.add_row("privileges 权限", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in st.privileges.items()))
    out.print(head)
    sanctions = Table(title="sanctions in force 生效中的处罚")
    for col in ("kind", "threshold", "starts", "ends"):
        sanctions.add_column(col)
    for s in st.sanctions:
        sanctions.add_row(s.kind, str(s.threshold), f"{s.starts_at:%Y-%m-%d}", "permanent 永久" if s.ends_at is None else f"{s.ends_at:%Y-%m-%d}")
    out.print(sanctions)
    vt = Table(title="violation records 违规记录")
    for col in ("id", "type", "severity", "points", "issued", "expires", "status"):
        vt.add_column(col)
    for v in st.violations:
        vt.add_row(v.violation_id, v.type, v.severity, str(v.points), f"{v.issued_at:%Y-%m-%d}", f"{v.expires_at:%Y-%m-%d}", v.status)
    out.print(vt)


IMPORT_UNCLEAN = 3  # `import` found conflicts or invalid lines (the rest was imported)
SHOWN = 50  # conflicts and invalid lines listed on the terminal; --problems FILE keeps them all


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON Lines: {\"record\": \"shop\"|\"violation\", …}", exists=True, dir_okay=False)],
    batch: Annotated[int, typer.Option(min=1, help="lines per transaction: a crash loses at most the batch in flight")] = 5000,
    problems: Annotated[Path | None, typer.Option("--problems", help="write every conflict and invalid line here (JSON Lines)", dir_okay=False)] = None,
) -> None:
    """Bulk-load shops, violations, orders, after-sales and complaints with a progress bar; safe to re-run, and re-running resumes after a crash.

    Records already stored with the same content are skipped; the same id with other content is a conflict
    (nothing is overwritten); invalid lines are listed and the rest is imported. Exit 0 when all is clean,
    3 when there were conflicts or invalid lines, 2 for a bad argument, 1 when the database failed (the
    batches before are committed: run the same command again).
    """
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
    from sqlalchemy.exc import SQLAlchemyError

    from shopwarden.service.importer import import_jsonl

    ctx = context()
    size = file.stat().st_size
    with Progress(TextColumn("importing"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("import", total=size)
        try:
            report = import_jsonl(ctx, file, batch, lambda done: bar.update(task, completed=done))
        except ShopwardenError as exc:
            fail(exc)
        except SQLAlchemyError as exc:  # the message, never the statement or its parameters
            reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
            err.print(f"error: the database refused a batch: {reason}", markup=False, highlight=False)
            err.print("the batches before it are committed; run the same command again to resume", markup=False, highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted: the batches before are committed; run the same command again to resume", markup=False, highlight=False)
            raise typer.Exit(130) from None
    _print_import(report)
    if problems is not None:
        _write_problems(problems, report)
    if not report.clean:
        raise typer.Exit(IMPORT_UNCLEAN)


def _print_import(report) -> None:
    def say(text: str) -> None:
        out.print(text, markup=False, highlight=False)  # ids and reasons are the file's text, not markup

    say(f"imported {report.shops} shops and {report.violations} violations in {report.seconds:.1f}s ({report.rate:,.0f} violations/s)")
    if report.orders or report.after_sales or report.complaints or report.skipped_orders:
        say(f"imported {report.orders} orders ({report.order_rate:,.0f} orders/s), {report.after_sales} after-sales and {report.complaints} complaints; "
            f"skipped as already present: {report.skipped_orders:,}")
    say(
        f"read {report.lines:,} lines in {report.batches} batch{'es' if report.batches != 1 else ''}; skipped as already present: {report.skipped_shops:,} shops, "
        f"{report.skipped_violations:,} violations; conflicts: {len(report.conflicts):,}; invalid lines: {len(report.invalid):,}"
    )
    if report.conflicts:
        say("conflicts (the id is stored with other content; nothing was overwritten):")
        for c in report.conflicts[:SHOWN]:
            say(f"  line {c.line}: {c.record} {c.id} differs in {', '.join(c.fields)}")
        if len(report.conflicts) > SHOWN:
            say(f"  … and {len(report.conflicts) - SHOWN:,} more (--problems FILE lists them all)")
    if report.invalid:
        say("invalid lines (not imported):")
        for p in report.invalid[:SHOWN]:
            say(f"  line {p.line}: {p.reason}")
        if len(report.invalid) > SHOWN:
            say(f"  … and {len(report.invalid) - SHOWN:,} more (--problems FILE lists them all)")


def _write_problems(path: Path, report) -> None:
    import orjson

    with path.open("wb") as fh:
        for c in report.conflicts:
            fh.write(orjson.dumps({"line": c.line, "problem": "conflict", "record": c.record, "id": c.id, "fields": list(c.fields)}) + b"\n")
        for p in report.invalid:
            fh.write(orjson.dumps({"line": p.line, "problem": "invalid", "reason": p.reason}) + b"\n")


@app.command()
def scan(
    file: Annotated[Path, typer.Argument(help="JSON Lines: one listing, message or review a line, with \"kind\"; reviews also get their RV-K signals", exists=True, dir_okay=False)],
    out_file: Annotated[Path, typer.Option("--out", help="where the findings go (JSON Lines)")] = Path("findings.jsonl"),
    policy: Annotated[str, typer.Option(help="the pack for lines whose shop is unknown")] = "douyin",
) -> None:
    """Scan a file with every detector; write findings as JSONL; print a summary per rule."""
    import orjson
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    from shopwarden.service.filescan import Summary, scan_lines

    ctx = context()
    summary = Summary()
    with file.open("rb") as src, out_file.open("wb") as sink, Progress(TextColumn("scanning"), BarColumn(), TaskProgressColumn(), console=err) as bar:
        task = bar.add_task("scan", total=file.stat().st_size)

        def lines():
            for line in src:
                bar.advance(task, len(line))
                yield line

        try:
            for row in scan_lines(ctx, lines(), policy, summary):
                sink.write(orjson.dumps(row.as_json()) + b"\n")
        except ShopwardenError as exc:
            fail(exc)
    table = Table(title=f"{summary.lines} items scanned → {out_file}")
    table.add_column("rule")
    table.add_column("findings", justify="right")
    for rule, n in sorted(summary.rules.items()):
        table.add_row(rule, str(n))
    out.print(table)
    out.print("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.decisions.items())) + (f"; {summary.bad} bad line(s)" if summary.bad else ""))


if __name__ == "__main__":
    app()
