"""The seller centre (卖家中心) of one shop: store diagnosis, violation records with appeals,
rectification tasks, listings awaiting review, reviews with their reports (RV-1..6), notices. Every read goes through a service function
that checks the caller may see `shop_id`."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shopwarden.errors import Code, Conflict, InvalidInput, NotFound
from shopwarden.service import appeals, bans, experience, health, images, pages, products, rectification, review_reports
from shopwarden.service import notices as notice_cases
from shopwarden.web import chart, forms
from shopwarden.web.evidence import boxes_by_image, marked_fields
from shopwarden.web.i18n import N_
from shopwarden.web.pages import Form, PageRoute, SignedIn, render, score_name, see_other, template_global

router = APIRouter(prefix="/shop/{shop_id}", route_class=PageRoute, include_in_schema=False)

PAGE_UPLOAD_BYTES = 8 << 20  # an image's limit (core/images/decode.py); the appeal and report forms get the upload body limit (api/app.py BodyLimit)
DONE = {"appeal": N_("Your appeal was filed. You will be told the decision and its reason."),
        "resubmitted": N_("The listing was re-submitted and scanned again."),
        "reported": N_("Your report was filed. An operator decides it; you will see the outcome and its reason here."),
        "disputed": N_("Your dispute was filed. An operator compares the two products; you will see the decision and its reason here and in your notices."),
        "counter_noticed": N_("Your counter-notice was filed. The measure ends after the period unless the rights owner shows it went to court or to an authority.")}
REPORT_KINDS = tuple(review_reports.KIND_RULES)
WHY_NOT = {  # pages.Refusal.why -> the sentence the seller reads (the rule's id is shown beside it)
    "blocked": N_("Your shop is blocked from reporting reviews until %(until)s."),
    "not_negative": N_("Only negative reviews (rated %(max)s or less) can be reported."),
    "too_old": N_("The %(days)s days to report this review have passed."),
    "reported": N_("Already reported: a review can be reported once."),
    "other": N_("This review cannot be reported."),
}


def _ctx(page):
    return page.request.app.state.ctx


def _done(page, key: str | None) -> str | None:
    return page._(DONE[key]) if key in DONE else None


@router.get("")
def diagnosis(shop_id: str, page: SignedIn, done: str | None = None) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    pack, st, forecast = pages.diagnosis(ctx, page.caller, shop_id)
    drawn = pages.points_series(ctx, page.caller, shop_id, st.at)
    svg = chart.svg(drawn.points, drawn.now, [chart.Line(v, f"{v:g}") for v, _ in drawn.lines], page._("Violation points over time"),
                    lambda t: page.fmt.day(t, shop.timezone))
    return render(page, "seller/diagnosis.html", shop=shop, pack=pack, st=st, forecast=forecast, chart=svg, notice=_done(page, done))


@router.get("/experience")
def experience_page(shop_id: str, page: SignedIn) -> Response:
    """The 体验分 page (DY-QL-5): the score, each indicator beside the industry mean (drawn), the
    products pulling it down, the trend, the forecast, and the determinations with their measures."""
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    name = score_name(page, shop.pack)
    if name is None:
        return render(page, "seller/experience.html", shop=shop, x=None, bars=None, trend=None, name=page._("Experience score"))
    x = experience.page(ctx, page.caller, shop_id, None).as_json()
    pairs = [chart.Pair(page._(i["id"]), i["value"], i["industry_mean"]) for i in x["indicators"]]
    drawn = chart.bars(pairs, page._("Indicators beside the industry mean"), page._("This shop"), page._("Industry mean"))
    points = [(t["at"], float(t["score"])) for t in x["trend"] if t["score"] is not None]
    points += [(f["at"], float(f["score"])) for f in x["forecast"] if f["score"] is not None]
    trend = chart.svg(points, x["at"], [], page._("%(name)s over time", name=name), lambda t: page.fmt.day(t, shop.timezone)) if len(points) > 1 else None
    return render(page, "seller/experience.html", shop=shop, x=x, bars=drawn, trend=trend, name=name, why=lambda f: forecast_why(page, f))


@router.get("/violations")
def violation_list(shop_id: str, page: SignedIn) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    pack, st, appeal_status = pages.violations_of(ctx, page.caller, shop_id)
    return render(page, "seller/violations.html", shop=shop, pack=pack, st=st, appeal_status=appeal_status)


def _violation_page(page, shop_id: str, violation_id: str, status: int = 200, **extra) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.principal, shop_id)
    v = pages.violation_of_shop(ctx, page.principal, shop_id, violation_id)
    statement = [n.as_json() for n in health.notices(ctx, page.principal, shop_id, None, "zh" if page.lang == "zh-CN" else "en") if n.violation_id == violation_id]
    return render(page, "seller/violation.html", status=status, shop=shop, v=v, statement=statement,
                  max_upload=PAGE_UPLOAD_BYTES, **extra)


@router.get("/violations/{violation_id}")
def violation(shop_id: str, violation_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _violation_page(page, shop_id, violation_id, notice=_done(page, done))


@router.post("/violations/{violation_id}/appeal")
async def file_appeal(shop_id: str, violation_id: str, page: SignedIn, form: Form) -> Response:
    """File an appeal: reason, evidence text, and an evidence image stored by the image service
    (its size and type limits). Bad input re-shows the form with the field's problem."""
    ctx = _ctx(page)
    try:
        reason = forms.text(form, "reason", 4000, required=True)
        v = await run_in_threadpool(pages.violation_of_shop, ctx, page.caller, shop_id, violation_id)
        if not v["appeal"]["open"]:
            raise Conflict(v["appeal"]["why_closed"] or "the appeal window is closed", rule=v["appeal"]["rule"])
        evidence = await _evidence(page, form, shop_id)
        await run_in_threadpool(appeals.file, ctx, page.caller, violation_id, appeals.AppealInput(reason, evidence))
    except InvalidInput as exc:
        return await run_in_threadpool(_violation_page, page, shop_id, violation_id, 422, problems=forms.problems(exc), sent=dict(form))
    return see_other(f"/shop/{shop_id}/violations/{violation_id}?done=appeal")


