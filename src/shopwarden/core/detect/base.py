"""What every detector shares: the subject it scans, the context it gets, what it finds.

A detector is a class with a declared `kind`, the rule ids it serves, `examples()` and a pure
`detect(subject, context) -> list[Finding]`: no storage, no clock, no I/O, the same findings
for the same input. Evidence spans index the original, un-normalized text of a subject field.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

if TYPE_CHECKING:
    from shopwarden.core.brands import Qualification
    from shopwarden.core.detect.brand_index import BrandIndex
    from shopwarden.core.policy.creators import ContentChecks
    from shopwarden.core.policy.lexicons import Lexicons
    from shopwarden.core.policy.schema import DetectorSettings, PolicyPack

SubjectKind = Literal["listing", "message", "review", "shop", "content"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("listing", "message", "review", "shop", "content")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of one field of the subject, as the seller wrote it: `text == fields[field][start:end]`.

    Text read from an image ("images[2]") also says which image (`image_id`, its sha256) and
    where on it the text was read (`box`, the corner points in pixels). A copied image (DY-IP)
    also says what it copies (`match`: the original's id, where it lies in the image and which
    part of the original that is, the method and its score)."""

    field: str
    start: int
    end: int
    text: str
    box: tuple[tuple[int, int], ...] | None = None
    image_id: str | None = None
    match: Mapping[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "start": self.start, "end": self.end, "text": self.text}
        if self.image_id is not None:
            out["image_id"] = self.image_id
        if self.box is not None:
            out["box"] = [list(point) for point in self.box]
        if self.match is not None:
            out["match"] = dict(self.match)
        return out


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a finding was raised, for the seller (Chinese first) and the operator."""

    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    detector: str
    severity: str
    score: float
    explanation: Explanation
    evidence: tuple[Evidence, ...]

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} is outside 0..1")
        if not self.evidence:
            raise ValueError("a finding needs at least one evidence span")

    def as_dict(self, lang: Literal["en", "zh"] = "en") -> dict[str, Any]:
        """The finding in the shape of API.md's `/v1/scan` response."""
        return {
            "rule": self.rule,
            "detector": self.detector,
            "severity": self.severity,
            "score": round(self.score, 4),
            "explanation": getattr(self.explanation, lang),
            "evidence": [e.as_dict() for e in self.evidence],
        }


R = TypeVar("R")


def _same(a: Any, b: Any) -> bool:
    return a is b or (isinstance(a, str) and a == b)


def per_subject(fn: Callable[..., R]) -> Callable[..., R]:
    """A one-entry memo for what several detectors derive from the same subject during one scan
    (a listing's SKUs, its brand mentions): the last call's result is returned while every
    (positional) argument is the same object (strings: equal). Subjects are immutable, so the
    answer holds; the memo keeps one subject alive, and racing threads only recompute."""
    last: list[tuple[tuple[Any, ...], Any]] = [((), None)]

    @wraps(fn)
    def memo(*args: Any) -> R:
        seen, kept = last[0]
        if len(seen) == len(args) and seen and all(map(_same, seen, args)):
            found: R = kept
            return found
        value = fn(*args)
        last[0] = (args, value)
        return value

    return memo


