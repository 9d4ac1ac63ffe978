"""Steering buyers to other platforms, and those platforms' share codes (淘口令) (DY-DV).

Naming another platform is not diversion ("淘宝同款", "比拼多多便宜", "在小红书上看到的"):
steering is a platform named together with an action there (搜, 店铺, 拍, "our Shopee store")
or an imperative to go there (去, 走, 转, "find us on").
"""

from __future__ import annotations

import re

from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.diversion import cues
from shopwarden.core.detect.diversion.hit import Hit
from shopwarden.core.text import NormalizedText

PLATFORMS = {
    "Taobao": ("淘宝", r"淘宝|某宝|陶宝|掏宝|手淘|天猫", r"taobao|tb|tmall"),
    "Pinduoduo": ("拼多多", r"拼多多|拼夕夕|并夕夕", r"pdd|pinduoduo"),
    "Xianyu": ("闲鱼", r"闲鱼|咸鱼", r"xianyu"),
    "Xiaohongshu": ("小红书", r"小红书|小红薯|红书", r"xhs|xiaohongshu|rednote"),
    "JD": ("京东", r"京东|狗东", r"jd"),
    "Kuaishou": ("快手", r"快手", r"kuaishou"),
    "Weidian": ("微店", r"微店", r"weidian"),
    "1688": ("1688", r"阿里巴巴", r"1688"),
    "Dewu": ("得物", r"得物", r"dewu|poizon"),
    "Vipshop": ("唯品会", r"唯品会", r"vipshop"),
    "mini program": ("小程序", r"小程序", ""),
    "Tokopedia": ("Tokopedia", "", r"tokopedia|tokped"),
    "Shopee": ("Shopee", r"虾皮", r"shopee"),
    "Lazada": ("Lazada", "", r"lazada"),
    "Bukalapak": ("Bukalapak", "", r"bukalapak"),
    "Amazon": ("亚马逊", r"亚马逊", r"amazon"),
    "eBay": ("eBay", "", r"ebay"),
    "AliExpress": ("速卖通", r"速卖通", r"aliexpress"),
    "Temu": ("Temu", "", r"temu"),
    "Shein": ("Shein", "", r"shein"),
    "Etsy": ("Etsy", "", r"etsy"),
}
_NAMES = list(PLATFORMS)
_CJK = re.compile("|".join(f"(?P<p{i}>{PLATFORMS[n][1]})" for i, n in enumerate(_NAMES) if PLATFORMS[n][1]))
_LATIN = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(f"(?P<p{i}>{PLATFORMS[n][2]})" for i, n in enumerate(_NAMES) if PLATFORMS[n][2])
    + r")(?![a-z])"
)

# An action at the platform ("淘宝搜…", "闲鱼上拍", "our shopee store").
_ACTION_AFTER = re.compile(
    r"^\s?(?:上面?|里面?|那边|平台)?\s?(?:搜索?|找我|找|拍|下单|店铺?|私聊|联系|链接|同名|(?:也|还)?有(?:我们|我的)?店|(?:也|还)?有我们|关注|号|账号|"
    r"store|shop|page|link|account|toko)"
)
# An imperative to go there ("去拼多多", "走闲鱼", "find us on Shopee", "toko kami di Tokopedia").
_GO_BEFORE = re.compile(
    r"(?:(?:去|到|来|走|转|换|上)(?:我们?的?)?|"
    r"\b(?:find|search|visit|order|buy|shop|purchase|follow|check|cheaper|contact|available)\b[^.!?]{0,25}?\b(?:on|at|via|in|from)\s(?:our\s|my\s)?|"
    r"\b(?:our|my)\s|\b(?:toko kami|kunjungi|cek|order|beli|cari)\b[^.!?]{0,25}?\b(?:di|ke)\s)$"
)
_SHARE_CODE = re.compile(r"([¥$€£₤¢/(（])([a-z0-9]{8,14})[¥$€£₤¢/)）]")
_SHARE_PROMPT = re.compile(r"复制.{0,24}?打开.{0,6}?(?:手机)?(?:淘宝|手淘|天猫|拼多多|闲鱼|京东|小红书|tb|taobao)")


def _mentions(norm: NormalizedText):
    for pattern, view in ((_CJK, norm.compact), (_LATIN, norm.folded)):
        for m in pattern.finditer(view.text):
            yield _NAMES[int(m.lastgroup[1:])], *view.source_span(m.start(), m.end())


def find_platforms(norm: NormalizedText, context: DetectContext) -> list[Hit]:
    hits = [hit for name, start, end in _mentions(norm) if (hit := _steering(norm, name, start, end))]
    return hits + _share_codes(norm)


def _steering(norm: NormalizedText, name: str, start: int, end: int) -> Hit | None:
    before, after = cues.before(norm, start, 40), cues.after(norm, end, 8)
    action, go = _ACTION_AFTER.match(after), _GO_BEFORE.search(before)
    if not (action or go) or cues.negated(norm, start):
        return None
    zh = PLATFORMS[name][0]
    written = norm.original[start:end]
    return Hit("platform", start, end, 0.9 if action and go else 0.86,
               f"steers the buyer to {name} ('{written}')", f"引导至其他平台：{zh}（「{written}」）")  # fmt: skip


def _share_codes(norm: NormalizedText) -> list[Hit]:
    view = norm.folded
    hits = []
    prompt = _SHARE_PROMPT.search(view.text)
    for m in _SHARE_CODE.finditer(view.text):
        code = m.group(2)
        if code.isdigit() or code.isalpha():
            continue  # a share code mixes letters and digits; "(12345678)" is not one
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
