"""Steering buyers to other platforms, and those platforms' share codes (淘口令) (DY-DV).

Naming another platform is not diversion ("淘宝同款", "比拼多多便宜", "在小红书上看到的"):
steering is a platform named together with an action there (搜, 店铺, 拍, 叫…, "our Shopee
store") or an imperative to go there (去, 走, 转, "find us on"). The names, and the ways they are
disguised (某宝, 拼x多), are in `platform_names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.detect.diversion.links import own_links
from shopwarden.core.detect.diversion.platform_names import CJK, LATIN, Platform
from shopwarden.core.text import NormalizedText

# An action at the platform ("淘宝搜…", "闲鱼上拍", "our shopee store").
_ACTION_AFTER = re.compile(
    r"^\s?(?:上面?|里面?|那边|平台)?\s?(?:搜索?|找我|找|拍|下单|店铺?|私聊|联系|链接|同名|(?:也|还)?有(?:我们|我的)?店|(?:也|还)?有我们|关注|号|账号|"
    r"(?:账号|昵称|名字|用户名)叫|昵称|用户名|"
    r"store|shop|page|link|account|toko)"
)
# An imperative to go there ("去拼多多", "走闲鱼", "find us on Shopee", "toko kami di Tokopedia").
_GO_BEFORE = re.compile(
    r"(?:(?:去|到|来|走|转|换|上)(?:我们?的?)?|"
    r"\b(?:find|search|visit|order|buy|shop|purchase|follow|check|cheaper|contact|available)\b[^.!?]{0,25}?\b(?:on|at|via|in|from)\s(?:our\s|my\s)?|"
    r"\b(?:our|my)\s|\b(?:toko kami|kunjungi|cek|order|beli|cari)\b[^.!?]{0,25}?\b(?:di|ke)\s)$"
)
# Someone's own name there: "我在小红书叫小林家", "你闲鱼叫什么" (not "这个颜色在小红书叫奶茶色").
_SELF_BEFORE = re.compile(r"(?:我|我们|本店|咱们?|你|您)(?:家|店)?(?:在|的)?\s?$")
_NAMED_AFTER = re.compile(r"^\s?(?:上|里)?\s?叫")
_SHARE_CODE = re.compile(r"([¥$€£₤¢/(（])([a-z0-9]{8,14})[¥$€£₤¢/)）]")
_SHARE_PROMPT = re.compile(r"复制.{0,24}?打开.{0,6}?(?:手机)?(?:淘宝|手淘|天猫|拼多多|闲鱼|京东|小红书|tb|taobao)")


def _mentions(norm: NormalizedText) -> Iterator[tuple[Platform, int, int]]:
    for lexicon, view in ((CJK, norm.compact), (LATIN, norm.folded)):
        for platform, start, end in lexicon.finditer(view.text):
            yield platform, *view.source_span(start, end)


def find_platforms(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    hits = [hit for platform, start, end in _mentions(norm) if (hit := _steering(norm, platform, start, end))]
    return hits + _share_codes(norm, context)


def _steering(norm: NormalizedText, platform: Platform, start: int, end: int) -> Hit | None:
    before, after = cues.before(norm, start, 40), cues.after(norm, end, 8)
    action = _ACTION_AFTER.match(after) or (_NAMED_AFTER.match(after) and _SELF_BEFORE.search(before))
    go = _GO_BEFORE.search(before)
    if not (action or go) or cues.negated(norm, start):
        return None
    written = norm.original[start:end]
    return Hit("platform", start, end, 0.9 if action and go else 0.86,
               f"steers the buyer to {platform.en} ('{written}')", f"引导至其他平台：{platform.zh}（「{written}」）")  # fmt: skip


def _share_codes(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    view = norm.folded
    hits = []
    prompt = _SHARE_PROMPT.search(view.text)
    own = own_links(view.text, context)
    for m in _SHARE_CODE.finditer(view.text):
        code = m.group(2)
        if code.isdigit() or code.isalpha():
            continue  # a share code mixes letters and digits; "(12345678)" is not one
        if any(s <= m.start() and m.end() <= e for s, e in own):
            continue  # a path in a link to the platform's own site ("vm.tiktok.com/ZS8abc123/") is the platform's own share link
        hits.append(Hit.on(view, m.start(), m.end(), "share_code", 0.92 if prompt else 0.82,
                           f"a platform share code ('{norm.original[slice(*view.source_span(m.start(), m.end()))]}')",
                           "其他平台的口令（淘口令）", code))  # fmt: skip
    if prompt and not hits:
        hits.append(
            Hit.on(
                view,
                prompt.start(),
                prompt.end(),
                "share_code",
                0.88,
                "asks to open another platform's app with a copied code",
                "引导复制口令打开其他平台",
            )
        )
    return hits
