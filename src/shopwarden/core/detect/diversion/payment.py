"""Paying off the platform: bank card numbers and "transfer to me directly" (DY-DV).

A card number is 16-19 digits that pass the Luhn check with a banking word nearby; Luhn alone
would take one order number in ten for a card.
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

_CARD = re.compile(r"(?<![\d])\d(?:[\s\-]?\d){15,18}(?![\d])")
_BANKING = re.compile(
    r"卡号|银行|开户|户名|转账|打款|汇款|工行|建行|农行|中行|招行|交行|邮储|储蓄卡|借记卡|信用卡|卡上|打到|转到|"
    r"\b(?:card|bank|account|iban|rekening|transfer|swift)\b"
)
_OFF_PLATFORM_ZH = re.compile(
    r"私下(?:交易|转账|付款|付|支付|打款|买卖|成交)|线下(?:交易|付款|转账|支付|打款)|不走平台|绕(?:过|开)平台|跳过平台|"
    r"平台外(?:交易|付款|转账|支付)|场外交易|(?:微信|支付宝|zfb|vx|wx|银行卡|卡上|卡里)(?:转账|转给|转我|打款|红包|收款码)|"
    r"转(?:给)?我的?(?:微信|支付宝|zfb|v|vx|wx|银行卡|卡|账户)|收款码|扫码(?:付|支付|付款|转账)|打(?:到|给)我的?(?:卡|账户|账号|支付宝|微信)|"
    r"直接(?:转账|打款|转给我)|转账给我|先(?:转账|打款)后?"
)
_OFF_PLATFORM_EN = re.compile(
    r"\bpay(?:ment)?\s(?:me\s)?(?:via|through|with|by|using|on)\s(?:paypal|venmo|zelle|cash\s?app|bank\s?transfer|western\s?union|wise|usdt|crypto)|"
    r"\b(?:zelle|venmo|cash\s?app|paypal)\s(?:me|us)\b|\btransfer\s(?:the\s(?:money|payment)\s)?(?:to|into)\s(?:my|our)\s(?:bank\s)?account|"
    r"\boutside\s(?:the|this)\s(?:app|platform)|\boff[\s\-]platform\b|\bpay\s(?:me\s)?directly\b|\btransfer\ske\srekening|\bbayar\sdi\sluar"
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
    for m in _CARD.finditer(view.text):
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
    for pattern, view in ((_OFF_PLATFORM_ZH, norm.compact), (_OFF_PLATFORM_EN, norm.folded)):
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
