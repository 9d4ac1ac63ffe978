"""The operators' queues, from one list: each names its claim kind (`service.claims.KINDS`), its
page, its filters and how its rows are read. A queue added here (review reports, same-product
disputes, brand qualifications) gets its tab, its list page and claiming without more wiring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shopwarden.service import content, internal_complaints, notices, pages, poor_quality
from shopwarden.service.auth import Principal
from shopwarden.service.cases import DISPUTE
from shopwarden.service.context import Context
from shopwarden.web.i18n import N_


@dataclass(frozen=True)
class Queue:
    slug: str  # /console/queues/<slug>
    kind: str  # the claim kind of its items
    title: str  # a catalogue message id
    filters: tuple[str, ...]  # query parameters the list understands
    rows: Callable[[Context, Principal, dict[str, str | None], int], list[dict]]
    template: str  # renders the rows
    counted: str  # its key in `pages.queue_counts` (the overview's number of waiting items)
    statuses: tuple[str, ...] = ("open", "decided")  # the `status` filter's values, the default first

    @property
    def url(self) -> str:
        return f"/console/queues/{self.slug}"

    def item_url(self, item_id: str) -> str:
        return f"/console/{self.kind}s/{item_id}"


def _appeals(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    return pages.appeal_queue(ctx, principal, f.get("shop") or None, limit)


def _cases(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Findings the detectors sent to review; same-product disputes have their own queue."""
    return pages.case_queue(ctx, principal, f.get("status") or "open", f.get("rule") or None, f.get("shop") or None, limit,
                            not_subject_kind=DISPUTE)


def _disputes(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Sellers' disputes of same-product matches (DY-LQ-3/4), each a case of subject kind `match_dispute`."""
    return pages.case_queue(ctx, principal, f.get("status") or "open", None, f.get("shop") or None, limit, subject_kind=DISPUTE)


def _qualifications(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Brand qualifications to review (DY-BQ-1), or with `status=decided` the reviewed ones."""
    return pages.qualification_queue(ctx, principal, (f.get("status") or "open") == "open", f.get("shop") or None, limit)


def _review_reports(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Pending reports by default; `decided` lists the granted and the rejected."""
    if (f.get("status") or "open") == "open":
        return pages.report_queue(ctx, principal, "pending", f.get("shop") or None, limit)
    return [r for r in pages.report_queue(ctx, principal, None, f.get("shop") or None, limit) if r["status"] != "pending"]


def _content(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Creators' content the detectors sent to an operator (CR-6), oldest first."""
    return [c.as_json() for c in content.queue(ctx, principal, limit)]


def _determinations(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Poor-quality determinations (DY-QL-3/4), newest first: open by default, or appealed, with a fraud finding, all."""
    return [r.as_json() for r in poor_quality.queue(ctx, principal, f.get("status") or "open", f.get("shop") or None, limit)]


def _notices(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Notices (DSA Art. 16): trusted flaggers' first, then oldest (Art. 22(1)); `decided` lists the decided ones."""
    if (f.get("status") or "open") == "open":
        rows = notices.search(ctx, principal, f.get("shop") or None, True, limit)
    else:
        rows = [n for n in notices.search(ctx, principal, f.get("shop") or None, False, limit) if n["status"] != "pending"]
    return [n | {"status": "open" if n["status"] == "pending" else n["status"], "timezone": "UTC"} for n in rows]


def _complaints(ctx: Context, principal: Principal, f: dict[str, str | None], limit: int) -> list[dict]:
    """Internal complaints (DSA Art. 20): trusted flaggers' first, then oldest; `decided` lists the decided ones."""
    if (f.get("status") or "open") == "open":
        rows = [q.as_json() for q in internal_complaints.queue(ctx, principal, limit)]
    else:
        rows = [c.as_json() for c in internal_complaints.search(ctx, principal, False, limit) if c.status != "pending"]
    return [c | {"status": "open" if c["status"] == "pending" else c["status"], "timezone": "UTC"} for c in rows]


QUEUES: tuple[Queue, ...] = (
    Queue("appeals", "appeal", N_("Appeals"), ("shop", "claimed"), _appeals, "console/queue_appeals.html", "appeal"),
    Queue("cases", "case", N_("Review cases"), ("shop", "rule", "status", "claimed"), _cases, "console/queue_cases.html", "case"),
    Queue("review-reports", "review_report", N_("Review reports"), ("shop", "status", "claimed"), _review_reports, "console/queue_review_reports.html", "review_report"),
    Queue("disputes", "case", N_("Same-product disputes"), ("shop", "status", "claimed"), _disputes, "console/queue_disputes.html", DISPUTE),
    Queue("qualifications", "qualification", N_("Brand qualifications"), ("shop", "status", "claimed"), _qualifications,
          "console/queue_qualifications.html", "qualification"),
    Queue("content", "content", N_("Creator content"), ("claimed",), _content, "console/queue_content.html", "content"),
    Queue("determinations", "determination", N_("Poor-quality determinations"), ("shop", "status", "claimed"), _determinations,
          "console/queue_determinations.html", "determination", poor_quality.QUEUE_STATUSES),
    Queue("notices", "notice", N_("Notices (DSA)"), ("shop", "status", "claimed"), _notices, "console/queue_notices.html", "notice"),
    Queue("complaints", "complaint", N_("Complaints (DSA Art. 20)"), ("status", "claimed"), _complaints, "console/queue_complaints.html", "complaint"),
)
BY_SLUG = {q.slug: q for q in QUEUES}
