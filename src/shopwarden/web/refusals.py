"""The services' refusals in the page's language, from each error's stable `code` and `params`
(shopwarden/errors.py). The API answers in English (its `detail` and `errors`) beside the same code;
a page shows the catalogue text of the code, its placeholders filled from the params (instants in
the page's date format, lists joined). An error whose code has no text here, or whose params lack a
placeholder, is shown as the service wrote it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from shopwarden.errors import Code, FieldProblem, ShopwardenError
from shopwarden.web.i18n import N_

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

TEXTS: dict[str, str] = {
    # a form's fields (web/forms.py) and the API's schema checks
    Code.REQUIRED: N_("is required"),
    Code.ONE_OF: N_("must be one of: %(allowed)s"),
    Code.TOO_LONG: N_("has %(n)s characters; at most %(max)s are allowed"),
    # images (core/images/decode.py) and upload bodies (api/app.py)
    Code.IMAGE_EMPTY: N_("is empty"),
    Code.IMAGE_UNREADABLE: N_("is not an image this server reads; allowed: %(allowed)s"),
    Code.IMAGE_FORMAT_NOT_ALLOWED: N_("format %(fmt)s is not allowed; allowed: %(allowed)s"),
    Code.IMAGE_NO_PIXELS: N_("has no pixels"),
    Code.IMAGE_DAMAGED: N_("is damaged or truncated and cannot be decoded"),
    Code.IMAGE_TOO_LARGE: N_("%(field)s: %(n)s bytes; images are limited to %(max)s bytes"),
    Code.BODY_TOO_LARGE: N_("request bodies are limited to %(max)s bytes"),
    # review reports (service/review_reports.py, web/seller.py)
    Code.REPORT_EVIDENCE_TEXT_REQUIRED: N_("is required (RV-5): describe the evidence, attach an image of it, or both"),
    Code.REPORT_KIND_REQUIRED: N_("required (RV-5): which malicious kind the review is; one of %(allowed)s"),
    Code.REPORT_REASON_REQUIRED: N_("required (RV-5): explain why the review is malicious"),
    Code.REPORT_EVIDENCE_REQUIRED: N_("at least one item required (RV-5): chat records showing an effort to resolve, proof of habitual malicious reviews or of a competitor, or other proof"),
    Code.REPORT_NOT_NEGATIVE: N_("only negative reviews (rated %(max)s or less) can be reported; this one is rated %(rating)s"),
    Code.REPORT_WINDOW_CLOSED: N_("reviews can be reported within %(days)s days of posting; this one's window closed at %(at)s"),
    Code.ALREADY_REPORTED: N_("review %(id)s was already reported (at most %(n)s report per review)"),
    Code.REPORTING_BLOCKED: N_("your shop is blocked from reporting reviews until %(until)s (RV-4)"),
    # appeals (core/appeals.py)
    Code.APPEAL_LIMIT_REACHED: N_("at most %(limit)s appeal(s) per violation; %(filed)s already filed"),
    Code.APPEAL_WINDOW_CLOSED: N_("the window for appeal %(n)s closed at %(at)s, %(days)s calendar days after %(start)s"),
    Code.APPEAL_PENDING: N_("appeal %(n)s is still pending; a new one can follow only its rejection"),
    Code.APPEAL_ALREADY_DECIDED: N_("the appeal is already decided; a decision is final"),
    # who may do what (service/auth.py), queue claims (service/claims.py), disputes (service/bans.py)
    Code.OWN_SHOP_ONLY: N_("a seller key reaches its own shop only"),
    Code.ROLE_MAY_NOT: N_("your role may not do this (%(action)s)"),
    Code.CLAIM_HELD: N_("claimed by %(holder)s until %(until)s"),
    Code.CLAIM_FIRST: N_("claim the item before deciding it, so that no other operator decides it at the same time"),
    Code.NOTHING_TO_CLAIM: N_("already decided; there is nothing to claim"),
    Code.DISPUTE_OPEN: N_("a dispute of this match is already open"),
    # notices (service/notices.py)
    Code.NOTICE_MEASURE_IN_FORCE: N_("listing %(id)s was taken down on notice %(notice)s (DSA Art. 16); neither it nor the same product may be listed again while that measure stands"),
    Code.NOTICE_IMAGE_BLOCKED: N_("image %(id)s was disabled on notice %(notice)s (DSA Art. 16) and may not be used in this shop's listings while that measure stands"),
    # DSA Art. 23 (service/misuse.py)
    Code.NOTICES_SUSPENDED: N_("notices from %(party)s are not processed until %(until)s: too many were manifestly unfounded (DSA Art. 23(2))"),
    Code.COMPLAINTS_SUSPENDED: N_("complaints from %(party)s are not processed until %(until)s: too many were manifestly unfounded (DSA Art. 23(2))"),
    Code.NOT_FOUND: N_("not found: %(id)s"),
}


def say(page, refusal: ShopwardenError | FieldProblem | str | None) -> str:
    """A service's refusal (an error, a field's problem) in the page's language; as written when its
    code has no text. A plain string is shown as it is."""
    if refusal is None:
        return ""
    if isinstance(refusal, str):
        return refusal
    written = refusal.detail if isinstance(refusal, ShopwardenError) else refusal.message
    text = TEXTS.get(refusal.code or "")
    if text is None or not set(_PLACEHOLDER.findall(text)) <= set(refusal.params):  # e.g. a not_found without its id
        return written
    return page._(text, **{k: _shown(page, v) for k, v in refusal.params.items()})


def _shown(page, value: Any) -> str:
    if isinstance(value, datetime):
        return page.fmt.when(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)
