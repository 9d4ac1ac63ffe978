"""A notice as a seller (or a creator) reads it: the text in the language asked for, both texts in
`i18n`, and what it rests on. One shape for every notice the health page and the creator page list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopwarden.service.results import Result, omit_none


@dataclass(frozen=True, slots=True)
class NoticeText(Result):
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class ShopNotice(Result):
    """A notice to the seller in the language asked for, with both texts (`i18n`). A sanction's carries
    its statements of reasons (DSA Art. 17); the notices of review reports, decisions and poor quality
    (service/review_reports, service/decision_notices) carry none and leave the key out, and a poor-quality
    notice names its determination (DY-QL-3/4)."""

    id: str
    kind: str
    sent_at: datetime
    title: str
    body: str
    rule: str
    violation_id: str | None
    policy_version: str
    i18n: Mapping[str, NoticeText]
    statements: Sequence[Mapping[str, Any]] | None = omit_none()
    determination_id: str | None = omit_none()
    notice_id: str | None = omit_none()  # a rights owner's notice decided (DSA Art. 16)
    counter_notice_open: bool | None = omit_none()
    complaint_id: str | None = omit_none()  # an internal complaint decided (DSA Art. 20)

    @classmethod
    def of_json(cls, doc: Mapping[str, Any]) -> ShopNotice:
        """A notice another use case renders as JSON (the same keys, without `statements`)."""
        i18n = {lang: NoticeText(t["title"], t["body"]) for lang, t in doc["i18n"].items()}
        return cls(**({k: v for k, v in doc.items() if k != "i18n"} | {"i18n": i18n}))
