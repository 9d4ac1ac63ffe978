"""Asking the buyer for their contact, or pointing to where the seller's is (DY-DV)."""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.lexicon import each_then, words_then
from shopwarden.core.text import NormalizedText

_CONTACT_ZH = r"(?:电话|手机号?|号码|联系方式|微信号?|vx|qq|邮箱|whatsapp)"
_ASK_ZH = re.compile(
    rf"留(?:个|下|一下)?(?:你|您)?的?{_CONTACT_ZH}|{_CONTACT_ZH}留(?:一个|个|一下|下)|"
    + each_then("你|您", rf"的?{_CONTACT_ZH}(?:多少|是多少|发我|发给我|给我|告诉我)")
    + rf"|把(?:你|您)的?{_CONTACT_ZH}(?:发|给|告诉)|给(?:个|我)(?:个)?{_CONTACT_ZH}|"
    rf"联系方式(?:见|在|看)(?:图|图片|主页|简介|头像|详情|评论)|"
    + each_then("主页|简介|头像", rf"(?:有|里有){_CONTACT_ZH}")
)
_CONTACT_EN = r"(?:phone|number|whatsapp|wa|wechat|line|email|e-mail|contact|telegram|ig|instagram)"
_ASK_EN = re.compile(
    "|".join(
        (
            # "give your phone a fresh look" asks nothing: give, send, share and tell need a "me" or "us"
            words_then("send|give|share|tell", rf"\s(?:me|us)\syour\s{_CONTACT_EN}\b"),
            words_then("dm|leave", rf"\s(?:me\s|us\s)?your\s{_CONTACT_EN}\b"),
            words_then("what", rf"(?:'s|\sis)\syour\s{_CONTACT_EN}\b"),
            words_then("contact", r"\s(?:info|details|number)\s(?:is\s)?(?:in|on)\s(?:my|our)\s(?:bio|profile|picture|photo)"),
        )
    )
)


def find_asks(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    hits = []
    for pattern, view in ((_ASK_ZH, norm.compact), (_ASK_EN, norm.folded)):
        for m in pattern.finditer(view.text):
            start, end = view.source_span(m.start(), m.end())
            written = norm.original[start:end]
            hits.append(
                Hit(
                    "ask_contact",
                    start,
                    end,
                    0.85,
                    f"asks for or points to contact details ('{written}')",
                    f"索要或引导查看联系方式（「{written}」）",
                )
            )
    return hits
