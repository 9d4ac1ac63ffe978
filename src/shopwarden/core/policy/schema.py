"""The policy-pack schema: every number of RULES.md lives in a pack, each with a `source:` note.

Structural checks live on the models; cross-references (a threshold naming a level that
doesn't exist, a severity outside its type's range) are checked in `checks.py` so that a
broken pack reports every problem at once.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, field_validator

from shopwarden.core.policy.base import WEEKDAYS, Model, OptionalSource, Slug, Source, Text
from shopwarden.core.policy.creators import CreatorRules
from shopwarden.core.policy.dsa import DsaRules
from shopwarden.core.policy.experience import ExperienceRules
from shopwarden.core.policy.lexicons import Lexicons
from shopwarden.core.policy.notices import NoticeRules


class Level(Model):
    id: Slug
    name: Text
    source: OptionalSource = None


class Privilege(Model):
    id: Slug
    name: Text
    source: OptionalSource = None


class SanctionKind(Model):
    kind: Slug
    name: Text
    removes: list[Slug] = Field(description="privileges this sanction takes away while in force")
    source: OptionalSource = None


class RollingExpiry(Model):
    kind: Literal["rolling"]
    days: int = Field(gt=0)
    source: Source


class CalendarExpiry(Model):
    """Points count until the start of the next calendar period (e.g. Shopee's quarterly reset)."""

    kind: Literal["calendar"]
    period: Literal["month", "quarter", "year"]
    timezone: str = "UTC"
    source: Source


Expiry = Annotated[RollingExpiry | CalendarExpiry, Field(discriminator="kind")]


class PointClass(Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_\-]+$", max_length=64, description="may be upper-case: Douyin's classes are A and B")
    name: Text
    expiry: Expiry
    warning_margin: int | None = Field(default=None, ge=0, description="overrides the pack's warning_margin")
    source: Source


class SanctionSpec(Model):
    kind: Slug
    days: int | None = Field(default=None, gt=0, description="null: permanent")


class Threshold(Model):
    points: int = Field(gt=0)
    level: Slug
    point_class: str | None = Field(default=None, description="default: the pack's primary class")
    sanctions: list[SanctionSpec] = []
    source: Source


class Severity(Model):
    points: int = Field(ge=0)
    point_class: str | None = None
    takedown: bool = Field(default=False, description="the measure also takes the listing down (DY-LQ-6)")


class ViolationType(Model):
    type: Slug
    name: Text
    min_points: int = Field(ge=0)
    max_points: int = Field(ge=0)
    point_class: str | None = None
    rules: list[str] = Field(default=[], description="rule ids this type enforces (RULES.md)")
    severities: dict[Slug, Severity]
    source: Source

    @field_validator("severities", mode="before")
    @classmethod
    def _points_shorthand(cls, value: Any) -> Any:
        """`general: 4` is shorthand for `general: {points: 4}`."""
        if isinstance(value, dict):
            return {k: ({"points": v} if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in value.items()}
        return value


class AppealWindow(Model):
    number: int = Field(ge=1)
    days: int = Field(gt=0)
    after: Literal["violation_issued", "previous_rejected"]
    source: OptionalSource = None


class DecisionSla(Model):
    min_working_days: int = Field(default=1, ge=0)
    max_working_days: int = Field(gt=0)


class AppealRules(Model):
    max_appeals: int = Field(ge=0)
    windows: list[AppealWindow]
    evidence_required: bool = True
    decision_sla: DecisionSla | None = None
    source: Source


class WorkingCalendar(Model):
    timezone: str = "UTC"
    weekend: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = ["sat", "sun"]
    holidays: list[date] = []
    workdays: list[date] = Field(default=[], description="make-up working days that fall on a weekend (调休)")
    source: Source

    @cached_property
    def weekend_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS[d] for d in self.weekend)


class ShadowSettings(Model):
    """A detector version run in shadow beside the live one: same detector, its own
    settings; its findings are stored and compared with the live ones, never acted on."""

    version: str = Field(min_length=1, max_length=64, description="names the candidate in the stored findings and the console")
    enabled: bool = Field(default=True, description="false: the shadow is declared but not run")
    thresholds: dict[str, float] = Field(default={}, description="over the detector's defaults, as the live settings' thresholds")
    source: OptionalSource = None


class DetectorSettings(Model):
    enabled: bool = True
    thresholds: dict[str, float] = {}
    shadow: ShadowSettings | None = Field(default=None, description="a candidate version run beside this one; never acted on")
    source: Source


class IssueSpec(Model):
    """The violation a decision-table row issues for a stored subject (its evidence: the finding's)."""

    type: Slug
    severity: Slug


class DecisionRow(Model):
    """One row of the finding -> allow/review/block table: the first matching row decides.

    A row also says what follows for a stored listing or message: `issue` a violation at once,
    open a review `case` for an operator, or open a `rectify` task the seller can fix.
    """

    rule: str = Field(description="a rule id, or '*'")
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    severity: str | None = None
    decision: Literal["allow", "review", "block"]
    issue: IssueSpec | None = None
    case: bool = Field(default=False, description="open a review case for an operator")
    rectify: bool = Field(default=False, description="a fixable block: open a rectification task (DY-IP-R)")
    source: str | None = None


class RectificationRules(Model):
    """DY-IP-R / DY-FLOW: how long a seller has to fix a listing, and what happens after."""

    days: int = Field(gt=0)
    escalate: dict[str, IssueSpec] = Field(default={}, description="by rule id ('*' for any): the violation issued when a task passes its deadline")
    source: Source

    def escalation(self, rule: str) -> IssueSpec | None:
        return self.escalate.get(rule) or self.escalate.get("*")


class ScanLimits(Model):
    max_text_chars: int = Field(default=20000, gt=0, description="longer text fields are refused (413)")
    max_skus: int = Field(default=200, gt=0)
    max_image_pixels: int = Field(default=300_000_000, gt=0, description=(
        "the images one listing, message or review names may declare this many pixels together "
        "(distinct images, width x height from their headers); more is refused (413) before any is read"))
    inline_image_pixels: int = Field(default=100_000_000, gt=0, description=(
        "a listing whose images not yet read declare more pixels than this is answered pending_review at once "
        "and its images are read after the answer, then the listing is scanned again (the answer comes in seconds)"))
    source: str | None = None


class ReviewReportAbuse(Model):
    window_days: int = Field(gt=0)
    min_reports: int = Field(gt=0)
    warn_share: float = Field(gt=0, le=1)
    block_share: float = Field(gt=0, le=1)
    block_days: int = Field(gt=0)


class ReviewReportRules(Model):
    negative_max_rating: int = Field(ge=1, le=5)
    window_days: int = Field(gt=0)
    max_reports_per_review: int = Field(ge=1)
    abuse: ReviewReportAbuse
    source: Source


class LowPositiveRate(Model):
    """DY-LQ-1: a product with real sales is judged on the Wilson lower bound of its positive-review
    rate, so a handful of reviews never bans it; thresholds per category (longest path prefix wins)."""

    positive_min_rating: int = Field(ge=1, le=5, description="a review rated at least this is positive")
    min_sales: int = Field(ge=1, description="no verdict before this many sales")
    min_reviews: int = Field(ge=1, description="no verdict before this many visible reviews")
    confidence_z: float = Field(gt=0, le=5, description="the normal quantile of the bound (1.96: 95% two-sided)")
    threshold: float = Field(gt=0, lt=1, description="banned while the lower bound is below this (every other category)")
    categories: dict[Annotated[str, Field(min_length=1)], Annotated[float, Field(gt=0, lt=1)]] = Field(
        default={}, description="category path prefix ('服饰' covers '服饰/女装') -> its own threshold")
    severity: Slug = Field(default="minor", description="the DY-LQ-6 tier of the automatic ban")
    source: Source

    def threshold_for(self, category: str | None) -> tuple[float, str | None]:
        """The threshold for a category and the pack key it came from (None: the default)."""
        hits = [k for k in self.categories if category and (category == k or category.startswith(k.rstrip("/") + "/"))]
        key = max(hits, key=len, default=None)
        return (self.categories[key], key) if key else (self.threshold, None)


class PolicyPack(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: Slug
    version: str = Field(min_length=1)
    name: Text
    market: str
    region: str
    effective_from: datetime
    source: Source
    levels: list[Level] = Field(min_length=1, description="lowest first; the first applies below every threshold")
    privileges: list[Privilege]
    sanction_kinds: list[SanctionKind]
    point_classes: list[PointClass] = Field(min_length=1)
    primary_class: str | None = Field(default=None, description="the class the health overview reports; default the first")
    warning_margin: int = Field(ge=0)
    warning_margin_source: Source
    thresholds: list[Threshold]
    violation_types: list[ViolationType] = Field(min_length=1)
    appeals: AppealRules
    calendar: WorkingCalendar
    detectors: dict[str, DetectorSettings] = {}
    decisions: list[DecisionRow] = []
    review_reports: ReviewReportRules | None = None
    low_positive_rate: LowPositiveRate | None = None
    rectification: RectificationRules | None = None
    scan_limits: ScanLimits = ScanLimits()
    creators: CreatorRules | None = Field(default=None, description="CR-7: how the market's creators are scored")
    experience: ExperienceRules | None = Field(default=None, description="DY-QL-2..4: the experience score and poor-quality rules")
    dsa: DsaRules | None = Field(default=None, description="EU DSA: statements' Transparency Database fields; none outside the EU")
    notices: NoticeRules | None = Field(default=None, description="DSA Art. 16, 23 and E-Commerce Law art. 43: notices, counter-notices, misuse")
    contact_declarations_allowed: bool = Field(default=True, description="DY-DV exception: a filed after-sales contact is allowed")
    platform_domains: list[Annotated[str, Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")]] = Field(
        default=[], description="DY-DV, CR-6: the platform's own domains (and their subdomains); a link to one is not off-platform")
    platform_domains_source: OptionalSource = None
    lexicons: Lexicons | None = Field(default=None, description="DY-DV: apps, marketplaces, wallets and banks per market")
    # Every version of this pack id, oldest `effective_from` first, when more than one is loaded
    # (`core.policy.versions.schedule` sets it; empty: this version alone). Not a field: a pack's
    # YAML never names its siblings.
    _versions: tuple[PolicyPack, ...] = PrivateAttr(default=())

    # ---- derived look-ups (computed once per pack) ----

    @cached_property
    def primary(self) -> str:
        return self.primary_class or self.point_classes[0].id

    @cached_property
    def classes(self) -> dict[str, PointClass]:
        return {c.id: c for c in self.point_classes}

    @cached_property
    def types(self) -> dict[str, ViolationType]:
        return {t.type: t for t in self.violation_types}

    @cached_property
    def sanction_removes(self) -> dict[str, frozenset[str]]:
        return {s.kind: frozenset(s.removes) for s in self.sanction_kinds}

    @cached_property
    def ladders(self) -> dict[str, tuple[Threshold, ...]]:
        """Thresholds per point class, ascending."""
        out: dict[str, list[Threshold]] = {c.id: [] for c in self.point_classes}
        for t in self.thresholds:
            out.setdefault(t.point_class or self.primary, []).append(t)
        return {k: tuple(sorted(v, key=lambda t: t.points)) for k, v in out.items()}

    @cached_property
    def level_rank(self) -> dict[str, int]:
        return {lv.id: i for i, lv in enumerate(self.levels)}

    def margin_for(self, point_class: str) -> int:
        pc = self.classes.get(point_class)
        return pc.warning_margin if pc and pc.warning_margin is not None else self.warning_margin

    @cached_property
    def for_creators(self) -> PolicyPack:
        """This pack as the appeal checks see a creator's violation (CR-11): the creators' window
        for a first appeal and their number of appeals; later windows, evidence and SLA as the shop's."""
        rules = self.creators
        if rules is None:
            return self
        windows = [w.model_copy(update={"days": rules.appeal_days, "source": f"CR-11: {rules.appeal_days} days"}) if w.number == 1 else w
                   for w in self.appeals.windows if w.number <= rules.max_appeals]
        appeal_rules = self.appeals.model_copy(update={"max_appeals": rules.max_appeals, "windows": windows,
                                                       "source": f"CR-11: {rules.source}"})
        return self.model_copy(update={"appeals": appeal_rules})

    def class_of(self, vtype: str, severity: str) -> str:
        t = self.types[vtype]
        return t.severities[severity].point_class or t.point_class or self.primary
