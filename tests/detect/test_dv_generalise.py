"""DY-DV mechanisms added in issue 18's seventh session, each on texts written here (not from the
evaluation corpus, its templates or the blind sets), with the hard negatives beside them: verbs that
ask for the buyer's contact by themselves, a profile pointed to through the avatar, shop addresses
in the SEA markets, prohibitions and buying habits that solicit nothing, and the learned stage
reading numbers as one token."""

from __future__ import annotations

import pytest

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.service.policies import load_builtin_packs

DV = ContactDiversion()


def _context(region: str) -> DetectContext:
    pack = load_builtin_packs()["douyin" if region == "CN" else "tiktok-shop"]
    return DetectContext.from_pack(pack, phone_regions=(region,))


def _findings(subject: Subject, region: str) -> list:
    return DV.detect(subject, _context(region))


@pytest.mark.parametrize(
    "region, text, said",
    [
        # DY-DV: "asking the buyer to send these" with a verb that asks by itself
        ("VN", "Anh để lại số điện thoại, bên em gọi lại liền", "để lại số điện thoại"),
        ("MY", "Tinggalkan nombor, nanti admin call balik", "Tinggalkan nombor"),
        ("PH", "Iwan niyo po ang number niyo, tatawag kami", "Iwan niyo po ang number"),
        ("TH", "ทิ้งเบอร์ไว้เลยค่ะ เดี๋ยวโทรหา", "ทิ้งเบอร์"),
        ("US", "Leave your number and I'll ring you tonight", "Leave your number"),
        ("CN", "你钉钉多少，我拉你进工作群", "你钉钉多少"),
        ("VN", "Cho em xin Facebook nhé, em gửi mẫu mới", "Cho em xin Facebook"),
        ("PH", "Ano po Telegram niyo?", "Ano po Telegram"),
        ("SG", "Would you mind sharing your Signal? I'll send the invoice", "mind sharing your Signal"),
        ("ID", "Nomor WA kakak berapa ya?", "WA kakak berapa"),
        ("CN", "电话留一个吧，到货通知你", "电话留一个"),
    ],
)
def test_dy_dv_verbs_that_ask_for_the_contact_alone(region: str, text: str, said: str) -> None:
    found = _findings(Subject.message(text), region)
    assert found and any(said in e.text for e in found[0].evidence)
    assert "buyer's" in found[0].explanation.en or "contact details" in found[0].explanation.en


@pytest.mark.parametrize(
    "region, text",
    [
        ("ID", "Bisa minta diskon kak?"),
        ("VN", "Cho em xin size áo nhé"),
        ("US", "Leave a review if you liked it"),
        ("MY", "Tinggalkan ulasan ya, terima kasih"),
        ("CN", "你多少码的鞋？我帮你选"),
        ("US", "Mind sharing your thoughts in a review?"),
        ("ID", "Harganya berapa kak?"),
    ],
)
def test_dy_dv_ordinary_requests_are_not_asks(region: str, text: str) -> None:
    # DY-DV hard negatives: a request without a contact channel asks for nothing off the platform
    assert _findings(Subject.message(text), region) == []


@pytest.mark.parametrize(
    "region, text",
    [
        ("CN", "点我头像进去就有联系方式"),
        ("VN", "Thông tin liên hệ có trong bio nha"),
    ],
)
def test_dy_dv_profile_pointers(region: str, text: str) -> None:
    assert _findings(Subject.message(text), region)  # DY-DV: a pointer to the seller's contact


@pytest.mark.parametrize(
    "region, description",
    [
        # DY-DV: "shop addresses", in the SEA markets; abbreviation dots do not end the clause
        ("ID", "Toko kami ada di Jl. Gajah Mada No. 7, Semarang, silakan datang langsung"),
        ("VN", "Ghé 120 Lý Thường Kiệt, quận 10 lấy hàng trực tiếp nhé"),
        ("MY", "Kedai kami: Lot 3, Jalan Ampang, KL. Datang beli terus"),
        ("TH", "รับสินค้าเองได้ที่ร้าน ซอยอารีย์ 3 พญาไท"),
        ("CN", "欢迎到店看货，地址：成都市锦江区春熙路18号"),
    ],
)
def test_dy_dv_shop_addresses(region: str, description: str) -> None:
    found = _findings(Subject.listing(title="商品", description=description), region)
    assert found and "physical shop" in found[0].explanation.en


@pytest.mark.parametrize(
    "region, text",
    [
        # DY-DV hard negatives: prohibitions and warnings in every market language
        ("TH", "ห้ามโอนเงินเข้าบัญชี SCB ส่วนตัวของใครก็ตาม"),
        ("VN", "Shop không có Zalo riêng, ai nhắn là giả mạo"),
        ("ID", "Waspada, kami tidak punya WhatsApp admin"),
        ("PH", "Wala kaming Viber, dito lang po mag-message"),
        ("CN", "禁止私下转账到支付宝，平台外交易无保障"),
        # a buyer's habits: where they usually buy is no steering
        ("US", "I usually shop on Amazon, first time ordering here"),
        ("MY", "Biasa beli di Lazada, pertama kali cuba sini"),
        ("VN", "Thường mua trên Shopee, lần đầu mua ở đây"),
    ],
)
def test_dy_dv_prohibitions_and_habits_solicit_nothing(region: str, text: str) -> None:
    assert _findings(Subject.message(text), region) == []


def test_dy_dv_cash_only_does_not_disclaim_a_shop_address() -> None:
    # DY-DV: "only" disclaims where it keeps paying or ordering in the app, not in "cash only"
    text = "Collect from our shop at 18 King Street, Bristol, cash only"
    assert _findings(Subject.message(text), "GB")


def test_dy_dv_the_model_is_not_asked_about_a_warning() -> None:
    # DY-DV: words in a warning solicit nothing — the learned stage is asked again without the
    # sentences that warn, describe a feature or compare, as the rule layer ignores them there
    text = "Hello! Warning: we will never ask you to pay by Zelle or move to Instagram. Only pay at checkout."
    assert _findings(Subject.message(text), "US") == []
