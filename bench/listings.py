"""Deterministic ~300-character listings for the text-scanning bench (`bench.run --only scan`).

Each listing is in the API's shape (`PUT /v1/products/{id}` minus `shop_id`): a title, a
description, a brand, a category, three or four attributes and three SKUs. With a fixed seed
the corpus is the same on every run.

- Chinese, English and mixed prose (about 70 % of the listings mostly Chinese), with the numbers
  real listings carry: model and item numbers, sizes, capacities (13800mAh), dates, barcodes,
  standard and licence numbers, prices. None of those is a contact.
- About 15 % name a brand of the evaluation registry (tests/data/listings_eval_brands.json) in
  the title, the description or the brand field, with the brand's own category where it has one.
- About 10 % carry one disguised contact in the description (or the title): phone numbers
  spaced, dashed, full-width, in Chinese or financial numerals, circled digits, O-for-0;
  WeChat/QQ variants with an id; URLs and spelled-out domains; e-mail (also "at … dot");
  other apps' handles; steering to other platforms; off-platform payment.
- The text fields the detectors read (title, description, attributes, SKU names) add up to
  about 300 characters: the description is filled up to that length.

    python -m bench.listings [--n N] [--seed S]      # prints a sample and the corpus' shape
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

BRANDS_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "listings_eval_brands.json"
TARGET_CHARS = 300
CONTACT_SHARE = 0.10
BRAND_SHARE = 0.15
ENGLISH_SHARE = 0.30

# ---------------------------------------------------------------------------------- prose

ZH_SENTENCES = [
    "采用优质纯棉面料，亲肤透气，久穿不闷热。",
    "立体剪裁，版型修身显瘦，日常通勤约会都能穿。",
    "细节处做了加固车线，耐洗耐穿不易变形。",
    "尺码偏小一码，建议按平时尺码拍大一码。",
    "多色可选，百搭不挑人，送礼自用两相宜。",
    "发货前逐件质检，支持七天无理由退换。",
    "可机洗，建议冷水轻柔模式，避免暴晒。",
    "316不锈钢内胆，保温保冷12小时，一键开盖。",
    "大容量设计，学生党上班族都适用。",
    "食品级硅胶材质，无异味，耐高温。",
    "产地直发，新鲜采摘，坏果包赔。",
    "限时活动，满199减20，领券更优惠。",
    "品牌：无品牌，货号 A2024-118，执行标准 GB/T 2660-2017。",
    "尺寸：长40cm 宽30cm 高15cm，重量约0.8kg。",
    "售后问题请通过平台客服咨询，我们会尽快处理。",
    "电池容量13800mAh，支持22.5W快充，约3小时充满。",
    "生产日期2025年3月，保质期18个月，请置于阴凉干燥处。",
    "条形码 6901234567892，生产许可证号 SC10433010200123。",
    "型号 KF-8090W，额定功率1200W，电压220V。",
    "适合身高160-175cm，体重45-65kg，S/M/L/XL四个尺码。",
    "下单后48小时内发货，默认中通快递，偏远地区不包邮。",
    "每件都有独立包装，送人也很体面，还附赠收纳袋。",
    "微笑服务，信誉第一，有问题请在平台留言。",
    "V领设计修饰脸型，袖口收紧更显利落。",
    "面料成分：棉95% 氨纶5%，微弹舒适，不起球。",
    "容量500ml，口径5.5cm，能放进车载杯架。",
    "买二送一，活动截止到6月30日，数量有限。",
    "本店所有商品均为现货，拍下即发，支持运费险。",
    "东北五常新米，当季收割，真空包装防潮。",
    "一五一十讲清楚：不满意随时退，来回运费我们出。",
]
EN_SENTENCES = [
    "Soft breathable cotton, pre-washed for a relaxed fit.",
    "Machine washable; tumble dry low, do not bleach.",
    "Ships within 48 hours from our warehouse, tracked delivery.",
    "Available in five colours and sizes S to XXL.",
    "Double-stitched seams for everyday durability.",
    "The lid seals tight, so it will not leak in your bag.",
    "Model TX-2290, 1200W, 220V, 1.5L capacity.",
    "Battery 10000mAh with 20W fast charging via USB-C.",
    "Dimensions 40 x 30 x 15 cm, weight about 0.8 kg.",
    "Made on 2025-03-12, best before 2026-09-12.",
    "Barcode 6901234567892; standard GB 4806.7-2016.",
    "Free returns within 7 days, questions via in-app chat only.",
    "Fits heights 160-175 cm; order one size up for a loose look.",
    "Each item is inspected and packed by hand before it ships.",
]
TITLES = {
    "apparel/tops": ["夏季新款纯棉短袖T恤 男女同款 宽松百搭", "Women's linen summer shirt, loose fit", "秋冬加厚卫衣 连帽 情侣款", "V领针织开衫 薄款 外搭"],
    "apparel/shoes": ["透气运动跑鞋 减震 轻便 男女款", "Men's canvas sneakers, lightweight", "小白鞋 百搭 厚底 增高"],
    "home/kitchen": ["304不锈钢保温杯 大容量 便携 学生", "Glass food containers with lids, set of 5", "家用不粘锅 炒锅 电磁炉通用 32cm"],
    "home/appliances": ["智能电饭煲 4L 家用 预约", "Cordless handheld vacuum, 120W", "静音加湿器 卧室 大雾量 4L"],
    "home/lighting": ["北欧风简约台灯 卧室床头 护眼 可调光", "LED desk lamp with USB charging port"],
    "digital/accessories": ["手机壳 磁吸 防摔 全包 适用多机型", "20000mAh power bank, 22.5W fast charge", "蓝牙耳机 降噪 长续航 运动款"],
    "food/grain": ["有机五常大米 新米 东北 10斤装", "山东烟台红富士苹果 脆甜 5斤", "云南小粒咖啡豆 中度烘焙 500g"],
    "beauty/skincare": ["补水保湿面膜 20片 敏感肌可用", "Vitamin C serum 30ml, brightening"],
    "toys": ["益智拼装积木 儿童 1000片", "Wooden puzzle set for kids 3+"],
}
BRAND_CATEGORY = {"digital": "digital/accessories", "home/appliances": "home/appliances", "toys": "toys", "food/condiments": "food/condiments"}
ATTRIBUTES = {
    "材质": ["棉", "涤纶", "304不锈钢", "ABS塑料", "玻璃", "硅胶", "实木", "羊毛混纺"],
    "风格": ["简约", "复古", "韩版", "北欧", "运动", "商务"],
    "产地": ["浙江", "广东", "江苏", "山东", "福建", "黑龙江"],
    "适用人群": ["通用", "学生", "女士", "男士", "儿童"],
    "Material": ["cotton", "linen", "steel", "glass", "silicone"],
    "Origin": ["China", "Zhejiang", "Guangdong"],
    "保质期": ["12个月", "18个月", "24个月"],
    "型号": ["KF-8090W", "TX-2290", "A2024-118", "HX-3320", "M12-Pro"],
}
COLOURS = ["白色", "黑色", "灰色", "藏青", "卡其", "粉色", "Red", "Blue", "Green", "Beige"]
SIZES = ["S", "M", "L", "XL", "XXL", "500ml", "750ml", "1L", "2kg", "5kg", "单只装", "两只装", "标准版", "升级版"]

# ------------------------------------------------------------------------- disguised contacts

MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
                   "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"]  # fmt: skip
ZH_DIGITS = "零一二三四五六七八九"
FIN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
FULL = "０１２３４５６７８９"
WECHAT = ["微信", "V信", "薇信", "威信", "vx", "wx", "+V", "加v", "V❤信", "卫星"]
QQ = ["QQ", "扣扣", "企鹅", "Q号"]
WORDS = ["shopcheap", "goodbuy", "meihao", "xinxin", "bestdeal", "haohuo", "lucky", "tianmei"]
PLATFORMS = ["淘宝", "拼多多", "闲鱼", "小红书", "京东"]


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def disguise_phone(rng: random.Random, number: str) -> tuple[str, str]:
    """The number written one of the ways sellers write it, and the name of the disguise."""
    how = rng.choice(["plain", "spaced", "dashed", "groups", "full-width", "chinese", "financial", "circled", "O for 0", "slashes"])
    if how == "plain":
        return number, how
    if how == "spaced":
        return " ".join(number), how
    if how == "dashed":
        return f"{number[:3]}-{number[3:7]}-{number[7:]}", how
    if how == "groups":
        return f"{number[:3]} {number[3:7]} {number[7:]}", how
    if how == "full-width":
        return number.translate(str.maketrans("0123456789", FULL)), how
    if how == "chinese":
        return "".join(ZH_DIGITS[int(d)] for d in number), how
    if how == "financial":
        return "".join(FIN_DIGITS[int(d)] for d in number), how
    if how == "circled":
        return "".join(CIRCLED[int(d)] for d in number), how
    if how == "O for 0":
        return number.replace("0", "O") if "0" in number else number[:3] + "O" + number[4:], how
    return "/".join((number[:3], number[3:7], number[7:])), how


def contact(rng: random.Random) -> tuple[str, str]:
    """One disguised contact snippet and its kind."""
    kind = rng.choice(["phone", "phone", "phone", "wechat", "wechat", "qq", "url", "domain spelled", "email", "email spelled", "app handle", "platform", "payment"])
    word = rng.choice(WORDS)
    handle = f"{word}{rng.randrange(10, 9999)}"
    if kind == "phone":
        text, how = disguise_phone(rng, mobile(rng))
        lead = rng.choice(["咨询电话", "售后联系", "批发热线 ", "有问题直接打", "Call ", "手机同微 "])
        return f"{lead}{text}。", f"phone: {how}"
    if kind == "wechat":
        sep = rng.choice(["：", ":", " ", ""])
        variant = rng.choice(WECHAT)
        lead = "" if variant[0] in "加+" else rng.choice(["加", "添加", "联系", ""])
        return f"{lead}{variant}{sep}{handle}，{rng.choice(['优惠更多', '发实拍图', '拿货更便宜'])}。", kind
    if kind == "qq":
        digits = str(rng.randrange(10**7, 10**10))
        return f"{rng.choice(QQ)}{rng.choice(['：', ' ', ''])}{digits}，进群领券。", kind
    if kind == "url":
        return f"更多款式见 {rng.choice(['https://', 'www.', ''])}{word}{rng.randrange(1, 99)}.{rng.choice(['com', 'shop', 'cn', 'net'])}/p/{rng.randrange(100, 9999)}。", kind
    if kind == "domain spelled":
        return f"官网 {word} {rng.choice(['点com', '点 com', 'dot com', '点cn'])} 下单更便宜。", kind
    if kind == "email":
        return f"批发请发邮件 {handle}@{rng.choice(['qq.com', '163.com', 'gmail.com'])}。", kind
    if kind == "email spelled":
        return f"email me: {handle} at {rng.choice(['gmail', 'outlook', '163'])} dot com.", kind
    if kind == "app handle":
        app = rng.choice(["WhatsApp +86 " + mobile(rng), "Telegram @" + handle, "Line ID: " + handle, "IG @" + handle, "钉钉 " + mobile(rng)])
        return f"{app} for bulk orders。", kind
    if kind == "platform":
        return f"去{rng.choice(PLATFORMS)}搜「{word}小店」，同款便宜二十块。", kind
    return rng.choice(["拍下后私下转账，打到我支付宝，马上发货。", "不走平台付款可以再便宜，微信转账也行。", "Pay by bank transfer to save 10%, card 6222 0212 3456 7890 123."]), kind


# ------------------------------------------------------------------------------ listings


@dataclass
class Corpus:
    listings: list[dict]
    seed: int
    contact_kinds: dict[int, str] = field(default_factory=dict)  # listing index -> disguise
    branded: set[int] = field(default_factory=set)  # listing indexes naming a registry brand

    def text_fields(self, i: int) -> list[str]:
        """The texts the baseline reads: title, description, attributes (as one text, the way
        the subject holds them) and the SKU names."""
        listing = self.listings[i]
        attrs = "; ".join(f"{k}: {v}" for k, v in listing["attributes"].items())
        return [listing["title"], listing["description"], attrs] + [s["name"] for s in listing["skus"]]

    def chars(self, i: int) -> int:
        return sum(len(t) for t in self.text_fields(i))


def load_brands(path: Path = BRANDS_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["brands"]


def generate(n: int = 3000, seed: int = 20260301, brands: list[dict] | None = None) -> Corpus:
    rng = random.Random(seed)
    brands = brands if brands is not None else load_brands()
    corpus = Corpus([], seed)
    categories = list(TITLES)
    for i in range(n):
        english = rng.random() < ENGLISH_SHARE
        brand = rng.choice(brands) if brands and rng.random() < BRAND_SHARE else None
        category = rng.choice(categories)
        if brand and brand.get("categories"):
            category = BRAND_CATEGORY.get(brand["categories"][0], brand["categories"][0])
        title = rng.choice(TITLES.get(category) or TITLES[rng.choice(categories)])
        brand_field = "无品牌" if not english else rng.choice(["No brand", "无品牌"])
        mention = ""
        if brand:
            corpus.branded.add(i)
            spelling = rng.choice([brand["name"], *brand["aliases"]])
            where = rng.choice(["title", "title", "description", "brand"])
            if where == "title":
                title = f"{spelling} {title}"
            elif where == "description":
                mention = rng.choice([f"{spelling}官方授权，", f"Genuine {spelling} product. ", f"与{spelling}同厂出品，"])
            else:
                brand_field = spelling
        title = " ".join(x for x in (title, rng.choice(["", "2025新款", "现货", "包邮", "New"]), str(rng.randrange(1, 999))) if x)
        keys = rng.sample(list(ATTRIBUTES), rng.choice([3, 4]))
        attributes = {k: rng.choice(ATTRIBUTES[k]) for k in keys}
        base = round(rng.uniform(9.9, 599), 1)
        skus = []
        for k in range(3):
            price = round(base * rng.uniform(0.85, 1.25), 1)
            skus.append({"sku_id": f"{i}-{k}", "name": f"{rng.choice(COLOURS)} {rng.choice(SIZES)}", "price": price,
                         "shipping_fee": rng.choice([0, 0, 0, 5, 8, 12])})  # fmt: skip
        snippet = ""
        if rng.random() < CONTACT_SHARE:
            snippet, kind = contact(rng)
            corpus.contact_kinds[i] = kind
        attrs_len = len("; ".join(f"{k}: {v}" for k, v in attributes.items()))
        room = max(60, TARGET_CHARS - len(title) - attrs_len - sum(len(s["name"]) for s in skus) - len(snippet) - len(mention))
        pool = EN_SENTENCES if english else (ZH_SENTENCES if rng.random() < 0.8 else ZH_SENTENCES + EN_SENTENCES)
        parts: list[str] = []
        for sentence in rng.sample(pool, len(pool)):  # no sentence twice in one listing
            if sum(len(p) for p in parts) >= room:
                break
            parts.append(sentence + (" " if english else ""))
        description = "".join(parts)[:room].rstrip()
        if snippet and rng.random() < 0.1:
            title = f"{title} {snippet.rstrip('。.')}"  # a contact in the title; the description keeps its room
        elif snippet:
            stop = ". " if english else "。"
            cut = description.rfind(stop, 0, len(description) - 1)
            cut = cut + len(stop) if cut > 0 else len(description) // 2
            snippet = snippet + " " if english else snippet
            description = description[:cut] + snippet + description[cut:]
        description = mention + description
        listing = {"title": title, "description": description, "brand": brand_field, "category": category, "attributes": attributes, "skus": skus}
        corpus.listings.append(listing)
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=20260301)
    args = ap.parse_args()
    c = generate(args.n, args.seed)
    sizes = sorted(c.chars(i) for i in range(len(c.listings)))
    print(f"{len(c.listings)} listings; text chars min {sizes[0]}, median {sizes[len(sizes) // 2]}, max {sizes[-1]}, "
          f"mean {sum(sizes) / len(sizes):.0f}; {len(c.contact_kinds)} with a contact, {len(c.branded)} naming a brand")  # fmt: skip
    for i in list(c.contact_kinds)[:8] + [0, 1]:
        print(json.dumps(c.listings[i], ensure_ascii=False))


if __name__ == "__main__":
    main()
