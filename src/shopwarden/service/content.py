"""Use cases for creators' content (CR-5, CR-6, CR-9): store and scan a showcase, video or LIVE,
scan a LIVE's segments as it runs, and take the measures the findings call for on the content.

Every part goes through the detectors: title, description, transcript and links as text, the
cover and frames through the image readers (QR codes and text in images, copied images), the
anchored products against the banned-product registry (DY-LQ-2) and, through the detectors, their
real prices (DY-PR). Each finding carries its CR-2 category from the pack (`rule_categories`).

Decision (CR-9): a `block` removes the content (a LIVE is cut off: `content_blocked`), or only its
links when every blocking finding is in the links; it also issues the creator a violation of the
category's type. A `review` waits in the operators' content queue; nothing automatic follows.
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.detect import Evidence, Explanation, Finding, Subject
from shopwarden.core.detect.copied_image import with_image_matches
from shopwarden.core.detect.image_text import with_images
from shopwarden.core.policy.creators import CreatorViolationType, HealthScoreRules, PointsRules
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.reviews.duplicates import DuplicateIndex
from shopwarden.errors import AlreadyDecided, Conflict, InvalidInput, NotFound
from shopwarden.service import image_index, image_text, joint, scanning
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.creators import rules_of, violation_row
from shopwarden.service.results import Result
from shopwarden.service.scanning import Judged
from shopwarden.service.times import event_time
from shopwarden.store import creators, open_items, outbox, products, shops, violations
from shopwarden.store.creators import ContentAction, ContentRow, CreatorRow

KINDS = ("showcase", "video", "live")
_TEXT_PARTS = ("title", "description", "transcript")
_PROHIBITED_STATUSES = ("banned", "taken_down")  # an anchored product in these is not to be promoted (DY-LQ-2)


@dataclass(frozen=True, slots=True)
class ContentInput:
    creator_id: str
    kind: str
    posted_at: datetime | None = None
    title: str = ""
    description: str = ""
    transcript: str = ""
    cover_image: str | None = None
    images: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    ended_at: datetime | None = None  # a LIVE that has ended takes no more segments


@dataclass(frozen=True, slots=True)
class SegmentInput:
    at: datetime | None = None
    transcript: str = ""
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Measure(Result):
    """A measure taken on a piece (CR-9: links_removed, content_removed, content_blocked) or a referral."""

    kind: str
    rule: str
    reason: str


@dataclass(slots=True)
class ContentVerdict:
    """What the detectors decided on one piece (or one LIVE segment) and what followed."""

    decision: str
    findings: list[dict[str, Any]]
    measures: list[Measure] = field(default_factory=list)
    violation_id: str | None = None


@dataclass(frozen=True, slots=True)
class ContentScan(Result):
    """The answer to a piece stored and scanned: the decision, its findings, the measures, the violation issued."""

    content_id: str
    decision: str  # allow | review | block
    findings: Sequence[Mapping[str, Any]]
    measures: tuple[Measure, ...]
    violation_id: str | None


@dataclass(frozen=True, slots=True)
class SegmentScan(ContentScan):
    segment: int  # the LIVE's 1st, 2nd … segment


@dataclass(frozen=True, slots=True)
class ContentMeasure(Result):
    kind: str
    at: datetime
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class SegmentView(Result):
    number: int
    at: datetime
    decision: str
    findings: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class ContentView(Result):
    """A piece as stored, with its measures, its LIVE segments and its status (published, removed, cut …)."""

    content_id: str
    creator_id: str
    kind: str
    posted_at: datetime
    title: str
    description: str
    transcript: str
    cover_image: str | None
    images: tuple[str, ...]
    links: tuple[str, ...]
    products: tuple[str, ...]
    ended_at: str | None  # ISO 8601, a LIVE that ended; left out of the JSON otherwise
    decision: str
    findings: Sequence[Mapping[str, Any]]
    policy_version: str
    measures: tuple[ContentMeasure, ...]
    segments: tuple[SegmentView, ...]
    status: str

    def as_json(self) -> dict[str, Any]:
        out = Result.as_json(self)
        if self.ended_at is None:
            del out["ended_at"]
        return out


@dataclass(frozen=True, slots=True)
class ContentDecided(Result):
    content_id: str
    outcome: str
    reason: str
    decided_at: datetime
    violation_id: str | None
    measures: tuple[Measure, ...]


@dataclass(frozen=True, slots=True)
class QueuedContent(Result):
    """A piece in the operators' content queue."""

    id: str
    content_id: str
    creator_id: str
    kind: str
    title: str
    opened_at: datetime
    status: str
    timezone: str
    rules: tuple[str, ...]
    categories: tuple[str, ...]


