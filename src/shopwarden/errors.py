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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ShopwardenError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(ShopwardenError):
    status = 422
    title = "Invalid input"

    def __init__(self, detail: str, errors: list[FieldProblem] | None = None):
        super().__init__(detail)
        self.errors = errors or []

    @classmethod
    def one(cls, field: str, message: str) -> "InvalidInput":
        return cls(f"{field}: {message}", [FieldProblem(field, message)])


class Unauthorized(ShopwardenError):
    status = 401
    title = "Unauthorized"


class Forbidden(ShopwardenError):
    status = 403
    title = "Forbidden"


class NotFound(ShopwardenError):
    status = 404
    title = "Not found"


class Conflict(ShopwardenError):
    status = 409
    title = "Conflict with a rule"

    def __init__(self, detail: str, rule: str | None = None, until: datetime | None = None):
        super().__init__(detail)
        self.rule = rule
        self.until = until


class AppealWindowClosed(Conflict):
    title = "Appeal window closed"


class AppealLimitReached(Conflict):
    title = "Appeal limit reached"


class AppealPending(Conflict):
    title = "An appeal is still pending"


class AlreadyDecided(Conflict):
    title = "Already decided"


class AlreadyReported(Conflict):
    title = "Already reported"


class Unavailable(ShopwardenError):
    """What was asked for is computed by a scheduled job that has not run yet (the detail names it); retry after it."""

    status = 503
    title = "Not computed yet"


class TooLarge(ShopwardenError):
    """Over a limit; when one field is to blame, which, the limit and what was asked for (the
    problem document carries them as `field`, `limit`, `requested` and an `errors` entry)."""

    status = 413
    title = "Too large"

    def __init__(self, detail: str, field: str | None = None, limit: int | None = None, requested: int | None = None):
        super().__init__(detail)
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

    def __init__(self, source: str, problems: list[PolicyProblem] = field(default_factory=list)):
        self.source = source
        self.problems = list(problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n" + "\n".join(p.render() for p in self.problems))
