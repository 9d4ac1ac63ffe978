"""DY-DV mechanisms of issue 18's eighth session, on texts written here (not from the evaluation
corpus, its templates or any blind set): a full stop before a capitalised word is no domain; an app
named as a product's feature next to a Chinese product noun is no solicitation without an identifier
or an instruction; telling the buyer not to buy here steers away; a dot inside an account does not
end its sentence; numbers named as batch or lot numbers are identifiers, in the learned stage too."""

from __future__ import annotations

import pytest

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion, rule_signals
from shopwarden.service.policies import load_builtin_packs

DV = ContactDiversion()


def _context(region: str) -> DetectContext:
    pack = load_builtin_packs()["douyin" if region == "CN" else "tiktok-shop"]
    return DetectContext.from_pack(pack, phone_regions=(region,))


def _findings(text: str, region: str) -> list:
    return DV.detect(Subject.message(text), _context(region))


@pytest.mark.parametrize(
    "region, text",
    [
        # DY-DV links: "a TLD must follow a real hostname form", not sentence punctuation + a capitalised word
        ("SG", "Packed with care and shipped on time.  Me and my kids are happy"),
        ("ID", "Warna sesuai foto.  Id transaksi tersimpan otomatis"),
        ("PH", "Sulit ang bayad.  Co-teacher ko bumili rin"),
        ("US", "Arrived in two days. Top seller, would buy again"),
    ],
)
def test_a_full_stop_before_a_capitalised_word_is_no_domain(region: str, text: str) -> None:
    assert "link" not in rule_signals(text, _context(region))


@pytest.mark.parametrize(
    "region, text, host",
    [
        ("MY", "murah lagi di bajuraya . my", "bajuraya.my"),
        ("US", "find the rest at oakandpine. com", "oakandpine.com"),
        ("SG", "OAKANDPINE. COM has it cheaper", "oakandpine.com"),
        ("PH", "visit tindahan.ph for the full set", "tindahan.ph"),
    ],
)
def test_hostnames_however_spaced_are_still_links(region: str, text: str, host: str) -> None:
    (finding,) = _findings(text, region)
    assert host in finding.explanation.en


@pytest.mark.parametrize(
    "text",
    [
        # DY-DV: an app next to a CJK product noun describes the product's feature
        "这台投影仪微信群投屏一键完成",
        "学习机QQ群课堂同步老师板书",
        "智能门铃微信群通知家人有访客",
    ],
)
def test_an_app_after_a_product_noun_is_a_feature_not_a_solicitation(text: str) -> None:
    assert "solicitation" not in rule_signals(text, _context("CN"))


@pytest.mark.parametrize(
    "text",
    [
        "投影仪便宜出，进我微信群 66120873 拿货",  # an identifier
        "门铃配件缺货，加QQ群找群主",  # an instruction
        "本店微信群搜店名就能找到",  # a search
    ],
)
def test_an_app_with_an_identifier_or_instruction_still_solicits(text: str) -> None:
    assert _findings(text, "CN")


@pytest.mark.parametrize(
    "region, text",
    [
        # DY-DV "steering the deal off-platform": a prohibition of buying here is an instruction to leave
        ("VN", "Khỏi mua trên app nha. Kết bạn Zalo mình là hana.902"),
        ("PH", "Huwag na po kayong bumili dito. Sa Viber na lang: rina.404"),
        ("MY", "Tak payah order kat sini. WhatsApp saya: mila.733"),
        ("US", "No need to buy through this app. My Telegram is juno.615"),
    ],
)
def test_not_buying_here_steers_away(region: str, text: str) -> None:
    assert _findings(text, region)


@pytest.mark.parametrize(
    "region, text",
    [
        ("VN", "Không bao giờ chuyển tiền cho ai nhắn bạn qua Zalo"),
        ("PH", "Huwag kayong magbabayad sa sinumang mag-message sa Viber"),
    ],
)
def test_a_real_warning_still_solicits_nothing(region: str, text: str) -> None:
    assert _findings(text, region) == []


@pytest.mark.parametrize(
    "region, text",
    [
        ("VN", "Mã lô sản xuất 0934 112 233 in ở nắp chai"),
        ("US", "Batch 415-555-0199 is stamped on the carton"),
        ("TH", "เลขล็อต 089-765-4321 ดูที่ข้างกล่อง"),
    ],
)
def test_batch_and_lot_numbers_are_identifiers(region: str, text: str) -> None:
    assert _findings(text, region) == []
    assert "identifier" in rule_signals(text, _context(region))
