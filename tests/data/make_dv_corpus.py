"""Writes dv_corpus.jsonl: the labelled DY-DV tuning corpus (templates + random fills + hard cases).

Run `python tests/data/make_dv_corpus.py`; the seed is fixed, so the file only changes when this
script does. Each line: {"text", "label", "kind", "note"}. Labels come from how a text was built,
never from a detector. The held-out set (dv_heldout.jsonl) is written by hand and not generated.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20260301
OUT = Path(__file__).with_name("dv_corpus.jsonl")
rng = random.Random(SEED)

ZH_DIGITS = "零一二三四五六七八九"
FIN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
RADIO = {"0": "洞", "1": "幺", "7": "拐", "9": "勾"}
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
FULL = "０１２３４５６７８９"
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
                   "158", "159", "166", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "198", "199"]  # fmt: skip
AREA = [("010", 8), ("020", 8), ("021", 8), ("0755", 8), ("0571", 8), ("028", 8), ("0591", 8), ("0731", 8)]
EMOJI = ["❤", "💗", "🌸", "⭐", "✨", "💕", "🔥", "🎀", "👉", "☀️", "🍓"]
WORDS = ["lily", "coco", "meimei", "xiaoyu", "sunny", "tang", "miao", "amy", "jess", "kiki", "lucky", "star", "home", "shop",
         "mall", "beauty", "fashion", "bag", "tea", "cici", "yoyo", "nana", "doudou", "bobo", "vivi"]  # fmt: skip
SITE_WORDS = ["lux", "deal", "shop", "mall", "buy", "style", "glow", "trend", "best", "cheap", "go", "my", "zone", "hub", "mart"]
TLDS = ["com", "cn", "net", "shop", "top", "vip", "co", "id", "com.cn", "co.id", "com.my", "store", "xyz"]
GOODS = [
    "连衣裙",
    "运动鞋",
    "手机壳",
    "面膜",
    "蓝牙耳机",
    "保温杯",
    "床上四件套",
    "零食大礼包",
    "羽绒服",
    "口红",
    "T恤",
    "电饭煲",
]
GREET = ["亲，", "宝子，", "您好，", "亲爱的，", "", "", "在的亲，", "哈喽，"]
TAIL_ZH = ["", "，发你实拍图", "，给你优惠", "，拿货更便宜", "，有惊喜", "，私聊价格", "，看更多款式", "，售后更方便", "哦", "～"]


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def mobile() -> str:
    return rng.choice(MOBILE_PREFIXES) + digits(8)


def landline() -> str:
    code, n = rng.choice(AREA)
    return code + "-" + rng.choice("2345678") + digits(n - 1)


def handle() -> str:
    a, b = rng.sample(WORDS, 2)
    return rng.choice([f"{a}_{digits(3)}", f"{a}{digits(4)}", f"{a}_{b}{digits(2)}", f"{a}{b}{digits(3)}", f"{a}_{b}"])


def valid_international(draw) -> str:
    """A drawn number that phonenumbers calls valid: random digits after "+65 9" need not be
    an allocated range, and a positive that no real number could be would teach nothing."""
    import phonenumbers

    while True:
        number = draw()
        if phonenumbers.is_valid_number(phonenumbers.parse(number.replace("0086", "+86", 1), None)):
            return number


def luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        number = prefix + check
        total = sum((d - 9 if d > 9 else d) for d in ((int(c) * (2 if i % 2 else 1)) for i, c in enumerate(reversed(number))))
        if total % 10 == 0:
            return number
    raise AssertionError


def ean13(prefix12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(prefix12))
    return prefix12 + str((10 - total % 10) % 10)


# ---- how a phone number is disguised: (note, function) ----


def grouped(number: str, sep: str) -> str:
    return sep.join([number[:3], number[3:7], number[7:]])


DISGUISES = [
    ("plain", lambda n: n),
    ("3-4-4 spaces", lambda n: grouped(n, " ")),
    ("3-4-4 dashes", lambda n: grouped(n, "-")),
    ("spaced digits", lambda n: " ".join(n)),
    ("slashes", lambda n: "/".join(n) if rng.random() < 0.5 else grouped(n, "/")),
    ("dots", lambda n: ".".join(n)),
    ("full-width", lambda n: n.translate(str.maketrans("0123456789", FULL))),
    ("half/full mix", lambda n: "".join(FULL[int(c)] if i % 2 else c for i, c in enumerate(n))),
    ("chinese numerals", lambda n: "".join(ZH_DIGITS[int(c)] for c in n)),
    ("financial numerals", lambda n: "".join(FIN_DIGITS[int(c)] for c in n)),
    ("radio numerals", lambda n: "".join(RADIO.get(c, ZH_DIGITS[int(c)]) for c in n)),
    ("circled digits", lambda n: "".join(CIRCLED[int(c)] for c in n)),
    ("O for zero", lambda n: n.replace("0", rng.choice("Oo"))),
    ("l for one", lambda n: n.replace("1", rng.choice("lI"))),
    ("emoji between groups", lambda n: grouped(n, rng.choice(EMOJI))),
    ("keycap emoji", lambda n: "".join(c + "\ufe0f\u20e3" for c in n)),
    ("numerals mixed with digits", lambda n: "".join(ZH_DIGITS[int(c)] if i % 3 == 0 else c for i, c in enumerate(n))),
]

PHONE_TEMPLATES = [
    ("message", "{g}有需要可以联系我 {p}{t}"),
    ("message", "{g}电话：{p}"),
    ("message", "{g}手机号 {p} 随时打"),
    ("message", "{g}加我{p}{t}"),
    ("message", "直接打我电话{p}，别在这里聊"),
    ("listing", "{goods} 批发价 咨询热线 {p}"),
    ("listing", "【{goods}】厂家直销，订货电话{p}"),
    ("message", "{p} 这是我手机{t}"),
    ("message", "call me {p}"),
    ("message", "my number is {p}, text me"),
    ("review", "老板说有问题打 {p}，人挺好"),
]


def phones() -> list[dict]:
    out = []
    for note, disguise in DISGUISES:
        for _ in range(3):
            kind, template = rng.choice(PHONE_TEMPLATES)
            text = template.format(g=rng.choice(GREET), p=disguise(mobile()), t=rng.choice(TAIL_ZH), goods=rng.choice(GOODS))
            out.append(row(text, True, kind, f"phone: {note}"))
    for _ in range(6):
        out.append(
            row(
                rng.choice(["订货请致电 {p}", "门市电话 {p}", "座机 {p} 找王经理", "tel: {p}"]).format(p=landline()),
                True,
                "listing",
                "landline with area code",
            )
        )
    intl = ["+86 {m}", "+86-{m}", "0086 {m}", "+62 812-{a}-{b}", "+60 12-{c} {b}", "+65 9{c} {b}", "+852 9{c} {b}"]
    for _ in range(10):
        number = valid_international(
            lambda: rng.choice(intl).format(m=grouped(mobile(), " "), a=digits(4), b=digits(4), c=digits(3))
        )
        out.append(
            row(
                rng.choice(
                    ["WhatsApp {p}", "contact us: {p}", "hubungi {p} ya kak", "国际电话 {p}", "call {p} for wholesale"]
                ).format(p=number),
                True,
                "message",
                "international number",
            )
        )
    return out


WECHAT_KW = ["微信", "威信", "薇信", "徽信", "V信", "v信", "VX", "vx", "Vx", "wx", "WX", "微❤信", "威💗信", "薇❤️信", "V.X", "v x", "微 信",
             "绿泡泡", "wechat", "WeChat", "weixin", "V❤信", "v💕x", "微-信"]  # fmt: skip
SEPS = ["：", ":", " ", "号：", "号 ", " 搜 ", "号码是", "同号 ", ": ", "~", "号是"]
ACCOUNT_TEMPLATES = [
    ("message", "{g}加我{kw}{s}{id}{t}"),
    ("message", "{g}{kw}{s}{id}{t}"),
    ("message", "有需要的{kw}{s}{id}"),
    ("listing", "{goods} 更多款式请加{kw}{s}{id}"),
    ("message", "{t2}，{kw}{s}{id}"),
    ("review", "好评返现，加{kw}{s}{id}"),
    ("message", "平台聊天不方便，{kw}{s}{id}"),
]


def wechat() -> list[dict]:
    out = []
    for _ in range(60):
        kind, template = rng.choice(ACCOUNT_TEMPLATES)
        ident = handle() if rng.random() < 0.7 else mobile()
        text = template.format(g=rng.choice(GREET), kw=rng.choice(WECHAT_KW), s=rng.choice(SEPS), id=ident, t=rng.choice(TAIL_ZH),
                               t2=rng.choice(["在吗", "好的", "明白", "图片发不了"]), goods=rng.choice(GOODS))  # fmt: skip
        out.append(row(text, True, kind, "wechat keyword + id"))
    for text in [
        "加个{kw}聊吧",
        "方便加{kw}吗",
        "{kw}联系，这里不方便",
        "加我{kw}，发你链接",
        "加下{kw}，直接给你发货",
        "这里回复慢，{kw}详聊",
    ]:
        out.append(row(text.format(kw=rng.choice(WECHAT_KW[:12])), True, "message", "wechat steering without id"))
    return out


QQ_KW = ["QQ", "qq", "扣扣", "企鹅号", "🐧", "抠抠", "q q", "QQ号", "QQ群"]


def qq() -> list[dict]:
    out = []
    for _ in range(18):
        number = rng.choice("123456789") + digits(rng.randint(6, 9))
        shown = number if rng.random() < 0.6 else "".join(ZH_DIGITS[int(c)] for c in number)
        text = rng.choice(["加{kw}{s}{n}", "{kw}{s}{n} 发你图", "有事找我{kw}{s}{n}", "{kw}{s}{n}，进群领券"]).format(
            kw=rng.choice(QQ_KW), s=rng.choice(["：", " ", ":"]), n=shown
        )
        out.append(row(text, True, "message", "qq + number"))
    return out


APP_TEMPLATES = [
    "Add me on {app}: {h}", "{app} ID: {h}", "DM me on {app} @{h}", "find us on {app} @{h} for more colors", "my {app} is {h}",
    "{app}: @{h}", "contact me via {app} {h} for wholesale", "{app} me @{h}",
]  # fmt: skip
APPS = [
    "WhatsApp",
    "Line",
    "LINE",
    "Telegram",
    "IG",
    "Instagram",
    "FB",
    "Facebook",
    "DingTalk",
    "Skype",
    "Zalo",
    "telegram",
    "whatsapp",
]


def other_apps() -> list[dict]:
    out = [
        row(rng.choice(APP_TEMPLATES).format(app=rng.choice(APPS), h=handle()), True, "message", "other app handle")
        for _ in range(30)
    ]
    for text in ["钉钉号 {h} 批量采购联系", "脸书搜 {h} 看更多款", "电报：@{h}", "加我钉钉 {h}"]:
        out.append(row(text.format(h=handle()), True, "message", "other app in chinese"))
    return out


def site() -> str:
    return rng.choice(SITE_WORDS) + rng.choice(SITE_WORDS) + (digits(2) if rng.random() < 0.3 else "")


DOT_FORMS = [".", ".", "点", " dot ", "[.]", "(dot)", "。", " 点 "]


def links() -> list[dict]:
    out = []
    for _ in range(35):
        name, tld = site(), rng.choice(TLDS)
        dot = rng.choice(DOT_FORMS)
        domain = name + dot + tld.replace(".", dot)
        url = rng.choice(
            [domain, "www." + domain, f"https://{name}.{tld}/p/{digits(4)}", f"http://www.{name}.{tld}", f"{domain}/sale"]
        )
        text = rng.choice(["详情请访问 {u}", "官网 {u} 下单更优惠", "visit {u} for the full catalogue", "更多款式：{u}", "shop at {u}",
                           "链接 {u} 复制到浏览器打开", "{goods} 官网同款 {u}"]).format(u=url, goods=rng.choice(GOODS))  # fmt: skip
        out.append(
            row(text, True, rng.choice(["message", "listing"]), "link or domain" + (" spelled" if dot not in ".。" else ""))
        )
    for _ in range(20):
        local = handle().replace("_", rng.choice(["_", ".", ""]))
        host = rng.choice(["qq.com", "163.com", "gmail.com", "126.com", "outlook.com", "yahoo.co.id", site() + ".cn"])
        at, dot = rng.choice(
            [("@", "."), (" at ", " dot "), ("(at)", "(dot)"), ("艾特", "点"), ("#", "."), ("＠", "．"), (" @ ", ".")]
        )
        address = local + at + host.replace(".", dot)
        text = rng.choice(["邮箱：{e}", "报价发我邮箱 {e}", "email me: {e}", "send the photos to {e}", "简历投递 {e}"]).format(
            e=address
        )
        out.append(row(text, True, "message", "email"))
    return out


PLATFORM_STEER = [
    "这款在{p}店卖得更便宜，搜{shop}就行", "去{p}搜我们店，便宜二十块", "{p}上拍，私聊你价格", "走{p}吧，这边平台抽成高", "{p}搜索 店铺名：{shop}",
    "我们在{p}也有店，直接去那边拍", "{p}同名店铺，下单送赠品", "转{p}交易，价格好商量", "{p}搜“{shop}”，关注有券",
]  # fmt: skip
PLATFORM_STEER_EN = ["Find us on {p}, search {shop}", "buy cheaper on our {p} store", "order via {p}, it's cheaper", "visit our {p} shop: {shop}",
                     "kunjungi toko kami di {p} ya kak", "cek toko kami di {p}, lebih murah"]  # fmt: skip
ZH_PLATFORMS = ["淘宝", "拼多多", "闲鱼", "小红书", "某宝", "拼夕夕", "京东", "快手", "微店", "咸鱼", "得物"]
EN_PLATFORMS = ["Shopee", "Tokopedia", "Lazada", "Taobao", "Amazon", "eBay"]
SHOPS = ["小鹿家居", "穿搭小雅", "Rina Collection", "甜甜家", "木木杂货铺", "阿宝数码"]


def platforms() -> list[dict]:
    out = [
        row(
            rng.choice(PLATFORM_STEER).format(p=rng.choice(ZH_PLATFORMS), shop=rng.choice(SHOPS)),
            True,
            "message",
            "platform steering",
        )
        for _ in range(22)
    ]
    out += [
        row(
            rng.choice(PLATFORM_STEER_EN).format(p=rng.choice(EN_PLATFORMS), shop=rng.choice(SHOPS)),
            True,
            "message",
            "platform steering en",
        )
        for _ in range(10)
    ]
    for _ in range(8):
        code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789") for _ in range(rng.randint(9, 11)))
        code = code[:3] + rng.choice("23456789") + code[4:]
        mark = rng.choice(["￥", "€", "$", "₤", "¢", "/"])
        text = rng.choice(
            [
                "{m}{c}{m} 复制这条信息，打开手机淘宝",
                "8👈 {m}{c}{m} 打开👉淘宝👈",
                "【{goods}】{m}{c}{m} 复制去拼多多打开",
                "{m}{c}{m}",
            ]
        )
        out.append(row(text.format(m=mark, c=code, goods=rng.choice(GOODS)), True, "message", "share code"))
    return out


PAY_ZH = ["不走平台，直接转账给我便宜{n}", "私下交易更划算，支付宝转账就行", "你转我微信红包就行，省手续费", "扫码付款更便宜，收款码发你", "线下交易，先打款后发货",
          "打到我支付宝，马上发货", "绕过平台直接交易，价格再让{n}", "私下付款可以少{n}块", "转给我的银行卡，今天就发"]  # fmt: skip
PAY_EN = ["Pay via PayPal and I'll ship today", "Zelle me the money and I'll send it outside the app", "Transfer to my bank account directly, no platform fee",
          "pay me directly and save the fee", "we can deal off-platform, cheaper", "transfer ke rekening saya ya"]  # fmt: skip
BANKS = ["工行", "建行", "农行", "招行", "中国银行", "邮储"]


def payment() -> list[dict]:
    out = [
        row(rng.choice(PAY_ZH).format(n=rng.choice([10, 20, 50, 100])), True, "message", "off-platform payment")
        for _ in range(14)
    ]
    out += [row(rng.choice(PAY_EN), True, "message", "off-platform payment en") for _ in range(6)]
    for _ in range(10):
        card = luhn_complete(
            rng.choice(["622202", "621226", "622848", "623668", "436742", "622588"]) + digits(rng.choice([9, 12]))
        )
        shown = card if rng.random() < 0.5 else " ".join(card[i : i + 4] for i in range(0, len(card), 4))
        text = rng.choice(
            ["{b}卡号 {c} 户名张三", "付款直接打到我卡上：{c}", "银行卡号 {c} 转这里", "bank account {c}, transfer there"]
        ).format(b=rng.choice(BANKS), c=shown)
        out.append(row(text, True, "message", "bank card"))
    return out


def asks_and_places() -> list[dict]:
    out = [row(t, True, "message", "asks for contact") for t in rng.sample(
        ["方便留个手机号吗？", "给我留个电话，我打给你", "把你的微信发我，我拉你进群", "你的电话多少，我让师傅联系你", "留下您的联系方式，我们私下沟通",
         "send me your whatsapp and I'll share the catalogue", "what's your phone number? I'll call you", "联系方式见主页简介", "给个微信吧，方便发图",
         "leave me your email, I'll send the price list"], 10)]  # fmt: skip
    cities = [
        "广州市白云区三元里大道{n}号",
        "杭州市四季青服装市场{n}号档口",
        "深圳市福田区华强北路{n}号",
        "义乌市国际商贸城{n}街",
    ]
    for _ in range(6):
        addr = rng.choice(cities).format(n=rng.randint(1, 300))
        text = rng.choice(
            ["实体店地址：{a}，欢迎到店看货", "我们店在{a}，欢迎自提", "档口：{a} 欢迎来玩", "门店地址 {a}"]
        ).format(a=addr)
        out.append(row(text, True, "listing", "physical shop address"))
    out += [
        row(t.format(n=rng.choice(["好物研究所", "美妆研究社", "穿搭日记"])), True, "listing", "official account")
        for t in ["公众号搜 {n} 领券", "关注公众号：{n}", "视频号：{n}，每晚直播"]
    ]
    return out


# ---- look-alike negatives ----


def negatives() -> list[dict]:
    out = []
    for _ in range(14):
        out.append(
            row(
                rng.choice(
                    [
                        "订单号 {o} 已发货",
                        "您的订单编号：{o}，请核对",
                        "order #{o} has shipped",
                        "退款单号 {o}",
                        "售后工单 {o} 已处理",
                    ]
                ).format(o=rng.choice("123456789") + digits(rng.choice([15, 17, 18]))),
                False,
                "message",
                "order number",
            )
        )
    for _ in range(10):
        out.append(
            row(
                rng.choice(["快递单号：{t} 顺丰", "运单号 {t}", "tracking number {t}", "物流单号{t}已揽收", "中通 {t}"]).format(
                    t=rng.choice(["SF", "YT", "JD", "ZTO", ""]) + digits(rng.choice([12, 13, 15]))
                ),
                False,
                "message",
                "tracking number",
            )
        )
    for _ in range(10):
        out.append(
            row(
                rng.choice(["型号：{m} 适配华为", "Model: {m} compatible", "{m} 原装配件", "货号 {m}"]).format(
                    m=rng.choice(["XJ-", "SM-G", "BCD-", "RTX", "MX", "A", "KF-"])
                    + digits(rng.randint(3, 5))
                    + rng.choice(["", "TMPM", "Pro", "W"])
                ),
                False,
                "listing",
                "model number",
            )
        )
    for _ in range(6):
        out.append(
            row(
                rng.choice(["货号：{n}", "商品编码 {n}", "SKU {n}", "款号 {n}"]).format(n=mobile()),
                False,
                "listing",
                "item number shaped like a mobile",
            )
        )
    sizes = ["尺码 S/M/L/XL，身高 160-175 可穿", "鞋码 35 36 37 38 39 40", "EU 38/39/40/41/42/43/44", "170/88A 175/92A 180/96A", "Size 8/10/12/14/16 available",
             "胸围 88cm 腰围 68cm 衣长 102cm", "28寸 30寸 32寸 34寸 36寸", "身高 175cm 体重 130 斤穿 XL"]  # fmt: skip
    out += [row(s, False, "listing", "sizes") for s in sizes]
    for _ in range(8):
        out.append(
            row(
                rng.choice(
                    [
                        "价格 ¥{p}，满 199 减 20",
                        "到手价 {p} 元",
                        "Price: ${p}, buy 2 get 1 free",
                        "原价{q} 现价{p}",
                        "{p}元包邮 3件{q}",
                    ]
                ).format(p=f"{rng.randint(9, 2999)}.{rng.choice(['00', '9', '99'])}", q=rng.randint(100, 9999)),
                False,
                "listing",
                "price",
            )
        )
    caps = [
        "充电宝 13800mAh 大容量",
        "20000mAh 双向快充",
        "手机 12GB+256GB",
        "电饭煲 4L 800W",
        "电压 220V 功率 1800W",
        "Battery 20000mAh, output 5V/2A",
        "13800毫安 超薄",
    ]
    out += [row(c, False, "listing", "capacity") for c in caps]
    for _ in range(8):
        y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
        out.append(row(rng.choice(["生产日期 {y}-{m:02d}-{d:02d} 保质期 12 个月", "{y}年{m}月{d}日发货", "{y}/{m:02d}/{d:02d} 14:30 签收", "有效期至 {y}.{m:02d}.{d:02d}",
                                   "活动时间 {y}-{m:02d}-{d:02d} 00:00 至 {y}-{m:02d}-{d:02d} 23:59"]).format(y=y, m=m, d=d), False, "listing", "date"))  # fmt: skip
    for _ in range(6):
        out.append(
            row(
                rng.choice(["条形码 {e}", "商品条码：{e}", "EAN {e}", "barcode {e}"]).format(e=ean13("69" + digits(10))),
                False,
                "listing",
                "EAN-13",
            )
        )
    licences = ["执行标准：GB/T 1234-2008", "GB 18401-2010 B类", "食品生产许可证编号 SC10644011500123", "国械注准20203090123", "卫妆准字29-XK-3026号", "Q/JYX 0001S-2020",
                "ISBN 978-7-111-54742-6", "统一社会信用代码 91110108551385082Q", "3C认证 2020011606312345"]  # fmt: skip
    out += [row(s, False, "listing", "licence or standard number") for s in licences]
    looks = ["V领雪纺衫 夏季新款", "v领毛衣 男款", "V-neck tee, cotton", "V字领连衣裙", "微笑服务,信誉第一", "微笑服务 信誉至上", "微利经营，信守承诺", "稍微，信息已更新", "微微一笑，信心满满",
             "QQ糖 软糖 500g", "企鹅玩偶 毛绒公仔 30cm", "双排扣扣子开衫", "卫星导航 GPS 定位器", "产地：云南省昭通市威信县", "儿童电话手表 4G", "钉钉打卡 考勤机", "ins风 北欧 装饰画",
             "LINE FRIENDS 布朗熊 公仔", "A-line skirt, midi length", "online exclusive colour", "Instagram-worthy packaging", "VX-200 对讲机", "wx 系列 WX-3 水龙头",
             "绿色环保 泡泡袖 上衣", "薇薇的店，欢迎选购", "威力十足 信号稳定"]  # fmt: skip
    out += [row(s, False, "listing", "look-alike words") for s in looks]
    mentions = ["比拼多多上便宜多了，好评", "在小红书上看到推荐来买的，果然不错", "淘宝同款，质量很好", "全网最低价，比淘宝还便宜", "小红书爆款 氛围感 小夜灯", "拼多多买过类似的，这家好多了",
                "支持微信支付和支付宝付款吗？", "这个颜色在微信朋友圈很火", "WeChat Pay is not supported here, please pay in the app", "支付宝花呗分期免息", "I also bought one on Amazon, this is better",
                "闲鱼上看到有人卖二手的", "京东物流 次日达", "抖音商城官方旗舰店"]  # fmt: skip
    out += [row(s, False, "review", "platform or app mentioned, no steering") for s in mentions]
    onplat = ["有问题请联系在线客服", "亲，私信客服可以改地址", "关注店铺领取 5 元优惠券", "喜欢的话加入购物车哦", "点击下方链接购买", "Contact customer service through the chat button",
              "Follow our shop to get updates", "本店不接受私下交易，请在平台内下单", "请在抖音内完成支付，切勿私下转账", "请勿添加陌生人微信，谨防诈骗", "Never pay outside the app",
              "平台会隐藏您的手机号", "客服电话请拨打平台热线", "收到货了，快递小哥打电话很客气"]  # fmt: skip
    out += [row(s, False, "message", "on-platform or warning") for s in onplat]
    misc = ["IMEI: 356938035643809", "保修卡号 6123 4567 8901 2344 请妥善保管", "工作时间 9:00-18:00 周一至周五", "Room 1203, Building 5, Sunshine Garden", "Lot No. 20240315-01-0088",
            "合同编号 HT-2024-0012876", "iPhone 13 128G 国行 电池 89%", "小米 Redmi Note 13 Pro+ 5G", "第一二三四批货已经到齐", "一五一十地告诉你", "1.5kg 2.0kg 3.5kg 规格可选",
            "预计 12-15 号发货", "套餐A：128G，套餐B：256G", "颜色 1/3/5/7/9 号", "dot com era retro t-shirt", "Cotton 95% Spandex 5%", "发货地：广东省广州市白云区",
            "优惠券码 SAVE2024 下单立减", "1号链接 2号链接 3号链接", "今晚8点top主播带货", "12点live开始抢购", "2 packs of 12, total 24 pcs"]  # fmt: skip
    out += [row(s, False, rng.choice(["listing", "message"]), "numbers and codes") for s in misc]
    return out


CHAT_NEG = [
    "亲，{goods}今天下午{h}点前下单当天发货", "您好，{goods}有{c}个颜色，{s}码偏大半码", "已经帮您备注了，预计{d}号送达", "满{p}元减{q}元，可以叠加店铺券",
    "这款{goods}库存还剩{c}件，喜欢的抓紧哦", "亲，退货地址在订单详情里，寄回后填写单号即可", "{goods}的保修期是{c}年，凭订单即可售后", "买{c}件打{q}折，活动到{d}号结束",
    "好的亲，已改成{s}码，明天{h}点发出", "Your {goods_en} ships within {c} days, thank you!", "We have {c} colours in size {s}, all in stock",
    "Buy {c} get 1 free until the {d}th", "这个{goods}是{y}年新款，{c}色可选", "宝贝重量{w}kg，运费{q}元", "收到了，{goods}质量很好，{c}天就到了",
    "客服回复很快，{goods}和图片一样，给{c}星", "第{c}次回购了，{goods}一如既往的好", "{goods}尺寸{a}x{b}cm，适合{c}人使用",
]  # fmt: skip
LISTING_BODY = [
    "【{goods}】{y}新款，面料舒适透气，{c}色可选。", "尺码：S/M/L/XL，建议身高{a}-{b}cm。", "规格{w}kg，保质期{c}个月，生产日期见包装。",
    "下单备注颜色，{h}点前付款当天发货。", "品牌授权，正品保障，支持7天无理由退换。", "包装清单：主机×1 说明书×1 数据线×1。",
    "温馨提示：因拍摄光线不同，实物颜色可能略有差异。", "有任何问题请联系在线客服，我们会在{c}小时内回复。", "店铺会员享{q}折优惠，关注店铺领券。",
]  # fmt: skip
GOODS_EN = ["dress", "sneakers", "phone case", "face mask", "earbuds", "tumbler", "bedding set", "jacket"]


def fills() -> dict:
    return dict(goods=rng.choice(GOODS), goods_en=rng.choice(GOODS_EN), h=rng.randint(1, 23), c=rng.randint(2, 30), s=rng.choice(["S", "M", "L", "XL", "38", "40"]),
                d=rng.randint(1, 28), p=rng.choice([99, 199, 299, 399]), q=rng.randint(5, 50), y=rng.randint(2020, 2026), w=round(rng.uniform(0.2, 9.9), 1),
                a=rng.randint(150, 165), b=rng.randint(166, 185))  # fmt: skip


def ordinary() -> list[dict]:
    out = [
        row(rng.choice(CHAT_NEG).format(**fills()), False, rng.choice(["message", "review"]), "ordinary chat with numbers")
        for _ in range(45)
    ]
    for _ in range(25):
        body = "".join(rng.sample(LISTING_BODY, 5)).format(**fills())
        out.append(row(body, False, "listing", "ordinary listing"))
    return out


def embedded() -> list[dict]:
    """Contacts inside a full-length listing: the detector reads the whole description."""
    contacts = [lambda: f"批发请加微信{handle()}", lambda: f"咨询电话 {grouped(mobile(), '-')}", lambda: f"官网 {site()}.com 有更多款",
                lambda: "".join(ZH_DIGITS[int(c)] for c in mobile()) + " 微同号", lambda: f"淘宝搜 {rng.choice(SHOPS)} 更便宜", lambda: f"vx：{handle()}",
                lambda: f"QQ {rng.choice('123456789')}{digits(8)}", lambda: "私下交易可以便宜，支付宝转账"]  # fmt: skip
    out = []
    for _ in range(20):
        parts = rng.sample(LISTING_BODY, 4)
        parts.insert(rng.randint(0, 4), rng.choice(contacts)() + "。")
        out.append(row("".join(parts).format(**fills()), True, "listing", "contact inside a long listing"))
    return out


# ---- hand-written hard cases, both ways ----

HARD = [
    ("有事打我电话 15１-2２3３-4４5５", True, "mixed width and dashes"),
    ("幺八六 洞洞 幺二 三四 五六 联系", True, "radio numerals in groups"),
    ("手机 136 *** 不方便，发你 136-0000-8888", True, "second number after noise"),
    ("V信号：qianqian1314", True, "V信号"),
    ("主页有我v，加了发你优惠券", True, "my v on profile"),
    ("加 Q 3 2 1 6 5 4 9 8 7", True, "Q + spaced digits"),
    ("whats app 0812 3456 7890 ya kak", True, "indonesian whatsapp"),
    ("微信公众号：美妆研究社", True, "official account name"),
    ("wxid_k8s92ldx 加我", True, "bare wxid"),
    ("【淘宝】https://m.tb.cn/h.5ZKxYz 点击链接直接打开", True, "taobao share link"),
    ("售后问题直接打 13912345678 不用走平台", True, "bypass"),
    ("wa.me/6281234567890", True, "wa.me"),
    ("ping me on telegram: t.me/dealsgroup", True, "t.me"),
    ("货号：13579246801", False, "item number shaped like a mobile"),
    ("商品编号 10023456789", False, "invalid number"),
    ("鞋码 39 40 41 42 43 44", False, "spaced sizes"),
    ("统一社会信用代码 91110108551385082Q", False, "credit code"),
    ("LINE 2 of the address is optional", False, "line word"),
    ("Telegram-style sticker pack, 50 pcs", False, "telegram adjective"),
    ("微博热搜同款发夹", False, "weibo mention"),
    ("电话卡 流量卡 官方正品", False, "phone card product"),
    ("商品编码 6927530012348 请核对", False, "EAN-13"),
    ("客服 wx 不在线，请在平台留言", False, "wx without id"),
]


def row(text: str, label: bool, kind: str, note: str) -> dict:
    return {"text": text, "label": label, "kind": kind, "note": note}


def build() -> list[dict]:
    rows = phones() + wechat() + qq() + other_apps() + links() + platforms() + payment() + asks_and_places() + embedded()
    rows += negatives() + ordinary()
    rows += [row(t, label, "message", note) for t, label, note in HARD]
    seen, unique = set(), []
    for r in rows:
        if r["text"] not in seen:
            seen.add(r["text"])
            unique.append(r)
    return unique


if __name__ == "__main__":
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows ({sum(r['label'] for r in rows)} positive) → {OUT.name}")
