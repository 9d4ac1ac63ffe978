"""Messenger and social accounts: an app's keyword, then an account id (DY-DV).

A keyword followed by an account ("V信: abc_8888", "扣扣 2876543210", "IG @jess.shop") is a
contact. A keyword with an ask and no account ("加我微信", "whatsapp me") is steering. A bare
word after a keyword is an account only if it looks like one (a digit, "_" or ".") or a marker
says so ("ID:", "号", "是", "@"), so "WeChat Pay" and "LINE FRIENDS" stay quiet.
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion.apps import APPS, App
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

# What may stand between a keyword and its account: "微信号：", "vx 搜 ", "wechat id is ".
_FILLER = r"(?:[\s:=\-~>|#_]|号码|号|群号|群|账号|帐号|id|是|为|搜索|搜|同号|名字|名称|叫|is\b)*"
_MARKER = re.compile(r"[:=#]|号|群|id|是|为|叫|搜|\bis\b")
_HANDLE = re.compile(rf"{_FILLER}(@?[a-z][a-z0-9_.\-]{{3,29}}(?<![.\-])|\d(?:[\s\-]?\d){{4,14}})(?![a-z0-9_])")
_NAME = re.compile(rf"{_FILLER}[“\"'「『《]?([\u4e00-\u9fff][\u4e00-\u9fffa-z0-9]{{1,11}})")
# A verb asking to move to the app: enough on its own, without an account.
_ASK_BEFORE = re.compile(
    r"(?:加|添加|联系|找|私聊|留个|留下|搜|关注|\badd(?: me| us)?(?: on)?|\bcontact(?: me| us)?(?: on)?|"
    r"\b(?:message|reach|find|dm|text|follow|hit) (?:me|us)(?: up)? on|\bchat (?:me )?on|\bhubungi(?: kami)?(?: di)?)"
    r"[个下我你]{0,2}(?:一下)?\s?$"
)
_ASK_AFTER = re.compile(r"^\s?(?:联系|聊|详聊|私聊|发你|发给你|找我|同号|上联系|me\b|us\b|[,，]?\s?加)")
# Softer words that make an account after a weak keyword one ("my line: …", "di WA 0812…").
_SOFT_BEFORE = re.compile(r"(?:我的?|\bmy|\bon|\bvia|\bdi|\bat|用|发|打)\s?$")
# "微信支付", "微信朋友圈": the app named for something other than talking.
_NOT_CONTACT_AFTER = re.compile(r"^\s?(?:支付|付款|pay|朋友圈)")


def _compile() -> tuple[re.Pattern, re.Pattern]:
    cjk = "|".join(f"(?P<c{i}>{a.cjk})" for i, a in enumerate(APPS) if a.cjk)
    latin = "|".join(f"(?P<l{i}>{a.latin})" for i, a in enumerate(APPS) if a.latin)
    return re.compile(cjk), re.compile(rf"(?<![a-z0-9])(?:{latin})(?![a-z])")


_CJK, _LATIN = _compile()


def _keywords(norm: NormalizedText) -> list[tuple[App, int, int]]:
    """(app, original start, original end) of every keyword, longest first where they start together."""
    found = []
    for pattern, view in ((_CJK, norm.compact), (_LATIN, norm.digits)):
        for m in pattern.finditer(view.text):
            found.append((APPS[int(m.lastgroup[1:])], *view.source_span(m.start(), m.end())))
    return sorted(found, key=lambda k: (k[1], -k[2]))


def _handle_after(norm: NormalizedText, end: int) -> tuple[str, int, bool] | None:
    """(account, original end, marked) of an id or number written right after original offset `end`."""
    view = norm.digits
    i = view.index_ending_by(end)
    m = _HANDLE.match(view.text, i)
    if not m:
        return None
    handle, filler = m.group(1), view.text[i : m.start(1)]
    marked = bool(_MARKER.search(filler)) or handle.startswith("@")
    if not (marked or any(c.isdigit() or c in "_." for c in handle)):
        return None
    value = re.sub(r"[\s\-]", "", handle) if handle[0].isdigit() else handle
    return value, view.source_span(m.start(1), m.end(1))[1], marked


def _name_after(norm: NormalizedText, end: int) -> tuple[str, int, bool] | None:
    """A Chinese account name after a marker ("公众号：美妆研究社", "公众号搜 好物研究所")."""
    view = norm.digits
    i = view.index_ending_by(end)
    m = _NAME.match(view.text, i)
    if m and _MARKER.search(view.text[i : m.start(1)]):
        return m.group(1), view.source_span(m.start(1), m.end(1))[1], True
    return None


def _account_hit(norm: NormalizedText, app: App, start: int, end: int) -> Hit | None:
    folded = norm.folded
    i, j = folded.index_at_or_after(start), folded.index_ending_by(end)
    before, after = folded.text[max(0, i - 14) : i], folded.text[j : j + 6]
    asked = bool(_ASK_BEFORE.search(before) or _ASK_AFTER.match(after))
    account = _handle_after(norm, end) or (_name_after(norm, end) if app.names else None)
    if account is not None:
        value, account_end, marked = account
        if app.weak and not (marked or asked or _SOFT_BEFORE.search(before)):
            return None
        written = norm.original[start:account_end]
        score = 0.9 if app.weak and not (marked or asked) else 0.95
        return Hit(
            "messenger",
            start,
            account_end,
            score,
            f"{app.en} account written as '{written}'",
            f"{app.zh}账号：「{written}」",
            value.lower(),
        )
    if asked and not _NOT_CONTACT_AFTER.match(after):
        written = norm.original[start:end]
        return Hit(
            "messenger",
            start,
            end,
            0.8,
            f"asks to move the conversation to {app.en} ('{written}')",
            f"引导添加{app.zh}（「{written}」）",
        )
    return None


def find_accounts(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    hits: list[Hit] = []
    covered = -1
    for app, start, end in _keywords(norm):
        if start < covered:
            continue  # a keyword inside an account already found ("v信" in "+v信: …")
        hit = _account_hit(norm, app, start, end)
        if hit is not None:
            hits.append(hit)
            covered = hit.end
    return hits