def put(ctx: Context, principal: Principal, content_id: str, data: ContentInput) -> tuple[ContentScan, bool]:
    """Store and scan a piece of content; returns (the scan's answer, created)."""
    require(principal, "content.write", creator_id=data.creator_id)
    posted_at = event_time(ctx, principal, data.posted_at, "posted_at")
    if data.ended_at is not None and (data.kind != "live" or data.ended_at < posted_at):
        raise InvalidInput.one("ended_at", "only a LIVE ends, and not before it was posted")
    with ctx.db.transaction() as s:
        creator = _creator_of(s, data.creator_id)
        _check_rights(ctx, creator, data, posted_at)
        existing = creators.content(s, content_id)
        if existing is not None and (existing.creator_id != data.creator_id or existing.kind != data.kind):
            raise Conflict(f"content {content_id} is {existing.creator_id}'s {existing.kind}; its creator and kind do not change", rule="CR-5")
        pack = ctx.pack(creator.policy_id)
        anchored = _anchored(s, data.products)
        body = _body(data)
        shown = [i for i in (data.cover_image, *data.images) if i]
        subject = _subject(ctx, s, pack, {p: body[p] for p in _TEXT_PARTS} | {"links": "\n".join(data.links)}, anchored,
                           shown, data.kind, False, creator.creator_id, content_id)
        verdict = _judge(ctx, s, pack, creator, content_id, subject, anchored, posted_at, principal, data.kind)
        now = ctx.clock()
        row = {"content_id": content_id, "creator_id": creator.creator_id, "kind": data.kind, "posted_at": posted_at, "body": body,
               "decision": verdict.decision, "findings": verdict.findings, "policy_version": pack.version, "created_at": now, "updated_at": now}
        _save(s, existing, row)
        if shown:
            image_index.register_content(ctx, s, content_id, creator.creator_id, shown, posted_at, principal.key_id)
        _record_measures(s, content_id, creator.creator_id, verdict, posted_at, principal.key_id)
        _queue(s, content_id, verdict, posted_at)
        outbox.add(s, "content.decided", creator.creator_id, _answer(content_id, verdict).as_json() | {"creator_id": creator.creator_id, "decided_by": "detectors"})  # 0020
    return _answer(content_id, verdict), existing is None


def add_segment(ctx: Context, principal: Principal, content_id: str, data: SegmentInput) -> SegmentScan:
    """Scan one stretch of a running LIVE; a `block` cuts the LIVE (CR-9 content_blocked)."""
    require(principal, "content.write")
    with ctx.db.transaction() as s:
        content = creators.content(s, content_id)
        if content is None:
            raise NotFound(f"no content {content_id!r}; create it with PUT /v1/content/{{content_id}}")
        at = event_time(ctx, principal, data.at, "at")
        _check_running(s, content, at)
        creator = _creator_of(s, content.creator_id)
        pack = ctx.pack(creator.policy_id)
        anchored = _anchored(s, tuple(content.body.get("products") or ()))
        subject = _subject(ctx, s, pack, {"transcript": data.transcript}, anchored, list(data.images), "live", True, creator.creator_id, content_id)
        verdict = _judge(ctx, s, pack, creator, content_id, subject, anchored, at, principal, "live")
        number = creators.next_segment_number(s, content_id)
        creators.add_segment(s, {"content_id": content_id, "number": number, "at": at, "transcript": data.transcript,
                                 "images": list(data.images), "decision": verdict.decision, "findings": verdict.findings, "created_at": ctx.clock()})
        _record_measures(s, content_id, creator.creator_id, verdict, at, principal.key_id)
        _queue(s, content_id, verdict, at)
    return SegmentScan(content_id, verdict.decision, verdict.findings, tuple(verdict.measures), verdict.violation_id, number)


def _check_rights(ctx: Context, creator: CreatorRow, data: ContentInput, at: datetime) -> None:
    """CR-9 enforced where the action happens: no anchored products without the right to promote
    them, no LIVE without LIVE selling, no showcase without the showcase privilege."""
    from shopwarden.service.creators import privileges_at

    privileges, why = privileges_at(ctx, creator, at)
    needs = [("promote_products", bool(data.products)), ("live_selling", data.kind == "live"), ("showcase", data.kind == "showcase")]
    for privilege, needed in needs:
        if needed and not privileges.get(privilege, True):
            raise Conflict(f"creator {creator.creator_id} may not use {privilege} now ({why.get(privilege, 'a measure in force')})", rule="CR-9",
                           until=None)


