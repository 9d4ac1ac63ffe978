"""How fast every registered detector scans ~300-character listings on one core.

Listings are built (fixed seed) from ordinary product prose in Chinese and English, with three
SKUs each and the evaluation set's brand registry, so every detector does its real work:
normalizing, the brand automaton, price parsing and SKU checks. The figure prints with `-s`;
the floor asserted is far below it, only to catch an accidental slowdown of an order of
magnitude (a regex gone quadratic), not to benchmark CI machines.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from shopwarden.batch import listings_eval
from shopwarden.core.detect.base import DetectContext, ShopInfo, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.registry import default_registry
from shopwarden.core.text.normalize import normalize

SENTENCES = [
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
    "适用于iPhone 15系列，精准开孔，按键灵敏。",
    "Soft breathable cotton, pre-washed for a relaxed fit.",
    "Machine washable; tumble dry low, do not bleach.",
    "Ships within 48 hours from our warehouse, tracked delivery.",
    "Available in five colours and sizes S to XXL.",
    "Double-stitched seams for everyday durability.",
    "The lid seals tight, so it will not leak in your bag.",
    "限时活动，满199减20，领券更优惠。",
    "品牌：无品牌，货号 A2024-118，执行标准 GB/T 2660-2017。",
    "尺寸：长40cm 宽30cm 高15cm，重量约0.8kg。",
    "售后问题请通过平台客服咨询，我们会尽快处理。",
]
TITLES = [
    "夏季新款纯棉短袖T恤 男女同款 宽松百搭",
    "304不锈钢保温杯 大容量 便携 学生",
    "Women's linen summer dress, loose fit, pockets",
    "北欧风简约台灯 卧室床头 护眼 可调光",
    "耐克同款 透气运动跑鞋 减震 轻便",
    "手机壳 适用于iPhone 15 Pro 磁吸 防摔",
    "有机五常大米 新米 东北 10斤装",
    "美的电饭煲 4L 家用 智能预约",
]
N = 600


def _listings(seed: int = 3) -> list[Subject]:
    rnd = random.Random(seed)
    subjects = []
    for i in range(N):
        description = ""
        while len(description) < 250:
            description += rnd.choice(SENTENCES)
        listing = {
            "title": f"{rnd.choice(TITLES)} {i}",
            "description": description[:250],
            "brand": "无品牌",
            "category": "apparel/tops",
            "attributes": {"材质": "棉", "风格": "简约", "产地": "浙江"},
            "skus": [{"sku_id": str(k), "name": f"{c} {s}", "price": p, "shipping_fee": 0}
                     for k, (c, s, p) in enumerate([("白色", "M", 59), ("黑色", "L", 59), ("灰色", "XL", 65)])],
        }  # fmt: skip
        subjects.append(Subject.from_listing(listing, "s1"))
    return subjects


def _rate(scan, subjects) -> tuple[float, float]:
    normalize.cache_clear()  # each listing pays for its own normalization, as in production
    times = []
    for subject in subjects:
        started = time.perf_counter()
        scan(subject)
        times.append(time.perf_counter() - started)
    times.sort()
    return len(subjects) / sum(times), times[int(len(times) * 0.99)] * 1000


def test_listings_per_second_with_every_detector():
    index, at = listings_eval.registry(Path(__file__).parents[1] / "data")
    context = DetectContext(shop=ShopInfo("s1", "enterprise"), brands=index, at=at)
    registry, diversion, subjects = default_registry(), ContactDiversion(), _listings()
    chars = sum(len(s.fields["title"]) + len(s.fields["description"]) + len(s.fields["attributes"]) for s in subjects) / N
    for subject in subjects[:50]:
        registry.scan(subject, context)  # warm the lazy tables (OpenCC, the Chinese lexicon)
    every, p99 = _rate(lambda s: registry.scan(s, context), subjects)
    alone, _ = _rate(lambda s: diversion.detect(s, context), subjects)
    print(f"\n{len(registry)} detectors on {N} listings of ~{chars:.0f} characters: {every:.0f} listings/s "
          f"(p99 {p99:.2f} ms); contact_diversion alone {alone:.0f}/s")  # fmt: skip
    assert every >= 200
