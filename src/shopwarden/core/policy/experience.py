"""A pack's `experience:` section (DY-QL-2..4): the experience score's window, groups, indicators and
weights; the poor-quality rules for products (Wilson bound over the industry mean) and shops
(score below a line for consecutive days); and the escalating measures ladder.

The indicator ids are fixed names of the contract (API.md "After-sales, complaints and the
experience score"); which of them a pack scores, in which group and with which weight, on which scale
(`scale_min` to `scale`), under which name, and which after-sales reasons count as quality returns,
are pack values: the douyin pack's 体验分 (0–100) and the tiktok-shop pack's Shop Performance Score
(0–5) are the same machinery. A pack without a `measures` ladder scores and judges products but
records no determinations (DY-QL-3/4).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from shopwarden.core.policy.base import Model, Slug, Source, Text

# Every indicator is a rate where higher is worse (DY-QL-1): numerator counter ÷ denominator counter.
INDICATOR_IDS = ("negative_review_rate", "quality_return_rate", "late_dispatch_rate", "complaint_rate", "after_sales_rate", "negative_feedback_rate")
IndicatorId = Literal["negative_review_rate", "quality_return_rate", "late_dispatch_rate", "complaint_rate", "after_sales_rate", "negative_feedback_rate"]
MEASURE_KINDS = ("order_limit", "payout_frozen", "penalty_fee")
AFTER_SALE_REASONS = ("quality", "not_as_described", "damaged", "no_reason", "other")  # API.md POST /v1/after-sales
AfterSaleReason = Literal["quality", "not_as_described", "damaged", "no_reason", "other"]
DEFAULT_NAME = Text(en="Experience score", zh="体验分")


class IndicatorGroup(Model):
    id: Slug
    weight: float = Field(gt=0, description="the group's share of the score; groups' weights are normalised by their sum")
    indicators: list[IndicatorId] = Field(min_length=1, description="scored equally within the group")
    source: Source


class PoorQualityProduct(Model):
    """DY-QL-3 for a product: poor while the Wilson lower bound of its negative-feedback rate is above
    `factor` × the industry mean, once it has `min_orders` orders in the window."""

    factor: float = Field(gt=1, le=100)
    min_orders: int = Field(ge=1)
    confidence_z: float = Field(gt=0, le=5)
    source: Source


class PoorQualityShop(Model):
    """DY-QL-3 for a shop: poor once its score stayed below `below` on `days` consecutive days."""

    below: float = Field(gt=0)
    days: int = Field(ge=1)
    source: Source


class MeasureSpec(Model):
    kind: Literal["order_limit", "payout_frozen", "penalty_fee"]
    days: int | None = Field(default=None, gt=0, description="how long it stays in force; null for a one-off penalty fee")
    limit_per_day: int | None = Field(default=None, ge=0, description="order_limit: orders the shop may take per UTC day")
    amount: float | None = Field(default=None, gt=0, description="penalty_fee: the amount, in the pack's currency")

    @model_validator(mode="after")
    def _fields_of_kind(self) -> MeasureSpec:
        if (self.kind == "order_limit") != (self.limit_per_day is not None):
            raise ValueError("limit_per_day is given for order_limit and only for it")
        if (self.kind == "penalty_fee") != (self.amount is not None):
            raise ValueError("amount is given for penalty_fee and only for it")
        if self.kind != "penalty_fee" and self.days is None:
            raise ValueError(f"{self.kind} needs days")
        return self


class MeasureStep(Model):
    """The measures of the `occurrence`-th determination within `repeat_days` (DY-QL-4: by repetition)."""

    occurrence: int = Field(ge=1)
    measures: list[MeasureSpec] = Field(min_length=1)
    source: Source


class ExperienceRules(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    name: Text = Field(default=DEFAULT_NAME, description="what the platform calls the score (体验分, Shop Performance Score)")
    name_source: Source | None = None
    window_days: int = Field(gt=0, le=366)
    window_source: Source
    min_orders: int = Field(ge=1, description="fewer orders in the window: no score (null), never a low one")
    min_orders_source: Source
    negative_max_rating: int = Field(ge=1, le=5, description="a review rated at most this is negative")
    negative_source: Source
    dispatch_hours: int = Field(gt=0, description="an order paid at t is dispatched late unless shipped by t + these hours")
    dispatch_source: Source
    scale: Annotated[float, Field(gt=0)] = Field(description="scores run from `scale_min` (the worst standing) to this (the best)")
    scale_min: float = Field(default=0, ge=0, description="the lowest score (0 for 0–100, 1 for a 1–5 rating)")
    scale_source: Source
    quality_reasons: tuple[AfterSaleReason, ...] = Field(default=("quality", "not_as_described"), min_length=1,
                                                         description="after-sales reasons counted as quality returns (品退, DY-QL-1)")
    quality_reasons_source: Source | None = None
    groups: list[IndicatorGroup] = Field(min_length=1)
    poor_quality_product: PoorQualityProduct
    poor_quality_shop: PoorQualityShop | None = Field(default=None, description="none: shops are not determined, only products judged")
    repeat_days: int | None = Field(default=None, gt=0, description="determinations within this many days count as repetitions")
    measures: list[MeasureStep] | None = Field(default=None, min_length=1,
                                               description="by occurrence; past the last, the last applies; none: no determinations are recorded")
    measures_source: Source | None = None

    @model_validator(mode="after")
    def _each_indicator_once(self) -> ExperienceRules:
        seen = [i for g in self.groups for i in g.indicators]
        dup = sorted({i for i in seen if seen.count(i) > 1})
        if dup:
            raise ValueError(f"indicators scored twice: {', '.join(dup)}")
        if len({g.id for g in self.groups}) != len(self.groups):
            raise ValueError("group ids must be unique")
        if self.scale_min >= self.scale:
            raise ValueError(f"scale_min ({self.scale_min:g}) must be below scale ({self.scale:g})")
        if self.poor_quality_shop is not None and not self.scale_min < self.poor_quality_shop.below <= self.scale:
            raise ValueError(f"poor_quality_shop.below ({self.poor_quality_shop.below:g}) must lie on the scale ({self.scale_min:g}, {self.scale:g}]")
        if self.measures is None:
            if self.poor_quality_shop is not None or self.repeat_days is not None:
                raise ValueError("poor_quality_shop and repeat_days need a measures ladder")
            return self
        if self.repeat_days is None or self.measures_source is None:
            raise ValueError("a measures ladder needs repeat_days and measures_source")
        occ = [s.occurrence for s in self.measures]
        if occ != sorted(set(occ)) or occ[0] != 1:
            raise ValueError("measures: occurrences start at 1 and increase")
        return self

    @property
    def determines(self) -> bool:
        """Whether the pack records DY-QL-3 determinations with DY-QL-4 measures (it has a ladder)."""
        return self.measures is not None

    @cached_property
    def weights(self) -> dict[str, tuple[str, float]]:
        """indicator id -> (group id, its share of the score, the shares summing to 1)."""
        total = sum(g.weight for g in self.groups)
        return {i: (g.id, g.weight / total / len(g.indicators)) for g in self.groups for i in g.indicators}

    def step(self, occurrence: int) -> MeasureStep:
        """The ladder step for the `occurrence`-th determination: the highest step at or below it."""
        return [s for s in self.measures or () if s.occurrence <= max(1, occurrence)][-1]
