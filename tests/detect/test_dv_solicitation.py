"""DY-DV techniques added for issue 18, each on a few texts written here (not from the corpus):
solicitation across sentences from the packs' market lexicons, IBANs, payment QR codes, shop
addresses, hard negatives (warnings, product features, where a buyer bought before), and the
learned second stage, whose inference must read exactly the n-grams its trainer counts."""

from __future__ import annotations

import pytest

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.diversion import learned, learned_weights
from shopwarden.core.detect.diversion.solicitation import find_ibans
from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.text import normalize
from shopwarden.errors import PolicyError
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs

DV = ContactDiversion()


def _context(pack: str, region: str) -> DetectContext:
    return DetectContext.from_pack(load_builtin_packs()[pack], phone_regions=(region,))


def _flags(text: str, pack: str = "tiktok-shop", region: str = "TH"):
    return DV.detect(Subject.message(text), _context(pack, region))


# DY-DV: an instruction in one sentence, the account in another; Thai, Vietnamese, English, Chinese.
@pytest.mark.parametrize(
    "text, cited",
    [
        ("ราคาพิเศษไม่ได้ลงในแอปนะคะ ไอดีไลน์ของร้านคือ mintshop22", "mintshop22"),
        ("Đơn sỉ thì inbox riêng nhé. Zalo shop: 0912 345 678", "0912 345 678"),
        ("Transfer the full amount to NL91 ABNA 0417 1643 00 before I post", "NL91 ABNA 0417 1643 00"),
        ("Quét mã QR MoMo trong hình để trả tiền cho mình", "MoMo"),
        ("Visit our showroom at 18 Harbour Road and pay cash, it's cheaper", "18 Harbour Road"),
        ("扫我的收款码付款，便宜十块", "收款码"),
    ],
)
def test_solicitation_is_found_with_its_evidence(text: str, cited: str) -> None:
    findings = _flags(text, "douyin" if "收款码" in text else "tiktok-shop", "VN" if "Zalo" in text else "TH")
    assert [f.rule for f in findings] == ["DY-DV"]
    assert any(cited in e.text for e in findings[0].evidence)


# DY-DV hard negatives: a warning, a product's own messaging, a buyer naming where they bought.
@pytest.mark.parametrize(
    "text",
    [
        "Our app warns you: never send money via GCash to anyone claiming to be us.",
        "Got it from Lazada before, this version fits better",
        "Earbuds pair with your phone and read out LINE messages",
        "Customers can chat with each other in the built-in messenger of this walkie-talkie",
    ],
)
def test_hard_negatives_are_not_diversion(text: str) -> None:
    assert _flags(text) == []


def test_an_iban_counts_only_when_its_checksum_holds() -> None:
    # DY-DV: a bank account given as an IBAN; one changed digit makes it an arbitrary code
    assert [h.value for h in find_ibans(normalize("IBAN: NL91 ABNA 0417 1643 00"), DetectContext())] == ["NL91ABNA0417164300"]
    assert find_ibans(normalize("ref NL91 ABNA 0417 1643 01"), DetectContext()) == []


def test_the_learned_stage_reaches_what_no_rule_does() -> None:
    # DY-DV: "in my bio" names no app and no account; the model finds it, citing the sentence
    findings = _flags("Cheaper deals for followers, details in my bio")
    assert findings and "learned model" in findings[0].explanation.en
    assert findings[0].evidence[0].text.startswith("Cheaper deals")


def test_the_learned_stage_can_be_switched_off_by_the_pack() -> None:
    pack = load_builtin_packs()["tiktok-shop"]
    settings = pack.detectors.get("contact_diversion")
    from shopwarden.core.policy.schema import DetectorSettings

    off = DetectorSettings(thresholds={**(settings.thresholds if settings else {}), "learned": 0.0}, source="test")
    ctx = DetectContext.from_pack(pack, phone_regions=("TH",))
    ctx = DetectContext(detectors={**ctx.detectors, "contact_diversion": off}, lexicons=ctx.lexicons, phone_regions=("TH",))
    assert DV.detect(Subject.message("Cheaper deals for followers, details in my bio"), ctx) == []


def test_inference_reads_the_ngrams_the_trainer_counts() -> None:
    text = learned.model_text("add me on line: lulu_88 ❤ 0812 34, ราคาถูก")
    expected = learned_weights.INTERCEPT + sum(w for g, w in learned_weights.NGRAM_WEIGHTS.items() if g in learned.ngrams(text))
    a, b = learned_weights.PLATT
    import math

    assert learned.probability(text, frozenset()) == pytest.approx(1 / (1 + math.exp(-(a * expected + b))))


def test_the_model_reads_every_number_as_one_zero() -> None:
    # DY-DV: numbers are the rule layer's to judge; the learned stage reads the words around them
    assert learned.model_text("no resi 123-456 7890 sudah, 2 pcs") == " no resi 0 sudah, 0 pcs "


def test_every_market_the_packs_name_has_a_lexicon() -> None:
    markets = {m for p in load_builtin_packs().values() if p.lexicons for m in p.lexicons.markets}
    assert markets == {"CN", "TH", "VN", "MY", "ID", "PH", "SG", "US", "UK", "EU"}
    for pack in load_builtin_packs().values():
        for lexicon in (pack.lexicons.markets.values() if pack.lexicons else ()):
            assert all(getattr(lexicon, kind).source for kind in ("messengers", "marketplaces", "wallets", "banks"))


def test_the_lexicons_section_is_closed_and_errors_name_their_place() -> None:
    text = builtin_pack_texts()["douyin"].replace("      banks: {names: [工商银行", "      bankz: {names: [工商银行").replace("    CN:\n", "    XX:\n")
    with pytest.raises(PolicyError) as caught:
        parse_pack(text, "test.yaml")
    message = str(caught.value)
    assert "lexicons.markets.XX" in message and "bankz" in message and "did you mean 'banks'" in message
