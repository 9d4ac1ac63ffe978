"""The seller's notices of DY-QL-3 determinations and their DY-QL-4 measures, in Chinese and English:
which are due by an instant (`due`), and their texts (`render`). Each names its rule, the evidence it
rests on (indicator, industry mean, counts, bound), the policy version and how to appeal (DY-APL-1).

Decisions: one notice per determination lists all its measures (a seller reads one ticket, not three);
a measure that runs its course is told when it ends (a penalty fee does not end: it is paid); a granted
appeal lifts every measure of its determination still running in one notice, a penalty fee included
(withdrawn); an operator's finding of fraud is told with the compensation it adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shopwarden.core.periods import add_days
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.quality.determinations import Measure

DETERMINED, ENDED, LIFTED, FRAUD = "poor_quality_determined", "poor_quality_measure_ended", "poor_quality_measures_lifted", "poor_quality_fraud"
KINDS = (DETERMINED, ENDED, LIFTED, FRAUD)
MEASURE_NAMES = {"order_limit": ("order limit", "限单"), "payout_frozen": ("payouts frozen and settlement stopped", "冻结货款并停止结算"),
                 "penalty_fee": ("penalty fee", "违约金")}
INDICATOR_NAMES = {"negative_review_rate": ("negative-review rate", "差评率"), "quality_return_rate": ("quality-return rate", "品退率"),
                   "late_dispatch_rate": ("late-dispatch rate", "延迟发货率"), "complaint_rate": ("complaint rate", "投诉率"),
                   "after_sales_rate": ("after-sales rate", "售后率"), "negative_feedback_rate": ("negative-feedback rate", "负反馈率")}
FRAUD_KINDS = {"intent": ("subjective intent", "主观故意"), "batch_risk": ("batch risk", "批量性风险")}


@dataclass(frozen=True, slots=True)
class Fraud:
    kind: str
    buyers: int
    amount_per_order: float
    found_at: datetime


@dataclass(frozen=True, slots=True)
class Determined:
    """A recorded determination as its notices need it."""

    determination_id: str
    subject: str  # product:<id> | shop:<id>
    at: datetime
    occurrence: int
    figures: Mapping[str, Any]
    measures: tuple[Measure, ...]
    violation_id: str
    policy_version: str
    revoked_at: datetime | None = None
    fraud: Fraud | None = None


@dataclass(frozen=True, slots=True)
class Due:
    id: str
    kind: str
    sent_at: datetime
    rule: str
    determination: Determined
    measures: tuple[Measure, ...] = field(default=())


def due(d: Determined, at: datetime) -> list[Due]:
    """The notices of one determination sent by `at`, in time order."""
    if d.at > at:
        return []
    out = [Due(f"n-{DETERMINED}-{d.determination_id}", DETERMINED, d.at, "DY-QL-3, DY-QL-4", d, d.measures)]
    lifted_at = d.revoked_at if d.revoked_at is not None and d.revoked_at <= at else None
    for i, m in enumerate(d.measures):
        end = m.ends_at
        if end is not None and m.kind != "penalty_fee" and end <= at and (lifted_at is None or end <= lifted_at):
            out.append(Due(f"n-{ENDED}-{d.determination_id}-{i}", ENDED, end, "DY-QL-4", d, (m,)))
    if lifted_at is not None:
        running = tuple(m for m in d.measures if m.kind == "penalty_fee" or m.ends_at is None or lifted_at < m.ends_at)
        if running:
            out.append(Due(f"n-{LIFTED}-{d.determination_id}", LIFTED, lifted_at, "DY-APL-1, DY-QL-4", d, running))
    if d.fraud is not None and d.fraud.found_at <= at:
        out.append(Due(f"n-{FRAUD}-{d.determination_id}", FRAUD, d.fraud.found_at, "DY-QL-4", d))
    return sorted(out, key=lambda n: n.sent_at)


def _when(t: datetime | None) -> str:
    return "—" if t is None else t.strftime("%Y-%m-%d %H:%M UTC")


def _pct(x: Any) -> str:
    return "—" if x is None else f"{float(x) * 100:.1f}%"


def _measure(m: Measure, zh: bool) -> str:
    name = MEASURE_NAMES.get(m.kind, (m.kind, m.kind))[1 if zh else 0]
    if m.kind == "order_limit":
        return f"{name}（每天最多 {m.limit_per_day} 单，至 {_when(m.ends_at)}）" if zh else f"{name}: at most {m.limit_per_day} orders a day until {_when(m.ends_at)}"
    if m.kind == "penalty_fee":
        return f"{name} {m.amount:g}" if zh else f"{name} of {m.amount:g}"
    return f"{name}（至 {_when(m.ends_at)}）" if zh else f"{name} until {_when(m.ends_at)}"


def _measures(ms: Iterable[Measure], zh: bool) -> str:
    return ("；" if zh else "; ").join(_measure(m, zh) for m in ms)


def _evidence(pack: PolicyPack, d: Determined, zh: bool) -> str:
    """What the determination rests on: the product's rate and bound against the industry mean, or the shop's scores."""
    f, (kind, _, subject) = d.figures, d.subject.partition(":")
    if kind == "product":
        if zh:
            return (f"商品 {subject} 近 {f['window_days']} 天 {f['of']} 笔订单中 {f['count']} 笔有负反馈（负反馈率 {_pct(f['value'])}），"
                    f"其 Wilson 下界 {_pct(f['lower_bound'])}（z = {f['confidence_z']}）高于 {f['industry']} 行业均值 {_pct(f['industry_mean'])} 的 "
                    f"{f['factor']:g} 倍（满 {f['min_orders']} 笔订单才判定）。")
        return (f"Product {subject}: {f['count']} of {f['of']} orders in the last {f['window_days']} days had negative feedback "
                f"(negative-feedback rate {_pct(f['value'])}); its Wilson lower bound {_pct(f['lower_bound'])} (z = {f['confidence_z']}) is above "
                f"{f['factor']:g} × the {f['industry']} industry mean {_pct(f['industry_mean'])} (judged only from {f['min_orders']} orders).")
    rules = pack.experience
    assert rules is not None  # a shop is determined only under its pack's experience rules
    scores = ", ".join("—" if s is None else f"{s:.1f}" for s in f["scores"])
    worst = sorted((i for i in f["indicators"] if i.get("score") is not None), key=lambda i: i["score"])[:3]
    if zh:
        lines = "；".join(f"{INDICATOR_NAMES.get(i['id'], (i['id'], i['id']))[1]} {_pct(i['value'])}（{i['count']}/{i['of']}，行业均值 {_pct(i['industry_mean'])}）"
                         for i in worst)
        return f"店铺{rules.name.zh}连续 {f['days']} 天低于 {f['below']:g}（{scores}），行业 {f['industry']}，{f['orders']} 笔订单。拉低得分的指标：{lines}。"
    lines = "; ".join(f"{INDICATOR_NAMES.get(i['id'], (i['id'],))[0]} {_pct(i['value'])} ({i['count']} of {i['of']}, industry mean {_pct(i['industry_mean'])})"
                      for i in worst)
    return (f"Your shop's {rules.name.en[0].lower()}{rules.name.en[1:]} stayed below {f['below']:g} on {f['days']} consecutive days ({scores}); industry {f['industry']}, "
            f"{f['orders']} orders. The indicators pulling it down: {lines}.")


def _appeal(pack: PolicyPack, d: Determined, zh: bool) -> str:
    first = next((w for w in pack.appeals.windows if w.number == 1), None)
    if first is None or pack.appeals.max_appeals == 0:
        return "本认定不可申诉。" if zh else "This determination cannot be appealed."
    until = _when(add_days(d.at, first.days))
    sla = pack.appeals.decision_sla
    answer_zh = f"平台在 {sla.min_working_days}–{sla.max_working_days} 个工作日内答复。" if sla else ""
    answer_en = f" The platform answers within {sla.min_working_days}–{sla.max_working_days} working days." if sla else ""
    if zh:
        return f"如有异议，可在 {until} 前对违规单 {d.violation_id} 提出申诉并附证明材料（DY-APL-1）；申诉成功将解除全部措施。{answer_zh}"
    return (f"You may appeal ticket {d.violation_id} with supporting documents until {until} (DY-APL-1); a granted appeal lifts every "
            f"measure.{answer_en}")


def render(n: Due, pack: PolicyPack, lang: str = "en") -> tuple[str, str]:
    """The title and body of one notice, in `lang` ('en' or 'zh')."""
    zh, d = lang == "zh", n.determination
    ver = f"{pack.id} v{d.policy_version}"
    what_zh = f"商品 {d.subject.partition(':')[2]} " if d.subject.startswith("product:") else "店铺"
    what_en = f"product {d.subject.partition(':')[2]}" if d.subject.startswith("product:") else "your shop"
    if n.kind == DETERMINED:
        if zh:
            return (f"品质差认定：{'、'.join(MEASURE_NAMES[m.kind][1] for m in n.measures)}",
                    f"经综合认定，{what_zh}品质差（{d.determination_id}）。{_evidence(pack, d, True)}第 {d.occurrence} 次认定，措施：{_measures(n.measures, True)}。"
                    f"规则 {n.rule}，政策 {ver}。{_appeal(pack, d, True)}")
        return (f"Poor quality determined: {', '.join(MEASURE_NAMES[m.kind][0] for m in n.measures)}",
                f"We determined that {what_en} is of poor quality ({d.determination_id}). {_evidence(pack, d, False)} Determination {d.occurrence}; "
                f"measures: {_measures(n.measures, False)}. Rules {n.rule}, policy {ver}. {_appeal(pack, d, False)}")
    if n.kind == ENDED:
        m = n.measures[0]
        if zh:
            return (f"措施到期：{MEASURE_NAMES[m.kind][1]}", f"因品质差认定 {d.determination_id} 采取的{MEASURE_NAMES[m.kind][1]}已于 {_when(m.ends_at)} 到期结束。规则 {n.rule}，政策 {ver}。")
        return (f"Measure ended: {MEASURE_NAMES[m.kind][0]}",
                f"The {MEASURE_NAMES[m.kind][0]} of poor-quality determination {d.determination_id} ended at {_when(m.ends_at)}. Rule {n.rule}, policy {ver}.")
    if n.kind == LIFTED:
        if zh:
            return ("申诉成功，措施已解除", f"您对违规单 {d.violation_id} 的申诉已通过，品质差认定 {d.determination_id} 的措施于 {_when(n.sent_at)} 解除："
                                        f"{_measures(n.measures, True)}（违约金不再收取）。规则 {n.rule}，政策 {ver}。")
        return ("Appeal granted: measures lifted", f"Your appeal against ticket {d.violation_id} was granted; the measures of poor-quality determination "
                                                   f"{d.determination_id} were lifted at {_when(n.sent_at)}: {_measures(n.measures, False)} (a penalty fee is "
                                                   f"withdrawn). Rules {n.rule}, policy {ver}.")
    fr = d.fraud
    assert fr is not None  # a fraud notice is due only once fraud was found
    kind_en, kind_zh = FRAUD_KINDS.get(fr.kind, (fr.kind, fr.kind))
    total = fr.amount_per_order * fr.buyers
    if zh:
        return ("欺诈认定：赔付受影响消费者", f"平台认定品质差认定 {d.determination_id} 存在{kind_zh}，将向 {fr.buyers} 笔受影响订单的消费者各赔付 {fr.amount_per_order:g}"
                                       f"（合计 {total:g}）。规则 {n.rule}，政策 {ver}。{_appeal(pack, d, True)}")
    return ("Fraud found: compensation to affected buyers", f"An operator found {kind_en} in poor-quality determination {d.determination_id}: the buyers "
                                                           f"of {fr.buyers} affected orders are compensated {fr.amount_per_order:g} each ({total:g} in all). "
                                                           f"Rule {n.rule}, policy {ver}. {_appeal(pack, d, False)}")