def _check_running(s: Session, content: ContentRow, at: datetime) -> None:
    if content.kind != "live":
        raise Conflict(f"content {content.content_id} is a {content.kind}; only a LIVE takes segments", rule="CR-5")
    if at < content.posted_at:
        raise InvalidInput.one("at", f"before the LIVE started ({content.posted_at.isoformat()})")
    ended = content.body.get("ended_at")
    cut = next((a for a in creators.actions(s, content.content_id) if a.kind in ("content_blocked", "content_removed")), None)
    if cut is not None:
        raise Conflict(f"LIVE {content.content_id} was cut off at {cut.at.isoformat()} ({cut.reason})", rule="CR-9", until=None)
    if ended is not None and at >= datetime.fromisoformat(ended):
        raise Conflict(f"LIVE {content.content_id} ended at {ended}", rule="CR-5")


def _creator_of(s: Session, creator_id: str) -> CreatorRow:
    creator = creators.get(s, creator_id)
    if creator is None:
        raise InvalidInput.one("creator_id", f"unknown creator {creator_id!r}; create it first with PUT /v1/creators/{{creator_id}}")
    return creator


def _anchored(s: Session, product_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The anchored products as listings (their latest version) with their status; unknown ids are 422."""
    out = []
    for i, pid in enumerate(product_ids):
        head = products.get(s, pid)
        if head is None:
            raise InvalidInput.one(f"products[{i}]", f"unknown product {pid!r}")
        version = products.version(s, pid, head.version)
        if version is None:  # a head names a version that exists
            raise NotFound.no("product version", f"{pid}@{head.version}")
        out.append(dict(version.listing) | {"product_id": pid, "shop_id": head.shop_id, "status": head.status})
    return out


def _body(data: ContentInput) -> dict[str, Any]:
    body: dict[str, Any] = {"title": data.title, "description": data.description, "transcript": data.transcript, "cover_image": data.cover_image,
                            "images": list(data.images), "links": list(data.links), "products": list(data.products)}
    if data.ended_at is not None:
        body["ended_at"] = data.ended_at.isoformat()
    return body


def _subject(ctx: Context, s: Session, pack: PolicyPack, fields: dict[str, str], anchored: list[dict[str, Any]], image_ids: list[str],
             kind: str, segment: bool, creator_id: str, content_id: str) -> Subject:
    fields = {k: v for k, v in fields.items() if v}
    if anchored:
        fields["products"] = "\n".join(p["product_id"] for p in anchored)
    scanning.check_limits(pack, fields)
    subject = Subject("content", fields, None, {"content_kind": kind, "segment": segment, "products": anchored,
                                                  "creator_id": creator_id, "content_id": content_id})
    if image_ids:
        subject = with_images(subject, image_text.read_images(ctx, s, image_ids))
        subject = with_image_matches(subject, image_index.matches_for(ctx, s, image_ids))
    return subject


def _prohibited(subject: Subject, anchored: list[dict[str, Any]]) -> list[Finding]:
    """DY-LQ-2 in content: promoting a product that is banned or taken down."""
    out = []
    text = subject.fields.get("products", "")
    start = 0
    for p in anchored:
        end = start + len(p["product_id"])
        if p["status"] in _PROHIBITED_STATUSES:
            out.append(Finding("DY-LQ-2", "banned_product_in_content", "general", 1.0,
                               Explanation(f"anchored product {p['product_id']} is {p['status']} and may not be promoted",
                                           f"挂车商品 {p['product_id']} 已被{'封禁' if p['status'] == 'banned' else '下架'}，不得推广"),
                               (Evidence("products", start, end, text[start:end]),)))
        start = end + 1
    return out


class _Texts:
    """One database's content texts in a near-duplicate index (MinHash LSH, as RV-K-6 finds copied
    reviews), read from the store as pieces arrive: the texts a new piece is compared with."""

    MIN_CHARS = 30  # shorter texts are too common to call a copy
    LOOKBACK = timedelta(minutes=5)  # a piece written by a transaction that committed late is read again

    def __init__(self) -> None:
        self.lock = Lock()
        self.index = DuplicateIndex()
        self.owner: dict[str, str] = {}
        self.since: datetime | None = None

    def near(self, s: Session, text: str, content_id: str) -> list[tuple[str, str]]:
        """(content id, creator id) of stored pieces whose text is a near-copy of `text`."""
        with self.lock:
            for cid, creator_id, body, updated_at in creators.content_since(s, None if self.since is None else self.since - self.LOOKBACK):
                self.index.add(cid, _text_of(body))  # again for an updated piece: its new text replaces the old
                self.owner[cid] = creator_id
                self.since = updated_at if self.since is None else max(self.since, updated_at)
            return [(cid, self.owner[cid]) for cid in self.index.near(text, exclude=content_id)]


_texts: weakref.WeakKeyDictionary[object, _Texts] = weakref.WeakKeyDictionary()


def _texts_of(ctx: Context) -> _Texts:
    found = _texts.get(ctx.db)
    if found is None:
        found = _texts[ctx.db] = _Texts()
    return found


def _text_of(body: dict[str, Any]) -> str:
    return "\n".join(body.get(p) or "" for p in _TEXT_PARTS)


def _reposts(ctx: Context, s: Session, subject: Subject, creator_id: str, content_id: str) -> list[Finding]:
    """CR-6 spam and non-original content: the piece's text a near-copy of the creator's own other
    content (re-posted: CR-6-REPOST) or of another creator's (CR-6-COPY)."""
    parts = [p for p in _TEXT_PARTS if subject.fields.get(p)]
    text = "\n".join(subject.fields[p] for p in parts)
    if len(text.strip()) < _Texts.MIN_CHARS or subject.data.get("segment"):
        return []
    near = _texts_of(ctx).near(s, text, content_id)
    if not near:
        return []
    field = max(parts, key=lambda p: len(subject.fields[p]))
    evidence = (Evidence(field, 0, len(subject.fields[field]), subject.fields[field]),)
    own = [c for c, who in near if who == creator_id]
    others = [(c, who) for c, who in near if who != creator_id]
    out = []
    if own:
        out.append(Finding("CR-6-REPOST", "reposted_content", "minor", 0.9,
                           Explanation(f"the same content as this creator's {', '.join(own[:3])} posted again",
                                       f"与本达人已发布的内容 {', '.join(own[:3])} 重复发布"), evidence))
    if others:
        out.append(Finding("CR-6-COPY", "copied_content", "general", 0.9,
                           Explanation(f"a near-copy of content {others[0][0]} by creator {others[0][1]}",
                                       f"与达人 {others[0][1]} 的内容 {others[0][0]} 高度雷同（非原创）"), evidence))
    return out


