"""The zh and en text of a statement of reasons, rendered from its structured form (never stored)."""

from __future__ import annotations

from typing import Any

_SOURCE = {
    "own_initiative": ("on the platform's own initiative", "平台主动发现"),
    "notice": ("on a notice (DSA Art. 16)", "基于通知(DSA第16条)"),
    "trusted_flagger": ("on a trusted flagger's notice (DSA Art. 22)", "基于受信任举报者的通知(DSA第22条)"),
    "report": ("on a report from a seller", "基于商家的举报"),
}
_DECISION = {
    "fully": ("decided by automated means alone, under the policy's fixed rules", "完全由自动化手段按规则作出"),
    "partially": ("decided by a person, applied by the policy's automated rules", "由人工决定，并由规则自动执行"),
    "not": ("decided by a person", "由人工作出"),
}
_ROUTE = {
    "appeal": ("appeal it (internal complaint, free, electronic)", "提出申诉(平台内部投诉，免费、线上)"),
    "dispute": ("dispute the match (internal complaint, free, electronic)", "对同款判定提出异议(平台内部投诉，免费、线上)"),
    "counter_notice": ("file a counter-notice that there is no infringement (internal complaint, free, electronic)",
                       "提交不存在侵权行为的声明(平台内部投诉，免费、线上)"),
}


def render(st: dict[str, Any], lang: str) -> str:
    """The statement as the person affected reads it, in `lang` ("en" or "zh"), Art. 17(3)(a)–(f) in order."""
    zh = lang == "zh"
    i = 1 if zh else 0
    m, a, g, r = st["measure"], st["automation"], st["ground"], st["redress"]
    lines = [_measure(m, st["scope"], zh), facts_text(st, zh), ("来源：" if zh else "Source: ") + _SOURCE[st["source"]][i] + ("。" if zh else "."),
             ("自动化检测：" + ("是" if a["detection"] else "否") + "；" + _DECISION[a["decision"]][i] + "。") if zh else
             (f"Automated detection: {'yes' if a['detection'] else 'no'}; {_DECISION[a['decision']][i]}."),
             (f"依据：{'法律' if g['kind'] == 'law' else '平台规则'} {g['clause']}。{g['explanation']['zh']}") if zh else
             (f"Ground: {'the law' if g['kind'] == 'law' else 'the policy'}, {g['clause']}. {g['explanation']['en']}"),
             _redress(r, zh)]
    return "\n".join(lines)


def _measure(m: dict[str, Any], scope: list[str], zh: bool) -> str:
    where = ", ".join(scope)
    if zh:
        until = f"至 {m['ends_at']}" if m["ends_at"] else "无期限"
        return f"措施：{m['name']['zh']}（{m['subject_id']}），自 {m['starts_at']} 起{until}" + (f"；适用地区：{where}" if where else "") + "。"
    until = f"until {m['ends_at']}" if m["ends_at"] else "with no end date"
    return f"Measure: {m['name']['en']} ({m['subject_id']}), from {m['starts_at']} {until}" + (f"; territorial scope: {where}" if where else "") + "."


def facts_text(st: dict[str, Any], zh: bool = False) -> str:
    """The facts relied on, from the platform's own findings only (this is the export's `decision_facts`)."""
    f = st["facts"]
    items = "; ".join(f"{k}: {v}" for k, v in f["items"])
    rules = ", ".join(f["rules"])
    if zh:
        return f"事实：规则 {rules}；{items}；所涉内容或行为时间 {f['content_at']}。"
    return f"Facts: rules {rules}; {items}; the content or conduct dates from {f['content_at']}."


def _redress(r: dict[str, Any], zh: bool) -> str:
    i = 1 if zh else 0
    parts = []
    if r["route"] in _ROUTE and r["appeal_days"]:
        parts.append(f"{_ROUTE[r['route']][i]}，{r['appeal_until']} 前（{r['appeal_days']} 天）" if zh else
                     f"{_ROUTE[r['route']][i]} until {r['appeal_until']} ({r['appeal_days']} days)")
    if r["out_of_court"]:
        parts.append(r["out_of_court"]["zh" if zh else "en"])
    if r["court"]:
        parts.append(r["court"]["zh" if zh else "en"])
    if not parts:
        return "救济：可向有管辖权的法院起诉。" if zh else "Redress: the courts with jurisdiction."
    return ("救济：" + "；".join(parts) + "。") if zh else ("Redress: " + "; ".join(parts) + ".")