async def _evidence(page, form, shop_id: str, required: bool = False) -> list[dict]:
    """A form's evidence: its text, and its image stored by the image service (that service's size
    and type limits); `required` (RV-5) asks for at least one of the two."""
    note = forms.text(form, "evidence_text", 20000)
    upload = await forms.file_bytes(form.get("evidence_image"))
    if required and not note and upload is None:
        raise InvalidInput.one("evidence_text", "is required (RV-5): describe the evidence, attach an image of it, or both", Code.REPORT_EVIDENCE_TEXT_REQUIRED)
    evidence = [{"kind": "text", "value": note}] if note else []
    if upload is not None:
        stored, _ = await run_in_threadpool(images.upload, _ctx(page), page.principal, upload[0], shop_id)
        evidence.append({"kind": "image", "value": stored.image_id, "note": upload[1][:200]})
    return evidence


@router.get("/rectification")
def tasks(shop_id: str, page: SignedIn) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    return render(page, "seller/tasks.html", shop=shop, tasks=[t.as_json() for t in rectification.tasks_of(ctx, page.caller, shop_id, None)], now=ctx.clock())


@router.get("/listings")
def listings(shop_id: str, page: SignedIn) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    return render(page, "seller/listings.html", shop=shop, listings=pages.listings_of(ctx, page.caller, shop_id))


def _listing_page(page, shop_id: str, product_id: str, status: int = 200, **extra) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.principal, shop_id)
    p = pages.listing_of_shop(ctx, page.principal, shop_id, product_id)
    tasks = [t.as_json() for t in rectification.tasks_of(ctx, page.principal, shop_id, None) if t.product_id == product_id]
    return render(page, "seller/listing.html", status=status, shop=shop, p=p, tasks=tasks, marked=marked_fields(p["fields"], p["findings"]),
                  boxes=boxes_by_image(p["findings"]), max_upload=PAGE_UPLOAD_BYTES, **extra)


@router.get("/listings/{product_id}")
def listing(shop_id: str, product_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _listing_page(page, shop_id, product_id, notice=_done(page, done))


@router.post("/listings/{product_id}")
def resubmit(shop_id: str, product_id: str, page: SignedIn, form: Form) -> Response:
    """Re-submit the listing with an edited title and description (the rest as it was); it is
    scanned again, and a rectification task closes when its rule no longer blocks."""
    ctx = _ctx(page)
    try:
        title = forms.text(form, "title", 1000, required=True)
        description = forms.text(form, "description", 100_000)
        current = pages.listing_of_shop(ctx, page.caller, shop_id, product_id)
        products.put(ctx, page.caller, product_id, current["listing"] | {"title": title, "description": description, "shop_id": shop_id})
    except InvalidInput as exc:
        return _listing_page(page, shop_id, product_id, 422, problems=forms.problems(exc), sent=dict(form))
    return see_other(f"/shop/{shop_id}/listings/{product_id}?done=resubmitted")


@router.post("/listings/{product_id}/dispute")
async def dispute_match(shop_id: str, product_id: str, page: SignedIn, form: Form) -> Response:
    """DY-LQ-3/4: dispute that this listing is the same product as a banned one, with a reason and
    evidence (a text, an image, or both); an operator decides it (the console's disputes queue)."""
    ctx = _ctx(page)
    try:
        current = await run_in_threadpool(pages.listing_of_shop, ctx, page.caller, shop_id, product_id)
        matched = [f["match"]["banned_product_id"] for f in current["findings"] if (f.get("match") or {}).get("banned_product_id")]
        banned_product_id = forms.choice(form, "banned_product_id", tuple(matched) or ("",))
        body = bans.DisputeInput(banned_product_id, forms.text(form, "reason", 4000, required=True), await _evidence(page, form, shop_id))
        await run_in_threadpool(bans.dispute, ctx, page.caller, product_id, body)
    except InvalidInput as exc:
        return await run_in_threadpool(_listing_page, page, shop_id, product_id, 422, problems=forms.problems(exc), sent=dict(form), form_of="dispute")
    return see_other(f"/shop/{shop_id}/listings/{product_id}?done=disputed")


@router.get("/reviews")
def shop_reviews(shop_id: str, page: SignedIn, done: str | None = None) -> Response:
    ctx = _ctx(page)
    found = pages.shop_reviews(ctx, page.caller, shop_id)
    return render(page, "seller/reviews.html", shop=found.shop, items=found.items, block=found.block, rules=found.rules, reports=found.reports,
                  now=ctx.clock(), notice=_done(page, done))


def _report_page(page, shop_id: str, review_id: str, status: int = 200, **extra) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.principal, shop_id)
    review, refusal = pages.review_of_shop(ctx, page.principal, shop_id, review_id)
    return render(page, "seller/report.html", status=status, shop=shop, r=review, refusal=refusal, kinds=review_reports.KIND_RULES,
                  max_upload=PAGE_UPLOAD_BYTES, **extra)


