"""Scanning: build a detector context from what is stored about a shop, run the detectors, decide.

`scan` is the stateless `/v1/scan`; products and messages reuse `run` and then act on the
findings in their own transaction (`consequences.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from threading import Lock
from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from shopwarden import metrics
from shopwarden.core.brands import Brand, Qualification, QualificationStatus
from shopwarden.core.detect import DetectContext, Finding, ShopInfo, Subject, decide_finding, default_registry
from shopwarden.core.detect.base import SubjectKind
from shopwarden.core.detect.brand_index import BrandIndex
from shopwarden.core.detect.copied_image import CopiedImage, with_image_matches
from shopwarden.core.detect.image_text import ImageText, with_images
from shopwarden.core.detect.registry import Registry
from shopwarden.core.detect.shadow import ShadowRun, run_shadows, shadowed
from shopwarden.core.policy.schema import DecisionRow, PolicyPack
from shopwarden.errors import NotFound, TooLarge
from shopwarden.service import analysis, image_index, image_text
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.store import brands, declarations, shops
from shopwarden.store.brands import BrandRow, QualificationReview, QualificationRow
from shopwarden.store.shops import Shop

_STRICT = {"allow": 0, "review": 1, "block": 2}


@dataclass(frozen=True)
class Judged:
    """One finding with the decision its table row gave it (row None: no row matched → review)."""

    finding: Finding
    decision: str
    row: DecisionRow | None


@dataclass(frozen=True)
class ScanResult:
    decision: str
    judged: tuple[Judged, ...]
    images_pending: tuple[str, ...] = ()  # images to be read after the answer (the listing gate; `defer`)
    shadow: tuple[ShadowRun, ...] = ()  # shadow detectors beside the live ones: stored, never acted on

    def findings_json(self, lang: str = "en") -> list[dict[str, Any]]:
        """Each finding in `lang`, with its Chinese explanation beside it (the seller centre shows it)."""
        return [j.finding.as_dict("zh" if lang == "zh" else "en") | {"decision": j.decision, "explanation_zh": j.finding.explanation.zh} for j in self.judged]


@dataclass(frozen=True, slots=True)
class ScanAnswer(Result):
    """`POST /v1/scan`'s answer: the strictest decision, each finding (API.md's finding shape), the pack."""

    decision: str  # allow | review | block
    findings: Sequence[Mapping[str, Any]]
    policy: str
    policy_version: str


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The text detectors, image_text over what was read in the subject's images, and
    copied_image over what the image index matched them to."""
    detectors = default_registry()
    detectors.register(ImageText())
    detectors.register(CopiedImage())
    return detectors


class _BrandCache:
    """The brand index is rebuilt only when the registry changed (count and last update)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._key: tuple[Any, ...] | None = None
        self._index: BrandIndex | None = None

    def index(self, session: Session) -> BrandIndex:
        key = brands.registry_version(session)
        with self._lock:
            if key != self._key or self._index is None:
                rows = brands.all_brands(session)
                self._index = BrandIndex([_brand(r) for r in rows])
                self._key = key
            return self._index


_brand_cache = _BrandCache()


def brand_index(session: Session) -> BrandIndex:
    """The brand registry's index, rebuilt only when the registry changed."""
    return _brand_cache.index(session)


def _brand(row: BrandRow) -> Brand:
    return Brand(row.brand_id, row.name, tuple(row.aliases or ()), row.restricted, row.owner, row.registered, tuple(row.categories or ()))


def qualifications_of(session: Session, shop_id: str, at: datetime) -> tuple[Qualification, ...]:
    rows = brands.qualifications(session, shop_id)
    reviews = brands.reviews_of(session, [r.qualification_id for r in rows])
    return tuple(_qualification(r, reviews[r.qualification_id], at) for r in rows)


def qualification_status(row: QualificationRow, reviews: Sequence[QualificationReview], at: datetime) -> QualificationStatus:
    """The latest review decided by `at` (pending without one); an approved one past valid_to is expired."""
    done = [r for r in reviews if r.decided_at <= at]
    status: QualificationStatus = _status(done[-1].status) if done else "pending"
    if status == "approved" and row.valid_to is not None and at >= row.valid_to:
        return "expired"
    return status


def _status(stored: str) -> QualificationStatus:
    """A review's status as stored (the store's column is a plain string), as the core's type names it."""
    return cast(QualificationStatus, stored)


def _qualification(row: QualificationRow, reviews: Sequence[QualificationReview], at: datetime) -> Qualification:
    return Qualification(
        row.qualification_id, row.shop_id, row.brand_id, row.trademark_no, cast(Literal["R", "TM"], row.mark), tuple(row.categories or ()),
        row.valid_from, row.valid_to, qualification_status(row, reviews, at),
    )


def detect_context(ctx: Context, session: Session, shop: Shop | None, pack: PolicyPack, at: datetime) -> DetectContext:
    """What the detectors know besides the subject, the same for a listing, a message, a review and
    a creator's content (CR-6): the pack's settings and the platform's own domains, the brand
    registry and, when a shop speaks (`shop` None: an affiliate creator), its filed contacts and
    brand qualifications."""
    if shop is None:
        return DetectContext.from_pack(pack, brands=_brand_cache.index(session), at=at)
    declared: tuple[str, ...] = ()
    if pack.contact_declarations_allowed:
        declared = tuple(d.value for d in declarations.of_shop(session, shop.shop_id) if d.filed_at <= at)
    return DetectContext.from_pack(
        pack,
        shop=ShopInfo(shop.shop_id, cast(Literal["personal", "individual", "enterprise"], shop.kind), name=shop.name),  # the kind as stored
        declared_contacts=declared,
        brands=_brand_cache.index(session),
        qualifications=qualifications_of(session, shop.shop_id, at),
        at=at,
    )


