"""The shopping and second-hand platforms sellers steer buyers to, and how their names get disguised.

Sellers write a platform's name past a keyword filter in a few regular ways; these are generated
from each Chinese name and its pinyin initials rather than listed one by one:

    某 for the first character         某宝, 某多多, 某鱼, 某东, 某红书
    a Latin letter for one character   淘x, x宝, t宝, 拼d多, 闲y, 小h书   (x, or the initial)

Nicknames and homophones that follow no rule (拼夕夕, 狗东, 咸鱼, 小红薯, 虾皮) are listed with
their platform. Entries without initials are never masked: 某店 or 某手 say too little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shopwarden.core.detect.diversion.lexicon import Lexicon


@dataclass(frozen=True)
class Platform:
    en: str
    zh: str  # the Chinese name (or the English one where there is none in use)
    initials: str = ""  # pinyin initials of `zh`, one per character; empty: no masked forms
    cjk: str = ""  # other written forms (nicknames, homophones), regex on the compact view
    latin: str = ""  # names on the folded view, matched as whole words
    not_then: str = ""  # characters after a masked form that make it a word ("某东西")


PLATFORMS = (
    Platform("Taobao", "淘宝", "tb", r"淘宝|陶宝|掏宝|手淘|天猫|tao宝", r"taobao|tb|tmall", not_then="贝宝"),
    Platform("Pinduoduo", "拼多多", "pdd", r"拼多多|拼夕夕|并夕夕|拼xx|p多多", r"pdd|pinduoduo"),
    Platform("Xianyu", "闲鱼", "xy", r"闲鱼|咸鱼|闲渔|咸渔", r"xianyu", not_then="肉片干汤"),
    Platform("Xiaohongshu", "小红书", "xhs", r"小红书|小红薯|红书", r"xhs|xiaohongshu|rednote"),
    Platform("JD", "京东", "jd", r"京东|狗东", r"jd", not_then="西"),
    Platform("Vipshop", "唯品会", "wph", r"唯品会", r"vipshop"),
    Platform("Kuaishou", "快手", cjk=r"快手", latin=r"kuaishou"),
    Platform("Weidian", "微店", cjk=r"微店", latin=r"weidian"),
    Platform("Youzan", "有赞", cjk=r"有赞", latin=r"youzan"),
    Platform("Zhuanzhuan", "转转", cjk=r"转转", latin=r"zhuanzhuan"),
    Platform("1688", "1688", cjk=r"阿里巴巴", latin=r"1688"),
    Platform("Dewu", "得物", cjk=r"得物", latin=r"dewu|poizon"),
    Platform("Suning", "苏宁", cjk=r"苏宁易购", latin=r"suning"),
    Platform("Dangdang", "当当", cjk=r"当当网", latin=r"dangdang"),
    Platform("Mogujie", "蘑菇街", cjk=r"蘑菇街", latin=r"mogujie"),
    Platform("Meituan", "美团", cjk=r"美团", latin=r"meituan"),
    Platform("mini program", "小程序", cjk=r"小程序"),
    Platform("Tokopedia", "Tokopedia", latin=r"tokopedia|tokped"),
    Platform("Shopee", "Shopee", cjk=r"虾皮", latin=r"shopee"),
    Platform("Lazada", "Lazada", latin=r"lazada"),
    Platform("Bukalapak", "Bukalapak", latin=r"bukalapak"),
    Platform("Blibli", "Blibli", latin=r"blibli"),
    Platform("Amazon", "亚马逊", "ymx", r"亚马逊", r"amazon"),
    Platform("eBay", "eBay", latin=r"ebay"),
    Platform("AliExpress", "速卖通", cjk=r"速卖通", latin=r"aliexpress"),
    Platform("Temu", "Temu", latin=r"temu"),
    Platform("Shein", "Shein", latin=r"shein"),
    Platform("Etsy", "Etsy", latin=r"etsy"),
    Platform("Mercari", "Mercari", cjk=r"煤炉", latin=r"mercari"),
    Platform("Carousell", "Carousell", latin=r"carousell"),
    Platform("Depop", "Depop", latin=r"depop"),
    Platform("Poshmark", "Poshmark", latin=r"poshmark"),
    Platform("Vinted", "Vinted", latin=r"vinted"),
)


def masked_forms(platform: Platform) -> list[str]:
    """Regexes (compact view) for the platform's name with one character masked."""
    zh, initials = platform.zh, platform.initials
    if not initials or len(initials) != len(zh):
        return []
    tail = f"(?![{platform.not_then}])" if platform.not_then else ""
    forms = [f"某{re.escape(zh[1:])}{tail}"]
    for i, initial in enumerate(initials):
        for letter in sorted({"x", initial}):
            if i == 0:  # the letter starts no longer word ("max宝"); tested after it, see `lexicon`
                forms.append(f"{letter}(?<![a-z0-9]{letter}){re.escape(zh[1:])}{tail}")
            else:
                forms.append(f"{re.escape(zh[:i])}{letter}{re.escape(zh[i + 1 :])}{tail}")
    return forms


CJK = Lexicon((p, "|".join(filter(None, [p.cjk, *masked_forms(p)]))) for p in PLATFORMS)
LATIN = Lexicon(((p, p.latin) for p in PLATFORMS), latin=True)
