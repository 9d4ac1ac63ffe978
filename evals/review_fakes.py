"""Generators for the review evaluation (`review_eval`): product titles, short generic reviews, and
each malicious kind's forms and look-alikes, in Chinese and English, with disguises.

Every generator draws its wording from the bank of its split: "dev" (the signals were tuned on
it), "check", "check2", "check3" and "heldout" (held-out banks in turn: each run once, its misses
led to fixes, so they are tuned on too) and "final" (written before RV-K-2's second reading and
never tuned on), so the reported figures say how the signals do on phrasings nobody fitted them to. The banks were written from how such reviews and
chats are worded on Chinese and English marketplaces, not from the signals' lexicons.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

Split = str  # "dev" | "check" | "check2" | "check3" | "heldout" | "final" | "blind" | "blind2"


def pick(rng: random.Random, bank: dict[Split, Sequence[str]], split: Split) -> str:
    return rng.choice(bank[split])


def fill(rng: random.Random, template: str, split: Split, banks: dict[str, dict[Split, Sequence[str]]]) -> str:
    """`template` with each {slot} drawn from its bank; {n} is a small amount of money."""
    out = template
    while "{" in out:
        start = out.index("{")
        name = out[start + 1 : out.index("}", start)]
        value = str(rng.choice((5, 8, 10, 20, 30, 50, 66, 88, 100))) if name == "n" else pick(rng, banks[name], split)
        out = out[:start] + value + out[out.index("}", start) + 1 :]
    return out


# ---- disguises a writer uses to get past a keyword filter ----

_NOISE = ("", " ", "  ", "·", "❤", "💰", "~", "-", "*", "_")
_TRADITIONAL = str.maketrans("删评现钱赔偿礼价买卖给这发红块书电脑键盘质说还让", "刪評現錢賠償禮價買賣給這發紅塊書電腦鍵盤質說還讓")


def disguise(rng: random.Random, text: str) -> str:
    """One of: noise between characters of a few words, traditional characters, full-width Latin."""
    way = rng.randrange(3)
    if way == 0:
        chars = list(text)
        for _ in range(max(1, len(chars) // 8)):
            i = rng.randrange(1, len(chars))
            if chars[i - 1].strip() and chars[i].strip():
                chars[i] = rng.choice(_NOISE[1:]) + chars[i]
        return "".join(chars)
    if way == 1:
        return text.translate(_TRADITIONAL)
    return "".join(chr(ord(c) + 0xFEE0) if c in string.ascii_letters + string.digits and rng.random() < 0.5 else c for c in text)


# ---- product titles ----

TITLE_SLOTS: dict[str, dict[str, dict[Split, Sequence[str]]]] = {
    "hotel": {
        "city": {"dev": ("三亚", "杭州西湖", "成都春熙路", "厦门鼓浪屿", "青岛", "丽江古城"),
                 "check": ("桂林阳朔", "上海外滩", "北京王府井", "大理洱海", "西安钟楼", "苏州平江路"),
                 "check2": ("南京夫子庙", "重庆解放碑", "三亚湾", "拉萨", "哈尔滨中央大街", "黄山")},
        "brand": {"dev": ("如家", "汉庭", "希尔顿花园", "全季", "亚朵"), "check": ("锦江之星", "维也纳", "万豪", "桔子水晶", "喜来登"),
                  "check2": ("7天", "城市便捷", "洲际", "开元", "美居")},
        "room": {"dev": ("豪华大床房", "标准双床房", "海景房", "亲子家庭房"), "check": ("商务单人间", "行政套房", "园景双床房", "江景大床房"),
                 "check2": ("豪华双床房", "家庭套房", "湖景大床房", "标准单人间")},
        "extra": {"dev": ("含双早", "1晚", "可取消", "周末不加价"), "check": ("含早餐", "2晚连住", "免费停车", "延迟退房"),
                  "check2": ("含双早 1晚", "不含早", "连住优惠", "免费取消")},
    },
    "book": {
        "name": {"dev": ("《活着》", "《平凡的世界》", "《三体》全集", "《明朝那些事儿》", "《小王子》"),
                 "check": ("《围城》", "《百年孤独》", "《人类简史》", "《白夜行》", "《红楼梦》"),
                 "check2": ("《追风筝的人》", "《解忧杂货店》", "《时间简史》", "《骆驼祥子》", "《穆斯林的葬礼》")},
        "kind": {"dev": ("正版图书", "精装典藏版", "儿童绘本", "畅销小说"), "check": ("平装书籍", "插图注释版", "青少年读物", "文学名著"),
                 "check2": ("经典文学", "科普读物", "中小学生课外书", "典藏版")},
        "extra": {"dev": ("作家出版社", "全套", "包邮"), "check": ("人民文学出版社", "套装", "赠书签"), "check2": ("译林出版社", "附赠笔记本", "正版保证")},
    },
    "laptop": {
        "brand": {"dev": ("联想ThinkPad E14", "华硕灵耀14", "戴尔灵越15", "惠普战66"), "check": ("宏碁蜂鸟", "小米Redmi Book", "神舟战神", "索尼VAIO"),
                  "check2": ("联想小新Pro14", "华为MateBook D14", "荣耀MagicBook", "机械革命")},
        "kind": {"dev": ("14英寸笔记本电脑", "轻薄本", "商务办公本"), "check": ("15.6英寸游戏本", "学生上网本", "超极本"),
                 "check2": ("14英寸轻薄笔记本", "高性能游戏本", "办公本")},
        "spec": {"dev": ("i5 16G 512G", "R7 16G 1T", "i7 8G 256G"), "check": ("i3 8G 512G SSD", "R5 32G 1T", "酷睿i5 4G 500G"),
                 "check2": ("i5-1240P 16G 512G", "R5 7530U 16G 1T", "i7 32G 1T SSD")},
    },
}
TITLE_TEMPLATES = {
    "hotel": ("{city}{brand}酒店 {room} {extra}", "{brand}酒店（{city}店）{room}"),
    "book": ("{name} {kind} {extra}", "{name}{kind}"),
    "laptop": ("{brand} {kind} {spec}", "{brand}{kind} {spec}"),
}
EN_TITLES = {
    "hotel": {"dev": ("Hilton Garden Inn Deluxe King Room, breakfast included", "Seaview Resort Family Suite, 1 night"),
              "check": ("Marriott Executive Twin Room with city view", "Boutique Inn Standard Queen Room, free parking"),
              "check2": ("InterContinental Classic King Room, city view", "Holiday Inn Express Twin Room with breakfast")},
    "book": {"dev": ("The Three-Body Problem, paperback", "Harry Potter box set, 7 books"),
             "check": ("One Hundred Years of Solitude, hardcover", "Sapiens: A Brief History of Humankind"),
             "check2": ("The Kite Runner, paperback", "A Brief History of Time, hardcover")},
    "laptop": {"dev": ("Lenovo ThinkPad 14-inch laptop, Core i5, 16GB RAM", "ASUS ZenBook 14 ultrabook, 512GB SSD"),
               "check": ("Dell Inspiron 15 laptop, Ryzen 7, 1TB", "HP Pavilion notebook computer, 8GB RAM"),
               "check2": ("Huawei MateBook D14 laptop, 16GB, 512GB SSD", "Lenovo Legion gaming laptop, RTX graphics, 1TB")},
}


def product_title(rng: random.Random, category: str, split: Split, english: bool) -> str:
    if english:
        return rng.choice(EN_TITLES[category][split])
    return fill(rng, rng.choice(TITLE_TEMPLATES[category]), split, TITLE_SLOTS[category])


# ---- short generic reviews: genuine, say nothing specific, repeat across buyers ----

GENERIC = {
    ("pos", "zh"): {"dev": ("很好", "不错", "质量很好", "物流很快", "满意", "好评", "挺好的", "下次还来", "推荐购买", "包装完好"),
                    "check": ("非常好", "还行", "东西收到了", "发货速度快", "很满意", "五星", "值得购买", "性价比高", "服务周到", "会回购"),
                    "check2": ("挺不错", "收到了很满意", "好用", "速度快", "包装严实", "客服热情", "很喜欢", "物美价廉", "还会再来", "给五星")},
    ("pos", "en"): {"dev": ("good", "nice", "great, fast delivery", "love it", "works as described"),
                    "check": ("excellent", "very good", "arrived quickly, thanks", "happy with it", "recommended"),
                    "check2": ("great", "good quality", "fast shipping", "as described", "would buy again")},
    ("neg", "zh"): {"dev": ("一般", "不太满意", "太慢了", "失望", "不推荐"), "check": ("很差", "不值", "差劲", "后悔了", "凑合吧"),
                    "check2": ("不怎么样", "太差了", "不满意", "一般般吧", "不值这个价")},
    ("neg", "en"): {"dev": ("bad", "not good", "disappointed"), "check": ("poor", "meh", "waste of money"), "check2": ("not great", "bad quality", "not worth it")},
}


def generic_review(rng: random.Random, polarity: str, split: Split) -> str:
    lang = "en" if rng.random() < 0.3 else "zh"
    bank = list(GENERIC[(polarity, lang)][split])
    parts = rng.sample(bank, min(len(bank), rng.choice((1, 1, 2, 3))))
    return rng.choice((", ", " ", "! ") if lang == "en" else ("，", " ", "！")).join(parts)


# ---- RV-K-2 coercion ----

CO_BANKS: dict[str, dict[Split, Sequence[str]]] = {
    "demand": {"dev": ("返现{n}元", "返{n}块", "发个红包", "补偿{n}元", "送个小礼物", "送点小样", "退一半的钱", "免单"),
               "check": ("赔偿{n}块", "给{n}块现金", "退款{n}元", "多送两个赠品", "送几个试用装", "给张优惠券", "全额退款", "转{n}块给我"),
               "check2": ("退差价{n}元", "补贴{n}块钱", "给个{n}元红包", "把运费退给我", "再送一个", "返点现金", "打{n}块到我支付宝", "退我一半货款")},
    "dverb": {"dev": ("返现", "赔钱", "退款"), "check": ("补偿", "赔偿", "退钱"), "check2": ("退差价", "赔", "给说法")},
    "offer": {"dev": ("删评", "把差评删了", "改成五星好评", "追加好评", "删掉这条评价"),
              "check": ("撤回评价", "修改评价", "改为好评", "把评论删掉", "补个五星"),
              "check2": ("把评价改了", "删掉差评", "追评夸夸你们", "改成5星", "评价撤掉", "给你们补个好评")},
    "threat": {"dev": ("差评", "一直追评", "给一星", "差评伺候"), "check": ("追加差评", "天天追评", "打一星", "写差评"),
               "check2": ("继续追评", "差评到底", "一星伺候", "发差评曝光")},
    "hi": {"dev": ("亲，", "老板，", "", "客服你好，"), "check": ("在吗？", "掌柜的，", "", "店家，"), "check2": ("你好，", "", "卖家，", "喂，")},
}
CO_TEMPLATES = {
    "dev": ("{hi}给我{demand}，我马上{offer}", "只要{demand}，{offer}没问题", "{demand}到账了我就{offer}",
            "如果能{demand}，我可以{offer}", "{hi}不{dverb}就{threat}", "你们不{dverb}的话，我就{threat}",
            "{demand}，不然{threat}"),
    "check": ("{hi}{demand}，我立刻{offer}", "要是{demand}，这边就{offer}", "{hi}先{demand}，我再{offer}",
                "{offer}可以，条件是{demand}", "再不{dverb}我就{threat}", "{demand}，否则{threat}",
                "不给{dverb}的话{threat}走起"),
    "check2": ("{hi}{demand}的话，我就{offer}", "{demand}给到位，马上{offer}", "想让我{offer}？先{demand}",
                "{hi}不{dverb}我就{threat}", "今天之内不{dverb}，{threat}", "{demand}，我这边立马{offer}",
                "不{dverb}的话别怪我{threat}"),
}
CO_EN_BANKS: dict[str, dict[Split, Sequence[str]]] = {
    "demand": {"dev": ("a refund", "${n} back", "a free sample", "a gift card", "a 50% refund"),
               "check": ("compensation", "cash back", "store credit", "a voucher", "free gifts", "my money back"),
               "check2": ("a partial refund", "${n} via PayPal", "a free replacement plus a gift", "some free samples", "a discount code", "20% of my money back")},
    "offer": {"dev": ("remove my review", "change my rating to 5 stars", "delete the review", "update my review"),
              "check": ("take down the 1-star review", "edit my feedback", "revise my rating", "withdraw my review"),
              "check2": ("update the review to five stars", "take my review down", "change my 1 star", "remove the negative feedback")},
    "threat": {"dev": ("leave a 1-star review", "post a bad review"), "check": ("write a negative review", "give one star"),
               "check2": ("leave 1 star", "post a negative review on every listing")},
}
CO_EN_TEMPLATES = {
    "dev": ("Give me {demand} and I'll {offer}.", "If you send me {demand} I will {offer}.", "Send {demand} or I {threat} everywhere.",
            "Unless I get {demand}, I'm going to {threat}."),
    "check": ("I can {offer} once I receive {demand}.", "{demand} first, then I'll {offer}.", "No {demand}? Then I will {threat}.",
                "Provide {demand} otherwise I {threat} today."),
    "check2": ("Send {demand} and I will {offer}.", "I'll {offer} if you give me {demand}.", "Either {demand} or I {threat}.",
                "Give me {demand}, otherwise I'll {threat}."),
}

# Look-alikes: refunds and reviews named together with no trade between them.
CO_LOOKALIKES = {
    "dev": ("质量太差了，已经申请退款，差评", "客服说好评返现{n}元，我没理他", "我不会为了返现去删评的，实话实说",
            "退款处理很快，五星好评", "包裹里有好评返现卡，没兴趣", "七天无理由退款，放心买，好评",
            "I asked for a refund because it broke. One star.", "The seller offered a gift card if I changed my review. Not doing it.",
            "Refund came fast, 5 stars.", "不给退款，只能给差评了"),
    "check": ("东西坏了，要求退款，给个差评提醒大家", "商家让我追加好评，说送我{n}元红包，我拒绝了", "就算赔偿我也不会改评价",
                "退货退款都很顺利，好评", "说好的赠品没送，差评", "支持七天无理由，给五星",
                "Returned it and got my money back. Bad product though, 2 stars.", "Seller asked me to update my review for a voucher. No.",
                "Compensation was fair, leaving 4 stars.", "客服拖着不退钱，只好写差评了"),
    "check2": ("申请了退差价，客服很快处理了，五星", "商家主动说送个小礼物求好评，没必要", "我不会因为赔偿改评价的，东西就是不行",
                "第一次买就退款了，给差评", "说是好评返现，结果没返，差评", "退款到账了，谢谢",
                "Asked for a refund, seller agreed fast. 5 stars.", "Seller offered ${n} to change my review; I said no.",
                "Bad quality, requesting a refund. 1 star.", "赠品少了一个，联系客服补发了，好评"),
}
SELLER_CHAT = {"dev": ("亲，给五星好评返现{n}元哦", "亲亲，晒图好评送小礼品"), "check": ("好评截图发我，返{n}元红包", "追加好评可以领优惠券哦"),
               "check2": ("亲，五星好评截图返{n}元", "好评晒图领红包哦")}
BUYER_CHAT_PLAIN = {"dev": ("什么时候能退款？", "东西坏了怎么处理", "how do I get a refund?"),
                    "check": ("退款申请了三天了", "能补发一个吗", "can I return this?"),
                    "check2": ("东西坏了能退吗", "什么时候发货", "is a refund possible?")}


def coercion_text(rng: random.Random, split: Split) -> tuple[str, str]:
    """A coercive sentence and its language."""
    if rng.random() < 0.3:
        return fill(rng, rng.choice(CO_EN_TEMPLATES[split]), split, CO_EN_BANKS), "en"
    text = fill(rng, rng.choice(CO_TEMPLATES[split]), split, CO_BANKS)
    return (disguise(rng, text) if rng.random() < 0.3 else text), "zh"


def coercion_lookalike(rng: random.Random, split: Split) -> str:
    return fill(rng, rng.choice(CO_LOOKALIKES[split]), split, CO_BANKS)


# ---- RV-K-4 diversion ----


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


HANDLE_STEMS = {"dev": ("xiaomei", "lily", "kk", "shop", "tao"), "check": ("ajun", "coco", "bb", "deal", "mm"),
                "check2": ("xiaoyu", "vivi", "dd", "mall", "niu")}
PHONE_PREFIXES = {"dev": ("138", "139", "186", "159"), "check": ("137", "188", "152", "177"), "check2": ("135", "189", "150", "183")}


def _handle(rng: random.Random, split: Split) -> str:
    stem = rng.choice(HANDLE_STEMS[split])
    return f"{stem}{rng.choice(('_', '', '-'))}{_digits(rng, rng.choice((3, 4, 6)))}"


def _phone(rng: random.Random, split: Split) -> str:
    prefix = rng.choice(PHONE_PREFIXES[split])
    number = prefix + _digits(rng, 8)
    way = rng.randrange(4)
    if way == 0:
        return number
    if way == 1:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if way == 2:
        return " ".join((number[:3], number[3:7], number[7:]))
    return number.translate(str.maketrans("0123456789", SPELLED_DIGITS[split]))


SPELLED_DIGITS = {"dev": "零一二三四五六七八九", "check": "〇壹贰叁肆伍陆柒捌玖", "check2": "洞幺两三四五六拐八勾"}


DV_TEMPLATES = {
    "dev": ("加我微信{handle}，{why}", "有需要的联系{phone}", "淘宝搜{shop}，同款便宜{n}块", "V❤：{handle} {why}", "扣扣 {qq} 私聊",
            "官网 {domain} 下单更优惠", "想要的加v {handle}", "Add me on WhatsApp +86 {phone}, {why_en}", "Cheaper at {domain}, check it out"),
    "check": ("vx：{handle}（{why}）", "薇 {handle} 备注来意", "电话{phone}随时打", "去拼多多搜{shop}，便宜多了", "企鹅号{qq}",
                "邮箱 {handle}@qq.com 发你资料", "某宝店铺{shop}有同款", "DM me on telegram @{handle}, {why_en}", "call me {phone} for the same one"),
    "check2": ("需要的朋友加微信：{handle}", "咨询电话{phone}", "闲鱼搜{shop}，更便宜", "➕V {handle} 拿内部价", "QQ群{qq}一起交流",
                "访问{domain}看更多", "某多多上{shop}同款半价", "WeChat: {handle} for discounts", "Buy direct at {domain}, {why_en}",
                "text me on whatsapp {phone}"),
}
DV_WHY = {"dev": ("发你优惠券", "有内部价", "便宜出"), "check": ("拉你进群", "私下更便宜", "还有别的款"), "check2": ("发你链接", "团购价", "售后找我")}
DV_WHY_EN = {"dev": ("better price", "I sell them too"), "check": ("wholesale price", "more models"), "check2": ("half price", "bulk orders")}
DV_SHOPS = {"dev": ("小美家居旗舰店", "阿杰数码"), "check": ("优品小铺", "老王书屋"), "check2": ("晨光文具", "小李家数码")}
DV_DOMAINS = {"dev": ("cheapbuy.cn", "www.deal-go.com"), "check": ("bestprice.net", "shop-outlet.cn"), "check2": ("mydeals.cc", "www.tbshop-out.com")}
# Image text: OCR lines of a card or a screenshot, or a QR code's payload.
DV_IMAGE = {"dev": (("扫码加好友", "微信号：{handle}"), ("售后请联系", "{phone}"), ("https://u.wechat.com/{code}",)),
            "check": (("加好友领红包", "vx {handle}"), ("官方客服热线", "{phone}"), ("weixin://dl/business/?t={code}",)),
            "check2": (("长按识别二维码", "微信：{handle}"), ("客服热线", "{phone}"), ("https://weixin.qq.com/r/{code}",))}
# Look-alikes: numbers and names that are not contacts, written about the product's own category.
DV_LOOKALIKES = {
    "any": {"dev": ("订单号{order}，到货很快", "联系了平台客服，很快处理了", "{n}9元买的，值了", "在小红书上看到推荐才买的", "Order #{order} arrived on time"),
            "check": ("快递单号{order}，包装完好", "找客服换了一个，态度不错", "双十一{n}8元入手", "朋友在抖音推荐的这款", "Tracking number {order}, delivered"),
            "check2": ("物流单号{order}，第二天就到了", "平台客服态度很好", "原价{n}9，活动价便宜", "看了抖音直播才买的", "Order number {order}, no issues")},
    "hotel": {"dev": ("房间号{room}，很安静", "前台电话打了好几次才有人接"), "check": ("{room}房，隔音一般", "入住时间14:00，退房12:00"),
              "check2": ("住的是{room}号房", "前台电话很快接通")},
    "book": {"dev": ("ISBN 978-7-02-{isbn}，正版", "第{n}页有印刷错误"), "check": ("2019年第3版第{n}次印刷", "共{n}0页，字很清楚"),
             "check2": ("ISBN 978-7-5447-{isbn}", "第{n}章写得最好")},
    "laptop": {"dev": ("型号X1 Carbon 2021款，分辨率1920x1080", "序列号{order}已在官网查到保修"),
               "check": ("内存DDR4 3200，CPU i5-1135G7", "电池容量5000mAh，续航8小时"),
               "check2": ("型号R7000P，屏幕2560x1600", "售后电话是官方的400热线")},
}


def _dv_slots(rng: random.Random, split: Split) -> dict[str, dict[Split, Sequence[str]]]:
    one = {"handle": _handle(rng, split), "phone": _phone(rng, split), "qq": _digits(rng, rng.choice((8, 9, 10))),
           "code": "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10)),
           "order": _digits(rng, 16), "room": str(rng.randrange(101, 2099)), "isbn": _digits(rng, 4) + "-" + _digits(rng, 1)}  # fmt: skip
    if split == "blind":  # the earlier splits keep their draws
        one["spelled"] = " ".join(f"{rng.choice(HANDLE_STEMS[split])}{_digits(rng, 3)}")
    if split == "blind2":  # spelled out with other separators
        one["spelled"] = rng.choice(("-", "·", " ", "、")).join(f"{rng.choice(HANDLE_STEMS[split])}{_digits(rng, 4)}")
    slots = {k: {split: (v,)} for k, v in one.items()}
    return slots | {"why": DV_WHY, "why_en": DV_WHY_EN, "shop": DV_SHOPS, "domain": DV_DOMAINS}


def diversion_text(rng: random.Random, split: Split) -> str:
    return fill(rng, rng.choice(DV_TEMPLATES[split]), split, _dv_slots(rng, split))


def diversion_image(rng: random.Random, split: Split) -> list[str]:
    slots = _dv_slots(rng, split)
    return [fill(rng, line, split, slots) for line in rng.choice(DV_IMAGE[split])]


def diversion_lookalike(rng: random.Random, split: Split, category: str) -> str:
    bank = DV_LOOKALIKES["any" if rng.random() < 0.5 else category]
    return fill(rng, rng.choice(bank[split]), split, _dv_slots(rng, split))


# ---- RV-K-6 invalid: campaign templates and gibberish ----

CAMPAIGNS = {
    "dev": ("{item}{defect}，质量太差，千万别买，大家避雷！", "垃圾商家，{item}和图片完全不一样，{defect}，差评！",
            "Terrible {item_en}, {defect_en}. Do not buy from this shop!"),
    "check": ("订了{item}，结果{defect}，商家不管不问，强烈不推荐！！", "千万别买这家的{item}，{defect}，跟描述严重不符，避雷避雷",
                "Awful {item_en}: {defect_en}, nothing like the photos. Seller ignores messages, avoid!"),
    "check2": ("{item}{defect}，找客服也没用，大家别上当！！", "真的后悔买了{item}，{defect}，强烈建议别买",
                "Worst {item_en} ever: {defect_en}. Save your money, do not order here!"),
}
# A campaign is written against its target: the slots follow the shop's category.
CAMPAIGN_SLOTS: dict[str, dict[str, dict[Split, Sequence[str]]]] = {
    "hotel": {"item": {"dev": ("这家酒店", "房间", "这酒店"), "check": ("这个宾馆", "客房", "这家店"), "check2": ("这家宾馆", "这个酒店", "房间")},
              "defect": {"dev": ("房间又脏又臭", "前台态度恶劣", "床单有污渍"), "check": ("卫生间漏水", "隔音差到睡不着", "热水没有"),
                         "check2": ("有蟑螂", "空调坏了", "毛巾发黄")},
              "item_en": {"dev": ("hotel", "room"), "check": ("stay", "suite"), "check2": ("hotel", "room")},
              "defect_en": {"dev": ("dirty sheets", "rude front desk"), "check": ("no hot water", "noisy all night"),
                            "check2": ("cockroaches everywhere", "broken air conditioning")}},
    "book": {"item": {"dev": ("这本书", "这书", "书"), "check": ("这套书", "图书", "这本"), "check2": ("这本书", "这套书", "书")},
             "defect": {"dev": ("印刷模糊", "缺页严重", "纸张很差"), "check": ("盗版书", "装订散了", "错字连篇"),
                        "check2": ("字太小看不清", "内容缺了一章", "封面破损")},
             "item_en": {"dev": ("book", "edition"), "check": ("paperback", "copy"), "check2": ("book", "set")},
             "defect_en": {"dev": ("blurry print", "missing pages"), "check": ("pirated copy", "binding fell apart"),
                           "check2": ("pages missing", "cover torn")}},
    "laptop": {"item": {"dev": ("这台电脑", "笔记本", "这电脑"), "check": ("这款本本", "机器", "这笔记本"), "check2": ("这台本子", "电脑", "这款笔记本")},
               "defect": {"dev": ("屏幕有坏点", "开机就蓝屏", "键盘失灵"), "check": ("散热烫手", "电池鼓包", "硬盘异响"),
                          "check2": ("用一周就死机", "触摸板失灵", "屏幕漏光")},
               "item_en": {"dev": ("laptop", "notebook"), "check": ("computer", "machine"), "check2": ("laptop", "computer")},
               "defect_en": {"dev": ("dead pixels", "blue screen on boot"), "check": ("overheats", "battery swollen"),
                             "check2": ("freezes daily", "screen bleeding")}},
}


def campaign_text(rng: random.Random, template: str, split: Split, category: str) -> str:
    return fill(rng, template, split, CAMPAIGN_SLOTS[category])


_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _mash(rng: random.Random, length: int) -> str:
    """Letters typed by sliding along a keyboard row or hammering a few keys."""
    row = rng.choice(_KEY_ROWS)
    i = rng.randrange(len(row))
    out = []
    for _ in range(length):
        out.append(row[i])
        i = min(len(row) - 1, max(0, i + rng.choice((-1, 1, 1, 0))))
        if rng.random() < 0.15:
            row = rng.choice(_KEY_ROWS)
            i = min(i, len(row) - 1)
    return "".join(out)


PADDING = {"dev": ("好", "哈", "不错", "好评", "a"), "check": ("棒", "嗯", "可以", "赞", "ok"), "check2": ("哦", "不错不错", "赞", "6", "嗯嗯")}
SYMBOLS = {"dev": ("。", "？", "！", "…"), "check": ("?", "!", ".", "~"), "check2": ("！", "？", "。。", "~")}
MASH_JOIN = {"dev": " ", "check": "", "check2": "  "}


def gibberish_text(rng: random.Random, split: Split, chars: Sequence[str]) -> tuple[str, str]:
    """A gibberish review and its form: keyboard mash, padding, random characters, mixed scripts, symbols."""
    form = rng.choice(("keyboard", "padding", "random_chars", "script_mix", "symbols"))
    if form == "keyboard":
        return MASH_JOIN[split].join(_mash(rng, rng.randrange(5, 11)) for _ in range(rng.randrange(1, 4))), form
    if form == "padding":
        return rng.choice(PADDING[split]) * rng.randrange(6, 15), form
    if form == "random_chars":
        return "".join(rng.choice(chars) for _ in range(rng.randrange(12, 30))), form
    if form == "script_mix":
        return "".join(rng.choice(chars) + rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(6, 12))), form
    return rng.choice(SYMBOLS[split]) * rng.randrange(6, 15), form


# ---- later banks, each written before its split was first run: (bank, keys…) -> that split's entry ----

BANKS = {
    "TITLE_SLOTS": TITLE_SLOTS, "EN_TITLES": EN_TITLES, "GENERIC": GENERIC, "CO_BANKS": CO_BANKS, "CO_TEMPLATES": CO_TEMPLATES,
    "CO_EN_BANKS": CO_EN_BANKS, "CO_EN_TEMPLATES": CO_EN_TEMPLATES, "CO_LOOKALIKES": CO_LOOKALIKES, "SELLER_CHAT": SELLER_CHAT,
    "BUYER_CHAT_PLAIN": BUYER_CHAT_PLAIN, "HANDLE_STEMS": HANDLE_STEMS, "PHONE_PREFIXES": PHONE_PREFIXES,
    "SPELLED_DIGITS": SPELLED_DIGITS, "DV_TEMPLATES": DV_TEMPLATES, "DV_WHY": DV_WHY, "DV_WHY_EN": DV_WHY_EN, "DV_SHOPS": DV_SHOPS,
    "DV_DOMAINS": DV_DOMAINS, "DV_IMAGE": DV_IMAGE, "DV_LOOKALIKES": DV_LOOKALIKES, "CAMPAIGNS": CAMPAIGNS,
    "CAMPAIGN_SLOTS": CAMPAIGN_SLOTS, "PADDING": PADDING, "SYMBOLS": SYMBOLS, "MASH_JOIN": MASH_JOIN,
}  # fmt: skip
CHECK3 = {
    ('TITLE_SLOTS', 'hotel', 'city'): ('成都宽窄巷子', '武汉江汉路', '长沙五一广场', '昆明翠湖', '天津意式风情区', '珠海情侣路'),
    ('TITLE_SLOTS', 'hotel', 'brand'): ('如意', '速8', '香格里拉', '丽枫', '希岸'),
    ('TITLE_SLOTS', 'hotel', 'room'): ('高级大床房', '观景双人房', '影音房', '豪华家庭房'),
    ('TITLE_SLOTS', 'hotel', 'extra'): ('含单早', '钟点房4小时', '可开发票', '近地铁'),
    ('TITLE_SLOTS', 'book', 'name'): ('《月亮与六便士》', '《挪威的森林》', '《万历十五年》', '《老人与海》', '《边城》'),
    ('TITLE_SLOTS', 'book', 'kind'): ('名家译本', '精装收藏版', '青少年版', '口袋本'),
    ('TITLE_SLOTS', 'book', 'extra'): ('上海译文出版社', '送书签', '原版引进'),
    ('TITLE_SLOTS', 'laptop', 'brand'): ('戴尔XPS13', '联想拯救者Y7000', '苹果MacBook Air', '微软Surface Laptop'),
    ('TITLE_SLOTS', 'laptop', 'kind'): ('13.3英寸超薄本', '电竞游戏本', '学生办公笔记本'),
    ('TITLE_SLOTS', 'laptop', 'spec'): ('M2 8G 256G', 'i7-12700H 16G 1T', 'R7 16G 512G'),
    ('EN_TITLES', 'hotel'): ('Shangri-La Deluxe Room, harbour view', 'Ibis Standard Double Room'),
    ('EN_TITLES', 'book'): ('The Moon and Sixpence, paperback', 'Norwegian Wood, hardcover'),
    ('EN_TITLES', 'laptop'): ('Dell XPS 13 ultrabook, i7, 16GB', 'MacBook Air 13-inch, 8GB, 256GB'),
    ('GENERIC', ('pos', 'zh')): ('东西不错', '很棒', '物流给力', '包装很好', '质量可以', '满意的一次购物', '推荐', '好评好评', '宝贝收到了', '卖家很好'),
    ('GENERIC', ('pos', 'en')): ('good product', 'fast delivery', 'very nice', 'satisfied', 'great value'),
    ('GENERIC', ('neg', 'zh')): ('质量一般', '不好用', '有点失望', '太慢', '不太好'),
    ('GENERIC', ('neg', 'en')): ('not satisfied', 'poor quality', 'slow delivery'),
    ('CO_BANKS', 'demand'): ('返{n}元现金', '补偿点钱', '退一部分钱', '赔{n}块', '送两本书', '给个大红包', '免掉这单', '退全款'),
    ('CO_BANKS', 'dverb'): ('返钱', '赔偿', '退款'),
    ('CO_BANKS', 'offer'): ('删了评论', '改成好评', '追加一条好评', '撤掉差评', '把星改高'),
    ('CO_BANKS', 'threat'): ('追评骂你们', '每天差评', '给差评', '一星差评'),
    ('CO_BANKS', 'hi'): ('老板在吗，', '', '客服，', '亲，'),
    ('CO_TEMPLATES',): ('{hi}{demand}，评价我马上就{offer}', '你们{demand}，我就{offer}', '只要你{demand}，我{offer}', '{hi}没有{demand}的话，{threat}', '{demand}，不然我{threat}', '等你{demand}了我再{offer}', '{hi}要我{offer}也行，{demand}'),
    ('CO_EN_BANKS', 'demand'): ('a full refund', '${n} compensation', 'a free gift', 'some coupons', '50% back'),
    ('CO_EN_BANKS', 'offer'): ('delete my review', 'change it to 5 stars', 'remove the 1 star rating', 'edit my review'),
    ('CO_EN_BANKS', 'threat'): ('leave a one-star review', 'write a bad review'),
    ('CO_EN_TEMPLATES',): ("Pay {demand} and I'll {offer}.", 'I will {offer} after you send {demand}.', "Give {demand} or I'll {threat}.", "If I don't get {demand} I will {threat}."),
    ('CO_LOOKALIKES',): ('已申请退全款，差评', '店家说追加好评送小礼物，算了', '绝对不会为了红包删评', '退款秒到，必须好评', '好评返现是真的，返了{n}元', '质量差，退货退款中', 'Got a full refund, thanks, 5 stars', 'Seller begged me to delete my review for a gift. Nope.', 'Terrible, asked for my money back. 1 star.', '补发很快，追加好评'),
    ('SELLER_CHAT',): ('亲，好评返{n}元现金哦', '给个五星送优惠券'),
    ('BUYER_CHAT_PLAIN',): ('请问怎么申请退款', '快递到哪了', 'when will my refund arrive?'),
    ('HANDLE_STEMS',): ('mimi', 'ak', 'sale', 'yoyo', 'lin'),
    ('PHONE_PREFIXES',): ('136', '187', '151', '199'),
    ('SPELLED_DIGITS',): '０１２３４５６７８９',
    ('DV_TEMPLATES',): ('加V：{handle}，{why}', '私聊电话 {phone}', '抖音搜{shop}，{why}', '微信号 {handle}', '扣{qq}', '上{domain}买更便宜', '闲鱼上{shop}有一样的', 'Whatsapp me: {phone}', 'Find us at {domain} for {why_en}', 'vx同号{phone}'),
    ('DV_WHY',): ('给你优惠', '有赠品', '便宜{n}块'),
    ('DV_WHY_EN',): ('lower prices', 'free shipping'),
    ('DV_SHOPS',): ('美美小店', '老张电脑城'),
    ('DV_DOMAINS',): ('www.buy-cheap.cn', 'shopnow.top'),
    ('DV_IMAGE',): (('添加微信', '{handle}'), ('订购热线', '{phone}'), ('weixin://wxpay/bizpayurl?pr={code}',)),
    ('DV_LOOKALIKES', 'any'): ('订单编号{order}', '客服热线打不通', '到手价{n}9', '在微博上看到的测评', 'Order {order} was late'),
    ('DV_LOOKALIKES', 'hotel'): ('住在{room}，窗外风景好', '前台说可以延迟退房'),
    ('DV_LOOKALIKES', 'book'): ('ISBN 978-7-5327-{isbn}', '全书共{n}章'),
    ('DV_LOOKALIKES', 'laptop'): ('型号15-eg0001TX', '屏幕分辨率2880x1800'),
    ('CAMPAIGNS',): ('{item}{defect}，差评！！别买了，坑人', '大家不要买{item}，{defect}，客服还不理人', 'Do NOT buy this {item_en}: {defect_en}. Total scam!'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item'): ('这家酒店', '酒店', '这宾馆'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect'): ('床上有头发', '隔壁吵一夜', '前台乱收费'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item_en'): ('hotel', 'place'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect_en'): ('hair on the bed', 'noisy all night long'),
    ('CAMPAIGN_SLOTS', 'book', 'item'): ('这本书', '书', '这套'),
    ('CAMPAIGN_SLOTS', 'book', 'defect'): ('全是错别字', '印刷歪了', '少了好几页'),
    ('CAMPAIGN_SLOTS', 'book', 'item_en'): ('book', 'copy'),
    ('CAMPAIGN_SLOTS', 'book', 'defect_en'): ('full of typos', 'pages torn out'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item'): ('这电脑', '这台笔记本', '本子'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect'): ('风扇狂响', '充不进电', '屏幕闪烁'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item_en'): ('laptop', 'notebook'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect_en'): ('fan screams', "won't charge"),
    ('PADDING',): ('好的', '呵', '棒棒', '1', '嗯'),
    ('SYMBOLS',): ('！！', '...', '？', '。'),
    ('MASH_JOIN',): ',',
}
# Written after check3's fixes; run once, then tuned on (its misses led to `leverage`).
HELDOUT = {
    ('TITLE_SLOTS', 'hotel', 'city'): ('西双版纳', '青岛八大关', '宁波老外滩', '福州三坊七巷', '洛阳老城', '桂林两江四湖'),
    ('TITLE_SLOTS', 'hotel', 'brand'): ('全季', '宜必思', '凯悦', '雅斯特', '华住会'),
    ('TITLE_SLOTS', 'hotel', 'room'): ('舒适大床房', '花园景观房', 'loft复式房', '温泉套房'),
    ('TITLE_SLOTS', 'hotel', 'extra'): ('含自助早餐', '连住3晚', '赠接机', '可带宠物'),
    ('TITLE_SLOTS', 'book', 'name'): ('《呼兰河传》', '《许三观卖血记》', '《乌合之众》', '《人间失格》', '《草房子》'),
    ('TITLE_SLOTS', 'book', 'kind'): ('全译本', '彩绘注音版', '纪念版', '平装'),
    ('TITLE_SLOTS', 'book', 'extra'): ('中华书局', '附导读', '当天发货'),
    ('TITLE_SLOTS', 'laptop', 'brand'): ('惠普暗影精灵', '华硕天选', 'ThinkBook 16', '红米RedmiBook Pro'),
    ('TITLE_SLOTS', 'laptop', 'kind'): ('16英寸大屏笔记本', '轻薄商务本', '入门级游戏本'),
    ('TITLE_SLOTS', 'laptop', 'spec'): ('i5-13500H 16G 512G', 'R7-7840H 32G 1T', 'i3 8G 256G'),
    ('EN_TITLES', 'hotel'): ('Hyatt Regency King Room with balcony', 'Budget Inn Twin Room, no breakfast'),
    ('EN_TITLES', 'book'): ('No Longer Human, paperback', 'The Little Prince, illustrated edition'),
    ('EN_TITLES', 'laptop'): ('HP Omen 16 gaming laptop, 32GB', 'ThinkBook 16 business laptop, 1TB SSD'),
    ('GENERIC', ('pos', 'zh')): ('很赞', '非常满意', '发货快', '质量挺好', '很实惠', '服务不错', '值', '整体满意', '没毛病', '下回还买'),
    ('GENERIC', ('pos', 'en')): ('awesome', 'good deal', 'quick delivery', 'worth it', 'as expected'),
    ('GENERIC', ('neg', 'zh')): ('差', '不推荐购买', '体验不好', '很一般', '不喜欢'),
    ('GENERIC', ('neg', 'en')): ('terrible', 'not recommended', 'poor'),
    ('CO_BANKS', 'demand'): ('返我{n}块', '给点补偿', '退一半款', '赔点钱', '多送几个赠品', '给{n}元红包', '免费再寄一个', '退个差价'),
    ('CO_BANKS', 'dverb'): ('退钱', '补偿', '返现'),
    ('CO_BANKS', 'offer'): ('把差评撤了', '改个好评', '追加五星', '删掉这条评论', '评价改成五星'),
    ('CO_BANKS', 'threat'): ('差评', '一星', '天天追评', '追加差评'),
    ('CO_BANKS', 'hi'): ('亲，', '', '店主，', '老板：'),
    ('CO_TEMPLATES',): ('{hi}{demand}我就{offer}', '{hi}{demand}，不然{threat}', '如果{demand}，我可以考虑{offer}', '{hi}你们要是不{dverb}，我就{threat}', '{offer}没问题，前提是{demand}', '先{demand}，然后我{offer}', '{demand}，我会{offer}'),
    ('CO_EN_BANKS', 'demand'): ('a refund of ${n}', 'free samples', 'a partial refund', 'a gift card', 'some compensation'),
    ('CO_EN_BANKS', 'offer'): ('remove my review', 'update my rating to 5 stars', 'delete this review', 'change my feedback'),
    ('CO_EN_BANKS', 'threat'): ('leave a 1-star review', 'post bad reviews'),
    ('CO_EN_TEMPLATES',): ('Send me {demand} and I will {offer}.', "If you give me {demand}, I'll {offer}.", '{demand} or I will {threat}.', 'Unless you send {demand}, I will {threat}.'),
    ('CO_LOOKALIKES',): ('退款很及时，给个好评', '卖家说给好评返{n}元，我没要', '我不会为了赔偿删评的', '退了差价，服务不错，五星', '申请退款被拒，差评', '说好送赠品没送，一星', 'Seller asked me to change my review for a coupon. No thanks.', 'Got my refund, 5 stars', 'Poor quality, returned for a refund, 2 stars', '客服处理退款很快，追加好评'),
    ('SELLER_CHAT',): ('亲亲，五星好评返{n}元', '好评截图领红包'),
    ('BUYER_CHAT_PLAIN',): ('东西有问题能换吗', '怎么还没发货', 'how do I return it?'),
    ('HANDLE_STEMS',): ('xixi', 'tom', 'buy', 'lulu', 'qq'),
    ('PHONE_PREFIXES',): ('133', '185', '158', '176'),
    ('SPELLED_DIGITS',): '零一二三四五六七八九',
    ('DV_TEMPLATES',): ('加我微信 {handle}，{why}', '联系电话：{phone}', '淘宝搜{shop}更便宜', 'V信 {handle}', 'QQ {qq} 详聊', '官网{domain}有更多款', '拼多多搜{shop}，{why}', 'Add me on WeChat: {handle}', 'Cheaper on {domain}', 'call {phone} for a deal'),
    ('DV_WHY',): ('有折扣', '送赠品', '内部价'),
    ('DV_WHY_EN',): ('discount', 'a better price'),
    ('DV_SHOPS',): ('甜甜家', '大鹏数码'),
    ('DV_DOMAINS',): ('www.cheapgo.cn', 'dealhub.net'),
    ('DV_IMAGE',): (('扫一扫加好友', '微信号 {handle}'), ('售后电话', '{phone}'), ('https://u.wechat.com/{code}',)),
    ('DV_LOOKALIKES', 'any'): ('订单号{order}，发货快', '平台客服帮我解决了', '活动价{n}9，划算', '朋友推荐买的', 'Order {order} arrived'),
    ('DV_LOOKALIKES', 'hotel'): ('{room}房间很安静', '入住时前台很热情'),
    ('DV_LOOKALIKES', 'book'): ('ISBN 978-7-101-{isbn}', '第{n}页有折痕'),
    ('DV_LOOKALIKES', 'laptop'): ('型号82XV，分辨率2560x1600', '内存16G，硬盘512G'),
    ('CAMPAIGNS',): ('{item}{defect}，太坑了，千万别买！', '再也不买了，{item}{defect}，客服也不管', 'Never buy this {item_en}, {defect_en}, awful seller!'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item'): ('这酒店', '这家宾馆', '房间'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect'): ('有异味', '热水时有时无', '前台很凶'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item_en'): ('hotel', 'room'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect_en'): ('smelly room', 'rude staff'),
    ('CAMPAIGN_SLOTS', 'book', 'item'): ('这本书', '这书', '书'),
    ('CAMPAIGN_SLOTS', 'book', 'defect'): ('是盗版', '字迹模糊', '缺页'),
    ('CAMPAIGN_SLOTS', 'book', 'item_en'): ('book', 'edition'),
    ('CAMPAIGN_SLOTS', 'book', 'defect_en'): ('pirated', 'blurry pages'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item'): ('这电脑', '笔记本', '机器'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect'): ('经常死机', '电池不耐用', '屏幕坏点'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item_en'): ('laptop', 'computer'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect_en'): ('crashes often', 'battery dies fast'),
    ('PADDING',): ('好', '啊', '棒', 'ok', '赞赞'),
    ('SYMBOLS',): ('？', '！', '。', '…'),
    ('MASH_JOIN',): ' ',
}

# Written for the sixth split before RV-K-2's second path was built, from how buyers extort sellers
# ("职业差评师", "refund or 1 star"), without reading coercion.py's lexicons; never tuned on.
FRESH = {
    ('TITLE_SLOTS', 'hotel', 'city'): ('张家界', '南昌八一广场', '烟台金沙滩', '贵阳花果园', '扬州瘦西湖', '北海银滩'),
    ('TITLE_SLOTS', 'hotel', 'brand'): ('锦江都城', '格林豪泰', '丽思卡尔顿', '布丁', '麗枫'),
    ('TITLE_SLOTS', 'hotel', 'room'): ('榻榻米房', '山景双床房', '电竞房', '行政大床房'),
    ('TITLE_SLOTS', 'hotel', 'extra'): ('含晚餐', '提前入住', '送景区门票', '无窗'),
    ('TITLE_SLOTS', 'book', 'name'): ('《围城》精编', '《朝花夕拾》', '《文化苦旅》', '《鼠疫》', '《局外人》'),
    ('TITLE_SLOTS', 'book', 'kind'): ('插图珍藏版', '大字版', '双语对照', '软精装'),
    ('TITLE_SLOTS', 'book', 'extra'): ('商务印书馆', '赠藏书票', '限量签名'),
    ('TITLE_SLOTS', 'laptop', 'brand'): ('微星绝影', '雷神911', '外星人m16', '华为MateBook X'),
    ('TITLE_SLOTS', 'laptop', 'kind'): ('二合一翻转本', '创作本', '13英寸便携本'),
    ('TITLE_SLOTS', 'laptop', 'spec'): ('Ultra7 32G 1T', 'i9 64G 2T', 'N100 8G 128G'),
    ('EN_TITLES', 'hotel'): ('Ritz-Carlton Grand Room, ocean view', 'Hostel Bunk in 6-bed dorm'),
    ('EN_TITLES', 'book'): ('The Plague by Albert Camus, softcover', 'Fortress Besieged, English translation'),
    ('EN_TITLES', 'laptop'): ('MSI Stealth 16 creator laptop, 32GB', 'Huawei MateBook X Pro, 1TB SSD'),
    ('GENERIC', ('pos', 'zh')): ('好评', '很喜欢', '到货快', '做工不错', '划算', '态度好', '可以的', '五星', '很棒棒', '会推荐给朋友'),
    ('GENERIC', ('pos', 'en')): ('love it', 'nice one', 'came fast', 'good value', 'happy'),
    ('GENERIC', ('neg', 'zh')): ('不咋地', '失望透了', '一般', '不值', '慢死了'),
    ('GENERIC', ('neg', 'en')): ('meh', 'disappointing', 'bad'),
    ('CO_BANKS', 'demand'): ('微信转我{n}', '走仅退款', '补寄一份', '再送我一套', '把运费给我报了', '发几张无门槛券', '赔个新的', '包个{n}的红包',
                             '打{n}块到我卡上', '给我返点', '退我{n}块'),
    ('CO_BANKS', 'dverb'): ('赔', '给个说法', '补我', '处理'),
    ('CO_BANKS', 'offer'): ('评价立马改回来', '把评论撤回', '五星好评奉上', '这条差评我就不发了', '差评我可以删', '不追评了', '把一星改五星', '晒图好评'),
    ('CO_BANKS', 'threat'): ('天天刷差评', '追评加投诉', '每个宝贝都给一星', '差评挂到底', '拍视频差评', '全网曝光给差评'),
    ('CO_BANKS', 'hi'): ('掌柜，', '', '在不在，', '客服小姐姐，'),
    ('CO_TEMPLATES',): ('{hi}{demand}，{offer}', '{hi}这样吧，{demand}，{offer}', '差评已经写好了，{demand}的话{offer}', '{hi}{demand}，咱们好说，不然{threat}',
                        '不{dverb}？那就{threat}', '{hi}要想我{offer}，得{demand}', '你们看着办，要么{demand}，要么{threat}', '{demand}之后{offer}，说到做到'),
    ('CO_EN_BANKS', 'demand'): ('${n} on Venmo', 'a free replacement', 'the shipping refunded', 'store credit', '${n} off my next order', 'my money back'),
    ('CO_EN_BANKS', 'offer'): ('take the review down', 'bump my rating to 5 stars', 'edit the 1-star', 'pull my review', 'not post the review'),
    ('CO_EN_BANKS', 'threat'): ('trash you in the reviews', 'leave 1 star on every listing', 'post my review with photos'),
    ('CO_EN_TEMPLATES',): ('Get me {demand} and I\'ll {offer}.', 'Happy to {offer} as soon as I see {demand}.', 'My review stays up until I get {demand}.',
                           'Send {demand} today or I\'ll {threat}.', 'No {demand}, and I {threat}.'),
    ('CO_LOOKALIKES',): ('商家私信说改好评送红包，我拒绝了', '虽然退款了，还是要给差评', '没有赔偿也无所谓，如实评价', '客服主动补寄了一个，追评点赞',
                         '差评！退款一周才到账', '希望商家能赔偿，实在太差了', '评价如实写，不要返现', '运费险赔了，好评',
                         'Requested a replacement, it came quickly, 5 stars', 'I got a partial refund but still giving 2 stars',
                         'Seller offered store credit for a better rating, I reported them.', 'Money back in two days. Honest 3 star review.'),
    ('SELLER_CHAT',): ('亲，带图好评返{n}元', '五星好评联系客服领奖励'),
    ('BUYER_CHAT_PLAIN',): ('能不能换个新的', '物流怎么一直不动', 'the item arrived broken, what now?'),
    ('HANDLE_STEMS',): ('nana', 'leo', 'shopx', 'dudu', 'vip'),
    ('PHONE_PREFIXES',): ('131', '182', '155', '173'),
    ('SPELLED_DIGITS',): '〇一二三四五六七八九',
    ('DV_TEMPLATES',): ('有需要加微 {handle}，{why}', '售后直接打{phone}', '京东搜{shop}同款', '薇信：{handle}', '扣扣{qq}', '去{domain}下单更划算',
                        '小红书搜{shop}，{why}', 'DM me on Telegram @{handle}', 'Same item on {domain}, cheaper', 'text {phone} for {why_en}'),
    ('DV_WHY',): ('有优惠', '返现', '批发价'),
    ('DV_WHY_EN',): ('a discount', 'wholesale'),
    ('DV_SHOPS',): ('阿花小铺', '小陈电脑'),
    ('DV_DOMAINS',): ('www.goodbuy.cn', 'outletmall.shop'),
    ('DV_IMAGE',): (('长按加好友', '微信 {handle}'), ('订货电话', '{phone}'), ('https://u.wechat.com/{code}',)),
    ('DV_LOOKALIKES', 'any'): ('单号{order}，两天到', '官方客服帮忙解决了', '券后{n}9，值', '同事推荐的', 'Order {order} on time'),
    ('DV_LOOKALIKES', 'hotel'): ('{room}房视野好', '前台帮忙叫了车'),
    ('DV_LOOKALIKES', 'book'): ('ISBN 978-7-100-{isbn}', '第{n}页印错了'),
    ('DV_LOOKALIKES', 'laptop'): ('型号14-ek1000，屏幕2240x1400', '内存32G，固态1T'),
    ('CAMPAIGNS',): ('{item}{defect}，大家避雷！！', '踩雷了，{item}{defect}，退货还推脱', 'Avoid this {item_en}: {defect_en}. Worst purchase ever.'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item'): ('这家店', '这宾馆', '客房'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect'): ('床单有污渍', '隔音极差', '押金不退'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item_en'): ('hotel', 'stay'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect_en'): ('dirty sheets', 'no hot water'),
    ('CAMPAIGN_SLOTS', 'book', 'item'): ('这本', '这套书', '书'),
    ('CAMPAIGN_SLOTS', 'book', 'defect'): ('纸张发黄', '错字连篇', '装订散了'),
    ('CAMPAIGN_SLOTS', 'book', 'item_en'): ('book', 'copy'),
    ('CAMPAIGN_SLOTS', 'book', 'defect_en'): ('yellowed pages', 'binding fell apart'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item'): ('这本子', '电脑', '这台机器'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect'): ('键盘失灵', '一开机就蓝屏', '发热严重'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item_en'): ('laptop', 'machine'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect_en'): ('keyboard dead', 'overheats'),
    ('PADDING',): ('赞', '嘿', '好好', '666', '嗯呢'),
    ('SYMBOLS',): ('。', '!!', '？？', '~'),
    ('MASH_JOIN',): '',
}


def _install(split: Split, entries: dict) -> None:
    for (bank, *keys), value in entries.items():
        target = BANKS[bank]
        for key in keys:
            target = target[key]
        target[split] = value


_install("check3", CHECK3)
_install("heldout", HELDOUT)
_install("final", FRESH)

# Written on 2026-12-04 for the seventh split, "blind", after the pay-first, script-floor, steering
# and campaign readings were built on the first six, and run once: the figures reported for issue
# 18. New wording in every bank; the diversion bank adds what issue 18 saw missed (quoted rival
# shops, second-hand markets, accounts spelled out), its look-alikes buyers naming where they bought.
BLIND = {
    ('TITLE_SLOTS', 'hotel', 'city'): ('大理古城', '哈尔滨中央大街', '三亚亚龙湾', '洛阳老城', '苏州平江路'),
    ('TITLE_SLOTS', 'hotel', 'brand'): ('亚朵', '全季', '维也纳', '希尔顿欢朋', '城市便捷'),
    ('TITLE_SLOTS', 'hotel', 'room'): ('亲子房', '观景大床房', '家庭套房', '标准双床房'),
    ('TITLE_SLOTS', 'hotel', 'extra'): ('含双早', '免费停车', '延迟退房', '接送机'),
    ('TITLE_SLOTS', 'book', 'name'): ('《活着》', '《平凡的世界》', '《边城》', '《三体》', '《百年孤独》'),
    ('TITLE_SLOTS', 'book', 'kind'): ('典藏版', '精装全三册', '青少年版', '有声伴读版'),
    ('TITLE_SLOTS', 'book', 'extra'): ('人民文学出版社', '附导读', '作者亲签'),
    ('TITLE_SLOTS', 'laptop', 'brand'): ('联想小新', '戴尔灵越', '华硕天选', '惠普暗影精灵'),
    ('TITLE_SLOTS', 'laptop', 'kind'): ('轻薄本', '游戏本', '商务本'),
    ('TITLE_SLOTS', 'laptop', 'spec'): ('R7 16G 512G', 'i5 16G 1T', 'i7 32G 1T'),
    ('EN_TITLES', 'hotel'): ('Atour Hotel King Room with breakfast', 'Family suite near the old town'),
    ('EN_TITLES', 'book'): ('To Live by Yu Hua, paperback', 'The Three-Body Problem, boxed set'),
    ('EN_TITLES', 'laptop'): ('Lenovo Xiaoxin 14 thin laptop', 'ASUS TUF gaming laptop 16GB'),
    ('GENERIC', ('pos', 'zh')): ('挺好的', '物美价廉', '发货神速', '质量杠杠的', '值得入手', '客服耐心', '没毛病', '满分', '超出预期', '回购'),
    ('GENERIC', ('pos', 'en')): ('great buy', 'works well', 'arrived early', 'recommend', 'five stars'),
    ('GENERIC', ('neg', 'zh')): ('很一般', '不推荐', '有点坑', '后悔了', '差劲'),
    ('GENERIC', ('neg', 'en')): ('not great', 'poor', 'regret it'),
    ('CO_BANKS', 'demand'): ('先把{n}块打过来', '转我{n}', '先付钱', '把钱先结了', '给我{n}的补偿', '先退一半货款', '赔我{n}元', '红包{n}先发我'),
    ('CO_BANKS', 'dverb'): ('处理', '赔', '退'),
    ('CO_BANKS', 'offer'): ('我再考虑删不删', '评论我看情况撤', '差评就撤掉', '我再改成好评', '追评我就不写了', '把差评删了'),
    ('CO_BANKS', 'threat'): ('每天来追差评', '一星挂着别想撤', '发到网上曝光加差评'),
    ('CO_BANKS', 'hi'): ('老板，', '', '喂，', '客服，'),
    ('CO_TEMPLATES',): ('{hi}{demand}，然后{offer}', '{hi}{demand}，到账了{offer}', '想让我{offer}？{demand}', '{hi}不{dverb}的话就{threat}',
                        '{demand}再说，{offer}', '{hi}规矩是{demand}，之后{offer}'),
    ('CO_EN_BANKS', 'demand'): ('${n} via PayPal', 'the money first', 'a full refund', 'a gift card', 'cash'),
    ('CO_EN_BANKS', 'offer'): ('think about removing the review', 'take it down', 'change my rating', 'delete the 1-star'),
    ('CO_EN_BANKS', 'threat'): ('leave a 1-star on everything', 'post a bad review everywhere'),
    ('CO_EN_TEMPLATES',): ('Send {demand} first, then I\'ll {offer}.', 'Once I get {demand} I might {offer}.', 'Pay up, or I {threat}.',
                           '{demand} and we can talk about the review.'),
    ('CO_LOOKALIKES',): ('先付的款，后来商家补发了，好评', '退款到账了，差评保留', '客服说可以改评价送券，没理他', '先付钱再发货，正常流程',
                         '赔了运费，东西还行，三星', 'I paid first and it shipped next day, 4 stars', 'Got a refund, still leaving my honest review'),
    ('SELLER_CHAT',): ('亲亲，好评有惊喜哦', '晒图五星返{n}元'),
    ('BUYER_CHAT_PLAIN',): ('什么时候发货', '能开发票吗', 'is there a warranty?'),
    ('HANDLE_STEMS',): ('xiaoxi', 'ann', 'buyhere', 'lulu', 'ok'),
    ('PHONE_PREFIXES',): ('136', '158', '187', '199'),
    ('SPELLED_DIGITS',): '零一二三四五六七八九',
    ('DV_TEMPLATES',): ('去「{shop}」看看，便宜一半', '闲鱼上有全新的，才{n}', '我的微信号是 {spelled}', '转转搜{shop}，一样的东西', '想要同款的搜“{shop}”',
                        '加我 v x {spelled}', 'Get the same one on Carousell, {why_en}', 'Find me on Mercari: {handle}', '电话{phone}，{why}',
                        '去"{shop}"买吧，{why}'),
    ('DV_WHY',): ('价格好商量', '还有赠品', '老客户打折'),
    ('DV_WHY_EN',): ('way cheaper', 'brand new'),
    ('DV_SHOPS',): ('阿梅的杂货铺', '老陈数码', '书香小屋'),
    ('DV_DOMAINS',): ('www.buy-cheap.net', 'dealsplus.cn'),
    ('DV_IMAGE',): (('扫一扫加我', 'wx: {handle}'), ('售后热线', '{phone}'), ('weixin://dl/chat?{code}',)),
    ('DV_LOOKALIKES', 'any'): ('在京东买过一样的，这家更快', '之前在淘宝下的单坏了，这次换这家', '比天猫旗舰店便宜一点', '看了小红书的测评才下单',
                               'Bought one on Amazon before, this is better', '订单{order}，两天到'),
    ('DV_LOOKALIKES', 'hotel'): ('在携程订的，价格合适', '{room}房间朝南'),
    ('DV_LOOKALIKES', 'book'): ('当当上也有这个版本，这里包装更好', '第{n}页有折角'),
    ('DV_LOOKALIKES', 'laptop'): ('京东自营同款，这家送了鼠标', '型号15-dw，内存16G'),
    ('CAMPAIGNS',): ('{item}{defect}，劝大家别买', '别被骗了，{item}{defect}', 'Stay away from this {item_en}: {defect_en}!'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item'): ('这酒店', '房间', '这家'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect'): ('马桶堵了', '有霉味', '墙皮脱落'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item_en'): ('hotel', 'room'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect_en'): ('mouldy walls', 'blocked toilet'),
    ('CAMPAIGN_SLOTS', 'book', 'item'): ('这书', '这套', '这本'),
    ('CAMPAIGN_SLOTS', 'book', 'defect'): ('少了几页', '油墨味重', '是影印的'),
    ('CAMPAIGN_SLOTS', 'book', 'item_en'): ('book', 'edition'),
    ('CAMPAIGN_SLOTS', 'book', 'defect_en'): ('photocopied pages', 'smells of ink'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item'): ('这电脑', '本子', '这台'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect'): ('风扇狂响', '充不进电', '屏幕闪'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item_en'): ('laptop', 'notebook'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect_en'): ('will not charge', 'screen flickers'),
    ('PADDING',): ('好', '嗯', '哈哈', '😀', '不错'),
    ('SYMBOLS',): ('。', '？', '~', '👍'),
    ('MASH_JOIN',): ' ',
}
_install("blind", BLIND)

# Scripts a blind gibberish review may be typed in besides the keyboard's Latin: random letters of
# a script's block, a Cyrillic keyboard row, or emoji (the "blind" split only: the earlier splits
# keep their draws).
BLIND_SCRIPTS = ((0x0E01, 0x0E2E), (0xAC00, 0xD7A3), (0x4E00, 0x9FA5), (0x3041, 0x3096))
BLIND_EMOJI = "😀😂🔥💯🎉🙈🌈🍎🍌🚗⚽🎁💄📦🐱"


def blind_gibberish(rng: random.Random) -> tuple[str, str]:
    """A gibberish review of the blind split's own forms."""
    form = rng.choice(("random_script", "cyrillic_keyboard", "emoji"))
    if form == "random_script":
        lo, hi = rng.choice(BLIND_SCRIPTS)
        return "".join(chr(rng.randrange(lo, hi)) for _ in range(rng.randrange(10, 20))), form
    if form == "cyrillic_keyboard":
        row = rng.choice(("йцукенгшщз", "фывапролдж", "ячсмитьбю"))
        i = rng.randrange(len(row) - 5)
        return row[i : i + rng.randrange(5, len(row) - i + 1)] + " " + row[::-1][: rng.randrange(5, 8)], form
    return "".join(rng.choice(BLIND_EMOJI) for _ in range(rng.randrange(6, 14))), form

