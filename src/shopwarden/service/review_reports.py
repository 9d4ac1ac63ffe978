"""Sellers' reports of malicious reviews and their decisions (RULES.md §2, RV-1..6).

A report (RV-5: kind, reason and evidence) is accepted only for a negative review of the last
`window_days` (RV-2), once per review (RV-3), and not while the shop is blocked from reporting
(RV-4). The review's signals, recomputed at filing time (the chat may have gone on since the
review), are attached for the operator, who decides: nothing is granted by default (RV-1); a
granted report hides the review from public view and the rating, deleting nothing (RV-6).

RV-4 after each decision, over the decisions of the last `abuse.window_days`: with at least
`min_reports` decided and a rejected share at or above `warn_share`, the shop is warned;
warned since its last block and at or above `block_share`, it is blocked from reporting for
`block_days`. Decision: the warning always comes first (a block needs a warning given after the
last block ended), and a running block is never extended. Every decision, warning, block and
the block's end is a notice to the seller, in Chinese and English, with the figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.periods import add_days
from shopwarden.core.policy.schema import PolicyPack, ReviewReportRules
from shopwarden.core.reviews.model import ReviewView
from shopwarden.errors import AlreadyReported, Code, Conflict, FieldProblem, InvalidInput, NotFound
from shopwarden.service import experience
from shopwarden.service import reviews as review_service
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.decisions import Decidable, deciding
from shopwarden.service.results import Result, to_json
from shopwarden.service.times import event_time
from shopwarden.service.violations import new_id
from shopwarden.store import experience as experience_store
from shopwarden.store import review_reports, reviews, shops
from shopwarden.store.review_reports import ReportDecision, ReportingAction
from shopwarden.store.review_reports import ReviewReport as ReportRow
from shopwarden.store.reviews import ReviewHide, ReviewRow, ReviewSignals
from shopwarden.store.shops import Shop

KIND_RULES = {"repeated": "RV-K-1", "coercive": "RV-K-2", "competitor": "RV-K-3", "diversion": "RV-K-4", "wrong": "RV-K-5", "invalid": "RV-K-6", "other": None}
STATUSES = ("pending", "granted", "rejected")
REPORT = Decidable("report", "review report", "RV-1", review_reports.get)  # RV-1: a person decides, once


@dataclass(frozen=True, slots=True)
class ReportInput:
    """RV-5: what a seller files; the gaps are named by `file` (422), so every field may be missing here."""

    kind: str | None = None
    reason: str | None = None
    evidence: Sequence[Mapping[str, Any]] = ()
    filed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportDecisionInput:
    outcome: str  # granted | rejected
    reason: str
    decided_at: datetime | None = None
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class ReportDecisionView(Result):
    outcome: str
    reason: str
    decided_at: datetime
    decided_by: str
    rule: str  # RV-6 granted, RV-1 rejected


@dataclass(frozen=True, slots=True)
class ReportView(Result):
    """A report as the API shows it; `signals` only to the platform and operators, `review` when read with it."""

    report_id: str
    review_id: str
    shop_id: str
    number: int
    kind: str
    kind_rule: str | None
    reason: str
    evidence: Sequence[Mapping[str, Any]]
    filed_at: datetime
    status: str
    policy_version: str
    decision: ReportDecisionView | None
    signals: Sequence[Mapping[str, Any]] | None = None  # None: not shown to this caller
    review: Mapping[str, Any] | None = None  # service/reviews.review_json's view

    def as_json(self) -> dict[str, Any]:
        out = {k: v for k, v in Result.as_json(self).items() if k not in ("signals", "review")}
        if self.signals is not None:
            out["signals"] = to_json(self.signals)
        if self.review is not None:
            out["review"] = to_json(self.review)
        return out


@dataclass(frozen=True, slots=True)
class ReportingMeasure(Result):
    """RV-4: the warning or block a decision brought, with the figures behind it."""

    kind: str  # warning | block
    rule: str
    at: datetime
    until: datetime | None
    figures: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class DecidedReport(Result):
    report: ReportView
    reporting: ReportingMeasure | None

    def as_json(self) -> dict[str, Any]:
        return self.report.as_json() | {"reporting": to_json(self.reporting)}


@dataclass(frozen=True, slots=True)
class ReportQueue(Result):
    status: str | None
    shop_id: str | None
    limit: int
    offset: int
    reports: tuple[ReportView, ...]


@dataclass(frozen=True, slots=True)
class NoticeText(Result):
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class ReportNotice(Result):
    """A seller's notice about review reporting, in the shape of service/notices' notices."""

    id: str
    kind: str
    sent_at: datetime
    title: str
    body: str
    rule: str
    violation_id: None
    policy_version: str
    i18n: Mapping[str, NoticeText]


def _rules(pack: PolicyPack) -> ReviewReportRules:
    if pack.review_reports is None:
        raise Conflict(f"policy {pack.id} defines no review reporting (review_reports)", rule=None)
    return pack.review_reports


# ---------------------------------------------------------------- filing


def _check_body(body: ReportInput) -> None:
    """RV-5: a report says why (kind and reason) and carries evidence; every gap named at once."""
    problems = []
    if not body.kind:
        problems.append(FieldProblem("kind", f"required (RV-5): which malicious kind the review is; one of {', '.join(KIND_RULES)}",
                                     Code.REPORT_KIND_REQUIRED, {"allowed": list(KIND_RULES)}))
    if not (body.reason or "").strip():
        problems.append(FieldProblem("reason", "required (RV-5): explain why the review is malicious", Code.REPORT_REASON_REQUIRED))
    if not body.evidence:
        problems.append(FieldProblem("evidence", "at least one item required (RV-5): chat screenshots showing an effort to resolve, proof the buyer "
                                                 "habitually leaves malicious reviews, proof the reviewer is a competitor, or other proof",
                                     Code.REPORT_EVIDENCE_REQUIRED))
    if problems:
        raise InvalidInput.of(problems)


def active_block(session: Session, shop_id: str, at: datetime) -> ReportingAction | None:
    """The RV-4 block in force at `at` (TIME-1: at <= t < until), if any."""
    return next((a for a in reversed(review_reports.actions(session, shop_id, at)) if a.kind == "block" and a.until is not None and a.until > at), None)


def check_reportable(session: Session, pack: PolicyPack, review: ReviewRow, at: datetime) -> ReviewReportRules:
    """RV-2..4 for `review` at `at`, without writing anything: a Conflict naming the rule when the
    shop may not report it (the pages use this to say why not); else the pack's rules."""
    rules = _rules(pack)
    _check_rules(session, rules, review, at)
    return rules


