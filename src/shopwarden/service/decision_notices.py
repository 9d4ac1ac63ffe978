"""The seller's notices of decisions kept outside the ledger: a same-product dispute decided
(DY-LQ-3/4), a brand qualification reviewed (DY-BQ-1), and a poor-quality determination with its
measures, their end or lifting and a fraud finding (DY-QL-3/4, `core.quality.notices`). Each carries
the reason or evidence, the rule, the policy version and what the seller can do next, in English and Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopwarden.core.ledger.events import revocations
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.quality import notices as quality
from shopwarden.core.quality.determinations import Measure
from shopwarden.service.context import Context
from shopwarden.service.notices import told as seller_told
from shopwarden.service.review_reports import notice
from shopwarden.store import brands, cases, events
from shopwarden.store import experience as experience_store
from shopwarden.store import notices as notice_store
from shopwarden.store.brands import QualificationReview, QualificationRow
from shopwarden.store.cases import CaseDecision, CaseRow
from shopwarden.store.notices import InternalComplaint, InternalComplaintDecision


def _dispute_texts(c: CaseRow, d: CaseDecision, ver: str) -> dict[str, tuple[str, str]]:
    banned = c.finding.get("banned_product_id")
    if d.outcome == "upheld":
        return {
            "zh": ("同款申诉成立", f"您关于商品 {c.subject_id} 与被封禁商品 {banned} 并非同款的申诉（{c.case_id}）已成立：该匹配不再拦截此商品；若无其他问题，商品已恢复，商品页显示其当前状态。"
                              f"理由：{d.reason}。规则 {c.rule}，政策 {ver}。"),
            "en": ("Same-product dispute upheld", f"Your dispute {c.case_id} that product {c.subject_id} is not the same product as banned product {banned} was upheld: "
                                                 f"the match no longer blocks it, and where nothing else holds the listing it is restored (its page shows its status now). Reason: {d.reason}. Rule {c.rule}, policy {ver}."),
        }
    return {
        "zh": ("同款申诉未通过", f"您关于商品 {c.subject_id} 与被封禁商品 {banned} 并非同款的申诉（{c.case_id}）未通过，匹配维持。理由：{d.reason}。"
                            f"如有新的证据（如质检报告、实物图），可再次提交申诉。规则 {c.rule}，政策 {ver}。"),
        "en": ("Same-product dispute dismissed", f"Your dispute {c.case_id} that product {c.subject_id} is not the same product as banned product {banned} was dismissed; "
                                                f"the match stands. Reason: {d.reason}. With new evidence (a test report, photos of the item) you may dispute again. "
                                                f"Rule {c.rule}, policy {ver}."),
    }


def _qualification_texts(q: QualificationRow, r: QualificationReview, brand: str, ver: str) -> dict[str, tuple[str, str]]:
    what_zh, what_en = f"品牌 {brand} 的资质（商标 {q.trademark_no}，{q.qualification_id}）", f"Your qualification {q.qualification_id} for brand {brand} (trademark {q.trademark_no})"
    until = q.valid_to.strftime("%Y-%m-%d") if q.valid_to else None
    if r.status == "approved":
        zh = ("品牌资质审核通过", f"您提交的{what_zh}已审核通过{f'，有效期至 {until}' if until else ''}，可在所申请类目发布该品牌商品。理由：{r.reason}。规则 DY-BQ-1，政策 {ver}。")
        en = ("Brand qualification approved", f"{what_en} was approved{f' until {until}' if until else ''}: you may list the brand in the categories filed. "
                                              f"Reason: {r.reason}. Rule DY-BQ-1, policy {ver}.")
    elif r.status == "revoked":
        zh = ("品牌资质已撤销", f"您的{what_zh}已被撤销，该品牌商品将按无资质处理。理由：{r.reason}。可补充材料后重新提交资质。规则 DY-BQ-1，政策 {ver}。")
        en = ("Brand qualification revoked", f"{what_en} was revoked; listings of the brand are treated as unqualified. Reason: {r.reason}. "
                                             f"You may file a new qualification with further documents. Rule DY-BQ-1, policy {ver}.")
    else:
        zh = ("品牌资质审核未通过", f"您提交的{what_zh}未通过审核。理由：{r.reason}。可修改后重新提交。规则 DY-BQ-1，政策 {ver}。")
        en = ("Brand qualification rejected", f"{what_en} was rejected. Reason: {r.reason}. You may correct it and file again. Rule DY-BQ-1, policy {ver}.")
    return {"zh": zh, "en": en}


def _complaint_texts(c: InternalComplaint, d: InternalComplaintDecision) -> dict[str, tuple[str, str]]:
    what = {"notice": ("the decision on notice", "通知"), "misuse": ("the suspension", "暂停措施")}[c.subject_kind]
    if d.outcome == "granted":
        en = ("Complaint granted (DSA Art. 20)", f"Your complaint {c.complaint_id} against {what[0]} {c.subject_id} was granted by {d.decided_by}: "
                                                 f"the decision is reversed. Reason: {d.reason}")
        zh = ("申诉成立(DSA第20条)", f"您针对{what[1]} {c.subject_id} 的申诉（{c.complaint_id}）经 {d.decided_by} 人工审核成立，原决定已撤销。理由：{d.reason}")
    else:
        en = ("Complaint rejected (DSA Art. 20)", f"Your complaint {c.complaint_id} against {what[0]} {c.subject_id} was rejected by {d.decided_by}. "
                                                  f"Reason: {d.reason}. You may still turn to a certified out-of-court dispute settlement body "
                                                  "(DSA Art. 21) or a court.")
        zh = ("申诉未通过(DSA第20条)", f"您针对{what[1]} {c.subject_id} 的申诉（{c.complaint_id}）经 {d.decided_by} 人工审核未通过。理由：{d.reason}。"
                                     "您仍可向经认证的庭外争议解决机构(DSA第21条)或法院寻求救济。")
    if d.manifestly_unfounded:  # DSA Art. 23(3): the finding and what repeated ones lead to, told with the decision
        en = ("Complaint rejected as manifestly unfounded (DSA Art. 20, 23)",
              en[1] + " It was found manifestly unfounded: frequent manifestly unfounded complaints lead to a warning, then to a suspension of "
                      "the handling of your complaints for a period (DSA Art. 23).")
        zh = ("申诉因明显无根据未通过(DSA第20、23条)", zh[1] + "该申诉被认定为明显无根据：频繁提交明显无根据的申诉将先受到警告，其后在一段时间内暂停处理您的申诉(DSA第23条)。")
    return {"en": en, "zh": zh}


def decision_notices(ctx: Context, shop_id: str, at: datetime, pack: PolicyPack, lang: str = "en") -> list[dict[str, Any]]:
    """Disputes decided, qualifications reviewed, notices (DSA Art. 16) and complaints against their decisions (Art. 20)
    decided by `at`, as the shop's notices."""
    ver = f"{pack.id} v{pack.version}"
    out = []
    with ctx.db.read() as s:
        decided = cases.decided_of_shop(s, shop_id, cases.DISPUTE, at)
        quals = brands.qualifications(s, shop_id)
        reviews = brands.reviews_of(s, [q.qualification_id for q in quals])
        names = {b.brand_id: b.name for b in brands.all_brands(s)} if quals else {}
        on_shop = notice_store.listing(s, shop_id, None, False, 500)
        evs = notice_store.events(s, [n.notice_id for n in on_shop])
        notice_decisions = [(n, evs[n.notice_id][notice_store.DECIDED]) for n in on_shop
                            if notice_store.DECIDED in evs.get(n.notice_id, {}) and evs[n.notice_id][notice_store.DECIDED].at <= at]
        complaints = [(c, d) for c, d in notice_store.complaints(s, shop_id, None, False, 500) if d is not None and d.decided_at <= at]
    for n, d in notice_decisions:
        told = seller_told(n, d.data["outcome"], d.data["reason"])["seller"]
        titles = {"en": "A notice on your item was decided (DSA Art. 16)", "zh": "针对您商品的通知已处理(DSA第16条)"}
        rules = ctx.pack(n.policy_id).notices
        counter_open = (d.data["outcome"] == "action" and rules is not None and n.ground in rules.ip_grounds
                        and notice_store.COUNTER_NOTICE not in evs[n.notice_id])
        out.append(notice(f"n-notice_decision-{n.notice_id}", "notice_decision", d.at, "DSA Art. 16",
                          {k: (titles[k], told[k]) for k in ("en", "zh")}, pack.version, lang)
                   | {"notice_id": n.notice_id, "counter_notice_open": counter_open})
    for ic, icd in complaints:  # DSA Art. 20(5): the complainant told the decision and its reason
        out.append(notice(f"n-complaint_decision-{ic.complaint_id}", "complaint_decision", icd.decided_at, "DSA Art. 20",
                          _complaint_texts(ic, icd), pack.version, lang) | {"complaint_id": ic.complaint_id})
    for c, cd in decided:
        out.append(notice(f"n-dispute_decision-{c.case_id}", "dispute_decision", cd.decided_at, c.rule, _dispute_texts(c, cd, ver), pack.version, lang))
    for q in quals:
        for r in reviews[q.qualification_id]:
            if r.decided_at <= at:
                out.append(notice(f"n-qualification_{r.status}-{r.review_id}", f"qualification_{r.status}", r.decided_at, "DY-BQ-1",
                                  _qualification_texts(q, r, names.get(q.brand_id, q.brand_id), ver), pack.version, lang))
    return out