# Written on 2026-12-05 (session 8) for the eighth split, "blind2", BEFORE any RV-K-4 or RV-K-6 change
# of that session and before the split was first run: the held-out figures reported for those two
# signals. New wording in the banks RV-K-4 and RV-K-6 draw from (diversion, its look-alikes,
# campaigns, padding, symbols, generic reviews); the other banks (titles, coercion, chat) repeat
# "blind"'s, so blind2's RV-K-1/2/3/5 figures are no independent measure.
BLIND2 = dict(BLIND) | {
    ('GENERIC', ('pos', 'zh')): ('很满意', '东西很好', '快递很给力', '做工精细', '物超所值', '好用不贵', '包装很用心', '比想象的好', '家里人都说好', '还会光顾'),
    ('GENERIC', ('pos', 'en')): ('very happy', 'good value', 'quick delivery', 'as pictured', 'nice quality'),
    ('GENERIC', ('neg', 'zh')): ('不太行', '有点差', '一般吧', '不喜欢', '不值'),
    ('GENERIC', ('neg', 'en')): ('disappointing', 'not worth it', 'meh'),
    ('HANDLE_STEMS',): ('yaya', 'tom', 'goodbuy', 'mimi', 'zz'),
    ('PHONE_PREFIXES',): ('131', '155', '173', '185'),
    ('DV_TEMPLATES',): ('同样的在【{shop}】只要一半价', '多抓鱼上有九成新的，{why}', '我朋友开的店叫『{shop}』，{why}', 'v信 {spelled} 拉你进群',
                        '嫌贵的去咸鱼，我挂了个全新的', '加 我 微 {spelled}', 'Same thing on eBay for half, {why_en}', 'Message me on Line: {handle}',
                        '手机{phone}，{why}', '搜一下"{shop}"那家，{why}', '我在转转上卖同款，{why}', 'Telegram me @{handle}, {why_en}'),
    ('DV_WHY',): ('比这便宜多了', '可以议价', '包邮到家'),
    ('DV_WHY_EN',): ('much cheaper', 'unused and boxed'),
    ('DV_SHOPS',): ('小周优选', '旧书坊', '阿华电脑城'),
    ('DV_DOMAINS',): ('www.low-price.cc', 'cheapgo.net'),
    ('DV_IMAGE',): (('加我好友', 'vx号 {handle}'), ('有事打这个', '{phone}'), ('weixin://dl/add?{code}',)),
    ('DV_LOOKALIKES', 'any'): ('去年在拼多多买过，这次在这家', '淘宝上看到过，最后在这里下的单', '京东那边没货才来这买的', '抖音直播间抢的，划算',
                               'Saw it on Amazon first, bought here anyway', '快递单号{order}，顺丰'),
    ('DV_LOOKALIKES', 'hotel'): ('飞猪上订的房，前台很热情', '住在{room}，窗外是江'),
    ('DV_LOOKALIKES', 'book'): ('京东上缺货，就在这买了', '书第{n}页开始讲主线'),
    ('DV_LOOKALIKES', 'laptop'): ('在天猫看了很久，最后这家下单', '机身型号14s-dq，内存8G'),
    ('CAMPAIGNS',): ('{item}{defect}，真心劝退', '避坑！{item}{defect}', 'Do not waste money on this {item_en}, {defect_en}!!'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item'): ('这间酒店', '客房', '这家店'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect'): ('床上有头发', '空调漏水', '半夜装修'),
    ('CAMPAIGN_SLOTS', 'hotel', 'item_en'): ('hotel', 'suite'),
    ('CAMPAIGN_SLOTS', 'hotel', 'defect_en'): ('hair on the bed', 'leaking air conditioner'),
    ('CAMPAIGN_SLOTS', 'book', 'item'): ('这本', '这套书', '书'),
    ('CAMPAIGN_SLOTS', 'book', 'defect'): ('字迹模糊', '页码错乱', '封皮开胶'),
    ('CAMPAIGN_SLOTS', 'book', 'item_en'): ('book', 'copy'),
    ('CAMPAIGN_SLOTS', 'book', 'defect_en'): ('pages out of order', 'glue coming off'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item'): ('这个本子', '电脑', '这机器'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect'): ('键帽掉了', '一开机就卡', 'WiFi连不上'),
    ('CAMPAIGN_SLOTS', 'laptop', 'item_en'): ('laptop', 'computer'),
    ('CAMPAIGN_SLOTS', 'laptop', 'defect_en'): ('keys fall off', 'wifi keeps dropping'),
    ('PADDING',): ('行', '可', '嘿嘿', '🙂', '好的'),
    ('SYMBOLS',): ('！', '.', '…', '❤'),
    ('MASH_JOIN',): '',
}
_install("blind2", BLIND2)
