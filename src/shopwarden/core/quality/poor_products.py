"""DY-QL-3 for products: poor quality when the Wilson lower bound of the product's negative-feedback
rate is above the pack's factor times the industry mean, once it has the pack's minimum orders in
the window, so a handful of orders never condemns it."""

from __future__ import annotations

from dataclasses import dataclass

from shopwarden.core.policy.experience import PoorQualityProduct
from shopwarden.core.reviews.positive_rate import wilson_lower_bound

RULE = "DY-QL-3"


@dataclass(frozen=True, slots=True)
class ProductJudgement:
    product_id: str
    industry: str
    negative_feedback: int
    orders: int
    lower_bound: float
    industry_mean: float | None
    factor: float
    min_orders: int
    poor_quality: bool

    @property
    def rate(self) -> float | None:
        return self.negative_feedback / self.orders if self.orders else None


def judge(product_id: str, industry: str, negative_feedback: int, orders: int, industry_mean: float | None,
          rules: PoorQualityProduct) -> ProductJudgement:
    # Feedback in the window may concern orders placed before it: the bound takes at most every order.
    bad = min(negative_feedback, orders)
    bound = wilson_lower_bound(bad, orders, rules.confidence_z)
    poor = orders >= rules.min_orders and industry_mean is not None and bound > rules.factor * industry_mean
    return ProductJudgement(product_id, industry, negative_feedback, orders, bound, industry_mean, rules.factor, rules.min_orders, poor)
