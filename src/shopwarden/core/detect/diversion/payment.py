"""Paying or dealing off the platform: bank card numbers, "transfer to me directly", "meet and
pay in person" (DY-DV).

A card number is 16-19 digits that pass the Luhn check with a banking word nearby; Luhn alone
would take one order number in ten for a card. A payment method named as such ("支持微信支付",
"支付宝付款") is how the platform's own checkout is paid and stays
quiet; money sent to a person is not: "微信转我", "转到我的支付宝", "收款码", "pay me via PayPal".
A deal done privately or face to face (私下交易, 线下当面交易, 同城面交, "meet up and pay cash")
skips the platform whatever the payment.
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.lexicon import each_then, words_then
from shopwarden.core.text import NormalizedText

_CARD = re.compile(r"(?<![\d])\d(?:[\s\-]?\d){15,18}(?![\d])")
# Every card number lies inside a stretch of 16 or more digits, spaces and dashes: the card pattern
# is tried only there (a listing's sizes, models and prices are shorter), in one quick pass.
_CARD_STRETCH = re.compile(r"\d[\d\s\-]{15,}")
_BANKING = re.compile(
    r"卡号|银行|开户|户名|转账|打款|汇款|工行|建行|农行|中行|招行|交行|邮储|储蓄卡|借记卡|信用卡|卡上|打到|转到|"
    r"\b(?:card|bank|account|iban|rekening|transfer|swift)\b"
)
_OFF_PLATFORM_ZH = re.compile(
    "|".join(
        (
            r"私下(?:交易|转账|付款|付|支付|打款|买卖|成交)|线下(?:交易|付款|转账|支付|打款)",
            each_then("当面|见面|面对面", "(?:交易|转账|交钱)"),
            each_then("同城|本地|可|可以|支持|接受|能|约", "面交"),
            r"不走平台|绕(?:过|开)平台|跳过平台|平台外(?:交易|付款|转账|支付)|场外交易",
            each_then("微信|支付宝|zfb|vx|wx|银行卡|卡上|卡里", "(?:转账|转给|转我|打款|红包|收款码)"),
            r"转(?:给)?我的?(?:微信|支付宝|zfb|v|vx|wx|银行卡|卡|账户)|收款码|扫码(?:付|支付|付款|转账)|"
            r"打(?:到|给)我的?(?:卡|账户|账号|支付宝|微信)|直接(?:转账|打款|转给我)|转账给我|先(?:转账|打款)后?",
        )
    )
)
# The same with a few words between, inside one clause (the folded view keeps its punctuation):
# "线下当面交易", "私下微信交易"; not "线下门店，支付宝付款". (当面 alone is also how goods are
# checked on delivery, "当面验货再付款", so it needs 交易 right after it, above.)
_OFF_PLATFORM_GAP_ZH = re.compile(each_then("私下|线下", r"[\u4e00-\u9fff]{1,3}?(?:交易|转账|付款|付钱|支付|打款|买卖|成交|交钱|结账)"))
_OFF_PLATFORM_EN = re.compile(
    "|".join(
        (
            words_then(
                "pay",
                r"(?:ment)?\s(?:me\s)?(?:via|through|with|by|using|on)\s"
                r"(?:paypal|venmo|zelle|cash\s?app|bank\s?transfer|western\s?union|wise|usdt|crypto)",
            ),
            words_then(r"zelle|venmo|cash\s?app|paypal", r"\s(?:me|us)\b"),
            words_then("transfer", r"\s(?:the\s(?:money|payment)\s)?(?:to|into)\s(?:my|our)\s(?:bank\s)?account"),
            words_then("outside", r"\s(?:the|this)\s(?:app|platform)"),
            words_then("off", r"[\s\-]platform\b"),
            words_then("pay", r"\s(?:me\s)?directly\b"),
            words_then("transfer", r"\ske\srekening"),
            words_then("bayar", r"\sdi\sluar"),
            words_then("meet", r"\s(?:up\s)?(?:in\sperson|face\sto\sface)\b"),
            words_then("cash|pay", r"\s(?:on|when\swe)\s(?:meet|meetup)\b"),
            words_then("offline|private|direct", r"\s(?:deal|payment|transaction|sale)\b"),
            words_then("deal", r"\s(?:offline|in\sperson|privately)\b"),
            words_then("ketemuan", r"\b"),
            words_then("ketemu", r"\slangsung\b"),
            words_then("transaksi", r"\s(?:langsung|di\sluar)"),
        )
    )
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def find_payment(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    return _cards(norm) + _phrases(norm)


def _cards(norm: NormalizedText) -> list[Hit]:
    view = norm.digits
    hits = []
    for m in (m for stretch in _CARD_STRETCH.finditer(view.text) for m in _CARD.finditer(view.text, *stretch.span())):
        digits = re.sub(r"\D", "", m.group())
        start, end = view.source_span(m.start(), m.end())
        if not _luhn(digits) or cues.names_identifier(norm, start):
            continue
        if _BANKING.search(cues.before(norm, start, 16)) or _BANKING.search(cues.after(norm, end, 8)):
            hits.append(
                Hit(
                    "bank_card",
                    start,
                    end,
                    0.93,
                    f"a bank card number ({digits[:4]}…{digits[-4:]})",
                    f"银行卡号（{digits[:4]}…{digits[-4:]}）",
                    digits,
                )
            )
    return hits


def _phrases(norm: NormalizedText) -> list[Hit]:
    hits = []
    views = ((_OFF_PLATFORM_ZH, norm.compact), (_OFF_PLATFORM_GAP_ZH, norm.folded), (_OFF_PLATFORM_EN, norm.folded))
    for pattern, view in views:
        for m in pattern.finditer(view.text):
            start, end = view.source_span(m.start(), m.end())
            if cues.negated(norm, start):
                continue  # "切勿私下转账", "never pay outside the app": a warning, not an offer
            written = norm.original[start:end]
            hits.append(
                Hit(
                    "payment",
                    start,
                    end,
                    0.88,
                    f"asks for payment off the platform ('{written}')",
                    f"引导站外交易或付款（「{written}」）",
                )
            )
    return hits
