"""Banned products and the same-product registry (DY-LQ-2..6): ban a listing (takedown, the
pack's `low_positive_rate_product` violation, a sweep of the live catalogue), gate new and
changed listings against the registry, show a listing's matches, and let a merchant dispute one."""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Any

import numpy as np
import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopwarden.core.detect.decision import strictest
from shopwarden.core.images.copy_match import WORK_SIDE
from shopwarden.core.images.decode import decode
from shopwarden.core.images.pdq import PdqHash, pdq
from shopwarden.core.policy.checks import LOW_POSITIVE_RATE_TYPE
from shopwarden.core.same_product import (
    Fingerprint,
    ImageMatcher,
    Similarity,
    best_matches,
    fingerprints,
    perceptual_images,
)
from shopwarden.core.same_product_index import SameProductIndex
from shopwarden.errors import AppealPending, Code, Conflict, InvalidInput, NotFound, ShopwardenError
from shopwarden.service import encoder
from shopwarden.service.auth import Principal, require
from shopwarden.service.case_documents import CaseView, case_view
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.violation_rows import new_id, violation_row
from shopwarden.store import bans, cases, images, products, subject_locks, violations
from shopwarden.store.cases import CaseRow
from shopwarden.store.products import ProductRow, ProductVersion

VIOLATION_TYPE = LOW_POSITIVE_RATE_TYPE
LIVE = ("published", "pending_review")
REGISTRY_LOCK = "bans:registry"  # the banned fingerprints against the listings coming in (DY-LQ-2..4)
DETECTOR = "same_product"


@dataclass(frozen=True, slots=True)
class BanInput:
    """An operator's ban (DY-LQ-5's scenario as `reason`, DY-LQ-6's `severity`) with the statement the seller reads."""

    reason: str
    severity: str
    statement: str


@dataclass(frozen=True, slots=True)
class DisputeInput:
    """A merchant's dispute that its listing is the same product as `banned_product_id` (DY-LQ-3/4)."""

    banned_product_id: str
    reason: str
    evidence: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True, slots=True)
class BanViolation(Result):
    """The DY-LQ-6 violation a ban issues (minor carries no points)."""

    id: str
    type: str
    severity: str
    points: int
    point_class: str


@dataclass(frozen=True, slots=True)
class Swept(Result):
    """A live listing the ban's sweep found to be the same product: banned (same shop, DY-LQ-3) or
    taken down without points (another shop, DY-LQ-4); `match` says what agreed and how closely."""

    product_id: str
    shop_id: str
    action: str
    rule: str
    points: int
    match: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Ban(Result):
    """A product banned: its takedown, violation and the sweep of the live catalogue (DY-LQ-2..6)."""

    ban_id: str
    product_id: str
    shop_id: str
    status: str
    reason: str
    severity: str
    statement: str
    banned_at: datetime
    violation: BanViolation
    swept: Sequence[Swept]


@dataclass(frozen=True, slots=True)
class BanSummary(Result):
    ban_id: str
    reason: str
    severity: str
    rule: str
    banned_at: datetime


@dataclass(frozen=True, slots=True)
class ActionTaken(Result):
    """What was done to the listing for a match (rejected, intercepted, banned, taken down, exempted, lifted)."""

    action: str
    rule: str
    ban_id: str
    version: int
    at: datetime
    match: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Matches(Result):
    """A listing's latest version, its own bans, the banned products it is the same as (each match's
    explanation: open data from the same-product index) and the actions already taken on it."""

    product_id: str
    shop_id: str
    version: int
    status: str
    banned: Sequence[BanSummary]
    matches: Sequence[Mapping[str, Any]]
    actions: Sequence[ActionTaken]


@dataclass(frozen=True, slots=True)
class Upheld(Result):
    """An upheld dispute's effects: the exempted ban, the derived bans lifted, the status restored (or None)."""

    exempted_ban_id: str
    lifted_ban_ids: Sequence[str]
    restored_status: str | None


