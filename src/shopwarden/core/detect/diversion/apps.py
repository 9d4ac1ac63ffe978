"""The messenger and social apps sellers move buyers to, how their names get written, and where
a text names one.

Every pattern opens with a literal character, which keeps the regex engine's first-character
scan over the whole lexicon (see `lexicon`). `cjk` patterns match the compact view (noise between characters already gone: "微❤信");
`latin` patterns match whole words of the digit view; `lone` patterns are one-character
shorthands ("加微", "薇❤：") matched on the folded view, and only where no Chinese character
follows, so that 微笑, 微波炉 and 薇娅 are words, not the app. A weak keyword is also an
ordinary word ("line", "signal", "v", 企鹅, "ins", b站), so an account after it counts only
when marked or asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from shopwarden.core.detect.diversion.lexicon import Lexicon
from shopwarden.core.text import NormalizedText


@dataclass(frozen=True)
class App:
    en: str
    zh: str
    cjk: str = ""  # regex on the compact view
    latin: str = ""  # regex on the digit view, matched as whole words
    weak: bool = False
    names: bool = False  # the account may be a Chinese name (official accounts, pages, channels)
    lone: str = ""  # a one-character shorthand, on the folded view


APPS = (
    App(
        "WeChat",
        "微信",
        cjk="|".join(f"{c}信" for c in "微威薇徽维伟唯溦嶶危") + r"|v信|v芯|微x|绿泡泡|绿色泡泡|绿色软件|绿色app",
        latin=r"we\s?chat|wei\s?xin|v[\s.\-_*]?x|w[\s.\-_*]?x|wxid|\+\s?v",
    ),
    App("WeChat", "微信", cjk=r"卫星", weak=True),
    # not the garment's "V领", "V字", "V型" (V-neck, V-shape), but "加V领取", "V领券" (add the WeChat to claim)
    App("WeChat", "微信", latin=r"v(?=[\s:：]|$)|v(?=[^a-z0-9\s])(?!领(?![取券红福优奖]))(?![字型形])", weak=True),
    App("WeChat", "微信", lone=r"[微薇]", weak=True),
    App("QQ", "QQ", cjk=r"扣扣|抠抠|扣号|q号", latin=r"qq|q\s?q"),
    App("QQ", "QQ", cjk=r"企鹅|球球", latin=r"q", weak=True),
    App("WhatsApp", "WhatsApp", latin=r"whats\s?app|watsap|wasap|whatsap|wsap"),
    App("WhatsApp", "WhatsApp", latin=r"wa", weak=True),
    App("LINE", "LINE", latin=r"line", weak=True),
    App("Telegram", "Telegram", cjk=r"电报|纸飞机", latin=r"telegram|tele|tg", weak=True),
    App("Instagram", "Instagram", latin=r"instagram|insta|ig|ins", weak=True),
    App("Facebook", "Facebook", cjk=r"脸书|脸谱", latin=r"facebook|fb|messenger", weak=True, names=True),
    App("DingTalk", "钉钉", cjk=r"钉钉", latin=r"dingtalk|ding\s?ding", weak=True),
    App("Lark", "飞书", cjk=r"飞书", latin=r"feishu|lark", weak=True),
    App("Skype", "Skype", latin=r"skype"),
    App("KakaoTalk", "KakaoTalk", latin=r"kakao(?:\s?talk)?"),
    App("Zalo", "Zalo", latin=r"zalo"),
    App("Viber", "Viber", latin=r"viber"),
    App("Snapchat", "Snapchat", latin=r"snap\s?chat"),
    App("Discord", "Discord", latin=r"discord"),
    App("Signal", "Signal", latin=r"signal", weak=True),
    App("iMessage", "iMessage", latin=r"imessage|facetime"),
    App("X (Twitter)", "推特", cjk=r"推特", latin=r"twitter", weak=True, names=True),
    App("Momo", "陌陌", cjk=r"陌陌|探探"),
    App("Weibo", "微博", cjk=r"微博", latin=r"weibo", weak=True, names=True),
    App("Bilibili", "哔哩哔哩", cjk=r"b站|哔哩哔哩|bilibili|小破站", latin=r"bilibili", weak=True, names=True),
    App("Zhihu", "知乎", cjk=r"知乎", latin=r"zhihu", weak=True, names=True),
    App("Douban", "豆瓣", cjk=r"豆瓣", latin=r"douban", weak=True, names=True),
    App("Xiaohongshu", "小红书", cjk=r"小红书号|红书号|小红薯号", latin=r"xhs\s?id"),
    App("Kuaishou", "快手", cjk=r"快手号"),
    App("official account", "公众号", cjk=r"公众号|服务号|订阅号|视频号|小程序", weak=True, names=True),
)

# Keywords that are also English words used as labels ("Line: black", "Signal: strong"): a colon
# after them introduces a value, not an account.
LABEL_WORDS = frozenset({"line", "signal", "messenger", "tele", "lark"})

_CJK = Lexicon((app, app.cjk) for app in APPS)
_LATIN = Lexicon(((app, app.latin) for app in APPS), latin=True)
# A shorthand stands alone: nothing Chinese follows it but a sentence particle ("加个微呗").
_ALONE = r"(?=[呗吧呀啊哈嘛哦]?(?:[^\u3400-\u9fff]|$))"
_LONE = Lexicon((app, f"(?:{app.lone}){_ALONE}" if app.lone else "") for app in APPS)


@lru_cache(maxsize=16)
def app_mentions(norm: NormalizedText) -> tuple[tuple[App, int, int], ...]:
    """(app, original start, original end) of every app keyword in `norm`, longest first where
    several start together; computed once per text for every signal that reads apps."""
    found = []
    for lexicon, view in ((_CJK, norm.compact), (_LATIN, norm.digits), (_LONE, norm.folded)):
        for app, start, end in lexicon.finditer(view.text):
            found.append((app, *view.source_span(start, end)))
    return tuple(sorted(found, key=lambda k: (k[1], -k[2])))
