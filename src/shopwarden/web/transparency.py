"""The transparency report (DSA Art. 24) as a page: in the console (/console/transparency) and as the
standalone HTML file `shopwarden transparency-report --html` writes, from one partial template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from markupsafe import Markup
from starlette.responses import Response

from shopwarden.core.measure_kinds import MEASURE_KINDS
from shopwarden.errors import InvalidInput
from shopwarden.service import transparency
from shopwarden.web import chart, i18n
from shopwarden.web.pages import PageRoute, SignedIn, _env, render

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
STATIC = Path(__file__).parent / "static"
DEFAULT_DAYS = 365
AUTOMATED = {"fully": "automated_fully", "partially": "automated_partially", "not": "automated_not"}  # catalogue ids (web/words.py)


def charts(r: dict[str, Any], lang: str, gettext: Callable[[str], str]) -> dict[str, Markup]:
    """The report's counts drawn, labelled in `lang` (measure kinds by their own names, ids by the catalogue)."""
    zh = lang == "zh-CN"
    kind = lambda k: (MEASURE_KINDS[k].zh if zh else MEASURE_KINDS[k].en) if k in MEASURE_KINDS else k  # noqa: E731
    category = lambda c: c.removeprefix("STATEMENT_CATEGORY_").replace("_", " ").lower()  # noqa: E731
    m, n, c = r["measures"], r["notices"], r["complaints"]
    return {
        "kinds": chart.counts([(kind(k), v) for k, v in m["by_kind"].items()], gettext("Measures by kind")),
        "grounds": chart.counts(list(m["by_ground"].items()), gettext("Measures by ground")),
        "categories": chart.counts([(category(k), v) for k, v in m["by_category"].items()], gettext("Measures by category")),
        "sources": chart.counts([(gettext(k), v) for k, v in m["by_source"].items()], gettext("Own initiative or notice")),
        "automation": chart.counts([(gettext(AUTOMATED[k]), v) for k, v in m["automated_decision"].items()], gettext("Automated decision")),
        "notice_types": chart.counts([(gettext(k), v) for k, v in n["by_type"].items()], gettext("Notices by type")),
        "notice_outcomes": chart.counts([(gettext(k), v) for k, v in n["by_outcome"].items()], gettext("Notices by outcome")),
        "complaint_outcomes": chart.counts([(gettext(k), v) for k, v in _complaint_outcomes(c).items()], gettext("Complaints by outcome")),
    }


def _complaint_outcomes(c: dict[str, Any]) -> dict[str, int]:
    """Rejections split into those found manifestly unfounded (DSA Art. 23) and the others."""
    unfounded = (c.get("manifestly_unfounded") or {}).get("total", 0)
    o = c["by_outcome"]
    return {"granted": o["granted"], "rejected": o["rejected"] - unfounded, "manifestly_unfounded": unfounded, "pending": o["pending"]}


def _day(value: str | None, field: str, default: datetime) -> datetime:
    if not value:
        return default
    try:
        return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(), UTC)
    except ValueError:
        raise InvalidInput.one(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


@router.get("/transparency")
def page(page: SignedIn) -> Response:
    params = page.request.query_params
    today = datetime.combine(page.request.app.state.ctx.clock().date(), time(), UTC) + timedelta(days=1)
    end = _day(params.get("to"), "to", today)
    start = _day(params.get("from"), "from", end - timedelta(days=DEFAULT_DAYS))
    r = transparency.report(page.request.app.state.ctx, page.caller, start, end).as_json()
    return render(page, "console/transparency.html", r=r, charts=charts(r, page.lang, page._), start=start, end=end - timedelta(days=1))


def standalone(r: dict[str, Any], lang: str) -> str:
    """The report as one self-contained HTML file (styles inlined, charts as SVG, no script)."""
    gettext = i18n.translations(lang).gettext
    _ = lambda message, **p: gettext(message) % p if p else gettext(message)  # noqa: E731
    return _env.get_template("transparency_report.html").render(r=r, charts=charts(r, lang, _), _=_, fmt=i18n.Formats(lang), lang=lang,
                                                                css=Markup((STATIC / "app.css").read_text(encoding="utf-8")))