@dataclass(frozen=True, slots=True)
class Hit:
    """A listing matched to a banned product, and what the rule makes of it."""

    ban: bans.BanRow
    similarity: Similarity
    rule: str  # DY-LQ-2 the banned listing itself, DY-LQ-3 same shop, DY-LQ-4 another shop

    def match(self) -> dict[str, Any]:
        return self.similarity.explain() | {"banned_product_id": self.ban.product_id, "ban_id": self.ban.ban_id,
                                            "ban_reason": self.ban.reason, "rule": self.rule}

    def finding(self, lang: str) -> dict[str, Any]:
        b, sim = self.ban, self.similarity
        matched = ", ".join(sim.explain()["matched"]) or "overall"
        texts = {
            "en": f"the same product as banned product {b.product_id} ({b.reason}): {matched} matched, score {sim.score:.2f} "
                  f"(title cosine {sim.text_cosine:.2f}, character Jaccard {sim.title_jaccard:.2f})",
            "zh": f"与被封禁商品 {b.product_id}（{b.reason}）为同款商品：{'、'.join(MATCHED_ZH.get(m, m) for m in sim.explain()['matched']) or '整体'} 相同，"
                  f"相似度 {sim.score:.2f}",
        }
        text, zh = texts[lang], texts["zh"]
        title: str = b.fingerprint["title"]
        return {"rule": self.rule, "detector": DETECTOR, "severity": "block", "score": round(sim.score, 4), "explanation": text, "explanation_zh": zh,
                "evidence": [{"field": "banned_product.title", "start": 0, "end": len(title), "text": title}],
                "decision": "block", "match": self.match()}


MATCHED_ZH = {"title": "标题", "attributes": "属性", "images": "图片", "detail": "详情"}


def _fingerprint(listing: Mapping[str, Any]) -> Fingerprint:
    return fingerprints([listing], encoder.encode)[0]


class _Registry:
    """One database's banned fingerprints in a SameProductIndex (keyed by ban id, added in (banned_at, ban_id) order):
    built lazily on the first lookup, then brought up to date by reading only the bans it has
    not seen (one count/max query per lookup). The index keeps no fingerprint (about 1 KiB a
    ban): a lookup reads its few candidates' fingerprints back from the bans table. A ban whose
    transaction rolled back is never read; bans are append-only, so nothing is removed."""

    def __init__(self) -> None:
        self.lock = Lock()
        self.index = SameProductIndex(keep=False)
        self.seen: tuple[int, datetime | None] | None = None  # (count, latest banned_at) when last synced
        self.known: set[str] = set()  # ban ids in the index

    def matches(self, session: Session, fp: Fingerprint) -> list[tuple[str, Similarity]]:
        """Sync, then look up, under one lock: faiss's index must not be searched while it grows."""
        with self.lock:
            self._sync(session)
            found = self.index.matches(fp, _images(session), fetch=lambda keys: _stored(session, keys))
            return [(str(key), sim) for key, sim in found]  # keyed by ban id

    def _sync(self, session: Session) -> None:
        state = bans.state(session)
        if state == self.seen:
            return
        new = [i for i in bans.ban_ids(session) if i not in self.known]
        for start in range(0, len(new), 500):
            rows = bans.by_ids(session, new[start:start + 500])
            ordered = sorted(rows, key=lambda b: (b.banned_at, b.ban_id))
            self.index.add_many((b.ban_id, Fingerprint.from_json(b.fingerprint)) for b in ordered)
        self.known.update(new)
        self.seen = state


def _stored(session: Session, keys: Sequence[Hashable]) -> list[Fingerprint]:
    """The registry's candidates' fingerprints, read back from their bans (ban ids in, same order out)."""
    ids = [str(k) for k in keys]
    rows = {b.ban_id: b for b in bans.by_ids(session, ids)}
    return [Fingerprint.from_json(rows[ban_id].fingerprint) for ban_id in ids]


_registries: weakref.WeakKeyDictionary[Any, _Registry] = weakref.WeakKeyDictionary()
_registries_lock = Lock()


def _registry(session: Session) -> _Registry:
    engine = session.get_bind()
    with _registries_lock:
        reg = _registries.get(engine)
        if reg is None:
            reg = _registries[engine] = _Registry()
    return reg


# PDQ hashes of stored images by SHA-256 (content-addressed, so one cache serves every database);
# None for an id with no stored bytes or bytes that no longer decode.
_PDQ_CACHE = 4096
_pdq_cache: OrderedDict[str, PdqHash | None] = OrderedDict()
_pdq_lock = Lock()


def _pdq_of(session: Session, sha256: str) -> PdqHash | None:
    with _pdq_lock:
        if sha256 in _pdq_cache:
            _pdq_cache.move_to_end(sha256)
            return _pdq_cache[sha256]
    data = images.data(session, sha256) if len(sha256) == 64 else None
    found = None
    if data is not None:
        try:
            found = pdq(np.asarray(decode(data, side=WORK_SIDE).image))  # a working copy: PDQ reduces to 64x64 anyway
        except ShopwardenError:
            found = None
    with _pdq_lock:
        _pdq_cache[sha256] = found
        while len(_pdq_cache) > _PDQ_CACHE:
            _pdq_cache.popitem(last=False)
    return found


