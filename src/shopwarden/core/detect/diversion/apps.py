"""The messenger and social apps sellers move buyers to, and how their names get written.

`cjk` patterns match the compact view (noise between characters already gone: "微❤信");
`latin` patterns match whole words of the digit view. A weak keyword is also an ordinary word
("line", "v", 企鹅, "ins"), so an account after it counts only when marked or asked for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class App:
    en: str
    zh: str
    cjk: str = ""  # regex on the compact view
    latin: str = ""  # regex on the digit view, matched as whole words
    weak: bool = False
    names: bool = False  # the account may be a Chinese name (official accounts, pages)


APPS = (
    App(
        "WeChat",
        "微信",
        cjk=r"[微威薇徽维伟唯溦嶶危]信|v信|v芯|微x|绿泡泡|绿色泡泡|绿色软件|绿色app",
        latin=r"we\s?chat|wei\s?xin|v[\s.\-_*]?x|w[\s.\-_*]?x|wxid|\+\s?v",
    ),
    App("WeChat", "微信", cjk=r"卫星", weak=True),
    App("WeChat", "微信", latin=r"v(?=[\s:：]|$)|v(?=[^a-z0-9\s])", weak=True),
    App("QQ", "QQ", cjk=r"扣扣|抠抠|扣号|q号", latin=r"qq|q\s?q"),
    App("QQ", "QQ", cjk=r"企鹅|球球", latin=r"q", weak=True),
    App("WhatsApp", "WhatsApp", latin=r"whats\s?app|watsap|wasap"),
    App("WhatsApp", "WhatsApp", latin=r"wa", weak=True),
    App("LINE", "LINE", latin=r"line", weak=True),
    App("Telegram", "Telegram", cjk=r"电报|纸飞机", latin=r"telegram|tg", weak=True),
    App("Instagram", "Instagram", latin=r"instagram|insta|ig|ins", weak=True),
    App("Facebook", "Facebook", cjk=r"脸书|脸谱", latin=r"facebook|fb", weak=True, names=True),
    App("DingTalk", "钉钉", cjk=r"钉钉", latin=r"dingtalk|ding\s?ding", weak=True),
    App("Skype", "Skype", latin=r"skype"),
    App("KakaoTalk", "KakaoTalk", latin=r"kakao(?:talk)?"),
    App("Zalo", "Zalo", latin=r"zalo"),
    App("Viber", "Viber", latin=r"viber"),
    App("Weibo", "微博", cjk=r"微博", latin=r"weibo", weak=True, names=True),
    App("Xiaohongshu", "小红书", cjk=r"小红书号|红书号|小红薯号", latin=r"xhs\s?id"),
    App("Kuaishou", "快手", cjk=r"快手号"),
    App("official account", "公众号", cjk=r"公众号|服务号|订阅号|视频号|小程序", weak=True, names=True),
)
