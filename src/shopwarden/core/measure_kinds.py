"""Every kind of measure the engine applies, in one place: what it acts on and what it restricts.

A statement of reasons is built for each (Art. 17); a kind the engine can apply and this table lacks
fails tests/core/test_dsa_kinds.py. The Transparency Database fields of each kind are the pack's
(`dsa.measures`), not this table's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Target = Literal["shop", "creator", "listing", "review", "content", "image", "notifier", "complainant"]
Restricts = Literal["visibility", "monetary", "provision", "account", "none"]


@dataclass(frozen=True, slots=True)
class MeasureKind:
    kind: str
    target: Target
    restricts: Restricts  # "none": a warning, shown and never exported
    en: str
    zh: str


def _k(kind: str, target: Target, restricts: Restricts, en: str, zh: str) -> tuple[str, MeasureKind]:
    return kind, MeasureKind(kind, target, restricts, en, zh)


# Shop sanctions are `sanction.<pack sanction kind>` (TT-PTS-3, DY and Shopee ladders); creator measures
# `creator.<CR-9 kind>`; DY-QL-4's `quality.*`; listings `listing.*` (DY-LQ-2..6); reviews `review.*` (RV-6).
MEASURE_KINDS: dict[str, MeasureKind] = dict([
    _k("sanction.no_campaigns", "shop", "provision", "No new campaigns, promotions or subsidies", "不得参加新的大促、活动、促销或补贴"),
    _k("sanction.no_affiliate", "shop", "provision", "No affiliate programme", "不得参与联盟"),
    _k("sanction.suspended", "shop", "account", "Shop suspended", "店铺暂时封禁"),
    _k("sanction.deactivated", "shop", "account", "Shop permanently deactivated", "店铺永久封禁"),
    _k("sanction.publishing_restricted", "shop", "provision", "Publishing new listings restricted", "限制发布商品"),
    _k("sanction.payouts_frozen", "shop", "monetary", "Payouts frozen", "冻结货款"),
    _k("sanction.cart_restricted", "shop", "provision", "Shopping cart restricted", "限制购物车"),
    _k("sanction.shop_hidden", "shop", "visibility", "Shop hidden from search", "店铺屏蔽"),
    _k("sanction.orders_limited", "shop", "provision", "Orders limited", "限制下单"),
    _k("sanction.deboost", "shop", "visibility", "Listings demoted in search", "商品降权"),
    _k("sanction.hidden_from_categories", "shop", "visibility", "Listings hidden from categories", "商品从类目中隐藏"),
    _k("sanction.no_listing_edits", "shop", "provision", "No listing edits", "不得编辑商品"),
    _k("quality.order_limit", "shop", "provision", "Orders limited per day", "限制每日订单量"),
    _k("quality.payout_frozen", "shop", "monetary", "Payouts frozen", "冻结货款"),
    _k("quality.penalty_fee", "shop", "monetary", "Penalty fee", "违约金"),
    _k("listing.banned", "listing", "visibility", "Product banned", "商品封禁"),
    _k("listing.taken_down", "listing", "visibility", "Listing taken down (same product as a banned one)", "商品下架(与封禁商品同款)"),
    _k("listing.intercepted", "listing", "visibility", "Listing intercepted (same product as a banned one)", "商品拦截(与封禁商品同款)"),
    _k("listing.rejected", "listing", "visibility", "Listing refused (a product banned in this shop)", "商品驳回(本店已封禁的商品)"),
    _k("review.hidden", "review", "visibility", "Review hidden", "评价已隐藏"),
    _k("creator.links_removed", "content", "visibility", "Product links removed from the content", "内容中的商品链接已移除"),
    _k("creator.content_removed", "content", "visibility", "Content removed", "内容已删除"),
    _k("creator.content_blocked", "content", "visibility", "LIVE blocked", "直播已阻断"),
    _k("creator.warning", "creator", "none", "Warning", "警告"),
    _k("creator.privilege_revoked", "creator", "provision", "A privilege revoked", "收回权限"),
    _k("creator.rights_suspended", "creator", "provision", "Selling rights suspended", "暂停带货权限"),
    _k("creator.rights_removed", "creator", "provision", "Selling rights removed", "取消带货权限"),
    _k("creator.commission_frozen", "creator", "monetary", "Commissions frozen", "冻结佣金"),
    _k("creator.no_recommendation", "creator", "visibility", "No recommendation", "不予推荐"),
    # DSA Art. 16: the action a notice's decision takes on its target (core/notices.py MEASURE_OF)
    _k("notice.listing_disabled", "listing", "visibility", "Listing disabled on a notice", "商品因通知被屏蔽"),
    _k("notice.image_disabled", "image", "visibility", "Image disabled on a notice", "图片因通知被屏蔽"),
    _k("notice.content_disabled", "content", "visibility", "Content disabled on a notice", "内容因通知被屏蔽"),
    _k("notice.shop_restricted", "shop", "provision", "Shop restricted on a notice (the pack's shop measure)", "店铺因通知受限(政策规定的店铺措施)"),
    # DSA Art. 23: misuse of the notice and complaint routes (core/notices.py MISUSE_KINDS)
    _k("misuse.notices_warning", "notifier", "none", "Warning: manifestly unfounded notices", "警告：多次提交明显无根据的通知"),
    _k("misuse.notices_suspended", "notifier", "provision", "Notices not processed (suspension)", "暂停处理其通知"),
    _k("misuse.complaints_warning", "complainant", "none", "Warning: manifestly unfounded complaints", "警告：多次提交明显无根据的申诉"),
    _k("misuse.complaints_suspended", "complainant", "provision", "Complaints not processed (suspension)", "暂停处理其申诉"),
])


def kind_of(kind: str) -> MeasureKind:
    found = MEASURE_KINDS.get(kind)
    if found is None:
        raise KeyError(f"measure kind {kind!r} has no entry in MEASURE_KINDS (core/dsa/kinds.py)")
    return found