def _images(session: Session) -> ImageMatcher:
    """Shared images for `compare`: identical uploads, or re-encoded/resized copies by PDQ."""
    return perceptual_images(lambda sha: _pdq_of(session, sha))


def _rule(ban: bans.BanRow, product_id: str, shop_id: str) -> str:
    if ban.product_id == product_id:
        return "DY-LQ-2"
    return "DY-LQ-3" if ban.shop_id == shop_id else "DY-LQ-4"


def _hits(session: Session, fp: Fingerprint, product_id: str, shop_id: str, own: bool) -> list[Hit]:
    """Banned products `fp` is the same product as, one hit per banned product (closest ban)."""
    found = _registry(session).matches(session, fp)
    by_id = {b.ban_id: b for b in bans.by_ids(session, [ban_id for ban_id, _ in found])}
    cleared, gone = bans.exemptions(session, product_id), bans.lifted(session, list(by_id))
    hits: list[Hit] = []
    seen: set[str] = set()
    for ban_id, sim in found:
        ban = by_id.get(ban_id)
        if ban is None or ban_id in gone or sim.score <= cleared.get(ban_id, -1.0) + 1e-9:
            continue  # a lifted ban, or a match no closer than one an operator judged not the same product
        if ban.product_id in seen or (not own and ban.product_id == product_id):
            continue
        seen.add(ban.product_id)
        hits.append(Hit(ban, sim, _rule(ban, product_id, shop_id)))
    return hits


def gate(session: Session, product_id: str, shop_id: str, listing: Mapping[str, Any]) -> list[Hit]:
    """DY-LQ-2..4 at `PUT /v1/products/{id}`: the banned products this version is the same as.
    Nothing is encoded while the registry is empty. The registry is held shared until the PUT commits:
    a ban (which holds it exclusively) waits for this listing and sweeps it, or this gate waits for the ban."""
    subject_locks.hold(session, REGISTRY_LOCK, shared=True)
    if not bans.any_ban(session):
        return []
    return _hits(session, _fingerprint(listing), product_id, shop_id, own=True)


_KEPT_FPS = 1024
_kept_fps: OrderedDict[str, Fingerprint] = OrderedDict()  # by the listing's content hash: each encoded once


def same_as(session: Session, listing: Mapping[str, Any], others: list[tuple[str, Mapping[str, Any]]]) -> list[tuple[str, Similarity]]:
    """Which of `others` (key, listing) `listing` is the same product as (DY-LQ-2's fingerprint match), closest
    first. The others' fingerprints are kept by content (a taken-down listing is compared on every PUT of its shop)."""
    if not others:
        return []
    keyed = [(k, hashlib.sha256(orjson.dumps(o, option=orjson.OPT_SORT_KEYS)).hexdigest(), o) for k, o in others]
    with _pdq_lock:
        known = {sid: _kept_fps[sid] for _, sid, _ in keyed if sid in _kept_fps}
    todo = [(sid, o) for _, sid, o in keyed if sid not in known]
    fps = fingerprints([listing] + [o for _, o in todo], encoder.encode)
    with _pdq_lock:
        for (sid, _), fp in zip(todo, fps[1:], strict=True):
            known[sid] = _kept_fps[sid] = fp
        while len(_kept_fps) > _KEPT_FPS:
            _kept_fps.popitem(last=False)
    return best_matches(fps[0], [(k, known[sid]) for k, sid, _ in keyed], _images(session))


def record_gate(session: Session, hits: list[Hit], product_id: str, version: int, shop_id: str, at: datetime, by: str) -> None:
    """Same shop: rejected (DY-LQ-2/3); another shop: intercepted, without points (DY-LQ-4)."""
    for h in hits:
        bans.add_action(session, {"action_id": new_id("ma"), "ban_id": h.ban.ban_id, "product_id": product_id, "product_version": version,
                                  "shop_id": shop_id, "action": "intercepted" if h.rule == "DY-LQ-4" else "rejected", "rule": h.rule,
                                  "match": h.match(), "at": at, "by": by})