def _check_rules(session: Session, rules: ReviewReportRules, review: ReviewRow, at: datetime) -> None:
    _check_block(session, review.shop_id, at)
    if review.rating > rules.negative_max_rating:
        raise Conflict(f"only negative reviews (rated {rules.negative_max_rating} or less) can be reported; this one is rated {review.rating}", rule="RV-2",
                       code=Code.REPORT_NOT_NEGATIVE, params={"max": rules.negative_max_rating, "rating": review.rating})
    closes = add_days(review.posted_at, rules.window_days)
    if at >= closes:
        raise Conflict(f"reviews can be reported within {rules.window_days} days of posting; this one's window closed at {closes.isoformat()}", rule="RV-2",
                       code=Code.REPORT_WINDOW_CLOSED, params={"days": rules.window_days, "at": closes})
    _next_number(session, rules, review.review_id)


def _check_block(session: Session, shop_id: str, at: datetime) -> None:
    """RV-4: a shop under a reporting block may not report."""
    block = active_block(session, shop_id, at)
    if block is not None and block.until is not None:
        raise Conflict(f"shop {shop_id} is blocked from reporting reviews until {block.until.isoformat()} (RV-4: "
                       f"{block.figures['rejected']} of {block.figures['decided']} reports rejected)", rule="RV-4", until=block.until,
                       code=Code.REPORTING_BLOCKED, params={"shop": shop_id, "until": block.until})


