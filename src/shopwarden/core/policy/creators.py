"""A pack's `creators:` section (CR-7): how a creator's violations fold — points up with thresholds
(the shop ladder, with a creator subject) or a health score down with milestones.

The measures a creator can be under (CR-3, CR-9) and the privileges each takes away are fixed
names of the contract (API.md "Creators and their content"); their numbers are pack values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, PrivateAttr, field_validator

from shopwarden.core.policy.base import Model, Slug, Source, Text

MEASURE_KINDS = ("links_removed", "content_removed", "content_blocked", "warning", "privilege_revoked",
                 "rights_suspended", "rights_removed", "commission_frozen", "no_recommendation")
MeasureKind = Literal["links_removed", "content_removed", "content_blocked", "warning", "privilege_revoked",
                      "rights_suspended", "rights_removed", "commission_frozen", "no_recommendation"]
CREATOR_PRIVILEGES = ("promote_products", "live_selling", "showcase", "recommendation", "commission_payout")
CreatorPrivilege = Literal["promote_products", "live_selling", "showcase", "recommendation", "commission_payout"]
_RIGHTS = frozenset({"promote_products", "live_selling", "showcase"})
# What a measure takes away while in force; content measures act on the content, not on the creator.
MEASURE_REMOVES: dict[str, frozenset[str]] = {
    "links_removed": frozenset(), "content_removed": frozenset(), "content_blocked": frozenset(), "warning": frozenset(),
    # the privilege the measure names (CreatorMeasure.privilege); on a points ladder, whose steps keep
    # only kind and days, LIVE selling
    "privilege_revoked": frozenset({"live_selling"}),
    "rights_suspended": _RIGHTS, "rights_removed": _RIGHTS,
    "commission_frozen": frozenset({"commission_payout"}), "no_recommendation": frozenset({"recommendation"}),
}
# CR-2's ten content categories; a pack's creator violation types each name one.
CR2_CATEGORIES = ("illegal_activity", "sensational", "spam_fraud", "prohibited_products", "restricted_products",
                  "ip_infringement", "misleading_promotion", "misleading_traffic", "low_quality", "locally_restricted")
Cr2Category = Literal["illegal_activity", "sensational", "spam_fraud", "prohibited_products", "restricted_products",
                      "ip_infringement", "misleading_promotion", "misleading_traffic", "low_quality", "locally_restricted"]


class CreatorMeasure(Model):
    kind: MeasureKind
    days: int | None = Field(default=None, gt=0, description="null: until lifted (permanent)")
    privilege: CreatorPrivilege | None = Field(default=None, description="the privilege a `privilege_revoked` takes away")

    def removes(self) -> frozenset[str]:
        if self.kind == "privilege_revoked":
            return frozenset({self.privilege or "live_selling"})
        return MEASURE_REMOVES[self.kind]


class CreatorViolationType(Model):
    """A creator violation type: one of CR-2's categories, with its severities.

    `severities` maps each severity to its points (points model) or is the list of severities the
    health model's `deductions` price (health model: the numbers live in `deductions`).
    """

    type: Slug
    name: Text
    category: Cr2Category
    severities: dict[Slug, Annotated[int, Field(ge=0)]] = Field(
        min_length=1, description="severity -> points (points model); on a health-score pack a list of severities, priced by `deductions`")
    shop_type: Slug | None = Field(default=None, description="CR-12: the shop violation type an own account's violation counts as")
    to_operator: bool = Field(default=False, description="CR-6: never an automatic measure; a human decides")
    source: Source

    @field_validator("severities", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        """`[minor, general]` (a health-score pack) is `{minor: 0, general: 0}`: priced by the pack's deductions."""
        return {str(v): 0 for v in value} if isinstance(value, list) else value


class Band(Model):
    band: Slug
    min: int = Field(ge=0)
    name: Text


class Milestone(Model):
    score: int = Field(ge=0)
    measures: list[CreatorMeasure] = Field(min_length=1)
    source: Source


