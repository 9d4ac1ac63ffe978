"""Asking to take the conversation somewhere else, with or without an account (DY-DV).

The intent is a verb of adding, contacting or moving together with a channel: an app from
`apps.APPS` ("加我微信", "continue on WhatsApp", "lanjut di WA", "微信我"), or a word for
"elsewhere" ("私下聊", "换个软件聊", "这里说话不方便", "chat outside the app", "japri"). A bare
"add me" in a conversation ("你加我吧", "add me!") asks the same with the channel left unsaid.
A warning ("请勿私下联系", "不加微信") is not a request.
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.apps import App, app_mentions
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.lexicon import each_then, words_then
from shopwarden.core.text import NormalizedText

VERB_WINDOW = 24  # characters before a channel read for its verb or negation ("hubungi saya lewat ")
# A verb right before the app's name: "加我微信", "add me on", "continue on", "hubungi di".
_VERB_BEFORE = re.compile(
    r"(?:加|添加|\+|联系|找|私聊|留个|留下|搜|关注|移步|转战|转到|转去|换到|换成|改用|"
    r"\badd(?: me| us)?(?: on)?|\bcontact(?: me| us)?(?: on)?|"
    r"\b(?:message|msg|reach|find|dm|text|follow|hit|call|ping)(?: me| us)(?: up)? (?:on|via|over|at)|"
    r"\b(?:chat|talk|continue|move|switch|go|carry on|take (?:it|this)|let['’]?s (?:talk|chat|continue|move))"
    r"(?: (?:with )?(?:me|us))? (?:on|via|over|to|in)|"
    r"\bhubungi(?: (?:saya|kami|aku))?(?: (?:di|via|lewat|ke))?|"
    r"\b(?:lanjut|lanjutkan|pindah|chat|kontak)(?: (?:saya|kami|aku))? (?:di|ke|via|lewat))"
    r"[个下我你]{0,2}(?:一下)?\s?$"
)
# What follows the app's name when it is used as a verb or a meeting place: "微信联系", "whatsapp
# me", "微信我：", "WA aja", "微信号就是手机号", "b站同名" (the same name as this shop).
_VERB_AFTER = re.compile(
    r"^\s?(?:(?:上|里)?(?:联系|聊(?!天记录|天截图)|细聊|详聊|详谈|私聊|沟通)|发你|发给你|找我|同号|同名|[,，]?\s?加|"
    r"me\b|us\b|aja\b|saja\b|我(?=$|[\s:：,，.。!！~]|吧|哈|哦|呀|啊)|号?(?:就是|同|和|跟)(?:我的?)?(?:手机|电话)号?)"
)
# "微信支付", "微信朋友圈": the app named for something other than talking.
_NOT_CONTACT_AFTER = re.compile(r"^\s?(?:支付|付款|pay|朋友圈)")
# After a weak keyword, a word that makes it the ordinary one ("line drying"); not "line me", "wa aja".
_WORD_AFTER_WEAK = re.compile(r"^\s(?!(?:me|us|id|pls|please|ya|aja|saja|kak|ok|too|instead|and|or)\b)[a-z]{2,}")
# A negation right before the verb: "不加微信", "别私下聊".
_NOT_BEFORE = re.compile(
    r"(?:(?:不|别|勿|没|無|无)(?:要|能|用|会|可以|需要)?|\b(?:didn'?t|doesn'?t|won'?t|can'?t|cannot|never)(?: \w+)?)\s?$"
)

# Somewhere other than here, with a verb (on the compact view, so noise between characters goes).
_ELSEWHERE_ZH = re.compile(
    "|".join(
        (
            each_then("私下|站外|平台外|场外", "(?:里|上)?(?:聊|谈|沟通|联系(?!方式)|细聊|详聊|约)"),
            each_then("换|转|移步", "(?:个|到)?(?:别的|其他|其它|另外的?|外面的?)(?:平台|软件|app)"),
            r"换个(?:平台|软件|app)",
            each_then("去|到|用", "(?:别的|其他|其它|另外的?|外面的?)(?:平台|软件|app)(?:聊|联系|沟通|私聊|交易|下单|付款)"),
            # "平台聊天不方便", not "平台说不能退" (what the platform said) or "不好说" (hard to say)
            each_then("这里|这边|在这|平台|平台上|站内", "(?:说话|聊天|聊|沟通|讲话)(?:不方便|不能|不让|有限制|被监控|会被)"),
            each_then("这里|这边|在这", "不方便(?:说|聊|讲|细说)"),
        )
    )
)
_ELSEWHERE_EN = re.compile(
    "|".join(
        (
            words_then(
                "talk|chat|deal|continue|discuss|text|message|contact|reach",
                r"(?: (?:with )?(?:me|us))? (?:privately|in private|outside(?: (?:the|this) (?:app|platform|site|chat))?|"
                r"off (?:the )?(?:app|platform|site)|elsewhere)\b",
            ),
            words_then("move|switch|go|talk|chat|continue", r"(?: (?:this|it))? (?:to|on) (?:another|a different|other) (?:app|platform|site)\b"),
            words_then("japri|chat pribadi", r"\b"),
            words_then("di|ke", r" luar (?:aplikasi|app|platform)\b"),
        )
    )
)
# "你加我吧", "我加你", "add me!": asking to be added, channel unsaid (folded view: the end counts).
_ADD_ME = re.compile(
    r"加(?<![增追附参更施外叠]加)(?:一下)?我(?:一下|个好友|好友|为好友)?(?:吧|呀|啊|哦|哈|呗|哟|嘛)?(?=$|[\s,，.。!！~?？])|"
    r"我(?:先|来)?加(?:一下)?你(?:吧|哦|呀|啊|哈)?(?=$|[\s,，.。!！~?？])|"
    + words_then("add", r" me(?: (?:back|pls|please|bro|sis|kak|ya))?(?=\s?(?:$|[,.!?]))")
)


def asked_around(norm: NormalizedText, start: int, end: int) -> bool:
    """Whether a verb of adding, contacting or moving stands next to the channel at original `start:end`."""
    before, after = cues.before(norm, start, VERB_WINDOW), cues.after(norm, end, 10)
    return bool(_VERB_BEFORE.search(before) or _VERB_AFTER.match(after))


def _refused(prefix: str) -> bool:
    """Whether the folded text before a request negates it ("请勿私下联系", "不加", "never add")."""
    return bool(cues.NEGATION.search(prefix[-14:]) or _NOT_BEFORE.search(prefix[-16:]))


def find_move_requests(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    return _to_apps(norm) + _elsewhere(norm) + _add_me(norm)


def _to_apps(norm: NormalizedText) -> list[Hit]:
    hits: list[Hit] = []
    for app, start, end in app_mentions(norm):
        if hits and start < hits[-1].end:
            continue  # "v" inside "v信", already asked for
        wide, after = cues.before(norm, start, VERB_WINDOW + 14), cues.after(norm, end, 10)
        before = wide[-VERB_WINDOW:]
        verb = _VERB_BEFORE.search(before)
        if not (verb or _VERB_AFTER.match(after)) or _NOT_CONTACT_AFTER.match(after):
            continue
        if app.weak and (_WORD_AFTER_WEAK.match(after) or re.match(r"\s?\d", after)):
            continue  # "switch to line drying", "line 2": the ordinary word, not the app
        if _refused(wide[: len(wide) - len(before) + (verb.start() if verb else len(before))]):
            continue
        hits.append(_app_hit(norm, app, start, end))
    return hits


def _app_hit(norm: NormalizedText, app: App, start: int, end: int) -> Hit:
    written = norm.original[start:end]
    return Hit(
        "move_request", start, end, 0.8,
        f"asks to move the conversation to {app.en} ('{written}')", f"引导添加{app.zh}（「{written}」）",
    )  # fmt: skip


def _elsewhere(norm: NormalizedText) -> list[Hit]:
    hits = []
    for pattern, view in ((_ELSEWHERE_ZH, norm.compact), (_ELSEWHERE_EN, norm.folded)):
        for m in pattern.finditer(view.text):
            start, end = view.source_span(m.start(), m.end())
            if _refused(cues.before(norm, start, VERB_WINDOW)):
                continue
            written = norm.original[start:end]
            hits.append(Hit("move_request", start, end, 0.8, f"asks to continue off the platform ('{written}')",
                            f"引导到站外沟通（「{written}」）"))  # fmt: skip
    return hits


def _add_me(norm: NormalizedText) -> list[Hit]:
    hits = []
    view = norm.folded
    for m in _ADD_ME.finditer(view.text):
        start, end = view.source_span(m.start(), m.end())
        if _refused(cues.before(norm, start, VERB_WINDOW)):
            continue
        written = norm.original[start:end]
        hits.append(Hit("move_request", start, end, 0.72, f"asks to be added as a contact ('{written}')",
                        f"要求加为联系人（「{written}」）"))  # fmt: skip
    return hits
