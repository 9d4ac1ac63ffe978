"""A pack's `dsa:` section (EU Digital Services Act): which Transparency Database fields each measure
kind maps to, the grounds and categories of each violation type, the markets, and the redress routes.

A pack without it is a market outside the EU: its statements of reasons are kept and shown, and
nothing is exported (shared/spec/DSA.md). The allowed values are the Transparency Database's (API v1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, model_validator

from shopwarden.core.measure_kinds import MEASURE_KINDS
from shopwarden.core.policy.base import Model, Slug, Source, Text, did_you_mean
from shopwarden.errors import PolicyProblem

EEA = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
       "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK")
ART20_MIN_APPEAL_DAYS = 183  # Art. 20(1): complaints open for at least six months

Country = Literal["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
                  "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"]
Visibility = Literal["DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED", "DECISION_VISIBILITY_CONTENT_DEMOTED",
                     "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
                     "DECISION_VISIBILITY_CONTENT_LABELLED", "DECISION_VISIBILITY_OTHER"]
Monetary = Literal["DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"]
Provision = Literal["DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
                    "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION"]
Account = Literal["DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"]
ContentType = Literal["CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT", "CONTENT_TYPE_SYNTHETIC_MEDIA",
                      "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER"]
Category = Literal["STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
                   "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
                   "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
                   "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
                   "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
                   "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM", "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
                   "STATEMENT_CATEGORY_VIOLENCE"]
Keyword = Literal["KEYWORD_TRADEMARK_INFRINGEMENT", "KEYWORD_COPYRIGHT_INFRINGEMENT", "KEYWORD_NONCOMPLIANCE_PRICING",
                  "KEYWORD_MISLEADING_INFO_GOODS_SERVICES", "KEYWORD_INAUTHENTIC_USER_REVIEWS", "KEYWORD_INAUTHENTIC_LISTINGS",
                  "KEYWORD_UNSAFE_PRODUCTS", "KEYWORD_PROHIBITED_PRODUCTS", "KEYWORD_GOODS_SERVICES_NOT_PERMITTED",
                  "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS", "KEYWORD_PHISHING", "KEYWORD_OTHER"]
Other = Field(default=None, min_length=1, max_length=500)


class MeasureFields(Model):
    """The decision fields of one measure kind. `export: false`: not a restriction (a warning), kept and
    shown but never sent."""

    export: bool = True
    decision_visibility: list[Visibility] = []
    decision_visibility_other: str | None = Other
    decision_monetary: Monetary | None = None
    decision_monetary_other: str | None = Other
    decision_provision: Provision | None = None
    decision_account: Account | None = None
    content_type: list[ContentType] = Field(default=["CONTENT_TYPE_PRODUCT"], min_length=1, description="default: the products a marketplace measure is about")
    content_type_other: str | None = Other
    source: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> MeasureFields:
        if self.export and not (self.decision_visibility or self.decision_monetary or self.decision_provision or self.decision_account):
            raise ValueError("an exported measure names at least one decision_* field (or says export: false)")
        for value, other, name in ((self.decision_visibility, self.decision_visibility_other, "decision_visibility"),
                                   (self.content_type, self.content_type_other, "content_type")):
            if any(v.endswith("_OTHER") for v in value) and other is None:
                raise ValueError(f"{name} has an _OTHER value: give {name}_other")
        if self.decision_monetary == "DECISION_MONETARY_OTHER" and self.decision_monetary_other is None:
            raise ValueError("decision_monetary is _OTHER: give decision_monetary_other")
        return self


class Ground(Model):
    """Why a violation type restricts: the pack's policy clause (incompatible with the terms) or the law."""

    ground: Literal["DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    clause: str = Field(min_length=3, max_length=500, description="the law, or the terms' clause, relied on")
    explanation: Text = Field(description="why such content breaches it, as the statement says it")
    reference_url: str | None = Field(default=None, pattern=r"^https://\S+$", max_length=500)
    category: Category = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
    keywords: list[Keyword] = []
    keyword_other: str | None = Other
    illegal_too: Literal["Yes", "No"] | None = Field(default=None, description="incompatible_content_illegal")
    source: Source

    @model_validator(mode="after")
    def _other(self) -> Ground:
        if "KEYWORD_OTHER" in self.keywords and self.keyword_other is None:
            raise ValueError("keywords has KEYWORD_OTHER: give keyword_other")
        return self


class Redress(Model):
    out_of_court: Text = Field(description="Art. 21: the certified out-of-court dispute settlement bodies")
    court: Text = Field(description="the judicial redress open to the person affected")
    source: Source


class DsaRules(Model):
    markets: list[Country] = Field(min_length=1, description="territorial_scope: the EEA countries the marketplace sells in")
    account_type: Literal["ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"] = Field(default="ACCOUNT_TYPE_BUSINESS", description="of sellers (shop and listing measures); none is given for reviewers and creators")
    content_language: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    measures: dict[str, MeasureFields] = Field(description="measure kind (core/measure_kinds.py) -> its decision fields")
    grounds: dict[Slug, Ground] = Field(description="violation type (or `default`) -> its ground and category")
    redress: Redress
    source: Source

    def ground_for(self, violation_type: str | None) -> Ground:
        return self.grounds.get(violation_type or "default") or self.grounds["default"]

    @model_validator(mode="after")
    def _default_ground(self) -> DsaRules:
        if "default" not in self.grounds:
            raise ValueError("grounds needs a `default` entry (the ground of measures no violation type names)")
        return self


# ---- cross-reference checks of the raw mapping (core/policy/checks.py runs them with the others) ----

GROUND_KEYS_BEYOND_TYPES = ("default", "review_report", "misuse")  # RV-6 hides a review on a report; Art. 23 suspends misuse


def dsa_must_keep_art20_and_name_known_kinds(data: Mapping[str, Any]) -> list[PolicyProblem]:
    """Art. 20(1): where the pack is an EU market, the appeal window after a decision is at least six months; the
    measure kinds and grounds it maps exist."""
    dsa = data.get("dsa")
    if not isinstance(dsa, dict):
        return []
    out = []
    appeals = data["appeals"] if isinstance(data.get("appeals"), dict) else {}
    for i, w in enumerate(appeals.get("windows") or []):
        first = isinstance(w, dict) and w.get("after") == "violation_issued"  # a later window follows a rejection, not the decision
        if first and isinstance(w.get("days"), int) and w["days"] < ART20_MIN_APPEAL_DAYS:
            out.append(PolicyProblem(f"appeals.windows[{i}].days", f"{w['days']} days is under six months, and this pack has a dsa section",
                                     f"DSA Art. 20(1): at least {ART20_MIN_APPEAL_DAYS} days"))
    creators = data.get("creators")
    if isinstance(creators, dict) and isinstance(creators.get("appeal_days"), int) and creators["appeal_days"] < ART20_MIN_APPEAL_DAYS:
        out.append(PolicyProblem("creators.appeal_days", f"{creators['appeal_days']} days is under six months, and this pack has a dsa section",
                                 f"DSA Art. 20(1): at least {ART20_MIN_APPEAL_DAYS} days"))
    for kind in dsa.get("measures") or {}:
        if kind not in MEASURE_KINDS:
            out.append(PolicyProblem(f"dsa.measures.{kind}", f"names no measure kind: {kind!r}", did_you_mean(kind, MEASURE_KINDS) + f"one of: {', '.join(MEASURE_KINDS)}"))
    types = {t.get("type") for t in data.get("violation_types") or [] if isinstance(t, dict)}
    for key in dsa.get("grounds") or {}:
        if key not in types and key not in GROUND_KEYS_BEYOND_TYPES:
            known = [t for t in types if isinstance(t, str)] + list(GROUND_KEYS_BEYOND_TYPES)
            out.append(PolicyProblem(f"dsa.grounds.{key}", f"names no violation type: {key!r}",
                                     did_you_mean(key, known) + f"a violation type of this pack, or one of {', '.join(GROUND_KEYS_BEYOND_TYPES)}"))
    return out
