"""DY-DV pointers (issue 18): asking for the buyer's channel, pointing to the seller's profile, and an
account spelled out or reversed, in the market languages — texts written here, not from the
evaluation corpus — and the hard negatives beside them (product text, warnings, identifiers)."""

from __future__ import annotations

import pytest

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.diversion.pointers import find_pointers
from shopwarden.core.text import normalize
from shopwarden.service.policies import load_builtin_packs

DV = ContactDiversion()


def _flags(text: str, region: str) -> list:
    pack = load_builtin_packs()["douyin" if region == "CN" else "tiktok-shop"]
    return DV.detect(Subject.message(text), DetectContext.from_pack(pack, phone_regions=(region,)))


# DY-DV: asking for the buyer's contact (RULES.md §5: "asking the buyer to send these").
@pytest.mark.parametrize(
    "region, text, said",
    [
        ("US", "Could I have your Signal so we can sort the price privately?", "Could I have your Signal"),
        ("VN", "Cho em xin Zalo của chị ạ", "Cho em xin Zalo"),
        ("ID", "Boleh minta nomor WA kamu? Nanti aku kabari", "Boleh minta nomor WA"),
        ("MY", "Nak nombor telefon awak, senang saya hubungi", "Nak nombor telefon"),
        ("PH", "Pahingi ng number mo para ma-text kita", "Pahingi ng number"),
        ("TH", "ขอเบอร์โทรหน่อยค่ะ จะโทรไปคุย", "ขอเบอร์โทร"),
        # whether the buyer has the channel, "you" before it or the buyer addressed after it
        ("US", "Do you have WhatsApp? easier to send photos", "Do you have WhatsApp"),
        ("VN", "Bạn có Zalo không, mình gửi ảnh thật", "Bạn có Zalo"),
        ("ID", "Ada WA gak kak?", "Ada WA"),
        ("PH", "May Viber ka ba? Doon na lang", "May Viber"),
        ("CN", "你有微信吗？发你实拍", "你有微信"),
    ],
)
def test_dy_dv_asks_for_the_buyers_channel(region, text, said):
    (finding,) = _flags(text, region)
    assert said in finding.explanation.en
    assert any(e.text.startswith(said) for e in finding.evidence)


# DY-DV: the seller's channel on their profile ("in my bio", "di bio", "nasa profile", "在主页").
@pytest.mark.parametrize(
    "region, text",
    [
        ("US", "Our WhatsApp is on our profile page, ping us there"),
        ("ID", "Kontak lengkap ada di bio toko ya"),
        ("PH", "Nasa profile namin ang Viber, doon tayo mag-usap"),
        ("VN", "Số Zalo ở trang cá nhân của shop nhé"),
        ("CN", "联系方式看我头像，加了细聊"),
        ("US", "IG in bio for more colours"),
        ("ID", "Cek bio buat nomor WA"),
        ("PH", "Tingnan ang bio para sa Viber"),
    ],
)
def test_dy_dv_points_to_the_profile(region, text):
    (finding,) = _flags(text, region)
    assert "profile" in finding.explanation.en


# DY-DV: identifiers split letter by letter (also over lines and into the next sentence) or reversed.
@pytest.mark.parametrize(
    "region, text, value",
    [
        ("US", "Telegram: j o j o _ 7 7 (remove spaces)", "jojo_77"),
        ("US", "Add me on Telegram. j-o-j-o-7-7", "jojo77"),
        ("ID", "WA saya: k.i.k.i.2.4.5", "kiki245"),
        ("MY", "Instagram:\nm\no\nm\no\n9\n9", "momo99"),
        ("CN", "抖音号：ki ki 07 93（连起来）", "kiki0793"),
        ("US", "Telegram: tina 28 no spaces", "tina28"),
        ("VN", "Zalo mình đảo ngược nha: 88ulul", "lulu88"),
        ("CN", "V我，号反过来念：88ulul", "lulu88"),
    ],
)
def test_dy_dv_split_or_reversed_accounts(region, text, value):
    (finding,) = _flags(text, region)
    reversed_ = value[::-1] in text
    said = ("written backwards",) if reversed_ else ("spelled out letter by letter", "split into pieces to join")
    assert any(words in finding.explanation.en for words in said)
    pack = load_builtin_packs()["douyin" if region == "CN" else "tiktok-shop"]
    hits = find_pointers(normalize(text), DetectContext.from_pack(pack, phone_regions=(region,)))
    assert [h.value for h in hits] == [value]  # the account as it reads: declared contacts match it


# DY-DV hard negatives: product text, warnings, identifiers written in the market languages.
@pytest.mark.parametrize(
    "region, text",
    [
        ("US", "Give your phone a fresh look with this case"),
        ("VN", "Mã sản phẩm 0912345678, màu đen"),
        ("ID", "Kode barang 081234567890, warna hitam"),
        ("US", "Never send your number to anyone who asks in chat"),
        ("PH", "Huwag ibigay ang number mo sa kahit sino, scam yan"),
        ("MY", "Jam pintar ini boleh terima notifikasi WhatsApp anda"),
        ("PH", "This wallet case works with Coins.ph tap-to-pay"),
        ("US", "Line: S M L XL available"),
        ("CN", "尺码：S M L XL，颜色 a b c d"),
        ("ID", "Bisa minta diskon kak?"),
        # a buyer asking what the goods have
        ("VN", "Điện thoại có Zalo không? Có cài sẵn không shop"),
        ("CN", "这个手表有微信吗？能装吗"),
        ("ID", "Apakah jam ini ada WA gak?"),
        ("US", "The bio-degradable phone case, see product profile below"),
    ],
)
def test_dy_dv_pointer_hard_negatives(region, text):
    assert _flags(text, region) == []