class RepeatRule(Model):
    """CR-8: the same policy violated `count` times within `days` starts `measures`, whatever the score."""

    count: int = Field(ge=2)
    days: int = Field(gt=0)
    measures: list[CreatorMeasure] = Field(min_length=1)
    source: Source


class Earnings(Model):
    """CR-7: compliant activity earns points back; `daily_cap` caps all earnings of one UTC day."""

    order_content: int = Field(ge=0, description="content with a completed order, neither cancelled nor refunded")
    quiz: int = Field(ge=0, description="a passed policy quiz")
    daily_cap: int = Field(gt=0)
    source: Source

    def amount(self, kind: str) -> int:
        return {"order_content": self.order_content, "quiz": self.quiz}[kind]


class CreatorThreshold(Model):
    points: int = Field(gt=0)
    level: Slug
    measures: list[CreatorMeasure] = []
    source: Source


class CreatorLevel(Model):
    id: Slug
    name: Text


TermCategory = Literal["sensational", "illegal_activity", "locally_restricted"]


class TermList(Model):
    """Words or phrases that put content before an operator (CR-6), with where they come from."""

    terms: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    source: Source


class ContentChecks(Model):
    """CR-6: what the content detectors (core/detect/content) read from the pack.

    The grammar of a claim (最 + a predicate, 第一 not used as an ordinal, English superlatives)
    is code; which words are claims, which categories may speak of efficacy and which terms go
    to an operator are policy, so they live here. Lists extend the detectors' built-in lexicons
    (the Advertising Law's own words), they do not replace them.
    """

    absolute_terms: list[Annotated[str, Field(min_length=1)]] = Field(
        default=[], description="CR-6-ABS: words that are absolute claims by themselves (国家级, world-class)")
    absolute_exempt: list[Annotated[str, Field(min_length=1)]] = Field(
        default=[], description="CR-6-ABS: words that look like claims and are not (最近, 第一次)")
    efficacy_terms: list[Annotated[str, Field(min_length=1)]] = Field(
        default=[], description="CR-6-EFF: medical or therapeutic words (治疗, cure)")
    efficacy_categories: list[Annotated[str, Field(min_length=1)]] = Field(
        default=[], description="CR-6-EFF: category paths (and their children) whose products may make efficacy claims")
    relevance_min_tokens: int = Field(default=20, gt=0, description="CR-6-REL: content with fewer words is not judged")
    terms: dict[TermCategory, TermList] = Field(default={}, description="CR-6-TERMS: per category, always to an operator")
    source: Source