def ban(ctx: Context, principal: Principal, product_id: str, body: BanInput) -> Ban:
    """Take the listing down as `banned`, issue the pack's violation for the severity (DY-LQ-6;
    minor carries no points), register its fingerprint, and sweep the live catalogue."""
    require(principal, "product.ban")
    with ctx.db.transaction() as s:
        return ban_in(ctx, s, product_id, body, ctx.clock(), principal.key_id)


def ban_in(ctx: Context, s: Session, product_id: str, body: BanInput, at: datetime, by: str) -> Ban:
    """`ban` inside the caller's transaction (DY-LQ-1 bans a product from review ingestion)."""
    subject_locks.hold(s, REGISTRY_LOCK)  # exclusive: the PUTs in flight commit first, so the sweep below sees them (see `gate`)
    head, listing = _latest(s, product_id)
    if head.status == "banned":
        raise Conflict(f"product {product_id} is already banned", rule="DY-LQ-2")
    pack = pack_of(ctx, s, head.shop_id)
    if VIOLATION_TYPE not in pack.types:
        raise InvalidInput.one("product_id", f"policy {pack.id} has no {VIOLATION_TYPE} type: DY-LQ bans are a Douyin rule")
    evidence = [{"kind": "text", "value": listing["title"], "note": f"listing {product_id} v{head.version} title"},
                {"kind": "text", "value": body.statement, "note": f"ban reason {body.reason} (DY-LQ-5)"}]
    row = violation_row(pack, head.shop_id, {"type": VIOLATION_TYPE, "severity": body.severity, "evidence": evidence,
                                             "note": f"product {product_id} banned ({body.reason}, DY-LQ-6 {body.severity})"}, at, at, by)
    violations.add(s, row)
    fp = _fingerprint(listing)
    ban_id = _register(s, head, fp, body, "DY-LQ-6", None, row["violation_id"], at, by)
    _set_status(s, head, listing, "banned", [_ban_finding(body, ban_id)], at, by)
    try:  # the listing's next version is keyed (product_id, version): of two concurrent bans one stores it
        s.flush()
    except IntegrityError:
        raise Conflict(f"product {product_id} was banned by a concurrent request", rule="DY-LQ-2") from None
    swept = _sweep(s, head, fp, body, ban_id, at, by)
    return Ban(ban_id, product_id, head.shop_id, "banned", body.reason, body.severity, body.statement, at,
               BanViolation(row["violation_id"], VIOLATION_TYPE, body.severity, row["points"], row["point_class"]), swept)


def _version(session: Session, product_id: str, version: int) -> ProductVersion:
    stored = products.version(session, product_id, version)
    assert stored is not None  # versions are append-only: the head's and every earlier one exist
    return stored


def _latest(session: Session, product_id: str) -> tuple[ProductRow, dict[str, Any]]:
    head = products.get(session, product_id)
    if head is None:
        raise NotFound.no("product", product_id)
    return head, _version(session, product_id, head.version).listing


def _register(session: Session, head: ProductRow, fp: Fingerprint, body: BanInput, rule: str, origin: str | None, violation_id: str | None,
              at: datetime, by: str) -> str:
    ban_id = new_id("b")
    bans.add_ban(session, {"ban_id": ban_id, "product_id": head.product_id, "product_version": head.version, "shop_id": head.shop_id,
                           "reason": body.reason, "severity": body.severity, "statement": body.statement, "rule": rule,
                           "origin_ban_id": origin, "violation_id": violation_id, "fingerprint": fp.to_json(), "banned_at": at, "banned_by": by})
    return ban_id


def _ban_finding(body: BanInput, ban_id: str) -> dict[str, Any]:
    return {"rule": "DY-LQ-6", "detector": "product_ban", "severity": body.severity, "score": 1.0, "decision": "block",
            "explanation": f"banned ({body.reason}, {body.severity}): {body.statement}",
            "explanation_zh": f"商品已封禁（{body.reason}，{body.severity}）：{body.statement}", "evidence": [], "ban_id": ban_id}


def _set_status(session: Session, head: ProductRow, listing: Mapping[str, Any], status: str, findings: list[dict[str, Any]], at: datetime, by: str) -> None:
    """A takedown is a new version of the listing with the new status; earlier versions stay."""
    old = _version(session, head.product_id, head.version)
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": listing,
                                   "decision": "block", "status": status, "findings": findings, "policy_version": old.policy_version,
                                   "submitted_at": at, "submitted_by": by})