def _next_number(session: Session, rules: ReviewReportRules, review_id: str) -> int:
    """RV-3: the number the review's next report takes, 1..max_reports_per_review, from one read.
    (review_id, number) is unique, so of two concurrent reports that read the same count one wins."""
    filed = len(review_reports.of_review(session, review_id))
    if filed >= rules.max_reports_per_review:
        raise _already_reported(review_id, rules)
    return filed + 1


def _already_reported(review_id: str, rules: ReviewReportRules) -> AlreadyReported:
    return AlreadyReported(f"review {review_id} was already reported (at most {rules.max_reports_per_review} report per review)", rule="RV-3",
                           params={"id": review_id, "n": rules.max_reports_per_review})


def file(ctx: Context, principal: Principal, review_id: str, body: ReportInput) -> ReportView:
    """`POST /v1/reviews/{id}/reports` → 201; 422 without kind, reason or evidence (RV-5);
    409 for a rule: RV-2 (not negative, too old), RV-3 (reported before), RV-4 (blocked, until when)."""
    require(principal, "review_report.file")
    filed_at = event_time(ctx, principal, body.filed_at, "filed_at")
    with ctx.db.transaction() as s:
        review = reviews.get(s, review_id)
        if review is None:
            raise NotFound.no("review", review_id)
        require(principal, "review_report.file", review.shop_id)
        _check_body(body)
        if filed_at < review.posted_at:
            raise InvalidInput.one("filed_at", f"before the review was posted ({review.posted_at.isoformat()})")
        shop = _shop(s, review.shop_id)
        pack = ctx.pack(shop.policy_id)
        rules = check_reportable(s, pack, review, filed_at)
        number = _next_number(s, rules, review_id)  # counted once: a recount after the slow signals would skip past a racer's number
        signals = _signals_now(ctx, s, shop, pack, review, filed_at)
        report_id = new_id("rr")
        if not review_reports.add(s, {"report_id": report_id, "review_id": review_id, "number": number, "shop_id": review.shop_id,
                                      "kind": body.kind, "reason": (body.reason or "").strip(), "evidence": [dict(e) for e in body.evidence],
                                      "signals": signals, "filed_at": filed_at, "filed_by": principal.key_id, "policy_version": pack.version}):
            raise _already_reported(review_id, rules)
        # Checked again now that this transaction holds the write (SQLite's lock, PostgreSQL's row): an RV-4
        # block another request wrote between the first check and this insert refuses the report (rolled back).
        _check_block(s, review.shop_id, filed_at)
        row, decision = _found(s, report_id)
        return report_view(row, decision, review, None, principal, ctx.clock(), reviews.signals_of(s, review_id))


def _shop(session: Session, shop_id: str) -> Shop:
    shop = shops.get(session, shop_id)
    if shop is None:  # a review's shop exists (its order named it)
        raise NotFound.no("shop", shop_id)
    return shop


def _found(session: Session, report_id: str) -> tuple[ReportRow, ReportDecision | None]:
    found = review_reports.get(session, report_id)
    if found is None:
        raise NotFound.no("review report", report_id)
    return found


def _review(session: Session, review_id: str) -> ReviewRow:
    review = reviews.get(session, review_id)
    if review is None:  # a report's review is never deleted (RV-6 hides it)
        raise NotFound.no("review", review_id)
    return review


def _signals_now(ctx: Context, session: Session, shop: Shop, pack: PolicyPack, review: ReviewRow, at: datetime) -> list[dict[str, Any]]:
    """The review's signals from its history as of filing (chat after the review included)."""
    view = ReviewView(review.review_id, review.order_id, review.shop_id, review.product_id, review.buyer_id, review.rating,
                                     review.text, review.posted_at, review_service.image_texts(ctx, session, review.images))
    findings, _, _ = review_service.compute_signals(ctx, session, shop, pack, view, review_service.product_view(session, review.product_id), at)
    return [review_service.finding_json(f) for f in findings]


