"""The operator console: queues with claiming, each item with its evidence side by side and a
decision form that requires a reason (the seller reads it), a shop's ledger timeline replayed at
any date, and the loaded policy packs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.responses import Response

from shopwarden.core.notices import OUTCOMES
from shopwarden.errors import Code, InvalidInput, NotFound
from shopwarden.service import (
    appeals,
    brands,
    cases,
    claims,
    content,
    creators,
    internal_complaints,
    notices,
    pages,
    poor_quality,
    review_reports,
    sessions,
)
from shopwarden.web import creator as creator_page
from shopwarden.web import forms, i18n
from shopwarden.web.evidence import boxes_by_image, marked_fields
from shopwarden.web.i18n import N_
from shopwarden.web.pages import Form, Page, PageRoute, SignedIn, local_path, render, see_other
from shopwarden.web.queues import BY_SLUG, DISPUTE, QUEUES, Queue

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
QUEUE_PAGE = 50  # rows per queue page, oldest first (the overview counts them all)
CLAIM_SCAN = 2000  # a claim filter (mine, unclaimed) looks this many items past the page
CLAIM_FILTERS = ("all", "mine", "unclaimed")
DONE = {"claimed": N_("You hold this item now; decide it before your claim runs out."), "released": N_("Claim released."),
        "decided": N_("Decided. The seller is told the decision and your reason."),
        # DSA Art. 20(5): the complainant (a seller, a creator or a notifier) is told
        "complaint.decided": N_("Decided. The complainant is told the decision and your reason.")}


def _ctx(page: Page):
    return page.request.app.state.ctx


def _rows(page: Page, queue: Queue, filters: dict[str, str | None], number: int) -> tuple[list[dict], bool]:
    """Page `number` (from 1) of the queue's rows with their running claims (and who holds them),
    filtered by claim, and whether another page follows."""
    ctx = _ctx(page)
    end = number * QUEUE_PAGE
    wanted = filters.get("claimed") or "all"
    rows = queue.rows(ctx, page.caller, filters, end + 1 + (0 if wanted == "all" else CLAIM_SCAN))
    held = claims.holders(ctx, page.caller, queue.kind, [r["id"] for r in rows])
    kept = [r for r in rows if not ((wanted == "mine" and (held.get(r["id"]) is None or not held[r["id"]].held_by(page.caller)))
                                    or (wanted == "unclaimed" and r["id"] in held))]
    shown = kept[end - QUEUE_PAGE:end]
    names = sessions.labels(ctx, {held[r["id"]].holder for r in shown if r["id"] in held})
    return [r | {"claim": held.get(r["id"]), "holder": names.get(held[r["id"]].holder) if r["id"] in held else None} for r in shown], len(kept) > end


@router.get("")
def overview(page: SignedIn) -> Response:
    waiting = pages.queue_counts(_ctx(page), page.caller)
    return render(page, "console/overview.html", counts=[(q, waiting[q.counted]) for q in QUEUES], now=_ctx(page).clock())


@router.get("/queues/{slug}")
def queue(slug: str, page: SignedIn) -> Response:
    q = BY_SLUG.get(slug)
    if q is None:
        raise NotFound(f"no queue {slug!r}; queues: {', '.join(BY_SLUG)}")
    params = page.request.query_params
    filters = {name: (params.get(name) or "").strip()[:64] or None for name in q.filters}
    if filters.get("claimed") not in (None, *CLAIM_FILTERS):
        raise InvalidInput.one("claimed", f"must be one of: {', '.join(CLAIM_FILTERS)}", Code.ONE_OF, allowed=list(CLAIM_FILTERS))
    number = params.get("p") or "1"
    if not number.isdigit() or not 1 <= int(number) <= 1000:
        raise InvalidInput.one("p", f"{number!r} is not a page number (1 to 1000)")
    rows, more = _rows(page, q, filters, int(number))
    links = {k: v for k, v in filters.items() if v}
    return render(page, q.template, queue=q, rows=rows, filters=filters, now=_ctx(page).clock(), number=int(number), more=more,
                  page_url=lambda n: q.url + "?" + urlencode(links | {"p": n}))


@router.post("/claims/{kind}/{item_id}")
def claim(kind: str, item_id: str, page: SignedIn, form: Form) -> Response:
    action = forms.choice(form, "action", ("claim", "release"))
    after = form.get("next")
    back = local_path(after if isinstance(after, str) else None, f"/console/{kind}s/{item_id}")
    if action == "claim":
        claims.claim(_ctx(page), page.caller, kind, item_id)
    else:
        claims.release(_ctx(page), page.caller, kind, item_id)
    return see_other(back + ("&" if "?" in back else "?") + f"done={'claimed' if action == 'claim' else 'released'}")


def _item_page(page: Page, kind: str, item_id: str, template: str, status: int, done: str | None, **values) -> Response:
    """A queue item's page: its own values, the claim on it and who holds it, and the note of what was just done."""
    ctx = _ctx(page)
    held = claims.holders(ctx, page.caller, kind, [item_id]).get(item_id)
    holder = sessions.labels(ctx, {held.holder}).get(held.holder) if held else None
    said = DONE.get(f"{kind}.{done}") or DONE.get(done or "")
    return render(page, template, status=status, claim=held, holder=holder, now=ctx.clock(), notice=page._(said) if said else None, **values)


