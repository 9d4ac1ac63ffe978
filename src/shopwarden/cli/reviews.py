"""`shopwarden reviews stats PRODUCT`: a product's rating as DY-LQ-1 sees it (visible reviews only,
the Wilson bound against the pack's threshold) and the malicious-review signals on its reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shopwarden.cli.times import instant
from shopwarden.errors import ShopwardenError

reviews_app = typer.Typer(help="reviews: ratings, DY-LQ-1 and malicious-review signals", no_args_is_help=True)
out = Console(soft_wrap=True)

VERDICT = {"low": "LOW — banned below the threshold 低好评", "ok": "ok 正常", "too_few_sales": "not judged: too few sales 销量不足",
           "too_few_reviews": "not judged: too few reviews 评价不足", None: "not judged by this policy 本政策不判定"}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


@reviews_app.command("stats")
def stats(
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="product id")],
    at: Annotated[datetime | None, typer.Option(parser=instant, help="as of this instant (ISO 8601; UTC if no zone)")] = None,
) -> None:
    """Rating, counts, positive rate, Wilson bound vs the DY-LQ-1 threshold, hidden reviews, signals by kind."""
    from shopwarden.cli.shell import context as _context
    from shopwarden.cli.shell import fail as _fail
    from shopwarden.core.periods import as_utc
    from shopwarden.service import reviews
    from shopwarden.service.auth import Principal

    try:
        s = reviews.stats(_context(), Principal("cli", "platform", None), product, as_utc(at) if at else None)
    except ShopwardenError as exc:
        _fail(exc)
    head = Table(title=f"{product} — {s['title'] or '(no title)'} · {s['category'] or 'no category'} · shop {s['shop_id']} · "
                       f"{s['policy']} v{s['policy_version']} at {s['at']:%Y-%m-%d %H:%M} UTC", show_header=False)
    head.add_row("status 状态", s["status"])
    head.add_row("average rating 平均评分", "—" if s["average"] is None else f"{s['average']:.2f} / 5")
    head.add_row("visible reviews 有效评价", str(s["reviews"]))
    head.add_row("hidden (RV-6) 已隐藏", str(s["hidden"]))
    head.add_row("stars 星级分布", "  ".join(f"{k}★ {v}" for k, v in s["histogram"].items()))
    head.add_row(f"positive (≥{s['positive_min_rating']}★) 好评", f"{s['positives']} ({_pct(s['positive_rate'])})")
    head.add_row("sales 销量", str(s["sales"]))
    bound = f"{s['wilson_lower_bound']:.3f} (z {s['confidence_z']})"
    if s["threshold"] is not None:
        where = s["threshold_category"] or "default"
        bound += f"  vs threshold 门槛 {s['threshold']:.2f} ({where}); judged from {s['min_sales']} sales and {s['min_reviews']} reviews"
    head.add_row("Wilson lower bound 置信下界", bound)
    head.add_row("DY-LQ-1 verdict 判定", VERDICT.get(s["outcome"], s["outcome"]))
    out.print(head)
    table = Table(title="signals on its reviews 恶意评价信号")
    table.add_column("rule")
    table.add_column("reviews", justify="right")
    for rule, n in s["signals"].items():
        table.add_row(rule, str(n))
    if not s["signals"]:
        table.add_row("none 无", "0")
    out.print(table)