def _sweep(session: Session, banned: ProductRow, fp: Fingerprint, body: BanInput, ban_id: str, at: datetime, by: str) -> list[Swept]:
    """Live listings that are the same product: in the banning shop banned too (DY-LQ-3, one
    occurrence, so no second violation); in other shops taken down without points (DY-LQ-4)."""
    live = [(h, v) for h, v in bans.live_products(session, LIVE) if h.product_id != banned.product_id]
    out: list[Swept] = []
    for (head, version), lfp in zip(live, fingerprints([v.listing for _, v in live], encoder.encode), strict=True):
        found = best_matches(lfp, [(ban_id, fp)], _images(session))
        if not found:
            continue
        same_shop = head.shop_id == banned.shop_id
        rule, action = ("DY-LQ-3", "banned") if same_shop else ("DY-LQ-4", "taken_down")
        match = found[0][1].explain() | {"banned_product_id": banned.product_id, "ban_id": ban_id, "ban_reason": body.reason, "rule": rule}
        finding = {"rule": rule, "detector": DETECTOR, "severity": "block", "score": match["score"], "decision": "block",
                   "explanation": f"{action} by the sweep after the ban of {banned.product_id}",
                   "explanation_zh": f"封禁 {banned.product_id} 后的同款排查：{'已封禁' if action == 'banned' else '已下架'}", "evidence": [], "match": match}
        if same_shop:
            _register(session, head, lfp, body, rule, ban_id, None, at, by)
        _set_status(session, head, version.listing, action, [finding], at, by)
        bans.add_action(session, {"action_id": new_id("ma"), "ban_id": ban_id, "product_id": head.product_id, "product_version": head.version,
                                  "shop_id": head.shop_id, "action": action, "rule": rule, "match": match, "at": at, "by": by})
        out.append(Swept(head.product_id, head.shop_id, action, rule, 0, match))
    return out


def matches(ctx: Context, principal: Principal, product_id: str) -> Matches:
    """The banned products this listing's latest version is the same as, and why; with the
    actions already taken on it. Another shop's banned product shows no shop id to a seller."""
    with ctx.db.read() as s:
        head, listing = _latest(s, product_id)
        require(principal, "product.read", head.shop_id)
        hits = _hits(s, _fingerprint(listing), product_id, head.shop_id, own=False) if bans.any_ban(s) else []
        actions = bans.actions_of(s, product_id)
        own = bans.of_product(s, product_id)
    hide = principal.role == "seller"
    return Matches(
        product_id, head.shop_id, head.version, head.status,
        banned=[BanSummary(b.ban_id, b.reason, b.severity, b.rule, b.banned_at) for b in own],
        matches=[h.match() | {"banned_shop_id": None if hide and h.ban.shop_id != head.shop_id else h.ban.shop_id,
                              "banned_title": h.ban.fingerprint["title"]} for h in hits],
        actions=[ActionTaken(a.action, a.rule, a.ban_id, a.product_version, a.at, a.match) for a in actions],
    )


def dispute(ctx: Context, principal: Principal, product_id: str, body: DisputeInput) -> CaseView:
    """A merchant disputes a match: an operator case (subject kind `match_dispute`), decided with
    `POST /v1/cases/{id}/decision`; `dismiss` means the match stands."""
    at = ctx.clock()
    with ctx.db.transaction() as s:
        head, listing = _latest(s, product_id)
        require(principal, "match.dispute", head.shop_id)
        match = _match_to_dispute(s, product_id, head, listing, body.banned_product_id)
        earlier = bans.disputes(s, product_id, body.banned_product_id)
        if any(d is None for _, d in earlier):
            raise _dispute_open(product_id, match)
        case_id = new_id("c")
        added = cases.add_once(s, {
            "case_id": case_id, "shop_id": head.shop_id, "subject_kind": cases.DISPUTE, "subject_id": product_id,
            "subject_version": head.version, "rule": match["rule"], "detector": DETECTOR, "severity": "dispute", "score": match["score"],
            "finding": {"banned_product_id": body.banned_product_id, "ban_id": match["ban_id"], "match": match, "reason": body.reason,
                        "dispute_evidence": [dict(e) for e in body.evidence], "evidence": [], "filed_by": principal.key_id,
                        "explanation": f"the merchant disputes that {product_id} is the same product as banned {body.banned_product_id}"},
            "decision": "review", "opened_at": at, "subject_ref": body.banned_product_id, "number": len(earlier) + 1,
        })
        if not added:  # a concurrent dispute of the same match took this number: one open at a time
            raise _dispute_open(product_id, match)
        found = cases.get(s, case_id)
    assert found is not None  # just added, in this transaction
    return case_view(*found)