def _appeal_page(page: Page, appeal_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    a, v, shop = pages.appeal_item(_ctx(page), page.caller, appeal_id)
    return _item_page(page, "appeal", appeal_id, "console/appeal.html", status, done, a=a, v=v, item_shop=shop, **extra)


@router.get("/appeals/{appeal_id}")
def appeal(appeal_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _appeal_page(page, appeal_id, done=done)


@router.post("/appeals/{appeal_id}/decision")
def decide_appeal(appeal_id: str, page: SignedIn, form: Form) -> Response:
    """TT-APL-5/TT-APL-6: granted or rejected, with the reason the seller reads; only by the claim's holder."""
    def body(f: FormData) -> appeals.DecisionInput:
        return appeals.DecisionInput(**_granted_or_rejected(f), manifestly_unfounded=f.get("manifestly_unfounded") == "yes")

    return _decide(page, "appeal", appeal_id, form, body, appeals.decide, _appeal_page)


def _granted_or_rejected(form: FormData) -> dict:
    return {"outcome": forms.choice(form, "outcome", ("granted", "rejected")), "reason": forms.text(form, "reason", 4000, required=True)}


def _decide(page: Page, kind: str, item_id: str, form: FormData, body: Callable[[FormData], Any], decide: Callable, again: Callable) -> Response:
    """Read the decision form, decide while holding the claim, and show the item again: decided, or
    with the form's problems (422, nothing decided)."""
    ctx = _ctx(page)
    try:
        values = body(form)
        claims.decide_holding(ctx, page.caller, kind, item_id, lambda: decide(ctx, page.caller, item_id, values))
    except InvalidInput as exc:
        return again(page, item_id, 422, problems=forms.problems(exc), sent=dict(form))
    return see_other(f"/console/{kind}s/{item_id}?done=decided")


def _case_page(page: Page, case_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    c = pages.case_item(_ctx(page), page.caller, case_id)
    if c["subject"]["kind"] == DISPUTE:
        return _item_page(page, "case", case_id, "console/dispute.html", status, done, c=c, item_shop=c["shop"], **extra)
    findings = [c["finding"]]
    return _item_page(page, "case", case_id, "console/case.html", status, done, c=c, item_shop=c["shop"], findings=findings,
                      marked=marked_fields(c["fields"], findings), boxes=boxes_by_image(findings), **extra)


def _content_page(page: Page, content_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    ctx = _ctx(page)
    piece = content.get(ctx, page.caller, content_id)
    who = creators.get(ctx, page.caller, piece.creator_id)
    rules = ctx.pack(who.policy).creators
    fields = {"title": piece.title, "description": piece.description, "transcript": piece.transcript, "links": "\n".join(piece.links)}
    state = "open" if any(w.id == content_id for w in content.queue(ctx, page.caller, 500)) else "decided"
    findings = [dict(f) for f in piece.findings]
    return _item_page(page, "content", content_id, "console/content.html", status, done, piece=piece, who=who, rules=rules, state=state,
                      findings=findings, marked=marked_fields(fields, findings), boxes=boxes_by_image(findings), **extra)


@router.get("/contents/{content_id}")
def content_item(content_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _content_page(page, content_id, done=done)


@router.post("/contents/{content_id}/decision")
def decide_content(content_id: str, page: SignedIn, form: Form) -> Response:
    """CR-6/CR-9: a violation of the chosen type (the content removed) or dismissed, with the reason the creator reads."""
    def body(f: FormData) -> dict:
        return {"outcome": forms.choice(f, "outcome", ("violation", "dismiss")), "reason": forms.text(f, "reason", 4000, required=True),
                "type": forms.text(f, "type", 64) or None, "severity": forms.text(f, "severity", 64) or None}

    def decide(ctx, principal, item_id, values):
        return content.decide(ctx, principal, item_id, content.DecisionInput(**values))

    return _decide(page, "content", content_id, form, body, decide, _content_page)


@router.get("/cases/{case_id}")
def case(case_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _case_page(page, case_id, done=done)


@router.post("/cases/{case_id}/decision")
def decide_case(case_id: str, page: SignedIn, form: Form) -> Response:
    """A finding decided `violation` (issued with its evidence; type and severity required) or `dismiss`;
    a same-product dispute `upheld` or `dismiss`; always with a reason."""
    def body(form: FormData) -> cases.CaseDecisionInput:
        outcome = forms.choice(form, "outcome", ("violation", "dismiss", "upheld"))  # the service checks which fit the case
        reason = forms.text(form, "reason", 4000, required=True)
        if outcome == "violation":
            return cases.CaseDecisionInput(outcome, reason, forms.text(form, "type", 64, required=True), forms.text(form, "severity", 64, required=True))
        return cases.CaseDecisionInput(outcome, reason)

    return _decide(page, "case", case_id, form, body, cases.decide, _case_page)


@router.get("/shops")
def find_shop(page: SignedIn, shop: str | None = None) -> Response:
    if shop and shop.strip():
        return see_other(f"/console/shops/{shop.strip()[:64]}")
    return render(page, "console/find_shop.html")


@router.get("/creators/{creator_id}")
def creator_timeline(creator_id: str, page: SignedIn, at: str | None = None) -> Response:
    """A creator's standing replayed at any date (UTC), drawn, with its measures and violations (CR-13)."""
    when = None
    if at:
        try:
            when = i18n.local_input(at, "UTC")
        except ValueError as exc:
            raise InvalidInput.one("at", f"{exc} (a date and time YYYY-MM-DDTHH:MM, UTC)") from None
    shown = creator_page.standing(page, creator_id, when)
    return render(page, "creator/centre.html", **shown, at_value=i18n.as_input(shown["h"].at, "UTC"), console=True)


@router.get("/shops/{shop_id}")
def timeline(shop_id: str, page: SignedIn, at: str | None = None) -> Response:
    ctx = _ctx(page)
    shop = pages.shop(ctx, page.caller, shop_id)
    when = None
    if at:
        try:
            when = i18n.local_input(at, shop.timezone)
        except ValueError as exc:
            raise InvalidInput.one("at", f"{exc} (a date and time YYYY-MM-DDTHH:MM, in the shop's time zone {shop.timezone})") from None
    pack, st, entries = pages.timeline(ctx, page.caller, shop_id, when)
    return render(page, "console/timeline.html", item_shop=shop, pack=pack, st=st, entries=entries, at_value=i18n.as_input(st.at, shop.timezone))


@router.get("/policies")
def policies(page: SignedIn) -> Response:
    return render(page, "console/policies.html", packs=pages.policy_packs(_ctx(page), page.caller))


def _report_page(page: Page, report_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    r, shop = pages.report_item(_ctx(page), page.caller, report_id)
    signals = [dict(x) for x in r.signals or ()]
    text = r.review["text"] if r.review is not None else ""
    return _item_page(page, "review_report", report_id, "console/review_report.html", status, done, r=r, item_shop=shop, signals=signals,
                      marked=marked_fields({"text": text}, signals), **extra)


@router.get("/review_reports/{report_id}")
def review_report(report_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _report_page(page, report_id, done=done)


@router.post("/review_reports/{report_id}/decision")
def decide_review_report(report_id: str, page: SignedIn, form: Form) -> Response:
    """RV-1: a person decides, with the reason the seller reads; granted hides the review (RV-6). Only by the claim's holder."""
    return _decide(page, "review_report", report_id, form, lambda f: review_reports.ReportDecisionInput(**_granted_or_rejected(f)),
                   review_reports.decide, _report_page)


def _qualification_page(page: Page, qualification_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    q = pages.qualification_item(_ctx(page), page.caller, qualification_id)
    return _item_page(page, "qualification", qualification_id, "console/qualification.html", status, done, q=q, item_shop=q["shop"],
                      brand=q["brand"], outside=q["outside_categories"], history=q["history"], **extra)


@router.get("/qualifications/{qualification_id}")
def qualification(qualification_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _qualification_page(page, qualification_id, done=done)


@router.post("/qualifications/{qualification_id}/decision")
def decide_qualification(qualification_id: str, page: SignedIn, form: Form) -> Response:
    """DY-BQ-1: approved or rejected, with the reason the seller reads; only by the claim's holder."""
    def body(form: FormData) -> brands.QualificationReviewInput:
        return brands.QualificationReviewInput(forms.choice(form, "outcome", ("approved", "rejected")), forms.text(form, "reason", 4000, required=True))

    return _decide(page, "qualification", qualification_id, form, body, brands.review, _qualification_page)


def _determination_page(page: Page, determination_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    d = poor_quality.queue_item(_ctx(page), page.caller, determination_id).as_json()
    return _item_page(page, "determination", determination_id, "console/determination.html", status, done, d=d, **extra)


@router.get("/determinations/{determination_id}")
def determination(determination_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _determination_page(page, determination_id, done=done)


@router.post("/determinations/{determination_id}/decision")
def find_fraud(determination_id: str, page: SignedIn, form: Form) -> Response:
    """DY-QL-4: an operator's finding of fraud on a determination (intent or batch risk), with the compensation
    per affected order; only by the claim's holder. Appeals of its ticket are decided in the appeals queue."""
    def body(form: FormData) -> dict:
        return {"kind": forms.choice(form, "outcome", ("intent", "batch_risk")), "reason": forms.text(form, "reason", 4000, required=True),
                "amount_per_order": forms.amount(form, "amount_per_order", 1_000_000)}

    def decide(ctx, principal, item_id: str, values: dict) -> poor_quality.Fraud:
        return poor_quality.find_fraud(ctx, principal, item_id, poor_quality.FraudInput(**values))

    return _decide(page, "determination", determination_id, form, body, decide, _determination_page)


def _notice_page(page: Page, notice_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    n = notices.get(_ctx(page), page.caller, notice_id)
    return _item_page(page, "notice", notice_id, "console/notice.html", status, done, n=n, **extra)


@router.get("/notices/{notice_id}")
def notice(notice_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _notice_page(page, notice_id, done=done)


@router.post("/notices/{notice_id}/decision")
def decide_notice(notice_id: str, page: SignedIn, form: Form) -> Response:
    """DSA Art. 16(6): a person decides; the notifier and the seller are told the outcome and the reason."""
    def body(f: FormData) -> notices.Decision:
        return notices.Decision(forms.choice(f, "outcome", OUTCOMES), forms.text(f, "reason", 4000, required=True))

    return _decide(page, "notice", notice_id, form, body, notices.decide, _notice_page)


def _complaint_page(page: Page, complaint_id: str, status: int = 200, done: str | None = None, **extra) -> Response:
    item = internal_complaints.contested(_ctx(page), page.caller, complaint_id)
    return _item_page(page, "complaint", complaint_id, "console/complaint.html", status, done, item=item, **extra)


@router.get("/complaints/{complaint_id}")
def complaint(complaint_id: str, page: SignedIn, done: str | None = None) -> Response:
    return _complaint_page(page, complaint_id, done=done)


@router.post("/complaints/{complaint_id}/decision")
def decide_complaint(complaint_id: str, page: SignedIn, form: Form) -> Response:
    """DSA Art. 20(4)-(6): a named person reverses the decision (granted), upholds it (rejected) or rejects the complaint
    as manifestly unfounded (Art. 23), with the reason the complainant reads; only by the claim's holder."""
    def body(f: FormData) -> internal_complaints.DecisionInput:
        problems = []
        values = {}
        for name, read in (("outcome", lambda: forms.choice(f, "outcome", internal_complaints.OUTCOMES)),
                           ("reason", lambda: forms.text(f, "reason", 4000, required=True)),
                           ("decided_by", lambda: forms.text(f, "decided_by", 128, required=True))):
            try:
                values[name] = read()
            except InvalidInput as exc:
                problems += exc.errors
        if problems:
            raise InvalidInput.of(problems)
        return internal_complaints.DecisionInput(values["outcome"], values["reason"], values["decided_by"])

    return _decide(page, "complaint", complaint_id, form, body, internal_complaints.decide, _complaint_page)