# ---------------------------------------------------------------- reading


def report_view(row: ReportRow, decision: ReportDecision | None, review: ReviewRow | None, hide: ReviewHide | None, principal: Principal,
                now: datetime, done: ReviewSignals | None = None) -> ReportView:
    return ReportView(
        row.report_id, row.review_id, row.shop_id, row.number, row.kind, KIND_RULES.get(row.kind), row.reason, row.evidence, row.filed_at,
        decision.outcome if decision else "pending", row.policy_version,
        None if decision is None else ReportDecisionView(decision.outcome, decision.reason, decision.decided_at, decision.decided_by,
                                                         "RV-6" if decision.outcome == "granted" else "RV-1"),
        signals=row.signals if principal.role in review_service.SIGNAL_ROLES else None,
        review=None if review is None else review_service.review_json(review, hide, principal, now, done))


def get(ctx: Context, principal: Principal, report_id: str) -> ReportView:
    """A report with its review, the signals (platform and operators) and the reporter's evidence."""
    with ctx.db.read() as s:
        row, decision = _found(s, report_id)
        require(principal, "review_report.read", row.shop_id)
        review = _review(s, row.review_id)
        hide = reviews.hide_of(s, review.review_id)
        done = reviews.signals_of(s, review.review_id)
    return report_view(row, decision, review, hide, principal, ctx.clock(), done)


def queue(ctx: Context, principal: Principal, status: str | None, shop_id: str | None, limit: int, offset: int) -> ReportQueue:
    """The operator's queue (oldest first); a seller sees its own shop's reports."""
    if principal.role == "seller":
        shop_id = shop_id or principal.shop_id
    require(principal, "review_report.read", shop_id)
    with ctx.db.read() as s:
        rows = review_reports.queue(s, status, shop_id, limit, offset)
    return ReportQueue(status, shop_id, limit, offset, tuple(report_view(r, d, None, None, principal, ctx.clock()) for r, d in rows))


# ---------------------------------------------------------------- deciding


def decide(ctx: Context, principal: Principal, report_id: str, body: ReportDecisionInput) -> DecidedReport:
    """A person's decision (RV-1), final once written. Granted: the review is hidden (RV-6).
    Then RV-4: the shop's rejected share may bring a warning or a block, each with a notice."""
    with deciding(ctx, principal, "review_report.decide", REPORT, report_id, body.decided_at) as open_:
        s, report, decided_at = open_.session, open_.item, open_.decided_at
        if decided_at < report.filed_at:
            raise InvalidInput.one("decided_at", f"before the report was filed ({report.filed_at.isoformat()})")
        review = _review(s, report.review_id)
        pack = ctx.pack(_shop(s, report.shop_id).policy_id)
        if not review_reports.add_decision(s, {"report_id": report_id, "shop_id": report.shop_id, "outcome": body.outcome, "reason": body.reason,
                                               "decided_at": decided_at, "decided_by": body.decided_by or principal.key_id, "key_id": principal.key_id}):
            raise REPORT.lost_race(report_id)
        if body.outcome == "granted" and reviews.hide_of(s, review.review_id) is None:
            _hide(ctx, s, pack, review, report_id, decided_at, body.reason)
        s.flush()
        shops.lock(s, report.shop_id)  # RV-4 counts the shop's decisions: concurrent decisions of one shop take turns from here
        reporting = _abuse(s, pack, report.shop_id, decided_at, report_id)
        row, decision = _found(s, report_id)
        out = report_view(row, decision, review, reviews.hide_of(s, review.review_id), principal, max(decided_at, ctx.clock()),
                          reviews.signals_of(s, review.review_id))
    return DecidedReport(out, reporting)


