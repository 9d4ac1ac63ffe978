"""Notice and action (DSA Art. 16, 22), the seller's counter-notice (E-Commerce Law art. 43) and misuse
(DSA Art. 23), as pure functions over what the store holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from shopwarden.core.policy.notices import Misuse

Target = Literal["listing", "image", "content", "shop"]
TARGETS: tuple[Target, ...] = ("listing", "image", "content", "shop")
NotifierKind = Literal["rights_owner", "trusted_flagger", "individual"]
NOTIFIER_KINDS: tuple[NotifierKind, ...] = ("rights_owner", "trusted_flagger", "individual")
Outcome = Literal["action", "no_action", "manifestly_unfounded"]
OUTCOMES: tuple[Outcome, ...] = ("action", "no_action", "manifestly_unfounded")
ProceedingsKind = Literal["court", "complaint_authority"]

# The measure a notice's "action" applies to its target (core/dsa/kinds.py states each).
MEASURE_OF: dict[str, str] = {"listing": "notice.listing_disabled", "image": "notice.image_disabled",
                              "content": "notice.content_disabled", "shop": "notice.shop_restricted"}
# Art. 23 measures, stated like any other: a warning (shown, not exported) and a suspension.
MISUSE_KINDS: dict[tuple[str, str], str] = {("notifier", "warning"): "misuse.notices_warning", ("notifier", "suspension"): "misuse.notices_suspended",
                                            ("complainant", "warning"): "misuse.complaints_warning",
                                            ("complainant", "suspension"): "misuse.complaints_suspended"}

MIN_EXPLANATION = 20
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Elements:
    """What a notice says about itself (Art. 16(2)(a)-(d))."""

    explanation: str | None
    location: str | None
    notifier_name: str | None
    notifier_email: str | None
    good_faith: bool | None


def missing_elements(e: Elements) -> list[tuple[str, str]]:
    """Art. 16(2): (a) a substantiated explanation, (b) the exact electronic location, (c) the notifier's name
    and e-mail, (d) a statement of good faith; each missing or unusable one as (field, what is wanted)."""
    out = []
    if not e.explanation or len(e.explanation.strip()) < MIN_EXPLANATION:
        out.append(("explanation", f"DSA Art. 16(2)(a): explain why the item is illegal or against the terms, at least {MIN_EXPLANATION} characters"))
    if not e.location or not _URL.match(e.location):
        out.append(("location", "DSA Art. 16(2)(b): the exact electronic location of the item, an http(s) URL"))
    if not e.notifier_name or not e.notifier_name.strip():
        out.append(("notifier.name", "DSA Art. 16(2)(c): the notifier's name"))
    if not e.notifier_email or not _EMAIL.match(e.notifier_email):
        out.append(("notifier.email", "DSA Art. 16(2)(c): the notifier's e-mail address"))
    if e.good_faith is not True:
        out.append(("good_faith", "DSA Art. 16(2)(d): confirm (true) the bona fide belief that the notice is accurate and complete"))
    return out


def queue_key(trusted: bool, filed_at: datetime) -> tuple[int, datetime]:
    """Art. 22(1): trusted flaggers' notices first, then oldest first."""
    return (0 if trusted else 1, filed_at)


@dataclass(frozen=True)
class MeasureState:
    status: Literal["in_force", "counter_noticed", "ended", "upheld"]
    ends_at: datetime | None
    deadline: datetime | None  # by when the rights owner must show proceedings


def measure_state(counter_at: datetime | None, proceedings_at: datetime | None, days: int, at: datetime) -> MeasureState:
    """E-Commerce Law art. 43: after a counter-notice the measure ends `days` later unless the rights owner
    showed by then that it went to court or a complaint authority."""
    if counter_at is None:
        return MeasureState("in_force", None, None)
    deadline = counter_at + timedelta(days=days)
    if proceedings_at is not None and proceedings_at < deadline:
        return MeasureState("upheld", None, deadline)
    return MeasureState("ended" if at >= deadline else "counter_noticed", deadline, deadline)


@dataclass(frozen=True)
class Judged:
    at: datetime
    unfounded: bool


def misuse_due(decided: list[Judged], warned_at: datetime | None, suspended_until: datetime | None, rules: Misuse,
               at: datetime) -> tuple[Literal["warning", "suspension"] | None, dict[str, Any]]:
    """Art. 23(1)-(3): over the window, at least `min_count` manifestly unfounded submissions making at least
    `min_share` of the decided ones: a warning first; once warned, the same again (counted after the warning,
    or after the last suspension ended) suspends. Nothing while a suspension runs. Returns the action due and
    the figures it rests on."""
    if suspended_until is not None and at < suspended_until:
        return None, {}
    since = at - timedelta(days=rules.window_days)
    after = max((t for t in (warned_at, suspended_until) if t is not None), default=None)
    window = [j for j in decided if since <= j.at <= at and (after is None or j.at > after)]
    unfounded = sum(j.unfounded for j in window)
    share = unfounded / len(window) if window else 0.0
    figures = {"decided": len(window), "unfounded": unfounded, "share": round(share, 4), "window_days": rules.window_days,
               "min_count": rules.min_count, "min_share": rules.min_share}
    if unfounded < rules.min_count or share < rules.min_share:
        return None, figures
    return ("suspension" if warned_at is not None else "warning"), figures


@dataclass(frozen=True)
class Window:
    """When a notice's measure stands: from its start to the first of its own end (the pack's shop measure
    length), the end a counter-notice brings (E-Commerce Law art. 43) and a lifting (a granted complaint, DSA
    Art. 20(4)). `ends_at` None: it stands until one of those happens."""

    starts_at: datetime
    ends_at: datetime | None

    def in_force(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


def measure_window(starts_at: datetime, days: int | None, counter: MeasureState, lifted_at: datetime | None) -> Window:
    ends = [t for t in (starts_at + timedelta(days=days) if days is not None else None,
                        counter.ends_at if counter.status in ("ended", "counter_noticed") else None, lifted_at) if t is not None]
    return Window(starts_at, min(ends, default=None))
