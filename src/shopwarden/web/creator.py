"""The creator centre (达人中心, CR-13) of one creator account: the score or points drawn over
time with its milestones and forecast, the band, measures in force and their ends, commissions
frozen and forfeited, each violation with its content, evidence and statement of reasons and an
appeal form, and the notices. Every read goes through a service function that checks the caller
may see `creator_id` (`auth.require`)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service import appeals, content, creators, violations
from shopwarden.web import chart, forms
from shopwarden.web.i18n import N_
from shopwarden.web.pages import Form, PageRoute, SignedIn, render, see_other

router = APIRouter(prefix="/creator/{creator_id}", route_class=PageRoute, include_in_schema=False)
TABS = (("", N_("Creator centre")), ("/notices", N_("Notices")))
FILED = N_("Your appeal was filed. You will be told the decision and its reason.")


def tabs(creator_id: str) -> list[tuple[str, str]]:
    return [(f"/creator/{creator_id}{suffix}", label) for suffix, label in TABS]


def _ctx(page):
    return page.request.app.state.ctx


def _lang(page) -> str:
    return "zh" if page.lang == "zh-CN" else "en"


def standing(page, creator_id: str, at: datetime | None) -> dict:
    """What the centre shows at `at` (None: now), for the creator and for an operator replaying it
    (console): the account, its health, the chart with the milestones or thresholds (and, on a
    health score, the bands' edges), the types' names and each violation's latest appeal."""
    ctx = _ctx(page)
    who = creators.get(ctx, page.principal, creator_id)
    health = creators.health(ctx, page.principal, creator_id, at)
    drawn = creators.series(ctx, page.principal, creator_id, health.at)
    title = page._("Health score over time") if health.model == "health_score" else page._("Violation points over time")
    pack = ctx.pack(who.policy)
    lines = [chart.Line(v, f"{v:g}") for v, _ in drawn.lines]
    if health.model == "health_score" and pack.creators:  # the bands' lower edges too: where "healthy" begins
        drawn_at = {v for v, _ in drawn.lines}
        near = max(pack.creators.max_score // 100, 1)  # 151 beside the 150 milestone: one label, not two on top of each other
        lines += [chart.Line(float(b.min), f"{b.min:g}") for b in pack.creators.bands if b.min > 0 and all(abs(b.min - v) > near for v in drawn_at)]
    svg = chart.svg(drawn.points, drawn.now, lines, title, lambda t: page.fmt.day(t, "UTC"))
    names = {t.type: t.name for t in pack.creators.violation_types} if pack.creators else {}
    appealed = creators.appeal_statuses(ctx, page.principal, creator_id)
    return {"who": who, "h": health, "chart": svg, "pack": pack, "names": names, "appealed": appealed}


@router.get("")
def centre(creator_id: str, page: SignedIn) -> Response:
    return render(page, "creator/centre.html", tabs=tabs(creator_id), **standing(page, creator_id, None))


@router.get("/notices")
def notices(creator_id: str, page: SignedIn) -> Response:
    ctx = _ctx(page)
    who = creators.get(ctx, page.caller, creator_id)
    return render(page, "creator/notices.html", tabs=tabs(creator_id), who=who, notices=creators.notices(ctx, page.caller, creator_id, None, _lang(page)))


def _violation_page(page, creator_id: str, violation_id: str, status: int = 200, **extra) -> Response:
    ctx = _ctx(page)
    who = creators.get(ctx, page.principal, creator_id)
    v = violations.get(ctx, page.principal, violation_id, None).as_json()
    if v.get("creator_id") != creator_id:
        raise NotFound.no("violation", violation_id, f" of creator {creator_id!r}")
    piece = content.get(ctx, page.principal, v["content_id"]) if v.get("content_id") else None
    statement = [n for n in creators.notices(ctx, page.principal, creator_id, None, _lang(page)) if n.violation_id == violation_id]
    return render(page, "creator/violation.html", status=status, tabs=tabs(creator_id), who=who, v=v, piece=piece, statement=statement, **extra)


@router.get("/violations/{violation_id}")
def violation(creator_id: str, violation_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _violation_page(page, creator_id, violation_id, notice=page._(FILED) if done == "appeal" else None)


@router.post("/violations/{violation_id}/appeal")
async def file_appeal(creator_id: str, violation_id: str, page: SignedIn, form: Form) -> Response:
    """File an appeal (CR-11): a reason and evidence text; bad input re-shows the form with the problem."""
    ctx = _ctx(page)
    try:
        reason = forms.text(form, "reason", 4000, required=True)
        evidence = forms.text(form, "evidence", 4000, required=True)
        v = (await run_in_threadpool(violations.get, ctx, page.caller, violation_id, None)).as_json()
        if v.get("creator_id") != creator_id:
            raise InvalidInput.one("violation", "not this creator's violation")
        await run_in_threadpool(appeals.file, ctx, page.caller, violation_id, appeals.AppealInput(reason, [{"kind": "text", "value": evidence}]))
    except (InvalidInput, Conflict) as exc:
        return await run_in_threadpool(_violation_page, page, creator_id, violation_id, 409 if isinstance(exc, Conflict) else 422, refused=exc)
    return see_other(f"/creator/{creator_id}/violations/{violation_id}?done=appeal")
