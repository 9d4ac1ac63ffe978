"""The services' refusals in the page's language. The API answers in English (its clients read the
`detail` and `errors`); a page shows the same refusal in Chinese when its text matches one of the
patterns below, each the English a service writes beside the catalogue text that says it. Named
groups fill the translation's placeholders; groups named like times (`at`, `until`, `due`, `start`)
are shown in the page's date format. A text no pattern knows is shown as the service wrote it.
`tests/web/test_refusals.py` raises each refusal through its service, so a changed text fails there."""

from __future__ import annotations

import re
from datetime import timezone

from shopwarden.core import instants
from shopwarden.web.i18n import N_

_TIMES = ("at", "until", "due", "start")
_ID = r"'?(?P<id>[^\s']+)'?"

SAYINGS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p + r"\Z", re.S), msgid) for p, msgid in (
    # a form's fields (web/forms.py) and the API's schema checks
    (r"is required", N_("is required")),
    (r"must be one of:? (?P<allowed>.+)", N_("must be one of: %(allowed)s")),
    (r"has (?P<n>\d+) characters; at most (?P<max>\d+) are allowed", N_("has %(n)s characters; at most %(max)s are allowed")),
    # images (core/images/decode.py) and upload bodies (api/app.py)
    (r"is empty", N_("is empty")),
    (r"is not an image this server reads; allowed: (?P<allowed>.+)", N_("is not an image this server reads; allowed: %(allowed)s")),
    (r"format (?P<fmt>\S+) is not allowed; allowed: (?P<allowed>.+)", N_("format %(fmt)s is not allowed; allowed: %(allowed)s")),
    (r"has no pixels", N_("has no pixels")),
    (r"is damaged or truncated and cannot be decoded", N_("is damaged or truncated and cannot be decoded")),
    (r"(?P<field>\S+): (?P<n>\d+) bytes; images are limited to (?P<max>\d+) bytes", N_("%(field)s: %(n)s bytes; images are limited to %(max)s bytes")),
    (r"request bodies are limited to (?P<max>\d+) bytes", N_("request bodies are limited to %(max)s bytes")),
    # review reports (service/review_reports.py, web/seller.py)
    (r"is required \(RV-5\): describe the evidence, attach an image of it, or both", N_("is required (RV-5): describe the evidence, attach an image of it, or both")),
    (r"required \(RV-5\): which malicious kind the review is; one of (?P<allowed>.+)", N_("required (RV-5): which malicious kind the review is; one of %(allowed)s")),
    (r"required \(RV-5\): explain why the review is malicious", N_("required (RV-5): explain why the review is malicious")),
    (r"at least one item required \(RV-5\): .*", N_("at least one item required (RV-5): chat records showing an effort to resolve, proof of habitual malicious reviews or of a competitor, or other proof")),
    (r"only negative reviews \(rated (?P<max>\d+) or less\) can be reported; this one is rated (?P<rating>\d+)",
     N_("only negative reviews (rated %(max)s or less) can be reported; this one is rated %(rating)s")),
    (r"reviews can be reported within (?P<days>\d+) days of posting; this one's window closed at (?P<at>\S+)",
     N_("reviews can be reported within %(days)s days of posting; this one's window closed at %(at)s")),
    (r"review (?P<id>\S+) was already reported \(at most (?P<n>\d+) report per review\)", N_("review %(id)s was already reported (at most %(n)s report per review)")),
    (r"shop (?P<shop>\S+) is blocked from reporting reviews until (?P<until>\S+) \(RV-4: .*", N_("your shop is blocked from reporting reviews until %(until)s (RV-4)")),
    # appeals (core/appeals.py)
    (r"at most (?P<limit>\d+) appeal\(s\) per violation; (?P<filed>\d+) already filed", N_("at most %(limit)s appeal(s) per violation; %(filed)s already filed")),
    (r"appeal (?P<n>\d+) window closed at (?P<at>\S+): (?P<days>\d+) calendar days after .* at (?P<start>\S+)",
     N_("the window for appeal %(n)s closed at %(at)s, %(days)s calendar days after %(start)s")),
    (r"appeal (?P<id>\S+) \(number (?P<n>\d+)\) is still pending; a new one can follow only its rejection(?:; it is due to be decided by (?P<due>\S+))?",
     N_("appeal %(n)s is still pending; a new one can follow only its rejection")),
    (r"the appeal is already (?P<status>\w+); a decision is final", N_("the appeal is already decided; a decision is final")),
    # who may do what (service/auth.py), queue claims (service/claims.py)
    (r"a seller key reaches its own shop only", N_("a seller key reaches its own shop only")),
    (r"role '(?P<role>\w+)' may not (?P<action>\S+)", N_("your role may not do this (%(action)s)")),
    (r"(?P<kind>\w+) (?P<id>\S+) is claimed by (?P<holder>.+) until (?P<until>\S+)", N_("claimed by %(holder)s until %(until)s")),
    (r"claim (?P<kind>\w+) (?P<id>\S+) before deciding it, so that no other operator decides it at the same time",
     N_("claim the item before deciding it, so that no other operator decides it at the same time")),
    (r"(?P<kind>\w+) (?P<id>\S+) is already decided; there is nothing to claim", N_("already decided; there is nothing to claim")),
    (r"a dispute of this match is already open for (?P<id>\S+)", N_("a dispute of this match is already open")),
    (r"no (?P<what>[a-z ]+) " + _ID, N_("not found: %(id)s")),
))


def say(page, text: str | None) -> str:
    """`text` (a service's refusal) in the page's language, or as written when no pattern knows it."""
    if not text:
        return ""
    for pattern, msgid in SAYINGS:
        m = pattern.match(text)
        if m:
            values = {k: _shown(page, k, v) for k, v in m.groupdict().items()}
            return page._(msgid, **values)
    return text


def _shown(page, name: str, value: str | None) -> str:
    if value is None:
        return ""
    if name in _TIMES:
        try:
            return page.fmt.when(instants.parse(value, timezone.utc))
        except ValueError:
            return value
    return value
