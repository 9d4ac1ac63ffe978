"""The console's policy simulation and backtest pages: paste or pick a draft pack, see what
it would have done to every shop over a period and drill into each changed shop; each detector's
precision and recall against operators' decisions; where shadow detectors disagreed with the live
ones, with both sides' evidence, for an operator to label. The services check the role (operators and
the platform); a draft that does not validate is shown with every problem, as `policy validate` lists them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from shopwarden.core import instants
from shopwarden.core.detect.shadow import LABELS
from shopwarden.errors import InvalidInput, PolicyError
from shopwarden.service import backtests, shadows, simulation
from shopwarden.service.policies import builtin_pack_texts
from shopwarden.web import forms
from shopwarden.web.pages import Form, Page, PageRoute, SignedIn, local_path, render, see_other

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
DRAFT_MAX = 256 * 1024  # characters of a pasted draft pack
SHOPS_SHOWN = 200  # changed shops listed on the page (the summary counts them all)
DEFAULT_DAYS = 180


def _period(page: Page, lo: str | None, hi: str | None) -> tuple[datetime, datetime]:
    now = page.request.app.state.ctx.clock()
    return (_instant("from", lo) if lo else now - timedelta(days=DEFAULT_DAYS)), (_instant("to", hi) if hi else now)


def _instant(name: str, value: str) -> datetime:
    try:
        return instants.parse(value, UTC)
    except ValueError as exc:
        raise InvalidInput.one(name, str(exc)) from None


def _day(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M")


@router.get("/simulate")
def simulate_form(page: SignedIn, pack: str | None = None) -> Response:
    texts = builtin_pack_texts()
    lo, hi = _period(page, None, None)
    return render(page, "console/simulate.html", packs=sorted(texts), picked=pack if pack in texts else None,
                  draft=texts.get(pack or "", ""), lo=_day(lo), hi=_day(hi), against="", result=None, problems=None)


@router.post("/simulate")
def simulate(page: SignedIn, form: Form) -> Response:
    draft = forms.text(form, "draft", DRAFT_MAX, required=True)
    against = forms.text(form, "against", 64) or None
    lo, hi = _period(page, forms.text(form, "from", 40) or None, forms.text(form, "to", 40) or None)
    values: dict[str, Any] = dict(packs=sorted(builtin_pack_texts()), picked=None, draft=draft, lo=_day(lo), hi=_day(hi), against=against or "")
    try:
        result = simulation.simulate(page.request.app.state.ctx, page.caller, simulation.SimulationInput(draft, lo, hi, against))
    except PolicyError as exc:
        return render(page, "console/simulate.html", status=422, result=None, problems=exc.problems, **values)
    return render(page, "console/simulate.html", result=result, shown=result.changed[:SHOPS_SHOWN], problems=None, **values)


@router.get("/backtest")
def backtest(page: SignedIn, start: Annotated[str | None, Query(alias="from")] = None, end: Annotated[str | None, Query(alias="to")] = None) -> Response:
    lo, hi = _period(page, start, end)
    result = backtests.run(page.request.app.state.ctx, page.caller, backtests.BacktestInput(lo, hi))
    return render(page, "console/backtest.html", result=result, lo=_day(lo), hi=_day(hi))


@router.get("/shadows")
def shadow_list(page: SignedIn, start: Annotated[str | None, Query(alias="from")] = None, end: Annotated[str | None, Query(alias="to")] = None,
                detector: Annotated[str | None, Query(max_length=64)] = None, unlabelled: bool = False) -> Response:
    lo, hi = _period(page, start, end)
    q = shadows.DisagreementQuery(lo, hi, detector or None, unlabelled, SHOPS_SHOWN)
    rows = shadows.disagreements(page.request.app.state.ctx, page.caller, q)
    return render(page, "console/shadows.html", rows=rows, lo=_day(lo), hi=_day(hi), detector=detector or "", unlabelled=unlabelled, labels=LABELS)


@router.post("/shadows/{shadow_id}/label")
def shadow_label(page: SignedIn, shadow_id: str, form: Form) -> Response:
    label = forms.choice(form, "label", LABELS)
    note = forms.text(form, "note", shadows.NOTE_MAX) or None
    shadows.label(page.request.app.state.ctx, page.caller, shadows.LabelInput(shadow_id, label, note))
    back = form.get("next")
    return see_other(local_path(back if isinstance(back, str) else None, "/console/shadows") + f"#{shadow_id}")