@router.get("/reviews/{review_id}/report")
def report_form(shop_id: str, review_id: str, page: SignedIn) -> Response:
    return _report_page(page, shop_id, review_id)


@router.post("/reviews/{review_id}/report")
async def file_report(shop_id: str, review_id: str, page: SignedIn, form: Form) -> Response:
    """RV-5: kind, reason and evidence (a text, an image such as a chat screenshot, or both); the
    service refuses what RV-2..4 forbid (a 409 page saying which rule)."""
    ctx = _ctx(page)
    try:
        await run_in_threadpool(pages.review_of_shop, ctx, page.caller, shop_id, review_id)
        kind, reason = forms.choice(form, "kind", REPORT_KINDS), forms.text(form, "reason", 4000, required=True)
        body = review_reports.ReportInput(kind, reason, await _evidence(page, form, shop_id, required=True))
        await run_in_threadpool(review_reports.file, ctx, page.caller, review_id, body)
    except InvalidInput as exc:
        return await run_in_threadpool(_report_page, page, shop_id, review_id, 422, problems=forms.problems(exc), sent=dict(form))
    return see_other(f"/shop/{shop_id}/reviews?done=reported")


def _notices_page(page, shop_id: str, status: int = 200, **extra) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.principal, shop_id)
    items = [n.as_json() for n in health.notices(ctx, page.principal, shop_id, None, "zh" if page.lang == "zh-CN" else "en")]
    return render(page, "seller/notices.html", status=status, shop=shop, notices=list(reversed(items)), **extra)


@router.get("/notices")
def notices(shop_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _notices_page(page, shop_id, notice=_done(page, done))


@router.post("/notices/{notice_id}/counter-notice")
def counter_notice(shop_id: str, notice_id: str, page: SignedIn, form: Form) -> Response:
    """E-Commerce Law art. 43: the seller declares there is no infringement; the measure ends after the pack's period
    unless the rights owner shows proceedings (the service refuses another shop's notice, or one on another ground)."""
    ctx = _ctx(page)
    try:
        pages.shop(ctx, page.caller, shop_id)
        found = notice_cases.get(ctx, page.caller, notice_id)
        if found["target"]["shop_id"] != shop_id:
            raise NotFound(f"no notice {notice_id!r} on shop {shop_id}")
        notice_cases.counter_notice(ctx, page.caller, notice_id, forms.text(form, "reason", 4000, required=True))
    except InvalidInput as exc:
        return _notices_page(page, shop_id, 422, problems=forms.problems(exc), sent=dict(form), form_of=notice_id)
    return see_other(f"/shop/{shop_id}/notices?done=counter_noticed")


LEAVING_SEPARATOR = {"zh-CN": "、"}


def forecast_why(page, item: dict) -> str:
    """DY-QL-5's forecast line in the page's language, from its structured counts (not the API's English `why`)."""
    counts = LEAVING_SEPARATOR.get(page.lang, ", ").join(page._("%(n)s %(what)s", n=n, what=page._(k)) for k, n in item["leaving"].items())
    return page._("%(counts)s recorded before %(day)s leave the window", counts=counts, day=item["before"])


@template_global
def gauge(pack, c) -> dict:
    """A point class's bar: filled to its points, scaled to the next threshold (or the last one
    reached), with a tick at every threshold on the way."""
    marks = [t.points for t in pack.ladders.get(c.point_class, ())]
    top = max(c.next_threshold or (marks[-1] if marks else 0), c.points, 1)
    return {"max": top, "width": round(min(c.points / top, 1) * 100, 1), "ticks": [round(p / top * 100, 1) for p in marks if p <= top]}


@template_global
def why_not(page, shop, refusal) -> str:
    """Why a review cannot be reported, in the page's language, from the service's refusal."""
    rules = shop.pack.review_reports
    return page._(WHY_NOT[refusal.why], until=page.fmt.when(refusal.until, shop.timezone), max=rules.negative_max_rating if rules else "",
                  days=rules.window_days if rules else "")
