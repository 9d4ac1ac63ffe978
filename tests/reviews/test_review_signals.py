"""Malicious-review signals RV-K-1..6 (RULES.md §2): each kind caught with its evidence, and the
look-alike that must not be. Written from how such reviews read, not from the signals' lexicons;
the measured figures on real reviews are `make eval`'s (tests/reviews/test_review_eval.py)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from shopwarden.core.detect.base import DetectContext, Finding
from shopwarden.core.policy.schema import DetectorSettings
from shopwarden.core.reviews.duplicates import DuplicateIndex
from shopwarden.core.reviews.model import ChatLine, IdentityLink, ProductView, ReviewHistory, ReviewView
from shopwarden.core.reviews.signals import KINDS, calibrate, product_similarity, review_signals
from shopwarden.service.policies import load_builtin_packs

T0 = datetime(2026, 3, 1, tzinfo=UTC)
LAPTOP = ProductView("p1", "s1", "联想ThinkPad E14 14英寸笔记本电脑 i5 16G 512G", "笔记本电脑")
PACK = DetectContext.from_pack(load_builtin_packs()["tiktok-shop"])
_n = iter(range(1, 10_000))


def review(text: str = "不好用", rating: int = 1, days: float = 0, buyer: str = "b1", shop: str = "s1", images=()) -> ReviewView:
    i = next(_n)
    return ReviewView(f"r{i}", f"o{i}", shop, "p1", buyer, rating, text, T0 + timedelta(days=days), tuple(images))


def signals(r: ReviewView, product: ProductView = LAPTOP, context: DetectContext = PACK, _kw=None, **history) -> dict[str, Finding]:
    """Every finding for `r`, by rule; `_kw` goes to review_signals (encode, calibration…)."""
    found = review_signals(r, ReviewHistory(product, **history), context, **(_kw or {}))
    assert len({f.rule for f in found}) == len(found), "one finding per kind"
    for f in found:
        assert f.detector == KINDS[f.rule] and f.explanation.en and f.explanation.zh and 0 <= f.score <= 1
        check_evidence(f, r, ReviewHistory(product, **history))
    return {f.rule: f for f in found}


def check_evidence(finding: Finding, r: ReviewView, h: ReviewHistory) -> None:
    """Every span is exactly the text of the field it names."""
    fields = {"text": r.text, "rating": str(r.rating)}
    fields |= {f"chat[{c.message_id}]": c.text for c in h.chat}
    fields |= {f"buyer_reviews[{o.review_id}].text": o.text for o in h.buyer_reviews}
    fields |= {f"buyer_reviews[{o.review_id}].rating": str(o.rating) for o in h.buyer_reviews}
    fields |= {f"linked_shops[{link.shop_id}].{link.via}": link.hint for link in h.linked_shops}
    fields |= {f"near_duplicates[{i}]": d for i, d in enumerate(h.near_duplicates)}
    images: dict[str, list[str]] = {}
    for image_id, text, _ in r.image_texts:
        images.setdefault(image_id, []).append(text)
    fields |= {f"images[{i}]": "\n".join(lines) for i, lines in enumerate(images.values())}
    for e in finding.evidence:
        assert fields[e.field][e.start : e.end] == e.text, (finding.rule, e)


# ---- RV-K-1 repeated ----


def _series(ratings: list[int], gap_days: float = 10) -> tuple[ReviewView, tuple[ReviewView, ...]]:
    earlier = tuple(review(f"第{i}次买，又是坏的", rating, days=i * gap_days) for i, rating in enumerate(ratings[:-1]))
    return review("还是坏的，差", ratings[-1], days=len(ratings) * gap_days), earlier


def test_rv_k_1_repeated_negative_reviews_on_one_shop_cite_each_of_them():
    r, earlier = _series([1, 2, 1])
    found = signals(r, buyer_reviews=earlier)["RV-K-1"]
    assert {e.field for e in found.evidence} == {"text"} | {f"buyer_reviews[{o.review_id}].text" for o in earlier}
    assert "3" in found.explanation.en and "3" in found.explanation.zh


@pytest.mark.parametrize(
    "ratings, gap, why",
    [
        ([1, 2], 10, "two negatives are not a habit"),
        ([5, 5, 1, 5, 5, 2, 5, 1], 5, "a loyal buyer's few bad experiences: under half negative"),
        ([1, 1, 1], 120, "months apart: outside the window"),
        ([1, 1, 5], 10, "the reported review is itself positive"),
    ],
)
def test_rv_k_1_look_alikes(ratings, gap, why):
    r, earlier = _series(ratings, gap)
    assert "RV-K-1" not in signals(r, buyer_reviews=earlier), why


def test_rv_k_1_counts_orders_not_reviews_and_only_this_shop():
    r = review(days=30)
    same_order = tuple(ReviewView(f"x{i}", "o-same", "s1", "p1", "b1", 1, "追评：还是差", T0 + timedelta(days=i)) for i in range(3))
    other_shop = tuple(review("差", 1, days=i, shop="s9") for i in range(3))
    assert "RV-K-1" not in signals(r, buyer_reviews=same_order + other_shop)


def test_rv_k_1_rating_only_reviews_cite_their_rating():
    r, earlier = _series([1, 1, 1])
    r = ReviewView(r.review_id, r.order_id, r.shop_id, r.product_id, r.buyer_id, 1, "", r.posted_at)
    assert any(e.field == "rating" and e.text == "1" for e in signals(r, buyer_reviews=earlier)["RV-K-1"].evidence)


# ---- RV-K-2 coercion ----

COERCIVE = [
    ("给我返现30元，我马上把差评删了", "返现30元，我马上把差评删"),
    ("不赔偿的话我就天天追评", "不赔偿的话我就天天追评"),
    ("你們不退款就等著一星吧", "不退款就等著一星"),
    ("亲 补 偿 50块 的话，评价改成五星", "补 偿 50块 的话，评价改成五星"),
    ("Send me a free sample and I'll update my review to 5 stars.", "free sample and I'll update my review"),
    ("Refund me or I will leave a 1-star review on every listing.", "Refund me or I will leave a 1-star review"),
]


@pytest.mark.parametrize("text, span", COERCIVE)
def test_rv_k_2_a_demand_traded_for_a_review_in_the_review_text(text, span):
    found = signals(review(f"电池不耐用。{text}"), buyer_reviews=())["RV-K-2"]
    assert any(span in e.text and e.field == "text" for e in found.evidence), found.evidence


def test_rv_k_2_in_the_buyers_chat_cites_the_message():
    chat = (ChatLine("m1", "东西坏了", T0), ChatLine("m2", "亲，好评返现5元哦", T0, from_buyer=False),
            ChatLine("m3", "退我一半钱，我就撤回差评", T0))  # fmt: skip
    found = signals(review("质量很差"), chat=chat)["RV-K-2"]
    assert [e.field for e in found.evidence] == ["chat[m3]"]


LOOK_ALIKES = [
    "质量太差，已经申请退款了，差评",  # a complaint and a refund, no trade
    "客服拖着不给退款，只好给了差评",  # what happened, told afterwards
    "卖家说追加好评返现10元，我没理",  # the seller's inducement, reported
    "我绝不会为了返现删评",  # refused
    "退款很快，五星好评",  # praise
    "七天无理由退款，放心买",  # a policy
    "The seller offered me a voucher to change my review. No.",
    "Asked for a refund because it broke. 1 star.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_rv_k_2_look_alikes(text):
    assert "RV-K-2" not in signals(review(text))


def test_rv_k_2_the_sellers_own_chat_lines_are_not_the_buyers_demand():
    chat = (ChatLine("m1", "给五星好评，返现20元给你", T0, from_buyer=False),)
    assert "RV-K-2" not in signals(review("一般"), chat=chat)


# ---- RV-K-3 competitor ----


def link(shop: str, category: str = "笔记本电脑", via: str = "device") -> IdentityLink:
    return IdentityLink(shop, (category,), via, "dev***9f")


def test_rv_k_3_a_reviewer_linked_to_a_shop_of_the_same_category_names_the_link():
    found = signals(review("垃圾，别买"), linked_shops=(link("s7", via="payment_account"),))["RV-K-3"]
    assert any(e.field == "linked_shops[s7].payment_account" and e.text == "dev***9f" for e in found.evidence)
    assert "s7" in found.explanation.en and "支付账户" in found.explanation.zh


@pytest.mark.parametrize(
    "r, links, why",
    [
        (review("垃圾"), (link("s7", "图书"),), "the linked shop sells something else"),
        (review("很好用", 5), (link("s7"),), "a positive review"),
        (review("垃圾"), (link("s1"),), "linked to the reviewed shop itself"),
    ],
)
def test_rv_k_3_look_alikes(r, links, why):
    assert "RV-K-3" not in signals(r, linked_shops=links), why


def test_rv_k_3_a_shared_address_says_less_than_a_shared_payment_account():
    address = signals(review("差"), linked_shops=(link("s7", via="address_hash"),))["RV-K-3"]
    payment = signals(review("差"), linked_shops=(link("s7", via="payment_account"),))["RV-K-3"]
    assert address.score < payment.score


# ---- RV-K-4 diversion ----

BOX = ((10, 10), (210, 10), (210, 40), (10, 40))


def test_rv_k_4_a_contact_in_the_review_text_is_dy_dv_evidence():
    found = signals(review("挺好，要同款的加我微信 lily_2025 便宜", 5))["RV-K-4"]
    assert any("lily_2025" in e.text and e.field == "text" for e in found.evidence)
    assert "DY-DV" in found.explanation.en


def test_rv_k_4_text_read_from_an_image_cites_the_image_and_its_box():
    sha = hashlib.sha256(b"photo").hexdigest()
    r = review("看图", 5, images=((sha, "售后请联系", BOX), (sha, "139 1234 5678", None)))
    found = signals(r)["RV-K-4"]
    [e] = [e for e in found.evidence if e.field == "images[0]"]
    assert e.image_id == sha and "5678" in e.text


def test_rv_k_4_an_apps_deep_link_in_an_image_is_a_scanned_qr_code():
    r = review("好评", 5, images=(("img", "weixin://dl/business/?t=Ab12Cd34", BOX),))
    found = signals(r)["RV-K-4"]
    assert found.evidence[0].box == BOX and found.score >= 0.97


@pytest.mark.parametrize("text", ["订单号 3718265902314587，到货很快", "联系了平台客服，很快处理了", "型号 X1 Carbon，分辨率 1920x1080", "在小红书上看到推荐才买的"])
def test_rv_k_4_look_alikes(text):
    assert "RV-K-4" not in signals(review(text, 5))


# ---- RV-K-5 wrong product (a toy encoder for the logic; the real one below) ----

TOPICS = {"笔记本电脑": "屏键盘系统驱动内存硬盘散热电池", "酒店住宿": "房前台入住早餐服务员床卫生间", "图书": "书作者故事印刷纸张翻译章节"}


def toy_encode(texts) -> np.ndarray:
    """Character counts over the three topics' characters and a few generic ones: reviews of
    one topic land together, generic praise lands between them."""
    alphabet = "".join(TOPICS.values()) + "好很不错满意快"
    rows = np.array([[t.count(ch) for ch in alphabet] + [1.0] for t in texts], dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def toy_calibration(n: int = 40):
    rng = np.random.default_rng(7)
    texts = {
        c: [
            "".join(rng.choice(list(chars), 4)) + ("很好" if i % 3 else "")
            if i % 5
            else rng.choice(["很好", "不错", "满意", "很快"])  # generic reviews: every category has them
            for i in range(n)
        ]
        for c, chars in TOPICS.items()
    }
    vectors = {c: toy_encode(t) for c, t in texts.items()}
    sims = {c: [product_similarity(review(t), ProductView("p", "s", c, c), toy_encode) for t in ts] for c, ts in texts.items()}
    return calibrate(sims, vectors)


def test_calibrate_keeps_quantiles_and_examples_per_category():
    cal = toy_calibration()
    for stats in cal.values():
        assert stats.n == 40 and stats.examples.shape == (40, toy_encode(["x"]).shape[1])
        assert [q for q, _ in stats.quantiles] == sorted(q for q, _ in stats.quantiles)
        assert all(a <= b for (_, a), (_, b) in zip(stats.fit, stats.fit[1:]))


def test_rv_k_5_a_review_of_another_category_is_wrong_product():
    moved = review("前台服务员态度差，入住时卫生间的床很脏", 1)
    found = signals(moved, _kw={"encode": toy_encode, "calibration": toy_calibration()})["RV-K-5"]
    assert found.evidence[0].field == "text" and "酒店住宿" in found.explanation.en


@pytest.mark.parametrize("text", ["很好 不错 满意 很快", "屏幕不错，键盘手感好，散热安静", "好"])
def test_rv_k_5_look_alikes_generic_or_on_topic(text):
    assert "RV-K-5" not in signals(review(text, 5), _kw={"encode": toy_encode, "calibration": toy_calibration()})


def test_rv_k_5_is_not_judged_without_examples_or_encoder():
    only_sims = {c: [s for _, s in stats.quantiles] * 5 for c, stats in toy_calibration().items()}
    moved = review("前台服务员态度差，入住时卫生间的床很脏", 1)
    assert "RV-K-5" not in signals(moved, _kw={"encode": toy_encode, "calibration": calibrate(only_sims)})
    assert "RV-K-5" not in signals(moved, _kw={"calibration": toy_calibration()})


@pytest.fixture(scope="module")
def real():
    """The multilingual encoder and a calibration from ChnSentiCorp lines (the eval's dev split)."""
    from evals.review_eval import CATEGORY_NAMES, _pools
    from shopwarden.service.encoder import encode

    pools = _pools("dev", __import__("random").Random(3))
    texts = {CATEGORY_NAMES[c]: pools[(c, "pos")][:60] + pools[(c, "neg")][:40] for c in CATEGORY_NAMES}
    vectors = {c: encode(t) for c, t in texts.items()}
    sims = {c: [float(v @ encode([f"x {c}"])[0]) for v in vs] for c, vs in vectors.items()}
    return encode, calibrate(sims, vectors)


def test_rv_k_5_with_the_real_encoder_chinese_and_english(real):
    encode, cal = real
    kw = {"encode": encode, "calibration": cal}
    assert "RV-K-5" in signals(review("房间很小，前台态度冷淡，早餐只有稀饭咸菜", 1), _kw=kw)
    assert "RV-K-5" in signals(review("The hotel room was dirty and the front desk staff were rude", 1), _kw=kw)
    assert "RV-K-5" not in signals(review("很好 物流快", 5), _kw=kw)
    assert "RV-K-5" not in signals(review("散热不错，键盘手感好，就是电池不太耐用", 4), _kw=kw)


# ---- RV-K-6 invalid ----

TEMPLATE = "这家店的{}用了三天就坏了，客服不理人，千万别买，大家避雷！"


def test_duplicate_index_finds_a_template_with_its_slot_changed_and_not_an_unrelated_review():
    index = DuplicateIndex()
    for i, item in enumerate(["耳机", "充电宝", "台灯", "音箱"]):
        index.add(f"c{i}", TEMPLATE.format(item))
    index.add("g1", "房间干净，早餐丰富，前台服务热情，下次还来")
    assert set(index.near(TEMPLATE.format("风扇"))) == {"c0", "c1", "c2", "c3"}
    assert index.near(TEMPLATE.format("耳机"), exclude="c0")[0] != "c0"
    assert index.near("键盘手感不错，屏幕亮，系统流畅") == ()
    index.add("c0", "完全不同的一段文字，说的是别的事情")  # re-adding replaces
    assert "c0" not in index.near(TEMPLATE.format("耳机")) and len(index) == 5
    assert index.near("。。。！！！") == ()


def test_rv_k_6_a_template_copied_across_many_reviews_cites_the_copies():
    copies = tuple(f"r-copy-{i}" for i in range(6))
    found = signals(review(TEMPLATE.format("耳机")), near_duplicates=copies)["RV-K-6"]
    assert {e.field for e in found.evidence} >= {"text", "near_duplicates[0]"}


def test_rv_k_6_a_short_generic_review_written_by_many_is_not_a_copy():
    assert "RV-K-6" not in signals(review("质量很好，物流很快", 5), near_duplicates=tuple(f"x{i}" for i in range(40)))


@pytest.mark.parametrize("text", ["asdfghjkl qwerty", "好好好好好好好好", "与毅又总因卡一他置是时感隔给选更的欢为门", "好a的b是c我d不e在f", "？？？？？？？？", "差评差评差评差评差评"])
def test_rv_k_6_gibberish(text):
    assert "RV-K-6" in signals(review(text))


@pytest.mark.parametrize("text", ["好", "ok", "很好用哈哈哈", "i5-1135G7，16G内存，512G SSD，跑分不错", "Great laptop, fast SSD, quiet fan.", "前台热情，房间干净，隔音一般"])
def test_rv_k_6_look_alikes_short_or_technical_genuine_reviews(text):
    assert "RV-K-6" not in signals(review(text, 4))


# ---- the pack's say ----


def test_a_kind_the_pack_disables_is_skipped_and_the_pack_sets_thresholds():
    r, earlier = _series([1, 1, 1])
    off = DetectContext(detectors={"review_repeated": DetectorSettings(enabled=False, source="test")})
    assert "RV-K-1" not in signals(r, context=off, buyer_reviews=earlier)
    stricter = DetectContext(detectors={"review_repeated": DetectorSettings(thresholds={"min_negative": 4}, source="test")})
    assert "RV-K-1" not in signals(r, context=stricter, buyer_reviews=earlier)


def test_negative_means_what_the_pack_says():
    r, earlier = _series([3, 3, 3])
    assert "RV-K-1" not in signals(r, buyer_reviews=earlier)
    assert "RV-K-1" in signals(r, buyer_reviews=earlier, _kw={"negative_max_rating": 3})