def _dispute_open(product_id: str, match: Mapping[str, Any]) -> AppealPending:
    return AppealPending(f"a dispute of this match is already open for {product_id}", rule=match["rule"], code=Code.DISPUTE_OPEN,
                         params={"id": product_id})


def uphold(session: Session, case: CaseRow, reason: str, at: datetime, by: str) -> Upheld:
    """An upheld dispute (`POST /v1/cases/{id}/decision` with outcome `upheld`): the listing is not
    the same product as that banned one. All append-only: an `exempted` action for the pair at the
    disputed score (a later version that matches no closer is not caught again; a closer one is
    judged anew), an `ban_lifted` action for a DY-LQ-3 ban the sweep derived from the disputed
    match, and, when the match was all that blocked the listing, a new version restoring it."""
    finding = case.finding
    ban_id, product_id = finding["ban_id"], case.subject_id
    head, listing = _latest(session, product_id)
    note = finding["match"] | {"case_id": case.case_id, "reason": reason}
    action = {"ban_id": ban_id, "product_id": product_id, "product_version": head.version, "shop_id": head.shop_id, "rule": case.rule, "at": at, "by": by}
    bans.add_action(session, action | {"action_id": new_id("ma"), "action": "exempted", "match": note})
    lifted = [b.ban_id for b in bans.of_product(session, product_id) if b.origin_ban_id == ban_id]
    for derived in lifted:
        bans.add_action(session, action | {"action_id": new_id("ma"), "ban_id": derived, "action": "ban_lifted", "match": note})
    restored = _restore(session, head, listing, ban_id, case, reason, at, by)
    return Upheld(ban_id, lifted, restored)


def _restore(session: Session, head: ProductRow, listing: Mapping[str, Any], ban_id: str, case: CaseRow, reason: str, at: datetime, by: str) -> str | None:
    """The listing's status without the overturned match, as a new version, or None when the match
    did not block it or something else still does. A sweep's takedown goes back to the version
    before it; a gate rejection is decided again from the version's other findings."""
    current = _version(session, head.product_id, head.version)
    ours = [f for f in current.findings if (f.get("match") or {}).get("ban_id") == ban_id]
    if head.status in LIVE or not ours:
        return None
    rest = [f for f in current.findings if f not in ours]
    if head.status in ("taken_down", "banned") and not rest and head.version > 1:
        before = _version(session, head.product_id, head.version - 1)
        decision, status, rest = before.decision, before.status, list(before.findings)
    else:
        decision = strictest(f.get("decision", "allow") for f in rest)
        status = products.STATUS[decision]
    upheld = {"rule": case.rule, "detector": "match_dispute", "severity": "info", "score": 0.0, "decision": "allow", "evidence": [],
              "case_id": case.case_id, "explanation": f"dispute upheld: not the same product as banned {case.finding['banned_product_id']} ({reason})",
              "explanation_zh": f"同款申诉成立：与被封禁商品 {case.finding['banned_product_id']} 并非同款（{reason}）"}
    products.add_version(session, {"product_id": head.product_id, "version": head.version + 1, "shop_id": head.shop_id, "listing": listing,
                                   "decision": decision, "status": status, "findings": rest + [upheld], "policy_version": current.policy_version,
                                   "submitted_at": at, "submitted_by": by})
    return status


def _match_to_dispute(session: Session, product_id: str, head: ProductRow, listing: Mapping[str, Any], banned_product_id: str) -> dict[str, Any]:
    """The recorded action against that banned product, else a current match; none is a 422."""
    ban_ids = {b.ban_id for b in bans.of_product(session, banned_product_id)}
    if not ban_ids or banned_product_id == product_id:
        raise InvalidInput.one("banned_product_id", f"{banned_product_id!r} is not a banned product this listing can dispute")
    recorded = [a for a in bans.actions_of(session, product_id) if a.ban_id in ban_ids]
    if recorded:
        return recorded[-1].match
    current = [h for h in _hits(session, _fingerprint(listing), product_id, head.shop_id, own=False) if h.ban.ban_id in ban_ids]
    if not current:
        raise InvalidInput.one("banned_product_id", f"listing {product_id} does not match banned product {banned_product_id}")
    return current[0].match()
