"""The shape the DY-PR detectors that weigh a listing's SKUs against each other share (`bait_sku`,
`mixed_spu`): a listing with fewer than two priced SKUs has nothing to compare; the pack's
thresholds come over the detector's defaults; a finding carries the severity its score reaches."""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Explanation, Finding, Subject
from shopwarden.core.detect.pricing.skus import Sku, sibling_skus
from shopwarden.core.detect.severity import settings, severity_for


class BetweenSkus(Detector):
    rules = ("DY-PR",)
    defaults: Mapping[str, float]

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        skus = sibling_skus(subject)
        if not skus:
            return []
        return self.compare(subject, skus, settings(context, self.kind, self.defaults))

    def compare(self, subject: Subject, skus: tuple[Sku, ...], t: Mapping[str, float]) -> list[Finding]:
        """Findings over the listing's sibling SKUs (two or more), with the thresholds `t`."""
        raise NotImplementedError

    def finding(self, score: float, t: Mapping[str, float], explanation: Explanation, evidence: tuple[Evidence, ...]) -> list[Finding]:
        return [Finding("DY-PR", self.kind, severity_for(score, t), score, explanation, evidence)] if evidence else []