def _judge(ctx: Context, s: Session, pack: PolicyPack, creator: CreatorRow, content_id: str, subject: Subject, anchored: list[dict[str, Any]],
           at: datetime, principal: Principal, kind: str) -> ContentVerdict:
    own_shop = shops.get(s, creator.shop_id) if creator.shop_id else None  # an own account speaks for its shop (CR-12): its filed contacts, its brands
    result = scanning.run(pack, subject, scanning.detect_context(ctx, s, own_shop, pack, at))
    found = _prohibited(subject, anchored) + _reposts(ctx, s, subject, creator.creator_id, content_id)
    extra = [scanning.judge(pack, f) for f in found]
    judged = list(result.judged) + extra
    rules = rules_of(pack)
    findings = [_finding_json(j, rules) for j in judged]
    decision = max((j.decision for j in judged), key=_STRICT.__getitem__, default="allow")
    verdict = ContentVerdict(decision, findings)
    blocking = [j for j in judged if j.decision == "block"]
    if blocking:
        only_links = all(e.field == "links" for j in blocking for e in j.finding.evidence)
        measure = "links_removed" if only_links else ("content_blocked" if kind == "live" else "content_removed")
        verdict.measures.append(Measure(measure, "CR-9", "; ".join(sorted({j.finding.rule for j in blocking}))))
        verdict.violation_id = _issue(ctx, s, pack, creator, content_id, blocking, at, principal)
    return verdict


_STRICT = {"allow": 0, "review": 1, "block": 2}


def _finding_json(j: Judged, rules: HealthScoreRules | PointsRules) -> dict[str, Any]:
    return dict(j.finding.as_dict("en")) | {"decision": j.decision, "explanation_zh": j.finding.explanation.zh, "category": rules.category_of(j.finding.rule)}