def _frozen(value: Any) -> Any:
    """A read-only deep copy: mappings become read-only mappings, lists become tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing to scan: a listing (title, description, attributes…), a chat message, a review,
    a shop (its name) or a creator's content (CR-5: title, description, transcript, links; a LIVE
    segment's transcript; `data["products"]` the anchored products as listings).

    `fields` maps a field name to its text; `data` holds a listing's structured values (skus,
    category, brand, price_history; see `listing_subject`). Both are copied read-only. Every
    evidence span indexes a field: structured values a finding cites are also fields, named
    by their path ("skus[1].price") with the value as text.
    """

    kind: SubjectKind
    fields: Mapping[str, str]
    shop_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in SUBJECT_KINDS:
            raise ValueError(f"subject kind {self.kind!r} is not one of {SUBJECT_KINDS}")
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))
        object.__setattr__(self, "data", _frozen(self.data))

    @classmethod
    def message(cls, text: str, shop_id: str | None = None) -> Subject:
        return cls("message", {"text": text}, shop_id)

    @classmethod
    def review(cls, text: str, shop_id: str | None = None) -> Subject:
        return cls("review", {"text": text}, shop_id)

    @classmethod
    def listing(cls, shop_id: str | None = None, **fields: str) -> Subject:
        return cls("listing", fields, shop_id)

    @classmethod
    def from_listing(cls, listing: Mapping[str, Any], shop_id: str | None = None) -> Subject:
        """A listing in the API's shape (title, description, brand, category, attributes, skus,
        price_history); attributes become one text field "k: v; k2: v2"."""
        from shopwarden.core.detect.listing_subject import listing_fields

        return cls("listing", listing_fields(listing), shop_id, listing)

    @classmethod
    def shop(cls, name: str, shop_id: str | None = None) -> Subject:
        """A shop's name, for trademarks in shop names (DY-IP)."""
        return cls("shop", {"name": name}, shop_id)

    def evidence(self, field_name: str, start: int, end: int) -> Evidence:
        return Evidence(field_name, start, end, self.fields[field_name][start:end])

    @property
    def text_fields(self) -> Mapping[str, str]:
        """The fields a person wrote, without the structured values that are fields only so that
        evidence can cite them ("skus[0].price", "shipping_fee"), and without text read from
        images ("images[0]"), which the image_text detector reads: what text signals should read."""
        from shopwarden.core.detect.listing_subject import is_value_field

        return {name: text for name, text in self.fields.items() if not (is_value_field(name) or name.startswith("images["))}


@dataclass(frozen=True, slots=True)
class ShopInfo:
    shop_id: str
    kind: Literal["personal", "individual", "enterprise"] = "enterprise"
    region: str = "CN"
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DetectContext:
    """Everything a detector may know besides the subject, passed in from outside.

    `detectors` are the pack's detector settings by kind; `declared_contacts` are the shop's
    filed after-sales contacts (DY-DV exception); `phone_regions` are the regions whose
    national phone formats count (international "+" numbers always do); `allowed_domains`
    are the platform's own domains, which are not off-platform links. `brands` is the brand
    registry's index and `qualifications` the shop's brand qualifications (DY-BR, DY-IP);
    `at` is the moment they are judged at (the caller's clock, never the detector's).
    `content` is the pack's CR-6 lexicons for creators' content (`creators.content_checks`);
    `lexicons` the pack's DY-DV market lexicons (apps, marketplaces, wallets, banks).
    """

    detectors: Mapping[str, DetectorSettings] = field(default_factory=dict)
    shop: ShopInfo | None = None
    declared_contacts: tuple[str, ...] = ()
    phone_regions: tuple[str, ...] = ("CN",)
    allowed_domains: tuple[str, ...] = ()
    brands: BrandIndex | None = None
    qualifications: tuple[Qualification, ...] = ()
    at: datetime | None = None
    content: ContentChecks | None = None
    lexicons: Lexicons | None = None

    @classmethod
    def from_pack(cls, pack: PolicyPack, **kwargs: Any) -> DetectContext:
        creators = getattr(pack, "creators", None)
        kwargs.setdefault("content", creators.content_checks if creators else None)
        kwargs.setdefault("allowed_domains", tuple(getattr(pack, "platform_domains", ())))  # the one path for listings, messages and content
        kwargs.setdefault("lexicons", getattr(pack, "lexicons", None))
        return cls(detectors=pack.detectors, **kwargs)

    def threshold(self, kind: str, name: str, default: float) -> float:
        """A detector's threshold from the pack, else the detector's own default."""
        settings = self.detectors.get(kind)
        return settings.thresholds.get(name, default) if settings else default

    def thresholds(self, kind: str) -> Mapping[str, float]:
        settings = self.detectors.get(kind)
        return settings.thresholds if settings else {}

    def enabled(self, kind: str) -> bool:
        settings = self.detectors.get(kind)
        return settings.enabled if settings else True


@dataclass(frozen=True, slots=True)
class Example:
    """A worked example a detector declares: the rule ids it must raise on `subject` (none for a
    negative example). The contract test runs every example."""

    subject: Subject
    rules: frozenset[str]
    note: str = ""
    context: DetectContext | None = None


class Detector(ABC):
    kind: ClassVar[str]
    rules: ClassVar[tuple[str, ...]]

    @classmethod
    @abstractmethod
    def examples(cls) -> tuple[Example, ...]:
        """Positive and negative examples; every rule in `rules` has at least one positive."""

    @abstractmethod
    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        """Findings for `subject`; pure and deterministic."""
