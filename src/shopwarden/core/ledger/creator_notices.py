"""Notice texts for creators (CR-4, CR-13), in Chinese and English, from their fold's `NoticeDue`s.

Every text names its rule and the policy version; a violation's says how to appeal (CR-11).
"""

from __future__ import annotations

from datetime import datetime

from shopwarden.core.ledger.notices import NoticeText
from shopwarden.core.ledger.standing import NoticeDue
from shopwarden.core.periods import add_days
from shopwarden.core.policy.creators import HealthScoreRules, PointsRules
from shopwarden.core.policy.schema import PolicyPack

MEASURE_NAMES = {
    "links_removed": ("Product links removed from the content", "删除内容中的商品链接"),
    "content_removed": ("Content removed", "移除违规内容"),
    "content_blocked": ("Content blocked (a LIVE is cut off)", "屏蔽违规内容（直播被中断）"),
    "warning": ("Formal warning", "正式警告"),
    "privilege_revoked": ("A privilege revoked", "取消达人特权"),
    "rights_suspended": ("E-commerce rights suspended", "暂停达人电商权益"),
    "rights_removed": ("E-commerce rights removed", "取消达人电商权益"),
    "commission_frozen": ("Commissions frozen", "冻结达人佣金"),
    "no_recommendation": ("Not recommended (no traffic)", "取消流量/曝光推荐资格"),
}
SEVERITY = {"minor": ("minor", "轻微"), "general": ("general", "一般"), "serious": ("serious", "严重"), "severe": ("severe", "特别严重")}


def measure_name(kind: str, lang: str) -> str:
    en, zh = MEASURE_NAMES.get(kind, (kind, kind))
    return zh if lang == "zh" else en


def _day(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC")


def _type_name(rules: HealthScoreRules | PointsRules, vtype: str, lang: str) -> str:
    t = rules.types.get(vtype)
    return vtype if t is None else getattr(t.name, lang)


def _appeal_line(rules: HealthScoreRules | PointsRules, issued_at: datetime, lang: str) -> str:
    until = _day(add_days(issued_at, rules.appeal_days))
    if lang == "zh":
        return f"如有异议，可在 {until} 前在达人中心提交申诉并附上证明材料（CR-11）。"
    return f"You may appeal with supporting evidence in the creator centre until {until} (CR-11)."


def render_creator(n: NoticeDue, pack: PolicyPack, lang: str) -> NoticeText:
    """The title and body of one creator notice; `pack.creators` must be set."""
    rules = pack.creators
    assert rules is not None
    p = dict(n.params)
    zh = lang == "zh"
    tail = f"（规则 {n.rule}，政策版本 {pack.id} {pack.version}）" if zh else f" (rule {n.rule}, policy {pack.id} {pack.version})"
    if n.kind == "violation":
        name = _type_name(rules, str(p.get("type")), lang)
        sev = SEVERITY.get(str(p.get("severity")), (p.get("severity"), p.get("severity")))[1 if zh else 0]
        amount = p.get("deduction", p.get("points"))
        if rules.model == "health_score":
            what = f"扣除健康分 {amount} 分" if zh else f"{amount} points deducted from your health score"
        else:
            what = f"累计违规分 {amount} 分" if zh else f"{amount} violation points"
        if zh:
            return NoticeText("内容违规处罚通知", f"您的内容被认定为「{name}」（{sev}），{what}。{_appeal_line(rules, n.sent_at, lang)}{tail}")
        return NoticeText("Content violation", f"Your content was found to be '{name}' ({sev}): {what}. {_appeal_line(rules, n.sent_at, lang)}{tail}")
    if n.kind in ("measure", "sanction"):
        cause = str(p.get("subject", ""))
        kinds = _measures_of(rules, cause)
        names = ("、" if zh else ", ").join(measure_name(k, lang) for k in kinds) or cause
        if cause.startswith("repeat-"):
            why = (f"同一政策在 {p.get('days')} 天内违反 {p.get('count')} 次" if zh else f"the same policy violated {p.get('count')} times within {p.get('days')} days")
        elif cause.startswith("milestone-"):
            why = (f"健康分降至 {p.get('milestone')} 分及以下（当前 {p.get('score')} 分）" if zh else f"your health score fell to {p.get('milestone')} or below (now {p.get('score')})")
        else:
            why = (f"违规分达到 {p.get('threshold')} 分" if zh else f"your violation points reached {p.get('threshold')}")
        return NoticeText("处罚措施生效" if zh else "Measures in force", (f"因{why}，以下措施生效：{names}。" if zh else f"Because {why}, these measures apply: {names}.") + tail)
    if n.kind == "warning":
        return NoticeText("违规分预警" if zh else "Points warning", (f"您的违规分已达 {p.get('points')} 分，距 {p.get('threshold')} 分的处罚线不远。" if zh else
                          f"Your violation points are {p.get('points')}, close to the {p.get('threshold')}-point line.") + tail)
    if n.kind in ("measure_lifted", "sanction_lifted"):
        name = measure_name(str(p.get("kind")), lang)
        return NoticeText("处罚措施解除" if zh else "Measure lifted", (f"申诉成立或违规撤销，「{name}」已解除。" if zh else f"An appeal was granted or a violation revoked: '{name}' is lifted.") + tail)
    if n.kind in ("measure_ended", "sanction_ended"):
        name = measure_name(str(p.get("kind")), lang)
        return NoticeText("处罚措施到期" if zh else "Measure ended", (f"「{name}」已到期结束。" if zh else f"'{name}' has run its course.") + tail)
    if n.kind == "appeal_decision":
        outcome = p.get("outcome")
        if zh:
            verdict = "申诉成立，违规已撤销，扣分与因此产生的措施已恢复" if outcome == "granted" else "申诉未通过，处罚维持"
            return NoticeText("申诉结果", f"{verdict}。理由：{p.get('reason')}{tail}")
        verdict = "Appeal granted: the violation is revoked and what it caused is undone" if outcome == "granted" else "Appeal rejected: the penalty stands"
        return NoticeText("Appeal decision", f"{verdict}. Reason: {p.get('reason')}{tail}")
    if n.kind == "violation_revoked":
        return NoticeText("违规已撤销" if zh else "Violation revoked", (f"平台撤销了该违规。理由：{p.get('reason')}" if zh else f"The platform revoked this violation. Reason: {p.get('reason')}") + tail)
    return NoticeText(n.kind, tail.strip())


def _measures_of(rules: HealthScoreRules | PointsRules, cause: str) -> list[str]:
    if isinstance(rules, HealthScoreRules):
        if cause.startswith("milestone-"):
            return [m.kind for ms in rules.milestones if f"milestone-{ms.score}" == cause for m in ms.measures]
        if cause.startswith("repeat-") and rules.repeat_rule is not None:
            return [m.kind for m in rules.repeat_rule.measures]
        return []
    for th in rules.thresholds:  # the shop fold names a step "<class>-<threshold>"
        if cause.endswith(f"-{th.points}"):
            return [m.kind for m in th.measures]
    return []
