"""Messenger and social accounts: an app's keyword next to an account id (DY-DV).

A keyword followed by an account ("V信: abc_8888", "扣扣 2876543210", "IG @jess.shop",
"公众号『好物研究所』") is a contact; so is an account or number with the app in brackets right
behind it ("0813 5566 7788 (WA)", "jess.shop（IG）"), or after a slash if the app's name is no
ordinary word ("mei_0707 / wechat"). A bare word after a keyword is an account only if it looks
like one (a digit, "_" or ".") or a marker says so ("ID:", "号", "是", "@", a quotation mark),
so "WeChat Pay" and "LINE FRIENDS" stay quiet; after a keyword that is also an English label
word a colon alone marks a value, not an account ("Signal: strong", "Line: black"). A keyword with an ask and no account ("加我微信") is a request
to move (`move_requests`).
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.apps import LABEL_WORDS, App, app_mentions
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.move_requests import asked_around
from shopwarden.core.text import NormalizedText, View

# What may stand between a keyword and its account: "微信号：", "vx 搜 ", "wechat id is ", "微信我：".
_FILLER = r"(?:[\s:=\-~>|#_「『]|号码|号|群号|群|账号|帐号|id|是|为|搜索|搜|同号|同名|名字|名称|叫|我|is\b)*"
_MARKER = re.compile(r"[:=#“\"「『《【]|号|群|id|是|为|叫|搜|同名|\bis\b")
# Markers that name an account outright, where a colon may only label a value ("Signal: strong").
_WORD_MARKER = re.compile(r"号|群|id|是|为|叫|搜|同名|\bis\b")
_HANDLE = re.compile(rf"{_FILLER}(@?[a-z][a-z0-9_.\-]{{3,29}}(?<![.\-])|\d(?:[\s\-]?\d){{4,14}})(?![a-z0-9_])")
# A Chinese account name; a function word ("是我最喜欢的", "叫什么") does not start one.
_NAME = re.compile(
    rf"{_FILLER}[“\"'「『《【]?(?![我你您他她它的了是在有也都就很最和与及这那个么吗呢吧啊呀哦上里中不没要会可能什])"
    r"([\u4e00-\u9fff][\u4e00-\u9fffa-z0-9]{1,11})"
)
# An account written before the keyword, the app in brackets or after a slash: "0813… (WA)".
_HANDLE_BEFORE = re.compile(r"(@?[a-z][a-z0-9_.\-]{3,29}|\d(?:[\s\-]?\d){6,14})\s?(?P<open>[(\[（【/|])\s?$")
_CLOSE = re.compile(r"\s?[)\]）】』」”\"》]")
# Softer words that make an account after a weak keyword one ("my line: …", "di WA 0812…").
_SOFT_BEFORE = re.compile(r"(?:我的?|\bmy|\bon|\bvia|\bdi|\bat|用|发|打)\s?$")


def _handle_after(norm: NormalizedText, end: int) -> tuple[str, int, bool, bool] | None:
    """(account, original end, marked, named) of an id or number written right after original
    offset `end`; `named` when more than a colon says it is an account ("ID:", "@", a digit)."""
    view = norm.digits
    i = view.index_ending_by(end)
    m = _HANDLE.match(view.text, i)
    if not m:
        return None
    handle, filler = m.group(1), view.text[i : m.start(1)]
    marked = bool(_MARKER.search(filler)) or handle.startswith("@")
    if not (marked or _looks_like_account(handle)):
        return None
    named = bool(_WORD_MARKER.search(filler)) or handle.startswith("@") or _looks_like_account(handle)
    return _value(handle), view.source_span(m.start(1), m.end(1))[1], marked, named


def _looks_like_account(handle: str) -> bool:
    return any(c.isdigit() or c in "_." for c in handle)


def _value(handle: str) -> str:
    return re.sub(r"[\s\-]", "", handle) if handle[0].isdigit() else handle


def _name_after(norm: NormalizedText, end: int) -> tuple[str, int, bool, bool] | None:
    """A Chinese account name after a marker ("公众号：美妆研究社", "公众号搜 好物研究所", "『…』")."""
    view = norm.digits
    i = view.index_ending_by(end)
    m = _NAME.match(view.text, i)
    if m and _MARKER.search(view.text[i : m.start(1)]):
        return m.group(1), _past_closing(view, m.end(1)), True, True
    return None


def _past_closing(view: View, i: int) -> int:
    """The original end after view offset `i` (> 0), past a closing bracket or quote right there."""
    close = _CLOSE.match(view.text, i)
    return view.ends[(close.end() if close else i) - 1]


def _handle_before(norm: NormalizedText, start: int, end: int, app_is_weak: bool) -> tuple[str, int, int] | None:
    """(account, original start, original end) of an id or number just before a bracketed or
    slashed keyword: "0813 5566 7788 (WA)", "mei_0707 / wechat"."""
    view = norm.digits
    i, j = view.index_at_or_after(start), view.index_ending_by(end)
    m = _HANDLE_BEFORE.search(view.text, max(0, i - 40), i)
    if m is None:
        return None
    handle, bracketed = m.group(1), m.group("open") not in "/|"
    if bracketed and not _CLOSE.match(view.text, j):
        return None  # "(WA" without its closing bracket does not name the number's app
    if not bracketed and app_is_weak:
        return None  # "2024_new/ins风": after a slash a weak word is only a word
    if not (_looks_like_account(handle) or handle.startswith("@")):
        return None
    handle_start = view.source_span(m.start(1), m.end(1))[0]
    if handle[0].isdigit() and cues.names_identifier(norm, handle_start):
        return None  # "订单号 12345678 (WA)": an identifier, whatever follows
    return _value(handle), handle_start, _past_closing(view, j) if bracketed else end


def _account_hit(norm: NormalizedText, app: App, start: int, end: int) -> Hit | None:
    asked = asked_around(norm, start, end)
    account = _handle_after(norm, end) or (_name_after(norm, end) if app.names else None)
    if account is not None:
        value, account_end, marked, named = account
        soft = bool(_SOFT_BEFORE.search(cues.before(norm, start, 14)))
        if app.weak and not (marked or asked or soft):
            return None
        if _keyword(norm, start, end) in LABEL_WORDS and not (named or asked or soft):
            return None  # "Signal: strong", "Line: black": a label and its value
        score = 0.9 if app.weak and not (marked or asked) else 0.95
        return _hit(norm, app, start, account_end, score, value)
    before = _handle_before(norm, start, end, app.weak)
    if before is not None:
        value, handle_start, hit_end = before
        return _hit(norm, app, handle_start, hit_end, 0.92, value)
    return None


def _keyword(norm: NormalizedText, start: int, end: int) -> str:
    """The keyword at original `start:end` as the digit view spells it ("Ｌｉｎｅ" → "line")."""
    view = norm.digits
    return view.text[view.index_at_or_after(start) : view.index_ending_by(end)]


def _hit(norm: NormalizedText, app: App, start: int, end: int, score: float, value: str) -> Hit:
    written = norm.original[start:end]
    return Hit("messenger", start, end, score, f"{app.en} account written as '{written}'",
               f"{app.zh}账号：「{written}」", value.lower())  # fmt: skip


def find_accounts(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    hits: list[Hit] = []
    covered = -1
    for app, start, end in app_mentions(norm):
        if start < covered:
            continue  # a keyword inside an account already found ("v信" in "+v信: …")
        hit = _account_hit(norm, app, start, end)
        if hit is not None:
            hits.append(hit)
            covered = hit.end
    return hits