def _issue(ctx: Context, s: Session, pack: PolicyPack, creator: CreatorRow, content_id: str, blocking: list[Judged], at: datetime,
           principal: Principal) -> str | None:
    """A blocked piece issues the creator one violation, of the strictest finding's category (CR-6, CR-7)."""
    rules = rules_of(pack)
    top = max(blocking, key=lambda j: j.finding.score)
    category = rules.category_of(top.finding.rule)
    vtype = rules.type_for(category) if category else None
    if vtype is None or vtype.to_operator:
        return None
    severity = top.row.issue.severity if top.row is not None and top.row.issue is not None and top.row.issue.severity in vtype.severities else None
    severity = severity or next(iter(vtype.severities))
    evidence = [{"kind": "text", "value": e.text[:2000] or "(image)", "note": f"{content_id} {e.field}"} for j in blocking for e in j.finding.evidence][:50]
    row = violation_row(pack, creator, {"type": vtype.type, "severity": severity, "content_id": content_id, "evidence": evidence,
                                        "note": f"content {content_id}: {', '.join(sorted({j.finding.rule for j in blocking}))}"},
                        at, ctx.clock(), principal.key_id)
    violations.add(s, row)
    joint.own_account_share(ctx, s, row, ctx.clock(), principal.key_id)
    violation_id: str = row["violation_id"]
    return violation_id


def _save(s: Session, existing: ContentRow | None, row: dict[str, Any]) -> None:
    if existing is None:
        creators.add_content(s, row)
    else:
        for k in ("posted_at", "body", "decision", "findings", "policy_version", "updated_at"):
            setattr(existing, k, row[k])
    s.flush()  # before its actions: the unit of work orders rows by relationships, and these have none


def _record_measures(s: Session, content_id: str, creator_id: str, verdict: ContentVerdict, at: datetime, by: str) -> None:
    for m in verdict.measures:
        creators.add_action(s, {"action_id": f"ca_{secrets.token_hex(8)}", "content_id": content_id, "creator_id": creator_id,
                                "kind": m.kind, "at": at, "reason": m.reason, "rule": m.rule, "created_by": by})
        # counted with its statement once the transaction commits (service/statements.py count_measures)


def _queue(s: Session, content_id: str, verdict: ContentVerdict, at: datetime) -> None:
    """A piece with findings to review waits in the operators' content queue (once)."""
    if verdict.decision == "review" and not open_items.is_open(s, "content", content_id):
        open_items.opened(s, "content", content_id, at)


def _answer(content_id: str, verdict: ContentVerdict) -> ContentScan:
    return ContentScan(content_id, verdict.decision, verdict.findings, tuple(verdict.measures), verdict.violation_id)


def get(ctx: Context, principal: Principal, content_id: str) -> ContentView:
    with ctx.db.read() as s:
        content = creators.content(s, content_id)
        if content is None:
            raise NotFound.no("content", content_id)
        require(principal, "content.read", creator_id=content.creator_id)
        actions = creators.actions(s, content_id)
        segs = creators.segments(s, content_id)
    b = content.body
    return ContentView(content_id, content.creator_id, content.kind, content.posted_at, b["title"], b["description"], b["transcript"],
                       b["cover_image"], tuple(b["images"]), tuple(b["links"]), tuple(b["products"]), b.get("ended_at"),
                       content.decision, content.findings, content.policy_version,
                       tuple(ContentMeasure(a.kind, a.at, a.rule, a.reason) for a in actions),
                       tuple(SegmentView(g.number, g.at, g.decision, g.findings) for g in segs), _status(content, actions))


def _status(content: ContentRow, actions: Sequence[ContentAction]) -> str:
    lifted = {a.reason for a in actions if a.kind == "notice_lifted"}  # a notice's measure ended (service/notices.py): its removal no longer holds
    kinds = {a.kind for a in actions if not (a.rule == "DSA Art. 16" and a.reason in lifted)}
    if "content_blocked" in kinds:
        return "cut" if content.kind == "live" else "blocked"
    if "content_removed" in kinds:
        return "removed"
    if content.body.get("ended_at"):
        return "ended"
    return "live" if content.kind == "live" else "published"




@dataclass(frozen=True, slots=True)
class DecisionInput:
    outcome: str  # violation | dismiss
    reason: str
    type: str | None = None  # a creator violation type; default: the category of the strictest finding
    severity: str | None = None  # default: the type's lightest
    remove: bool = True  # a violation also removes the content (a LIVE: cut off)
    referrals: tuple[str, ...] = ()  # CR-9: legal_action, reported_to_authorities — recorded outcomes, never automatic


