"""Who may appeal a violation, when, and how an appeal is decided (TT-APL-1..4, TT-APL-6, DY-APL-1).

Pure checks over a pack and the violation's appeal history: they return the new appeal's
number or raise from `shopwarden.errors`. What a granted appeal does to the shop's standing
(TT-APL-5) is the ledger's business (`core/ledger/standing.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shopwarden.core.periods import add_days, add_working_days, as_utc
from shopwarden.core.policy.schema import AppealWindow, PolicyPack
from shopwarden.errors import (
    AlreadyDecided,
    AppealLimitReached,
    AppealPending,
    AppealWindowClosed,
    Code,
    Conflict,
    FieldProblem,
    InvalidInput,
)

AppealStatus = Literal["pending", "granted", "rejected"]


@dataclass(frozen=True, slots=True)
class AppealRecord:
    """An earlier appeal against the same violation, as far as the rules need it."""

    appeal_id: str
    number: int
    filed_at: datetime
    status: AppealStatus
    decided_at: datetime | None = None


# The rule a conflict cites when the pack's own `source` note names none.
_DEFAULT_RULES = {"limit": "TT-APL-1", "violation_issued": "TT-APL-2", "previous_rejected": "TT-APL-3"}
_APPEAL_RULE = re.compile(r"\b(?:[A-Z]{2,}-APL-\d+|CR-11)\b")


def _cited_rule(source: str | None, default: str) -> str:
    """The first appeal rule id a pack's `source:` note cites (TT-APL-2, DY-APL-1, …), so errors name the pack's rule."""
    found = _APPEAL_RULE.search(source or "")
    return found.group(0) if found else default


def check_appeal(
    pack: PolicyPack,
    issued_at: datetime,
    revoked_at: datetime | None,
    prior: Sequence[AppealRecord],
    filed_at: datetime,
    has_evidence: bool,
) -> int:
    """The number of an appeal filed at `filed_at` against a violation issued at `issued_at`, or the rule it breaks.

    Checked in this order: bad input (422), the violation already revoked, the appeal limit
    (a permanent no before a temporary one), a pending appeal, then the filing window.
    """
    issued_at, filed_at = as_utc(issued_at), as_utc(filed_at)
    _check_input(pack, issued_at, filed_at, has_evidence)
    earlier = sorted(prior, key=lambda a: a.number)
    _check_not_revoked(revoked_at, earlier)
    number = len(earlier) + 1
    _check_limit(pack, len(earlier))
    window = _window_for(pack, number)
    _check_not_pending(pack, earlier, window)
    if window is not None:
        _check_window(window, issued_at, earlier, filed_at)
    return number


def _check_input(pack: PolicyPack, issued_at: datetime, filed_at: datetime, has_evidence: bool) -> None:
    problems = []
    if filed_at < issued_at:
        problems.append(FieldProblem("filed_at", f"before the violation was issued ({issued_at.isoformat()})"))
    if pack.appeals.evidence_required and not has_evidence:
        problems.append(FieldProblem("evidence", "an appeal must carry supporting documents (TT-APL-4)"))
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


def _check_not_revoked(revoked_at: datetime | None, earlier: list[AppealRecord]) -> None:
    granted = next((a for a in earlier if a.status == "granted"), None)
    if revoked_at is None and granted is None:
        return
    when = revoked_at or (granted.decided_at if granted is not None else None)
    detail = "the violation is already revoked" + (f" (since {as_utc(when).isoformat()})" if when else "") + ": there is nothing left to appeal"
    raise Conflict(detail, rule="TT-APL-5")


def _check_limit(pack: PolicyPack, filed: int) -> None:
    """TT-APL-1: at most `max_appeals` appeals per violation."""
    limit = pack.appeals.max_appeals
    if filed >= limit:
        rule = _cited_rule(pack.appeals.source, _DEFAULT_RULES["limit"])
        raise AppealLimitReached(f"at most {limit} appeal(s) per violation; {filed} already filed", rule=rule, params={"limit": limit, "filed": filed})


def _check_not_pending(pack: PolicyPack, earlier: list[AppealRecord], window: AppealWindow | None) -> None:
    """One appeal at a time: the next one follows the previous one's rejection (TT-APL-3)."""
    pending = next((a for a in earlier if a.status == "pending"), None)
    if pending is None:
        return
    deadline = decision_deadline(pack, pending.filed_at)
    detail = f"appeal {pending.appeal_id} (number {pending.number}) is still pending; a new one can follow only its rejection"
    if deadline is not None:
        detail += f"; it is due to be decided by {deadline.isoformat()}"
    raise AppealPending(detail, rule=_window_rule(window, "previous_rejected"), until=deadline,
                        params={"id": pending.appeal_id, "n": pending.number, "due": deadline})