def quality_notices(ctx: Context, shop_id: str, at: datetime, pack: PolicyPack, lang: str = "en") -> list[dict[str, Any]]:
    """DY-QL-3 determinations made by `at`, their DY-QL-4 measures ended or lifted, fraud found, as the shop's notices."""
    if pack.experience is None:
        return []
    with ctx.db.read() as s:
        rows = [d for d in experience_store.determinations_of(s, shop_id) if d.at <= at]
        frauds = experience_store.frauds_of(s, shop_id) if rows else {}
    if not rows:
        return []
    revoked = revocations(events.shop_ledger(ctx.db.engine, shop_id)[1])
    out = []
    for row in rows:
        f = frauds.get(row.determination_id)
        fraud = None if f is None else quality.Fraud(f.kind, len(f.compensations), f.amount_per_order, f.found_at)
        d = quality.Determined(row.determination_id, row.subject, row.at, row.occurrence, row.figures, tuple(Measure.from_json(m) for m in row.measures),
                               row.violation_id, row.policy_version, revoked.get(row.violation_id), fraud)
        for n in quality.due(d, at):
            texts = {lg: quality.render(n, pack, lg) for lg in ("en", "zh")}
            out.append(notice(n.id, n.kind, n.sent_at, n.rule, texts, row.policy_version, lang) | {"violation_id": row.violation_id,
                                                                                                  "determination_id": row.determination_id})
    return out