def _hide(ctx: Context, s: Session, pack: PolicyPack, review: ReviewRow, report_id: str, at: datetime, reason: str) -> None:
    """RV-6: the granted report's review leaves public view and the DY-QL-1 counts."""
    order = experience_store.lock_order(s, review.order_id)
    if order is None:  # a review's order exists (the review named it)
        raise NotFound.no("order", review.order_id)
    before = experience_store.facts(s, order)
    reviews.add_hide(s, {"review_id": review.review_id, "report_id": report_id, "shop_id": review.shop_id, "product_id": review.product_id,
                         "hidden_at": at, "reason": reason, "rule": "RV-6"})
    s.flush()
    experience.recount(s, pack, order, before, ctx.clock())


def _abuse(session: Session, pack: PolicyPack, shop_id: str, at: datetime, report_id: str) -> ReportingMeasure | None:
    """RV-4 after a decision: a warning, then a block, as the rejected share of the window rises."""
    abuse = _rules(pack).abuse
    counts = review_reports.decided_between(session, shop_id, at - timedelta(days=abuse.window_days), at)
    decided, rejected = sum(counts.values()), counts.get("rejected", 0)
    share = rejected / decided if decided else 0.0
    every = review_reports.actions(session, shop_id, None)  # one read: what was issued, and the next action's number
    past = [a for a in every if a.at <= at]
    if decided < abuse.min_reports or share < abuse.warn_share or any(a.kind == "block" and a.until is not None and a.at <= at < a.until for a in past):
        return None
    last_block_end = max((a.until for a in past if a.kind == "block" and a.until is not None), default=None)
    since = max(t for t in (at - timedelta(days=abuse.window_days), last_block_end) if t is not None)
    warned = any(a.kind == "warning" and a.at > since for a in past)
    kind = "block" if warned and share >= abuse.block_share else "warning" if not warned else None
    if kind is None:
        return None
    figures = {"decided": decided, "rejected": rejected, "share": round(share, 4), "window_days": abuse.window_days, "min_reports": abuse.min_reports,
               "warn_share": abuse.warn_share, "block_share": abuse.block_share, "block_days": abuse.block_days}
    row = {"action_id": new_id("ra"), "shop_id": shop_id, "kind": kind, "at": at, "until": add_days(at, abuse.block_days) if kind == "block" else None,
           "figures": figures, "report_id": report_id, "policy_version": pack.version, "number": max((a.number or 0 for a in every), default=0) + 1}
    if not review_reports.add_action(session, row):
        return None  # a concurrent decision of this shop issued the warning or block: one, not two
    return ReportingMeasure(kind, "RV-4", at, add_days(at, abuse.block_days) if kind == "block" else None, figures)


# ---------------------------------------------------------------- notices


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _decision_text(d: ReportDecision, r: ReportRow, ver: str, lang: str) -> tuple[str, str, str]:
    granted = d.outcome == "granted"
    if lang == "zh":
        return ("举报成立：评价已隐藏" if granted else "举报未通过",
                f"您对评价 {r.review_id} 的举报（{r.report_id}）{'已核实成立，该评价已从商品页和评分中隐藏，记录保留以备审计' if granted else '经审核未通过，评价保持展示'}。"
                f"理由：{d.reason}。规则 {'RV-6' if granted else 'RV-1'}，政策 {ver}。", "RV-6" if granted else "RV-1")
    return ("Report granted: the review is hidden" if granted else "Report rejected",
            f"Your report {r.report_id} of review {r.review_id} was {'granted: the review is hidden from the product page and its rating, and kept for audit' if granted else 'rejected: the review stays visible'}. "
            f"Reason: {d.reason}. Rule {'RV-6' if granted else 'RV-1'}, policy {ver}.", "RV-6" if granted else "RV-1")