def _window_for(pack: PolicyPack, number: int) -> AppealWindow | None:
    """The window of appeal `number`. Decision: a pack listing fewer windows than appeals reuses its last one."""
    candidates = [w for w in pack.appeals.windows if w.number <= number]
    return max(candidates, key=lambda w: w.number) if candidates else None


def _window_rule(window: AppealWindow | None, after: str) -> str:
    after = window.after if window is not None else after
    return _cited_rule(getattr(window, "source", None), _DEFAULT_RULES[after])


def _check_window(window: AppealWindow, issued_at: datetime, earlier: list[AppealRecord], filed_at: datetime) -> None:
    """TT-APL-2 / TT-APL-3 / DY-APL-1 with TIME-1: open while `start <= filed_at < start + days`."""
    rule = _window_rule(window, window.after)
    start, what = issued_at, "the violation was issued"
    if window.after == "previous_rejected" and earlier:
        previous = earlier[-1]
        if previous.decided_at is None:
            raise InvalidInput.one("prior", f"appeal {previous.appeal_id} is {previous.status} but has no decided_at")
        start, what = as_utc(previous.decided_at), f"appeal {previous.appeal_id} was rejected"
        if filed_at < start:
            raise AppealPending(f"appeal {previous.appeal_id} was still pending at {filed_at.isoformat()}; it was rejected at {start.isoformat()}", rule=rule, until=start)
    end = add_days(start, window.days)
    if filed_at >= end:
        raise AppealWindowClosed(
            f"appeal {window.number} window closed at {end.isoformat()}: {window.days} calendar days after {what} at {start.isoformat()}",
            rule=rule,
            until=end,
            params={"n": window.number, "at": end, "days": window.days, "start": start},
        )


def decision_deadline(pack: PolicyPack, filed_at: datetime) -> datetime | None:
    """When an appeal filed at `filed_at` is due to be decided: the SLA's maximum in working days (DY-APL-1), or None."""
    sla = pack.appeals.decision_sla
    if sla is None:
        return None
    cal = pack.calendar
    return add_working_days(as_utc(filed_at), sla.max_working_days, cal.timezone, cal.weekend_numbers, frozenset(cal.holidays), frozenset(cal.workdays))


def check_decision(appeal_status: AppealStatus, filed_at: datetime, decided_at: datetime, reason: str | None) -> None:
    """TT-APL-6: a decision carries a reason the seller reads, comes after the filing, and is final."""
    problems = []
    if reason is None or not reason.strip():
        problems.append(FieldProblem("reason", "a decision needs a reason the seller can read (statement of reasons, TT-APL-6)"))
    if as_utc(decided_at) < as_utc(filed_at):
        problems.append(FieldProblem("decided_at", f"before the appeal was filed ({as_utc(filed_at).isoformat()})"))
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)
    if appeal_status != "pending":
        raise AlreadyDecided(f"the appeal is already {appeal_status}; a decision is final", rule="TT-APL-6",
                             code=Code.APPEAL_ALREADY_DECIDED, params={"status": appeal_status})


@dataclass(frozen=True, slots=True)
class AppealWindowState:
    """What a seller sees next to a violation: may I appeal now, until when, how many are left."""

    open: bool
    number: int | None  # the number the next appeal would get
    closes_at: datetime | None
    remaining: int
    rule: str | None  # why it is closed (or the window's rule while open)
    reason: str | None  # a sentence when closed


def appeal_window(pack: PolicyPack, issued_at: datetime, revoked_at: datetime | None, prior: Sequence[AppealRecord], at: datetime) -> AppealWindowState:
    """The appeal window as of `at`, from the same checks that a filing goes through (`check_appeal`)."""
    earlier = sorted((a for a in prior if a.filed_at <= at), key=lambda a: a.number)
    remaining = max(pack.appeals.max_appeals - len(earlier), 0)
    try:
        number = check_appeal(pack, issued_at, revoked_at if revoked_at is None or revoked_at <= at else None, earlier, at, True)
    except (Conflict, InvalidInput) as exc:
        return AppealWindowState(False, None, getattr(exc, "until", None) if isinstance(exc, AppealPending) else None, remaining, getattr(exc, "rule", None), exc.detail)
    window = _window_for(pack, number)
    decided = earlier[-1].decided_at if earlier else None
    start = as_utc(issued_at) if window is None or window.after == "violation_issued" or decided is None else as_utc(decided)
    closes = add_days(start, window.days) if window is not None else None
    return AppealWindowState(True, number, closes, remaining, _window_rule(window, "violation_issued"), None)
