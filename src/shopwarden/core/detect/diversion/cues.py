"""Words around a hit that make it more or less likely to be an off-platform contact.

Windows are read from the folded text so that English cues keep their word boundaries.
"""

from __future__ import annotations

import re

from shopwarden.core.text import NormalizedText
from shopwarden.core.text.fold import FOLD_TABLE

# Someone is being asked to get in touch, or told how to.
CONTACT = re.compile(
    r"加|联系|联络|咨询|致电|拨打|打我|打给|电话|手机|热线|私聊|详聊|找我|搜|同号|微信|"
    r"\b(?:call|contact|add|text|whatsapp|wa|reach|hubungi|tel|phone|mobile|hp|cell|dm|ping|sms|line|telegram)\b|"
    # the market languages (folded): telefon/telepon/nombor (ms, id), điện thoại/sđt/gọi (vi), เบอร์/โทร (th), tawag (tl)
    + r"\b(?:telefon|telepon|nombor|điện thoại|sđt|gọi|tawagan|tumawag)\b|เบอร์|โทร".translate(FOLD_TABLE)
)
# The number is an identifier of goods, an order or a document, not a person.
IDENTIFIER = re.compile(
    r"订单|单号|运单|快递|物流|编号|货号|型号|条码|条形码|编码|批号|批次|许可|标准|证书|注册号|序列|串号|"
    r"发票|税号|代码|保修|合同|身份证|流水|账单|工单|券码|兑换码|卡密|商品码|款号|款式号|"
    r"\b(?:imei|sn|order|tracking|model|sku|barcode|isbn|ean|upc|serial|lot|batch|parcel|package|shipment|invoice|ref|item|code|no)\b|"
    # the market languages (folded): Vietnamese mã/mẫu/kiểu/sản phẩm/vận đơn/lô (batch)/seri, Malay and
    # Indonesian tipe/kode/seri/siri/resi/pesanan/barang/lot, Tagalog modelo/lote, Thai รหัส (code),
    # รุ่น (model), เลขพัสดุ/พัสดุ (parcel), ล็อต (lot)
    + r"\b(?:mã|mẫu|kiểu|sản phẩm|vận đơn|đơn hàng|lô|tipe|kode|seri|siri|resi|pesanan|barang|produk|modelo|lote)\b|รหัส|รุ่น|พัสดุ|คำสั่งซื้อ|ล็อต".translate(FOLD_TABLE)
)
# How far before a number its identifier word may stand: a noun phrase ("serial number ",
# "รหัสสินค้า ", "số lô sản xuất "), never past a sentence's end.
IDENTIFIER_REACH = 18
_STOP = re.compile(r"(?:(?<!\bno)(?<!\bnr)(?<!\bref)\.|[!?。！？\n¶])\s")  # "Tracking no. 607…" goes on
# A phrase that forbids or warns against what follows ("切勿私下转账", "never pay outside the
# app", "don't chat outside the app": in English up to two words may come between).
NEGATION = re.compile(
    r"(?:勿|别|禁止|严禁|拒绝|谨防|谨慎|不接受|不支持|不能|不可|不要|不得|不允许|不准|防止|小心|避免|以免|"
    r"\bnever|\bdon'?t|\bdo not|\bnot|\bno|\bavoid|\bbeware of)\W{0,2}\w{0,3}\W{0,2}$|"
    r"\b(?:never|don'?t|do not|didn'?t|doesn'?t|won'?t|can'?t|cannot|avoid|beware of)(?: [a-z]+){1,2} ?$"
)


def before(norm: NormalizedText, start: int, chars: int) -> str:
    """Up to `chars` folded characters before original offset `start`."""
    view = norm.folded
    i = view.index_at_or_after(start)
    return view.text[max(0, i - chars) : i]


def after(norm: NormalizedText, end: int, chars: int) -> str:
    """Up to `chars` folded characters after original offset `end`."""
    view = norm.folded
    j = view.index_ending_by(end)
    return view.text[j : j + chars]


def has_contact_cue(norm: NormalizedText, start: int, end: int) -> bool:
    return bool(CONTACT.search(before(norm, start, 12)) or CONTACT.search(after(norm, end, 6)))


def names_identifier(norm: NormalizedText, start: int) -> bool:
    """Whether an identifier word (order, batch, 货号, số lô…) stands in the phrase right before `start`."""
    return identifier_before(norm.folded.text, norm.folded.index_at_or_after(start))


def identifier_before(folded: str, i: int) -> bool:
    """`names_identifier` at folded-view index `i`."""
    window = folded[max(0, i - IDENTIFIER_REACH) : i]
    stops = list(_STOP.finditer(window))
    return bool(IDENTIFIER.search(window, stops[-1].end() if stops else 0))


def negated(norm: NormalizedText, start: int) -> bool:
    return bool(NEGATION.search(before(norm, start, 14)))