def _action_text(a: ReportingAction, ver: str, lang: str, ended: bool = False) -> tuple[str, str]:
    f = a.figures
    why_zh = f"近 {f['window_days']} 天内已审核的 {f['decided']} 条举报中有 {f['rejected']} 条未通过（{_pct(f['share'])}）"
    why_en = f"{f['rejected']} of your {f['decided']} review reports decided in the last {f['window_days']} days were rejected ({_pct(f['share'])})"
    until = a.until.strftime("%Y-%m-%d %H:%M UTC") if a.until else ""
    if ended:
        return (("评价举报功能已恢复", f"举报限制已于 {until} 到期，您可以重新举报恶意评价。规则 RV-4，政策 {ver}。") if lang == "zh" else
                ("Review reporting restored", f"The block on reporting reviews ended at {until}; you may report malicious reviews again. Rule RV-4, policy {ver}."))
    if a.kind == "warning":
        return (("评价举报预警", f"{why_zh}。已审核举报不少于 {f['min_reports']} 条且未通过比例达到 {_pct(f['block_share'])} 时，将被限制举报 {f['block_days']} 天。"
                 f"请仅在有合理依据和证据时举报。规则 RV-4，政策 {ver}。") if lang == "zh" else
                ("Warning: review reports", f"{why_en}. At {_pct(f['block_share'])} or more with at least {f['min_reports']} decided reports, your shop will be "
                 f"blocked from reporting for {f['block_days']} days. Report only with a sound reason and evidence. Rule RV-4, policy {ver}."))
    return (("评价举报功能已被限制", f"{why_zh}，达到 {_pct(f['block_share'])} 的限制线（此前已预警）。店铺在 {until} 前不能举报评价。规则 RV-4，政策 {ver}。") if lang == "zh" else
            ("Blocked from reporting reviews", f"{why_en}, at or above the {_pct(f['block_share'])} line after an earlier warning. Your shop cannot report reviews "
             f"until {until}. Rule RV-4, policy {ver}."))


def notice(nid: str, kind: str, sent_at: datetime, rule: str, texts: dict[str, tuple[str, str]], ver: str, lang: str) -> dict[str, Any]:
    """A notice's JSON in the shape of the ledger's notices (service/decision_notices builds its notices with it)."""
    return _notice(nid, kind, sent_at, rule, texts, ver, lang).as_json()


def _notice(nid: str, kind: str, sent_at: datetime, rule: str, texts: dict[str, tuple[str, str]], ver: str, lang: str) -> ReportNotice:
    main = texts["zh" if lang == "zh" else "en"]
    return ReportNotice(nid, kind, sent_at, main[0], main[1], rule, None, ver, {k: NoticeText(t, b) for k, (t, b) in texts.items()})


def report_notices(ctx: Context, shop_id: str, at: datetime, pack: PolicyPack, lang: str = "en") -> list[dict[str, Any]]:
    """The seller's review-report notices up to `at`: decisions (RV-1/RV-6), RV-4 warnings, blocks and their end,
    as the notice JSON service/health merges with the ledger's notices."""
    return [n.as_json() for n in _report_notices(ctx, shop_id, at, pack, lang)]


def _report_notices(ctx: Context, shop_id: str, at: datetime, pack: PolicyPack, lang: str) -> list[ReportNotice]:
    out = []
    with ctx.db.read() as s:
        decisions = review_reports.decisions_of_shop(s, shop_id, at)
        acts = review_reports.actions(s, shop_id, at)
    for d, r in decisions:
        ver = f"{pack.id} v{r.policy_version}"
        texts = {lg: _decision_text(d, r, ver, lg) for lg in ("en", "zh")}
        out.append(_notice(f"n-report_decision-{r.report_id}", "report_decision", d.decided_at, texts["en"][2],
                           {lg: t[:2] for lg, t in texts.items()}, r.policy_version, lang))
    for a in acts:
        ver = f"{pack.id} v{a.policy_version}"
        kind = "reporting_warning" if a.kind == "warning" else "reporting_blocked"
        out.append(_notice(f"n-{kind}-{a.action_id}", kind, a.at, "RV-4", {lg: _action_text(a, ver, lg) for lg in ("en", "zh")}, a.policy_version, lang))
        if a.until is not None and a.until <= at:
            out.append(_notice(f"n-reporting_restored-{a.action_id}", "reporting_restored", a.until, "RV-4",
                               {lg: _action_text(a, ver, lg, ended=True) for lg in ("en", "zh")}, a.policy_version, lang))
    return out
