"""The registry of detectors: each declares itself and is checked when it is registered.

A registry refuses a second detector of the same `kind`; tests build their own registries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from shopwarden.core.detect.base import DetectContext, Detector, Finding, Subject
from shopwarden.errors import ShopwardenError

_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE = re.compile(r"^[A-Z]{2,}(?:-[A-Z0-9]+)+$")


class DetectorRegistrationError(ShopwardenError):
    """A detector that cannot be registered: a duplicate kind or a malformed declaration.
    A programming error, found at start-up."""

    title = "Detector registration failed"


class Registry:
    def __init__(self, detectors: Iterable[Detector] = ()):
        self._detectors: dict[str, Detector] = {}
        for detector in detectors:
            self.register(detector)

    def register(self, detector: Detector) -> Detector:
        kind = getattr(detector, "kind", None)
        if not isinstance(kind, str) or not _KIND.match(kind):
            raise DetectorRegistrationError(f"{type(detector).__name__}: kind {kind!r} is not a snake_case name")
        if kind in self._detectors:
            raise DetectorRegistrationError(f"a detector of kind {kind!r} is already registered")
        rules = getattr(detector, "rules", ())
        if not rules or not all(isinstance(r, str) and _RULE.match(r) for r in rules):
            raise DetectorRegistrationError(f"{kind}: rules {rules!r} must be non-empty rule ids like 'DY-DV'")
        self._detectors[kind] = detector
        return detector

    def __getitem__(self, kind: str) -> Detector:
        return self._detectors[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in self._detectors

    def __iter__(self) -> Iterator[Detector]:
        return iter(self._detectors.values())

    def __len__(self) -> int:
        return len(self._detectors)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._detectors)

    def scan(self, subject: Subject, context: DetectContext) -> list[Finding]:
        """Findings of every detector the pack leaves enabled, in registration order."""
        findings: list[Finding] = []
        for kind, detector in self._detectors.items():
            if context.enabled(kind):
                findings.extend(detector.detect(subject, context))
        return findings


def default_registry() -> Registry:
    """A registry with every text detector shopwarden ships."""
    from shopwarden.core.detect.brand_qualification import BrandQualification
    from shopwarden.core.detect.contact_diversion import ContactDiversion
    from shopwarden.core.detect.content.absolute_claims import AbsoluteClaims
    from shopwarden.core.detect.content.efficacy_claims import EfficacyClaims
    from shopwarden.core.detect.content.restricted_terms import RestrictedTerms
    from shopwarden.core.detect.content.unrelated_product import UnrelatedProduct
    from shopwarden.core.detect.pricing.advertised_price import AdvertisedPrice
    from shopwarden.core.detect.pricing.bait_sku import BaitSku
    from shopwarden.core.detect.pricing.comparison_price import ComparisonPrice
    from shopwarden.core.detect.pricing.mixed_spu import MixedSpu
    from shopwarden.core.detect.pricing.shipping_fee import ShippingFee
    from shopwarden.core.detect.trademark_in_text import TrademarkInText

    return Registry(
        [
            ContactDiversion(),
            BrandQualification(),
            TrademarkInText(),
            ShippingFee(),
            BaitSku(),
            MixedSpu(),
            AdvertisedPrice(),
            ComparisonPrice(),
            AbsoluteClaims(),
            EfficacyClaims(),
            UnrelatedProduct(),
            RestrictedTerms(),
        ]
    )
