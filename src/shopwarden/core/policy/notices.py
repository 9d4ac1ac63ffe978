"""A pack's `notices:` section: notice and action (DSA Art. 16), the seller's counter-notice on IP
grounds (China's E-Commerce Law art. 43) and misuse by notifiers and complainants (DSA Art. 23)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import Field

from shopwarden.core.policy.base import Model, Slug, Source

if TYPE_CHECKING:
    from shopwarden.errors import PolicyProblem


class Misuse(Model):
    """Art. 23: who files manifestly unfounded notices (or complaints) this often is warned, then suspended."""

    window_days: int = Field(gt=0, description="the decisions counted are those of the last N days")
    min_count: int = Field(gt=0, description="at least this many manifestly unfounded ones in the window (absolute numbers)")
    min_share: float = Field(gt=0, le=1, description="and at least this share of the decided ones (share of the total)")
    suspend_days: int = Field(gt=0, description="the suspension's length, after a prior warning")
    source: Source


class ShopMeasure(Model):
    """What a notice upheld against a shop as a whole does: one of the pack's sanction kinds, for a set time."""

    sanction: Slug = Field(description="a sanction kind of this pack; its privileges are removed while the measure stands")
    days: int | None = Field(gt=0, description="the measure's length; null: until a counter-notice or a granted complaint ends it")
    source: Source


class NoticeRules(Model):
    counter_notice_days: int = Field(gt=0, description="after a counter-notice the IP measure ends unless the rights owner shows proceedings within N days")
    counter_notice_source: Source
    ip_grounds: list[Slug] = Field(min_length=1, description="the violation types that are IP grounds (a counter-notice is open on them)")
    misuse: Misuse
    shop_measure: ShopMeasure = Field(description="the measure a notice upheld against a shop applies (DSA Art. 16 on a shop)")
    source: Source


def ip_grounds_must_be_violation_types(data: Mapping[str, Any]) -> list[PolicyProblem]:
    """`notices.ip_grounds` names the pack's own violation types (a typo would close the counter-notice route), and
    `notices.shop_measure.sanction` one of its sanction kinds."""
    from shopwarden.errors import PolicyProblem

    notices = data.get("notices")
    if not isinstance(notices, dict):
        return []
    types = {t.get("type") for t in data.get("violation_types") or [] if isinstance(t, dict)}
    out = [PolicyProblem(f"notices.ip_grounds[{i}]", f"names no violation type: {g!r}", "a violation type of this pack")
           for i, g in enumerate(notices.get("ip_grounds") or []) if g not in types]
    kinds = {k.get("kind") for k in data.get("sanction_kinds") or [] if isinstance(k, dict)}
    measure = notices.get("shop_measure")
    if isinstance(measure, dict) and measure.get("sanction") not in kinds:
        out.append(PolicyProblem("notices.shop_measure.sanction", f"names no sanction kind: {measure.get('sanction')!r}",
                                 f"a sanction kind of this pack: {', '.join(sorted(k for k in kinds if k))}"))
    return out
