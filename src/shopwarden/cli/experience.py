"""`shopwarden experience sweep`: judge every shop for DY-QL-3 and record the new determinations with
their DY-QL-4 measures (e.g. nightly); `shopwarden experience roll`: the industries' peers rolled to
today (cron, just after midnight UTC); `shopwarden experience show SHOP`: the experience page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shopwarden.errors import ShopwardenError

experience_app = typer.Typer(help="the experience score (体验分) and poor-quality determinations (DY-QL)", no_args_is_help=True)


def _out() -> Console:
    """A console made when a command runs, so it reads the terminal's width then (COLUMNS), not at import."""
    return Console(soft_wrap=True)
SYSTEM = ("cli", "platform")


def _principal():
    from shopwarden.service.auth import Principal

    return Principal(*SYSTEM, None)


@experience_app.command("sweep")
def sweep(
    at: Annotated[datetime | None, typer.Option(help="judge as of this instant (UTC if no zone); default now")] = None,
    shop: Annotated[list[str] | None, typer.Option(help="only these shops (repeatable); default every shop whose policy scores experience")] = None,
) -> None:
    """Record a determination for each newly poor product or shop; print them."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.core.periods import as_utc
    from shopwarden.service import poor_quality

    try:
        made = poor_quality.sweep(_context(), _principal(), as_utc(at) if at else None, shop or None)
    except ShopwardenError as exc:
        _fail(exc)
    table = Table(title=f"{len(made)} new determination(s) 新认定")
    for col in ("id", "subject", "rule", "occurrence", "measures", "ticket"):
        table.add_column(col)
    for d in made:
        table.add_row(d.id, d.subject, d.rule, str(d.occurrence), ", ".join(m.kind for m in d.measures), d.violation_id)
    _out().print(table)


@experience_app.command("roll")
def roll(
    to: Annotated[datetime | None, typer.Option(help="roll to the start of this day (UTC); default today")] = None,
    policy: Annotated[list[str] | None, typer.Option(help="only these policies (repeatable); default every policy a shop is under")] = None,
) -> None:
    """Roll each market's peers (industry means and standings) to today, a day per transaction, keeping
    each day's snapshot; safe to re-run (a market already rolled is left). Run it daily just after
    00:00 UTC: a page never rolls a large market itself, it shows the last rolled day's peers."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.core.periods import as_utc
    from shopwarden.service import experience

    out = _out()

    def progress(market: str, day, k: int, n: int) -> None:
        out.print(f"{market}: {day.isoformat()} rolled ({k}/{n})")

    try:
        rolled = experience.roll(_context(), _principal(), as_utc(to).date() if to else None, policy or None, progress)
    except ShopwardenError as exc:
        _fail(exc)
    for r in rolled:
        was = r.was.isoformat() if r.was else "never"
        out.print(f"{r.market}: {r.day.isoformat()} (was {was}; {r.days} day(s) rolled)" if r.days else f"{r.market}: already at {r.day.isoformat()}")


@experience_app.command("show")
def show(
    shop: Annotated[str, typer.Argument(metavar="SHOP", help="shop id")],
    at: Annotated[datetime | None, typer.Option(help="as of this instant (UTC if no zone)")] = None,
) -> None:
    """The score, each indicator beside the industry mean, the products that pull it down."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.core.periods import as_utc
    from shopwarden.service import experience

    try:
        page = experience.page(_context(), _principal(), shop, as_utc(at) if at else None).as_json()
    except ShopwardenError as exc:
        _fail(exc)
    score = "— (too few orders 订单不足)" if page["score"] is None else f"{page['score']:.1f}"
    _out().print(f"{shop} · industry {page['industry'] or '—'} · {page['orders']} orders in {page['window_days']} days · score 体验分 {score}")
    if not page["peers_current"]:
        _out().print(f"peers as of {page['peers_day']} 同行数据截至 {page['peers_day']} (not rolled since: shopwarden experience roll)")
    table = Table(title="indicators 指标")
    for col in ("indicator", "group", "value", "industry mean", "count / of", "score"):
        table.add_column(col)
    for i in page["indicators"]:
        table.add_row(i["id"], i["group"], _pct(i["value"]), _pct(i["industry_mean"]), f"{i['count']} / {i['of']}", "—" if i["score"] is None else f"{i['score']:.1f}")
    _out().print(table)
    products = Table(title="products 商品 (DY-QL-3)")
    for col in ("product", "negative feedback", "lower bound", "industry mean", "orders", "poor quality"):
        products.add_column(col)
    for p in page["products"]:
        products.add_row(p["product_id"], _pct(p["negative_feedback_rate"]), f"{p['lower_bound']:.3f}", _pct(p["industry_mean"]), str(p["orders"]),
                         "POOR 品质差" if p["poor_quality"] else "no")
    _out().print(products)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"
