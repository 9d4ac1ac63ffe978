"""The one error tree of shopwarden; the API maps it to problem+json in one place.

    ShopwardenError                 base; never raised itself
    ├── InvalidInput (422)          a field is malformed; carries [{field, message}]
    ├── Unauthorized (401)          no key, or a key that matches nothing
    ├── Forbidden (403)             wrong role, or another shop's data
    ├── NotFound (404)              an unknown id
    ├── Conflict (409)              a rule forbids it now; says which rule and until when
    │   ├── AppealWindowClosed      TT-APL-2 / TT-APL-3 / DY-APL-1
    │   ├── AppealLimitReached      TT-APL-1
    │   ├── AppealPending           one appeal at a time (a match dispute too)
    │   ├── AlreadyDecided          a decision is final
    │   └── AlreadyReported         RV-3: at most N reports per review
    ├── TooLarge (413)              a body or upload over its limit
    ├── Unavailable (503)           not computed yet by the job that computes it; says which to run
    └── PolicyError                 a policy pack failed validation; carries every problem

Nothing below the API layer raises an HTTP error; the API layer raises nothing else.

Every error, and every field problem of an InvalidInput, carries a stable `code` and its `params`
beside the English `detail`: a refusal a person meets has its own code (`Code`, each with a text in
every catalogue, web/refusals.py), any other error the code of its kind (`not_found`, `conflict`, …),
which a page shows by its English detail. The API's problem documents carry both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    """The refusals people meet, each rendered in their language from its code and params."""

    REQUIRED = "field.required"  # (no params)
    ONE_OF = "field.one_of"  # allowed
    TOO_LONG = "field.too_long"  # n, max
    IMAGE_EMPTY = "image.empty"
    IMAGE_UNREADABLE = "image.unreadable"  # allowed
    IMAGE_FORMAT_NOT_ALLOWED = "image.format_not_allowed"  # fmt, allowed
    IMAGE_NO_PIXELS = "image.no_pixels"
    IMAGE_DAMAGED = "image.damaged"
    IMAGE_TOO_LARGE = "image.too_large"  # field, n, max
    BODY_TOO_LARGE = "request.body_too_large"  # max
    REPORT_EVIDENCE_TEXT_REQUIRED = "review.report_evidence_text_required"  # RV-5, the seller centre's form
    REPORT_KIND_REQUIRED = "review.report_kind_required"  # RV-5: allowed
    REPORT_REASON_REQUIRED = "review.report_reason_required"  # RV-5
    REPORT_EVIDENCE_REQUIRED = "review.report_evidence_required"  # RV-5
    REPORT_NOT_NEGATIVE = "review.report_not_negative"  # RV-2: max, rating
    REPORT_WINDOW_CLOSED = "review.report_window_closed"  # RV-2: days, at
    ALREADY_REPORTED = "review.already_reported"  # RV-3: id, n
    REPORTING_BLOCKED = "review.reporting_blocked"  # RV-4: shop, until
    APPEAL_LIMIT_REACHED = "appeal.limit_reached"  # TT-APL-1: limit, filed
    APPEAL_WINDOW_CLOSED = "appeal.window_closed"  # n, at, days, start
    APPEAL_PENDING = "appeal.pending"  # id, n, due (or None)
    APPEAL_ALREADY_DECIDED = "appeal.already_decided"  # TT-APL-6: status
    OWN_SHOP_ONLY = "auth.own_shop_only"
    ROLE_MAY_NOT = "auth.role_may_not"  # role, action
    CLAIM_HELD = "claim.held"  # kind, id, holder, until
    CLAIM_FIRST = "claim.required"  # kind, id
    NOTHING_TO_CLAIM = "claim.already_decided"  # kind, id
    DISPUTE_OPEN = "ban.dispute_open"  # id
    NOTICE_MEASURE_IN_FORCE = "notice.measure_in_force"  # DSA Art. 16: id (the listing taken down), notice
    NOTICE_IMAGE_BLOCKED = "notice.image_blocked"  # DSA Art. 16: id (the image), notice
    NOTICES_SUSPENDED = "notice.notifier_suspended"  # DSA Art. 23(2): party, until
    COMPLAINTS_SUSPENDED = "complaint.suspended"  # DSA Art. 23(2): party, until
    NOT_FOUND = "not_found"  # what, id (also the kind's code, without params)


class ShopwardenError(Exception):
    status = 500
    title = "Internal error"
    code: str = "internal"  # the kind's; an instance may carry a `Code`

    def __init__(self, detail: str, code: str | None = None, params: Mapping[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = dict(params or {})


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str
    code: str | None = dataclasses.field(default=None, compare=False)
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)


class InvalidInput(ShopwardenError):
    status = 422
    title = "Invalid input"
    code = "invalid_input"

    def __init__(self, detail: str, errors: list[FieldProblem] | None = None, code: str | None = None,
                 params: Mapping[str, Any] | None = None):
        super().__init__(detail, code, params)
        self.errors = errors or []

    @classmethod
    def one(cls, field: str, message: str, code: str | None = None, **params: Any) -> InvalidInput:
        return cls(f"{field}: {message}", [FieldProblem(field, message, code, params)])

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> InvalidInput:
        """All of a form's or body's problems at once, the detail naming each field."""
        return cls("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


class Unauthorized(ShopwardenError):
    status = 401
    title = "Unauthorized"
    code = "unauthorized"


class Forbidden(ShopwardenError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


class NotFound(ShopwardenError):
    status = 404
    title = "Not found"
    code = Code.NOT_FOUND

    @classmethod
    def no(cls, what: str, id: str, where: str = "") -> NotFound:
        """`no {what} '{id}'` (and where it was looked for), with `what` and `id` as its params."""
        return cls(f"no {what} {id!r}{where}", params={"what": what, "id": id})


class Conflict(ShopwardenError):
    status = 409
    title = "Conflict with a rule"
    code = "conflict"

    def __init__(self, detail: str, rule: str | None = None, until: datetime | None = None, code: str | None = None,
                 params: Mapping[str, Any] | None = None):
        super().__init__(detail, code, params)
        self.rule = rule
        self.until = until


class AppealWindowClosed(Conflict):
    title = "Appeal window closed"
    code = Code.APPEAL_WINDOW_CLOSED


class AppealLimitReached(Conflict):
    title = "Appeal limit reached"
    code = Code.APPEAL_LIMIT_REACHED


class AppealPending(Conflict):
    title = "An appeal is still pending"
    code = Code.APPEAL_PENDING


class AlreadyDecided(Conflict):
    title = "Already decided"
    code = "already_decided"


class AlreadyReported(Conflict):
    title = "Already reported"
    code = Code.ALREADY_REPORTED


class Unavailable(ShopwardenError):
    """What was asked for is computed by a scheduled job that has not run yet (the detail names it); retry after it."""

    status = 503
    title = "Not computed yet"


class TooLarge(ShopwardenError):
    """Over a limit; when one field is to blame, which, the limit and what was asked for (the
    problem document carries them as `field`, `limit`, `requested` and an `errors` entry)."""

    status = 413
    title = "Too large"
    code = "too_large"

    def __init__(self, detail: str, field: str | None = None, limit: int | None = None, requested: int | None = None,
                 code: str | None = None, params: Mapping[str, Any] | None = None):
        super().__init__(detail, code, params)
        self.field, self.limit, self.requested = field, limit, requested
        self.errors = [FieldProblem(field, detail.removeprefix(f"{field}: "))] if field else []


@dataclass(frozen=True)
class PolicyProblem:
    path: str
    message: str
    hint: str = ""
    line: int | None = None

    def render(self) -> str:
        where = f"{self.path}" + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.message}" + (f" — hint: {self.hint}" if self.hint else "")


class PolicyError(ShopwardenError):
    status = 422
    title = "Invalid policy pack"
    code = "policy_invalid"

    def __init__(self, source: str, problems: Sequence[PolicyProblem] = ()) -> None:
        self.source = source
        self.problems = list(problems or ())
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n" + "\n".join(p.render() for p in self.problems))
