"""A pack's `detectors:` section is closed: the detector kinds shopwarden ships and the settings each reads.

A misspelt kind or threshold name would otherwise pass and leave the detector on its default, so
each is an error with its YAML path and the nearest valid name. The names are each detector's
DEFAULTS (and the few it reads beyond them); tests/core/test_pack_closed.py checks this table
against the detectors themselves, so a detector that gains a setting fails there until it is listed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shopwarden.core.policy.base import did_you_mean, path_of
from shopwarden.errors import PolicyProblem

# `severity.<name>`: the lowest score for that severity (core/detect/severity.py), any severity name.
SEVERITY_FLOOR = re.compile(r"^severity\.[a-z0-9][a-z0-9_\-]*$")

_SEV = ("severity.general", "severity.serious")

DETECTOR_SETTINGS: Mapping[str, frozenset[str]] = {
    kind: frozenset(names)
    for kind, names in {
        # listings, messages, shops (core/detect)
        "contact_diversion": ("min_score", "severity.general", "declared_exempt", "learned", "learned.veto", "learned.min"),
        "brand_qualification": ("score.category", "score.expired", "score.none", "score.not_yet_valid", "score.pending",
                                "score.personal_restricted", "score.rejected", "score.restricted", "score.revoked", *_SEV),
        "trademark_in_text": ("score.content", "score.shop_name", "score.title", *_SEV),
        "bait_sku": ("part_ratio", "same_item_ratio", "score.part", "score.same_item", *_SEV),
        "mixed_spu": ("band_ratio", "score.band", "score.category", *_SEV),
        "shipping_fee": ("block_ratio", "min_fee", "ratio", "score.block", "score.flag", *_SEV),
        "advertised_price": ("abs_tolerance", "score.below", "score.other", "tolerance", *_SEV),
        "comparison_price": ("score", "tolerance", "window_days", *_SEV),
        "image_text": ("score.qr", "severity.general"),
        "copied_image": ("min_confidence", "severity.general"),
        # creators' content (CR-6)
        "absolute_claims": ("score.grammar", "score.strong", "severity.general"),
        "efficacy_claims": ("score", "severity.general"),
        "restricted_terms": ("score",),
        "unrelated_product": ("min_bigrams", "score"),
        # reviews (RV-K-1..6, core/reviews)
        "review_repeated": ("min_negative", "min_score", "min_share", "window_days", "severity.general"),
        "review_coercion": ("min_score", "severity.general"),
        "review_competitor": ("min_score", "score.address_hash", "score.device", "score.identity", "score.payment_account",
                              "severity.general"),
        "review_diversion": ("min_score", "score.qr", "severity.general"),
        "review_wrong_product": ("fit_quantile", "margin", "min_reviews", "min_score", "min_words", "own_quantile",
                                 "shared_quantile", "severity.general"),
        "review_invalid": ("campaign_min_copies", "campaign_min_words", "copy_min_words", "irrelevant_margin",
                           "irrelevant_min_words", "irrelevant_quantile", "keyboard_share", "min_chars", "min_copies",
                           "min_reviews", "min_score", "repeat_min_chars", "repeat_share", "script_switch_rate",
                           "symbols_min_chars", "template_share", "word_coverage", "word_min_chars", "severity.general"),
    }.items()
}


def is_setting(kind: str, name: str) -> bool:
    return name in DETECTOR_SETTINGS.get(kind, ()) or bool(SEVERITY_FLOOR.match(name))


def detector_settings_must_be_known(data: Mapping[str, Any]) -> list[PolicyProblem]:
    """Every key of `detectors:` names a shipped detector, and every threshold (its own and its
    shadow's) a setting that detector reads."""
    detectors = data.get("detectors")
    if not isinstance(detectors, Mapping):
        return []
    problems: list[PolicyProblem] = []
    for kind, settings in detectors.items():
        if kind not in DETECTOR_SETTINGS:
            problems.append(PolicyProblem(path_of("detectors", kind), f"names no detector: {kind!r}",
                                          did_you_mean(kind, DETECTOR_SETTINGS) + "detectors: " + ", ".join(sorted(DETECTOR_SETTINGS))))
            continue
        if not isinstance(settings, Mapping):
            continue
        shadow = settings.get("shadow")
        places: list[tuple[tuple[str, ...], Any]] = [(("detectors", kind, "thresholds"), settings.get("thresholds"))]
        if isinstance(shadow, Mapping):
            places.append((("detectors", kind, "shadow", "thresholds"), shadow.get("thresholds")))
        for parts, thresholds in places:
            problems.extend(_unknown_settings(kind, parts, thresholds))
    return problems


def _unknown_settings(kind: str, parts: tuple[str, ...], thresholds: Any) -> list[PolicyProblem]:
    if not isinstance(thresholds, Mapping):
        return []
    known = sorted(DETECTOR_SETTINGS[kind])
    return [PolicyProblem(path_of(*parts, name), f"{kind} reads no setting {name!r}",
                          did_you_mean(name, known) + f"{kind} reads: " + ", ".join(known) + ", severity.<name>")
            for name in thresholds if not is_setting(kind, str(name))]
