"""Shadow detectors: a candidate version of a detector runs beside the live one.

A pack switches it on per detector (`detectors: <kind>: shadow: {version, thresholds}`). The shadow
is the same detector with the shadow's settings; it scans the same subject with the same context but
for those settings. Pure: `run_shadows` returns, per shadowed detector, the live findings of that
detector, the shadow's and how they compare; the caller stores them and never acts on them.

Comparison, by the rules the two raise on the subject (decision: a finding's rule is what an
operator acts on; scores and spans are shown as evidence, not compared):
- `agree`: both raise the same rules (or neither raises any);
- `live_only`: the live version raises a rule the shadow does not, and not the other way round;
- `shadow_only`: the shadow raises a rule the live version does not, and not the other way round;
- `differ`: each raises a rule the other does not.
An operator labels a disagreement with which side was right: `live`, `shadow` or `neither`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from shopwarden.core.detect.base import DetectContext, Finding, Subject
from shopwarden.core.detect.registry import Registry
from shopwarden.core.policy.schema import DetectorSettings

Verdict = Literal["agree", "live_only", "shadow_only", "differ"]
VERDICTS: tuple[Verdict, ...] = ("agree", "live_only", "shadow_only", "differ")
LABELS = ("live", "shadow", "neither")


@dataclass(frozen=True, slots=True)
class ShadowRun:
    detector: str
    version: str
    live: tuple[Finding, ...]
    shadow: tuple[Finding, ...]

    @property
    def verdict(self) -> Verdict:
        return compare(self.live, self.shadow)


def compare(live: tuple[Finding, ...] | list[Finding], shadow: tuple[Finding, ...] | list[Finding]) -> Verdict:
    a, b = {f.rule for f in live}, {f.rule for f in shadow}
    if a == b:
        return "agree"
    if b <= a:
        return "live_only"
    if a <= b:
        return "shadow_only"
    return "differ"


def shadowed(detectors: Mapping[str, DetectorSettings]) -> dict[str, DetectorSettings]:
    """The pack's detector settings whose shadow is switched on, by kind."""
    return {k: s for k, s in detectors.items() if s.shadow is not None and s.shadow.enabled}


def shadow_context(dctx: DetectContext, kind: str, settings: DetectorSettings) -> DetectContext:
    """`dctx` with the shadow's settings in place of the live ones for `kind`."""
    sh = settings.shadow
    assert sh is not None
    as_live = DetectorSettings(enabled=True, thresholds=sh.thresholds, source=sh.source or f"shadow {sh.version}")
    return replace(dctx, detectors={**dctx.detectors, kind: as_live})


def run_shadows(registry: Registry, subject: Subject, dctx: DetectContext, live: list[Finding] | tuple[Finding, ...]) -> tuple[ShadowRun, ...]:
    """Each shadowed detector of `dctx` (one the registry has) on `subject`, beside its live findings."""
    out = []
    for kind, settings in shadowed(dctx.detectors).items():
        if kind not in registry or settings.shadow is None:
            continue
        found = registry[kind].detect(subject, shadow_context(dctx, kind, settings))
        out.append(ShadowRun(kind, settings.shadow.version, tuple(f for f in live if f.detector == kind), tuple(found)))
    return tuple(out)