def check_limits(pack: PolicyPack, fields: Mapping[str, str], skus: int = 0) -> None:
    """413 before any detector runs: a text field over the pack's limit, or too many SKUs."""
    limit = pack.scan_limits.max_text_chars
    for name, text in fields.items():
        if text and len(text) > limit:
            raise TooLarge(f"{name} has {len(text)} characters; policy {pack.id} allows at most {limit}")
    if skus > pack.scan_limits.max_skus:
        raise TooLarge(f"{skus} SKUs; policy {pack.id} allows at most {pack.scan_limits.max_skus}")


def judge(pack: PolicyPack, finding: Finding) -> Judged:
    """A finding with the decision the pack's table gives it (no row: review)."""
    outcome, index = decide_finding(finding, pack.decisions)
    metrics.FINDINGS.labels(finding.rule, outcome).inc()
    return Judged(finding, outcome, None if index is None else pack.decisions[index])


def run(pack: PolicyPack, subject: Subject, dctx: DetectContext) -> ScanResult:
    """The live detectors judged by the pack's table; beside them the pack's shadow detectors, whose
    findings only travel in `ScanResult.shadow` (no decision, no judgement, no metric)."""
    judged = []
    decision = "allow"
    findings = registry().scan(subject, dctx)
    for finding in findings:
        j = judge(pack, finding)
        judged.append(j)
        if _STRICT[j.decision] > _STRICT[decision]:
            decision = j.decision
    shadow = run_shadows(registry(), subject, dctx, findings) if shadowed(dctx.detectors) else ()
    return ScanResult(decision, tuple(judged), (), shadow)


def subject_of(kind: str, body: Mapping[str, Any], shop_id: str | None) -> Subject:
    if kind == "listing":
        return Subject.from_listing(body, shop_id=shop_id)
    return Subject(_kind(kind), {"text": body.get("text") or ""}, shop_id)


def _kind(kind: str) -> SubjectKind:
    return cast(SubjectKind, kind)  # the route's discriminator: message or review


def scan_for_shop(ctx: Context, session: Session, kind: str, body: Mapping[str, Any], at: datetime, defer: bool = False,
                  wait: float | None = None) -> tuple[Shop, PolicyPack, ScanResult]:
    """The one scan path of /v1/scan, the listing gate and messages: the shop (404), its pack, the
    limits (413; the images' pixels too, before any is read), the text in its images (unknown image ids 422), the detectors with everything
    stored about the shop, the decisions. `defer` (the listing gate): the images may be left to the
    analysis workers, as `wait` says (`_images_now`)."""
    shop = shops.get(session, body["shop_id"])
    if shop is None:
        raise NotFound.no("shop", body['shop_id'])
    pack = ctx.pack(shop.policy_id)
    subject = subject_of(kind, body, shop.shop_id)
    check_limits(pack, dict(subject.fields), len(body.get("skus") or ()))
    if body.get("images"):
        image_text.check_pixels(session, body["images"], pack.scan_limits.max_image_pixels)
        if defer and not _images_now(ctx, session, pack, body["images"], wait):
            # The text now, the images after the answer (products.put, service/analysis.py).
            result = run(pack, subject, detect_context(ctx, session, shop, pack, at))
            decision = result.decision if result.decision == "block" else "review"
            return shop, pack, ScanResult(decision, result.judged, tuple(dict.fromkeys(body["images"])), result.shadow)
        copies: dict[str, Any] = {}  # each image is decoded once for both checks
        subject = with_images(subject, image_text.read_images(ctx, session, body["images"], copies=copies if kind == "listing" else None))
        if kind == "listing":
            subject = with_image_matches(subject, image_index.matches_for(ctx, session, body["images"], copies))
    return shop, pack, run(pack, subject, detect_context(ctx, session, shop, pack, at))


def _images_now(ctx: Context, session: Session, pack: PolicyPack, ids: list[str], wait: float | None) -> bool:
    """Whether a listing's images are analysed before it is answered. `wait` None: when what is
    still unread fits the pack's `inline_image_pixels`; 0: never (the workers do it); N seconds:
    when it fits and is read within N; analysis.NOW: always (the workers' own scan)."""
    if wait == analysis.NOW:
        return True
    within = image_text.unread_pixels(session, ids) <= pack.scan_limits.inline_image_pixels
    if wait is None or not within:
        return within
    return wait > 0 and analysis.read_within(ctx, ids, wait)


def scan(ctx: Context, principal: Principal, body: Mapping[str, Any], lang: str = "en") -> ScanAnswer:
    """`POST /v1/scan`: nothing is stored. `body` is the listing, message or review as API.md's
    /v1/scan takes it (with its `kind` and `shop_id`): the detectors' subject, open by design."""
    require(principal, "scan", body["shop_id"])
    with ctx.db.read() as s:
        _, pack, result = scan_for_shop(ctx, s, body["kind"], body, ctx.clock())
    return ScanAnswer(result.decision, result.findings_json(lang), pack.id, pack.version)
