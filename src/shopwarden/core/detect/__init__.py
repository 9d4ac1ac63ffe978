"""Detectors: pure functions from a subject (listing, message, review) to findings, and the
decision table that turns findings into allow / review / block."""

from shopwarden.core.detect.base import (
    DetectContext,
    Detector,
    Evidence,
    Example,
    Explanation,
    Finding,
    ShopInfo,
    Subject,
)
from shopwarden.core.detect.decision import decide, decide_finding
from shopwarden.core.detect.registry import DetectorRegistrationError, Registry, default_registry

__all__ = [
    "DetectContext",
    "Detector",
    "DetectorRegistrationError",
    "Evidence",
    "Example",
    "Explanation",
    "Finding",
    "Registry",
    "ShopInfo",
    "Subject",
    "decide",
    "decide_finding",
    "default_registry",
]