def decide(ctx: Context, principal: Principal, content_id: str, data: DecisionInput) -> ContentDecided:
    """An operator decides content the detectors sent to review (CR-6: sensational, illegal and
    locally restricted content always comes here): a violation (and the content removed), or
    dismissed. Final: the item leaves the queue in the same transaction (a race loses with 409)."""
    require(principal, "case.decide")
    now = ctx.clock()
    with ctx.db.transaction() as s:
        piece = creators.content(s, content_id)
        if piece is None:
            raise NotFound.no("content", content_id)
        if not open_items.close_once(s, "content", content_id):
            raise AlreadyDecided(f"content {content_id} is not waiting for a decision (decided already, or nothing to review)", rule="CR-6")
        creator = _creator_of(s, piece.creator_id)
        pack = ctx.pack(creator.policy_id)
        measures: list[Measure] = []
        violation_id: str | None = None
        creators.add_action(s, {"action_id": f"ca_{secrets.token_hex(8)}", "content_id": content_id, "creator_id": creator.creator_id,
                                "kind": f"decided_{data.outcome}", "at": now, "reason": data.reason, "rule": "CR-6", "created_by": principal.key_id})
        for referral in dict.fromkeys(data.referrals):
            if data.outcome != "violation":
                raise InvalidInput.one("referrals", "only a violation is referred to a court or the authorities")
            creators.add_action(s, {"action_id": f"ca_{secrets.token_hex(8)}", "content_id": content_id, "creator_id": creator.creator_id,
                                    "kind": referral, "at": now, "reason": data.reason, "rule": "CR-9", "created_by": principal.key_id})
            measures.append(Measure(referral, "CR-9", data.reason))
        if data.outcome == "violation":
            vtype = _decided_type(pack, piece, data.type)
            severity = data.severity or next(iter(vtype.severities))
            if severity not in vtype.severities:
                raise InvalidInput.one("severity", f"{severity!r} is not a severity of {vtype.type}; allowed: {', '.join(vtype.severities)}")
            evidence = [{"kind": "text", "value": (f["evidence"][0]["text"] if f.get("evidence") else f["rule"])[:2000] or f["rule"],
                         "note": f"{content_id}: {f['rule']}"} for f in piece.findings if f.get("decision") != "allow"][:50]
            row = violation_row(pack, creator, {"type": vtype.type, "severity": severity, "content_id": content_id,
                                                "evidence": evidence or [{"kind": "text", "value": data.reason}], "note": data.reason},
                                now, now, principal.key_id)
            violations.add(s, row)
            joint.own_account_share(ctx, s, row, now, principal.key_id)
            violation_id = row["violation_id"]
            if data.remove:
                kind = "content_blocked" if piece.kind == "live" else "content_removed"
                creators.add_action(s, {"action_id": f"ca_{secrets.token_hex(8)}", "content_id": content_id, "creator_id": creator.creator_id,
                                        "kind": kind, "at": now, "reason": data.reason, "rule": "CR-9", "created_by": principal.key_id})
                measures.append(Measure(kind, "CR-9", data.reason))
        out = ContentDecided(content_id, data.outcome, data.reason, now, violation_id, tuple(measures))
        outbox.add(s, "content.decided", creator.creator_id, out.as_json() | {"creator_id": creator.creator_id, "decided_by": principal.key_id})  # 0020
    return out


def _decided_type(pack: PolicyPack, piece: ContentRow, chosen: str | None) -> CreatorViolationType:
    rules = rules_of(pack)
    if chosen is not None:
        vtype = rules.types.get(chosen)
        if vtype is None:
            raise InvalidInput.one("type", f"unknown creator violation type {chosen!r}; allowed: {', '.join(rules.types)}")
        return vtype
    categories = [f.get("category") for f in sorted(piece.findings, key=lambda f: -f.get("score", 0)) if f.get("category")]
    vtype = next((rules.type_for(c) for c in categories if rules.type_for(c) is not None), None)
    if vtype is None:
        raise InvalidInput.one("type", f"no finding names a category; choose one of: {', '.join(rules.types)}")
    return vtype


def queue(ctx: Context, principal: Principal, limit: int) -> list[QueuedContent]:
    """Content waiting for an operator, oldest first (the operators' creator queue)."""
    require(principal, "case.read")
    with ctx.db.read() as s:
        rows = creators.open_content(s, limit)
    return [QueuedContent(c.content_id, c.content_id, c.creator_id, c.kind, c.body.get("title", ""), opened, "open", "UTC",
                          tuple(sorted({f["rule"] for f in c.findings if f.get("decision") == "review"})),
                          tuple(sorted({f["category"] for f in c.findings if f.get("decision") == "review" and f.get("category")}))) for c, opened in rows]