class _CreatorCommon(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    appeal_days: int = Field(gt=0, description="CR-11: a creator may appeal within this many days of the violation")
    max_appeals: int = Field(default=1, ge=1)
    violation_types: list[CreatorViolationType] = Field(min_length=1)
    rule_categories: dict[str, Cr2Category] = Field(
        default={}, description="CR-6: the CR-2 category a detector's rule id stands for in content (DY-DV -> misleading_traffic)")
    content_checks: ContentChecks | None = Field(default=None, description="CR-6: the content detectors' lexicons and categories")
    source: Source
    # The creator rules of every version of their pack, when a schedule ties them (a simulation's,
    # `core.simulate.creator_schedule`): the fold then picks the ladder in force at each instant, as
    # it does a shop pack's versions (`core.policy.versions`). Not fields: the YAML never names them.
    _versions: tuple[_CreatorCommon, ...] = PrivateAttr(default=())
    _effective_from: datetime | None = PrivateAttr(default=None)

    @property
    def effective_from(self) -> datetime | None:
        """The `effective_from` of the pack version these rules came from, once scheduled."""
        return self._effective_from

    def category_of(self, rule: str) -> str | None:
        """The CR-2 category of a finding's rule: the rule itself, else its family ('CR-6-ABS' → 'CR-6')."""
        while rule:
            if rule in self.rule_categories:
                return self.rule_categories[rule]
            rule = rule.rpartition("-")[0] if rule.count("-") > 1 else ""
        return None

    def type_for(self, category: str) -> CreatorViolationType | None:
        """The violation type a category is issued as: the pack's first type of that category."""
        return next((t for t in self.violation_types if t.category == category), None)

    @cached_property
    def types(self) -> dict[str, CreatorViolationType]:
        return {t.type: t for t in self.violation_types}


class HealthScoreRules(_CreatorCommon):
    """TikTok's Creator Health Rating (CR-7): a score from 0 to `max_score` that starts at
    `start_score`, falls by a deduction per confirmed violation (never expiring) and recovers only
    by earning, within a daily cap."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    model: Literal["health_score"]
    start_score: int = Field(ge=0)
    max_score: int = Field(gt=0)
    bands: list[Band] = Field(min_length=1, description="highest first; a score is in the first band whose min it reaches")
    deductions: dict[Slug, int] = Field(min_length=1, description="severity -> points deducted")
    earn: Earnings
    milestones: list[Milestone] = []
    repeat_rule: RepeatRule | None = None

    @cached_property
    def repeat_window(self) -> timedelta:
        return timedelta(days=self.repeat_rule.days) if self.repeat_rule else timedelta(0)

    def deduction(self, vtype: str, severity: str) -> int:
        override = self.types[vtype].severities.get(severity) if vtype in self.types else None
        return override if override else self.deductions[severity]

    @cached_property
    def milestones_desc(self) -> tuple[Milestone, ...]:
        return tuple(sorted(self.milestones, key=lambda m: -m.score))

    def band_of(self, score: int) -> str:
        for b in sorted(self.bands, key=lambda b: -b.min):
            if score >= b.min:
                return b.band
        return self.bands[-1].band


class _Privilege:
    """The shape the shop fold reads from a pack's privileges (`.id`)."""

    __slots__ = ("id",)

    def __init__(self, ident: str):
        self.id = ident


class _Ladder:
    """A threshold in the shape the shop fold reads (`points`, `level`, `sanctions` of kind/days)."""

    __slots__ = ("points", "level", "sanctions")

    def __init__(self, th: CreatorThreshold):
        self.points, self.level, self.sanctions = th.points, th.level, tuple(th.measures)


class _PointClass:
    __slots__ = ("id",)

    def __init__(self, ident: str):
        self.id = ident


POINTS_CLASS = "creator"


class PointsRules(_CreatorCommon):
    """The source's 违规分 for creators (CR-7 points): exactly TT-PTS-1..5 — points per violation,
    a rolling expiry, thresholds that start measures — folded by the shop fold
    (`core/ledger/standing.fold`), for which this model offers the same look-ups a shop pack does."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    model: Literal["points"]
    expiry_days: int = Field(gt=0)
    levels: list[CreatorLevel] = Field(min_length=1, description="lowest first")
    warning_margin: int = Field(ge=0)
    thresholds: list[CreatorThreshold]

    # ---- the look-ups standing.fold reads from a pack ----

    primary: ClassVar[str] = POINTS_CLASS

    @cached_property
    def point_classes(self) -> tuple[_PointClass, ...]:
        return (_PointClass(POINTS_CLASS),)

    @cached_property
    def ladders(self) -> dict[str, tuple[_Ladder, ...]]:
        return {POINTS_CLASS: tuple(_Ladder(t) for t in sorted(self.thresholds, key=lambda t: t.points))}

    def margin_for(self, point_class: str) -> int:
        return self.warning_margin

    @cached_property
    def level_rank(self) -> dict[str, int]:
        return {lv.id: i for i, lv in enumerate(self.levels)}

    @cached_property
    def privileges(self) -> tuple[_Privilege, ...]:
        return tuple(_Privilege(p) for p in CREATOR_PRIVILEGES)

    @cached_property
    def sanction_removes(self) -> dict[str, frozenset[str]]:
        return dict(MEASURE_REMOVES)


CreatorRules = Annotated[HealthScoreRules | PointsRules, Field(discriminator="model")]
