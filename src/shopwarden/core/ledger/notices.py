"""Notice texts in Chinese and English, rendered from the fold's `NoticeDue` records.

Every text names its rule and the policy version, and a violation notice says how to appeal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopwarden.core.ledger.standing import NoticeDue
from shopwarden.core.periods import add_days
from shopwarden.core.policy.schema import PolicyPack


@dataclass(frozen=True, slots=True)
class NoticeText:
    title: str
    body: str


SEVERITY_ZH = {"minor": "轻微", "general": "一般", "serious": "严重", "critical": "特别严重", "especially_serious": "特别严重"}


def _class_note(pack: PolicyPack, point_class: str, lang: str) -> str:
    """Name the point class only where a pack has several (Douyin's A and B)."""
    if len(pack.point_classes) == 1:
        return ""
    return f"（{point_class} 类）" if lang == "zh" else f" ({point_class})"


def _day(t: datetime | None) -> str:
    return "—" if t is None else t.strftime("%Y-%m-%d %H:%M UTC")


def _sanction_names(pack: PolicyPack, threshold: int, point_class: str, lang: str) -> str:
    names = {s.kind: getattr(s.name, lang) for s in pack.sanction_kinds}
    for th in pack.ladders.get(point_class, ()):
        if th.points == threshold:
            parts = []
            for s in th.sanctions:
                span = (f"{s.days} 天" if lang == "zh" else f"{s.days} days") if s.days else ("永久" if lang == "zh" else "permanent")
                parts.append(f"{names.get(s.kind, s.kind)} ({span})")
            return "；".join(parts) if lang == "zh" else "; ".join(parts)
    return ""


def _appeal_line(pack: PolicyPack, issued_at: datetime, lang: str) -> str:
    first = next((w for w in pack.appeals.windows if w.number == 1), None)
    if first is None or pack.appeals.max_appeals == 0:
        return "本违规不可申诉。" if lang == "zh" else "This violation cannot be appealed."
    until = _day(add_days(issued_at, first.days))
    if lang == "zh":
        return f"如有异议，可在 {until} 前提交申诉并附上证明材料（最多 {pack.appeals.max_appeals} 次）。"
    return f"You may appeal with supporting documents until {until} (at most {pack.appeals.max_appeals} appeals)."


def rule_of(n: NoticeDue, pack: PolicyPack) -> str:
    """The rule a notice cites: a violation's own type rules (DY-DV, TT-PTS-1, …), else the ledger rule."""
    if n.kind == "violation":
        vt = pack.types.get(str(dict(n.params).get("type")))
        if vt is not None and vt.rules:
            return ", ".join(vt.rules)
    return n.rule


def render(n: NoticeDue, pack: PolicyPack, lang: str = "en") -> NoticeText:
    """The title and body of one notice, in `lang` ('en' or 'zh')."""
    p: dict[str, Any] = dict(n.params)
    zh = lang == "zh"
    ver = f"{pack.id} v{pack.version}"
    if n.kind == "violation":
        vt = pack.types.get(str(p["type"]))
        tname = getattr(vt.name, lang) if vt else p["type"]
        title = f"违规处罚：{tname}" if zh else f"Violation: {tname}"
        body = (
            f"您的店铺因「{tname}」（{SEVERITY_ZH.get(str(p['severity']), p['severity'])}）被记 {p['points']} 分{_class_note(pack, str(p['point_class']), lang)}，规则 {rule_of(n, pack)}，政策 {ver}。"
            if zh
            else f"Your shop received {p['points']} points{_class_note(pack, str(p['point_class']), lang)} for {tname} ({p['severity']}), rule {rule_of(n, pack)}, policy {ver}."
        )
        return NoticeText(title, body + " " + _appeal_line(pack, n.sent_at, lang))
    if n.kind == "warning":
        title = "违规积分预警" if zh else "Formal warning: approaching a sanction threshold"
        body = (
            f"店铺当前 {p['points']} 分，距离 {p['threshold']} 分处罚门槛不足 {pack.margin_for(str(p['point_class']))} 分；达到后将：{_sanction_names(pack, int(p['threshold']), str(p['point_class']), lang)}。规则 {n.rule}，政策 {ver}。"
            if zh
            else f"Your shop has {p['points']} points, within {pack.margin_for(str(p['point_class']))} of the {p['threshold']}-point threshold; reaching it brings: {_sanction_names(pack, int(p['threshold']), str(p['point_class']), lang)}. Rule {n.rule}, policy {ver}."
        )
        return NoticeText(title, body)
    if n.kind == "sanction":
        sanctions = _sanction_names(pack, int(p["threshold"]), str(p["point_class"]), lang)
        title = f"店铺处罚生效：达到 {p['threshold']} 分" if zh else f"Sanctions started: {p['threshold']} points reached"
        body = (
            f"店铺积分达到 {p['points']} 分（门槛 {p['threshold']}），自 {_day(n.sent_at)} 起：{sanctions}。规则 {n.rule}、TT-PTS-5，政策 {ver}。对导致处罚的违规可申诉，申诉成功将解除相应处罚。"
            if zh
            else f"Your shop reached {p['points']} points (threshold {p['threshold']}); from {_day(n.sent_at)}: {sanctions}. Rules {n.rule}, TT-PTS-5, policy {ver}. Appealing the violations behind it lifts these sanctions if granted."
        )
        return NoticeText(title, body)
    if n.kind in ("sanction_lifted", "sanction_ended"):
        kind = next((getattr(s.name, lang) for s in pack.sanction_kinds if s.kind == p["kind"]), p["kind"])
        lifted = n.kind == "sanction_lifted"
        if zh:
            return NoticeText(
                f"处罚已解除：{kind}" if lifted else f"处罚到期：{kind}",
                f"{kind}（{p['threshold']} 分门槛）于 {_day(n.sent_at)} {'因申诉成功解除' if lifted else '到期结束'}，相关权限已恢复。规则 {n.rule}，政策 {ver}。",
            )
        return NoticeText(
            f"Sanction lifted: {kind}" if lifted else f"Sanction ended: {kind}",
            f"{kind} (the {p['threshold']}-point threshold) {'was lifted after a granted appeal' if lifted else 'ended'} at {_day(n.sent_at)}; the privilege is restored. Rule {n.rule}, policy {ver}.",
        )
    if n.kind == "appeal_decision":
        granted = p["outcome"] == "granted"
        if zh:
            return NoticeText(
                "申诉成功" if granted else "申诉被驳回",
                f"您对违规 {n.violation_id} 的申诉已{'通过，违规积分已撤销' if granted else '被驳回'}。理由：{p['reason']}。规则 {n.rule}，政策 {ver}。",
            )
        return NoticeText(
            "Appeal granted" if granted else "Appeal rejected",
            f"Your appeal against violation {n.violation_id} was {'granted; its points are removed' if granted else 'rejected'}. Reason: {p['reason']}. Rule {n.rule}, policy {ver}.",
        )
    if n.kind == "violation_revoked":
        if zh:
            return NoticeText("违规已撤销", f"违规 {n.violation_id} 已由平台撤销，其积分不再计算，相关处罚按规则解除。理由：{p['reason']}。规则 {n.rule}，政策 {ver}。")
        return NoticeText("Violation revoked", f"Violation {n.violation_id} was revoked by the platform; its points no longer count and the sanctions it caused are lifted. Reason: {p['reason']}. Rule {n.rule}, policy {ver}.")
    return NoticeText(n.kind, f"Rule {n.rule}, policy {ver}.")
